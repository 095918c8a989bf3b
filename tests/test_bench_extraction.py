"""The extraction benchmark end to end on a few articles (issue 6.2): spaCy alone, kg's NLP stage
alone and `kg build`, each in a fresh process, on the same texts, with the ratios the table prints."""

from __future__ import annotations

import pytest

from bench import extraction

pytestmark = pytest.mark.slow


def test_extraction_benchmark_measures_three_cases_on_the_same_texts():
    result = extraction.run([4], [1], repeat=2)
    [case] = result["cases"]
    assert len(case["rounds"]) == 2 and case["ratio"] == min(r["ratio"] for r in case["rounds"])
    modes = ("spacy", "pipeline", "kg")
    assert [case[m]["mode"] for m in modes] == list(modes)
    assert len({case[m]["words"] for m in modes}) == 1 and case["kg"]["words"] > 500
    assert all(case[m]["articles"] == 4 and case[m]["errors"] == 0 for m in modes)
    assert all(case[m]["seconds"] > 0 and case[m]["peak_rss_mb"] > 100 for m in modes)
    baseline = case["spacy"]["words_per_s"]
    assert case["ratio"] == round(case["kg"]["words_per_s"] / baseline, 2)
    assert case["pipeline_ratio"] == round(case["pipeline"]["words_per_s"] / baseline, 2)
    header = result["table"].splitlines()[1]
    assert "kg/spaCy" in header and "pipeline/spaCy" in header


def test_extraction_benchmark_reports_the_median_round():
    def round_(ratio: float) -> dict:
        return {"ratio": ratio, "cpu_ratio": ratio, "pipeline_ratio": 1.0, "kg": {"seconds": 10 / ratio}}

    case = extraction.median_round([round_(0.9), round_(0.6), round_(1.1), round_(0.8), round_(0.85)])
    assert case["ratio"] == 0.85
    assert [r["ratio"] for r in case["rounds"]] == [0.9, 0.6, 1.1, 0.8, 0.85]  # in the order run
    assert extraction.median_round([round_(0.9), round_(0.7)])["ratio"] == 0.7  # even: the lower one
    assert "(0.60-1.10)" in extraction._spread(case)
