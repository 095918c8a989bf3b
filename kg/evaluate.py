"""`kg eval GOLD.json`: precision, recall and F1 of the built graph against hand-made annotations.

Reads the gold format of shared/gold/seeds.json as it is (persons with aliases; offices with role,
role_aliases, institution, country and docs; events with docs, participants, date and
date_precision) and scores what the saved queries answer, the same rows a user or an evaluation
harness sees:

- persons: one predicted person per resource (`persons` query), matched to a gold person when its
  canonical label or one of its aliases is the gold name or a gold alias. A second resource for the
  same gold person counts as spurious (a missed merge).
- offices: (document, person, office) from the `offices` query; the role must be the gold role or one
  of its role_aliases, and the institution (when gold names one) or else the country must agree.
- meeting pairs: every unordered pair of participants of an event, per reporting document, from the
  `meetings` query; dated pairs also need the date, compared at the gold date's precision.
Documents are matched by the gold id being the prefix of the file stem ("000" ~ "000_0cf0…").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from anyascii import anyascii

from kg.gold import load_gold
from kg.queries import run_query

METRICS = ("persons", "offices", "pairs", "pairs_dated")


def norm(text: str | None) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", anyascii(text or "").lower()).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvalReport:
    scores: dict[str, Score] = field(default_factory=lambda: {m: Score() for m in METRICS})
    per_doc: dict[str, dict[str, Score]] = field(default_factory=dict)
    missed: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    spurious: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def count(self, metric: str, doc: str | None, kind: str, item: str) -> None:
        targets = [self.scores[metric]]
        if doc is not None:
            targets.append(self.per_doc.setdefault(doc, {m: Score() for m in METRICS})[metric])
        for score in targets:
            setattr(score, kind, getattr(score, kind) + 1)
        if kind == "fn":
            self.missed[metric].append(item)
        elif kind == "fp":
            self.spurious[metric].append(item)


class GoldNames:
    """Maps any spelling a gold file lists to its canonical gold name."""

    def __init__(self, entries: list[dict], name_key: str = "name") -> None:
        self.index: dict[str, str] = {}
        for entry in entries:
            for spelling in [entry[name_key], *entry.get("aliases", [])]:
                self.index.setdefault(norm(spelling), entry[name_key])

    def match(self, *spellings: str | None) -> str | None:
        for spelling in spellings:
            if spelling and norm(spelling) in self.index:
                return self.index[norm(spelling)]
        return None


def _doc_id(source: str, gold_docs: set[str]) -> str:
    for doc in gold_docs:
        if source == doc or source.startswith(doc + "_") or source.startswith(doc + "-"):
            return doc
    return source


def _rows(store, name: str) -> list[dict[str, str | None]]:
    result = run_query(store, name)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def evaluate(gold_path: Path, store) -> EvalReport:
    gold = load_gold(gold_path)  # GoldError, one line per problem, before anything is scored
    report = EvalReport()
    persons = GoldNames(gold.get("persons", []))
    institutions = GoldNames(gold.get("institutions", []))
    gold_docs = {d for o in gold.get("offices", []) for d in o["docs"]} | {
        d for e in gold.get("events", []) for d in e["docs"]
    }
    person_of: dict[str, str | None] = {}
    _score_persons(report, persons, _rows(store, "persons"), person_of)
    _score_offices(report, gold, persons, institutions, _rows(store, "offices"), gold_docs)
    _score_pairs(report, gold, persons, _rows(store, "meetings"), gold_docs)
    return report


def _score_persons(report: EvalReport, persons: GoldNames, rows: list[dict], person_of: dict) -> None:
    matched: set[str] = set()
    for row in rows:
        aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
        name = persons.match(row["person"]) or persons.match(*aliases)
        person_of[row["person"]] = name
        if name and name not in matched:
            matched.add(name)
            report.count("persons", None, "tp", name)
        else:
            report.count(
                "persons", None, "fp", row["person"] + (f" (second resource for {name})" if name else "")
            )
    for name in sorted(set(persons.index.values()) - matched):
        report.count("persons", None, "fn", name)


def _role_ok(role: str | None, office: str | None, entry: dict) -> bool:
    wanted = {norm(entry["role"]), *(norm(r) for r in entry.get("role_aliases", []))}
    return norm(role) in wanted or norm(office) in wanted


def _score_offices(report, gold, persons, institutions, rows, gold_docs) -> None:
    entries = gold.get("offices", [])
    predicted = set()
    for row in rows:
        doc = _doc_id(row["source"] or "", gold_docs)
        key = (doc, row["person"], row["role"], row["office"], row["institution"], row["country"])
        predicted.add(key)
    used: set[tuple[str, int]] = set()
    for doc, person, role, office, institution, country in sorted(predicted, key=str):
        name = persons.match(person)
        hit = None
        for i, entry in enumerate(entries):
            if (doc, i) in used or entry["person"] != name or doc not in entry["docs"]:
                continue
            if not _role_ok(role, office, entry):
                continue
            if entry.get("institution"):
                if institutions.match(institution) != institutions.match(entry["institution"]):
                    continue
            elif norm(country) != norm(entry.get("country")):
                continue
            hit = i
            break
        label = f"{doc}: {person} — {office or role}"
        if hit is None:
            report.count("offices", doc, "fp", label)
        else:
            used.add((doc, hit))
            report.count("offices", doc, "tp", label)
    for i, entry in enumerate(entries):
        for doc in entry["docs"]:
            if (doc, i) not in used:
                where = entry.get("institution") or entry.get("country")
                report.count("offices", doc, "fn", f"{doc}: {entry['person']} — {entry['role']} ({where})")


def _truncate(date: str, precision: str | None) -> str:
    return {"year": date[:4], "month": date[:7]}.get(precision or "day", date)


def _score_pairs(report, gold, persons, rows, gold_docs) -> None:
    events: dict[tuple[str, str], dict] = {}
    for row in rows:
        doc = _doc_id(row["source"] or "", gold_docs)
        entry = events.setdefault((row["event"], doc), {"people": set(), "date": row["date"]})
        entry["people"].add(persons.match(row["participant"]) or row["participant"])
    predicted: set[tuple[str, frozenset]] = set()
    predicted_dated: set[tuple[str, frozenset, str]] = set()
    for (_event, doc), entry in events.items():
        for a, b in combinations(sorted(entry["people"]), 2):
            predicted.add((doc, frozenset((a, b))))
            predicted_dated.add((doc, frozenset((a, b)), entry["date"] or ""))
    wanted: set[tuple[str, frozenset]] = set()
    wanted_dated: set[tuple[str, frozenset, str]] = set()
    for event in gold.get("events", []):
        date = _truncate(event["date"], event.get("date_precision")) if event.get("date") else ""
        for doc in event["docs"]:
            for a, b in combinations(sorted(set(event["participants"])), 2):
                wanted.add((doc, frozenset((a, b))))
                wanted_dated.add((doc, frozenset((a, b)), date))
    _match_sets(report, "pairs", predicted, wanted, lambda p, g: p == g)
    _match_sets(
        report,
        "pairs_dated",
        predicted_dated,
        wanted_dated,
        lambda p, g: p[:2] == g[:2] and bool(p[2]) and p[2].startswith(g[2]),
    )


def _match_sets(report, metric, predicted, wanted, same) -> None:
    """One-to-one matching of predicted to gold tuples (sets are small: a quadratic scan is fine)."""
    free = set(wanted)
    for p in sorted(predicted, key=str):
        hit = next((g for g in sorted(free, key=str) if same(p, g)), None)
        label = _pair_label(p)
        if hit is None:
            report.count(metric, p[0], "fp", label)
        else:
            free.discard(hit)
            report.count(metric, p[0], "tp", label)
    for g in sorted(free, key=str):
        report.count(metric, g[0], "fn", _pair_label(g))


def _pair_label(item: tuple) -> str:
    doc, pair = item[0], " & ".join(sorted(item[1]))
    return f"{doc}: {pair}" + (f" on {item[2] or '?'}" if len(item) > 2 else "")


def format_report(report: EvalReport, details: bool = True) -> str:
    lines = [f"{'metric':<12} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
    for metric, s in report.scores.items():
        lines.append(
            f"{metric:<12} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}  {s.tp:3d} {s.fp:3d} {s.fn:3d}"
        )
    lines.append("")
    lines.append("per document (F1): " + "  ".join(m for m in METRICS if m != "persons"))
    for doc in sorted(report.per_doc):
        cells = "  ".join(
            f"{report.per_doc[doc][m].f1:.2f} ({report.per_doc[doc][m].tp}/{report.per_doc[doc][m].fp}/"
            f"{report.per_doc[doc][m].fn})"
            for m in METRICS
            if m != "persons"
        )
        lines.append(f"  {doc}: {cells}")
    if details:
        for title, items in (("missed", report.missed), ("spurious", report.spurious)):
            for metric in METRICS:
                for item in items.get(metric, []):
                    lines.append(f"{title} {metric}: {item}")
    return "\n".join(lines) + "\n"
