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


def held(
    person: str,
    role: str,
    country: str,
    institution: str | None = None,
    accredited_to: str | None = None,
    former: bool = False,
) -> tuple:
    """The expected ``summary`` of one holding; the defaults are the common case."""
    return (f"person:{person}", role, institution, f"country:{country}", accredited_to, former)


MILLI_MAJLIS_SPEAKER = held("leyla-hasanova", "Speaker", "azerbaijan", "institution:milli-majlis")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Speaker of the Milli Majlis Leyla Hasanova met the delegation.", MILLI_MAJLIS_SPEAKER),
        ("Leyla Hasanova, Speaker of the Azerbaijani Parliament, met the delegation.", MILLI_MAJLIS_SPEAKER),
        (
            "Chairwoman of the Milli Mejlis Leyla Hasanova met the delegation.",
            held("leyla-hasanova", "Chairwoman", "azerbaijan", "institution:milli-majlis"),
        ),
        (
            "Kazakh Majilis Speaker Daulet Serikov opened the session.",
            held("daulet-serikov", "Speaker", "kazakhstan", "institution:mazhilis"),
        ),
        (
            "Chair of the Kazakhstan Parliament's Senate Yerlan Kasimov arrived.",
            held("yerlan-kasimov", "Chair", "kazakhstan", "institution:senate-of-kazakhstan"),
        ),
        (
            "Azerbaijan's Ambassador to Kazakhstan Rauf Mammadli attended.",
            held("rauf-mamadli", "Ambassador", "azerbaijan", accredited_to="country:kazakhstan"),
        ),
        (
            "She met the Extraordinary and Plenipotentiary Ambassador of the Republic of Kazakhstan to "
            "Azerbaijan, Aidos Nurlanov, in Baku.",
            held("aidos-nurlanov", "Ambassador", "kazakhstan", accredited_to="country:azerbaijan"),
        ),
        (
            "They honoured the First President of Kazakhstan Bolat Omarov.",
            held("bolat-omarov", "President", "kazakhstan", former=True),
        ),
        (
            "They met former Minister of Foreign Affairs of Türkiye Mehmet Demirci.",
            held("mehmet-demirci", "Foreign Minister", "turkiye", former=True),
        ),
        (
            "He joined a Milli Majlis committee chairman Elnur Quliyev at the talks.",
            held("elnur-kulyev", "Committee Chair", "azerbaijan", "institution:milli-majlis"),
        ),
        (
            "President of the Republic of Uzbekistan Timur Rashidov arrived in Baku.",
            held("timur-rashidov", "President", "uzbekistan"),
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
        ("person:kamran-safarli", "Deputy Chair", "institution:milli-majlis"),
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
