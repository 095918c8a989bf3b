"""Store benchmarks on generated graphs of ~100k and ~1M triples.

The graphs are made directly as quads in the shape `kg build` writes (bench/graphgen.py), not by
extraction, which would take hours here. Measured: Oxigraph's bulk loader against adding quads one
by one through rdflib's API; then every saved query's median latency on the kg Store (Oxigraph
through oxrdflib, as `kg query` runs it) against rdflib's default in-memory engine on the same
quads (the same query text, parameters in VALUES blocks), each query in a forked child that is
stopped at its time limit.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.common import median_ms, peak_rss_mb, run_limited, table, timed_runs
from bench.generate import generate
from bench.graphgen import write_nquads

LOOKUP_TARGET_MS = 50  # a query with a parameter, on 1M triples
AGGREGATE_TARGET_MS = 1000  # a whole-graph query, on 1M triples
SPEEDUP_TARGET = 20


def sample_params(n_articles: int, seed: int = 0) -> dict[str, str]:
    """Parameter values that find a lot: the busiest person and the most frequent pair of countries."""
    people: Counter = Counter()
    pairs: Counter = Counter()
    for article in generate(n_articles, seed):
        for event in article.events:
            people.update(event.participants)
            pairs[(event.host_country, event.guest_country)] += 1
    person = people.most_common(1)[0][0]
    a, b = pairs.most_common(1)[0][0]
    return {"person": person, "entity": person, "country_a": a, "country_b": b}


def _params_for(query, values: dict[str, str]) -> dict[str, str]:
    return {p.name: values.get(p.name, values["person"]) for p in query.params if p.type == "string"}


def run(
    sizes: list[int],
    repeat: int = 5,
    timeout: float = 60,
    rdflib_timeout: float = 20,
    adds_limit: int = 200_000,
    seed: int = 0,
) -> dict:
    results = []
    text = ""
    for target in sizes:
        with tempfile.TemporaryDirectory(prefix="kg-bench-store-") as tmp:
            result = _one_size(Path(tmp), target, repeat, timeout, rdflib_timeout, adds_limit, seed)
        results.append(result)
        text += _tables(result)
    return {"sizes": results, "table": text}


def _one_size(
    tmp: Path, target: int, repeat: int, timeout: float, rdflib_timeout: float, adds_limit: int, seed: int
) -> dict:
    from rdflib import Dataset

    from kg.graph.store import PREFIXES, Store
    from kg.pipeline import load_reference_graphs
    from kg.sparql.catalogue import bind_params, bind_values, load_queries
    from kg.sparql.local import run_query

    log = lambda message: print(f"  [{target:,} triples] {message}", file=sys.stderr)  # noqa: E731
    source = tmp / "graph.nq"
    start = time.perf_counter()
    articles, triples = write_nquads(source, target, seed)
    log(f"generated {articles} articles, {triples} quads in {time.perf_counter() - start:.1f} s")

    store = Store(tmp / "bulk")
    start = time.perf_counter()
    store.bulk_load(source, "nquads")
    bulk_s = time.perf_counter() - start
    start = time.perf_counter()
    load_reference_graphs(store)
    store.rebuild_canonical()
    canonical_s = time.perf_counter() - start
    log(f"bulk load {bulk_s:.1f} s, reference + canonical graphs {canonical_s:.1f} s")

    adds_s = None
    if triples <= adds_limit:
        adds_s = _one_by_one(source, tmp / "adds")
        log(f"one-by-one adds {adds_s:.1f} s")

    queries = load_queries()
    values = sample_params(articles, seed)
    # The machine is shared: how busy it was when the queries were timed, not only at the end.
    query_load = round(os.getloadavg()[0], 2)
    rows = []
    for name, query in queries.items():
        params = _params_for(query, values)
        status, samples = run_limited(
            lambda name=name, params=params: timed_runs(
                lambda: run_query(store, name, params, queries), repeat, timeout
            ),
            timeout,
        )
        count = len(run_query(store, name, params, queries).rows) if status == "ok" else None
        row = {"query": name, "params": params, "rows": count, "oxigraph_ms": _ms(status, samples, timeout)}
        rows.append(row)
        log(f"{name}: {row['oxigraph_ms']} ms")

    # rdflib's default engine on exactly the same quads (canonical and reference graphs included).
    exported = tmp / "all.nq"
    store.export("nquads", exported, include_ontology=True)
    store.close()
    dataset = Dataset(default_union=True)
    start = time.perf_counter()
    dataset.parse(exported, format="nquads")
    rdflib_load_s = time.perf_counter() - start
    log(f"rdflib parse {rdflib_load_s:.1f} s")
    for row in rows:
        query = queries[row["query"]]
        bindings = bind_params(query, row["params"])

        # The text kg runs (parameters in VALUES blocks), ORDER BY left to the engine.
        text = bind_values(query.text, bindings)

        def rdflib_query(text=text) -> int:
            return len(list(dataset.query(text, initNs=PREFIXES)))

        status, samples = run_limited(
            lambda fn=rdflib_query: timed_runs(fn, repeat, rdflib_timeout), rdflib_timeout
        )
        row["rdflib_ms"] = _ms(status, samples, rdflib_timeout)
        log(f"rdflib {row['query']}: {row['rdflib_ms']} ms")
        _judge(row, triples)
    return {
        "target_triples": target,
        "triples": triples,
        "articles": articles,
        "generated_directly": "quads from the generator's facts through kg/graph/rdf.py, not extraction",
        "bulk_load_s": round(bulk_s, 2),
        "canonical_s": round(canonical_s, 2),
        "one_by_one_adds_s": round(adds_s, 2) if adds_s is not None else None,
        "rdflib_load_s": round(rdflib_load_s, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "load_average_1m_at_queries": query_load,
        "queries": rows,
    }


def _one_by_one(source: Path, path: Path) -> float:
    """Quads added one at a time through rdflib's API (oxrdflib store): the slow way."""
    import pyoxigraph as ox
    from oxrdflib._converter import from_ox

    from kg.graph.store import Store

    quads = [
        (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), from_ox(q.graph_name))
        for q in ox.parse(path=str(source), format=ox.RdfFormat.N_QUADS)
    ]
    store = Store(path)
    start = time.perf_counter()
    for quad in quads:
        store.dataset.add(quad)
    seconds = time.perf_counter() - start
    store.close()
    return seconds


def _ms(status: str, samples, limit: float) -> float | str:
    if status == "ok":
        return median_ms(samples)
    if status == "timeout":
        return f">{limit:g}s"
    return f"error: {samples}"


def _judge(row: dict, triples: int) -> None:
    ox_ms, rdf_ms = row["oxigraph_ms"], row["rdflib_ms"]
    if isinstance(ox_ms, float) and isinstance(rdf_ms, float):
        row["speedup"] = round(rdf_ms / max(ox_ms, 0.01), 1)
    elif isinstance(ox_ms, float) and str(rdf_ms).startswith(">"):
        limit = float(str(rdf_ms)[1:-1]) * 1000
        row["speedup"] = f">{limit / max(ox_ms, 0.01):.0f}"
    else:
        row["speedup"] = None
    target = LOOKUP_TARGET_MS if row["params"] else AGGREGATE_TARGET_MS
    row["target_ms"] = target
    if triples >= 900_000:
        row["meets_target"] = isinstance(ox_ms, float) and ox_ms <= target


def _tables(result: dict) -> str:
    adds = result["one_by_one_adds_s"]
    head = (
        f"Store, {result['triples']:,} triples ({result['articles']:,} generated articles; "
        f"graph made directly, not by extraction)\n"
        f"  bulk load {result['bulk_load_s']} s; one-by-one adds "
        f"{'not run' if adds is None else f'{adds} s'}; "
        f"canonical graph {result['canonical_s']} s; rdflib parse {result['rdflib_load_s']} s; "
        f"peak RSS {result['peak_rss_mb']} MB; load average {result['load_average_1m_at_queries']} "
        f"when the queries were timed\n"
    )
    columns = ["query", "rows", "kg (Oxigraph) ms", "rdflib ms", "speedup", "target ms"]
    rows = [
        [
            r["query"],
            r["rows"],
            r["oxigraph_ms"],
            r["rdflib_ms"],
            r["speedup"],
            r["target_ms"],
        ]
        for r in result["queries"]
    ]
    return head + table("Saved queries, median latency", columns, rows) + "\n"
