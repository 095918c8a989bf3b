"""The rule and vocabulary files of kg/nlp/resources/: they load, and a bad record names its file and line."""

from __future__ import annotations

import pytest

from kg.nlp.lexicon import lexicon
from kg.nlp.resources_io import load_jsonl, parse_jsonl, resource_names

OWN = ("gazetteer.", "mentions.", "offices.")


@pytest.mark.parametrize("name", [n for n in resource_names() if n.startswith(OWN)])
def test_resources_every_file_loads(name: str) -> None:
    records = load_jsonl(name)
    assert records
    assert all(r["id"] for r in records)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"label": "X", "pattern": ["a"], "id": "x"}\n{"label": "X"', "rules.jsonl, line 2: not valid JSON"),
        ('{"label": "X", "id": "x"}', "rules.jsonl, line 1: missing field(s) ['pattern']"),
        ('{"label": "X", "pattern": [], "id": "x"}', "rules.jsonl, line 1: 'pattern' must be"),
        ('// a note\n\n["not", "an", "object"]', "rules.jsonl, line 3: a record must be a JSON object"),
        (
            '{"label": "X", "pattern": "a", "id": "x"}\n{"label": "X", "pattern": "b", "id": "x"}',
            "rules.jsonl, line 2: duplicate id 'x' (first on line 1)",
        ),
    ],
)
def test_resources_bad_record_names_file_and_line(text: str, message: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_jsonl(text, "rules.jsonl")
    assert message in str(err.value)


def test_resources_unknown_file_is_named() -> None:
    with pytest.raises(ValueError, match=r"kg/nlp/resources/nope\.jsonl: no such resource file"):
        load_jsonl("nope.jsonl")


def test_resources_gazetteer_references_are_known_keys() -> None:
    lex = lexicon()
    for inst in lex.institutions.values():
        assert inst["country"] in (None, *lex.countries), inst["id"]
        assert inst.get("parent") in (None, *lex.institutions), inst["id"]
    for place in lex.places.values():
        assert place["country"] in lex.countries, place["id"]
    for country in lex.countries.values():
        assert country["capital"] in lex.places, country["id"]


@pytest.mark.parametrize(
    "country",
    [
        "Azerbaijan",
        "Kazakhstan",
        "Turkey",
        "Uzbekistan",
        "Kyrgyzstan",
        "Turkmenistan",
        "Russia",
        "Georgia",
        "Armenia",
        "Iran",
        "China",
    ],
)
def test_resources_region_countries_have_parliament_and_foreign_ministry(country: str) -> None:
    lex = lexicon()
    key = next(k for k, c in lex.countries.items() if c["name"] == country)
    subtypes = {i["subtype"] for i in lex.institutions.values() if i["country"] == key}
    assert {"Parliament", "Ministry", "Government"} <= subtypes
