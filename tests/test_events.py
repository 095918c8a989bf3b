"""kg_events on short invented sentences, with the mention spans set by hand.

The spaCy model parses the text (the `nlp` fixture, without the other kg components); PERSON, COUNTRY,
PLACE and INSTITUTION spans are placed on the names listed in NAMES, as kg_mentions / kg_resolve
would leave them. The people are invented.
"""

from __future__ import annotations

import itertools
import re

import pytest

from kg.graph.merge import merge_events_across
from kg.nlp.events.keys import event_key
from kg.nlp.events.rules import load_rules, rule_from_record
from kg.nlp.facts import EVENT_TYPES, Article, DocFacts, Event, Evidence

KG_PIPES = ["kg_mentions", "kg_resolve", "kg_offices", "kg_events"]
MARSH, OYE, BRANDT, QUIST, LUND, OSEI = (
    "person:lena-marsh",
    "person:tomas-oyelaran",
    "person:ivo-brandt",
    "person:mara-quist",
    "person:petra-lund",
    "person:karim-osei",
)
# text -> (label, key); longer names first so "Lena Marsh" wins over "Marsh".
NAMES = {
    "Speaker of the Storting": ("TITLE", ""),
    "Lena Marsh": ("PERSON", MARSH),
    "Tomas Oyelaran": ("PERSON", OYE),
    "Ivo Brandt": ("PERSON", BRANDT),
    "Mara Quist": ("PERSON", QUIST),
    "Petra Lund": ("PERSON", LUND),
    "Karim Osei": ("PERSON", OSEI),
    "Nova Capital": ("PERSON", "person:nova-capital"),  # a place the tagger took for a name
    "Norway": ("COUNTRY", "country:norway"),
    "Chile": ("COUNTRY", "country:chile"),
    "Ghana": ("COUNTRY", "country:ghana"),
    "Santiago": ("PLACE", "place:santiago"),
    "Storting": ("INSTITUTION", "institution:storting"),
}
ENTITIES = [
    {"key": MARSH, "kind": "person", "label": "Lena Marsh", "country": "country:norway"},
    {"key": OYE, "kind": "person", "label": "Tomas Oyelaran", "country": "country:ghana"},
    {"key": BRANDT, "kind": "person", "label": "Ivo Brandt", "country": "country:norway"},
    {"key": QUIST, "kind": "person", "label": "Mara Quist", "country": None},
    {"key": LUND, "kind": "person", "label": "Petra Lund", "country": "country:chile"},
    {"key": OSEI, "kind": "person", "label": "Karim Osei", "country": "country:ghana"},
    {"key": "country:norway", "kind": "country", "label": "Norway"},
    {"key": "country:chile", "kind": "country", "label": "Chile"},
    {"key": "country:ghana", "kind": "country", "label": "Ghana"},
    {"key": "place:santiago", "kind": "place", "label": "Santiago", "country": "country:chile"},
    {"key": "institution:storting", "kind": "institution", "label": "Storting", "country": "country:norway"},
]


def annotate(nlp, text: str, published: str | None = "2024-06-05"):
    with nlp.select_pipes(disable=KG_PIPES):
        doc = nlp(text)
    doc._.kg_article_id = "art1"
    doc._.kg_published = published
    spans, taken = [], set()
    for name, (label, key) in NAMES.items():
        for match in re.finditer(re.escape(name), text):
            span = doc.char_span(match.start(), match.end(), label=label, kb_id=key)
            if span is not None and not taken & set(range(span.start, span.end)):
                spans.append(span)
                taken |= set(range(span.start, span.end))
    doc.spans["kg_mentions"] = sorted(spans, key=lambda s: s.start)
    doc._.kg_entities = [dict(e) for e in ENTITIES]
    return nlp.get_pipe("kg_events")(doc)


def events_of(nlp, text: str, published: str | None = "2024-06-05") -> list[dict]:
    return annotate(nlp, text, published)._.kg_events


def only(events: list[dict], kind: str = "encounter") -> dict:
    visits = ("Visit", "StateVisit", "OfficialVisit", "WorkingVisit")
    chosen = [e for e in events if (e["type"] in visits) == (kind == "visit")]
    assert len(chosen) == 1, events
    return chosen[0]


@pytest.mark.parametrize(
    ("text", "participants", "event_type", "cameo"),
    [
        ("Lena Marsh met Tomas Oyelaran.", {MARSH, OYE}, "Meeting", "040"),
        ("Speaker Lena Marsh had a meeting with Ambassador Tomas Oyelaran.", {MARSH, OYE}, "Meeting", "040"),
        ("Lena Marsh held talks with Tomas Oyelaran.", {MARSH, OYE}, "Talks", "046"),
        ("Lena Marsh received Tomas Oyelaran.", {MARSH, OYE}, "Reception", "043"),
        ("Tomas Oyelaran was welcomed by Lena Marsh.", {MARSH, OYE}, "Reception", "043"),
        ("Lena Marsh had a telephone conversation with Tomas Oyelaran.", {MARSH, OYE}, "PhoneCall", "041"),
        ("Lena Marsh spoke by phone with Tomas Oyelaran.", {MARSH, OYE}, "PhoneCall", "041"),
        ("Lena Marsh and Tomas Oyelaran signed a memorandum on trade.", {MARSH, OYE}, "Ceremony", "057"),
        ("A meeting was held between Lena Marsh and Tomas Oyelaran.", {MARSH, OYE}, "Meeting", "040"),
        ("Lena Marsh took part in the session of the Storting.", {MARSH}, "Session", "040"),
    ],
)
def test_events_trigger_gives_type_cameo_and_participants(nlp, text, participants, event_type, cameo):
    event = only(events_of(nlp, text))
    assert (set(event["participants"]), event["type"], event["cameo"]) == (participants, event_type, cameo)


@pytest.mark.parametrize(
    "text",
    [
        "Lena Marsh, who had praised Ivo Brandt, met Tomas Oyelaran.",
        "Lena Marsh met Tomas Oyelaran and thanked Ivo Brandt for the invitation.",
    ],
)
def test_events_person_in_another_clause_is_not_a_participant(nlp, text):
    assert set(only(events_of(nlp, text))["participants"]) == {MARSH, OYE}


@pytest.mark.parametrize(
    "text",
    [
        "Lena Marsh greeted the delegation.",  # greeting someone unnamed is no event of its own
        "The documents that the two states have signed are important.",
        "Members of both parliaments exchange visits and hold regular meetings.",
        "The President of Chile toured the meeting hall.",
    ],
)
def test_events_no_event_without_named_participants(nlp, text):
    assert events_of(nlp, text) == []


def test_events_later_mentions_join_the_reported_meeting(nlp):
    text = (
        "Lena Marsh met Tomas Oyelaran on 4 June. Tomas Oyelaran greeted Lena Marsh warmly. "
        "In the course of the meeting, trade was discussed. "
        "Ivo Brandt and Mara Quist were taking part in the meeting as well."
    )
    events = events_of(nlp, text)
    assert len(events) == 1
    assert set(events[0]["participants"]) == {MARSH, OYE, BRANDT, QUIST}
    assert events[0]["date"] == "2024-06-04"
    assert len(events[0]["evidence"]) == 4


def test_events_different_people_are_different_meetings(nlp):
    text = "Lena Marsh met Tomas Oyelaran on 4 June. Ivo Brandt met Mara Quist on 3 June."
    pairs = sorted((sorted(e["participants"]), e["date"]) for e in events_of(nlp, text))
    assert pairs == [([BRANDT, QUIST], "2024-06-03"), ([MARSH, OYE], "2024-06-04")]


def test_events_visit_frames_the_meeting_held_during_it(nlp):
    text = "Lena Marsh, who is on a state visit to Chile, met Tomas Oyelaran on 4 June."
    events = events_of(nlp, text)
    visit, meeting = only(events, "visit"), only(events)
    assert (visit["type"], visit["participants"], visit["cameo"]) == ("StateVisit", [MARSH], "042")
    assert (visit["host_country"], visit["guest_country"], visit["date"]) == (
        "country:chile",
        "country:norway",
        "2024-06",
    )
    assert meeting["parent"] == visit["key"]
    assert (meeting["country"], meeting["date"]) == ("country:chile", "2024-06-04")


def test_events_meeting_during_visit_to_third_country_is_cameo_044(nlp):
    text = "Lena Marsh had a meeting with Tomas Oyelaran as part of her current visit to Chile on 4 June."
    events = events_of(nlp, text)
    meeting = only(events)
    assert (meeting["cameo"], meeting["country"], meeting["date"]) == ("044", "country:chile", "2024-06-04")
    assert meeting["parent"] == only(events, "visit")["key"]


def test_events_meetings_held_with_someone_during_a_visit_include_the_visitor(nlp):
    text = "Ivo Brandt praised Lena Marsh's state visit to Chile and the meetings held with Tomas Oyelaran."
    meeting = only(events_of(nlp, text))
    assert set(meeting["participants"]) == {MARSH, OYE}


@pytest.mark.parametrize(
    ("sentence", "published", "date"),
    [
        ("Lena Marsh met Tomas Oyelaran on 29 September 2021.", "2024-06-05", "2021-09-29"),
        ("Lena Marsh met Tomas Oyelaran on March 11, 2024.", None, "2024-03-11"),
        ("Lena Marsh met Tomas Oyelaran on 15 April.", "2021-04-16", "2021-04-15"),
        ("Lena Marsh met Tomas Oyelaran on Monday.", "2024-06-05", "2024-06-03"),
        ("Lena Marsh met Tomas Oyelaran yesterday.", "2024-06-05", "2024-06-04"),
        ("Lena Marsh met Tomas Oyelaran last year.", "2024-06-05", "2023"),
        ("Lena Marsh met Tomas Oyelaran in March 2022.", "2024-06-05", "2022-03"),
        ("Lena Marsh met Tomas Oyelaran.", "2024-06-05", "2024-06-05"),  # news: the publication date
        ("Lena Marsh met Tomas Oyelaran.", None, None),
        ("Lena Marsh, aged 65, met Tomas Oyelaran, who has 125 advisers.", "2024-06-05", "2024-06-05"),
        ("Lena Marsh met Tomas Oyelaran late on Sunday.", "2024-06-05", "2024-06-02"),
        ("Lena Marsh met Tomas Oyelaran on Wednesday.", "2024-06-05", "2024-06-05"),  # published a Wednesday
        ("Lena Marsh met Tomas Oyelaran on 4 th in Santiago.", "2024-06-07", "2024-06-04"),
        ("Lena Marsh met Tomas Oyelaran in May.", "2024-06-05", "2024-05"),
        ("Lena Marsh met Tomas Oyelaran last week.", "2024-06-05", "2024-05"),  # no day given
        ("Lena Marsh and Tomas Oyelaran had met in 2019.", "2024-06-05", "2019"),
    ],
)
def test_events_date_absolute_relative_or_unknown(nlp, sentence, published, date):
    assert only(events_of(nlp, sentence, published))["date"] == date


def test_events_second_event_without_a_date_stays_unknown(nlp):
    text = (
        "Lena Marsh met Tomas Oyelaran on 4 June. "
        "She recalled that Ivo Brandt had held talks with Mara Quist."
    )
    dates = {frozenset(e["participants"]): e["date"] for e in events_of(nlp, text)}
    assert dates == {frozenset({MARSH, OYE}): "2024-06-04", frozenset({BRANDT, QUIST}): None}


@pytest.mark.parametrize(
    "text",
    [
        "Lena Marsh will meet Tomas Oyelaran.",
        "Lena Marsh is expected to hold talks with Tomas Oyelaran next week.",
        "Lena Marsh plans to meet Tomas Oyelaran in Santiago.",
        "Lena Marsh invited Tomas Oyelaran to visit Chile.",
        "Lena Marsh would meet Tomas Oyelaran if the talks resumed.",
        "Lena Marsh agreed to meet Tomas Oyelaran again.",
        "Lena Marsh looks forward to meeting Tomas Oyelaran.",
        "Lena Marsh cancelled her meeting with Tomas Oyelaran.",
        "Lena Marsh refused to meet Tomas Oyelaran.",
        "Lena Marsh declined to meet Tomas Oyelaran.",
        "The meeting between Lena Marsh and Tomas Oyelaran was postponed.",
        "Lena Marsh called off the talks with Tomas Oyelaran.",
        "Lena Marsh, who had a scheduled meeting with Tomas Oyelaran, did not meet him.",
        "No meeting between Lena Marsh and Tomas Oyelaran was held.",
        "Lena Marsh is busy and will not be in a position to meet Tomas Oyelaran.",
        "Lena Marsh was not able to meet Tomas Oyelaran.",
        "Lena Marsh is due to call on Tomas Oyelaran.",
    ],
)
def test_events_planned_or_cancelled_meeting_is_no_event(nlp, text):
    assert events_of(nlp, text) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Lena Marsh met Tomas Oyelaran, who assumed office on 22 May.",
        "Lena Marsh met Tomas Oyelaran to discuss the agreement signed in 2015.",
        "Lena Marsh met Tomas Oyelaran and praised the ties that have grown since 1992.",
        "Lena Marsh met Tomas Oyelaran. The meeting took place in 2018.",  # no one named: not this one
        "Lena Marsh met Tomas Oyelaran ahead of the elections on 12 June.",
        "Lena Marsh met Tomas Oyelaran after the summit of 4 May.",
        "Lena Marsh, who was born on 5 May 1960, met Tomas Oyelaran.",
    ],
)
def test_events_dates_of_other_things_do_not_date_the_meeting(nlp, sentence):
    assert only(events_of(nlp, sentence, "2024-06-05"))["date"] == "2024-06-05"


def dates_by_pair(events: list[dict]) -> dict[frozenset, str | None]:
    return {frozenset(e["participants"]): e["date"] for e in events if e["type"] != "Visit"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Lena Marsh met Tomas Oyelaran during the summit on Monday.",
        "Lena Marsh met Tomas Oyelaran on Monday, before the summit on 12 June.",
        "On Monday, following talks in Santiago, Lena Marsh met Tomas Oyelaran.",
    ],
)
def test_events_own_date_beside_another_occasion(nlp, sentence):
    assert only(events_of(nlp, sentence, "2024-06-05"))["date"] == "2024-06-03"


def test_events_date_said_of_the_trigger_before_the_nearest(nlp):
    text = "Lena Marsh went to a dinner for Ivo Brandt last night before meeting Tomas Oyelaran this morning."
    assert {e["date"] for e in events_of(nlp, text, "2024-06-05")} == {"2024-06-05"}


def test_events_dateline_joined_to_the_lead_is_the_news_date_not_the_lead_date(nlp):
    text = (
        "SANTIAGO, May 15\n\nLena Marsh met Tomas Oyelaran. "
        "Lena Marsh met Tomas Oyelaran and Ivo Brandt on Tuesday."
    )
    assert [e["date"] for e in events_of(nlp, text, "2025-05-15")] == ["2025-05-13"]


def test_events_undated_meeting_told_after_a_dated_report_has_its_day(nlp):
    text = (
        "Lena Marsh yesterday said the summit was ready. Briefing journalists soon after meeting "
        "Tomas Oyelaran at the palace, Lena Marsh said she was pleased."
    )
    assert {e["date"] for e in events_of(nlp, text, "2024-06-05")} == {"2024-06-04"}


def test_events_plain_talk_verb_after_a_call_is_that_call_with_its_day(nlp):
    text = (
        "Lena Marsh held her first phone call with her counterpart, Tomas Oyelaran. According to "
        "the ministry, Lena Marsh and Tomas Oyelaran spoke for 30 minutes on Tuesday afternoon."
    )
    event = only(events_of(nlp, text, "2024-06-07"))
    assert (event["type"], event["date"]) == ("PhoneCall", "2024-06-04")


@pytest.mark.parametrize(
    ("text", "date"),
    [
        (
            "Lena Marsh met Tomas Oyelaran on the sidelines of the summit, which opened on Monday.",
            "2024-06-03",
        ),
        (
            "Lena Marsh has discussed with Tomas Oyelaran on regional issues. Following his discussion "
            "on the margins of the summit, which kicked off on Saturday, Lena Marsh said it went well.",
            "2024-06-01",
        ),
        # the summit undated: the news date
        ("Lena Marsh met Tomas Oyelaran on the sidelines of the summit.", "2024-06-05"),
    ],
)
def test_events_meeting_on_the_sidelines_has_the_day_of_the_summit(nlp, text, date):
    assert only(events_of(nlp, text, "2024-06-05"))["date"] == date


def test_events_background_meeting_after_a_summing_up_stays_undated(nlp):
    text = (
        "Lena Marsh is on Wednesday hosting Ivo Brandt in Santiago. Lena Marsh has been building "
        "relations with many leaders. She met Tomas Oyelaran and Mara Quist, where they discussed trade. "
        "Last week, Lena Marsh visited Chile."
    )
    dates = {
        frozenset(e["participants"]): e["date"] for e in events_of(nlp, text) if len(e["participants"]) > 1
    }
    assert dates == {frozenset({MARSH, BRANDT}): "2024-06-05", frozenset({MARSH, OYE, QUIST}): None}


def test_events_dated_talks_with_unnamed_guests_date_the_meetings_that_name_them(nlp):
    text = (
        "Lena Marsh and Ivo Brandt held discussions on Monday with regional and international leaders. "
        "Lena Marsh met with Tomas Oyelaran to examine cooperation."
    )
    dates = {frozenset(e["participants"]): e["date"] for e in events_of(nlp, text, "2024-06-05")}
    assert dates[frozenset({MARSH, OYE})] == "2024-06-03"


def test_events_recalled_meeting_of_they_is_the_same_people_on_its_own_date(nlp):
    text = (
        "Lena Marsh on June 4 discussed trade with Tomas Oyelaran and Ivo Brandt at a trilateral "
        "meeting. It was not their first meeting. They had participated in a trilateral meeting in "
        "September last year in Santiago."
    )
    dates = sorted(e["date"] for e in events_of(nlp, text) if set(e["participants"]) == {MARSH, OYE, BRANDT})
    assert dates == ["2023-09", "2024-06-04"]


def test_events_date_in_the_verbless_rest_of_a_cut_sentence(nlp):
    text = (
        "Santiago, Chile: Lena Marsh and Ivo Brandt welcomed Commonwealth Secretary-General- "
        "Tomas Oyelaran to Chile to the office of the president on Wednesday."
    )
    assert {e["date"] for e in events_of(nlp, text, "2024-05-03")} == {"2024-05-01"}


def test_events_earlier_in_the_day_is_the_day_just_told(nlp):
    text = "Lena Marsh met Tomas Oyelaran on Monday. Earlier in the day, Ivo Brandt met Mara Quist."
    assert dates_by_pair(events_of(nlp, text, "2024-06-05")) == {
        frozenset({MARSH, OYE}): "2024-06-03",
        frozenset({BRANDT, QUIST}): "2024-06-03",
    }


def test_events_a_day_earlier_is_another_occasion(nlp):
    text = (
        "Lena Marsh held talks with Tomas Oyelaran. "
        "A day earlier, Lena Marsh and Tomas Oyelaran had a meeting."
    )
    events = events_of(nlp, text, "2024-06-05")
    assert sorted(e["date"] for e in events) == ["2024-06-04", "2024-06-05"]


def test_events_after_the_talks_keeps_the_day_of_the_story(nlp):
    text = "Tomas Oyelaran met Lena Marsh on 19 April. After the talks, Lena Marsh met Ivo Brandt."
    assert dates_by_pair(events_of(nlp, text, "2024-04-21")) == {
        frozenset({MARSH, OYE}): "2024-04-19",
        frozenset({MARSH, BRANDT}): "2024-04-19",
    }


def test_events_at_the_meeting_with_keeps_the_day_of_the_story(nlp):
    text = (
        "Lena Marsh met the new ambassadors on 19 April. "
        "During the meeting with Tomas Oyelaran, Lena Marsh praised the ties."
    )
    assert {e["date"] for e in events_of(nlp, text, "2024-04-21")} == {"2024-04-19"}


def test_events_also_met_keeps_the_day_of_the_story(nlp):
    text = "Lena Marsh met Tomas Oyelaran on Monday. Lena Marsh also met Ivo Brandt."
    assert dates_by_pair(events_of(nlp, text, "2024-06-05")) == {
        frozenset({MARSH, OYE}): "2024-06-03",
        frozenset({MARSH, BRANDT}): "2024-06-03",
    }


def test_events_headline_joined_to_the_lead_has_the_lead_date(nlp):
    text = "Lena Marsh meets Tomas Oyelaran\n\nLena Marsh on Tuesday praised the work of Tomas Oyelaran."
    assert {e["date"] for e in events_of(nlp, text, "2024-06-05")} == {"2024-06-04"}


def test_events_occasion_told_without_names_dates_the_next_sentence(nlp):
    text = (
        "The Speaker took part in a round of telephone calls on Sunday. "
        "Lena Marsh held talks with Tomas Oyelaran."
    )
    assert dates_by_pair(events_of(nlp, text, "2024-06-05")) == {frozenset({MARSH, OYE}): "2024-06-02"}


def test_events_occasion_of_another_year_told_without_names_dates_nothing_after_it(nlp):
    text = "The treaty came out of a meeting in 2015. Lena Marsh held talks with Tomas Oyelaran."
    assert dates_by_pair(events_of(nlp, text, "2024-06-05")) == {frozenset({MARSH, OYE}): "2024-06-05"}


@pytest.mark.parametrize(
    "recalled",
    [
        "Lena Marsh had previously met Ivo Brandt.",
        "Lena Marsh had held talks with Ivo Brandt.",
        "They recalled their last meeting with Ivo Brandt.",
    ],
)
def test_events_recalled_occasion_gets_no_publication_date(nlp, recalled):
    events = events_of(nlp, "Lena Marsh received Tomas Oyelaran. " + recalled, "2024-06-05")
    dates = dates_by_pair(events)
    assert dates.pop(frozenset({MARSH, OYE})) == "2024-06-05"
    assert set(dates.values()) == {None}


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Lena Marsh, on a one-day visit to Chile on Monday, met Tomas Oyelaran.", "2024-06-03"),
        ("Lena Marsh, on a visit to Chile in May, met Tomas Oyelaran.", "2024-05"),
    ],
)
def test_events_meeting_during_a_visit_has_its_day_only_when_the_visit_lasts_one(nlp, text, date):
    assert dates_by_pair(events_of(nlp, text, "2024-06-05")) == {frozenset({MARSH, OYE}): date}


@pytest.mark.parametrize(
    "sentence",
    [
        "Lena Marsh arrived in Santiago on Monday for a three-day official visit to Chile.",
        "Lena Marsh began a state visit to Chile on Monday.",
    ],
)
def test_events_visit_started_on_a_day_has_that_day(nlp, sentence):
    assert [e["date"] for e in events_of(nlp, sentence, "2024-06-05")] == ["2024-06-03"]


def test_events_earlier_visit_recalled_frames_nothing_today(nlp):
    text = "Lena Marsh welcomed Tomas Oyelaran. Tomas Oyelaran had previously visited Chile in 2015."
    assert dates_by_pair(events_of(nlp, text, "2024-06-05")) == {frozenset({MARSH, OYE}): "2024-06-05"}


def test_events_the_meetings_on_a_day_date_the_meetings_told_before(nlp):
    text = (
        "Lena Marsh had meetings with Tomas Oyelaran and Ivo Brandt. "
        "During the meetings on 4 June, they discussed trade."
    )
    assert {e["date"] for e in events_of(nlp, text, "2024-06-05")} == {"2024-06-04"}


def test_events_a_date_line_joined_to_the_sentence_dates_nothing(nlp):
    text = "Last modified: 13 March 2022 01:57 pm\nLena Marsh met Tomas Oyelaran on Saturday."
    assert only(events_of(nlp, text, "2022-03-13"))["date"] == "2022-03-12"


def test_events_dateline_dates_and_places_the_news(nlp):
    doc = annotate(
        nlp, "SANTIAGO, Chile, May 15. Lena Marsh had a meeting with Tomas Oyelaran.", "2025-05-16"
    )
    event = only(doc._.kg_events)
    assert (event["date"], event["place"], event["country"]) == (
        "2025-05-15",
        "place:santiago",
        "country:chile",
    )


def test_events_dateline_city_unknown_to_the_gazetteer_becomes_a_place(nlp):
    doc = annotate(nlp, "TROMSO, Norway, May 15. Lena Marsh had a meeting with Tomas Oyelaran.", "2025-05-15")
    assert only(doc._.kg_events)["place"] == "place:tromso"
    place = next(e for e in doc._.kg_entities if e["key"] == "place:tromso")
    assert (place["label"], place["country"], place["subtype"]) == ("Tromso", "country:norway", "City")


def test_events_dateline_naming_a_country_makes_no_city(nlp):
    doc = annotate(nlp, "NORWAY, May 15. Lena Marsh had a meeting with Tomas Oyelaran.", "2025-05-15")
    event = only(doc._.kg_events)
    assert (event["date"], event["place"]) == ("2025-05-15", None)
    assert not any(e["key"] == "place:norway" for e in doc._.kg_entities)


def test_events_named_venue_becomes_a_place(nlp):
    doc = annotate(nlp, 'Lena Marsh met Tomas Oyelaran at the "Ostvik" presidential residence.')
    assert only(doc._.kg_events)["place"] == "place:ostvik-presidential-residence"
    assert any(e["key"] == "place:ostvik-presidential-residence" for e in doc._.kg_entities)


def test_events_place_in_an_institution_is_in_its_country(nlp):
    event = only(events_of(nlp, "Lena Marsh received Tomas Oyelaran at the Storting."))
    assert (event["place"], event["country"]) == ("institution:storting", "country:norway")


def test_events_topics_come_from_the_sentences_about_the_event(nlp):
    text = (
        "Lena Marsh met Tomas Oyelaran on 4 June. They discussed trade, the Middle Corridor and "
        "inter-parliamentary co-operation."
    )
    topics = only(events_of(nlp, text))["topics"]
    assert set(topics) == {"trade", "middle-corridor", "interparliamentary-cooperation"}


def test_events_evidence_names_article_sentence_and_rule(nlp):
    text = "The weather was fine. Lena Marsh met Tomas Oyelaran."
    evidence = only(events_of(nlp, text))["evidence"][0]
    assert evidence["article_id"] == "art1"
    assert evidence["sentence_index"] == 1
    assert evidence["sentence"] == "Lena Marsh met Tomas Oyelaran."
    assert text[evidence["start_char"] : evidence["end_char"]].strip() == evidence["sentence"]
    assert evidence["rule"] == "events.meet"


def test_events_key_is_deterministic_from_content(nlp):
    text = "Lena Marsh met Tomas Oyelaran on 4 June."
    first, second = events_of(nlp, text), events_of(nlp, "Tomas Oyelaran met Lena Marsh on 4 June.")
    assert first[0]["key"] == second[0]["key"] == f"Meeting|2024-06-04|{MARSH}|{OYE}"


def test_events_undated_key_is_per_article():
    assert event_key("Meeting", None, [OYE, MARSH], "art1") != event_key(
        "Meeting", None, [OYE, MARSH], "art2"
    )
    assert event_key("Meeting", "2024", [OYE, MARSH], "art1") == event_key(
        "Meeting", "2024", [MARSH, OYE], "b"
    )


def test_events_rules_file_loads_with_known_types():
    rules = load_rules()
    assert rules and all(rule.type in EVENT_TYPES and len(rule.cameo) == 3 for rule, _ in rules)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"label": "Picnic"}, "unknown event type 'Picnic'"),
        ({"kind": "party"}, "kind must be"),
        ({"cameo": "40"}, "three-digit CAMEO code"),
        ({"pattern": "met"}, "list of token patterns"),
    ],
)
def test_events_bad_rule_record_is_rejected_with_its_place(change, message):
    record = {"label": "Meeting", "pattern": [{"LEMMA": "meet"}], "id": "x.meet", "cameo": "040"}
    record |= {"plover": "CONSULT", "kind": "encounter"} | change
    with pytest.raises(ValueError, match=re.escape("events.verbs.jsonl, record 7 (x.meet)") + ".*" + message):
        rule_from_record(record, "kg/nlp/resources/events.verbs.jsonl, record 7")


# -- merge_events_across: DocFacts built by hand ---------------------------------------------------


def facts(article_id: str, *events: Event) -> DocFacts:
    article = Article(id=article_id, stem=article_id, path=f"{article_id}.txt", text="x")
    for event in events:
        event.evidence = [Evidence(article_id, 0, 0, 1, "x", "test")]
    return DocFacts(article=article, events=list(events))


def meeting(date: str | None, people=(MARSH, OYE), event_type="Meeting", parent=None, aid="a") -> Event:
    return Event(
        key=event_key(event_type, date, people, aid),
        type=event_type,
        participants=list(people),
        date=date,
        parent=parent,
    )


def test_events_merge_gives_one_key_and_the_most_precise_date():
    visit_2024 = meeting("2024", (MARSH,), "Visit", aid="b")
    later = facts("b", visit_2024, meeting("2024", parent=visit_2024.key, aid="b"))
    first = facts("a", meeting("2024-03-11"), meeting("2024-03", (MARSH,), "StateVisit"))
    merge_events_across([later, first])
    assert later.events[1].key == first.events[0].key == f"Meeting|2024-03-11|{MARSH}|{OYE}"
    assert later.events[1].date == "2024-03-11"
    assert later.events[0].key == first.events[1].key == f"StateVisit|2024-03|{MARSH}"
    assert later.events[0].type == "StateVisit"
    assert later.events[1].parent == later.events[0].key


def test_events_merge_does_not_depend_on_order():
    def batch():
        return [
            facts("a", meeting("2024-03-11")),
            facts("b", meeting("2024")),
            facts("c", meeting("2024-03")),
            facts("d", meeting("2024-05-02")),
            facts("e", meeting("2024-05-02", (MARSH, OYE, BRANDT))),
        ]

    results = set()
    for order in itertools.permutations(range(5)):
        items = batch()
        merge_events_across([items[i] for i in order])
        results.add(tuple((f.article.id, e.key, e.date) for f in items for e in f.events))
    assert len(results) == 1


@pytest.mark.parametrize(
    ("events", "merged"),
    [
        ([meeting("2024-03-11"), meeting("2024-03-11", (MARSH, BRANDT))], False),  # other people
        ([meeting(None), meeting(None, aid="b")], False),  # undated: cannot tell it is the same occasion
        ([meeting("2024-03-11"), meeting("2024-05-02")], False),
        ([meeting("2024-03-11"), meeting("2024-03-11", event_type="PhoneCall")], False),
        ([meeting("2024-03-11"), meeting("2024-03-11", (MARSH, OYE, BRANDT))], True),  # more named, same day
        ([meeting("2024-03-11"), meeting("2024", event_type="Talks")], True),
    ],
)
def test_events_merge_only_the_same_occasion(events, merged):
    batch = [facts("a", events[0]), facts("b", events[1])]
    merge_events_across(batch)
    assert (batch[0].events[0].key == batch[1].events[0].key) is merged


def test_events_coarse_date_that_fits_two_occasions_stays_apart():
    batch = [
        facts("a", meeting("2024-03-11")),
        facts("b", meeting("2024-05-02")),
        facts("c", meeting("2024")),
    ]
    merge_events_across(batch)
    assert [f.events[0].date for f in batch] == ["2024-03-11", "2024-05-02", "2024"]


# -- end to end on the seed articles (the only tests that may assert what the seeds say) ------------


@pytest.fixture(scope="module")
def seed_facts(nlp, seed_dir) -> dict[str, DocFacts]:
    from kg.nlp.pipeline import set_context, to_facts
    from kg.read import read_paths

    articles = read_paths([seed_dir]).articles
    batch = [to_facts(nlp(set_context(nlp.make_doc(a.text), a)), a) for a in articles]
    merge_events_across(batch)
    return {f.article.stem[:3]: f for f in batch}


def surnames(event: Event) -> frozenset[str]:
    return frozenset(p.rsplit("-", 1)[-1] for p in event.participants)


def seed_event(seed_facts, doc: str, *people: str) -> Event:
    from kg.nlp.resolve import person_key  # keys fold transliterations: compare surnames folded alike

    wanted = frozenset(person_key(p).rsplit(":", 1)[-1] for p in people)
    found = [e for e in seed_facts[doc].events if surnames(e) == wanted]
    assert len(found) == 1, [(e.type, sorted(surnames(e))) for e in seed_facts[doc].events]
    return found[0]


@pytest.mark.parametrize(
    ("doc", "people", "date", "country"),
    [
        ("000", ("gafarova", "tokayev"), "2024-03-11", "country:azerbaijan"),
        ("000", ("aliyev", "tokayev"), "2024-03-11", "country:azerbaijan"),  # dated by 004's report
        ("001", ("bayel", "gafarova"), "2025-05-15", "country:azerbaijan"),
        (
            "002",
            ("aliyev", "amiraslanov", "atamoglanov", "gafarova", "tokayev"),
            "2021-09-29",
            "country:kazakhstan",
        ),
        ("003", ("ashimbayev", "gafarova"), "2021-04-15", "country:russia"),
        ("004", ("aliyev", "tokayev"), "2024-03-11", "country:azerbaijan"),
    ],
)
def test_events_seed_meetings(seed_facts, doc, people, date, country):
    event = seed_event(seed_facts, doc, *people)
    assert (event.date, event.country) == (date, country)


def test_events_seed_visits_frame_their_meetings(seed_facts):
    for doc, people, visit_type in [
        ("000", ("gafarova", "tokayev"), "StateVisit"),
        ("002", ("aliyev", "amiraslanov", "atamoglanov", "gafarova", "tokayev"), "OfficialVisit"),
        ("003", ("ashimbayev", "gafarova"), "Visit"),
        ("004", ("aliyev", "tokayev"), "StateVisit"),  # one visit with 000's state visit, after the merge
    ]:
        parent = next(
            e for e in seed_facts[doc].events if e.key == seed_event(seed_facts, doc, *people).parent
        )
        assert parent.type == visit_type


def test_events_seed_same_meeting_reported_twice_has_one_key(seed_facts):
    assert (
        seed_event(seed_facts, "000", "aliyev", "tokayev").key
        == seed_event(seed_facts, "004", "aliyev", "tokayev").key
    )


def test_events_seed_third_country_place_venue_and_topics(seed_facts):
    in_russia = seed_event(seed_facts, "003", "ashimbayev", "gafarova")
    assert in_russia.cameo == "044"
    assert {"minefield-maps", "patriotic-war", "turkpa"} <= set(in_russia.topics)
    at_residence = seed_event(seed_facts, "004", "aliyev", "tokayev")
    assert at_residence.place == "place:zagulba-presidential-residence"
    assert {"trade", "energy", "sister-cities"} <= set(at_residence.topics)
    assert seed_event(seed_facts, "000", "gafarova", "tokayev").place == "institution:milli-majlis"


def test_events_subject_that_is_not_a_person_adds_no_one(nlp):
    text = "After talks with Ivo Brandt, the delegation met Tomas Oyelaran."
    participants = {frozenset(e["participants"]) for e in events_of(nlp, text)}
    assert frozenset({BRANDT, OYE}) not in participants


def test_events_merge_joins_two_reports_in_one_article_that_became_one_occasion():
    batch = [
        facts("a", meeting("2024-03-11"), meeting("2024", event_type="Talks")),
        facts("b", meeting("2024-03")),
    ]
    merge_events_across(batch)
    assert [(e.key, len(e.evidence)) for e in batch[0].events] == [(f"Talks|2024-03-11|{MARSH}|{OYE}", 1)]


def test_events_unresolved_pronoun_subject_is_the_person_named_before(nlp):
    text = "Last year, Lena Marsh paid a working visit to Santiago, where she met with Tomas Oyelaran."
    events = events_of(nlp, text)
    visit, meeting = only(events, "visit"), only(events)
    assert (visit["type"], visit["date"], visit["country"]) == ("WorkingVisit", "2023", "country:chile")
    assert set(meeting["participants"]) == {MARSH, OYE}
    assert (meeting["parent"], meeting["place"]) == (visit["key"], "place:santiago")


@pytest.mark.parametrize("text", ["", "   ", "No one met anyone."])
def test_events_empty_or_eventless_text(nlp, text):
    assert events_of(nlp, text, None) == []


def test_events_evidence_is_the_line_of_a_headline_glued_to_its_sentence(nlp):
    text = (
        "Lena Marsh Meets Tomas Oyelaran\n\n4 June 2024 | 21:09\n\nLena Marsh met Tomas Oyelaran in Santiago."
    )
    for evidence in only(events_of(nlp, text))["evidence"]:
        assert "\n" not in evidence["sentence"]
        assert text[evidence["start_char"] : evidence["end_char"]] == evidence["sentence"]


def encounters(nlp, text: str) -> set[frozenset[str]]:
    visits = ("Visit", "StateVisit", "OfficialVisit", "WorkingVisit")
    return {frozenset(e["participants"]) for e in events_of(nlp, text) if e["type"] not in visits}


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        # a verb coordinated with another shares its subject
        ("Lena Marsh visited Santiago in May and met with Tomas Oyelaran.", [{MARSH, OYE}]),
        # a delegation led by / accompanied by / joined by
        (
            "Lena Marsh received a delegation led by Tomas Oyelaran, who was accompanied by Ivo Brandt.",
            [{MARSH, OYE, BRANDT}],
        ),
        ("Lena Marsh, accompanied by Ivo Brandt, met Tomas Oyelaran.", [{MARSH, OYE, BRANDT}]),
        # a long list the parser breaks up
        (
            "The talks with Trade Minister Tomas Oyelaran, Finance Minister Ivo Brandt and Energy Minister "
            "Mara Quist were held by Lena Marsh on Monday.",
            [{MARSH, OYE, BRANDT, QUIST}],
        ),
        # "during his meeting with X, Y said"
        ("During his meeting with Tomas Oyelaran, Lena Marsh said trade had grown.", [{MARSH, OYE}]),
        ("At the meeting with Tomas Oyelaran the Speaker Lena Marsh praised the ties.", [{MARSH, OYE}]),
        # the subject of the clause a participle depends on
        ("Briefing journalists soon after meeting Tomas Oyelaran, Lena Marsh said little.", [{MARSH, OYE}]),
        # two named subjects discussing have met
        ("Lena Marsh and Tomas Oyelaran today discussed trade.", [{MARSH, OYE}]),
        # a list of names cut by spaCy after an abbreviated title goes on
        (
            "Lena Marsh received Tomas Oyelaran on Monday. Chief of Staff Dr. Ivo Brandt and Cabinet "
            "Secretaries Amb. Mara Quist (Treasury) and Amb. Petra Lund (Energy) attended the meeting.",
            [{MARSH, OYE, BRANDT, QUIST, LUND}],
        ),
        # a sentence cut inside the subject list ("... of Ghana (GH) A today discussed ...")
        (
            "OSLO (Oct 2): Storting Speaker Tan Sri Lena Marsh and Head of the House of Representatives "
            "of the Republic of Ghana (GHR RI) Tomas Oyelaran today discussed efforts to strengthen "
            "relations and cooperation between the parliaments.",
            [{MARSH, OYE}],
        ),
        # a "person" that is where something happened is no participant
        ("Lena Marsh received Tomas Oyelaran in the Nova Capital.", [{MARSH, OYE}]),
    ],
)
def test_events_participants_of_one_meeting(nlp, text, groups):
    assert encounters(nlp, text) == {frozenset(g) for g in groups}


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        (
            "Lena Marsh held separate meetings with Tomas Oyelaran, Ivo Brandt and Mara Quist.",
            [{MARSH, OYE}, {MARSH, BRANDT}, {MARSH, QUIST}],
        ),
        (
            "Lena Marsh held separate meetings with her counterparts. The meetings with Tomas Oyelaran "
            "and Ivo Brandt took place on Friday. She also met Mara Quist and Petra Lund.",
            [{MARSH, OYE}, {MARSH, BRANDT}, {MARSH, QUIST}, {MARSH, LUND}],
        ),
        # a round of phone calls: one call with each
        (
            "Lena Marsh took a round of telephone calls on Sunday. She conducted discussions with "
            "Tomas Oyelaran first. The Speaker has also had discussions with Ivo Brandt and Mara Quist.",
            [{MARSH, OYE}, {MARSH, BRANDT}, {MARSH, QUIST}],
        ),
        (
            "Lena Marsh met Tomas Oyelaran and Ivo Brandt on Monday. "
            "Mara Quist and Petra Lund had talks with Karim Osei on Tuesday.",
            [{MARSH, OYE, BRANDT}, {QUIST, LUND, OSEI}],
        ),
    ],
)
def test_events_separate_meetings_pair_only_host_and_guest(nlp, text, groups):
    assert encounters(nlp, text) == {frozenset(g) for g in groups}


def test_events_pronoun_subject_left_open_is_the_previous_host(nlp):
    text = (
        "Lena Marsh held talks with Tomas Oyelaran and Ivo Brandt on Monday, the ministry said. "
        "He also met Mara Quist."
    )
    assert frozenset({MARSH, QUIST}) in encounters(nlp, text)


def test_events_attendance_joins_the_main_meeting_not_one_recalled(nlp):
    text = (
        "Lena Marsh received a delegation from Ghana on Tuesday. "
        "The meeting followed her visit to Chile in February, where she held talks with Tomas Oyelaran. "
        "Trade and energy were discussed. The delegation spoke of new projects. "
        "Ivo Brandt and Mara Quist attended the meeting."
    )
    groups = encounters(nlp, text)
    assert frozenset({MARSH, BRANDT, QUIST}) in groups
    assert not any(OYE in g and BRANDT in g for g in groups)


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("Lena Marsh talked with Tomas Oyelaran by telephone late on Sunday.", "PhoneCall"),
        ("Lena Marsh spoke with Tomas Oyelaran over the phone.", "PhoneCall"),
        ("Lena Marsh held a video conference with Tomas Oyelaran.", "PhoneCall"),
        ("Lena Marsh and Tomas Oyelaran held talks via videoconference.", "Talks"),
        ("Lena Marsh discussed regional security with her counterpart Tomas Oyelaran.", "Talks"),
        ("Lena Marsh has discussed with Tomas Oyelaran on bilateral issues.", "Talks"),
        ("Lena Marsh conducted discussions with Tomas Oyelaran.", "Talks"),
        ("Lena Marsh held a warm conversation with Tomas Oyelaran on the sidelines of the summit.", "Talks"),
        ("Lena Marsh exchanged views with Tomas Oyelaran.", "Talks"),
        ("Lena Marsh conferred with Tomas Oyelaran.", "Meeting"),
        ("Lena Marsh also convened with Tomas Oyelaran.", "Meeting"),
        ("Lena Marsh called on Tomas Oyelaran at the Storting.", "Meeting"),
        ("Lena Marsh paid a courtesy call on Tomas Oyelaran.", "Meeting"),
        ("Lena Marsh presented her credentials to Tomas Oyelaran.", "Ceremony"),
        ("Lena Marsh was welcomed at the airport by Tomas Oyelaran.", "Reception"),
        ("Lena Marsh hosted Tomas Oyelaran at the Storting.", "Reception"),
        ("Lena Marsh was received by Tomas Oyelaran.", "Reception"),
        ("Talks between Lena Marsh and Tomas Oyelaran took place in Santiago.", "Talks"),
        ("Lena Marsh had a bilateral meeting with Tomas Oyelaran on the margins of the forum.", "Meeting"),
    ],
)
def test_events_trigger_shapes(nlp, text, event_type):
    event = only(events_of(nlp, text))
    assert (set(event["participants"]), event["type"]) == ({MARSH, OYE}, event_type)


@pytest.mark.parametrize(
    "text",
    [
        "Lena Marsh called on Tomas Oyelaran to release the prisoners.",
        "Lena Marsh spoke with reporters after Tomas Oyelaran left.",
        "Lena Marsh discussed the report of Tomas Oyelaran.",
        "Lena Marsh welcomed the decision of Tomas Oyelaran to resume talks.",
        "Lena Marsh received a letter from Tomas Oyelaran.",
        "Lena Marsh discussed the proposal with her staff, Tomas Oyelaran said.",
        "According to Ivo Brandt and Mara Quist, the minister met the delegation.",
        "Speaking to reporters, Ivo Brandt and Mara Quist said the visit would go ahead.",
    ],
)
def test_events_trigger_words_that_are_no_meeting(nlp, text):
    assert events_of(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        # the delegation's leader and companions join the reception
        (
            "Lena Marsh received a delegation from Ghana on Tuesday. Trade was discussed. "
            "The delegation was led by Tomas Oyelaran, who was accompanied by Ivo Brandt.",
            [{MARSH, OYE, BRANDT}],
        ),
        # a list broken by remarks in brackets
        (
            "Lena Marsh received Tomas Oyelaran on Monday. Ivo Brandt (Trade), Mara Quist (Energy) "
            "and Petra Lund attended the meeting.",
            [{MARSH, OYE, BRANDT, QUIST, LUND}],
        ),
        # officials who joined the host "included" a list
        (
            "Lena Marsh received Tomas Oyelaran on Monday. Other officials, who joined Lena Marsh to "
            "receive Tomas Oyelaran, included the Chief of Staff to the Speaker, Ivo Brandt; the "
            "Trade Minister, Mara Quist.",
            [{MARSH, OYE, BRANDT, QUIST}],
        ),
        # whose adviser someone is does not make that person a participant
        ("Lena Marsh met Ivo Brandt's adviser Tomas Oyelaran.", [{MARSH, OYE}]),
    ],
)
def test_events_participants_added_by_later_sentences(nlp, text, groups):
    assert encounters(nlp, text) == {frozenset(g) for g in groups}


def test_events_companions_join_the_visit(nlp):
    text = (
        "Lena Marsh, who is on a working visit to Chile, held talks with Tomas Oyelaran on Tuesday. "
        "Lena Marsh was accompanied by Trade Minister Ivo Brandt as well as the Ambassador to Chile "
        "Mara Quist and the Counsellor at the Embassy of Norway, Petra Lund."
    )
    events = events_of(nlp, text)
    assert set(only(events, "visit")["participants"]) == {MARSH, BRANDT, QUIST, LUND}
    assert set(only(events)["participants"]) == {MARSH, OYE}


def test_events_meetings_in_a_series_with_the_host_described(nlp):
    text = (
        "Lena Marsh met the new ambassadors on Monday. Trade was discussed. "
        "At the meeting with Ambassador Tomas Oyelaran the Speaker said ties were strong. "
        "During the meeting with Ambassador Ivo Brandt, the Speaker praised the embassy."
    )
    assert encounters(nlp, text) == {frozenset({MARSH, OYE}), frozenset({MARSH, BRANDT})}


def test_events_they_at_a_meeting_with_x_are_the_host_and_x(nlp):
    text = (
        "Lena Marsh held bilateral meetings on Friday. "
        "In a meeting with the Trade Minister of Ghana, Tomas Oyelaran, they agreed on a new plan."
    )
    assert frozenset({MARSH, OYE}) in encounters(nlp, text)


def test_events_people_on_each_side_join_the_meeting(nlp):
    text = (
        "Lena Marsh was welcomed at the airport by Tomas Oyelaran on Monday. "
        "On the Norwegian side were Ivo Brandt and Mara Quist."
    )
    assert encounters(nlp, text) == {frozenset({MARSH, OYE, BRANDT, QUIST})}


def test_events_a_reference_named_right_after_is_that_name(nlp):
    doc = annotate(nlp, "Ivo Brandt met with his Ghanaian counterpart Tomas Oyelaran.")
    counterpart = doc.char_span(20, 44, label="PERSON", kb_id=MARSH, span_id="resolve.reference.counterpart")
    doc.spans["kg_mentions"] = sorted([*doc.spans["kg_mentions"], counterpart], key=lambda s: s.start)
    events = nlp.get_pipe("kg_events")(doc)._.kg_events
    assert {frozenset(e["participants"]) for e in events} == {frozenset({BRANDT, OYE})}


def test_events_received_by_with_a_relative_clause_over_a_coordination(nlp):
    text = (
        "Lena Marsh met Karim Osei on Monday. Lena Marsh arrived accompanied by Ivo Brandt and other "
        "officials, who were received by Tomas Oyelaran. He was then greeted by Mara Quist."
    )
    groups = encounters(nlp, text)
    assert frozenset({MARSH, BRANDT, OYE}) in groups
    assert not any(BRANDT in g and QUIST in g for g in groups)


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        (
            "Lena Marsh had meetings in Santiago with Tomas Oyelaran and Ivo Brandt.",
            [{MARSH, OYE}, {MARSH, BRANDT}],
        ),
        (
            "Lena Marsh received the visiting delegation on Monday. The delegation, which is in Chile "
            "for a visit, is led by the Trade Minister of the Coast Province, Tomas Oyelaran.",
            [{MARSH, OYE}],
        ),
    ],
)
def test_events_plural_meetings_and_a_visiting_delegation(nlp, text, groups):
    events = events_of(nlp, text)
    assert {frozenset(e["participants"]) for e in events if e["type"] not in ("Visit",)} == {
        frozenset(g) for g in groups
    }
    assert not any(e["type"] == "Visit" and MARSH in e["participants"] for e in events)


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        # "with X" hung on a word after the trigger
        (
            "Lena Marsh held her first phone call since taking office with her counterpart, Tomas Oyelaran.",
            [{MARSH, OYE}],
        ),
        # a host the text names only by role; the others join the reception
        (
            "The Speaker of the Storting received Tomas Oyelaran on Monday. Ivo Brandt and the Head of "
            "the Office in Santiago Mara Quist also took part in the meeting.",
            [{OYE, BRANDT, QUIST}],
        ),
    ],
)
def test_events_parties_the_parse_hides(nlp, text, groups):
    assert encounters(nlp, text) == {frozenset(g) for g in groups}


def test_events_a_companion_of_someone_else_does_not_bring_them_to_a_meeting(nlp):
    text = (
        "Ivo Brandt met Tomas Oyelaran on Monday. "
        "Ivo Brandt is part of the delegation accompanying Lena Marsh on a working visit to Chile."
    )
    assert frozenset({BRANDT, OYE}) in encounters(nlp, text)
    assert not any(MARSH in g and OYE in g for g in encounters(nlp, text))


@pytest.mark.parametrize(
    "text",
    [
        "Later Lena Marsh had a separate working lunch with Tomas Oyelaran.",
        "Lena Marsh hosted a dinner for Tomas Oyelaran.",
    ],
)
def test_events_a_meal_together_is_a_meeting(nlp, text):
    assert encounters(nlp, text) == {frozenset({MARSH, OYE})}
