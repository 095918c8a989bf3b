"""diplomacy-kg: diplomatic news in, a knowledge graph with provenance out.

The stages, in the order the data flows through them (one folder each):

    read/     files (txt, HTML, JSONL) -> Article: encodings, page furniture, dates and datelines
    nlp/      spaCy model + kg's components -> DocFacts:
              pipeline    build_nlp (the model's attribute_ruler and lemmatizer swapped for the
                          faster equivalents of nlp/fast/), to_facts
              mentions    kg_mentions: persons, titles, offices, institutions, countries, places
              resolve     kg_resolve: mentions -> entities within one article
              offices     kg_offices: who holds which office, attested by the article's date
              events      kg_events: meetings and visits, participants, date, place, topics, CAMEO
                          code (trigger rules through fast/anchored_matcher)
              extract     nlp.pipe over the articles, in this process or a pool of workers
    graph/    rdf (DocFacts -> triples, one named graph per article), validate (against
              ontology/shapes.ttl, compiled by shapes), store (Oxigraph: replace one article's graph
              atomically, export), merge (the same person or event across articles), canonical
              (graph/canonical, the merged view, kept in step with every article written)
    sparql/   saved queries (catalogue), run on the embedded store (local) or a server (remote),
              ad-hoc queries checked (guard), answers in every format (results)
    link/     entities -> Wikidata / DBpedia: rules, candidates (reference file; endpoint, live),
              entities (ours, from the graph), scoring, linking, incremental (after a build)
    evaluate/ extraction scored against gold files
    common/   helpers several stages share: names (folding, slugs, the transliteration key,
              content hashes), whole-file writes, collectors
    serve/    the web application; shipped/ the ontology, queries and reference data in the package

At the top: cli (the command layer), settings (defaults), vocab (every IRI) and pipeline (build():
the one place that runs the stages in order).

The public API, imported on first use so that ``import kg`` stays cheap for the command line::

    from kg import build, run_query, format_result, Settings, Store
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# name -> the module that defines it
_API = {
    "build": "kg.pipeline",
    "run_query": "kg.sparql.local",
    "format_result": "kg.sparql.results",
    "Settings": "kg.settings",
    "Store": "kg.graph.store",
}

__all__ = ["Settings", "Store", "build", "format_result", "run_query"]

if TYPE_CHECKING:
    from kg.graph.store import Store
    from kg.pipeline import build
    from kg.settings import Settings
    from kg.sparql.local import run_query
    from kg.sparql.results import format_result


def __getattr__(name: str) -> object:
    if name not in _API:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(_API[name]), name)
    globals()[name] = value  # the next access finds it without coming here
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
