"""The embedded RDF store: Oxigraph on disk, used through rdflib (oxrdflib).

Only this module writes the graph. Each article lives in its own named graph and is written in one
SPARQL Update request, which Oxigraph runs as one transaction: a reader, or a build killed at any
point, sees an article either wholly as it was or wholly as it is now, never half.

Why Oxigraph: rdflib's default in-memory engine needs 35 s for a pair-count query that Oxigraph
answers in 0.3 s on 200k triples (shared/REFERENCES.md); oxrdflib keeps rdflib's API (initBindings,
result objects) on top of it.
"""

from __future__ import annotations

import gc
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import from_ox
from rdflib import Dataset, Literal, URIRef

from kg.rdf import EXTRACTOR_VERSION, Triple, article_graph, doc_iri, iter_ntriples
from kg.vocab import (
    BASE,
    CANONICAL_GRAPH,
    DCTERMS,
    DKG,
    FOAF,
    GRAPH,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SEM,
    SKOS,
    TIME,
    TOPIC,
    WD,
    XSD,
)

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_GRAPH = GRAPH["ontology"]
TOPICS_GRAPH = GRAPH["topics"]
LINKS_GRAPH = GRAPH["links"]
# Graphs derived from the documents or loaded from ontology/, as opposed to one graph per article.
SPECIAL_GRAPHS = (CANONICAL_GRAPH, ONTOLOGY_GRAPH, TOPICS_GRAPH, LINKS_GRAPH)

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

EXPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
DATASET_FORMATS = {"trig", "nquads", "jsonld"}

# Labelled resources that get one canonical skos:prefLabel across documents.
CANONICAL_CLASSES = (DKG.Person, DKG.Institution, DKG.Country, DKG.Place, DKG.Office)


# Resources that saved queries find by name (a parameter matched on any label): they get dkg:key.
KEYED_CLASSES = (DKG.Person, DKG.Institution, DKG.Country)


def label_key(text: str) -> str:
    """The lookup key of a label or of a name given as a query parameter: lower case, single spaces."""
    return " ".join(text.split()).lower()


class StoreError(Exception):
    """The store cannot be opened or written; the message names the directory and the reason."""


@dataclass(frozen=True)
class StoredArticle:
    article_id: str
    identifiers: tuple[str, ...]
    extractor_version: str | None


def _ox(node: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(node))


class Store:
    """An Oxigraph store in ``path`` (created if missing), or in memory when ``path`` is None."""

    def __init__(self, path: str | Path | None, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                inner = ox.Store()
            elif read_only:
                if not self.path.exists():
                    raise StoreError(f"store {self.path}: no such directory (run `kg build` first)")
                # A build killed before its first write leaves an empty directory: an empty store.
                has_data = (self.path / "CURRENT").exists()
                inner = _open_read_only(self.path) if has_data else ox.Store()
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                inner = ox.Store(str(self.path))
        except (OSError, RuntimeError) as err:
            raise StoreError(f"store {self.path}: cannot open ({_reason(err)})") from err
        self.inner = inner
        self.read_only = read_only
        # oxrdflib wraps the same pyoxigraph store, so rdflib code (initBindings, results) sees it too.
        self.dataset = Dataset(store=OxigraphStore(store=inner), default_union=True)
        for prefix, ns in PREFIXES.items():
            self.dataset.bind(prefix, ns, override=True)

    # -- reading ---------------------------------------------------------------------------------

    def select(self, query: str, bindings: dict | None = None) -> list[tuple]:
        """Rows of a SELECT as rdflib terms (None for unbound)."""
        result = self.inner.query(
            query,
            use_default_graph_as_union=True,
            prefixes=PREFIXES,
            substitutions={ox.Variable(k): v for k, v in (bindings or {}).items()},
        )
        return [tuple(from_ox(v) if v is not None else None for v in row) for row in result]

    def stored_articles(self) -> dict[str, StoredArticle]:
        rows = self.select(
            """SELECT ?g ?hash ?id ?version WHERE { GRAPH ?g {
                 ?doc a dkg:Document ; dkg:contentHash ?hash ; dcterms:identifier ?id .
                 OPTIONAL { ?doc dkg:extractorVersion ?version } } }"""
        )
        found: dict[str, tuple[set[str], str | None]] = {}
        for _g, article_id, identifier, version in rows:
            ids, _ = found.setdefault(str(article_id), (set(), None))
            ids.add(str(identifier))
            found[str(article_id)] = (ids, str(version) if version is not None else None)
        return {aid: StoredArticle(aid, tuple(sorted(ids)), v) for aid, (ids, v) in found.items()}

    def is_current(self, article_id: str, stored: dict[str, StoredArticle]) -> bool:
        entry = stored.get(article_id)
        return entry is not None and entry.extractor_version == EXTRACTOR_VERSION

    def count_triples(self) -> int:
        return len(self.inner)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.inner.named_graphs())

    # -- writing ---------------------------------------------------------------------------------

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.path}: opened read-only")

    def _update(self, request: str) -> None:
        self._check_writable()
        try:
            self.inner.update(request, prefixes=PREFIXES)
        except OSError as err:
            raise StoreError(f"store {self.path}: write failed ({_reason(err)})") from err

    def replace_article(self, article_id: str, triples: list[Triple], drop: Iterable[str] = ()) -> None:
        """Write one article's graph in a single transaction, replacing any earlier version.

        ``drop`` names other article ids whose graphs go in the same transaction (the earlier
        content of a file that changed).
        """
        graph = article_graph(article_id).n3()
        parts = [f"DROP SILENT GRAPH {article_graph(a).n3()}" for a in sorted(set(drop) - {article_id})]
        parts.append(f"DROP SILENT GRAPH {graph}")
        body = "\n".join(iter_ntriples(triples))
        parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")
        self._update(" ;\n".join(parts))

    def update(self, request: str) -> None:
        """Run a user's SPARQL Update (kg sparql --allow-update) in one transaction."""
        self._update(request)

    def add_identifiers(self, article_id: str, identifiers: Iterable[str]) -> None:
        """Record more source files for an article that is already stored (same text, new name)."""
        doc = doc_iri(article_id).n3()
        body = "\n".join(f"{doc} {DCTERMS.identifier.n3()} {Literal(i).n3()} ." for i in sorted(identifiers))
        if body:
            self._update(f"INSERT DATA {{ GRAPH {article_graph(article_id).n3()} {{ {body} }} }}")

    def remove_identifier(self, article_id: str, identifier: str) -> None:
        doc = doc_iri(article_id).n3()
        triple = f"{doc} {DCTERMS.identifier.n3()} {Literal(identifier).n3()} ."
        self._update(f"DELETE DATA {{ GRAPH {article_graph(article_id).n3()} {{ {triple} }} }}")

    def remove_article(self, article_id: str) -> None:
        self._update(f"DROP SILENT GRAPH {article_graph(article_id).n3()}")

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

    def refresh_canonical(self) -> int:
        """Recompute graph/canonical: one skos:prefLabel per labelled resource, from all articles.

        The most frequent label across articles wins, ties broken alphabetically, so the result does
        not depend on the order in which articles were built.
        """
        values = " ".join(c.n3() for c in CANONICAL_CLASSES)
        rows = self.select(
            f"""SELECT ?s ?label (COUNT(DISTINCT ?g) AS ?n) WHERE {{
                 VALUES ?class {{ {values} }}
                 GRAPH ?g {{ ?s a ?class ; rdfs:label ?label }}
               }} GROUP BY ?s ?label"""
        )
        votes: dict[URIRef, Counter] = {}
        for subject, label, count in rows:
            votes.setdefault(subject, Counter())[str(label)] += int(count)
        triples = []
        for subject, counter in votes.items():
            best = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            triples.append((subject, SKOS.prefLabel, Literal(best, lang="en")))
        triples += self._label_keys()
        self.replace_graph(CANONICAL_GRAPH, triples)
        return len(votes)

    def _label_keys(self) -> list[Triple]:
        """One ``dkg:key`` per distinct normalised label of every person, institution and country.

        Saved queries look entities up by name; an exact match on this key is an index lookup,
        where ``FILTER(LCASE(STR(?name)) = ...)`` scanned every label in the store. The pattern is
        inside GRAPH ?g: over the union default graph Oxigraph repeats a triple once per graph that
        holds it, so the type and label patterns would multiply (25 s instead of 1 s on 1M triples).
        """
        values = " ".join(c.n3() for c in KEYED_CLASSES)
        rows = self.select(
            f"""SELECT DISTINCT ?s ?label WHERE {{
                 VALUES ?class {{ {values} }}
                 GRAPH ?g {{ ?s a ?class ; rdfs:label|skos:altLabel ?label }}
               }}"""
        )
        keys = {(subject, label_key(str(label))) for subject, label in rows}
        return [(subject, DKG.key, Literal(key)) for subject, key in sorted(keys)]

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
        ox.serialize(items, target, format=format_, prefixes=prefixes)

    def close(self) -> None:
        """Release the store: RocksDB's lock goes when the last reference to it is collected."""
        if self.inner is not None and not self.read_only:
            self.inner.flush()
        self.dataset = None  # type: ignore[assignment]
        self.inner = None  # type: ignore[assignment]
        gc.collect()  # rdflib's Dataset holds reference cycles to the store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_read_only(path: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as err:
        # A build killed while RocksDB was still creating the store leaves it without its column
        # families: nothing was ever committed, so it reads as an empty store.
        if "Column family not found" in str(err):
            return ox.Store()
        raise


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
