"""Incremental linking: after a build, decide again only the entities whose links may have changed.

A decision reads the entity's own types, labels and dkg:country, its holdings (their office's role
and country, their date or their document's), and, of other entities, only the countries: their
links and their labels. So after a build only these need deciding again:
- the entities named in the articles written or dropped, the holders of the holdings there, and
  every holder of an office named there (an office's role or country is stated by each article);
- when a country's labels changed (or a country appeared or went): the holders of its offices
  (they compare its names with position labels) and, when its own link changed too, everything
  placed in it. build takes every country's labels before it writes, to know.
Every other stored link is what a full link would write again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.link.candidates import (
    Reference,
    ReferenceCandidateSource,
    load_reference,
    qid_of,
    skolemize,
)
from kg.link.entities import (
    objects_of,
    read_entities,
    subjects_of,
)
from kg.link.linking import (
    DEFAULT_THRESHOLD,
    decide,
    links_graph,
    links_version,
)
from kg.link.rules import LinkRules, load_rules
from kg.vocab import (
    CANONICAL_GRAPH,
    DKG,
    GRAPH,
    LINKS_GRAPH,
    OWL,
    RDF,
    REFERENCE_GRAPH,
)


def country_labels(dataset: Graph, rules: LinkRules | None = None) -> dict[URIRef, frozenset[str]]:
    """Every country of ``dataset`` (graph/canonical) with its labels, as the linker reads them."""
    rules = rules or load_rules()
    classes = [DKG[c] for c, kind in rules.kind_of_class.items() if kind == "country"]
    subjects = {s for c in classes for s in subjects_of(dataset, RDF.type, c) if isinstance(s, URIRef)}
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
        if qid := qid_of(target):
            stored.setdefault(entity, set()).add(qid)
    countries = country_labels(dataset, rules)
    before = touched.countries_before
    changed = {c for c in countries.keys() | before.keys() if countries.get(c) != before.get(c)}
    country_names = {c: sorted(labels) for c, labels in countries.items()}
    country_qids = {c: q for c in countries if c not in changed for q in stored.get(c, ())}
    # A country's own decision reads nothing but its labels: decide the changed ones first, once.
    # Their labels are read by the holders of their offices; their links by everything placed in
    # them, which is decided after them with those links in ``country_qids``.
    _, relinked = decide(
        read_entities(dataset, rules, changed), source, rules, threshold, country_qids, country_names
    )
    new_qids = {e.iri: c.qid for e, c, _, _ in relinked}
    redo = touched.entities | changed
    for country in changed:
        redo |= _office_holders(dataset, country)
        if new_qids.get(country) not in stored.get(country, {None}):
            redo |= {s for s in subjects_of(dataset, DKG.country, country) if isinstance(s, URIRef)}
    kept = {e: qids for e, qids in stored.items() if e not in redo}
    entities = read_entities(dataset, rules, redo - changed)
    _, accepted = decide(entities, source, rules, threshold, country_qids, country_names)
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
        graph=links_graph(accepted, source),
        reference_added=added,
        reference_removed=removed,
        linked=len(kept) + len({e.iri for e, _, _, _ in accepted}),
        version=version,
    )


def _office_holders(dataset: Graph, country: URIRef) -> set[URIRef]:
    """Who holds (or held) an office of ``country``: their office evidence reads its labels."""
    return {
        holder
        for office in subjects_of(dataset, DKG.countryOf, country)
        for holding in subjects_of(dataset, DKG.office, office)
        for holder in objects_of(dataset, holding, DKG.holder)
        if isinstance(holder, URIRef)
    }
