"""Plain data passed between the stages.

read.py makes Articles; the spaCy components annotate a Doc; ``to_facts`` (kg/nlp/pipeline.py) turns that Doc
into one ``DocFacts``. rdf.py, store.py and link.py only ever see these dataclasses, never spaCy.

Entities are named by *keys*, not IRIs: ``person:kassym-jomart-tokayev``, ``country:azerbaijan``,
``institution:milli-majlis``, ``place:baku``. A key is ``<kind>:<slug>`` and is deterministic: the same
name always gives the same key, in any document, in any order. rdf.py is the only place that turns
keys into IRIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kg.common.files import shown

# Event types the pipeline writes; each is a class in ontology/diplomacy.ttl.
EVENT_TYPES = (
    "Meeting",
    "Talks",
    "Visit",
    "StateVisit",
    "OfficialVisit",
    "WorkingVisit",
    "Session",
    "Ceremony",
    "Reception",
    "PhoneCall",
)


@dataclass(frozen=True)
class Article:
    """One input document, as read from disk.

    ``id`` is a hash of the normalised text, so the same article under two file names is one
    document; ``sources`` lists every file (stem) it was read from.
    """

    id: str
    stem: str
    path: str
    text: str
    published: date | None = None
    url: str | None = None
    title: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileError:
    """A file, one JSONL line of it, or an article read from it that could not be read or built.
    The build reports it with its path and goes on with the rest."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{shown(self.path)}: {self.reason}"


@dataclass(frozen=True)
class Evidence:
    """Where a fact comes from: one sentence of one article, and the rule that read it."""

    article_id: str
    sentence_index: int
    start_char: int
    end_char: int
    sentence: str
    rule: str


@dataclass
class Entity:
    """A person, institution, country or place mentioned in one article."""

    key: str
    kind: str
    label: str
    aliases: list[str] = field(default_factory=list)
    # Country key this entity belongs to (an institution's country, a person's by office), if known.
    country: str | None = None
    # Finer class for institutions and places: Parliament, Chamber, Government, Embassy,
    # InternationalOrganization, City, Building ... (a class name in the ontology).
    subtype: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class Office:
    """An office as a post: a role in an institution or for a country.

    ``role`` is the bare normalised role ("Speaker", "President", "Ambassador", "Deputy Chair");
    ``label`` the full readable label ("Speaker of the Milli Majlis").
    """

    role: str
    label: str
    institution: str | None = None  # institution key
    country: str | None = None  # country key the office is of
    accredited_to: str | None = None  # country or institution key, for ambassadors
    # A body the gazetteer does not know, for a role that keeps its bare name ("Chair" of "the
    # Standing Committee of ..."): without it two such posts of two bodies would be one office.
    body: str | None = None

    @property
    def key(self) -> str:
        parts = [self.role, self.institution or "", self.country or "", self.accredited_to or ""]
        return "office:" + "|".join(parts + ([self.body] if self.body else []))


@dataclass
class OfficeHolding:
    """A person holds (or held, ``former``) an office, attested by an article on its date."""

    person: str  # person key
    office: Office
    former: bool = False
    attested: date | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Event:
    """A meeting, visit, talks, session ... with its participants, date, place and topics.

    ``date`` is ISO 8601 and may be partial ("2024-03-11", "2024-03", "2024"); None when the text
    does not say. ``parent`` is the key of the event that frames this one (a visit framing the
    meetings held during it).
    """

    key: str
    type: str
    participants: list[str] = field(default_factory=list)  # person keys
    date: str | None = None
    place: str | None = None  # place, institution or country key
    country: str | None = None  # country key where it took place
    host_country: str | None = None
    guest_country: str | None = None
    topics: list[str] = field(default_factory=list)  # topic ids (local names in ontology/topics.ttl)
    cameo: str | None = None
    parent: str | None = None
    label: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class DocFacts:
    """Everything extracted from one article."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    office_holdings: list[OfficeHolding] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def entity(self, key: str) -> Entity | None:
        return next((e for e in self.entities if e.key == key), None)
