"""graph/canonical, the merged view of all articles, kept in step with every article written.

graph/canonical holds every triple any article graph holds, once (over the union of all graphs a
triple repeats once per article that states it, and every join after it as often), plus one
skos:prefLabel per person, institution, country, place and office: the label most articles give,
ties broken alphabetically. Saved queries read it.

Keeping it in step costs work proportional to the articles written, not to the store:
- a dropped article graph's triples leave canonical unless another article states them too (one
  index lookup per triple);
- the new article's triples go in;
- the label votes live in graph/votes, one node per resource and label with its count, so a new
  preferred label needs the counts of the resources the article names, not a scan of every article
  that ever named them (a country named in 3,000 of 10,000 articles cost 100 ms a write that way).

``updates`` returns the SPARQL Update operations that do this, for the caller to run in the same
transaction as the article's own graph. ``rebuild`` recomputes both graphs from the article graphs.
"""

from __future__ import annotations

import re
from collections import Counter

from rdflib import Literal, URIRef

from kg.rdf import EXTRACTOR_VERSION, Triple, digest, iter_ntriples
from kg.vocab import CANONICAL_GRAPH, DKG, GRAPH, ID, OWL, RDF, RDFS, SKOS

VOTES_GRAPH = GRAPH["votes"]

# Labelled resources that get one canonical skos:prefLabel across documents.
CANONICAL_CLASSES = (DKG.Person, DKG.Institution, DKG.Country, DKG.Place, DKG.Office)

# Article graphs are graph/<article id>, the article id a 16-hex content hash (kg.read.content_id).
ARTICLE_GRAPH = re.compile("^" + str(GRAPH).replace(".", "[.]") + "[0-9a-f]{16}$")

Labels = Counter  # (resource, label) -> how many article graphs give it

_CLASSES = " ".join(c.n3() for c in CANONICAL_CLASSES)


def labels_of(triples: list[Triple]) -> Labels:
    """(resource, label) of every canonical-class resource one article's triples label. The set: a
    caller of Store.replace_article may list a triple twice, and a label counts once an article."""
    triples = set(triples)
    classes = set(CANONICAL_CLASSES)
    typed = {s for s, p, o in triples if p == RDF.type and o in classes}
    return Counter((s, str(o)) for s, p, o in triples if p == RDFS.label and s in typed)


def labels_in(store, graphs: list[URIRef]) -> Labels:
    """(resource, label) pairs as the stored ``graphs`` give them, counted per graph."""
    if not graphs:
        return Counter()
    rows = store.select(
        f"""SELECT ?s ?label WHERE {{
             VALUES ?g {{ {" ".join(g.n3() for g in graphs)} }}
             VALUES ?class {{ {_CLASSES} }}
             GRAPH ?g {{ ?s a ?class ; rdfs:label ?label }} }}"""
    )
    return Counter((s, str(label)) for s, label in rows)


def stored_votes(store, subjects: set[URIRef]) -> dict[URIRef, Counter]:
    rows = store.select(
        f"""SELECT ?s ?label ?n WHERE {{
             VALUES ?s {{ {" ".join(s.n3() for s in sorted(subjects))} }}
             GRAPH {VOTES_GRAPH.n3()} {{
               ?v dkg:votesFor ?s ; dkg:votedLabel ?label ; dkg:voteCount ?n }} }}"""
    )
    votes: dict[URIRef, Counter] = {s: Counter() for s in subjects}
    for subject, label, count in rows:
        votes[subject][str(label)] = int(count)
    return votes


def updates(store, gone: list[URIRef], triples: list[Triple]) -> tuple[list[str], list[Triple], list[Triple]]:
    """What writing ``triples`` as an article and dropping the graphs ``gone`` does to canonical.

    Returns (operations to run before the graphs are dropped, the preferred labels to insert into
    graph/canonical besides ``triples``, triples to insert into graph/votes).
    """
    old, new = labels_in(store, gone), labels_of(triples)
    touched = {s for s, _ in old} | {s for s, _ in new}
    operations = [_retract(gone)] if gone else []
    if not touched:
        return operations, [], []
    votes = stored_votes(store, touched)
    for (subject, label), count in old.items():
        votes[subject][label] -= count
    for (subject, label), count in new.items():
        votes[subject][label] += count
    values = " ".join(s.n3() for s in sorted(touched))
    operations += [
        f"DELETE {{ GRAPH {CANONICAL_GRAPH.n3()} {{ ?s skos:prefLabel ?l }} }} "
        f"WHERE {{ VALUES ?s {{ {values} }} GRAPH {CANONICAL_GRAPH.n3()} {{ ?s skos:prefLabel ?l }} }}",
        f"DELETE {{ GRAPH {VOTES_GRAPH.n3()} {{ ?v ?p ?o }} }} "
        f"WHERE {{ VALUES ?s {{ {values} }} GRAPH {VOTES_GRAPH.n3()} {{ ?v dkg:votesFor ?s ; ?p ?o }} }}",
    ]
    return operations, preferred_labels(votes), vote_triples(votes)


def preferred_labels(votes: dict[URIRef, Counter]) -> list[Triple]:
    out = []
    for subject, counter in votes.items():
        counted = [(label, n) for label, n in counter.items() if n > 0]
        if counted:
            best = sorted(counted, key=lambda kv: (-kv[1], kv[0]))[0][0]
            out.append((subject, SKOS.prefLabel, Literal(best, lang="en")))
    return out


def vote_triples(votes: dict[URIRef, Counter]) -> list[Triple]:
    out = []
    for subject, counter in votes.items():
        for label, count in counter.items():
            if count > 0:
                node = ID[f"vote/{digest(f'{subject}|{label}')}"]
                out += [
                    (node, RDF.type, DKG.LabelVote),
                    (node, DKG.votesFor, subject),
                    (node, DKG.votedLabel, Literal(label, lang="en")),
                    (node, DKG.voteCount, Literal(count)),
                ]
    return out


def _retract(gone: list[URIRef]) -> str:
    """Take out of graph/canonical the triples of ``gone`` that no other article states."""
    keep = ", ".join(g.n3() for g in [CANONICAL_GRAPH, *gone])
    return (
        f"DELETE {{ GRAPH {CANONICAL_GRAPH.n3()} {{ ?s ?p ?o }} }} WHERE {{ "
        f"VALUES ?gone {{ {' '.join(g.n3() for g in gone)} }} GRAPH ?gone {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other NOT IN ({keep})) }} }}"
    )


def all_votes(store) -> dict[URIRef, Counter]:
    """Label votes recomputed from every article graph."""
    rows = store.select(
        f"""SELECT ?s ?label (COUNT(DISTINCT ?g) AS ?n) WHERE {{
             VALUES ?class {{ {_CLASSES} }}
             GRAPH ?g {{ ?s a ?class ; rdfs:label ?label }}
             FILTER (REGEX(STR(?g), {Literal(ARTICLE_GRAPH.pattern).n3()}))
           }} GROUP BY ?s ?label"""
    )
    votes: dict[URIRef, Counter] = {}
    for subject, label, count in rows:
        votes.setdefault(subject, Counter())[str(label)] += int(count)
    return votes


def marker() -> Triple:
    """graph/canonical records the extractor version it was rebuilt for."""
    return (CANONICAL_GRAPH, OWL.versionInfo, Literal(EXTRACTOR_VERSION))


def unmark() -> str:
    """SPARQL Update: remove the version marker (graph/canonical is not to be trusted until set again)."""
    canon = CANONICAL_GRAPH.n3()
    return (
        f"DELETE {{ GRAPH {canon} {{ {canon} owl:versionInfo ?v }} }} "
        f"WHERE {{ GRAPH {canon} {{ {canon} owl:versionInfo ?v }} }}"
    )


def insert_data(graph: URIRef, triples: list[Triple]) -> str:
    return f"INSERT DATA {{ GRAPH {graph.n3()} {{\n" + "\n".join(iter_ntriples(triples)) + "\n}}"
