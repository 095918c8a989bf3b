"""Files: writing one whole (readers, in this process or another, see the old file or the new one,
never part of one: the link's cache of endpoint answers, the phrase tables' cache), and showing a
file's name in a message."""

from __future__ import annotations

import contextlib
import os
import tempfile
import unicodedata
from pathlib import Path


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename, which
    replaces the file at once. The temporary name is unique, so two processes writing the same file
    do not write into each other's. OSError (a read-only directory, a full disk) is the caller's to
    handle; no temporary file is left behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def shown(name: str | os.PathLike[str]) -> str:
    """A file name as messages print it: control and format characters (a newline, an escape code,
    a right-to-left override) and bytes that are not UTF-8 escaped, so that a crafted name cannot
    forge a line of output or hide what it is. Other characters, accents included, stay as they are."""
    out = []
    for ch in os.fspath(name):
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch == "\\":
            out.append("\\\\")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            out.append(ch.encode("unicode_escape").decode("ascii") if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)
