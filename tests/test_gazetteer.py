"""The country gazetteer (kg/nlp/resources/gazetteer.*.jsonl): coverage, one owner per phrase, and the
countries it gives invented office holders of every region."""

from __future__ import annotations

from collections import Counter

import pytest
from factories import office_holdings

from kg.nlp.lexicon import lexicon, tokenize
from kg.nlp.resources_io import load_jsonl

COUNTRIES = load_jsonl("gazetteer.countries.jsonl", ("label", "pattern", "id", "name", "capital"))
PLACES = load_jsonl("gazetteer.places.jsonl", ("label", "pattern", "id", "name", "country"))


def test_gazetteer_lists_every_un_member_and_observer() -> None:
    status = Counter(c.get("un") for c in COUNTRIES)
    assert status["member"] == 193
    assert {c["name"] for c in COUNTRIES if c.get("un") == "observer"} == {"Palestine", "Vatican"}
    assert {"Kosovo", "Taiwan"} <= {c["name"] for c in COUNTRIES if "un" not in c}
    assert set(status) == {"member", "observer", None}


def test_gazetteer_every_country_has_its_capital_as_a_place() -> None:
    places = {p["id"]: p for p in PLACES}
    for country in COUNTRIES:
        capital = places[country["capital"]]
        assert capital["country"] == country["id"] and capital["capital"] is True, country["id"]


def test_gazetteer_phrase_names_one_country_or_place() -> None:
    # A demonym or name shared by two records would silently go to whichever loads first.
    owners = Counter(
        phrase
        for record in COUNTRIES + PLACES
        for phrase in {*record["pattern"], *record.get("demonyms", [])}
    )
    assert [phrase for phrase, n in owners.items() if n > 1] == []


def holdings(nlp, text: str) -> list[tuple]:
    return [
        (h["office"]["role"], h["office"]["country"], h["office"]["accredited_to"])
        for h in office_holdings(nlp, text)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ghanaian Foreign Minister Kwame Asante met the delegation.",
            ("Foreign Minister", "country:ghana", None),
        ),
        (
            "Kwame Asante, Minister of Foreign Affairs of the Republic of Ghana, met the delegation.",
            ("Foreign Minister", "country:ghana", None),
        ),
        ("Chilean President Tomás Rivera arrived.", ("President", "country:chile", None)),
        ("President of Chile Tomás Rivera arrived.", ("President", "country:chile", None)),
        ("Prime Minister of Peru Lucía Quispe arrived in Lima.", ("Prime Minister", "country:peru", None)),
        (
            "Peruvian Ambassador to Kenya Lucía Quispe attended.",
            ("Ambassador", "country:peru", "country:kenya"),
        ),
        # Apostrophes, hyphens and look-alike demonyms of neighbours.
        (
            "Foreign Minister of Cote d’Ivoire Awa Kone arrived.",
            ("Foreign Minister", "country:cote-divoire", None),
        ),
        ("Guinean President Alpha Sow spoke.", ("President", "country:guinea", None)),
        ("Bissau-Guinean President Alpha Sow spoke.", ("President", "country:guinea-bissau", None)),
        (
            "Equatorial Guinean President Pedro Nsue spoke.",
            ("President", "country:equatorial-guinea", None),
        ),
        (
            "Prime Minister of Papua New Guinea James Kora arrived.",
            ("Prime Minister", "country:papua-new-guinea", None),
        ),
        (
            "Ambassador of Kosovo to Albania Arben Krasniqi attended.",
            ("Ambassador", "country:kosovo", "country:albania"),
        ),
        (
            "Taiwanese Foreign Minister Lin Chen spoke.",
            ("Foreign Minister", "country:taiwan", None),
        ),
        (
            "Prime Minister of Saint Vincent and the Grenadines Ralph Baptiste spoke.",
            ("Prime Minister", "country:saint-vincent-and-the-grenadines", None),
        ),
    ],
)
def test_gazetteer_office_holder_gets_the_right_country(nlp, text: str, expected: tuple) -> None:
    assert holdings(nlp, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        # Capitals whose bare name is a common given name are places only when qualified.
        "Foreign Minister Santiago Ferrer met the delegation.",
        "President Victoria Lenz met the delegation.",
    ],
)
def test_gazetteer_given_name_is_not_taken_for_a_capital(nlp, text: str) -> None:
    doc = nlp(text)
    people = [s.text for s in doc.spans["kg_mentions"] if s.label_ == "PERSON"]
    places = [s.text for s in doc.spans["kg_mentions"] if s.label_ == "PLACE"]
    assert len(people) == 1 and people[0].split()[0] in {"Santiago", "Victoria"}
    assert places == []


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("Santiago de Chile", "place:santiago"),
        ("Accra", "place:accra"),
        ("Republic of the Congo", "country:republic-of-the-congo"),
        ("Democratic Republic of the Congo", "country:democratic-republic-of-the-congo"),
        ("United Republic of Tanzania", "country:tanzania"),
        ("Republic of Chile", "country:chile"),
    ],
)
def test_gazetteer_longest_phrase_wins(phrase: str, key: str) -> None:
    tokens = list(tokenize(phrase))
    hit = lexicon().gazetteer.match_at(tokens, 0)
    assert hit is not None and hit == (len(tokens), hit[1]) and hit[1].key == key


def test_gazetteer_ids_of_names_with_apostrophes_or_schwa_are_their_slug():
    """The dateline reader and the IRIs find a country or city by the ``slug`` of its name: for the
    names that an apostrophe or an ə could make ambiguous ("Côte d'Ivoire"), the gazetteer's id must
    be that slug (cote-divoire, never cote-d-ivoire)."""
    from kg.common.names import slug

    marked = [r for r in COUNTRIES + PLACES if any(c in r["name"] for c in "'’əƏ")]
    assert marked
    assert [r["id"] for r in marked] == [r["id"].split(":")[0] + ":" + slug(r["name"]) for r in marked]
