"""kg/shipped: the ontology, saved queries and reference data, found through the installed package."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import shipped

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("name", "folder"), [("ontology", "ontology"), ("queries", "queries"), ("reference", "data/reference")]
)
def test_shipped_folder_holds_the_repository_folder(name: str, folder: str):
    # In this (editable) install the package's folder is the repository's own; tests/test_wheel.py
    # checks the copy a wheel carries.
    found = shipped.folder(name)
    assert found.is_dir()
    assert sorted(p.name for p in found.iterdir() if p.is_file()) == sorted(
        p.name for p in (ROOT / folder).iterdir() if p.is_file()
    )


def test_shipped_folder_names_every_folder_setup_maps():
    assert set(shipped.FOLDERS) == {"ontology", "queries", "reference"}
    assert all((ROOT / folder).is_dir() for folder in shipped.FOLDERS.values())
