"""HTML input: the article's text without scripts, navigation and other page parts, its title, and
the publication date from <meta> tags or JSON-LD when the page gives one."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from kg.nlp.facts import Article, FileError
from kg.read.encodings import _decode, _replaced_note
from kg.read.jsonl import _iso_date
from kg.read.notes import _UnreadableError
from kg.read.text import _articles, _text_lines, normalise

# ----------------------------------------------------------------------------------------------------
# HTML

# Elements whose text is never article text.
_DROP = {
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "template",
    "svg",
    "iframe",
    "button",
    "select",
    "textarea",
    "object",
    "canvas",
    "dialog",
    "menu",
    "head",
}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "figure",
    "figcaption",
    "address",
    "body",
}
_VOID = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed", "param"}
# <meta> names and properties that carry the publication date, most specific first.
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "publish_date",
    "publish-date",
    "pubdate",
    "dcterms.issued",
    "dc.date.issued",
    "dcterms.date",
    "dc.date",
    "date",
    "parsely-pub-date",
    "sailthru.date",
    "citation_publication_date",
)


class _HTMLText(HTMLParser):
    """Blocks of visible text, with the metadata a news page carries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.buf: list[str] = []
        self.blocks: list[tuple[str, bool, bool]] = []  # text, inside <article>, inside <main>
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self.h1: list[str] = []
        self.h1_done = False
        self.times: list[str] = []
        self.jsonld: list[str] = []
        self.canonical: str | None = None
        self._jsonld_open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key and "content" in values:
                self.meta.setdefault(key, values["content"].strip())
            return
        if tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = values.get("href") or None
        if tag == "time" and values.get("datetime"):
            self.times.append(values["datetime"])
        if tag in _VOID:
            if tag in ("br", "hr"):
                self._flush()
            return
        if tag in _BLOCK:
            self._flush()
        if tag == "script" and values.get("type", "").lower() == "application/ld+json":
            self._jsonld_open = True
            self.jsonld.append("")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack:
            return
        if tag in _BLOCK or tag == "h1":
            self._flush()
        while self.stack:
            popped = self.stack.pop()
            if popped == "h1" and self.h1:
                self.h1_done = True
            if popped == "script":
                self._jsonld_open = False
            if popped == tag:
                break

    def handle_data(self, data: str) -> None:
        if "title" in self.stack and "svg" not in self.stack:
            self.title.append(data)
            return
        if self._jsonld_open:
            self.jsonld[-1] += data
            return
        if "h1" in self.stack and not self.h1_done and not ({"nav", "footer", "aside"} & set(self.stack)):
            self.h1.append(data)
        if any(t in _DROP for t in self.stack):
            return
        self.buf.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self.buf).split())
        self.buf = []
        if text:
            self.blocks.append((text, "article" in self.stack, "main" in self.stack))

    def close(self) -> None:
        super().close()
        self._flush()


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:\-]+)""", re.IGNORECASE)


def _read_html(path: Path, limit: int) -> Iterator[Article | FileError]:
    data = path.read_bytes()
    declared = _CHARSET.search(data[:4096])
    text, replaced = _decode(data, declared.group(1).decode("ascii", "ignore") if declared else None)
    del data
    if replaced:
        yield _replaced_note(path, replaced)
    parser = _HTMLText()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError) as err:  # html.parser gives up only on pathological markup
        raise _UnreadableError(f"HTML that cannot be parsed ({err})") from err
    blocks = [b for b in parser.blocks if b[1]] or [b for b in parser.blocks if b[2]] or parser.blocks
    paragraphs = [b[0] for b in blocks]
    ld = _json_ld(parser.jsonld)
    h1 = " ".join("".join(parser.h1).split()) or None
    title = (
        h1
        or parser.meta.get("og:title")
        or ld.get("headline")
        or " ".join("".join(parser.title).split())
        or None
    )
    if h1 and (not paragraphs or paragraphs[0] != h1):
        paragraphs.insert(0, h1)  # the headline is text too, as in a .txt file
    published = next((d for k in _DATE_META if (d := _iso_date(parser.meta.get(k))) is not None), None)
    published = published or _iso_date(ld.get("datePublished"))
    published = published or next((d for t in parser.times if (d := _iso_date(t)) is not None), None)
    url = parser.meta.get("og:url") or parser.canonical or None
    lines = _text_lines("\n\n".join(paragraphs), limit)
    yield from _articles(
        path,
        path.stem,
        lines,
        limit,
        furniture=True,
        published=published,
        title=normalise(title) if title else None,
        url=url,
    )


def _json_ld(scripts: list[str]) -> dict[str, str]:
    """headline and datePublished from JSON-LD blocks, wherever they sit (@graph, lists)."""
    found: dict[str, str] = {}

    def visit(node: object) -> None:
        if isinstance(node, dict):
            for key in ("headline", "datePublished"):
                if isinstance(node.get(key), str) and key not in found:
                    found[key] = node[key]
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for script in scripts:
        try:
            visit(json.loads(script))
        except (json.JSONDecodeError, RecursionError):
            continue
    return found
