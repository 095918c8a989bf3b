"""The NLP stage: spaCy and the kg components over a stream of articles, in this process or in a pool.

``extract`` yields, in input order, one DocFacts (or one FileError) per article. Articles go through
``nlp.pipe`` a batch at a time; if anything in a batch raises, the batch is run again one article at a
time so that only the failing article is lost.

With ``jobs > 1`` (or ``fork``) the batches go to worker processes that are forked once for the
whole build (the model and the kg lexicons are loaded once, in the parent, and shared copy-on-write)
and send back plain DocFacts: no spaCy Doc crosses a process boundary, and the parent, which writes
the store, is left with the work only it can do. A bounded number of batches is in flight, so memory
does not grow with the corpus, and results are taken in submission order, so the facts (and so the graph)
are the same whatever ``jobs`` is.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import signal
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TypeVar

from spacy.language import Language

from kg.nlp.facts import Article, DocFacts, FileError
from kg.nlp.mentions import keep_text
from kg.nlp.pipeline import ExtractionError, set_context, to_facts

Extracted = DocFacts | FileError
T = TypeVar("T")


# Batches waiting or running per worker, at least: enough to keep every worker busy while the parent
# writes, few enough that a slow writer does not pile up facts in memory (a DocFacts is ~50 kB).
IN_FLIGHT_PER_JOB = 3

# The pipeline a forked worker inherited from the parent (set just before the pool forks).
_worker_nlp: Language | None = None


def extract(
    nlp: Language,
    articles: Iterable[Article],
    batch_size: int,
    jobs: int = 1,
    ahead: int = 0,
    fork: bool | None = None,
) -> Iterator[Extracted]:
    """DocFacts (or the error that lost it) for every article, in input order.

    ``fork``: extract in ``jobs`` forked worker processes rather than in this one; by default only
    when ``jobs > 1``. One worker is worth it when the reader has work of its own to overlap.
    ``ahead``: in workers, how many articles they may extract ahead of the reader. A reader that
    takes a chunk of N results and then writes them, as the build does, needs 2 N: the workers go
    on with the next chunk while it writes, and it finds that chunk done.
    """
    if not (jobs > 1 if fork is None else fork):
        for batch in in_batches(articles, batch_size):
            yield from extract_batch(nlp, batch)
        return
    if isinstance(articles, Sequence) and articles:
        count = batch_count(len(articles), batch_size, jobs)
        batches = even_batches(articles, count)
        smallest = len(articles) // count
    else:  # a stream of unknown length
        batches = in_batches(articles, batch_size)
        smallest = batch_size
    # Batches in flight: enough of the smallest to cover ``ahead`` articles.
    in_flight = max(jobs * IN_FLIGHT_PER_JOB, -(-ahead // smallest))
    yield from _extract_in_pool(nlp, batches, jobs, in_flight)


def extract_batch(nlp: Language, batch: list[Article]) -> list[Extracted]:
    """One batch through ``nlp.pipe``, in groups of at most PIPE_CHARS characters; on any component
    error, the group again one article at a time."""
    out: list[Extracted] = []
    for group in _by_chars(batch, PIPE_CHARS):
        out += _extract_group(nlp, group)
    return out


# nlp.pipe holds a whole batch's Docs and parser states at once: 32 articles of 200 000 characters
# took 7.4 GB. A group of at most this many characters (one article, if it is longer) bounds that
# at one long article's worth; a batch of ordinary articles (~5 000 characters) is one group.
PIPE_CHARS = 250_000


def _by_chars(articles: list[Article], limit: int) -> Iterator[list[Article]]:
    group: list[Article] = []
    size = 0
    for article in articles:
        if group and size + len(article.text) > limit:
            yield group
            group, size = [], 0
        group.append(article)
        size += len(article.text)
    if group:
        yield group


def _extract_group(nlp: Language, batch: list[Article]) -> list[Extracted]:
    # Each Doc keeps its article's text: the components read it, and doc.text would join its tokens.
    inputs = [(set_context(keep_text(nlp.make_doc(a.text), a.text), a), a) for a in batch]
    try:
        return [
            to_facts(doc, article) for doc, article in nlp.pipe(inputs, as_tuples=True, batch_size=len(batch))
        ]
    except Exception:  # any component error: isolated below, one article at a time
        pass
    out: list[Extracted] = []
    for doc, article in inputs:
        try:
            out.append(to_facts(nlp(doc), article))
        except Exception as err:  # reported with the file; the build goes on
            out.append(FileError(article.path, f"extraction failed: {type(err).__name__}: {err}"))
    return out


def even_batches(items: Sequence[T], count: int) -> Iterator[list[T]]:
    """``items`` in ``count`` consecutive batches whose sizes differ by one at most."""
    if not count:
        return
    size, longer = divmod(len(items), count)
    start = 0
    for i in range(count):
        end = start + size + (i < longer)
        yield list(items[start:end])
        start = end


def batch_count(items: int, batch_size: int, jobs: int) -> int:
    """Batches for the workers: at most ``batch_size`` items each, at least two a worker.

    In batches of 32, 100 articles are 32 + 32 + 32 + 4: with two workers one extracts 64 while the
    other waits after 36, and the build waits for the first (docs/performance.md). Four
    batches of 25 keep both busy to the end; a long build loses at most one short batch either way.
    """
    return min(items, max(-(-items // batch_size), 2 * jobs))


def in_batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last one shorter), read lazily from ``items``."""
    stream = iter(items)
    while batch := list(islice(stream, size)):
        yield batch


def _die_with_parent() -> None:
    """Pool initializer: a worker whose parent is killed (SIGKILL, OOM) exits too, instead of
    waiting forever on a queue nobody writes to, holding a model's worth of memory (Linux only)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:  # not Linux/glibc: the worker ends when it next reads from the queue
        return
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def _in_worker(batch: list[Article]) -> list[Extracted]:
    assert _worker_nlp is not None, "extract worker started without a pipeline"
    return extract_batch(_worker_nlp, batch)


def _extract_in_pool(
    nlp: Language, batches: Iterator[list[Article]], jobs: int, in_flight: int
) -> Iterator[Extracted]:
    global _worker_nlp
    _worker_nlp = nlp  # fork copies it into every worker: no model load per worker
    # fork, not spawn: a spawned worker would load the model and lexicons again (~2 s each).
    context = multiprocessing.get_context("fork")
    pending: deque[Future[list[Extracted]]] = deque()
    try:
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_die_with_parent) as pool:
            try:
                for batch in batches:
                    pending.append(pool.submit(_in_worker, batch))
                    if len(pending) >= in_flight:
                        yield from pending.popleft().result()
                while pending:
                    yield from pending.popleft().result()
            finally:  # the build stopped early: do not wait for batches nobody will read
                for future in pending:
                    future.cancel()
    except BrokenProcessPool as err:  # a worker died (killed, out of memory): say so, do not hang
        raise ExtractionError(
            f"an extraction worker process died ({err}); the chunks written before it are kept: "
            "run `kg build` again to go on"
        ) from err
    finally:
        _worker_nlp = None
