"""Date expressions -> ISO dates, absolute or relative to the publication date.

Dates are ISO 8601 strings that may be partial: "2024-03-11" (day), "2024-03" (month), "2024" (year).
``find_dates`` reads only shapes that are certainly dates (a month name with a day or a year, an ISO
date, "in 2020", a weekday, "yesterday", "last year" ...): a bare number, an age or "44-day" is
never a date. Relative expressions need the publication date (``base``); without it they stay
unknown (None) rather than being guessed. ``find_dateline`` reads a news dateline
("BAKU, Azerbaijan, May 15.") at the top of an article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"

# One alternation per shape; the first that matches at a position wins, so longer shapes come first.
_SHAPES: list[tuple[str, str]] = [
    ("iso", r"\b(?P<year>(?:1[89]|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
    ("day_month_year", r"\b" + _DAY + r"(?:\s+of)?\s+" + _MONTH + r",?\s+" + _YEAR + r"\b"),
    ("month_day_year", r"\b" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b"),
    ("day_month", r"\b" + _DAY + r"(?:\s+of)?\s+" + _MONTH + r"(?![a-z])"),
    ("month_day", r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?![-:])"),
    ("month_year", r"\b" + _MONTH + r",?\s+" + _YEAR + r"\b"),
    # A bare year only after a preposition that dates an event ("in 2020", "on ... 2019"); "since
    # 2020" opens a span and "125 MPs" is a count, so neither is read.
    ("year", r"\b(?:in|during|of|early|late|mid)[\s-]+" + _YEAR + r"\b(?![-/]\d)"),
    ("relative_day", r"\b(?P<rel>yesterday|today|tomorrow|this morning|this evening|tonight)\b"),
    ("weekday", r"\b(?P<dir>last|next|this|on)\s+" + _WEEKDAY + r"\b"),
    ("relative_unit", r"\b(?P<dir>last|next|this|past|coming)\s+(?P<unit>year|month|week)\b"),
    (
        "ago",
        r"\b(?P<count>\d+|a|an|one|two|three|four|five|six|seven)\s+(?P<unit>days?|weeks?|months?|years?)"
        r"\s+ago\b",
    ),
]
_PATTERN = re.compile(
    "|".join(f"(?P<_{name}>{rx.replace('?P<', f'?P<{name}_')})" for name, rx in _SHAPES), re.I
)

# Month names that are also ordinary words need a digit next to them ("may" alone is a verb).
_AMBIGUOUS_MONTHS = {"may", "mar", "jan", "jun", "aug", "sep", "oct", "nov", "dec", "feb", "apr", "jul"}


@dataclass(frozen=True)
class DateMention:
    """A date expression in a text and the ISO date it stands for (None when it cannot be resolved)."""

    start: int
    end: int
    text: str
    value: str | None
    relative: bool


@dataclass(frozen=True)
class Dateline:
    """The dateline that opens a news story: place, optional country, and its date."""

    start: int
    end: int
    city: str
    country: str | None
    date: str | None


def precision(iso: str | None) -> str | None:
    """'day', 'month' or 'year' for a (partial) ISO date."""
    if not iso:
        return None
    return {10: "day", 7: "month", 4: "year"}.get(len(iso))


def compatible(a: str | None, b: str | None) -> bool:
    """True when two partial dates can name the same day ('2024' and '2024-03-11' can)."""
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


def more_precise(a: str | None, b: str | None) -> str | None:
    """The longer of two compatible dates; the first one when they conflict."""
    if not a:
        return b
    if not b:
        return a
    if not compatible(a, b):
        return a
    return a if len(a) >= len(b) else b


def coarsen(iso: str | None, to: str) -> str | None:
    """Cut a date to 'month' or 'year' precision (never makes it finer)."""
    if not iso:
        return None
    return iso[: {"month": 7, "year": 4}.get(to, 10)]


def _day(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _closest_year(month: int, day: int, base: date) -> str | None:
    """A day and month without a year: the year that puts it closest to the publication date."""
    candidates = []
    for year in (base.year - 1, base.year, base.year + 1):
        iso = _day(year, month, day)
        if iso:
            candidates.append((abs((date.fromisoformat(iso) - base).days), iso))
    return min(candidates)[1] if candidates else None


def _shift_months(base: date, months: int) -> str:
    index = base.year * 12 + base.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _resolve(shape: str, groups: dict[str, str | None], base: date | None) -> str | None:
    def g(name: str) -> str | None:
        return groups.get(f"{shape}_{name}")

    month = MONTHS.get((g("month") or "").lower().rstrip("."))
    if g("month") and month is None:  # an ISO month number
        month = int(g("month"))
    day = int(g("day")) if g("day") else None
    year = int(g("year")) if g("year") else None
    if shape in ("iso", "day_month_year", "month_day_year"):
        return _day(year, month, day)
    if shape == "month_year":
        return f"{year:04d}-{month:02d}"
    if shape == "year":
        return f"{year:04d}"
    if base is None:
        return None
    if shape in ("day_month", "month_day"):
        return _closest_year(month, day, base)
    if shape == "relative_day":
        offset = {"yesterday": -1, "tomorrow": 1}.get(g("rel").lower(), 0)
        return (base + timedelta(days=offset)).isoformat()
    if shape == "weekday":
        wanted = WEEKDAYS.index(g("weekday").lower())
        if g("dir").lower() == "next":
            ahead = (wanted - base.weekday()) % 7 or 7
            return (base + timedelta(days=ahead)).isoformat()
        # News reports what happened: "on Monday" is the latest Monday up to the publication day.
        back = (base.weekday() - wanted) % 7
        if g("dir").lower() == "last" and back == 0:
            back = 7
        return (base - timedelta(days=back)).isoformat()
    if shape == "relative_unit":
        step = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(g("dir").lower(), 0)
        unit = g("unit").lower()
        if unit == "year":
            return f"{base.year + step:04d}"
        if unit == "month":
            return _shift_months(base, step)
        return None  # a week is not a date we can write at any precision we keep
    if shape == "ago":
        count = g("count").lower()
        n = int(count) if count.isdigit() else NUMBER_WORDS[count]
        unit = g("unit").lower().rstrip("s")
        if unit == "day":
            return (base - timedelta(days=n)).isoformat()
        if unit == "week":
            return (base - timedelta(days=7 * n)).isoformat()
        if unit == "month":
            return _shift_months(base, -n)
        return f"{base.year - n:04d}"
    return None


def _month_is_word(shape: str, groups: dict[str, str | None]) -> bool:
    """'may' with no digit beside it is the verb; those shapes always carry a digit, so this only
    guards capitalisation: a lower-case short month name ('mar', 'dec') is a word, not a month."""
    text = groups.get(f"{shape}_month")
    return (
        bool(text) and text.lower().rstrip(".") in _AMBIGUOUS_MONTHS and text[0].islower() and len(text) <= 3
    )


def find_dates(text: str, base: date | str | None = None) -> list[DateMention]:
    """Every date expression in ``text``, resolved against the publication date ``base``."""
    if isinstance(base, str):
        base = date.fromisoformat(base) if len(base) == 10 else None
    found: list[DateMention] = []
    for match in _PATTERN.finditer(text):
        shape = next(name for name, _ in _SHAPES if match.group(f"_{name}"))
        groups = match.groupdict()
        if _month_is_word(shape, groups):
            continue
        start, end = match.span(f"_{shape}")
        found.append(
            DateMention(
                start=start,
                end=end,
                text=match.group(f"_{shape}"),
                value=_resolve(shape, groups, base),
                relative=shape not in ("iso", "day_month_year", "month_day_year", "month_year", "year"),
            )
        )
    return found


_DATELINE = re.compile(
    # At the start of a line, after at most a page header with an ISO date ("date 2025-05-15").
    r"^[ \t]*(?:\w+[ \t]+\d{4}-\d\d-\d\d[ \t]+)?"
    r"(?P<city>[A-Z][A-Z'.-]+(?:\s[A-Z][A-Z'.-]+){0,2}),\s+(?:(?P<country>[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}),\s+)?"
    r"(?P<when>(?:"
    + "|".join(m.capitalize() for m in MONTHS)
    + r")\.?\s+[0-3]?\d|[0-3]?\d\s+(?:"
    + "|".join(m.capitalize() for m in MONTHS)
    + r"))(?:,?\s+(?:1[89]|20)\d\d)?\b\.?",
    re.M,
)


def find_dateline(text: str, base: date | str | None = None, window: int = 200) -> Dateline | None:
    """'BAKU, Azerbaijan, May 15.' near the top of an article: the city in capitals, then the date."""
    match = _DATELINE.search(text[:window])
    if not match:
        return None
    dates = find_dates(text[match.start("city") : match.end()], base)
    city = " ".join(w.capitalize() for w in match.group("city").split())
    return Dateline(
        start=match.start("city"),
        end=match.end(),
        city=city,
        country=match.group("country"),
        date=dates[0].value if dates else None,
    )
