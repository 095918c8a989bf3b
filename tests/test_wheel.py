"""The wheel carries the ontology, the saved queries and the reference data (kg/shipped): installed
from it, not from the source tree, `kg build`, `kg query` and `kg validate` work from any directory."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
# Left out of the copy the wheel is built from: a stale build/ would put old files into the wheel.
NOT_SOURCES = shutil.ignore_patterns(
    ".*", "build", "dist", "*.egg-info", "store", "cache", "results", "__pycache__"
)
SHIPPED = {"ontology": "ontology", "queries": "queries", "data/reference": "reference"}
ARTICLE = (
    "Kell, 3 March 2031 - Foreign Minister Arvid Tollan met his Ostrian counterpart Mira Vendel in Kell "
    "on Monday to discuss energy cooperation between the two countries.\n"
)


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{command}: {result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; the pinned dependencies come from the project's venv."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    dist = root / "dist"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)], root)
    shutil.rmtree(source)  # nothing may be found through the tree it was built from
    wheel = next(dist.glob("diplomacy_kg-*.whl"))
    venv = root / "venv"
    run([sys.executable, "-m", "venv", str(venv)], root)
    # The dependencies are the ones this interpreter sees: a .pth line puts its site-packages after the
    # venv's own (a plain path line, so the editable install's finder there is not run).
    python = str(venv / "bin" / "python")
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], root)
    Path(site.stdout.strip(), "project-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], root)
    return venv / "bin"


def test_wheel_contains_the_shipped_folders(installed):
    wheel = next(installed.parent.parent.glob("dist/diplomacy_kg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, shipped in SHIPPED.items():
        expected = {f"kg/shipped/{shipped}/{p.name}" for p in (ROOT / folder).iterdir() if p.is_file()}
        assert expected and expected <= names


def test_wheel_install_builds_queries_and_validates_outside_the_tree(installed, tmp_path):
    # The installed kg, not the one on the test's path: run as a fresh process whose imports come
    # from the venv's site-packages.
    where = run([str(installed / "python"), "-c", "import kg, sys; sys.stdout.write(kg.__file__)"], tmp_path)
    assert not Path(where.stdout).is_relative_to(ROOT)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "article.txt").write_text(ARTICLE, encoding="utf-8")
    kg = str(installed / "kg")
    run([kg, "build", "docs", "--store", "store", "--quiet"], tmp_path)
    listed = run([kg, "query", "--list", "--store", "store"], tmp_path).stdout
    assert "meetings" in listed and "who-met" in listed
    rows = run([kg, "query", "meetings", "--store", "store", "--format", "csv"], tmp_path).stdout
    assert rows.splitlines()[0].startswith("event,")
    assert len(rows.splitlines()) > 1, rows
    checked = run([kg, "validate", "--store", "store"], tmp_path).stdout
    assert "conforms" in checked
