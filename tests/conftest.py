"""The only conftest: shared fixtures, built once per test run.

``nlp`` is the real spaCy model with kg's components; ``seed_dir`` the five bundled articles;
``built_store`` one build of them into a store in a temporary directory.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "data" / "docs"
GOLD = ROOT.parent / "shared" / "gold" / "seeds.json"


@pytest.fixture(scope="session", autouse=True)
def lexicon_cache(tmp_path_factory) -> Iterator[Path]:
    """The phrase tables' cache (kg/nlp/lexicon.py) in this run's temporary directory, not in the
    user's home; the processes the tests start (the CLI, the benchmarks) inherit it."""
    path = tmp_path_factory.mktemp("lexicon-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KG_CACHE_DIR", str(path))
        yield path


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp.pipeline import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return SEED_DIR


@pytest.fixture()
def seed_copy(tmp_path: Path) -> Path:
    """A private copy of the seed articles, for tests that change files."""
    target = tmp_path / "docs"
    shutil.copytree(SEED_DIR, target)
    return target


@pytest.fixture(scope="session")
def built_store_path(tmp_path_factory) -> Path:
    """One build of the seed articles, shared by every test that only reads it."""
    from kg.pipeline import build
    from kg.settings import Settings

    path = tmp_path_factory.mktemp("seed-store") / "store"
    report = build([SEED_DIR], Settings(store=path))
    assert report.ok, report.errors
    return path


@pytest.fixture(scope="session")
def built_store(built_store_path: Path):
    from kg.graph.store import Store

    store = Store(built_store_path, read_only=True)
    yield store
    store.close()
