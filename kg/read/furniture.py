"""Page furniture: the menus, bylines, share widgets and signature blocks around an article's text,
removed by the general rules in kg/nlp/resources/read.furniture.jsonl plus structural ones (words
per line); the publication date is found on the way, in a dateline or a date line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

from kg.nlp.resources_io import load_jsonl
from kg.read.dates import DATE_PATTERN, date_line, find_dateline, parse_date

# ----------------------------------------------------------------------------------------------------
# Dates

# One date parser for the whole project (kg/read/dates.py): the reader only finds where a date stands.
DATE = "(?P<date>" + DATE_PATTERN + ")"
TIME = (
    r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*\(?(?:GMT|UTC)(?:\s*[+\-]\s*\d{1,2}(?::?\d{2})?)?\)?)?"
)
WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
WIDGET = r"(?:[+\-−–↺↻⟲⟳]|A[+\-−]?(?=\s|$)|\d{1,2}\s?(?:px|pt|%)|font size|text size|print|share|email|tweet)"
_MACROS = {"{DATE}": DATE, "{TIME}": TIME, "{WEEKDAY}": WEEKDAY, "{WIDGET}": WIDGET}


# ----------------------------------------------------------------------------------------------------
# Page furniture


@dataclass(frozen=True)
class FurnitureRule:
    id: str
    label: str
    scope: str  # prefix | head | tail
    regex: re.Pattern[str]


_SCOPES = ("prefix", "head", "tail")
_FURNITURE_FILE = "read.furniture.jsonl"


@cache
def furniture_rules() -> tuple[FurnitureRule, ...]:
    """kg/nlp/resources/read.furniture.jsonl, validated: a bad record fails naming the file and line."""
    records = load_jsonl(_FURNITURE_FILE, ("label", "pattern", "id", "scope"))
    shipped = resources.files("kg.nlp") / "resources" / _FURNITURE_FILE
    source = shipped.read_text(encoding="utf-8").splitlines()
    rules = []
    for record in records:
        line = next((n for n, t in enumerate(source, 1) if f'"{record["id"]}"' in t), 0)
        where = f"kg/nlp/resources/{_FURNITURE_FILE}, line {line}"
        if record["scope"] not in _SCOPES:
            raise ValueError(f"{where}: scope must be one of {list(_SCOPES)}, not {record['scope']!r}")
        if not isinstance(record["pattern"], str):
            raise ValueError(f"{where}: pattern must be a regular expression string")
        pattern = record["pattern"]
        for macro, value in _MACROS.items():
            pattern = pattern.replace(macro, value)
        try:
            regex = re.compile(pattern)
        except re.error as err:
            raise ValueError(f"{where}: pattern is not a valid regular expression ({err})") from err
        rules.append(FurnitureRule(record["id"], record["label"], record["scope"], regex))
    return tuple(rules)


# Structural thresholds (words per line) that tell furniture, headlines and body paragraphs apart.
_HEAD_LINES = 12  # the head is at most this many non-blank lines before the first body paragraph
_BODY_WORDS = 10  # a body line ends like a sentence and has at least this many words ...
_LONG_WORDS = 30  # ... or simply this many
_TITLE_WORDS = (4, 30)
_WRAPPED_WORDS = 8  # a hard-wrapped body line has at least this many words
_SHORT_WORDS = 3  # head lines this short that are not the title are menus, section names, captions
_SIGNATURE_WORDS = 12
# No line longer than this (characters) is furniture: a 300 000-character line without spaces is one
# "word", and dropping it as a short head line lost it in silence.
_FURNITURE_CHARS = 300
_TAIL_BLOCKS = 3  # a signature block is one of the last three blocks ...
_TAIL_AFTER = (2, 1500)  # ... followed by at most two paragraphs of at most 1 500 characters
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


@dataclass
class Cleaned:
    lines: list[str]
    title: str | None = None
    published: date | None = None
    rules: list[str] = field(default_factory=list)  # ids of the furniture rules that fired, in order


def _words(line: str) -> int:
    return len(line.split())


def _is_body(line: str) -> bool:
    words = _words(line)
    return words >= _LONG_WORDS or (words >= _BODY_WORDS and bool(_SENTENCE_END.search(line)))


def _is_headline(line: str) -> bool:
    low, high = _TITLE_WORDS
    return (
        low <= _words(line) <= high
        and len(line) <= 250
        and not re.search(r"[.,;:]$", line)
        and (line[0].isupper() or line[0].isdigit() or line[0] in "\"'“‘«")
    )


def strip_furniture(lines: list[str], head: bool = True, tail: bool = True) -> Cleaned:
    """Drop page furniture from the head and the tail of one text; keep everything else as it is.

    When unsure a line is kept: losing article text is worse than keeping a footer.
    """
    lines = list(lines)
    out = Cleaned(lines)
    rules = furniture_rules()
    if head:
        _strip_head(out, [r for r in rules if r.scope == "prefix"], [r for r in rules if r.scope == "head"])
    if tail:
        _strip_tail(out, [r for r in rules if r.scope == "tail"])
        if out.published is None:
            _tail_date(out, "\n".join(lines))
    return out


_TAIL_DATE_LINES = 3  # a date line at the end of a story ("Last Update: ...") is among its last lines


def _date_from_lines(out: Cleaned, indexes: list[int], context: str, rule_id: str) -> None:
    """The publication date from the first date line among ``indexes``. The line stays: it also
    parts the headline from the lead for the sentence splitter, and kg_events reads no event date
    from a date line."""
    for i in indexes:
        found = date_line(out.lines[i], context)
        if found:
            out.published = found[0]
            out.rules.append(rule_id)
            return


def _tail_date(out: Cleaned, context: str) -> None:
    """A date line among the last lines, when the head had none."""
    last = [i for i, line in enumerate(out.lines) if line.strip()][-_TAIL_DATE_LINES:]
    _date_from_lines(out, last[::-1], context, "read.tail_date_line")


def _strip_head(out: Cleaned, prefix_rules: list[FurnitureRule], head_rules: list[FurnitureRule]) -> None:
    lines = out.lines
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return
    context = "\n".join(lines)  # orders the numbers of a numeric date (kg/read/dates.py numeric_order)
    for rule in prefix_rules:
        m = rule.regex.match(lines[first])
        if m and m.end() > 0:
            out.published = parse_date(m.group("date"), context) if "date" in rule.regex.groupindex else None
            lines[first] = lines[first][m.end() :].strip()
            out.rules.append(rule.id)
            break
    seen = 0
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if _starts_body(lines, i, head_rules):
            # The dateline opens the first paragraph, which may begin with a headline on the line
            # before it in the same block.
            for line in (text, lines[i + 1].strip() if i + 1 < len(lines) else ""):
                dateline = find_dateline(line, context=context) if out.published is None else None
                if dateline and dateline.date and dateline.start == 0:
                    out.published = date.fromisoformat(dateline.date)
                    out.rules.append("read.dateline")
            if out.published is None:
                _date_after_lead(out, i, context)
            return
        seen += 1
        if seen > _HEAD_LINES:
            return
        if len(text) > _FURNITURE_CHARS:  # a long line is text, however few its words: keep it
            continue
        rule = next((r for r in head_rules if r.regex.match(text)), None)
        if rule:
            if rule.label == "date_stamp" and out.published is None:
                out.published = parse_date(text, context)
            lines[i] = ""
            out.rules.append(rule.id)
        elif found := date_line(text, context):
            # A date line the furniture rules do not know ("Georgia Materials 28 April 2010 06:15",
            # "Last modified: ..."): its date is the publication date unless one came first. The line
            # is kept (when unsure, text is kept; it parts the headline from the lead for the
            # sentence splitter), and kg_events reads no event date from it.
            out.published = out.published or found[0]
            out.rules.append("read.date_line")
        elif out.title is None and _is_headline(text):
            out.title = text
        elif _words(text) <= _SHORT_WORDS and not _SENTENCE_END.search(text):
            lines[i] = ""
            out.rules.append("read.short_head_line")


_AFTER_LEAD_LINES = 4  # a date line may follow a standfirst ("Lead sentence.\n- Published: ...")


def _date_after_lead(out: Cleaned, first_body: int, context: str) -> None:
    """A date line among the few lines after the first body line, when the head had none."""
    following = [i for i, line in enumerate(out.lines) if i > first_body and line.strip()]
    _date_from_lines(out, following[:_AFTER_LEAD_LINES], context, "read.date_line")


def _starts_body(lines: list[str], i: int, head_rules: list[FurnitureRule]) -> bool:
    """Line ``i`` opens the body: a body line itself, or the first of a hard-wrapped paragraph.

    A wrapped paragraph's lines are each too short to look like a sentence, so the rest of the block is
    read with it; a short line (a headline) or furniture among the following lines keeps it in the head.
    """
    text = lines[i].strip()
    if _is_body(text):
        return True
    if _words(text) < _WRAPPED_WORDS:
        return False
    rest: list[str] = []
    for line in lines[i + 1 :]:
        if not line.strip():
            break
        if any(r.regex.match(line.strip()) for r in head_rules):
            return False
        rest.append(line.strip())
    return bool(rest) and _is_body(" ".join([text, *rest]))


def _strip_tail(out: Cleaned, tail_rules: list[FurnitureRule]) -> None:
    """Drop a closing signature block (a press service's name, a source line) and what follows it."""
    lines = out.lines
    blocks: list[tuple[int, int]] = []  # [start, end) of runs of non-blank lines
    start = None
    for i, line in enumerate([*lines, ""]):
        if line.strip() and start is None:
            start = i
        elif not line.strip() and start is not None:
            blocks.append((start, i))
            start = None
    body = next((k for k, (s, e) in enumerate(blocks) if any(_is_body(x.strip()) for x in lines[s:e])), None)
    if body is None:
        return
    max_after, max_chars = _TAIL_AFTER
    for k in range(len(blocks) - 1, max(body, len(blocks) - 1 - _TAIL_BLOCKS), -1):
        s, e = blocks[k]
        block = [x.strip() for x in lines[s:e]]
        after = blocks[k + 1 :]
        if len(after) > max_after or sum(len("".join(lines[a:b])) for a, b in after) > max_chars:
            return
        signature = all(_words(x) <= _SIGNATURE_WORDS and len(x) <= _FURNITURE_CHARS for x in block) and any(
            r.regex.search(x) for x in block for r in tail_rules
        )
        if signature:
            ids = {r.id for x in block for r in tail_rules if r.regex.search(x)}
            out.rules += sorted(ids)
            for i in range(s, len(lines)):
                lines[i] = ""
            return
