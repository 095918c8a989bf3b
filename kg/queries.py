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
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox
from oxrdflib._converter import from_ox
from rdflib import Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node

import kg
import kg.vocab
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
    """A saved query is malformed, unknown, or was given bad parameters."""


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
    text = path.read_text(encoding="utf-8")
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
                    f"{path}:{number}: bad param line {value!r}; expected "
                    f"'name {'|'.join(PARAM_TYPES)} required|optional — description'"
                )
            params.append(Param(pm["name"], pm["type"], pm["need"] == "required", (pm["doc"] or "").strip()))
        else:
            meta[key] = value
    for key in ("title", "description", "columns"):
        if not meta.get(key):
            raise QueryError(f"{path}: header has no '# {key}:' line")
    try:
        parseQuery(text)
    except Exception as err:  # the parser raises pyparsing errors of several kinds
        try:
            parseUpdate(text)
        except Exception:
            raise QueryError(f"{path}: not valid SPARQL ({err})") from err
        raise QueryError(f"{path}: saved queries may not be SPARQL Update requests") from None
    for param in params:
        if not re.search(rf"\?{param.name}\b", text):
            raise QueryError(f"{path}: declared parameter {param.name!r} is not used as ?{param.name}")
    columns = tuple(c.strip() for c in meta["columns"].split(","))
    return SavedQuery(path.stem, meta["title"], meta["description"], columns, text, tuple(params), path)


# Parsed queries by path, with the (mtime_ns, size) they were parsed at: parsing every file with
# rdflib's parser on each run_query call cost more than a lookup query itself.
_PARSED: dict[Path, tuple[tuple[int, int], SavedQuery]] = {}


def load_queries(directory: Path = QUERIES_DIR) -> dict[str, SavedQuery]:
    if not directory.is_dir():
        raise QueryError(f"{directory}: no queries folder")
    return {p.stem: _cached(p) for p in sorted(directory.glob("*.rq"))}


def _cached(path: Path) -> SavedQuery:
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    hit = _PARSED.get(path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    query = parse_saved_query(path)
    _PARSED[path] = (stamp, query)
    return query


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
    store,
    name: str,
    params: dict[str, str] | None = None,
    queries: dict | None = None,
    typed: bool = False,
) -> QueryResult:
    """Run saved query ``name`` on a kg.store.Store, with parameters given as strings.

    ``typed``: numeric and boolean literals come back as Python numbers and booleans (the JSON
    API of kg serve), not as their lexical form."""
    queries = queries if queries is not None else load_queries()
    if name not in queries:
        raise QueryError(f"no saved query {name!r}; `kg query --list` shows them")
    query = queries[name]
    bindings = bind_params(query, params or {})
    return run_sparql(store, query.text, bindings, query.columns, typed=typed)


def run_sparql(
    store, text: str, bindings: dict[str, Node] | None = None, columns=None, typed: bool = False
) -> QueryResult:
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
    return ordered_result(
        names, _read_rows(result, names, order, typed_value if typed else _lexical), columns
    )


def _lexical(term) -> str:
    return term.value


# Literal datatypes read as Python values by ``typed_value``.
_NUMBERS = {
    f"http://www.w3.org/2001/XMLSchema#{name}": kind
    for kind, names in (
        (
            int,
            (
                "integer",
                "int",
                "long",
                "short",
                "byte",
                "nonNegativeInteger",
                "positiveInteger",
                "negativeInteger",
                "nonPositiveInteger",
                "unsignedInt",
                "unsignedLong",
            ),
        ),
        (float, ("decimal", "double", "float")),
    )
    for name in names
}
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def typed_value(term) -> str | int | float | bool:
    """A term as a JSON value: numbers and booleans as such, anything else by its lexical form."""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        kind = _NUMBERS.get(datatype)
        try:
            if kind is not None:
                return kind(term.value)
            if datatype == _BOOLEAN:
                return term.value in ("true", "1")
        except ValueError:  # an ill-typed literal keeps its text
            pass
    return term.value


def _read_rows(
    result: ox.QuerySolutions, names: list[str], order: OrderBy | None, value=_lexical
) -> list[list]:
    """The answer's rows as strings (None for unbound), in ``order`` when there is one.

    Each row's terms become strings as the row is read, and are dropped: pyoxigraph's terms are
    objects Python's cyclic collector tracks, and keeping all of them until the end (218k for
    meetings on 1M triples) made it rescan them again and again, 13% of that query's whole time.
    A sorted column keeps one number per row instead, one number per distinct term, whose order
    key is computed once.
    """
    if order is None:
        return [[None if term is None else value(term) for term in solution] for solution in result]
    positions = [names.index(var) for var, _ in order.keys]
    order_keys: list[tuple] = []
    numbered = [(position, _Numbered(order_keys), []) for position in positions]
    rows: list[list[str | None]] = []
    for solution in result:
        terms = list(solution)
        rows.append([None if term is None else value(term) for term in terms])
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


def run_adhoc(store, text: str, allow_update: bool = False, name: str = "query") -> QueryResult:
    """An ad-hoc query from a user: updates are refused unless allowed; errors name the source."""
    if is_update(text):
        if not allow_update:
            raise QueryError(f"{name}: this is a SPARQL Update; it changes the store, so pass --allow-update")
        store.update(text)
        return QueryResult(["update"], [["done"]])
    try:
        return run_sparql(store, text)
    except SyntaxError as err:
        raise QueryError(f"{name}: SPARQL syntax {err}") from None


def _run_in_child(store_path: str, text: str, allow_update: bool, name: str, conn) -> None:
    from kg.store import Store

    try:
        store = Store(store_path, read_only=not allow_update)
        result = run_adhoc(store, text, allow_update, name)
        conn.send(("ok", result))
    except Exception as err:  # everything goes back to the parent, which reports it
        conn.send(("error", f"{type(err).__name__}: {err}" if not isinstance(err, QueryError) else str(err)))


def run_adhoc_with_timeout(store_path, text: str, timeout: float, allow_update: bool = False, name="query"):
    """Run in a separate process that is killed when ``timeout`` seconds pass: a runaway query stops.

    Oxigraph offers no cancellation; a process is the one thing that can always be stopped.
    """
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_run_in_child, args=(str(store_path), text, allow_update, name, child), daemon=True
    )
    proc.start()
    try:
        if not parent.poll(timeout):
            raise QueryError(f"{name}: stopped after the {timeout:g} s timeout")
        status, payload = parent.recv()
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
    if status == "error":
        raise QueryError(payload)
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
