"""What reading reports besides Articles and FileErrors: a ``ReadNote`` (a file skipped on purpose,
a value ignored), and the error a reader raises inside, turned into a FileError at the file boundary."""

from __future__ import annotations

from dataclasses import dataclass

from kg.common.files import shown


@dataclass(frozen=True)
class ReadNote:
    """Not a failure: a file skipped on purpose (unknown extension, a store folder) or a value ignored."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{shown(self.path)}: {self.reason}"


class _UnreadableError(Exception):
    """Raised inside a reader; turned into a FileError at the file boundary."""
