"""Linking: every entity decided (countries first), the accepted links written as owl:sameAs plus a
dkg:Link node, and the version the links were decided by."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.common.names import content_hash
from kg.link.candidates import (
    Candidate,
    CandidateSource,
    Reference,
    ReferenceCandidateSource,
    load_reference,
    skolemize,
)
from kg.link.endpoint import (
    SparqlCandidateSource,
)
from kg.link.entities import (
    EntityInfo,
    read_entities,
)
from kg.link.rules import LinkRules, load_rules
from kg.link.scoring import (
    Decision,
    names_of,
    score_candidate,
)
from kg.vocab import (
    DBR,
    DCTERMS,
    DKG,
    ID,
    LINKS_GRAPH,
    OWL,
    PROV,
    RDF,
    REFERENCE_GRAPH,
    WD,
    XSD,
)

DEFAULT_THRESHOLD = 0.75
# Two accepted candidates closer than this are a coin toss: link neither.
AMBIGUITY_MARGIN = 0.05


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


def decide(
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
        names = names_of(entity, rules)
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


def links_graph(accepted: list[Accepted], source: CandidateSource) -> Graph:
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
    decisions, accepted = decide(entities, source, rules, threshold, {}, country_names)
    graph = links_graph(accepted, source)
    graph.add((LINKS_GRAPH, OWL.versionInfo, Literal(links_version(source, rules, threshold))))
    reference_graph = skolemize(source.describe(sorted({c.qid for _, c, _, _ in accepted})))
    return LinkResult(graph=graph, decisions=decisions, reference_graph=reference_graph)


def link_store_graphs(result: LinkResult) -> dict[URIRef, Graph]:
    """The named graphs to write, by name: graph/links and graph/reference."""
    return {LINKS_GRAPH: result.graph, REFERENCE_GRAPH: result.reference_graph}


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
