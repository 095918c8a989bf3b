"""What every benchmark shares: timing, peak memory, a time limit, the table, and the JSON file."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def peak_rss_mb(children: bool = False) -> float:
    """Peak resident memory of this process (and of its finished children) in MB."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
    return usage.ru_maxrss / 1024


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),  # the machine is shared: say how busy it was
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def _child(fn: Callable[[], object], conn) -> None:
    # What the benchmark loaded before the fork (generated articles, quads) is not the measured
    # code's: frozen, the garbage collector does not rescan it during the timed runs, as it would
    # not exist in a `kg query` process.
    gc.freeze()
    try:
        conn.send(("ok", fn()))
    except BaseException as err:  # report any failure to the parent instead of dying silently
        conn.send(("error", f"{type(err).__name__}: {err}"))


def run_limited(fn: Callable[[], object], timeout: float) -> tuple[str, object]:
    """Run ``fn`` in a forked child (it sees everything loaded so far) and stop it after ``timeout``.

    Returns ("ok", value), ("error", message) or ("timeout", None). Forking keeps a loaded store
    without reloading it, and a query engine stuck in a slow plan can be stopped.
    """
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(fn, child))
    process.start()
    child.close()
    result = parent.recv() if parent.poll(timeout) else ("timeout", None)
    if process.is_alive():
        process.kill()
    process.join()
    return result


def timed_runs(fn: Callable[[], object], repeat: int, budget: float) -> list[float]:
    """Durations of up to ``repeat`` calls, stopping early once ``budget`` seconds are spent."""
    samples = []
    spent = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
        spent += samples[-1]
        if spent > budget:
            break
    return samples


def table(title: str, columns: list[str], rows: list[list[object]]) -> str:
    cells = [columns] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    lines = [title, "  ".join(c.ljust(w) for c, w in zip(cells[0], widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells[1:]]
    return "\n".join(lines) + "\n"


def save(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{name}-{stamp}.json"
    path.write_text(json.dumps({"benchmark": name, "machine": machine(), **data}, indent=2) + "\n")
    return path
