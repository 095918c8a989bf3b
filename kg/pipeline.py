"""build(): the one place that runs the stages in order.

read -> (skip articles already stored by this extractor version) -> extract (nlp.pipe with the kg
components, then to_facts; in this process or in worker processes) -> rdf -> validate -> store: a
chunk's new articles in one bulk write, any that replace an earlier text one transaction each,
graph/canonical kept in step either way -> merge across articles (kg/graph/merge.py ``settle``: the
persons and events the build adds or drops decided again against the whole store, so the graph
depends on the set of documents, not on their order, chunks or workers) -> link. A
file that cannot be read, or an article whose graph fails validation, is reported and skipped;
everything else is still built, and nothing already in the store is lost. An office holding or
event the shapes reject is left out alone, with a note naming the file and the fact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.common.collector import frozen
from kg.common.files import shown
from kg.graph import canonical, merge
from kg.graph.rdf import Triple, doc_iri, to_triples
from kg.graph.store import Store, StoredArticle, load_reference_graphs
from kg.nlp.extract import extract, in_batches
from kg.nlp.facts import Article, DocFacts, FileError
from kg.nlp.pipeline import build_nlp
from kg.read import read_paths
from kg.read.language import ANY, foreign_language
from kg.settings import Settings
from kg.vocab import CANONICAL_GRAPH, DKG, LINKS_GRAPH

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.link import Reference, Touched

# Articles are written this many at a time: bounded memory, and every chunk is committed before the
# next one starts (a killed build keeps what it committed). The size does not change the graph: the
# merge across articles is decided against the whole store (kg/graph/merge.py).
CHUNK_SIZE = 256
# A chunk with at least this many articles new to the store goes through Oxigraph's bulk loader
# (Store.add_articles: a quarter of the cost an article); a bulk write has a fixed cost whatever its
# size, so fewer go one transaction each, as do articles that replace an earlier text of their file
# (figures in docs/performance.md, figures behind the code's choices).
BULK_MIN = 32


@dataclass
class BuildReport:
    read: int = 0
    extracted: int = 0
    unchanged: int = 0
    skipped: int = 0  # not in English (kg/read/language.py)
    errors: list[FileError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # files skipped on purpose: not failures
    links: int = 0
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        s = self.stats
        return (
            f"{self.read} documents read: {self.extracted} extracted, {self.unchanged} unchanged, "
            + (f"{self.skipped} skipped (not English), " if self.skipped else "")
            + f"{len(self.errors)} failed. Store: {s.get('documents', 0)} documents, "
            f"{s.get('persons', 0)} persons, {s.get('institutions', 0)} institutions, "
            f"{s.get('countries', 0)} countries, {s.get('events', 0)} events, "
            f"{s.get('office_holdings', 0)} office holdings"
            + (f", {s['triples']} triples." if "triples" in s else ".")
        )


Progress = Callable[[int], None]


def build(
    paths: Sequence[str | Path],
    settings: Settings | None = None,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> BuildReport:
    """Build (or update) the store in ``settings.store`` from files and folders."""
    settings = settings or Settings()
    report = BuildReport()
    result = read_paths(paths, skip_dirs=(settings.store,))
    report.read = len(result.articles)
    report.notes += [str(n) for n in result.notes]
    report.errors += result.errors

    with Store(settings.store) as store:
        names = {n for a in result.articles for n in (a.sources or (a.stem,))}
        stored = store.stored_articles(ids=[a.id for a in result.articles], names=names)
        rebuild, touched = _before_writing(store, settings)
        todo: list[Article] = []
        for article in result.articles:
            if store.is_current(article.id, stored, article):
                report.unchanged += 1
                new_names = set(article.sources or (article.stem,)) - set(stored[article.id].identifiers)
                if new_names:
                    store.add_identifiers(article.id, new_names)
            else:
                todo.append(article)
        if settings.language != ANY:
            todo = _in_english(todo, report)
        if on_total:
            on_total(len(todo))
        nlp = build_nlp(settings) if todo else None
        # From here on the model and phrase tables are left out of collections (kg/common/collector.py):
        # extracting, writing and linking make many objects, and each full pass of the collector
        # would go over the model again (docs/performance.md, figures behind the code's choices).
        with frozen():
            if nlp is not None:
                _extract_and_write(store, nlp, todo, stored, touched, settings, report, progress)
            # Across articles, once for the whole build (the chunks' marks wait in graph/merge): a
            # settling per chunk would decide the same surname blocks again chunk after chunk.
            _settle(store, touched)
            load_reference_graphs(store)
            if rebuild:
                store.rebuild_canonical()
            if settings.link:
                _link_targets(store, touched)
                report.links = link_offline(store, touched)
            report.stats = store_stats(store, triples=False)
    return report


def _in_english(articles: list[Article], report: BuildReport) -> list[Article]:
    """The articles to extract; one confidently in another language is skipped with a note (the
    model and the rules read English), checked only when it would be extracted."""
    kept = []
    for article in articles:
        found = foreign_language(article.text)
        if found is None:
            kept.append(article)
            continue
        code, confidence = found
        report.skipped += 1
        report.notes.append(
            f"{shown(article.path)}: skipped: written in language {code!r} (confidence {confidence:.2f}), "
            "not English; `kg build --lang any` builds it anyway"
        )
    return kept


def _extract_and_write(
    store: Store,
    nlp: Language,
    todo: list[Article],
    stored: dict[str, StoredArticle],
    touched: Touched | None,
    settings: Settings,
    report: BuildReport,
    progress: Progress | None,
) -> None:
    """Extract the articles to build, resolve and write them a chunk at a time."""
    # The workers extract the next chunk while this process writes one (kg/nlp/extract.py). With more
    # than one chunk that is worth a worker even for --jobs 1: this process's share (resolution,
    # triples, validation, the write) then runs beside spaCy instead of after it. A writer thread
    # would not overlap: spaCy's Cython code holds the GIL. One chunk: nothing to overlap, no fork.
    fork = settings.jobs > 1 or len(todo) > CHUNK_SIZE
    extracted = extract(nlp, todo, settings.batch_size, settings.jobs, ahead=2 * CHUNK_SIZE, fork=fork)
    by_name = _by_name(stored)
    for chunk in in_batches(extracted, CHUNK_SIZE):
        facts = [f for f in chunk if isinstance(f, DocFacts)]
        failed = [e for e in chunk if isinstance(e, FileError)]
        report.errors += failed
        if progress and failed:
            progress(len(failed))
        if touched is not None:  # what these articles may replace, read before it goes
            touched.articles(_replaced(facts, stored, by_name))
        _write_chunk(store, facts, stored, by_name, report, progress)
        # Committed transactions stay in RocksDB's memory until flushed, growing with every article;
        # a flush per chunk keeps it flat for little (docs/performance.md, figures behind the code's choices).
        store.flush()
        if touched is not None:
            touched.articles(f.article.id for f in facts)


def _settle(store: Store, touched: Touched | None) -> None:
    """Across articles (kg/graph/merge.py): the persons and events the writes marked decided again against
    the whole store; the persons whose IRI in graph/canonical changes are linked again."""
    changed = merge.settle(store)
    if touched is not None:
        touched.entities |= changed


def _link_targets(store: Store, touched: Touched | None) -> None:
    """The entities a build touched as graph/canonical names them: an article names a person as
    it spells them, graph/canonical (which the link reads) by the IRI of the merged person."""
    if touched is not None:
        named = {e for e in touched.entities if merge.is_person(e)}
        touched.entities |= set(merge.lookup(store, named).target.values())


def _write_chunk(
    store: Store,
    facts: list[DocFacts],
    stored: dict[str, StoredArticle],
    by_name: dict[str, list[StoredArticle]],
    report: BuildReport,
    progress: Progress | None,
) -> None:
    """Validate each article's graph and write the chunk: the articles new to the store in one bulk
    write when there are enough of them, the others (and all of a small chunk) one transaction each."""
    checked = [(f, _checked_triples(f, report.notes)) for f in facts]
    new = [(f, t) for f, t in checked if isinstance(t, list) and _is_new(f.article, stored, by_name)]
    if len(new) < BULK_MIN:
        new = []
    in_bulk = {f.article.id for f, _ in new}
    for doc_facts, triples in checked:
        if doc_facts.article.id in in_bulk:
            continue
        if isinstance(triples, FileError):
            report.errors.append(triples)
        else:
            _commit(store, doc_facts, triples, by_name)
            report.extracted += 1
        if progress:
            progress(1)
    if new:
        store.add_articles([(f.article.id, t) for f, t in new])
        report.extracted += len(new)
        if progress:
            progress(len(new))


def _checked_triples(facts: DocFacts, notes: list[str] | None = None) -> list[Triple] | FileError:
    """One article's graph, or why it is not stored: it fails the shapes.

    An office holding or an event the shapes reject costs only that fact: it is left out, a note
    naming the file and the fact goes to ``notes``, and the rest of the article is checked again. Any
    other violation (a person, the document) refuses the whole graph, as before."""
    from kg.graph.validate import format_violations, validate_triples

    dropped: list[str] = []
    while True:
        triples = to_triples(facts)
        try:
            violations = validate_triples(triples)
        except (TypeError, ValueError) as err:  # a value the shapes cannot compare (pySHACL raises too)
            return FileError(facts.article.path, f"graph cannot be validated, not stored: {err}")
        if not violations:
            break
        kept = _without_failing_facts(facts, {v.focus for v in violations})
        if kept is None:
            return FileError(
                facts.article.path, "graph fails the shapes, not stored:\n" + format_violations(violations)
            )
        facts, gone = kept
        for what, nodes in gone:
            why = "; ".join(sorted({v.message for v in violations if v.focus in nodes}))
            dropped.append(f"{what} ({why})")
    if notes is not None:
        notes += [f"{facts.article.path}: fact left out, it fails the shapes: {what}" for what in dropped]
    return triples


def _without_failing_facts(
    facts: DocFacts, focus: set[str]
) -> tuple[DocFacts, list[tuple[str, set[str]]]] | None:
    """``facts`` without the office holdings and events whose own nodes (the holding, its office,
    the event, their evidence) are the focus of a violation, and which facts went; None when a
    violation is about something else, or no fact is left out."""
    from dataclasses import replace

    def nodes(**only: list) -> set[str]:
        part = replace(facts, **{"entities": [], "office_holdings": [], "events": [], **only})
        return {str(s) for s, _, _ in to_triples(part)} - {str(doc_iri(facts.article.id))}

    gone: list[tuple[str, set[str]]] = []
    kept: dict[str, list] = {"office_holdings": [], "events": []}
    described = {
        "office_holdings": lambda holding: f"{holding.person} holds {holding.office.label}",
        "events": lambda event: f"event {event.key} ({event.label or event.type})",
    }
    for kind, describe in described.items():
        for fact in getattr(facts, kind):
            failing = nodes(**{kind: [fact]}) & focus
            if failing:
                gone.append((describe(fact), failing))
            else:
                kept[kind].append(fact)
    covered = set().union(*(failing for _, failing in gone))
    if not gone or focus - covered:
        return None
    return replace(facts, **kept), gone


def _names(article: Article) -> set[str]:
    return set(article.sources or (article.stem,))


def _is_new(
    article: Article, stored: dict[str, StoredArticle], by_name: dict[str, list[StoredArticle]]
) -> bool:
    """Neither this text nor any text of the same file is in the store: writing it replaces nothing."""
    return article.id not in stored and not any(by_name.get(name) for name in _names(article))


def _commit(
    store: Store, facts: DocFacts, triples: list[Triple], by_name: dict[str, list[StoredArticle]]
) -> None:
    """Write one article's graph in one transaction, dropping the earlier text of its file.

    ``by_name`` maps each source file name to the stored articles read from it.
    """
    article = facts.article
    names = _names(article)
    replaced = []
    for old in {old.article_id: old for name in names for old in by_name.get(name, ())}.values():
        if old.article_id == article.id:
            continue
        if set(old.identifiers) <= names:
            replaced.append(old.article_id)  # the file changed: its earlier text goes
        else:
            for name in names & set(old.identifiers):
                store.remove_identifier(old.article_id, name)
    store.replace_article(article.id, triples, drop=sorted(replaced))


def _by_name(stored: dict[str, StoredArticle]) -> dict[str, list[StoredArticle]]:
    by_name: dict[str, list[StoredArticle]] = {}
    for old in stored.values():
        for name in old.identifiers:
            by_name.setdefault(name, []).append(old)
    return by_name


def link_offline(store: Store, touched: Touched | None = None, reference: Reference | None = None) -> int:
    """Link entities to Wikidata/DBpedia from the shipped reference data (no network).

    With ``touched`` (collected while build or remove wrote), only the entities a build changed, and
    those that read a country whose labels changed, are decided again, in one transaction; the
    result is the same as a full link. Without it, or when graph/links was not written by a link
    with the same reference, rules and threshold, every entity is linked again. Returns how many
    entities the store links. ``reference`` replaces the shipped reference data (tests).
    """
    from kg.link import link_changed, link_entities, link_store_graphs, load_reference

    canonical = store.dataset.graph(CANONICAL_GRAPH)  # each fact once
    reference = reference or load_reference()  # parsed once, for either kind of link
    rules = touched.rules if touched is not None else None
    if touched is not None:
        update = link_changed(canonical, store.dataset.graph(LINKS_GRAPH), touched, reference)
        if update is not None:
            if request := update.request():
                store.update(request)
            return update.linked
    result = link_entities(canonical, reference, rules=rules)
    for graph, triples in link_store_graphs(result).items():
        store.replace_graph(graph, triples)
    return len(result.links)


def _before_writing(store: Store, settings: Settings) -> tuple[bool, Touched | None]:
    """Before a build or removal writes: (must graph/canonical be rebuilt at the end, the tracker
    that lets the linker re-decide only what the writes change).

    graph/canonical is kept in step article by article; one written by another extractor version
    or layout (or never) is rebuilt whole, and an empty store's is trivially current. The stored
    links are marked stale until a link finishes.
    """
    from kg.link import Touched, stale_links_request

    rebuild = store.canonical_version() != canonical.VERSION
    if rebuild and not store.has_articles():
        store.mark_canonical_current()
        rebuild = False
    touched = Touched(store) if settings.link and not rebuild else None
    store.update(stale_links_request())
    return rebuild, touched


def _replaced(
    facts: list[DocFacts], stored: dict[str, StoredArticle], by_name: dict[str, list[StoredArticle]]
) -> list[str]:
    """Stored articles that writing ``facts`` may drop: the same text, or the same file's (a superset
    of what _commit drops; an article read needlessly only costs its entities a second decision)."""
    found = {f.article.id for f in facts if f.article.id in stored}
    for f in facts:
        for name in f.article.sources or (f.article.stem,):
            found |= {old.article_id for old in by_name.get(name, ())}
    return sorted(found)


def store_stats(store: Store, triples: bool = True) -> dict[str, int]:
    """How many documents, entities, events and holdings graph/canonical holds; with ``triples``
    the store's triple count too, which Oxigraph finds by a scan of the whole store, growing with
    it: `kg stats` gives it, a build's report leaves it out so that it stays flat."""
    counts = {
        "documents": DKG.Document,
        "persons": DKG.Person,
        "institutions": DKG.Institution,
        "countries": DKG.Country,
        "places": DKG.Place,
        "events": DKG.Event,
        "office_holdings": DKG.OfficeHolding,
    }
    stats = {}
    for name, cls in counts.items():
        rows = store.select(
            f"SELECT (COUNT(?s) AS ?n) WHERE {{ GRAPH {CANONICAL_GRAPH.n3()} {{ ?s a {cls.n3()} }} }}"
        )
        stats[name] = int(rows[0][0])
    if triples:
        from kg.vocab import ONTOLOGY_GRAPH

        stats["triples"] = store.count_triples()
        ontology = store.select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ONTOLOGY_GRAPH.n3()} {{ ?s ?p ?o }} }}"
        )
        stats["triples_ontology"] = int(ontology[0][0])
        stats["triples_exported"] = stats["triples"] - stats["triples_ontology"]
    return stats


# What `kg stats` says beside its counts.
STATS_NOTES = {
    "documents": "articles in the store",
    "triples": "in every graph of the store (a triple in two graphs counts twice)",
    "triples_ontology": "graph/ontology: left out of kg export unless --include-ontology",
    "triples_exported": "what kg export writes as N-Quads or TriG; Turtle, N-Triples and RDF/XML "
    "merge the graphs, so a triple several graphs hold is written once",
}


def remove(identifiers: Iterable[str], settings: Settings | None = None) -> list[str]:
    """Remove documents by file stem or content hash, with every fact only they supported.

    Facts live in their document's graph, so dropping the graph removes exactly what only that
    document said; what other documents also say stays, in their graphs and in graph/canonical.
    Returns what was removed.
    """
    settings = settings or Settings()
    identifiers = list(identifiers)
    removed = []
    with Store(settings.store) as store:
        stored = store.stored_articles(ids=identifiers, names=identifiers)
        rebuild, touched = _before_writing(store, settings)
        for identifier in identifiers:
            matches = [
                a for a in stored.values() if identifier == a.article_id or identifier in a.identifiers
            ]
            if not matches:
                raise KeyError(f"no document {identifier!r} in store {settings.store}")
            for article in matches:
                if identifier in article.identifiers and len(article.identifiers) > 1:
                    store.remove_identifier(article.article_id, identifier)
                else:
                    if touched is not None:  # read before it goes
                        touched.articles([article.article_id])
                    store.remove_article(article.article_id)
                removed.append(article.article_id)
        _settle(store, touched)
        if rebuild:
            store.rebuild_canonical()
        if settings.link:
            _link_targets(store, touched)
            link_offline(store, touched)
    return removed
