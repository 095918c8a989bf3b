"""graph/canonical, the merged view of all articles, kept in step with every article written.

graph/canonical holds every fact any article graph states, once (over the union of all graphs a
triple repeats once per article that states it, and every join after it as often), seen through
graph/merge: the persons and events kg/graph/merge.py finds to be one across articles under one IRI, a
merged event with one type, date, CAMEO code and label. Plus one
skos:prefLabel per person, institution, country, place and office: the label most articles give,
ties broken alphabetically. Saved queries read it.

Evidence nodes are the exception: a fact's dkg:evidence links are in graph/canonical, the nodes'
own triples (sentence, offsets, rule) only in their article's graph. An evidence IRI hashes its
article id, so no two articles share one: copied into graph/canonical, the nodes merged nothing and
were six triples in ten of what each article put there (the store, and RocksDB's compaction with
it, grew for no fact). Queries read the sentence with ``GRAPH ?g { ?ev prov:value ?text }``.

Keeping it in step costs work proportional to the articles written, not to the store:
- a dropped article graph's contribution leaves canonical unless another article contributes the
  same triple (one index lookup per triple and name the merge gives its terms);
- the new article's contribution goes in;
- the label votes live in graph/votes, one node per resource and label with its count, so a new
  preferred label needs the counts of the resources the article names, not a scan of every article
  that ever named them (a country named in most articles made that scan the cost of a write;
  docs/performance.md, figures behind the code's choices).

``recontribute`` returns the SPARQL Update operations that do this, for the caller to run in the
same transaction as the article's own graph (kg/graph/store.py), or as kg/graph/merge.py's ``settle`` changes
what articles contribute. Store.rebuild_canonical recomputes everything from the article graphs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.common.names import content_hash
from kg.graph.rdf import EVIDENCE_PATH, EXTRACTOR_VERSION, Triple, entity_iri, iter_ntriples
from kg.vocab import CANONICAL_GRAPH, DKG, GRAPH, ID, MERGE_GRAPH, OWL, RDF, RDFS, SKOS, VOTES_GRAPH

# What graph/canonical's owl:versionInfo records: the extractor version and the graph's own layout
# (2: evidence nodes only in article graphs; 3: article graphs as extracted, merged across articles
# through graph/merge; 4: a person's canonical IRI is the slug of its preferred label, graph/merge
# renaming a person alone too), so a store another version or layout wrote is rebuilt (article
# graphs are unchanged: no extraction again).
LAYOUT = "5"
VERSION = f"{EXTRACTOR_VERSION}.{LAYOUT}"

# Subjects whose triples stay in their article graph (see the module's docstring).
EVIDENCE = str(ID[EVIDENCE_PATH])

# Labelled resources that get one canonical skos:prefLabel across documents.
CANONICAL_CLASSES = (DKG.Person, DKG.Institution, DKG.Country, DKG.Place, DKG.Office)

# Article graphs are graph/<article id>, the article id a 16-hex content hash (kg.read.content_id).
ARTICLE_GRAPH = re.compile("^" + str(GRAPH).replace(".", "[.]") + "[0-9a-f]{16}$")

Labels = Counter  # (resource, label) -> how many article graphs give it

_CLASSES = " ".join(c.n3() for c in CANONICAL_CLASSES)
_CLASS_IRIS = frozenset(map(str, CANONICAL_CLASSES))
_TYPE, _LABEL = str(RDF.type), str(RDFS.label)


def in_canonical(subject: object) -> bool:
    """Whether triples about ``subject`` go into graph/canonical: all but evidence nodes'."""
    return not str.startswith(subject, EVIDENCE)  # type: ignore[arg-type]


def labels_of(triples: list[Triple]) -> Labels:
    """(resource, label) of every canonical-class resource one article's triples label. The set: a
    caller of Store.replace_article may list a triple twice, and a label counts once an article."""
    # Predicates and classes compared as plain strings: rdflib's URIRef.__eq__ is Python code, and
    # a build asks this of every triple of every article (docs/performance.md).
    typed = {
        s
        for s, p, o in triples
        if str.__eq__(p, _TYPE) and isinstance(o, URIRef) and str.__str__(o) in _CLASS_IRIS
    }
    labelled = {(s, o) for s, p, o in triples if str.__eq__(p, _LABEL)}
    return Counter((s, str(o)) for s, o in labelled if s in typed)


def labels_of_all(articles: list[list[Triple]]) -> Labels:
    """labels_of summed over several articles: a label counts once per article that gives it."""
    total: Labels = Counter()
    for triples in articles:
        total.update(labels_of(triples))
    return total


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


def label_updates(store, old: Labels, new: Labels) -> list[str]:
    """SPARQL Update operations that take graph/votes and the preferred labels from the stored
    counts to the counts less ``old`` (graphs that go) plus ``new`` (graphs that come)."""
    operations: list[str] = []
    touched = {s for s, _ in old} | {s for s, _ in new}
    if not touched:
        return operations
    before = stored_votes(store, touched)
    after = {subject: Counter(counter) for subject, counter in before.items()}
    for (subject, label), count in old.items():
        after[subject][label] -= count
    for (subject, label), count in new.items():
        after[subject][label] += count
    retracted, asserted = _vote_changes(before, after)
    winners_before, winners_after = _winners(before), _winners(after)
    relabelled = sorted(s for s in touched if winners_before.get(s) != winners_after.get(s))
    if relabelled:
        values = " ".join(s.n3() for s in relabelled)
        operations.append(
            f"DELETE {{ GRAPH {CANONICAL_GRAPH.n3()} {{ ?s skos:prefLabel ?l }} }} "
            f"WHERE {{ VALUES ?s {{ {values} }} GRAPH {CANONICAL_GRAPH.n3()} {{ ?s skos:prefLabel ?l }} }}"
        )
        labels = [_pref_label(s, winners_after[s]) for s in relabelled if s in winners_after]
        if labels:
            operations.append(insert_data(CANONICAL_GRAPH, labels))
    if retracted:
        operations.append(_data("DELETE", VOTES_GRAPH, retracted))
    if asserted:
        operations.append(insert_data(VOTES_GRAPH, asserted))
    return operations


def _vote_changes(
    before: dict[URIRef, Counter], after: dict[URIRef, Counter]
) -> tuple[list[Triple], list[Triple]]:
    """(triples to delete, triples to insert) taking graph/votes from ``before`` to ``after``."""
    retracted: list[Triple] = []
    asserted: list[Triple] = []
    for subject, counts in after.items():
        old_counts = before[subject]
        for label in sorted(set(old_counts) | set(counts)):
            was, now = max(old_counts.get(label, 0), 0), max(counts.get(label, 0), 0)
            if was == now:
                continue
            node = _vote_node(subject, label)
            if was and now:  # the node stays; only its count moves
                retracted.append((node, DKG.voteCount, Literal(was)))
                asserted.append((node, DKG.voteCount, Literal(now)))
            elif now:
                asserted += _vote(subject, label, now)
            else:
                retracted += _vote(subject, label, was)
    return retracted, asserted


def winner(counter: Counter) -> str | None:
    """The preferred label among counted ones: most votes, ties alphabetical (None: no positive
    count). kg/graph/merge.py names a person's canonical IRI after it, so that the IRI's slug is the
    slug of the skos:prefLabel written here."""
    counted = [(label, n) for label, n in counter.items() if n > 0]
    return min(counted, key=lambda kv: (-kv[1], kv[0]))[0] if counted else None


def _winners(votes: dict[URIRef, Counter]) -> dict[URIRef, str]:
    """The preferred label of every resource with a positive count."""
    out = {}
    for subject, counter in votes.items():
        best = winner(counter)
        if best is not None:
            out[subject] = best
    return out


def _pref_label(subject: URIRef, label: str) -> Triple:
    return (subject, SKOS.prefLabel, Literal(label, lang="en"))


def preferred_labels(votes: dict[URIRef, Counter]) -> list[Triple]:
    return [_pref_label(subject, label) for subject, label in _winners(votes).items()]


def vote_triples(votes: dict[URIRef, Counter]) -> list[Triple]:
    return [
        triple
        for subject, counter in votes.items()
        for label, count in counter.items()
        if count > 0
        for triple in _vote(subject, label, count)
    ]


def _vote_node(subject: URIRef, label: str) -> URIRef:
    return ID[f"vote/{content_hash(f'{subject}|{label}')}"]


def _vote(subject: URIRef, label: str, count: int) -> list[Triple]:
    node = _vote_node(subject, label)
    return [
        (node, RDF.type, DKG.LabelVote),
        (node, DKG.votesFor, subject),
        (node, DKG.votedLabel, Literal(label, lang="en")),
        (node, DKG.voteCount, Literal(count)),
    ]


# Resources whose IRI is id/<kind>/<slug of their name> (an office's is its role, body and country).
NAMED_CLASSES = (DKG.Person, DKG.Institution, DKG.Country, DKG.Place)


def slug_mismatches(store) -> list[tuple[URIRef, str]]:
    """(IRI, preferred label) of every person, institution, country and place of graph/canonical
    whose IRI's slug is not its skos:prefLabel's: an IRI that reads as another name than the one
    shown ("kasimbek-ospanov" for "Kassymbek Ospanov"). The check behind issue 22's
    "IRI slugs from the canonical label" (tests/regression/test_slugs.py)."""
    rows = store.select(
        f"""SELECT ?s ?label WHERE {{ GRAPH {CANONICAL_GRAPH.n3()} {{
             VALUES ?class {{ {" ".join(c.n3() for c in NAMED_CLASSES)} }}
             ?s a ?class ; skos:prefLabel ?label }} }}"""
    )
    return sorted(
        {(URIRef(s), str(label)) for s, label in rows if entity_iri(f"{_kind(s)}:{label}") != URIRef(s)}
    )


def _kind(iri: object) -> str:
    """'…/id/person/x' -> 'person'."""
    return str(iri)[len(str(ID)) :].partition("/")[0]


def marker() -> Triple:
    """graph/canonical records the extractor version and layout it was rebuilt for."""
    return (CANONICAL_GRAPH, OWL.versionInfo, Literal(VERSION))


def unmark() -> str:
    """SPARQL Update: remove the version marker (graph/canonical is not to be trusted until set again)."""
    canon = CANONICAL_GRAPH.n3()
    return (
        f"DELETE {{ GRAPH {canon} {{ {canon} owl:versionInfo ?v }} }} "
        f"WHERE {{ GRAPH {canon} {{ {canon} owl:versionInfo ?v }} }}"
    )


def insert_data(graph: URIRef, triples: list[Triple]) -> str:
    return _data("INSERT", graph, triples)


def _data(verb: str, graph: URIRef, triples: list[Triple]) -> str:
    return f"{verb} DATA {{ GRAPH {graph.n3()} {{\n" + "\n".join(iter_ntriples(triples)) + "\n}}"


# -- articles seen through graph/merge (kg/graph/merge.py) --------------------------------------------
#
# graph/canonical is every article's *contribution*: its triples with each person and event that
# kg/graph/merge.py put in a group renamed to the group's IRI (merge.contribution). When a write or a
# merge decision changes what some articles contribute, their old contribution goes unless another
# article still contributes the same triple, and their new one comes.

Preimages = Callable[[set[Node]], dict[Node, set[Node]]]

# How many candidate rows one support query carries.
_SUPPORT_BATCH = 400


def supported(store, candidates: set[Triple], preimages: Preimages, excluded: set[URIRef]) -> set[Triple]:
    """The canonical triples among ``candidates`` that an article graph outside ``excluded``
    contributes: it states a triple whose subject and object are renamed to theirs.

    ``preimages`` gives, for canonical terms, every article-level term renamed to each (itself
    included where it is its own name)."""
    if not candidates:
        return set()
    terms = {s for s, _, _ in candidates} | {o for _, _, o in candidates if isinstance(o, URIRef)}
    pre = preimages(terms)
    rows = []
    for s, p, o in sorted(candidates, key=_key):
        for ls in sorted(pre.get(s, {s})):
            for lo in sorted(pre.get(o, {o}), key=str) if isinstance(o, URIRef) else [o]:
                rows.append(f"({s.n3()} {p.n3()} {o.n3()} {ls.n3()} {lo.n3()})")
    # Only article graphs hold what articles contribute: graph/canonical itself, graph/merge and
    # graph/votes are left out, the other special graphs state nothing an article does. EXISTS
    # stops at the first article found (a country is in thousands).
    keep = ", ".join(g.n3() for g in [CANONICAL_GRAPH, MERGE_GRAPH, VOTES_GRAPH, *sorted(excluded)])
    found: set[Triple] = set()
    for start in range(0, len(rows), _SUPPORT_BATCH):
        values = "\n".join(rows[start : start + _SUPPORT_BATCH])
        for s, p, o in store.select(
            f"""SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES (?s ?p ?o ?ls ?lo) {{ {values} }}
                 FILTER EXISTS {{ GRAPH ?g {{ ?ls ?p ?lo }} FILTER (?g NOT IN ({keep})) }} }}"""
        ):
            found.add((s, p, o))
    return found


def _key(triple: Triple) -> tuple[str, str, str]:
    return tuple(map(str, triple))  # type: ignore[return-value]


def recontribute(
    store,
    old: list[list[Triple]],
    new: list[list[Triple]],
    preimages: Preimages,
    excluded: set[URIRef],
) -> tuple[list[str], list[str], list[str]]:
    """SPARQL Update operations taking graph/canonical and graph/votes from articles contributing
    ``old`` to their contributing ``new`` (an article dropped contributes nothing new; one added
    nothing old). ``excluded`` are the article graphs concerned, whose stored triples no longer
    count as support. Returns (deletions, insertions, label and vote changes): the caller orders
    them with what else its transaction does."""
    before = {t for triples in old for t in triples}
    after = {t for triples in new for t in triples}
    gone = before - after
    gone -= supported(store, gone, preimages, excluded)
    deletes = [_data("DELETE", CANONICAL_GRAPH, sorted(gone, key=_key))] if gone else []
    inserts = [insert_data(CANONICAL_GRAPH, sorted(after, key=_key))] if after else []
    labels = label_updates(store, labels_of_all(old), labels_of_all(new))
    return deletes, inserts, labels


def drop_overrides(targets: set[URIRef]) -> str:
    """SPARQL Update: take out of graph/canonical what merged events state once for their group
    (kg/graph/merge.py override_triples): their type, date, CAMEO code and label."""
    from kg.nlp.facts import EVENT_TYPES

    classes = ", ".join(DKG[t].n3() for t in EVENT_TYPES)
    props = ", ".join(p.n3() for p in (DKG.date, DKG.month, DKG.year, DKG.cameoCode, RDFS.label))
    return (
        f"DELETE {{ GRAPH {CANONICAL_GRAPH.n3()} {{ ?x ?p ?o }} }} WHERE {{ "
        f"VALUES ?x {{ {' '.join(t.n3() for t in sorted(targets))} }} "
        f"GRAPH {CANONICAL_GRAPH.n3()} {{ ?x ?p ?o }} "
        f"FILTER (?p IN ({props}) || (?p = {RDF.type.n3()} && ?o IN ({classes}))) }}"
    )


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


def retract(gone: list[URIRef]) -> str:
    """SPARQL Update: take out of graph/canonical the triples of ``gone`` that no other article
    states. Right when graph/merge renames none of their persons and events (kg/graph/merge.py
    ``named_in``): their contribution is then their triples, and only the same triple in another
    article can contribute it. One request, no round trip (docs/performance.md, figures behind the
    code's choices)."""
    keep = ", ".join(g.n3() for g in [CANONICAL_GRAPH, MERGE_GRAPH, VOTES_GRAPH, *gone])
    # Evidence triples were never copied: skipping them first spares their NOT EXISTS lookups.
    return (
        f"DELETE {{ GRAPH {CANONICAL_GRAPH.n3()} {{ ?s ?p ?o }} }} WHERE {{ "
        f"VALUES ?gone {{ {' '.join(g.n3() for g in gone)} }} GRAPH ?gone {{ ?s ?p ?o }} "
        f"FILTER (!STRSTARTS(STR(?s), {Literal(EVIDENCE).n3()})) "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other NOT IN ({keep})) }} }}"
    )
