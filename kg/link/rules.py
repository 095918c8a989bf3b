"""The linker's rules (kg/nlp/resources/link.rules.jsonl): our classes -> Wikidata classes, role
synonyms, modifiers and titles; read and checked once, and the words of a title stripped from a name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from kg.common.names import SCHWA, ascii_words, content_hash
from kg.nlp.resources_io import location, parse_jsonl_lines

RULES_FILE = "link.rules.jsonl"


class LinkError(Exception):
    """Linking could not be done (bad reference file, unreachable endpoint); nothing was written."""


@dataclass(frozen=True)
class LinkRules:
    """kg/nlp/resources/link.rules.jsonl: our classes -> Wikidata classes, role synonyms, titles."""

    kind_of_class: dict[str, str]  # our class local name -> kind
    classes_of_kind: dict[str, frozenset[str]]  # kind -> acceptable Wikidata classes (QIDs)
    international_classes: frozenset[str]
    international_subtypes: frozenset[str]
    role_groups: dict[str, frozenset[str]]  # rule id -> words
    modifiers: frozenset[str]
    honorifics: tuple[str, ...]  # longest first
    digest: str = ""  # of the rules text: stored links record what they were decided by


RULE_FIELDS = {
    "type": ("kind", "classes"),
    "international": ("kind", "classes"),
    "role": (),
    "modifier": (),
    "honorific": (),
}


def load_rules(text: str | None = None, name: str = RULES_FILE) -> LinkRules:
    """Read and validate the rules; an error names the file and line."""
    source = name
    if text is None:
        source = f"kg/nlp/resources/{name}"
        text = resources.files("kg.nlp.resources").joinpath(name).read_text(encoding="utf-8")
    try:
        records = parse_jsonl_lines(text, source, ("label", "pattern", "id", "rule"))
    except ValueError as err:
        raise LinkError(str(err)) from err
    kind_of_class: dict[str, str] = {}
    classes_of_kind: dict[str, set[str]] = {}
    international: set[str] = set()
    international_subtypes: set[str] = set()
    role_groups: dict[str, frozenset[str]] = {}
    modifiers: set[str] = set()
    honorifics: set[str] = set()
    for number, record in records:
        where = location(source, number)
        rule = record["rule"]
        if rule not in RULE_FIELDS:
            raise LinkError(f"{where}: unknown rule {rule!r}; known: {sorted(RULE_FIELDS)}")
        for key in RULE_FIELDS[rule]:
            if key not in record:
                raise LinkError(f"{where}: a {rule!r} rule needs field {key!r}")
        pattern = record["pattern"]
        # Stricter than the shared check: the linker compares whole words, never token patterns.
        if not (isinstance(pattern, list) and all(isinstance(w, str) for w in pattern)):
            raise LinkError(f"{where}: pattern must be a non-empty list of strings")
        if rule == "type":
            classes = record["classes"]
            if not all(isinstance(c, str) and re.fullmatch(r"Q\d+", c) for c in classes):
                raise LinkError(f"{where}: classes must be Wikidata ids like 'Q5'")
            for cls in pattern:
                kind_of_class[cls] = record["kind"]
            classes_of_kind.setdefault(record["kind"], set()).update(classes)
        elif rule == "international":
            international.update(record["classes"])
            international_subtypes.update(pattern)
        elif rule == "role":
            role_groups[record["id"]] = frozenset(plain_words(w) for w in pattern)
        elif rule == "modifier":
            modifiers.update(plain_words(w) for w in pattern)
        else:
            honorifics.update(plain_words(w) for w in pattern)
    if not kind_of_class:
        raise LinkError(f"{source}: no 'type' rules")
    return LinkRules(
        kind_of_class=kind_of_class,
        classes_of_kind={k: frozenset(v) for k, v in classes_of_kind.items()},
        international_classes=frozenset(international),
        international_subtypes=frozenset(international_subtypes),
        role_groups=role_groups,
        modifiers=frozenset(modifiers),
        honorifics=tuple(sorted(honorifics, key=lambda h: (-len(h), h))),
        digest=content_hash(text, 64),
    )


def plain_words(text: str) -> str:
    """Lower-case ASCII words separated by single spaces (Azerbaijani ə read as a, as in English)."""
    return ascii_words(text.translate(SCHWA))


def strip_titles(label: str, rules: LinkRules) -> str:
    """'Mrs Gafarova' -> 'Gafarova'; 'President Ramil Guliyev' -> 'Ramil Guliyev' (leading titles only)."""
    titles = set(rules.honorifics) | rules.modifiers | {w for g in rules.role_groups.values() for w in g}
    tokens = label.split()
    changed = True
    while changed and tokens:
        changed = False
        # Titles are up to a few words long ("his excellency", "commander in chief").
        for width in (3, 2, 1):
            if len(tokens) >= width and plain_words(" ".join(tokens[:width])) in titles:
                tokens = tokens[width:]
                changed = True
                break
    if tokens and tokens[0].lower() == "of":
        return ""  # "the President of Kazakhstan" describes an office; it is no name
    return " ".join(tokens)
