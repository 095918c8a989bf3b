"""Writing a file whole: readers, in this process or another, see the old file or the new one, never
part of one (the link's cache of endpoint answers, the phrase tables' cache)."""

from __future__ import annotations

import contextlib
import os
import tempfile
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
