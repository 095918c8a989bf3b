"""Extraction speed: `kg build` words/s against spaCy's own `nlp.pipe` on the same generated texts.

Every case runs in a fresh process, so peak memory is that case's alone (children included when
``--jobs 2`` forks workers). Both sides include loading the model; kg's side also reads the files,
writes the store and refreshes the canonical graph, as `kg build` does.

A third case splits the figure: "pipeline" is kg's NLP stage alone, as `kg build` runs it (the
model with kg's components and the DocFacts they give, in worker processes with ``--jobs 2``) and
without the store, so kg/spaCy minus pipeline/spaCy is what resolving, validating and writing cost.

kg keeps its phrase tables in a cache between processes (kg/nlp/lexicon.py); the run fills it first, so
both kg cases read the tables as every build after the first does.

The machine is shared, so wall-clock words/s moves with other people's load. Each case also records
its CPU seconds (user + system, worker processes included), and the table gives the ratio of CPU
time as well: it is the steadier figure when the load average is high.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import peak_rss_mb, table
from bench.generate import write_corpus


def cpu_seconds() -> float:
    """User + system CPU time of this process and of its finished children (forked workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _worker(mode: str, corpus: Path, jobs: int, store: Path) -> dict:
    from kg.settings import Settings  # light; what each case imports is timed below

    paths = sorted(corpus.glob("*.txt"))
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    start, cpu_start = time.perf_counter(), cpu_seconds()
    if mode == "spacy":
        import spacy

        settings = Settings()
        nlp = spacy.load(settings.model)
        texts = (p.read_text(encoding="utf-8") for p in paths)
        for _doc in nlp.pipe(texts, batch_size=settings.batch_size, n_process=jobs):
            pass
        errors = 0
    elif mode == "pipeline":
        from kg.nlp.extract import extract
        from kg.nlp.facts import FileError
        from kg.nlp.pipeline import build_nlp
        from kg.read import read_paths

        settings = Settings(jobs=jobs)
        nlp = build_nlp(settings)
        extracted = extract(nlp, read_paths(paths).articles, settings.batch_size, jobs)
        errors = sum(isinstance(x, FileError) for x in extracted)
    else:
        from kg.pipeline import build

        report = build(paths, Settings(store=store, jobs=jobs))
        errors = len(report.errors)
    seconds = time.perf_counter() - start
    cpu = cpu_seconds() - cpu_start
    return {
        "mode": mode,
        "jobs": jobs,
        "articles": len(paths),
        "words": words,
        "seconds": round(seconds, 2),
        "words_per_s": round(words / seconds),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(peak_rss_mb() + peak_rss_mb(children=True), 1),
        "errors": errors,
    }


def run(sizes: list[int], jobs: list[int], seed: int = 0, repeat: int = 1) -> dict:
    """Each case ``repeat`` times, the three modes back to back in each round, so that a round's
    ratios compare runs made under the same load; a case reports its median round."""
    from kg.nlp.lexicon import lexicon

    lexicon()  # built and cached once if this version of the tables is not cached yet
    cases = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        for size in sizes:
            corpus = Path(tmp) / f"corpus-{size}"
            write_corpus(size, corpus, seed)
            for n in jobs:
                store = Path(tmp) / f"store-{size}-{n}"
                rounds = []
                for _round in range(repeat):
                    pair = {}
                    for mode in ("spacy", "pipeline", "kg"):
                        command = [sys.executable, "-m", "bench.extraction", mode, str(corpus), str(n)]
                        command.append(str(store))
                        done = subprocess.run(command, capture_output=True, text=True, check=False)
                        if done.returncode != 0:
                            raise RuntimeError(f"{mode} on {size} articles failed:\n{done.stderr[-2000:]}")
                        pair[mode] = json.loads(done.stdout.strip().splitlines()[-1])
                    shutil.rmtree(store, ignore_errors=True)  # each round's kg builds a new store
                    rounds.append(_with_ratios(pair))
                case = median_round(rounds)
                cases.append(case)
                print(_row_text(case), file=sys.stderr)
    rows = [
        [
            c["kg"]["articles"],
            c["kg"]["jobs"],
            c["spacy"]["words_per_s"],
            c["kg"]["words_per_s"],
            f"{c['ratio']:.2f}x{_spread(c)}",
            f"{c['cpu_ratio']:.2f}x",
            f"{c['pipeline_ratio']:.2f}x",
            c["spacy"]["peak_rss_mb"],
            c["kg"]["peak_rss_mb"],
            c["kg"]["seconds"],
        ]
        for c in cases
    ]
    columns = ["articles", "jobs", "spaCy words/s", "kg words/s", "kg/spaCy", "CPU kg/spaCy"]
    columns += ["pipeline/spaCy", "spaCy MB", "kg MB", "kg s"]
    text = table("Extraction: kg build vs spaCy nlp.pipe (target kg/spaCy >= 0.8x)", columns, rows)
    return {"cases": cases, "table": text}


def _with_ratios(pair: dict) -> dict:
    baseline = pair["spacy"]["words_per_s"]
    pair["ratio"] = round(pair["kg"]["words_per_s"] / baseline, 2)
    pair["pipeline_ratio"] = round(pair["pipeline"]["words_per_s"] / baseline, 2)
    pair["cpu_ratio"] = round(pair["spacy"]["cpu_seconds"] / pair["kg"]["cpu_seconds"], 2)
    return pair


def median_round(rounds: list[dict]) -> dict:
    """The round with the median kg/spaCy ratio (the lower middle one of an even count), with every
    round's ratios beside it: a single round on a shared machine can be off by a third either way."""
    chosen = dict(sorted(rounds, key=lambda r: r["ratio"])[(len(rounds) - 1) // 2])
    chosen["rounds"] = [
        {k: r[k] for k in ("ratio", "cpu_ratio", "pipeline_ratio")} | {"kg_seconds": r["kg"]["seconds"]}
        for r in rounds
    ]
    return chosen


def _spread(case: dict) -> str:
    ratios = [r["ratio"] for r in case.get("rounds", ())]
    return f" ({min(ratios):.2f}-{max(ratios):.2f})" if len(ratios) > 1 else ""


def _row_text(pair: dict) -> str:
    return (
        f"  {pair['kg']['articles']} articles, jobs {pair['kg']['jobs']}: "
        f"ratio {pair['ratio']}{_spread(pair)} (CPU {pair['cpu_ratio']}; "
        f"NLP stage alone {pair['pipeline_ratio']})"
    )


if __name__ == "__main__":
    mode, corpus, jobs, store = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    print(json.dumps(_worker(mode, corpus, jobs, store)))
