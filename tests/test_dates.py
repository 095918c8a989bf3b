"""kg/read/dates.py: date expressions -> (partial) ISO dates, absolute or relative to the publication date."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.read.dates import (
    coarsen,
    compatible,
    date_line,
    find_dateline,
    find_dates,
    more_precise,
    near,
    numeric_order,
    parse_date,
    precision,
)


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
        ("on 3rd December 2019", None, ["2019-12-03"]),
        ("on 22.05.2024", None, ["2024-05-22"]),
        ("on 05-05-2021", None, ["2021-05-05"]),
        ("from March 20-22, 2023", None, ["2023-03-20"]),  # a range: its first day
        ("on 26-27 October 2010", None, ["2010-10-26"]),
        ("February 6/2022", None, ["2022-02-06"]),
        ("late on Sunday", "2024-06-05", ["2024-06-02"]),
        ("earlier on Tuesday", "2024-06-05", ["2024-06-04"]),
        ("the ministry said Monday", "2024-06-05", ["2024-06-03"]),
        ("last night", "2024-06-05", ["2024-06-04"]),
        ("this afternoon", "2024-06-05", ["2024-06-05"]),
        ("on 4 th", "2024-06-07", ["2024-06-04"]),
        ("on the 28th", "2024-06-05", ["2024-05-28"]),  # not yet the 28th in June: May's
        ("in May", "2024-06-05", ["2024-05"]),
        ("in June", "2024-06-05", ["2024-06"]),
        ("in September", "2024-06-05", ["2023-09"]),  # the latest September before publication
        ("in September last year", "2024-06-05", ["2023-09"]),
        ("last week", "2024-06-05", ["2024-05"]),  # no day: the month the week fell in
        ("last week", "2024-06-20", ["2024-06"]),
        ("earlier in the day", "2024-06-05", ["2024-06-05"]),
        ("a day earlier", "2024-06-05", ["2024-06-04"]),
        ("the day before yesterday", "2024-06-05", ["2024-06-03"]),
        ("on 2021/03/12", None, ["2021-03-12"]),
        ("dated 12-Mar-2021", None, ["2021-03-12"]),
        ("in mid-May", "2024-06-05", ["2024-05"]),
        ("earlier this month", "2024-06-05", ["2024-06"]),
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
        "they may meet in may",
        "trade has grown since May",  # opens a span
        "a monday meeting",  # a weekday alone must be capitalised
        "score 1-2-2021x",
        "version 2019.1.2",
    ],
)
def test_dates_numbers_are_never_dates(text):
    assert find_dates(text, "2024-06-05") == []


@pytest.mark.parametrize("text", ["on 15 April", "on Monday", "yesterday", "last year", "two days ago"])
def test_dates_relative_without_publication_date_stays_unknown(text):
    assert values(text, None) == [None]


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("earlier in the day", "2024-06-03", "2024-06-03"),
        ("a day earlier", "2024-06-03", "2024-06-02"),
        ("the next day", "2024-06-03", "2024-06-04"),
        ("later that day", None, "2024-06-05"),  # no day told yet: the publication date
    ],
)
def test_dates_anaphoric_days_count_from_the_day_told(text, anchor, expected):
    assert [d.value for d in find_dates(text, "2024-06-05", anchor=anchor)] == [expected]


@pytest.mark.parametrize(
    ("numbers", "base", "context", "expected"),
    [
        ((13, 5, 2024, "/"), None, "", "2024-05-13"),  # 13 can only be the day
        ((5, 13, 2024, "/"), None, "", "2024-05-13"),
        ((5, 6, 2024, "."), None, "", "2024-06-05"),  # dots: day first
        ((5, 6, 2024, "/"), None, "", "2024-06-05"),  # default: day first
        ((6, 9, 2024, "/"), "2024-06-20", "", "2024-06-09"),  # 6 September is after publication
        ((5, 6, 2024, "/"), None, "They met in May.", "2024-05-06"),  # the month the text names
        ((6, 5, 2024, "/"), None, "They met on 3 June 2024.", "2024-06-05"),  # not before what it reports
    ],
)
def test_dates_numeric_day_month_order(numbers, base, context, expected):
    first, second, year, sep = numbers
    base_date = date.fromisoformat(base) if base else None
    assert numeric_order(first, second, year, sep, base_date, context) == expected


def test_dates_numeric_month_first_beside_a_12_hour_clock():
    assert numeric_order(12, 1, 2022, "/", near="12/1/2022 12:13:18 PM (GMT -6:00)") == "2022-12-01"
    assert numeric_order(12, 1, 2022, "/", near="12/1/2022 12:13:18 (GMT -6:00)") == "2022-01-12"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("15 April 2021 | 21:25", "2021-04-15"),
        ("29.09.2021 [17:27]", "2021-09-29"),
        ("Last Update: Monday, 3 February 2020 KSA 19:57 - GMT 16:57", "2020-02-03"),
        ("6 May 2023 11:27 (UTC+04:00)", "2023-05-06"),
        ("Norland News 28 April 2010 06:15 (UTC +04:00)", "2010-04-28"),
        ("Foreign policy 28 February 2023 1211", "2023-02-28"),
        ("12:40, 29 November 2019 | GMT +6", "2019-11-29"),
        ("By Ivo Tamm, NORPRESSThursday, April 29, 2010", "2010-04-29"),
        ("Thu May 29, 2014 3:3PM", "2014-05-29"),
        ("Published: Oct 28, 2023 11:10 AM", "2023-10-28"),
        ("This content was published on 07 January 2022 – 01:11", "2022-01-07"),
        ("• Tuesday, 28th May, 2024", "2024-05-28"),
        ("NORPRESS | Velsk | Updated: 05-05-2021 00:04 IST", "2021-05-05"),
        ("Broadcast: 09/05/2013", "2013-05-09"),
        # a stamp run into a long headline when the page was scraped
        (
            "14/02/2017NORLAND NEWS – Lena Marsh plans her first trips abroad as head of the state",
            "2017-02-14",
        ),
    ],
)
def test_dates_date_line(line, expected):
    found = date_line(line)
    assert found is not None and found[0].isoformat() == expected


@pytest.mark.parametrize(
    "line",
    [
        "They met on 3 May 2022.",
        "Lena Marsh and Ivo Brandt discussed the treaty of 3 May 2022 in the capital of Norland",
        "Trade grew in 2020",
        "Velsk, May 15",
        "14/02/2017 They met in Velsk.",
    ],
)
def test_dates_sentences_are_no_date_lines(line):
    assert date_line(line) is None


def test_dates_parse_date_reads_an_iso_date_time():
    assert parse_date("2024-03-11T09:30:00+05:00") == date(2024, 3, 11)


def test_dates_parse_date_reads_the_first_full_date():
    assert parse_date("Posted 12/1/2022 12:13 PM, updated 2 December 2022") == date(2022, 12, 1)


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
        ("Velsk, 9 June. Our correspondent reports", "2024-06-10", "Velsk", None, "2024-06-09"),
        ("VELSK, 22.05.2024 /NORPRESS/. On May 21, the minister", None, "Velsk", None, "2024-05-22"),
        ("VELSK – 23 November 2019: The president", None, "Velsk", None, "2019-11-23"),
        ("NEW VELSK (Oct 2): The Speaker", "2023-10-02", "New Velsk", None, "2023-10-02"),
        ("New Velsk, Jan. 6 (NPA).- The minister", "2022-01-07", "New Velsk", None, "2022-01-06"),
        ("VELSK, MARCH 27, NORPRESS. The Speaker", "2019-03-27", "Velsk", None, "2019-03-27"),
        ("Velsk, September 29, NORPRESS The Speaker", "2021-09-30", "Velsk", None, "2021-09-29"),
        ("Upper Velsk February 6/2022 /NPA/ The Prime Minister", None, "Upper Velsk", None, "2022-02-06"),
        ("Title\nMay 20, 4:04 UTC+3 VELSK\n\nThe minister", "2018-05-20", "Velsk", None, "2018-05-20"),
        ("VELSK (Norpress - 19th December, 2019) The minister", None, "Velsk", None, "2019-12-19"),
        ("VELSK, March 4 (Norpress) - The minister", "2024-03-05", "Velsk", None, "2024-03-04"),
        ("VELSK. May 15. NORPRESS - The minister", "2024-05-15", "Velsk", None, "2024-05-15"),
    ],
)
def test_dates_dateline(text, base, city, country, date):
    line = find_dateline(text, base)
    assert (line.city, line.country, line.date) == (city, country, date)


@pytest.mark.parametrize(
    "text",
    [
        "The UN, NATO, May 15 meeting",
        "Lena Marsh met Ivo Brandt on 15 May.",
        "OSLO, Norway - text",
        "Earlier, May 5 Lena Marsh met Ivo Brandt.",
    ],
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


@pytest.mark.parametrize(
    ("when", "ok"),
    [("2024-06-01", True), ("2024-05-20", False), ("2024-06-06", False), ("2024-05", True), ("2023", False)],
)
def test_dates_near_a_report(when, ok):
    assert near(when, "2024-06-05", 10) is ok
