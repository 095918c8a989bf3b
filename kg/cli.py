"""`kg`: a thin command layer over the library.

Each command parses its options, calls one library function, prints, and picks the exit code:
0 success, 1 the work failed (a file could not be read, a query failed, the store is locked),
2 a usage error. Results go to stdout; progress and errors to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.common.files import shown
from kg.settings import DEFAULT_STORE, ServeSettings, Settings

STORE_OPTION = click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_STORE,
    show_default=True,
    help="Directory of the Oxigraph store.",
)
# kg.sparql.results.TABULAR_FORMATS, written out so that `kg --help` does not import the query stack.
TABULAR = ["table", "csv", "tsv", "json", "srj", "srx"]
RDF_SYNTAXES = ["turtle", "trig", "nt", "nquads", "jsonld", "xml"]
FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(TABULAR),
    default="table",
    show_default=True,
    help="table; csv, tsv, srj, srx: SPARQL 1.1 Query Results CSV / TSV / JSON / XML; json: typed values.",
)

REMOTE_TIMEOUT_OPTION = click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=50.0,
    show_default=True,
    help="Remote server: SECONDS each request may take, retries included (connect 10 s, reads 30 s).",
)


def fail(message: str, code: int = 1) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.UsageError(f"--param takes name=value, not {pair!r}")
        if name in params:  # keeping the last one silently answered a question not asked
            raise click.UsageError(
                f"--param {name} is given twice ({params[name]!r} and {value!r}); give it once"
            )
        params[name] = value
    return params


def echo_result(result, fmt: str) -> None:
    from kg.sparql.results import FormatError, format_result

    try:
        click.echo(format_result(result, fmt), nl=False)
    except FormatError as err:
        fail(str(err), 2)


def open_store(store: Path, read_only: bool = True):
    from kg.graph.store import Store, StoreError

    try:
        return Store(store, read_only=read_only)
    except StoreError as err:
        fail(str(err))


@click.group()
@click.version_option(package_name="diplomacy-kg")
def cli() -> None:
    """diplomacy-kg: diplomatic news articles in, a knowledge graph with provenance out."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@STORE_OPTION
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Extraction processes (with 1, a large build extracts in one worker process while this one writes).",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--lang",
    type=click.Choice(["en", "any"]),
    default="en",
    show_default=True,
    help="en: skip articles in another language, with a note; any: build them all.",
)
def build(paths: tuple[Path, ...], store: Path, jobs: int, quiet: bool, lang: str) -> None:
    """Build or update the graph from files and folders (.txt, .html, .jsonl).

    Unchanged documents are skipped; a changed file replaces its own graph. Files that cannot be
    read are named with the reason, the rest is still built, and the exit code is 1.
    """
    from kg.graph.store import StoreError
    from kg.nlp.extract import ExtractionError
    from kg.pipeline import build as run_build

    bar = None

    def on_total(total: int) -> None:
        nonlocal bar
        if not quiet and total:
            bar = click.progressbar(length=total, label="extracting", file=sys.stderr)
            bar.__enter__()

    try:
        report = run_build(
            list(paths),
            Settings(store=store, jobs=jobs, language=lang),
            progress=(lambda n: bar.update(n)) if not quiet else None,
            on_total=on_total,
        )
    except (StoreError, ExtractionError) as err:
        fail(str(err))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for note in report.notes:
        click.echo(f"Note: {note}", err=True)
    for error in report.errors:
        click.echo(f"Error: {error}", err=True)
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.argument("name", required=False)
@click.option(
    "--param", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable)."
)
@click.option("--list", "list_", is_flag=True, help="List the saved queries and their parameters.")
@click.option("--endpoint", metavar="URL", help="Run on a remote SPARQL endpoint instead of the store.")
@REMOTE_TIMEOUT_OPTION
@STORE_OPTION
@FORMAT_OPTION
def query(
    name: str | None,
    params: tuple[str, ...],
    list_: bool,
    endpoint: str | None,
    timeout: float,
    store: Path,
    fmt: str,
) -> None:
    """Run a saved query (queries/NAME.rq); --list shows them.

    With --endpoint the query runs on any SPARQL 1.1 server (credentials from KG_REMOTE_USER and
    KG_REMOTE_PASSWORD), with the same output as on the embedded store; a warning says when the
    server lacks a graph the query reads.
    """
    from kg.sparql.catalogue import (
        MissingParameterError,
        NameNotFoundError,
        QueryError,
        check_names,
        find_query,
        load_queries,
    )
    from kg.sparql.local import run_query, run_sparql
    from kg.sparql.results import TYPED_FORMATS

    try:
        queries = load_queries()
    except QueryError as err:
        fail(str(err), 2)
    for reason in queries.skipped.values():  # named, and the other queries still run
        click.echo(f"Warning: {reason}", err=True)
    if list_ or not name:
        list_queries(queries, fmt)
        return
    from kg.sparql.remote import Connection, RemoteError, run_remote_query, run_remote_sparql, server_warnings

    values = parse_params(params)
    try:
        chosen = find_query(queries, name)  # an unknown or unusable query is told before anything is opened
        if endpoint:
            conn = Connection.from_env(deadline=timeout)
            for warning in server_warnings(endpoint, chosen.text, conn):
                click.echo(f"Warning: {warning}", err=True)

            def run(text, bindings):
                return run_remote_sparql(endpoint, text, bindings, connection=conn)

            notes = check_names(run, chosen, values)
            result = run_remote_query(endpoint, name, values, queries, conn)
        else:
            st = open_store(store)
            notes = check_names(lambda text, bindings: run_sparql(st, text, bindings), chosen, values)
            result = run_query(st, name, values, queries, typed=fmt in TYPED_FORMATS)
    except MissingParameterError as err:
        fail(f"{err} -- give it with --param {err.name}=VALUE", 2)
    except NameNotFoundError as err:
        fail(str(err), 1)
    except QueryError as err:
        fail(str(err), 2)
    except RemoteError as err:
        fail(str(err))
    for note in notes:
        click.echo(f"Note: {note}", err=True)
    echo_result(result, fmt)


def list_queries(queries: dict, fmt: str) -> None:
    """The catalogue: as text for a table, as objects for json, as one row per query otherwise."""
    import json

    from kg.sparql.results import QueryResult

    if fmt == "table":
        for q in queries.values():
            args = " ".join(f"--param {p.name}=..." for p in q.params)
            click.echo(f"{q.name} {args}".rstrip())
            click.echo(f"    {q.title}. {q.description}")
            click.echo(f"    columns: {','.join(q.columns)}")
        return
    if fmt == "json":
        catalogue = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "params": [
                    {"name": p.name, "type": p.type, "required": p.required, "description": p.description}
                    for p in q.params
                ],
                "columns": list(q.columns),
            }
            for q in queries.values()
        ]
        click.echo(json.dumps(catalogue, indent=2, ensure_ascii=False))
        return
    rows = [
        [q.name, q.title, q.description, ",".join(p.name for p in q.params), ",".join(q.columns)]
        for q in queries.values()
    ]
    echo_result(QueryResult(["name", "title", "description", "params", "columns"], rows), fmt)


@cli.command()
@click.argument("source", type=click.File("r", encoding="utf-8"))
@STORE_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(TABULAR + RDF_SYNTAXES),
    default=None,
    help="For SELECT and ASK: " + ", ".join(TABULAR) + " (default table); for CONSTRUCT and DESCRIBE "
    "an RDF syntax: " + ", ".join(RDF_SYNTAXES) + " (default turtle).",
)
@click.option("--endpoint", metavar="URL", help="Run on a remote SPARQL endpoint instead of the store.")
@click.option(
    "--allow-update",
    is_flag=True,
    help="Allow SPARQL Update requests (they change the store; LOAD <url> fetches over the network).",
)
@click.option(
    "--allow-service", is_flag=True, help="Allow SERVICE, which sends part of the query to another server."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Stop the query after SECONDS (0: no limit; on an --endpoint, the request's deadline).",
)
def sparql(
    source,
    store: Path,
    fmt: str | None,
    endpoint: str | None,
    allow_update: bool,
    allow_service: bool,
    timeout: float,
) -> None:
    """Run an ad-hoc SPARQL query from FILE, or - for standard input.

    SELECT, ASK, CONSTRUCT and DESCRIBE are answered (CONSTRUCT and DESCRIBE as RDF); an Update is
    refused unless --allow-update is given, SERVICE unless --allow-service is. A query too long, too
    deeply nested or with too many OPTIONAL/UNION is refused before it runs (exit 2). With
    --endpoint the query runs on a SPARQL 1.1 server, and a warning says when that server would
    answer it differently from the embedded store.
    """
    from kg.sparql.catalogue import QueryError
    from kg.sparql.local import check_adhoc, run_adhoc, run_adhoc_with_timeout

    name = shown(source.name)
    try:
        text = source.read()
    except UnicodeDecodeError as err:
        fail(f"{name}: not UTF-8 text ({err.reason} at byte {err.start})", 2)
    typed = fmt is None or fmt not in ("table", "csv")
    try:
        if endpoint:
            if check_adhoc(text, False, name, allow_service):
                raise QueryError(
                    f"{name}: kg sparql sends no SPARQL Update to a server; use kg push", usage=True
                )
            result = _remote_adhoc(endpoint, text, timeout)
        elif timeout:
            result = run_adhoc_with_timeout(store, text, timeout, allow_update, name, allow_service, typed)
        else:
            check_adhoc(text, allow_update, name, allow_service)  # before the store is opened
            st = open_store(store, read_only=not allow_update)
            try:
                result = run_adhoc(st, text, allow_update, name, allow_service, typed)
            finally:
                st.close()  # a writer must be released before anything else opens the store
    except QueryError as err:
        fail(str(err), 2 if err.usage else 1)
    echo_result(result, fmt or ("turtle" if result.triples is not None else "table"))


def _remote_adhoc(endpoint: str, text: str, timeout: float):
    from kg.sparql.remote import Connection, RemoteError, run_remote_sparql, server_warnings

    conn = Connection.from_env(deadline=timeout) if timeout else Connection.from_env()
    try:
        warnings = server_warnings(endpoint, text, conn)
    except RemoteError as err:
        fail(str(err))
    except Exception:  # rdflib's parser cannot read the query: the server says what is wrong with it
        warnings = []
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    try:
        return run_remote_sparql(endpoint, text, connection=conn)
    except RemoteError as err:
        fail(str(err))


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RDF_SYNTAXES),
    default="turtle",
    show_default=True,
    help="TriG, N-Quads and JSON-LD keep the named graphs (one per document); JSON-LD is compacted "
    "with kg's @context (ontology/context.jsonld).",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write; default stdout.")
@click.option(
    "--include-ontology", is_flag=True, help="Also write graph/ontology (the OWL ontology the store carries)."
)
@STORE_OPTION
def export(fmt: str, out: Path | None, include_ontology: bool, store: Path) -> None:
    """Export the graph as Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML.

    Every graph but graph/ontology (the ontology is in ontology/ already); --include-ontology adds it.
    `kg stats` counts both.
    """
    st = open_store(store)
    if out is None:
        st.export(fmt, sys.stdout.buffer, include_ontology=include_ontology)
        return
    tmp = out.with_name(out.name + ".partial")
    with tmp.open("wb") as handle:
        st.export(fmt, handle, include_ontology=include_ontology)
    tmp.replace(out)  # never leave a half-written export under the real name
    click.echo(f"wrote {out}", err=True)


@cli.command()
@STORE_OPTION
@FORMAT_OPTION
def stats(store: Path, fmt: str) -> None:
    """Count documents, entities, events and triples in the store, and what `kg export` writes."""
    from kg.pipeline import STATS_NOTES, store_stats
    from kg.sparql.results import from_records

    counts = store_stats(open_store(store))
    records = [{"name": n, "value": v, "note": STATS_NOTES.get(n, "")} for n, v in counts.items()]
    echo_result(from_records(records), fmt)


@cli.command()
@click.argument("documents", nargs=-1, required=True)
@STORE_OPTION
def remove(documents: tuple[str, ...], store: Path) -> None:
    """Remove documents (by file stem or content hash) and every fact only they supported."""
    from kg.graph.store import StoreError
    from kg.pipeline import remove as run_remove

    try:
        removed = run_remove(documents, Settings(store=store))
    except KeyError as err:
        fail(err.args[0])
    except StoreError as err:
        fail(str(err))
    click.echo(f"removed {len(removed)} document(s)")


@cli.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@STORE_OPTION
@click.option(
    "--details/--no-details", default=True, help="List missed and spurious facts, grouped by error class."
)
def eval_(gold: Path, store: Path, details: bool) -> None:
    """Score the store against a gold annotation file (precision, recall, F1; pairs also as the
    mean of the articles' F1, an article with no gold and no predicted pair counting 1.0)."""
    from kg.evaluate.gold import GoldError
    from kg.evaluate.score import evaluate, format_report

    try:
        report = evaluate(gold, open_store(store))
    except GoldError as err:
        for problem in err.problems:  # one line per problem, the file named on each
            click.echo(f"Error: {shown(err.path)}: {problem}", err=True)
        sys.exit(2)
    click.echo(format_report(report, details=details), nl=False)


@cli.command()
@STORE_OPTION
@click.option("--owl/--no-owl", default=True, show_default=True, help="Also run HermiT (OWL consistency).")
def validate(store: Path, owl: bool) -> None:
    """Check the store against the SHACL shapes and the OWL ontology; exit 1 on any violation."""
    from kg.graph.validate import check_consistency, format_violations, validate_graph

    st = open_store(store)
    violations = validate_graph(st.dataset)
    if violations:
        click.echo(format_violations(violations))
    else:
        click.echo("SHACL: every document graph conforms to ontology/shapes.ttl")
    consistent = True
    if owl:
        from kg.vocab import ONTOLOGY_GRAPH

        data = _union_without(st, {str(ONTOLOGY_GRAPH)})
        report = check_consistency(data)
        consistent = report.consistent
        click.echo(
            f"OWL (HermiT): {'consistent' if consistent else 'INCONSISTENT'}. {report.message}".rstrip()
        )
    if violations or not consistent:
        sys.exit(1)


def _union_without(store, skip: set[str]):
    """The store's data graphs as one rdflib Graph (the ontology itself is loaded by the checker)."""
    import pyoxigraph as ox
    from oxrdflib._converter import from_ox
    from rdflib import Graph

    graph = Graph()
    for name in store.named_graphs():
        if name not in skip:
            for q in store.inner.quads_for_pattern(None, None, None, ox.NamedNode(name)):
                graph.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return graph


@cli.command()
@STORE_OPTION
@click.option(
    "--endpoint", metavar="URL", help="Live SPARQL endpoint for candidates (default: offline reference)."
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data/cache"),
    show_default=True,
    help="Disk cache of endpoint answers (live mode).",
)
@click.option("--threshold", type=click.FloatRange(0, 1), default=None, help="Minimum score to write a link.")
@FORMAT_OPTION
def link(store: Path, endpoint: str | None, cache_dir: Path, threshold: float | None, fmt: str) -> None:
    """Link persons, institutions, countries and places to Wikidata and DBpedia.

    Offline from data/reference by default; --endpoint asks a live SPARQL endpoint (Wikidata, a
    mirror, QLever), caching every answer. A failure writes nothing.
    """
    from kg.link import DEFAULT_THRESHOLD, LinkError, decisions_table, link_entities, link_store_graphs
    from kg.sparql.results import from_records
    from kg.vocab import CANONICAL_GRAPH

    st = open_store(store, read_only=False)
    try:
        result = link_entities(
            st.dataset.graph(CANONICAL_GRAPH),  # the merged graph: each fact once
            threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            endpoint=endpoint,
            cache_dir=cache_dir if endpoint else None,
        )
    except LinkError as err:
        fail(str(err))
    for graph, triples in link_store_graphs(result).items():
        st.replace_graph(graph, triples)
    st.close()  # release the writer before anything else opens the store
    rows = decisions_table(result)
    echo_result(from_records(rows, None if rows else ["entity"]), fmt)
    click.echo(f"{len(result.links)} entities linked", err=True)


@cli.command()
@STORE_OPTION
@click.option("--endpoint", metavar="URL", help="SPARQL 1.1 Update endpoint.")
@click.option(
    "--graph-store", metavar="URL", help="Graph Store HTTP Protocol endpoint (preferred when given)."
)
@click.option("--auth", type=click.Choice(["basic", "digest"]), default="basic", show_default=True)
@click.option("--batch", type=click.IntRange(min=1), default=None, help="Triples per request.")
@click.option(
    "--query-endpoint",
    metavar="URL",
    help="Where the server answers queries, for the check after the push (default: from the other URL).",
)
@REMOTE_TIMEOUT_OPTION
def push(
    store: Path,
    endpoint: str | None,
    graph_store: str | None,
    auth: str,
    batch: int | None,
    query_endpoint: str | None,
    timeout: float,
) -> None:
    """Copy the graph, named graphs included, to a SPARQL server.

    Credentials come from KG_REMOTE_USER and KG_REMOTE_PASSWORD. Each graph replaces the server's
    graph of the same name, so an interrupted push can simply be run again. Afterwards the server
    is asked whether its default graph is the union of its graphs, and a warning says what that
    changes.
    """
    from kg.sparql.remote import DEFAULT_BATCH, Connection, RemoteError, union_default_graph
    from kg.sparql.remote import push as run_push

    if not (endpoint or graph_store):
        raise click.UsageError("give --endpoint (SPARQL Update) or --graph-store (Graph Store Protocol)")

    def warn(attempt: int, delay: float, reason: str) -> None:
        click.echo(f"retry {attempt} in {delay:g} s: {reason}", err=True)

    try:
        report = run_push(
            open_store(store),
            update_url=endpoint,
            graph_store_url=graph_store,
            connection=Connection.from_env(auth=auth, on_retry=warn, deadline=timeout),
            batch_size=batch or DEFAULT_BATCH,
        )
    except RemoteError as err:
        fail(str(err))
    click.echo(report.summary())
    query_url = query_endpoint or guess_query_url(endpoint or graph_store)
    try:
        union = union_default_graph(query_url, Connection.from_env(retries=0, deadline=timeout))
    except RemoteError as err:
        click.echo(f"Note: no check of the server's answers ({err}); give --query-endpoint URL", err=True)
        return
    if union is False:
        click.echo(
            f"Warning: {query_url}: the server's default graph is not the union of its named graphs. "
            "kg's saved queries name their graphs and answer as on the embedded store; an ad-hoc "
            "query (kg sparql --endpoint) sees kg's data only inside GRAPH, where the embedded store "
            "sees every graph in the default graph too (oxigraph serve --union-default-graph changes that)",
            err=True,
        )
    elif union:
        click.echo(
            f"{query_url}: default graph = the union of all graphs, as in the embedded store", err=True
        )


def guess_query_url(url: str) -> str:
    """Where a server answers queries, from its update or Graph Store URL: Oxigraph's /update and
    /store answer at /query, Virtuoso's /sparql-graph-crud at /sparql; others at the same URL."""
    for tail, query in (("/update", "/query"), ("/store", "/query"), ("/sparql-graph-crud", "/sparql")):
        if url.rstrip("/").endswith(tail):
            return url.rstrip("/")[: -len(tail)] + query
    return url


@cli.command()
@STORE_OPTION
@click.option("--host", default=ServeSettings.host, show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=ServeSettings.port, show_default=True)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=ServeSettings.timeout,
    show_default=True,
    help="Seconds a query may run before it is stopped.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=ServeSettings.workers,
    show_default=True,
    help="Processes that run queries.",
)
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update at /sparql (it changes the store).")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE: queries that fetch from other servers.")
def serve(
    store: Path, host: str, port: int, timeout: float, workers: int, allow_update: bool, allow_service: bool
) -> None:
    """Serve the graph: a SPARQL endpoint at /sparql, the saved queries at /queries, and a web
    application (search, entity pages, network, timeline) at /. Read-only unless --allow-update;
    articles a concurrent `kg build` commits show up as they are written.
    """
    import uvicorn

    from kg.serve.app import create_app

    if not store.exists():
        fail(f"store {store}: no such directory (run `kg build` first)")
    settings = ServeSettings(
        store=store,
        host=host,
        port=port,
        timeout=timeout,
        workers=workers,
        allow_update=allow_update,
        allow_service=allow_service,
    )
    click.echo(f"serving {store} at http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def main() -> None:
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
