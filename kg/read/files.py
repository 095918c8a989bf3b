"""Which files to read, and the two reading entry points (``read_paths``, ``iter_articles``, described
in kg/read/__init__.py): folders walked in sorted order, store folders and unknown kinds skipped,
each file handed to the reader of its kind."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.common.files import shown
from kg.nlp.facts import Article, FileError
from kg.read.encodings import NOT_TEXT
from kg.read.html import _read_html
from kg.read.jsonl import _read_jsonl
from kg.read.notes import ReadNote, _UnreadableError
from kg.read.text import _read_txt
from kg.settings import DEFAULT_STORE

# Texts longer than this (characters) are split at paragraph boundaries into parts that are Articles
# of their own; below spaCy's default max_length (1 000 000) with room to spare for parser memory.
MAX_CHARS = 200_000

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)


@dataclass
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    notes: list[ReadNote] = field(default_factory=list)


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
