"""What the workers do (kg/serve/workers.py): each job reads the current snapshot of the store and
returns plain data (bytes, str, dict, list) that crosses back to the server process.

Parameters go into queries as RDF terms in VALUES blocks (kg.sparql.catalogue.bind_values), never pasted
into the text. The page queries read graph/canonical (each fact once) and each fact's sentence
from the article graph that quotes it (docs/graph.md).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pyoxigraph as ox
from rapidfuzz import fuzz, process
from rdflib import Literal, URIRef

from kg.common.names import fold, label_key
from kg.graph.store import PREFIXES, Store, StoreError
from kg.serve.formats import NotAcceptableError, choose
from kg.serve.workers import JobError, WorkerContext
from kg.sparql.catalogue import QueryError, load_queries
from kg.sparql.guard import QueryRefusedError, check_query
from kg.sparql.local import run_query, run_sparql
from kg.sparql.results import format_result, typed_value
from kg.vocab import BASE, CANONICAL_GRAPH, ONTOLOGY_GRAPH, TOPICS_GRAPH

C = CANONICAL_GRAPH.n3()
TOPICS = TOPICS_GRAPH.n3()
# Kinds of minted resources a page is made for, and the order search ranks them in on a tie.
PAGE_KINDS = ("person", "institution", "country", "place", "event", "topic", "doc")


# -- SPARQL protocol ---------------------------------------------------------------------------


def refuse(text: str, allow_service: bool) -> None:
    """kg.sparql.guard's checks: SERVICE unless allowed is 403, a text too long or too deep 400."""
    try:
        check_query(text, "query", allow_service)
    except QueryRefusedError as err:
        raise JobError(403 if "SERVICE" in str(err) else 400, str(err)) from None


def sparql(
    context: WorkerContext,
    text: str,
    accept: str | None,
    requested: str | None,
    default_graphs: list[str],
    named_graphs: list[str],
) -> tuple[str, bytes]:
    """A SPARQL query answered in the negotiated format: (media type, body)."""
    refuse(text, context.allow_service)
    store = context.store
    options: dict[str, Any] = {"prefixes": PREFIXES}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        result = store.inner.query(text, **options)
        kind = "graph" if isinstance(result, ox.QueryTriples) else "results"
        fmt = choose(kind, accept, requested)
        body = result.serialize(format=fmt.rdf if kind == "graph" else fmt.results)
    except SyntaxError as err:
        raise JobError(400, f"SPARQL syntax error: {err}") from None
    except NotAcceptableError as err:
        raise JobError(406, str(err)) from None
    except ValueError as err:  # an invalid graph IRI, a query the engine refuses
        raise JobError(400, str(err)) from None
    except OSError as err:  # SERVICE allowed, and the other server failed
        raise JobError(502, f"query failed: {err}") from None
    return fmt.media_type, body


def update(context: WorkerContext, text: str) -> str:
    """A SPARQL Update, when the server allows them: the store opened for writing, then closed."""
    if not context.allow_update:
        raise JobError(403, "SPARQL Update is refused: this server is read-only (start with --allow-update)")
    refuse(text, context.allow_service)
    try:
        store = Store(context.snapshots.path, read_only=False)
    except StoreError as err:
        raise JobError(503, str(err)) from None
    try:
        store.update(text)
    except SyntaxError as err:
        raise JobError(400, f"SPARQL syntax error: {err}") from None
    except StoreError as err:
        raise JobError(503, str(err)) from None
    finally:
        store.close()
    context.snapshots.checked = 0.0  # the next job takes the new snapshot
    return "done"


# -- saved queries -----------------------------------------------------------------------------


def saved(context: WorkerContext, name: str, params: dict[str, str], fmt: str) -> Any:
    """Saved query ``name`` with the same binding as `kg query`: CSV text, or columns and typed rows."""
    queries = load_queries()
    if name not in queries:
        raise JobError(404, f"no saved query {name!r}; /queries lists them")
    try:
        result = run_query(context.store, name, params, queries, typed=fmt == "json")
    except QueryError as err:
        raise JobError(400, str(err)) from None
    if fmt == "csv":
        return format_result(result, "csv")
    return {
        "query": name,
        "columns": result.columns,
        "rows": [
            {
                c: typed_value(v, result.kind(r, i))
                for i, (c, v) in enumerate(zip(result.columns, row, strict=True))
            }
            for r, row in enumerate(result.rows)
        ],
    }


# -- helpers -----------------------------------------------------------------------------------


def _select(store, text: str, **bindings: Any) -> list[dict[str, str | None]]:
    terms = {k: (v if isinstance(v, URIRef | Literal) else Literal(v)) for k, v in bindings.items()}
    result = run_sparql(store, text, terms)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def event_label(label: str | None, date: str | None, iri: str = "") -> str:
    """A readable event label: its label and date ("A and B: meeting, 2024-05-01")."""
    text = label or (iri.rsplit("/", 1)[-1] if iri else "event")
    return f"{text}, {date}" if date else text


def local_path(iri: str) -> str | None:
    """The server path of a minted IRI (https://w3id.org/diplomacy-kg/id/... -> /id/...)."""
    return "/" + iri[len(BASE) :] if iri.startswith(BASE) else None


def kind_of(iri: str) -> str:
    rest = iri[len(BASE) :] if iri.startswith(BASE) else ""
    if rest.startswith("id/"):
        return rest.split("/")[1]
    return rest.split("/")[0]


# -- entity pages ------------------------------------------------------------------------------

# Each lookup's patterns sit in a sub-select inside GRAPH: the parameter's VALUES block
# (kg.sparql.catalogue.bind_values puts one at the head of every SELECT) then starts the pattern it feeds.
# Outside GRAPH, Oxigraph evaluated the whole graph's patterns first and joined the one IRI after
# (docs/performance.md, figures behind the code's choices).
HEAD = f"""SELECT ?class ?pref ?label WHERE {{ GRAPH {C} {{ SELECT ?class ?pref ?label WHERE {{
  ?iri a ?class . OPTIONAL {{ ?iri skos:prefLabel ?pref }} OPTIONAL {{ ?iri rdfs:label ?label }} }} }} }}"""
ALIASES = f"""SELECT DISTINCT ?alias WHERE {{ GRAPH {C} {{ ?iri rdfs:label|skos:altLabel ?a }}
  BIND (STR(?a) AS ?alias) }} ORDER BY ?alias"""
LINKS = """SELECT DISTINCT ?target WHERE { ?iri owl:sameAs ?target } ORDER BY ?target"""
MENTIONS = f"""SELECT ?sentence ?doc (MIN(?src) AS ?source) (MIN(?t) AS ?title) WHERE {{
  {{ SELECT ?ev WHERE {{ GRAPH {C} {{ SELECT ?ev WHERE {{ ?iri dkg:evidence ?ev }} }} }} }}
  GRAPH ?g {{ ?ev prov:value ?sentence ; prov:wasQuotedFrom ?doc }}
  OPTIONAL {{ GRAPH {C} {{ ?doc dcterms:identifier ?src }} }}
  OPTIONAL {{ GRAPH {C} {{ ?doc dcterms:title ?t }} }}
}} GROUP BY ?sentence ?doc ORDER BY ?source ?sentence"""
# The holdings of a person, of the offices in an institution, or of a country's offices.
OFFICE_ANCHORS = {
    "person": "?h dkg:holder ?iri .",
    "institution": "?office dkg:officeIn ?iri . ?h dkg:office ?office .",
    "country": "?office dkg:countryOf ?iri . ?h dkg:office ?office .",
}
OFFICES = """SELECT ?holder ?holderLabel ?office ?officeLabel ?attested ?former ?doc
       (MIN(?src) AS ?source) (MIN(?s) AS ?sentence) WHERE {{
  {{ SELECT ?h ?holder ?holderLabel ?office ?officeLabel ?attested ?former ?doc ?src ?ev WHERE {{
    GRAPH {C} {{ SELECT * WHERE {{
      {anchor}
      ?h dkg:office ?office ; dkg:holder ?holder ; dkg:reportedIn ?doc .
      OPTIONAL {{ ?holder skos:prefLabel ?holderLabel }}
      OPTIONAL {{ ?office skos:prefLabel ?officeLabel }}
      OPTIONAL {{ ?h dkg:attestedOn ?attested }}
      OPTIONAL {{ ?h dkg:former ?former }}
      OPTIONAL {{ ?doc dcterms:identifier ?src }}
      OPTIONAL {{ ?h dkg:evidence ?ev }}
  }} }} }} }}
  OPTIONAL {{ GRAPH ?g {{ ?ev prov:value ?s ; prov:wasQuotedFrom ?doc }} }}
}} GROUP BY ?holder ?holderLabel ?office ?officeLabel ?attested ?former ?doc
ORDER BY ?attested ?officeLabel ?holderLabel"""
# Events the entity takes part in, hosts, is the place of, or (a topic) is about.
EVENTS = f"""SELECT ?event (MIN(?l) AS ?label) (MIN(STR(?d)) AS ?date)
       (MIN(STRAFTER(STR(?class), "#")) AS ?type) (MIN(?pl) AS ?place) (MIN(STRAFTER(STR(?r), "#")) AS ?role)
WHERE {{ GRAPH {C} {{ SELECT ?event ?l ?d ?class ?pl ?r WHERE {{
    ?event ?r ?iri .
    FILTER (?r IN (dkg:participant, dkg:place, dkg:country, dkg:hostCountry, dkg:guestCountry, dkg:topic))
    ?event a ?class . FILTER (?class != dkg:Event && STRSTARTS(STR(?class), STR(dkg:)))
    OPTIONAL {{ ?event rdfs:label ?l }}
    OPTIONAL {{ ?event dkg:date|dkg:month|dkg:year ?d }}
    OPTIONAL {{ ?event dkg:place ?where . ?where skos:prefLabel ?pl }}
}} }} }} GROUP BY ?event ORDER BY ?date ?event"""
EVENT_PARTICIPANTS = f"""SELECT DISTINCT ?event ?p ?plabel WHERE {{ GRAPH {C} {{
  SELECT ?event ?p ?plabel WHERE {{
    ?event ?r ?iri .
    FILTER (?r IN (dkg:participant, dkg:place, dkg:country, dkg:hostCountry, dkg:guestCountry, dkg:topic))
    ?event dkg:participant ?p . ?p skos:prefLabel ?plabel }} }} }} ORDER BY ?plabel"""
EVENT_SOURCES = f"""SELECT ?event ?doc (MIN(?src) AS ?source) (MIN(?s) AS ?sentence) WHERE {{
  {{ SELECT ?event ?doc ?src ?ev WHERE {{ GRAPH {C} {{ SELECT ?event ?doc ?src ?ev WHERE {{
    ?event ?r ?iri .
    FILTER (?r IN (dkg:participant, dkg:place, dkg:country, dkg:hostCountry, dkg:guestCountry, dkg:topic))
    ?event dkg:reportedIn ?doc .
    OPTIONAL {{ ?doc dcterms:identifier ?src }}
    OPTIONAL {{ ?event dkg:evidence ?ev }}
  }} }} }} }}
  OPTIONAL {{ GRAPH ?g {{ ?ev prov:value ?s ; prov:wasQuotedFrom ?doc }} }}
}} GROUP BY ?event ?doc ORDER BY ?event ?source"""
TOPICS_OF = f"""SELECT ?topic (MIN(?tl) AS ?label) (COUNT(DISTINCT ?event) AS ?events) WHERE {{
  GRAPH {C} {{ ?event dkg:participant|dkg:place|dkg:country|dkg:hostCountry|dkg:guestCountry ?iri ;
                      dkg:topic ?topic }}
  OPTIONAL {{ GRAPH {TOPICS} {{ ?topic skos:prefLabel ?tl }} }}
}} GROUP BY ?topic ORDER BY DESC(?events) ?label"""
CO_PARTICIPANTS = f"""SELECT ?other (MIN(?ol) AS ?label) (COUNT(DISTINCT ?event) AS ?events) WHERE {{
  GRAPH {C} {{ ?event dkg:participant ?iri, ?other . FILTER (?other != ?iri) ?other skos:prefLabel ?ol }}
}} GROUP BY ?other ORDER BY DESC(?events) ?label"""
EVENT_HEAD = f"""SELECT ?p ?o ?olabel WHERE {{ GRAPH {C} {{
  ?iri ?p ?o .
  FILTER (?p IN (dkg:date, dkg:month, dkg:year, dkg:place, dkg:country, dkg:hostCountry, dkg:guestCountry,
                 dkg:topic, dkg:cameoCode, dkg:subEventOf, dkg:participant))
  OPTIONAL {{ ?o skos:prefLabel ?ol1 }} OPTIONAL {{ ?o rdfs:label ?ol2 }} }}
  OPTIONAL {{ GRAPH {TOPICS} {{ ?o skos:prefLabel ?ol3 }} }}
  BIND (STR(COALESCE(?ol1, ?ol3, ?ol2)) AS ?olabel) }}"""
SUB_EVENTS = f"""SELECT ?event (MIN(?l) AS ?label) (MIN(STR(?d)) AS ?date) WHERE {{ GRAPH {C} {{
  ?event dkg:subEventOf ?iri . OPTIONAL {{ ?event rdfs:label ?l }}
  OPTIONAL {{ ?event dkg:date|dkg:month|dkg:year ?d }}
}} }} GROUP BY ?event ORDER BY ?date"""
OWN_SOURCES = f"""SELECT ?doc (MIN(?src) AS ?source) (MIN(?t) AS ?title) (MIN(?s) AS ?sentence) WHERE {{
  {{ SELECT ?doc ?src ?t ?ev WHERE {{ GRAPH {C} {{ SELECT ?doc ?src ?t ?ev WHERE {{
    ?iri dkg:reportedIn ?doc . OPTIONAL {{ ?doc dcterms:identifier ?src }}
    OPTIONAL {{ ?doc dcterms:title ?t }} OPTIONAL {{ ?iri dkg:evidence ?ev }} }} }} }} }}
  OPTIONAL {{ GRAPH ?g {{ ?ev prov:value ?s ; prov:wasQuotedFrom ?doc }} }}
}} GROUP BY ?doc ?s ORDER BY ?source"""
DOC_HEAD = f"""SELECT ?p ?o WHERE {{ GRAPH {C} {{ ?iri ?p ?o .
  FILTER (?p IN (dcterms:title, dcterms:issued, dcterms:source, dcterms:identifier)) }} }} ORDER BY ?p ?o"""
DOC_EVENTS = f"""SELECT ?event (MIN(?l) AS ?label) (MIN(STR(?d)) AS ?date) WHERE {{ GRAPH {C} {{
  ?event dkg:reportedIn ?iri ; a dkg:Event . OPTIONAL {{ ?event rdfs:label ?l }}
  OPTIONAL {{ ?event dkg:date|dkg:month|dkg:year ?d }} }} }} GROUP BY ?event ORDER BY ?date ?label"""
TOPIC_HEAD = f"""SELECT ?label WHERE {{ GRAPH {TOPICS} {{ ?iri skos:prefLabel ?label }} }}"""


def entity(context: WorkerContext, iri: str) -> dict | None:
    """Everything an entity page shows, or None when the graph does not know the IRI."""
    store = context.store
    node = URIRef(iri)
    kind = kind_of(iri)
    page: dict[str, Any] = {"iri": iri, "kind": kind}
    if kind == "topic":
        head = _select(store, TOPIC_HEAD, iri=node)
        if not head:
            return None
        page["label"] = head[0]["label"]
        page["classes"] = ["Topic"]
    else:
        head = _select(store, HEAD, iri=node)
        if not head:
            return None
        page["classes"] = sorted({r["class"].rsplit("#", 1)[-1] for r in head if r["class"]})
        page["label"] = next((r["pref"] or r["label"] for r in head if r["pref"] or r["label"]), iri)
    if kind == "doc":
        return _doc_page(store, node, page)
    page["aliases"] = [r["alias"] for r in _select(store, ALIASES, iri=node) if r["alias"] != page["label"]]
    page["links"] = [r["target"] for r in _select(store, LINKS, iri=node)]
    page["mentions"] = _select(store, MENTIONS, iri=node)
    if kind == "event":
        return _event_page(store, node, page)
    anchor = OFFICE_ANCHORS.get(kind)
    page["offices"] = _select(store, OFFICES.format(C=C, anchor=anchor), iri=node) if anchor else []
    page["events"] = _events_of(store, node)
    page["topics"] = _select(store, TOPICS_OF, iri=node) if kind != "topic" else []
    page["co_participants"] = _select(store, CO_PARTICIPANTS, iri=node) if kind == "person" else []
    return page


def _events_of(store, node: URIRef) -> list[dict]:
    events = _select(store, EVENTS, iri=node)
    participants: dict[str, list[dict]] = defaultdict(list)
    for row in _select(store, EVENT_PARTICIPANTS, iri=node):
        participants[row["event"]].append({"iri": row["p"], "label": row["plabel"]})
    sources: dict[str, list[dict]] = defaultdict(list)
    for row in _select(store, EVENT_SOURCES, iri=node):
        sources[row["event"]].append(row)
    for event in events:
        event["title"] = event_label(event["label"], event["date"], event["event"])
        event["participants"] = participants.get(event["event"], [])
        event["sources"] = sources.get(event["event"], [])
    return events


def _event_page(store, node: URIRef, page: dict) -> dict:
    facts: dict[str, list[dict]] = defaultdict(list)
    for row in _select(store, EVENT_HEAD, iri=node):
        facts[row["p"].rsplit("#", 1)[-1]].append({"iri": row["o"], "label": row["olabel"] or row["o"]})
    date = next((facts[k][0]["iri"] for k in ("date", "month", "year") if facts.get(k)), None)
    page["date"] = date
    page["title"] = event_label(page["label"], date, page["iri"])
    page["facts"] = dict(facts)
    page["sub_events"] = [
        {**r, "title": event_label(r["label"], r["date"], r["event"])}
        for r in _select(store, SUB_EVENTS, iri=node)
    ]
    page["sources"] = _select(store, OWN_SOURCES, iri=node)
    return page


def _doc_page(store, node: URIRef, page: dict) -> dict:
    facts: dict[str, list[str]] = defaultdict(list)
    for row in _select(store, DOC_HEAD, iri=node):
        facts[row["p"].rsplit("/", 1)[-1]].append(row["o"])
    page["facts"] = dict(facts)
    page["label"] = (facts.get("title") or [page["label"]])[0]
    page["events"] = [
        {**r, "title": event_label(r["label"], r["date"], r["event"])}
        for r in _select(store, DOC_EVENTS, iri=node)
    ]
    return page


def describe(
    context: WorkerContext, iri: str, accept: str | None, requested: str | None
) -> tuple[str, bytes]:
    """The triples about ``iri`` (each once, over all graphs), in the negotiated RDF format."""
    try:
        fmt = choose("graph", accept, requested)
    except NotAcceptableError as err:
        raise JobError(406, str(err)) from None
    store = context.store
    node = ox.NamedNode(iri)
    triples = sorted(
        {q.triple for q in store.inner.quads_for_pattern(node, None, None, None)},
        key=lambda t: (str(t.predicate), str(t.object)),
    )
    if not triples:
        raise JobError(404, f"{iri} is not in the graph")
    prefixes = PREFIXES if fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return fmt.media_type, ox.serialize(triples, format=fmt.rdf, prefixes=prefixes)


def ontology(context: WorkerContext, accept: str | None, requested: str | None) -> tuple[str, bytes]:
    """The ontology (graph/ontology) in the negotiated RDF format; Turtle for a browser."""

    try:
        fmt = choose("graph", None if accept and "text/html" in accept else accept, requested)
    except NotAcceptableError as err:
        raise JobError(406, str(err)) from None
    quads = context.store.inner.quads_for_pattern(None, None, None, ox.NamedNode(str(ONTOLOGY_GRAPH)))
    triples = sorted((q.triple for q in quads), key=str)
    prefixes = PREFIXES if fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return fmt.media_type, ox.serialize(triples, format=fmt.rdf, prefixes=prefixes)


# -- search ------------------------------------------------------------------------------------

SEARCH_LABELS = f"""SELECT DISTINCT ?iri ?label ?pref WHERE {{
  {{ GRAPH {C} {{ ?iri rdfs:label|skos:altLabel|skos:prefLabel ?l .
       FILTER (STRSTARTS(STR(?iri), "{BASE}id/"))
       OPTIONAL {{ ?iri skos:prefLabel ?p }} }} }}
  UNION {{ GRAPH {TOPICS} {{ ?iri skos:prefLabel|skos:altLabel ?l .
                             OPTIONAL {{ ?iri skos:prefLabel ?p }} }} }}
  BIND (STR(?l) AS ?label) BIND (STR(COALESCE(?p, ?l)) AS ?pref)
}}"""


def _search_index(store) -> dict:
    rows = [r for r in _select(store, SEARCH_LABELS) if kind_of(r["iri"]) in PAGE_KINDS]
    return {
        "rows": rows,
        "choices": [label_key(fold(r["label"])) for r in rows],  # ASCII, lower case, single spaces
    }


def search(context: WorkerContext, text: str, limit: int = 20) -> list[dict]:
    """Entities whose label or alias is like ``text``: best match first, one row per entity."""
    query = label_key(fold(text))
    if not query:
        return []
    index = context.cached("search", lambda: _search_index(context.store))
    if not index or not index["rows"]:
        return []
    found = process.extract(query, index["choices"], scorer=fuzz.WRatio, limit=200, score_cutoff=70)
    best: dict[str, dict] = {}
    for _, score, position in found:
        row = index["rows"][position]
        hit = best.get(row["iri"])
        if hit is None or score > hit["score"]:
            best[row["iri"]] = {
                "iri": row["iri"],
                "path": local_path(row["iri"]),
                "kind": kind_of(row["iri"]),
                "label": row["pref"],
                "matched": row["label"],
                "score": round(score, 1),
            }
    ranked = sorted(best.values(), key=lambda h: (-h["score"], PAGE_KINDS.index(h["kind"]), h["label"]))
    return ranked[:limit]


# -- network and timeline ----------------------------------------------------------------------

NETWORK_EVENTS = f"""SELECT ?event (MIN(?l) AS ?label) (MIN(STR(?d)) AS ?date)
       (MIN(STRAFTER(STR(?class), "#")) AS ?type) WHERE {{ GRAPH {C} {{
  ?event a dkg:Event ; a ?class . FILTER (?class != dkg:Event && STRSTARTS(STR(?class), STR(dkg:)))
  OPTIONAL {{ ?event rdfs:label ?l }}
  OPTIONAL {{ ?event dkg:date|dkg:month|dkg:year ?d }} }} }} GROUP BY ?event"""
NETWORK_PARTICIPANTS = f"""SELECT ?event ?p (MIN(?pl) AS ?label) WHERE {{ GRAPH {C} {{
  ?event dkg:participant ?p . ?p skos:prefLabel ?pl }} }} GROUP BY ?event ?p"""
# The countries an event is tied to: where it is, its host and guest, its participants' offices'.
NETWORK_COUNTRIES = f"""SELECT DISTINCT ?event ?country ?label WHERE {{ GRAPH {C} {{
  {{ ?event dkg:country|dkg:hostCountry|dkg:guestCountry ?country }}
  UNION {{ ?event dkg:participant ?p . ?p org:holds ?office . ?office dkg:countryOf ?country }}
  ?country skos:prefLabel ?label }} }}"""


def _network_base(store) -> dict:
    events = {r["event"]: r for r in _select(store, NETWORK_EVENTS)}
    people: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in _select(store, NETWORK_PARTICIPANTS):
        people[r["event"]].append((r["p"], r["label"]))
    countries: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for r in _select(store, NETWORK_COUNTRIES):
        countries[r["event"]].add(r["country"])
        names[r["country"]] = r["label"]
    return {"events": events, "people": people, "countries": countries, "country_names": names}


def network(
    context: WorkerContext,
    start: str = "",
    end: str = "",
    country: str = "",
    event_type: str = "",
    max_edges: int = 400,
) -> dict:
    """Who met whom: persons as nodes, an edge per pair with the events they shared, filtered by
    date range (ISO prefixes compared as text: "2024" covers "2024-05-01"), country and event type."""
    base = context.cached("network", lambda: _network_base(context.store))
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    labels: dict[str, str] = {}
    for iri, event in base["events"].items():
        date = event["date"] or ""
        if start and (not date or date < start[: len(date)]):
            continue
        if end and (not date or date[: len(end)] > end):
            continue
        if country and country not in base["countries"].get(iri, ()):
            continue
        if event_type and event["type"] != event_type:
            continue
        members = sorted(set(base["people"].get(iri, [])))
        for p, label in members:
            labels[p] = label
        for i, (a, _) in enumerate(members):
            for b, _ in members[i + 1 :]:
                edges[(a, b)].append(iri)
    ranked = sorted(edges.items(), key=lambda item: (-len(item[1]), item[0]))[:max_edges]
    used = {p for (a, b), _ in ranked for p in (a, b)}
    degree = Counter(p for (a, b), _ in ranked for p in (a, b))
    return {
        "nodes": [
            {"id": p, "label": labels[p], "path": local_path(p), "degree": degree[p]} for p in sorted(used)
        ],
        "edges": [
            {
                "id": f"{a} {b}",
                "from": a,
                "to": b,
                "value": len(events),
                "events": [
                    {
                        "iri": e,
                        "path": local_path(e),
                        "title": event_label(base["events"][e]["label"], base["events"][e]["date"], e),
                        "date": base["events"][e]["date"],
                        "type": base["events"][e]["type"],
                    }
                    for e in sorted(events, key=lambda e: (base["events"][e]["date"] or "", e))
                ],
            }
            for (a, b), events in ranked
        ],
        "countries": sorted(base["country_names"].items(), key=lambda item: item[1]),
        "types": sorted({e["type"] for e in base["events"].values() if e["type"]}),
    }


def timeline(context: WorkerContext, iri: str) -> dict | None:
    """The dated events of a person, institution, country, place or topic, as timeline items."""
    page = entity(context, iri)
    if page is None:
        return None
    items, undated = [], []
    for event in page.get("events", []):
        date = event["date"]
        row = {
            "id": event["event"],
            "content": event["title"],
            "path": local_path(event["event"]),
            "type": event["type"],
            "date": date,
        }
        if date:
            row["start"] = date if len(date) == 10 else (date + "-01-01")[:10]
            items.append(row)
        else:
            undated.append(row)
    return {"iri": iri, "label": page["label"], "kind": page["kind"], "items": items, "undated": undated}


# -- home ---------------------------------------------------------------------------------------

COUNTS = f"""SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH {C} {{
  VALUES (?class ?kind) {{ (dkg:Person "persons") (dkg:Institution "institutions") (dkg:Country "countries")
                          (dkg:Event "events") (dkg:Document "documents") }}
  ?x a ?class }} }} GROUP BY ?kind"""
TOP_PERSONS = f"""SELECT ?p (MIN(?pl) AS ?label) (COUNT(DISTINCT ?e) AS ?events) WHERE {{ GRAPH {C} {{
  ?e dkg:participant ?p . ?p skos:prefLabel ?pl }} }} GROUP BY ?p ORDER BY DESC(?events) ?label LIMIT 12"""


def home(context: WorkerContext) -> dict:
    store = context.store
    counts = {r["kind"]: int(r["n"] or 0) for r in _select(store, COUNTS)}
    persons = [{**r, "path": local_path(r["p"])} for r in _select(store, TOP_PERSONS)]
    return {"counts": counts, "persons": persons}


def stored_iri(path: str) -> str:
    """The minted IRI a server path stands for (/id/person/x -> https://w3id.org/diplomacy-kg/id/person/x)."""
    return BASE + path.lstrip("/")


JOBS = {
    "sparql": sparql,
    "update": update,
    "saved": saved,
    "entity": entity,
    "describe": describe,
    "ontology": ontology,
    "search": search,
    "network": network,
    "timeline": timeline,
    "home": home,
}
