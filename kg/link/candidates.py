"""Candidates: Wikidata items as the linker sees them (``Candidate``), read from Wikidata-shaped
triples, and the offline source that finds them by name in the shipped reference file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from rapidfuzz import fuzz
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.term import Node

from kg.common.names import content_hash, translit_words
from kg.link.rules import LinkError
from kg.shipped import reference_dir
from kg.vocab import (
    DBR,
    DCTERMS,
    RDFS,
    REFERENCE_DATASET,
    SDO,
    SKOS,
    WD,
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
# A candidate is considered only when its name skeleton is this close to one of ours.
CANDIDATE_SIMILARITY = 0.85


def name_skeleton(text: str) -> str:
    """A name's words folded as the resolver folds them (kg/common/names.translit_key):
    'Nurlan-Bek Sadyqov' and 'Nurlan-Bek Sadykov' have one skeleton."""
    return " ".join(translit_words(text))


def name_similarity(a: str, b: str) -> float:
    """1.0 for the same skeleton; otherwise rapidfuzz's best of plain and word-order-free ratio."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b)) / 100.0


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


def qid_of(node: Node) -> str | None:
    text = str(node)
    return text[len(str(WD)) :] if isinstance(node, URIRef) and text.startswith(str(WD)) else None


def as_date(node: Node | None) -> date | None:
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
        qid = qid_of(item)
        if qid is None or (item, None, None) not in graph:
            continue
        labels = tuple(sorted({str(o) for p in (RDFS.label, SKOS.altLabel) for o in graph.objects(item, p)}))
        classes = _superclasses(graph, set(graph.objects(item, WDT.P31)))
        countries = {q for p in (WDT.P27, WDT.P17) for o in graph.objects(item, p) if (q := qid_of(o))}
        positions = []
        for statement in graph.objects(item, P.P39):
            for post in graph.objects(statement, PS.P39):
                positions.append(
                    Position(
                        labels=tuple(sorted(str(o) for o in graph.objects(post, RDFS.label))),
                        countries=frozenset(q for o in graph.objects(post, WDT.P17) if (q := qid_of(o))),
                        start=as_date(graph.value(statement, PQ.P580)),
                        end=as_date(graph.value(statement, PQ.P582)),
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
            classes=frozenset(q for c in classes if (q := qid_of(c))),
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
    query_date = as_date(graph.value(dataset, DCTERMS.date))
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
