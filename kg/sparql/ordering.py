"""A query's final ``ORDER BY ?a DESC(?b)``, applied to the answer in Python instead of by the engine.

Why: Oxigraph 0.5 compares strings by looking each one up in its dictionary, so sorting is the
slowest part of the whole-graph saved queries, and Python sorts the same rows far faster (figures in
docs/performance.md, "ORDER BY after the engine"). Only an ORDER BY that ends the query and lists plain
variables is taken out; anything else (expressions, LIMIT/OFFSET after it) stays with the engine.
The embedded store and remote endpoints both sort here, with SPARQL's order of terms (unbound,
blank nodes, IRIs, then literals; numbers by value), so they give rows in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kg.sparql.guard import mask

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


@dataclass(frozen=True)
class OrderBy:
    keys: tuple[tuple[str, bool], ...]  # (variable, descending)

    def sort(self, names: Sequence[str], rows: list[list], key_of: Callable[[Any], tuple]) -> list[list]:
        """Rows sorted by the keys; ``key_of`` turns a cell's term into its order key.

        ``key_of`` is the costly part, so it runs once per distinct term of a sorted column; each
        key is then replaced by its rank among the column's distinct keys, the ranks of all keys
        (reversed for DESC) make one integer per row, and one stable sort of those integers gives
        the whole ORDER BY, cheaper than one sort per key on nested tuples (docs/performance.md).
        """
        if not all(var in names for var, _ in self.keys):
            raise ValueError("ORDER BY names a variable the query does not select")
        combined = [0] * len(rows)
        for var, descending in self.keys:
            index = names.index(var)
            keys = _keys([row[index] for row in rows], key_of)
            distinct = sorted(set(keys))
            if descending:
                distinct.reverse()
            rank = {key: position for position, key in enumerate(distinct)}
            width = len(distinct)
            combined = [value * width + rank[key] for value, key in zip(combined, keys, strict=True)]
        order = sorted(range(len(rows)), key=combined.__getitem__)  # stable: ties keep their order
        return [rows[i] for i in order]


def _keys(cells: list, key_of: Callable[[Any], tuple]) -> list[tuple]:
    """The order key of every cell, computed once per distinct term: a column repeats its values
    (dates, names, sources), and a dictionary lookup costs a fraction of ``key_of``."""
    try:
        known: dict = {}
        keys = []
        for cell in cells:
            key = known.get(cell)
            if key is None:
                key = known[cell] = key_of(cell)
            keys.append(key)
        return keys
    except TypeError:  # unhashable cells: a remote endpoint's JSON bindings are dicts
        return [key_of(cell) for cell in cells]


def split_order_by(text: str) -> tuple[str, OrderBy | None]:
    """(the query without its final ORDER BY, that ORDER BY) or (text, None) when there is none."""
    masked = mask(text)  # comments, IRIs and strings may contain the words ORDER BY
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
