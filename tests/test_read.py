"""kg/read/: files in, Articles (or named errors) out. Invented people and places only, except the seeds."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kg.read import (
    MAX_CHARS,
    NOT_TEXT,
    FileError,
    ReadNote,
    content_id,
    furniture_rules,
    iter_articles,
    normalise,
    read_paths,
    strip_furniture,
)

BODY = (
    "Speaker Anna Petrova met Ambassador Tomas Verhoeven of Norland in Velsk on Tuesday, and the two "
    "discussed trade, energy and the new rail corridor between their countries."
)
BODY2 = (
    "Ambassador Tomas Verhoeven thanked the Speaker for the warm welcome and invited her to Norland next "
    "spring."
)


def write(folder: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def read_one(path: Path, **kwargs):
    result = read_paths([path], **kwargs)
    return result.articles, [e.reason for e in result.errors]


# --- bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\n \r\n", "empty file (only whitespace)"),
        ("nbsp.txt", "\u00a0\u2003\n".encode(), "empty file (only whitespace)"),
        ("bom-only.txt", b"\xef\xbb\xbf", "empty file (only whitespace)"),
        ("nul.txt", b"Speaker\x00\x01\x02 met\x00", "binary file (NUL bytes)"),
        (
            "controls.txt",
            b"\x01\x02\x03\x04\x05\x06\x07\x08 text \x0e\x0f\x10\x11\x12",
            "binary file (mostly control characters)",
        ),
        ("empty.html", b"", "empty file"),
        ("nul.jsonl", b'{"text": "a\x00b"}\n', "binary file (NUL bytes)"),
        ("blank.jsonl", b"\n\n  \n", "empty file (only whitespace)"),
        (
            "odd.txt",
            b"\xff\xfe" + "Speaker".encode("utf-16-le") + b"\x00\xd8",
            f"{NOT_TEXT} (invalid UTF-16 after its byte-order mark)",
        ),
        (
            "bad-bom.txt",
            b"\xef\xbb\xbfSpeaker \xff met",
            f"{NOT_TEXT} (invalid UTF-8 after its byte-order mark)",
        ),
        (
            "bad-bom.html",
            b"\xef\xbb\xbf<p>Speaker \xff met</p>",
            f"{NOT_TEXT} (invalid UTF-8 after its byte-order mark)",
        ),
    ],
)
def test_read_bad_input_is_a_named_error(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    articles, errors = read_one(write(tmp_path, name, content))
    assert articles == []
    assert errors == [reason]


@pytest.mark.parametrize(
    "content",
    [
        # Undefined in cp1252, a mixed-case jumble in cp1251, control characters in Latin-1.
        b"Report \x81\x8d\x8f\x90\x9d\x8d\x81 and \x8d\x81\x90\x9d end.\n",
        # Invalid UTF-8; read as cp1251 it glues Cyrillic into Latin words, as cp1252 it has no plain accents.
        b"The Sp\xc3\xc3ker m\xd0\xd0t the \xc6\xc6mbassador\n",
    ],
)
def test_read_invalid_utf8_that_is_not_cp1251_is_an_error(tmp_path: Path, content: bytes) -> None:
    articles, errors = read_one(write(tmp_path, "bad.txt", content))
    assert articles == []
    assert len(errors) == 1 and errors[0].startswith(NOT_TEXT)


def test_read_missing_path_is_an_error_with_its_name(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", BODY)
    missing = tmp_path / "nowhere" / "gone.txt"
    result = read_paths([missing, good])
    assert [a.stem for a in result.articles] == ["good"]
    assert result.errors == [FileError(str(missing), "no such file or directory")]


def test_read_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "b.txt", b"")
    write(tmp_path, "c.txt", b"\x00\x01")
    write(tmp_path, "d.txt", BODY2)
    result = read_paths([tmp_path])
    assert [a.stem for a in result.articles] == ["a", "d"]
    assert [(Path(e.path).name, e.reason) for e in result.errors] == [
        ("b.txt", "empty file"),
        ("c.txt", "binary file (NUL bytes)"),
    ]


# --- encodings -----------------------------------------------------------------------------------------

RUSSIAN = "Спикер Анна Петрова встретилась с послом Норландии в Вельске.\n\nСтороны обсудили торговлю."
FRENCH = (
    "La présidente Anna Petrova a rencontré l'ambassadeur à Velsk « en toute amitié ».\n\n"
    "Ça s'est bien passé."
)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (BODY, "utf-8"),
        (BODY + " Café, naïve — «quoted».", "utf-8"),
        (BODY, "utf-8-sig"),
        (RUSSIAN, "utf-8"),
        (RUSSIAN, "cp1251"),
        (RUSSIAN, "utf-16"),
        (RUSSIAN, "utf-16-be"),
        (RUSSIAN, "utf-32"),
        (FRENCH, "cp1252"),
        (FRENCH, "latin-1"),
        (FRENCH, "utf-16"),
    ],
)
def test_read_decodes_text_encodings(tmp_path: Path, text: str, encoding: str) -> None:
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # with its byte-order mark
    articles, errors = read_one(write(tmp_path, "doc.txt", data))
    assert errors == []
    assert [a.text for a in articles] == [normalise(text)]


def test_read_utf16_without_bom_is_binary(tmp_path: Path) -> None:
    articles, errors = read_one(write(tmp_path, "doc.txt", BODY.encode("utf-16-le")))
    assert (articles, errors) == ([], ["binary file (NUL bytes)"])


def test_read_same_text_in_two_encodings_is_one_article(tmp_path: Path) -> None:
    write(tmp_path, "b-cp1251.txt", RUSSIAN.encode("cp1251"))
    write(tmp_path, "a-utf16.txt", RUSSIAN.encode("utf-16"))
    result = read_paths([tmp_path])
    assert len(result.articles) == 1
    assert result.articles[0].sources == ("a-utf16", "b-cp1251")


# --- identity, normalisation and duplicates -------------------------------------------------------------


def test_read_article_id_is_the_hash_of_the_normalised_text(tmp_path: Path) -> None:
    (article,), _ = read_one(write(tmp_path, "doc.txt", BODY + "  \n\n" + BODY2 + "\n"))
    assert article.text == BODY + "\n\n" + BODY2
    assert article.id == content_id(article.text)
    assert re.fullmatch(r"[0-9a-f]{16}", article.id)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a  \r\nb\t\r\n", "a\nb"),
        ("a\rb", "a\nb"),
        ("e\u0301te\u0301", "été"),  # NFD -> NFC
        ("\n\n a\n\n\n\nb\n\n", " a\n\nb"),
    ],
)
def test_read_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_read_duplicate_under_two_names_is_one_article(tmp_path: Path) -> None:
    write(tmp_path, "zeta.txt", BODY + "\n\n" + BODY2 + "\n")
    write(tmp_path, "sub/alpha.txt", (BODY + "   \r\n\r\n" + BODY2 + "\r\n").encode("utf-8"))
    result = read_paths([tmp_path])
    assert len(result.articles) == 1
    article = result.articles[0]
    assert article.sources == ("alpha", "zeta")
    assert article.stem == "alpha"  # the first in sorted path order
    # The streaming API leaves deduplication to its consumer.
    streamed = [a for a in iter_articles([tmp_path]) if not isinstance(a, FileError)]
    assert [a.sources for a in streamed] == [("alpha",), ("zeta",)]
    assert len({a.id for a in streamed}) == 1


# --- which files ---------------------------------------------------------------------------------------


def test_read_folder_is_recursive_sorted_and_skips_hidden_and_store(tmp_path: Path) -> None:
    write(tmp_path, "b.txt", BODY)
    write(tmp_path, "a/z.txt", BODY2)
    write(tmp_path, "a/c.htm", f"<p>{BODY} Again.</p>")
    write(tmp_path, ".hidden.txt", "Hidden " + BODY)
    write(tmp_path, ".git/x.txt", "Git " + BODY)
    write(tmp_path, "notes.md", "# notes")
    store = tmp_path / "store"
    write(store, "CURRENT", "MANIFEST-000001\n")
    write(store, "IDENTITY", "x")
    write(store, "000001.txt", "Store " + BODY)
    result = read_paths([tmp_path])
    assert [Path(a.path).relative_to(tmp_path).as_posix() for a in result.articles] == [
        "a/c.htm",
        "a/z.txt",
        "b.txt",
    ]
    assert result.errors == []
    assert [(Path(n.path).name, n.reason) for n in result.notes] == [
        ("notes.md", "skipped: not a .txt, .html, .htm or .jsonl file"),
        ("store", "folder skipped: it is a kg store"),
    ]


def test_read_skip_dirs_names_the_store(tmp_path: Path) -> None:
    write(tmp_path, "docs/a.txt", BODY)
    write(tmp_path, "docs/out/b.txt", BODY2)
    result = read_paths([tmp_path / "docs"], skip_dirs=[tmp_path / "docs" / "out"])
    assert [a.stem for a in result.articles] == ["a"]


def test_read_stream_order_is_sorted_whatever_the_argument_order(tmp_path: Path) -> None:
    b = write(tmp_path, "b.txt", BODY)
    a = write(tmp_path, "a.txt", BODY2)
    forward = [x.stem for x in iter_articles([a, b])]
    backward = [x.stem for x in iter_articles([b, a, tmp_path])]
    assert forward == backward == ["a", "b"]


def test_read_notes_only_when_asked(tmp_path: Path) -> None:
    write(tmp_path, "x.pdf", b"%PDF")
    assert list(iter_articles([tmp_path])) == []
    assert list(iter_articles([tmp_path], notes=True)) == [
        ReadNote(str(tmp_path / "x.pdf"), "skipped: not a .txt, .html, .htm or .jsonl file")
    ]


# --- long texts ----------------------------------------------------------------------------------------


def test_read_huge_file_is_split_at_paragraphs(tmp_path: Path) -> None:
    paragraphs = [f"Paragraph {i}: {BODY}" for i in range(4000)]  # about 800 000 characters
    text = "date 2023-02-01\n\n" + "\n\n".join(paragraphs) + "\n"
    articles, errors = read_one(write(tmp_path, "big.txt", text))
    assert errors == []
    assert len(articles) >= 4
    assert [a.stem for a in articles] == [f"big-part{n}" for n in range(1, len(articles) + 1)]
    assert all(len(a.text) <= MAX_CHARS for a in articles)
    assert {a.published for a in articles} == {date(2023, 2, 1)}
    # Nothing lost, nothing cut inside a paragraph.
    assert [p for a in articles for p in a.text.split("\n\n")] == paragraphs


def test_read_long_line_without_newlines_is_cut_at_spaces(tmp_path: Path) -> None:
    words = [f"word{i}" for i in range(3000)]
    articles, errors = read_one(write(tmp_path, "line.txt", " ".join(words)), max_chars=5000)
    assert errors == []
    assert len(articles) > 3
    assert all(len(a.text) <= 5000 for a in articles)
    assert [w for a in articles for w in a.text.split()] == words
    assert all(a.text == a.text.strip() for a in articles)


FIFTY_MB_READER = """
import resource, sys
from kg.read import iter_articles
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
parts = chars = 0
for item in iter_articles([sys.argv[1]]):
    parts += 1
    chars += len(item.text)
grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base
print(parts, chars, grown_kb)
"""


def test_read_50_mb_file_streams_in_parts_with_bounded_memory(tmp_path: Path) -> None:
    paragraph = f"Paragraph: {BODY}\n\n"
    copies = 50_000_000 // len(paragraph.encode("utf-8")) + 1
    path = tmp_path / "huge.txt"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(copies // 1000):
            handle.write(paragraph * 1000)
    assert path.stat().st_size >= 49_000_000
    # A fresh process, so the peak resident size measures this read alone.
    done = subprocess.run(
        [sys.executable, "-c", FIFTY_MB_READER, str(path)], capture_output=True, text=True, check=True
    )
    parts, chars, grown_kb = map(int, done.stdout.split())
    expected_chars = path.stat().st_size - 2  # the final blank line is stripped
    assert parts >= expected_chars // MAX_CHARS  # many Articles, so the build's progress keeps moving
    assert chars + 2 * (parts - 1) == expected_chars  # nothing lost at the cuts
    assert grown_kb < 25_000, f"reading a 50 MB file grew the process by {grown_kb} kB"


def test_read_max_chars_below_a_sane_minimum_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="max_chars"):
        read_paths([tmp_path], max_chars=10)


def test_read_long_jsonl_text_is_split_too(tmp_path: Path) -> None:
    text = "\n\n".join(f"Part {i}. {BODY}" for i in range(100))
    path = write(
        tmp_path, "feed.jsonl", json.dumps({"id": "rec", "text": text, "published": "2022-06-01"}) + "\n"
    )
    articles, errors = read_one(path, max_chars=2000)
    assert errors == []
    assert articles[0].stem == "rec-part1"
    assert {a.published for a in articles} == {date(2022, 6, 1)}


# --- JSONL ---------------------------------------------------------------------------------------------


def test_read_jsonl_broken_line_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": BODY, "published": "2024-05-02T10:00:00+04:00", "url": "https://example.org/1"}),
        '{"text": "broken", ',
        "",
        json.dumps({"id": "velsk-7", "text": BODY2, "title": "Speaker  meets ambassador"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "no text"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": BODY + " Again.", "published": "someday"}),
    ]
    path = write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    result = read_paths([path])
    assert [(a.stem, a.published, a.url, a.title) for a in result.articles] == [
        ("feed-1", date(2024, 5, 2), "https://example.org/1", None),
        ("velsk-7", None, None, "Speaker  meets ambassador"),
        ("feed-8", None, None, None),
    ]
    assert [e.reason for e in result.errors] == [
        "JSONL line 2: invalid JSON (Expecting property name enclosed in double quotes at column 20)",
        "JSONL line 5: not a JSON object",
        'JSONL line 6: no "text" (a non-empty string)',
        'JSONL line 7: no "text" (a non-empty string)',
    ]
    assert [n.reason for n in result.notes] == ["JSONL line 8: published 'someday' is not a date; ignored"]


# --- HTML ----------------------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<title>Speaker meets ambassador | Velsk Daily</title>
<meta property="og:title" content="Speaker meets ambassador">
<meta property="article:published_time" content="2023-11-04T08:15:00Z">
<link rel="canonical" href="https://velsk.example/news/1">
<style>p { color: red }</style>
<script>var tracking = "Speaker met nobody";</script>
</head><body>
<header><a href="/">Velsk Daily</a></header>
<nav><ul><li>Home</li><li>Politics</li></ul></nav>
<article>
  <h1>Speaker Anna Petrova Meets Norland&#39;s Ambassador</h1>
  <p>{body}</p>
  <p>{body2}<br>Second line &amp; more.</p>
  <aside>Read also: something else</aside>
  <form><input name="q"><button>Search</button></form>
</article>
<footer>© Velsk Daily, all rights reserved</footer>
<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2020-01-01"}</script>
</body></html>
"""


def test_read_html_drops_scripts_styles_nav_and_keeps_the_article(tmp_path: Path) -> None:
    (article,), errors = read_one(
        write(tmp_path, "page.html", PAGE.replace("{body}", BODY).replace("{body2}", BODY2))
    )
    assert errors == []
    assert article.title == "Speaker Anna Petrova Meets Norland's Ambassador"
    assert article.published == date(2023, 11, 4)
    assert article.url == "https://velsk.example/news/1"
    assert article.text == (
        f"Speaker Anna Petrova Meets Norland's Ambassador\n\n{BODY}\n\n{BODY2}\n\nSecond line & more."
    )


@pytest.mark.parametrize(
    ("head", "body", "published", "title"),
    [
        ('<meta name="date" content="2021-03-04">', "", date(2021, 3, 4), "Page title words here"),
        ("", '<time datetime="2019-12-31T23:00">Dec 31</time>', date(2019, 12, 31), "Page title words here"),
        (
            '<script type="application/ld+json">{"@graph": [{"datePublished": "2018-07-08"}]}</script>',
            "",
            date(2018, 7, 8),
            "Page title words here",
        ),
        ('<meta property="og:title" content="From Open Graph">', "", None, "From Open Graph"),
        ("", "<p>Published: 5 June 2017</p>", date(2017, 6, 5), "Page title words here"),
    ],
)
def test_read_html_metadata(tmp_path: Path, head: str, body: str, published: date | None, title: str) -> None:
    page = f"<html><head><title>Page title words here</title>{head}</head>"
    page += f"<body>{body}<p>{BODY}</p></body></html>"
    (article,), errors = read_one(write(tmp_path, "p.htm", page))
    assert errors == []
    assert (article.published, article.title) == (published, title)
    assert article.text.endswith(BODY)


def test_read_html_main_when_there_is_no_article(tmp_path: Path) -> None:
    page = f"<body><div>Cookie banner text here</div><main><p>{BODY}</p></main><div>Sidebar</div></body>"
    (article,), _ = read_one(write(tmp_path, "p.html", page))
    assert article.text == BODY


def test_read_html_cp1251_declared(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="windows-1251"></head><body><p>{RUSSIAN}</p></body></html>'
    (article,), errors = read_one(write(tmp_path, "ru.html", page, encoding="cp1251"))
    assert errors == []
    assert article.text == " ".join(RUSSIAN.split())


def test_read_html_without_text_is_an_error(tmp_path: Path) -> None:
    page = "<html><head><script>x()</script></head><body><nav>Home</nav></body></html>"
    articles, errors = read_one(write(tmp_path, "p.html", page))
    assert (articles, errors) == ([], ["empty file (only whitespace)"])


# --- page furniture (.txt) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "published", "title"),
    [
        (" date 2022-10-05 + ↺ − 16 px\n\n", date(2022, 10, 5), None),
        ("Published: 5 October 2022\n\n", date(2022, 10, 5), None),
        ("Wednesday, October 5, 2022 10:31 AM\n", date(2022, 10, 5), None),
        ("05.10.2022 | 09:40\n", date(2022, 10, 5), None),
        (
            "Home > News > Politics\n\nSpeaker Petrova Receives Norland Envoy\n\nBy Ivan Smirnov\n",
            None,
            "Speaker Petrova Receives Norland Envoy",
        ),
        (
            "Image of Norland\n\nSpeaker Petrova Receives Norland Envoy\n\n"
            "in World / Norland - by\n\n12 October 2020 | 21:09\n",
            date(2020, 10, 12),
            "Speaker Petrova Receives Norland Envoy",
        ),
        (
            "Speaker Petrova Receives Norland Envoy\nEnvoy's Travels\n3 March 2019\n",
            date(2019, 3, 3),
            "Speaker Petrova Receives Norland Envoy",
        ),
        ("A A A Print Share\n", None, None),
    ],
)
def test_read_txt_head_furniture_is_stripped(
    tmp_path: Path, head: str, published: date | None, title: str | None
) -> None:
    (article,), _ = read_one(write(tmp_path, "doc.txt", head + BODY + "\n\n" + BODY2))
    expected = (title + "\n\n" if title else "") + BODY + "\n\n" + BODY2
    assert article.text == expected
    assert (article.published, article.title) == (published, title)


def test_read_txt_widget_prefix_on_the_first_body_line(tmp_path: Path) -> None:
    (article,), _ = read_one(write(tmp_path, "doc.txt", " date 2022-10-05 " + BODY))
    assert article.text == BODY
    assert article.published == date(2022, 10, 5)


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("VELSK, Norland, May 15. " + BODY + " The talks of 15 May 2023 went well.", date(2023, 5, 15)),
        ("Velsk, 3 June (Norpress) - " + BODY + " Trade grew since 2019.", date(2019, 6, 3)),
        ("VELSK, May 15, 2022 - " + BODY, date(2022, 5, 15)),
        ("VELSK, May 15. " + BODY, None),  # no year anywhere
        ("VELSK, May 15. " + BODY + " From 2019 to 2021 trade grew.", None),  # two years: do not guess
        ("The talks on March 11, 2024 were long. " + BODY, None),  # an event date is not publication
    ],
)
def test_read_txt_dateline_gives_published(tmp_path: Path, text: str, published: date | None) -> None:
    (article,), _ = read_one(write(tmp_path, "doc.txt", text))
    assert article.published == published
    assert article.text == text


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("VELSK, 22.05.2024 /NORPRESS/. " + BODY, date(2024, 5, 22)),
        ("VELSK – 23 November 2019: " + BODY, date(2019, 11, 23)),
        ("Velsk, September 29, NORPRESS " + BODY + " Trade grew in 2021.", date(2021, 9, 29)),
        (
            "Speaker Petrova Receives Norland Envoy In Velsk Today\nVELSK, May 15, 2022 - " + BODY,
            date(2022, 5, 15),
        ),
    ],
)
def test_read_txt_dateline_shapes_give_published(tmp_path: Path, text: str, published: date) -> None:
    (article,), _ = read_one(write(tmp_path, "doc.txt", text))
    assert article.published == published


@pytest.mark.parametrize(
    ("text", "published"),
    [
        # A date line at the end of the story.
        (BODY + "\n\nLast Update: Monday, 3 February 2020 NST 19:57 - GMT 16:57\n", date(2020, 2, 3)),
        (BODY + "\n\n12/1/2022 12:13:18 PM (GMT -6:00)\n", date(2022, 12, 1)),  # US clock: month first
        # Among the head lines, with a section name beside it.
        ("Norland Materials 28 April 2010 06:15 (UTC +04:00)\n\n" + BODY, date(2010, 4, 28)),
        ("Broadcast: 09/05/2013\n\n" + BODY, date(2013, 5, 9)),  # day first unless told otherwise
        ("29.09.2021 [17:27]\n\n" + BODY, date(2021, 9, 29)),
        ("6 May 2023 11:27 (UTC+04:00)\n\n" + BODY, date(2023, 5, 6)),
        (
            "Norland News\n\n14/02/2017NORLAND NEWS – Lena Marsh plans her first trips abroad\n\n" + BODY,
            date(2017, 2, 14),
        ),
        # After a standfirst.
        (BODY + "\n- Norpress\n- Published Date: 09:44 | 22 December 2025\n" + BODY2, date(2025, 12, 22)),
    ],
)
def test_read_txt_date_lines_give_published(tmp_path: Path, text: str, published: date) -> None:
    (article,), _ = read_one(write(tmp_path, "doc.txt", text))
    assert article.published == published
    assert BODY in article.text  # the date line is read, the text is kept


FOOTER = (
    "\n\nThe Press Service of the Velsk Assembly\nThe Velsk Assembly\n\n"
    "The Velsk Assembly is a unicameral parliament of 90 members elected for four years."
)


@pytest.mark.parametrize(
    ("tail", "kept"),
    [
        (FOOTER, ""),
        ("\n\nSource: Norpress", ""),
        (
            "\n\nThe Velsk Assembly\nCommittee on Trade",
            "\n\nThe Velsk Assembly\nCommittee on Trade",
        ),  # no marker
        # A short line mentioning a press office in the middle of the article stays: too much follows it.
        (
            "\n\nPress office statement\n\n" + "\n\n".join([BODY2] * 3),
            "\n\nPress office statement\n\n" + "\n\n".join([BODY2] * 3),
        ),
    ],
)
def test_read_txt_tail_signature_block(tmp_path: Path, tail: str, kept: str) -> None:
    (article,), _ = read_one(write(tmp_path, "doc.txt", BODY + "\n\n" + BODY2 + tail))
    assert article.text == BODY + "\n\n" + BODY2 + kept


def test_read_txt_keeps_short_lines_in_the_body(tmp_path: Path) -> None:
    text = BODY + "\n\nTrade\n\nEnergy deals.\n\n" + BODY2
    (article,), _ = read_one(write(tmp_path, "doc.txt", text))
    assert article.text == text


def test_read_txt_hard_wrapped_paragraphs_are_body(tmp_path: Path) -> None:
    wrapped = (
        "VELSK, Norland, May 15, 2021. Speaker Anna Petrova met Ambassador\n"
        "Tomas Verhoeven of Norland on Tuesday and the two\n"
        "discussed trade,\n"
        "energy\n"
        "and the new rail corridor.\n\n" + BODY2
    )
    (article,), _ = read_one(write(tmp_path, "doc.txt", "Velsk Daily\n\n" + wrapped))
    assert article.text == wrapped
    assert (article.title, article.published) == (None, date(2021, 5, 15))


def test_read_txt_only_furniture_is_an_error(tmp_path: Path) -> None:
    articles, errors = read_one(write(tmp_path, "doc.txt", "Home\n\n12 March 2020 | 10:00\n"))
    assert (articles, errors) == ([], ["no article text left after removing page furniture"])


def test_read_strip_furniture_reports_rule_ids() -> None:
    cleaned = strip_furniture(
        ["Velsk News", "Speaker Petrova Receives Norland Envoy", "1 May 2020", "", BODY]
    )
    assert cleaned.rules == ["read.short_head_line", "read.date_stamp_line"]
    assert cleaned.lines == ["", "Speaker Petrova Receives Norland Envoy", "", "", BODY]


def test_read_furniture_rules_load_with_ids() -> None:
    rules = furniture_rules()
    assert rules and all(r.id.startswith("read.") for r in rules)
    assert {r.scope for r in rules} == {"prefix", "head", "tail"}


# --- the seeds -----------------------------------------------------------------------------------------

SEED_META = {
    "000": (date(2024, 3, 11), None),
    "001": (date(2025, 5, 15), None),
    "002": (
        date(2021, 9, 29),
        "Chair of Milli Majlis Sahiba Gafarova Meets President of Kazakhstan Kasim-Jomart Tokayev",
    ),
    "003": (
        date(2021, 4, 15),
        "Chair of Milli Majlis Sahiba Gafarova Met with Chair of Kazakhstan Parliament’s Senate",
    ),
    "004": (None, "Kazakh and Azerbaijani Presidents Strengthen Bilateral Relations in Inaugural Meeting"),
}


@pytest.fixture(scope="module")
def seeds(seed_dir: Path):
    result = read_paths([seed_dir])
    assert result.errors == [] and result.notes == []
    return {a.stem[:3]: a for a in result.articles}


@pytest.mark.parametrize("number", sorted(SEED_META))
def test_read_seed_published_and_title(seeds, number: str) -> None:
    assert (seeds[number].published, seeds[number].title) == SEED_META[number]


@pytest.mark.parametrize(
    ("number", "starts", "ends"),
    [
        (
            "000",
            "President of the Republic of Kazakhstan Kassym-Jomart Tokayev, who is on a state visit",
            "issues of mutual interest.",
        ),
        (
            "001",
            "BAKU, Azerbaijan, May 15. Speaker of the Azerbaijani Parliament",
            "between Azerbaijan and Kazakhstan.",
        ),
        (
            "002",
            SEED_META["002"][1] + "\n\nChair of the Milli Majlis Sahiba Gafarova who is in Kazakhstan",
            "were taking part in the meeting as well.",
        ),
        (
            "003",
            SEED_META["003"][1] + "\n\nChair of the Milli Majlis Sahiba Gafarova had a meeting",
            "talked about at the meeting.",
        ),
        (
            "004",
            SEED_META["004"][1] + "\n\nKazakhstan's President Kasym-Jomart Tokayev participated",
            "in the years to come.",
        ),
    ],
)
def test_read_seed_text_without_furniture(seeds, number: str, starts: str, ends: str) -> None:
    text = seeds[number].text
    assert text.startswith(starts) and text.endswith(ends)
    for furniture in ("px", "|", "Chair`s Travels", "Flag of", "in Politics", "Press and Public Relations"):
        assert furniture not in text


def test_read_seed_ids_are_content_hashes(seeds) -> None:
    assert len({a.id for a in seeds.values()}) == 5
    assert all(a.id == content_id(a.text) and a.sources == (a.stem,) for a in seeds.values())
