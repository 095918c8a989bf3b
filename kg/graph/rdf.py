"""DocFacts -> triples in the article's own named graph (docs/graph.md is the shape).

The only module that mints IRIs. Every IRI is a function of content (entity keys, the article's
content hash, the fact's key), never of build order or time, so rebuilding the same documents gives
the same graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.common.names import content_hash, label_key, slug
from kg.nlp.facts import DocFacts, Entity, Event, Evidence, Office, OfficeHolding
from kg.vocab import DCTERMS, DKG, GRAPH, ID, ORG, PROV, RDF, RDFS, SKOS, STANDARD_TYPES, TOPIC, XSD

# Bumped when extraction or the graph shape changes: articles stored by another version are
# extracted again instead of being skipped as unchanged.
EXTRACTOR_VERSION = "12"

ENTITY_CLASSES = {
    "person": DKG.Person,
    "institution": DKG.Institution,
    "country": DKG.Country,
    "place": DKG.Place,
}

# Kinds that saved queries find by name: each of their labels is also written as a dkg:key.
KEYED_KINDS = ("person", "institution", "country")

Triple = tuple[Node, Node, Node]


def article_graph(article_id: str) -> URIRef:
    return GRAPH[article_id]


def doc_iri(article_id: str) -> URIRef:
    return ID[f"doc/{article_id}"]


@lru_cache(maxsize=1 << 14)
def entity_iri(key: str) -> URIRef:
    """'person:sahiba-gafarova' -> <id/person/sahiba-gafarova>."""
    kind, _, name = key.partition(":")
    if not name or kind not in ENTITY_CLASSES:
        raise ValueError(f"not an entity key: {key!r}")
    return ID[f"{kind}/{slug(name)}"]


def office_iri(office: Office) -> URIRef:
    parts = [slug(office.role)]
    for key in (office.institution, office.country):
        if key:
            parts.append(slug(key.partition(":")[2]))
    if office.accredited_to:
        parts += ["to", slug(office.accredited_to.partition(":")[2])]
    if office.body and not office.institution:
        # A body made an institution is in the IRI already; the body is its label's source then.
        parts += ["of", slug(office.body)]
    return ID["office/" + "--".join(parts)]


def event_iri(key: str) -> URIRef:
    return ID[f"event/{content_hash(key)}"]


def topic_iri(topic_id: str) -> URIRef:
    return TOPIC[slug(topic_id)]


# rdflib checks and converts a value each time it makes a Literal or URIRef; in one article's
# triples the same rule ids, offsets, sentences, labels and entity IRIs come back again and again.
@lru_cache(maxsize=1 << 14, typed=True)
def _literal(value: str | int | bool) -> Literal:
    return Literal(value)


@lru_cache(maxsize=1 << 14)
def _label(text: str) -> Literal:
    return Literal(text, lang="en")


def _date_triple(subject: URIRef, iso: str) -> Triple:
    """An ISO date, possibly partial, as the one property that fits its precision."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return (subject, DKG.date, Literal(iso, datatype=XSD.date))
    if re.fullmatch(r"\d{4}-\d{2}", iso):
        return (subject, DKG.month, Literal(iso, datatype=XSD.gYearMonth))
    if re.fullmatch(r"\d{4}", iso):
        return (subject, DKG.year, Literal(iso, datatype=XSD.gYear))
    raise ValueError(f"not an ISO 8601 date: {iso!r}")


# Evidence nodes are id/evidence/<hash>: kg/graph/canonical.py keeps them out of graph/canonical by this path.
EVIDENCE_PATH = "evidence/"


class _Writer:
    """Collects the triples of one article; evidence nodes are shared between facts that cite them."""

    def __init__(self, facts: DocFacts) -> None:
        self.facts = facts
        self.doc = doc_iri(facts.article.id)
        self.triples: list[Triple] = []
        self._evidence_seen: set[URIRef] = set()

    def add(self, s: Node, p: Node, o: Node) -> None:
        self.triples.append((s, p, o))

    def typed(self, node: URIRef, cls: URIRef) -> None:
        """``node a cls``, and the standard classes cls stands for (kg.vocab.STANDARD_TYPES)."""
        self.add(node, RDF.type, cls)
        for standard in STANDARD_TYPES.get(cls, ()):
            self.add(node, RDF.type, standard)

    def evidence(self, subject: URIRef, items: list[Evidence]) -> None:
        for ev in items:
            node = ID[
                f"{EVIDENCE_PATH}{content_hash(f'{ev.article_id}|{ev.sentence_index}|{ev.start_char}|{ev.end_char}|{ev.rule}')}"
            ]
            self.add(subject, DKG.evidence, node)
            if node in self._evidence_seen:
                continue
            self._evidence_seen.add(node)
            self.add(node, RDF.type, DKG.Evidence)
            self.add(node, PROV.value, _literal(ev.sentence))
            self.add(node, PROV.wasQuotedFrom, self.doc)
            self.add(node, DKG.sentenceIndex, _literal(ev.sentence_index))
            self.add(node, DKG.startChar, _literal(ev.start_char))
            self.add(node, DKG.endChar, _literal(ev.end_char))
            self.add(node, DKG.rule, _literal(ev.rule))

    def document(self) -> None:
        article = self.facts.article
        self.typed(self.doc, DKG.Document)
        self.add(self.doc, DKG.contentHash, _literal(article.id))
        self.add(self.doc, DKG.extractorVersion, _literal(EXTRACTOR_VERSION))
        for stem in article.sources or (article.stem,):
            self.add(self.doc, DCTERMS.identifier, _literal(stem))
        if article.title:
            self.add(self.doc, DCTERMS.title, _label(article.title))
        if article.published:
            self.add(self.doc, DCTERMS.issued, Literal(article.published.isoformat(), datatype=XSD.date))
        if article.url:
            self.add(self.doc, DCTERMS.source, URIRef(article.url))

    def entity(self, entity: Entity) -> None:
        node = entity_iri(entity.key)
        self.typed(node, ENTITY_CLASSES[entity.kind])
        if entity.subtype:
            self.add(node, RDF.type, DKG[entity.subtype])
        self.add(node, RDFS.label, _label(entity.label))
        for alias in sorted(set(entity.aliases) - {entity.label}):
            self.add(node, SKOS.altLabel, _label(alias))
        if entity.kind in KEYED_KINDS:
            for key in {label_key(name) for name in (entity.label, *entity.aliases)} - {""}:
                self.add(node, DKG.key, _literal(key))
        if entity.country and entity.country != entity.key:
            self.add(node, DKG.country, entity_iri(entity.country))
        self.add(node, DKG.reportedIn, self.doc)
        self.evidence(node, entity.evidence)

    def office(self, office: Office) -> URIRef:
        node = office_iri(office)
        self.add(node, RDF.type, DKG.Office)
        self.add(node, RDFS.label, _label(office.label))
        self.add(node, DKG.role, _literal(office.role))
        if office.institution:
            self.add(node, DKG.officeIn, entity_iri(office.institution))
        if office.country:
            self.add(node, DKG.countryOf, entity_iri(office.country))
        if office.accredited_to:
            self.add(node, DKG.accreditedTo, entity_iri(office.accredited_to))
        return node

    def holding(self, holding: OfficeHolding) -> None:
        office = self.office(holding.office)
        key = f"{holding.person}|{holding.office.key}|{self.facts.article.id}"
        # An article may state both that someone holds an office and that they held it ("Former
        # Secretary-General" in a header over a report of their term): two holdings, two nodes.
        node = ID[f"holding/{content_hash(key + ('|former' if holding.former else ''))}"]
        self.add(node, RDF.type, DKG.OfficeHolding)
        self.add(node, DKG.holder, entity_iri(holding.person))
        self.add(node, DKG.office, office)
        self.add(node, DKG.former, _literal(holding.former))
        if not holding.former:
            # The W3C ORG shortcut beside the n-ary holding: one triple per person and office
            # however many articles attest it, which saved queries join through (a country's
            # 11 offices had 2,888 holdings on 1M triples, and 40 holders).
            self.add(entity_iri(holding.person), ORG.holds, office)
        if holding.attested:
            self.add(node, DKG.attestedOn, Literal(holding.attested.isoformat(), datatype=XSD.date))
        self.add(node, DKG.reportedIn, self.doc)
        self.evidence(node, holding.evidence)

    def event(self, event: Event) -> None:
        node = event_iri(event.key)
        self.typed(node, DKG.Event)
        self.add(node, RDF.type, DKG[event.type])
        if event.label:
            self.add(node, RDFS.label, _label(event.label))
        for person in sorted(set(event.participants)):
            self.add(node, DKG.participant, entity_iri(person))
        if event.date:
            self.add(*_date_triple(node, event.date))
        for prop, key in (
            (DKG.place, event.place),
            (DKG.country, event.country),
            (DKG.hostCountry, event.host_country),
            (DKG.guestCountry, event.guest_country),
        ):
            if key:
                self.add(node, prop, entity_iri(key))
        for topic in sorted(set(event.topics)):
            self.add(node, DKG.topic, topic_iri(topic))
        if event.cameo:
            self.add(node, DKG.cameoCode, _literal(event.cameo))
        if event.parent:
            self.add(node, DKG.subEventOf, event_iri(event.parent))
        self.add(node, DKG.reportedIn, self.doc)
        self.evidence(node, event.evidence)


def to_triples(facts: DocFacts) -> list[Triple]:
    """Every triple one article contributes, sorted so that output is stable."""
    writer = _Writer(facts)
    writer.document()
    for entity in facts.entities:
        writer.entity(entity)
    for holding in facts.office_holdings:
        writer.holding(holding)
    for event in facts.events:
        writer.event(event)
    return sorted(set(writer.triples), key=_sort_key)


def _sort_key(triple: Triple) -> tuple[str, ...]:
    """A total order on triples without n3(), which escaped every literal (10% of a build's commit)."""
    s, p, o = triple
    datatype = getattr(o, "datatype", None)
    return (str(s), str(p), type(o).__name__, str(o), str(datatype or ""), getattr(o, "language", None) or "")


def to_graph(facts: DocFacts) -> Graph:
    """The article's named graph as an rdflib Graph (for validation and tests)."""
    graph = Graph(identifier=article_graph(facts.article.id))
    for triple in to_triples(facts):
        graph.add(triple)
    return graph


def iter_ntriples(triples: list[Triple]) -> Iterator[str]:
    for s, p, o in triples:
        if isinstance(s, BNode) or isinstance(o, BNode):
            raise ValueError("kg writes no blank nodes: every resource has a minted IRI")
        yield f"{s.n3()} {p.n3()} {o.n3()} ."
