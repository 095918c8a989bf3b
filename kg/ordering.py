"""A query's final ``ORDER BY ?a DESC(?b)``, applied to the answer in Python instead of by the engine.

Why: Oxigraph 0.5 compares strings by looking each one up in its dictionary, so sorting is the
slowest part of the whole-graph saved queries (ORDER BY over 36k event IRIs: 2.1 s; the same rows
unsorted: 0.18 s; Python sorts them in 30 ms). Only an ORDER BY that ends the query and lists plain
variables is taken out; anything else (expressions, LIMIT/OFFSET after it) stays with the engine.
The embedded store and remote endpoints both sort here, with SPARQL's order of terms (unbound,
blank nodes, IRIs, then literals; numbers by value), so they give rows in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {
    XSD + name
    for name in (
        "integer", "decimal", "float", "double", "int", "long", "short", "byte",
        "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
        "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
    )
}  # fmt: skip

_KEY = r"(?:(?:ASC|DESC)\s*\(\s*\?\w+\s*\)|\?\w+)"
_FINAL_ORDER_BY = re.compile(rf"\bORDER\s+BY((?:\s*{_KEY})+)\s*$", re.IGNORECASE)
_ONE_KEY = re.compile(r"(ASC|DESC)?\s*\(?\s*\?(\w+)", re.IGNORECASE)
# Comments, IRIs and string literals are blanked before looking for the clause: they may contain
# the words ORDER BY.
_SKIP = re.compile(
    r'#[^\n]*|<[^<>"{}|^`\\\s]*>|"""(?:[^\\]|\\.)*?"""|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
)


@dataclass(frozen=True)
class OrderBy:
    keys: tuple[tuple[str, bool], ...]  # (variable, descending)

    def sort(self, names: Sequence[str], rows: list[list], key_of: Callable[[Any], tuple]) -> list[list]:
        """Rows sorted by the keys; ``key_of`` turns a cell's term into its order key."""
        if not all(var in names for var, _ in self.keys):
            raise ValueError("ORDER BY names a variable the query does not select")
        # Stable sorts from the last key to the first give the multi-key order.
        for var, descending in reversed(self.keys):
            index = names.index(var)
            rows = sorted(rows, key=lambda row, i=index: key_of(row[i]), reverse=descending)
        return rows


def split_order_by(text: str) -> tuple[str, OrderBy | None]:
    """(the query without its final ORDER BY, that ORDER BY) or (text, None) when there is none."""
    masked = _SKIP.sub(lambda m: " " * len(m.group(0)), text)
    match = _FINAL_ORDER_BY.search(masked)
    if match is None:
        return text, None
    keys = tuple((name, (word or "").upper() == "DESC") for word, name in _ONE_KEY.findall(match.group(1)))
    return text[: match.start()] + text[match.end() :], OrderBy(keys)


def order_key(kind: str | None, value: str = "", datatype: str | None = None) -> tuple:
    """SPARQL's order of terms: unbound < blank node < IRI < literal; numeric literals by value."""
    if kind is None:
        return (0, 0, 0.0, "")
    if kind == "bnode":
        return (1, 0, 0.0, value)
    if kind == "uri":
        return (2, 0, 0.0, value)
    if datatype in NUMERIC:
        try:
            return (3, 0, float(value), "")
        except ValueError:
            pass
    return (3, 1, 0.0, value)
