"""JSONL input: one article per line (text, and optionally date, title, url), each line checked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from kg.nlp.facts import Article, FileError
from kg.read.dates import parse_date
from kg.read.encodings import _replaced_note, _sniff
from kg.read.notes import ReadNote
from kg.read.text import _articles, _text_lines, normalise

# ----------------------------------------------------------------------------------------------------
# JSONL


def _read_jsonl(path: Path, limit: int) -> Iterator[Article | FileError | ReadNote]:
    encoding, errors, replaced = _sniff(path)
    if replaced:
        yield _replaced_note(path, replaced)
    produced = 0
    with path.open(encoding=encoding, errors=errors, newline=None) as f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            where = f"JSONL line {number}"
            try:
                record = json.loads(raw.rstrip("\r\n"))
            except json.JSONDecodeError as err:
                yield FileError(str(path), f"{where}: invalid JSON ({err.msg} at column {err.colno})")
                continue
            if not isinstance(record, dict):
                yield FileError(str(path), f"{where}: not a JSON object")
                continue
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                yield FileError(str(path), f'{where}: no "text" (a non-empty string)')
                continue
            rid = record.get("id")
            stem = str(rid) if isinstance(rid, str | int) and str(rid).strip() else f"{path.stem}-{number}"
            published = None
            if record.get("published") not in (None, ""):
                published = _iso_date(record["published"])
                if published is None:
                    yield ReadNote(
                        str(path), f"{where}: published {record['published']!r} is not a date; ignored"
                    )
            url = record.get("url") if isinstance(record.get("url"), str) else None
            title = record.get("title") if isinstance(record.get("title"), str) else None
            for item in _articles(
                path,
                stem,
                _text_lines(text, limit),
                limit,
                furniture=False,
                published=published,
                title=normalise(title) or None if title else None,
                url=url,
            ):
                if isinstance(item, FileError):  # nothing left after normalisation: name the line
                    item = FileError(str(path), f'{where}: no "text" (a non-empty string)')
                else:
                    produced += 1
                yield item
    if not produced and path.stat().st_size and not _has_text(path, encoding, errors):
        yield FileError(str(path), "empty file (only whitespace)")


def _has_text(path: Path, encoding: str, errors: str) -> bool:
    with path.open(encoding=encoding, errors=errors) as f:
        return any(line.strip() for line in f)


def _iso_date(value: object) -> date | None:
    """A date from a metadata value: an ISO date or date-time ("2024-03-11T09:30:00+05:00") or any
    date kg/read/dates.py reads."""
    return parse_date(value) if isinstance(value, str) else None
