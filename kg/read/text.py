"""Text to Articles: the content id, normalisation, lines cut into parts no longer than spaCy can
take, page furniture stripped, one Article per part; and the plain-text (.txt) reader."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from kg.common.names import content_hash
from kg.nlp.facts import Article, FileError
from kg.read.encodings import _replaced_note, _sniff
from kg.read.furniture import Cleaned, strip_furniture
from kg.read.notes import ReadNote


def content_id(text: str) -> str:
    """The article id: first 16 hex digits of the sha256 of the normalised text."""
    return content_hash(text)


def normalise(text: str) -> str:
    """NFC, ``\\n`` newlines, no trailing spaces, single blank lines, no blank lines at either end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _join(_clean_lines(text.split("\n")))


# ----------------------------------------------------------------------------------------------------
# Lines and parts


def _cut_point(line: str, cap: int) -> int:
    """Where to cut an over-long line: after the last sentence end or space in its second half."""
    window = line[:cap]
    for sep in (". ", " "):
        at = window.rfind(sep)
        if at >= cap // 2:
            return at + len(sep)
    return cap


def _file_lines(f, cap: int) -> Iterator[str]:
    """Lines of an open text file, none longer than ``cap``: bounded memory even without newlines."""
    carry = ""
    while True:
        room = cap - len(carry)
        chunk = f.readline(room)
        line = carry + chunk
        carry = ""
        if line.endswith("\n"):
            yield line[:-1]
        elif len(chunk) < room:  # end of file
            if line:
                yield line
            return
        else:
            cut = _cut_point(line, cap)
            yield line[:cut]
            carry = line[cut:].lstrip(" ")


def _text_lines(text: str, cap: int) -> Iterator[str]:
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        while len(line) > cap:
            cut = _cut_point(line, cap)
            yield line[:cut]
            line = line[cut:].lstrip(" ")
        yield line


def _clean_lines(lines: Iterable[str]) -> Iterator[str]:
    """Each line in NFC with no carriage return and no trailing space: one rule for whole texts
    (``normalise``) and for files read a line at a time."""
    for line in lines:
        yield unicodedata.normalize("NFC", line.replace("\r", "")).rstrip()


def _parts(lines: Iterable[str], limit: int) -> Iterator[list[str]]:
    """Group lines into parts of at most ``limit`` characters, cut at paragraph boundaries if possible."""
    buf: list[str] = []
    size = 0
    boundary = 0  # index in buf where the latest paragraph starts (after a blank line); 0 = none
    for line in lines:
        buf.append(line)
        size += len(line) + 1
        if not line.strip():
            boundary = len(buf)
        while size > limit and len(buf) > 1:
            cut = boundary if 0 < boundary < len(buf) else len(buf) - 1
            part, buf = buf[:cut], buf[cut:]
            if any(x.strip() for x in part):
                yield part
            size = sum(len(x) + 1 for x in buf)
            boundary = next((i + 1 for i in range(len(buf) - 1, -1, -1) if not buf[i].strip()), 0)
            boundary = boundary if boundary < len(buf) else 0
    if buf:
        yield buf


def _join(lines: Iterable[str]) -> str:
    """Lines to text: runs of blank lines become one, none at either end."""
    out: list[str] = []
    for line in lines:
        if line.strip():
            out.append(line)
        elif out and out[-1]:
            out.append("")
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


# ----------------------------------------------------------------------------------------------------
# Articles from lines


def _articles(
    path: Path,
    stem: str,
    lines: Iterable[str],
    limit: int,
    furniture: bool,
    published: date | None = None,
    title: str | None = None,
    url: str | None = None,
) -> Iterator[Article | FileError]:
    """One Article per part of the text (one part unless it is longer than ``limit``)."""
    parts = _parts(_clean_lines(lines), limit)
    current = next(parts, None)
    following = next(parts, None)
    several = following is not None
    number = produced = 0
    any_text = False
    while current is not None:
        number += 1
        any_text = any_text or any(x.strip() for x in current)
        if furniture:
            cleaned = strip_furniture(current, head=number == 1, tail=following is None)
        else:
            cleaned = Cleaned(current)
        if number == 1:
            published = published or cleaned.published
            title = title or cleaned.title
        text = _join(cleaned.lines)
        if text:
            part_stem = f"{stem}-part{number}" if several else stem
            yield Article(
                id=content_id(text),
                stem=part_stem,
                path=str(path),
                text=text,
                published=published,
                url=url,
                title=title,
                sources=(part_stem,),
            )
            produced += 1
        current, following = following, (next(parts, None) if following is not None else None)
    if not produced:
        if any_text:
            yield FileError(str(path), "no article text left after removing page furniture")
        else:
            yield FileError(str(path), "empty file (only whitespace)")


def _read_txt(path: Path, limit: int) -> Iterator[Article | FileError | ReadNote]:
    encoding, errors, replaced = _sniff(path)
    if replaced:
        yield _replaced_note(path, replaced)
    with path.open(encoding=encoding, errors=errors, newline=None) as f:
        yield from _articles(path, path.stem, _file_lines(f, limit), limit, furniture=True)
