"""The graph on a remote SPARQL 1.1 server: push it there, and run the saved queries there.

``push`` copies every named graph of a store (and the default graph, if it holds anything) to any
SPARQL 1.1 server, in batches, either through the Graph Store HTTP Protocol (``graph_store_url``:
the first batch of a graph is a PUT, which replaces it, the rest are POSTs) or through SPARQL Update
(``update_url``: ``DROP SILENT GRAPH`` then ``INSERT DATA`` batches). Each graph is replaced as a
whole and every batch is idempotent, so a push that stops halfway (server down, killed) can be run
again and ends in the same state as an uninterrupted one.

``run_remote_query`` runs a saved query (kg/sparql/catalogue.py) through SPARQLWrapper and returns the same
``QueryResult`` as the embedded store, so CSV and JSON output are identical. Parameters are
RDF terms serialised by rdflib (never raw text): they go into a ``VALUES`` block at the start of
every ``WHERE`` group, which binds them wherever the query uses them, exactly as on the embedded
store (kg/sparql/local.py binds with the same ``bind_values``, of kg/sparql/catalogue.py).

Every request is retried with exponential backoff (or after the server's Retry-After) when the
server cannot be reached or answers 408/429/5xx; then ``RemoteError`` says which URL failed, how,
and after how many attempts. ``retrying`` is kg's one HTTP retry policy and ``sparql_client`` its one
SPARQLWrapper set-up; the linker's live candidate source (kg/link/endpoint.py) uses both.

Every pattern of a saved query names its graph (graph/canonical, graph/topics, graph/links,
graph/reference, or an article's graph through ``GRAPH ?article``), so the answers are the same
whether or not the server's default graph is the union of its named graphs (``oxigraph serve``
without ``--union-default-graph`` and Fuseki's default are not; Virtuoso's, GraphDB's are).
``server_warnings`` says when something about a server would still change an answer: a graph the
query reads that the server lacks, or an ad-hoc query that reads the default graph of a server
whose default graph is not the union.

At the end, ``OxigraphServer`` and ``VirtuosoServer`` start real servers on 127.0.0.1 for tests and
benchmarks.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ENV_USER = "KG_REMOTE_USER"
ENV_PASSWORD = "KG_REMOTE_PASSWORD"
RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
DEFAULT_BATCH = 5000  # triples per request: large enough to be fast, small for Virtuoso's parser


class RemoteError(Exception):
    """The remote server could not be reached or refused a request; the message says which and why."""


class RequestTooLargeError(RemoteError):
    """The server refused a request for its size (HTTP 413, or a parser out of memory: Virtuoso's
    SPARQL compiler gives up on an INSERT DATA of ~5 000 triples with "SP030 ... memory exhausted")."""


# What servers answer to a request too large for them, besides HTTP 413.
TOO_LARGE = re.compile(r"memory exhausted|too large|SP030", re.IGNORECASE)


@dataclass(frozen=True)
class Connection:
    """How to talk to one server: credentials (Basic or Digest auth), timeout and retry policy."""

    user: str | None = None
    password: str | None = None
    auth: str = "basic"  # or "digest"
    # Seconds to connect, and to wait for each read of an answer; and the deadline of one request,
    # its retries included (`--timeout`): against a server that accepts and never answers, a request
    # gives up after ``deadline`` seconds, not after retries x timeout.
    connect_timeout: float = 10.0
    timeout: float = 30.0
    deadline: float = 50.0
    retries: int = 4  # attempts after the first
    backoff: float = 0.5  # seconds before the first retry, doubled each time
    # Called with (attempt, delay, reason) before each retry, e.g. to print a warning.
    on_retry: Callable[[int, float, str], None] | None = None

    def __post_init__(self) -> None:
        if self.auth not in ("basic", "digest"):
            raise ValueError(f"auth must be 'basic' or 'digest', not {self.auth!r}")
        if self.retries < 0 or self.backoff < 0:
            raise ValueError("retries and backoff must not be negative")
        if min(self.connect_timeout, self.timeout, self.deadline) <= 0:
            raise ValueError("timeouts and the deadline must be positive")

    @classmethod
    def from_env(cls, **kwargs) -> Connection:
        """Credentials from KG_REMOTE_USER / KG_REMOTE_PASSWORD, so they never appear on a command line."""
        return cls(
            user=os.environ.get(ENV_USER) or None, password=os.environ.get(ENV_PASSWORD) or None, **kwargs
        )


@dataclass(frozen=True)
class PushReport:
    graphs: int
    triples: int
    requests: int
    seconds: float

    def summary(self) -> str:
        return (
            f"pushed {self.triples} triples in {self.graphs} graphs "
            f"({self.requests} requests, {self.seconds:.1f} s)"
        )


# -- reading the source ---------------------------------------------------------------------------


def _ox_store(source):
    """The pyoxigraph store behind a kg Store, an oxrdflib-backed Dataset, or a pyoxigraph Store."""
    import pyoxigraph as ox

    if isinstance(source, ox.Store):
        return source
    inner = getattr(source, "inner", None)  # kg.graph.store.Store
    if isinstance(inner, ox.Store):
        return inner
    from kg.graph.store import oxigraph_behind

    return oxigraph_behind(source)  # an rdflib Dataset a kg Store opened, or None


def graphs_of(source) -> Iterator[tuple[str | None, list[str], bool]]:
    """(graph IRI or None for the default graph, N-Triples lines, has blank nodes) per non-empty graph."""
    ox_store = _ox_store(source)
    if ox_store is None:
        yield from _rdflib_graphs(source)
        return
    import pyoxigraph as ox

    names = sorted(g.value for g in ox_store.named_graphs() if isinstance(g, ox.NamedNode))
    targets: list[tuple[str | None, object]] = [(None, ox.DefaultGraph())]
    targets += [(name, ox.NamedNode(name)) for name in names]
    for name, graph in targets:
        lines, blank = [], False
        for quad in ox_store.quads_for_pattern(None, None, None, graph):
            blank = blank or isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)
            lines.append(f"{quad.triple} .")
        if lines:
            yield name, lines, blank


def _rdflib_graphs(dataset) -> Iterator[tuple[str | None, list[str], bool]]:
    from rdflib import BNode, URIRef
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        identifier = graph.identifier
        if identifier == DATASET_DEFAULT_GRAPH_ID:
            name = None
        elif isinstance(identifier, URIRef):
            name = str(identifier)
        else:
            raise RemoteError(f"graph {identifier!r} has no IRI; only IRI-named graphs can be pushed")
        triples = list(graph)
        if triples:
            blank = any(isinstance(s, BNode) or isinstance(o, BNode) for s, _, o in triples)
            yield name, [f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples], blank


# -- HTTP with retries ----------------------------------------------------------------------------


def _auth_header(conn: Connection) -> dict[str, str]:
    if conn.user is None or conn.auth != "basic":
        return {}
    token = base64.b64encode(f"{conn.user}:{conn.password or ''}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


class _HTTPConnection(http.client.HTTPConnection):
    """Connects within ``connect_timeout``, then waits ``timeout`` for each read (urllib has one
    timeout for both)."""

    connect_timeout = 10.0

    def connect(self) -> None:
        read_timeout, self.timeout = self.timeout, min(self.timeout, self.connect_timeout)
        try:
            super().connect()
        finally:
            self.timeout = read_timeout
        self.sock.settimeout(read_timeout)


class _HTTPSConnection(_HTTPConnection, http.client.HTTPSConnection):
    pass


class _TimedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, connect_timeout: float) -> None:
        super().__init__()
        self.connect_timeout = connect_timeout

    def http_open(self, req):
        connection = type("Connection", (_HTTPConnection,), {"connect_timeout": self.connect_timeout})
        return self.do_open(connection, req)


class _TimedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, connect_timeout: float) -> None:
        super().__init__()
        self.connect_timeout = connect_timeout

    def https_open(self, req):
        connection = type("Connection", (_HTTPSConnection,), {"connect_timeout": self.connect_timeout})
        return self.do_open(connection, req, context=self._context)


def _opener(conn: Connection, url: str) -> urllib.request.OpenerDirector:
    handlers: list = [_TimedHTTPHandler(conn.connect_timeout), _TimedHTTPSHandler(conn.connect_timeout)]
    if conn.user is not None and conn.auth == "digest":
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, conn.user, conn.password or "")
        handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
    return urllib.request.build_opener(*handlers)


def _retry_after(err: urllib.error.HTTPError) -> float | None:
    """The seconds a 429/503 answer asks the client to wait (Retry-After in seconds), if it does."""
    value = (err.headers.get("Retry-After") or "").strip() if err.headers else ""
    return float(value) if value.isdigit() else None


def retrying(conn: Connection, url: str, action: Callable[[float], object]) -> object:
    """Run ``action(timeout)`` (one HTTP exchange that waits at most ``timeout`` for each read),
    retrying transient failures with exponential backoff, or after the server's Retry-After, all
    within ``conn.deadline``."""
    started = time.monotonic()
    end = started + conn.deadline
    last = ""
    attempts = 0
    for attempt in range(conn.retries + 1):
        left = end - time.monotonic()
        if left <= 0:
            break
        asked = None
        try:
            return _within(left, action, min(conn.timeout, left))
        except urllib.error.HTTPError as err:
            asked = _retry_after(err)
            detail = _error_body(err)
            last = f"HTTP {err.code} {err.reason}{': ' + detail if detail else ''}"
            if err.code == 401:
                raise RemoteError(
                    f"{url}: {last} — set {ENV_USER} and {ENV_PASSWORD} (and --auth digest for Virtuoso's "
                    "/sparql-auth)"
                ) from err
            if err.code == 413 or TOO_LARGE.search(detail):
                raise RequestTooLargeError(f"{url}: {last}") from err
            if err.code not in RETRY_STATUS:
                raise RemoteError(f"{url}: {last}") from err
        except (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException) as err:
            reason = getattr(err, "reason", err)
            if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                last = f"no answer in time ({reason})"
            else:
                last = f"cannot connect ({reason})"
        attempts = attempt + 1
        if attempt < conn.retries:
            wait = conn.backoff * 2**attempt if asked is None else asked
            delay = min(wait, max(0.0, end - time.monotonic()))
            if delay <= 0 or time.monotonic() + delay >= end:
                break
            if conn.on_retry:
                conn.on_retry(attempt + 1, delay, last)
            time.sleep(delay)
    elapsed = time.monotonic() - started
    raise RemoteError(
        f"{url}: {last or 'no attempt made'}; gave up after {attempts} attempt{'s' if attempts != 1 else ''} "
        f"in {elapsed:.1f} s (deadline {conn.deadline:g} s)"
    )


def _within(seconds: float, action: Callable[[float], object], timeout: float) -> object:
    """``action(timeout)``, given up after ``seconds`` even if the server keeps sending a byte now
    and then (each read within the socket timeout, the answer never complete): the exchange runs in
    a daemon thread, left behind when the deadline passes (the command then ends with an error)."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((True, action(timeout)))
        except BaseException as err:  # handed to the caller's thread as it is
            outcome.append((False, err))

    worker = threading.Thread(target=run, name="kg-remote-request", daemon=True)
    worker.start()
    worker.join(seconds)
    if not outcome:
        raise TimeoutError(f"no complete answer within {seconds:.1f} s")
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def _error_body(err: urllib.error.HTTPError) -> str:
    try:
        text = err.read().decode("utf-8", "replace")
    except Exception:  # the body is only a hint; a broken one must not hide the status
        return ""
    return " ".join(text.split())[:300]


def _send(conn: Connection, url: str, method: str, body: bytes, content_type: str) -> None:
    def action(timeout: float) -> None:
        request = urllib.request.Request(
            url, data=body, method=method, headers={"Content-Type": content_type, **_auth_header(conn)}
        )
        with _opener(conn, url).open(request, timeout=timeout) as response:
            response.read()

    retrying(conn, url, action)


# -- push -----------------------------------------------------------------------------------------


def push(
    source,
    update_url: str | None = None,
    graph_store_url: str | None = None,
    connection: Connection | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[str | None, int], None] | None = None,
) -> PushReport:
    """Copy every graph of ``source`` (a kg Store, an rdflib Dataset or a pyoxigraph Store) to a server.

    Give ``graph_store_url`` to use the Graph Store HTTP Protocol, else ``update_url`` for SPARQL
    Update. Each pushed graph replaces the server's graph of the same name; other graphs on the
    server are left alone. ``progress(graph, triples)`` is called after each batch.
    """
    if not (update_url or graph_store_url):
        raise ValueError("push needs an update endpoint URL or a Graph Store Protocol URL")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, not {batch_size}")
    conn = connection or Connection()
    started = time.monotonic()
    graphs = triples = requests = 0
    fits = batch_size  # lowered for the rest of the push when the server finds a batch too large
    for name, lines, blank in graphs_of(source):
        graphs += 1
        # A blank node is scoped to one request: a graph that has them goes in one piece, so each
        # stays one node on the server (the ontology's OWL restrictions are blank nodes).
        size = len(lines) if blank else fits
        done = 0
        while done < len(lines):
            part = lines[done : done + size]
            try:
                if graph_store_url:
                    _push_gsp(conn, graph_store_url, name, part, replace=done == 0)
                else:
                    _push_update(conn, update_url, name, part, replace=done == 0, blank=blank)
            except RequestTooLargeError:
                if blank or len(part) < 2:  # blank nodes must stay in one request
                    raise
                size = fits = len(part) // 2  # this part again in halves, and the rest in that size
                continue
            requests += 1
            triples += len(part)
            done += len(part)
            if progress:
                progress(name, len(part))
    return PushReport(graphs, triples, requests, time.monotonic() - started)


def graph_store_target(graph_store_url: str, graph: str | None) -> str:
    """The GSP URL of one graph: ``?graph=<encoded IRI>``, or ``?default``."""
    query = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
    separator = "&" if "?" in graph_store_url else "?"
    return f"{graph_store_url}{separator}{query}"


def _push_gsp(conn: Connection, url: str, graph: str | None, batch: list[str], replace: bool) -> None:
    body = ("\n".join(batch) + "\n").encode("utf-8")
    method = "PUT" if replace else "POST"
    _send(conn, graph_store_target(url, graph), method, body, "application/n-triples")


def _push_update(
    conn: Connection, url: str, graph: str | None, batch: list[str], replace: bool, blank: bool = False
) -> None:
    body = "\n".join(batch)
    if graph is not None:
        body = f"GRAPH <{graph}> {{\n{body}\n}}"
    clear = "DROP SILENT DEFAULT" if graph is None else f"DROP SILENT GRAPH <{graph}>"
    # INSERT DATA is the cheap form, but some servers (Virtuoso) refuse blank nodes in it; a template
    # with an empty WHERE inserts the same triples with fresh blank nodes.
    data = f"INSERT {{\n{body}\n}} WHERE {{}}" if blank else f"INSERT DATA {{\n{body}\n}}"
    run_update(url, f"{clear} ;\n{data}" if replace else data, conn)


def run_update(update_url: str, request: str, connection: Connection | None = None) -> None:
    """Send one SPARQL Update request (form-encoded, as the SPARQL protocol allows), with retries."""
    form = urllib.parse.urlencode({"update": request}).encode("utf-8")
    _send(connection or Connection(), update_url, "POST", form, "application/x-www-form-urlencoded")


# -- remote queries -------------------------------------------------------------------------------


def run_remote_query(
    query_url: str,
    name: str,
    params: dict[str, str] | None = None,
    queries: dict | None = None,
    connection: Connection | None = None,
):
    """Run saved query ``name`` on a SPARQL endpoint; the same QueryResult as kg.sparql.local.run_query."""
    from kg.sparql.catalogue import bind_params, find_query, load_queries

    query = find_query(queries if queries is not None else load_queries(), name)
    bindings = bind_params(query, params or {})
    return run_remote_sparql(query_url, query.text, bindings, query.columns, connection)


def run_remote_sparql(query_url: str, text: str, bindings=None, columns=None, connection=None):
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE on a SPARQL endpoint through SPARQLWrapper, with
    ``bindings`` as VALUES blocks; the same QueryResult as the embedded store, term kinds included."""
    from SPARQLWrapper import JSON, TURTLE

    from kg.sparql.catalogue import QueryError, bind_values, ordered_result
    from kg.sparql.ordering import split_order_by
    from kg.sparql.results import ask_result, binding_kind, graph_result

    conn = connection or Connection()
    # Sorted here, as the embedded store does (kg/sparql/ordering.py): the same rows in the same order.
    unordered, order = split_order_by(bind_values(text, bindings or {}))
    wrapper = sparql_client(query_url, unordered, conn)
    if wrapper.queryType in ("CONSTRUCT", "DESCRIBE"):
        import pyoxigraph as ox

        wrapper.setReturnFormat(TURTLE)
        body = retrying(
            conn, query_url, lambda timeout: sparqlwrapper_query(wrapper, query_url, timeout, raw=True)
        )
        try:
            triples = [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.TURTLE)]
        except SyntaxError as err:
            raise RemoteError(f"{query_url}: the answer is not Turtle ({err})") from err
        return graph_result(triples)
    if wrapper.queryType not in ("SELECT", "ASK"):
        raise QueryError(f"only queries run on a remote endpoint, not {wrapper.queryType}")
    wrapper.setReturnFormat(JSON)
    answer = retrying(conn, query_url, lambda timeout: sparqlwrapper_query(wrapper, query_url, timeout))
    if "boolean" in answer:
        return ask_result(bool(answer["boolean"]))
    if wrapper.queryType == "ASK":
        # Virtuoso answers an ASK sent by POST as a one-row result set (?__ASK_RETVAL 1 or 0).
        rows = answer["results"]["bindings"]
        values = [b["value"] for row in rows for b in row.values()]
        return ask_result(any(v in ("1", "true") for v in values))
    names = list(answer["head"].get("vars", []))
    terms = [[b.get(v) for v in names] for b in answer["results"]["bindings"]]
    if order is not None:
        if not all(var in names for var, _ in order.keys):
            raise QueryError("ORDER BY names a variable the query does not select")
        terms = order.sort(names, terms, _binding_order_key)
    rows = [[_cell(b) for b in row] for row in terms]
    kinds = [[binding_kind(b) for b in row] for row in terms]
    return ordered_result(names, rows, columns, kinds)


def _binding_order_key(binding: dict | None) -> tuple:
    from kg.sparql.ordering import order_key

    if binding is None:
        return order_key(None)
    kind = {"uri": "uri", "bnode": "bnode"}.get(binding["type"], "literal")
    return order_key(kind, binding["value"], binding.get("datatype"))


def sparql_client(url: str, query: str, conn: Connection | None = None, agent: str | None = None):
    """A SPARQLWrapper for ``query`` at ``url`` as kg sends every query: by POST (a long query fits,
    and no cache between answers an old result), with ``conn``'s credentials, and ``agent`` as
    User-Agent when given (Wikidata's query service asks for one that names the tool). Send it with
    ``sparqlwrapper_query`` inside ``retrying``."""
    from SPARQLWrapper import BASIC, DIGEST, POST, SPARQLWrapper

    wrapper = SPARQLWrapper(url, agent=agent) if agent else SPARQLWrapper(url)
    wrapper.setQuery(query)
    wrapper.setMethod(POST)
    if conn is not None and conn.user is not None:
        wrapper.setCredentials(conn.user, conn.password or "")
        wrapper.setHTTPAuth(DIGEST if conn.auth == "digest" else BASIC)
    return wrapper


def sparqlwrapper_query(wrapper, url: str, timeout: float, raw: bool = False):
    """The answer as converted JSON, or with ``raw`` the response body as bytes."""
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    wrapper.setTimeout(max(1, int(timeout)))  # SPARQLWrapper takes whole seconds
    try:
        if raw:
            return wrapper.query().response.read()
        return wrapper.queryAndConvert()
    except SPARQLWrapperException as err:
        # SPARQLWrapper turns HTTP 400/401/404/414/500 into its own exceptions; keep the status
        # so the retry policy sees it.
        status = {"QueryBadFormed": 400, "Unauthorized": 401, "EndPointNotFound": 404, "URITooLong": 414}
        code = status.get(type(err).__name__, 500)
        raise urllib.error.HTTPError(url, code, str(err).splitlines()[0], None, None) from err  # type: ignore[arg-type]
    except json.JSONDecodeError as err:
        raise RemoteError(f"{url}: the answer is not SPARQL JSON results ({err})") from err


_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
# Virtuoso keeps booleans as integers and answers "0"/"1", lexical forms of xsd:boolean as valid as
# the canonical "false"/"true" the embedded store gives (offices' former column).
_BOOLEAN_FORMS = {"0": "false", "1": "true"}


def _cell(binding: dict | None) -> str | None:
    """A JSON result binding as the embedded store's cell: the term's lexical value, IRI or label
    (an xsd:boolean in its canonical form)."""
    if binding is None:
        return None
    value = binding["value"]
    if binding.get("datatype") == _XSD_BOOLEAN:
        return _BOOLEAN_FORMS.get(value, value)
    return value


# -- what a server's configuration changes -----------------------------------------------------------


def graphs_read(text: str) -> tuple[frozenset[str], bool]:
    """The named graphs a query reads (``GRAPH <iri>``), and whether it also reads the default graph
    (a pattern outside any GRAPH). ``GRAPH ?var`` reads named graphs only. On a server whose default
    graph is not the union of its named graphs, only a query that reads the default graph answers
    differently from the embedded store."""
    from rdflib import URIRef
    from rdflib.paths import Path as RdfPath
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    named: set[str] = set()
    default = False

    def walk(node, inside: bool) -> None:
        nonlocal default
        if isinstance(node, CompValue):
            if node.name == "Graph":
                if isinstance(node.get("term"), URIRef):
                    named.add(str(node["term"]))
                walk(node.get("p"), True)
                return
            if node.name == "BGP" and node.get("triples") and not inside:
                default = True
            for value in node.values():
                walk(value, inside)
        elif isinstance(node, (list, tuple)) and not isinstance(node, RdfPath):
            for value in node:
                walk(value, inside)

    walk(translateQuery(parseQuery(text)).algebra, False)
    return frozenset(named), default


def server_warnings(query_url: str, text: str, connection: Connection | None = None) -> list[str]:
    """What about this server would make ``text`` answer differently from the embedded store:
    a graph it reads that the server lacks, or a default graph that is not the union of all graphs
    when the query reads the default graph. Empty when nothing would."""
    from rdflib import URIRef

    from kg.vocab import CANONICAL_GRAPH

    named, default = graphs_read(text)
    conn = connection or Connection()
    warnings = []
    for graph in sorted(named):
        if not _ask(query_url, f"ASK {{ GRAPH {URIRef(graph).n3()} {{ ?s ?p ?o }} }}", conn):
            warnings.append(
                f"{query_url} has no graph <{graph}>: what the query reads there is missing from "
                "its answer (kg push sends every graph of the store)"
            )
    if default and union_default_graph(query_url, conn) is False:
        warnings.append(
            f"{query_url}: the server's default graph is not the union of its named graphs, and "
            "this query reads the default graph (a pattern outside GRAPH): there it sees none of kg's "
            "data, where the embedded store sees every graph. Name the graphs in the query "
            f"(GRAPH {CANONICAL_GRAPH.n3()} {{ ... }}), or start the server with a union default graph "
            "(oxigraph serve --union-default-graph; Fuseki: tdb2:unionDefaultGraph true)"
        )
    return warnings


def union_default_graph(query_url: str, connection: Connection | None = None) -> bool | None:
    """Whether the server's default graph is the union of its named graphs, judged by one typing
    triple of graph/canonical (IRIs only: servers differ on how they match literals): None when the
    server holds no graph/canonical to judge by."""
    from rdflib import URIRef

    from kg.vocab import CANONICAL_GRAPH

    conn = connection or Connection()
    sample = run_remote_sparql(
        query_url,
        f"SELECT ?s ?c WHERE {{ GRAPH {CANONICAL_GRAPH.n3()} {{ ?s a ?c }} FILTER (isIRI(?s)) }} LIMIT 1",
        connection=conn,
    )
    if not sample.rows:
        return None
    s, c = (URIRef(value) for value in sample.rows[0])
    return _ask(query_url, f"ASK {{ {s.n3()} a {c.n3()} }}", conn)


def _ask(query_url: str, text: str, conn: Connection) -> bool:
    return bool(run_remote_sparql(query_url, text, connection=conn).boolean)


# -- local servers for tests and benchmarks -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float, log: Path | None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-1500:] if log and log.exists() else ""
            raise RemoteError(f"{what} exited with code {process.returncode} before listening:\n{tail}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RemoteError(f"{what} did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


class _Server:
    """A server process on 127.0.0.1, stopped on exit; the URLs say where to query, update, and store."""

    query_url: str
    update_url: str
    graph_store_url: str | None
    process: subprocess.Popen | None = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def oxigraph_binary() -> str | None:
    """The `oxigraph` server binary: next to this Python (the oxigraph PyPI package), or on PATH."""
    import sys

    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


class OxigraphServer(_Server):
    """``oxigraph serve --location DIR --union-default-graph`` on a free port of 127.0.0.1."""

    def __init__(self, location: Path, port: int | None = None, union_default_graph: bool = True) -> None:
        self.location = Path(location)
        self.port = port or free_port()
        self.union_default_graph = union_default_graph
        base = f"http://127.0.0.1:{self.port}"
        self.query_url, self.update_url, self.graph_store_url = (
            f"{base}/query",
            f"{base}/update",
            f"{base}/store",
        )

    def start(self) -> None:
        binary = oxigraph_binary()
        if binary is None:
            raise RemoteError("the oxigraph server binary is not installed (pip install oxigraph)")
        self.location.mkdir(parents=True, exist_ok=True)
        command = [binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
        if self.union_default_graph:
            command.append("--union-default-graph")
        log = self.location.parent / f"oxigraph-{self.port}.log"
        with log.open("wb") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        _wait_for_port(self.port, self.process, "oxigraph serve", 30, log)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{isql_port}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
CheckpointInterval = 60
DirsAllowed = ., {dir}, /usr/share/virtuoso-opensource-7/vad
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 4
MaxClientConnections = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""


def virtuoso_binaries() -> tuple[str, str] | None:
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    return (server, isql) if server and isql else None


class VirtuosoServer(_Server):
    """Virtuoso Open Source 7 (Debian's virtuoso-opensource-7) with its own database in ``directory``.

    SPARQL at /sparql for queries and updates (SPARQL_UPDATE is granted to the anonymous SPARQL
    user, which is fine on 127.0.0.1 only); GSP at /sparql-graph-crud.
    """

    def __init__(self, directory: Path, http_port: int | None = None, isql_port: int | None = None) -> None:
        self.directory = Path(directory)
        self.http_port = http_port or free_port()
        self.isql_port = isql_port or free_port()
        base = f"http://127.0.0.1:{self.http_port}"
        self.query_url = self.update_url = f"{base}/sparql"
        self.graph_store_url = f"{base}/sparql-graph-crud"

    def start(self) -> None:
        binaries = virtuoso_binaries()
        if binaries is None:
            raise RemoteError("Virtuoso is not installed (apt-get install -y virtuoso-opensource-7)")
        server = binaries[0]
        self.directory.mkdir(parents=True, exist_ok=True)
        ini = self.directory / "virtuoso.ini"
        ini.write_text(
            VIRTUOSO_INI.format(dir=self.directory, isql_port=self.isql_port, http_port=self.http_port)
        )
        log = self.directory / "stdout.log"
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [server, "-f", "-c", str(ini)], cwd=self.directory, stdout=out, stderr=subprocess.STDOUT
            )
        _wait_for_port(self.http_port, self.process, "virtuoso-t", 120, self.directory / "virtuoso.log")
        _wait_for_port(self.isql_port, self.process, "virtuoso-t", 60, self.directory / "virtuoso.log")
        self.isql(
            'GRANT SPARQL_UPDATE TO "SPARQL";',
            'GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL";',
            'GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL";',
            "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);",
        )

    def isql(self, *statements: str) -> str:
        binaries = virtuoso_binaries()
        assert binaries is not None
        command = [binaries[1], str(self.isql_port), "dba", "dba", "exec=" + " ".join(statements)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0 or "*** Error" in done.stdout:
            raise RemoteError(f"isql-vt failed: {done.stdout[-500:]} {done.stderr[-500:]}")
        return done.stdout


def remote_graph_iris(query_url: str, connection: Connection | None = None) -> list[str]:
    """Named graphs on a server that hold at least one triple (for checks and tests).

    GROUP BY, not DISTINCT: Virtuoso 7.2.5 answers ``SELECT DISTINCT ?g`` thousands of times
    slower than the grouped form (docs/performance.md, figures behind the code's choices), which
    every SPARQL 1.1 server answers the same.
    """
    result = run_remote_sparql(
        query_url, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", connection=connection
    )
    return sorted(row[0] for row in result.rows if row[0] is not None)
