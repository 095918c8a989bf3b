"""Saved queries on a small hand-built store (no model), and every query file's header."""

import pytest
from factories import article, meeting_facts

from kg.pipeline import link_offline
from kg.queries import QueryError, format_result, load_queries, parse_saved_query, run_query
from kg.rdf import to_triples
from kg.store import Store, load_reference_graphs

QUERIES = load_queries()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    st = Store(tmp_path_factory.mktemp("q") / "store")
    for text, when in (("First meeting.", "2024-05-01"), ("Second meeting.", "2023-02")):
        facts = meeting_facts(article(text, text.split()[0].lower()), when=when)
        st.replace_article(facts.article.id, to_triples(facts))
    load_reference_graphs(st)
    st.rebuild_canonical()
    link_offline(st)
    yield st
    st.close()


def rows(store, name, **params):
    result = run_query(store, name, params)
    return [dict(zip(result.columns, r, strict=True)) for r in result.rows]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_queries_header_declares_title_columns_and_params(name):
    q = QUERIES[name]
    assert q.title and q.description and q.columns
    for p in q.params:
        assert f"?{p.name}" in q.text


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_queries_every_saved_query_runs_with_declared_columns(store, name):
    q = QUERIES[name]
    params = {p.name: "Lena Marsh" if p.name in ("person", "entity") else "Azerbaijan" for p in q.params}
    if "country_b" in params:
        params["country_b"] = "Kazakhstan"
    result = run_query(store, name, params)
    assert result.columns[: len(q.columns)] == list(q.columns)
    assert result.rows, f"{name} answered nothing on the test store"


def test_queries_meetings_one_row_per_event_participant_source(store):
    got = rows(store, "meetings")
    assert {(r["participant"], r["source"], r["date"]) for r in got} == {
        ("Lena Marsh", "first", "2024-05-01"),
        ("Tomas Oyelaran", "first", "2024-05-01"),
        ("Lena Marsh", "second", "2023-02"),
        ("Tomas Oyelaran", "second", "2023-02"),
    }
    assert {r["type"] for r in got} == {"Meeting"}
    assert {r["place"] for r in got} == {"Baku"}


def test_queries_who_met_matches_any_label_case_insensitively(store):
    got = rows(store, "who-met", person="speaker lena marsh")
    assert {r["other"] for r in got} == {"Tomas Oyelaran"}
    assert {r["date"] for r in got} == {"2024-05-01", "2023-02"}


def test_queries_offices_columns(store):
    got = rows(store, "offices")
    speaker = [r for r in got if r["person"] == "Lena Marsh"]
    assert {(r["role"], r["institution"], r["country"]) for r in speaker} == {
        ("Speaker", "Milli Majlis", "Azerbaijan")
    }


def test_queries_topics_between_counts_events(store):
    got = rows(store, "topics-between", country_a="Azerbaijan", country_b="kazakhstan")
    assert next((r["topic"], r["events"], r["first"], r["last"]) for r in got)[1:] == (
        "2",
        "2023-02",
        "2024-05-01",
    )


def test_queries_co_participants_counts_pairs(store):
    assert [(r["person_a"], r["person_b"], r["events"]) for r in rows(store, "co-participants")] == [
        ("Lena Marsh", "Tomas Oyelaran", "2")
    ]


@pytest.mark.parametrize(
    "value",
    ['"} ; DROP ALL ; {"', "x' } ; DROP ALL ; #", 'Lena Marsh" ) } UNION { ?s ?p ?o } #', "{}<>\\"],
)
def test_queries_parameter_is_only_a_literal(store, value):
    before = store.count_triples()
    assert rows(store, "who-met", person=value) == []
    assert store.count_triples() == before


def test_queries_iri_parameter_rejects_angle_brackets():
    from kg.queries import Param, to_term

    with pytest.raises(QueryError, match="not an IRI"):
        to_term(Param("x", "iri", True), "http://a> } DROP ALL {<")


def test_queries_missing_required_param_is_usage_error(store):
    with pytest.raises(QueryError, match="needs --param person"):
        run_query(store, "who-met", {})


def test_queries_unknown_param_is_usage_error(store):
    with pytest.raises(QueryError, match="no parameter 'nobody'"):
        run_query(store, "meetings", {"nobody": "x"})


def test_queries_loader_rejects_update(tmp_path):
    path = tmp_path / "evil.rq"
    path.write_text("# title: t\n# description: d\n# columns: a\nDROP ALL\n")
    with pytest.raises(QueryError, match="Update"):
        parse_saved_query(path)


def test_queries_loader_rejects_undeclared_parameter_use(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text(
        "# title: t\n# description: d\n# param: who string required — x\n# columns: a\n"
        "SELECT ?a WHERE { ?a ?b ?c }\n"
    )
    with pytest.raises(QueryError, match="not used"):
        parse_saved_query(path)


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_queries_format_result(store, fmt):
    text = format_result(run_query(store, "co-participants"), fmt)
    assert "Lena Marsh" in text
