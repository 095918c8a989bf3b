"""Every IRI the pipeline writes, in one place.

Standard vocabularies first (W3C ORG, schema.org, PROV-O, SKOS, OWL-Time, Dublin Core, FOAF); our own
terms (``DKG``) where they add meaning. ontology/diplomacy.ttl declares every ``DKG`` term used here and
tests/test_vocab.py checks that it does. schema.org is used in its https form (rdflib's ``SDO``).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD

BASE = "https://w3id.org/diplomacy-kg/"


class TermNamespace(Namespace):
    """A Namespace whose named terms (``DKG.evidence``) are made once. rdflib's builds and checks
    a new URIRef at every attribute access, hundreds of times an article (docs/performance.md,
    figures behind the code's choices)."""

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)  # AttributeError for Python's own names, as rdflib does
        self.__dict__[name] = term  # found by plain attribute lookup from now on
        return term


DKG = TermNamespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")  # minted resources: ID["person/<slug>"]
GRAPH = Namespace(BASE + "graph/")  # one named graph per document: GRAPH[<article id>]
TOPIC = Namespace(BASE + "topic/")  # SKOS concepts of ontology/topics.ttl
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD = Namespace("http://www.wikidata.org/entity/")
DBR = Namespace("http://dbpedia.org/resource/")

# The named graphs beside the one per document (docs/graph.md). Graph that holds what is derived
# from all documents together (canonical labels, merges), rebuilt after every build; everything else
# lives in the graph of the document that says it.
CANONICAL_GRAPH = GRAPH["canonical"]
# Which article-level persons and events are one across articles (kg/graph/merge.py).
MERGE_GRAPH = GRAPH["merge"]
# The label votes graph/canonical's labels are counted from (kg/graph/canonical.py).
VOTES_GRAPH = GRAPH["votes"]
# ontology/diplomacy.ttl and ontology/topics.ttl as the store carries them (kg/graph/store.py).
ONTOLOGY_GRAPH = GRAPH["ontology"]
TOPICS_GRAPH = GRAPH["topics"]
# The linker's owl:sameAs links, and the Wikidata-shaped triples of the items they point at (kg/link).
LINKS_GRAPH = GRAPH["links"]
REFERENCE_GRAPH = GRAPH["reference"]
# Marks of a bulk write in progress (kg.graph.store.Store.add_articles).
PENDING_GRAPH = GRAPH["pending"]
# The shipped reference data (data/reference/wikidata.ttl) as a source: links are derived from it.
REFERENCE_DATASET = URIRef(BASE + "reference/wikidata")
TOPICS_SCHEME = TOPIC["scheme"]

# The standard classes written beside kg's own on every instance (kg/graph/rdf.py), so that a client
# without a reasoner finds `?x a schema:Person` or `?x a foaf:Person`; ontology/diplomacy.ttl states
# the same as rdfs:subClassOf (tests/test_ontology.py checks that it does). Topics are skos:Concepts
# in graph/topics.
STANDARD_TYPES = {
    DKG.Person: (SDO.Person, FOAF.Person),
    DKG.Institution: (SDO.Organization, ORG.Organization),
    DKG.Country: (SDO.Country,),
    DKG.Place: (SDO.Place,),
    DKG.Event: (SDO.Event, SEM.Event),
    DKG.Document: (FOAF.Document,),
}

__all__ = [
    "BASE",
    "CANONICAL_GRAPH",
    "DBR",
    "DCTERMS",
    "DKG",
    "FOAF",
    "GRAPH",
    "ID",
    "LINKS_GRAPH",
    "MERGE_GRAPH",
    "ONTOLOGY_GRAPH",
    "ORG",
    "OWL",
    "PENDING_GRAPH",
    "PROV",
    "RDF",
    "RDFS",
    "REFERENCE_DATASET",
    "REFERENCE_GRAPH",
    "SDO",
    "SEM",
    "SKOS",
    "STANDARD_TYPES",
    "TIME",
    "TOPIC",
    "TOPICS_GRAPH",
    "TOPICS_SCHEME",
    "VOTES_GRAPH",
    "WD",
    "XSD",
]
