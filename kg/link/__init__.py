"""Entity linking: the graph's persons, countries, institutions and places -> Wikidata / DBpedia.

How an entity is linked:

1. Candidates by name (candidates.py, endpoint.py). Our labels (titles such as "Mrs" or "President"
   stripped, rules.py) are folded to a transliteration-aware skeleton ("Nurlan-Bek Sadyqov" and
   "Nurlan-Bek Sadykov" have one) and compared with every label and alias of the reference data
   (``ReferenceCandidateSource``), or looked up by exact label on a SPARQL endpoint
   (``SparqlCandidateSource``: Wikidata's, a local mirror, QLever).
2. Disambiguation (scoring.py). A candidate of the wrong type (wdt:P31 against
   kg/nlp/resources/link.rules.jsonl) is dropped. The score adds the name similarity, the type, the
   country (P27 for people, P17 otherwise, against the country we extracted) and the office: a P39
   "position held" whose label has our role and country, with P580/P582 around the article's date,
   confirms; a namesake who held other posts loses.
3. Threshold (linking.py). Links scoring under ``threshold`` are not written, nor are two candidates
   too close to call. A person with no candidate stays unlinked.

The stage reads a graph in the docs/graph.md shape (entities.py) and writes nothing itself:
``link_entities`` returns a ``LinkResult`` whose ``graph`` the store puts into graph/links
(``LINKS_GRAPH``), beside ``reference_graph`` (the Wikidata-shaped triples of the linked items, for
graph/reference) and one ``Decision`` per entity and candidate, accepted or not. After a build,
incremental.py decides again only what the build changed.

Every link is an ``owl:sameAs`` plus a ``dkg:Link`` node with its score, method and source, dated by
the reference's query date, never the clock, so that a rebuild writes the same triples.
"""

from kg.link.candidates import (
    DEFAULT_REFERENCE,
    Candidate,
    CandidateSource,
    Reference,
    ReferenceCandidateSource,
    load_reference,
    name_skeleton,
)
from kg.link.endpoint import SparqlCandidateSource
from kg.link.incremental import (
    LinkUpdate,
    Touched,
    country_labels,
    entities_named_in,
    link_changed,
    stale_links_request,
)
from kg.link.linking import (
    DEFAULT_THRESHOLD,
    LinkResult,
    decisions_table,
    link_entities,
    link_store_graphs,
    links_version,
)
from kg.link.rules import LinkError, load_rules, strip_titles
from kg.link.scoring import Decision, score_candidate
from kg.vocab import LINKS_GRAPH, REFERENCE_GRAPH

__all__ = [
    "DEFAULT_REFERENCE",
    "DEFAULT_THRESHOLD",
    "LINKS_GRAPH",
    "REFERENCE_GRAPH",
    "Candidate",
    "CandidateSource",
    "Decision",
    "LinkError",
    "LinkResult",
    "LinkUpdate",
    "Reference",
    "ReferenceCandidateSource",
    "SparqlCandidateSource",
    "Touched",
    "country_labels",
    "decisions_table",
    "entities_named_in",
    "link_changed",
    "link_entities",
    "link_store_graphs",
    "links_version",
    "load_reference",
    "load_rules",
    "name_skeleton",
    "score_candidate",
    "stale_links_request",
    "strip_titles",
]
