"""kg_offices on short invented sentences: who holds which normalised office."""

from __future__ import annotations

import pytest
from factories import office_holdings as holdings

from kg.nlp.facts import Office


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


# A portfolio minister's post is in his country's ministry too ('ministry' in the role list).
FM_OF = {c: f"institution:ministry-of-foreign-affairs-of-{c}" for c in ("turkiye", "ghana", "chile")}
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
            held("bolat-omarov", "First President", "kazakhstan", former=True),
        ),
        (
            "They met former Minister of Foreign Affairs of Türkiye Mehmet Demirci.",
            held("mehmet-demirci", "Foreign Minister", "turkiye", FM_OF["turkiye"], former=True),
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


def offices_of(nlp, text: str, published: str | None = "2024-05-01") -> set[tuple]:
    """(person, role, institution, country, accredited_to, former) of every holding of ``text``."""
    return {summary(h) for h in holdings(nlp, text, published)}


@pytest.mark.parametrize(
    "text",
    [
        "Ghanaian Foreign Minister Kwame Asante spoke.",
        "Minister of Foreign Affairs of Ghana Kwame Asante spoke.",
        "Kwame Asante, Minister for Foreign Affairs of Ghana, spoke.",
        "Ghana's Foreign Affairs Minister Kwame Asante spoke.",
        "Ghanaian External Affairs Minister Kwame Asante spoke.",
    ],
)
def test_offices_every_foreign_minister_form_is_one_role(nlp, text: str) -> None:
    assert offices_of(nlp, text) == {held("kvame-asante", "Foreign Minister", "ghana", FM_OF["ghana"])}


@pytest.mark.parametrize(
    ("text", "role", "country"),
    [
        ("US Secretary of State Dana Whitfield arrived.", "Secretary of State", "united-states"),
        ("British Foreign Secretary Dana Whitfield arrived.", "Foreign Secretary", "united-kingdom"),
        ("Chinese Premier Li Wenhao arrived.", "Premier", "china"),
        ("Jordanian King Faisal Haddad arrived.", "King", "jordan"),
        ("Qatari Emir Tamim Saleh arrived.", "Emir", "qatar"),
        ("Kenyan Cabinet Secretary Wanjiru Otieno arrived.", "Cabinet Secretary", "kenya"),
    ],
)
def test_offices_titles_keep_their_own_role(nlp, text: str, role: str, country: str) -> None:
    ((_, got, _, got_country, _, _),) = offices_of(nlp, text)
    assert (got, got_country) == (role, f"country:{country}")


def test_offices_portfolios_kept_as_written_in_a_list(nlp) -> None:
    text = (
        "She was accompanied by the Minister of Foreign Affairs, Kofi Mensah, the Minister of Trade and "
        "Investment, Tunde Bakare, and the Minister of State for Trade and Investment, Ambassador Lara Bello."
    )
    roles = {(h["person"], h["office"]["role"]) for h in holdings(nlp, text)}
    assert roles == {
        ("person:kofi-mensah", "Foreign Minister"),
        ("person:tunde-bakare", "Minister of Trade and Investment"),
        # "Ambassador" after a post and a comma is a courtesy title, not a second post.
        ("person:lara-belo", "Minister of State for Trade and Investment"),
    }


def test_offices_portfolio_before_minister(nlp) -> None:
    text = (
        "Venezuelan Tourism Minister Pedro Ruiz and the Science and Technology Minister, Ximena Quispe, "
        "spoke."
    )
    assert offices_of(nlp, text) == {
        held("pedro-ruiz", "Tourism Minister", "venezuela"),
        ("person:ximena-kuispe", "Science and Technology Minister", None, None, None, False),
    }


def test_offices_semicolon_list_gives_each_name_its_title(nlp) -> None:
    text = (
        "Kofi Mensah, Minister of Energy and Mines; Tunde Bakare, Minister of Trade and Industry, attended."
    )
    roles = {(h["person"], h["office"]["role"]) for h in holdings(nlp, text)}
    assert roles == {
        ("person:kofi-mensah", "Minister of Energy and Mines"),
        ("person:tunde-bakare", "Minister of Trade and Industry"),
    }


def test_offices_country_after_the_name(nlp) -> None:
    text = (
        "The talks brought together President Ximena Quispe of Chile and Prime Minister Lars Holm of Sweden."
    )
    assert offices_of(nlp, text) == {
        held("ximena-kuispe", "President", "chile"),
        held("lars-holm", "Prime Minister", "sweden"),
    }


def test_offices_title_that_heads_a_clause_is_no_apposition(nlp) -> None:
    text = "During the meeting with the Ambassador of Norway Mr Lars Holm, the President said he was glad."
    assert offices_of(nlp, text) == {("person:lars-holm", "Ambassador", None, "country:norway", None, False)}


@pytest.mark.parametrize(
    ("text", "role", "institution"),
    [
        ("UN Secretary-General Maria Lopes arrived.", "Secretary General", "united-nations"),
        ("Arab League Secretary-General Omar Haddad arrived.", "Secretary General", "arab-league"),
        ("Secretary General Ana Bors of the OSCE arrived.", "Secretary General", "osce"),
        ("WTO Director-General Tunde Bakare arrived.", "Director-General", "world-trade-organization"),
        ("UNDP Administrator Karl Berg arrived.", "Administrator", "un-development-programme"),
        (
            "African Union Commission chairperson Lina Dube arrived.",
            "Chairperson",
            "african-union-commission",
        ),
        (
            "The High Representative of the European Union for Foreign Affairs and Security Policy, "
            "Jan Vos, arrived.",
            "High Representative",
            "european-union",
        ),
        ("PACE President Irma Koll arrived.", "President", "parliamentary-assembly-of-the-council-of-europe"),
    ],
)
def test_offices_international_bodies_have_no_country(nlp, text: str, role: str, institution: str) -> None:
    ((_, got, got_institution, country, _, _),) = offices_of(nlp, text)
    assert (got, got_institution, country) == (role, f"institution:{institution}", None)


def test_offices_stacked_titles_both_belong_to_the_name(nlp) -> None:
    found = offices_of(nlp, "They met AU Chairman President Robert Moyo at State House.")
    assert ("person:robert-moyo", "Chairman", "institution:african-union", None, None, False) in found


@pytest.mark.parametrize(
    ("text", "accredited_to"),
    [
        ("The Colombian ambassador in Venezuela, Luis Vega, attended.", "country:venezuela"),
        ("Colombia's Deputy Consul General in New York, Luis Vega, attended.", "country:united-states"),
        (
            "The Colombian Permanent Representative to the United Nations, Luis Vega, attended.",
            "institution:united-nations",
        ),
    ],
)
def test_offices_envoy_accredited_to_country_or_organisation(nlp, text: str, accredited_to: str) -> None:
    ((_, _, _, country, got, _),) = offices_of(nlp, text)
    assert (country, got) == ("country:colombia", accredited_to)


@pytest.mark.parametrize(
    "text",
    [
        "Speaker of the Hellenic Parliament Eleni Maris met them. Speaker Maris said ties were good.",
        "Chairman of the Milli Majlis Leyla Hasanova met the delegation. The Chair Leyla Hasanova spoke.",
    ],
)
def test_offices_one_presiding_post_is_one_holding(nlp, text: str) -> None:
    assert len(holdings(nlp, text)) == 1


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # The dateline's country: national news name their own office holders bare.
        ("OSTRAVA CITY, May 3 - \nPresident Lena Marsh received the new envoys on Friday.", None),
        ("NAIROBI (Agency) - President Amani Otieno received the delegation on Friday.", "kenya"),
        ("By Tunde Bakare, Abuja\n\nPresident Kunle Bello received the delegation.", "nigeria"),
        # ... but not one whose sentence names another country.
        ("NAIROBI (Agency) - President Amani Otieno of Uganda received the delegation.", "uganda"),
        # The one country named with him, whose leader is not named here.
        (
            "President of Chile Ximena Quispe met President Lars Holm. She thanked President Lars Holm for "
            "the warm welcome in Peru.",
            "peru",
        ),
    ],
)
def test_offices_bare_head_country_where_the_text_supports_it(nlp, text: str, country: str | None) -> None:
    found = {h["office"]["country"] for h in holdings(nlp, text) if h["person"] != "person:ximena-kuispe"}
    assert found == {f"country:{country}" if country else None}


@pytest.mark.parametrize(
    "text",
    [
        # A visit's destination and a leader's country named elsewhere say nothing of his.
        "Prime Minister Julia Brand is making her first official visit to Chile and Peru.",
        "Prime Minister Julia Brand said that Chile and Peru agreed.",
        # A headline is no byline; a delegation's origin is not her country.
        "PM lands in Nairobi\n\nPrime Minister Julia Brand arrived for talks on aid.",
        "Prime Minister Julia Brand received a delegation from Chile, one of the states she admires.",
        # The country a visiting delegation comes from, however it is named.
        "Brand receives Chilean delegation\n\nPrime Minister Julia Brand received the visitors from a "
        "province of Chile on Monday.",
    ],
)
def test_offices_bare_head_gets_no_unsupported_country(nlp, text: str) -> None:
    found = {h["office"]["country"] for h in holdings(nlp, text) if h["person"] == "person:julia-brand"}
    assert found == {None}


def test_offices_former_modifiers(nlp) -> None:
    text = "He met the ousted Peruvian President Ximena Quispe and ex-Prime Minister Lars Holm."
    found = offices_of(nlp, text)
    assert {(p, former) for p, _, _, _, _, former in found} == {
        ("person:ximena-kuispe", True),
        ("person:lars-holm", True),
    }


def test_offices_congressman_is_of_the_us_congress(nlp) -> None:
    assert offices_of(nlp, "Congressman Dale Porter visited the factory.") == {
        held("dale-porter", "Congressman", "united-states", "institution:united-states-congress")
    }


def test_offices_unknown_chamber_keeps_the_speaker(nlp) -> None:
    # (Not the country's House of Representatives, known by its generic noun: the council named in
    # full is an institution of its own, of her country.)
    text = "The Indonesian Speaker of the Regional Representative Council Dewi Sari met the students."
    council = "institution:regional-representative-council-of-indonesia"
    assert offices_of(nlp, text) == {held("devi-sari", "Speaker", "indonesia", council)}


def test_offices_country_label_is_the_common_short_name(nlp) -> None:
    (h,) = holdings(nlp, "Türkiye's Foreign Minister Kemal Arslan spoke.")
    assert (h["office"]["country"], h["office"]["label"]) == ("country:turkiye", "Foreign Minister of Turkey")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Chilean President Ximena Quispe arrived for talks with her Peruvian counterpart Luis Vega.",
            held("luis-vega", "President", "peru"),
        ),
        (
            "Foreign Minister of Chile Ximena Quispe held a call with her counterpart, Luis Vega.",
            ("person:luis-vega", "Foreign Minister", None, None, None, False),
        ),
        # 'his' is the subject's, not the nearest name's.
        (
            "Prime Minister of Chile Ximena Quispe, whom President Tomas Reyl praised, met her Peruvian "
            "counterpart Luis Vega.",
            held("luis-vega", "Prime Minister", "peru"),
        ),
    ],
)
def test_offices_counterpart_holds_the_same_post(nlp, text: str, expected: tuple) -> None:
    assert expected in offices_of(nlp, text)


def test_offices_plural_title_names_each_person_of_its_list(nlp) -> None:
    text = (
        "Cabinet Secretaries Amb. Jane Wairimu (National Treasury), Amb. Peter Ochieng (Energy) and "
        "Paul Kamau (ICT) attended. Congressmen Dale Porter, Tim Ross and Ann Lee met him."
    )
    roles = {(h["person"], h["office"]["role"]) for h in holdings(nlp, text)}
    assert roles == {
        ("person:jane-vairimu", "Cabinet Secretary"),
        ("person:peter-ochyeng", "Cabinet Secretary"),
        ("person:paul-kamau", "Cabinet Secretary"),
        ("person:dale-porter", "Congressman"),
        ("person:tim-ros", "Congressman"),
        ("person:an-le", "Congressman"),
    }


def test_offices_plural_description_is_no_holding(nlp) -> None:
    assert holdings(nlp, "Both presidents praised the talks, and the ministers agreed.") == []


def test_offices_member_sits_in_the_one_legislature_the_article_names(nlp) -> None:
    text = (
        "KUALA LUMPUR (Oct 2): The Malaysian Parliament hosted the talks. The Dewan Rakyat Speaker "
        "Aziz Rahman welcomed them, with Kampung Baru MP Siti Noor."
    )
    assert held("siti-nor", "Member of Parliament", "malaysia", "institution:dewan-rakyat") in offices_of(
        nlp, text
    )


def test_offices_one_portfolio_written_two_ways_is_one_holding(nlp) -> None:
    text = "The Minister of Tourism, Ximena Quispe, met them. Later Tourism Minister Ximena Quispe spoke."
    assert [h["office"]["role"] for h in holdings(nlp, text)] == ["Minister of Tourism"]


def test_offices_bare_body_noun_is_the_holders_countrys(nlp) -> None:
    text = "HANOI, May 3 - National Assembly Chairman Tran Van Long received the envoy of the US Senate."
    assert offices_of(nlp, text) == {
        held("tran-van-long", "Chairman", "vietnam", "institution:national-assembly-of-vietnam")
    }


def test_offices_body_acronym_in_brackets_stays_in_the_title(nlp) -> None:
    text = (
        "She received the President of the Parliamentary Assembly of the Council of Europe (PACE) "
        "Irma Koll and the new Director-General of the World Trade Organisation (WTO), Dr Tunde Bakare."
    )
    assert {(p, role, inst) for p, role, inst, _, _, _ in offices_of(nlp, text)} == {
        ("person:irma-kol", "President", "institution:parliamentary-assembly-of-the-council-of-europe"),
        ("person:tunde-bakare", "Director-General", "institution:world-trade-organization"),
    }


def test_offices_head_of_a_chamber_is_its_presiding_officer(nlp) -> None:
    text = "Head of the House of Representatives of the Republic of Indonesia (DPR RI) Dewi Sari spoke."
    assert offices_of(nlp, text) == {
        held("devi-sari", "Speaker", "indonesia", "institution:house-of-representatives-of-indonesia")
    }


def test_offices_counterpart_for_another_portfolio_is_of_the_same_government(nlp) -> None:
    text = (
        "Officials, who joined them, included the Foreign Affairs Minister of Ghana, Kofi Mensah; his "
        "Information and National Orientation counterpart, Tunde Bakare."
    )
    assert held("tunde-bakare", "Minister of Information and National Orientation", "ghana") in offices_of(
        nlp, text
    )


@pytest.mark.parametrize("clause", ["who is", "who is also the", "who serves as"])
def test_offices_relative_clause_names_the_post(nlp, clause: str) -> None:
    text = f"The envoy met Ximena Quispe, {clause} Foreign Minister of Chile, in the morning."
    assert held("ximena-kuispe", "Foreign Minister", "chile", FM_OF["chile"]) in offices_of(nlp, text)


def test_offices_advisers_and_spokespersons_as_written(nlp) -> None:
    text = (
        "He came with the Crown Prince's Economic Adviser Omar Haddad, and Ximena Quispe, Foreign Affairs "
        "Adviser to the Speaker, and Presidency Spokesperson Luis Vega. An adviser spoke."
    )
    assert {(p, role) for p, role, _, _, _, _ in offices_of(nlp, text)} == {
        ("person:omar-hadad", "Economic Adviser"),
        ("person:ximena-kuispe", "Foreign Affairs Adviser"),
        ("person:luis-vega", "Presidency Spokesperson"),
    }


def test_offices_spokesperson_of_a_ministry(nlp) -> None:
    text = "The spokesperson for the Japanese Foreign Ministry, Kenji Mori, said so."
    assert offices_of(nlp, text) == {
        held("kenji-mori", "Spokesperson", "japan", "institution:ministry-of-foreign-affairs-of-japan")
    }


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # Talks with the other side's foreign minister: his own country is the one the article names.
        (
            "Foreign Minister Oren Talby met Foreign Minister Ada Quell of Peru. Oren Talby said that the "
            "ties between Chile and Peru were strong and that Chile valued its partners.",
            "chile",
        ),
        # The other sides named as his counterparts' countries are not his.
        (
            "Foreign Minister Oren Talby met his counterparts from Peru and Bolivia. He also met Foreign "
            "Minister Ada Quell of Uruguay. Peru and Uganda were praised; Peru was thanked.",
            None,
        ),
        # A foreign minister with no counterpart of his own post named with a country: nothing to read.
        ("Foreign Minister Oren Talby said that Chile valued its ties with Peru and Chile's friends.", None),
    ],
)
def test_offices_bare_minister_country_from_a_bilateral_article(nlp, text: str, country: str | None) -> None:
    found = {h["office"]["country"] for h in holdings(nlp, text) if h["person"] == "person:oren-talby"}
    assert found == {f"country:{country}" if country else None}


@pytest.mark.parametrize(
    ("envoy", "country"),
    [
        # One country among the list's posts: the delegation's.
        ("Pavel Ruso, Peruvian Ambassador to Chile", "peru"),
        # Two countries: the list says nothing of the bare posts.
        ("Pavel Ruso, Ambassador of Peru to Chile; Ines Galo, Minister of Finance of Bolivia", None),
    ],
)
def test_offices_list_of_officials_shares_its_one_country(nlp, envoy: str, country: str | None) -> None:
    text = (
        "The talks were attended by Oren Talby, Minister of Foreign Affairs; Ada Marsh, Minister of "
        f"Trade and Industry; {envoy}, and other officials."
    )
    found = {
        (h["person"], h["office"]["country"])
        for h in holdings(nlp, text)
        if h["person"] in ("person:oren-talby", "person:ada-marsh")
    }
    want = f"country:{country}" if country else None
    assert found == {("person:oren-talby", want), ("person:ada-marsh", want)}


def test_offices_coordinated_titles_after_the_name_are_both_hers(nlp) -> None:
    text = (
        "Talks were held on Monday with Bolat Omarov, Foreign Minister of Chile and "
        "Chairperson-in-Office of the OSCE."
    )
    assert {summary(h) for h in holdings(nlp, text)} == {
        held("bolat-omarov", "Foreign Minister", "chile", FM_OF["chile"]),
        ("person:bolat-omarov", "Chairperson-in-Office", "institution:osce", None, None, False),
    }


@pytest.mark.parametrize("title", ["Defence Minister", "Minister of Defense", "Minister for Defence"])
def test_offices_every_defence_minister_form_is_one_role(nlp, title: str) -> None:
    text = f"Chilean {title} Bolat Omarov visited Lima."
    assert [summary(h) for h in holdings(nlp, text)] == [
        held("bolat-omarov", "Defense Minister", "chile", "institution:ministry-of-defence-of-chile")
    ]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # One country, named again and again: the bare officials are its own.
        (
            "The envoy arrived in Peru on Monday. Peru and its partners discussed trade. Foreign Minister "
            "Oren Talby said that Peru welcomed the visit.",
            "peru",
        ),
        # Officials of two sides named with their countries: the counts say nothing.
        (
            "The envoy arrived in Peru on Monday. Peru and its partners discussed trade. Foreign Minister "
            "Oren Talby met Trade Minister Ines Galo of Chile and said that Peru welcomed the visit.",
            None,
        ),
        # A country named once or twice is no article's subject.
        ("Foreign Minister Oren Talby said that Peru welcomed the visit and thanked Peru.", None),
    ],
)
def test_offices_bare_post_of_the_one_country_an_article_is_about(
    nlp, text: str, country: str | None
) -> None:
    found = {h["office"]["country"] for h in holdings(nlp, text) if h["person"] == "person:oren-talby"}
    assert found == {f"country:{country}" if country else None}


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        # One country for each name, in the list's order.
        (
            "Michael Brennan and Ravi Kumar",
            {("person:michael-brenan", "australia"), ("person:ravi-kumar", "india")},
        ),
        # Three names for two countries: which is whose, the text does not say.
        ("Michael Brennan, Ravi Kumar and Omar Latif", set()),
    ],
)
def test_offices_plural_counterparts_each_of_their_country(nlp, names: str, expected: set) -> None:
    text = (
        "Indonesian Minister of Foreign Affairs Rina Sari on Monday discussed the regional situation with "
        f"her Australian and Indian counterparts {names}."
    )
    found = {
        (h["person"], h["office"]["country"].split(":")[1])
        for h in holdings(nlp, text)
        if h["person"] != "person:rina-sari" and h["office"]["role"] == "Foreign Minister"
    }
    assert found == expected


def test_offices_president_pro_tempore_of_a_senate(nlp) -> None:
    text = "He said that the president pro tempore of the US Senate, Tom Vale, will visit Hanoi."
    assert [summary(h) for h in holdings(nlp, text)] == [
        held("tom-vale", "President pro tempore", "united-states", "institution:united-states-senate")
    ]


def test_offices_demonym_between_title_and_body(nlp) -> None:
    text = "He arrived at the invitation of the Speaker of the Kazakh Majilis Daulet Serikov."
    assert [summary(h) for h in holdings(nlp, text)] == [
        held("daulet-serikov", "Speaker", "kazakhstan", "institution:mazhilis")
    ]


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("LAGOS - Speaker National Assembly Tariq Olawale said the country wants peace.", "Speaker"),
        ("Chairman Senate Tariq Olawale said the country wants peace.", "Chairman"),
    ],
)
def test_offices_presiding_title_without_of(nlp, text: str, role: str) -> None:
    assert [(h["person"], h["office"]["role"]) for h in holdings(nlp, text)] == [
        ("person:tarik-olavale", role)
    ]


def test_offices_title_with_a_stray_dash_before_the_name(nlp) -> None:
    text = "The Prime Minister welcomed Commonwealth Secretary-General- Mara Quint to the island."
    found = [(h["person"], h["office"]["role"], h["office"]["institution"]) for h in holdings(nlp, text)]
    assert ("person:mara-kuint", "Secretary General", "institution:commonwealth-of-nations") in found


def test_offices_president_of_an_ordinal_session(nlp) -> None:
    text = "She met President of the 81st session of the General Assembly Tomas Brenn on Monday."
    found = [(h["person"], h["office"]["role"], h["office"]["institution"]) for h in holdings(nlp, text)]
    assert found == [("person:tomas-bren", "President", "institution:un-general-assembly")]


@pytest.mark.parametrize(
    ("text", "person", "role"),
    [
        (
            "He met with the Secretary of the Navy Honourable Peter Vance.",
            "peter-vance",
            "Secretary of the Navy",
        ),
        ("He met Secretary of Defense Omar Feld at noon.", "omar-feld", "Secretary of Defense"),
        ("Kerala Chief Minister Ravi Menon refused to meet him.", "ravi-menon", "Chief Minister"),
        ("He was welcomed by Commandant Ivan Dorin.", "ivan-dorin", "Commandant"),
        ("He met Special Adviser Ada Okafor.", "ada-okafor", "Special Adviser"),
        (
            "Kis Anna, Press Officer of the National Assembly, attended.",
            "kis-ana",
            "Press Officer of the National Assembly",
        ),
        (
            "He met Primate of the Ruritanian Diocese Bishop Aram Sarkis.",
            "aram-sarkis",
            "Primate of the Ruritanian Diocese",
        ),
    ],
)
def test_offices_general_role_words(nlp, text: str, person: str, role: str) -> None:
    assert (f"person:{person}", role) in [(h["person"], h["office"]["role"]) for h in holdings(nlp, text)]


def test_offices_plural_description_gives_no_office(nlp) -> None:
    text = "Both speakers of the National Assembly met the press on Monday."
    assert holdings(nlp, text) == []
