"""End to end through the CLI, on the real seed articles and the real model (datasette-style)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import store_held_open
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.cli import cli
from kg.sparql.catalogue import load_queries


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output + result.stderr
    return result


def csv_rows(store: Path, name: str, *params: str) -> list[dict]:
    args = ["query", name, "--store", store, "--format", "csv"]
    for p in params:
        args += ["--param", p]
    return list(csv.DictReader(io.StringIO(run(*args).stdout)))


def test_cli_help_lists_commands():
    out = run("--help").stdout
    for command in ("build", "query", "sparql", "export", "stats", "eval", "remove"):
        assert command in out


def test_cli_build_summary_and_rebuild_skips_unchanged(seed_copy, tmp_path):
    store = tmp_path / "store"
    first = run("build", seed_copy, "--store", store, "--quiet")
    assert "5 documents read: 5 extracted, 0 unchanged, 0 failed" in first.stdout
    dump1 = run("export", "--format", "nquads", "--store", store).stdout_bytes
    second = run("build", seed_copy, "--store", store, "--quiet")
    assert "5 documents read: 0 extracted, 5 unchanged" in second.stdout
    assert run("export", "--format", "nquads", "--store", store).stdout_bytes == dump1


def test_cli_rebuild_from_scratch_gives_same_graph(built_store_path, seed_dir, tmp_path):
    store = tmp_path / "again"
    run("build", seed_dir, "--store", store, "--quiet")
    a = run("export", "--format", "nquads", "--store", store).stdout_bytes
    b = run("export", "--format", "nquads", "--store", built_store_path).stdout_bytes
    assert a == b


@pytest.mark.parametrize("damage", ["dropped", "older-layout"])
def test_cli_build_rebuilds_a_canonical_graph_it_cannot_trust(built_store_path, seed_dir, tmp_path, damage):
    # A canonical graph without this extractor's version marker (an older store, or a rebuild that
    # was killed) is recomputed by the next build, even when no article changed. The older layout
    # copied evidence nodes into graph/canonical and marked it with the extractor version alone.
    import shutil

    from kg.graph.canonical import EVIDENCE
    from kg.graph.rdf import EXTRACTOR_VERSION
    from kg.graph.store import Store
    from kg.vocab import CANONICAL_GRAPH

    store = tmp_path / "store"
    shutil.copytree(built_store_path, store)
    with Store(store) as st:
        if damage == "dropped":
            st.update(f"DROP GRAPH {CANONICAL_GRAPH.n3()}")
            assert st.canonical_version() is None
        else:
            canon = CANONICAL_GRAPH.n3()
            st.update(
                f"DELETE {{ GRAPH {canon} {{ {canon} owl:versionInfo ?v }} }} "
                f"INSERT {{ GRAPH {canon} {{ {canon} owl:versionInfo {EXTRACTOR_VERSION!r} . ?s ?p ?o }} }} "
                f"WHERE {{ {{ GRAPH {canon} {{ {canon} owl:versionInfo ?v }} }} UNION "
                f'{{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?s), "{EVIDENCE}")) }} }}'
            )
            assert st.canonical_version() == EXTRACTOR_VERSION
    second = run("build", seed_dir, "--store", store, "--quiet")
    assert "0 extracted, 5 unchanged" in second.stdout
    a = run("export", "--format", "nquads", "--store", store).stdout_bytes
    b = run("export", "--format", "nquads", "--store", built_store_path).stdout_bytes
    assert a == b


def test_cli_changed_document_replaces_only_its_graph(seed_copy, tmp_path):
    store = tmp_path / "store"
    run("build", seed_copy, "--store", store, "--quiet")
    before = {r["source"] for r in csv_rows(store, "meetings")}
    target = sorted(seed_copy.glob("001_*.txt"))[0]
    target.write_text(
        target.read_text(encoding="utf-8").replace("Alim Bayel", "Dana Kurmanova"), encoding="utf-8"
    )
    out = run("build", seed_copy, "--store", store, "--quiet").stdout
    assert "1 extracted, 4 unchanged" in out
    rows = csv_rows(store, "meetings")
    assert {r["source"] for r in rows} == before
    people = {r["participant"] for r in rows if r["source"] == target.stem}
    assert "Dana Kurmanova" in people and "Alim Bayel" not in people
    docs = json.loads(run("stats", "--store", store, "--format", "json").stdout)
    assert {"name": "documents", "value": 5, "note": "articles in the store"} in docs


def test_cli_query_list_shows_every_saved_query():
    out = run("query", "--list").stdout
    for name in load_queries():
        assert name in out


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_cli_every_saved_query_answers_on_seeds(built_store_path, name):
    query = load_queries()[name]
    params = {
        "person": "person=Sahiba Gafarova",
        "entity": "entity=Kazakhstan",
        "country_a": "country_a=Azerbaijan",
        "country_b": "country_b=Kazakhstan",
    }
    rows = csv_rows(built_store_path, name, *[params[p.name] for p in query.params])
    assert rows, f"{name} gave no rows on the seeds"
    assert list(rows[0])[: len(query.columns)] == list(query.columns)


def test_cli_who_met_answers_a_seed_question(built_store_path):
    rows = csv_rows(built_store_path, "who-met", "person=Mrs Gafarova")
    others = {r["other"] for r in rows}
    assert {"Kassym-Jomart Tokayev", "Maulen Ashimbayev", "Alim Bayel"} <= others
    dates = {r["date"] for r in rows if r["other"] == "Maulen Ashimbayev"}
    assert "2021-04-15" in dates


def test_cli_offices_answers_a_seed_question(built_store_path):
    rows = [r for r in csv_rows(built_store_path, "offices") if r["person"] == "Alim Bayel"]
    assert rows and all(r["role"] == "Ambassador" and r["country"] == "Kazakhstan" for r in rows)


def test_cli_topics_between_answers_a_seed_question(built_store_path):
    rows = csv_rows(built_store_path, "topics-between", "country_a=Azerbaijan", "country_b=Kazakhstan")
    topics = {r["topic"].lower() for r in rows}
    assert len(topics) >= 3
    assert any("turkpa" in t or "parliamentary assembly" in t for t in topics)


@pytest.mark.parametrize("value", ['"} ; DROP ALL ; {"', "} ; DROP ALL", "x' . } # {"])
def test_cli_query_parameter_is_a_literal(built_store_path, value):
    before = run("stats", "--store", built_store_path).stdout
    result = run("query", "who-met", "--store", built_store_path, "--param", f"person={value}", ok=False)
    assert result.exit_code == 1 and f"no person named {value!r}" in result.stderr
    assert run("stats", "--store", built_store_path).stdout == before


def test_cli_query_json_and_table(built_store_path):
    data = json.loads(run("query", "co-participants", "--store", built_store_path, "--format", "json").stdout)
    assert data and {"person_a", "person_b", "events"} <= set(data[0])
    assert "rows)" in run("query", "co-participants", "--store", built_store_path).stdout


def test_cli_query_offices_json_former_is_a_boolean(built_store_path):
    # dkg:former is an xsd:boolean in the graph: the saved query keeps it typed (no STR()), so
    # typed JSON gives false/true, not the string "false".
    rows = json.loads(run("query", "offices", "--store", built_store_path, "--format", "json").stdout)
    assert rows and all(isinstance(row["former"], bool) for row in rows if row["former"] is not None)
    assert any(row["former"] is False for row in rows)


def test_cli_query_unknown_is_usage_error(built_store_path):
    result = run("query", "nope", "--store", built_store_path, ok=False)
    assert result.exit_code == 2 and "no saved query 'nope'" in result.stderr


def test_cli_query_unknown_name_gets_a_suggestion(built_store_path):
    result = run("query", "who_met", "--store", built_store_path, ok=False)
    assert result.exit_code == 2 and "did you mean 'who-met'" in result.stderr


def test_cli_query_person_not_found_says_did_you_mean_and_exits_1(built_store_path):
    # A misspelt name of the seeds' people is only the input here: the suggestion comes from the graph.
    label = csv_rows(built_store_path, "persons")[0]["person"]
    typo = label[:-2] + label[-1]
    result = run("query", "who-met", "--store", built_store_path, "--param", f"person={typo}", ok=False)
    assert result.exit_code == 1 and f"did you mean {label!r}" in result.stderr
    result = run(
        "query", "who-met", "--store", built_store_path, "--param", "person=Ada Quillfeather", ok=False
    )
    assert result.exit_code == 1 and "no person named 'Ada Quillfeather'" in result.stderr


def test_cli_query_repeated_param_is_refused(built_store_path):
    args = ("query", "who-met", "--store", built_store_path, "--param", "person=a", "--param", "person=b")
    result = run(*args, ok=False)
    assert result.exit_code == 2 and "--param person is given twice" in result.stderr


def test_cli_query_missing_param_names_the_option(built_store_path):
    result = run("query", "who-met", "--store", built_store_path, ok=False)
    assert result.exit_code == 2 and "--param person=VALUE" in result.stderr


def test_cli_query_list_json_is_the_catalogue():
    catalogue = json.loads(run("query", "--list", "--format", "json").stdout)
    by_name = {q["name"]: q for q in catalogue}
    assert set(by_name) == set(load_queries())
    assert by_name["who-met"]["params"][0]["name"] == "person" and by_name["who-met"]["params"][0]["required"]


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "srj", "srx"])
def test_cli_stats_every_format(built_store_path, fmt):
    out = run("stats", "--store", built_store_path, "--format", fmt).stdout
    assert "documents" in out and "triples_exported" in out


def test_cli_stats_says_what_export_leaves_out(built_store_path):
    stats = {
        r["name"]: r["value"]
        for r in json.loads(run("stats", "--store", built_store_path, "--format", "json").stdout)
    }
    exported = run("export", "--format", "nquads", "--store", built_store_path).stdout.count("\n")
    whole = run(
        "export", "--format", "nquads", "--include-ontology", "--store", built_store_path
    ).stdout.count("\n")
    assert stats["triples_exported"] == exported and stats["triples"] == whole
    assert stats["triples_ontology"] == whole - exported > 0


def test_cli_export_include_ontology_adds_graph_ontology(built_store_path):
    out = run("export", "--format", "trig", "--include-ontology", "--store", built_store_path).stdout
    names = {str(g.identifier) for g in Dataset().parse(data=out, format="trig").graphs()}
    assert "https://w3id.org/diplomacy-kg/graph/ontology" in names


def test_cli_sparql_construct_writes_rdf(built_store_path):
    query = (
        "CONSTRUCT { ?s a ?c } WHERE { GRAPH <https://w3id.org/diplomacy-kg/graph/canonical> { ?s a ?c } }"
    )
    for fmt, syntax in ((None, "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml")):
        args = ["sparql", "-", "--store", str(built_store_path)] + (["--format", fmt] if fmt else [])
        result = CliRunner().invoke(cli, args, input=query)
        assert result.exit_code == 0, result.output
        assert len(Graph().parse(data=result.stdout, format=syntax)) > 20, fmt


def test_cli_sparql_select_as_sparql_results_json(built_store_path):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    result = CliRunner().invoke(
        cli, ["sparql", "-", "--store", str(built_store_path), "--format", "srj"], input=query
    )
    binding = json.loads(result.stdout)["results"]["bindings"][0]["n"]
    assert binding["type"] == "literal" and binding["datatype"].endswith("#integer")


@pytest.mark.parametrize("fmt,parse_as", [("turtle", "turtle"), ("nt", "nt"), ("xml", "xml")])
def test_cli_export_triples_reparse_isomorphic(built_store_path, tmp_path, fmt, parse_as):
    out = tmp_path / f"graph.{fmt}"
    run("export", "--format", fmt, "--out", out, "--store", built_store_path)
    graph = Graph().parse(out, format=parse_as)
    assert len(graph) > 100
    nt = Graph().parse(data=run("export", "--format", "nt", "--store", built_store_path).stdout, format="nt")
    assert isomorphic(graph, nt)


def test_cli_export_trig_keeps_named_graphs(built_store_path, tmp_path):
    out = tmp_path / "graph.trig"
    run("export", "--format", "trig", "--out", out, "--store", built_store_path)
    ds = Dataset().parse(out, format="trig")
    nq = Dataset().parse(
        data=run("export", "--format", "nquads", "--store", built_store_path).stdout, format="nquads"
    )
    names = {g.identifier for g in ds.graphs()}
    assert (
        sum(1 for n in names if str(n).rsplit("/", 1)[-1].isalnum() and len(str(n).rsplit("/", 1)[-1]) == 16)
        == 5
    )
    assert {g.identifier for g in nq.graphs()} == names
    for name in names:
        assert isomorphic(ds.graph(name), nq.graph(name))


def test_cli_export_jsonld_is_compacted_and_reads_back_to_the_same_quads(built_store_path, tmp_path):
    out = tmp_path / "graph.jsonld"
    run("export", "--format", "jsonld", "--out", out, "--store", built_store_path)
    document = json.loads(out.read_text(encoding="utf-8"))
    shipped = json.loads((Path(__file__).parent.parent / "ontology" / "context.jsonld").read_text())
    assert document["@context"] == shipped["@context"]
    text = out.read_text(encoding="utf-8")
    assert '"label":' in text and '"participant":' in text  # the context's terms are used
    back = Dataset().parse(out, format="json-ld")
    nq = Dataset().parse(
        data=run("export", "--format", "nquads", "--store", built_store_path).stdout, format="nquads"
    )
    assert set(back.quads()) == set(nq.quads())


def test_cli_sparql_from_stdin(built_store_path):
    query = (
        "PREFIX dkg: <https://w3id.org/diplomacy-kg/ontology#> "
        "SELECT (COUNT(*) AS ?n) WHERE { ?e a dkg:Event }"
    )
    result = CliRunner().invoke(
        cli, ["sparql", "-", "--store", str(built_store_path), "--format", "csv"], input=query
    )
    assert result.exit_code == 0, result.output
    assert int(result.stdout.splitlines()[1]) >= 4


def test_cli_sparql_syntax_error_is_clear(built_store_path, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE { ?x ?y }")
    result = run("sparql", bad, "--store", built_store_path, ok=False)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "bad.rq" in result.stderr


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("bad-encoding.txt", b"\xff\xfe\xfa" * 3 + b"\x00\x81\x8d" * 50, "not valid text"),
    ],
)
def test_cli_bad_file_named_and_store_unchanged(built_store_path, tmp_path, name, content, reason):
    store = tmp_path / "store"
    shutil.copytree(built_store_path, store)
    before = run("export", "--format", "nquads", "--store", store).stdout_bytes
    bad = tmp_path / "in" / name
    bad.parent.mkdir()
    bad.write_bytes(content)
    result = run("build", bad, "--store", store, "--quiet", ok=False)
    assert result.exit_code == 1
    assert name in result.stderr and reason in result.stderr.lower()
    assert run("export", "--format", "nquads", "--store", store).stdout_bytes == before


def test_cli_bad_file_does_not_stop_the_rest(seed_copy, tmp_path):
    (seed_copy / "zz_empty.txt").write_bytes(b"")
    result = run("build", seed_copy, "--store", tmp_path / "s", "--quiet", ok=False)
    assert result.exit_code == 1
    assert "5 extracted" in result.stdout and "zz_empty.txt" in result.stderr


def test_cli_remove_document(seed_copy, tmp_path):
    store = tmp_path / "store"
    run("build", seed_copy, "--store", store, "--quiet")
    stem = sorted(seed_copy.glob("003_*.txt"))[0].stem
    run("remove", stem, "--store", store)
    rows = csv_rows(store, "meetings")
    assert rows and stem not in {r["source"] for r in rows}
    assert "documents,4," in run("stats", "--store", store, "--format", "csv").stdout
    assert run("remove", "nothing-like-it", "--store", store, ok=False).exit_code == 1


def test_cli_eval_prints_scores(built_store_path):
    from conftest import GOLD

    if not GOLD.exists():
        pytest.skip(f"gold file not found at {GOLD}")
    out = run("eval", GOLD, "--store", built_store_path).stdout
    for metric in ("persons", "offices", "pairs", "pairs_dated"):
        assert metric in out


def test_cli_installed_console_script(built_store_path):
    kg = Path(sys.executable).parent / "kg"
    assert kg.exists(), "the package installs a `kg` command"
    done = subprocess.run(
        [kg, "query", "persons", "--store", built_store_path, "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("person,aliases,offices,events")


def test_cli_sparql_refuses_update_without_flag(built_store_path, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(built_store_path, store)
    update = tmp_path / "drop.ru"
    update.write_text("DROP ALL")
    result = run("sparql", update, "--store", store, ok=False)
    assert result.exit_code == 2 and "--allow-update" in result.stderr
    assert "documents,5," in run("stats", "--store", store, "--format", "csv").stdout
    run("sparql", update, "--store", store, "--allow-update")
    assert "documents,0," in run("stats", "--store", store, "--format", "csv").stdout


def test_cli_sparql_timeout_stops_runaway_query(built_store_path, tmp_path):
    runaway = tmp_path / "runaway.rq"
    runaway.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    result = run("sparql", runaway, "--store", built_store_path, "--timeout", "3", ok=False)
    assert result.exit_code == 1 and "timeout" in result.stderr


def test_cli_validate_seed_store_shapes_and_owl(built_store_path):
    result = run("validate", "--store", built_store_path)
    assert "conforms" in result.stdout and "OWL (HermiT): consistent" in result.stdout


def test_cli_link_offline_never_links_the_namesake(built_store_path, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(built_store_path, store)
    rows = list(csv.DictReader(io.StringIO(run("link", "--store", store, "--format", "csv").stdout)))
    accepted = {r["label"]: r["candidate"] for r in rows if r["accepted"] == "true"}
    assert accepted["Azerbaijan"] == "Q227" and accepted["Sahiba Gafarova"] == "Q16373886"
    assert "Q19716385" not in accepted.values()
    links = {r["label"]: r["wikidata"] for r in csv_rows(store, "external-links")}
    assert links["Kazakhstan"].endswith("/Q232")


def test_cli_push_and_query_endpoint_match_embedded(built_store_path, tmp_path):
    from kg.sparql.remote import OxigraphServer

    with OxigraphServer(tmp_path / "server") as server:
        out = run("push", "--store", built_store_path, "--graph-store", server.graph_store_url).stdout
        assert "graphs" in out
        for name in ("meetings", "co-participants"):
            local = csv_rows(built_store_path, name)
            remote = list(
                csv.DictReader(
                    io.StringIO(run("query", name, "--endpoint", server.query_url, "--format", "csv").stdout)
                )
            )
            assert sorted(map(str, remote)) == sorted(map(str, local))
    result = run("push", "--store", built_store_path, "--endpoint", server.update_url, ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_cli_push_and_sparql_endpoint_say_when_the_default_graph_is_not_the_union(built_store_path, tmp_path):
    from kg.sparql.remote import OxigraphServer

    canonical = "<https://w3id.org/diplomacy-kg/graph/canonical>"
    default = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }"
    named = f"CONSTRUCT {{ ?s a ?c }} WHERE {{ GRAPH {canonical} {{ ?s a ?c }} }}"
    with OxigraphServer(tmp_path / "plain", union_default_graph=False) as plain:
        pushed = run("push", "--store", built_store_path, "--endpoint", plain.update_url)
        assert "default graph is not the union" in pushed.stderr
        result = CliRunner().invoke(
            cli, ["sparql", "-", "--endpoint", plain.query_url, "--format", "srj"], input=default
        )
        assert result.exit_code == 0, result.output
        assert "default graph is not the union" in result.stderr
        assert json.loads(result.stdout)["results"]["bindings"][0]["n"]["value"] == "0"
        result = CliRunner().invoke(cli, ["sparql", "-", "--endpoint", plain.query_url], input=named)
        assert result.exit_code == 0 and "Warning" not in result.stderr, result.output
        assert len(Graph().parse(data=result.stdout, format="turtle")) > 20
        # Names are looked up on the server too: a misspelt one gets the server's closest labels.
        label = csv_rows(built_store_path, "persons")[0]["person"]
        typo = label[:-2] + label[-1]
        args = ("query", "who-met", "--endpoint", plain.query_url, "--param", f"person={typo}")
        result = run(*args, ok=False)
        assert result.exit_code == 1 and f"did you mean {label!r}" in result.stderr
    with OxigraphServer(tmp_path / "union") as union:
        pushed = run("push", "--store", built_store_path, "--graph-store", union.graph_store_url)
        assert "the union of all graphs" in pushed.stderr and "Warning" not in pushed.stderr
        result = CliRunner().invoke(
            cli, ["sparql", "-", "--endpoint", union.query_url, "--format", "json"], input=default
        )
        assert result.exit_code == 0 and "Warning" not in result.stderr
        assert json.loads(result.stdout)[0]["n"] > 0


# --- bad input and bad queries through the CLI (issue 5): the message, the exit code, the store --------

INVENTED = "Foreign Minister Lena Marsh met President Tom Weller in Valdoria on 3 March 2024.\n"
INVENTED2 = "Prime Minister Ana Holt visited Ruritania on 5 May 2024.\n"


def test_cli_build_jsonl_broken_line_named_and_the_rest_built(tmp_path):
    feed = tmp_path / "in" / "feed.jsonl"
    feed.parent.mkdir()
    feed.write_text(
        "\n".join([json.dumps({"text": INVENTED}), '{"text": "broken', json.dumps({"text": INVENTED2})])
        + "\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    result = run("build", feed, "--store", store, "--quiet", ok=False)
    assert result.exit_code == 1
    assert f"Error: {feed}: JSONL line 2: invalid JSON" in result.stderr
    assert "2 extracted, 0 unchanged, 1 failed" in result.stdout
    assert "documents,2," in run("stats", "--store", store, "--format", "csv").stdout


def test_cli_build_missing_path_named_and_store_unchanged(built_store_path, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(built_store_path, store)
    before = run("export", "--format", "nquads", "--store", store).stdout_bytes
    missing = tmp_path / "nowhere" / "gone.txt"
    result = run("build", missing, "--store", store, "--quiet", ok=False)
    assert result.exit_code == 1
    assert f"Error: {missing}: no such file or directory" in result.stderr
    assert run("export", "--format", "nquads", "--store", store).stdout_bytes == before


def test_cli_build_same_article_under_two_names_is_one_document_with_two_sources(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "first.txt").write_text(INVENTED, encoding="utf-8")
    (folder / "second.txt").write_text(INVENTED.replace("\n", "  \r\n"), encoding="utf-8")
    store = tmp_path / "store"
    assert "1 documents read" in run("build", folder, "--store", store, "--quiet").stdout
    assert "documents,1," in run("stats", "--store", store, "--format", "csv").stdout
    query = tmp_path / "sources.rq"
    query.write_text(
        "PREFIX dcterms: <http://purl.org/dc/terms/> "
        "SELECT DISTINCT ?doc ?id WHERE { ?doc dcterms:identifier ?id } ORDER BY ?id"
    )
    out = run("sparql", query, "--store", store, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["first", "second"]
    assert len({r["doc"] for r in rows}) == 1


def test_cli_build_into_locked_store_is_refused(built_store_path, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(built_store_path, store)
    before = run("export", "--format", "nquads", "--store", store).stdout_bytes
    article = tmp_path / "new.txt"
    article.write_text(INVENTED, encoding="utf-8")
    with store_held_open(store):
        result = run("build", article, "--store", store, "--quiet", ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"Error: store {store}: ") and "locked" in result.stderr
    assert run("export", "--format", "nquads", "--store", store).stdout_bytes == before


def test_cli_sparql_syntax_error_gives_line_and_column(built_store_path, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x\nWHERE { ?x ?y }\n")
    result = run("sparql", bad, "--store", built_store_path, ok=False)
    assert result.exit_code == 2
    assert re.search(r"bad\.rq: SPARQL syntax error at \d+:\d+: ", result.stderr), result.stderr


def test_cli_link_json_is_typed(built_store_path, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(built_store_path, store)
    decisions = json.loads(run("link", "--store", store, "--format", "json").stdout)
    assert decisions and all(
        isinstance(d["score"], float) and isinstance(d["accepted"], bool) for d in decisions
    )
