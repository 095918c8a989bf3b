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

Beside these micro figures (every fact counted once over the whole set, so a ten-person meeting's
45 pairs weigh as much as 45 two-person meetings), the per-article mean of the pair and dated-pair
F1: the F1 of each article, averaged. The articles are every document of the store and every
document the gold file names (one the store lacks scores 0 where the gold has pairs). An article
with no gold pair and no predicted pair scores 1.0 (nothing to find, nothing invented); one with
gold pairs and no prediction, or predictions and no gold pair, scores 0.

``--details`` lists what is missed and what is spurious, grouped by error class (ERROR_CLASSES):
the class says where in the chain the fact was lost (the person was not found in the article,
found but not a participant, the meeting was missed, the date was wrong ...).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from kg.common.names import ascii_words
from kg.evaluate.gold import load_gold
from kg.sparql.local import run_query
from kg.vocab import CANONICAL_GRAPH

METRICS = ("persons", "offices", "pairs", "pairs_dated")
# Metrics also given as a per-article mean (see the module's docstring).
MEAN_METRICS = ("pairs", "pairs_dated")

# The error classes --details groups by, per metric, in the order they are tested: the first that
# fits a missed or spurious fact is its class.
ERROR_CLASSES = {
    "persons": {
        "missed": ("person missed",),
        "spurious": ("split entity (second resource for a gold person)", "not a gold person"),
    },
    "offices": {
        "missed": (
            "person missed (not found in the article)",
            "no office for the person",
            "role mismatch",
            "country/institution mismatch",
        ),
        "spurious": (
            "person not in gold",
            "role mismatch",
            "country/institution mismatch",
            "spurious office",
        ),
    },
    "pairs": {
        "missed": (
            "person not found (in the article)",
            "person found but not a participant",
            "event missed (both participants, never of one event)",
        ),
        "spurious": (
            "spurious non-person participant (not a gold person)",
            "no such meeting in gold",
        ),
    },
    "pairs_dated": {
        "missed": (
            "person not found (in the article)",
            "person found but not a participant",
            "event missed (both participants, never of one event)",
            "wrong date",
            "undated",
        ),
        "spurious": (
            "spurious non-person participant (not a gold person)",
            "no such meeting in gold",
            "wrong date",
            "dated where gold has no date",
        ),
    },
}


def norm(text: str | None) -> str:
    words = ascii_words(text or "").split()
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
    # metric -> "missed"/"spurious" -> error class -> items (ERROR_CLASSES)
    classes: dict[str, dict[str, dict[str, list[str]]]] = field(
        default_factory=lambda: {
            m: {"missed": defaultdict(list), "spurious": defaultdict(list)} for m in METRICS
        }
    )
    # Every article the mean runs over: the store's documents and the gold file's.
    articles: set[str] = field(default_factory=set)

    def count(self, metric: str, doc: str | None, kind: str, item: str, error: str | None = None) -> None:
        targets = [self.scores[metric]]
        if doc is not None:
            targets.append(self._doc_scores(doc)[metric])
        for score in targets:
            setattr(score, kind, getattr(score, kind) + 1)
        if kind == "fn":
            self.missed[metric].append(item)
            self.classes[metric]["missed"][error or "missed"].append(item)
        elif kind == "fp":
            self.spurious[metric].append(item)
            self.classes[metric]["spurious"][error or "spurious"].append(item)

    def _doc_scores(self, doc: str) -> dict[str, Score]:
        return self.per_doc.setdefault(doc, {m: Score() for m in METRICS})

    def mean_f1(self, metric: str) -> float:
        """The per-article mean F1 of ``metric``: an article with nothing to find and nothing
        predicted scores 1.0 (Score gives P = R = 1.0 with no counts)."""
        docs = self.articles | set(self.per_doc)
        if not docs:
            return 1.0
        return sum(self.per_doc[d][metric].f1 if d in self.per_doc else 1.0 for d in docs) / len(docs)


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


def _store_articles(store, gold_docs: set[str]) -> dict[str, set[str]]:
    """Every document of the store by its gold id (or file stem), with the spellings of the persons
    graph/canonical says it reports."""
    rows = store.select(
        f"""SELECT ?id ?label WHERE {{ GRAPH {CANONICAL_GRAPH.n3()} {{
             ?doc a dkg:Document ; dcterms:identifier ?id .
             OPTIONAL {{ ?p a dkg:Person ; dkg:reportedIn ?doc ; rdfs:label|skos:altLabel ?label }} }} }}"""
    )
    found: dict[str, set[str]] = {}
    for ident, label in rows:
        names = found.setdefault(_doc_id(str(ident), gold_docs), set())
        if label is not None:
            names.add(str(label))
    return found


def evaluate(gold_path: Path, store) -> EvalReport:
    gold = load_gold(gold_path)  # GoldError, one line per problem, before anything is scored
    report = EvalReport()
    persons = GoldNames(gold.get("persons", []))
    institutions = GoldNames(gold.get("institutions", []))
    gold_docs = {d for o in gold.get("offices", []) for d in o["docs"]} | {
        d for e in gold.get("events", []) for d in e["docs"]
    }
    in_store = _store_articles(store, gold_docs)
    report.articles = set(in_store) | gold_docs
    # The gold persons each article names (any spelling of theirs), for the error classes.
    named = {doc: {n for n in map(persons.match, labels) if n} for doc, labels in in_store.items()}
    person_of: dict[str, str | None] = {}
    _score_persons(report, persons, _rows(store, "persons"), person_of)
    _score_offices(report, gold, persons, institutions, _rows(store, "offices"), gold_docs, named)
    _score_pairs(report, gold, persons, _rows(store, "meetings"), gold_docs, named)
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
        elif name:
            report.count(
                "persons",
                None,
                "fp",
                f"{row['person']} (second resource for {name})",
                "split entity (second resource for a gold person)",
            )
        else:
            report.count("persons", None, "fp", row["person"], "not a gold person")
    for name in sorted(set(persons.index.values()) - matched):
        report.count("persons", None, "fn", name, "person missed")


def _role_ok(role: str | None, office: str | None, entry: dict) -> bool:
    wanted = {norm(entry["role"]), *(norm(r) for r in entry.get("role_aliases", []))}
    return norm(role) in wanted or norm(office) in wanted


def _same_institution(institutions: GoldNames, predicted: str | None, gold: str) -> bool:
    """Both spellings lead to the same gold institution, or are the same words when the gold file
    does not list them (before: two different institutions unknown to the list both matched None
    and counted as the same)."""
    return (institutions.match(predicted) or norm(predicted)) == (institutions.match(gold) or norm(gold))


def _place_ok(institutions: GoldNames, institution: str | None, country: str | None, entry: dict) -> bool:
    if entry.get("institution"):
        return _same_institution(institutions, institution, entry["institution"])
    return norm(country) == norm(entry.get("country"))


def _score_offices(report, gold, persons, institutions, rows, gold_docs, named) -> None:
    entries = gold.get("offices", [])
    predicted = set()
    for row in rows:
        doc = _doc_id(row["source"] or "", gold_docs)
        key = (doc, row["person"], row["role"], row["office"], row["institution"], row["country"])
        predicted.add(key)
    used: set[tuple[str, int]] = set()
    rows_of: dict[tuple[str, str | None], list[tuple]] = defaultdict(list)
    for doc, person, role, office, institution, country in sorted(predicted, key=str):
        name = persons.match(person)
        rows_of[(doc, name)].append((role, office, institution, country))
        hit = None
        for i, entry in enumerate(entries):
            if (doc, i) in used or entry["person"] != name or doc not in entry["docs"]:
                continue
            if not _role_ok(role, office, entry):
                continue
            if not _place_ok(institutions, institution, country, entry):
                continue
            hit = i
            break
        label = f"{doc}: {person} — {office or role}"
        if hit is None:
            mine = [e for e in entries if e["person"] == name and doc in e["docs"]]
            if name is None:
                error = "person not in gold"
            elif any(_role_ok(role, office, e) for e in mine):
                error = "country/institution mismatch"
            elif mine:
                error = "role mismatch"
            else:
                error = "spurious office"
            report.count("offices", doc, "fp", label, error)
        else:
            used.add((doc, hit))
            report.count("offices", doc, "tp", label)
    for i, entry in enumerate(entries):
        for doc in entry["docs"]:
            if (doc, i) in used:
                continue
            where = entry.get("institution") or entry.get("country")
            theirs = rows_of.get((doc, entry["person"]), [])
            if entry["person"] not in named.get(doc, ()):
                error = "person missed (not found in the article)"
            elif not theirs:
                error = "no office for the person"
            elif any(_role_ok(role, office, entry) for role, office, _, _ in theirs):
                error = "country/institution mismatch"
            else:
                error = "role mismatch"
            report.count("offices", doc, "fn", f"{doc}: {entry['person']} — {entry['role']} ({where})", error)


def _truncate(date: str, precision: str | None) -> str:
    return {"year": date[:4], "month": date[:7]}.get(precision or "day", date)


def _date_fits(predicted: str, gold: str) -> bool:
    """A predicted date fits a gold date when it starts with the gold date truncated to its
    precision; an undated gold pair is met only by an undated prediction (before, only by a dated
    one: a date the text does not give was rewarded and the right answer, none, was not)."""
    return predicted.startswith(gold) if gold and predicted else not gold and not predicted


def _score_pairs(report, gold, persons, rows, gold_docs, named) -> None:
    events: dict[tuple[str, str], dict] = {}
    for row in rows:
        doc = _doc_id(row["source"] or "", gold_docs)
        entry = events.setdefault((row["event"], doc), {"people": set(), "date": row["date"]})
        entry["people"].add(persons.match(row["participant"]) or row["participant"])
    gold_names = set(persons.index.values())
    predicted: set[tuple[str, frozenset]] = set()
    predicted_dated: set[tuple[str, frozenset, str]] = set()
    participants: dict[str, set[str]] = defaultdict(set)
    for (_event, doc), entry in events.items():
        participants[doc] |= entry["people"]
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
    dates_of: dict[tuple[str, frozenset], set[str]] = defaultdict(set)
    for doc, pair, date in predicted_dated:
        dates_of[(doc, pair)].add(date)
    gold_dates: dict[tuple[str, frozenset], set[str]] = defaultdict(set)
    for doc, pair, date in wanted_dated:
        gold_dates[(doc, pair)].add(date)

    def missed(item: tuple, dated: bool) -> str:
        doc, pair = item[0], item[1]
        if not pair <= named.get(doc, set()):
            return "person not found (in the article)"
        if not pair <= participants.get(doc, set()):
            return "person found but not a participant"
        if (doc, pair) not in predicted:
            return "event missed (both participants, never of one event)"
        return "wrong date" if dated and any(dates_of[(doc, pair)]) else "undated"

    def spurious(item: tuple, dated: bool) -> str:
        doc, pair = item[0], item[1]
        if not pair <= gold_names:
            return "spurious non-person participant (not a gold person)"
        if (doc, pair) not in wanted:
            return "no such meeting in gold"
        if not dated:
            return "no such meeting in gold"
        if not item[2]:
            return "undated"
        return "dated where gold has no date" if gold_dates[(doc, pair)] == {""} else "wrong date"

    _match_sets(report, "pairs", predicted, wanted, lambda p, g: p == g, missed, spurious)
    _match_sets(
        report,
        "pairs_dated",
        predicted_dated,
        wanted_dated,
        lambda p, g: p[:2] == g[:2] and _date_fits(p[2], g[2]),
        missed,
        spurious,
    )


def _match_sets(report, metric, predicted, wanted, same, missed, spurious) -> None:
    """One-to-one matching of predicted to gold tuples (sets are small: a quadratic scan is fine).
    A prediction takes the most precise gold tuple it fits (a day-dated pair fits its day and its
    month: it takes the day, and leaves the month to a month-dated prediction)."""
    free = set(wanted)
    dated = metric == "pairs_dated"
    for p in sorted(predicted, key=_stable):
        fits = [g for g in free if same(p, g)]
        hit = max(fits, key=lambda g: (len(g[2]) if dated else 0, _stable(g))) if fits else None
        label = _pair_label(p)
        if hit is None:
            report.count(metric, p[0], "fp", label, spurious(p, dated))
        else:
            free.discard(hit)
            report.count(metric, p[0], "tp", label)
    for g in sorted(free, key=_stable):
        report.count(metric, g[0], "fn", _pair_label(g), missed(g, dated))


def _stable(item: tuple) -> tuple:
    """A sort key with the pair's names in order: ``str`` of a frozenset follows string hashes,
    which change from run to run, and so would the matching and the order of --details."""
    return tuple(tuple(sorted(x)) if isinstance(x, frozenset) else x for x in item)


def _pair_label(item: tuple) -> str:
    doc, pair = item[0], " & ".join(sorted(item[1]))
    return f"{doc}: {pair}" + (f" on {item[2] or '?'}" if len(item) > 2 else "")


def format_report(report: EvalReport, details: bool = True) -> str:
    lines = [f"{'metric':<12} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn   mean F1"]
    for metric, s in report.scores.items():
        mean = f"{report.mean_f1(metric):8.3f}" if metric in MEAN_METRICS else f"{'':>8}"
        lines.append(
            f"{metric:<12} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}  "
            f"{s.tp:3d} {s.fp:3d} {s.fn:3d}  {mean}"
        )
    articles = len(report.articles | set(report.per_doc))
    lines.append(
        f"P, R, F1: micro, every fact counted once over the whole set. mean F1: the mean of the {articles} "
        "articles' F1 (an article with no gold and no predicted pair counts 1.0, one with either "
        "side empty 0)."
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
        for metric in METRICS:
            for kind in ("missed", "spurious"):
                groups = report.classes[metric][kind]
                order = [c for c in ERROR_CLASSES[metric][kind] if c in groups]
                order += sorted(set(groups) - set(order))
                for error in order:
                    lines.append("")
                    lines.append(f"{kind} {metric}: {error} ({len(groups[error])})")
                    lines += [f"  {item}" for item in groups[error]]
    return "\n".join(lines) + "\n"


def class_counts(report: EvalReport) -> dict[str, dict[str, dict[str, int]]]:
    """metric -> missed/spurious -> error class -> how many (the summary of --details)."""
    return {
        metric: {
            kind: {error: len(items) for error, items in groups.items()} for kind, groups in kinds.items()
        }
        for metric, kinds in report.classes.items()
    }
