"""Stage kg_events: meetings, visits, talks, calls ... with participants, date, place and topics.

How an article becomes events:

1. *Mentions.* Trigger patterns (kg/nlp/resources/events.verbs.jsonl) find event words: "met", "had a
   meeting", "welcomed", "held talks", "on a state visit to". A noun trigger that is the object of a
   light verb ("had a meeting", "took part in the meeting") is read through that verb. The
   participants are the PERSON spans of doc.spans["kg_mentions"] in the trigger's own clause (its
   subject, objects, "with X", "between X and Y", "X's visit"), never those of a relative or
   subordinate clause, except clauses that add company ("a delegation led by X", "accompanied by
   Y"); lists after "with", "by", "including" and subject lists are read along the text as well,
   since the parser breaks long lists of titled names. A noun trigger under a preposition takes the
   subject of the verb it hangs on ("During his meeting with X, Y said"); an open "he" / "the
   leader" is the host of the story so far. "Separate meetings with A and B" (and "had meetings
   with A and B", a round of calls) are one meeting per guest. Planned, hoped-for, refused,
   cancelled or negated meetings are no events. A visit's participants are only its visitors
   (and the people accompanying them).
2. *Dates* are read per sentence (kg/read/dates.py) against the publication date (or the dateline's),
   and apply to every trigger in the same clause; a date in another clause (a relative clause's "who
   assumed office on 22 May"), after "since"/"until", or on a publication date line that spaCy joined
   to the sentence dates nothing. "Earlier in the day" and "a day earlier" count from the day last
   told; "he also met" without a date of its own goes on with the date of the mention before it.
3. *Clusters.* An article reports one occasion in several sentences ("X welcomed Y", "Y greeted X",
   "Z took part in the meeting as well"), so mentions merge, in text order, into the latest event of
   the same family whose participants include theirs (or are included in theirs) and whose date is
   compatible. Visits to a country or city are *frames*: the meetings whose participants include the
   visitor get it as ``parent`` and its country.
4. *Dates of events:* the most precise date of its mentions; else, for a meeting during a visit,
   the visit's date (its day only for a one-day visit, else its month); else the day of the report
   it is told in ("X yesterday said"); else the news date (the dateline's day, or the publication
   date). A visit without a date of its own is dated by the month
   of its meetings, else the month of the news. An occasion the text recalls ("had met", "their last
   meeting", "previously") or only plans keeps no date unless the text gives it.
5. *Topics:* topic labels (kg/nlp/topics.py) in the sentences about the event; the article's first event
   is what the article is about, so it gets the topics of the whole article.

kg/graph/merge.py then makes one event of the same occasion reported by several articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.common.names import slug
from kg.nlp.facts import EVENT_TYPES
from kg.nlp.fast.anchored_matcher import AnchoredMatcher
from kg.nlp.mentions import SPANS_KEY, text_of
from kg.nlp.resources_io import load_jsonl
from kg.nlp.topics import topic_matcher
from kg.read.dates import (
    ANAPHORIC_DAYS,
    coarsen,
    compatible,
    date_line,
    find_dateline,
    find_dates,
    more_precise,
    near,
    precision,
)

RULES_FILE = "events.verbs.jsonl"
RULE_FIELDS = ("label", "pattern", "id", "cameo", "plover", "kind")

VISIT_TYPES = ("StateVisit", "OfficialVisit", "WorkingVisit", "Visit")  # most specific first
# Event types that are one family: mentions of different types in it can be the same occasion.
FAMILIES = {"PhoneCall": "call", "Ceremony": "ceremony", **{t: "visit" for t in VISIT_TYPES}}

# Verbs through which a noun trigger is read: "had a meeting", "held talks", "took part in the session".
LIGHT_VERBS = {
    "have", "hold", "conduct", "pay", "make", "take", "participate", "attend", "join", "chair",
    "host", "give", "organise", "organize", "arrange", "co-chair",
}  # fmt: skip
# Taking part in "the meeting" (already reported) adds people to it instead of starting a new one.
JOIN_VERBS = {"take", "participate", "attend", "join"}
# Dependencies that open another clause: people and dates there belong to another statement.
CLAUSE_DEPS = {"relcl", "advcl", "ccomp", "csubj", "csubjpass", "parataxis", "xcomp", "acl", "mark"}
# A participial clause with one of these verbs still describes the trigger ("the meetings held with X").
LIGHT_ACL = {"hold", "conduct", "organise", "organize", "arrange"}
# Clauses that name more people of the same occasion: "a delegation led by X", "X, accompanied by Y,
# met Z", "Y, who was accompanied by W": their people take part, unlike those of other clauses.
COMPANY_VERBS = {"lead", "head", "accompany", "join", "include", "comprise", "escort", "flank"}
# "held separate meetings with A and B", "called on him separately": one meeting per guest.
SEPARATE_WORDS = {"separate", "separately", "individually", "respective", "respectively"}
# Plural occasions: with one host and several guests named, one each ("had meetings with A and B").
SEVERAL_MEETINGS = {"meetings", "calls", "conversations", "audiences"}
# "after talks with X", "during the visit of X": another occasion, whose people are not this one's.
OTHER_TIME_PREPS = {"after", "before", "following", "during", "ahead", "prior", "since", "until"}
# "According to A and B, X met Y": A and B tell of the meeting, they are not at it.
SOURCE_PREPS = {"according"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# Words that open a list of participants, and prepositions a list item's title may hold
# ("Minister of State for Trade A, Head of the Office of the President B").
LIST_OPENERS = {"with", "by", "between", "including"}
LIST_INNER_PREPS = {"of", "for", "from", "to", "at"}
INCLUDE_VERBS = {"include", "comprise", "be"}
# "..., X said": the one who reports a meeting, named after the list of its people.
REPORTING_VERBS = {"say", "tell", "add", "note", "state", "stress", "report", "announce", "write", "tweet"}
# Subjects that name a person by role ("the top legislator was welcomed"); titles are found as spans.
ROLE_NOUNS = {
    "leader", "legislator", "lawmaker", "diplomat", "premier", "envoy", "guest", "host", "visitor",
    "counterpart", "dignitary", "official", "statesman", "monarch", "chief", "head",
}  # fmt: skip
# Short titles whose full stop spaCy takes for a sentence end inside a list of names ("Amb. A").
TITLE_ABBREVIATIONS = {
    "amb", "dr", "mr", "mrs", "ms", "hon", "prof", "gen", "sen", "rep", "col", "capt", "lt", "maj",
    "gov", "rev", "adm", "brig", "cdr", "sgt", "h.e", "engr", "eng", "arch", "dep",
}  # fmt: skip
RELATIVE_PRONOUNS = {"who", "whom", "which", "that"}
SINGULAR_PRONOUNS = {"he", "she"}
# Words that put a mention in the future or make it an intention to meet: no occasion took place.
INTENT_VERBS = {
    "agree", "plan", "intend", "expect", "invite", "schedule", "hope", "want", "propose", "refuse",
    "decline", "wish", "seek", "aim", "prepare", "look", "try", "offer", "ask", "urge", "set",
    "due", "slate", "poise", "likely", "ready", "keen", "eager", "willing",
}  # fmt: skip
# A meeting called off, put off or refused did not take place: "cancelled her meeting with X",
# "the talks were postponed", "declined a meeting".
CANCEL_VERBS = {"cancel", "postpone", "refuse", "decline", "delay", "suspend", "scrap", "reject", "shelve"}
INTENT_MODIFIERS = {
    "upcoming",
    "forthcoming",
    "planned",
    "future",
    "next",
    "proposed",
    "expected",
    "scheduled",
}
CURRENT_MODIFIERS = {"current", "ongoing", "present"}
# Guests met as a group: "received a delegation", "met the newly appointed ambassadors".
GROUP_NOUNS = {
    "delegation", "delegations", "team", "mission", "group", "ambassador", "ambassadors", "envoys",
    "counterparts", "leaders", "ministers", "members", "representatives", "officials", "heads",
}  # fmt: skip
# Head nouns of venues worth a place of their own when the gazetteer does not know them.
VENUE_NOUNS = {
    "residence", "palace", "hall", "building", "headquarters", "centre", "center", "hotel", "airport",
    "house", "complex", "mansion", "villa", "embassy", "office", "theatre", "museum", "park",
}  # fmt: skip
# When mentions of several types form one event: the type it gets, most telling first.
MIXED_TYPE_ORDER = ("Talks", "Meeting")
# "on the sidelines / margins / fringes of the summit": meetings held where a gathering is.
SIDELINE_WORDS = {"sidelines", "sideline", "margins", "margin", "fringes", "fringe"}
# "X and Y spoke / talked / conferred": a verb that says nothing of the medium. After a phone call
# of the same people it tells of that call ("held a phone call with Y. They spoke for 30 minutes on
# Tuesday"), not of a second occasion.
PLAIN_TALK_RULES = {"events.talk_with"}


@dataclass
class Rule:
    id: str
    type: str
    cameo: str
    plover: str
    kind: str
    min_persons: int = 1
    needs_light_verb: bool = False
    anaphoric: bool = False
    needs_prep: tuple[str, ...] = ()  # the trigger must govern one of these ("discussed ... with")
    no_infinitive: bool = False  # "called on X" is a visit, "called on X to act" is not
    joins_only: bool = False  # "the delegation was led by X": adds people to an event, starts none
    company: bool = False  # "X was accompanied by Y": Y is with X on X's visit (or at X's meeting)


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


# ---------------------------------------------------------------------------------------------
# Loading the rules


def load_rules() -> list[tuple[Rule, list[dict]]]:
    """Trigger rules with their Matcher patterns; ValueError naming the file and record when bad."""
    rules = []
    for number, record in enumerate(load_jsonl(RULES_FILE, RULE_FIELDS), start=1):
        rules.append(
            (rule_from_record(record, f"kg/nlp/resources/{RULES_FILE}, record {number}"), record["pattern"])
        )
    return rules


def rule_from_record(record: dict, where: str) -> Rule:
    """Check one trigger record beyond its shape: a known event type, kind and CAMEO code."""
    where = f"{where} ({record.get('id')})"
    if record["label"] not in EVENT_TYPES:
        raise ValueError(f"{where}: unknown event type {record['label']!r}; known: {list(EVENT_TYPES)}")
    if record["kind"] not in ("encounter", "visit"):
        raise ValueError(f"{where}: kind must be 'encounter' or 'visit', not {record['kind']!r}")
    if not re.fullmatch(r"\d{3}", str(record["cameo"])):
        raise ValueError(f"{where}: cameo must be a three-digit CAMEO code, not {record['cameo']!r}")
    if not isinstance(record["pattern"], list) or not all(isinstance(p, dict) for p in record["pattern"]):
        raise ValueError(f"{where}: pattern must be a list of token patterns")
    return Rule(
        id=record["id"],
        type=record["label"],
        cameo=str(record["cameo"]),
        plover=record["plover"],
        kind=record["kind"],
        min_persons=int(record.get("min_persons", 1)),
        needs_light_verb=bool(record.get("needs_light_verb", False)),
        anaphoric=bool(record.get("anaphoric", False)),
        needs_prep=tuple(record.get("needs_prep", ())),
        no_infinitive=bool(record.get("no_infinitive", False)),
        joins_only=bool(record.get("joins_only", False)),
        company=bool(record.get("company", False)),
    )


# ---------------------------------------------------------------------------------------------
# The component


@Language.factory("kg_events", assigns=["doc._.kg_events", "doc._.kg_entities"])
def make_events(nlp: Language, name: str) -> EventExtractor:
    return EventExtractor(nlp)


class EventExtractor:
    """Reads events from a Doc that kg_mentions / kg_resolve have annotated."""

    def __init__(self, nlp: Language) -> None:
        self.rules: dict[str, Rule] = {}
        # spaCy's Matcher, run only from the words a trigger can start with (kg/nlp/fast/anchored_matcher.py).
        self.matcher = AnchoredMatcher(nlp.vocab)
        for rule, pattern in load_rules():
            self.rules[rule.id] = rule
            self.matcher.add(rule.id, [pattern])
        self.rank = {rule_id: rank for rank, rule_id in enumerate(self.rules)}
        self.topics = topic_matcher(nlp.vocab)

    def __call__(self, doc: Doc) -> Doc:
        reader = _DocReader(doc, self)
        doc._.kg_events = reader.events()
        if reader.new_entities:
            doc._.kg_entities = [*(doc._.kg_entities or []), *reader.new_entities]
        return doc


class _DocReader:
    """Everything kg_events works out for one Doc."""

    def __init__(self, doc: Doc, extractor: EventExtractor) -> None:
        self.doc = doc
        self.ex = extractor
        self.entities = {e["key"]: e for e in doc._.kg_entities or []}
        self.person_country = self._person_countries()
        self.spans = [s for s in doc.spans.get(SPANS_KEY, []) if s.kb_id_ or s.label_ != "PERSON"]
        self.token_spans: dict[int, list[Span]] = {}
        for span in self.spans:
            for i in range(span.start, span.end):
                self.token_spans.setdefault(i, []).append(span)
        self.sents = list(doc.sents)
        # Index by what Span equality compares, so a sentence is found without scanning the list.
        self.sent_index: dict[tuple, int] = {}
        for index, sent in enumerate(self.sents):
            self.sent_index.setdefault(_span_key(sent), index)
        self.sent_of = {}
        for index, sent in enumerate(self.sents):
            for i in range(sent.start, sent.end):
                self.sent_of[i] = index
        self.text = text_of(doc)
        published = doc._.kg_published
        self.dateline = find_dateline(self.text, published)
        # The dateline is the day the story was filed, so it dates the news more closely than the
        # publication date when both are there.
        self.news_date = (self.dateline.date if self.dateline else None) or published
        self.new_entities: list[dict] = []
        self.triggers: set[int] = set()  # token indices of the trigger words found

    # -- who is who -------------------------------------------------------------------------

    def _person_countries(self) -> dict[str, str]:
        countries = {
            k: e["country"]
            for k, e in self.entities.items()
            if e.get("kind") == "person" and e.get("country")
        }
        for holding in self.doc._.kg_office_holdings or []:
            office = holding.get("office") or {}
            if office.get("country"):
                countries.setdefault(holding["person"], office["country"])
        return countries

    def country_of(self, key: str | None) -> str | None:
        if not key:
            return None
        if key.startswith("country:"):
            return key
        entity = self.entities.get(key)
        return entity.get("country") if entity else None

    def spans_at(self, token: Token, labels: Iterable[str]) -> list[Span]:
        return [s for s in self.token_spans.get(token.i, []) if s.label_ in labels]

    # -- mentions ---------------------------------------------------------------------------

    def mentions(self) -> list[Mention]:
        best: dict[int, tuple[int, int, str]] = {}
        for match_id, start, end in self.ex.matcher(self.doc):
            root = self.doc[start:end].root
            rule_id = self.doc.vocab.strings[match_id]
            # One mention per trigger word; the longest pattern is the most specific ("state visit"),
            # then the rule listed first.
            candidate = (end - start, -self.ex.rank[rule_id], rule_id)
            if root.i not in best or candidate > best[root.i]:
                best[root.i] = candidate
        found = []
        self.triggers = set(best)
        for i in sorted(best):
            mention = self.read_mention(self.doc[i], self.ex.rules[best[i][2]])
            if mention is not None:
                found.append(mention)
        _carry_subjects(found)
        found = _split_separate(found)
        self.date_mentions(found)
        for mention in found:
            if (
                mention.rule.kind == "encounter"
                and mention.anchor.i == mention.trigger.i
                and mention.trigger.pos_ != "VERB"
            ):
                # "X's state visit and the meetings held with Y": the visitor is at the meetings too.
                visitors = [
                    p for m in found if m.is_frame and m.sent_index == mention.sent_index for p in m.persons
                ]
                if mention.persons and visitors:
                    mention.persons = list(dict.fromkeys(visitors + mention.persons))
        return found

    def read_mention(self, trigger: Token, rule: Rule) -> Mention | None:
        anchor, light = _anchor(trigger)
        if rule.needs_light_verb and light is None:
            return None
        # the preposition may hang on the object: "discussed the situation with X"
        governors = {trigger, anchor} | {c for c in anchor.children if c.dep_ in ("dobj", "obj")}
        # "A and B discussed trade" needs no "with": they discussed it together (checked below)
        lacks_prep = bool(rule.needs_prep) and not any(
            c.dep_ == "prep" and c.lower_ in rule.needs_prep for t in governors for c in t.children
        )
        if trigger.dep_ == "pobj" and trigger.head.lower_ in ("via", "through", "over", "by"):
            return None  # "held talks via videoconference": the means of another trigger's occasion
        if rule.type == "Reception" and trigger.pos_ == "VERB" and not self.guest_object(trigger):
            return None  # "welcomed the decision of X", "received a letter from X"
        if rule.no_infinitive and any(c.dep_ in ("xcomp", "ccomp") for c in anchor.children):
            return None
        mention = Mention(rule, trigger, anchor, self.sent_of.get(trigger.i, 0))
        mention.intent = _is_intent(trigger, anchor)
        mention.generic = trigger.tag_ in ("NNS", "NNPS") and not any(
            c.dep_ in ("det", "poss") for c in trigger.children
        )
        mention.current = _is_current(trigger, anchor)
        mention.recalled = _is_recalled(trigger, anchor)
        if rule.kind == "visit":
            mention.persons = self.visitors(trigger, anchor)
            mention.hosts = list(mention.persons)  # the one the text follows from here on
            mention.destination = self.destination(trigger, anchor)
            if mention.destination and mention.destination.startswith("institution:"):
                mention.place = mention.destination
        else:
            tokens = _clause_tokens(anchor)
            if anchor.i != trigger.i:
                tokens |= _clause_tokens(trigger)
            mention.persons = self.persons_in(tokens)
            mention.persons += self.listed_persons(tokens)
            if trigger.pos_ == "VERB":
                objects = [c for c in trigger.children if c.dep_ in ("dobj", "obj")]
                if objects:
                    # "met A, Minister of X, B and C": the objects' list, however it was parsed
                    mention.persons += self.list_from(objects[0].left_edge.i)
                elif trigger.dep_ not in ("ROOT", "conj", "advcl", "relcl", "xcomp", "ccomp", "pcomp", "acl"):
                    # a parse that lost the verb's clause ("hosted" read as an adjective): the
                    # names that follow it
                    mention.persons += self.list_from(trigger.i + 1)
            if rule.company:
                # "X arrived accompanied by A and B"; "Accompanying X are A, B and C"
                clause = trigger.head if trigger.dep_ in CLAUSE_DEPS else trigger
                mention.persons += self.persons_in(_clause_tokens(clause) | _clause_tokens(trigger))
                mention.persons += self.list_from(trigger.i + 1)

            if rule.joins_only and trigger.dep_ in SUBJECT_DEPS:
                # "The delegation was led by X, who was accompanied by Y"; "... included A and B"
                verb = trigger.head
                if verb.lemma_.lower() in COMPANY_VERBS | INCLUDE_VERBS:
                    tokens |= _clause_tokens(verb)
                    mention.persons += self.persons_in(_clause_tokens(verb)) + self.list_from(verb.i + 1)
            own_subject = False  # "Speaking to reporters, A and B said": not a subject of its own
            if trigger.pos_ in ("VERB", "AUX") or anchor.pos_ in ("VERB", "AUX"):
                verb = anchor if anchor.pos_ in ("VERB", "AUX") else trigger
                subject = _subject_tokens(verb, agents=False)
                own_subject = bool(subject)
                mention.hosts = self.persons_in(subject)
                mention.persons += [
                    p for p in self.persons_in(_subject_tokens(verb)) if p not in mention.persons
                ]
                if subject and min(t.i for t in subject) < verb.i:
                    # "A (Treasury), B (Energy) and C attended": a list the parser broke up
                    listed = self.list_from(min(t.i for t in subject), verb.i)
                    mention.hosts += [p for p in listed if p not in mention.hosts]
                if not subject:
                    # "Briefing journalists soon after meeting X, Y said": the subject of the
                    # clause the participle depends on.
                    subject = _controller_subject(verb)
                    mention.hosts = self.persons_in(subject)
                    if verb.dep_ == "advcl" and verb.head.lemma_.lower() in COMPANY_VERBS:
                        # "officials who joined X to receive Y": X receives Y with them
                        joined = [c for c in verb.head.children if c.dep_ in ("dobj", "obj")]
                        mention.hosts += self.persons_in({t for c in joined for t in _group(c)})
                if not mention.hosts and (
                    not subject
                    or any(t.lower_ in SINGULAR_PRONOUNS for t in subject)
                    or (
                        _described(subject)
                        and (any(c.lower_ == "also" for c in verb.children) or self.role_subject(verb))
                    )
                ):
                    # No subject in the parse, "he" / "she" that kg_resolve left open, or "the
                    # leader also met ...": the person the text was speaking of.
                    mention.hosts = self.preceding_person(trigger)
                    if not mention.hosts and subject:
                        mention.open_subject = True
                        mention.hosts = self.previous_subject(trigger)
            else:
                # "During his meeting with X, Y said ...": Y was at the meeting.
                mention.hosts = self.governing_subject(trigger)
                if not mention.hosts and self.governing_subject_open(trigger):
                    mention.open_subject = True
                    mention.hosts = self.previous_subject(trigger)
            if lacks_prep and (not own_subject or len(set(mention.hosts)) < 2):
                return None
            if rule.company and not any(c.dep_ in ("auxpass", "agent") for c in trigger.children):
                # "(Y is part of the delegation) accompanying X": X is the one accompanied
                accompanied = [c for c in trigger.children if c.dep_ in ("dobj", "obj")]
                mention.hosts = self.persons_in({t for c in accompanied for t in _group(c)})
            mention.persons = mention.hosts + mention.persons + self.inclusion_list(anchor)
            if trigger.pos_ != "VERB" and len(set(mention.persons)) <= 1:
                mention.persons += self.stray_with(trigger)
            mention.separate = any(t.lower_ in SEPARATE_WORDS for t in tokens)
            mention.within_visit = _within_visit(anchor)
            mention.intent = mention.intent or _is_cancelled(trigger, anchor) or _is_negated(trigger, anchor)
            mention.place = self.place_in(tokens)
            mention.join = (
                light is not None
                and light.lemma_.lower() in JOIN_VERBS
                and any(c.dep_ == "det" and c.lower_ == "the" for c in trigger.children)
                and not any(c.dep_ == "prep" and c.lower_ == "of" for c in trigger.children)
            )
        mention.persons = list(dict.fromkeys(mention.persons))
        return mention

    def persons_in(self, tokens: set[Token]) -> list[str]:
        tokens = tokens | self.title_holders(tokens)
        keys = []
        for token in sorted(tokens, key=lambda t: t.i):
            for span in self.spans_at(token, ("PERSON",)):
                if span.kb_id_ not in keys and self.takes_part(span):
                    keys.append(span.kb_id_)
        return keys

    def role_subject(self, verb: Token) -> bool:
        """A subject that is a person by their role: "the Hungarian top legislator (and his
        entourage) were welcomed", "the Speaker received"."""
        for subject in (c for c in verb.children if c.dep_ in SUBJECT_DEPS):
            if subject.lemma_.lower() in ROLE_NOUNS or self.spans_at(subject, ("TITLE",)):
                return True
        return False

    def takes_part(self, span: Span) -> bool:
        """Can this PERSON span name a participant where it stands?"""
        return bool(span.kb_id_) and not self.owner_only(span) and not self.named_next(span)

    def named_next(self, span: Span) -> bool:
        """A reference kg_resolve filled in ("his Turkish counterpart" -> someone) that the text
        names right after ("his Turkish counterpart Ahmet Dogan"): the name says who it is."""
        if not span.id_.startswith("resolve.reference"):
            return False
        i = span.end
        while i < len(self.doc) and self.doc[i].text in (",", "Mr", "Ms", "Mrs", "Dr", "Dr."):
            i += 1
        return i < len(self.doc) and any(
            s.start == i and not s.id_.startswith("resolve.reference")
            for s in self.spans_at(self.doc[i], ("PERSON",))
        )

    def owner_only(self, span: Span) -> bool:
        """'X's adviser Y', 'the Crown Prince's envoy': X is named as whose the person is, not as
        someone taking part ('X's meeting with Y' and 'X's visit' do name X as taking part); nor is
        a 'person' that is where something happened ('held in the New Capital')."""
        root = span.root
        between = self.doc[root.head.i + 1 : span.start]
        if (
            root.dep_ == "pobj"
            and root.head.lower_ in ("in", "at", "near", "inside")
            and all(t.pos_ == "DET" for t in between)
        ):
            # (not across a line break: a headline glued to the lead is parsed as one sentence)
            return "\n" not in self.text[root.head.idx : span.start_char]
        return (
            root.dep_ == "poss" and root.head.pos_ in ("NOUN", "PROPN") and root.head.i not in self.triggers
        )

    def title_holders(self, tokens: set[Token]) -> set[Token]:
        """Tokens of the person named right after a title in ``tokens`` ("with the Ambassador of X,
        Lena Marsh, Agency reports"): the parser often hangs such a name on a trailing attribution
        verb ("Marsh ... reports"), out of the clause that holds the title it names."""
        extra: set[Token] = set()
        for token in tokens:
            for title in self.spans_at(token, ("TITLE",)):
                if title.root.i != token.i:
                    continue
                # The title's own phrase may run past the span ("Ambassador of <unknown country> to X").
                i = max(title.end, title.root.right_edge.i + 1)
                if self.doc[i - 1].text != "," and i < len(self.doc) and self.doc[i].text == ",":
                    i += 1
                if i >= len(self.doc) or self.sent_of.get(i) != self.sent_of.get(token.i):
                    continue
                for person in self.spans_at(self.doc[i], ("PERSON",)):
                    if person.start == i:
                        extra.update(person)
        return extra

    def preceding_person(self, trigger: Token) -> list[str]:
        """The nearest named person before a verb whose parse lost its subject (the parser misreads
        long titled names: 'Chair of X Lena Marsh who is in Y on a visit met with ...'). A verb
        whose subject is not a person ("the delegation met ...") never gets here."""
        sent = self.sents[self.sent_of.get(trigger.i, 0)]
        for i in range(trigger.i - 1, sent.start - 1, -1):
            token = self.doc[i]
            spans = self.spans_at(token, ("PERSON",))
            if spans and spans[0].kb_id_:
                return [spans[0].kb_id_]
            if token.lower_ in (";", ":"):
                break
        return []

    def listed_persons(self, tokens: set[Token]) -> list[str]:
        """The people of a list after "with", "by", "between" or "including" in ``tokens``, read
        along the text: the parser often hangs the later items of a long list ("with Foreign
        Minister A, Trade Minister B and Finance Minister C"; "attended by A, Minister of X; B,
        Minister of Y") on the next verb instead."""
        found: list[str] = []
        for token in sorted(tokens, key=lambda t: t.i):
            if token.lower_ in LIST_OPENERS and token.dep_ in ("prep", "agent"):
                found += [p for p in self.list_from(token.i + 1) if p not in found]
        return found

    def ends_sentence(self, sent: Span) -> bool:
        """Does the sentence end as sentences do (or is it a line of its own, a headline)?"""
        last = next((t for t in reversed(sent) if not t.is_space), None)
        if last is None or last.text in (".", "!", "?", '"', "”", "’", "'"):
            return True
        return "\n" in self.text[last.idx : sent.end_char + 1] or (
            last.i + 1 < len(self.doc) and self.doc[last.i + 1].is_space and "\n" in self.doc[last.i + 1].text
        )

    def abbreviation_dot(self, i: int) -> bool:
        """Is token ``i`` the full stop of a short title ("Amb.", "Dr.", "Hon.") before a name?"""
        if i < 1 or i + 1 >= len(self.doc) or self.doc[i].text != ".":
            return False
        word, after = self.doc[i - 1], self.doc[i + 1]
        return word.lower_ in TITLE_ABBREVIATIONS and after.is_title

    def guest_object(self, verb: Token) -> bool:
        """Is what "received" / "welcomed" / "hosted" takes a guest (a person, a title, a group),
        or is there no object at all ("X was received by Y")?"""
        objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
        return not objects or any(
            self.spans_at(o, ("PERSON", "TITLE"))
            or o.pos_ in ("PROPN", "PRON")
            or o.lemma_.lower() in GROUP_NOUNS | ROLE_NOUNS
            for o in objects
        )

    def stray_with(self, trigger: Token) -> list[str]:
        """'held his first phone call since taking office with his counterpart, X': the parser
        hung "with X" on a word after the trigger; the first "with" after it in the sentence,
        before any other trigger, names the other party."""
        sent = self.sents[self.sent_of.get(trigger.i, 0)]
        for i in range(trigger.i + 1, sent.end):
            if i in self.triggers:
                return []
            if self.doc[i].lower_ == "with":
                return self.list_from(i)
        return []

    def inclusion_list(self, anchor: Token) -> list[str]:
        """ "Officials who joined X to receive Y included A, B and C": the people the relative
        clause's noun is said to include."""
        for head in _clause_heads(anchor):
            noun = head.head
            if head.dep_ != "relcl" or noun.dep_ not in SUBJECT_DEPS:
                continue
            if noun.head.lemma_.lower() in INCLUDE_VERBS:
                return self.list_from(noun.head.i + 1)
        return []

    def list_from(self, start: int, stop: int | None = None) -> list[str]:
        """The people named in a list that starts at token ``start``: names, their titles, commas,
        semicolons, "and", "as well as" and remarks in brackets, up to the first word that is none
        of these (a verb, a preposition, a relative pronoun) or ``stop``."""
        found: list[str] = []
        if start < len(self.doc) and self.doc[start].lower_ in LIST_OPENERS:
            start += 1  # "led by A", "with B"
        if start >= len(self.doc):
            return found
        index = self.sent_of.get(start, 0)
        end = self.sents[index].end
        # spaCy ends a sentence after "Amb." or "Dr."; the list began before it
        while index > 0 and start == self.sents[index].start and self.abbreviation_dot(start - 1):
            index -= 1
            start = self.sents[index].start
        if index > 0 and start == self.sents[index].start and not self.ends_sentence(self.sents[index - 1]):
            # a sentence cut after "(DPR RI)": the list began in the part before, after its lead-in
            before = self.sents[index - 1]
            colons = [t.i for t in before if t.text.rstrip().endswith((":", "—", "–"))]
            start = colons[-1] + 1 if colons else before.start
        index = self.sent_of.get(end - 1, index)
        if not self.ends_sentence(self.sents[index]) and index + 1 < len(self.sents):
            end = self.sents[index + 1].end  # the parser cut the sentence inside the list
        if stop is not None:
            end = min(end, stop)
        i = start
        while i < end:
            word = self.doc[i]
            if word.text == "(":
                close = next((j for j in range(i + 1, end) if self.doc[j].text.startswith(")")), None)
                if close is None:
                    break
                i = close + 1
                continue
            covered = self.spans_at(word, ("PERSON", "TITLE", "COUNTRY", "INSTITUTION"))
            if (
                word.lower_ in ("as", "well")
                and " ".join(t.lower_ for t in self.doc[max(0, i - 2) : i + 3]).find("as well as") >= 0
            ):
                covered = True  # "A as well as B"
            if word.lower_ == "in" and i + 1 < end:
                # "the Head of the Office in Riga Ilse Marten": a title's place, then a name
                place = self.spans_at(self.doc[i + 1], ("PLACE", "COUNTRY"))
                after = place[0].end if place else None
                covered = (
                    after is not None and after < end and bool(self.spans_at(self.doc[after], ("PERSON",)))
                )
            if word.text == "." and self.abbreviation_dot(i):
                covered = True  # "Amb. A", "Dr. B": a title cut short, not the end of the list
            if not covered and (
                word.pos_ in ("VERB", "AUX", "SCONJ")
                or (word.pos_ == "ADP" and word.lower_ not in LIST_INNER_PREPS)
                or word.lower_ in RELATIVE_PRONOUNS
                or word.text in (".", ":", ")")
            ):
                if word.lemma_.lower() in REPORTING_VERBS:
                    # "... with her staff, X said": X speaks about it, X is not in the list
                    speakers = self.persons_in(_subject_tokens(word, agents=False))
                    found = [p for p in found if p not in speakers]
                break
            for span in self.spans_at(word, ("PERSON",)):
                if span.kb_id_ not in found and self.takes_part(span):
                    found.append(span.kb_id_)
            i += 1
        return found

    def previous_subject(self, trigger: Token, back: int = 3) -> list[str]:
        """The person a previous sentence was about (its subject), for "He also met X" when
        kg_resolve left "He" open because that sentence named several people."""
        index = self.sent_of.get(trigger.i, 0)
        for sent in reversed(self.sents[max(0, index - back) : index]):
            for token in sent:
                if token.dep_ in SUBJECT_DEPS and token.head.dep_ == "ROOT":
                    found = [s.kb_id_ for s in self.spans_at(token, ("PERSON",)) if s.kb_id_]
                    if found:
                        return found[:1]
        return []

    def governing_subject(self, trigger: Token) -> list[str]:
        """The subject of the verb a noun trigger hangs from through a preposition, when it is the
        trigger's "with" party's counterpart: "At the meeting with X, Y said" -> Y; "During his talks
        with X, Y stressed" -> Y. Not for "a meeting between A and B" (its people are named)."""
        if not any(c.dep_ == "prep" and c.lower_ == "with" for c in trigger.children) and not any(
            c.dep_ == "poss" for c in trigger.children
        ):
            return []
        if trigger.dep_ not in ("pobj", "pcomp"):
            return []
        verb = _governing_verb(trigger)
        if verb is None or trigger.head.head != verb:
            return []
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if any(c.pos_ in ("NOUN", "PRON") and not self.spans_at(c, ("PERSON",)) for c in subjects):
            return []  # "After talks with X, the delegation met Y": the delegation had the talks
        return self.persons_in(_subject_tokens(verb, agents=False))

    def governing_subject_open(self, trigger: Token) -> bool:
        """ "At the meeting with X the President said": a subject that only describes its person,
        which kg_resolve left open (several presidents named); the host is found by looking back."""
        if trigger.dep_ not in ("pobj", "pcomp") or not any(
            c.dep_ == "prep" and c.lower_ == "with" for c in trigger.children
        ):
            return False
        verb = _governing_verb(trigger)
        if verb is None or trigger.head.head != verb:
            return False
        subject = _subject_tokens(verb, agents=False)
        if self.persons_in(subject):
            return False
        # no subject, "the President", or "they" / "he" that kg_resolve left open
        return not subject or _described(subject) or all(t.pos_ == "PRON" for t in subject)

    def visitors(self, trigger: Token, anchor: Token) -> list[str]:
        """Who travels: the subject of "X visited", "X's visit", "the visit of X", "X, who is on a visit"."""
        if trigger.dep_ == "amod":
            # "received the visiting delegation": the visitors are the noun's, not the clause's subject
            return self.persons_in(_group(trigger.head))
        if trigger.pos_ in ("VERB", "AUX"):
            subject = _subject_tokens(trigger)
            found = self.persons_in(subject)
            if found or (subject and not any(t.lower_ in SINGULAR_PRONOUNS for t in subject)):
                return found
            return self.preceding_person(trigger)
        own = [c for c in trigger.children if c.dep_ == "poss"]
        own += [
            g for c in trigger.children if c.dep_ == "prep" and c.lower_ in ("of", "by") for g in c.children
        ]
        found = self.persons_in({t for c in own for t in _group(c)})
        if found:
            return found
        head = _governing_verb(trigger)
        if head is not None and head.lemma_.lower() not in ("exchange", "discuss", "mention", "recall"):
            found = self.persons_in(_subject_tokens(head))
            if found:
                return found
        # "during his state visit": a possessive pronoun kg_resolve left open is the nearest person before.
        if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in trigger.children):
            return self.preceding_person(trigger)
        return []

    def destination(self, trigger: Token, anchor: Token) -> str | None:
        candidates = [c for c in trigger.children if c.dep_ == "prep" and c.lower_ in ("to", "in")]
        if trigger.pos_ == "VERB":
            candidates += [c for c in trigger.children if c.dep_ in ("dobj", "obj")]
        head = _governing_verb(trigger)
        if head is not None:
            candidates += [c for c in head.children if c.dep_ == "prep" and c.lower_ in ("in", "to")]
        for candidate in candidates:
            tokens = [
                g for c in [candidate] for g in (_group(c) if candidate.dep_ != "prep" else _objects(c))
            ]
            for token in tokens:
                for span in self.spans_at(token, ("COUNTRY", "PLACE", "INSTITUTION")):
                    if span.kb_id_:
                        return span.kb_id_
        return None

    def place_in(self, tokens: set[Token]) -> str | None:
        """Where an encounter is: "at / in X", or the object of "visited"."""
        for token in sorted(tokens, key=lambda t: t.i):
            if token.dep_ == "prep" and token.lower_ in ("at", "in"):
                # Only the head of the object: "in the meeting of the Council of X" is not in X.
                for obj in (c for c in token.children if c.dep_ == "pobj"):
                    for span in self.spans_at(obj, ("PLACE", "INSTITUTION", "COUNTRY")):
                        if span.kb_id_:
                            return span.kb_id_
                    if token.lower_ == "at":
                        venue = self.venue(obj)
                        if venue:
                            return venue
        return None

    def venue(self, head: Token) -> str | None:
        """A named venue the gazetteer does not know: 'at the "Zagulba" presidential residence'."""
        if head.lemma_.lower() not in VENUE_NOUNS:
            return None
        words = [t for t in head.subtree if t.i <= head.i and t.dep_ not in ("det", "punct", "poss", "case")]
        if not any(t.pos_ == "PROPN" or t.is_title for t in words if t is not head):
            return None
        label = " ".join(t.text for t in words)
        key = "place:" + slug(label)
        if key not in self.entities:
            sent = self.sents[self.sent_of.get(head.i, 0)]
            entity = {
                "key": key,
                "kind": "place",
                "label": label,
                "aliases": [],
                "country": None,
                "subtype": "Building",
                "evidence": [self.evidence(sent, "events.venue", head.idx)],
            }
            self.entities[key] = entity
            self.new_entities.append(entity)
        return key

    # -- dates ------------------------------------------------------------------------------

    def date_mentions(self, mentions: list[Mention]) -> None:
        """Give each mention the date said in its own clause (nearest first).

        "Earlier in the day" and "a day earlier" count from the day the text was last talking about:
        the latest day given to an earlier mention, else the news date. A mention that goes on with
        the story ("he also met", "then held talks") and says no date of its own has the date of
        the mention before it; so has one that names who took part in an occasion just told without
        names ("a round of telephone calls on Sunday. X held discussions with Y"). One told in or
        just after a dated report ("X yesterday said ... After meeting Y, X said ...") keeps that
        day as ``told_on``: the day its event gets if nothing else in the article dates it.
        """
        by_sent: dict[int, list[Mention]] = {}
        for mention in mentions:
            by_sent.setdefault(mention.sent_index, []).append(mention)
        anchor = self.news_date
        last: str | None = None
        scene: tuple[str, int] | None = None  # a dated occasion told without names, and its sentence
        for index in sorted(by_sent):
            group = by_sent[index]
            sent = self.sents[index]
            found, shifted = self.sentence_dates(index, anchor)
            for mention in group:
                usable = [
                    (s, v)
                    for s, v in found
                    if _same_statement(s.root, mention.anchor) and not _opens_span(s.root)
                ]
                lead = _headline_break(sent, mention.trigger)
                if not usable and lead is not None:
                    # A headline that spaCy joined to the lead below it ("X meets Y\n\nX on
                    # Tuesday received Y"): the lead's date is the headline's.
                    usable = [(s, v) for s, v in found if s.start > lead and not _opens_span(s.root)][:1]
                following = index + 1
                if not usable and following < len(self.sents) and _fragment(self.sents[following]):
                    # The parser cut the sentence before its end ("X welcomed Y. Y to Z on
                    # Wednesday."): the verbless rest is the same statement.
                    rest, _ = self.sentence_dates(following, anchor)
                    usable = [(s, v) for s, v in rest if not _opens_span(s.root)][:1]
                if usable:
                    # A date said of the trigger itself ("calling on Y this morning") before the
                    # nearest one of the clause ("attended X last night before calling on Y").
                    span, value = min(
                        usable,
                        key=lambda sv: (
                            not _said_of(sv[0].root, mention),
                            abs(sv[0].start - mention.trigger.i),
                        ),
                    )
                    if mention.is_frame and not (
                        mention.anchor.is_ancestor(span.root) or _starts(span.root, mention.trigger)
                    ):
                        # "X, on a visit to Y, met Z on 4 June": the day is the meeting's; a visit
                        # lasts days, so it only gets the month.
                        value = coarsen(value, "month")
                    mention.date = value
                    mention.shifted = span.start in shifted
                elif index > 0 and _background_after(self.sents[index - 1], mention):
                    mention.recalled = mention.background = True
                elif last and not mention.recalled and _goes_on(mention):
                    mention.date = last
                elif scene and not mention.recalled and index - scene[1] <= SCENE_SENTENCES:
                    mention.date = scene[0]
                elif not mention.recalled:
                    mention.told_on = self.reported_day(index)
                if mention.date and not (mention.recalled or mention.intent or mention.is_frame):
                    last = mention.date
                    guests = set(mention.persons) - set(mention.hosts)
                    if not guests and precision(mention.date) == "day":
                        # no one named but the host: "X held talks on Sunday with regional leaders"
                        scene = (mention.date, index)
            days = [m.date for m in group if precision(m.date) == "day"]
            anchor = days[-1] if days else anchor

    def sentence_dates(self, index: int, anchor: str | None) -> tuple[list[tuple[Span, str]], set[int]]:
        """The dates of one sentence as spans with their values (not those that date the news), and
        the starts of those that shift the day told ("a day earlier")."""
        sent = self.sents[index]
        found = []
        shifted: set[int] = set()
        for date_mention in find_dates(sent.text, self.news_date, anchor=anchor, context=self.text):
            if not date_mention.value or self.dates_the_news(sent.start_char + date_mention.start):
                continue
            span = self.doc.char_span(
                sent.start_char + date_mention.start,
                sent.start_char + date_mention.end,
                alignment_mode="expand",
            )
            if span is not None:
                found.append((span, date_mention.value))
                if ANAPHORIC_DAYS.get(" ".join(date_mention.text.lower().split())):
                    shifted.add(span.start)
        return found, shifted

    def reported_day(self, index: int) -> str | None:
        """The day of a report ("X yesterday said", "X told reporters on Monday") in this sentence or
        the two before it: the day the story is told on."""
        for before in range(index, max(-1, index - SCENE_SENTENCES - 1), -1):
            found, _ = self.sentence_dates(before, None)
            for span, value in found:
                verb = _governing(span.root)
                if precision(value) == "day" and verb is not None and verb.lemma_.lower() in REPORT_VERBS:
                    return value
        return None

    def summit_day(self) -> str | None:
        """The day the text gives for the gathering meetings are held on the sidelines of ("on the
        margins of the summit, which opened on Saturday", "on the sidelines of Monday's session"):
        the day of a meeting there that the text dates no other way."""
        for index, sent in enumerate(self.sents):
            edges = [t for t in sent if t.lower_ in SIDELINE_WORDS]
            if not edges:
                continue
            gatherings = [
                g
                for t in edges
                for p in t.children
                if p.lower_ == "of"
                for g in p.children
                if g.dep_ == "pobj"
            ]
            found, _ = self.sentence_dates(index, None)
            for span, value in found:
                if precision(value) == "day" and any(g.is_ancestor(span.root) for g in gatherings):
                    return value
        return None

    def dates_the_news(self, offset: int) -> bool:
        """A date on the dateline or on a publication date line ("Last modified: 13 March 2022 01:57
        pm") that spaCy joined to the next sentence dates the article (the news date), not the
        sentence's event."""
        if self.dateline and self.dateline.start <= offset < self.dateline.end:
            return True
        text = self.doc.text
        start = text.rfind("\n", 0, offset) + 1
        end = text.find("\n", offset)
        return date_line(text[start : end if end >= 0 else len(text)]) is not None

    # -- clustering -------------------------------------------------------------------------

    def recent_enough(self, cluster: Cluster, mention: Mention) -> bool:
        """'The meeting took place in 2018' names no one: it is the news's undated meeting only if
        its date can be the news's (within days of it), not a meeting of another year."""
        if cluster.own_date() or not mention.date or not self.news_date or not _undated_news(cluster):
            return True
        return near(mention.date, self.news_date, NEAR_DAYS)

    def date_so_far(self, cluster: Cluster, mention: Mention) -> str | None:
        """The date a cluster stands for when a mention is compared with it. "A day earlier, X and Y
        met" tells of another day than the one reported so far, which is the news date when the
        cluster has none of its own."""
        own = cluster.own_date()
        if own is None and mention.shifted and _undated_news(cluster):
            return self.news_date
        return own

    def clusters(self, mentions: list[Mention]) -> tuple[list[Cluster], list[Cluster]]:
        frames: list[Cluster] = []
        encounters: list[Cluster] = []
        company = [m for m in mentions if m.rule.company]
        for mention in [m for m in mentions if not m.rule.company]:
            if mention.intent:
                continue  # planned, hoped for, called off: no occasion took place
            pool = frames if mention.is_frame else encounters
            same = [
                c
                for c in pool
                if c.family == mention.family and compatible(self.date_so_far(c, mention), mention.date)
            ]
            call = self.call_told_again(encounters, mention)
            if call is not None:
                call.add(mention)
                continue
            if mention.is_frame:
                same = [c for c in same if _same_place(c, mention)]
            target = None
            persons = set(mention.persons)
            if mention.rule.joins_only:
                if persons and same:
                    _referent(same, mention).add(mention)
                continue
            if not persons and mention.recalled and mention.date:
                # "They had met in September last year": the people of the occasion just told, at
                # an earlier one the text dates.
                told = _they_of(mention, encounters)
                if told:
                    pool.append(Cluster([mention], told))
                    continue
            if not persons:
                same = [c for c in same if self.recent_enough(c, mention)]
                if mention.rule.anaphoric and not mention.generic and same:
                    target = _referent(same, mention)
                else:
                    continue
            elif mention.join and same:
                target = _referent(same, mention)
            else:
                fits = [
                    c
                    for c in same
                    if (persons <= set(c.persons) or set(c.persons) <= persons)
                    and c.mentions[0].within_visit == mention.within_visit
                ]
                if mention.is_frame:
                    fits = [c for c in same if persons & set(c.persons)]
                if fits:
                    target = max(fits, key=lambda c: c.last)
                elif len(persons) < mention.rule.min_persons and not (
                    _meets_a_group(mention) or mention.open_subject
                ):
                    continue  # ("the Speaker received X": a host the text names later or not at all)
            if target is None:
                pool.append(Cluster([mention], list(mention.persons)))
            else:
                target.add(mention)
        for mention in company:
            # after the rest: "X, accompanied by Y, arrived on a state visit" names the visit later
            persons = set(mention.persons)
            if len(persons) < 2 or mention.intent:
                continue
            # the occasion told in the same sentence ("X arrived accompanied by A, who were received
            # by B"), else the visit or meeting of the one accompanied
            here = [
                c
                for c in frames + encounters
                if persons & set(c.persons) and any(m.sent_index == mention.sent_index for m in c.mentions)
            ]
            principal = set(mention.hosts)
            with_them = [c for c in frames if principal & set(c.persons)] or [
                c for c in encounters if principal & set(c.persons)
            ]
            before = [c for c in with_them if min(m.sent_index for m in c.mentions) <= mention.sent_index]
            if here or with_them:
                max(here or before or with_them, key=lambda c: c.last).add(mention)
        return frames, encounters

    def call_told_again(self, encounters: list[Cluster], mention: Mention) -> Cluster | None:
        """The phone call a plain talk verb goes on about: the latest call cluster with the same
        people (or all of them among its people) and a date that fits."""
        persons = set(mention.persons)
        if mention.rule.id not in PLAIN_TALK_RULES or len(persons) < 2:
            return None
        calls = [
            c
            for c in encounters
            if c.family == "call"
            and persons <= set(c.persons)
            and compatible(self.date_so_far(c, mention), mention.date)
            and c.mentions[0].within_visit == mention.within_visit
        ]
        return max(calls, key=lambda c: c.last) if calls else None

    # -- events -----------------------------------------------------------------------------

    def events(self) -> list[dict]:
        mentions = self.mentions()
        frames, encounters = self.clusters(mentions)
        encounters = [c for c in encounters if c.persons]
        frames = [c for c in frames if c.persons]
        for cluster in encounters:
            cluster.parent = self.frame_of(cluster, frames)
        self.date_clusters(frames, encounters, mentions)
        frame_events = {id(f): self.frame_event(f) for f in frames}
        for frame in frames:
            frame.key = frame_events[id(frame)]["key"]
        topics = self.topics_by_cluster(encounters, mentions)
        events = list(frame_events.values())
        for index, cluster in enumerate(encounters):
            events.append(self.encounter_event(cluster, index == 0, topics.get(id(cluster), [])))
        return _dedupe_keys(events)

    def date_clusters(
        self, frames: list[Cluster], encounters: list[Cluster], mentions: list[Mention]
    ) -> None:
        """Dates of events: an event's own date; else the date of a later "the meetings" that looks
        back on the mention it came from ("had meetings with X and Y. During the meetings on 22
        May"); else, for a meeting during a visit, the visit's (its day only when the visit lasted
        one day; the news day when it falls in the visit's month; else the month); else the day of
        the report it is told in; else the news date (the dateline's day, or the publication
        date). A visit
        without a date of its own gets the month of its first dated meeting, else the month of the
        news. An occasion the text recalls ("had met", "their last meeting") or only plans keeps no
        date unless the text gives it."""
        for cluster in encounters:
            cluster.date = cluster.own_date()
        for frame in frames:
            frame.date = frame.own_date()
            if frame.date is None:
                children = sorted(c.date for c in encounters if c.parent is frame and c.date)
                if children:
                    frame.date = coarsen(children[0], "month")
        looking_back = [m for m in mentions if m.date and not m.recalled and _plural_reference(m.trigger)]
        for cluster in encounters:
            if cluster.date is not None:
                continue
            parent = cluster.parent
            back = [
                m.date
                for m in looking_back
                for x in cluster.mentions
                if x.trigger.lemma_ == m.trigger.lemma_ and x.trigger.i < m.trigger.i
            ]
            if back:
                cluster.date = back[0]
            elif parent is not None and parent.date:
                one_day = precision(parent.date) == "day" and any(
                    _one_day(m.trigger) for m in parent.mentions
                )
                month = coarsen(parent.date, "month")
                if one_day:
                    cluster.date = parent.date
                elif self.news_date and self.news_date.startswith(month or "-") and _undated_news(cluster):
                    cluster.date = self.news_date  # the news day, in the visit's month
                else:
                    cluster.date = month
            elif _undated_news(cluster):
                told = [m.told_on for m in cluster.mentions if m.told_on]
                cluster.date = told[0] if told else (self.summit_day() or self.news_date)
        for frame in frames:
            if frame.date is None and _undated_news(frame) and self.news_date:
                children = sorted(c.date for c in encounters if c.parent is frame and c.date)
                frame.date = coarsen(children[0] if children else self.news_date, "month")

    def frame_of(self, cluster: Cluster, frames: list[Cluster]) -> Cluster | None:
        """The visit during which an encounter happened: its visitor takes part, the dates agree."""
        if _all(cluster, "background"):
            return None  # background to the news, told of no visit
        first = min(m.trigger.i for m in cluster.mentions)
        fits = [
            f
            for f in frames
            if set(f.persons) <= set(cluster.persons)
            and compatible(f.own_date(), cluster.own_date())
            and not _all(f, "recalled")  # an earlier visit the text looks back on frames nothing today
        ]
        before = [f for f in fits if min(m.trigger.i for m in f.mentions) <= first]
        if before:
            return max(before, key=lambda f: min(m.trigger.i for m in f.mentions))
        return min(fits, key=lambda f: min(m.trigger.i for m in f.mentions)) if fits else None

    def frame_event(self, frame: Cluster) -> dict:
        kinds = [m.rule.type for m in frame.mentions]
        event_type = next(t for t in VISIT_TYPES if t in kinds)
        destination = next((m.destination for m in frame.mentions if m.destination), None)
        host = self.country_of(destination)
        guests = [self.person_country.get(p) for p in frame.persons]
        guest = next((g for g in guests if g and g != host), None)
        event = self.event_dict(
            frame,
            event_type,
            cameo="042",
            place=destination,
            country=host,
            host=host,
            guest=guest,
            topics=[],
            parent=None,
        )
        where = self.label_of(destination)
        event["label"] = f"{_readable(event_type)} of {self.names(frame.persons)}" + (
            f" to {where}" if where else ""
        )
        return event

    def encounter_event(self, cluster: Cluster, main: bool, topics: list[str]) -> dict:
        # people joining ("the delegation was led by", "accompanied by") say nothing of the kind
        own = [m for m in cluster.mentions if m.persons and not (m.rule.joins_only or m.rule.company)]
        types = list(dict.fromkeys(m.rule.type for m in own)) or [cluster.mentions[0].rule.type]
        if "PhoneCall" in types and all(
            m.rule.id in PLAIN_TALK_RULES for m in own if m.rule.type != "PhoneCall"
        ):
            types = ["PhoneCall"]  # the call told again with a plain talk verb
        if len(types) == 1:
            event_type = types[0]
        else:
            event_type = next((t for t in MIXED_TYPE_ORDER if t in types), "Meeting")
        rule = next((m.rule for m in cluster.mentions if m.rule.type == event_type), None)
        cameo = rule.cameo if rule else "040"
        place = next((m.place for m in cluster.mentions if m.place), None)
        parent = cluster.parent
        frame_place = (
            next((m.destination for m in parent.mentions if m.destination), None) if parent else None
        )
        if place is None and frame_place:
            place = frame_place
        if place is None and main:
            place = self.dateline_place(parent)
        country = self.country_of(place) or (self.country_of(frame_place) if parent else None)
        host = guest = None
        if parent is not None:
            host = self.country_of(frame_place)
            guests = [self.person_country.get(p) for p in parent.persons]
            guest = next((g for g in guests if g and g != host), None)
        if event_type in ("Meeting", "Talks") and country:
            known = {self.person_country.get(p) for p in cluster.persons} - {None}
            if len(known) >= 2 and country not in known:
                cameo = "044"  # met at a "third" location
        event = self.event_dict(
            cluster,
            event_type,
            cameo=cameo,
            place=place,
            country=country,
            host=host,
            guest=guest,
            topics=topics,
            parent=parent.key if parent else None,
        )
        verb = {"PhoneCall": "phone call", "Ceremony": "ceremony"}.get(
            event_type, _readable(event_type).lower()
        )
        event["label"] = f"{self.names(cluster.persons)}: {verb}"
        return event

    def event_dict(self, cluster, event_type, *, cameo, place, country, host, guest, topics, parent) -> dict:
        evidence = []
        seen = set()
        for mention in cluster.mentions:
            if (mention.sent_index, mention.rule.id) in seen:
                continue
            seen.add((mention.sent_index, mention.rule.id))
            evidence.append(
                self.evidence(self.sents[mention.sent_index], mention.rule.id, mention.trigger.idx)
            )
        return {
            "key": event_key(event_type, cluster.date, cluster.persons, self.doc._.kg_article_id),
            "type": event_type,
            "participants": list(cluster.persons),
            "date": cluster.date,
            "place": place,
            "country": country,
            "host_country": host,
            "guest_country": guest,
            "topics": topics,
            "cameo": cameo,
            "parent": parent,
            "label": None,
            "evidence": evidence,
        }

    def dateline_place(self, parent: Cluster | None) -> str | None:
        """The dateline city places the article's main event, unless it happened on a trip elsewhere."""
        line = self.dateline
        if line is None:
            return None
        span = self.doc.char_span(line.start, line.end, alignment_mode="expand")
        if span is None:
            return None
        spans = [s for s in self.spans if span.start <= s.start and s.end <= span.end]
        place = next((s.kb_id_ for s in spans if s.label_ == "PLACE" and s.kb_id_), None)
        country = next((s.kb_id_ for s in spans if s.label_ == "COUNTRY" and s.kb_id_), None)
        if country is None and line.country and "country:" + slug(line.country) in self.entities:
            country = "country:" + slug(line.country)
        city_span = self.doc.char_span(line.start, line.start + len(line.city), alignment_mode="expand")
        names_country = "country:" + slug(line.city) in self.entities or any(
            s.label_ == "COUNTRY" and city_span is not None and s.start <= city_span.start < s.end
            for s in spans
        )
        if place is None and names_country:
            return None  # "VIETNAM, August 25 -": the dateline names a country, not a city
        if place is None:
            place = "place:" + slug(line.city)
            if place not in self.entities:
                entity = {
                    "key": place,
                    "kind": "place",
                    "label": line.city,
                    "aliases": [],
                    "country": country,
                    "subtype": "City",
                    "evidence": [
                        self.evidence(
                            self.sents[self.sent_of.get(span.start, 0)], "events.dateline", line.start
                        )
                    ],
                }
                self.entities[place] = entity
                self.new_entities.append(entity)
        if parent is not None:
            host = self.country_of(next((m.destination for m in parent.mentions if m.destination), None))
            if host and self.country_of(place) and host != self.country_of(place):
                return None
        return place

    def topics_by_cluster(self, encounters: list[Cluster], mentions: list[Mention]) -> dict[int, list[str]]:
        """Topic ids per encounter: the sentences about it; all of them for the article's main event."""
        triggers = {m.trigger.i for c in encounters for m in c.mentions}
        triggers |= {m.trigger.i for m in mentions if m.persons}
        per_sent: dict[int, list[str]] = {}
        for span in self.ex.topics.find(self.doc):
            # The event's own words ("state visit") are not what it discussed.
            if any(i in triggers for i in range(span.start, span.end)):
                continue
            per_sent.setdefault(self.sent_of.get(span.start, 0), []).append(span.label_)
        result: dict[int, list[str]] = {}
        main_persons = set(encounters[0].persons) if encounters else set()
        for index, cluster in enumerate(encounters):
            if index == 0:
                sents = set(per_sent)
            else:
                own = set(cluster.persons) - main_persons
                sents = {m.sent_index for m in cluster.mentions}
                for s_index in per_sent:
                    sent = self.sents[s_index]
                    named = {
                        sp.kb_id_
                        for sp in self.spans
                        if sp.label_ == "PERSON" and sent.start <= sp.start < sent.end
                    }
                    if own & named:
                        sents.add(s_index)
            ids = [t for s in sorted(sents) for t in per_sent.get(s, [])]
            result[id(cluster)] = list(dict.fromkeys(ids))
        return result

    # -- small helpers ----------------------------------------------------------------------

    def evidence(self, sent: Span, rule: str, at: int | None = None) -> dict:
        """The sentence as evidence. spaCy joins a headline or a date line to the next sentence when
        no full stop ends it; the evidence is then only the line that holds ``at`` (a char offset)."""
        start, end = sent.start_char, sent.end_char
        body = self.text[start:end]  # sent.text, without joining its tokens again
        if at is not None and "\n" in body:
            for line in re.finditer(r"[^\n]+", body):
                if start + line.start() <= at < start + line.end():
                    start, end = start + line.start(), start + line.end()
                    break
        text = self.text[start:end]
        stripped = text.strip()
        start += len(text) - len(text.lstrip())
        return {
            "article_id": self.doc._.kg_article_id,
            "sentence_index": self.sent_index.get(_span_key(sent), 0),
            "start_char": start,
            "end_char": start + len(stripped),
            "sentence": stripped,
            "rule": rule,
        }

    def label_of(self, key: str | None) -> str | None:
        if not key:
            return None
        entity = self.entities.get(key)
        return entity["label"] if entity else key.split(":", 1)[-1].replace("-", " ").title()

    def names(self, persons: list[str]) -> str:
        labels = [self.label_of(p) or p for p in persons]
        return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _span_key(span: Span) -> tuple:
    """What spaCy's Span equality compares, within one Doc."""
    return (span.start_char, span.end_char, span.label, span.kb_id, span.id)


# ---------------------------------------------------------------------------------------------
# Dependency helpers (pure functions over spaCy tokens)


def _anchor(trigger: Token) -> tuple[Token, Token | None]:
    """The light verb a noun trigger is read through ("had a meeting", "took part in the session"),
    or the trigger itself. Returns (anchor, light verb or None)."""
    if trigger.pos_ in ("VERB", "AUX"):
        return trigger, None
    token = trigger
    for _ in range(4):
        if token.dep_ in ("dobj", "obj", "nsubjpass", "attr", "pobj", "prep") or (
            token.dep_ == "conj" and token.head.pos_ in ("NOUN", "PROPN")
        ):
            token = token.head
        else:
            break
        if token.pos_ in ("VERB", "AUX"):
            if token.lemma_.lower() in LIGHT_VERBS:
                return token, token
            break
        if token.pos_ == "NOUN" and token.lower_ != "part":
            break
    for child in trigger.children:
        if child.dep_ == "acl" and child.lemma_.lower() in LIGHT_ACL:
            return trigger, child
    return trigger, None


def _clause_tokens(head: Token) -> set[Token]:
    """The head and what depends on it within its own clause (no relative or subordinate clauses)."""
    found = {head}
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.children:
            if child.dep_ in CLAUSE_DEPS and not (
                (child.dep_ == "acl" and child.lemma_.lower() in LIGHT_ACL) or _is_company(child)
            ):
                continue
            if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") and token.pos_ in ("VERB", "AUX"):
                continue  # a second statement ("... met Y and praised Z")
            if child.dep_ == "prep" and child.lower_ in OTHER_TIME_PREPS | SOURCE_PREPS:
                continue
            found.add(child)
            stack.append(child)
    return found


def _carry_subjects(mentions: list[Mention], back: int = 5) -> None:
    """ "He also met X" after "Y held talks with Z": he is the one the last mentions were about."""
    last: Mention | None = None
    for mention in mentions:
        if mention.open_subject and last is not None and mention.sent_index - last.sent_index <= back:
            mention.persons = [p for p in mention.persons if p not in mention.hosts]
            mention.hosts = list(last.hosts)
            mention.persons = list(dict.fromkeys(mention.hosts + mention.persons))
            last = mention  # the series goes on: "At the meeting with A he said ... With B he ..."
        elif (
            mention.hosts
            and not mention.open_subject
            and not mention.intent
            and not _in_relative(mention.anchor)
        ):
            last = mention


def _in_relative(token: Token) -> bool:
    """Inside a relative clause ("officials, who were received by X"): its subject is not whom
    the story follows."""
    return any(head.dep_ in ("relcl", "acl") for head in _clause_heads(token))


def _split_separate(mentions: list[Mention]) -> list[Mention]:
    """ "X held separate meetings with A and B": a meeting of X with A and one with B. The series
    goes on in the next sentences: "The meetings with C and D took place ...", "He also met E"."""
    found: list[Mention] = []
    hosts: list[str] = []
    last = -10
    calls = [m.sent_index for m in mentions if m.rule.type == "PhoneCall"]
    for mention in mentions:
        if len(mention.hosts) == 1 and mention.trigger.lower_ in SEVERAL_MEETINGS:
            # "X had meetings with A and B", "X held bilateral meetings with A, B and C"
            mention.separate = True
        if (
            mention.rule.kind == "encounter"
            and len(mention.hosts) == 1
            and mention.trigger.tag_ in ("NNS", "NNPS")
            and any(0 <= mention.sent_index - s <= 3 for s in calls)
        ):
            # "a round of telephone calls ... He also had discussions with A, B and C": one call each
            mention.separate = True
        if (
            mention.rule.kind == "encounter"
            and not mention.separate
            and hosts
            and mention.sent_index - last <= 2
            and set(mention.hosts) <= set(hosts)
        ):
            plural = mention.trigger.tag_ in ("NNS", "NNPS") and not mention.hosts
            also = bool(mention.hosts) and any(c.lower_ == "also" for c in mention.anchor.children)
            if plural or also:
                mention.separate = True
                mention.hosts = mention.hosts or list(hosts)
                mention.persons = list(dict.fromkeys(mention.hosts + mention.persons))
        if not (mention.separate and mention.hosts):
            found.append(mention)
            continue
        hosts, last = mention.hosts, mention.sent_index
        guests = [p for p in mention.persons if p not in mention.hosts]
        if len(guests) < 2:
            found.append(mention)
            continue
        found += [replace(mention, persons=[*mention.hosts, guest]) for guest in guests]
    return found


def _controller_subject(verb: Token) -> set[Token]:
    """A participle or infinitive without a subject of its own takes the subject of the verb its
    clause depends on ("Briefing journalists after meeting X, Y said": Y)."""
    token = verb
    for _ in range(5):
        if token.head.i == token.i or token.dep_ not in ("advcl", "pcomp", "prep", "xcomp", "pobj", "conj"):
            return set()
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            subject = _subject_tokens(token)
            if subject:
                return subject
    return set()


def _described(subject: set[Token]) -> bool:
    """A subject that describes rather than names: "the Japanese leader", "the President"."""
    return any(t.dep_ == "det" and t.lower_ == "the" for t in subject)


def _is_negated(trigger: Token, anchor: Token) -> bool:
    """ "did not meet them", "no meeting was held", "never held talks", "will not be in a position
    to meet them"."""
    return any(
        c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") or c.lower_ == "never"
        for token in {trigger, anchor} | _negatable_heads(anchor)
        for c in token.children
    )


def _negatable_heads(token: Token) -> set[Token]:
    """The verbs an infinitive hangs on through 'able to', 'in a position to', 'wants to': a 'not'
    there denies the meeting too."""
    heads: set[Token] = set()
    for _ in range(4):
        if token.dep_ not in ("xcomp", "acl", "relcl", "pobj", "prep", "acomp") or token.head.i == token.i:
            break
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            heads.add(token)
    return heads


def _is_cancelled(trigger: Token, anchor: Token) -> bool:
    """ "cancelled her meeting with X", "the talks were postponed", "refused to meet X"."""
    for token in {trigger, anchor}:
        head = token.head
        if token.dep_ in ("dobj", "obj", "nsubjpass", "xcomp") and head.lemma_.lower() in CANCEL_VERBS:
            return True
        if (
            token.dep_ in ("dobj", "obj")
            and head.lemma_.lower() == "call"
            and any(c.lower_ == "off" for c in head.children)
        ):
            return True
    return False


def _within_visit(anchor: Token) -> int | None:
    """The visit, time or place whose relative clause tells of the trigger ("her visit in May,
    where she met X"; "the trip during which they held talks"): the token the clause hangs on."""
    for head in _clause_heads(anchor):
        if head.dep_ not in ("relcl", "acl"):
            continue
        relative_place_or_time = any(
            c.lower_ in ("where", "when")
            or (c.dep_ == "prep" and any(g.lower_ == "which" for g in c.children))
            for verb in (head, *head.conjuncts)
            for c in verb.children
        )
        if relative_place_or_time or head.head.lemma_.lower() in ("visit", "trip", "tour", "journey"):
            return head.head.i
    return None


def _is_company(clause: Token) -> bool:
    """A clause that adds people to the occasion: "(a delegation) led by X", "accompanied by Y",
    "(Y,) who was joined by W". Only passives with an agent ("by ..."): "X, who led the talks" is
    another statement about X."""
    if clause.dep_ not in ("acl", "advcl", "relcl") or clause.lemma_.lower() not in COMPANY_VERBS:
        return False
    return any(c.dep_ == "agent" for c in clause.children)


def _group(token: Token) -> set[Token]:
    """A noun phrase: the token, its titles, appositions and conjuncts, but no clause."""
    return _clause_tokens(token)


def _objects(prep: Token) -> list[Token]:
    return [t for c in prep.children if c.dep_ in ("pobj", "pcomp") for t in _group(c)]


def _subject_tokens(verb: Token, agents: bool = True) -> set[Token]:
    """Tokens of the subject(s) of a verb (and of a passive's agent, "by X", unless ``agents`` is
    false); a relative pronoun stands for the noun it qualifies, and a verb coordinated with another
    ("arrived and met") shares its subject."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    by = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if not subjects and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        subjects = [c for c in verb.head.children if c.dep_ in SUBJECT_DEPS]
    tokens: set[Token] = set()
    for subject in subjects:
        if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            # "A, B and other officials, who were received by C": the whole coordination
            antecedent = verb.head
            while antecedent.dep_ == "conj" and antecedent.head.i != antecedent.i:
                antecedent = antecedent.head
            tokens |= _group(antecedent)
        else:
            tokens |= _group(subject)
    for agent in by if agents else []:
        tokens |= _group(agent)
    return tokens


def _governing_verb(noun: Token) -> Token | None:
    """The verb a noun depends on through prepositions: 'who is on a visit' -> is."""
    token = noun
    for _ in range(4):
        if token.dep_ in ("ROOT",) or token.head.i == token.i:
            return None
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return token
        if token.pos_ in ("NOUN", "PROPN") and token.lower_ != "part":
            return None
    return None


def _clause_heads(token: Token) -> list[Token]:
    heads = []
    while token.head.i != token.i:
        if token.dep_ in CLAUSE_DEPS and not (token.dep_ == "acl" and token.lemma_.lower() in LIGHT_ACL):
            heads.append(token)
        token = token.head
    return heads


def _same_statement(date_token: Token, anchor: Token) -> bool:
    """A date dates a trigger unless it sits in a clause that does not contain the trigger."""
    return all(head == anchor or head.is_ancestor(anchor) for head in _clause_heads(date_token))


# Words that make a mention an earlier occasion the text looks back on.
RECALL_MODIFIERS = {"last", "previous", "prior", "past", "former", "earlier"}
RECALL_ADVERBS = {"previously", "formerly", "once"}
# A date under these bounds a span ("since 1992", "until 2020") or dates another occasion ("ahead of
# the elections on 12 June", "after the summit of 4 May"): it dates no meeting of the clause.
OTHER_OCCASION_PREPS = {"since", "until", "till", "after", "before", "following", "ahead", "prior"}


def _is_recalled(trigger: Token, anchor: Token) -> bool:
    """'had met in 2019', 'during their last meeting', 'previously visited': not today's news."""
    for token in {trigger, anchor}:
        children = list(token.children)
        if token.tag_ == "VBN" and any(
            c.dep_ == "aux" and c.tag_ == "VBD" and c.lemma_ == "have" for c in children
        ):
            return True
        if any(c.dep_ == "advmod" and c.lower_ in RECALL_ADVERBS for c in children):
            return True
        if token.pos_ in ("NOUN", "PROPN") and any(
            c.dep_ == "amod" and c.lower_ in RECALL_MODIFIERS for c in children
        ):
            return True
    return False


def _they_of(mention: Mention, encounters: list[Cluster]) -> list[str]:
    """The people "they" / "the two" stand for when they are the subject of a mention: those of the
    latest occasion told before it, when it had two or more."""
    subject = _subject_tokens(mention.anchor, agents=False)
    if not any(t.lower_ in ("they", "both") for t in subject):
        return []
    before = [c for c in encounters if c.last < mention.trigger.i and len(c.persons) > 1]
    return list(max(before, key=lambda c: c.last).persons) if before else []


def _background_after(before: Span, mention: Mention) -> bool:
    """'X has been building ties with many leaders. He met A and B ...': after a sentence that sums
    up a span of time (the present perfect progressive), an undated meeting in the simple past is
    one example of it, background the text does not date, not today's news."""
    root = before.root
    aux = [c for c in root.children if c.dep_ == "aux"]
    summing_up = (
        root.tag_ == "VBG"
        and any(c.lower_ == "been" for c in aux)
        and any(c.lemma_ == "have" and c.tag_ in ("VBZ", "VBP") for c in aux)
    )
    return summing_up and mention.anchor.tag_ == "VBD"


def _opens_span(date_token: Token) -> bool:
    """'since 1992', 'until 22 May', 'ahead of the elections on 12 June', 'after the summit of 4 May':
    the date bounds a span of time or dates another occasion than the clause's own."""
    token = date_token
    while token.head.i != token.i:
        if token.dep_ in ("prep", "advmod") and token.lower_ in OTHER_OCCASION_PREPS:
            return True
        if token.dep_ == "prep" and token.head.lower_ in ("ahead", "prior"):
            return True
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return False
    return False


# Verbs of a report: the day they are said on is the day the story is told on.
REPORT_VERBS = {"say", "tell", "announce", "state", "note", "stress", "report", "brief", "confirm", "add"}
SCENE_SENTENCES = 2  # how far an occasion told without names dates the sentences that name its people
NEAR_DAYS = 10  # how long before the news an undated report's occasion may lie
# Adverbs that continue the story told so far: the occasion is on the day just reported.
CARRY_ADVERBS = {"also", "then", "later", "subsequently", "afterwards", "separately", "likewise"}


def _governing(token: Token) -> Token | None:
    """The verb a date hangs from ('said on Monday', 'yesterday said')."""
    while token.head.i != token.i and token.pos_ not in ("VERB", "AUX"):
        token = token.head
    return token if token.pos_ in ("VERB", "AUX") else None


def _said_of(date_token: Token, mention: Mention) -> bool:
    """The date hangs from the mention's trigger or its light verb."""
    return any(token.is_ancestor(date_token) for token in {mention.trigger, mention.anchor})


# Verbs whose day is the first day of the visit they start ("arrived on 18 May to start a visit").
START_VERBS = {"arrive", "start", "begin", "open", "launch", "land", "kick"}


def _starts(date_token: Token, trigger: Token) -> bool:
    """The date hangs from a verb of arrival or start whose clause holds the visit."""
    verb = _governing(date_token)
    return verb is not None and verb.lemma_.lower() in START_VERBS and verb.is_ancestor(trigger)


def _plural_reference(trigger: Token) -> bool:
    """'the meetings', 'these talks': a plural that looks back on occasions already told."""
    return trigger.tag_ in ("NNS", "NNPS") and any(
        c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in trigger.children
    )


def _fragment(sent: Span) -> bool:
    """A sentence without a verb of its own: the parser's cut through a longer sentence."""
    return not any(token.pos_ in ("VERB", "AUX") for token in sent)


def _headline_break(sent: Span, trigger: Token) -> int | None:
    """The token index where a blank line inside the sentence ends the headline the trigger is in."""
    for token in sent:
        if token.i > trigger.i and ("\n\n" in token.whitespace_ or (token.is_space and "\n\n" in token.text)):
            return token.i
    return None


def _goes_on(mention: Mention) -> bool:
    """'He also met X', 'then held talks with Y', 'following the ceremony, X met Y', 'at the
    meeting with X': the next occasion of the same day's story."""
    trigger = mention.trigger
    # "At the meeting with X, ...", "During the talks with Y": an occasion of the story told so far.
    if (
        trigger.pos_ == "NOUN"
        and trigger.head.dep_ == "prep"
        and trigger.head.lower_ in ("at", "during", "in")
        and any(c.dep_ == "det" and c.lower_ == "the" for c in trigger.children)
    ):
        return True
    for token in {mention.trigger, mention.anchor}:
        for c in token.children:
            if c.dep_ == "advmod" and c.lower_ in CARRY_ADVERBS:
                return True
            if c.dep_ in ("prep", "advmod") and c.lower_ in ("after", "following"):
                # "after the ceremony": an occasion just told, which this one follows that day
                objects = [o for o in c.children if o.dep_ == "pobj"]
                if any(
                    d.dep_ == "det" and d.lower_ in ("the", "this", "that")
                    for o in objects
                    for d in o.children
                ):
                    return True
    return False


def _one_day(trigger: Token) -> bool:
    """'a one-day visit', 'her day-long visit': the visit's day is the day of its meetings."""
    words = trigger.doc[trigger.left_edge.i : trigger.i].text.lower()
    return bool(re.search(r"\b(?:one|1|single)\s*-?\s*day\b|\bday\s*-?\s*long\b", words))


def _undated_news(cluster: Cluster) -> bool:
    """An occasion the news reports as such: not only planned, not only recalled."""
    return not _all(cluster, "intent") and not _all(cluster, "recalled")


def _is_intent(trigger: Token, anchor: Token) -> bool:
    for token in {trigger, anchor}:
        if any(c.dep_ == "aux" and c.lemma_.lower() in ("will", "shall", "would") for c in token.children):
            return True
        if any(c.dep_ == "amod" and c.lower_ in INTENT_MODIFIERS for c in token.children):
            return True
        if token.dep_ == "xcomp" and token.head.lemma_.lower() in INTENT_VERBS:
            return True
        # "looks forward to meeting X", "is looking forward to the talks"
        if token.dep_ in ("pcomp", "pobj") and token.head.lower_ == "to":
            above = token.head.head
            if above.lower_ == "forward" or any(c.lower_ == "forward" for c in above.children):
                return True
    return False


def _is_current(trigger: Token, anchor: Token) -> bool:
    """A visit going on when the article was written: 'her current visit', 'who is on a state visit'."""
    if any(c.dep_ == "amod" and c.lower_ in CURRENT_MODIFIERS for c in trigger.children):
        return True
    verb = _governing_verb(trigger) if trigger.pos_ not in ("VERB", "AUX") else trigger
    return verb is not None and "Pres" in verb.morph.get("Tense") and not _is_intent(trigger, anchor)


def _referent(clusters: list[Cluster], mention: Mention) -> Cluster:
    """What "the meeting" refers back to: the occasion just reported (this or the previous
    sentence), else the article's main occasion (its first), not one recalled in passing since."""
    # One told of within a recalled visit ("her visit in May, where she met X") is not referred to
    # from outside that clause.
    clusters = [c for c in clusters if c.mentions[0].within_visit == mention.within_visit] or clusters
    latest = max(clusters, key=lambda c: c.last)
    if max(m.sent_index for m in latest.mentions) >= mention.sent_index - 1:
        return latest
    return min(clusters, key=lambda c: min(m.trigger.i for m in c.mentions))


def _meets_a_group(mention: Mention) -> bool:
    """'X received a delegation from Y': the guests are there though no one of them is named. A
    greeting is no occasion of its own ('X greeted the delegation' at some other event)."""
    if mention.rule.type != "Reception":
        return False
    verb = mention.anchor
    return any(
        c.dep_ in ("dobj", "obj", "nsubjpass") and c.lemma_.lower() in GROUP_NOUNS for c in verb.children
    ) or any(
        g.lemma_.lower() in GROUP_NOUNS
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ == "with"
        for g in c.children
    )


def _all(cluster: Cluster, flag: str) -> bool:
    return all(getattr(m, flag) for m in cluster.mentions)


def _same_place(cluster: Cluster, mention: Mention) -> bool:
    places = {m.destination for m in cluster.mentions if m.destination}
    return not places or not mention.destination or mention.destination in places


def _readable(event_type: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", event_type).capitalize()


# ---------------------------------------------------------------------------------------------
# Keys and merging


def event_key(event_type: str, date: str | None, participants: Iterable[str], article_id: str | None) -> str:
    """Deterministic from the content: the same occasion reported twice gets the same key. Without a
    date, two reports cannot be told to be the same occasion, so the article is part of the key."""
    people = "|".join(sorted(set(participants)))
    if date:
        return f"{event_type}|{date}|{people}"
    return f"{event_type}||{people}|{article_id or ''}"


def _dedupe_keys(events: list[dict]) -> list[dict]:
    """Two events of one article with the same key are one event: keep the first, add the rest."""
    by_key: dict[str, dict] = {}
    for event in events:
        kept = by_key.get(event["key"])
        if kept is None:
            by_key[event["key"]] = event
            continue
        kept["evidence"] += [e for e in event["evidence"] if e not in kept["evidence"]]
        kept["topics"] = list(dict.fromkeys(kept["topics"] + event["topics"]))
        for name in ("place", "country", "host_country", "guest_country", "parent"):
            kept[name] = kept[name] or event[name]
    for event in by_key.values():
        if event["parent"] == event["key"]:
            event["parent"] = None
    return list(by_key.values())
