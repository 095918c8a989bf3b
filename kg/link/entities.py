"""Our entities as the linker reads them from the graph: kind, labels, countries and the offices a
person holds, read from Oxigraph directly where the graph lives there."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox
from oxrdflib._converter import from_ox, to_ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.graph.store import oxigraph_behind
from kg.link.candidates import (
    as_date,
)
from kg.link.rules import LinkRules
from kg.vocab import (
    DCTERMS,
    DKG,
    RDF,
    RDFS,
    SKOS,
)

KIND_ORDER = ("country", "institution", "place", "person")  # countries first: the rest use them


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


def objects_of(dataset: Graph, subject: Node, predicate: Node) -> list[Node]:
    """Objects across every named graph (the union), without relying on the store's defaults.

    A named graph of kg.graph.store is read from Oxigraph directly: the same triples as through rdflib,
    faster (oxrdflib makes an rdflib Graph object for every triple it returns; docs/performance.md).
    """
    return sorted({o for (o,) in _pairs(dataset, subject, predicate, None)}, key=str)


def subjects_of(dataset: Graph, predicate: Node, obj: Node) -> list[Node]:
    return sorted({s for (s,) in _pairs(dataset, None, predicate, obj)}, key=str)


def _properties(dataset: Graph, subject: Node) -> dict[Node, list[Node]]:
    """Every predicate of ``subject`` with its objects, sorted as objects_of sorts them."""
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
        types = {s: set(objects_of(dataset, s, RDF.type)) for s in set(subjects)}
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
    preferred = [str(o) for o in objects_of(dataset, iri, SKOS.prefLabel)]
    others = [str(o) for p in (RDFS.label, SKOS.altLabel) for o in objects_of(dataset, iri, p)]
    info.labels = list(dict.fromkeys(preferred + sorted(others)))
    info.countries = {o for o in objects_of(dataset, iri, DKG.country) if isinstance(o, URIRef)}
    for holding in subjects_of(dataset, DKG.holder, iri):
        facts = _properties(dataset, holding)  # a holding has a handful of triples: one lookup
        if DKG.OfficeHolding not in facts.get(RDF.type, []):
            continue
        for office in facts.get(DKG.office, []):
            if office not in offices:
                offices[office] = _read_office(dataset, office)
            if offices[office] is None:
                continue
            role, label, country = offices[office]
            attested = as_date(next(iter(facts.get(DKG.attestedOn, [])), None))
            if attested is None:
                attested = min(
                    (
                        d
                        for doc in facts.get(DKG.reportedIn, [])
                        if (d := as_date(next(iter(objects_of(dataset, doc, DCTERMS.issued)), None)))
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
