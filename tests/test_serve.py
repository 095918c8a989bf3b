"""`kg serve` as a user's client sees it: a real server subprocess on 127.0.0.1, spoken to over HTTP
by SPARQLWrapper, rdflib's SPARQLStore and plain requests. Answers are compared with what
`kg query` gives on the same store (kg.sparql.local.run_query), never with values written here."""

from __future__ import annotations

import concurrent.futures
import csv
import io
import json
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from factories import invented_store, served
from rdflib import Graph, Literal, URIRef

from kg.graph.rdf import to_triples
from kg.graph.store import Store
from kg.sparql.catalogue import bind_values, load_queries
from kg.sparql.local import run_query
from kg.sparql.remote import run_remote_query
from kg.sparql.results import format_result
from kg.vocab import PENDING_GRAPH

pytestmark = pytest.mark.slow  # each module starts servers (a few seconds each)

QUERIES = load_queries()
CONSTRUCT = (
    "CONSTRUCT { ?s a ?c } WHERE { SELECT DISTINCT ?s ?c WHERE { GRAPH ?g { ?s a ?c } } "
    "ORDER BY ?s ?c LIMIT 20 }"
)
SELECT = "SELECT ?s ?c WHERE { GRAPH ?g { ?s a ?c } } ORDER BY ?s ?c LIMIT 20"
# A cross product of every quad with itself, three times over: hours on any store.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def get(url: str, accept: str | None = None, data: bytes | None = None, content_type: str | None = None):
    """(status, headers, body) of a request; an HTTP error is an answer too."""
    request = urllib.request.Request(url, data=data)
    if accept:
        request.add_header("Accept", accept)
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def query_url(base: str, text: str, **params: str) -> str:
    return f"{base}/sparql?" + urllib.parse.urlencode({"query": text, **params})


@pytest.fixture(scope="module")
def seed_server(built_store_path):
    with served(built_store_path, "--timeout", "3") as url:
        yield url


@pytest.fixture(scope="module")
def seed_params(built_store_path) -> dict[str, dict[str, str]]:
    """Parameters for the saved queries that need them, taken from the store itself."""
    with Store(built_store_path, read_only=True) as store:
        person = run_query(store, "persons").rows[0][0]
        topics = run_query(store, "event-topics").rows
        countries = [
            r[0] for r in store.select("SELECT DISTINCT ?l WHERE { ?c a dkg:Country ; skos:prefLabel ?l }")
        ]
    assert person and topics and len(countries) >= 2
    return {
        "who-met": {"person": person},
        "person-profile": {"person": person},
        "timeline": {"entity": countries[0]},
        "topics-between": {"country_a": str(countries[0]), "country_b": str(countries[1])},
    }


@pytest.fixture(scope="module")
def local_results(built_store_path, seed_params):
    with Store(built_store_path, read_only=True) as store:
        return {name: run_query(store, name, seed_params.get(name, {})) for name in QUERIES}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_serve_sparqlwrapper_answers_as_kg_query(seed_server, seed_params, local_results, name):
    remote = run_remote_query(f"{seed_server}/sparql", name, seed_params.get(name, {}), QUERIES)
    assert remote.columns == local_results[name].columns
    assert remote.rows == local_results[name].rows
    assert remote.rows  # every saved query has an answer on the seed articles


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_serve_rdflib_sparqlstore_answers_as_kg_query(seed_server, seed_params, local_results, name):
    from kg.sparql.catalogue import bind_params

    query = QUERIES[name]
    text = bind_values(query.text, bind_params(query, seed_params.get(name, {})))
    graph = Graph(store="SPARQLStore")
    graph.open(f"{seed_server}/sparql")
    result = graph.query(text)
    local = local_results[name]
    names = [str(v) for v in result.vars]
    positions = [names.index(c) for c in local.columns]
    rows = [[None if row[i] is None else str(row[i]) for i in positions] for row in result]
    # The engine's ORDER BY and kg's agree but on ties (kg/sparql/ordering.py): compare as multisets.
    assert sorted(rows, key=repr) == sorted(local.rows, key=repr)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        (None, "application/sparql-results+json"),
    ],
)
def test_serve_select_in_every_results_format(seed_server, accept, media_type):
    status, headers, body = get(query_url(seed_server, SELECT), accept)
    assert status == 200 and headers["Content-Type"].startswith(media_type)
    rows = _result_rows(media_type, body)
    assert len(rows) == 20 and all(len(row) == 2 for row in rows)


def _result_rows(media_type: str, body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    if media_type.endswith("json"):
        answer = json.loads(text)
        return [[b[v]["value"] for v in answer["head"]["vars"]] for b in answer["results"]["bindings"]]
    if media_type.endswith("xml"):
        import xml.etree.ElementTree as ET

        ns = "{http://www.w3.org/2005/sparql-results#}"
        root = ET.fromstring(text)
        return [[b[0].text for b in result] for result in root.iter(f"{ns}result")]
    if media_type == "text/csv":
        return list(csv.reader(io.StringIO(text)))[1:]
    return [line.split("\t") for line in text.splitlines()[1:]]


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_serve_construct_in_every_rdf_format(seed_server, accept, media_type, rdflib_format):
    status, headers, body = get(query_url(seed_server, CONSTRUCT), accept)
    assert status == 200 and headers["Content-Type"].startswith(media_type)
    graph = Graph().parse(data=body, format=rdflib_format)
    assert len(graph) == 20


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [("csv", "text/csv"), ("tsv", "text/tab-separated-values"), ("xml", "application/sparql-results+xml")],
)
def test_serve_format_parameter_overrides_accept(seed_server, fmt, media_type):
    status, headers, _ = get(query_url(seed_server, SELECT, format=fmt), "application/sparql-results+json")
    assert status == 200 and headers["Content-Type"].startswith(media_type)


def test_serve_unacceptable_type_is_406(seed_server):
    status, _, body = get(query_url(seed_server, SELECT), "image/png")
    assert status == 406 and b"offered" in body


def test_serve_query_by_post_form_and_direct_body_same_as_get(seed_server):
    _, _, by_get = get(query_url(seed_server, SELECT), "text/csv")
    form = urllib.parse.urlencode({"query": SELECT}).encode()
    _, _, by_form = get(f"{seed_server}/sparql", "text/csv", form, "application/x-www-form-urlencoded")
    _, _, direct = get(f"{seed_server}/sparql", "text/csv", SELECT.encode(), "application/sparql-query")
    assert by_get == by_form == direct and by_get.count(b"\n") == 21


def test_serve_bad_query_is_400_with_the_parser_message(seed_server):
    status, _, body = get(query_url(seed_server, "SELECT ?x WHERE { ?x ?y }"))
    assert status == 400
    assert b"SPARQL syntax error" in body and b"1:" in body  # line and column from Oxigraph's parser


def test_serve_update_is_403_when_read_only(seed_server):
    form = urllib.parse.urlencode({"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode()
    status, _, body = get(f"{seed_server}/sparql", None, form, "application/x-www-form-urlencoded")
    assert status == 403 and b"--allow-update" in body
    status, _, _ = get(query_url(seed_server, "ASK { <urn:a> <urn:b> <urn:c> }"), "text/csv")
    assert status == 200


def test_serve_service_is_403(seed_server):
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    status, _, body = get(query_url(seed_server, text))
    assert status == 403 and b"SERVICE" in body


def test_serve_service_word_inside_a_string_is_a_query(seed_server):
    status, _, _ = get(query_url(seed_server, 'SELECT ("SERVICE" AS ?x) WHERE {}'), "text/csv")
    assert status == 200


def test_serve_cors_allows_other_origins(seed_server):
    request = urllib.request.Request(query_url(seed_server, SELECT), headers={"Origin": "http://example.org"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_serve_timeout_stops_runaway_query_and_keeps_answering(seed_server):
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        runaway = pool.submit(get, query_url(seed_server, RUNAWAY))
        time.sleep(0.3)
        status, _, _ = get(query_url(seed_server, SELECT), "text/csv")  # answered meanwhile
        assert status == 200 and not runaway.done()
        status, _, body = runaway.result()
    assert status == 503 and b"timeout" in body
    assert time.monotonic() - started < 3 + 10  # the server's --timeout is 3 s
    for _ in range(4):  # the killed worker was replaced: every later query is answered
        assert get(query_url(seed_server, SELECT), "text/csv")[0] == 200


def test_serve_saved_query_csv_is_kg_query_csv(seed_server, seed_params, local_results):
    for name in ("meetings", "who-met"):
        url = f"{seed_server}/queries/{name}.csv?" + urllib.parse.urlencode(seed_params.get(name, {}))
        status, headers, body = get(url)
        assert status == 200, body
        assert headers["Content-Type"].startswith("text/csv")
        assert body.decode("utf-8") == format_result(local_results[name], "csv")


def test_serve_saved_query_json_has_typed_values(seed_server, local_results):
    status, _, body = get(f"{seed_server}/queries/persons.json")
    answer = json.loads(body)
    assert status == 200 and answer["columns"] == local_results["persons"].columns
    events = [row["events"] for row in answer["rows"]]
    assert events and all(isinstance(n, int) for n in events)
    assert [str(n) for n in events] == [row[3] for row in local_results["persons"].rows]


def test_serve_saved_query_missing_parameter_is_400(seed_server):
    status, _, body = get(f"{seed_server}/queries/who-met.json")
    assert status == 400 and b"person" in body


def test_serve_unknown_saved_query_is_404(seed_server):
    assert get(f"{seed_server}/queries/no-such-query.json")[0] == 404


def test_serve_catalogue_lists_every_saved_query(seed_server):
    status, _, body = get(f"{seed_server}/queries", "application/json")
    assert status == 200 and [q["name"] for q in json.loads(body)["queries"]] == sorted(QUERIES)


# -- dereferenceable IRIs, search, pages: on invented articles --------------------------------


@pytest.fixture(scope="module")
def invented(tmp_path_factory):
    path = invented_store(tmp_path_factory.mktemp("serve") / "store")
    with served(path) as url:
        yield url, path


PERSON = "https://w3id.org/diplomacy-kg/id/person/tomas-oyelaran"


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt")],
)
def test_serve_iri_dereferences_to_rdf(invented, accept, rdflib_format):
    url, _ = invented
    status, headers, body = get(f"{url}/id/person/tomas-oyelaran", accept)
    assert status == 200 and "Accept" in headers["Vary"]
    graph = Graph().parse(data=body, format=rdflib_format)
    assert (
        URIRef(PERSON),
        URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
        Literal("Tomas Oyelaran", lang="en"),
    ) in graph


def test_serve_iri_dereferences_to_html_for_a_browser(invented):
    url, _ = invented
    status, headers, body = get(
        f"{url}/id/person/tomas-oyelaran", "text/html,application/xhtml+xml,*/*;q=0.8"
    )
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<h1>Tomas Oyelaran" in page
    assert "Lena Marsh meets Tomas Oyelaran, 2024-05-01" in page  # a readable event label
    assert "Speaker Lena Marsh met Ambassador Tomas Oyelaran in Baku." not in page or "<q>" in page


def test_serve_page_shows_each_fact_with_its_sentence_and_article(invented):
    url, _ = invented
    page = get(f"{url}/id/person/tomas-oyelaran", "text/html")[2].decode("utf-8")
    assert "<q>First meeting in Baku.</q>" in page and "<q>Second meeting in Baku.</q>" in page
    assert 'href="/id/doc/' in page


def test_serve_unknown_iri_is_404(invented):
    url, _ = invented
    assert get(f"{url}/id/person/nobody-at-all", "text/turtle")[0] == 404
    assert get(f"{url}/id/person/nobody-at-all", "text/html")[0] == 404


def test_serve_ontology_is_served_as_rdf(invented):
    url, _ = invented
    status, headers, body = get(f"{url}/ontology", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    person = URIRef("https://w3id.org/diplomacy-kg/ontology#Person")
    assert (person, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None) in graph


def test_serve_article_graph_iri_leads_to_its_document(invented):
    url, path = invented
    with Store(path, read_only=True) as store:
        article_id = next(iter(store.stored_articles()))
    request = urllib.request.Request(f"{url}/graph/{article_id}")
    with urllib.request.urlopen(request, timeout=30) as response:  # follows the 303
        assert response.url.endswith(f"/id/doc/{article_id}")


def test_serve_search_finds_a_misspelled_name(invented):
    url, _ = invented
    answer = json.loads(get(f"{url}/api/search?q=" + urllib.parse.quote("Tomas Oyelaren"))[2])
    assert answer["results"][0]["iri"] == PERSON


def test_serve_search_matches_an_alias(invented):
    url, _ = invented
    answer = json.loads(get(f"{url}/api/search?q=" + urllib.parse.quote("Speaker Lena Marsch"))[2])
    top = answer["results"][0]
    assert top["label"] == "Lena Marsh" and top["matched"] == "Speaker Lena Marsh"


def test_serve_network_edge_lists_the_shared_events(invented):
    url, _ = invented
    answer = json.loads(get(f"{url}/api/network")[2])
    assert [(e["from"], e["to"], e["value"]) for e in answer["edges"]] == [
        ("https://w3id.org/diplomacy-kg/id/person/lena-marsh", PERSON, 2)
    ]
    dates = [e["date"] for e in answer["edges"][0]["events"]]
    assert dates == ["2023-02", "2024-05-01"]


@pytest.mark.parametrize(("query", "expected"), [("from=2024", 1), ("to=2023-12", 1), ("type=Visit", 0)])
def test_serve_network_filters(invented, query, expected):
    url, _ = invented
    answer = json.loads(get(f"{url}/api/network?{query}")[2])
    assert sum(e["value"] for e in answer["edges"]) == expected


def test_serve_timeline_items_are_dated_events(invented):
    url, _ = invented
    answer = json.loads(get(f"{url}/api/timeline?entity=/id/person/tomas-oyelaran")[2])
    assert [item["start"] for item in answer["items"]] == ["2023-02-01", "2024-05-01"]


# -- live while a build writes --------------------------------------------------------------------


def _wait_for(check, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def _found(url: str, name: str) -> bool:
    status, _, body = get(f"{url}/api/search?q=" + urllib.parse.quote(name))
    assert status == 200, body
    results = json.loads(body)["results"]
    return any(hit["label"] == name for hit in results)


def test_serve_shows_an_article_once_its_transaction_commits(tmp_path):
    from factories import article, meeting_facts

    from kg.nlp.facts import Entity

    path = invented_store(tmp_path / "store")
    with served(path) as url:
        assert not _found(url, "Orla Vantongeren")
        facts = meeting_facts(article("Third meeting in Baku.", "third"), when="2025-01-02")
        facts.entities.append(Entity("person:orla-vantongeren", "person", "Orla Vantongeren"))
        with Store(path) as store:  # the server holds read-only snapshots: a writer may open it
            store.replace_article(facts.article.id, to_triples(facts))
        assert _wait_for(lambda: _found(url, "Orla Vantongeren"))


def test_serve_never_shows_a_bulk_write_before_it_ends(tmp_path):
    """Articles a bulk write has marked pending stay hidden until the transaction that ends it."""
    from factories import article, meeting_facts

    from kg.nlp.facts import Entity

    path = invented_store(tmp_path / "store")
    with served(path) as url:
        facts = meeting_facts(article("Fourth meeting in Baku.", "fourth"), when="2025-02-03")
        facts.entities.append(Entity("person:ines-kowalczyk", "person", "Ines Kowalczyk"))
        with Store(path) as store:
            # The first half of Store.add_articles: the marks, then the bulk loader's write.
            from kg.graph.canonical import insert_data
            from kg.graph.rdf import article_graph
            from kg.graph.store import _article_quads
            from kg.vocab import DKG, RDF

            store.update(
                insert_data(PENDING_GRAPH, [(article_graph(facts.article.id), RDF.type, DKG.PendingArticle)])
            )
            store.inner.bulk_extend(_article_quads([(facts.article.id, to_triples(facts))]))
            store.flush()
            time.sleep(1.5)  # three times the workers' refresh interval
            started = time.monotonic()
            assert not _found(url, "Ines Kowalczyk")
            assert time.monotonic() - started < 3  # answered from the last snapshot, not after a wait
            assert _found(url, "Tomas Oyelaran")  # the last whole snapshot still answers
            store.update(f"DROP SILENT GRAPH {PENDING_GRAPH.n3()}")
        assert _wait_for(lambda: _found(url, "Ines Kowalczyk"))


def test_serve_update_allowed_with_allow_update(tmp_path):
    path = invented_store(tmp_path / "store")
    with served(path, "--allow-update") as url:
        form = urllib.parse.urlencode({"update": "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"}).encode()
        status, _, _ = get(f"{url}/sparql", None, form, "application/x-www-form-urlencoded")
        assert status == 200
        ask = query_url(url, "ASK { <urn:x:a> <urn:x:b> <urn:x:c> }")
        assert _wait_for(lambda: get(ask, "text/csv")[2].strip().endswith(b"true"))


def test_serve_store_copy_is_untouched_by_reading(tmp_path, built_store_path):
    """Serving reads only: the store's files are the same after a session of queries."""
    copy = tmp_path / "store"
    shutil.copytree(built_store_path, copy)
    before = sorted((p.name, p.stat().st_size) for p in copy.iterdir())
    with served(copy) as url:
        assert get(query_url(url, SELECT), "text/csv")[0] == 200
        assert get(f"{url}/queries/meetings.json")[0] == 200
    assert sorted((p.name, p.stat().st_size) for p in copy.iterdir()) == before
