"""A gold annotation file for `kg eval`, read and checked before anything is scored.

The scorer (kg/evaluate/score.py) trusts the shape of what it reads: a participants list given as a string
would be iterated letter by letter, events given as ``{}`` would score recall 1.0. So the file is
checked here first, against a schema (pydantic models, the library spaCy already brings) and a few
rules across its parts, and every problem is reported on a line of its own naming where it is
(``events[3].participants``); nothing is scored from a file with a problem.

Accepted: UTF-8 JSON (a byte-order mark is allowed), an object with ``persons``, ``offices`` and
``events`` lists (``institutions`` and ``about`` optional). Entries may carry more keys than the
scorer reads (notes, topics, places): annotators keep their remarks there.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError, field_validator

from kg.common.files import shown

# A gold file bigger than this is not a hand-made annotation: refuse it instead of reading it whole.
MAX_BYTES = 50 * 1024 * 1024

Name = Annotated[StrictStr, Field(min_length=1)]
DocId = Annotated[StrictStr, Field(min_length=1)]
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_PRECISION = {1: "year", 2: "month", 3: "day"}


class GoldError(Exception):
    """The gold file cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__("\n".join(f"{shown(self.path)}: {p}" for p in problems))


class _Entry(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class GoldPerson(_Entry):
    name: Name
    aliases: list[Name] = []


class GoldInstitution(_Entry):
    name: Name
    aliases: list[Name] = []
    country: Name | None = None


class GoldOffice(_Entry):
    person: Name
    role: Name
    role_aliases: list[Name] = []
    institution: Name | None = None
    country: Name | None = None
    former: StrictBool = False
    docs: Annotated[list[DocId], Field(min_length=1)]


class GoldEvent(_Entry):
    docs: Annotated[list[DocId], Field(min_length=1)]
    participants: Annotated[list[Name], Field(min_length=1)]
    date: StrictStr | None = None
    date_precision: Literal["day", "month", "year"] | None = None

    @field_validator("date")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is not None:
            _partial_date(value)
        return value


class GoldFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    about: StrictStr | None = None
    persons: list[GoldPerson]
    offices: list[GoldOffice]
    events: list[GoldEvent]
    institutions: list[GoldInstitution] = []


def _partial_date(value: str) -> int:
    """How many parts (1 year, 2 month, 3 day) an ISO date ``value`` has; ValueError if none is real."""
    m = _PARTIAL_DATE.fullmatch(value)
    if not m:
        raise ValueError(f"{value!r} is not an ISO date (yyyy, yyyy-mm or yyyy-mm-dd)")
    parts = [int(p) for p in m.groups() if p is not None]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as err:
        raise ValueError(f"{value!r} is not a real date ({err})") from None
    return len(parts)


def load_gold(path: Path | str) -> dict[str, Any]:
    """The gold file as plain data, or GoldError listing every problem found."""
    path = Path(path)
    data = _read_json(path)
    try:
        gold = GoldFile.model_validate(data)
    except ValidationError as err:
        raise GoldError(path, [_describe(e) for e in err.errors()]) from None
    problems = _cross_check(gold)
    if problems:
        raise GoldError(path, problems)
    return gold.model_dump()


def _read_json(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise GoldError(path, [f"{size} bytes; a gold file is at most {MAX_BYTES} bytes"])
        raw = path.read_bytes()
    except OSError as err:
        raise GoldError(path, [f"cannot read the file ({err.strerror or err})"]) from None
    if not raw.strip():
        raise GoldError(path, ["empty file; expected a JSON object with persons, offices and events"])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4]:
        raise GoldError(path, ["UTF-16 or UTF-32 text; save the gold file as UTF-8"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise GoldError(path, [f"not UTF-8 (invalid byte at offset {err.start})"]) from None
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as err:
        raise GoldError(path, [f"invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}"]) from None
    except RecursionError:
        raise GoldError(path, ["JSON nested too deeply"]) from None
    except ValueError as err:  # _no_constant, _no_duplicates
        raise GoldError(path, [str(err)]) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"key {key!r} appears twice in one object")
        seen[key] = value
    return seen


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        name = shown(str(part))  # a key is text from the file: no newline of its own in a message
        out += f"[{part}]" if isinstance(part, int) else (f".{name}" if out else name)
    return out or "the file"


def _describe(error: dict[str, Any]) -> str:
    """One pydantic error as one line: where, what was expected, what was there."""
    where = _where(tuple(p for p in error["loc"] if not str(p).startswith("function-")))
    kind = error["type"]
    if kind == "missing":
        return f"{where}: missing"
    if kind == "extra_forbidden":
        return f"{where}: unknown key (expected about, persons, offices, events, institutions)"
    if kind == "model_type":
        return f"{where}: expected an object, got {_type_name(error['input'])}"
    if kind == "value_error":
        return f"{where}: {error['ctx']['error']}"
    return f"{where}: {error['msg'][0].lower()}{error['msg'][1:]}, got {_type_name(error['input'])}"


def _type_name(value: Any) -> str:
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _cross_check(gold: GoldFile) -> list[str]:
    """What the schema cannot say: an office's person must be a gold person (the scorer matches
    offices through persons, so another name could never score), a date as precise as it claims."""
    problems = []
    names = {p.name for p in gold.persons}
    seen: set[str] = set()
    for i, person in enumerate(gold.persons):
        if person.name in seen:
            problems.append(f"persons[{i}].name: {person.name!r} is listed twice")
        seen.add(person.name)
    for i, office in enumerate(gold.offices):
        if office.person not in names:
            problems.append(f"offices[{i}].person: {office.person!r} is not a name in persons")
    for i, event in enumerate(gold.events):
        # Participants may name people outside persons: pairs are compared by name, not resource.
        if event.date is not None:
            parts = _partial_date(event.date)
            precision = event.date_precision or "day"
            if parts < list(_PRECISION.values()).index(precision) + 1:
                problems.append(
                    f"events[{i}].date: {event.date!r} is less precise than date_precision {precision!r}"
                )
    return problems
