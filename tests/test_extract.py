"""The NLP stage (kg/nlp/extract.py): the same facts in the same order whatever the number of processes,
a failing article lost alone, a dead worker reported instead of a hung build."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from spacy.language import Language

from bench.generate import write_corpus
from kg.nlp.extract import ExtractionError, batch_count, even_batches, extract
from kg.nlp.facts import DocFacts, FileError
from kg.nlp.pipeline import build_nlp
from kg.read import read_paths

# Marker words that make the test components below misbehave on one article only.
RAISES = "Zzraisezz"
DIES = "Zzdiezz"


@Language.component("test_raises_on_marker")
def _raises_on_marker(doc):
    if RAISES in doc.text:
        raise ValueError("component broke on this article")
    return doc


@Language.component("test_dies_on_marker")
def _dies_on_marker(doc):
    if DIES in doc.text:
        os._exit(3)  # what an out-of-memory kill looks like to the parent: the worker is gone
    return doc


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> list:
    folder = tmp_path_factory.mktemp("corpus")
    paths = write_corpus(6, folder)
    paths[2].write_text(paths[2].read_text(encoding="utf-8") + f" {RAISES}.", encoding="utf-8")
    return read_paths([folder]).articles


@pytest.fixture(scope="module")
def fragile_nlp() -> Language:
    nlp = build_nlp()
    nlp.add_pipe("test_raises_on_marker")
    nlp.add_pipe("test_dies_on_marker")
    return nlp


def _summary(items) -> list[tuple[str, str]]:
    return [
        (x.path, x.reason)
        if isinstance(x, FileError)
        else (x.article.path, repr(x.events + x.office_holdings))
        for x in items
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_extract_loses_only_the_failing_article_in_input_order(fragile_nlp, articles, jobs: int):
    out = list(extract(fragile_nlp, articles, batch_size=4, jobs=jobs))
    assert [Path(x.path if isinstance(x, FileError) else x.article.path) for x in out] == [
        Path(a.path) for a in articles
    ]
    failed = [x for x in out if isinstance(x, FileError)]
    assert len(failed) == 1
    assert failed[0].path == articles[2].path
    assert failed[0].reason == "extraction failed: ValueError: component broke on this article"
    assert all(isinstance(x, DocFacts) and x.events for x in out if x is not failed[0])


def test_extract_in_two_processes_equals_one(nlp, articles):
    serial = list(extract(nlp, articles, batch_size=2, jobs=1))
    parallel = list(extract(nlp, articles, batch_size=2, jobs=2))
    assert _summary(parallel) == _summary(serial)
    assert parallel == serial  # the dataclasses, field by field


def test_extract_dead_worker_is_a_clear_error_not_a_hang(fragile_nlp, articles):
    doomed = [*articles[:3], articles[3].__class__(**{**articles[3].__dict__, "text": f"{DIES} met."})]
    with pytest.raises(ExtractionError, match=r"an extraction worker process died .*run `kg build` again"):
        list(extract(fragile_nlp, doomed, batch_size=1, jobs=2))


def _children(pid: int) -> set[int]:
    # Threads come and go while we read (RocksDB's, the pool's), and the build itself may have
    # ended: a task that vanished between listing and reading has no children to report.
    found: set[int] = set()
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_extract_workers_exit_when_the_build_is_killed(tmp_path):
    """`kg build --jobs 2` killed with SIGKILL leaves no worker behind holding the model."""
    import signal
    import subprocess
    import sys
    import time

    write_corpus(40, tmp_path / "docs")
    kg = Path(sys.executable).with_name("kg")
    command = [str(kg), "build", str(tmp_path / "docs"), "--store", str(tmp_path / "store"), "--jobs", "2"]
    build = subprocess.Popen([*command, "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(workers) < 2 and build.poll() is None and time.monotonic() < deadline:
        workers = _children(build.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the build never started its two workers"
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 30
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, workers))


def test_extract_missing_model_is_an_extraction_error_naming_it():
    from kg.settings import Settings

    with pytest.raises(ExtractionError, match="spaCy model 'no_such_model_xx' is not installed"):
        build_nlp(Settings(model="no_such_model_xx"))


# Where the counting component below writes: one line per article a worker has run.
_SEEN_FILE = ""


@Language.component("test_counts_articles")
def _counts_articles(doc):
    if _SEEN_FILE:
        with open(_SEEN_FILE, "a", encoding="utf-8") as out:
            out.write(f"{doc._.kg_article_id}\n")
    return doc


def test_extract_workers_run_ahead_of_a_reader_that_is_writing(tmp_path, monkeypatch):
    # The build reads a chunk of results and then writes it; meanwhile the workers must go on with
    # the next chunk (``ahead``), not stop after a few batches and wait for it.
    seen = tmp_path / "seen.txt"
    seen.touch()
    monkeypatch.setattr(sys.modules[__name__], "_SEEN_FILE", str(seen))  # forked workers inherit it
    folder = tmp_path / "corpus"
    write_corpus(16, folder)
    nlp = build_nlp()
    nlp.add_pipe("test_counts_articles", first=True)
    results = extract(nlp, read_paths([folder]).articles, batch_size=1, jobs=2, ahead=12)
    first = next(results)  # the reader holds one result and writes it, for as long as it takes
    assert isinstance(first, DocFacts)
    deadline = time.monotonic() + 60
    while len(seen.read_text().split()) < 12 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(seen.read_text().split()) >= 12  # without ``ahead``: 6 (3 batches a worker)
    assert len(list(results)) == 15


@pytest.mark.parametrize(
    ("count", "batch_size", "jobs"),
    [(100, 32, 2), (10, 32, 2), (1000, 32, 2), (3, 32, 4), (0, 32, 2), (257, 32, 1)],
)
def test_extract_even_batches_split_the_articles_evenly(count: int, batch_size: int, jobs: int) -> None:
    items = list(range(count))
    batches = list(even_batches(items, batch_count(count, batch_size, jobs)))
    sizes = [len(b) for b in batches]
    assert [i for b in batches for i in b] == items
    assert len(batches) == batch_count(count, batch_size, jobs) >= min(count, 2 * jobs)
    assert all(0 < n <= batch_size for n in sizes)
    assert not sizes or max(sizes) - min(sizes) <= 1


_BATCH_FILE = ""  # set by the test below; forked workers inherit it


@Language.factory("test_records_batches")
class _RecordsBatches:
    def __init__(self, nlp: Language, name: str) -> None:
        pass

    def __call__(self, doc):
        return doc

    def pipe(self, docs, batch_size: int = 128):
        docs = list(docs)
        with open(_BATCH_FILE, "a", encoding="utf-8") as out:
            out.write(f"{len(docs)}\n")
        yield from docs


def test_extract_workers_get_batches_of_even_size(tmp_path, monkeypatch):
    # 10 articles in batches of up to 32 for two workers: 3 + 3 + 2 + 2, not one batch of 10 that
    # leaves the second worker idle.
    record = tmp_path / "batches.txt"
    record.touch()
    monkeypatch.setattr(sys.modules[__name__], "_BATCH_FILE", str(record))
    folder = tmp_path / "corpus"
    write_corpus(10, folder)
    nlp = build_nlp()
    nlp.add_pipe("test_records_batches", first=True)
    results = list(extract(nlp, read_paths([folder]).articles, batch_size=32, jobs=2))
    assert len(results) == 10
    assert sorted(int(n) for n in record.read_text().split()) == [2, 2, 3, 3]
