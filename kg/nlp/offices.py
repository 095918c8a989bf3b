"""Stage kg_offices: who holds which office -> doc._.kg_office_holdings (dicts shaped like OfficeHolding).

An office is read from a TITLE span (kg_mentions) and normalised to a role users name it by (one
"Foreign Minister" for every foreign-minister form; Speaker, Chair, Chairman or Chairperson as the text
writes it, one holding per post and article; a portfolio the role list does not know as written) with
its institution or country: an office of a parliament has the parliament's country, an office of an
international body none; an envoy is accredited to a country or an organisation.
A title belongs to a person when it stands right before the name ("Speaker of the Milli Majlis X",
"Ambassador of A to B, X"), after it in apposition ("X, Speaker of ..."; not when the title heads a
clause: "X, the President said"), is coordinated or stacked with such a title ("Deputy Chair of ...
and Leader of ... X", "AU Chairman President X"), is a plural title before a list ("Cabinet
Secretaries A, B and C"), is "his <demonym> counterpart" of a holder (the possessor: the subject, the
name before "and his counterpart", or for "He"/"She" the last person who was a sentence's subject),
is "his deputy" of a head (Vice President, Deputy Prime Minister), follows a relative clause or verb
("A, who had served as ...": former; "A serves as ..."), follows "as" in the holder's own phrase
("A's first trips as president of Brazil", "congratulated A on her election as ..."), or is a
reference kg_resolve resolved ("the President of Kazakhstan"), or is the subject of "be" whose
complement is the name ("The last Chilean head of state to visit Peru was X": former). A title
after the name that is a possessor ("A, the Foreign Minister's spokesman") or of a lower-case body
is no post of the name.
The country of a post the text names bare comes from "X of Chile" after the name, the dateline, or
the sentences around it (_infer_head_countries), only where the text supports it: the side he is on
("accompanied by", "on the Chilean side", "was received by" in a visit to Chile, the host of a
visiting delegation), a title with a country and no name about him ("the ousted Chilean
president"), the country an article is about (its cities count), the city or seat of government
where he holds a meeting with the other side (_country_of_venue). A portfolio minister's post is
also in his country's ministry; a body the gazetteer does not know, named in full, is an
institution of its own (_institution_of_body). Each holding is
attested by the article's date; "former", "ex-", "ousted" and "First President" mark it former.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import asdict
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.common.names import key_slug
from kg.nlp.facts import Evidence, Office
from kg.nlp.lexicon import Entry, Lexicon, lexicon, norm_token
from kg.nlp.mentions import BODY_HEADS, COMMITTEE_WORDS, SPANS_KEY, text_of, texts_of
from kg.read.dates import MONTHS

# Roles whose country can be read from the article when the title alone does not say it.
HEAD_GROUPS = ("head_of_state", "head_of_government")
# Titles that name any holder of their group's posts ("the Head of State" is the President or the King):
# they point at a person but attest no post of their own.
GENERIC_HEADS = frozenset({"Head of State", "Head of Government"})
# Posts of a country's government or parliament, named bare in its own news ("President X").
NATIONAL_GROUPS = frozenset(
    {
        "head_of_state",
        "deputy_head_of_state",
        "head_of_government",
        "deputy_head_of_government",
        "crown_prince",
        "minister",
        "deputy_minister",
        "presiding",
        "deputy_presiding",
        "member",
        "assistant",
        "adviser",
    }
)
# Abbreviated courtesy titles before a name in a list ("Amb. A (Energy), Amb. B").
COURTESY_ABBREVIATIONS = frozenset({"Amb", "Amb.", "Hon", "Hon."})
# Posts in a legislature.
LEGISLATIVE_GROUPS = ("member", "presiding", "deputy_presiding", "committee_chair")
# Which of a person's posts "his counterpart" means: the most senior one.
COUNTERPART_ORDER = {
    g: n
    for n, g in enumerate(["head_of_state", "head_of_government", "crown_prince", "minister", "presiding"])
}
# "A, who is also the Foreign Minister of Chile, ...": a relative clause names the post; a past one
# ("who had served as") a former post (see PAST_RULES).
RELATIVE_CLAUSES = (
    (("who", "is", "also"), "offices.name_comma_title"),
    (("who", "is", "currently"), "offices.name_comma_title"),
    (("who", "is", "now"), "offices.name_comma_title"),
    (("who", "is"), "offices.name_comma_title"),
    (("who", "serves", "as"), "offices.name_comma_title"),
    (("who", "also", "serves", "as"), "offices.name_comma_title"),
    (("who", "had", "served", "as"), "offices.name_comma_former_title"),
    (("who", "served", "as"), "offices.name_comma_former_title"),
    (("who", "was", "previously"), "offices.name_comma_former_title"),
    (("who", "was"), "offices.name_comma_former_title"),
)
PAST_RULES = frozenset({"offices.name_comma_former_title", "offices.title_was_name"})
# Marks that open an apposition after a name, as a comma does.
APPOSITION_MARKS = ("(", "–", "—", "-")
# "A serves as chair of the Standing Committee": the verb names the post.
SERVES_AS = (("serves", "as"), ("also", "serves", "as"), ("currently", "serves", "as"))
# A head of state's title after a chamber's name is its presiding officer's (group -> group).
PRESIDED_GROUPS = {
    "head_of_state": "presiding",
    "deputy_head_of_state": "deputy_presiding",
}
# "the country's <title>": a post of the country the article is about.
OWN_COUNTRY = (["country", "'s"], ["country", "’s"], ["nation", "'s"], ["nation", "’s"])
# "A was elected as Speaker": verbs of taking a post before "as".
APPOINTED = frozenset({"elected", "appointed", "named", "sworn", "reappointed", "re-elected", "confirmed"})
# Words that join two titles of one person ("Deputy Prime Minister & Coordinating Minister").
AND = ("and", "&")
# Pronouns that may stand for the holder who owns "his counterpart".
PRONOUNS = frozenset({"he", "she"})
# "President A and his deputy B": the deputy post of a head's post (role, group).
DEPUTY_POSTS = {
    "head_of_state": ("Vice President", "deputy_head_of_state"),
    "head_of_government": ("Deputy Prime Minister", "deputy_head_of_government"),
}
# Nouns of a visiting side: "the German delegation", "a delegation from Peru".
VISITING_NOUNS = frozenset({"delegation", "delegations", "visitors", "guests"})
# Words between a country and its delegation ("the Ostrian parliamentary delegation").
DELEGATION_KINDS = frozenset(
    {"parliamentary", "government", "governmental", "congressional", "business", "trade"}
)
# Words before the members of a delegation ("the Ostrian delegation, including A and B").
MEMBERSHIP_WORDS = frozenset({"including", "included", "includes", "comprising", "comprised", "consisting"})
# How far into an article a dateline may stand (after a headline and a date line).
DATELINE_WINDOW = 400
# Roles that stay themselves before an unknown body ("President of the Chamber of Deputies").
KEEP_ROLE_OF_BODY = ("presiding", "deputy_presiding", "member", "head_of_state", "secretary_general")
# Groups whose roles are one post whatever the text calls it (Speaker, Chair, Chairman ...).
PRESIDING_GROUPS = ("presiding", "deputy_presiding")
# "... session of the General Assembly": the assembly whose sessions are numbered (the 78th, the 80th).
UN_SESSION = ["session", "of", "the", "general", "assembly"]
UN_GENERAL_ASSEMBLY = "institution:un-general-assembly"
# Words before a country that make it a topic of the talks, not a side of them ("statement on X").
TOPIC_WORDS = ("on", "about", "regarding", "concerning")
# Words of a sentence about a journey: its venue is the destination of someone, not the host's.
JOURNEY_WORDS = frozenset(
    {
        "visit", "visits", "visited", "visiting", "arrive", "arrives", "arrived", "arriving", "trip",
        "tour", "travel", "travels", "travelled", "traveled", "attend", "attends", "attended",
        "attending", "summit",
    }
)  # fmt: skip
# Words between the titles of one holder ("Deputy Prime Minister & Trade Minister", "the Emir's Adviser").
TITLE_JOINERS = ("&", "and", "the", ".", "'s", "’s")


@Language.factory("kg_offices", assigns=["doc._.kg_office_holdings"], requires=["doc.spans"])
def make_offices(nlp: Language, name: str) -> OfficeReader:
    return OfficeReader()


class OfficeReader:
    def __init__(self) -> None:
        self.lex = lexicon()

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_office_holdings = read_holdings(doc, self.lex)
        return doc


def role_noun(role: str) -> str:
    """The noun a text uses for a holder of ``role`` ("the minister", "the two presidents"): the
    role's first word, or "minister" for a minister named by portfolio ("Foreign Minister",
    "Tourism Minister"; a Prime or Deputy Minister keeps its first word)."""
    words = role.split(" of ")[0].split(" for ")[0].split()
    if words[-1] == "Minister" and words[0] not in ("Prime", "Deputy", "Vice", "First"):
        return "minister"
    return words[0].lower()


# --- reading one title ----------------------------------------------------------------------------


def parse_title(title: Span, lex: Lexicon, gazetteer: list[Span], texts: list[str] | None = None) -> dict:
    """A TITLE span -> {office: Office fields, former, group, rule}. ``texts``: the doc's token texts,
    when the caller has them (building them again for every title was a hot spot)."""
    doc = title.doc
    texts = texts if texts is not None else texts_of(doc)
    rec = lex.role_records.get(title.id_, {"role": title.text, "group": "other", "id": title.id_})
    role_start = role_end = title.start
    written = title.kb_id_.split(":") if title.kb_id_.startswith("written:") else None
    if written:
        # A portfolio kg_mentions kept as written ("Minister of Trade and Investment").
        role_start, role_end = int(written[1]), int(written[2])
    for i in range(title.start, title.end):
        hit = None if written else lex.roles.match_at(texts, i, title.end)
        if hit and hit[1].rule == title.id_:
            role_start, role_end = i, i + hit[0]
            break
    # Not a name inside the role's own words ("Foreign and Commonwealth Secretary").
    inside = [
        s
        for s in gazetteer
        if s.start >= title.start and s.end <= title.end and not role_start <= s.start < role_end
    ]
    complement, body_end = _complement(title, role_end, inside)
    if complement:
        # "Leader of its Working Group for ... with Kazakhstan": the remit names no post's country; "its"
        # is the body named last before the title in the same sentence. "Chief of Defence Staff
        # of Chile": a country after the body is the post's.
        inside = [s for s in inside if s.end <= role_start or s.start > body_end or _demonym(s)]
        if title.doc[role_end + 1].text.lower() == "its":
            before = [
                s
                for s in gazetteer
                if s.label_ == "INSTITUTION" and title.sent.start <= s.start < title.start
            ]
            inside += before[-1:]
    institution = country = accredited = building = None
    for s in inside:
        before = texts[s.start - 1].lower() if s.start > title.start else ""
        before2 = texts[s.start - 2].lower() if s.start - 1 > title.start else ""
        to = before == "to" or (before in ("the",) and before2 == "to")
        envoy = rec["group"] in ("ambassador", "special_representative")
        # "the UN's special envoy for Syria": the country of his mandate, not his own.
        to = to or (envoy and before == "for" and s.label_ == "COUNTRY")
        if s.start >= role_end and to and s.label_ != "PLACE":
            accredited = s.kb_id_
        elif s.start >= role_end and envoy and (before == "in" or to):
            # "the Colombian Ambassador in Venezuela", "Consul General in Lyon", "Envoy to Cairo":
            # where he is posted.
            accredited = (
                s.kb_id_ if s.label_ == "COUNTRY" else (lex.places.get(s.kb_id_) or {}).get("country")
            )
        elif s.label_ == "INSTITUTION":
            # The body after "of" names the post; one before the role word only if nothing follows.
            if institution is None or s.start >= role_end:
                institution = s.kb_id_
        elif s.label_ == "COUNTRY" and (country is None or s.start >= role_end):
            country = s.kb_id_
        elif s.label_ == "PLACE" and country is None and "of" in (before, before2) and s.start >= role_end:
            # "Crown Prince of Abu Dhabi": the post is of the place's country; "Commandant of the
            # Elysee Palace": of a building, named in the label.
            place = lex.places.get(s.kb_id_) or {}
            if before == "of" or place.get("subtype") == "Building":
                country = place.get("country")
                building = place["name"] if place.get("subtype") == "Building" else None
    if institution is None and [t.lower() for t in texts[title.end - 5 : title.end]] == UN_SESSION:
        # "President of the 78th session of the General Assembly": numbered sessions are the UN's.
        institution = UN_GENERAL_ASSEMBLY
    if complement and country and institution is None:
        # "Ostrian Speaker of the House of Representatives": the body its country calls so.
        institution = _country_body(title.doc[role_end + 1 : title.end], country, lex)
        complement = None if institution else complement
    if institution is None and rec.get("institution"):
        # "Congressman": the role itself says which body.
        institution = rec["institution"]
    inst = lex.institutions.get(institution or "")
    if inst and inst.get("country"):
        country = inst["country"]
    former = False
    prefix = ""
    for i in range(title.start, role_start):
        hit = lex.modifiers.match_at(texts, i, role_start)
        if hit:
            mod = lex.modifier_records[hit[1].rule]
            only = mod.get("only_groups")
            if only and rec["group"] not in only:
                continue
            former = former or bool(mod.get("former"))
            if mod.get("names_role"):
                # "First President", "Coordinating Minister": a title of its own.
                prefix = " ".join(texts[i : i + hit[0]]).title() + " "
    if rec["group"] in PRESIDED_GROUPS and _chamber_word_before(texts, title.start, role_start, inside):
        # "Senate President A": the chamber's presiding officer, not a head of state.
        rec = {**rec, "group": PRESIDED_GROUPS[rec["group"]]}
    if rec["group"] == "head" and (inst or {}).get("subtype") in ("Parliament", "Chamber") and not complement:
        # "Head of the House of Representatives": its presiding officer, by the chamber's own title.
        rec = {**rec, "group": "presiding", "by_institution": True}
    role = _normal_role(rec, inst)
    if rec.get("portfolio") and not written:
        # "the spokesperson for the Foreign Ministry": the role word as the text has it.
        role = " ".join(texts[role_start:role_end]).title()
    if written:
        role = " ".join(texts[role_start:role_end])
        role = role[:1].upper() + role[1:]
    if rec.get("as_written"):
        role = _as_written(texts, role_start, role_end, title.end)
    role = prefix + role
    label = _label(role, lex, institution, country, accredited, rec["group"])
    if building and institution is None:
        label = f"{role} of the {building}"
    if complement and rec["group"] in KEEP_ROLE_OF_BODY:
        # "Speaker of the House of Representatives" (a chamber the gazetteer does not know): a Speaker.
        label = f"{role} of the {complement}" + (f" of {lex.name_of(country)}" if country else "")
    elif complement:
        # The role words as written ("Press Officer of the ...", not "Press of the ...").
        words = doc[role_start:role_end].text
        the = "the " if texts[role_end + 1].lower() in ("the", "its", "his", "her", "their") else ""
        role = f"{words[:1].upper()}{words[1:]} of {the}{complement}"
        label = _label(role, lex, institution, country, accredited, rec["group"])
    office = Office(
        role=role,
        label=label,
        institution=institution,
        country=country,
        accredited_to=accredited,
        body=complement if complement and rec["group"] in KEEP_ROLE_OF_BODY else None,
    )
    return {
        "office": asdict(office),
        "former": former,
        "group": rec["group"],
        "rule": title.id_,
        "body": complement,  # a body the gazetteer does not know: the post is of it, not of a country
    }


def _country_body(words: Span, country: str, lex: Lexicon) -> str | None:
    """The institution of ``country`` a generic body noun names ("the National Assembly")."""
    phrase = tuple(norm_token(t.text) for t in words if t.lower_ not in ("the", "its"))
    keys = [
        k
        for k in lex.generic_nouns.get(phrase, [])
        if (lex.institutions.get(k) or {}).get("country") == country
    ]
    return keys[0] if len(keys) == 1 else None


def _chamber_word_before(texts: list[str], start: int, role_start: int, inside: list[Span]) -> bool:
    """A chamber's generic noun before the role word ("Senate President"), or a chamber the
    gazetteer knows ("Chilean Senate President")."""
    if any(s.label_ == "INSTITUTION" and s.end == role_start for s in inside):
        return True
    return role_start > start and texts[role_start - 1].lower() in BODY_HEADS


def _as_written(texts: list[str], start: int, end: int, title_end: int) -> str:
    """A post named by its remit, kept as written ("Chief of Staff to the President", "Special
    Aide for International Affairs"): the role words and a remit after 'for'/'on'."""
    if end < title_end and texts[end].lower() in ("for", "on"):
        end += 1
        while end < title_end and (texts[end][:1].isupper() or texts[end].lower() in ("and", "&")):
            end += 1
    small = {"of", "to", "the", "for", "on", "and"}
    return " ".join(w if w in small else w[:1].upper() + w[1:] for w in texts[start:end])


def _normal_role(rec: dict, inst: dict | None) -> str:
    """The role as the record names it; a title that names no role of its own ("Head of Parliament")
    takes the institution's name for its presiding officer."""
    if rec.get("by_institution"):
        return (inst or {}).get("presiding_role") or rec["role"]
    return rec["role"]


def _complement(title: Span, role_end: int, inside: list[Span]) -> tuple[str | None, int]:
    """'of its Working Group for ...': the body a title names when the gazetteer does not know it,
    and where it ends: before a country it is 'of' ("Chief of Defence Staff of Chile")."""
    if role_end >= title.end or title.doc[role_end].text.lower() != "of":
        return None, title.end
    start = role_end + 1
    named = [s for s in inside if s.start in (start, start + 1)]
    # "of the Georgian Diocese": a demonym then a body the gazetteer does not know is that body;
    # so is "the Mazhilis Committee on ...": a committee of the chamber, not the chamber.
    body = named and named[0].end < title.end and title.doc[named[0].end].text in COMMITTEE_WORDS
    if named and not body and not (_demonym(named[0]) and named[0].end < title.end and len(inside) == 1):
        return None, title.end
    if title.doc[start].text.lower() in ("its", "the", "his", "her", "their"):
        start += 1
    end = title.end
    last = [s for s in inside if s.label_ == "COUNTRY" and s.end == title.end and s.start > start + 1]
    if last and title.doc[last[0].start - 1].text.lower() == "of":
        end = last[0].start - 1
    return title.doc[start:end].text or None, end


def _demonym(span: Span) -> bool:
    return span.label_ == "COUNTRY" and span.id_.endswith("#demonym")


def _label(role: str, lex: Lexicon, institution, country, accredited, group: str) -> str:
    if group in ("ambassador", "special_representative"):
        parts = [role]
        if country:
            parts.append(f"of {lex.name_of(country)}")
        if accredited:
            parts.append(f"to {lex.name_of(accredited)}")
        return " ".join(parts)
    if institution:
        return f"{role} of the {lex.name_of(institution)}"
    if country:
        return f"{role} of {lex.name_of(country)}"
    return role


# --- which title belongs to which person ----------------------------------------------------------


def attach_titles(doc: Doc, lex: Lexicon, spans: list[Span]) -> list[tuple[Span, Span, str]]:
    """(title, person name, rule) for every title the text gives a named person."""
    texts = texts_of(doc)
    titles = [s for s in spans if s.label_ == "TITLE"]
    persons = [s for s in spans if s.label_ == "PERSON" and s.id_.startswith("mentions.person")]
    by_end = {t.end: t for t in titles}
    by_start = {t.start: t for t in titles}
    out: list[tuple[Span, Span, str]] = []
    used: set[int] = set()
    listed: set[int] = set()
    # "Cabinet Secretaries A (Energy), B and C": a plural title names each person of its list.
    starts_at = {p.start: p for p in persons}
    countries_at = {s.start: s for s in spans if s.label_ in ("COUNTRY", "INSTITUTION")}
    for title in titles:
        if not lex.role_records.get(title.id_, {}).get("plural"):
            continue
        k = title.end
        while k < len(doc):
            hon = lex.honorifics.match_at(texts, k)
            if hon:
                k += hon[0]
                if k < len(doc) and texts[k] == ".":
                    k += 1
            if k < len(doc) and texts[k] in COURTESY_ABBREVIATIONS:  # "Amb. A": a former envoy
                k += 2 if k + 1 < len(doc) and texts[k + 1] == "." else 1
            person = starts_at.get(k)
            if person is None:
                break
            out.append((title, person, "offices.plural_title_list"))
            listed.add(id(person))
            k = person.end
            country = _country_after(texts, k, countries_at)
            if country is not None:  # "Foreign Ministers A of Chile and B of Peru": each his own
                k = country.end
            if k < len(doc) and texts[k] == "(":  # "(National Treasury)": his portfolio
                while k < len(doc) and texts[k] != ")":
                    k += 1
                k += 1
            if k < len(doc) and texts[k] == ",":
                k += 1
            if k < len(doc) and texts[k].lower() == "and":
                k += 1
            if k == person.end:
                break
        used.add(title.start)
    for p in persons:
        start = p.start
        hon = lex.honorifics.match_ending(texts, start)
        # "Secretary-General Maria Lopes": the honorific "General" is the end of the title.
        if hon and start not in by_end:
            start -= hon[0]
        if id(p) in listed:
            continue
        title = by_end.get(start)
        if title is not None and title.start in used:
            title = None
        rule = "offices.title_before_name"
        if (
            title is not None
            and _bare(title, lex)
            and texts[title.start - 1] == ","
            and (title.start - 1) in by_end
        ):
            # "Minister of State for Trade, Ambassador Lara Bello": a bare "Ambassador" after a post is
            # the courtesy title of a former envoy; the post is the one before the comma.
            used.add(title.start)
            title, rule = by_end[title.start - 1], "offices.title_comma_name"
        if title is None and start >= 1 and texts[start - 1] in (",", "-", "–", ":"):
            # "Secretary-General, A", the stray dash of "Secretary-General- A", a list's "Speaker: A".
            title, rule = by_end.get(start - 1), "offices.title_comma_name"
        if title is None and start >= 3 and texts[start - 1] == "," and texts[start - 2] == ")":
            # "the president of the Republic of Chile (formerly a colony), A": an aside in brackets
            # between the title and the name.
            bracket = next((k for k in range(start - 3, max(start - 12, 0), -1) if texts[k] == "("), None)
            if bracket is not None:
                title, rule = by_end.get(bracket), "offices.title_comma_name"
        if title is not None and title.start in by_end and not _bare(by_end[title.start], lex):
            # "AU Chairman President Robert Moyo": two titles one after the other, both his.
            stacked = by_end[title.start]
            if _bare(title, lex):
                title = stacked
            else:
                out.append((stacked, p, "offices.stacked_titles"))
                used.add(stacked.start)
        if title is not None:
            out.append((title, p, rule))
            used.add(title.start)
            full = _same_title_before(texts, lex, title, by_end)
            if full is not None and full.start not in used:
                # "the Sultan of Oman, His Majesty Sultan A": the full title is his too.
                out.append((full, p, "offices.title_comma_name"))
                used.add(full.start)
            # "Deputy Chair of X and Leader of Y Z": both titles are Z's.
            prev = title
            while prev.start >= 2 and texts[prev.start - 1].lower() in AND and (prev.start - 1) in by_end:
                prev = by_end[prev.start - 1]
                out.append((prev, p, "offices.coordinated_titles"))
                used.add(prev.start)
    person_at = {i for p in persons for i in range(p.start, p.end)}
    for p in persons:
        country = _country_after(texts, p.end, countries_at)
        after_country = country is not None and country.end < len(doc) and texts[country.end].lower() == "who"
        k, rule = _after_name(texts, country.end if after_country else p.end)
        if rule:
            if k < len(doc) and texts[k].lower() in ("the", "a", "an"):
                k += 1
            if [t.lower() for t in texts[k : k + 2]] in OWN_COUNTRY:
                # "A, the country's vice president": the country is the article's (inferred later).
                k += 2
            title = by_start.get(k) or _title_after_description(texts, k, by_start, person_at)
            if title is not None and title.start not in used and not _not_an_apposition(doc, title):
                out.append((title, p, rule))
                used.add(title.start)
                # "A, Foreign Minister of Chile and Chair of the Council": both posts are hers.
                k = title.end
                while k + 1 < len(doc) and texts[k].lower() in AND and (k + 1) in by_start:
                    title = by_start[k + 1]
                    if title.start in used or _not_an_apposition(doc, title):
                        break
                    out.append((title, p, "offices.coordinated_titles"))
                    used.add(title.start)
                    k = title.end
    out += _titles_as(doc, [t for t in titles if t.start not in used], spans)
    out += _titles_are(doc, [t for t in titles if t.start not in used], persons)
    return out


def _titles_are(doc: Doc, titles: list[Span], persons: list[Span]) -> list[tuple[Span, Span, str]]:
    """'The last Chilean head of state to visit Peru was A', 'The new Foreign Minister is A': a title
    that is the subject of "be" whose complement is a name is that person's (former when "was")."""
    out: list[tuple[Span, Span, str]] = []
    for title in titles:
        root = title.root
        if root.dep_ != "nsubj" or root.head.lemma_ != "be":
            continue
        verb = root.head
        for attr in (c for c in verb.children if c.dep_ == "attr"):
            person = next((p for p in persons if p.start <= attr.i < p.end), None)
            if person is not None:
                rule = "offices.title_was_name" if verb.tag_ == "VBD" else "offices.title_is_name"
                out.append((title, person, rule))
    return out


def _titles_as(doc: Doc, titles: list[Span], spans: list[Span]) -> list[tuple[Span, Span, str]]:
    """'A's first visits as president of Brazil', 'A is in Moscow in his capacity as Foreign
    Minister', 'A was elected as Speaker': a title after 'as' in the subject's own phrase, after
    'capacity as/of' or after a verb of taking office, is the subject's post (not after 'received B
    as ...': that one is B's)."""
    texts = texts_of(doc)
    out: list[tuple[Span, Span, str]] = []
    for title in titles:
        k = title.start - (1 if title.start >= 1 and texts[title.start - 1].lower() in ("the", "a") else 0)
        before = [t.lower() for t in texts[max(k - 2, 0) : k]]
        if before[-1:] != ["as"] and before[-2:] != ["capacity", "of"]:
            continue
        owner = _possessor_of_phrase(title, spans)
        if owner is not None:
            out.append((title, owner, "offices.title_as"))
            continue
        subject = _subject_of(doc, title.start, spans)
        if subject is not None and ("capacity" in before or before[0] in APPOINTED):
            out.append((title, subject, "offices.title_as"))
    return out


def _possessor_of_phrase(title: Span, spans: list[Span]) -> Span | None:
    """'A's first trips as president': the person whose noun the 'as' phrase qualifies; for 'his'
    or 'her' ("congratulated A on her election as President"), the person named last before it."""
    token = title.root
    persons = [s for s in spans if s.label_ == "PERSON" and s.kb_id_]
    for _ in range(2):
        if token.dep_ != "pobj" or token.head.dep_ != "prep":
            return None
        token = token.head.head
        for child in token.children:
            if child.dep_ != "poss":
                continue
            if child.lower_ in ("his", "her"):
                before = [s for s in persons if child.sent.start <= s.start and s.end <= child.i]
                return max(before, key=lambda s: s.start, default=None)
            return next((s for s in persons if s.start <= child.i < s.end), None)
    return None


def _title_after_description(
    texts: list[str], k: int, by_start: dict[int, Span], person_at: set[int]
) -> Span | None:
    """'A, member of the Politburo and Chairman of the National Assembly': a description in lower
    case (no title the role list knows), then 'and' and a title; the title is A's."""
    if k >= len(texts) or not texts[k].isalpha() or not texts[k].islower():
        return None
    for j in range(k + 1, min(k + 9, len(texts) - 1)):
        if j in person_at or not (texts[j].isalpha() or texts[j] == "&"):
            return None
        if texts[j].lower() in AND and (j + 1) in by_start:
            return by_start[j + 1]
    return None


def _same_title_before(texts: list[str], lex: Lexicon, title: Span, by_end: dict[int, Span]) -> Span | None:
    """A title of the same role before a bare title, a comma and honorifics ("the Sultan of Oman,
    His Majesty Sultan A")."""
    if title.end - title.start != 1:
        return None
    j = title.start
    while (hon := lex.honorifics.match_ending(texts, j)) is not None:
        j -= hon[0]
    full = by_end.get(j - 1) if j < title.start and j >= 1 and texts[j - 1] == "," else None
    return full if full is not None and full.id_ == title.id_ else None


def _after_name(texts: list[str], k: int) -> tuple[int, str | None]:
    """Where a post named after a name (ending at ``k``) starts, and the rule that reads it:
    "A, Foreign Minister", a relative clause ("A, who is also the ..."), a past one ("A, who had
    served as ...": a former post) or a verb ("A serves as chair of ..."). No rule: none."""
    words = tuple(t.lower() for t in texts[k : k + 5])
    for shape in SERVES_AS:
        if words[: len(shape)] == shape:
            return k + len(shape), "offices.name_serves_as_title"
    if words[:1] and words[0] in APPOSITION_MARKS:
        # "A (Foreign Minister of Chile)", "A – the Foreign Minister of Chile –".
        return k + 1, "offices.name_bracket_title"
    comma = int(words[:1] == (",",))
    for shape, rule in RELATIVE_CLAUSES:
        # "A, who is ..." and, after "of <country>", "President A of Angola who is the Chair of ...".
        if words[comma : comma + len(shape)] == shape:
            return k + comma + len(shape), rule
    return (k + 1, "offices.name_comma_title") if comma else (k, None)


def _bare(title: Span, lex: Lexicon) -> bool:
    """A title that is only its role word, of an ambassador ("Ambassador", no country, no 'to')."""
    rec = lex.role_records.get(title.id_, {})
    return rec.get("group") == "ambassador" and title.end - title.start == 1


def _not_an_apposition(doc: Doc, title: Span) -> bool:
    """A title after a name that is not the name's post: it heads a clause ("..., the President
    said"), is a possessor ("A, the Foreign Minister's spokesman") or is of something the title
    did not read ("A, president of the local chess club", "A, President of Chile's largest bank")."""
    k = title.end
    after = doc[k].text.lower() if k < len(doc) else ""
    if after == "of":
        # "of the local chess club": a body in lower case is no state's or parliament's.
        k += 2 if k + 1 < len(doc) and doc[k + 1].lower_ in ("the", "a", "an", "its") else 1
        return k < len(doc) and doc[k].is_lower
    return _heads_a_clause(doc, title) or after in ("'s", "’s", "'")


def _heads_a_clause(doc: Doc, title: Span) -> bool:
    """'..., the President said': the title is the subject of a verb, not an apposition to the name."""
    k = title.end
    return k < len(doc) and doc[k].tag_ in ("VBD", "VBZ", "VBP", "MD")


# --- holdings of one article ----------------------------------------------------------------------


def _sentence_index(doc: Doc, start: int) -> int:
    """The index of the sentence starting at token ``start``. The starts are kept on the Doc (a
    plain list, so the Doc still crosses processes): every stage asks for evidence many times, and
    walking doc.sents each time was a hot spot."""
    starts = doc.user_data.get("kg_sentence_starts")
    if not starts:
        starts = [s.start for s in doc.sents]
        doc.user_data["kg_sentence_starts"] = starts
    return bisect_left(starts, start)


def evidence_for(doc: Doc, span: Span, rule: str) -> dict:
    sent = span.sent
    evidence = Evidence(
        article_id=doc._.kg_article_id or "",
        sentence_index=_sentence_index(doc, sent.start),
        start_char=span.start_char,
        end_char=span.end_char,
        # sent.text joins the sentence's tokens again (a Token object each); the text is sliced.
        sentence=text_of(doc)[sent.start_char : sent.end_char].strip(),
        rule=rule,
    )
    # Its fields are all str and int: a shallow dict is what asdict gives, without asdict's deep
    # copy of every field (dozens of evidence dicts an article).
    return dict(vars(evidence))


def read_holdings(doc: Doc, lex: Lexicon) -> list[dict]:
    spans = list(doc.spans.get(SPANS_KEY, []))
    gazetteer = [s for s in spans if s.label_ in ("COUNTRY", "INSTITUTION", "PLACE")]
    texts = texts_of(doc)
    found: list[tuple[str, dict, Span, str]] = []  # (person key, parsed title, evidence span, rule)
    countries_at = {s.start: s for s in gazetteer if s.label_ in ("COUNTRY", "INSTITUTION")}
    attached: set[int] = set()  # country mentions that follow a holder's name ("X of Chile")
    last: tuple[Span, dict] | None = None  # the title attached before, and its parse
    for title, person, rule in attach_titles(doc, lex, spans):
        if person.kb_id_:
            parsed = parse_title(title, lex, gazetteer, texts)
            parsed["former"] = parsed["former"] or rule in PAST_RULES
            if rule == "offices.coordinated_titles" and last is not None:
                _share_country(sorted([(title, parsed), last], key=lambda t: t[0].start), lex)
            last = (title, parsed)
            end = max(title.end, person.end)
            if rule in ("offices.title_before_name", "offices.plural_title_list"):
                after = _country_after(texts, person.end, countries_at)
                if after is not None and _takes_country(parsed):
                    # "President Ana Diaz of Chile", "Secretary General Ana Bors of the OSCE": the
                    # country or body follows the name.
                    _set_body(parsed, after, lex)
                    end = after.end
                    attached.add(after.start)
            found.append((person.kb_id_, parsed, doc[min(title.start, person.start) : end], rule))
    # References kg_resolve resolved ("the President of Kazakhstan") attest the office too.
    titles = [s for s in spans if s.label_ == "TITLE"]
    for ref in spans:
        if ref.label_ != "PERSON" or not ref.kb_id_ or not ref.id_.startswith("resolve.reference"):
            continue
        for title in titles:
            if not (title.start >= ref.start and title.end <= ref.end):
                continue
            parsed = parse_title(title, lex, gazetteer, texts)
            if parsed["office"]["role"] not in GENERIC_HEADS:
                found.append((ref.kb_id_, parsed, ref, "offices.resolved_reference"))
    found += _counterparts(doc, spans, found, gazetteer, lex)
    found += _deputies(doc, spans, found, lex)
    _country_of_companions(doc, found, spans, lex)
    _country_of_coordinated(doc, found, lex)
    _country_of_sides(doc, found, gazetteer, lex)
    _country_of_unnamed_titles(doc, found, spans, gazetteer, lex)
    # Countries a visiting side comes from: three of the rules below keep them off the host's posts.
    visitors = _visitor_countries(gazetteer, texts)
    _infer_head_countries(doc, found, gazetteer, lex, attached, visitors)
    _country_of_venue(doc, found, gazetteer, lex, visitors)
    _country_of_a_list(doc, found, lex)
    _country_of_companions(doc, found, spans, lex)
    _host_country(found, visitors, lex)
    holdings: dict[tuple, dict] = {}
    # One presiding post written two ways ("Speaker" and "Chairman" of one chamber, for one person) is
    # one holding, in the form the text uses first.
    # So is a portfolio written two ways ("Minister of Tourism", "the Tourism Minister").
    _legislature_from_article(doc, found, gazetteer, lex)
    _chamber_of_role(found, lex)
    _institution_of_body(found, lex)
    first_form: dict[tuple, str] = {}
    for person, parsed, _, _ in sorted(found, key=lambda f: f[2].start):
        post = _post(person, parsed)
        if post is not None:
            first_form.setdefault(post, parsed["office"]["role"])
    for person, parsed, span, rule in found:
        if _subsumed(person, parsed, found):
            continue
        post = _post(person, parsed)
        if post is not None and first_form[post] != parsed["office"]["role"]:
            continue
        key = (person, Office(**parsed["office"]).key, parsed["former"])
        ev = evidence_for(doc, span, rule)
        if key in holdings:
            holdings[key]["evidence"].append(ev)
            continue
        holdings[key] = {
            "person": person,
            "office": parsed["office"],
            "former": parsed["former"],
            "attested": doc._.kg_published,
            "evidence": [ev],
        }
    return list(holdings.values())


def _post(person: str, parsed: dict) -> tuple | None:
    """What makes two forms of a title one post: the presiding group, or a minister's portfolio."""
    o = parsed["office"]
    if parsed["group"] in PRESIDING_GROUPS:
        kind = parsed["group"]
    elif parsed["group"] == "minister":
        words = o["role"].lower().split()
        if words[:2] in (["minister", "of"], ["minister", "for"]):
            words = words[2:]
        elif words[-1:] == ["minister"]:
            words = words[:-1]
        kind = " ".join(words)
    else:
        return None
    return (person, kind, o["institution"], o["country"], parsed["former"])


# The first words of the generic nouns of each lexicon: a capitalised word that opens none is not
# looked up three times over.
_generic_firsts: dict[int, frozenset[str]] = {}


def _legislature_from_article(
    doc: Doc, found: list[tuple[str, dict, Span, str]], gazetteer: list[Span], lex: Lexicon
) -> None:
    """'Sungai Lama MP A' in an article that names one legislature of his country (the Dewan Rakyat,
    or "the National Assembly" in an article that gives him his country): a member's or presiding
    officer's post is in it."""
    keys = {s.kb_id_ for s in gazetteer if s.label_ == "INSTITUTION"}
    texts = texts_of(doc)
    named = {i for s in gazetteer for i in range(s.start, s.end)}
    noun_at: dict[int, tuple[int, set[str]]] = {}  # a generic noun's start -> its end, its bodies
    firsts = _generic_firsts.get(id(lex))
    if firsts is None:
        firsts = _generic_firsts[id(lex)] = frozenset(phrase[0] for phrase in lex.generic_nouns)
    for i, word in enumerate(texts):
        # Bodies named by a generic noun alone ("National Assembly Chairman X"), of every country;
        # not the noun of a body named in full ("the US Senate").
        if not word[:1].isupper() or i in named or norm_token(word) not in firsts:
            continue
        for n in (3, 2, 1):
            words = texts[i : i + n]
            phrase = tuple(norm_token(t) for t in words)
            if len(words) == n and phrase in lex.generic_nouns and all(t[:1].isupper() for t in words):
                keys.update(lex.generic_nouns[phrase])
                noun_at[i] = (i + n, set(lex.generic_nouns[phrase]))
                break
    by_country: dict[str, set[str]] = {}
    for key in keys:
        inst = lex.institutions.get(key)
        if inst and inst.get("country") and inst.get("subtype") in ("Parliament", "Chamber"):
            by_country.setdefault(inst["country"], set()).add(key)
    # Presiding officers first: a member sits in the chamber a Speaker named here presides over.
    for _, parsed, span, _ in sorted(found, key=lambda f: f[1]["group"] not in PRESIDING_GROUPS):
        o = parsed["office"]
        if parsed["group"] not in LEGISLATIVE_GROUPS or o["institution"] or not o["country"]:
            continue
        if parsed.get("body") or parsed["former"]:
            continue
        if span.end < len(texts) and texts[span.end].lower() == "of" and not _of_a_party(texts, span.end):
            continue  # "A, Vice Chairman of the Lyon City Council": a body the gazetteer does not know
        bodies = by_country.get(o["country"], set())
        # A parliament and its chamber both named: the chamber is the more precise.
        bodies -= {(lex.institutions.get(b) or {}).get("parent") for b in bodies}
        # Two named: the one his own title names ("National Assembly Speaker, A").
        own = {
            b
            for i, (end, nouns) in noun_at.items()
            if span.start <= i < span.end or end == span.start
            for b in nouns & bodies
        }
        bodies = own or bodies
        if len(bodies) > 1 and parsed["group"] == "member":
            presided = {
                p["office"]["institution"]
                for _, p, _, _ in found
                if p["group"] in PRESIDING_GROUPS and p["office"]["country"] == o["country"]
            }
            bodies = (presided & bodies) or bodies
        if len(bodies) == 1:
            (body,) = bodies
            office = {**o, "institution": body}
            office["label"] = _label(
                office["role"], lex, body, o["country"], o["accredited_to"], parsed["group"]
            )
            noun = _member_of(parsed, body, lex)
            if noun:
                # "Rep. A" of a National Assembly: a Member of the National Assembly (of Chile).
                office["role"] = f"Member of the {noun}"
                office["label"] = f"Member of the {noun} of {lex.name_of(o['country'])}"
            parsed["office"] = office


def _of_a_party(texts: list[str], k: int) -> bool:
    """'A of the ruling Labour Party': the 'of' at ``k`` names his party, not a post's body."""
    for word in texts[k + 1 : k + 8]:
        if word.lower() == "party":
            return True
        if not (word[:1].isupper() or word.lower() in ("the", "ruling", "opposition", "of", "and")):
            return False
    return False


def _member_of(parsed: dict, body: str, lex: Lexicon) -> str | None:
    """The generic noun of the chamber a member's abbreviated title ('member_of_chamber') is named
    after: "National Assembly"; None for a House of Representatives (its members are
    Representatives) or another title."""
    if not lex.role_records.get(parsed["rule"], {}).get("member_of_chamber"):
        return None
    generic = ((lex.institutions.get(body) or {}).get("generic") or [None])[0]
    return None if generic in (None, "House of Representatives") else generic


def _chamber_of_role(found: list[tuple[str, dict, Span, str]], lex: Lexicon) -> None:
    """'Senator A' of a country: the role itself names the chamber ('chamber' in the role list), the
    country's one by that noun, former or not. 'Foreign Minister A' of a country: the role names the
    ministry he heads ('ministry'); the post keeps its country and its label ("Foreign Minister of
    Chile"), so it is read as the post of the country and as the post in its ministry alike."""
    for _, parsed, _, _ in found:
        o = parsed["office"]
        record = lex.role_records.get(parsed["rule"], {})
        noun = record.get("chamber") or record.get("ministry")
        if record.get("ministry") and o["role"] != record["role"]:
            continue  # "his Energy counterpart": the possessor's title, another portfolio
        if not noun or o["institution"] or not o["country"] or parsed.get("body"):
            continue
        keys = lex.generic_nouns.get(tuple(norm_token(w) for w in noun.split()), [])
        mine = [k for k in keys if (lex.institutions.get(k) or {}).get("country") == o["country"]]
        if len(mine) != 1:
            continue
        office = {**o, "institution": mine[0]}
        if record.get("chamber"):
            office["label"] = _label(
                o["role"], lex, mine[0], o["country"], o["accredited_to"], parsed["group"]
            )
        parsed["office"] = office


def _institution_of_body(found: list[tuple[str, dict, Span, str]], lex: Lexicon) -> None:
    """'Chair of the Lyon City People's Council': a body the gazetteer does not know, named in full
    (every word capitalised), is an institution of its own: the post is in it, of the holder's
    country (the key carries the country: two countries' "Defence Committee" are two bodies). Its
    label is the name as written (Office.body; kg/nlp/pipeline.complete_entities). Not a body
    named through another's name ("the NA's Committee on Trade and Industry") is named without it:
    the possessor is the body it belongs to, the name is the rest ("Committee on Trade and
    Industry"); the rest must be a name of its own, not one noun ("the NA's Committee")."""
    for _, parsed, _, _ in found:
        o = parsed["office"]
        body = o.get("body")
        if not body or o["institution"]:
            continue
        words = body.split()
        if words[0].endswith(("'s", "’s")):
            body = " ".join(words[1:])
        if not _full_name(body):
            continue
        key = "institution:" + key_slug(body)
        if o["country"]:
            key += "-of-" + o["country"].partition(":")[2]
        parsed["office"] = {**o, "institution": key, "body": body}


def _full_name(body: str) -> bool:
    words = body.split()
    if len(words) < 2:
        return False
    return all(w[:1].isupper() or w in ("of", "and", "&", "the", "for", "on", "'s", "’s") for w in words)


def _counterparts(
    doc: Doc, spans: list[Span], found: list[tuple[str, dict, Span, str]], gazetteer: list[Span], lex: Lexicon
) -> list[tuple[str, dict, Span, str]]:
    """'X met his Serbian counterpart Ana Bors': she holds his post, of the country the adjective
    names ("his counterpart" alone: his post, its country unsaid). 'his Energy counterpart A', in a
    list of one government's officials: A holds the same post for Energy (a minister's portfolio),
    of the same country."""
    texts = texts_of(doc)
    names_at = {
        s.start: s for s in spans if s.label_ == "PERSON" and s.kb_id_ and s.id_.startswith("mentions.person")
    }
    countries_end = {s.end: s for s in gazetteer if s.label_ == "COUNTRY"}
    titles_at = {s.start: s for s in spans if s.label_ == "TITLE"}
    out: list[tuple[str, dict, Span, str]] = []
    for i, word in enumerate(texts):
        if word.lower() != "counterpart":
            continue
        k = i + 2 if i + 1 < len(texts) and texts[i + 1] == "," else i + 1
        # "his Sri Lankan counterpart, Foreign Minister A": the title may stand between.
        title = titles_at.get(k)
        name = names_at.get(title.end if title is not None else k)
        country = countries_end.get(i)
        j = country.start if country else i
        portfolio = j
        while portfolio > 0 and (texts[portfolio - 1][:1].isupper() or texts[portfolio - 1] in ("and", "&")):
            portfolio -= 1
        if country is not None or texts[portfolio - 1].lower() not in ("his", "her"):
            portfolio = j
        if name is None or portfolio < 1 or texts[portfolio - 1].lower() not in ("his", "her"):
            continue
        if portfolio < j:  # in a list of officials: the one named just before
            possessor = _person_before(doc, portfolio - 1, spans, found)
        else:
            possessor = _possessor(doc, portfolio - 1, i, spans)
        if possessor is None or possessor.kb_id_ == name.kb_id_:
            continue
        parsed = _counterpart_post(possessor, found)
        if parsed is None:
            continue
        if portfolio < j:
            # Same government, another portfolio.
            if parsed["group"] == "minister":
                parsed["office"]["role"] = "Minister of " + " ".join(texts[portfolio:j])
            _set_country(parsed, parsed["office"]["country"], lex)
        else:
            _set_country(parsed, country.kb_id_ if country else None, lex)
        out.append((name.kb_id_, parsed, doc[portfolio - 1 : name.end], "offices.counterpart"))
    out += _plural_counterparts(doc, spans, found, gazetteer, lex)
    return out


def _deputies(
    doc: Doc, spans: list[Span], found: list[tuple[str, dict, Span, str]], lex: Lexicon
) -> list[tuple[str, dict, Span, str]]:
    """'US President A and his deputy B': B holds the deputy post of A's head post (DEPUTY_POSTS),
    of A's country."""
    texts = texts_of(doc)
    names_at = {
        s.start: s for s in spans if s.label_ == "PERSON" and s.kb_id_ and s.id_.startswith("mentions.person")
    }
    out: list[tuple[str, dict, Span, str]] = []
    for i, word in enumerate(texts):
        if word.lower() != "deputy" or i < 1 or texts[i - 1].lower() not in ("his", "her"):
            continue
        name = names_at.get(i + 2 if i + 1 < len(texts) and texts[i + 1] == "," else i + 1)
        possessor = _possessor(doc, i - 1, i, spans)
        if name is None or possessor is None or possessor.kb_id_ == name.kb_id_:
            continue
        post = _counterpart_post(possessor, found)
        if post is None or post["group"] not in DEPUTY_POSTS:
            continue
        role, group = DEPUTY_POSTS[post["group"]]
        parsed = {**post, "group": group, "office": {**post["office"], "role": role}}
        _set_country(parsed, parsed["office"]["country"], lex)
        out.append((name.kb_id_, parsed, doc[i - 1 : name.end], "offices.deputy"))
    return out


def _counterpart_post(possessor: Span, found: list[tuple[str, dict, Span, str]]) -> dict | None:
    """The post 'his counterpart' shares with ``possessor``: his most senior current one, without
    its institution or envoy's host (a copy the caller may give a country)."""
    posts = [p for who, p, _, _ in found if who == possessor.kb_id_ and not p["former"] and not p.get("body")]
    if not posts:
        return None
    post = min(posts, key=lambda p: COUNTERPART_ORDER.get(p["group"], len(COUNTERPART_ORDER)))
    return {**post, "office": {**post["office"], "institution": None, "accredited_to": None}}


def _plural_counterparts(
    doc: Doc, spans: list[Span], found: list[tuple[str, dict, Span, str]], gazetteer: list[Span], lex: Lexicon
) -> list[tuple[str, dict, Span, str]]:
    """'discussed it with her Chilean and Peruvian counterparts A and B': each holds her post, of
    the country named in the same place of the list. Lists of different lengths say nothing."""
    texts = texts_of(doc)
    names_at = {
        s.start: s for s in spans if s.label_ == "PERSON" and s.kb_id_ and s.id_.startswith("mentions.person")
    }
    countries_end = {s.end: s for s in gazetteer if s.label_ == "COUNTRY"}
    out: list[tuple[str, dict, Span, str]] = []
    for i, word in enumerate(texts):
        if word.lower() != "counterparts":
            continue
        countries: list[Span] = []
        j = i
        while j in countries_end:
            countries.insert(0, countries_end[j])
            j = countries_end[j].start
            if j > 0 and texts[j - 1].lower() in ("and", ","):
                j -= 1
            else:
                break
        if len(countries) < 2 or texts[j - 1].lower() not in ("his", "her"):
            continue
        names: list[Span] = []
        k = i + 2 if i + 1 < len(texts) and texts[i + 1] == "," else i + 1
        while k in names_at:
            names.append(names_at[k])
            k = names_at[k].end
            if k < len(texts) and texts[k].lower() in ("and", ","):
                k += 1
            else:
                break
        if len(names) != len(countries):
            continue
        possessor = _possessor(doc, j - 1, i, spans)
        post = _counterpart_post(possessor, found) if possessor is not None else None
        if possessor is None or post is None:
            continue
        for country, name in zip(countries, names, strict=True):
            if name.kb_id_ == possessor.kb_id_:
                continue
            parsed = {**post, "office": dict(post["office"])}
            _set_country(parsed, country.kb_id_, lex)
            out.append((name.kb_id_, parsed, doc[j - 1 : names[-1].end], "offices.counterpart"))
    return out


def _person_before(
    doc: Doc, i: int, spans: list[Span], found: list[tuple[str, dict, Span, str]]
) -> Span | None:
    """The nearest person before token ``i`` in its sentence who holds a post here."""
    holders = {who for who, _, _, _ in found}
    start = doc[i].sent.start
    before = [s for s in spans if s.label_ == "PERSON" and s.kb_id_ in holders and start <= s.start < i]
    return max(before, key=lambda s: s.start, default=None)


def _possessor(doc: Doc, his: int, i: int, spans: list[Span]) -> Span | None:
    """Whose 'his counterpart' (``his``: the possessive, ``i``: the noun) it is: the person just
    before "A and his counterpart B" (the parser may tie the pair to another clause), else the
    subject of the verb, else, for a subject "He"/"She", the last person who was a sentence's
    subject before ("A held talks ... . He also met his counterpart B")."""
    texts = texts_of(doc)
    if his >= 2 and texts[his - 1].lower() == "and":
        before = _person_ending(spans, his - 1)
        if before is not None:
            return before
    subject = _subject_of(doc, i, spans)
    if subject is not None or not _pronoun_subject(doc, i):
        return subject
    return _last_subject_before(doc, doc[i].sent.start, spans)


def _person_ending(spans: list[Span], end: int) -> Span | None:
    return next((s for s in spans if s.label_ == "PERSON" and s.kb_id_ and s.end == end), None)


def _pronoun_subject(doc: Doc, i: int) -> bool:
    """The verb governing token ``i`` has "he" or "she" for its subject."""
    token = doc[i]
    while token.head is not token and token.pos_ not in ("VERB", "AUX"):
        token = token.head
    return any(c.dep_ == "nsubj" and c.lower_ in PRONOUNS for c in token.children)


def _last_subject_before(doc: Doc, start: int, spans: list[Span]) -> Span | None:
    """The person who is the subject of the nearest of the three sentences before ``start`` that
    has a person for its subject."""
    sentences = [s for s in doc.sents if s.end <= start][-3:]
    for sent in reversed(sentences):
        subject = _subject_of(doc, sent.root.i, spans)
        if subject is not None:
            return subject
    return None


def _subject_of(doc: Doc, i: int, spans: list[Span]) -> Span | None:
    """The person who is the subject of the verb governing token ``i`` ("X met his counterpart"):
    'his' is the subject's, not the nearest name's."""
    token = doc[i]
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX"):
            subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects:
                # The first person inside the subject phrase ("Indian Prime Minister A and his ...").
                first, last = subjects[0].left_edge.i, subjects[0].right_edge.i
                return min(
                    (s for s in spans if s.label_ == "PERSON" and s.kb_id_ and first <= s.start <= last),
                    key=lambda s: s.start,
                    default=None,
                )
        if token.head.i == token.i:  # the root: its head is itself
            return None
        token = token.head
    return None


def _country_after(texts: list[str], k: int, countries_at: dict[int, Span]) -> Span | None:
    """The country (or institution) in 'of (the) <country>' right after token ``k``."""
    if k >= len(texts) or texts[k].lower() != "of":
        return None
    k += 1
    if k < len(texts) and texts[k].lower() == "the":
        k += 1
    country = countries_at.get(k)
    # A demonym is no complement of 'of' ("of the Kenyan delegation").
    if country is None or country.id_.endswith("#demonym"):
        return None
    return country


def _share_country(pair: list[tuple[Span, dict]], lex: Lexicon) -> None:
    """'Vice President and Prime Minister of the UAE': the country closing two coordinated national
    posts is the first one's too."""
    (_, first), (_, second) = pair
    national = first["group"] in NATIONAL_GROUPS and second["group"] in NATIONAL_GROUPS
    if national and _takes_country(first) and not first.get("body") and second["office"]["country"]:
        _set_country(first, second["office"]["country"], lex)


def _set_body(parsed: dict, span: Span, lex: Lexicon) -> None:
    """The country or the institution (and its country) named after the holder's name."""
    if span.label_ == "COUNTRY":
        _set_country(parsed, span.kb_id_, lex)
        return
    inst = lex.institutions.get(span.kb_id_) or {}
    office = {**parsed["office"], "institution": span.kb_id_, "country": inst.get("country")}
    office["label"] = _label(
        office["role"], lex, span.kb_id_, office["country"], office["accredited_to"], parsed["group"]
    )
    parsed["office"] = office


def _takes_country(parsed: dict) -> bool:
    office = parsed["office"]
    return not (office["country"] or office["institution"] or office["accredited_to"])


def _set_country(parsed: dict, country: str, lex: Lexicon) -> None:
    office = {**parsed["office"], "country": country}
    office["label"] = _label(
        office["role"], lex, office["institution"], country, office["accredited_to"], parsed["group"]
    )
    parsed["office"] = office


def _same_post(a: dict, b: dict) -> bool:
    """The same role (or role group, for Speaker/Chair), ignoring what each side leaves unsaid."""
    if a["group"] != b["group"] or (a["group"] == "other" and a["office"]["role"] != b["office"]["role"]):
        return False
    return not (
        a["group"] not in ("presiding", "deputy_presiding") and a["office"]["role"] != b["office"]["role"]
    )


def _subsumed(person: str, parsed: dict, found: list[tuple[str, dict, Span, str]]) -> bool:
    """A bare 'President' when the article also says 'President of Kazakhstan' for the same person."""
    office = parsed["office"]
    for other_person, other, _, _ in found:
        if other_person != person or other is parsed or not _same_post(parsed, other):
            continue
        fields = ("institution", "country", "accredited_to", "body")
        other_office = other["office"]
        if all(office.get(f) in (None, other_office.get(f)) for f in fields) and any(
            office.get(f) is None and other_office.get(f) is not None for f in fields
        ):
            return True
    return False


def _infer_head_countries(
    doc: Doc,
    found: list[tuple[str, dict, Span, str]],
    gazetteer: list[Span],
    lex: Lexicon,
    attached: set[int],
    visitors: set[str],
) -> None:
    """Countries for posts the text names bare ("President Ana Diaz"), where the text supports one.
    ``attached``: starts of country mentions that already belong to a holder ("X of Chile").

    1. The dateline's country ("TOKYO (Agency) - Prime Minister ...", "By A Reporter, Abuja"): news
       name their own country's office holders bare. Given to national posts whose sentence names no
       other country outside a title (a venue, "talks in X", does not count), unless another person
       holds that post of that country here.
    2. A head of state or government (or crown prince), the only bare one of the article: the one
       country named (by its name, not an adjective) in the sentences where his title stands with
       his name, outside titles, not as a destination or origin ("to X", "from X"), and whose head
       is not named here ("... the greetings to President Ana Diaz, who was in Ostria").
    3. Failing that, a bilateral article: when the other side's head is named with his country, the
       country the article names clearly most often among the others."""
    titles = [s for s in doc.spans.get(SPANS_KEY, []) if s.label_ == "TITLE"]
    countries = [
        s
        for s in gazetteer
        if s.label_ == "COUNTRY"
        and s.start not in attached
        and not any(t.start <= s.start and s.end <= t.end for t in titles)
    ]
    texts = texts_of(doc)

    def named_in(span: Span, skip: tuple[str, ...], demonyms: bool) -> set[str]:
        sent = span.sent
        named: set[str] = set()
        skipped_end = -1  # "a visit to A, B and C": the whole list is the destination
        for c in countries:
            if not sent.start <= c.start < sent.end or c.kb_id_ in visitors:
                continue
            word = _lead_word(doc, c)
            if word in skip or (word in ("and", ",") and c.start - 1 == skipped_end):
                skipped_end = c.end
                continue
            if demonyms or not c.id_.endswith("#demonym"):
                named.add(c.kb_id_)
        return named

    home = _dateline_country(doc, lex)
    held = {(p["office"]["role"], p["office"]["country"]) for _, p, _, _ in found if p["office"]["country"]}
    # A person whose post the text gives a country elsewhere ("Jamaica's Prime Minister X ... the
    # Prime Minister") keeps that one.
    placed = {(who, p["group"]) for who, p, _, _ in found if p["office"]["country"]}
    for index, (person, parsed, span, rule) in enumerate(found):
        if home is None or parsed["group"] not in NATIONAL_GROUPS or not _takes_country(parsed):
            continue
        # A former office holder in the news is as often foreign ("former senator X" in Hanoi).
        if parsed.get("body") or parsed["former"] or (parsed["office"]["role"], home) in held:
            continue
        if (person, parsed["group"]) in placed:
            continue
        if rule == "offices.plural_title_list" and parsed["group"] in HEAD_GROUPS:
            continue  # "Presidents A and B": one head a country, so two of them two countries
        if not named_in(span, ("to", "in", *TOPIC_WORDS), demonyms=True) - {home}:
            _set_country(parsed, home, lex)
            found[index] = (person, parsed, span, "offices.home_country_from_dateline")
    # A minister's post is his portfolio: two foreign ministers are the two sides of the talks, a
    # foreign and a trade minister need not be.
    posts = [(g, None) for g in (*HEAD_GROUPS, "crown_prince")]
    posts += sorted({("minister", p["office"]["role"]) for _, p, _, _ in found if p["group"] == "minister"})
    for group, role in posts:

        def of_post(p: dict, group: str = group, role: str | None = role) -> bool:
            return p["group"] == group and role in (None, p["office"]["role"])

        with_country = {who for who, p, _, _ in found if of_post(p) and p["office"]["country"]}
        known = {p["office"]["country"] for who, p, _, _ in found if who in with_country and of_post(p)}
        bare = {
            who
            for who, p, _, _ in found
            if of_post(p) and _takes_country(p) and not p.get("body") and who not in with_country
        }
        if len(bare) != 1 or (role is not None and not known):
            # A minister's country is read only in talks with the other side's one.
            continue
        (person,) = bare
        # ... nor a country another person leads here (talks are between two sides' leaders).
        led = {
            p["office"]["country"]
            for who, p, _, _ in found
            if p["group"] in HEAD_GROUPS and p["office"]["country"] and who not in with_country | {person}
        }
        named: set[str] = set()
        for who, p, span, rule in found:
            # Where the title stands with his name (a reference's sentence may be about another).
            if who == person and of_post(p) and rule != "offices.resolved_reference":
                # A minister's: "his counterparts of A and B" names the other sides too.
                skip = ("to", "from", *TOPIC_WORDS) if role is None else ("to", "from", "of", *TOPIC_WORDS)
                named |= named_in(span, skip, demonyms=False) - known - led
        country, rule = (
            (next(iter(named)), "offices.head_country_from_sentence") if len(named) == 1 else (None, "")
        )
        if country is None and known and (group in HEAD_GROUPS or role is not None):
            counts: dict[str, int] = {}
            # "his counterparts from A and B": the other sides, not his own ("a visit to A": not here).
            others = {c.kb_id_ for c in countries if texts[c.start - 1].lower() == "from"}
            for c in countries:
                origin = role is not None and (texts[c.start - 1].lower() == "to" or c.kb_id_ in others)
                origin = origin or _lead_word(doc, c) in TOPIC_WORDS
                if c.kb_id_ not in known and not origin:
                    counts[c.kb_id_] = counts.get(c.kb_id_, 0) + 1
            free = sorted(((n, c) for c, n in counts.items()), reverse=True)
            if free and free[0][0] >= 2 and (len(free) == 1 or free[1][0] * 2 <= free[0][0]):
                country, rule = free[0][1], "offices.head_country_from_article"
        if country is None:
            continue
        for index, (who, p, span, _rule) in enumerate(found):
            if who == person and of_post(p) and _takes_country(p):
                _set_country(p, country, lex)
                found[index] = (who, p, span, rule)
    # A city counts for its country ("talks in Colombo"): news name their own capital often.
    places = [
        s
        for s in gazetteer
        if s.label_ == "PLACE" and not any(t.start <= s.start and s.end <= t.end for t in titles)
    ]
    _dominant_country(found, [c for c in countries + places if c.kb_id_ not in visitors], texts, lex)


def _country_of_venue(
    doc: Doc,
    found: list[tuple[str, dict, Span, str]],
    gazetteer: list[Span],
    lex: Lexicon,
    visitors: set[str],
) -> None:
    """'Foreign Secretary A met his American counterpart in London': the one bare official of a
    sentence that holds a meeting in a city ('in'/'at' a place) is of the city's country, the host,
    when the other side is placed elsewhere here. Not in a sentence about a journey (its venue is
    someone's destination: "A visited London"), nor for a country the article says visits, nor when
    another person holds his post of that country here."""
    texts = texts_of(doc)
    places = [s for s in gazetteer if s.label_ == "PLACE" and s.start > 0]
    sides = {
        p["office"]["country"]
        for _, p, _, _ in found
        if p["office"]["country"] and p["group"] in NATIONAL_GROUPS
    }
    held = {(p["office"]["role"], p["office"]["country"]) for _, p, _, _ in found if p["office"]["country"]}
    placed = {(who, p["group"]) for who, p, _, _ in found if p["office"]["country"]}
    for index, (who, p, span, rule) in enumerate(found):
        if not _open_national(p) or (who, p["group"]) in placed or rule == "offices.resolved_reference":
            continue
        sent = span.sent
        if any(t.lower_ in JOURNEY_WORDS for t in sent):
            continue
        venues = {
            (lex.places.get(s.kb_id_) or {}).get("country")
            for s in places
            if sent.start <= s.start < sent.end and _venue_word(texts, s.start) in ("in", "at")
        }
        if len(venues) != 1 or None in venues:
            continue
        (country,) = venues
        if country in visitors or not sides - {country} or (p["office"]["role"], country) in held:
            continue
        # (One whose post the text places elsewhere is no other bare official.)
        bare = {
            w
            for w, q, s, _ in found
            if _open_national(q) and s.sent.start == sent.start and (w, q["group"]) not in placed
        }
        if bare == {who}:
            _set_country(p, country, lex)
            found[index] = (who, p, span, "offices.host_country_from_venue")


def _venue_word(texts: list[str], start: int) -> str:
    """The preposition before a place ("in Lima", "at the Elysee Palace")."""
    k = start - 2 if start >= 2 and texts[start - 1].lower() == "the" else start - 1
    return texts[k].lower()


def _visitor_countries(gazetteer: list[Span], texts: list[str]) -> set[str]:
    """Countries a visiting side comes from ("receives German delegation", "a US Congressional
    delegation", "a delegation from Peru"): the other side, never the host's."""
    return {
        c.kb_id_
        for c in gazetteer
        if c.label_ == "COUNTRY"
        and (
            any(
                texts[k].lower() in VISITING_NOUNS
                and all(t.istitle() or t in DELEGATION_KINDS for t in texts[c.end : k])
                for k in range(c.end, min(c.end + 3, len(texts)))
            )
            or (
                c.start >= 2
                and texts[c.start - 1].lower() == "from"
                and texts[c.start - 2].lower() in VISITING_NOUNS
            )
        )
    }


def _host_country(found: list[tuple[str, dict, Span, str]], visitors: set[str], lex: Lexicon) -> None:
    """'President A received the Ostrian delegation ... Cabinet Secretaries B and C attended': in an
    article about a visiting delegation, the officials the text leaves bare are the host's, when its
    officials hold posts of one other country (the visitors' own are marked: 'led by', 'accompanied
    by', 'on the Ostrian side')."""
    if not visitors:
        return
    sides = {
        p["office"]["country"]
        for _, p, _, _ in found
        if p["office"]["country"] and p["group"] in NATIONAL_GROUPS
    }
    hosts = sides - visitors
    if len(hosts) != 1:
        return
    (host,) = hosts
    # "Speaker of the Parliament of Ostria A ... Speaker A": his post has its country already.
    placed = {(who, p["group"]) for who, p, _, _ in found if p["office"]["country"]}
    for index, (who, p, span, _rule) in enumerate(found):
        # A host's governors too ("Gujarat Chief Minister A"): the region is in the host country.
        if _open_national(p, NATIONAL_GROUPS | {"governor"}) and (who, p["group"]) not in placed:
            _set_country(p, host, lex)
            found[index] = (who, p, span, "offices.host_country")


def _dominant_country(
    found: list[tuple[str, dict, Span, str]], countries: list[Span], texts: list[str], lex: Lexicon
) -> None:
    """An article about one country: it names that country (by name, adjective or one of its
    places, not as a destination, origin, topic or a visiting side's) at least three times and twice
    as often as any other, and no official is named here with another country ("OPEC chief visits
    Ostria ... our Minister of Tourism A"). Its bare national posts are that country's, unless
    another person holds that post of it here. Last of the inferences: a dateline, a counterpart or
    a sentence says more."""
    counts: dict[str, int] = {}
    for c in countries:
        if _lead_word(c.doc, c) in ("to", "from", *TOPIC_WORDS):
            continue
        key = c.kb_id_ if c.label_ == "COUNTRY" else (lex.places.get(c.kb_id_) or {}).get("country")
        if key:
            counts[key] = counts.get(key, 0) + 1
    free = sorted(((n, c) for c, n in counts.items()), reverse=True)
    if not free or free[0][0] < 3 or (len(free) > 1 and free[1][0] * 2 > free[0][0]):
        return
    country = free[0][1]
    held = {p["office"]["role"] for _, p, _, _ in found if p["office"]["country"] == country}
    # Two sides' officials named with their countries: which side a bare one is on, the counts
    # do not say.
    sides = {
        p["office"]["country"]
        for _, p, _, _ in found
        if p["office"]["country"] and p["group"] in NATIONAL_GROUPS
    }
    if sides - {country}:
        return
    for index, (who, p, span, _rule) in enumerate(found):
        if p["group"] not in NATIONAL_GROUPS or not _takes_country(p) or p.get("body"):
            continue
        if p["office"]["role"] in held:
            continue
        _set_country(p, country, lex)
        found[index] = (who, p, span, "offices.dominant_country")


def _country_of_a_list(doc: Doc, found: list[tuple[str, dict, Span, str]], lex: Lexicon) -> None:
    """'attended by A, Minister of Foreign Affairs; B, Minister of Trade; C, Saudi Ambassador to
    Greece': a list of officials, one after another with their posts, is one side's delegation. When
    its posts name one country between them (the envoy's own country), the bare national posts in
    it are of that country; two countries, or none, say nothing."""
    texts = texts_of(doc)
    by_sentence: dict[int, list[int]] = {}
    for index, (_, _, span, rule) in enumerate(found):
        if rule == "offices.name_comma_title":
            by_sentence.setdefault(span.sent.start, []).append(index)
    for members in by_sentence.values():
        if len(members) < 3:
            continue
        spans = sorted((found[i][2] for i in members), key=lambda s: s.start)
        # The members follow one another, each entry closed by a semicolon.
        if not all(";" in texts[a.end : b.start] for a, b in pairwise(spans)):
            continue
        posts = [found[i][1] for i in members]
        countries = {
            p["office"]["country"]
            for p in posts
            if p["office"]["country"] and p["group"] in (*NATIONAL_GROUPS, "ambassador")
        }
        if len(countries) != 1:
            continue
        (country,) = countries
        for i in members:
            person, parsed, span, _ = found[i]
            if parsed["group"] in NATIONAL_GROUPS and _takes_country(parsed) and not parsed.get("body"):
                _set_country(parsed, country, lex)
                found[i] = (person, parsed, span, "offices.country_of_a_list")


def _lead_word(doc: Doc, span: Span) -> str:
    """The word before a country mention, or the preposition that governs the list it stands in
    ("issues relating to the Gulf and Ostria": 'to', not 'and')."""
    token = span.root
    while token.dep_ == "conj" and token.head.i < token.i:
        token = token.head
    if token.dep_ == "pobj" and token.head.i < span.start:
        return token.head.lower_
    return doc[span.start - 1].lower_ if span.start > 0 else ""


def _country_of_companions(
    doc: Doc, found: list[tuple[str, dict, Span, str]], spans: list[Span], lex: Lexicon
) -> None:
    """'The Prime Minister was accompanied by Foreign Minister A', 'B is part of the delegation
    accompanying Deputy Prime Minister & Defence Minister C': one who travels with an official is of
    his side. The companion's bare national posts take the country of the other's, when they name one.
    Two companions ('flanked by President D of Ostria and Foreign Minister E') are of one side too."""
    texts = texts_of(doc)
    lower = [t.lower() for t in texts]
    starts = [
        i
        for i, word in enumerate(lower)
        if word == "accompanying" or (word == "by" and i > 0 and lower[i - 1] in ("accompanied", "flanked"))
    ]
    if not starts:
        return  # most articles: no companions, and the spans need not be indexed
    names_at = {s.start: s for s in spans if s.label_ == "PERSON" and s.kb_id_}
    in_title = {i for s in spans if s.label_ == "TITLE" for i in range(s.start, s.end)}

    def name_after(k: int) -> Span | None:
        # Past his titles, written whole or not ("Deputy Prime Minister & Coordinating Minister ...").
        limit = min(len(texts), k + 15)
        while k < limit and k not in names_at:
            if not (k in in_title or texts[k][:1].isupper() or texts[k].lower() in TITLE_JOINERS):
                break
            k += 1
        return names_at.get(k)

    def country_of(person: str) -> str | None:
        countries = {
            p["office"]["country"]
            for who, p, _, _ in found
            if who == person and p["group"] in NATIONAL_GROUPS and p["office"]["country"]
        }
        return next(iter(countries)) if len(countries) == 1 else None

    for i in starts:
        first = name_after(i + 1)
        if first is None:
            continue
        j = first.end  # past "of Ostria" after the first name
        while j < min(len(texts), first.end + 5) and (texts[j] in ("of", "the") or texts[j][:1].isupper()):
            j += 1
        second = name_after(j + 1) if texts[j : j + 1] == ["and"] else None
        other = _subject_of(doc, i, spans) or _antecedent(doc, i, spans)
        side = country_of(other.kb_id_) if other is not None else None
        pairs = [(first, side), (second, side or country_of(first.kb_id_))]
        if second is not None:
            pairs.append((first, side or country_of(second.kb_id_)))
        for companion, country in pairs:
            if (
                companion is None
                or country is None
                or (other is not None and other.kb_id_ == companion.kb_id_)
            ):
                continue
            for index, (person, parsed, span, _rule) in enumerate(found):
                if person == companion.kb_id_ and _open_national(parsed):
                    _set_country(parsed, country, lex)
                    found[index] = (person, parsed, span, "offices.country_of_companion")


def _country_of_coordinated(doc: Doc, found: list[tuple[str, dict, Span, str]], lex: Lexicon) -> None:
    """ "Ostria's Ambassador-designate to A, B and Ambassador-designate to C, D": the country before the
    first of two coordinated holders of one post is the second's too."""
    texts = texts_of(doc)
    by_end = {span.end: p for _, p, span, _ in found if p["office"]["country"]}
    for index, (person, parsed, span, _rule) in enumerate(found):
        if parsed["office"]["country"] or parsed["office"]["institution"] or parsed.get("body"):
            continue
        if span.start < 2 or texts[span.start - 1].lower() != "and":
            continue
        first = by_end.get(span.start - 1)
        if (
            first is not None
            and first["group"] == parsed["group"]
            and first["office"]["role"] == parsed["office"]["role"]
        ):
            _set_country(parsed, first["office"]["country"], lex)
            found[index] = (person, parsed, span, "offices.country_of_coordinated_post")


def _country_of_sides(
    doc: Doc, found: list[tuple[str, dict, Span, str]], gazetteer: list[Span], lex: Lexicon
) -> None:
    """'On the Ostrian side were Ambassador A and Consul General B': the officials a sentence lists
    after 'on (or from) the <country> side' are that country's (up to another side). 'A visit to
    Ostria at the invitation of Speaker C': the host who invites is of the country visited."""
    texts = texts_of(doc)
    countries = [s for s in gazetteer if s.label_ == "COUNTRY"]
    marks: list[tuple[int, int, str]] = []  # (from, to, country): where the holders are of a side
    for c in countries:
        side = (
            c.start >= 2
            and c.end < len(texts)
            and texts[c.end].lower() == "side"
            and texts[c.start - 1].lower() == "the"
        )
        if side and texts[c.start - 2].lower() in ("on", "from"):
            later = [
                s.start
                for s in countries
                if c.end < s.start < c.sent.end and texts[s.end : s.end + 1] == ["side"]
            ]
            marks.append((c.end, min(later, default=c.sent.end), c.kb_id_))
        if c.end < len(texts) and texts[c.end].lower() in VISITING_NOUNS:
            # "The Ostrian delegation was led by its Minister of State A": its head is of it; so are
            # its members ("the Ostrian delegation, which included Trade Minister B and ...").
            for k in range(c.end + 1, c.sent.end - 2):
                if texts[k].lower() in ("led", "headed") and texts[k + 1].lower() == "by":
                    marks.append((k + 2, k + 8, c.kb_id_))
                    break
                if texts[k].lower() in MEMBERSHIP_WORDS:
                    marks.append((k + 1, c.sent.end, c.kb_id_))
                    break
        if _visited(texts, c):
            for k in range(c.end, c.sent.end - 2):
                if [t.lower() for t in texts[k : k + 2]] == ["invitation", "of"]:
                    # The one named right after: his title may be preceded by his body.
                    marks.append((k + 2, k + 6, c.kb_id_))
    marks += _received_by(doc, {c.kb_id_ for c in countries if _visited(texts, c)}, found)
    for start, end, country in marks:
        for index, (person, parsed, span, _rule) in enumerate(found):
            if not start <= span.start < end or parsed["former"] or parsed.get("body"):
                continue
            if parsed["group"] in (*NATIONAL_GROUPS, "ambassador") and _takes_country(parsed):
                _set_country(parsed, country, lex)
                found[index] = (person, parsed, span, "offices.country_of_a_side")


def _visited(texts: list[str], country: Span) -> bool:
    """'a visit to Ostria', 'a trip to Ostria'."""
    return [t.lower() for t in texts[country.start - 2 : country.start]] in (["visit", "to"], ["trip", "to"])


def _received_by(
    doc: Doc, visited: set[str], found: list[tuple[str, dict, Span, str]]
) -> list[tuple[int, int, str]]:
    """'(A, on a visit to Ostria, ...) was received on arrival by Foreign Secretary B': who receives
    or welcomes the visitors is of the one country the article says is visited, or else of the one
    country the other hosts listed with him hold posts of ('received by the vice president, B, the
    Ostrian Foreign Minister, C'). Only the passive ('was received by'), where 'by' names the host,
    not 'received the delegation led by'."""
    texts = texts_of(doc)
    marks = []
    for i, word in enumerate(texts):
        if word.lower() not in ("received", "welcomed", "greeted") or i == 0:
            continue
        if texts[i - 1].lower() not in ("was", "were", "been", "is", "are"):
            continue
        end = doc[i].sent.end
        for k in range(i + 1, min(i + 12, end)):
            if texts[k].lower() in ("led", "headed", "accompanied"):
                break
            if texts[k].lower() == "by":
                hosts = visited or {
                    p["office"]["country"]
                    for _, p, span, _ in found
                    if k < span.start < end and p["group"] in NATIONAL_GROUPS and p["office"]["country"]
                }
                if len(hosts) == 1:
                    marks.append((k + 1, k + 8 if visited else end, next(iter(hosts))))
                break
    return marks


def _country_of_unnamed_titles(
    doc: Doc, found: list[tuple[str, dict, Span, str]], spans: list[Span], gazetteer: list[Span], lex: Lexicon
) -> None:
    """'... met former President A in Colombo, the first visitor to call on the ousted Ostrian
    president', '... the treatment of Ostria's deputy consul general in Lyon ... Deputy Consul General
    B': a title with a country and no name, of the same role as the one bare holder of it here, is
    about him (not when he is the subject of its clause: "President A met the Ostrian president")."""
    texts = texts_of(doc)
    covered = {i for _, _, span, _ in found for i in range(span.start, span.end)}
    country_starts = {s.start for s in gazetteer if s.label_ == "COUNTRY"}
    for title in spans:
        if title.label_ != "TITLE" or title.start in covered or title.end - 1 in covered:
            continue
        if texts[title.start - 1].lower() != "the" and title.start not in country_starts:
            continue
        k = title.start - (texts[title.start - 1].lower() == "the")
        if texts[k - 1] == ",":
            continue  # "B, the Ostrian President": an apposition to a name the text gives
        parsed = parse_title(title, lex, gazetteer, texts)
        country, role = parsed["office"]["country"], parsed["office"]["role"]
        if country is None or parsed["group"] not in (*NATIONAL_GROUPS, "ambassador"):
            continue
        same = [(i, f) for i, f in enumerate(found) if f[1]["office"]["role"] == role]
        if lex.role_records.get(title.id_, {}).get("plural"):
            # "many Ostrian senators ..., citing late senator A and former senator B": the ones named
            # after it in its sentence.
            same = [(i, f) for i, f in same if title.end <= f[2].start < title.sent.end]
        if any(f[1]["office"]["country"] == country for _, f in same):
            continue
        bare = {f[0] for _, f in same if _takes_country(f[1]) and not f[1].get("body")}
        plural = lex.role_records.get(title.id_, {}).get("plural")
        if not bare or (len(bare) > 1 and not plural):
            continue
        if not plural and _clause_subject_is(doc, title.root, next(iter(bare)), spans):
            continue
        for index, (person, held_post, span, _rule) in same:
            if _takes_country(held_post) and not held_post.get("body"):
                _set_country(held_post, country, lex)
                found[index] = (person, held_post, span, "offices.country_of_unnamed_title")


def _clause_subject_is(doc: Doc, token, person: str, spans: list[Span]) -> bool:
    """Whether ``person`` is named (or may be 'he'/'she') in the subject of the first verb above
    ``token`` (its own clause; the clauses above it may be a headline the parser ran into the
    sentence)."""
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    for child in token.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            words = {t.i for t in child.subtree}
            if any(s.kb_id_ == person and s.start in words for s in spans if s.label_ == "PERSON"):
                return True
            # "He will meet the Ostrian president": a pronoun may be him as well.
            if child.tag_ == "PRP" and child.lower_ in PRONOUNS:
                return True
    return False


def _antecedent(doc: Doc, i: int, spans: list[Span]) -> Span | None:
    """The person a relative clause around token ``i`` is about ("A, who was accompanied by B")."""
    token = doc[i]
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    if token.dep_ != "relcl":
        return None
    head = token.head.i
    return next((s for s in spans if s.label_ == "PERSON" and s.kb_id_ and s.start <= head < s.end), None)


def _open_national(parsed: dict, groups: frozenset[str] = NATIONAL_GROUPS) -> bool:
    """A current national post (of ``groups``) the text gives no country, institution or body."""
    return (
        parsed["group"] in groups
        and _takes_country(parsed)
        and not parsed.get("body")
        and not parsed["former"]
    )


def _dateline_country(doc: Doc, lex: Lexicon) -> str | None:
    """The country of a place (or country) that opens a line near the top and is followed by the
    dateline's punctuation ('CAIRO - ', 'TOKYO (Agency)', 'Buenos Aires, Jan. 6'), or that ends a
    short byline ('By A Reporter, Abuja', 'A Reporter in Abuja'). Datelines are often in capitals,
    which the gazetteer's one-word names do not match as written: each line is looked up titled."""
    text = text_of(doc)
    texts = texts_of(doc)
    i = 0
    while i < len(doc) and doc[i].idx <= DATELINE_WINDOW:
        line_start = text.rfind("\n", 0, doc[i].idx) + 1
        if text[line_start : doc[i].idx].strip():
            i += 1
            continue
        # The tokens of this line, titled.
        j = i
        while j < len(doc) and "\n" not in doc[j].text and "\n" not in doc[j].whitespace_:
            j += 1
        j = min(j + 1, len(doc))
        line = [t.title() if t.isupper() and len(t) > 1 else t for t in texts[i:j]]
        country = _line_dateline(line, lex)
        if country:
            return country
        i = j
    return None


def _line_dateline(line: list[str], lex: Lexicon) -> str | None:
    words = [t for t in line if t.strip()]
    if not words:
        return None
    hit = lex.gazetteer.match_at(words, 0)
    if hit is not None and hit[1].kind in ("PLACE", "COUNTRY"):
        after = words[hit[0]] if hit[0] < len(words) else ""
        # "CAIRO - ", "Addis Ababa February 6/2022 /Agency/": punctuation or the date follows.
        if after[:1] in (",", "(", "-", "–", "—", ":", "") or after in ("/",) or _month_word(after):
            return _country_of(hit[1], lex)
    # A short byline ending with the place: "By A Reporter, Abuja", "A Reporter in Abuja" (a name,
    # no verb: "PM lands in Port Moresby" is a headline).
    if len(words) <= 10 and (words[0] == "By" or "in" in words or "," in words):
        for k in range(len(words) - 1, 0, -1):
            if not all(w[:1].isupper() for w in words[: k - 1] if w != "By"):
                continue
            hit = lex.gazetteer.match_at(words, k)
            ends_line = hit is not None and k + hit[0] == len(words) and words[k - 1] in (",", "in")
            if ends_line and hit[1].kind in ("PLACE", "COUNTRY"):
                return _country_of(hit[1], lex)
    return None


def _month_word(word: str) -> bool:
    """'February', 'Feb' ('may' in lower case is a verb)."""
    return word[:1].isupper() and word.lower().rstrip(".") in MONTHS


def _country_of(entry: Entry, lex: Lexicon) -> str | None:
    if entry.kind == "COUNTRY":
        return entry.key
    return (lex.places.get(entry.key) or {}).get("country")
