"""Issue 19, offices: the abbreviated title of a member of a chamber ("Rep.", "Reps.").

A careful reader reads "Rep. A" as a member of his country's chamber, named after the chamber the
article names: a Member of the National Assembly, or a Representative of a House of
Representatives. His party after the name ("of the ruling Labour Party") is no body of the post.
The persons, parties and sentences are invented.
"""

from __future__ import annotations

import pytest


def posts(nlp, text: str) -> dict[str, set[tuple[str, str | None, str | None]]]:
    """person -> {(role, institution, country)}."""
    out: dict[str, set[tuple[str, str | None, str | None]]] = {}
    for h in nlp(text)._.kg_office_holdings:
        o = h["office"]
        out.setdefault(h["person"], set()).add((o["role"], o["institution"], o["country"]))
    return out


def test_reps_of_a_delegation_are_members_of_its_national_assembly(nlp) -> None:
    text = (
        "The meeting was attended by a Chilean delegation, including Reps. Ivo Brandt, Ana Diaz and "
        "Lena Marsh of the ruling Labour Party, and Rep. Tomas Oyelaran of the Green Party. The "
        "National Assembly of Chile met later."
    )
    member = ("Member of the National Assembly", "institution:national-assembly-of-chile", "country:chile")
    found = posts(nlp, text)
    for person in ("ivo-brandt", "ana-diaz", "lena-marsh", "tomas-oyelaran"):
        assert found[f"person:{person}"] == {member}


@pytest.mark.parametrize(
    ("chamber", "expected"),
    [
        (
            "House of Representatives of Chile",
            ("Representative", "institution:house-of-representatives-of-chile", "country:chile"),
        ),
        (
            "Chilean National Assembly",
            ("Member of the National Assembly", "institution:national-assembly-of-chile", "country:chile"),
        ),
    ],
)
def test_rep_is_named_after_his_chamber(nlp, chamber: str, expected: tuple) -> None:
    text = f"Rep. Ivo Brandt of Chile spoke in the {chamber} on Monday."
    assert posts(nlp, text)["person:ivo-brandt"] == {expected}


def test_rep_without_a_chamber_stays_a_representative(nlp) -> None:
    text = "Rep. Ivo Brandt of Chile spoke on Monday."
    assert posts(nlp, text)["person:ivo-brandt"] == {("Representative", None, "country:chile")}
