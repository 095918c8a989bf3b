"""Which encoding a file is in: byte-order marks, UTF-8 (with a few bad bytes replaced), UTF-16,
cp1251 and cp1252 judged by how plausible the decoded words look; binary files refused."""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from kg.read.notes import ReadNote, _UnreadableError

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
