"""A `kg build` killed at any moment leaves a store that opens, holds only whole articles, and that a
second build completes into exactly the store an uninterrupted build makes (issue 5.2).

The build runs as `kg build` in a subprocess and is SIGKILLed at points chosen by what it has done
(the store is open for writing; one, half or all of the articles are committed): at each point the
build prints a marker and waits, so the kill lands there on any machine, never after a wall time.
Whatever the point, the same invariants must hold; a build that finishes without reaching its kill
point fails the test instead of passing it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from factories import export_nquads
from rdflib import Dataset

from bench.generate import write_corpus
from kg.graph.validate import format_violations, validate_graph
from kg.read import read_paths
from kg.vocab import GRAPH

pytestmark = pytest.mark.slow

KG = Path(sys.executable).with_name("kg")
ARTICLES = 24
ARTICLE_GRAPH = re.compile(re.escape(str(GRAPH)) + r"[0-9a-f]{16}")
MARKER = "kill-point"
# `kg build` with a marker at the kill point: after the store opens for writing (point "opened"), or
# after the N-th article is committed (point N). There it prints MARKER and waits to be killed.
KILLABLE_BUILD = """
import sys
from kg.cli import main
from kg.graph.store import Store

point = sys.argv.pop(1)


def pause():
    print(MARKER, flush=True)
    sys.stdin.read()  # the test kills the process here


if point == "opened":
    opened = Store.__init__

    def init(self, path, read_only=False):
        opened(self, path, read_only)
        if not read_only:
            pause()

    Store.__init__ = init
else:
    replace, committed = Store.replace_article, []

    def replace_article(self, *args, **kwargs):
        replace(self, *args, **kwargs)
        committed.append(args[0])
        if len(committed) == int(point):
            pause()

    Store.replace_article = replace_article
main()
""".replace("MARKER", repr(MARKER))


def build_command(docs: Path, store: Path) -> list[str]:
    return [str(KG), "build", str(docs), "--store", str(store), "--quiet"]


def run_build(docs: Path, store: Path) -> subprocess.CompletedProcess:
    return subprocess.run(build_command(docs, store), capture_output=True, text=True, timeout=300)


def article_graphs(nquads: bytes) -> dict[str, frozenset[ox.Quad]]:
    """The quads of each article's named graph, by graph IRI (derived graphs left out)."""
    graphs: dict[str, set[ox.Quad]] = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
        if ARTICLE_GRAPH.fullmatch(name):
            graphs.setdefault(name, set()).add(quad)
    return {name: frozenset(quads) for name, quads in graphs.items()}


class Reference:
    def __init__(self, docs: Path, store: Path, result: subprocess.CompletedProcess, seconds: float):
        self.docs = docs
        self.store = store
        self.returncode = result.returncode
        self.seconds = seconds
        self.nquads = export_nquads(store)
        self.graphs = article_graphs(self.nquads)
        self.input_graphs = {str(GRAPH[a.id]) for a in read_paths([docs]).articles}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Reference:
    """One uninterrupted build of the generated articles, shared by every kill point."""
    root = tmp_path_factory.mktemp("atomic")
    docs = root / "docs"
    write_corpus(ARTICLES, docs)
    start = time.monotonic()
    result = run_build(docs, root / "store")
    seconds = time.monotonic() - start
    ref = Reference(docs, root / "store", result, seconds)
    # Exit 1 is allowed (an article may fail the shapes and be reported), but most must be stored.
    assert result.returncode in (0, 1), result.stderr
    assert len(ref.graphs) >= ARTICLES // 2, result.stderr
    return ref


# Each kill point: a name, and what to pass the killable build, from the uninterrupted build.
KILL_POINTS = {
    "store-opened": lambda _ref: "opened",
    "first-commit": lambda _ref: "1",
    "half-committed": lambda ref: str(len(ref.graphs) // 2),
    "all-committed": lambda ref: str(len(ref.graphs)),  # before graph/canonical's votes and the links
}


def run_and_kill(docs: Path, store: Path, point: str) -> bool:
    """Start a build, SIGKILL it at ``point``; False if it finished without reaching it."""
    command = [
        sys.executable,
        "-c",
        KILLABLE_BUILD,
        point,
        "build",
        str(docs),
        "--store",
        str(store),
        "--quiet",
    ]
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        reached = process.stdout.readline().strip() == MARKER
        return reached
    finally:
        process.kill()  # SIGKILL, at the marker if it was reached
        process.wait(timeout=60)


@pytest.mark.parametrize("point", sorted(KILL_POINTS))
def test_atomic_killed_build_keeps_whole_articles_and_resumes(reference, tmp_path, point):
    store = tmp_path / "store"
    killed = run_and_kill(reference.docs, store, KILL_POINTS[point](reference))
    assert killed, f"{point}: the build finished before the kill point, so nothing was tested"

    # The store opens. A build killed before RocksDB wrote its CURRENT file leaves an empty
    # directory: test_atomic_store_killed_before_creation_opens covers that state deterministically.
    if (store / "CURRENT").exists():
        partial = article_graphs(export_nquads(store))
        # Only inputs, each stored whole: exactly the triples of the uninterrupted build.
        assert set(partial) <= reference.input_graphs
        for name, quads in partial.items():
            assert quads == reference.graphs.get(name), f"{point}: {name} is not the complete article"
        stored = [q for quads in partial.values() for q in quads]
        dataset = Dataset()
        dataset.parse(data=ox.serialize(stored, format=ox.RdfFormat.N_QUADS), format="nquads")
        violations = validate_graph(dataset)  # each named article graph on its own
        assert not violations, format_violations(violations)

    # A second build completes the store into exactly what the uninterrupted build made.
    again = run_build(reference.docs, store)
    assert again.returncode == reference.returncode, again.stderr
    assert export_nquads(store) == reference.nquads


def test_atomic_store_killed_before_creation_opens(tmp_path):
    """What `kg build` leaves when killed between mkdir and RocksDB's first write: an empty directory.
    `kg export`/`kg query` should see an empty store there, not fail with RocksDB's IO error."""
    (tmp_path / "store").mkdir()
    assert export_nquads(tmp_path / "store") == b""
