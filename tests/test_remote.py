"""kg/sparql/remote.py against real SPARQL servers on 127.0.0.1: Oxigraph always, Virtuoso when installed.

The store pushed is a generated corpus's graph (bench/graphgen.py: the shape ``kg build`` writes,
invented people) plus the ontology graph, whose OWL restrictions are blank nodes.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from bench.generate import generate
from bench.graphgen import iter_quads
from kg.graph.store import Store
from kg.sparql.catalogue import bind_values, load_queries
from kg.sparql.local import run_query
from kg.sparql.remote import (
    Connection,
    OxigraphServer,
    RemoteError,
    VirtuosoServer,
    free_port,
    push,
    remote_graph_iris,
    run_remote_query,
    run_remote_sparql,
    run_update,
    server_warnings,
    union_default_graph,
    virtuoso_binaries,
)
from kg.sparql.results import format_result
from kg.vocab import GRAPH, ONTOLOGY_GRAPH

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 10  # small: every saved query runs on both servers and on the embedded store
FAST = Connection(retries=2, backoff=0.01, timeout=30)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_store(tmp_path_factory) -> Store:
    store = Store(tmp_path_factory.mktemp("local") / "store")
    data = "\n".join(line for _, lines in iter_quads(ARTICLES) for line in lines)
    store.bulk_load(data.encode("utf-8"), "nquads")
    store.load_file(ONTOLOGY_GRAPH, ROOT / "ontology" / "diplomacy.ttl")
    store.rebuild_canonical()
    yield store
    store.close()


@pytest.fixture(scope="module")
def saved() -> dict:
    return load_queries()


@pytest.fixture(scope="module")
def local_answers(local_store, saved) -> dict:
    """Each saved query's answer on the embedded store, computed once."""
    return {
        name: run_query(local_store, name, sample_params(q), saved, typed=True) for name, q in saved.items()
    }


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    with OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "db") as server:
        yield server


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    if virtuoso_binaries() is None:
        pytest.skip("Virtuoso is not installed (apt-get install -y virtuoso-opensource-7)")
    with VirtuosoServer(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request):
    return request.getfixturevalue(request.param)


def sample_params(query) -> dict[str, str]:
    """A value for each declared parameter, taken from the generated corpus."""
    first = next(generate(1))
    people, event = first.people, first.events[0]
    by_name = {
        "person": people[0].honorific,
        "entity": event.host_country,
        "country_a": event.host_country,
        "country_b": event.guest_country,
    }
    values = {}
    for param in query.params:
        if param.type == "date":
            values[param.name] = "2015-01-01"
        elif param.type == "iri":
            values[param.name] = "https://w3id.org/diplomacy-kg/id/person/x"
        else:
            values[param.name] = by_name.get(param.name, people[0].name)
    return values


def normalised(result) -> list[list[str | None]]:
    """GROUP_CONCAT has no defined order in SPARQL, so '; '-joined cells compare as sorted lists."""
    return [
        [("; ".join(sorted(c.split("; "))) if c and "; " in c else c) for c in row] for row in result.rows
    ]


def triple_count(url: str) -> int:
    """Triples in kg's graphs on the server (Virtuoso keeps system graphs of its own)."""
    text = f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER STRSTARTS(STR(?g), "{GRAPH}") }}'
    return int(run_remote_sparql(url, text, connection=FAST).rows[0][0])


def graph_iris(url: str) -> list[str]:
    return [g for g in remote_graph_iris(url, FAST) if g.startswith(str(GRAPH))]


@pytest.mark.parametrize("method", ["update", "graph-store"])
def test_remote_push_then_every_saved_query_matches_embedded(
    local_store, server, method, saved, local_answers
):
    target = {"graph_store_url": server.graph_store_url} if method == "graph-store" else {}
    report = push(local_store, update_url=server.update_url, connection=FAST, batch_size=40, **target)

    # Not a vacuous comparison: the sample parameters find something in every query but the links one.
    assert all(local_answers[name].rows for name in saved if name != "external-links")
    assert report.graphs == len(local_store.named_graphs())
    assert report.triples == local_store.count_triples()
    assert graph_iris(server.query_url) == local_store.named_graphs()
    assert triple_count(server.query_url) == local_store.count_triples()
    for name, query in saved.items():
        local = local_answers[name]
        remote = run_remote_query(server.query_url, name, sample_params(query), saved, FAST)
        assert remote.columns == local.columns, name
        assert normalised(remote) == normalised(local), name
        if not any(c and "; " in c for row in local.rows for c in row):
            for fmt in ("csv", "tsv", "json", "srj", "srx"):
                assert format_result(remote, fmt) == format_result(local, fmt), (name, fmt)


@pytest.fixture(scope="module")
def oxigraph_plain(tmp_path_factory):
    """`oxigraph serve` as the README's first lines start it: no union default graph."""
    with OxigraphServer(
        tmp_path_factory.mktemp("oxigraph-plain") / "db", union_default_graph=False
    ) as server:
        yield server


def seed_params(store: Store, query) -> dict[str, str]:
    """Parameters taken from the store itself (its first person, its countries), not written here."""
    person = run_query(store, "persons").rows[0][0]
    countries = [
        row[0]
        for row in store.select(
            "SELECT ?l WHERE { GRAPH <https://w3id.org/diplomacy-kg/graph/canonical> "
            "{ ?c a <https://w3id.org/diplomacy-kg/ontology#Country> ; "
            "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l } } ORDER BY ?l"
        )
    ]
    by_name = {"person": person, "entity": person, "country_a": countries[0], "country_b": countries[1]}
    return {p.name: str(by_name[p.name]) for p in query.params}


@pytest.fixture(scope="module")
def oxigraph_union(tmp_path_factory):
    """A second union server for the seed store, so the generated corpus's server stays as it is."""
    with OxigraphServer(tmp_path_factory.mktemp("oxigraph-union") / "db") as server:
        yield server


@pytest.fixture()
def seeds_pushed(built_store):
    """Push the seed store to a server; its graphs are dropped afterwards (the servers are shared)."""
    servers = []

    def pushed(server):
        servers.append(server)
        push(built_store, update_url=server.update_url, connection=FAST)
        return server

    yield pushed
    drop = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in built_store.named_graphs())
    for server in servers:
        run_update(server.update_url, drop, connection=FAST)


@pytest.mark.parametrize("kind", ["oxigraph_plain", "oxigraph_union", "virtuoso"])
def test_remote_saved_queries_same_rows_with_or_without_union_default_graph(
    built_store, saved, kind, request, seeds_pushed
):
    server = seeds_pushed(request.getfixturevalue(kind))
    assert union_default_graph(server.query_url, FAST) is (kind != "oxigraph_plain")
    for name, query in saved.items():
        params = seed_params(built_store, query)
        local = run_query(built_store, name, params, saved)
        remote = run_remote_query(server.query_url, name, params, saved, FAST)
        assert normalised(remote) == normalised(local), name
        assert server_warnings(server.query_url, query.text, FAST) == [], name
    # Not vacuous: the rows the plain server used to lose (links read through the default graph).
    assert run_query(built_store, "external-links").rows


def test_remote_warns_when_the_default_graph_is_not_the_union(oxigraph_plain, oxigraph_union, seeds_pushed):
    adhoc = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }"
    oxigraph = oxigraph_union
    for server in (oxigraph_plain, oxigraph_union):
        seeds_pushed(server)
    (warning,) = server_warnings(oxigraph_plain.query_url, adhoc, FAST)
    assert "default graph is not the union" in warning and "--union-default-graph" in warning
    assert server_warnings(oxigraph.query_url, adhoc, FAST) == []
    missing = "SELECT * WHERE { GRAPH <https://w3id.org/diplomacy-kg/graph/nothing-here> { ?s ?p ?o } }"
    (warning,) = server_warnings(oxigraph.query_url, missing, FAST)
    assert "has no graph <https://w3id.org/diplomacy-kg/graph/nothing-here>" in warning


def test_remote_push_halves_a_batch_the_server_finds_too_large(virtuoso, tmp_path):
    """Virtuoso's SPARQL compiler runs out of memory on an INSERT DATA of ~5 000 triples: the push
    sends such a batch again in halves, and the server ends with every triple."""
    with Store(tmp_path / "store") as store:
        store.bulk_load("\n".join(line for _, lines in iter_quads(80) for line in lines).encode(), "nquads")
        store.rebuild_canonical()
        biggest = max(len(store.dataset.graph(URIRef(g))) for g in store.named_graphs())
        assert biggest > 6000  # more than Virtuoso takes in one request
        for graph in graph_iris(virtuoso.query_url):  # what earlier tests pushed to this server
            run_update(virtuoso.update_url, f"DROP SILENT GRAPH <{graph}>", connection=FAST)
        report = push(store, update_url=virtuoso.update_url, connection=FAST, batch_size=100_000)
        assert report.requests > report.graphs  # some graph went in more than one request
        assert report.triples == store.count_triples()
        assert triple_count(virtuoso.query_url) == store.count_triples()
        assert graph_iris(virtuoso.query_url) == store.named_graphs()


def test_remote_push_interrupted_halfway_reruns_to_same_state(local_store, oxigraph):
    graphs = local_store.named_graphs()
    push(local_store, update_url=oxigraph.update_url, connection=FAST)
    # A triple the store no longer has stands for an earlier version of that article's graph.
    stale = f'INSERT DATA {{ GRAPH <{graphs[0]}> {{ <urn:x:old> <urn:x:p> "old" }} }}'
    run_update(oxigraph.update_url, stale, connection=FAST)
    batches = 0

    def stop_halfway(_graph, _count) -> None:
        nonlocal batches
        batches += 1
        if batches == 7:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        push(
            local_store, update_url=oxigraph.update_url, connection=FAST, batch_size=30, progress=stop_halfway
        )
    assert triple_count(oxigraph.query_url) != local_store.count_triples()

    push(local_store, update_url=oxigraph.update_url, connection=FAST, batch_size=30)

    assert triple_count(oxigraph.query_url) == local_store.count_triples()
    assert graph_iris(oxigraph.query_url) == graphs


def test_remote_unreachable_server_retries_then_names_url(tmp_path):
    port = free_port()  # nothing listens there
    retries = []
    conn = Connection(retries=2, backoff=0.01, on_retry=lambda n, delay, why: retries.append(n))
    with pytest.raises(RemoteError) as err:
        run_remote_sparql(f"http://127.0.0.1:{port}/query", "SELECT * WHERE { ?s ?p ?o }", connection=conn)
    assert f"127.0.0.1:{port}/query" in str(err.value)
    assert "cannot connect" in str(err.value) and "gave up after 3 attempts" in str(err.value)
    assert retries == [1, 2]


def test_remote_push_waits_for_a_server_that_starts_late(tmp_path, local_store):
    server = OxigraphServer(tmp_path / "late")
    starter = threading.Timer(0.5, server.start)
    starter.start()
    try:
        report = push(
            local_store, update_url=server.update_url, connection=Connection(retries=8, backoff=0.2)
        )
        assert report.triples == local_store.count_triples()
    finally:
        starter.join()
        server.stop()


def test_remote_bad_query_fails_at_once_with_server_message(oxigraph):
    retries = []
    conn = Connection(retries=3, backoff=0.01, on_retry=lambda *a: retries.append(a))
    with pytest.raises(RemoteError) as err:
        run_remote_sparql(oxigraph.query_url, "SELECT ?s WHERE { ?s ?p }", connection=conn)
    assert "HTTP 400" in str(err.value)
    assert retries == []


def test_remote_parameter_value_stays_a_literal(local_store, oxigraph):
    push(local_store, update_url=oxigraph.update_url, connection=FAST)
    before = triple_count(oxigraph.query_url)
    hostile = '"} } ; DROP ALL ; INSERT DATA { <urn:a> <urn:b> "c" } #'
    result = run_remote_query(oxigraph.query_url, "who-met", {"person": hostile}, connection=FAST)
    assert result.rows == []
    assert triple_count(oxigraph.query_url) == before


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "SELECT ?x WHERE { ?x ?p ?v }",
            'SELECT ?x WHERE { VALUES (?v) { ("a") }  ?x ?p ?v }',
        ),
        (  # a subquery gets its own block: its variables are its own
            "SELECT ?v WHERE { { SELECT ?x WHERE { ?x ?p ?v } } }",
            'SELECT ?v WHERE { VALUES (?v) { ("a") }  { SELECT ?x WHERE { VALUES (?v) { ("a") }  '
            "?x ?p ?v } } }",
        ),
        (  # braces and keywords inside IRIs, strings and comments are not groups
            '# where { \nSELECT ?x WHERE { ?x <urn:a{b}> "where {" }',
            '# where { \nSELECT ?x WHERE { VALUES (?v) { ("a") }  ?x <urn:a{b}> "where {" }',
        ),
        (  # a variable or prefixed name called "where" is not the keyword
            "SELECT ?where WHERE { ?where ex:where ?v }",
            'SELECT ?where WHERE { VALUES (?v) { ("a") }  ?where ex:where ?v }',
        ),
    ],
)
def test_remote_bind_values_puts_block_in_every_where_group(query, expected):
    assert bind_values(query, {"v": Literal("a")}) == expected


def test_remote_bind_values_escapes_quotes():
    text = bind_values("SELECT * WHERE { ?s ?p ?v }", {"v": Literal('x" } DROP ALL {')})
    assert '"x\\" } DROP ALL {"' in text


def test_remote_server_fixture_stops_its_process(tmp_path):
    server = OxigraphServer(tmp_path / "db")
    with server:
        process = server.process
        assert process is not None and process.poll() is None
    deadline = time.monotonic() + 10
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is not None


def test_remote_retry_waits_as_long_as_retry_after_asks(tmp_path):
    """A 503 with Retry-After is retried after the server's delay, not the backoff (the one retry
    policy, which kg/link/endpoint.py's live candidate source uses too)."""
    import http.server

    from kg.link import SparqlCandidateSource

    answers = iter([(503, {"Retry-After": "1"}, b"busy")] * 2)

    class Busy(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, headers, body = next(answers, (200, {}, b'{"head": {}, "boolean": true}'))
            self.send_response(status)
            for name, value in {"Content-Type": "application/sparql-results+json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Busy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/query"
    delays: list[float] = []
    try:
        conn = Connection(retries=2, backoff=0.01, deadline=10, on_retry=lambda _n, d, _r: delays.append(d))
        assert run_remote_sparql(url, "ASK {}", connection=conn).boolean is True
        answers = iter([(503, {"Retry-After": "1"}, b"busy")])
        source = SparqlCandidateSource(url, timeout=5, retries=2, backoff=0.01, min_interval=0)
        started = time.monotonic()
        source.query("ASK {}")
        waited = time.monotonic() - started
    finally:
        server.shutdown()
        server.server_close()
    assert delays == [1.0, 1.0]
    assert source.requests_sent == 2 and waited >= 1.0


def test_remote_boolean_cells_in_canonical_form():
    # Virtuoso answers an xsd:boolean as "0"/"1" (offices' former column): the cell reads as the
    # embedded store's "false"/"true"; other literals keep their lexical form.
    from kg.sparql.remote import _cell

    boolean = "http://www.w3.org/2001/XMLSchema#boolean"
    assert [_cell({"type": "literal", "datatype": boolean, "value": v}) for v in "01"] == ["false", "true"]
    assert _cell({"type": "literal", "datatype": boolean, "value": "true"}) == "true"
    assert _cell({"type": "literal", "value": "1"}) == "1"
