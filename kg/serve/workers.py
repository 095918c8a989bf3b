"""Worker processes that hold the store open read-only and run every query the server answers.

Why processes: pyoxigraph gives no way to cancel a query. It lets go of the GIL while it evaluates
(measured: a thread running a three-way cross product left the main thread 191 of 200 ticks in
2 s), so threads would keep the server answering, but a runaway query in a thread runs to its end
and keeps a core busy. A worker whose job passes the timeout is killed and replaced: the query
stops there and then, and the other workers keep answering meanwhile.

Each worker sees the store as a snapshot (a read-only RocksDB view), opened again when the store's
files change and no bulk write is pending, so a reader sees every article whose transaction
committed and never half of one (kg/graph/store.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

# How often a worker looks at the store's files for a newer snapshot (a commit shows within this).
REFRESH_S = 0.5


class JobError(Exception):
    """A job failed in a worker; ``status`` is the HTTP status it maps to."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Snapshots:
    """The newest committed snapshot of the store at ``path``, opened again when its files change.

    A snapshot with a bulk write's pending marks is not taken: the one before stays in use until
    the write ends (kg/graph/store.py, ``Store.add_articles``).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store = None
        self.signature: tuple | None = None
        self.checked = 0.0
        self.generation = 0  # bumped at every new snapshot: caches derived from it key on it

    def _signature(self) -> tuple:
        try:
            entries = list(os.scandir(self.path))
        except FileNotFoundError:
            return ()
        stats = [entry.stat() for entry in entries if entry.is_file()]
        return (len(stats), max((s.st_mtime_ns for s in stats), default=0), sum(s.st_size for s in stats))

    def current(self):
        from kg.graph.store import Store, StoreError

        now = time.monotonic()
        if self.store is not None and now - self.checked < REFRESH_S:
            return self.store
        self.checked = now
        signature = self._signature()
        if self.store is not None and signature == self.signature:
            return self.store
        try:
            # With no snapshot yet, wait for a bulk write in progress as `kg query` does.
            fresh = Store(self.path, read_only=True, wait_for_pending=self.store is None)
        except StoreError as err:
            if self.store is None:
                raise JobError(503, str(err)) from err
            return self.store  # a bulk write in progress: keep the last whole snapshot
        if self.store is not None:
            self.store.close()
        self.store, self.signature = fresh, signature
        self.generation += 1
        return self.store


@dataclass
class WorkerContext:
    """What a job receives: the store's snapshots and the server's options."""

    snapshots: Snapshots
    allow_update: bool
    allow_service: bool
    cache: dict

    @property
    def store(self):
        return self.snapshots.current()

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """A value derived from the current snapshot, computed once per snapshot."""
        store = self.store
        hit = self.cache.get(key)
        if hit is not None and hit[0] == self.snapshots.generation:
            return hit[1]
        value = compute() if store is not None else None
        self.cache[key] = (self.snapshots.generation, value)
        return value


def _worker_main(conn: Connection, store_path: str, allow_update: bool, allow_service: bool) -> None:
    """A worker's loop: receive (job name, args), run it, send back ("ok", result) or an error."""
    from kg.serve import jobs

    context = WorkerContext(Snapshots(Path(store_path)), allow_update, allow_service, {})
    with contextlib.suppress(JobError):  # opened now, so the first request does not wait for it
        context.snapshots.current()
    from kg.sparql.catalogue import load_queries

    load_queries()  # parsed now (rdflib's parser: ~0.5 s for all), not in a request's time
    conn.send(("ready", os.getpid()))
    while True:
        try:
            name, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", jobs.JOBS[name](context, *args)))
        except JobError as err:
            conn.send(("error", err.status, err.message))
        except Exception as err:
            traceback.print_exc()
            conn.send(("error", 500, f"{type(err).__name__}: {err}"))


class _Worker:
    def __init__(self, ctx, store_path: str, allow_update: bool, allow_service: bool) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main,
            args=(child, store_path, allow_update, allow_service),
            daemon=True,
            name="kg-serve-worker",
        )
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            raise RuntimeError(f"a query worker did not start within {timeout:g} s")
        self.conn.recv()

    def call(self, name: str, args: tuple) -> tuple:
        self.conn.send((name, args))
        return self.conn.recv()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes; ``run`` hands a job to an idle one and waits up to ``timeout``.

    A job that passes the timeout has its worker killed (the query stops there and then) and a new
    worker started in its place; the request gets a JobError with status 503 that says so.
    """

    def __init__(
        self,
        store_path: Path,
        size: int,
        timeout: float,
        allow_update: bool = False,
        allow_service: bool = False,
    ) -> None:
        self.args = (str(store_path), allow_update, allow_service)
        self.size = size
        self.timeout = timeout
        self.ctx = multiprocessing.get_context("spawn")  # no fork of a process that runs threads
        self.idle: asyncio.Queue[_Worker] | None = None
        self.workers: set[_Worker] = set()
        self.replacing: set[asyncio.Future] = set()

    async def start(self) -> None:
        self.idle = asyncio.Queue()
        loop = asyncio.get_running_loop()
        started = [self._spawn() for _ in range(self.size)]
        for worker in started:
            await loop.run_in_executor(None, worker.wait_ready, 60.0)
            self.idle.put_nowait(worker)

    def _spawn(self) -> _Worker:
        worker = _Worker(self.ctx, *self.args)
        self.workers.add(worker)
        return worker

    async def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and put a fresh one in the pool once it has started (in the background)."""
        loop = asyncio.get_running_loop()
        self.workers.discard(worker)
        await loop.run_in_executor(None, worker.kill)
        fresh = self._spawn()
        await loop.run_in_executor(None, fresh.wait_ready, 60.0)
        assert self.idle is not None
        self.idle.put_nowait(fresh)

    def _replace_later(self, worker: _Worker) -> None:
        task = asyncio.ensure_future(self._replace(worker))
        self.replacing.add(task)  # a reference, so the task is not collected before it ends
        task.add_done_callback(self.replacing.discard)

    async def run(self, name: str, *args: Any, timeout: float | None = None) -> Any:
        assert self.idle is not None, "WorkerPool.start() first"
        limit = self.timeout if timeout is None else timeout
        worker = await self.idle.get()
        loop = asyncio.get_running_loop()
        call = loop.run_in_executor(None, worker.call, name, args)
        # A killed worker's pipe ends the waiting thread with EOFError: nobody reads it then.
        call.add_done_callback(lambda done: done.cancelled() or done.exception())
        try:
            reply = await asyncio.wait_for(asyncio.shield(call), limit)
        except TimeoutError:
            self._replace_later(worker)
            raise JobError(503, f"query stopped after the {limit:g} s timeout") from None
        except (EOFError, OSError):
            self._replace_later(worker)
            raise JobError(500, "the query worker died; a new one is starting") from None
        except asyncio.CancelledError:  # the client went away: the job may still be running
            self._replace_later(worker)
            raise
        self.idle.put_nowait(worker)
        if reply[0] == "error":
            raise JobError(reply[1], reply[2])
        return reply[1]

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        for worker in list(self.workers):
            await loop.run_in_executor(None, worker.kill)
        self.workers.clear()
