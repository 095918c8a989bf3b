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

import difflib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node

import kg
import kg.vocab
from kg.ordering import OrderBy, order_key, split_order_by
from kg.rdf import label_key
from kg.remote import bind_values
from kg.results import QueryResult, ask_result, format_result, graph_result, term_kind

__all__ = [
    "QueryError",
    "QueryResult",
    "SavedQuery",
    "format_result",
    "load_queries",
    "run_query",
    "run_sparql",
]

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


class MissingParameterError(QueryError):
    """A required parameter was not given (``name`` says which)."""

    def __init__(self, query: str, name: str, description: str) -> None:
        super().__init__(f"query {query!r} needs parameter {name!r} ({description})")
        self.name = name


class NameNotFoundError(QueryError):
    """A name parameter matches no entity of the kind the query asks for; the message lists the
    closest labels in the graph."""


def bind_params(query: SavedQuery, values: dict[str, str]) -> dict[str, Node]:
    """Check and type the parameters: every value becomes one RDF term.

    A string parameter ``name`` whose query uses ``?name_key`` also binds the key; when the query
    computes ``?name`` itself (``... AS ?name``: the matched entity's canonical label, so that rows
    say who matched a short name), only the key is bound.
    """
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise QueryError(f"query {query.name!r} has no parameter {unknown[0]!r} (parameters: {known})")
    bound: dict[str, Node] = {}
    for name, param in declared.items():
        if name not in values:
            if param.required:
                raise MissingParameterError(query.name, name, param.description)
            continue
        keyed = param.type == "string" and uses_key(query, name)
        if not (keyed and re.search(rf"\bAS\s+\?{name}\b", query.text, re.IGNORECASE)):
            bound[name] = to_term(param, values[name])
        if keyed:
            bound[f"{name}_key"] = Literal(label_key(values[name]))
    return bound


def uses_key(query: SavedQuery, name: str) -> bool:
    """True when parameter ``name`` is matched by the dkg:key of an entity's labels."""
    return re.search(rf"\?{name}_key\b", query.text) is not None


# The kind of entity a name parameter stands for, by the parameter's name (person, country_a, ...);
# any other keyed parameter (entity) may name a person, an institution or a country.
_NAME_KINDS = {"person": ("Person",), "country": ("Country",)}
_ANY_KEYED = ("Person", "Institution", "Country")


def _lookup(classes: list[URIRef]) -> str:
    """Entities of ``classes`` in graph/canonical by dkg:key, with their canonical label; ``?key``
    is bound as a parameter (VALUES), or left free to list every key."""
    from kg.vocab import CANONICAL_GRAPH, DKG, RDFS, SKOS

    return f"""SELECT ?key ?entity (MIN(STR(COALESCE(?pref, ?plain))) AS ?label) WHERE {{
  GRAPH {CANONICAL_GRAPH.n3()} {{
    ?entity {DKG.key.n3()} ?key ; a ?class .
    VALUES ?class {{ {" ".join(c.n3() for c in classes)} }}
    OPTIONAL {{ ?entity {SKOS.prefLabel.n3()} ?pref }}
    OPTIONAL {{ ?entity {RDFS.label.n3()} ?plain }}
  }}
}}
GROUP BY ?key ?entity"""


def check_names(run, query: SavedQuery, values: dict[str, str]) -> list[str]:
    """Look up each name parameter before the query runs: a name that matches nothing raises
    NameNotFoundError with the closest labels (did you mean); a name that matches several entities
    gives a note naming them. ``run(text, bindings)`` answers a SELECT (embedded store or server).
    """
    notes = []
    for param in query.params:
        if param.name not in values or param.type != "string" or not uses_key(query, param.name):
            continue
        kinds = next((k for prefix, k in _NAME_KINDS.items() if param.name.startswith(prefix)), _ANY_KEYED)
        text = _lookup([URIRef(kg.vocab.DKG[k]) for k in kinds])
        key = label_key(values[param.name])
        found = run(text, {"key": Literal(key)})
        labels = sorted({row[2] or row[1] for row in found.rows})
        what = " or ".join(k.lower() for k in kinds)
        if not labels:
            raise NameNotFoundError(_not_found(run, text, values[param.name], key, what))
        if len({row[1] for row in found.rows}) > 1:
            notes.append(
                f"{param.name} {values[param.name]!r} matches {len(found.rows)} entities: "
                + "; ".join(labels)
            )
    return notes


def _not_found(run, text: str, value: str, key: str, what: str) -> str:
    every = run(text, {})
    by_key: dict[str, set[str]] = {}
    for row in every.rows:
        by_key.setdefault(row[0], set()).add(row[2] or row[1])
    close = difflib.get_close_matches(key, list(by_key), n=5, cutoff=0.6)
    # A surname alone, or a first name: the labels that contain the word as a word.
    if not close:
        close = sorted(k for k in by_key if key in k.split())[:5]
    labels = sorted({label for k in close for label in by_key[k]})
    hint = f"; did you mean {' or '.join(repr(x) for x in labels)}?" if labels else ""
    return f"no {what} named {value!r} in the graph{hint}"


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
    store, name: str, params: dict[str, str] | None = None, queries: dict | None = None, typed: bool = False
) -> QueryResult:
    """Run saved query ``name`` on a kg.store.Store, with parameters given as strings; ``typed``
    also keeps each cell's term kind (for the typed formats: kg.results.TYPED_FORMATS)."""
    queries = queries if queries is not None else load_queries()
    query = saved_query(queries, name)
    bindings = bind_params(query, params or {})
    return run_sparql(store, query.text, bindings, query.columns, typed)


def run_sparql(
    store, text: str, bindings: dict[str, Node] | None = None, columns=None, typed: bool = False
) -> QueryResult:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE on the store; SyntaxError says line and column.

    Straight to pyoxigraph, terms read as strings: going through rdflib's result objects cost more
    than a lookup query itself (23 ms on a 300-row answer). A final ORDER BY is applied here
    (kg/ordering.py says why). ``typed`` keeps each cell's term kind too, only when asked: it costs
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


def saved_query(queries: dict[str, SavedQuery], name: str) -> SavedQuery:
    """The saved query ``name``; an unknown name is answered with the closest ones."""
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    raise QueryError(f"no saved query {name!r}; {hint}the saved queries are {', '.join(queries)}")


def _read_rows(
    result: ox.QuerySolutions, names: list[str], order: OrderBy | None, typed: bool = False
) -> tuple[list[list[str | None]], list[list] | None]:
    """The answer's rows as strings (None for unbound), in ``order`` when there is one, and with
    ``typed`` each cell's term kind (kg.results: a shared tuple, not the term).

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


def ordered_result(
    names: list[str], rows: list[list], columns=None, kinds: list[list] | None = None
) -> QueryResult:
    """Declared columns first, in their order, then any others (embedded and remote alike)."""
    if columns:
        missing = [c for c in columns if c not in names]
        if missing:
            raise QueryError(f"query result lacks declared columns {missing}")
        order = list(columns) + [n for n in names if n not in columns]
        if order != names:  # the saved queries select their columns in the declared order already
            positions = [names.index(c) for c in order]
            rows = [[row[i] for i in positions] for row in rows]
            if kinds is not None:
                kinds = [[row[i] for i in positions] for row in kinds]
            names = order
    return QueryResult(names, rows, kinds)


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


def run_adhoc(
    store, text: str, allow_update: bool = False, name: str = "query", typed: bool = False
) -> QueryResult:
    """An ad-hoc query from a user: updates are refused unless allowed; errors name the source."""
    if is_update(text):
        if not allow_update:
            raise QueryError(f"{name}: this is a SPARQL Update; it changes the store, so pass --allow-update")
        store.update(text)
        return QueryResult(["update"], [["done"]])
    try:
        return run_sparql(store, text, typed=typed)
    except SyntaxError as err:
        raise QueryError(f"{name}: SPARQL syntax {err}") from None


def _run_in_child(store_path: str, text: str, allow_update: bool, name: str, typed: bool, conn) -> None:
    from kg.store import Store

    try:
        store = Store(store_path, read_only=not allow_update)
        result = run_adhoc(store, text, allow_update, name, typed)
        conn.send(("ok", result))
    except Exception as err:  # everything goes back to the parent, which reports it
        conn.send(("error", f"{type(err).__name__}: {err}" if not isinstance(err, QueryError) else str(err)))


def run_adhoc_with_timeout(
    store_path, text: str, timeout: float, allow_update: bool = False, name="query", typed: bool = False
):
    """Run in a separate process that is killed when ``timeout`` seconds pass: a runaway query stops.

    Oxigraph offers no cancellation; a process is the one thing that can always be stopped.
    """
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_run_in_child, args=(str(store_path), text, allow_update, name, typed, child), daemon=True
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
