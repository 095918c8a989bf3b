"""The score of one candidate for one entity: name, type, country and office at the article's date."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from kg.link.candidates import (
    Candidate,
    name_similarity,
    name_skeleton,
)
from kg.link.entities import (
    EntityInfo,
)
from kg.link.rules import LinkRules, plain_words, strip_titles

# Weights of the score; they add up to 1.0 for a perfect match.
W_LABEL, W_TYPE, W_COUNTRY, W_OFFICE = 0.55, 0.15, 0.15, 0.15
# Penalties: evidence that contradicts the candidate outweighs a perfect name.
P_COUNTRY, P_OFFICE_DATE, P_OFFICE = -0.4, -0.3, -0.5


@dataclass(frozen=True)
class Decision:
    """What the linker decided for one entity and one candidate (or for no candidate at all)."""

    entity: str
    label: str
    kind: str
    candidate: str | None
    score: float
    method: str
    accepted: bool
    reason: str = ""


def _role_groups(text: str, rules: LinkRules) -> tuple[set[str], bool]:
    """The role groups a role or position label names, and whether it is a deputy/vice post."""
    words = f" {plain_words(text)} "
    modifier = any(f" {m} " in words for m in rules.modifiers)
    core = words
    for m in rules.modifiers:
        core = core.replace(f" {m} ", " ")
    groups = {gid for gid, ws in rules.role_groups.items() if any(f" {w} " in core for w in ws)}
    if not groups:  # "Deputy" alone names a post of its own (a legislator)
        groups = {gid for gid, ws in rules.role_groups.items() if any(f" {w} " in words for w in ws)}
    return groups, modifier


def _office_evidence(
    entity: EntityInfo,
    candidate: Candidate,
    country_qids: dict[URIRef, str],
    country_names: dict[URIRef, list[str]],
    rules: LinkRules,
) -> tuple[float, str]:
    """+W_OFFICE when a position held at the article's date confirms an office we extracted."""
    if not entity.holdings or not candidate.positions:
        return 0.0, ""
    date_contradicted = False
    for holding in entity.holdings:
        ours, our_modifier = _role_groups(holding.role, rules)
        if not ours:
            continue
        for position in candidate.positions:
            text = " ".join(position.labels)
            theirs, their_modifier = _role_groups(text, rules)
            if not (ours & theirs) or our_modifier != their_modifier:
                continue
            if holding.country is not None:
                qid = country_qids.get(holding.country)
                names = [plain_words(n) for n in country_names.get(holding.country, [])]
                by_item = qid is not None and qid in position.countries
                by_name = any(n and f" {n} " in f" {plain_words(text)} " for n in names)
                if not (by_item or by_name):
                    continue
            when = holding.attested
            if when is None:
                return W_OFFICE, "office"
            started = position.start is None or position.start <= when
            ongoing = position.end is None or when <= position.end
            if started and (ongoing or holding.former):
                return W_OFFICE, "office@date"
            date_contradicted = True
    if date_contradicted:
        return P_OFFICE_DATE, "office-date-contradicted"
    # The candidate held posts, none of them ours: a namesake.
    return P_OFFICE, "office-mismatch"


def _country_evidence(
    entity: EntityInfo, candidate: Candidate, country_qids: dict[URIRef, str], rules: LinkRules
) -> tuple[float, str]:
    if entity.kind == "country":
        return W_COUNTRY, "self"
    ours = {country_qids[c] for c in entity.countries if c in country_qids}
    if ours and candidate.countries:
        return (W_COUNTRY, "country") if ours & candidate.countries else (P_COUNTRY, "country-mismatch")
    international = candidate.classes & rules.international_classes
    if entity.kind == "institution" and international and not entity.countries and not candidate.countries:
        return W_COUNTRY, "international"
    return 0.0, ""


def score_candidate(
    entity: EntityInfo,
    candidate: Candidate,
    rules: LinkRules,
    country_qids: dict[URIRef, str] | None = None,
    country_names: dict[URIRef, list[str]] | None = None,
) -> tuple[float, str, str]:
    """(score, method, reason) of one candidate for one entity; method lists the evidence used."""
    country_qids = country_qids or {}
    country_names = country_names or {}
    if not candidate.classes & rules.classes_of_kind.get(entity.kind, frozenset()):
        return 0.0, "type-mismatch", f"{candidate.qid} is not a {entity.kind}"
    names = [n for n in (names_of(entity, rules)) if n]
    theirs = [name_skeleton(label) for label in candidate.labels]
    label = max((name_similarity(name_skeleton(n), t) for n in names for t in theirs), default=0.0)
    parts = ["label"]
    score = W_LABEL * label + W_TYPE
    parts.append("type")
    for value, part in (
        _country_evidence(entity, candidate, country_qids, rules),
        _office_evidence(entity, candidate, country_qids, country_names, rules)
        if entity.kind == "person"
        else (0.0, ""),
    ):
        score += value
        if part:
            parts.append(part)
    score = round(min(1.0, max(0.0, score)), 3)
    return score, "+".join(parts), f"name similarity {label:.2f}"


def names_of(entity: EntityInfo, rules: LinkRules) -> list[str]:
    """Names to match: people by their names without titles (never a bare surname)."""
    if entity.kind != "person":
        return list(entity.labels)
    names = []
    for label in entity.labels:
        name = strip_titles(label, rules)
        if len(name.split()) >= 2:
            names.append(name)
    return names
