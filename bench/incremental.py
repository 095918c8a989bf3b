"""Incremental updates: add or replace one document in stores of 100, 1 000 and 10 000 documents.

Stores are bulk-loaded from generated graphs (bench/graphgen.py). Measured per size, each in one
transaction that also keeps graph/canonical in step: ``Store.replace_article`` with a new article,
then with the same article again (a replacement), then ``Store.remove_article``; and a whole
`kg build` of one new file into that store, linked as `kg build` leaves it (reading, extraction
with model load, commit, linking of what changed, and statistics).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.common import median_ms, table
from bench.generate import generate
from bench.graphgen import iter_quads, to_docfacts

REPEAT = 5


def run(sizes: list[int], seed: int = 0) -> dict:
    from kg.graph.rdf import to_triples
    from kg.graph.store import Store
    from kg.pipeline import build, link_offline, load_reference_graphs
    from kg.settings import Settings

    results = []
    largest = max(sizes)
    extra = list(generate(largest + REPEAT + 1, seed))[largest:]  # never in any of the stores
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="kg-bench-inc-") as tmp:
            path = Path(tmp) / "store"
            data = "\n".join(line for _, lines in iter_quads(size, seed) for line in lines)
            with Store(path) as store:
                store.bulk_load(data.encode("utf-8"), "nquads")
                load_reference_graphs(store)
                store.rebuild_canonical()
                triples = store.count_triples()
                adds, replaces, removes = [], [], []
                for article in extra[:REPEAT]:
                    facts = to_docfacts(article)
                    quads = to_triples(facts)
                    for samples in (adds, replaces):  # first a new article, then the same one again
                        start = time.perf_counter()
                        store.replace_article(facts.article.id, quads)
                        samples.append(time.perf_counter() - start)
                for article in extra[:REPEAT]:
                    start = time.perf_counter()
                    store.remove_article(to_docfacts(article).article.id)
                    removes.append(time.perf_counter() - start)
                # A store `kg build` made is linked; the timed build below links what it changes.
                link_offline(store)
            one = Path(tmp) / "new"
            one.mkdir()
            (one / f"{extra[-1].stem}.txt").write_text(extra[-1].text, encoding="utf-8")
            start = time.perf_counter()
            report = build([one], Settings(store=path))
            build_s = time.perf_counter() - start
        row = {
            "documents": size,
            "triples": triples,
            "add_ms": median_ms(adds),
            "replace_ms": median_ms(replaces),
            "remove_ms": median_ms(removes),
            "kg_build_one_file_s": round(build_s, 2),
            "build_errors": len(report.errors),
        }
        print(f"  {row}", file=sys.stderr)
        results.append(row)
    columns = [
        "documents",
        "triples",
        "add 1 doc ms",
        "replace 1 doc ms",
        "remove 1 doc ms",
        "kg build 1 file s",
    ]
    rows = [
        [
            r["documents"],
            r["triples"],
            r["add_ms"],
            r["replace_ms"],
            r["remove_ms"],
            r["kg_build_one_file_s"],
        ]
        for r in results
    ]
    text = table("Incremental: one document into a store of N documents (target: flat in N)", columns, rows)
    return {"sizes": results, "table": text}
