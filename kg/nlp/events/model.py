"""What kg_events reads an article into: mentions (one trigger, read into who / when / where) and
clusters (the mentions of one occasion)."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from kg.nlp.events.keys import FAMILIES
from kg.nlp.events.rules import Rule
from kg.read.dates import more_precise


@dataclass
class Mention:
    """One trigger in one sentence, read into who / when / where."""

    rule: Rule
    trigger: Token
    anchor: Token  # the token whose clause holds the participants (the light verb for a noun)
    sent_index: int
    persons: list[str] = field(default_factory=list)
    date: str | None = None
    place: str | None = None
    destination: str | None = None  # visits: where to (a place, institution or country key)
    intent: bool = False
    current: bool = False
    recalled: bool = False  # an earlier occasion the text looks back on ("had met", "their last meeting")
    shifted: bool = False  # dated "a day earlier", "the next day": another day than the one told so far
    told_on: str | None = None  # the day of the report it is told in ("X yesterday said"), when undated
    join: bool = False
    generic: bool = False  # a bare plural ("MPs exchange visits"): no one occasion to refer back to
    separate: bool = False  # "held separate meetings with A and B": one meeting per guest
    hosts: list[str] = field(default_factory=list)  # who the subject is: the one at every meeting
    open_subject: bool = False  # the subject is "he" / "the leader": hosts found by looking back
    # "her visit to X in May, where she met Y": the visit (token index) a mention is told within;
    # such a meeting is another occasion than the article's own with the same people.
    within_visit: int | None = None
    background: bool = False  # an example of what the sentence before sums up ("has been building ties")

    @property
    def is_frame(self) -> bool:
        """A visit to a country or city frames what happens during it; a visit to an institution
        is itself the occasion ("visited the parliament") and is read as an encounter."""
        return self.rule.kind == "visit" and not (self.destination or "").startswith("institution:")

    @property
    def family(self) -> str:
        if self.rule.kind == "visit":
            return "visit" if self.is_frame else "encounter"
        return FAMILIES.get(self.rule.type, "encounter")


@dataclass
class Cluster:
    """Mentions of one occasion in one article."""

    mentions: list[Mention]
    persons: list[str] = field(default_factory=list)
    key: str = ""
    date: str | None = None
    parent: Cluster | None = None

    @property
    def family(self) -> str:
        return self.mentions[0].family

    @property
    def last(self) -> int:
        return max(m.trigger.i for m in self.mentions)

    def own_date(self) -> str | None:
        found = None
        for mention in self.mentions:
            found = more_precise(found, mention.date)
        return found

    def add(self, mention: Mention) -> None:
        self.mentions.append(mention)
        self.persons += [p for p in mention.persons if p not in self.persons]


def all_are(cluster: Cluster, flag: str) -> bool:
    return all(getattr(m, flag) for m in cluster.mentions)


def undated_news(cluster: Cluster) -> bool:
    """An occasion the news reports as such: not only planned, not only recalled."""
    return not all_are(cluster, "intent") and not all_are(cluster, "recalled")
