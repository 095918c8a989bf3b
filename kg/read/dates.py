"""Date expressions -> ISO dates, absolute or relative to the publication date: the project's one date parser.

Dates are ISO 8601 strings that may be partial: "2024-03-11" (day), "2024-03" (month), "2024" (year).
``find_dates`` reads only shapes that are certainly dates (a month name with a day or a year, an ISO or
numeric date, "in 2020", "in May", a weekday, "yesterday", "on the 5th", "last year" ...): a bare
number, an age or "44-day" is never a date. Relative expressions need the publication date (``base``);
without it they stay unknown (None) rather than being guessed. The rules for what is not written out:

- a weekday ("on Monday", "late on Sunday", "said Monday") is the latest such day on or before the
  publication date, the day itself in an article published on a Monday (news reports what happened);
  "last Monday" is a week earlier then, "next Monday" the first one after;
- "in May" is the latest May up to the publication month; "last week" has no day, so it is the month
  the week before publication fell in; "on the 5th" is the latest 5th on or before publication;
- "earlier in the day", "a day earlier", "the next day" count from ``anchor``, the day the text was
  last talking about (the publication date when none);
- a numeric date's day and month follow ``numeric_order``.

``parse_date`` reads a full date for the reader, ``date_line`` a publication date line ("15 April 2021 |
21:25", "Last Update: Monday, 3 February 2020"), ``find_dateline`` a news dateline ("BAKU, Azerbaijan,
May 15.", "DUSHANBE, 22.05.2024 /AGENCY/.") at the top of an article.
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
_FULL_MONTH: dict[int, str] = {}
for _name, _number in MONTHS.items():
    _FULL_MONTH.setdefault(_number, _name.capitalize())  # the first name listed is the full one
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# "4th", "4 th" (a space some sites put in), and the first day of a range ("20-22", "26 - 27").
_DAY = r"(?P<day>[0-3]?\d)(?:\s?(?:st|nd|rd|th))?(?:\s*[-–]\s*[0-3]?\d(?:st|nd|rd|th)?)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
# Words that put a day or a time of day beside a weekday: "late on Sunday", "on Tuesday afternoon".
_WEEKDAY_LEAD = r"(?:(?P<dir>last|next|this|on|late|early|earlier|later)\s+(?:on\s+)?)?"

# Expressions that name a day relative to the day the text is talking about ("earlier in the day",
# "a day earlier"): offset in days from that day.
ANAPHORIC_DAYS = {
    "earlier in the day": 0,
    "later in the day": 0,
    "earlier that day": 0,
    "later that day": 0,
    "the same day": 0,
    "on the same day": 0,
    "that same day": 0,
    "a day earlier": -1,
    "one day earlier": -1,
    "the day before": -1,
    "the previous day": -1,
    "the preceding day": -1,
    "the eve": -1,
    "a day later": 1,
    "one day later": 1,
    "the next day": 1,
    "the following day": 1,
    "the day after": 1,
    "two days earlier": -2,
    "two days later": 2,
}

# One alternation per shape; the first that matches at a position wins, so longer shapes come first.
_SHAPES: list[tuple[str, str]] = [
    (
        "iso",
        r"\b(?P<year>(?:1[89]|20)\d\d)(?P<sep>[-/.])(?P<month>[01]\d)(?P=sep)(?P<day>[0-3]\d)(?:\b|(?=T\d))(?![-/.]\d)",
    ),
    # "22.05.2024", "12/1/2022": which number is the day is decided by ``numeric_order``.
    (
        "numeric",
        r"(?<![\d./-])(?P<first>[0-3]?\d)(?P<sep>[./-])(?P<second>[0-3]?\d)(?P=sep)"
        + _YEAR
        + r"\b(?![\d./-]\d)",
    ),
    (
        "day_month_year",
        r"\b" + _DAY + r"(?:\s+of)?(?:\s+|-(?=[a-z]))" + _MONTH + r"(?:,?\s+|-)" + _YEAR + r"\b",
    ),
    ("month_day_year", r"\b" + _MONTH + r"\s+" + _DAY + r"(?:,?\s+|/)" + _YEAR + r"\b"),
    ("day_month", r"\b" + _DAY + r"(?:\s+of)?\s+" + _MONTH + r"(?![a-z])"),
    ("month_day", r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?![-:]?\d)(?!-)"),
    ("month_year", r"\b" + _MONTH + r",?\s+" + _YEAR + r"\b"),
    # A month alone after a word that dates an event ("in May", "early in March", "in September
    # last year"); "since May" opens a span and is not read.
    (
        "month_alone",
        r"\b(?:in|during|early|late|mid|last|this|of)[\s-]+(?:early\s+|late\s+|mid-?)?"
        + _MONTH
        + r"(?:\s+(?P<rel>last|this|next)\s+year)?(?![a-z])(?!\s*,?\s*\d)",
    ),
    # A bare year only after a preposition that dates an event ("in 2020", "on ... 2019"); "since
    # 2020" opens a span and "125 MPs" is a count, so neither is read.
    ("year", r"\b(?:in|during|of|early|late|mid)[\s-]+" + _YEAR + r"\b(?![-/]\d)"),
    (
        "relative_day",
        r"\b(?P<rel>the day before yesterday|yesterday|today|tomorrow|tonight|last night"
        r"|this (?:morning|afternoon|evening))\b",
    ),
    (
        "anaphoric",
        r"\b(?P<phrase>"
        + "|".join(re.escape(p) for p in sorted(ANAPHORIC_DAYS, key=len, reverse=True))
        + r")\b",
    ),
    # "on the 5th", "on 4 th": a day of the month the text is in.
    (
        "day_of_month",
        r"\bon\s+(?:the\s+)?(?P<day>[0-3]?\d)\s?(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:"
        + "|".join(MONTHS)
        + r")\b)",
    ),
    ("weekday", r"\b" + _WEEKDAY_LEAD + _WEEKDAY + r"\b"),
    ("relative_unit", r"\b(?P<dir>last|next|this|past|coming)\s+(?P<unit>year|month|week)\b"),
    (
        "ago",
        r"\b(?P<count>\d+|a|an|one|two|three|four|five|six|seven)\s+(?P<unit>days?|weeks?|months?|years?)"
        r"\s+ago\b",
    ),
]
_PATTERN = re.compile(
    "|".join(
        f"(?P<_{name}>{rx.replace('?P<', f'?P<{name}_').replace('?P=', f'?P={name}_')})"
        for name, rx in _SHAPES
    ),
    re.I,
)

_MONTH_NAME = "(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
# A calendar date with its year, for the reader's page-furniture patterns
# (kg/nlp/resources/read.furniture.jsonl, macro {DATE}); ``parse_date`` reads what it matched.
DATE_PATTERN = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_NAME + r",?\s+\d{4}"
    r"|" + _MONTH_NAME + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}-\d{1,2}-\d{4})"
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


def near(when: str, reference: str, days: int) -> bool:
    """A date that can be the occasion a report of ``reference`` (a day) tells of: at most ``days``
    days before it, its month or the month before, its year."""
    if precision(when) == "day":
        return 0 <= (date.fromisoformat(reference) - date.fromisoformat(when)).days <= days
    if precision(when) == "month":
        gap = (int(reference[:4]) * 12 + int(reference[5:7])) - (int(when[:4]) * 12 + int(when[5:7]))
        return 0 <= gap <= 1
    return when == reference[:4]


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


def numeric_order(
    first: int,
    second: int,
    year: int,
    sep: str,
    base: date | None = None,
    context: str = "",
    near: str = "",
) -> str | None:
    """The day a numeric date ("22.05.2024", "12/1/2022", "09/05/2013") stands for.

    The rule, in order: a number above 12 can only be the day; dots are the European day-month order;
    for slashes or dashes with both numbers 12 or less, the order that gives a date on or before
    ``base`` (an event is not reported before it happens); without ``base`` (the date of a
    publication line), the order that gives a date not before the latest date written out in the
    ``context`` (the rest of the file: a story is published after what it reports), then the order
    whose month the context names in words; then month first when a 12-hour clock stands ``near``
    it ("12/1/2022 12:13 PM" is American); else day first, the order most of the world writes.
    """
    day_first, month_first = _day(year, second, first), _day(year, first, second)
    if first > 12 or sep == ".":
        return day_first or month_first
    if second > 12 or not day_first:
        return month_first
    if not month_first or day_first == month_first:
        return day_first
    if base is not None:
        fits = [d for d in (day_first, month_first) if date.fromisoformat(d) <= base]
        if len(fits) == 1:
            return fits[0]
    else:
        told = [
            m.value for m in find_dates(context, numeric=False) if len(m.value or "") == 10 and not m.relative
        ]
        if told:
            fits = [d for d in (day_first, month_first) if d >= max(told)]
            if len(fits) == 1:
                return fits[0]
    # Full month names, capitalised as a month is ("May", not the verb "may").
    named = {m for m, name in _FULL_MONTH.items() if re.search(rf"\b(?:{name}|{name.upper()})\b", context)}
    wanted = [d for d in (day_first, month_first) if int(d[5:7]) in named]
    if len(wanted) == 1:
        return wanted[0]
    if re.search(r"\d[:.]\d\d(?::\d\d)?\s*[ap]\.?m\b", near, re.I):
        return month_first
    return day_first


def _last_day_of_month(day: int, base: date) -> str | None:
    """'on the 5th': the latest date with that day of the month on or before the publication date."""
    for back in range(0, 3):
        index = base.year * 12 + base.month - 1 - back
        iso = _day(index // 12, index % 12 + 1, day)
        if iso and date.fromisoformat(iso) <= base:
            return iso
    return None


def _resolve(
    shape: str,
    groups: dict[str, str | None],
    base: date | None,
    anchor: date | None,
    context: str,
    near: str,
) -> str | None:
    def g(name: str) -> str | None:
        return groups.get(f"{shape}_{name}")

    month = MONTHS.get((g("month") or "").lower().rstrip("."))
    if g("month") and month is None:  # an ISO month number
        month = int(g("month"))
    day = int(g("day")) if g("day") else None
    year = int(g("year")) if g("year") else None
    if shape in ("iso", "day_month_year", "month_day_year"):
        return _day(year, month, day)
    if shape == "numeric":
        return numeric_order(int(g("first")), int(g("second")), year, g("sep"), base, context, near)
    if shape == "month_year":
        return f"{year:04d}-{month:02d}"
    if shape == "year":
        return f"{year:04d}"
    if base is None:
        return None
    if shape in ("day_month", "month_day"):
        return _closest_year(month, day, base)
    if shape == "month_alone":
        step = {"last": -1, "next": 1, "this": 0}.get((g("rel") or "").lower())
        if step is not None:
            return f"{base.year + step:04d}-{month:02d}"
        # "in May" in a report: the latest May up to the publication month.
        return f"{base.year if month <= base.month else base.year - 1:04d}-{month:02d}"
    if shape == "anaphoric":
        offset = ANAPHORIC_DAYS[" ".join(g("phrase").lower().split())]
        return ((anchor or base) + timedelta(days=offset)).isoformat()
    if shape == "relative_day":
        offset = {"yesterday": -1, "tomorrow": 1, "last night": -1, "the day before yesterday": -2}.get(
            " ".join(g("rel").lower().split()), 0
        )
        return (base + timedelta(days=offset)).isoformat()
    if shape == "day_of_month":
        return _last_day_of_month(day, base)
    if shape == "weekday":
        wanted = WEEKDAYS.index(g("weekday").lower())
        lead = (g("dir") or "").lower()
        if lead == "next":
            ahead = (wanted - base.weekday()) % 7 or 7
            return (base + timedelta(days=ahead)).isoformat()
        # News reports what happened: "on Monday" is the latest Monday up to the publication day (the
        # day itself when the article is published on a Monday: "met on Monday" in Monday's paper).
        back = (base.weekday() - wanted) % 7
        if lead == "last" and back == 0:
            back = 7
        return (base - timedelta(days=back)).isoformat()
    if shape == "relative_unit":
        step = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(g("dir").lower(), 0)
        unit = g("unit").lower()
        if unit == "year":
            return f"{base.year + step:04d}"
        if unit == "month":
            return _shift_months(base, step)
        # A week has no day of its own: "last week" is the month the week before publication fell in.
        return (base + timedelta(days=7 * step)).isoformat()[:7]
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


def _month_is_word(shape: str, groups: dict[str, str | None], text: str) -> bool:
    """'may' with no digit beside it is the verb; a lower-case short month name ('mar', 'dec') is a
    word, not a month. A month alone ("in May") must be capitalised, as a weekday alone must."""
    month = groups.get(f"{shape}_month")
    if shape == "month_alone":
        return not month or not month[0].isupper()
    if shape == "weekday" and not groups.get("weekday_dir"):
        return not text[:1].isupper()
    return (
        bool(month)
        and month.lower().rstrip(".") in _AMBIGUOUS_MONTHS
        and month[0].islower()
        and len(month) <= 3
    )


_ABSOLUTE_SHAPES = ("iso", "numeric", "day_month_year", "month_day_year", "month_year", "year")


_NEAR = 30  # characters either side of a numeric date read for a 12-hour clock


def _as_date(value: date | str | None) -> date | None:
    if isinstance(value, str):
        return date.fromisoformat(value) if len(value) == 10 else None
    return value


def find_dates(
    text: str,
    base: date | str | None = None,
    anchor: date | str | None = None,
    context: str = "",
    numeric: bool = True,
) -> list[DateMention]:
    """Every date expression in ``text``, resolved against the publication date ``base``.

    ``anchor`` is the day the text was last talking about, for "earlier in the day" and "a day
    earlier" (the publication date when not given); ``context`` is the text around (the whole file),
    read only to order the numbers of a numeric date; ``numeric=False`` leaves numeric dates out.
    """
    base, anchor = _as_date(base), _as_date(anchor)
    found: list[DateMention] = []
    for match in _PATTERN.finditer(text):
        shape = next(name for name, _ in _SHAPES if match.group(f"_{name}"))
        groups = match.groupdict()
        if _month_is_word(shape, groups, match.group(f"_{shape}")) or (shape == "numeric" and not numeric):
            continue
        start, end = match.span(f"_{shape}")
        near = text[max(0, start - _NEAR) : end + _NEAR]
        found.append(
            DateMention(
                start=start,
                end=end,
                text=match.group(f"_{shape}"),
                value=_resolve(shape, groups, base, anchor, context or text, near),
                relative=shape not in _ABSOLUTE_SHAPES,
            )
        )
    return found


def parse_date(text: str, context: str = "", base: date | str | None = None) -> date | None:
    """The first calendar date with a year in ``text`` ("15 April 2021", "Oct 28, 2023", "2023-10-28",
    "29.09.2021", "12/1/2022"), or None; ``context`` orders the numbers of a numeric date."""
    for mention in find_dates(text, base, context=context or text):
        if not mention.relative and mention.value and len(mention.value) == 10:
            found = date.fromisoformat(mention.value)
            if 1900 <= found.year <= 2100:
                return found
    return None


# What a publication date line may hold beside its date: labels, times, zones, a weekday, a byline's
# name or a section; "Last Update: Monday, 3 February 2020 KSA 19:57 - GMT 16:57".
_DATE_LINE_LABEL = re.compile(
    r"(?i)\b(?:date|dated|published|publication|posted|updated|last updated|last update|last modified|"
    r"modified|broadcast|released?|issued|created|on|at|hrs|am|pm|a\.m|p\.m|gmt|utc|local time)\b"
)
_TIME = re.compile(
    r"(?i)\b\d{1,2}[:.]\d{1,2}(?::\d\d)?(?:\s*[ap]\.?m\.?)?|\b\d{3,4}\b|[+\-−]\s*\d{1,2}(?::?\d\d)?"
)
_WEEKDAY_WORD = re.compile(
    r"(?i)\b(?:" + "|".join(WEEKDAYS) + r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b\.?"
)
_GLUED_STAMP = re.compile(r"((?:[0-3]?\d[./-]){2}(?:19|20)\d\d)(?=[^\W\d_])")
_DATE_LINE_WORDS = 16  # a date line is short ...
_DATE_LINE_REST = 5  # ... and has at most this many other words (a name, a section, an agency)


def date_line(line: str, context: str = "") -> tuple[date, int] | None:
    """A publication date line: a short line that is a date with a little furniture around it
    ("15 April 2021 | 21:25", "Published: Oct 28, 2023 11:10 AM", "Thu May 29, 2014 3:3PM",
    "International cooperation 28 February 2023 1211"): its date and how many other words it has
    (a name, a section, an agency). None for a sentence that merely has a date."""
    text = line.strip()
    glued = _GLUED_STAMP.match(text)
    if glued:
        # "03/01/2011NEWS IN ENGLISH – ...": a page's date stamp run into the headline when the
        # page was scraped; the stamp is the date line, however long the headline.
        stamp = [m for m in find_dates(glued.group(1), context=context or text) if len(m.value or "") == 10]
        if stamp:
            return date.fromisoformat(stamp[0].value), 0
    if not text or len(text.split()) > _DATE_LINE_WORDS:
        return None
    full = [
        m for m in find_dates(text, context=context or text) if not m.relative and len(m.value or "") == 10
    ]
    if not full:
        return None
    first = full[0]
    rest = text[: first.start] + " " + text[first.end :]
    rest = _TIME.sub(" ", rest)
    rest = _WEEKDAY_WORD.sub(" ", rest)
    rest = _DATE_LINE_LABEL.sub(" ", rest)
    # Agencies and time zones in capitals ("PTI", "IST", "KSA") are furniture too.
    words = [w for w in re.findall(r"[^\W\d_]{2,}", rest) if not (w.isupper() and len(w) <= 4)]
    if len(words) > _DATE_LINE_REST:
        return None
    if len(words) > 1 and re.search(r"[.!?]$", text):
        return None  # a short sentence: "They met on 3 May 2022."
    return date.fromisoformat(first.value), len(words)


def find_date_line(line: str, context: str = "") -> date | None:
    """The date of a publication date line (see ``date_line``), or None."""
    found = date_line(line, context)
    return found[0] if found else None


_CAP_WORD = r"[A-Z][\w'’.\-]*"
_PLACE = rf"{_CAP_WORD}(?:[ /]{_CAP_WORD}){{0,3}}"
_DATELINE_DATE = (
    r"(?:(?P<mon1>"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\.?\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?"
    r"|(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<mon2>"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\.?"
    r"|(?P<n1>[0-3]?\d)(?P<sep>[./-])(?P<n2>[0-3]?\d)(?P=sep)(?P<ny>(?:19|20)\d\d))"
    r"(?:(?:,?\s+|/)(?P<y>(?:1[89]|20)\d\d))?"
)
_AGENCY = r"(?:\s*(?:\([^()\n]{1,40}\)|/[^/\n]{1,40}/|[,–—-]\s*[A-Z][A-Z\-]{2,}\b))?"
_DATELINE = re.compile(
    # At the start of a line, after at most a page header with an ISO date ("date 2025-05-15"): the
    # place (capitals or title case, "United Nations/New York"), perhaps a country and an agency in
    # brackets, then the date, perhaps an agency, then a mark that ends the dateline.
    r"^[ \t]*(?:\w+[ \t]+\d{4}-\d\d-\d\d[ \t]+)?"
    rf"(?P<city>{_PLACE})(?:,\s+(?P<country>{_PLACE}))?(?:\s*\([^()\n]{{1,40}}\))?\s*[,–—-]?\s*"
    rf"(?P<open>\((?:[^()\n]{{1,40}}?\s[–—-]\s*)?)?(?P<when>{_DATELINE_DATE})(?(open)\)){_AGENCY}"
    r"\s*(?:[.:;–—\-]|$|(?=\s+[A-Z]))",
    re.M | re.I,
)
# "May 20, 4:04 UTC+3 BERLIN": a date and a time before the city, on a line of its own.
_DATELINE_AFTER = re.compile(
    r"^[ \t]*(?P<when>(?P<mon1>"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")\.?\s+(?P<d1>[0-3]?\d)"
    r"(?:,?\s+(?P<y>(?:1[89]|20)\d\d))?),?\s+\d{1,2}:\d\d(?:\s*(?:UTC|GMT)\s*[+\-−]?\s*\d{0,2})?\s+"
    r"(?P<city>[A-Z][A-Z'.\-]+(?:\s[A-Z][A-Z'.\-]+){0,2})[ \t]*$",
    re.M | re.I,
)


def _dateline_value(match: re.Match[str], base: date | None, context: str) -> str | None:
    parts = match.groupdict()
    if parts.get("n1"):
        numbers = int(parts["n1"]), int(parts["n2"]), int(parts["ny"])
        return numeric_order(*numbers, parts["sep"], None, context, match.group(0))
    month = MONTHS[(parts.get("mon1") or parts.get("mon2")).lower()]
    day = int(parts.get("d1") or parts.get("d2"))
    if parts.get("y"):
        return _day(int(parts["y"]), month, day)
    if base is not None:
        return _closest_year(month, day, base)
    # No year on the line and no publication date: the same day written in full elsewhere, or the
    # only year the text names.
    for mention in find_dates(context):
        if mention.value and len(mention.value) == 10 and mention.value[5:] == f"{month:02d}-{day:02d}":
            return mention.value
    years = set(re.findall(r"\b(?:19[5-9]\d|20\d\d)\b", context))
    if len(years) == 1:
        return _day(int(years.pop()), month, day)
    return None


# Words that open a sentence, not a place: "Earlier, May 5 ..." is no dateline.
_NOT_PLACE = {
    "the", "on", "in", "by", "at", "since", "from", "until", "after", "before", "during", "earlier",
    "later", "yesterday", "today", "meanwhile", "also", "then", "however", "last", "this", "next",
}  # fmt: skip


def _is_place(text: str) -> bool:
    """A dateline's place is one to four capitalised words, not a list ("The UN, NATO")."""
    words = re.split(r"[ /]", text)
    return all(w[:1].isupper() for w in words) and words[0].lower() not in _NOT_PLACE


def find_dateline(
    text: str, base: date | str | None = None, window: int = 400, context: str | None = None
) -> Dateline | None:
    """The dateline near the top of an article: "BAKU, Azerbaijan, May 15.", "Astana, 9 June.",
    "DUSHANBE, 22.05.2024 /AGENCY/.", "CAIRO – 23 November 2019:", "KUALA LUMPUR (Oct 2):",
    "Baku, September 29, AZERTAC", "May 20, 4:04 UTC+3 BERLIN". The year comes from the line, else
    the publication date ``base``, else the same day written in full in ``context`` (the text), else
    the only year there."""
    base = _as_date(base)
    context = text if context is None else context
    head = text[:window]
    for regex in (_DATELINE, _DATELINE_AFTER):
        for match in regex.finditer(head):
            if not _is_place(match.group("city")) or match.group("city").lower().rstrip(".") in MONTHS:
                continue
            country = match.groupdict().get("country")
            if country and not _is_place(country):
                continue
            city = " ".join(
                w.capitalize() if w.isupper() else w for w in match.group("city").rstrip(".").split()
            )
            return Dateline(
                start=match.start("city"),
                end=match.end(),
                city=city,
                country=country,
                date=_dateline_value(match, base, context),
            )
    return None
