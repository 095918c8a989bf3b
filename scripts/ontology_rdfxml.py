"""Write ontology/diplomacy.owl, the RDF/XML form of ontology/diplomacy.ttl (the Turtle is the source).

owlready2, Protégé's older plugins and other OWL tools read RDF/XML but not Turtle. Run this after
editing the Turtle; tests/test_ontology.py fails while the two differ.

    .venv/bin/python scripts/ontology_rdfxml.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
PREFIXES = {
    "dkg": "https://w3id.org/diplomacy-kg/ontology#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
}


def rdfxml(turtle: Path) -> bytes:
    """The Turtle file's triples as RDF/XML, in a stable order (subject, predicate, object)."""
    triples = [quad.triple for quad in ox.parse(path=str(turtle), format=ox.RdfFormat.TURTLE)]
    triples.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES)


def main() -> int:
    target = ONTOLOGY / "diplomacy.owl"
    target.write_bytes(rdfxml(ONTOLOGY / "diplomacy.ttl"))
    print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
