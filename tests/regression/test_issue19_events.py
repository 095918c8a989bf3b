"""Issue 19, events: error classes of meeting pairs and their dates, on invented sentences read by
the real pipeline (tests/factories.py ``meetings_of``). The people are invented."""

from __future__ import annotations

import pytest

from tests.factories import extracted, meetings_of

# published on Thursday 2 May 2024: "yesterday" is 1 May, "on Monday" 29 April


@pytest.mark.parametrize(
    ("first", "second"),
    [("Serik Nurlanov", "Tomas Oyelaran"), ("Dana Kurmanova", "Ivo Brandt")],
)
def test_events_callers_listed_with_titles_who_called_on_him_separately(nlp, first, second):
    """A list of titled names parsed with the last name under the title's "to" is still the list
    the relative clause's "who" stands for; "him" is the man the sentence is about; "separately"
    makes one meeting per caller."""
    text = (
        "Speaker of the Storting Karim Osei said that Norway values its friends. He expressed these "
        f"views while talking to Norway's Ambassador-designate to Chile {first} and "
        f"Ambassador-designate to Peru {second} who called on him separately here yesterday."
    )
    assert meetings_of(nlp, text) == sorted(
        [
            (tuple(sorted(["Karim Osei", first])), "2024-05-01"),
            (tuple(sorted(["Karim Osei", second])), "2024-05-01"),
        ]
    )


def test_events_open_object_pronoun_of_a_relative_clause_is_the_subject_above(nlp):
    text = "President Lena Marsh spoke with Ambassador Mara Quist, who called on her on Monday."
    assert meetings_of(nlp, text) == [(("Lena Marsh", "Mara Quist"), "2024-04-29")]


@pytest.mark.parametrize(
    "text",
    [
        "There are plans for President Lena Marsh to visit Chile and Peru in the near future.",
        "Minister Ivo Brandt hopes to meet Minister Lena Marsh in the near future.",
        "President Lena Marsh told Prime Minister Ivo Brandt that she intends to continue holding "
        "meetings with him every month.",
        "President Lena Marsh accepted an invitation to visit Chile.",
    ],
)
def test_events_planned_meeting_or_visit_is_no_event(nlp, text):
    assert extracted(nlp, text)._.kg_events == []


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("President Lena Marsh paid a state visit to Chile and Peru on Monday.", "country:chile"),
        ("President Lena Marsh paid a state visit to Peru and Chile on Monday.", "country:peru"),
        ("President Lena Marsh visited Ghana, Chile and Peru on Monday.", "country:ghana"),
    ],
)
def test_events_visit_to_several_countries_goes_to_the_first_named(nlp, text, first):
    """The same text gives the same graph: the destination is the first country named, not the one
    a set of tokens happens to give first (its order follows memory addresses)."""
    for _ in range(3):
        (visit,) = extracted(nlp, text)._.kg_events
        assert visit["place"] == first


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "“We met Prime Minister Tomas Oyelaran this morning,” said Foreign Minister Lena Marsh.",
            [(("Lena Marsh", "Tomas Oyelaran"), "2024-05-02")],
        ),
        (
            "“I had the chance to meet President Tomas Oyelaran on Monday,” Foreign Minister Lena Marsh "
            "told reporters.",
            [(("Lena Marsh", "Tomas Oyelaran"), "2024-04-29")],
        ),
        (
            "“We had the opportunity to greet our great friend, Tomas Oyelaran, Secretary-General of the "
            "Union, who is fulfilling a work agenda in our country, in the company of our Minister of "
            "Tourism, Serik Nurlanov, and the Ghanaian Ambassador to Chile, Ivo Brandt,” said Foreign "
            "Minister Lena Marsh.",
            [(("Ivo Brandt", "Lena Marsh", "Serik Nurlanov", "Tomas Oyelaran"), "2024-05-02")],
        ),
    ],
)
def test_events_we_in_a_quote_is_the_speaker_and_in_the_company_of_adds_people(nlp, text, expected):
    assert meetings_of(nlp, text) == expected


def test_events_headline_names_do_not_join_the_lead_glued_to_it(nlp):
    """spaCy joins the headline to the lead below the blank line; the headline's list is a summary
    of the article's meetings, not more people at the lead's."""
    text = (
        "Brandt meets Lena Marsh and Mara Quist\n\nSenior party leader Ivo Brandt on Thursday met former "
        "President Lena Marsh in Santiago, becoming the first foreign visitor to call on the former "
        "president. Brandt also met with former prime minister Mara Quist on Wednesday evening."
    )
    assert meetings_of(nlp, text) == [
        (("Ivo Brandt", "Lena Marsh"), "2024-05-02"),
        (("Ivo Brandt", "Mara Quist"), "2024-05-01"),
    ]


def test_events_participle_on_an_object_noun_takes_the_subject_of_its_verb(nlp):
    """'X attended the festival held at Y's residence before calling on Z': X calls on Z; Y is only
    whose residence it is."""
    text = (
        "“Ivo Brandt attended the festival held at Lena Marsh’s official residence last night before "
        "calling on Mara Quist this morning,” the source was quoted as saying."
    )
    assert meetings_of(nlp, text) == [(("Ivo Brandt", "Mara Quist"), "2024-05-02")]


def test_events_list_met_at_once_then_told_apart_is_one_meeting_each(nlp):
    """'X met A and B on Monday ... Before his meeting with A, X met B': two occasions."""
    text = (
        "Minister Ivo Brandt met Secretary-General Lena Marsh and President Mara Quist on Monday at the "
        "headquarters. He also met Administrator Tomas Oyelaran. Before his meeting with Marsh, Brandt "
        "met Quist and welcomed her appreciation of the outcomes."
    )
    assert meetings_of(nlp, text) == [
        (("Ivo Brandt", "Lena Marsh"), "2024-04-29"),
        (("Ivo Brandt", "Mara Quist"), "2024-04-29"),
        (("Ivo Brandt", "Tomas Oyelaran"), "2024-04-29"),
    ]


def test_events_list_met_at_once_stays_one_meeting(nlp):
    text = "Minister Ivo Brandt met Secretary-General Lena Marsh and President Mara Quist on Monday."
    assert meetings_of(nlp, text) == [(("Ivo Brandt", "Lena Marsh", "Mara Quist"), "2024-04-29")]


@pytest.mark.parametrize(
    "leader",
    ["President Lena Marsh", "Deputy Prime Minister & Coordinating Minister for Security Lena Marsh"],
)
def test_events_member_of_the_delegation_accompanying_a_visitor_is_on_the_visit(nlp, leader):
    text = (
        f"Minister Ivo Brandt is part of the delegation accompanying {leader} on a working visit to "
        "Chile and will join her meetings in Santiago."
    )
    visits = [e for e in extracted(nlp, text)._.kg_events if e["type"] == "WorkingVisit"]
    assert [sorted(v["participants"]) for v in visits] == [["person:ivo-brandt", "person:lena-marsh"]]


def test_events_members_of_a_group_met_named_as_they_speak_were_each_met(nlp):
    text = (
        "Following the ceremony, President Ivo Brandt met with the newly appointed Ambassadors on Monday. "
        "The Ambassador of Chile Mr Serik Nurlanov said he will work hard to enhance bilateral relations. "
        "The President wished him success. At the meeting with the Ambassador of Ghana Ms Dana Kurmanova "
        "the President said Chile is a close partner. The Ambassador of Peru Mr Tomas Oyelaran said he "
        "is glad to be appointed."
    )
    assert meetings_of(nlp, text) == [
        (("Dana Kurmanova", "Ivo Brandt"), "2024-04-29"),
        (("Ivo Brandt", "Serik Nurlanov"), "2024-04-29"),
        (("Ivo Brandt", "Tomas Oyelaran"), "2024-04-29"),
    ]


def test_events_speaker_of_another_role_is_not_a_member_of_the_group_met(nlp):
    text = (
        "President Ivo Brandt met with the newly appointed Ambassadors on Monday. "
        "The Governor of the Central Bank Mr Serik Nurlanov said inflation is falling."
    )
    assert meetings_of(nlp, text) == [(("Ivo Brandt",), "2024-04-29")]  # the group, unnamed


@pytest.mark.parametrize("verb", ["explored partnership opportunities", "reviewed bilateral relations"])
def test_events_verbs_of_deliberation_with_a_person_are_talks(nlp, verb):
    text = f"On Monday, President Lena Marsh {verb} with Ghana's President Tomas Oyelaran."
    assert meetings_of(nlp, text) == [(("Lena Marsh", "Tomas Oyelaran"), "2024-04-29")]


def test_events_verbs_of_deliberation_with_a_country_are_no_meeting(nlp):
    assert meetings_of(nlp, "President Lena Marsh reviewed bilateral relations with Chile on Monday.") == []


def test_events_calling_on_two_people_is_a_call_on_each(nlp):
    text = "Speaker Ivo Brandt also called on President Lena Marsh and Prime Minister Mara Quist on Monday."
    assert meetings_of(nlp, text) == [
        (("Ivo Brandt", "Lena Marsh"), "2024-04-29"),
        (("Ivo Brandt", "Mara Quist"), "2024-04-29"),
    ]


def test_events_every_doc_of_one_text_gives_the_same_events(nlp):
    """Twelve Docs of one text, all kept alive so that each sits at another address: sets of spaCy
    tokens iterate in address order, so a choice made by iterating one differs between them (the
    visit went to the cathedral in some and to the church named inside its phrase in others)."""
    text = (
        "Freedonian Defense Minister Ivo Brandt visited Saint Olaf Cathedral of the Northern Diocese of "
        "the Ruritanian Apostolic Church, met with Bishop Tomas Oyelaran and representatives of the clergy."
    )
    docs = [nlp(text) for _ in range(12)]
    outcomes = {repr(doc._.kg_events) for doc in docs}
    assert len(outcomes) == 1, outcomes
