"""kg_offices on short invented sentences: who holds which normalised office."""

from __future__ import annotations

import pytest

from kg.facts import Office


def holdings(nlp, text: str, published: str | None = "2024-05-01") -> list[dict]:
    with nlp.select_pipes(disable=["kg_events"]):
        doc = nlp.make_doc(text)
        doc._.kg_article_id = "a1"
        doc._.kg_published = published
        for _, proc in nlp.pipeline:
            doc = proc(doc)
    return doc._.kg_office_holdings


def summary(h: dict) -> tuple:
    o = h["office"]
    return (h["person"], o["role"], o["institution"], o["country"], o["accredited_to"], h["former"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Speaker of the Milli Majlis Leyla Hasanova met the delegation.",
            (
                "person:leyla-hasanova",
                "Speaker",
                "institution:milli-majlis",
                "country:azerbaijan",
                None,
                False,
            ),
        ),
        (
            "Leyla Hasanova, Speaker of the Azerbaijani Parliament, met the delegation.",
            (
                "person:leyla-hasanova",
                "Speaker",
                "institution:milli-majlis",
                "country:azerbaijan",
                None,
                False,
            ),
        ),
        (
            "Chairwoman of the Milli Mejlis Leyla Hasanova met the delegation.",
            (
                "person:leyla-hasanova",
                "Speaker",
                "institution:milli-majlis",
                "country:azerbaijan",
                None,
                False,
            ),
        ),
        (
            "Kazakh Majilis Speaker Daulet Serikov opened the session.",
            ("person:daulet-serikov", "Chair", "institution:mazhilis", "country:kazakhstan", None, False),
        ),
        (
            "Chair of the Kazakhstan Parliament's Senate Yerlan Kasimov arrived.",
            (
                "person:yerlan-kasimov",
                "Chair",
                "institution:senate-of-kazakhstan",
                "country:kazakhstan",
                None,
                False,
            ),
        ),
        (
            "Azerbaijan's Ambassador to Kazakhstan Rauf Mammadli attended.",
            ("person:rauf-mamadli", "Ambassador", None, "country:azerbaijan", "country:kazakhstan", False),
        ),
        (
            "She met the Extraordinary and Plenipotentiary Ambassador of the Republic of Kazakhstan to "
            "Azerbaijan, Aidos Nurlanov, in Baku.",
            ("person:aidos-nurlanov", "Ambassador", None, "country:kazakhstan", "country:azerbaijan", False),
        ),
        (
            "They honoured the First President of Kazakhstan Bolat Omarov.",
            ("person:bolat-omarov", "President", None, "country:kazakhstan", None, True),
        ),
        (
            "They met former Minister of Foreign Affairs of Türkiye Mehmet Demirci.",
            ("person:mehmet-demirci", "Minister of Foreign Affairs", None, "country:turkiye", None, True),
        ),
        (
            "He joined a Milli Majlis committee chairman Elnur Quliyev at the talks.",
            (
                "person:elnur-kulyev",
                "Committee Chair",
                "institution:milli-majlis",
                "country:azerbaijan",
                None,
                False,
            ),
        ),
        (
            "President of the Republic of Uzbekistan Timur Rashidov arrived in Baku.",
            ("person:timur-rashidov", "President", None, "country:uzbekistan", None, False),
        ),
    ],
)
def test_offices_title_patterns_in_both_orders(nlp, text: str, expected: tuple) -> None:
    assert [summary(h) for h in holdings(nlp, text)] == [expected]


def test_offices_coordinated_titles_give_one_person_two_offices(nlp) -> None:
    text = (
        "Deputy Chair of the Milli Majlis and Leader of its Working Group for ties with Georgia "
        "Kamran Safarli took part."
    )
    found = sorted(
        (h["person"], h["office"]["role"], h["office"]["institution"]) for h in holdings(nlp, text)
    )
    assert found == [
        ("person:kamran-safarli", "Deputy Speaker", "institution:milli-majlis"),
        (
            "person:kamran-safarli",
            "Leader of the Working Group for ties with Georgia",
            "institution:milli-majlis",
        ),
    ]


def test_offices_bare_title_subsumed_by_full_one(nlp) -> None:
    text = "President of Kazakhstan Arman Zhaksylykov spoke. President Zhaksylykov then left."
    assert [summary(h)[1:4] for h in holdings(nlp, text)] == [("President", None, "country:kazakhstan")]


def test_offices_bare_head_of_state_gets_the_other_country(nlp) -> None:
    text = (
        "President of Kazakhstan Arman Zhaksylykov met President Rauf Mammadli in Azerbaijan. "
        "Azerbaijan and Kazakhstan signed deals. Azerbaijan hosted the talks."
    )
    found = {h["person"]: h["office"]["country"] for h in holdings(nlp, text)}
    assert found == {
        "person:arman-jaksilikov": "country:kazakhstan",
        "person:rauf-mamadli": "country:azerbaijan",
    }


def test_offices_holding_is_attested_by_article_date_with_evidence(nlp) -> None:
    text = "Minister of Energy of Georgia Nino Beridze visited Baku."
    (h,) = holdings(nlp, text, published="2023-02-03")
    assert h["attested"] == "2023-02-03"
    assert Office(**h["office"]).label == "Minister of Energy of Georgia"
    (ev,) = h["evidence"]
    assert (ev["article_id"], ev["sentence_index"], ev["rule"]) == ("a1", 0, "offices.title_before_name")
    assert text[ev["start_char"] : ev["end_char"]] == "Minister of Energy of Georgia Nino Beridze"


def test_offices_no_title_no_holding(nlp) -> None:
    assert holdings(nlp, "Nino Beridze visited Baku with friends.") == []
