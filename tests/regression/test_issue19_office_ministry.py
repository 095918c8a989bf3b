"""Issue 19, offices: a portfolio minister's post is of his country and in its ministry.

Annotators write "Foreign Minister" of a country either as the country's post or as the post in
the country's Ministry of Foreign Affairs; a careful reader knows both: the minister heads that
ministry. So the post keeps its country and its label and names the ministry as its institution
('ministry' in the role list). The persons and sentences are invented.
"""

from __future__ import annotations

import pytest


def posts_of(nlp, text: str, person: str) -> set[tuple[str, str | None, str | None, str]]:
    """(role, institution, country, label) of every holding of ``person``."""
    doc = nlp(text)
    return {
        (o["role"], o["institution"], o["country"], o["label"])
        for h in doc._.kg_office_holdings
        if h["person"] == person
        for o in [h["office"]]
    }


@pytest.mark.parametrize(
    ("text", "role", "ministry", "label"),
    [
        (
            "Minister of Foreign Affairs of Chile Ivo Brandt met the envoys.",
            "Foreign Minister",
            "institution:ministry-of-foreign-affairs-of-chile",
            "Foreign Minister of Chile",
        ),
        (
            "Chilean Home Minister Ivo Brandt cancelled the meeting.",
            "Home Minister",
            "institution:ministry-of-home-affairs-of-chile",
            "Home Minister of Chile",
        ),
        (
            "Ivo Brandt, Finance Minister of Chile, spoke first.",
            "Minister of Finance",
            "institution:ministry-of-finance-of-chile",
            "Minister of Finance of Chile",
        ),
    ],
)
def test_portfolio_minister_of_a_country_is_in_its_ministry(
    nlp, text: str, role: str, ministry: str, label: str
) -> None:
    assert posts_of(nlp, text, "person:ivo-brandt") == {(role, ministry, "country:chile", label)}


def test_minister_without_a_country_names_no_ministry(nlp) -> None:
    text = "Foreign Minister Ivo Brandt met the envoys."
    assert posts_of(nlp, text, "person:ivo-brandt") == {("Foreign Minister", None, None, "Foreign Minister")}


def test_counterpart_of_another_portfolio_takes_no_ministry_of_the_possessor(nlp) -> None:
    text = (
        "Officials included the Foreign Affairs Minister of Ghana, Kofi Mensah; his Information "
        "counterpart, Tunde Bakare."
    )
    roles = {(r, i) for r, i, _, _ in posts_of(nlp, text, "person:tunde-bakare")}
    assert roles == {("Minister of Information", None)}


def test_home_ministry_is_a_body_of_its_country(nlp) -> None:
    doc = nlp("Officials of the Chilean Home Ministry said so.")
    bodies = {s.kb_id_ for s in doc.spans["kg_mentions"] if s.label_ == "INSTITUTION"}
    assert "institution:ministry-of-home-affairs-of-chile" in bodies
