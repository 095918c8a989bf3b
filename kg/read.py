"""Read input files into ``Article`` objects: the only stage that opens inputs.

Two entry points (docs/input.md has the details and every message):

* ``iter_articles(paths)`` streams ``Article`` and ``FileError`` items (and ``ReadNote`` when asked) in a
  stable sorted order, one file at a time, holding at most two parts of a long text in memory. It does
  NOT deduplicate: across a stream that is the consumer's job (by ``Article.id``, the content hash).
* ``read_paths(paths)`` collects that stream into a ``ReadResult`` and deduplicates it: the same text
  under two names is one Article whose ``sources`` lists both stems.

A file that cannot be read is reported as a ``FileError`` (path and a human-readable reason) and the rest
is still read: nothing here raises on bad input. Article.text is the text the pipeline reads and that
evidence offsets point into: normalised (NFC, ``\\n`` newlines, no trailing spaces, single blank lines
between paragraphs) and stripped of page furniture by the general rules in
kg/resources/read.furniture.jsonl plus the structural ones below.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import itertools
import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

from kg.dates import DATE_PATTERN, date_line, find_dateline, parse_date
from kg.facts import Article, FileError
from kg.files import shown
from kg.resources_io import load_jsonl
from kg.settings import DEFAULT_STORE

# Texts longer than this (characters) are split at paragraph boundaries into parts that are Articles
# of their own; below spaCy's default max_length (1 000 000) with room to spare for parser memory.
MAX_CHARS = 200_000

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)

# Bytes read per step when sniffing a file, and how much of it is kept to judge legacy encodings.
_CHUNK = 1 << 20
_SAMPLE = 1 << 20
# UTF-8 with bad bytes stays UTF-8 (bad bytes replaced) when at most this share of its bytes are
# bad: with more valid multi-byte characters than bad bytes, or else in an otherwise ASCII text.
_MAX_BAD_SHARE_MIXED = 0.05
_MAX_BAD_SHARE = 0.01
_ESCAPED = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
# More control characters than this (share of the decoded sample) and a file counts as binary.
_MAX_CONTROL_SHARE = 0.05
# Share of non-ASCII words/symbols that must look right for a cp1251 or cp1252 guess to be accepted.
_MIN_PLAUSIBLE = 0.8

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_BOM_NAMES = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}

NOT_TEXT = "not valid text in UTF-8, UTF-16 or cp1251"


@dataclass(frozen=True)
class ReadNote:
    """Not a failure: a file skipped on purpose (unknown extension, a store folder) or a value ignored."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{shown(self.path)}: {self.reason}"


@dataclass
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    notes: list[ReadNote] = field(default_factory=list)


class _UnreadableError(Exception):
    """Raised inside a reader; turned into a FileError at the file boundary."""


# ----------------------------------------------------------------------------------------------------
# Public API


def read_paths(
    paths: Sequence[str | Path],
    max_chars: int = MAX_CHARS,
    skip_dirs: Sequence[str | Path] = (DEFAULT_STORE,),
) -> ReadResult:
    """Every article under ``paths``, deduplicated by content; errors and notes alongside."""
    result = ReadResult()
    by_id: dict[str, int] = {}
    sources: dict[str, set[str]] = {}
    for item in iter_articles(paths, max_chars=max_chars, skip_dirs=skip_dirs, notes=True):
        if isinstance(item, FileError):
            result.errors.append(item)
        elif isinstance(item, ReadNote):
            result.notes.append(item)
        elif item.id in by_id:
            sources[item.id].update(item.sources or (item.stem,))
        else:
            by_id[item.id] = len(result.articles)
            sources[item.id] = set(item.sources or (item.stem,))
            result.articles.append(item)
    result.articles = [replace(a, sources=tuple(sorted(sources[a.id]))) for a in result.articles]
    return result


def iter_articles(
    paths: Sequence[str | Path],
    max_chars: int = MAX_CHARS,
    skip_dirs: Sequence[str | Path] = (DEFAULT_STORE,),
    notes: bool = False,
) -> Iterator[Article | FileError | ReadNote]:
    """Articles and errors file by file in sorted path order; ``ReadNote`` items only with ``notes``."""
    if max_chars < 1000:
        raise ValueError(f"max_chars must be at least 1000, not {max_chars!r}")
    for entry in _expand(paths, skip_dirs):
        if isinstance(entry, ReadNote):
            if notes:
                yield entry
            continue
        if isinstance(entry, FileError):
            yield entry
            continue
        for item in _read_file(entry, max_chars):
            if notes or not isinstance(item, ReadNote):
                yield item


def content_id(text: str) -> str:
    """The article id: first 16 hex digits of the sha256 of the normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def normalise(text: str) -> str:
    """NFC, ``\\n`` newlines, no trailing spaces, single blank lines, no blank lines at either end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _join(unicodedata.normalize("NFC", line).rstrip() for line in text.split("\n"))


# ----------------------------------------------------------------------------------------------------
# Which files


def _expand(
    paths: Sequence[str | Path], skip_dirs: Sequence[str | Path]
) -> list[Path | FileError | ReadNote]:
    skip = {Path(d).resolve() for d in skip_dirs}
    entries: list[Path | FileError | ReadNote] = []
    for raw in paths:
        path = Path(raw)
        kind = _kind(path)
        if kind == "folder":
            entries += _walk(path, skip)
        else:
            entries.append(kind)
    entries.sort(key=lambda e: str(e) if isinstance(e, Path) else e.path)
    seen: set[Path] = set()
    out: list[Path | FileError | ReadNote] = []
    for entry in entries:
        if isinstance(entry, Path):
            try:
                real = entry.resolve()
            except (OSError, RuntimeError):  # a symlink loop: read it once under its own name
                real = entry.absolute()
            if real in seen:  # the same file named twice (a folder and a file in it)
                continue
            seen.add(real)
        out.append(entry)
    return out


def _kind(path: Path) -> Path | FileError | str:
    """``path`` itself when it is (a symlink to) a regular file, "folder" for a folder, or the
    FileError that says why it cannot be read: nothing that is not a file is ever opened (a FIFO
    would block the build), and a broken symlink is told from a missing file."""
    try:
        mode = path.stat().st_mode
    except OSError as err:
        if err.errno == errno.ELOOP:
            return FileError(str(path), "symlink loop (the link leads back to itself)")
        if path.is_symlink():
            return FileError(str(path), f"dangling symlink (its target {_target(path)} does not exist)")
        if err.errno == errno.ENOENT:
            return FileError(str(path), "no such file or directory")
        return FileError(str(path), f"cannot open ({err.strerror or err})")
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return path
    what = {
        stat.S_IFIFO: "a FIFO",
        stat.S_IFSOCK: "a socket",
        stat.S_IFCHR: "a device",
        stat.S_IFBLK: "a device",
    }
    return FileError(
        str(path), f"not a regular file or folder ({what.get(stat.S_IFMT(mode), 'special file')})"
    )


def _target(link: Path) -> str:
    try:
        return shown(os.readlink(link))
    except OSError:
        return "?"


def _walk(folder: Path, skip: set[Path]) -> Iterator[Path | FileError | ReadNote]:
    """Files under ``folder``, sorted; hidden names and store folders are left out, symlinked
    folders are noted and not followed, and anything else that is not a readable file is named."""
    try:
        children = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as err:
        yield FileError(str(folder), f"cannot list the folder ({err.strerror or err})")
        return
    for child in children:
        if child.name.startswith("."):
            continue
        kind = _kind(child)
        if kind != "folder":
            yield kind  # a file, or why it cannot be read
        elif child.is_symlink():
            yield ReadNote(str(child), "folder skipped: a symlink to a folder is not followed")
        elif child.resolve() in skip or _is_store(child):
            yield ReadNote(str(child), "folder skipped: it is a kg store")
        else:
            yield from _walk(child, skip)


def _is_store(folder: Path) -> bool:
    # An Oxigraph store is a RocksDB folder: these two files are always there. A folder that cannot
    # be listed is no store (its FileError comes from _walk).
    try:
        return (folder / "CURRENT").is_file() and (folder / "IDENTITY").is_file()
    except OSError:
        return False


def _read_file(path: Path, max_chars: int) -> Iterator[Article | FileError | ReadNote]:
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        reader = _read_txt
    elif suffix in HTML_SUFFIXES:
        reader = _read_html
    elif suffix in JSONL_SUFFIXES:
        reader = _read_jsonl
    else:
        yield ReadNote(str(path), "skipped: not a .txt, .html, .htm or .jsonl file")
        return
    try:
        yield from reader(path, max_chars)
    except _UnreadableError as err:
        yield FileError(str(path), str(err))
    except OSError as err:
        yield FileError(str(path), f"cannot read the file ({err.strerror or err})")
    except UnicodeDecodeError as err:  # only if a file changed between sniffing and reading
        yield FileError(str(path), f"{NOT_TEXT} ({err.reason} at byte {err.start})")
    except Exception as err:  # a bad file must never stop the others: report what went wrong
        yield FileError(str(path), f"cannot read the file ({type(err).__name__}: {err})")


# ----------------------------------------------------------------------------------------------------
# Encodings


def _sniff(path: Path, hint: str | None = None) -> tuple[str, str, int]:
    """(encoding, errors mode, bad UTF-8 bytes replaced) for ``path``, reading it in chunks;
    _UnreadableError if it is not text."""
    with path.open("rb") as f:
        first = f.read(_CHUNK)
        if not first:
            raise _UnreadableError("empty file")
        bom_encoding = next((enc for bom, enc in _BOMS if first.startswith(bom)), None)
        if bom_encoding:
            decoder = codecs.getincrementaldecoder(bom_encoding)("strict")
            sample = ""
            chunk = first
            try:
                while chunk:
                    text = decoder.decode(chunk)
                    if len(sample) < _SAMPLE:
                        sample += text[: _SAMPLE - len(sample)]
                    chunk = f.read(_CHUNK)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as err:
                raise _UnreadableError(
                    f"{NOT_TEXT} (invalid {_BOM_NAMES[bom_encoding]} after its byte-order mark)"
                ) from err
            _check_controls(sample)
            return bom_encoding, "strict", 0
        utf8 = codecs.getincrementaldecoder("utf-8")("strict")
        utf8_ok = True
        sample_bytes = b""
        chunk = first
        while chunk:
            if b"\x00" in chunk:
                raise _UnreadableError("binary file (NUL bytes)")
            if len(sample_bytes) < _SAMPLE:
                sample_bytes += chunk[: _SAMPLE - len(sample_bytes)]
            if utf8_ok:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
            chunk = f.read(_CHUNK)
        if utf8_ok:
            try:
                utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_ok = False
    if utf8_ok:
        _check_controls(sample_bytes.decode("utf-8", "ignore"))
        return "utf-8", "strict", 0
    with path.open("rb") as f:
        bad, good, total = _utf8_counts(iter(lambda: f.read(_CHUNK), b""))
    encoding = _choose_encoding(sample_bytes, bad, good, total, hint)
    _check_controls(sample_bytes.decode(encoding, "replace"))
    # The guess was made on a sample; a stray undefined byte later on becomes U+FFFD, not a failure.
    return encoding, "replace", bad if encoding == "utf-8" else 0


def _utf8_counts(chunks: Iterable[bytes]) -> tuple[int, int, int]:
    """(bytes that are not UTF-8, characters of valid multi-byte UTF-8, all bytes) over ``chunks``."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    bad = good = total = 0
    for chunk in itertools.chain(chunks, [b""]):  # one chunk in memory at a time
        text = decoder.decode(chunk, final=not chunk)
        total += len(chunk)
        bad += len(_ESCAPED.findall(text))
        good += len(_NON_ASCII.findall(text))
    return bad, good - bad, total


def _choose_encoding(sample: bytes, bad: int, good: int, total: int, hint: str | None) -> str:
    """The encoding of a text that is not valid UTF-8 throughout.

    Mostly valid UTF-8 with a few bad bytes (a truncated download, one pasted character) stays
    UTF-8, the bad bytes read as U+FFFD: reading it as cp1252 would garble every ’ and no-break space.
    A legacy encoding only when the bytes say so: its non-ASCII bytes are mostly not UTF-8 and read
    as plausible Cyrillic or Western text. Otherwise a few stray bytes in ASCII text are replaced too.
    """
    if good >= bad and bad <= _MAX_BAD_SHARE_MIXED * total:
        return "utf-8"
    encoding = _legacy_encoding(sample, hint)
    if encoding is not None:
        return encoding
    if bad <= _MAX_BAD_SHARE * total:
        return "utf-8"
    raise _UnreadableError(f"{NOT_TEXT} (neither UTF-8 nor readable as Cyrillic or Western text)")


def _replaced_note(path: Path, count: int) -> ReadNote:
    return ReadNote(
        str(path), f"{count} byte{'s' if count != 1 else ''} not valid UTF-8, read as U+FFFD (replaced)"
    )


def _check_controls(sample: str) -> None:
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        raise _UnreadableError("binary file (mostly control characters)")


def _legacy_encoding(sample: bytes, hint: str | None = None) -> str | None:
    """cp1251, cp1252 or latin-1: whichever makes the non-ASCII part of ``sample`` look like text."""
    candidates = ["cp1252", "cp1251", "latin-1"]
    if hint:
        try:
            codecs.lookup(hint)
            candidates.insert(0, hint)
        except LookupError:
            pass
    best, best_score = None, _MIN_PLAUSIBLE
    for encoding in candidates:
        try:
            text = sample.decode(encoding)
        except (UnicodeDecodeError, LookupError):  # LookupError: a declared "charset" that is no text codec
            continue
        score = _plausibility(text, cyrillic=codecs.lookup(encoding).name == "cp1251")
        if encoding == hint and score >= _MIN_PLAUSIBLE:
            return encoding  # a declared charset that reads well wins
        if score > best_score or (best is None and score >= best_score):
            best, best_score = encoding, score
    return best


_WORD = re.compile(r"[^\W\d_]+")
_FINE_SYMBOLS = set("«»„“”‘’‚–—…•·°±§©®™№€£¥¢¿¡ªº×\xa0")


def _plausibility(text: str, cyrillic: bool) -> float:
    """Share of non-ASCII words and symbols that look like real writing in this decoding.

    A cp1251 word is all Cyrillic; a Western (cp1252) word with accents also has plain ASCII letters
    (``café``), so Russian read as cp1252 (``Ïðèâåò``) and French read as cp1251 (``cafй``) both fail.
    """
    units = fine = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        units += 1
        cased = word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())
        if cyrillic:
            fine += cased and all("\u0400" <= ch <= "\u04ff" for ch in word)
        else:
            latin = all(ord(ch) < 0x250 for ch in word)
            fine += cased and latin and (len(word) <= 2 or any(ch.isascii() for ch in word))
    for ch in text:
        if ord(ch) > 127 and not ch.isalpha():
            units += 1
            fine += ch in _FINE_SYMBOLS
    return fine / units if units else 0.0


def _decode(data: bytes, hint: str | None = None) -> tuple[str, int]:
    """Whole-buffer version of ``_sniff`` for formats read at once (HTML): the text, and how many
    bad bytes of a UTF-8 text were replaced."""
    replaced = 0
    if not data:
        raise _UnreadableError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as err:
                raise _UnreadableError(
                    f"{NOT_TEXT} (invalid {_BOM_NAMES[encoding]} after its byte-order mark)"
                ) from err
            _check_controls(text[:_SAMPLE])
            return text, 0
    if b"\x00" in data:
        raise _UnreadableError("binary file (NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        bad, good, total = _utf8_counts([data])
        encoding = _choose_encoding(data[:_SAMPLE], bad, good, total, hint)
        text = data.decode(encoding, "replace")
        replaced = bad if encoding == "utf-8" else 0
    _check_controls(text[:_SAMPLE])
    return text, replaced


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
# Dates

# One date parser for the whole project (kg/dates.py): the reader only finds where a date stands.
DATE = "(?P<date>" + DATE_PATTERN + ")"
TIME = (
    r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*\(?(?:GMT|UTC)(?:\s*[+\-]\s*\d{1,2}(?::?\d{2})?)?\)?)?"
)
WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
WIDGET = r"(?:[+\-−–↺↻⟲⟳]|A[+\-−]?(?=\s|$)|\d{1,2}\s?(?:px|pt|%)|font size|text size|print|share|email|tweet)"
_MACROS = {"{DATE}": DATE, "{TIME}": TIME, "{WEEKDAY}": WEEKDAY, "{WIDGET}": WIDGET}


# ----------------------------------------------------------------------------------------------------
# Page furniture


@dataclass(frozen=True)
class FurnitureRule:
    id: str
    label: str
    scope: str  # prefix | head | tail
    regex: re.Pattern[str]


_SCOPES = ("prefix", "head", "tail")
_FURNITURE_FILE = "read.furniture.jsonl"


@cache
def furniture_rules() -> tuple[FurnitureRule, ...]:
    """kg/resources/read.furniture.jsonl, validated: a bad record fails naming the file and line."""
    records = load_jsonl(_FURNITURE_FILE, ("label", "pattern", "id", "scope"))
    source = (resources.files("kg") / "resources" / _FURNITURE_FILE).read_text(encoding="utf-8").splitlines()
    rules = []
    for record in records:
        line = next((n for n, t in enumerate(source, 1) if f'"{record["id"]}"' in t), 0)
        where = f"kg/resources/{_FURNITURE_FILE}, line {line}"
        if record["scope"] not in _SCOPES:
            raise ValueError(f"{where}: scope must be one of {list(_SCOPES)}, not {record['scope']!r}")
        if not isinstance(record["pattern"], str):
            raise ValueError(f"{where}: pattern must be a regular expression string")
        pattern = record["pattern"]
        for macro, value in _MACROS.items():
            pattern = pattern.replace(macro, value)
        try:
            regex = re.compile(pattern)
        except re.error as err:
            raise ValueError(f"{where}: pattern is not a valid regular expression ({err})") from err
        rules.append(FurnitureRule(record["id"], record["label"], record["scope"], regex))
    return tuple(rules)


# Structural thresholds (words per line) that tell furniture, headlines and body paragraphs apart.
_HEAD_LINES = 12  # the head is at most this many non-blank lines before the first body paragraph
_BODY_WORDS = 10  # a body line ends like a sentence and has at least this many words ...
_LONG_WORDS = 30  # ... or simply this many
_TITLE_WORDS = (4, 30)
_WRAPPED_WORDS = 8  # a hard-wrapped body line has at least this many words
_SHORT_WORDS = 3  # head lines this short that are not the title are menus, section names, captions
_SIGNATURE_WORDS = 12
# No line longer than this (characters) is furniture: a 300 000-character line without spaces is one
# "word", and dropping it as a short head line lost it in silence.
_FURNITURE_CHARS = 300
_TAIL_BLOCKS = 3  # a signature block is one of the last three blocks ...
_TAIL_AFTER = (2, 1500)  # ... followed by at most two paragraphs of at most 1 500 characters
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


@dataclass
class Cleaned:
    lines: list[str]
    title: str | None = None
    published: date | None = None
    rules: list[str] = field(default_factory=list)  # ids of the furniture rules that fired, in order


def _words(line: str) -> int:
    return len(line.split())


def _is_body(line: str) -> bool:
    words = _words(line)
    return words >= _LONG_WORDS or (words >= _BODY_WORDS and bool(_SENTENCE_END.search(line)))


def _is_headline(line: str) -> bool:
    low, high = _TITLE_WORDS
    return (
        low <= _words(line) <= high
        and len(line) <= 250
        and not re.search(r"[.,;:]$", line)
        and (line[0].isupper() or line[0].isdigit() or line[0] in "\"'“‘«")
    )


def strip_furniture(lines: list[str], head: bool = True, tail: bool = True) -> Cleaned:
    """Drop page furniture from the head and the tail of one text; keep everything else as it is.

    When unsure a line is kept: losing article text is worse than keeping a footer.
    """
    lines = list(lines)
    out = Cleaned(lines)
    rules = furniture_rules()
    if head:
        _strip_head(out, [r for r in rules if r.scope == "prefix"], [r for r in rules if r.scope == "head"])
    if tail:
        _strip_tail(out, [r for r in rules if r.scope == "tail"])
        if out.published is None:
            _tail_date(out, "\n".join(lines))
    return out


_TAIL_DATE_LINES = 3  # a date line at the end of a story ("Last Update: ...") is among its last lines


def _date_from_lines(out: Cleaned, indexes: list[int], context: str, rule_id: str) -> None:
    """The publication date from the first date line among ``indexes``. The line stays: it also
    parts the headline from the lead for the sentence splitter, and kg_events reads no event date
    from a date line."""
    for i in indexes:
        found = date_line(out.lines[i], context)
        if found:
            out.published = found[0]
            out.rules.append(rule_id)
            return


def _tail_date(out: Cleaned, context: str) -> None:
    """A date line among the last lines, when the head had none."""
    last = [i for i, line in enumerate(out.lines) if line.strip()][-_TAIL_DATE_LINES:]
    _date_from_lines(out, last[::-1], context, "read.tail_date_line")


def _strip_head(out: Cleaned, prefix_rules: list[FurnitureRule], head_rules: list[FurnitureRule]) -> None:
    lines = out.lines
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return
    context = "\n".join(lines)  # orders the numbers of a numeric date (kg/dates.py numeric_order)
    for rule in prefix_rules:
        m = rule.regex.match(lines[first])
        if m and m.end() > 0:
            out.published = parse_date(m.group("date"), context) if "date" in rule.regex.groupindex else None
            lines[first] = lines[first][m.end() :].strip()
            out.rules.append(rule.id)
            break
    seen = 0
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if _starts_body(lines, i, head_rules):
            # The dateline opens the first paragraph, which may begin with a headline on the line
            # before it in the same block.
            for line in (text, lines[i + 1].strip() if i + 1 < len(lines) else ""):
                dateline = find_dateline(line, context=context) if out.published is None else None
                if dateline and dateline.date and dateline.start == 0:
                    out.published = date.fromisoformat(dateline.date)
                    out.rules.append("read.dateline")
            if out.published is None:
                _date_after_lead(out, i, context)
            return
        seen += 1
        if seen > _HEAD_LINES:
            return
        if len(text) > _FURNITURE_CHARS:  # a long line is text, however few its words: keep it
            continue
        rule = next((r for r in head_rules if r.regex.match(text)), None)
        if rule:
            if rule.label == "date_stamp" and out.published is None:
                out.published = parse_date(text, context)
            lines[i] = ""
            out.rules.append(rule.id)
        elif found := date_line(text, context):
            # A date line the furniture rules do not know ("Georgia Materials 28 April 2010 06:15",
            # "Last modified: ..."): its date is the publication date unless one came first. The line
            # is kept (when unsure, text is kept; it parts the headline from the lead for the
            # sentence splitter), and kg_events reads no event date from it.
            out.published = out.published or found[0]
            out.rules.append("read.date_line")
        elif out.title is None and _is_headline(text):
            out.title = text
        elif _words(text) <= _SHORT_WORDS and not _SENTENCE_END.search(text):
            lines[i] = ""
            out.rules.append("read.short_head_line")


_AFTER_LEAD_LINES = 4  # a date line may follow a standfirst ("Lead sentence.\n- Published: ...")


def _date_after_lead(out: Cleaned, first_body: int, context: str) -> None:
    """A date line among the few lines after the first body line, when the head had none."""
    following = [i for i, line in enumerate(out.lines) if i > first_body and line.strip()]
    _date_from_lines(out, following[:_AFTER_LEAD_LINES], context, "read.date_line")


def _starts_body(lines: list[str], i: int, head_rules: list[FurnitureRule]) -> bool:
    """Line ``i`` opens the body: a body line itself, or the first of a hard-wrapped paragraph.

    A wrapped paragraph's lines are each too short to look like a sentence, so the rest of the block is
    read with it; a short line (a headline) or furniture among the following lines keeps it in the head.
    """
    text = lines[i].strip()
    if _is_body(text):
        return True
    if _words(text) < _WRAPPED_WORDS:
        return False
    rest: list[str] = []
    for line in lines[i + 1 :]:
        if not line.strip():
            break
        if any(r.regex.match(line.strip()) for r in head_rules):
            return False
        rest.append(line.strip())
    return bool(rest) and _is_body(" ".join([text, *rest]))


def _strip_tail(out: Cleaned, tail_rules: list[FurnitureRule]) -> None:
    """Drop a closing signature block (a press service's name, a source line) and what follows it."""
    lines = out.lines
    blocks: list[tuple[int, int]] = []  # [start, end) of runs of non-blank lines
    start = None
    for i, line in enumerate([*lines, ""]):
        if line.strip() and start is None:
            start = i
        elif not line.strip() and start is not None:
            blocks.append((start, i))
            start = None
    body = next((k for k, (s, e) in enumerate(blocks) if any(_is_body(x.strip()) for x in lines[s:e])), None)
    if body is None:
        return
    max_after, max_chars = _TAIL_AFTER
    for k in range(len(blocks) - 1, max(body, len(blocks) - 1 - _TAIL_BLOCKS), -1):
        s, e = blocks[k]
        block = [x.strip() for x in lines[s:e]]
        after = blocks[k + 1 :]
        if len(after) > max_after or sum(len("".join(lines[a:b])) for a, b in after) > max_chars:
            return
        signature = all(_words(x) <= _SIGNATURE_WORDS and len(x) <= _FURNITURE_CHARS for x in block) and any(
            r.regex.search(x) for x in block for r in tail_rules
        )
        if signature:
            ids = {r.id for x in block for r in tail_rules if r.regex.search(x)}
            out.rules += sorted(ids)
            for i in range(s, len(lines)):
                lines[i] = ""
            return


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
    date kg/dates.py reads."""
    return parse_date(value) if isinstance(value, str) else None


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
