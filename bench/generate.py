"""Synthetic diplomatic news in the seeds' style, for benchmarks.

``generate(n, seed)`` yields ``n`` articles made by recombining sentence templates with invented
people holding real offices (bench/lexicon.py), places, dates and topics. Everything is drawn from
``random.Random`` seeded per article with ``(seed, index)``, so the output is deterministic and the
first 100 articles of a 10 000-article corpus are the 100-article corpus: sizes are comparable.

Each article also carries the facts it states (``GeneratedArticle.events`` and ``.holdings``), so a
graph of any size can be made without running extraction (bench/graphgen.py), in the shape
``kg build`` writes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bench.lexicon import (
    COUNTRIES,
    EXECUTIVE_ROLES,
    GIVEN_FEMALE,
    GIVEN_MALE,
    ORGANISATIONS,
    SURNAMES,
    TOPICS,
    Country,
)

FIRST_DAY = date(2015, 1, 1)
LAST_DAY = date(2025, 12, 31)
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)  # fmt: skip
AGENCIES = (
    "Trend reports",
    "AzerTag reports",
    "Kazinform reports",
    "the press service said",
    "Report informs",
)


@dataclass(frozen=True)
class Post:
    """An office: ``role`` in ``institution`` (or for ``country``), ``accredited_to`` for ambassadors."""

    role: str
    label: str
    country: str
    institution: str | None = None
    accredited_to: str | None = None


@dataclass(frozen=True)
class Person:
    given: str
    surname: str
    female: bool
    post: Post
    start: date  # term of office, inclusive
    end: date

    @property
    def name(self) -> str:
        return f"{self.given} {self.surname}"

    @property
    def honorific(self) -> str:
        return f"{'Mrs' if self.female else 'Mr'} {self.surname}"

    @property
    def pronoun(self) -> tuple[str, str]:
        return ("she", "her") if self.female else ("he", "his")


@dataclass(frozen=True)
class GeneratedEvent:
    type: str  # a kg event type: Meeting, Talks, Visit, OfficialVisit, StateVisit, WorkingVisit, PhoneCall
    participants: tuple[str, ...]  # person names
    date: str  # ISO date
    place: str | None  # city
    country: str  # country where it took place
    host_country: str
    guest_country: str
    topics: tuple[str, ...]  # topic ids
    sentence: int  # index of the sentence that states it, in ``GeneratedArticle.sentences``
    parent: int | None = None  # index of the framing event in the article's events


@dataclass
class GeneratedArticle:
    index: int
    stem: str
    published: date
    title: str | None
    header: str  # the lines before the body (title, date line)
    sentences: list[str]
    paragraphs: list[list[int]]  # sentence indexes per paragraph
    people: list[Person] = field(default_factory=list)  # everyone named, participants first
    events: list[GeneratedEvent] = field(default_factory=list)

    @property
    def text(self) -> str:
        body = "\n\n".join(" ".join(self.sentences[i] for i in para) for para in self.paragraphs)
        return f"{self.header}{body}\n"

    @property
    def words(self) -> int:
        return len(self.text.split())


class Roster:
    """Who holds which office when: every post has a run of invented holders from 2010 to 2025."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"roster:{seed}")
        self.by_country: dict[str, list[Person]] = {c.name: [] for c in COUNTRIES}
        used: set[str] = set()
        for country in COUNTRIES:
            for post in _posts(country, rng):
                day = date(2010, 1, 1) + timedelta(days=rng.randrange(0, 900))
                start = date(2010, 1, 1)
                while start <= LAST_DAY:
                    end = min(day + timedelta(days=365 * rng.randint(2, 5)), date(2026, 12, 31))
                    person = _invent(rng, used, post, start, end)
                    self.by_country[country.name].append(person)
                    start = day = end + timedelta(days=1)

    def holders(self, country: str, on: date) -> list[Person]:
        return [p for p in self.by_country[country] if p.start <= on <= p.end]

    def people(self) -> list[Person]:
        return [p for people in self.by_country.values() for p in people]


def _posts(country: Country, rng: random.Random) -> list[Post]:
    posts = [
        Post(role, template.format(formal=country.formal, name=country.name), country.name)
        for role, template in EXECUTIVE_ROLES
    ]
    posts.append(
        Post(
            country.head_of_parliament,
            f"{country.head_of_parliament} of the {country.parliament}",
            country.name,
            country.parliament,
        )
    )
    deputy = f"Deputy Speaker of the {country.parliament}"
    posts.append(Post("Deputy Speaker", deputy, country.name, country.parliament))
    if country.upper_chamber:
        chair = f"Chair of the {country.upper_chamber}"
        posts.append(Post("Chair", chair, country.name, country.upper_chamber))
    # Ambassadors to a few partners, chosen per country so the roster does not depend on corpus size.
    for partner in rng.sample([c for c in COUNTRIES if c.name != country.name], 4):
        posts.append(
            Post(
                "Ambassador",
                f"Ambassador of {country.name} to {partner.name}",
                country.name,
                accredited_to=partner.name,
            )
        )
    return posts


def _invent(rng: random.Random, used: set[str], post: Post, start: date, end: date) -> Person:
    while True:
        female = rng.random() < 0.35
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        surname = rng.choice(SURNAMES)
        if female and surname.endswith(("ov", "ev", "in")):
            surname += "a"
        if f"{given} {surname}" not in used:
            used.add(f"{given} {surname}")
            return Person(given, surname, female, post, start, end)


# Country weights: a few countries are in the news far more often, so some people are busy (the
# lookups of the query benchmark need a person with many events, as real corpora have).
def _weights() -> list[float]:
    return [1.0 / (rank + 1) ** 0.8 for rank in range(len(COUNTRIES))]


_ROSTERS: dict[int, Roster] = {}


def roster(seed: int) -> Roster:
    if seed not in _ROSTERS:
        _ROSTERS[seed] = Roster(seed)
    return _ROSTERS[seed]


def generate(n: int, seed: int = 0) -> Iterator[GeneratedArticle]:
    """``n`` articles; article ``i`` depends only on ``(seed, i)``."""
    people = roster(seed)
    for index in range(n):
        yield _article(index, seed, people)


def write_corpus(n: int, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write ``n`` articles as ``<stem>.txt`` files (the format of data/docs/); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in generate(n, seed):
        path = out_dir / f"{article.stem}.txt"
        path.write_text(article.text, encoding="utf-8")
        paths.append(path)
    return paths


def _day_text(day: date, rng: random.Random, with_year: bool) -> str:
    month = MONTHS[day.month - 1]
    if not with_year:
        return f"{day.day} {month}"
    return f"{month} {day.day}, {day.year}" if rng.randrange(3) == 0 else f"{day.day} {month} {day.year}"


def _pick_pair(rng: random.Random, people: Roster, on: date) -> tuple[Country, Country, Person, Person]:
    host, guest = rng.choices(COUNTRIES, weights=_weights(), k=2)
    while guest.name == host.name:
        guest = rng.choices(COUNTRIES, weights=_weights())[0]
    host_people = [p for p in people.holders(host.name, on) if p.post.role != "Ambassador"]
    guest_people = people.holders(guest.name, on)
    envoys = [p for p in guest_people if p.post.accredited_to == host.name]
    if envoys and rng.random() < 0.3:
        guest_person = envoys[0]
    else:
        guest_person = rng.choice([p for p in guest_people if p.post.role != "Ambassador"])
    # Like meets like most of the time: heads of parliament meet heads of parliament, and so on.
    same = [p for p in host_people if p.post.role == guest_person.post.role]
    host_person = rng.choice(same) if same and rng.random() < 0.6 else rng.choice(host_people)
    return host, guest, host_person, guest_person


def _fields(prefix: str, person: Person) -> dict[str, str]:
    subject, possessive = person.pronoun
    return {
        prefix: person.name,
        prefix + "T": person.post.label,
        prefix + "R": person.post.role,
        prefix + "S": person.honorific,
        prefix + "P": subject,
        prefix + "Pos": possessive,
    }


OPENINGS = {
    "Meeting": (
        "{HT} {H} met with {GT} {G} in {CITY} on {DATE}.",
        "{HT}, {H} had a meeting on {DATE} with the {GT}, {G}, {AGENCY}.",
        "{GT} {G}, who is in {HC} on an official visit, met with {HT} {H} on {DATE}.",
        "On {DATE}, {HT} {H} received {GT} {G} in {CITY}.",
    ),
    "Talks": ("{HT} {H} and {GT} {G} held talks in {CITY} on {DATE}.",),
    "PhoneCall": ("{HT} {H} had a telephone conversation with {GT} {G} on {DATE}.",),
}
VISIT_OPENING = "{GT} {G} arrived in {CITY} on {DATE} on {VISIT_A} to {HC}."
VISIT_MEETING = (
    "During the visit, {GS} met with {HT} {H}.",
    "As part of the visit, {G} held talks with {HT} {H} in {CITY}.",
)
VISIT_SECOND = (
    "{GS} also met with {XT} {X} on the same day.",
    "Later, {G} was received by {XT} {X}.",
)
BODY = (
    "{HS} welcomed the {GD} delegation and noted the high level of relations between {HC} and {GC}.",
    "The sides discussed cooperation in {T1}, {T2} and {T3}.",
    "{G} highlighted the significance of the visit for the further strengthening of bilateral ties.",
    "The {GD} {GR} expressed {GPos} country's keen interest in expanding cooperation with {HC} in {T1}.",
    "Speaking about inter-parliamentary ties, {HS} emphasized the role of the friendship groups in both "
    "parliaments.",
    "{GS} stressed that {GC} regards {HC} as a reliable partner in the region.",
    "The sides also touched upon cooperation within {ORG}.",
    "{HS} noted that trade between the two countries grew by {PCT} percent last year.",
    "It was noted that the intergovernmental commission will hold its next session in {GCAP} in {MONTH}.",
    "{H} recalled {HPos} earlier meeting with {GS} in {GCAP}.",
    "The {HR} underlined the importance of mutual support within international organisations.",
    "{GS} invited {HS} to visit {GC} at a convenient time, and the invitation was accepted with gratitude.",
    "During the meeting, the parties stressed the potential for joint projects in {T2} and {T3}.",
    "{HS} briefed the guest on the reforms under way in {HC} and on the priorities of its foreign policy.",
    "According to {GS}, the two nations are bound together by shared cultural and historical roots.",
    "The {HD} side expressed satisfaction with the dynamic development of relations in {T1}.",
    "{G} conveyed the greetings of {LT} {L} to the leadership of {HC}.",
    "{HP_cap} said that the documents signed by the two states provide a solid legal foundation for the "
    "interaction.",
    "The guest praised the hospitality of the {HD} side and the warm reception in {CITY}.",
    "{HS} and {GS} agreed to intensify contacts between the relevant ministries and agencies.",
    "The {GD} guest congratulated {HC} on its successful chairmanship of {ORG} and wished it further "
    "success.",
    "Touching upon regional issues, {GS} said that dialogue and respect for international law remain the "
    "only path to lasting peace.",
    "{HS} pointed to the growing number of joint ventures and the importance of creating favourable "
    "conditions for investors from {GC}.",
    "Both sides underlined that regular high-level contacts give a strong impetus to the development of "
    "cooperation in {T2}.",
    "The {HR} of {HC} thanked {GS} for the support of {GC} on the international stage.",
)
CLOSINGS = (
    "The sides exchanged views on other issues of mutual interest.",
    "At the end of the meeting, the sides exchanged opinions on regional and international issues.",
    "The meeting was also attended by members of the {HPARL}.",
)


def _article(index: int, seed: int, people: Roster) -> GeneratedArticle:
    rng = random.Random(f"article:{seed}:{index}")
    day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    host, guest, h, g = _pick_pair(rng, people, day)
    kind = rng.choices(("Meeting", "Talks", "PhoneCall", "Visit"), weights=(50, 15, 10, 25))[0]
    topic_picks = rng.sample(TOPICS, 3)
    guest_leader = next(p for p in people.holders(guest.name, day) if p.post.role == "President")
    city = host.capital if rng.random() < 0.8 or not host.cities else rng.choice(host.cities)
    values = {
        **_fields("H", h),
        **_fields("G", g),
        "HP_cap": h.pronoun[0].capitalize(),
        "HC": host.name,
        "GC": guest.name,
        "HD": host.demonym,
        "GD": guest.demonym,
        "GCAP": guest.capital,
        "CITY": city,
        "HPARL": host.parliament,
        "DATE": _day_text(day, rng, with_year=rng.random() < 0.4),
        "AGENCY": rng.choice(AGENCIES),
        "ORG": rng.choice(ORGANISATIONS),
        "PCT": str(rng.randint(5, 60)),
        "MONTH": rng.choice(MONTHS),
        "T1": topic_picks[0][0],
        "T2": topic_picks[1][0],
        "T3": topic_picks[2][0],
        "L": guest_leader.name,
        "LT": "President",
        "VISIT_A": "",
    }
    topic_ids = tuple(dict.fromkeys(t[1] for t in topic_picks))
    sentences: list[str] = []
    events: list[GeneratedEvent] = []
    named = [h, g, guest_leader]

    def event(type_: str, who: tuple[Person, ...], parent: int | None = None) -> None:
        events.append(
            GeneratedEvent(
                type=type_,
                participants=tuple(p.name for p in who),
                date=day.isoformat(),
                place=None if type_ == "PhoneCall" else city,
                country=host.name,
                host_country=host.name,
                guest_country=guest.name,
                topics=topic_ids,
                sentence=len(sentences) - 1,
                parent=parent,
            )
        )

    if kind == "Visit":
        visit_type = "StateVisit" if g.post.role == "President" and rng.random() < 0.5 else "OfficialVisit"
        values["VISIT_A"] = "a state visit" if visit_type == "StateVisit" else "an official visit"
        sentences.append(VISIT_OPENING.format(**values))
        event(visit_type, (g,))
        sentences.append(rng.choice(VISIT_MEETING).format(**values))
        event("Meeting", (g, h), parent=0)
        others = [p for p in people.holders(host.name, day) if p is not h and p.post.role != "Ambassador"]
        if others and rng.random() < 0.6:
            x = rng.choice(others)
            values.update({"X": x.name, "XT": x.post.label})
            sentences.append(rng.choice(VISIT_SECOND).format(**values))
            event("Meeting", (g, x), parent=0)
            named.append(x)
    else:
        sentences.append(rng.choice(OPENINGS[kind]).format(**values))
        event(kind, (h, g))
    body = rng.sample(BODY, rng.randint(12, 18))
    sentences.extend(s.format(**values) for s in body)
    sentences.append(rng.choice(CLOSINGS).format(**values))
    paragraphs = _paragraphs(len(sentences), rng, first=len(sentences) - len(body) - 1)
    title, header = _header(rng, day, h, g, host)
    stem = f"gen{seed}_{index:06d}"
    return GeneratedArticle(index, stem, day, title, header, sentences, paragraphs, named, events)


def _paragraphs(count: int, rng: random.Random, first: int) -> list[list[int]]:
    """The opening (event) sentences form the first paragraph; then paragraphs of 1-3 sentences."""
    paragraphs = [list(range(first))]
    i = first
    while i < count:
        size = rng.randint(1, 3)
        paragraphs.append(list(range(i, min(count, i + size))))
        i += size
    return paragraphs


def _header(rng: random.Random, day: date, h: Person, g: Person, host: Country) -> tuple[str | None, str]:
    """The page furniture before the body, in one of the seeds' three shapes."""
    style = rng.randrange(3)
    if style == 0:
        return None, f" date {day.isoformat()} + ↺ − 16 px\n\n"
    if style == 1:
        title = f"{h.post.label} {h.name} Meets {g.post.label} {g.name}"
        clock = f"{rng.randint(8, 22):02d}:{rng.randrange(60):02d}"
        return title, f"{title}\n\n{day.day} {MONTHS[day.month - 1]} {day.year} | {clock}   \n\n"
    place = f"{host.capital.upper()}, {host.name}, {MONTHS[day.month - 1]} {day.day}. "
    return None, f" date {day.isoformat()} {place}"
