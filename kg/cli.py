"""`kg`: a thin command layer over the library.

Each command parses its options, calls one library function, prints, and picks the exit code:
0 success, 1 the work failed (a file could not be read, a query failed, the store is locked),
2 a usage error. Results go to stdout; progress and errors to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.files import shown
from kg.settings import DEFAULT_STORE, Settings

STORE_OPTION = click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_STORE,
    show_default=True,
    help="Directory of the Oxigraph store.",
)
FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True
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
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.UsageError(f"--param takes name=value, not {pair!r}")
        params[name] = value
    return params


def open_store(store: Path, read_only: bool = True):
    from kg.store import Store, StoreError

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
    from kg.extract import ExtractionError
    from kg.pipeline import build as run_build
    from kg.store import StoreError

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
    KG_REMOTE_PASSWORD), with the same output as on the embedded store.
    """
    from kg.queries import QueryError, find_query, format_result, load_queries, run_query

    try:
        queries = load_queries()
    except QueryError as err:
        fail(str(err), 2)
    for reason in queries.skipped.values():  # named, and the other queries still run
        click.echo(f"Warning: {reason}", err=True)
    if list_ or not name:
        for q in queries.values():
            args = " ".join(f"--param {p.name}=..." for p in q.params)
            click.echo(f"{q.name} {args}".rstrip())
            click.echo(f"    {q.title}. {q.description}")
            click.echo(f"    columns: {','.join(q.columns)}")
        return
    from kg.remote import Connection, RemoteError, run_remote_query

    try:
        find_query(queries, name)  # an unknown or unusable query is told before anything is opened
        if endpoint:
            connection = Connection.from_env(deadline=timeout)
            result = run_remote_query(endpoint, name, parse_params(params), queries, connection)
        else:
            result = run_query(open_store(store), name, parse_params(params), queries)
    except QueryError as err:
        fail(str(err), 2)
    except RemoteError as err:
        fail(str(err))
    click.echo(format_result(result, fmt), nl=False)


@cli.command()
@click.argument("source", type=click.File("r", encoding="utf-8"))
@STORE_OPTION
@FORMAT_OPTION
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
    help="Stop the query after SECONDS (0: no limit).",
)
def sparql(source, store: Path, fmt: str, allow_update: bool, allow_service: bool, timeout: float) -> None:
    """Run an ad-hoc SPARQL query from FILE, or - for standard input.

    SELECT, ASK and CONSTRUCT are answered; an Update is refused unless --allow-update is given,
    SERVICE unless --allow-service is. A query too long, too deeply nested or with too many
    OPTIONAL/UNION is refused before it runs (exit 2).
    """
    from kg.queries import QueryError, check_adhoc, format_result, run_adhoc, run_adhoc_with_timeout

    name = shown(source.name)
    try:
        text = source.read()
    except UnicodeDecodeError as err:
        fail(f"{name}: not UTF-8 text ({err.reason} at byte {err.start})", 2)
    try:
        if timeout:
            result = run_adhoc_with_timeout(store, text, timeout, allow_update, name, allow_service)
        else:
            check_adhoc(text, allow_update, name, allow_service)  # before the store is opened
            st = open_store(store, read_only=not allow_update)
            try:
                result = run_adhoc(st, text, allow_update, name, allow_service)
            finally:
                st.close()  # a writer must be released before anything else opens the store
    except QueryError as err:
        fail(str(err), 2 if err.usage else 1)
    click.echo(format_result(result, fmt), nl=False)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "trig", "nt", "nquads", "jsonld", "xml"]),
    default="turtle",
    show_default=True,
    help="TriG, N-Quads and JSON-LD keep the named graphs (one per document).",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write; default stdout.")
@STORE_OPTION
def export(fmt: str, out: Path | None, store: Path) -> None:
    """Export the graph as Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML."""
    st = open_store(store)
    if out is None:
        st.export(fmt, sys.stdout.buffer)
        return
    tmp = out.with_name(out.name + ".partial")
    with tmp.open("wb") as handle:
        st.export(fmt, handle)
    tmp.replace(out)  # never leave a half-written export under the real name
    click.echo(f"wrote {out}", err=True)


@cli.command()
@STORE_OPTION
def stats(store: Path) -> None:
    """Count documents, entities, events and triples in the store."""
    from kg.pipeline import store_stats

    for name, value in store_stats(open_store(store)).items():
        click.echo(f"{name}\t{value}")


@cli.command()
@click.argument("documents", nargs=-1, required=True)
@STORE_OPTION
def remove(documents: tuple[str, ...], store: Path) -> None:
    """Remove documents (by file stem or content hash) and every fact only they supported."""
    from kg.pipeline import remove as run_remove
    from kg.store import StoreError

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
    from kg.evaluate import evaluate, format_report
    from kg.gold import GoldError

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
    from kg.validate import check_consistency, format_violations, validate_graph

    st = open_store(store)
    violations = validate_graph(st.dataset)
    if violations:
        click.echo(format_violations(violations))
    else:
        click.echo("SHACL: every document graph conforms to ontology/shapes.ttl")
    consistent = True
    if owl:
        from kg.store import ONTOLOGY_GRAPH

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
    from kg.queries import QueryResult, format_result
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
    columns = list(rows[0]) if rows else ["entity"]
    click.echo(
        format_result(QueryResult(columns, [[str(r[c]) for c in columns] for r in rows]), fmt), nl=False
    )
    click.echo(f"{len(result.links)} entities linked", err=True)


@cli.command()
@STORE_OPTION
@click.option("--endpoint", metavar="URL", help="SPARQL 1.1 Update endpoint.")
@click.option(
    "--graph-store", metavar="URL", help="Graph Store HTTP Protocol endpoint (preferred when given)."
)
@click.option("--auth", type=click.Choice(["basic", "digest"]), default="basic", show_default=True)
@click.option("--batch", type=click.IntRange(min=1), default=None, help="Triples per request.")
@REMOTE_TIMEOUT_OPTION
def push(
    store: Path, endpoint: str | None, graph_store: str | None, auth: str, batch: int | None, timeout: float
) -> None:
    """Copy the graph, named graphs included, to a SPARQL server.

    Credentials come from KG_REMOTE_USER and KG_REMOTE_PASSWORD. Each graph replaces the server's
    graph of the same name, so an interrupted push can simply be run again.
    """
    from kg.remote import DEFAULT_BATCH, Connection, RemoteError
    from kg.remote import push as run_push

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


def main() -> None:
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
