"""The embedded RDF store: Oxigraph on disk, used through rdflib (oxrdflib).

Only this module writes the graph (the linker's updates go through ``Store.update``). Each article
lives in its own named graph and is written in one SPARQL Update request, with the changes it makes
to graph/canonical and graph/votes (kg/graph/canonical.py); Oxigraph runs it as one transaction: a reader,
or a build killed at any point, sees an article either wholly as it was or wholly as it is now,
never half. Many new articles at once (a build's chunk) go through Oxigraph's bulk loader instead,
2-3x cheaper; it is not transactional, so the batch is marked pending until its votes are counted:
the next writer rolls back a killed batch, and a reader waits for a batch being written or, for a
killed one, says so rather than show it (``add_articles``).

Why Oxigraph: rdflib's default in-memory engine needs 35 s for a pair-count query that Oxigraph
answers in 0.3 s on 200k triples (shared/REFERENCES.md). Queries go to pyoxigraph directly
(``Store.query``); oxrdflib keeps rdflib's API over the same store for the code that reads graphs
as rdflib objects (linking, validation).
"""

from __future__ import annotations

import io
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import from_ox
from oxrdflib._converter import to_ox as _ox
from rdflib import BNode, Dataset, Literal, URIRef

from kg.common.files import shown
from kg.graph import canonical
from kg.graph.rdf import EXTRACTOR_VERSION, Triple, article_graph, doc_iri, iter_ntriples
from kg.nlp.facts import Article
from kg.shipped import ontology_dir
from kg.sparql.results import RDF_FORMATS as EXPORT_FORMATS
from kg.vocab import (
    BASE,
    CANONICAL_GRAPH,
    DCTERMS,
    DKG,
    FOAF,
    ONTOLOGY_GRAPH,
    ORG,
    OWL,
    PENDING_GRAPH,
    PROV,
    RDF,
    RDFS,
    SDO,
    SEM,
    SKOS,
    TIME,
    TOPIC,
    TOPICS_GRAPH,
    WD,
    XSD,
)

ONTOLOGY_DIR = ontology_dir()
# How long a reader waits for a bulk write in progress to finish before it gives up.
PENDING_WAIT_S = 10.0

PREFIXES = {
    "dkg": str(DKG),
    # One prefix per kind of minted resource, so exported Turtle reads person:sahiba-gafarova.
    **{
        kind: f"{BASE}id/{kind}/"
        for kind in (
            "doc",
            "person",
            "institution",
            "country",
            "place",
            "office",
            "holding",
            "event",
            "evidence",
        )
    },
    "topic": str(TOPIC),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "org": str(ORG),
    "schema": str(SDO),
    "sem": str(SEM),
    "time": str(TIME),
    "wd": str(WD),
}

DATASET_FORMATS = {"trig", "nquads", "jsonld"}


class StoreError(Exception):
    """The store cannot be opened or written; the message names the directory and the reason."""


@dataclass(frozen=True)
class StoredArticle:
    article_id: str
    identifiers: tuple[str, ...]
    extractor_version: str | None
    # What the graph records about the document besides its text: (title, issued, source URL).
    record: tuple[str | None, str | None, str | None] = (None, None, None)


def article_record(article: Article) -> tuple[str | None, str | None, str | None]:
    """(title, publication date, URL) as kg/graph/rdf.py writes them on the document: an article whose
    text is unchanged but whose date line or JSONL ``published`` / ``url`` changed is built again."""
    published = article.published.isoformat() if article.published else None
    return (article.title or None, published, article.url or None)


class Store:
    """An Oxigraph store in ``path`` (created if missing), or in memory when ``path`` is None."""

    def __init__(
        self, path: str | Path | None, read_only: bool = False, wait_for_pending: bool = True
    ) -> None:
        """``wait_for_pending=False``: a read-only open that finds a bulk write in progress raises
        StoreError at once instead of waiting for it (a server keeps its last snapshot instead)."""
        self.path = Path(path) if path is not None else None
        self.name = shown(self.path) if self.path is not None else "None"  # as messages show it
        try:
            if self.path is None:
                inner = ox.Store()
            elif read_only:
                if not self.path.exists():
                    raise StoreError(f"store {self.name}: no such directory (run `kg build` first)")
                # A build killed before its first write leaves an empty directory: an empty store.
                has_data = (self.path / "CURRENT").exists()
                inner = _open_read_only(self.path) if has_data else ox.Store()
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                inner = ox.Store(str(self.path))
        except (OSError, RuntimeError) as err:
            raise StoreError(f"store {self.name}: cannot open ({_reason(err)})") from err
        self.inner = inner
        self.read_only = read_only
        if self.pending_articles():
            if read_only and not wait_for_pending:
                raise StoreError(f"store {self.name}: a bulk write is in progress")
            if read_only:
                self.inner = self._wait_for_pending()
            else:
                self._roll_back_pending()  # a build killed during a bulk write
        # oxrdflib wraps the same pyoxigraph store, so rdflib code (initBindings, results) sees it too.
        self.dataset = Dataset(store=OxigraphStore(store=self.inner), default_union=True)
        for prefix, ns in PREFIXES.items():
            self.dataset.bind(prefix, ns, override=True)

    def _wait_for_pending(self) -> ox.Store:
        """A read-only view without pending marks: a build's bulk write takes a second or two, so
        wait for it (a read-only store is a snapshot: open it again); marks that stay are a killed
        build's, which only a write can roll back."""
        assert self.path is not None
        deadline = time.monotonic() + PENDING_WAIT_S
        while time.monotonic() < deadline:
            time.sleep(0.2)
            inner = _open_read_only(self.path)
            if not any(True for _ in inner.quads_for_pattern(None, None, None, _ox(PENDING_GRAPH))):
                return inner
        raise StoreError(
            f"store {self.name}: {len(self.pending_articles())} articles of an unfinished bulk write "
            "(a build was killed while writing them, or is still writing after "
            f"{PENDING_WAIT_S:.0f} s); run `kg build` again to roll them back and write them whole"
        )

    # -- reading ---------------------------------------------------------------------------------

    def select(self, query: str, bindings: dict | None = None) -> list[tuple]:
        """Rows of a SELECT as rdflib terms (None for unbound)."""
        result = self.inner.query(
            query,
            use_default_graph_as_union=True,
            prefixes=PREFIXES,
            substitutions={ox.Variable(k): v for k, v in (bindings or {}).items()},
        )
        return [tuple(_from_ox(v) if v is not None else None for v in row) for row in result]

    def query(self, text: str):
        """A pyoxigraph result (solutions, boolean or triples) over the union of all graphs."""
        return self.inner.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)

    def stored_articles(
        self, ids: Iterable[str] | None = None, names: Iterable[str] | None = None
    ) -> dict[str, StoredArticle]:
        """The stored articles, or only those whose id is in ``ids`` or that were read from a file
        in ``names``: a build of one file into a large store asks for what it may touch, not for
        every article (a cost that grows with the store)."""
        where = ""
        if ids is not None or names is not None:
            hashes = " ".join(Literal(i).n3() for i in sorted(set(ids or ())))
            files = " ".join(Literal(n).n3() for n in sorted(set(names or ())))
            if not hashes and not files:
                return {}
            where = (
                f"{{ VALUES ?hash {{ {hashes} }} GRAPH ?g {{ ?doc dkg:contentHash ?hash }} }} UNION "
                f"{{ VALUES ?name {{ {files} }} GRAPH ?g {{ ?doc dcterms:identifier ?name }} }}"
            )
        rows = self.select(
            f"""SELECT ?g ?hash ?id ?version ?title ?issued ?url WHERE {{ {where} GRAPH ?g {{
                 ?doc a dkg:Document ; dkg:contentHash ?hash ; dcterms:identifier ?id .
                 OPTIONAL {{ ?doc dkg:extractorVersion ?version }}
                 OPTIONAL {{ ?doc dcterms:title ?title }}
                 OPTIONAL {{ ?doc dcterms:issued ?issued }}
                 OPTIONAL {{ ?doc dcterms:source ?url }} }}
                 FILTER (?g != {CANONICAL_GRAPH.n3()}) }}"""
        )
        found: dict[str, tuple[set[str], str | None, tuple]] = {}
        for _g, article_id, identifier, version, *record in rows:
            ids_, _, _ = found.setdefault(str(article_id), (set(), None, ()))
            ids_.add(str(identifier))
            found[str(article_id)] = (
                ids_,
                str(version) if version is not None else None,
                tuple(str(v) if v is not None else None for v in record),
            )
        return {aid: StoredArticle(aid, tuple(sorted(i)), v, r) for aid, (i, v, r) in found.items()}

    def has_articles(self) -> bool:
        not_canonical = f"FILTER (?g != {CANONICAL_GRAPH.n3()})"
        return bool(self.query(f"ASK {{ GRAPH ?g {{ ?doc a dkg:Document }} {not_canonical} }}"))

    def is_current(
        self, article_id: str, stored: dict[str, StoredArticle], article: Article | None = None
    ) -> bool:
        """Stored by this extractor version, and (given ``article``) with the same title, date and
        URL: the content hash covers only the text."""
        entry = stored.get(article_id)
        if entry is None or entry.extractor_version != EXTRACTOR_VERSION:
            return False
        return article is None or entry.record == article_record(article)

    def count_triples(self) -> int:
        return len(self.inner)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.inner.named_graphs())

    # -- writing ---------------------------------------------------------------------------------

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.name}: opened read-only")

    def _update(self, request: str) -> None:
        self._check_writable()
        try:
            self.inner.update(request, prefixes=PREFIXES)
        except OSError as err:
            raise StoreError(f"store {self.name}: write failed ({_reason(err)})") from err

    def replace_article(self, article_id: str, triples: list[Triple], drop: Iterable[str] = ()) -> None:
        """Write one article's graph in a single transaction, replacing any earlier version.

        ``drop`` names other article ids whose graphs go in the same transaction (the earlier
        content of a file that changed). graph/canonical follows in the same transaction.
        """
        self._write(sorted(set(drop) | {article_id}), article_id, triples)

    def remove_article(self, article_id: str) -> None:
        """Drop an article's graph, and every canonical fact no other article states, in one transaction."""
        self._write([article_id], None, [])

    def _write(self, gone: list[str], article_id: str | None, triples: list[Triple]) -> None:
        """Drop the graphs of ``gone``, add ``triples`` as ``article_id``'s graph, in one transaction
        that keeps graph/canonical in step (kg/graph/canonical.py) and marks the persons and events
        written or dropped for kg/graph/merge.py's ``settle``."""
        from kg.graph import merge

        # A new article replaces nothing: skip the retraction for graphs that do not exist.
        graphs = [g for g in map(article_graph, gone) if self.inner.contains_named_graph(_ox(g))]
        # The graphs that go are read back only when graph/merge renames something they name; else
        # their contribution is their own triples, and one SPARQL request retracts it.
        named = merge.named_in(self, graphs)
        terms = merge.merge_terms(triples) | named
        mapping = merge.lookup(self, terms)
        renamed = any(t in mapping.target for t in named) or merge.renamed_into(self, named)
        old_triples = [self.graph_triples(g) for g in graphs] if renamed else []
        new = merge.contribution(triples, mapping) if article_id is not None else []
        operations: list[str] = []
        if renamed:
            old = [merge.contribution(t, mapping) for t in old_triples]
            deletes, _, labels = canonical.recontribute(
                self, old, [new] if new else [], merge.preimages(self), set(graphs)
            )
            operations += deletes + labels
        elif graphs:
            operations.append(canonical.retract(graphs))
            operations += canonical.label_updates(
                self, canonical.labels_in(self, graphs), canonical.labels_of(new)
            )
        else:
            operations += canonical.label_updates(self, Counter(), canonical.labels_of(new))
        operations += [f"DROP SILENT GRAPH {g.n3()}" for g in graphs]
        if article_id is not None:
            # The article's triples go into its own graph, what it contributes into graph/canonical.
            body = "\n".join(iter_ntriples(triples))
            shared = "\n".join(iter_ntriples(new))
            operations.append(
                f"INSERT DATA {{ GRAPH {article_graph(article_id).n3()} {{\n{body}\n}}\n"
                f"GRAPH {CANONICAL_GRAPH.n3()} {{\n{shared}\n}} }}"
            )
        if terms:
            operations.append(canonical.insert_data(merge.MERGE_GRAPH, merge.pending_triples(terms)))
        self._update(" ;\n".join(operations))

    def graph_triples(self, graph: URIRef) -> list[Triple]:
        """One stored graph's triples as rdflib terms, as kg/graph/rdf.py makes them (a plain string is a
        Literal without datatype: rdflib's Literal("x") differs from "x"^^xsd:string)."""
        return [
            (_from_ox(q.subject), _from_ox(q.predicate), _from_ox(q.object))
            for q in self.inner.quads_for_pattern(None, None, None, _ox(graph))
        ]

    def triples_naming(self, terms: Iterable[URIRef], graphs: Iterable[URIRef]) -> dict[URIRef, list[Triple]]:
        """Of each of ``graphs``, the triples whose subject or object is one of ``terms``, as
        rdflib terms (each triple once). Index lookups by term: reading the graphs whole costs a
        quad's decoding for every triple of every graph (docs/performance.md, figures behind the
        code's choices)."""
        wanted = {_ox(g): g for g in graphs}
        found: dict[URIRef, dict[Triple, None]] = {g: {} for g in wanted.values()}
        for term in sorted(set(terms)):
            node = _ox(term)
            for quads in (
                self.inner.quads_for_pattern(node, None, None, None),
                self.inner.quads_for_pattern(None, None, node, None),
            ):
                for q in quads:
                    graph = wanted.get(q.graph_name)
                    if graph is not None:
                        found[graph][(_from_ox(q.subject), _from_ox(q.predicate), _from_ox(q.object))] = None
        return {g: list(triples) for g, triples in found.items()}

    def add_articles(self, articles: Sequence[tuple[str, list[Triple]]]) -> None:
        """Write many articles that are not in the store yet, with Oxigraph's bulk loader.

        Cheaper than ``replace_article`` one by one (docs/performance.md, figures behind the code's
        choices): the bulk loader writes sorted index files instead of taking a lock per index key;
        the same graph.
        The bulk loader is not transactional, so the articles are marked pending in graph/pending
        first, in one transaction, and their label votes are counted, their preferred labels set
        and the marks taken away last, in another: a build killed in between leaves marks that
        the next write rolls back (``_roll_back_pending``), and a reader refuses to open a store
        with marks it cannot roll back (``StoreError``).
        """
        self._check_writable()
        if not articles:
            return
        stored = [a for a, _ in articles if self.inner.contains_named_graph(_ox(article_graph(a)))]
        if stored:
            raise ValueError(f"add_articles: already stored, use replace_article: {', '.join(stored)}")
        from kg.graph import merge

        terms = set().union(*(merge.merge_terms(triples) for _, triples in articles))
        mapping = merge.lookup(self, terms)
        shared = [merge.contribution(triples, mapping) for _, triples in articles]
        operations = canonical.label_updates(self, Counter(), canonical.labels_of_all(shared))
        marks = [(article_graph(a), RDF.type, DKG.PendingArticle) for a, _ in articles]
        self._update(
            canonical.insert_data(PENDING_GRAPH, marks)
            + " ;\n"
            + canonical.insert_data(merge.MERGE_GRAPH, merge.pending_triples(terms))
        )
        try:
            self.inner.bulk_extend(_article_quads(articles, shared))
        except (OSError, ValueError) as err:  # an IRI or literal Oxigraph rejects, a full disk
            self._roll_back_pending()
            raise StoreError(f"store {self.name}: bulk write failed ({_reason(err)})") from err
        self._update(" ;\n".join([*operations, f"DROP SILENT GRAPH {PENDING_GRAPH.n3()}"]))

    def pending_articles(self) -> list[URIRef]:
        """Article graphs a bulk write marked pending and has not finished (see add_articles)."""
        marked = self.inner.quads_for_pattern(None, None, None, _ox(PENDING_GRAPH))
        return sorted(URIRef(q.subject.value) for q in marked if isinstance(q.subject, ox.NamedNode))

    def _roll_back_pending(self) -> None:
        """Drop the graphs of an unfinished bulk write and what only they put into graph/canonical,
        in one transaction. Their votes were never counted: the labels stay as they were."""
        from kg.graph import merge

        pending = self.pending_articles()
        if pending:
            old_triples = [self.graph_triples(g) for g in pending]
            terms = set().union(*(merge.merge_terms(t) for t in old_triples))
            mapping = merge.lookup(self, terms)
            old = [merge.contribution(t, mapping) for t in old_triples]
            # Their votes were never counted: only the triples go (the labels' changes are not run).
            deletes, _, _ = canonical.recontribute(self, old, [], merge.preimages(self), set(pending))
            drops = [f"DROP SILENT GRAPH {g.n3()}" for g in (*pending, PENDING_GRAPH)]
            self._update(" ;\n".join([*deletes, *drops]))

    def update(self, request: str) -> None:
        """Run a SPARQL Update in one transaction: a user's (kg sparql --allow-update), or the
        incremental linker's (kg/link/incremental.py) replacement of the links of the entities a
        build touched."""
        self._update(request)

    def add_identifiers(self, article_id: str, identifiers: Iterable[str]) -> None:
        """Record more source files for an article that is already stored (same text, new name)."""
        self._identifiers("INSERT", article_id, sorted(identifiers))

    def remove_identifier(self, article_id: str, identifier: str) -> None:
        self._identifiers("DELETE", article_id, [identifier])

    def _identifiers(self, verb: str, article_id: str, identifiers: list[str]) -> None:
        """Add or take out dcterms:identifier triples of an article's document, in its graph and in
        graph/canonical (the document's IRI is the article's own: no other article states them)."""
        doc = doc_iri(article_id).n3()
        body = "\n".join(f"{doc} {DCTERMS.identifier.n3()} {Literal(i).n3()} ." for i in identifiers)
        if body:
            graphs = (article_graph(article_id), CANONICAL_GRAPH)
            self._update(f"{verb} DATA {{ " + " ".join(f"GRAPH {g.n3()} {{ {body} }}" for g in graphs) + " }")

    def replace_graph(self, graph: URIRef, triples: Iterable[Triple]) -> None:
        """Replace a whole derived graph (canonical labels, links, ontology) in one transaction."""
        body = "\n".join(iter_ntriples(list(triples)))
        self._update(f"DROP SILENT GRAPH {graph.n3()} ;\nINSERT DATA {{ GRAPH {graph.n3()} {{\n{body}\n}} }}")

    def load_file(self, graph: URIRef, path: Path) -> None:
        """Load an RDF file into ``graph``, replacing what it held, in one transaction."""
        self._check_writable()
        try:
            fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
            triples = [q.triple for q in ox.parse(path=str(path), format=fmt)]
        except (OSError, SyntaxError, ValueError) as err:
            raise StoreError(f"{path}: cannot parse ({err})") from err
        # Ontologies have blank nodes (OWL unions): N-Triples keeps them, INSERT DATA accepts them.
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        target = graph.n3()
        self._update(f"DROP SILENT GRAPH {target} ;\nINSERT DATA {{ GRAPH {target} {{\n{body}\n}} }}")

    def bulk_load(self, data: str | bytes | Path, fmt: str = "nquads") -> None:
        """Load a large dataset fast with Oxigraph's bulk loader (not transactional: for new stores)."""
        self._check_writable()
        format_ = EXPORT_FORMATS[fmt]
        if isinstance(data, Path):
            self.inner.bulk_load(path=str(data), format=format_)
        else:
            self.inner.bulk_load(input=data, format=format_)

    def canonical_version(self) -> str | None:
        """The extractor version graph/canonical was last rebuilt for (None: never)."""
        subject, predicate, _ = canonical.marker()
        found = self.inner.quads_for_pattern(_ox(subject), _ox(predicate), None, _ox(CANONICAL_GRAPH))
        return next((quad.object.value for quad in found), None)

    def mark_canonical_current(self) -> None:
        """Record that graph/canonical matches this extractor version (an empty store's does)."""
        self._update(
            canonical.unmark() + " ;\n" + canonical.insert_data(CANONICAL_GRAPH, [canonical.marker()])
        )

    def rebuild_canonical(self) -> int:
        """Recompute graph/merge, graph/canonical and graph/votes from every article graph.

        Builds keep them in step article by article (``replace_article``); a whole rebuild is for
        stores loaded in bulk, or written by an earlier extractor version.

        Not one transaction: one INSERT of a million triples takes minutes, Oxigraph's bulk writer
        seconds (docs/performance.md, figures behind the code's choices). Safe all the same: the
        version marker goes first and comes back last, so a rebuild that is killed halfway is redone
        by the next build.
        """
        from kg.graph import merge

        self._update(canonical.unmark())
        overrides = merge.recompute(self)
        mapping = merge.full_mapping(self)
        target = _ox(CANONICAL_GRAPH)
        for graph in (target, _ox(canonical.VOTES_GRAPH)):
            self.inner.clear_graph(graph)
        votes: dict[URIRef, Counter] = {}
        contributed: set[Triple] = set(overrides)
        for name in self.inner.named_graphs():
            if isinstance(name, ox.NamedNode) and canonical.ARTICLE_GRAPH.match(name.value):
                triples = merge.contribution(self.graph_triples(URIRef(name.value)), mapping)
                contributed.update(triples)
                for (subject, label), count in canonical.labels_of(triples).items():
                    votes.setdefault(subject, Counter())[label] += count
        self.inner.bulk_extend(_canonical_quads(contributed))
        self._update(
            canonical.insert_data(CANONICAL_GRAPH, canonical.preferred_labels(votes))
            + " ;\n"
            + canonical.insert_data(canonical.VOTES_GRAPH, canonical.vote_triples(votes))
        )
        self.mark_canonical_current()
        # Compact: the graph just cleared leaves tombstones that made queries 2x slower on 1M triples.
        self.inner.optimize()
        return len(votes)

    # -- export ----------------------------------------------------------------------------------

    def export(self, fmt: str, out: io.BufferedIOBase | str | Path, include_ontology: bool = False) -> None:
        """Serialise the store. TriG, N-Quads and JSON-LD keep the named graphs; Turtle, N-Triples and
        RDF/XML give their union."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; choose from {sorted(EXPORT_FORMATS)}")
        skip = set() if include_ontology else {ONTOLOGY_GRAPH.toPython()}
        graphs = [g for g in self.named_graphs() if g not in skip]
        quads = [q for g in graphs for q in self.inner.quads_for_pattern(None, None, None, ox.NamedNode(g))]
        format_ = EXPORT_FORMATS[fmt]
        prefixes = PREFIXES if fmt in {"turtle", "trig", "xml"} else None
        if fmt in DATASET_FORMATS:
            items = sorted(
                quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
            )
        else:
            items = sorted(
                {q.triple for q in quads}, key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
            )
        target = str(out) if isinstance(out, Path) else out
        if fmt == "jsonld":
            _write_compact_jsonld(items, target)
            return
        ox.serialize(items, target, format=format_, prefixes=prefixes)

    def flush(self) -> None:
        """Write what committed transactions hold in memory to disk (bounds a long build's memory)."""
        if not self.read_only:
            self.inner.flush()

    def close(self) -> None:
        """Release the store: RocksDB's lock goes when the last reference to it is collected."""
        if self.inner is not None and not self.read_only:
            self.inner.flush()
        if self.dataset is not None:
            # rdflib's Dataset and its graphs sit in reference cycles (namespace manager <-> graph)
            # that only a full collection frees. Closing oxrdflib's store drops the one reference
            # they hold to Oxigraph's, so RocksDB's lock goes now without one (a collection passes
            # over the loaded model too, at the end of every build).
            self.dataset.close()
        self.dataset = None  # type: ignore[assignment]
        self.inner = None  # type: ignore[assignment]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _article_quads(
    articles: Sequence[tuple[str, list[Triple]]], shared: Sequence[list[Triple]] | None = None
) -> Iterator[ox.Quad]:
    """Each article's triples in its own graph and what it contributes (``shared``, kg/graph/merge.py;
    by default its triples but its evidence nodes', as when graph/merge renames nothing) in
    graph/canonical, as Oxigraph quads. A term is converted once per call: entities, predicates
    and classes repeat across articles. Terms are remembered by identity (kg/graph/rdf.py makes repeated
    terms once): hashing an rdflib term runs Python code, and ``articles`` keeps every term alive,
    so no id is reused during the call."""
    converted: dict[int, object] = {}

    def term(t: object) -> object:
        found = converted.get(id(t))
        if found is None:
            if isinstance(t, BNode):  # as iter_ntriples, for the transactional writes
                raise ValueError("kg writes no blank nodes: every resource has a minted IRI")
            found = converted[id(t)] = _ox(t)
        return found

    canon = _ox(CANONICAL_GRAPH)
    if shared is None:
        shared = [[t for t in triples if canonical.in_canonical(t[0])] for _, triples in articles]
    for (article_id, triples), contributed in zip(articles, shared, strict=True):
        graph = _ox(article_graph(article_id))
        for s, p, o in triples:
            yield ox.Quad(term(s), term(p), term(o), graph)
        for s, p, o in contributed:
            yield ox.Quad(term(s), term(p), term(o), canon)


_XSD_STRING = str(XSD.string)


@lru_cache(maxsize=1 << 16)
def _iri(value: str) -> URIRef:
    return URIRef(value)


@lru_cache(maxsize=1 << 16)
def _literal(value: str, language: str | None, datatype: str) -> Literal:
    if language:
        return Literal(value, lang=language)
    if datatype == _XSD_STRING:
        return Literal(value)
    return Literal(value, datatype=_iri(datatype))


def _from_ox(term: object) -> object:
    """An Oxigraph term as rdflib's, each IRI and literal made once (rdflib checks every IRI it
    makes (docs/performance.md, figures behind the code's choices))."""
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.language, term.datatype.value)
    return from_ox(term)


def _canonical_quads(triples: Iterable[Triple]) -> Iterator[ox.Quad]:
    canon = _ox(CANONICAL_GRAPH)
    for s, p, o in triples:
        yield ox.Quad(_ox(s), _ox(p), _ox(o), canon)


JSONLD_CONTEXT = ONTOLOGY_DIR / "context.jsonld"


def _write_compact_jsonld(quads: list[ox.Quad], out: io.BufferedIOBase | str) -> None:
    """JSON-LD compacted with kg's @context (ontology/context.jsonld, written into the document so
    that a reader needs no network), one named graph per document as in TriG. Oxigraph writes only
    expanded JSON-LD; rdflib's writer compacts (tests/test_store.py reads the output back to the same
    quads)."""
    import json

    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
    context = json.loads(JSONLD_CONTEXT.read_text(encoding="utf-8"))["@context"]
    text = dataset.serialize(format="json-ld", context=context, auto_compact=True, indent=2)
    data = text.encode("utf-8") if isinstance(text, str) else text
    if isinstance(out, str):
        Path(out).write_bytes(data)
    else:
        out.write(data)


def oxigraph_behind(graph: object) -> ox.Store | None:
    """The pyoxigraph store under an rdflib Graph or Dataset a Store opened (``store.dataset``,
    ``store.dataset.graph(name)``), for code that reads it directly rather than triple by triple
    through rdflib; None for any other graph. oxrdflib keeps it in a private attribute: this is
    the one place that knows."""
    inner = getattr(getattr(graph, "store", None), "_inner", None)
    return inner if isinstance(inner, ox.Store) else None


def _open_read_only(path: Path, attempts: int = 20) -> ox.Store:
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as err:
            # Opened while a build writes: RocksDB replaced a file the manifest we read still
            # listed (a compaction, a new manifest). Opening again reads the newer one.
            transient = "No such file or directory" in str(err) or "Column family not found" in str(err)
            if transient and attempt < attempts - 1:
                time.sleep(0.05)
                continue
            # A build killed while RocksDB was still creating the store leaves it without its
            # column families: nothing was ever committed, so it reads as an empty store.
            if "Column family not found" in str(err):
                return ox.Store()
            raise
    raise AssertionError("unreachable")


def load_reference_graphs(store: Store) -> None:
    """The ontology and the topic scheme ride along in the store, so queries can read their labels."""
    for graph, name in ((ONTOLOGY_GRAPH, "diplomacy.ttl"), (TOPICS_GRAPH, "topics.ttl")):
        path = ONTOLOGY_DIR / name
        if path.exists():
            store.load_file(graph, path)


def _reason(err: OSError) -> str:
    text = str(err)
    if "lock" in text.lower():
        return "it is in use by another process (locked)"
    if "Permission denied" in text or "Read-only file system" in text:
        return "permission denied: the directory is read-only"
    return text
