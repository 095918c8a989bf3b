"""A store directory the user may not write: `kg build` refuses it cleanly, reading still works.

Directory permissions only bind a process without CAP_DAC_OVERRIDE, and CI runs as root. So the
installed `kg` runs in a subprocess that, when the tests run as root, drops the capabilities that
let root ignore permissions (from the bounding set, before exec, so the new program never gets
them back). It stays uid 0 on purpose: dropping to ``nobody`` fails on machines where the Python
interpreter lives under a 0700 home (pyenv in /root), while the capability drop works wherever
root may drop capabilities, and the store directory's mode bits then apply to it for real.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from factories import export_nquads

from kg.pipeline import build
from kg.settings import Settings

KG = Path(sys.executable).parent / "kg"
ARTICLE = "Foreign Minister Lena Marsh met President Tom Weller in Valdoria on 3 March 2024.\n"
OTHER = "Prime Minister Ana Holt visited Ruritania on 5 May 2024.\n"

PR_CAPBSET_DROP = 24  # linux/prctl.h
# CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER (linux/capability.h): what lets root ignore modes.
PERMISSION_CAPS = (1, 2, 3)


def _drop_permission_caps() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in PERMISSION_CAPS:
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), f"prctl(PR_CAPBSET_DROP, {cap}) failed")


def run_unprivileged(*args: str | Path) -> subprocess.CompletedProcess:
    """Run a command so that file permissions apply to it, even when the tests run as root."""
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=_drop_permission_caps if os.geteuid() == 0 else None,
    )


def make_read_only(path: Path, tree: bool) -> None:
    """Take the write bits off ``path`` (and, with ``tree``, off everything inside it)."""
    targets = [*path.rglob("*"), path] if tree else [path]
    for target in targets:
        target.chmod(stat.S_IMODE(target.stat().st_mode) & ~0o222)


def make_writable(path: Path) -> None:
    for target in [path, *path.rglob("*")]:
        target.chmod(stat.S_IMODE(target.stat().st_mode) | stat.S_IWUSR)


@pytest.fixture(scope="session")
def permissions_apply(tmp_path_factory) -> None:
    """Skip, with the reason, where a child process cannot be made to respect directory modes."""
    probe = tmp_path_factory.mktemp("probe")
    locked = probe / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        done = run_unprivileged(sys.executable, "-c", f"open({str(locked / 'x')!r}, 'w')")
    except subprocess.SubprocessError as err:
        pytest.skip(f"running as root and cannot drop CAP_DAC_OVERRIDE here: {err}")
    finally:
        locked.chmod(0o755)
    if done.returncode == 0:
        pytest.skip("a child process could write into a 0555 directory: permissions do not apply here")


@pytest.fixture(scope="module")
def source_store(tmp_path_factory) -> Path:
    """A small store built from one invented article, copied by each test."""
    root = tmp_path_factory.mktemp("perm-source")
    (root / "a.txt").write_text(ARTICLE, encoding="utf-8")
    report = build([root / "a.txt"], Settings(store=root / "store"))
    assert report.ok, report.errors
    return root / "store"


@pytest.fixture()
def read_only_store(request, source_store: Path, tmp_path: Path, permissions_apply):
    """A copy of ``source_store`` whose directory (or whole tree, with param "tree") is read-only."""
    store = tmp_path / "store"
    shutil.copytree(source_store, store)
    before = export_nquads(store, include_ontology=True)
    make_read_only(store, tree=request.param == "tree")
    yield store, before
    make_writable(store)


@pytest.mark.parametrize("read_only_store", ["directory", "tree"], indirect=True)
def test_store_permissions_build_into_read_only_store_is_refused(read_only_store, tmp_path):
    store, before = read_only_store
    article = tmp_path / "b.txt"
    article.write_text(OTHER, encoding="utf-8")
    done = run_unprivileged(KG, "build", article, "--store", store, "--quiet")
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"Error: store {store}: ")
    assert "read-only" in done.stderr or "permission denied" in done.stderr
    assert "Traceback" not in done.stderr
    make_writable(store)
    assert export_nquads(store, include_ontology=True) == before


def test_store_permissions_build_under_read_only_parent_is_refused(tmp_path, permissions_apply):
    parent = tmp_path / "parent"
    parent.mkdir()
    article = tmp_path / "b.txt"
    article.write_text(OTHER, encoding="utf-8")
    parent.chmod(0o555)
    try:
        done = run_unprivileged(KG, "build", article, "--store", parent / "store", "--quiet")
    finally:
        parent.chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert f"store {parent / 'store'}: " in done.stderr
    assert "permission denied" in done.stderr and "Traceback" not in done.stderr
    assert list(parent.iterdir()) == []


# "tree" (every file read-only too) is the stricter case: a read that works there works on "directory".
@pytest.mark.parametrize("read_only_store", ["tree"], indirect=True)
@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (("query", "persons", "--format", "csv"), "Lena Marsh"),
        (("stats", "--format", "csv"), "documents,1,"),
        (("export", "--format", "nquads"), "<https://w3id.org/diplomacy-kg/id/person/lena-marsh>"),
    ],
)
def test_store_permissions_read_only_store_still_answers(read_only_store, command, expected):
    store, before = read_only_store
    done = run_unprivileged(KG, *command, "--store", store)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout
    make_writable(store)
    assert export_nquads(store, include_ontology=True) == before
