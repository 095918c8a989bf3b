"""Issue 19, offices: a post of a body the gazetteer does not know, named in full.

Classes: a committee whose name joins words with "and" ("Trade and Energy Committee") or a
possessive ("People's Council") is read whole, also when a place's name opens it; a body named in
full is an institution of its own (of the holder's country, labelled as written), not a post of the
country or of its legislature; a body named through another's ("the NA's Committee on Trade") is
named without the possessor, and only when the rest is a name of its own; a committee's remit in
capitals ("on Trade, Energy and Transport") is part of its name. The persons, bodies and
sentences are invented.
"""

from __future__ import annotations

import pytest

from tests.factories import article


def posts_of(nlp, text: str, person: str) -> set[tuple[str, str | None, str | None]]:
    """(role, institution, body) of every holding of ``person``."""
    doc = nlp(text)
    return {
        (h["office"]["role"], h["office"]["institution"], h["office"]["body"])
        for h in doc._.kg_office_holdings
        if h["person"] == person
    }


@pytest.mark.parametrize(
    ("text", "role", "body"),
    [
        (
            "Foreign Minister Ivo Brandt and Chair of Parliamentary Trade and Energy Committee Mara Quist "
            "met him.",
            "Chair",
            "Parliamentary Trade and Energy Committee",
        ),
        (
            "The guests were welcomed by Mara Quist, Vice Chairman of the Lyon City People's Council, and "
            "others.",
            "Vice Chairman",
            "Lyon City People's Council",
        ),
    ],
)
def test_body_named_in_full_is_an_institution(nlp, text: str, role: str, body: str) -> None:
    from kg.common.names import key_slug

    assert posts_of(nlp, text, "person:mara-kuist") == {(role, f"institution:{key_slug(body)}", body)}


def test_body_of_a_country_is_keyed_with_it(nlp) -> None:
    text = "The Chilean Speaker of the Coastal Regions Council Mara Quist met the students."
    assert posts_of(nlp, text, "person:mara-kuist") == {
        ("Speaker", "institution:coastal-regions-council-of-chile", "Coastal Regions Council")
    }


def test_second_title_after_and_is_not_part_of_the_body(nlp) -> None:
    text = "Chair of the Budget Committee and Foreign Minister Mara Quist spoke."
    posts = posts_of(nlp, text, "person:mara-kuist")
    assert ("Chair", "institution:budget-committee", "Budget Committee") in posts


@pytest.mark.parametrize(
    ("text", "institution"),
    [
        # The possessor is the body it belongs to; the rest, with its remit in capitals, its name.
        (
            "The guests were welcomed by Mara Quist, member of the NA's Committee on Energy, Trade and "
            "Foreign Affairs; and others.",
            "institution:committee-on-energy-trade-and-foreign-affairs",
        ),
        # One noun after the possessor is no name of its own.
        ("The guests were welcomed by Mara Quist, member of the NA's Committee, and others.", None),
    ],
)
def test_body_named_through_another_is_named_without_it(nlp, text: str, institution: str | None) -> None:
    assert {i for _, i, _ in posts_of(nlp, text, "person:mara-kuist")} == {institution}


def test_remit_in_capitals_stops_before_a_name(nlp) -> None:
    doc = nlp("He thanked Mara Quist, Chair of the Committee on Trade, Ana Diaz and others.")
    titles = [s.text for s in doc.spans["kg_mentions"] if s.label_ == "TITLE"]
    assert titles == ["Chair of the Committee on Trade"]


def test_body_institution_is_labelled_as_written(nlp) -> None:
    from kg.nlp.pipeline import set_context, to_facts

    a = article(
        "Foreign Minister Ivo Brandt and Chair of Parliamentary Trade and Energy Committee Mara Quist met."
    )
    facts = to_facts(nlp(set_context(nlp.make_doc(a.text), a)), a)
    entity = facts.entity("institution:parliamentary-trade-and-energy-committee")
    assert entity is not None and entity.label == "Parliamentary Trade and Energy Committee"
