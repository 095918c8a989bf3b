"""What a SPARQL text may ask for, checked before any parser or engine sees it.

Oxigraph runs whatever it is given: ``SERVICE <http://...>`` makes an outgoing request (and
``SERVICE SILENT`` hides its failure), ``LOAD <url>`` fetches a document, and a query with 3 000
OPTIONALs or 5 000 nested groups ends the process with a segmentation fault (1 000 OPTIONALs take
0.9 GB). rdflib's parser, which tells queries from updates, recurses as deep as the text nests.
So the text is scanned here first, by a small lexer that knows strings, IRIs and comments (a
``SERVICE`` inside a string is no call): too long, too deep or too many pattern operators is a usage
error, and so is SERVICE unless the caller allows it. ``LOAD`` is an update: kg/sparql/local.py
refuses it, as any update, unless updates are allowed, and then it fetches its URL (documented in README).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Far above any saved query (the largest is ~5 kB, nests 13 deep, has 19 OPTIONAL/UNION), far
# below what hurts the engine.
MAX_CHARS = 256 * 1024
MAX_DEPTH = 64
MAX_OPERATORS = 256  # OPTIONAL, UNION, MINUS, SERVICE, EXISTS together

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<word>[?$]?[A-Za-z_][\w.\-]*(?::[\w.\-%]*)?|:[\w.\-%]*)
      | (?P<open>[{(\[])
      | (?P<close>[})\]])
      | (?P<other>\S)""",
    re.VERBOSE | re.DOTALL,
)
_OPERATORS = {"optional", "union", "minus", "service", "exists"}
_OPAQUE = frozenset({"comment", "string", "iri"})


def mask(text: str) -> str:
    """``text`` with comments, IRIs and string literals blanked, every other character at its offset:
    what looks for keywords or braces in a query (kg/sparql/ordering.py, kg/sparql/remote.py) reads this, so a
    word inside a string or a comment is never taken for SPARQL. This module's lexer is kg's one."""
    return _TOKEN.sub(lambda m: " " * len(m.group(0)) if m.lastgroup in _OPAQUE else m.group(0), text)


class QueryRefusedError(ValueError):
    """The text asks for more than allowed; the message says what and how to allow it."""


@dataclass(frozen=True)
class Shape:
    """What the lexer saw: the deepest nesting, pattern operators, and the keywords that reach out."""

    depth: int
    operators: int
    service: bool
    load: bool


def shape(text: str) -> Shape:
    depth = deepest = operators = 0
    service = load = False
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "word":
            word = match.group().lower()
            if word in _OPERATORS:
                operators += 1
                service = service or word == "service"
            load = load or word == "load"
    return Shape(deepest, operators, service, load)


def check_query(text: str, name: str = "query", allow_service: bool = False) -> Shape:
    """Refuse (QueryRefusedError) a text too long, too deep, too busy, or calling SERVICE unless allowed."""
    if len(text) > MAX_CHARS:
        raise QueryRefusedError(f"{name}: {len(text)} characters; a query may have at most {MAX_CHARS}")
    found = shape(text)
    if found.depth > MAX_DEPTH:
        raise QueryRefusedError(
            f"{name}: nested {found.depth} deep; a query may nest at most {MAX_DEPTH} deep"
        )
    if found.operators > MAX_OPERATORS:
        raise QueryRefusedError(
            f"{name}: {found.operators} OPTIONAL/UNION/MINUS/SERVICE/EXISTS; at most {MAX_OPERATORS}"
        )
    if found.service and not allow_service:
        raise QueryRefusedError(
            f"{name}: SERVICE sends part of the query to another server over the network; "
            "pass --allow-service to allow it"
        )
    return found
