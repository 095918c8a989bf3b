"""The trigger rules (kg/nlp/resources/events.verbs.jsonl): which words start which kind of event."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.nlp.facts import EVENT_TYPES
from kg.nlp.resources_io import load_jsonl

RULES_FILE = "events.verbs.jsonl"
RULE_FIELDS = ("label", "pattern", "id", "cameo", "plover", "kind")
# "X and Y spoke / talked / conferred": a verb that says nothing of the medium. After a phone call
# of the same people it tells of that call ("held a phone call with Y. They spoke for 30 minutes on
# Tuesday"), not of a second occasion.
PLAIN_TALK_RULES = {"events.talk_with"}


@dataclass
class Rule:
    id: str
    type: str
    cameo: str
    plover: str
    kind: str
    min_persons: int = 1
    needs_light_verb: bool = False
    anaphoric: bool = False
    needs_prep: tuple[str, ...] = ()  # the trigger must govern one of these ("discussed ... with")
    no_infinitive: bool = False  # "called on X" is a visit, "called on X to act" is not
    joins_only: bool = False  # "the delegation was led by X": adds people to an event, starts none
    company: bool = False  # "X was accompanied by Y": Y is with X on X's visit (or at X's meeting)
    one_each: bool = False  # "X called on A and B": one occasion with each guest


def load_rules() -> list[tuple[Rule, list[dict]]]:
    """Trigger rules with their Matcher patterns; ValueError naming the file and record when bad."""
    rules = []
    for number, record in enumerate(load_jsonl(RULES_FILE, RULE_FIELDS), start=1):
        rules.append(
            (rule_from_record(record, f"kg/nlp/resources/{RULES_FILE}, record {number}"), record["pattern"])
        )
    return rules


def rule_from_record(record: dict, where: str) -> Rule:
    """Check one trigger record beyond its shape: a known event type, kind and CAMEO code."""
    where = f"{where} ({record.get('id')})"
    if record["label"] not in EVENT_TYPES:
        raise ValueError(f"{where}: unknown event type {record['label']!r}; known: {list(EVENT_TYPES)}")
    if record["kind"] not in ("encounter", "visit"):
        raise ValueError(f"{where}: kind must be 'encounter' or 'visit', not {record['kind']!r}")
    if not re.fullmatch(r"\d{3}", str(record["cameo"])):
        raise ValueError(f"{where}: cameo must be a three-digit CAMEO code, not {record['cameo']!r}")
    if not isinstance(record["pattern"], list) or not all(isinstance(p, dict) for p in record["pattern"]):
        raise ValueError(f"{where}: pattern must be a list of token patterns")
    return Rule(
        id=record["id"],
        type=record["label"],
        cameo=str(record["cameo"]),
        plover=record["plover"],
        kind=record["kind"],
        min_persons=int(record.get("min_persons", 1)),
        needs_light_verb=bool(record.get("needs_light_verb", False)),
        anaphoric=bool(record.get("anaphoric", False)),
        needs_prep=tuple(record.get("needs_prep", ())),
        no_infinitive=bool(record.get("no_infinitive", False)),
        joins_only=bool(record.get("joins_only", False)),
        company=bool(record.get("company", False)),
        one_each=bool(record.get("one_each", False)),
    )
