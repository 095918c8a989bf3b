"""Run SPARQL on the embedded store (kg/graph/store.py): saved queries by name, ad-hoc queries (checked
by kg/sparql/guard.py, in a child process that a timeout can stop), answers read straight from
pyoxigraph, with a final ORDER BY applied in Python (kg/sparql/ordering.py says why)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node

from kg.sparql.catalogue import QueryError, bind_params, bind_values, find_query, load_queries, ordered_result
from kg.sparql.guard import QueryRefusedError, check_query
from kg.sparql.ordering import OrderBy, order_key, split_order_by
from kg.sparql.results import QueryResult, ask_result, graph_result, term_kind


def run_query(
    store, name: str, params: dict[str, str] | None = None, queries: dict | None = None, typed: bool = False
) -> QueryResult:
    """Run saved query ``name`` on a kg.graph.store.Store, with parameters given as strings; ``typed``
    also keeps each cell's term kind (for the typed formats: kg.sparql.results.TYPED_FORMATS)."""
    query = find_query(queries if queries is not None else load_queries(), name)
    bindings = bind_params(query, params or {})
    return run_sparql(store, query.text, bindings, query.columns, typed)


def run_sparql(
    store, text: str, bindings: dict[str, Node] | None = None, columns=None, typed: bool = False
) -> QueryResult:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE on the store; SyntaxError says line and column.

    Straight to pyoxigraph, terms read as strings: going through rdflib's result objects cost more
    than a lookup query itself (docs/performance.md). A final ORDER BY is applied here
    (kg/sparql/ordering.py says why). ``typed`` keeps each cell's term kind too, only when asked: it costs
    a lookup per cell.
    """
    if bindings:
        text = bind_values(text, bindings)
    unordered, order = split_order_by(text)
    result = store.query(unordered)
    if isinstance(result, ox.QueryBoolean):
        return ask_result(bool(result))
    if isinstance(result, ox.QueryTriples):
        return graph_result(list(result))
    names = [v.value for v in result.variables]
    if order is not None and not all(var in names for var, _ in order.keys):
        # ORDER BY a variable that is not selected: only the engine can sort by it.
        result, order = store.query(text), None
    rows, kinds = _read_rows(result, names, order, typed)
    return ordered_result(names, rows, columns, kinds)


def _read_rows(
    result: ox.QuerySolutions, names: list[str], order: OrderBy | None, typed: bool = False
) -> tuple[list[list[str | None]], list[list] | None]:
    """The answer's rows as strings (None for unbound), in ``order`` when there is one, and with
    ``typed`` each cell's term kind (kg.sparql.results: a shared tuple, not the term).

    Each row's terms become strings as the row is read, and are dropped: pyoxigraph's terms are
    objects Python's cyclic collector tracks, and keeping all of them until the end (218k for
    meetings on 1M triples) made it rescan them again and again, 13% of that query's whole time.
    A sorted column keeps one number per row instead, one number per distinct term, whose order
    key is computed once.
    """
    kinds: list[list] | None = [] if typed else None
    if order is None:
        rows = []
        for solution in result:
            terms = list(solution)
            rows.append([None if term is None else term.value for term in terms])
            if kinds is not None:
                kinds.append([term_kind(term) for term in terms])
        return rows, kinds
    positions = [names.index(var) for var, _ in order.keys]
    order_keys: list[tuple] = []
    numbered = [(position, _Numbered(order_keys), []) for position in positions]
    rows: list[list[str | None]] = []
    for solution in result:
        terms = list(solution)
        rows.append([None if term is None else term.value for term in terms])
        if kinds is not None:
            kinds.append([term_kind(term) for term in terms])
        for position, seen, column in numbered:
            column.append(seen[terms[position]])
    # Sorted by the numbers' order keys, column by column; the last field says where the row is.
    keys = [str(index) for index in range(len(positions))]
    by_number = OrderBy(tuple(zip(keys, (descending for _, descending in order.keys), strict=True)))
    numbers = list(zip(*(column for _, _, column in numbered), range(len(rows)), strict=True))
    sequence = [n[-1] for n in by_number.sort([*keys, "row"], numbers, order_keys.__getitem__)]
    return [rows[i] for i in sequence], None if kinds is None else [kinds[i] for i in sequence]


class _Numbered(dict):
    """One sorted column's distinct terms, numbered as first seen; the number indexes the term's
    order key in ``order_keys``, shared by all the columns."""

    def __init__(self, order_keys: list[tuple]) -> None:
        super().__init__()
        self.order_keys = order_keys

    def __missing__(self, term) -> int:
        number = self[term] = len(self.order_keys)
        self.order_keys.append(_term_order_key(term))
        return number


def _term_order_key(term) -> tuple:
    if term is None:
        return order_key(None)
    if isinstance(term, ox.NamedNode):
        return order_key("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return order_key("bnode", term.value)
    return order_key("literal", term.value, term.datatype.value)


def is_update(text: str) -> bool:
    """True when the text is a SPARQL Update request rather than a query."""
    try:
        parseQuery(text)
        return False
    except Exception:
        try:
            parseUpdate(text)
            return True
        except Exception:
            return False


def check_adhoc(text: str, allow_update: bool = False, name: str = "query", allow_service: bool = False):
    """Refuse, before the store is opened, what an ad-hoc text may not do: too long or deep or busy
    for the engine, SERVICE without ``allow_service``, an update (LOAD included) without
    ``allow_update``. QueryError with ``usage``; returns whether the text is an update."""
    try:
        shape = check_query(text, name, allow_service)
    except QueryRefusedError as err:
        raise QueryError(str(err), usage=True) from None
    try:
        update = is_update(text)
    except RecursionError:
        raise QueryError(f"{name}: nested too deeply to parse", usage=True) from None
    if update and not allow_update:
        fetch = " (LOAD fetches a document over the network)" if shape.load else ""
        raise QueryError(
            f"{name}: this is a SPARQL Update; it changes the store{fetch}, so pass --allow-update",
            usage=True,
        )
    return update


def run_adhoc(
    store,
    text: str,
    allow_update: bool = False,
    name: str = "query",
    allow_service: bool = False,
    typed: bool = False,
) -> QueryResult:
    """An ad-hoc query from a user: checked by ``check_adhoc`` first; errors name the source."""
    if check_adhoc(text, allow_update, name, allow_service):
        store.update(text)
        return QueryResult(["update"], [["done"]])
    try:
        return run_sparql(store, text, typed=typed)
    except SyntaxError as err:
        raise QueryError(f"{name}: SPARQL syntax {err}", usage=True) from None
    except (OSError, RuntimeError) as err:  # a SERVICE that failed, the store gone
        raise QueryError(f"{name}: the query failed ({err})") from None


# An ad-hoc query that runs longer than this is stopped unless the user gives --timeout.
DEFAULT_TIMEOUT = 60.0


def _run_in_child(
    store_path: str, text: str, allow_update: bool, name: str, allow_service: bool, typed: bool, conn
) -> None:
    from kg.graph.store import Store

    try:
        store = Store(store_path, read_only=not allow_update)
        result = run_adhoc(store, text, allow_update, name, allow_service, typed)
        conn.send(("ok", result))
    except QueryError as err:
        conn.send(("error", (str(err), err.usage)))
    except Exception as err:  # everything goes back to the parent, which reports it
        conn.send(("error", (f"{type(err).__name__}: {err}", False)))


def run_adhoc_with_timeout(
    store_path,
    text: str,
    timeout: float,
    allow_update: bool = False,
    name="query",
    allow_service: bool = False,
    typed: bool = False,
):
    """Run in a separate process that is killed when ``timeout`` seconds pass: a runaway query stops.

    Oxigraph offers no cancellation; a process is the one thing that can always be stopped. The
    text is checked here first, so a refused query starts no process.
    """
    import multiprocessing

    check_adhoc(text, allow_update, name, allow_service)
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_run_in_child,
        args=(str(store_path), text, allow_update, name, allow_service, typed, child),
        daemon=True,
    )
    proc.start()
    try:
        if not parent.poll(timeout):
            raise QueryError(f"{name}: stopped after the {timeout:g} s timeout")
        status, payload = parent.recv()
    except EOFError:  # the child died without a word (killed, out of memory, a crash)
        raise QueryError(f"{name}: the query process ended without an answer") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
    if status == "error":
        message, usage = payload
        raise QueryError(message, usage=usage)
    return payload
