"""Load on `kg serve`: concurrent clients for a fixed time while `kg build` adds articles, and the
same SPARQL load on `oxigraph serve` over the same data.

Everything runs on 127.0.0.1 (servers on free ports), each client loop is bounded by the run's
duration, and every process started here is stopped here. Runs:

- ``kg-app``: the saved-query API (/queries/NAME.json) and entity pages (/id/person/... as HTML),
  while a `kg build` subprocess writes ``--add`` more articles into the store being served;
- ``kg-sparql`` and ``oxigraph-sparql``: the saved queries' SPARQL text (parameters bound) POSTed to
  each server's endpoint, no build running (Oxigraph's server holds the store's lock, so a build
  cannot write beside it).

An error is any answer but 200, or a failed connection. Latency is per request, end to end.
"""

from __future__ import annotations

import http.client
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from bench.common import table
from bench.generate import write_corpus

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(port: int, path: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"no server on 127.0.0.1:{port} after {seconds:g} s")


def _kg(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg.cli", *args], cwd=ROOT, **kw)


def load(
    port: int, requests: list[tuple[str, str, bytes | None, dict]], clients: int, seconds: float
) -> dict:
    """``clients`` threads, each with its own keep-alive connection, sending requests picked at
    random from ``requests`` for ``seconds``; latencies and errors."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine: list[float] = []
        while time.monotonic() < stop:
            method, path, body, headers = rng.choice(requests)
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    with lock:
                        errors.append(f"{response.status} {path[:80]}")
            except OSError as err:
                with lock:
                    errors.append(f"{type(err).__name__} {path[:80]}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1) if ordered else 0.0

    return {
        "requests": len(latencies),
        "per_s": round(len(latencies) / seconds, 1),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:10],
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 1) if ordered else 0.0,
    }


def _sparql_requests(store_path: Path, endpoint: str) -> list[tuple[str, str, bytes | None, dict]]:
    from kg.sparql.catalogue import bind_params, bind_values, load_queries

    queries = load_queries()
    params = _params(store_path)
    requests = []
    for name, query in queries.items():
        text = bind_values(query.text, bind_params(query, params.get(name, {})))
        body = urllib.parse.urlencode({"query": text}).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        }
        requests.append(("POST", endpoint, body, headers))
    return requests


def _params(store_path: Path) -> dict[str, dict[str, str]]:
    """Parameters for the saved queries that take them: names from the store itself."""
    from kg.graph.store import Store
    from kg.sparql.local import run_query

    with Store(store_path, read_only=True) as store:
        persons = [row[0] for row in run_query(store, "persons").rows]
        countries = sorted({row[4] for row in run_query(store, "meetings").rows if row[4]})
    return {
        "who-met": {"person": persons[0]},
        "person-profile": {"person": persons[0]},
        "timeline": {"entity": countries[0]},
        "topics-between": {"country_a": countries[0], "country_b": countries[-1]},
        "_persons": {str(i): p for i, p in enumerate(persons[:20])},
    }


def _app_requests(store_path: Path) -> list[tuple[str, str, bytes | None, dict]]:
    from kg.graph.store import Store
    from kg.sparql.catalogue import load_queries

    params = _params(store_path)
    requests = []
    for name in load_queries():
        query = urllib.parse.urlencode(params.get(name, {}))
        requests.append(("GET", f"/queries/{name}.json?{query}", None, {}))
    with Store(store_path, read_only=True) as store:
        iris = [str(row[0]) for row in store.select("SELECT ?p WHERE { ?p a dkg:Person } LIMIT 20")]
    for iri in iris:
        path = "/" + iri.split("/diplomacy-kg/", 1)[1]
        requests.append(("GET", path, None, {"Accept": "text/html"}))
    for name in list(params["_persons"].values())[:5]:
        requests.append(("GET", "/api/search?q=" + urllib.parse.quote(name[:-1]), None, {}))
    return requests


def run(articles: int = 100, add: int = 100, clients: int = 50, seconds: float = 30, seed: int = 0) -> dict:
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="kg-bench-serve-") as tmp:
        root = Path(tmp)
        paths = write_corpus(articles + add, root / "docs", seed)
        first, more = root / "first", root / "more"
        first.mkdir()
        more.mkdir()
        for i, path in enumerate(paths):
            shutil.move(path, (first if i < articles else more) / path.name)
        store = root / "store"
        subprocess.run(
            [sys.executable, "-m", "kg.cli", "build", str(first), "--store", str(store), "--quiet"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        export = root / "data.nq"
        with export.open("wb") as out:
            subprocess.run(
                [sys.executable, "-m", "kg.cli", "export", "--format", "nquads", "--store", str(store)],
                cwd=ROOT,
                check=True,
                stdout=out,
            )
        app_requests = _app_requests(store)
        kg_sparql = _sparql_requests(store, "/sparql")
        ox_sparql = _sparql_requests(store, "/query")

        # kg serve, SPARQL only, nothing writing.
        port = _free_port()
        server = _kg("serve", "--store", str(store), "--port", str(port), stdout=subprocess.DEVNULL)
        try:
            _wait(port, "/queries")
            load(port, kg_sparql, 4, 3)  # warm: the workers' first answers
            results["kg-sparql"] = load(port, kg_sparql, clients, seconds)
            # kg serve, saved-query API and pages, while a build adds articles.
            build = _kg(
                "build",
                str(more),
                "--store",
                str(store),
                "--quiet",
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            started = time.monotonic()
            results["kg-app-during-build"] = load(port, app_requests, clients, seconds)
            build_done = build.poll() is not None
            build_rc = build.wait()
            results["kg-app-during-build"]["build"] = {
                "finished_within_load": build_done,
                "exit_code": build_rc,
                "seconds": round(time.monotonic() - started, 1),
            }
            results["kg-app-after-build"] = load(port, app_requests, clients, seconds)
        finally:
            server.terminate()
            server.wait(30)

        # oxigraph serve on the same data (the first articles, as kg-sparql saw them).
        oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        if Path(oxigraph).exists():
            location = root / "oxigraph"
            subprocess.run(
                [oxigraph, "load", "--location", str(location), "--file", str(export)],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            port = _free_port()
            server = subprocess.Popen(
                [oxigraph, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                _wait(port, "/")
                load(port, ox_sparql, 4, 3)
                results["oxigraph-sparql"] = load(port, ox_sparql, clients, seconds)
            finally:
                server.terminate()
                server.wait(30)
    rows = [
        [name, r["requests"], r["per_s"], r["errors"], r["p50_ms"], r["p99_ms"], r["mean_ms"]]
        for name, r in results.items()
    ]
    title = f"{clients} clients x {seconds:g} s; store of {articles} articles, `kg build` adding {add}"
    return {
        "articles": articles,
        "added": add,
        "clients": clients,
        "seconds": seconds,
        "results": results,
        "table": table(title, ["run", "requests", "per s", "errors", "p50 ms", "p99 ms", "mean ms"], rows),
    }
