"""The extraction benchmark end to end on a few articles (issue 6.2): spaCy alone, kg's NLP stage
alone and `kg build`, each in a fresh process, on the same texts, with the ratios the table prints."""

from __future__ import annotations

import pytest

from bench import extraction

pytestmark = pytest.mark.slow


def test_extraction_benchmark_measures_three_cases_on_the_same_texts():
    result = extraction.run([4], [1])
    [case] = result["cases"]
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
