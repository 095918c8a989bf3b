"""Extraction quality on the development corpora (issue 19): each corpus in ../shared built into a
fresh store and scored with `kg eval`; a score below its floor fails.

The floors are the scores measured when they were last raised, less a small margin for noise; raise
them as extraction improves (never lower one to make a change pass). The world set's targets are
persons >= 0.95, offices >= 0.85, pairs and dated pairs >= 0.90 (micro and per-article mean); the
seeds stay >= 0.95 on every measure.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT

from kg.evaluate.score import MEAN_METRICS, METRICS, class_counts, evaluate, format_report
from kg.graph.canonical import slug_mismatches
from kg.graph.store import Store
from kg.pipeline import build
from kg.settings import Settings

pytestmark = pytest.mark.slow

SHARED = ROOT.parent / "shared"

# corpus -> measure -> floor. "<metric>" is the micro F1, "<metric> mean" the per-article mean.
# Measured 2026-12-06 (main with the offices3 branch: ministries, bodies named in full, members' titles, hosts
# of a venue) on fresh stores: world persons 0.992, offices 0.878 (P .895 R .862),
# pairs 0.985 / mean 0.965, dated pairs 0.968 / mean 0.941; seeds 1.0 everywhere but offices 0.971.
FLOORS: dict[str, dict[str, float]] = {
    "world": {
        "persons": 0.97,
        "offices": 0.85,
        "pairs": 0.96,
        "pairs_dated": 0.94,
        "pairs mean": 0.94,
        "pairs_dated mean": 0.92,
    },
    "seeds": {
        "persons": 0.95,
        "offices": 0.95,
        "pairs": 0.95,
        "pairs_dated": 0.95,
        "pairs mean": 0.95,
        "pairs_dated mean": 0.95,
    },
}


def _corpus(name: str) -> tuple[Path, Path]:
    corpus, gold = SHARED / "corpus" / name, SHARED / "gold" / f"{name}.json"
    for path in (corpus, gold):
        if not path.exists():
            pytest.skip(f"{path} not found: the development corpora live in ../shared, outside the repo")
    return corpus, gold


def _scores(report) -> dict[str, float]:
    scores = {metric: report.scores[metric].f1 for metric in METRICS}
    scores |= {f"{metric} mean": report.mean_f1(metric) for metric in MEAN_METRICS}
    return scores


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_corpus_scores_stay_above_floors(name, tmp_path):
    corpus, gold = _corpus(name)
    store_path = tmp_path / "store"
    build([corpus], Settings(store=store_path))  # a refused article costs its facts: it is scored
    with Store(store_path, read_only=True) as store:
        report = evaluate(gold, store)
        # Issue 22: every person's IRI is the slug of the label the graph shows (142 of the world
        # set's persons were not when IRIs came from folded keys; gazetteer keys are not checked).
        drifted = [(str(iri), label) for iri, label in slug_mismatches(store) if "/person/" in iri]
    assert drifted == [], f"{name}: person IRIs that are not the slug of their preferred label"
    scores = _scores(report)
    below = {m: (round(scores[m], 3), floor) for m, floor in FLOORS[name].items() if scores[m] < floor}
    summary = format_report(report, details=False) + json.dumps(class_counts(report), indent=1)
    assert not below, f"{name}: below the floor (score, floor): {below}\n{summary}"
