"""bench/serve.py's load generator against a real `kg serve`: it counts answers and errors."""

from __future__ import annotations

import urllib.parse

import pytest
from factories import invented_store, served

from bench.serve import load

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    path = invented_store(tmp_path_factory.mktemp("bench-serve") / "store")
    with served(path) as url:
        yield int(urllib.parse.urlsplit(url).port)


def test_bench_serve_load_counts_answers_and_latencies(port):
    result = load(port, [("GET", "/queries/persons.json", None, {})], clients=4, seconds=1)
    assert result["requests"] > 4 and result["errors"] == 0
    assert 0 < result["p50_ms"] <= result["p99_ms"]


def test_bench_serve_load_counts_a_non_200_as_an_error(port):
    result = load(port, [("GET", "/queries/no-such-query.json", None, {})], clients=2, seconds=0.5)
    assert result["errors"] == result["requests"] > 0
    assert result["error_samples"] == ["404 /queries/no-such-query.json"]
