"""kg/dates.py: date expressions -> (partial) ISO dates, absolute or relative to the publication date."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.dates import coarsen, compatible, find_dateline, find_dates, more_precise, precision


def values(text: str, base: str | None = "2024-06-05") -> list[str | None]:
    return [d.value for d in find_dates(text, base)]


@pytest.mark.parametrize(
    ("text", "base", "expected"),
    [
        ("on 29 September 2021", None, ["2021-09-29"]),
        ("on March 11, 2024", None, ["2024-03-11"]),
        ("on the 3rd of May 2022", None, ["2022-05-03"]),
        ("dated 2023-10-01", None, ["2023-10-01"]),
        ("in March 2022", None, ["2022-03"]),
        ("in 2020", None, ["2020"]),
        ("on 15 April", "2021-04-16", ["2021-04-15"]),
        ("on May 15", "2025-05-15", ["2025-05-15"]),
        ("on 28 December", "2024-01-03", ["2023-12-28"]),  # the nearest one: last December
        ("on 2 January", "2023-12-30", ["2024-01-02"]),
        ("on Monday", "2024-06-05", ["2024-06-03"]),  # 5 June 2024 is a Wednesday
        ("on Wednesday", "2024-06-05", ["2024-06-05"]),
        ("last Monday", "2024-06-03", ["2024-05-27"]),
        ("next Friday", "2024-06-05", ["2024-06-07"]),
        ("yesterday", "2024-06-05", ["2024-06-04"]),
        ("today", "2024-06-05", ["2024-06-05"]),
        ("last year", "2025-05-15", ["2024"]),
        ("next year", "2021-09-29", ["2022"]),
        ("last month", "2024-01-10", ["2023-12"]),
        ("two days ago", "2024-06-05", ["2024-06-03"]),
        ("3 weeks ago", "2024-06-05", ["2024-05-15"]),
    ],
)
def test_dates_resolve(text, base, expected):
    assert values(text, base) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a parliament that has 125 MPs",
        "the 44-day war",
        "the tenure is 5 years",
        "Mr Velde, 65, said",
        "aged 71",
        "a fivefold increase since 2020",  # opens a span of time, not the date of an event
        "in 2020s",
        "you may 15 times",
        "at 21:09",
        "room 2024",
        "Resolution 1325",
    ],
)
def test_dates_numbers_are_never_dates(text):
    assert find_dates(text, "2024-06-05") == []


@pytest.mark.parametrize("text", ["on 15 April", "on Monday", "yesterday", "last year", "two days ago"])
def test_dates_relative_without_publication_date_stays_unknown(text):
    assert values(text, None) == [None]


def test_dates_impossible_day_is_unknown():
    assert values("on 31 February 2020", None) == [None]


def test_dates_keep_their_offsets():
    text = "They met on 4 June and again on 9 June 2023."
    found = find_dates(text, "2024-06-05")
    assert [text[d.start : d.end] for d in found] == ["4 June", "9 June 2023"]
    assert [d.relative for d in found] == [True, False]


@pytest.mark.parametrize(
    ("text", "base", "city", "country", "date"),
    [
        ("BAKU, Azerbaijan, May 15. The Speaker met", "2025-05-15", "Baku", "Azerbaijan", "2025-05-15"),
        (" date 2025-05-16 TROMSO, Norway, May 15. Text", "2025-05-16", "Tromso", "Norway", "2025-05-15"),
        ("SAN JOSE, 3 June - The minister", "2024-06-05", "San Jose", None, "2024-06-03"),
        ("OSLO, Norway, March 4, 2021. Text", None, "Oslo", "Norway", "2021-03-04"),
    ],
)
def test_dates_dateline(text, base, city, country, date):
    line = find_dateline(text, base)
    assert (line.city, line.country, line.date) == (city, country, date)


@pytest.mark.parametrize(
    "text", ["The UN, NATO, May 15 meeting", "Lena Marsh met Ivo Brandt on 15 May.", "OSLO, Norway - text"]
)
def test_dates_no_dateline(text):
    assert find_dateline(text, "2024-06-05") is None


@pytest.mark.parametrize(
    ("a", "b", "ok", "finer"),
    [
        ("2024", "2024-03-11", True, "2024-03-11"),
        ("2024-03", "2024-03-11", True, "2024-03-11"),
        ("2024-03-11", "2024-03-12", False, "2024-03-11"),
        ("2024-04", "2024-03-11", False, "2024-04"),
        (None, "2024", True, "2024"),
    ],
)
def test_dates_compatible_and_more_precise(a, b, ok, finer):
    assert compatible(a, b) is ok and compatible(b, a) is ok
    assert more_precise(a, b) == finer


@pytest.mark.parametrize(
    ("iso", "level", "coarse", "kind"),
    [
        ("2024-03-11", "month", "2024-03", "day"),
        ("2024-03-11", "year", "2024", "day"),
        ("2024", "month", "2024", "year"),
    ],
)
def test_dates_coarsen_and_precision(iso, level, coarse, kind):
    assert coarsen(iso, level) == coarse
    assert precision(iso) == kind


@given(
    st.integers(min_value=0, max_value=3000),
    st.sampled_from(["{} MPs", "aged {}", "the {}-day war", "{} years", "{}"]),
)
def test_dates_counts_and_ages_are_never_dates_property(number, shape):
    assert find_dates(shape.format(number), "2024-06-05") == []
