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
    a new URIRef at every attribute access: 400 of them an article, 1.5 ms of its triples."""

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

# Graph that holds what is derived from all documents together (canonical labels, merges), rebuilt
# after every build; everything else lives in the graph of the document that says it.
CANONICAL_GRAPH = GRAPH["canonical"]
# Which article-level persons and events are one across articles (kg/graph/merge.py).
MERGE_GRAPH = GRAPH["merge"]
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
    "MERGE_GRAPH",
    "ORG",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SEM",
    "SKOS",
    "STANDARD_TYPES",
    "TIME",
    "TOPIC",
    "TOPICS_SCHEME",
    "WD",
    "XSD",
]
