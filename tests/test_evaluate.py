"""The scorer on a tiny gold file, and the extraction targets on the seeds (issue 3)."""

import json
import os
import subprocess
import sys

import pytest
from conftest import GOLD, ROOT

from kg.evaluate.score import EvalReport, _date_fits, evaluate, format_report, norm

TARGETS = {"persons": 0.95, "offices": 0.9, "pairs": 0.9, "pairs_dated": 0.85}


def test_evaluate_norm_folds_case_accents_and_article():
    assert norm("The Speaker of the Milli Majlis") == norm("speaker of the milli majlis")
    assert norm("Şahin Ağa") == "sahin aga"


@pytest.mark.skipif(not GOLD.exists(), reason=f"gold file not found at {GOLD}")
def test_evaluate_seeds_meet_targets(built_store):
    report = evaluate(GOLD, built_store)
    text = format_report(report)
    for metric, target in TARGETS.items():
        assert report.scores[metric].f1 >= target, f"{metric} F1 below {target}:\n{text}"


def test_evaluate_counts_misses_and_spurious(built_store, tmp_path):
    """A gold file with one right and one made-up fact: the scorer must see both."""
    gold = {
        "persons": [{"name": "Sahiba Gafarova", "aliases": []}, {"name": "Nobody Real", "aliases": []}],
        "offices": [],
        "events": [
            {
                "docs": ["003"],
                "date": "2021-04-15",
                "date_precision": "day",
                "participants": ["Sahiba Gafarova", "Maulen Ashimbayev"],
            },
            {
                "docs": ["003"],
                "date": "1999-01-01",
                "date_precision": "day",
                "participants": ["Sahiba Gafarova", "Nobody Real"],
            },
        ],
    }
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold))
    report = evaluate(path, built_store)
    assert report.scores["persons"].tp == 1 and report.scores["persons"].fn == 1
    assert report.scores["persons"].fp >= 5  # every other seed person is spurious against this gold
    assert "003: Nobody Real & Sahiba Gafarova" in report.missed["pairs"]
    assert report.scores["pairs"].tp == 1 and report.scores["pairs"].fn == 1  # right pair, made-up pair


def _gold_people() -> list[str]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    names = set()
    for person in gold["persons"]:
        for spelling in [person["name"], *person.get("aliases", [])]:
            parts = spelling.split()
            if (
                len(parts) >= 2
                and parts[0][0].isupper()
                and parts[-1][0].isupper()
                and parts[0]
                not in (
                    "President",
                    "Speaker",
                    "Mr",
                    "Mrs",
                    "Madame",
                    "Ambassador",
                    "Commander-in-Chief",
                    "The",
                    "the",
                )
            ):
                names.add(spelling)
    return sorted(names)


@pytest.mark.skipif(not GOLD.exists(), reason=f"gold file not found at {GOLD}")
def test_evaluate_no_rule_or_list_names_a_gold_person():
    """Rules describe language; people come from the text. (data/reference is Wikidata reference data
    for linking, which issue 4 asks to cover well-known office holders, and data/docs is the input.)"""
    names = _gold_people()
    assert len(names) >= 8
    files = [
        p for p in (ROOT / "kg").rglob("*") if p.is_file() and p.suffix in {".py", ".jsonl", ".tsv", ".json"}
    ]
    files += [
        p
        for p in (ROOT / "data").rglob("*")
        if p.is_file() and not any(part in p.parts for part in ("docs", "reference", "store", "cache"))
    ]
    files += list((ROOT / "ontology").glob("*.ttl")) + list((ROOT / "queries").glob("*.rq"))
    offenders = [
        f"{p.relative_to(ROOT)}: {name}"
        for p in files
        for name in names
        if name in p.read_text(encoding="utf-8", errors="ignore")
    ]
    assert not offenders, offenders


def test_evaluate_mean_counts_article_with_nothing_either_side_as_one():
    report = EvalReport()
    report.articles = {"a", "b", "c"}
    report.count("pairs", "a", "tp", "a: X & Y")  # right: 1.0
    report.count("pairs", "b", "fp", "b: X & Z")  # invented only: 0.0
    # "c": no gold pair, no predicted pair: 1.0
    assert report.mean_f1("pairs") == pytest.approx(2 / 3)
    assert report.scores["pairs"].f1 == pytest.approx(2 / 3)  # micro: P 1/2, R 1/1


def test_evaluate_mean_counts_article_with_gold_and_no_prediction_as_zero():
    report = EvalReport()
    report.articles = {"a", "b"}
    report.count("pairs_dated", "a", "fn", "a: X & Y on 2020")
    assert report.mean_f1("pairs_dated") == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("predicted", "gold", "fits"),
    [
        ("2021-04-15", "2021-04-15", True),
        ("2021-04-15", "2021-04", True),
        ("2021-04", "2021-04-15", False),
        ("", "2021-04", False),
        ("", "", True),  # gold says the text gives no date: none is right
        ("2021-04-15", "", False),  # and a date the text does not give is wrong
    ],
)
def test_evaluate_date_fits_gold_precision(predicted, gold, fits):
    assert _date_fits(predicted, gold) is fits


def test_evaluate_details_group_misses_by_class(built_store, tmp_path):
    gold = {
        "persons": [{"name": "Sahiba Gafarova", "aliases": []}, {"name": "Nobody Real", "aliases": []}],
        "offices": [],
        "events": [
            {"docs": ["003"], "date": None, "participants": ["Sahiba Gafarova", "Nobody Real"]},
        ],
    }
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold))
    report = evaluate(path, built_store)
    assert report.classes["pairs"]["missed"]["person not found (in the article)"] == [
        "003: Nobody Real & Sahiba Gafarova"
    ]
    assert "missed pairs: person not found (in the article) (1)" in format_report(report)
    assert report.mean_f1("pairs") < 1.0


def test_pair_matching_and_details_do_not_follow_string_hashes():
    """Pairs are frozensets, whose ``str`` follows the run's string hashes: sorted by it, the
    matching and the --details lists changed from run to run. Run under four hash seeds."""
    script = (
        "from kg.evaluate.score import EvalReport, _match_sets\n"
        "people = ['Ivo Brandt', 'Lena Marsh', 'Tomas Oyelaran', 'Mara Quist', 'Dana Kurmanova']\n"
        "pairs = [frozenset((a, b)) for i, a in enumerate(people) for b in people[i + 1 :]]\n"
        "predicted = {('d1', p) for p in pairs[::2]}\n"
        "wanted = {('d1', p) for p in pairs[1::2]} | {('d1', pairs[0])}\n"
        "report = EvalReport()\n"
        "_match_sets(report, 'pairs', predicted, wanted, lambda p, g: p == g,\n"
        "            lambda g, dated: 'missed', lambda p, dated: 'spurious')\n"
        "print(report.missed['pairs'], report.spurious['pairs'])\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(4)
    }
    assert len(outputs) == 1, outputs
