"""Property tests for extraction (issue 5.5): whatever the text, nlp -> to_facts -> to_graph never
raises, and the graph it gives passes the shapes, as `kg build` requires before it stores anything.

Sentences are built from templates mixing titles, invented names, dates, real countries, capitals and
meeting verbs, so the examples reach the rules (offices, events, dates), not only the tokenizer.
"""

from __future__ import annotations

import pytest
from factories import article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.lexicon import COUNTRIES
from kg.graph.rdf import to_graph
from kg.graph.validate import format_violations, validate_graph
from kg.nlp.pipeline import set_context, to_facts

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure here is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

GIVEN = ("Lena", "Tomas", "Ayla", "Rurik", "Mira", "Oskar", "Zarina", "Emeka")
SURNAMES = ("Marsh", "Oyelaran", "Kestrova", "Albrecht-Nu", "O'Dwyer", "Van der Lind", "Tashmatov")
TITLES = ("President", "Prime Minister", "Foreign Minister", "Speaker", "Ambassador", "Deputy Chairman", "")
VERBS = (
    "met", "met with", "held talks with", "received", "hosted", "had a phone conversation with",
    "paid an official visit to", "visited", "discussed cooperation with",
)  # fmt: skip
MONTHS = ("January", "March", "May", "June", "September", "December")

countries = st.sampled_from(COUNTRIES)
names = st.builds(lambda g, s: f"{g} {s}", st.sampled_from(GIVEN), st.sampled_from(SURNAMES))
dates = st.one_of(
    st.builds(
        lambda d, m, y: f"{d} {m} {y}", st.integers(1, 31), st.sampled_from(MONTHS), st.integers(1990, 2030)
    ),
    st.builds(
        lambda d, m, y: f"{m} {d}, {y}", st.integers(1, 31), st.sampled_from(MONTHS), st.integers(1990, 2030)
    ),
    st.sampled_from(["today", "yesterday", "on Monday", "last week", "2024-05-03", "31 February 2024"]),
)


@st.composite
def person(draw, country_named: bool) -> str:
    """A titled person: 'Foreign Minister of Italy Lena Marsh', 'Speaker Lena Marsh', 'Lena Marsh'."""
    title, name, country = draw(st.sampled_from(TITLES)), draw(names), draw(countries)
    if not title:
        return name
    if country_named:
        return draw(
            st.sampled_from([f"{title} of {country.name} {name}", f"{country.demonym} {title} {name}"])
        )
    return draw(
        st.sampled_from(
            [f"{title} {name}", f"{country.demonym} {title} {name}", f"{title} of {country.name} {name}"]
        )
    )


@st.composite
def place(draw, country_named: bool) -> str:
    country = draw(countries)
    city = draw(st.sampled_from([country.capital, *country.cities]))
    if country_named:
        return f"in {city}, {country.name}"
    return draw(st.sampled_from([f"in {city}", f"in {country.name}", f"in {city}, {country.name}", ""]))


@st.composite
def sentence(draw, country_named: bool = False) -> str:
    parts = [
        draw(person(country_named)),
        draw(st.sampled_from(VERBS)),
        draw(person(country_named)),
        draw(place(country_named)),
        f"on {draw(dates)}" if draw(st.booleans()) else "",
    ]
    text = " ".join(p for p in parts if p) + "."
    if draw(st.booleans()):
        text += (
            f" The sides discussed trade and energy, {draw(st.sampled_from(['Trend', 'AzerTag']))} reports."
        )
    return text


@st.composite
def articles(draw, country_named: bool = False) -> str:
    return " ".join(draw(st.lists(sentence(country_named), min_size=1, max_size=3)))


def extract(nlp, text: str):
    """The extraction entry point as kg build runs it, for one article."""
    a = article(text, stem="fuzz")
    facts = to_facts(nlp(set_context(nlp.make_doc(text), a)), a)
    return to_graph(facts)


@FUZZ
@given(text=st.text(max_size=300))
def test_build_fuzz_arbitrary_text_gives_a_valid_graph(nlp, text):
    graph = extract(nlp, text)
    violations = validate_graph(graph)
    assert not violations, format_violations(violations)


@FUZZ
@given(text=articles())
def test_build_fuzz_template_text_never_raises(nlp, text):
    graph = extract(nlp, text)
    assert len(graph) > 0  # at least the document's own triples


@FUZZ
@given(text=articles(country_named=True))
def test_build_fuzz_template_text_naming_countries_gives_a_valid_graph(nlp, text):
    violations = validate_graph(extract(nlp, text))
    assert not violations, format_violations(violations)


@FUZZ
@given(text=articles())
def test_build_fuzz_template_text_gives_a_valid_graph(nlp, text):
    violations = validate_graph(extract(nlp, text))
    assert not violations, format_violations(violations)


@pytest.mark.parametrize(
    "text",
    [
        "Prime Minister Lena Marsh met President Tomas Oyelaran in Sofia on 3 May 2024.",
        "Speaker of the House of Representatives Lena Marsh arrived in Paris on 3 May 2024.",
    ],
)
def test_build_country_implied_by_place_is_typed(nlp, text):
    violations = validate_graph(extract(nlp, text))
    assert not violations, format_violations(violations)
