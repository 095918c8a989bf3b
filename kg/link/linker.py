"""Link our entities to Wikidata (and, through English Wikipedia titles, DBpedia).

The stage reads a graph in the docs/graph.md shape and writes nothing itself: ``link_entities``
returns a ``LinkResult`` whose ``graph`` the store puts into the named graph ``graph/links``
(``LINKS_GRAPH``), beside ``reference_graph`` (the Wikidata-shaped triples of the linked items, for
``graph/reference``) and one ``Decision`` per entity and candidate, accepted or not.

How an entity is linked:

1. Candidates by name. Our labels (titles such as "Mrs" or "President" stripped) are folded to a
   transliteration-aware skeleton ("Nurlan-Bek Sadyqov" and "Nurlan-Bek Sadykov" both become
   ``kasim jomart tokaev``) and compared with every label and alias of the reference data
   (``ReferenceCandidateSource``), or looked up by exact label on a SPARQL endpoint
   (``SparqlCandidateSource``: Wikidata's, a local mirror, QLever).
2. Disambiguation. A candidate of the wrong type (wdt:P31 against kg/nlp/resources/link.rules.jsonl) is
   dropped. The score adds the name similarity, the type, the country (P27 for people, P17 otherwise,
   against the country we extracted) and the office: a P39 "position held" whose label has our role
   and country, with P580/P582 around the article's date, confirms; a namesake who held other posts
   loses.
3. Threshold. Links scoring under ``threshold`` are not written, nor are two candidates too close to
   call. A person with no candidate stays unlinked.

Every link is an ``owl:sameAs`` plus a ``dkg:Link`` node with its score, method and source, dated by
the reference's query date, never the clock, so that a rebuild writes the same triples.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

import pyoxigraph as ox
from anyascii import anyascii
from oxrdflib._converter import from_ox, to_ox
from rapidfuzz import fuzz
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg.common.files import write_whole
from kg.common.names import SCHWA, ascii_words, content_hash
from kg.graph.store import oxigraph_behind
from kg.nlp.resources_io import location, parse_jsonl_lines
from kg.shipped import reference_dir
from kg.sparql.remote import Connection, RemoteError, retrying, sparql_client, sparqlwrapper_query
from kg.vocab import (
    CANONICAL_GRAPH,
    DBR,
    DCTERMS,
    DKG,
    GRAPH,
    ID,
    LINKS_GRAPH,
    OWL,
    PROV,
    RDF,
    RDFS,
    REFERENCE_DATASET,
    REFERENCE_GRAPH,
    SDO,
    SKOS,
    WD,
    XSD,
)

WDT = Namespace("http://www.wikidata.org/prop/direct/")
P = Namespace("http://www.wikidata.org/prop/")
PS = Namespace("http://www.wikidata.org/prop/statement/")
PQ = Namespace("http://www.wikidata.org/prop/qualifier/")
# schema.org as everywhere in kg, https (rdflib's SDO). Wikidata's sitelinks use http://schema.org/:
# describe_query reads them in that form and writes them in this one.
SCHEMA_ORG = SDO
ENWIKI = URIRef("https://en.wikipedia.org/")

DEFAULT_REFERENCE = reference_dir() / "wikidata.ttl"
RULES_FILE = "link.rules.jsonl"

DEFAULT_THRESHOLD = 0.75
# A candidate is considered only when its name skeleton is this close to one of ours.
CANDIDATE_SIMILARITY = 0.85
# Two accepted candidates closer than this are a coin toss: link neither.
AMBIGUITY_MARGIN = 0.05
# Weights of the score; they add up to 1.0 for a perfect match.
W_LABEL, W_TYPE, W_COUNTRY, W_OFFICE = 0.55, 0.15, 0.15, 0.15
# Penalties: evidence that contradicts the candidate outweighs a perfect name.
P_COUNTRY, P_OFFICE_DATE, P_OFFICE = -0.4, -0.3, -0.5

USER_AGENT = "diplomacy-kg/0.1 (https://w3id.org/diplomacy-kg; entity linking) SPARQLWrapper"
LABEL_LANGUAGES = ("en", "mul", "az", "kk", "kk-latn", "ru", "tr", "uz", "ky", "fr", "de")

KIND_ORDER = ("country", "institution", "place", "person")  # countries first: the rest use them


class LinkError(Exception):
    """Linking could not be done (bad reference file, unreachable endpoint); nothing was written."""


# --------------------------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class LinkRules:
    """kg/nlp/resources/link.rules.jsonl: our classes -> Wikidata classes, role synonyms, titles."""

    kind_of_class: dict[str, str]  # our class local name -> kind
    classes_of_kind: dict[str, frozenset[str]]  # kind -> acceptable Wikidata classes (QIDs)
    international_classes: frozenset[str]
    international_subtypes: frozenset[str]
    role_groups: dict[str, frozenset[str]]  # rule id -> words
    modifiers: frozenset[str]
    honorifics: tuple[str, ...]  # longest first
    digest: str = ""  # of the rules text: stored links record what they were decided by


RULE_FIELDS = {
    "type": ("kind", "classes"),
    "international": ("kind", "classes"),
    "role": (),
    "modifier": (),
    "honorific": (),
}


def load_rules(text: str | None = None, name: str = RULES_FILE) -> LinkRules:
    """Read and validate the rules; an error names the file and line."""
    source = name
    if text is None:
        source = f"kg/nlp/resources/{name}"
        text = resources.files("kg.nlp.resources").joinpath(name).read_text(encoding="utf-8")
    try:
        records = parse_jsonl_lines(text, source, ("label", "pattern", "id", "rule"))
    except ValueError as err:
        raise LinkError(str(err)) from err
    kind_of_class: dict[str, str] = {}
    classes_of_kind: dict[str, set[str]] = {}
    international: set[str] = set()
    international_subtypes: set[str] = set()
    role_groups: dict[str, frozenset[str]] = {}
    modifiers: set[str] = set()
    honorifics: set[str] = set()
    for number, record in records:
        where = location(source, number)
        rule = record["rule"]
        if rule not in RULE_FIELDS:
            raise LinkError(f"{where}: unknown rule {rule!r}; known: {sorted(RULE_FIELDS)}")
        for key in RULE_FIELDS[rule]:
            if key not in record:
                raise LinkError(f"{where}: a {rule!r} rule needs field {key!r}")
        pattern = record["pattern"]
        # Stricter than the shared check: the linker compares whole words, never token patterns.
        if not (isinstance(pattern, list) and all(isinstance(w, str) for w in pattern)):
            raise LinkError(f"{where}: pattern must be a non-empty list of strings")
        if rule == "type":
            classes = record["classes"]
            if not all(isinstance(c, str) and re.fullmatch(r"Q\d+", c) for c in classes):
                raise LinkError(f"{where}: classes must be Wikidata ids like 'Q5'")
            for cls in pattern:
                kind_of_class[cls] = record["kind"]
            classes_of_kind.setdefault(record["kind"], set()).update(classes)
        elif rule == "international":
            international.update(record["classes"])
            international_subtypes.update(pattern)
        elif rule == "role":
            role_groups[record["id"]] = frozenset(_words(w) for w in pattern)
        elif rule == "modifier":
            modifiers.update(_words(w) for w in pattern)
        else:
            honorifics.update(_words(w) for w in pattern)
    if not kind_of_class:
        raise LinkError(f"{source}: no 'type' rules")
    return LinkRules(
        kind_of_class=kind_of_class,
        classes_of_kind={k: frozenset(v) for k, v in classes_of_kind.items()},
        international_classes=frozenset(international),
        international_subtypes=frozenset(international_subtypes),
        role_groups=role_groups,
        modifiers=frozenset(modifiers),
        honorifics=tuple(sorted(honorifics, key=lambda h: (-len(h), h))),
        digest=content_hash(text, 64),
    )


# ------------------------------------------------------------------------------------ normalising


def _words(text: str) -> str:
    """Lower-case ASCII words separated by single spaces (Azerbaijani ə read as a, as in English)."""
    return ascii_words(text.translate(SCHWA))


# Applied in order to _words(): spellings of the same sound in English, Azerbaijani, Kazakh,
# Russian and Turkish transliterations fold to one letter.
_SKELETON_RULES = (
    (r"dzh|zh|dj", "j"),
    (r"kh|x", "h"),
    (r"[gq]", "k"),
    (r"y", "i"),
    (r"w", "v"),
    (r"(.)\1+", r"\1"),  # Kassym / Kasym
    (r"([aeiou])ie", r"\1e"),  # Tokayev / Tokaev, Aliyev / Aliev
)


def name_skeleton(text: str) -> str:
    """A transliteration-aware key: Nurlan-Bek Sadyqov == Nurlan-Bek Sadykov."""
    text = text.replace("ş", "sh").replace("Ş", "Sh").replace("ç", "ch").replace("Ç", "Ch")
    key = _words(text)
    for pattern, repl in _SKELETON_RULES:
        key = re.sub(pattern, repl, key)
    return key


def name_similarity(a: str, b: str) -> float:
    """1.0 for the same skeleton; otherwise rapidfuzz's best of plain and word-order-free ratio."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b)) / 100.0


def strip_titles(label: str, rules: LinkRules) -> str:
    """'Mrs Gafarova' -> 'Gafarova'; 'President Ramil Guliyev' -> 'Ramil Guliyev' (leading titles only)."""
    titles = set(rules.honorifics) | rules.modifiers | {w for g in rules.role_groups.values() for w in g}
    tokens = label.split()
    changed = True
    while changed and tokens:
        changed = False
        # Titles are up to a few words long ("his excellency", "commander in chief").
        for width in (3, 2, 1):
            if len(tokens) >= width and _words(" ".join(tokens[:width])) in titles:
                tokens = tokens[width:]
                changed = True
                break
    if tokens and tokens[0].lower() == "of":
        return ""  # "the President of Kazakhstan" describes an office; it is no name
    return " ".join(tokens)


# ------------------------------------------------------------------------------------ candidates


@dataclass(frozen=True)
class Position:
    """One wdt:P39 statement: the position's labels and country, and its start and end."""

    labels: tuple[str, ...]
    countries: frozenset[str]
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Candidate:
    """A Wikidata item as the linker sees it."""

    qid: str
    labels: tuple[str, ...]
    classes: frozenset[str]  # wdt:P31 values and their wdt:P279 ancestors present in the data
    countries: frozenset[str]  # wdt:P27 (citizenship) and wdt:P17 (country)
    positions: tuple[Position, ...] = ()
    enwiki: str | None = None

    @property
    def iri(self) -> URIRef:
        return WD[self.qid]

    @property
    def dbpedia(self) -> URIRef | None:
        if not self.enwiki:
            return None
        return DBR[quote(self.enwiki.replace(" ", "_"), safe="_()',.-!*:;@$&=+~")]


def _qid(node: Node) -> str | None:
    text = str(node)
    return text[len(str(WD)) :] if isinstance(node, URIRef) and text.startswith(str(WD)) else None


def _as_date(node: Node | None) -> date | None:
    if node is None:
        return None
    text = str(node).lstrip("+")
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _superclasses(graph: Graph, classes: set[Node]) -> set[Node]:
    seen, todo = set(classes), list(classes)
    while todo:
        for parent in graph.objects(todo.pop(), WDT.P279):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def candidates_from_graph(graph: Graph, qids: Iterable[str] | None = None) -> dict[str, Candidate]:
    """Read Wikidata-shaped triples into Candidates (all items with a wdt:P31, or just ``qids``)."""
    items = [WD[q] for q in qids] if qids is not None else sorted(set(graph.subjects(WDT.P31, None)))
    found: dict[str, Candidate] = {}
    for item in items:
        qid = _qid(item)
        if qid is None or (item, None, None) not in graph:
            continue
        labels = tuple(sorted({str(o) for p in (RDFS.label, SKOS.altLabel) for o in graph.objects(item, p)}))
        classes = _superclasses(graph, set(graph.objects(item, WDT.P31)))
        countries = {q for p in (WDT.P27, WDT.P17) for o in graph.objects(item, p) if (q := _qid(o))}
        positions = []
        for statement in graph.objects(item, P.P39):
            for post in graph.objects(statement, PS.P39):
                positions.append(
                    Position(
                        labels=tuple(sorted(str(o) for o in graph.objects(post, RDFS.label))),
                        countries=frozenset(q for o in graph.objects(post, WDT.P17) if (q := _qid(o))),
                        start=_as_date(graph.value(statement, PQ.P580)),
                        end=_as_date(graph.value(statement, PQ.P582)),
                    )
                )
        enwiki = next(
            (
                str(graph.value(article, SCHEMA_ORG.name) or "")
                or str(article).rsplit("/", 1)[-1].replace("_", " ")
                for article in graph.subjects(SCHEMA_ORG.about, item)
                if (article, SCHEMA_ORG.isPartOf, ENWIKI) in graph
            ),
            None,
        )
        found[qid] = Candidate(
            qid=qid,
            labels=labels,
            classes=frozenset(q for c in classes if (q := _qid(c))),
            countries=frozenset(countries),
            positions=tuple(sorted(positions, key=lambda p: (p.start or date.min, p.labels))),
            enwiki=enwiki,
        )
    return found


def describe_items(graph: Graph, qids: Iterable[str]) -> Graph:
    """The triples that describe ``qids`` (labels, classes, statements, positions, sitelinks)."""
    out = Graph()
    todo: list[Node] = [WD[q] for q in qids]
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for _, pred, obj in graph.triples((node, None, None)):
            out.add((node, pred, obj))
            # Follow statements, positions and classes, not links to other items' whole records.
            if isinstance(obj, BNode) or pred in (PS.P39, WDT.P31, WDT.P279):
                todo.append(obj)
        for article in graph.subjects(SCHEMA_ORG.about, node):
            for triple in graph.triples((article, None, None)):
                out.add(triple)
    return out


def skolemize(graph: Graph) -> Graph:
    """Blank nodes (statements, unverified positions) -> stable IRIs under the reference dataset.

    The store writes no blank nodes, and a rebuild must write the same triples, so each blank node
    is named by a hash of what it says and of the items that point at it.
    """

    def content(node: BNode, seen: frozenset[BNode]) -> str:
        outgoing = sorted(
            f"{p} {content(o, seen | {node}) if isinstance(o, BNode) and o not in seen else o}"
            for _, p, o in graph.triples((node, None, None))
        )
        incoming = sorted(
            f"{s} {p}" for s, p, _ in graph.triples((None, None, node)) if isinstance(s, URIRef)
        )
        return "[" + "; ".join(outgoing + incoming) + "]"

    names: dict[BNode, URIRef] = {}

    def name(node: Node) -> Node:
        if not isinstance(node, BNode):
            return node
        if node not in names:
            digest = content_hash(content(node, frozenset()))
            names[node] = URIRef(f"{REFERENCE_DATASET}/node/{digest}")
        return names[node]

    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace)
    for s, p, o in graph:
        out.add((name(s), p, name(o)))
    return out


class CandidateSource(Protocol):
    """Where candidates come from: the shipped reference file or a live SPARQL endpoint."""

    source: URIRef
    source_date: date | None
    version: str  # changes whenever the candidates it offers may change

    def candidates(self, names: list[str], kind: str) -> list[Candidate]: ...

    def describe(self, qids: Iterable[str]) -> Graph: ...


@dataclass
class Reference:
    """The reference data: a Wikidata-shaped graph, its source IRI and query date."""

    graph: Graph
    path: Path | None = None
    source: URIRef = REFERENCE_DATASET
    query_date: date | None = None
    items: dict[str, Candidate] = field(default_factory=dict)
    digest: str = ""  # sha256 of the file: another file, other candidates


def load_reference(path: str | Path = DEFAULT_REFERENCE) -> Reference:
    """Parse a reference file (Turtle in Wikidata's shape); fail with the file name and reason."""
    path = Path(path)
    graph = Graph()
    try:
        data = path.read_bytes()
        graph.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    except FileNotFoundError as err:
        raise LinkError(f"{path}: reference file not found") from err
    except Exception as err:  # rdflib raises several parser error types
        raise LinkError(f"{path}: not valid Turtle ({err})") from err
    dataset = next(iter(graph.subjects(DCTERMS.date, None)), REFERENCE_DATASET)
    query_date = _as_date(graph.value(dataset, DCTERMS.date))
    items = candidates_from_graph(graph)
    if not items:
        raise LinkError(f"{path}: no Wikidata items (nothing has a wdt:P31)")
    source = dataset if isinstance(dataset, URIRef) else REFERENCE_DATASET
    return Reference(
        graph=graph,
        path=path,
        source=source,
        query_date=query_date,
        items=items,
        digest=content_hash(data, 64),
    )


class ReferenceCandidateSource:
    """Offline candidates: fuzzy name match against every label and alias of the reference file."""

    def __init__(self, reference: Reference, similarity: float = CANDIDATE_SIMILARITY) -> None:
        self.reference = reference
        self.source = reference.source
        self.source_date = reference.query_date
        self.version = f"reference sha256:{reference.digest}"
        self.similarity = similarity
        self._index = [
            (name_skeleton(label), qid) for qid, c in reference.items.items() for label in c.labels
        ]

    def candidates(self, names: list[str], kind: str) -> list[Candidate]:
        keys = [name_skeleton(n) for n in names if n]
        hits = {
            qid
            for skeleton, qid in self._index
            if any(name_similarity(key, skeleton) >= self.similarity for key in keys)
        }
        return [self.reference.items[q] for q in sorted(hits)]

    def describe(self, qids: Iterable[str]) -> Graph:
        return describe_items(self.reference.graph, qids)


# ------------------------------------------------------------------------------------ live SPARQL


def _literal(text: str, lang: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"@{lang}'


def label_lookup_query(names: list[str], languages: Iterable[str] = LABEL_LANGUAGES) -> str:
    """SELECT the items whose label or alias is exactly one of ``names`` (as written or ASCII)."""
    forms = sorted({form for n in names for form in (n.strip(), anyascii(n).strip()) if form})
    values = " ".join(_literal(f, lang) for f in forms for lang in languages)
    return (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT DISTINCT ?item WHERE {\n"
        f"  VALUES ?name {{ {values} }}\n"
        "  ?item rdfs:label|skos:altLabel ?name .\n"
        "  FILTER(STRSTARTS(STR(?item), 'http://www.wikidata.org/entity/Q'))\n"
        "} ORDER BY ?item LIMIT 50"
    )


def describe_query(
    qids: list[str], classes: Iterable[str], languages: Iterable[str] = LABEL_LANGUAGES
) -> str:
    """CONSTRUCT the Wikidata-shaped description of ``qids`` that candidates_from_graph reads.

    P31 values are kept as they are; the wdt:P279 path from each up to one of ``classes`` (the
    classes kg/nlp/resources/link.rules.jsonl knows) is materialised, so the type check needs no
    further query.
    """
    items = " ".join(f"wd:{q}" for q in sorted(set(qids)))
    known = " ".join(f"wd:{c}" for c in sorted(set(classes)))
    langs = ", ".join(f"'{lang}'" for lang in languages)
    return f"""PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX sdo: <https://schema.org/>
CONSTRUCT {{
  ?item rdfs:label ?label . ?item skos:altLabel ?alias .
  ?item wdt:P31 ?class . ?class wdt:P279 ?super .
  ?item wdt:P27 ?citizenship . ?item wdt:P17 ?country .
  ?item p:P39 ?statement . ?statement ps:P39 ?position .
  ?statement pq:P580 ?start . ?statement pq:P582 ?end .
  ?position rdfs:label ?positionLabel . ?position wdt:P17 ?positionCountry .
  ?article sdo:about ?item ; sdo:isPartOf <https://en.wikipedia.org/> ; sdo:name ?title .
}} WHERE {{
  VALUES ?item {{ {items} }}
  {{ ?item rdfs:label ?label FILTER(LANG(?label) IN ({langs})) }}
  UNION {{ ?item skos:altLabel ?alias FILTER(LANG(?alias) IN ({langs})) }}
  UNION {{ ?item wdt:P31 ?class }}
  UNION {{ VALUES ?known {{ {known} }} ?item wdt:P31 ?c0 . ?c0 wdt:P279* ?class . ?class wdt:P279 ?super .
          ?super wdt:P279* ?known }}
  UNION {{ ?item wdt:P27 ?citizenship }}
  UNION {{ ?item wdt:P17 ?country }}
  UNION {{ ?item p:P39 ?statement . ?statement ps:P39 ?position .
          OPTIONAL {{ ?statement pq:P580 ?start }} OPTIONAL {{ ?statement pq:P582 ?end }}
          OPTIONAL {{ ?position rdfs:label ?positionLabel FILTER(LANG(?positionLabel) = 'en') }}
          OPTIONAL {{ ?position wdt:P17 ?positionCountry }} }}
  UNION {{ ?article schema:about ?item ; schema:isPartOf <https://en.wikipedia.org/> ; schema:name ?title }}
}}"""


class SparqlCandidateSource:
    """Live candidates from any SPARQL endpoint, through SPARQLWrapper.

    Every response is cached on disk under ``cache_dir`` by a hash of endpoint and query, so a
    rebuild sends no query twice. Requests carry a User-Agent, are spaced by ``min_interval``
    seconds (Wikidata's query service asks for restraint), time out after ``timeout`` seconds and are
    retried ``retries`` times with exponential backoff (honouring Retry-After). When the endpoint
    cannot be reached, ``LinkError`` says so, and ``link_entities`` returns nothing.
    """

    def __init__(
        self,
        endpoint: str,
        cache_dir: str | Path | None = None,
        timeout: float = 30.0,
        retries: int = 3,
        min_interval: float | None = None,
        backoff: float = 1.0,
        classes: Iterable[str] = (),
        languages: Iterable[str] = LABEL_LANGUAGES,
    ) -> None:
        self.endpoint = endpoint
        self.source = URIRef(endpoint)
        self.source_date: date | None = None
        self.version = f"endpoint {endpoint}"
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.timeout = timeout
        self.retries = max(1, retries)
        self.min_interval = (
            (1.0 if "wikidata.org" in endpoint else 0.0) if min_interval is None else min_interval
        )
        self.backoff = backoff
        self.classes = tuple(classes) or tuple(
            sorted({c for cs in load_rules().classes_of_kind.values() for c in cs})
        )
        self.languages = tuple(languages)
        self.requests_sent = 0
        self.cache_hits = 0
        self._last_request = 0.0
        self._described = Graph()

    # -- transport ---------------------------------------------------------------------------

    def _cache_path(self, query: str) -> Path | None:
        if self.cache_dir is None:
            return None
        key = f"{self.endpoint}\n{query}"
        return self.cache_dir / f"{content_hash(key, 32)}.json"

    def _request(self, query: str, construct: bool) -> str:
        from SPARQLWrapper import JSON, TURTLE

        wrapper = sparql_client(self.endpoint, query, agent=USER_AGENT)
        wrapper.setReturnFormat(TURTLE if construct else JSON)

        def send(timeout: float) -> bytes:
            wait = self.min_interval - (time.monotonic() - self._last_request)
            if wait > 0:
                time.sleep(wait)
            self._last_request = time.monotonic()
            self.requests_sent += 1
            return sparqlwrapper_query(wrapper, self.endpoint, timeout, raw=True)

        # kg's one retry policy (kg/sparql/remote.py): transient failures retried with exponential backoff
        # or after the server's Retry-After; a bad query is not asked again.
        policy = Connection(
            timeout=self.timeout,
            retries=self.retries - 1,
            backoff=self.backoff,
            deadline=self.retries * (self.timeout + self.min_interval) + self.backoff * 2**self.retries,
        )
        before = self.requests_sent
        try:
            return retrying(policy, self.endpoint, send).decode("utf-8")
        except RemoteError as err:
            tries = self.requests_sent - before
            raise LinkError(
                f"SPARQL endpoint {self.endpoint} did not answer after {tries} tries ({err}); "
                "no links were written"
            ) from err

    def query(self, query: str, construct: bool = False) -> str:
        """The response body for ``query``, from the cache when this exact query was sent before."""
        path = self._cache_path(query)
        if path is not None and path.exists():
            entry = json.loads(path.read_text(encoding="utf-8"))
            self.cache_hits += 1
            self._note_date(date.fromisoformat(entry["retrieved"]))
            return entry["body"]
        body = self._request(query, construct)
        retrieved = date.today()
        self._note_date(retrieved)
        if path is not None:
            entry = {
                "endpoint": self.endpoint,
                "retrieved": retrieved.isoformat(),
                "query": query,
                "body": body,
            }
            # A crash leaves no half-written cache entry.
            write_whole(path, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
        return body

    def _note_date(self, day: date) -> None:
        # The links are dated by the newest response they rest on (as the reference by its query date).
        self.source_date = max(self.source_date or day, day)

    # -- CandidateSource ---------------------------------------------------------------------

    def candidates(self, names: list[str], kind: str) -> list[Candidate]:
        names = sorted({n for n in names if n})
        if not names:
            return []
        body = self.query(label_lookup_query(names, self.languages))
        try:
            rows = json.loads(body)["results"]["bindings"]
        except (ValueError, KeyError) as err:
            raise LinkError(f"SPARQL endpoint {self.endpoint} sent an unreadable answer: {err}") from err
        qids = sorted({q for row in rows if (q := _qid(URIRef(row["item"]["value"])))})
        if not qids:
            return []
        graph = Graph()
        try:
            graph.parse(
                data=self.query(describe_query(qids, self.classes, self.languages), True), format="turtle"
            )
        except LinkError:
            raise
        except Exception as err:
            raise LinkError(f"SPARQL endpoint {self.endpoint} sent unreadable Turtle: {err}") from err
        self._described += graph
        found = candidates_from_graph(graph, qids)
        return [found[q] for q in qids if q in found]

    def describe(self, qids: Iterable[str]) -> Graph:
        return describe_items(self._described, qids)


# --------------------------------------------------------------------------------- our entities


@dataclass(frozen=True)
class Holding:
    """An office our graph says a person holds (or held), on the date of the article."""

    role: str
    label: str
    country: URIRef | None
    attested: date | None
    former: bool = False


@dataclass
class EntityInfo:
    iri: URIRef
    kind: str
    labels: list[str]
    countries: set[URIRef] = field(default_factory=set)
    holdings: list[Holding] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.labels[0] if self.labels else str(self.iri)


def _pairs(
    dataset: Graph, subject: Node | None, predicate: Node | None, obj: Node | None
) -> Iterator[tuple[Node, ...]]:
    """The terms at the open (None) positions of a pattern, across every named graph of a Dataset."""
    pattern = (subject, predicate, obj)
    if (ox_graph := _oxigraph(dataset)) is not None:
        inner, name = ox_graph
        found = inner.quads_for_pattern(*(to_ox(t) for t in pattern), name)
        for q in found:
            terms = (q.subject, q.predicate, q.object)
            yield tuple(from_ox(t) for t, p in zip(terms, pattern, strict=True) if p is None)
        return
    if hasattr(dataset, "quads"):
        triples = (quad[:3] for quad in dataset.quads((subject, predicate, obj, None)))
    else:
        triples = dataset.triples(pattern)
    for triple in triples:
        yield tuple(t for t, p in zip(triple, pattern, strict=True) if p is None)


def _objects(dataset: Graph, subject: Node, predicate: Node) -> list[Node]:
    """Objects across every named graph (the union), without relying on the store's defaults.

    A named graph of kg.graph.store is read from Oxigraph directly: the same triples as through rdflib,
    five times faster (oxrdflib makes an rdflib Graph object for every triple it returns).
    """
    return sorted({o for (o,) in _pairs(dataset, subject, predicate, None)}, key=str)


def _subjects(dataset: Graph, predicate: Node, obj: Node) -> list[Node]:
    return sorted({s for (s,) in _pairs(dataset, None, predicate, obj)}, key=str)


def _properties(dataset: Graph, subject: Node) -> dict[Node, list[Node]]:
    """Every predicate of ``subject`` with its objects, sorted as _objects sorts them."""
    found: dict[Node, list[Node]] = {}
    for predicate, obj in set(_pairs(dataset, subject, None, None)):
        found.setdefault(predicate, []).append(obj)
    return {p: sorted(objs, key=str) for p, objs in found.items()}


def _oxigraph(dataset: Graph) -> tuple[ox.Store, ox.NamedNode] | None:
    """The Oxigraph store and graph name behind one named graph of kg.graph.store, to read directly."""
    one_graph = not hasattr(dataset, "quads")  # a named graph, not the whole dataset
    inner = oxigraph_behind(dataset)
    if one_graph and inner is not None and isinstance(dataset.identifier, URIRef):
        return inner, ox.NamedNode(str(dataset.identifier))
    return None


def read_entities(
    dataset: Graph, rules: LinkRules, subjects: Iterable[URIRef] | None = None
) -> list[EntityInfo]:
    """People, countries, institutions and places of the graph, with labels, countries and offices.

    ``subjects`` restricts the reading to those resources (an incremental link); the ones that are
    not (or no longer) linkable are left out. Each entity is read the same way either way, so a
    decision taken for a few entities equals the one a full link takes.
    """
    if subjects is None:
        types: dict[URIRef, set[Node]] = {}
        for subject, cls in _pairs(dataset, None, RDF.type, None):
            if isinstance(subject, URIRef) and _kind_of(cls, rules) is not None:
                types.setdefault(subject, set()).add(cls)
    else:
        types = {s: set(_objects(dataset, s, RDF.type)) for s in set(subjects)}
    offices: dict[Node, tuple[str, str, URIRef | None] | None] = {}  # read once per call
    entities = [e for s, classes in types.items() if (e := _read_entity(dataset, s, classes, rules, offices))]
    return sorted(entities, key=lambda e: (KIND_ORDER.index(e.kind), str(e.iri)))


def _kind_of(cls: Node, rules: LinkRules) -> str | None:
    text, dkg = str(cls), str(DKG)
    return rules.kind_of_class.get(text[len(dkg) :]) if text.startswith(dkg) else None


def _read_entity(
    dataset: Graph,
    iri: URIRef,
    classes: set[Node],
    rules: LinkRules,
    offices: dict[Node, tuple[str, str, URIRef | None] | None],
) -> EntityInfo | None:
    kinds = {cls: kind for cls in classes if (kind := _kind_of(cls, rules))}
    if not kinds:
        return None
    # A person is never also linked as a place: the most specific kind wins.
    kind = max(kinds.values(), key=KIND_ORDER.index)
    info = EntityInfo(iri, kind, [])
    preferred = [str(o) for o in _objects(dataset, iri, SKOS.prefLabel)]
    others = [str(o) for p in (RDFS.label, SKOS.altLabel) for o in _objects(dataset, iri, p)]
    info.labels = list(dict.fromkeys(preferred + sorted(others)))
    info.countries = {o for o in _objects(dataset, iri, DKG.country) if isinstance(o, URIRef)}
    for holding in _subjects(dataset, DKG.holder, iri):
        facts = _properties(dataset, holding)  # a holding has a handful of triples: one lookup
        if DKG.OfficeHolding not in facts.get(RDF.type, []):
            continue
        for office in facts.get(DKG.office, []):
            if office not in offices:
                offices[office] = _read_office(dataset, office)
            if offices[office] is None:
                continue
            role, label, country = offices[office]
            attested = _as_date(next(iter(facts.get(DKG.attestedOn, [])), None))
            if attested is None:
                attested = min(
                    (
                        d
                        for doc in facts.get(DKG.reportedIn, [])
                        if (d := _as_date(next(iter(_objects(dataset, doc, DCTERMS.issued)), None)))
                    ),
                    default=None,
                )
            former = any(str(f).lower() in ("true", "1") for f in facts.get(DKG.former, []))
            info.holdings.append(Holding(role, label, country, attested, former))
            if country is not None and not former:
                info.countries.add(country)
    return info


def _read_office(dataset: Graph, office: Node) -> tuple[str, str, URIRef | None] | None:
    """(role, label, country) of an office; None without a role (nothing to compare)."""
    facts = _properties(dataset, office)
    role = next(iter(facts.get(DKG.role, [])), None)
    if role is None:
        return None
    labels = facts.get(SKOS.prefLabel, []) + facts.get(RDFS.label, [])
    country = next((c for c in facts.get(DKG.countryOf, []) if isinstance(c, URIRef)), None)
    return str(role), str(labels[0]) if labels else str(role), country


# ------------------------------------------------------------------------------------------ scoring


@dataclass(frozen=True)
class Decision:
    """What the linker decided for one entity and one candidate (or for no candidate at all)."""

    entity: str
    label: str
    kind: str
    candidate: str | None
    score: float
    method: str
    accepted: bool
    reason: str = ""


def _role_groups(text: str, rules: LinkRules) -> tuple[set[str], bool]:
    """The role groups a role or position label names, and whether it is a deputy/vice post."""
    words = f" {_words(text)} "
    modifier = any(f" {m} " in words for m in rules.modifiers)
    core = words
    for m in rules.modifiers:
        core = core.replace(f" {m} ", " ")
    groups = {gid for gid, ws in rules.role_groups.items() if any(f" {w} " in core for w in ws)}
    if not groups:  # "Deputy" alone names a post of its own (a legislator)
        groups = {gid for gid, ws in rules.role_groups.items() if any(f" {w} " in words for w in ws)}
    return groups, modifier


def _office_evidence(
    entity: EntityInfo,
    candidate: Candidate,
    country_qids: dict[URIRef, str],
    country_names: dict[URIRef, list[str]],
    rules: LinkRules,
) -> tuple[float, str]:
    """+W_OFFICE when a position held at the article's date confirms an office we extracted."""
    if not entity.holdings or not candidate.positions:
        return 0.0, ""
    date_contradicted = False
    for holding in entity.holdings:
        ours, our_modifier = _role_groups(holding.role, rules)
        if not ours:
            continue
        for position in candidate.positions:
            text = " ".join(position.labels)
            theirs, their_modifier = _role_groups(text, rules)
            if not (ours & theirs) or our_modifier != their_modifier:
                continue
            if holding.country is not None:
                qid = country_qids.get(holding.country)
                names = [_words(n) for n in country_names.get(holding.country, [])]
                by_item = qid is not None and qid in position.countries
                by_name = any(n and f" {n} " in f" {_words(text)} " for n in names)
                if not (by_item or by_name):
                    continue
            when = holding.attested
            if when is None:
                return W_OFFICE, "office"
            started = position.start is None or position.start <= when
            ongoing = position.end is None or when <= position.end
            if started and (ongoing or holding.former):
                return W_OFFICE, "office@date"
            date_contradicted = True
    if date_contradicted:
        return P_OFFICE_DATE, "office-date-contradicted"
    # The candidate held posts, none of them ours: a namesake.
    return P_OFFICE, "office-mismatch"


def _country_evidence(
    entity: EntityInfo, candidate: Candidate, country_qids: dict[URIRef, str], rules: LinkRules
) -> tuple[float, str]:
    if entity.kind == "country":
        return W_COUNTRY, "self"
    ours = {country_qids[c] for c in entity.countries if c in country_qids}
    if ours and candidate.countries:
        return (W_COUNTRY, "country") if ours & candidate.countries else (P_COUNTRY, "country-mismatch")
    international = candidate.classes & rules.international_classes
    if entity.kind == "institution" and international and not entity.countries and not candidate.countries:
        return W_COUNTRY, "international"
    return 0.0, ""


def score_candidate(
    entity: EntityInfo,
    candidate: Candidate,
    rules: LinkRules,
    country_qids: dict[URIRef, str] | None = None,
    country_names: dict[URIRef, list[str]] | None = None,
) -> tuple[float, str, str]:
    """(score, method, reason) of one candidate for one entity; method lists the evidence used."""
    country_qids = country_qids or {}
    country_names = country_names or {}
    if not candidate.classes & rules.classes_of_kind.get(entity.kind, frozenset()):
        return 0.0, "type-mismatch", f"{candidate.qid} is not a {entity.kind}"
    names = [n for n in (_names_of(entity, rules)) if n]
    theirs = [name_skeleton(label) for label in candidate.labels]
    label = max((name_similarity(name_skeleton(n), t) for n in names for t in theirs), default=0.0)
    parts = ["label"]
    score = W_LABEL * label + W_TYPE
    parts.append("type")
    for value, part in (
        _country_evidence(entity, candidate, country_qids, rules),
        _office_evidence(entity, candidate, country_qids, country_names, rules)
        if entity.kind == "person"
        else (0.0, ""),
    ):
        score += value
        if part:
            parts.append(part)
    score = round(min(1.0, max(0.0, score)), 3)
    return score, "+".join(parts), f"name similarity {label:.2f}"


def _names_of(entity: EntityInfo, rules: LinkRules) -> list[str]:
    """Names to match: people by their names without titles (never a bare surname)."""
    if entity.kind != "person":
        return list(entity.labels)
    names = []
    for label in entity.labels:
        name = strip_titles(label, rules)
        if len(name.split()) >= 2:
            names.append(name)
    return names


# ------------------------------------------------------------------------------------------ linking


@dataclass
class LinkResult:
    """Links to store in graph/links, the reference triples they rest on, and every decision."""

    graph: Graph
    decisions: list[Decision]
    reference_graph: Graph

    @property
    def links(self) -> dict[str, str]:
        """entity IRI -> Wikidata QID, for the accepted links."""
        return {d.entity: d.candidate for d in self.decisions if d.accepted and d.candidate}

    def __iter__(self) -> Iterator[Decision]:
        return iter(self.decisions)


def _link_node(entity: URIRef, target: URIRef) -> URIRef:
    return ID[f"link/{content_hash(f'{entity}|{target}')}"]


def _add_link(
    graph: Graph, entity: URIRef, target: URIRef, score: float, method: str, source: Node, day: date | None
) -> None:
    node = _link_node(entity, target)
    graph.add((entity, OWL.sameAs, target))
    graph.add((node, RDF.type, DKG.Link))
    graph.add((node, DKG.linkSubject, entity))
    graph.add((node, DKG.linkTarget, target))
    # Always three decimals ("1.000", not "1"): a lexical form that survives a Turtle round trip.
    graph.add((node, DKG.linkScore, Literal(f"{score:.3f}", datatype=XSD.decimal)))
    graph.add((node, DKG.linkMethod, Literal(method)))
    graph.add((node, PROV.wasDerivedFrom, source))
    if day is not None:
        graph.add((node, DCTERMS.date, Literal(day.isoformat(), datatype=XSD.date)))


Accepted = tuple[EntityInfo, Candidate, float, str]  # entity, candidate, score, method

# Bumped when the way entities are read, scored or written changes: links stored by another
# version are all decided again by the next build.
LINKER_VERSION = "1"


def links_version(source: CandidateSource, rules: LinkRules, threshold: float) -> str:
    """What links were decided by: this linker, its rules, the threshold and the reference.

    A full link records it in graph/links (``owl:versionInfo`` on the graph itself); an
    incremental link trusts the links already stored only when they carry the version it would
    write itself.
    """
    day = source.source_date.isoformat() if source.source_date else ""
    parts = (LINKER_VERSION, rules.digest, f"{threshold:.6f}", str(source.source), day, source.version)
    return content_hash("|".join(parts))


def _decide(
    entities: list[EntityInfo],
    source: CandidateSource,
    rules: LinkRules,
    threshold: float,
    country_qids: dict[URIRef, str],
    country_names: dict[URIRef, list[str]],
) -> tuple[list[Decision], list[Accepted]]:
    """Decide ``entities`` in order (countries first: the others read their links in country_qids)."""
    decisions: list[Decision] = []
    accepted: list[Accepted] = []
    for entity in entities:
        names = _names_of(entity, rules)
        found = source.candidates(names, entity.kind) if names else []
        if not found:
            decisions.append(
                Decision(str(entity.iri), entity.label, entity.kind, None, 0.0, "", False, "no candidate")
            )
            continue
        scored = sorted(
            ((score_candidate(entity, c, rules, country_qids, country_names), c) for c in found),
            key=lambda sc: (-sc[0][0], sc[1].qid),
        )
        best_score = scored[0][0][0]
        runner_up = scored[1][0][0] if len(scored) > 1 else 0.0
        ambiguous = best_score >= threshold and best_score - runner_up < AMBIGUITY_MARGIN
        for rank, ((score, method, reason), candidate) in enumerate(scored):
            ok = rank == 0 and score >= threshold and not ambiguous
            why = reason
            if rank == 0 and ambiguous:
                why = f"{reason}; ambiguous with {scored[1][1].qid}"
            elif score < threshold:
                why = f"{reason}; below threshold {threshold}"
            decisions.append(
                Decision(str(entity.iri), entity.label, entity.kind, candidate.qid, score, method, ok, why)
            )
            if ok:
                accepted.append((entity, candidate, score, method))
                if entity.kind == "country":
                    country_qids[entity.iri] = candidate.qid
    return decisions, accepted


def _links_graph(accepted: list[Accepted], source: CandidateSource) -> Graph:
    graph = Graph()
    graph.bind("owl", OWL)
    graph.bind("dkg", DKG)
    graph.bind("wd", WD)
    graph.bind("dbr", DBR)
    day = source.source_date
    for entity, candidate, score, method in accepted:
        _add_link(graph, entity.iri, candidate.iri, score, method, source.source, day)
        if candidate.dbpedia is not None:
            # DBpedia follows from the Wikidata item's English Wikipedia sitelink.
            _add_link(graph, entity.iri, candidate.dbpedia, score, f"{method}+enwiki", candidate.iri, day)
    return graph


def link_entities(
    dataset: Graph,
    reference: Reference | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    endpoint: str | None = None,
    cache_dir: str | Path | None = None,
    source: CandidateSource | None = None,
    rules: LinkRules | None = None,
) -> LinkResult:
    """Link every person, country, institution and place of ``dataset``.

    Candidates come from ``source`` if given, else from ``endpoint`` (live, cached in ``cache_dir``),
    else from ``reference`` (the shipped file by default). Raises LinkError, having built nothing,
    when the endpoint is down.
    """
    rules = rules or load_rules()
    if source is None:
        if endpoint:
            source = SparqlCandidateSource(endpoint, cache_dir=cache_dir)
        else:
            source = ReferenceCandidateSource(reference or load_reference())
    entities = read_entities(dataset, rules)
    country_names = {e.iri: e.labels for e in entities if e.kind == "country"}
    decisions, accepted = _decide(entities, source, rules, threshold, {}, country_names)
    graph = _links_graph(accepted, source)
    graph.add((LINKS_GRAPH, OWL.versionInfo, Literal(links_version(source, rules, threshold))))
    reference_graph = skolemize(source.describe(sorted({c.qid for _, c, _, _ in accepted})))
    return LinkResult(graph=graph, decisions=decisions, reference_graph=reference_graph)


def link_store_graphs(result: LinkResult) -> dict[URIRef, Graph]:
    """The named graphs to write, by name: graph/links and graph/reference."""
    return {LINKS_GRAPH: result.graph, REFERENCE_GRAPH: result.reference_graph}


# ------------------------------------------------------------------------------ incremental linking
#
# A decision reads the entity's own types, labels and dkg:country, its holdings (their office's role
# and country, their date or their document's), and, of other entities, only the countries: their
# links and their labels. So after a build only these need deciding again:
# - the entities named in the articles written or dropped, the holders of the holdings there, and
#   every holder of an office named there (an office's role or country is stated by each article);
# - when a country's labels changed (or a country appeared or went): the holders of its offices
#   (they compare its names with position labels) and, when its own link changed too, everything
#   placed in it. build takes every country's labels before it writes, to know.
# Every other stored link is what a full link would write again.


def country_labels(dataset: Graph, rules: LinkRules | None = None) -> dict[URIRef, frozenset[str]]:
    """Every country of ``dataset`` (graph/canonical) with its labels, as the linker reads them."""
    rules = rules or load_rules()
    classes = [DKG[c] for c, kind in rules.kind_of_class.items() if kind == "country"]
    subjects = {s for c in classes for s in _subjects(dataset, RDF.type, c) if isinstance(s, URIRef)}
    return {
        e.iri: frozenset(e.labels) for e in read_entities(dataset, rules, subjects) if e.kind == "country"
    }


class StoreLike(Protocol):
    """What incremental linking needs of kg.graph.store.Store: SPARQL SELECT and the rdflib dataset."""

    dataset: Dataset

    def select(self, query: str) -> list[tuple]: ...


def entities_named_in(
    store: StoreLike, graphs: Iterable[URIRef], rules: LinkRules | None = None
) -> set[URIRef]:
    """The entities whose links may change when the article graphs ``graphs`` are written or dropped:
    the linkable resources they type, and every holder of an office they name (whichever article
    says so; the holders of their own holdings among them).

    Read a graph about to be dropped before it goes, a graph written after it is.
    """
    graphs = sorted(set(graphs))
    if not graphs:
        return set()
    rules = rules or load_rules()
    classes = " ".join(DKG[c].n3() for c in sorted(rules.kind_of_class))
    rows = store.select(
        f"""SELECT DISTINCT ?e WHERE {{
             VALUES ?g {{ {" ".join(g.n3() for g in graphs)} }}
             {{ VALUES ?class {{ {classes} }} GRAPH ?g {{ ?e a ?class }} }}
             UNION {{ GRAPH ?g {{ ?office a {DKG.Office.n3()} }}
                      GRAPH {CANONICAL_GRAPH.n3()} {{ ?other {DKG.office.n3()} ?office ;
                                                        {DKG.holder.n3()} ?e }} }}
           }}"""
    )
    return {row[0] for row in rows if isinstance(row[0], URIRef)}


class Touched:
    """What a build changes that links depend on, collected while it writes.

    Made before the build writes anything: it notes the version graph/links was written by and
    every country's labels. ``articles`` is called with the articles about to be dropped or
    replaced before they go, and with the articles written after they are. The build then takes
    the version off graph/links (``stale_links_request``) until its link puts it back, so that a
    build killed or failing halfway leaves links that the next build will not trust.
    """

    def __init__(self, store: StoreLike, rules: LinkRules | None = None) -> None:
        self.store = store
        self.rules = rules or load_rules()
        self.entities: set[URIRef] = set()
        links = store.dataset.graph(LINKS_GRAPH)
        self.links_version = str(links.value(LINKS_GRAPH, OWL.versionInfo) or "")
        self.countries_before = country_labels(store.dataset.graph(CANONICAL_GRAPH), self.rules)

    def articles(self, article_ids: Iterable[str]) -> None:
        # Links never written, or left unfinished: the link after the build is a full one whatever
        # the articles name (``link_changed``), so reading them is wasted: on a fresh store, two
        # queries a chunk whose cost grows with the store (every holder of the offices named).
        if not self.links_version:
            return
        self.entities |= entities_named_in(self.store, [GRAPH[a] for a in article_ids], self.rules)


def stale_links_request() -> str:
    """SPARQL Update that takes the version off graph/links: the next link is a full one."""
    links = LINKS_GRAPH.n3()
    return f"DELETE WHERE {{ GRAPH {links} {{ {links} {OWL.versionInfo.n3()} ?version }} }}"


@dataclass
class LinkUpdate:
    """An incremental link: the entities decided again, their links, and what graph/reference gains
    and loses (the descriptions of items now linked, and of items no link points to any more)."""

    entities: list[URIRef]
    graph: Graph
    reference_added: Graph
    reference_removed: Graph
    linked: int  # entities with a Wikidata link in the whole store afterwards
    version: str  # links_version, put back on graph/links

    def request(self) -> str:
        """One SPARQL Update, so one transaction: the entities' old links go, the new ones come."""
        links, reference = LINKS_GRAPH.n3(), REFERENCE_GRAPH.n3()
        operations = []
        if self.entities:
            values = " ".join(e.n3() for e in self.entities)
            operations += [
                f"DELETE {{ GRAPH {links} {{ ?e {OWL.sameAs.n3()} ?t }} }} WHERE {{ VALUES ?e {{ {values} }} "
                f"GRAPH {links} {{ ?e {OWL.sameAs.n3()} ?t }} }}",
                f"DELETE {{ GRAPH {links} {{ ?link ?p ?o }} }} WHERE {{ VALUES ?e {{ {values} }} "
                f"GRAPH {links} {{ ?link {DKG.linkSubject.n3()} ?e ; ?p ?o }} }}",
            ]
        marker = Graph()
        marker.add((LINKS_GRAPH, OWL.versionInfo, Literal(self.version)))
        for verb, graph, data in (
            ("INSERT", links, self.graph + marker),
            ("DELETE", reference, self.reference_removed),
            ("INSERT", reference, self.reference_added),
        ):
            if len(data):
                lines = sorted(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in data)
                operations.append(f"{verb} DATA {{ GRAPH {graph} {{\n" + "\n".join(lines) + "\n}}")
        return " ;\n".join(operations)


def link_changed(
    dataset: Graph,
    links: Graph,
    touched: Touched,
    reference: Reference | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    rules: LinkRules | None = None,
) -> LinkUpdate | None:
    """Decide again only what a build changed, from the offline reference.

    ``dataset`` is graph/canonical after the build, ``links`` graph/links as the last link left it.
    Returns None when graph/links, before the build, was not written by this linker with these
    rules, threshold and reference (never linked, linked live, or a build that did not link or did
    not finish since): only a full link (``link_entities``) is right then.
    """
    rules = rules or touched.rules
    source = ReferenceCandidateSource(reference or load_reference())
    version = links_version(source, rules, threshold)
    if touched.links_version != version:
        return None
    stored: dict[Node, set[str]] = {}  # entity -> the Wikidata items its stored links point at
    for entity, target in links.subject_objects(OWL.sameAs):
        if qid := _qid(target):
            stored.setdefault(entity, set()).add(qid)
    countries = country_labels(dataset, rules)
    before = touched.countries_before
    changed = {c for c in countries.keys() | before.keys() if countries.get(c) != before.get(c)}
    country_names = {c: sorted(labels) for c, labels in countries.items()}
    country_qids = {c: q for c in countries if c not in changed for q in stored.get(c, ())}
    # A country's own decision reads nothing but its labels: decide the changed ones first, once.
    # Their labels are read by the holders of their offices; their links by everything placed in
    # them, which is decided after them with those links in ``country_qids``.
    _, relinked = _decide(
        read_entities(dataset, rules, changed), source, rules, threshold, country_qids, country_names
    )
    new_qids = {e.iri: c.qid for e, c, _, _ in relinked}
    redo = touched.entities | changed
    for country in changed:
        redo |= _office_holders(dataset, country)
        if new_qids.get(country) not in stored.get(country, {None}):
            redo |= {s for s in _subjects(dataset, DKG.country, country) if isinstance(s, URIRef)}
    kept = {e: qids for e, qids in stored.items() if e not in redo}
    entities = read_entities(dataset, rules, redo - changed)
    _, accepted = _decide(entities, source, rules, threshold, country_qids, country_names)
    accepted = relinked + accepted
    old_items = set().union(*stored.values())
    new_items = set().union(*kept.values(), {c.qid for _, c, _, _ in accepted})
    added, removed = Graph(), Graph()
    if new_items != old_items:
        # Described as a whole, as a full link does: a blank node's name depends on who points at it.
        old = skolemize(source.describe(sorted(old_items)))
        new = skolemize(source.describe(sorted(new_items)))
        added, removed = new - old, old - new
    return LinkUpdate(
        entities=sorted(redo, key=str),
        graph=_links_graph(accepted, source),
        reference_added=added,
        reference_removed=removed,
        linked=len(kept) + len({e.iri for e, _, _, _ in accepted}),
        version=version,
    )


def _office_holders(dataset: Graph, country: URIRef) -> set[URIRef]:
    """Who holds (or held) an office of ``country``: their office evidence reads its labels."""
    return {
        holder
        for office in _subjects(dataset, DKG.countryOf, country)
        for holding in _subjects(dataset, DKG.office, office)
        for holder in _objects(dataset, holding, DKG.holder)
        if isinstance(holder, URIRef)
    }


def decisions_table(result: LinkResult) -> list[dict[str, object]]:
    """Decisions as plain rows (for the CLI's table/CSV/JSON output)."""
    return [
        {
            "entity": d.entity,
            "label": d.label,
            "kind": d.kind,
            "candidate": d.candidate or "",
            "score": d.score,
            "method": d.method,
            "accepted": d.accepted,
            "reason": d.reason,
        }
        for d in result.decisions
    ]


__all__ = [
    "DEFAULT_REFERENCE",
    "DEFAULT_THRESHOLD",
    "LINKS_GRAPH",
    "REFERENCE_GRAPH",
    "Candidate",
    "CandidateSource",
    "Decision",
    "LinkError",
    "LinkResult",
    "LinkUpdate",
    "Reference",
    "ReferenceCandidateSource",
    "SparqlCandidateSource",
    "Touched",
    "country_labels",
    "decisions_table",
    "entities_named_in",
    "link_changed",
    "link_entities",
    "link_store_graphs",
    "links_version",
    "load_reference",
    "load_rules",
    "name_skeleton",
    "score_candidate",
    "stale_links_request",
]
