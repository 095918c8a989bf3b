"""Saved SPARQL queries: load queries/*.rq with their header metadata, bind parameters, run, format.

A saved query's header comment is its catalogue entry::

    # title: Who met a person
    # description: Every event a person took part in, with the others who were there.
    # param: person string required — matched on any of the person's labels
    # columns: person,other,date,event,source

Parameters are SPARQL variables of the same name. They are bound as RDF terms in VALUES blocks
(kg.remote.bind_values: each term written by rdflib's ``n3()``), never pasted into the query text, so
a value such as ``"} ; DROP ALL ; {"`` is only ever a string literal. VALUES rather than Oxigraph's
pre-binding (substitutions): the optimiser plans joins from a VALUES block, while pre-binding made
topics-between take 63 s instead of 0.2 s on 2.5k triples (docs/performance.md).

A string parameter ``name`` also binds ``?name_key`` when the query uses it: the value as
kg.rdf.label_key normalises it, to be matched exactly against the ``dkg:key`` that
kg.rdf writes beside every label of a person, institution or country; that is how "matched on any label"
is an index lookup instead of a scan of every label.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from stat import S_ISREG

import pyoxigraph as ox
from oxrdflib._converter import from_ox
from rdflib import Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node

import kg
import kg.vocab
from kg.files import shown
from kg.guard import QueryRefusedError, check_query
from kg.ordering import OrderBy, order_key, split_order_by
from kg.rdf import label_key
from kg.remote import bind_values

QUERIES_DIR = Path(kg.__file__).resolve().parent.parent / "queries"
PARAM_TYPES = ("iri", "string", "date")
HEADER = re.compile(r"^#\s*(title|description|param|columns):\s*(.*)$")
PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)\s+(?P<need>required|optional)\s*(?:[—-]+\s*(?P<doc>.*))?$"
)


class QueryError(Exception):
    """A saved query is malformed, unknown, or was given bad parameters; or a query failed.
    ``usage``: the request itself is wrong (the CLI exits 2), not the work it asked for (exit 1)."""

    def __init__(self, message: str, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    description: str = ""


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    columns: tuple[str, ...]
    text: str
    params: tuple[Param, ...] = ()
    path: Path | None = None


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[list[str | None]] = field(default_factory=list)


def parse_saved_query(path: Path) -> SavedQuery:
    text = _read_query_text(path)
    meta: dict[str, str] = {}
    params: list[Param] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = HEADER.match(line)
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            pm = PARAM.match(value)
            if not pm or pm["type"] not in PARAM_TYPES:
                raise QueryError(
                    f"{shown(path)}:{number}: bad param line {value!r}; expected "
                    f"'name {'|'.join(PARAM_TYPES)} required|optional — description'"
                )
            params.append(Param(pm["name"], pm["type"], pm["need"] == "required", (pm["doc"] or "").strip()))
        else:
            meta[key] = value
    for key in ("title", "description", "columns"):
        if not meta.get(key):
            raise QueryError(f"{shown(path)}: header has no '# {key}:' line")
    try:
        check_query(text, shown(path))  # before rdflib's parser, which recurses as deep as the text
    except QueryRefusedError as err:
        raise QueryError(str(err), usage=True) from None
    try:
        parseQuery(text)
    except Exception as err:  # the parser raises pyparsing errors of several kinds
        try:
            parseUpdate(text)
        except Exception:
            raise QueryError(f"{shown(path)}: not valid SPARQL ({err})") from err
        raise QueryError(f"{shown(path)}: saved queries may not be SPARQL Update requests") from None
    for param in params:
        if not re.search(rf"\?{param.name}\b", text):
            raise QueryError(f"{shown(path)}: declared parameter {param.name!r} is not used as ?{param.name}")
    columns = tuple(c.strip() for c in meta["columns"].split(","))
    return SavedQuery(path.stem, meta["title"], meta["description"], columns, text, tuple(params), path)


def _read_query_text(path: Path) -> str:
    """A saved query's text: a regular UTF-8 text file of reasonable size (QueryError otherwise)."""
    with path.open("rb") as handle:
        data = handle.read(MAX_QUERY_BYTES + 1)
    if len(data) > MAX_QUERY_BYTES:
        raise QueryError(f"{shown(path)}: larger than {MAX_QUERY_BYTES} bytes; not a saved query")
    if not data.strip():
        raise QueryError(f"{shown(path)}: empty file")
    if b"\x00" in data:
        raise QueryError(f"{shown(path)}: binary file (NUL bytes), not SPARQL text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise QueryError(f"{shown(path)}: not UTF-8 text (invalid byte at offset {err.start})") from None


# A saved query is a page of SPARQL; anything much larger is not one (and is not read whole).
MAX_QUERY_BYTES = 256 * 1024

# Parsed queries by path, with the (mtime_ns, size) they were parsed at: parsing every file with
# rdflib's parser on each run_query call cost more than a lookup query itself.
_PARSED: dict[Path, tuple[tuple[int, int], SavedQuery]] = {}


class Catalogue(dict[str, SavedQuery]):
    """The usable saved queries by name; ``skipped`` says which files were left out and why."""

    def __init__(self) -> None:
        super().__init__()
        self.skipped: dict[str, str] = {}  # file name -> the reason, a message naming the file


def load_queries(directory: Path | None = None) -> Catalogue:
    """Every usable ``*.rq`` file of ``directory``. Only regular files are read (a FIFO would block,
    a folder or an editor's lock symlink is no query); hidden names are left alone. A file that is
    not a valid saved query is skipped with its reason: one bad file never breaks the others."""
    directory = directory or QUERIES_DIR
    if not directory.is_dir():
        raise QueryError(f"{shown(directory)}: no queries folder")
    catalogue = Catalogue()
    for path in sorted(directory.glob("*.rq")):
        if path.name.startswith("."):
            continue
        try:
            stat = path.stat()
        except OSError as err:  # a dangling or looping symlink
            catalogue.skipped[path.name] = f"{shown(path)}: skipped: cannot open ({err.strerror or err})"
            continue
        if not S_ISREG(stat.st_mode):
            catalogue.skipped[path.name] = f"{shown(path)}: skipped: not a regular file"
            continue
        try:
            catalogue[path.stem] = _cached(path, stat)
        except QueryError as err:
            catalogue.skipped[path.name] = f"{err} (skipped)"
        except OSError as err:
            catalogue.skipped[path.name] = f"{shown(path)}: skipped: cannot read ({err.strerror or err})"
        except (RecursionError, MemoryError):
            catalogue.skipped[path.name] = f"{shown(path)}: skipped: nested too deeply to parse"
    return catalogue


def _cached(path: Path, stat: os.stat_result) -> SavedQuery:
    stamp = (stat.st_mtime_ns, stat.st_size)
    hit = _PARSED.get(path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    query = parse_saved_query(path)
    _PARSED[path] = (stamp, query)
    return query


def find_query(queries: dict[str, SavedQuery], name: str) -> SavedQuery:
    """Saved query ``name``, or QueryError: unknown, or its file was skipped (with the reason)."""
    if name in queries:
        return queries[name]
    skipped = getattr(queries, "skipped", {}).get(f"{name}.rq")
    if skipped:
        raise QueryError(f"saved query {name!r} cannot be used: {skipped}")
    raise QueryError(f"no saved query {name!r}; `kg query --list` shows them")


def bind_params(query: SavedQuery, values: dict[str, str]) -> dict[str, Node]:
    """Check and type the parameters: every value becomes one RDF term."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise QueryError(f"query {query.name!r} has no parameter {unknown[0]!r} (parameters: {known})")
    bound: dict[str, Node] = {}
    for name, param in declared.items():
        if name not in values:
            if param.required:
                raise QueryError(f"query {query.name!r} needs --param {name}=... ({param.description})")
            continue
        bound[name] = to_term(param, values[name])
        if param.type == "string" and re.search(rf"\?{name}_key\b", query.text):
            bound[f"{name}_key"] = Literal(label_key(values[name]))
    return bound


def to_term(param: Param, value: str) -> Node:
    if param.type == "iri":
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*", value):
            raise QueryError(f"parameter {param.name}: {value!r} is not an IRI")
        return URIRef(value)
    if param.type == "date":
        try:
            return Literal(date.fromisoformat(value))
        except ValueError as err:
            raise QueryError(f"parameter {param.name}: {value!r} is not a date (yyyy-mm-dd)") from err
    return Literal(value)


def run_query(
    store, name: str, params: dict[str, str] | None = None, queries: dict | None = None
) -> QueryResult:
    """Run saved query ``name`` on a kg.store.Store, with parameters given as strings."""
    query = find_query(queries if queries is not None else load_queries(), name)
    bindings = bind_params(query, params or {})
    return run_sparql(store, query.text, bindings, query.columns)


def run_sparql(store, text: str, bindings: dict[str, Node] | None = None, columns=None) -> QueryResult:
    """Run a SELECT, ASK or CONSTRUCT on the store; SyntaxError says line and column.

    Straight to pyoxigraph, terms read as strings: going through rdflib's result objects cost more
    than a lookup query itself (23 ms on a 300-row answer). A final ORDER BY is applied here
    (kg/ordering.py says why).
    """
    if bindings:
        text = bind_values(text, bindings)
    unordered, order = split_order_by(text)
    result = store.query(unordered)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(["ask"], [[str(bool(result)).lower()]])
    if isinstance(result, ox.QueryTriples):
        triples = sorted((tuple(from_ox(t) for t in triple) for triple in result), key=_n3_key)
        return QueryResult(["subject", "predicate", "object"], [[str(x) for x in t] for t in triples])
    names = [v.value for v in result.variables]
    if order is not None and not all(var in names for var, _ in order.keys):
        # ORDER BY a variable that is not selected: only the engine can sort by it.
        result, order = store.query(text), None
    return ordered_result(names, _read_rows(result, names, order), columns)


def _read_rows(result: ox.QuerySolutions, names: list[str], order: OrderBy | None) -> list[list[str | None]]:
    """The answer's rows as strings (None for unbound), in ``order`` when there is one.

    Each row's terms become strings as the row is read, and are dropped: pyoxigraph's terms are
    objects Python's cyclic collector tracks, and keeping all of them until the end (218k for
    meetings on 1M triples) made it rescan them again and again, 13% of that query's whole time.
    A sorted column keeps one number per row instead, one number per distinct term, whose order
    key is computed once.
    """
    if order is None:
        return [[None if term is None else term.value for term in solution] for solution in result]
    positions = [names.index(var) for var, _ in order.keys]
    order_keys: list[tuple] = []
    numbered = [(position, _Numbered(order_keys), []) for position in positions]
    rows: list[list[str | None]] = []
    for solution in result:
        terms = list(solution)
        rows.append([None if term is None else term.value for term in terms])
        for position, seen, column in numbered:
            column.append(seen[terms[position]])
    # Sorted by the numbers' order keys, column by column; the last field says where the row is.
    keys = [str(index) for index in range(len(positions))]
    by_number = OrderBy(tuple(zip(keys, (descending for _, descending in order.keys), strict=True)))
    numbers = list(zip(*(column for _, _, column in numbered), range(len(rows)), strict=True))
    return [rows[n[-1]] for n in by_number.sort([*keys, "row"], numbers, order_keys.__getitem__)]


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


def _n3_key(triple: tuple) -> tuple:
    return tuple(x.n3() for x in triple)


def ordered_result(names: list[str], rows: list[list], columns=None) -> QueryResult:
    """Declared columns first, in their order, then any others (embedded and remote alike)."""
    if columns:
        missing = [c for c in columns if c not in names]
        if missing:
            raise QueryError(f"query result lacks declared columns {missing}")
        order = list(columns) + [n for n in names if n not in columns]
        if order != names:  # the saved queries select their columns in the declared order already
            positions = [names.index(c) for c in order]
            rows = [[row[i] for i in positions] for row in rows]
            names = order
    return QueryResult(names, rows)


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
    store, text: str, allow_update: bool = False, name: str = "query", allow_service: bool = False
) -> QueryResult:
    """An ad-hoc query from a user: checked by ``check_adhoc`` first; errors name the source."""
    if check_adhoc(text, allow_update, name, allow_service):
        store.update(text)
        return QueryResult(["update"], [["done"]])
    try:
        return run_sparql(store, text)
    except SyntaxError as err:
        raise QueryError(f"{name}: SPARQL syntax {err}", usage=True) from None
    except (OSError, RuntimeError) as err:  # a SERVICE that failed, the store gone
        raise QueryError(f"{name}: the query failed ({err})") from None


# An ad-hoc query that runs longer than this is stopped unless the user gives --timeout.
DEFAULT_TIMEOUT = 60.0


def _run_in_child(
    store_path: str, text: str, allow_update: bool, name: str, allow_service: bool, conn
) -> None:
    from kg.store import Store

    try:
        store = Store(store_path, read_only=not allow_update)
        result = run_adhoc(store, text, allow_update, name, allow_service)
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
        args=(str(store_path), text, allow_update, name, allow_service, child),
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


def format_result(result: QueryResult, fmt: str = "table") -> str:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([["" if v is None else v for v in row] for row in result.rows])
        return buffer.getvalue()
    if fmt == "json":
        return (
            json.dumps(
                [dict(zip(result.columns, row, strict=True)) for row in result.rows],
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    if fmt == "table":
        cells = [result.columns] + [["" if v is None else _short(v) for v in row] for row in result.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(result.columns))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines) + f"\n({len(result.rows)} rows)\n"
    raise QueryError(f"unknown format {fmt!r}; choose table, csv or json")


def _short(value: str) -> str:
    """Tables show minted IRIs by their last segment; CSV and JSON keep them whole."""
    if value.startswith(kg.vocab.BASE):
        return value.rsplit("/", 1)[-1]
    return value
