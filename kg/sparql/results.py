"""Query results and the formats every command prints them in.

Tabular answers (a SELECT, an ASK, `kg stats`, `kg link`'s decisions) are a ``QueryResult``:
columns, rows of lexical values, and, when the caller asked for them, each cell's RDF term kind
(IRI, blank node, literal with its datatype or language). They print as

- ``table``: aligned, one line a row (line breaks inside a value become spaces), minted IRIs shortened;
- ``csv``: SPARQL 1.1 Query Results CSV (lexical values, a header of variable names);
- ``tsv``: SPARQL 1.1 Query Results TSV (``?var`` header, each term in Turtle syntax);
- ``json``: an array of objects whose values are typed: numbers, booleans, null, strings;
- ``srj`` / ``srx``: SPARQL 1.1 Query Results JSON / XML, read by every SPARQL client.

A graph answer (CONSTRUCT, DESCRIBE) is RDF: ``QueryResult.triples``, written in any of the export
syntaxes (``RDF_FORMATS``); as a table it shows one triple a row.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.vocab import BASE, RDF, XSD

TABULAR_FORMATS = ("table", "csv", "tsv", "json", "srj", "srx")
# Formats that need each cell's term kind (the rest print lexical values only).
TYPED_FORMATS = frozenset({"tsv", "json", "srj", "srx"})
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}

# A cell's term kind: ("uri",), ("bnode",) or ("literal", datatype IRI, language or None); None
# for an unbound cell. One tuple per distinct kind, shared by every cell of that kind.
Kind = tuple
URI: Kind = ("uri",)
BNODE: Kind = ("bnode",)
LANG_STRING = str(RDF.langString)
STRING = str(XSD.string)
_INTEGERS = {
    str(XSD[name])
    for name in (
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
        "unsignedShort",
        "unsignedByte",
    )
}
_FLOATS = {str(XSD.decimal), str(XSD.double), str(XSD.float)}
_BOOLEAN = str(XSD.boolean)
_LITERALS: dict[tuple[str, str | None], Kind] = {}


class FormatError(ValueError):
    """A format a result cannot be written in (an RDF syntax for a table, a table format unknown)."""


def literal_kind(datatype: str | None, language: str | None = None) -> Kind:
    """The shared kind of a literal; a plain literal is an xsd:string, as in RDF 1.1."""
    key = (LANG_STRING if language else (datatype or STRING), language or None)
    found = _LITERALS.get(key)
    if found is None:
        found = _LITERALS[key] = ("literal", *key)
    return found


def term_kind(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Kind | None:
    """A pyoxigraph term's kind."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URI
    if isinstance(term, ox.BlankNode):
        return BNODE
    return literal_kind(term.datatype.value, term.language)


def binding_kind(binding: dict | None) -> Kind | None:
    """A SPARQL JSON results binding's kind (``typed-literal`` is the older spelling of a literal)."""
    if binding is None:
        return None
    kind = binding["type"]
    if kind == "uri":
        return URI
    if kind == "bnode":
        return BNODE
    return literal_kind(binding.get("datatype"), binding.get("xml:lang"))


@dataclass
class QueryResult:
    """``rows`` hold lexical values (None: unbound); ``kinds``, when given, each cell's term kind;
    ``boolean`` is an ASK's answer; ``triples`` a CONSTRUCT's or DESCRIBE's graph."""

    columns: list[str]
    rows: list[list[str | None]] = field(default_factory=list)
    kinds: list[list[Kind | None]] | None = None
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None

    def kind(self, row: int, column: int) -> Kind | None:
        if self.rows[row][column] is None:
            return None
        if self.kinds is None:  # not asked for: every value reads as a string literal
            return literal_kind(STRING)
        return self.kinds[row][column]


def from_records(records: list[dict[str, object]], columns: list[str] | None = None) -> QueryResult:
    """Python rows (a command's own answer: stats, link decisions) as a typed QueryResult: ints are
    xsd:integer, floats and Decimals xsd:decimal, bools xsd:boolean, IRIs (URIRef) IRIs, the rest strings."""
    from decimal import Decimal

    from rdflib import URIRef

    columns = columns or (list(records[0]) if records else [])
    rows: list[list[str | None]] = []
    kinds: list[list[Kind | None]] = []
    for record in records:
        row, row_kinds = [], []
        for column in columns:
            value = record.get(column)
            if value is None:
                row.append(None)
                row_kinds.append(None)
                continue
            if isinstance(value, bool):
                kind, text = literal_kind(_BOOLEAN), str(value).lower()
            elif isinstance(value, int):
                kind, text = literal_kind(str(XSD.integer)), str(value)
            elif isinstance(value, (float, Decimal)):
                kind, text = literal_kind(str(XSD.decimal)), str(value)
            elif isinstance(value, URIRef):
                kind, text = URI, str(value)
            else:
                kind, text = literal_kind(STRING), str(value)
            row.append(text)
            row_kinds.append(kind)
        rows.append(row)
        kinds.append(row_kinds)
    return QueryResult(columns, rows, kinds)


def graph_result(triples: list[ox.Triple]) -> QueryResult:
    """A CONSTRUCT's or DESCRIBE's triples, sorted so output is stable, with a table view."""
    triples = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    rows = [[t.subject.value, t.predicate.value, t.object.value] for t in triples]
    kinds = [[term_kind(t.subject), URI, term_kind(t.object)] for t in triples]
    return QueryResult(["subject", "predicate", "object"], rows, kinds, triples=triples)


def ask_result(answer: bool) -> QueryResult:
    return QueryResult(["ask"], [[str(answer).lower()]], [[literal_kind(_BOOLEAN)]], boolean=answer)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """The result in ``fmt`` (TABULAR_FORMATS, or an RDF syntax for a graph answer)."""
    if fmt in RDF_FORMATS:
        if result.triples is None:
            raise FormatError(f"{fmt} is an RDF syntax, for CONSTRUCT and DESCRIBE answers; this is a table")
        from kg.graph.store import PREFIXES

        prefixes = PREFIXES if fmt in {"turtle", "trig", "xml"} else None
        return ox.serialize(result.triples, format=RDF_FORMATS[fmt], prefixes=prefixes).decode("utf-8")
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise FormatError(f"unknown format {fmt!r}; choose {', '.join(TABULAR_FORMATS)} or an RDF syntax")
    return writer(result)


def _csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([["" if v is None else v for v in row] for row in result.rows])
    return buffer.getvalue()


def _tsv(result: QueryResult) -> str:
    lines = ["\t".join(f"?{c}" for c in result.columns)]
    for r, row in enumerate(result.rows):
        lines.append("\t".join(_turtle_term(v, result.kind(r, c)) for c, v in enumerate(row)))
    return "\n".join(lines) + "\n"


def _turtle_term(value: str | None, kind: Kind | None) -> str:
    """A term as SPARQL TSV writes it: <iri>, _:b, or a literal in Turtle's escaped form."""
    if value is None or kind is None:
        return ""
    if kind is URI:
        return f"<{value}>"
    if kind is BNODE:
        return f"_:{value}"
    text = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    _, datatype, language = kind
    if language:
        return f'"{text}"@{language}'
    if datatype == STRING:
        return f'"{text}"'
    return f'"{text}"^^<{datatype}>'


def typed_value(value: str | None, kind: Kind | None) -> object:
    """A cell as a JSON value: numbers and booleans as such, everything else its lexical form."""
    if value is None or kind is None or kind[0] != "literal":
        return value
    datatype = kind[1]
    try:
        if datatype in _INTEGERS:
            return int(value)
        if datatype in _FLOATS:
            number = float(value)
            return number if number == number and abs(number) != float("inf") else value
    except ValueError:
        return value  # an ill-typed literal keeps its text
    if datatype == _BOOLEAN and value in ("true", "false", "1", "0"):
        return value in ("true", "1")
    return value


def _json(result: QueryResult) -> str:
    objects = [
        {
            c: typed_value(v, result.kind(r, i))
            for i, (c, v) in enumerate(zip(result.columns, row, strict=True))
        }
        for r, row in enumerate(result.rows)
    ]
    return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"


def _binding(value: str, kind: Kind) -> dict:
    if kind is URI:
        return {"type": "uri", "value": value}
    if kind is BNODE:
        return {"type": "bnode", "value": value}
    _, datatype, language = kind
    if language:
        return {"type": "literal", "value": value, "xml:lang": language}
    if datatype == STRING:
        return {"type": "literal", "value": value}
    return {"type": "literal", "value": value, "datatype": datatype}


def _srj(result: QueryResult) -> str:
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2) + "\n"
    bindings = [
        {
            c: _binding(v, result.kind(r, i))
            for i, (c, v) in enumerate(zip(result.columns, row, strict=True))
            if v is not None
        }
        for r, row in enumerate(result.rows)
    ]
    document = {"head": {"vars": result.columns}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _srx(result: QueryResult) -> str:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
    if result.boolean is not None:
        out += ["  </head>", f"  <boolean>{str(result.boolean).lower()}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out += [f"    <variable name={quoteattr(c)}/>" for c in result.columns]
    out += ["  </head>", "  <results>"]
    for r, row in enumerate(result.rows):
        out.append("    <result>")
        for i, (column, value) in enumerate(zip(result.columns, row, strict=True)):
            if value is None:
                continue
            kind = result.kind(r, i)
            if kind is URI:
                term = f"<uri>{escape(value)}</uri>"
            elif kind is BNODE:
                term = f"<bnode>{escape(value)}</bnode>"
            elif kind[2]:
                term = f"<literal xml:lang={quoteattr(kind[2])}>{escape(value)}</literal>"
            elif kind[1] == STRING:
                term = f"<literal>{escape(value)}</literal>"
            else:
                term = f"<literal datatype={quoteattr(kind[1])}>{escape(value)}</literal>"
            out.append(f"      <binding name={quoteattr(column)}>{term}</binding>")
        out.append("    </result>")
    out += ["  </results>", "</sparql>"]
    return "\n".join(out) + "\n"


# Any run of whitespace that holds a line break (or a tab, which would break the alignment).
_BREAKS = re.compile(r"\s*[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]\s*")


def _table(result: QueryResult) -> str:
    cells = [result.columns] + [
        ["" if v is None else _one_line(_short(v)) for v in row] for row in result.rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(result.columns))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n({len(result.rows)} rows)\n"


def _one_line(value: str) -> str:
    """A table row is one line: a sentence's line breaks print as spaces (CSV and JSON keep them)."""
    return _BREAKS.sub(" ", value) if _BREAKS.search(value) else value


def _short(value: str) -> str:
    """Tables show minted IRIs by their last segment; the other formats keep them whole."""
    if value.startswith(BASE):
        return value.rsplit("/", 1)[-1]
    return value


_WRITERS = {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json, "srj": _srj, "srx": _srx}
