"""The saved queries' catalogue and the query text: load queries/*.rq with their header metadata, check
names, bind parameters, put the declared columns first. The embedded store (kg/sparql/local.py) and
remote servers (kg/sparql/remote.py) both run what this module prepares; neither imports the other.

A saved query's header comment is its catalogue entry::

    # title: Who met a person
    # description: Every event a person took part in, with the others who were there.
    # param: person string required — matched on any of the person's labels
    # columns: person,other,date,event,source

Parameters are SPARQL variables of the same name. They are bound as RDF terms in VALUES blocks
(``bind_values`` below: each term written by rdflib's ``n3()``), never pasted into the query text, so
a value such as ``"} ; DROP ALL ; {"`` is only ever a string literal. VALUES rather than Oxigraph's
pre-binding (substitutions): the optimiser plans joins from a VALUES block, while pre-binding made
topics-between take 63 s instead of 0.2 s on 2.5k triples (docs/performance.md).

A string parameter ``name`` also binds ``?name_key`` when the query uses it: the value as
kg.common.names.label_key normalises it, to be matched exactly against the ``dkg:key`` that
kg.graph.rdf writes beside every label of a person, institution or country; that is how "matched on any label"
is an index lookup instead of a scan of every label.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from stat import S_ISREG

from rdflib import Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node

import kg
import kg.vocab
from kg.common.files import shown
from kg.common.names import label_key
from kg.shipped import queries_dir
from kg.sparql.guard import QueryRefusedError, check_query, mask
from kg.sparql.results import QueryResult

__all__ = [
    "Catalogue",
    "QueryError",
    "SavedQuery",
    "bind_params",
    "bind_values",
    "find_query",
    "load_queries",
    "ordered_result",
]

QUERIES_DIR = queries_dir()
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


class MissingParameterError(QueryError):
    """A required parameter was not given (``name`` says which)."""

    def __init__(self, query: str, name: str, description: str) -> None:
        super().__init__(f"query {query!r} needs parameter {name!r} ({description})", usage=True)
        self.name = name


class NameNotFoundError(QueryError):
    """A name parameter matches no entity of the kind the query asks for; the message lists the
    closest labels in the graph."""


def find_query(queries: dict[str, SavedQuery], name: str) -> SavedQuery:
    """Saved query ``name``, or QueryError: unknown (with the closest names), or its file was
    skipped (with the reason)."""
    if name in queries:
        return queries[name]
    skipped = getattr(queries, "skipped", {}).get(f"{name}.rq")
    if skipped:
        raise QueryError(f"saved query {name!r} cannot be used: {skipped}")
    close = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    raise QueryError(f"no saved query {name!r}; {hint}the saved queries are {', '.join(queries)}", usage=True)


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


_WORD = re.compile(r"(?<![?$:\w])(WHERE|SELECT|ASK)\b", re.IGNORECASE)


def bind_values(text: str, bindings: dict) -> str:
    """``text`` with ``VALUES (?a ?b) { (t1 t2) }`` at the start of each SELECT/ASK/WHERE group.

    Each term is written by rdflib's ``n3()`` (escaped literals, checked IRIs), so a value can never
    change the query's structure.
    """
    if not bindings:
        return text
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    block = f" VALUES ({names}) {{ ({values}) }} "
    masked = mask(text)  # comments, IRIs and strings may contain braces or the word WHERE
    positions = set()
    for match in _WORD.finditer(masked):
        brace = masked.find("{", match.end())
        if brace != -1:
            positions.add(brace + 1)
    if not positions:
        raise ValueError("no WHERE group to bind parameters in")
    out, last = [], 0
    for position in sorted(positions):
        out += [text[last:position], block]
        last = position
    out.append(text[last:])
    return "".join(out)
