"""Load the rule and vocabulary files of kg/nlp/resources/ (JSONL), validated, with errors that name the line.

Every record is one JSON object per line, in the SpanRuler shape (``label``, ``pattern``, ``id``) plus the
stage's own fields. Blank lines and lines starting with ``//`` are skipped so files can carry notes.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

BASE_FIELDS = ("label", "pattern", "id")


def resource_names() -> list[str]:
    """Every JSONL file shipped in kg/nlp/resources/, by name."""
    root = resources.files("kg.nlp") / "resources"
    return sorted(p.name for p in root.iterdir() if p.name.endswith(".jsonl"))


def load_jsonl(name: str, required_fields: tuple[str, ...] | list[str] = BASE_FIELDS) -> list[dict]:
    """Records of kg/nlp/resources/<name>; ValueError naming the file and line of the first bad record."""
    return [dict(r) for r in _load(name, tuple(required_fields))]


@cache
def _load(name: str, required_fields: tuple[str, ...]) -> tuple[dict, ...]:
    path = resources.files("kg.nlp") / "resources" / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise ValueError(f"kg/nlp/resources/{name}: no such resource file") from err
    return tuple(parse_jsonl(text, f"kg/nlp/resources/{name}", required_fields))


def parse_jsonl(text: str, source: str, required_fields: tuple[str, ...] = BASE_FIELDS) -> list[dict]:
    """Records of one JSONL text; ``source`` names it in errors ("<source>, line 3: ...")."""
    return [record for _, record in parse_jsonl_lines(text, source, required_fields)]


def parse_jsonl_lines(
    text: str, source: str, required_fields: tuple[str, ...] = BASE_FIELDS
) -> list[tuple[int, dict]]:
    """Like ``parse_jsonl``, each record with its line number, for stages that check more fields and
    must name the line too (``location(source, line)`` gives the same message prefix)."""
    records: list[tuple[int, dict]] = []
    seen_ids: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        where = location(source, lineno)
        try:
            record = json.loads(stripped)
        except json.JSONDecodeError as err:
            raise ValueError(f"{where}: not valid JSON ({err.msg})") from err
        if not isinstance(record, dict):
            raise ValueError(f"{where}: a record must be a JSON object")
        missing = [f for f in required_fields if f not in record]
        if missing:
            raise ValueError(f"{where}: missing field(s) {missing}")
        pattern = record.get("pattern")
        if "pattern" in required_fields and not _valid_pattern(pattern):
            raise ValueError(
                f"{where}: 'pattern' must be a non-empty string, a list of strings, or a list of token dicts"
            )
        rid = record.get("id")
        if "id" in required_fields:
            if not isinstance(rid, str) or not rid:
                raise ValueError(f"{where}: 'id' must be a non-empty string")
            if rid in seen_ids:
                raise ValueError(f"{where}: duplicate id {rid!r} (first on line {seen_ids[rid]})")
            seen_ids[rid] = lineno
        records.append((lineno, record))
    return records


def location(source: str, lineno: int) -> str:
    """The prefix of every error about one record: "<source>, line <n>"."""
    return f"{source}, line {lineno}"


def _valid_pattern(pattern: object) -> bool:
    if isinstance(pattern, str):
        return bool(pattern.strip())
    if isinstance(pattern, list) and pattern:
        if all(isinstance(p, str) and p.strip() for p in pattern):
            return True
        return all(isinstance(p, dict) and p for p in pattern)
    return False
