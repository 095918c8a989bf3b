"""Property tests for kg/read/: whatever bytes a file holds, reading never raises."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.nlp.facts import FileError
from kg.read import NOT_TEXT, ReadNote, iter_articles, read_paths

SUFFIXES = st.sampled_from([".txt", ".html", ".htm", ".jsonl"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1251", "cp1252", "latin-1"])
HEX16 = re.compile(r"[0-9a-f]{16}")
# Every reason the reader gives for a regular file's bytes. The catch-all "cannot read the file
# (TypeError: ...)" is a bug in the reader, not a property of the input, so it is not among them.
INPUT_REASONS = re.compile(
    "|".join(
        [
            r"empty file( \(only whitespace\))?",
            r"binary file \((NUL bytes|mostly control characters)\)",
            re.escape(NOT_TEXT) + r" \(.+\)",
            r"HTML that cannot be parsed \(.+\)",
            r"no article text left after removing page furniture",
            r"JSONL line \d+: (invalid JSON \(.+\)|not a JSON object|no \"text\" \(a non-empty string\))",
        ]
    )
)


def check(data: bytes, suffix: str, max_chars: int = 1000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"doc{suffix}"
        path.write_bytes(data)
        result = read_paths([path], max_chars=max_chars)
        streamed = list(iter_articles([path], max_chars=max_chars, notes=True))
    for article in result.articles:
        assert article.text.strip()
        assert HEX16.fullmatch(article.id)
        assert len(article.text) <= max_chars
        assert article.text == article.text.strip("\n")
    assert all(e.path == str(path) for e in result.errors)
    assert [e.reason for e in result.errors if not INPUT_REASONS.fullmatch(e.reason)] == []
    # read_paths is the stream, deduplicated.
    assert {a.id for a in result.articles} == {
        a.id for a in streamed if not isinstance(a, FileError | ReadNote)
    }
    # A file gives articles or an explanation, never silence.
    assert result.articles or result.errors


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), suffix=SUFFIXES)
def test_read_fuzz_arbitrary_bytes_never_raise(data: bytes, suffix: str) -> None:
    check(data, suffix)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=3000), encoding=ENCODINGS, suffix=SUFFIXES)
def test_read_fuzz_encoded_text_never_raises(text: str, encoding: str, suffix: str) -> None:
    check(text.encode(encoding, "replace"), suffix)


LINE = st.one_of(
    st.just(""),
    st.sampled_from(
        [
            "date 2021-01-02 + ↺ − 16 px",
            "12 May 2020 | 10:00",
            "By Ivan Smirnov",
            "Home > News",
            "Press Service",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400),
)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(LINE, max_size=40), suffix=st.sampled_from([".txt", ".jsonl"]))
def test_read_fuzz_furniture_like_lines_never_raise(lines: list[str], suffix: str) -> None:
    text = "\n".join(lines)
    data = (
        text.encode("utf-8")
        if suffix == ".txt"
        else "\n".join(json.dumps({"text": t}) for t in lines).encode()
    )
    check(data, suffix)
