"""write_whole: a file is replaced whole, or not at all."""

from __future__ import annotations

import pytest

from kg.common.files import write_whole


def test_files_write_whole_creates_and_replaces(tmp_path):
    path = tmp_path / "cache" / "entry.json"
    write_whole(path, b"first")
    write_whole(path, b"second")
    assert path.read_bytes() == b"second"
    assert [p.name for p in path.parent.iterdir()] == ["entry.json"]  # no temporary file left


def test_files_write_whole_leaves_nothing_when_it_fails(tmp_path, monkeypatch):
    import os

    path = tmp_path / "entry.json"
    path.write_bytes(b"old")

    def refuse(source: str, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        write_whole(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["entry.json"]


def test_files_write_whole_under_a_file_is_an_error(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    with pytest.raises(OSError):
        write_whole(blocked / "entry.json", b"data")
