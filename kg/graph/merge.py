"""Across articles: one person under variant spellings, one event reported by several articles.

Each article's graph depends on that article alone (kg_resolve and kg_events work within one
article). Which article-level persons and events are the same is decided here, as a function of
the set of documents in the store, never of the order they came in, the chunks or the workers:

- **Persons.** Two full names are one person when every word of one is a spelling of the word of
  the other (rapidfuzz ratio >= 88, as many words) or one name's words are a subset of the other's
  with the same surname; a surname alone ("President Takeda") joins the one full-name person of a
  close surname (ratio >= 92) that holds the office it carries (any, when it carries none), and
  stays apart when two fit. Only names whose surnames begin with the same two letters are compared
  (the *block*): a change to the store recomputes the blocks of the names it adds or drops. A
  person (a group, or a name alone) is named after the slug of the label graph/canonical prefers
  for it, the spelling most articles give (``name_persons``): an article-level IRI is a folded key
  (kasimbek-ospanov), the canonical IRI the name shown (kassymbek-ospanov).
- **Events.** Dated events of one family are the same occasion when their dates are compatible and
  their participants the same (on one day, also when one report names more of them, two at least);
  events are grouped by day, then month- and year-dated ones join the one group they fit
  (``group_events``). A group only depends on the events linked to it, so a change recomputes the
  connected events of the ones it touches.

The store keeps article graphs as extracted; graph/merge records the decisions: ``?local
dkg:mergedInto ?target`` for every member of a group of two or more and every person alone whose
canonical IRI is not its own (the target is the slug of the person's preferred label, or the event
key of the merged event), and ``?person
dkg:mergeBlock "ab"`` for every person in the store. graph/canonical is the article graphs seen
through these links (kg/graph/canonical.py ``contribution``), plus, for a merged event, its one type,
date, CAMEO code and label (``override_triples``). A write marks the persons and events it adds or
drops (``dkg:mergePending``); ``settle`` decides them again and rewrites graph/canonical for the
articles whose persons or events change target, in one transaction. A build killed in between
leaves the marks, and the next write settles them.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from rdflib import Literal, URIRef

from kg.graph.canonical import winner
from kg.graph.rdf import _date_triple, entity_iri, event_iri
from kg.nlp.events.keys import FAMILIES, MIXED_TYPE_ORDER, VISIT_TYPES, event_key
from kg.nlp.facts import EVENT_TYPES, DocFacts, Entity, Event, Evidence, OfficeHolding
from kg.nlp.resolve import _SAME_NAME, _key_words
from kg.read.dates import compatible, more_precise, precision
from kg.vocab import CANONICAL_GRAPH, DKG, GRAPH, ID, MERGE_GRAPH, RDF, RDFS, SKOS

_SAME_SURNAME = 92  # rapidfuzz ratio of a surname alone to a full name's surname
PERSON_PREFIX = str(ID["person/"])
EVENT_PREFIX = str(ID["event/"])
# The properties of an event that a merged event has once, the group's (override_triples).
OVERRIDDEN = frozenset(map(str, (DKG.date, DKG.month, DKG.year, DKG.cameoCode, RDFS.label)))
EVENT_CLASSES = frozenset(str(DKG[t]) for t in EVENT_TYPES)
_ARTICLE_FILTER = (
    f'STRSTARTS(STR(?g), "{GRAPH}") && STRLEN(STR(?g)) = {len(str(GRAPH)) + 16}'  # graph/<16 hex>
)


# ---------------------------------------------------------------------------------------------
# Persons


def person_block(key: str) -> str:
    """The first two letters of the surname: only persons of one block are compared."""
    words = _key_words(key)
    return words[-1][:2] if words else ""


def _office_fits(a: tuple, b: tuple) -> bool:
    role_a, inst_a, country_a = a
    role_b, inst_b, country_b = b
    return role_a == role_b and inst_a in (None, inst_b) and country_a in (None, country_b)


Offices = Callable[[set[str]], dict[str, set[tuple]]]


def group_persons(keys: Iterable[str], offices: Offices | dict[str, set[tuple]]) -> dict[str, str]:
    """Person key -> the key of its group, for every key in a group of two or more.

    ``offices`` gives (role, institution, country) per key: a dict, or a function asked only for
    the keys a surname alone may join (reading every holding of a block is costly). A group is
    keyed by its first full name in key order; ``name_persons`` gives it its IRI. Independent of
    the order of the keys.
    """
    if isinstance(offices, dict):
        table = offices
        offices = lambda wanted: {k: table.get(k, set()) for k in wanted}  # noqa: E731
    by_block: dict[str, list[str]] = {}
    for key in sorted(set(keys)):
        by_block.setdefault(person_block(key), []).append(key)
    targets: dict[str, str] = {}
    for block in by_block.values():
        targets |= _group_block(block, offices)
    return targets


def _group_block(keys: list[str], offices: Offices) -> dict[str, str]:
    parent = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    full = [k for k in keys if len(_key_words(k)) > 1]
    for i, a in enumerate(full):
        for b in full[i + 1 :]:
            wa, wb = _key_words(a), _key_words(b)
            if (
                len(wa) == len(wb)
                and all(fuzz.ratio(x, y) >= _SAME_NAME for x, y in zip(wa, wb, strict=True))
            ) or (wa[-1] == wb[-1] and (set(wa) < set(wb) or set(wb) < set(wa))):
                union(a, b)
    # "S Venkatesan" (an initial for a given name) joins the one full name of the block it fits,
    # under the same office check as a surname alone.
    shortened = [k for k in full if not is_full_name(k)]
    for s in shortened:
        cands = sorted({find(k) for k in full if k not in shortened and _initials_fit(s, k)})
        _join_unique(s, cands, full, offices, find, union)
    for s in (k for k in keys if len(_key_words(k)) == 1):
        word = _key_words(s)[0]
        cands = sorted({find(k) for k in full if fuzz.ratio(_key_words(k)[-1], word) >= _SAME_SURNAME})
        _join_unique(s, cands, full, offices, find, union)
    groups: dict[str, list[str]] = {}
    for k in keys:
        groups.setdefault(find(k), []).append(k)
    targets: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        named = voters(members)
        best = min(named)
        for k in members:
            targets[k] = best
    return targets


def voters(members: list, key: Callable[[Any], str] = str) -> list:
    """The members whose names vote for a person's label: its full names, or all when it has none."""
    return [m for m in members if is_full_name(key(m))] or members


def is_full_name(key: str) -> bool:
    """A name that votes for the person's label: given names and a surname, no initial among them
    ('sunil-venkatesan', not 's-venkatesan' nor 'venkatesan', which are other names of it)."""
    words = _key_words(key)
    return len(words) > 1 and all(len(w) > 1 for w in words[:-1])


def _initials_fit(short: str, full: str) -> bool:
    """'s-venkatesan' fits 'sunil-venkatesan': word for word, an initial is the first letter of
    the other's word (which is no initial itself) and every other word is the same name."""
    ws, wf = _key_words(short), _key_words(full)
    if len(ws) != len(wf) or fuzz.ratio(ws[-1], wf[-1]) < _SAME_NAME:
        return False
    return all(
        (len(a) == 1 and len(b) > 1 and b.startswith(a)) or (len(a) > 1 and fuzz.ratio(a, b) >= _SAME_NAME)
        for a, b in zip(ws[:-1], wf[:-1], strict=True)
    )


def _join_unique(
    s: str,
    cands: list[str],
    full: list[str],
    offices: Offices,
    find: Callable[[str], str],
    union: Callable[[str, str], None],
) -> None:
    """Join ``s`` to the one group of ``cands`` whose offices fit its own (any, if it has none)."""
    if not cands:
        return
    offices_of = offices({s, *(k for k in full if find(k) in cands)})
    if offices_of.get(s):
        cands = [
            c
            for c in cands
            if any(
                _office_fits(o, po)
                for o in offices_of[s]
                for k in full
                if find(k) == c
                for po in offices_of.get(k, ())
            )
        ]
    if len(cands) == 1:
        union(s, cands[0])


Said = dict  # local person IRI -> the (article id, rdfs:label) pairs of its article graphs


def name_persons(persons: Iterable[URIRef], groups: dict[str, str], said: Said) -> dict[URIRef, URIRef]:
    """Local (article-level) person IRI -> the IRI graph/canonical gives it: the slug of the label
    graph/canonical will prefer for its person (``canonical.winner`` over the same votes), so that
    an IRI never drifts from the name shown (a local IRI is a folded key: kasimbek-ospanov for
    "Kassymbek Ospanov"). Every member of a group of two or more is listed, and a person alone
    whose slug is not its local IRI.

    A person is ``groups``' group (key -> group key) or the local alone. Its votes are what
    graph/canonical counts: each label once per article that gives it, from its full names only
    when it has one (a surname alone or initials that joined a full name are altLabels, ``contribution``).
    A function of each person's own members and labels, never of the order the articles came in
    nor of which blocks a settling decides. One name, one IRI: two persons whose preferred labels
    have one slug are one person in graph/canonical, as two spellings with one key already are in
    an article (the merge keeps apart persons of one surname, never of one name).
    """
    units: dict[str, list[URIRef]] = {}
    for p in sorted(set(persons)):
        units.setdefault(groups.get(key_of(p), key_of(p)), []).append(p)
    targets: dict[URIRef, URIRef] = {}
    for unit, members in units.items():
        pairs = {pair for m in voters(members, key_of) for pair in said.get(m, ())}
        best = winner(Counter(label for _, label in pairs))
        target = entity_iri(f"person:{best}") if best else person_iri(unit)
        if len(members) > 1 or target != members[0]:
            targets |= dict.fromkeys(members, target)
    return targets


def resolve_across(batch: list[DocFacts]) -> None:
    """Merge persons across the articles of ``batch`` in place (group_persons), each article's
    entities, holdings and participants renamed to their group's key. Order-independent."""
    docs_of: dict[str, set[str]] = {}
    offices_of: dict[str, set[tuple]] = {}
    labels: dict[str, Counter] = {}
    for facts in batch:
        for e in facts.entities:
            if e.kind == "person":
                docs_of.setdefault(e.key, set()).add(facts.article.id)
                labels.setdefault(e.key, Counter())[e.label] += 1
        for h in facts.office_holdings:
            o = h.office
            offices_of.setdefault(h.person, set()).add((o.role, o.institution, o.country))
    rename = group_persons(docs_of, offices_of)
    canonical_label: dict[str, str] = {}
    for best in set(rename.values()):
        named = [k for k, t in rename.items() if t == best and is_full_name(k)] or [best]
        spellings: Counter = Counter()
        for k in named:
            spellings.update(labels[k])
        canonical_label[best] = winner(spellings) or best
    for facts in batch:
        _rewrite(facts, rename, canonical_label)


def _rewrite(facts: DocFacts, rename: dict[str, str], canonical_label: dict[str, str]) -> None:
    merged: dict[str, Entity] = {}
    order: list[str] = []
    for e in facts.entities:
        if e.kind != "person" or (rename.get(e.key, e.key) == e.key and e.key not in canonical_label):
            merged.setdefault(e.key, e)
            if e.key not in order:
                order.append(e.key)
            continue
        new = rename.get(e.key, e.key)
        label = e.label
        if len(label.split()) < 2 and new in canonical_label:
            label = canonical_label[new]
        aliases = set(e.aliases) | ({e.label} - {label})
        if new in merged:
            target = merged[new]
            aliases |= set(target.aliases) | ({target.label} - {target.label})
            if len(label.split()) > len(target.label.split()):
                aliases.add(target.label)
                target.label = label
            target.aliases = sorted(aliases - {target.label})
            target.evidence += e.evidence
            target.country = target.country or e.country
        else:
            merged[new] = Entity(
                key=new,
                kind=e.kind,
                label=label,
                aliases=sorted(aliases - {label}),
                country=e.country,
                subtype=e.subtype,
                evidence=list(e.evidence),
            )
            order.append(new)
    facts.entities = [merged[k] for k in order]
    holdings: dict[tuple, OfficeHolding] = {}
    for h in facts.office_holdings:
        h.person = rename.get(h.person, h.person)
        key = (h.person, h.office.key, h.former)
        if key in holdings:
            holdings[key].evidence += h.evidence
        else:
            holdings[key] = h
    facts.office_holdings = list(holdings.values())
    for ev in facts.events:
        seen: list[str] = []
        for p in ev.participants:
            p = rename.get(p, p)
            if p not in seen:
                seen.append(p)
        ev.participants = seen


# ---------------------------------------------------------------------------------------------
# Events


def _family(event: Event) -> str:
    if event.type in VISIT_TYPES:
        return "encounter" if (event.place or "").startswith("institution:") else "visit"
    return FAMILIES.get(event.type, "encounter")


def _type_rank(event_type: str) -> int:
    order = (*VISIT_TYPES, *MIXED_TYPE_ORDER)
    return order.index(event_type) if event_type in order else len(order)


def _same_occasion(a: Event, b: Event) -> bool:
    if _family(a) != _family(b) or not a.date or not b.date or not compatible(a.date, b.date):
        return False
    if _family(a) == "visit" and a.host_country and b.host_country and a.host_country != b.host_country:
        return False
    pa, pb = set(a.participants), set(b.participants)
    if pa == pb:
        return True
    # Two reports of the same day may name more or fewer of the people who were there.
    both_days = precision(a.date) == precision(b.date) == "day"
    return both_days and min(len(pa), len(pb)) >= 2 and (pa <= pb or pb <= pa)


def group_events(events: list[Event]) -> list[list[Event]]:
    """The groups of two or more events that are one occasion.

    Events are grouped by day first, then month-dated and year-dated ones join the one group they
    are compatible with ("his state visit last year" = the 2024 visit); a coarse date that fits two
    groups stays apart. Undated events join nothing. The result does not depend on the order of
    ``events``, and a group only on the events connected to it by ``_same_occasion``.
    """
    groups: list[list[Event]] = []
    for level in ("day", "month", "year"):
        fresh: list[list[Event]] = []
        for event in sorted((e for e in events if precision(e.date) == level), key=_sort_key):
            fits = [g for g in groups if any(_same_occasion(event, other) for other in g)]
            if len(fits) == 1:
                fits[0].append(event)
                continue
            if len(fits) > 1:
                fresh.append([event])
                continue
            same_level = [g for g in fresh if any(_same_occasion(event, other) for other in g)]
            if same_level:
                same_level[0].append(event)
            else:
                fresh.append([event])
        groups += fresh
    return [g for g in groups if len(g) > 1]


@dataclass
class Occasion:
    """What a group of events is as one event: its key, most precise date, most specific type, and
    the CAMEO code and label of its first member of that type."""

    key: str
    date: str | None
    type: str
    cameo: str | None
    label: str | None


def occasion(group: list[Event]) -> Occasion:
    date = None
    for event in group:
        date = more_precise(date, event.date) if compatible(date, event.date) else date
    event_type = min((e.type for e in group), key=_type_rank)
    people = sorted({p for e in group for p in e.participants})
    ordered = sorted(group, key=_sort_key)
    cameo = next((e.cameo for e in ordered if e.type == event_type and e.cameo), None)
    label = next((e.label for e in ordered if e.type == event_type and e.label), None)
    return Occasion(event_key(event_type, date, people, None), date, event_type, cameo, label)


def merge_events_across(batch: list[DocFacts]) -> None:
    """Give one key to the same event reported by several articles of ``batch``, in place: every
    member gets the group's key, date, type, CAMEO code and label (``occasion``); parent links
    follow. Order-independent."""
    events = [event for facts in batch for event in facts.events]
    renamed: dict[str, str] = {}
    for group in group_events(events):
        found = occasion(group)
        for event in group:
            renamed[event.key] = found.key
            event.key, event.date, event.type = found.key, found.date, found.type
            event.cameo = found.cameo or event.cameo
            event.label = found.label or event.label
    for event in events:
        if event.parent in renamed:
            event.parent = renamed[event.parent]
    for facts in batch:
        facts.events = _join_same_keys(facts.events)


def _join_same_keys(events: list[Event]) -> list[Event]:
    """Two events of one article that became one occasion are one event with both evidences."""
    by_key: dict[str, Event] = {}
    for event in events:
        kept = by_key.setdefault(event.key, event)
        if kept is event:
            continue
        kept.participants += [p for p in event.participants if p not in kept.participants]
        kept.topics += [t for t in event.topics if t not in kept.topics]
        kept.evidence += [e for e in event.evidence if e not in kept.evidence]
        for name in ("place", "country", "host_country", "guest_country", "parent"):
            setattr(kept, name, getattr(kept, name) or getattr(event, name))
    for event in by_key.values():
        if event.parent == event.key:
            event.parent = None
    return list(by_key.values())


def _sort_key(event: Event) -> tuple:
    return (
        event.date or "",
        event.type,
        tuple(sorted(event.participants)),
        event.key,
        _first_evidence(event),
    )


def _first_evidence(event: Event) -> tuple:
    if not event.evidence:
        return ("", 0)
    first = min(event.evidence, key=lambda e: (e.article_id, e.sentence_index))
    return (first.article_id, first.sentence_index)


def _linked(events: list[Event]) -> dict[str, set[str]]:
    """Which events ``_same_occasion`` links, found through an index instead of every pair: on one
    day by a shared participant, otherwise only with the same participants."""
    by_day: dict[tuple[str, str], list[Event]] = {}
    by_people: dict[tuple[frozenset, str], list[Event]] = {}
    for event in events:
        if not event.date:
            continue
        if precision(event.date) == "day":
            for person in set(event.participants):
                by_day.setdefault((person, event.date), []).append(event)
        by_people.setdefault((frozenset(event.participants), event.date[:4]), []).append(event)
    links: dict[str, set[str]] = {e.key: set() for e in events}
    for bucket in (*by_day.values(), *by_people.values()):
        for i, a in enumerate(bucket):
            for b in bucket[i + 1 :]:
                if a.key != b.key and _same_occasion(a, b):
                    links[a.key].add(b.key)
                    links[b.key].add(a.key)
    return links


def _components(events: list[Event]) -> list[list[Event]]:
    links = _linked(events)
    by_key = {e.key: e for e in events}
    seen: set[str] = set()
    out = []
    for key in sorted(by_key):
        if key in seen or not links[key]:
            continue
        todo, part = [key], []
        seen.add(key)
        while todo:
            k = todo.pop()
            part.append(by_key[k])
            for other in links[k] - seen:
                seen.add(other)
                todo.append(other)
        out.append(part)
    return out


# ---------------------------------------------------------------------------------------------
# In the store: graph/merge, and what graph/canonical makes of an article's triples


def is_person(iri: object) -> bool:
    return isinstance(iri, URIRef) and str.startswith(iri, PERSON_PREFIX)


def is_event(iri: object) -> bool:
    return isinstance(iri, URIRef) and str.startswith(iri, EVENT_PREFIX)


def key_of(iri: URIRef) -> str:
    """'…/id/person/ilham-aliyev' -> 'person:ilham-aliyev' (entity_iri's inverse on its slugs)."""
    kind, _, slug = str(iri)[len(str(ID)) :].partition("/")
    return f"{kind}:{slug}"


def person_iri(key: str) -> URIRef:
    return ID[f"person/{key.partition(':')[2]}"]


@dataclass
class Mapping:
    """Local (article-level) person and event IRIs -> the IRI graph/canonical uses for them. Only
    members of a group of two or more and persons alone renamed to their label's slug are listed;
    any other IRI is its own target."""

    target: dict[URIRef, URIRef] = field(default_factory=dict)


def merge_terms(triples: Sequence[tuple]) -> set[URIRef]:
    """The person and event IRIs a set of triples names (what graph/merge may map)."""
    # Each distinct term checked once: an article repeats its subjects (an entity's every triple)
    # and objects (classes, countries) many times over (docs/performance.md, figures behind the
    # code's choices).
    terms = {s for s, _, _ in triples}
    terms.update(o for _, _, o in triples if isinstance(o, URIRef))
    return {t for t in terms if is_person(t) or is_event(t)}


def lookup(store, iris: Iterable[URIRef]) -> Mapping:
    """graph/merge's targets for ``iris``."""
    iris = set(iris)
    if not iris:
        return Mapping()
    rows = store.select(
        f"""SELECT ?l ?t WHERE {{ VALUES ?l {{ {_values(iris)} }}
             GRAPH {MERGE_GRAPH.n3()} {{ ?l {DKG.mergedInto.n3()} ?t }} }}"""
    )
    return Mapping({URIRef(l_): URIRef(t) for l_, t in rows})


def renamed_into(store, iris: Iterable[URIRef]) -> bool:
    """Whether graph/merge renames another IRI into one of ``iris``: a person alone is renamed to
    its label's slug, which may be the IRI another article's person has as its own; that one's
    canonical facts are then also stated through the renamed one."""
    iris = set(iris)
    if not iris:
        return False
    return bool(
        store.query(
            f"""ASK {{ VALUES ?t {{ {_values(iris)} }}
                 GRAPH {MERGE_GRAPH.n3()} {{ ?l {DKG.mergedInto.n3()} ?t FILTER (?l != ?t) }} }}"""
        )
    )


def full_mapping(store) -> Mapping:
    rows = store.select(
        f"SELECT ?l ?t WHERE {{ GRAPH {MERGE_GRAPH.n3()} {{ ?l {DKG.mergedInto.n3()} ?t }} }}"
    )
    return Mapping({URIRef(l_): URIRef(t) for l_, t in rows})


def pending_triples(iris: Iterable[URIRef]) -> list[tuple]:
    """Marks for ``settle``: these persons and events were added or dropped."""
    return [(i, DKG.mergePending, Literal(True)) for i in sorted(set(iris))]


def override_triples(target: URIRef, found: Occasion) -> list[tuple]:
    """A merged event's one type, date, CAMEO code and label, as graph/canonical states them."""
    triples = [(target, RDF.type, DKG[found.type])]
    if found.date:
        triples.append(_date_triple(target, found.date))
    if found.cameo:
        triples.append((target, DKG.cameoCode, Literal(found.cameo)))
    if found.label:
        triples.append((target, RDFS.label, Literal(found.label, lang="en")))
    return triples


def _values(iris: Iterable[URIRef]) -> str:
    return " ".join(i.n3() for i in sorted(set(iris)))


def _present(store, iris: set[URIRef], cls: URIRef) -> set[URIRef]:
    """Which of ``iris`` some article graph still types as ``cls``."""
    if not iris:
        return set()
    rows = store.select(
        f"""SELECT DISTINCT ?l WHERE {{ VALUES ?l {{ {_values(iris)} }}
             GRAPH ?g {{ ?l a {cls.n3()} }} FILTER ({_ARTICLE_FILTER}) }}"""
    )
    return {URIRef(r[0]) for r in rows}


def _offices_reader(store) -> Offices:
    return lambda keys: _person_facts(store, {person_iri(k) for k in keys})


def _person_facts(store, persons: set[URIRef]) -> dict[str, set[tuple]]:
    """The (role, institution, country) of each person's holdings, in any article."""
    offices_of: dict[str, set[tuple]] = {k: set() for k in map(key_of, persons)}
    holdings = _article_values(store, persons, DKG.holder, inverse=True)
    offices = _article_values(store, {h for h, _, _ in holdings}, DKG.office)
    office_of = {h: URIRef(o) for h, _, o in offices}
    # An office's IRI is its role, institution and country: graph/canonical describes it once.
    described: dict[URIRef, dict[str, str]] = {}
    if office_of:
        for o, prop, v in store.select(
            f"""SELECT ?o ?p ?v WHERE {{ VALUES ?o {{ {_values(set(office_of.values()))} }}
                 VALUES ?p {{ {DKG.role.n3()} {DKG.officeIn.n3()} {DKG.countryOf.n3()} }}
                 GRAPH {CANONICAL_GRAPH.n3()} {{ ?o ?p ?v }} }}"""
        ):
            described.setdefault(URIRef(o), {})[str(prop)] = str(v)
    for holding, _, person in holdings:
        d = described.get(office_of.get(holding), {})
        if str(DKG.role) in d:
            offices_of[key_of(URIRef(person))].add(
                (d[str(DKG.role)], d.get(str(DKG.officeIn)), d.get(str(DKG.countryOf)))
            )
    return offices_of


def _article_values(
    store, iris: set[URIRef], predicate: URIRef, inverse: bool = False
) -> list[tuple[URIRef, str, object]]:
    """(subject, article id, object) of every ``predicate`` triple of ``iris`` in article graphs
    (``inverse``: of the triples whose object they are). One simple pattern a query: Oxigraph
    answers it from its index (a property path or a string FILTER on the graph in the same query
    made it scan (docs/performance.md, figures behind the code's choices))."""
    if not iris:
        return []
    pattern = f"?s {predicate.n3()} ?o"
    bound = "?o" if inverse else "?s"
    rows = store.select(
        f"SELECT ?s ?g ?o WHERE {{ VALUES {bound} {{ {_values(iris)} }} GRAPH ?g {{ {pattern} }} }}"
    )
    prefix = str(GRAPH)
    return [
        (URIRef(s_), str(g)[len(prefix) :], o)
        for s_, g, o in rows
        if str(g).startswith(prefix) and len(str(g)) == len(prefix) + 16
    ]


def _labels_of(store, persons: set[URIRef]) -> Said:
    """The (article id, label) pairs the article graphs give each person (name_persons' votes)."""
    said: Said = {p: set() for p in persons}
    for p, article, label in _article_values(store, persons, RDFS.label):
        said[p].add((article, str(label)))
    return said


def _events(store, events: set[URIRef]) -> dict[URIRef, Event]:
    """The dated events among ``events`` as the grouping reads them (participants as article-level
    person IRIs). An event IRI two articles give (the same key) is read once: its least values."""
    if not events:
        return {}
    dates: dict[URIRef, str] = {}
    for prop in (DKG.date, DKG.month, DKG.year):
        for e, _, d in _article_values(store, events, prop):
            dates[e] = min(dates.get(e, str(d)), str(d))
    dated = set(dates)
    types: dict[URIRef, str] = {}
    for e, _, cls in _article_values(store, dated, RDF.type):
        if str(cls) in EVENT_CLASSES:
            name = str(cls)[len(str(DKG)) :]
            types[e] = min(types.get(e, name), name)
    values: dict[str, dict[URIRef, str]] = {}
    for name, prop in (("place", DKG.place), ("host", DKG.hostCountry), ("cameo", DKG.cameoCode)):
        found = values.setdefault(name, {})
        for e, _, v in _article_values(store, dated, prop):
            found[e] = min(found.get(e, str(v)), str(v))
    labels: dict[URIRef, str] = {}
    for e, _, v in _article_values(store, dated, RDFS.label):
        labels[e] = min(labels.get(e, str(v)), str(v))
    evidence: dict[URIRef, list[tuple[str, int]]] = {}
    links = _article_values(store, dated, DKG.evidence)
    nodes = {URIRef(o) for _, _, o in links}
    index = {ev: int(si) for ev, _, si in _article_values(store, nodes, DKG.sentenceIndex)}
    for e, article, ev in links:
        evidence.setdefault(e, []).append((article, index.get(URIRef(ev), 0)))
    out: dict[URIRef, Event] = {}
    for e in sorted(dated):
        if e not in types:
            continue
        place, host = values["place"].get(e), values["host"].get(e)
        out[e] = Event(
            key=str(e),
            type=types[e],
            date=dates[e],
            place=key_of(URIRef(place)) if place else None,
            host_country=key_of(URIRef(host)) if host else None,
            cameo=values["cameo"].get(e),
            label=labels.get(e),
            evidence=[Evidence(a, i, 0, 0, "", "") for a, i in sorted(set(evidence.get(e, [])))],
        )
    for e, _, p in _article_values(store, set(out), DKG.participant):
        out[e].participants.append(URIRef(p))
    for event in out.values():
        event.participants = sorted(set(event.participants))
    return out


def _compatible_dates(iso: str) -> list[str]:
    """Every date a (partial) ISO date is compatible with, as precise as the graph states dates:
    a day's month and year; a month's days, and its year; a year's months and days."""
    year = int(iso[:4])
    if len(iso) == 10:
        return [iso, iso[:7], iso[:4]]
    months = [int(iso[5:7])] if len(iso) == 7 else list(range(1, 13))
    out = [iso[:4]]
    for month in months:
        out.append(f"{year:04d}-{month:02d}")
        days = calendar.monthrange(year, month)[1]
        out += [f"{year:04d}-{month:02d}-{day:02d}" for day in range(1, days + 1)]
    return out


def _events_of(store, persons: set[URIRef], dates: set[str]) -> set[URIRef]:
    """Events of these (article-level) persons dated compatibly with one of ``dates``: the only
    ones _same_occasion can link to events so dated (each date an index lookup, rather than every
    event of a busy person read and filtered (docs/performance.md, figures behind the code's choices))."""
    if not persons or not dates:
        return set()
    anchor = URIRef("urn:x-date")
    pairs = sorted({_date_triple(anchor, d)[1:] for x in dates for d in _compatible_dates(x)}, key=str)
    # The events of those dates first (a day has a few in a store of any size), then their people.
    rows = store.select(
        f"""SELECT DISTINCT ?e ?g WHERE {{
             VALUES (?dp ?d) {{ {" ".join(f"({p.n3()} {o.n3()})" for p, o in pairs)} }}
             GRAPH ?g {{ ?e ?dp ?d }} }}"""
    )
    prefix = str(GRAPH)
    dated = {URIRef(e) for e, g in rows if str(g).startswith(prefix) and len(str(g)) == len(prefix) + 16}
    return {e for e, _, p in _article_values(store, dated, DKG.participant) if p in persons}


def _locals_of(store, targets: set[URIRef]) -> set[URIRef]:
    """Every IRI graph/merge maps to one of ``targets``, and the targets themselves."""
    if not targets:
        return set()
    rows = store.select(
        f"""SELECT ?l WHERE {{ VALUES ?t {{ {_values(targets)} }}
             GRAPH {MERGE_GRAPH.n3()} {{ ?l {DKG.mergedInto.n3()} ?t }} }}"""
    )
    return set(targets) | {URIRef(r[0]) for r in rows}


@dataclass
class Plan:
    """What settling decides: for every person and event decided again, its target before and
    after (absent: in no group), the merged events' overrides to drop (by their old targets) and
    to write, and the person blocks to add and drop."""

    decided: set[URIRef] = field(default_factory=set)
    old: dict[URIRef, URIRef] = field(default_factory=dict)
    new: dict[URIRef, URIRef] = field(default_factory=dict)
    overrides_gone: set[URIRef] = field(default_factory=set)
    overrides: list[tuple] = field(default_factory=list)
    blocks_added: list[tuple] = field(default_factory=list)
    blocks_gone: list[tuple] = field(default_factory=list)

    def changed(self) -> set[URIRef]:
        """What graph/merge states differently: a target, or whether there is one."""
        return {i for i in self.decided if self.old.get(i) != self.new.get(i)}

    def renamed(self) -> set[URIRef]:
        """What the articles contribute differently: a person whose IRI in graph/canonical changes
        (a person that only starts or stops being its group's name contributes the same), an
        event whose IRI changes or that joins or leaves a group (a merged event's type and date
        are the group's)."""
        return {i for i in self.changed() if is_event(i) or self.old.get(i, i) != self.new.get(i, i)}

    def apply(self, mapping: Mapping) -> Mapping:
        """``mapping`` (graph/merge before) with these decisions."""
        target = {k: v for k, v in mapping.target.items() if k not in self.decided}
        return Mapping(target | self.new)


def plan(store, dirty: set[URIRef]) -> Plan:
    """Decide again the persons and events ``dirty`` names, and every one whose decision can
    depend on them: the persons of their blocks, and the events connected to theirs."""
    result = Plan()
    persons_dirty = {i for i in dirty if is_person(i)}
    present = _present(store, persons_dirty, DKG.Person)
    members = set(present)
    blocks = {person_block(key_of(p)) for p in persons_dirty}
    if blocks:
        literals = " ".join(Literal(b).n3() for b in sorted(blocks))
        members |= {
            URIRef(r[0])
            for r in store.select(
                f"""SELECT ?l WHERE {{ VALUES ?b {{ {literals} }}
                     GRAPH {MERGE_GRAPH.n3()} {{ ?l {DKG.mergeBlock.n3()} ?b }} }}"""
            )
        }
    members -= persons_dirty - present
    result.decided = members | persons_dirty
    result.old = dict(lookup(store, result.decided).target)
    groups = group_persons(map(key_of, members), _offices_reader(store))
    result.new = name_persons(members, groups, _labels_of(store, members))
    result.blocks_added = [(p, DKG.mergeBlock, Literal(person_block(key_of(p)))) for p in sorted(present)]
    result.blocks_gone = [
        (p, DKG.mergeBlock, Literal(person_block(key_of(p)))) for p in sorted(persons_dirty - present)
    ]
    # Events: the dirty ones, those of persons whose target changes, and their former group mates.
    seeds = {i for i in dirty if is_event(i)}
    moved = result.changed()
    if moved:
        rows = store.select(
            f"""SELECT DISTINCT ?e WHERE {{ VALUES ?p {{ {_values(moved)} }}
                 GRAPH ?g {{ ?e {DKG.participant.n3()} ?p }} FILTER ({_ARTICLE_FILTER}) }}"""
        )
        seeds |= {URIRef(r[0]) for r in rows}
    seeds |= _locals_of(store, set(lookup(store, seeds).target.values()))
    component = _EventReader(store, result).component(seeds)
    decided_events = seeds | set(component)
    old_events = lookup(store, decided_events).target
    result.old |= old_events
    result.decided |= decided_events
    result.overrides_gone = set(old_events.values())
    for part in _components(list(component.values())):
        for group in group_events(part):
            found = occasion(group)
            target = event_iri(found.key)
            result.overrides += override_triples(target, found)
            for event in group:
                result.new[URIRef(event.key)] = target
    return result


class _EventReader:
    """Reads events for the grouping with their participants as the persons' new targets."""

    def __init__(self, store, decisions: Plan) -> None:
        self.store = store
        self.decisions = decisions
        self.persons: dict[URIRef, URIRef] = {}

    def person_targets(self, persons: set[URIRef]) -> None:
        unknown = persons - set(self.persons)
        old = lookup(self.store, unknown).target
        for p in unknown:
            if p in self.decisions.decided:
                self.persons[p] = self.decisions.new.get(p, p)
            else:
                self.persons[p] = old.get(p, p)

    def read(self, events: set[URIRef]) -> dict[URIRef, Event]:
        found = _events(self.store, events)
        self.person_targets({p for e in found.values() for p in e.participants})
        for event in found.values():
            event.participants = sorted({key_of(self.persons[p]) for p in event.participants})
        return found

    def preimage(self, targets: set[URIRef]) -> set[URIRef]:
        """Every article-level person whose new target is one of ``targets``."""
        cands = _locals_of(self.store, targets)
        cands |= {p for p in self.decisions.decided if self.decisions.new.get(p, p) in targets}
        self.person_targets(cands)
        return {p for p in cands if self.persons[p] in targets}

    def component(self, seeds: set[URIRef]) -> dict[URIRef, Event]:
        """The dated events connected to ``seeds`` by _same_occasion."""
        known = self.read(seeds)
        expanded: set[URIRef] = set()
        frontier = set(known)
        while frontier:
            todo = [known[i] for i in sorted(frontier)]
            expanded |= frontier
            people = self.preimage({person_iri(p) for e in todo for p in e.participants})
            dates = {e.date for e in todo if e.date}
            candidates = _events_of(self.store, people, dates) - set(known)
            known |= self.read(candidates)
            links = _linked(list(known.values()))
            frontier = {URIRef(k) for e in todo for k in links[e.key]} - expanded
        links = _linked(list(known.values()))
        keep: set[str] = set()
        stack = [str(s) for s in seeds if s in known]
        while stack:
            k = stack.pop()
            if k not in keep:
                keep.add(k)
                stack += list(links[k] - keep)
        return {URIRef(k): known[URIRef(k)] for k in keep}


# ---------------------------------------------------------------------------------------------
# graph/canonical through graph/merge


def contribution(triples: list[tuple], mapping: Mapping) -> list[tuple]:
    """What an article's triples put into graph/canonical: all but its evidence nodes', persons
    and events renamed to their group's IRI. A merged event's type, date, CAMEO code and label are
    the group's (override_triples), so its members' own are left out; a surname alone that joined
    a full name is one of the person's other names (skos:altLabel), not a label that votes."""
    from kg.graph.canonical import in_canonical

    if not mapping.target:
        return [t for t in triples if in_canonical(t[0])]
    out = []
    target = mapping.target
    for s, p, o in triples:
        if not in_canonical(s):
            continue
        new_s = target.get(s, s)
        if (
            new_s is not s
            and is_event(s)
            and (str(p) in OVERRIDDEN or (p == RDF.type and str(o) in EVENT_CLASSES))
        ):
            continue
        if p == RDFS.label and new_s != s and is_person(s) and _other_name(s, o, new_s):
            p = SKOS.altLabel
        out.append((new_s, p, target.get(o, o) if isinstance(o, URIRef) else o))
    return out


def _other_name(local: URIRef, label: object, target: URIRef) -> bool:
    """Whether a renamed person's label is one of its other names in graph/canonical, not a label
    that votes: a surname alone's or a name with initials, unless it is spelt as the person's IRI
    (a person named by a surname alone and renamed only to its label's slug keeps voting for that
    label)."""
    return not is_full_name(key_of(local)) and entity_iri(f"person:{label}") != target


def preimages(store) -> Callable[[set], dict]:
    """For canonical.supported: every article-level IRI graph/merge renames to each term (the term
    itself too, unless graph/merge renames it to another)."""

    def find(terms: set) -> dict:
        mergeable = {t for t in terms if is_person(t) or is_event(t)}
        out: dict = {t: {t} for t in terms}
        if not mergeable:
            return out
        own = lookup(store, mergeable).target
        for t in mergeable:
            if own.get(t, t) != t:
                out[t] = set()
        for l_, t in store.select(
            f"""SELECT ?l ?t WHERE {{ VALUES ?t {{ {_values(mergeable)} }}
                 GRAPH {MERGE_GRAPH.n3()} {{ ?l {DKG.mergedInto.n3()} ?t }} }}"""
        ):
            out[URIRef(t)].add(URIRef(l_))
        return out

    return find


def pending(store) -> set[URIRef]:
    rows = store.select(f"SELECT ?l WHERE {{ GRAPH {MERGE_GRAPH.n3()} {{ ?l {DKG.mergePending.n3()} ?x }} }}")
    return {URIRef(r[0]) for r in rows}


def settle(store) -> set[URIRef]:
    """Decide again what the writes since the last settling marked, and bring graph/merge and
    graph/canonical in line, in one transaction. Returns the persons whose canonical IRI changed
    (their old and new IRIs), whose links must be decided again."""
    from kg.graph.canonical import _data as data_request
    from kg.graph.canonical import drop_overrides, insert_data, recontribute

    dirty = pending(store)
    if not dirty:
        return set()
    decisions = plan(store, dirty)
    changed = decisions.changed()
    renamed = decisions.renamed()
    operations: list[str] = []
    deletes: list[str] = []
    inserts: list[str] = []
    labels: list[str] = []
    if renamed:
        graphs = sorted(
            URIRef(r[0])
            for r in store.select(
                f"""SELECT DISTINCT ?g WHERE {{ VALUES ?l {{ {_values(renamed)} }}
                     GRAPH ?g {{ ?l a ?class }} FILTER ({_ARTICLE_FILTER}) }}"""
            )
        )
        # Only the triples that name a renamed person or event, or anything else named (before or
        # after) as one of their targets: contribution maps a triple by its subject and object
        # alone, so the other triples contribute the same before and after, and no triple or
        # label of theirs can be one a renamed triple becomes (a label counts once an article, a
        # canonical triple stays while one article states it).
        targets = {t for i in renamed for t in (decisions.old.get(i, i), decisions.new.get(i, i))}
        sharing = _locals_of(store, targets) | {i for i, t in decisions.new.items() if t in targets}
        naming = store.triples_naming(renamed | sharing, graphs)
        articles = [naming[g] for g in graphs]
        terms = set().union(*(merge_terms(t) for t in articles)) if articles else set()
        before = lookup(store, terms)
        after = decisions.apply(before)
        deletes, inserts, labels = recontribute(
            store,
            [contribution(t, before) for t in articles],
            [contribution(t, after) for t in articles],
            preimages(store),
            set(graphs),
        )
    operations += deletes
    if decisions.overrides_gone:
        operations.append(drop_overrides(decisions.overrides_gone))
    operations += inserts
    if decisions.overrides:
        operations.append(insert_data(CANONICAL_GRAPH, decisions.overrides))
    operations += labels
    old_links = [(i, DKG.mergedInto, t) for i, t in sorted(decisions.old.items()) if i in changed]
    new_links = [(i, DKG.mergedInto, t) for i, t in sorted(decisions.new.items()) if i in changed]
    for verb, triples in (
        ("DELETE", old_links + decisions.blocks_gone + pending_triples(dirty)),
        ("INSERT", new_links + decisions.blocks_added),
    ):
        if triples:
            operations.append(data_request(verb, MERGE_GRAPH, triples))
    store.update(" ;\n".join(operations))
    persons = {i for i in changed if is_person(i)}
    return (
        persons
        | {decisions.old[i] for i in persons if i in decisions.old}
        | {decisions.new[i] for i in persons if i in decisions.new}
    )


def recompute(store) -> list[tuple]:
    """Decide every person and event of the store from scratch and write graph/merge (for a whole
    rebuild of graph/canonical). Returns the merged events' override triples."""
    persons = {
        URIRef(r[0])
        for r in store.select(
            f"""SELECT DISTINCT ?l WHERE {{ GRAPH ?g {{ ?l a {DKG.Person.n3()} }}
                 FILTER ({_ARTICLE_FILTER}) }}"""
        )
    }
    groups = group_persons(map(key_of, persons), _offices_reader(store))
    targets = name_persons(persons, groups, _labels_of(store, persons))
    events = {
        URIRef(r[0])
        for r in store.select(
            f"""SELECT DISTINCT ?e WHERE {{ GRAPH ?g {{ ?e a {DKG.Event.n3()} }}
                 FILTER ({_ARTICLE_FILTER}) }}"""
        )
    }
    found = _events(store, events)
    for event in found.values():
        event.participants = sorted({key_of(targets.get(p, p)) for p in event.participants})
    overrides: list[tuple] = []
    for part in _components(list(found.values())):
        for group in group_events(part):
            merged = occasion(group)
            target = event_iri(merged.key)
            overrides += override_triples(target, merged)
            for event in group:
                targets[URIRef(event.key)] = target
    links = [(i, DKG.mergedInto, t) for i, t in sorted(targets.items())]
    blocks = [(p, DKG.mergeBlock, Literal(person_block(key_of(p)))) for p in sorted(persons)]
    store.replace_graph(MERGE_GRAPH, links + blocks)
    return overrides


def named_in(store, graphs: list[URIRef]) -> set[URIRef]:
    """The persons and events the stored ``graphs`` name (each is typed in its article's graph)."""
    if not graphs:
        return set()
    rows = store.select(
        f"""SELECT DISTINCT ?x WHERE {{ VALUES ?g {{ {" ".join(g.n3() for g in graphs)} }}
             VALUES ?class {{ {DKG.Person.n3()} {DKG.Event.n3()} }} GRAPH ?g {{ ?x a ?class }} }}"""
    )
    return {URIRef(r[0]) for r in rows}
