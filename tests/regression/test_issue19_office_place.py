"""Issue 19, offices: the role was right but its country or institution was wrong or missing.

Classes: a companion of an official is of his side; a country that is a topic of the talks is no
side's; a title with a country and no name is about the one bare holder of its role; an article's
cities count for its country; a plural title of heads names heads of different countries. The
persons and sentences are invented.
"""

from __future__ import annotations

import pytest


def countries_of(nlp, text: str, person: str) -> set[tuple[str, str | None]]:
    """(role, country) of every holding of ``person`` (a key such as "person:ivo-brandt")."""
    doc = nlp(text)
    return {
        (h["office"]["role"], h["office"]["country"])
        for h in doc._.kg_office_holdings
        if h["person"] == person
    }


def test_companion_of_an_official_is_of_his_side(nlp) -> None:
    text = "President Mara Quist of Chile, accompanied by Foreign Minister Ivo Brandt, met the envoys."
    assert countries_of(nlp, text, "person:ivo-brandt") == {("Foreign Minister", "country:chile")}


def test_delegation_accompanying_an_official_shares_his_country(nlp) -> None:
    text = (
        "Foreign Minister of Chile Ivo Brandt is part of the delegation accompanying Deputy Prime Minister "
        "Mara Quist on a working visit to Peru."
    )
    assert countries_of(nlp, text, "person:mara-kuist") == {("Deputy Prime Minister", "country:chile")}


def test_country_that_is_a_topic_of_the_talks_is_no_side(nlp) -> None:
    text = (
        "Foreign Minister Lena Marsh held talks with her Ghanaian counterpart Tomas Oyelaran in Accra. "
        "Foreign Minister Lena Marsh on Tuesday discussed issues relating to the Sahel and Mali with "
        "Tomas Oyelaran."
    )
    assert ("Foreign Minister", "country:mali") not in countries_of(nlp, text, "person:lena-marsh")


@pytest.mark.parametrize(
    ("text", "role", "country"),
    [
        (
            "Ivo Brandt on Monday met former President Lena Marsh in Lyon, becoming the first visitor to "
            "call on the ousted Peruvian president since her return.",
            "President",
            "country:peru",
        ),
        (
            "The minister protested against the treatment of Chile's deputy consul general in Lyon. "
            "Deputy Consul General Lena Marsh was arrested last week.",
            "Deputy Consul General",
            "country:chile",
        ),
        # Her own clause's subject: the Peruvian president is someone else.
        ("President Lena Marsh met the Peruvian president in Lyon on Monday.", "President", None),
        ("President Lena Marsh arrived on Monday. She will meet the Peruvian president.", "President", None),
    ],
)
def test_unnamed_title_with_a_country_is_about_the_one_bare_holder(
    nlp, text: str, role: str, country: str | None
) -> None:
    assert countries_of(nlp, text, "person:lena-marsh") == {(role, country)}


def test_cities_count_for_the_country_an_article_is_about(nlp) -> None:
    text = (
        "Ivo Brandt arrived in Lima on Monday. In Lima he met Prime Minister Lena Marsh. "
        "The talks in Peru covered trade."
    )
    assert countries_of(nlp, text, "person:lena-marsh") == {("Prime Minister", "country:peru")}


def test_plural_title_of_heads_takes_no_dateline_country(nlp) -> None:
    text = "NAIROBI (Agency) - Presidents Amani Otieno and Lars Holm held talks on trade."
    assert countries_of(nlp, text, "person:amani-otyeno") == {("President", None)}


def test_officials_on_a_side_are_of_its_country(nlp) -> None:
    text = (
        "The talks were held in Lyon. On the Chilean side were Ambassador Ivo Brandt and Consul General "
        "Lena Marsh."
    )
    assert countries_of(nlp, text, "person:ivo-brandt") == {("Ambassador", "country:chile")}
    assert countries_of(nlp, text, "person:lena-marsh") == {("Consul General", "country:chile")}


def test_host_who_invites_is_of_the_country_visited(nlp) -> None:
    text = (
        "Ivo Brandt arrived on Monday for an official visit to Peru at the invitation of Speaker Lena Marsh."
    )
    assert countries_of(nlp, text, "person:lena-marsh") == {("Speaker", "country:peru")}


def test_head_of_a_delegation_and_his_companion_are_of_its_country(nlp) -> None:
    text = (
        "The Chilean delegation was led by Minister of State Ivo Brandt who was accompanied by the "
        "Economic Adviser Lena Marsh among other officials."
    )
    assert countries_of(nlp, text, "person:ivo-brandt") == {("Minister of State", "country:chile")}
    assert countries_of(nlp, text, "person:lena-marsh") == {("Economic Adviser", "country:chile")}


def test_generic_chamber_after_a_demonym_is_that_countrys(nlp) -> None:
    text = "Mr Brandt also called on Chilean Speaker of the House of Representatives Ana Quispe Flores."
    doc = nlp(text)
    (holding,) = [h for h in doc._.kg_office_holdings if h["person"] == "person:ana-kuispe-flores"]
    assert holding["office"]["institution"] == "institution:house-of-representatives-of-chile"


def test_chamber_named_in_the_holders_own_title(nlp) -> None:
    text = (
        "Peru: National Assembly Speaker, Lena Marsh, hosted Ivo Brandt in Lima. Peru and Lima welcomed "
        "him. The Parliament of Peru and the Parliamentary Group met in Lima."
    )
    doc = nlp(text)
    found = {
        h["office"]["institution"] for h in doc._.kg_office_holdings if h["person"] == "person:lena-marsh"
    }
    assert found == {"institution:national-assembly-of-peru"}


def test_who_receives_the_visitors_is_of_the_country_visited(nlp) -> None:
    text = (
        "Foreign Minister of India Ivo Brandt was on a one-day visit to Peru. Earlier in the day, he was "
        "received on arrival at the airport by Foreign Secretary Lena Marsh."
    )
    assert countries_of(nlp, text, "person:lena-marsh") == {("Foreign Secretary", "country:peru")}


def test_visiting_sides_country_is_not_what_the_article_is_about(nlp) -> None:
    text = (
        "Marsh receives Chilean delegation\n\nPresident Lena Marsh received the Chilean delegation on "
        "Monday. The Chilean guests praised the projects Chile supports in Peru. Peru and its partners "
        "discussed trade, and Peru welcomed the visit."
    )
    assert countries_of(nlp, text, "person:lena-marsh") == {("President", "country:peru")}


def test_post_of_an_unknown_body_gets_no_legislature(nlp) -> None:
    text = (
        "VIỆT NAM - The guests were welcomed by Ivo Brandt, Vice Chairman of the Lyon City People's Council, "
        "in Hà Nội. The National Assembly met in Hà Nội."
    )
    doc = nlp(text)
    found = {
        h["office"]["institution"] for h in doc._.kg_office_holdings if h["person"] == "person:ivo-brandt"
    }
    # Not the National Assembly: the council named in full is an institution of its own.
    assert found == {"institution:lyon-city-peoples-council"}


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Nairobi February 6/2022 /Agency/ Prime Minister Lena Marsh has discussed trade.", "country:kenya"),
        ("Nairobi may host the summit.\nPrime Minister Lena Marsh has discussed trade.", None),
    ],
)
def test_dateline_place_followed_by_the_date(nlp, text: str, country: str | None) -> None:
    assert countries_of(nlp, text, "person:lena-marsh") == {("Prime Minister", country)}


def test_bare_officials_at_a_visit_are_the_hosts(nlp) -> None:
    text = (
        "President Lena Marsh of Peru received a delegation sent by the Crown Prince. The Chilean "
        "delegation was led by Minister of State Ivo Brandt. Cabinet Secretaries Ana Bors and Tomas "
        "Oyelaran attended the meeting."
    )
    assert countries_of(nlp, text, "person:ana-bors") == {("Cabinet Secretary", "country:peru")}
    assert countries_of(nlp, text, "person:ivo-brandt") == {("Minister of State", "country:chile")}


def test_host_country_leaves_a_post_the_text_places(nlp) -> None:
    text = (
        "Speaker of the Parliament of Chile Ivo Brandt met President of Peru Lena Marsh during the visit "
        "of the Chilean delegation to Lima. Speaker Ivo Brandt thanked her."
    )
    assert countries_of(nlp, text, "person:ivo-brandt") == {("Speaker", "country:chile")}


def test_visiting_delegation_named_with_its_kind(nlp) -> None:
    text = (
        "Trade Minister Ana Bors cancelled her meeting with a senior Chilean parliamentary delegation. "
        "Speaker of the Parliament of Peru Ivo Brandt also cancelled his."
    )
    assert countries_of(nlp, text, "person:ana-bors") == {("Minister of Trade", "country:peru")}


def test_country_before_the_first_of_two_coordinated_envoys_is_the_seconds(nlp) -> None:
    text = (
        "He spoke to Chile's Ambassador-designate to Peru Ana Bors and Ambassador-designate to Ghana "
        "Ivo Brandt who called on him separately."
    )
    doc = nlp(text)
    (holding,) = [h for h in doc._.kg_office_holdings if h["person"] == "person:ivo-brandt"]
    assert (holding["office"]["country"], holding["office"]["accredited_to"]) == (
        "country:chile",
        "country:ghana",
    )


def test_hosts_listed_together_share_their_one_country(nlp) -> None:
    text = (
        "The guests were received by the executive vice president, Lena Marsh, and the Peruvian Foreign "
        "Minister, Ivo Brandt."
    )
    assert countries_of(nlp, text, "person:lena-marsh") == {("Executive Vice President", "country:peru")}


def test_member_sits_in_the_chamber_its_speaker_presides_over(nlp) -> None:
    text = (
        "Peru: National Assembly Speaker, Lena Marsh, hosted Ivo Brandt in Lima. Peru and Lima welcomed "
        "him. The group was founded in the 10th Parliament by Ana Bors, MP."
    )
    doc = nlp(text)
    found = {h["office"]["institution"] for h in doc._.kg_office_holdings if h["person"] == "person:ana-bors"}
    assert found == {"institution:national-assembly-of-peru"}


def test_plural_title_with_a_country_is_about_the_holders_it_lists(nlp) -> None:
    text = (
        "He hailed what many Peruvian senators have done, citing as examples late senator Ana Bors and "
        "former senator Ivo Brandt."
    )
    doc = nlp(text)
    found = {
        (h["person"], h["office"]["country"], h["office"]["institution"])
        for h in doc._.kg_office_holdings
        if h["office"]["role"] == "Senator"
    }
    assert found == {
        ("person:ana-bors", "country:peru", "institution:senate-of-peru"),
        ("person:ivo-brandt", "country:peru", "institution:senate-of-peru"),
    }


def test_host_countrys_regional_heads_are_its_own(nlp) -> None:
    text = (
        "Trade Minister Ana Bors cancelled her meeting with a senior Chilean parliamentary delegation. "
        "Speaker of the Parliament of Peru Ivo Brandt also cancelled his. Cusco Chief Minister Tomas "
        "Oyelaran also refused to meet the delegation."
    )
    assert countries_of(nlp, text, "person:tomas-oyelaran") == {("Chief Minister", "country:peru")}


def test_two_companions_are_of_one_side(nlp) -> None:
    text = (
        "The envoy was flanked by President Ana Bors of Peru and Foreign Affairs Minister Ivo Brandt when "
        "she addressed the media."
    )
    assert countries_of(nlp, text, "person:ivo-brandt") == {("Foreign Minister", "country:peru")}


def test_members_of_a_visiting_delegation_are_of_its_country(nlp) -> None:
    text = (
        "The Peruvian delegation, which included Trade Minister Ivo Brandt, was received by President "
        "Ana Bors of Chile."
    )
    assert countries_of(nlp, text, "person:ivo-brandt") == {("Minister of Trade", "country:peru")}


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # The one bare official of a meeting held in a city, the other side placed: the host.
        (
            "Foreign Secretary Ivo Brandt met his Kenyan counterpart in Accra. He hosted Foreign "
            "Minister Lena Marsh of Kenya.",
            "country:ghana",
        ),
        # A journey: the city is someone's destination.
        ("Foreign Secretary Ivo Brandt arrived in Accra. He met Foreign Minister Lena Marsh of Kenya.", None),
        # No other side placed: nothing says which side he is on.
        ("Foreign Secretary Ivo Brandt met Foreign Minister Lena Marsh in Accra.", None),
        # Two bare officials in the sentence: which of them hosts, the venue does not say.
        (
            "Foreign Secretary Ivo Brandt met Trade Minister Ana Diaz in Accra. Foreign Minister Lena "
            "Marsh of Kenya was there.",
            None,
        ),
    ],
)
def test_bare_host_of_a_meeting_in_a_city_is_of_its_country(nlp, text: str, country: str | None) -> None:
    assert {c for _, c in countries_of(nlp, text, "person:ivo-brandt")} == {country}


def test_title_then_an_aside_in_brackets_then_the_name(nlp) -> None:
    text = "He met the president of the Republic of Kenya (formerly a colony), Lena Marsh, on Monday."
    assert countries_of(nlp, text, "person:lena-marsh") == {("President", "country:kenya")}


def test_host_beside_a_guest_the_text_places_elsewhere(nlp) -> None:
    # The headline runs into the first sentence: the guest's bare headline title is no second bare
    # official, her post is placed.
    text = (
        "Brandt hosts President Lena Marsh\n\nPresident Ivo Brandt is on Tuesday hosting the president "
        "of Kenya, Lena Marsh, at the State House in Accra."
    )
    assert countries_of(nlp, text, "person:ivo-brandt") == {("President", "country:ghana")}


def test_host_at_a_seat_of_government_is_of_its_country(nlp) -> None:
    text = "Prime Minister Ivo Brandt met President Lena Marsh of Kenya at the Elysee Palace."
    assert countries_of(nlp, text, "person:ivo-brandt") == {("Prime Minister", "country:france")}


def test_post_of_a_building_is_named_after_it(nlp) -> None:
    doc = nlp("He was welcomed by Commandant of the Elysee Palace Ivo Brandt.")
    (h,) = [h for h in doc._.kg_office_holdings if h["person"] == "person:ivo-brandt"]
    office = h["office"]
    assert (office["role"], office["country"], office["label"]) == (
        "Commandant",
        "country:france",
        "Commandant of the Élysée Palace",
    )
