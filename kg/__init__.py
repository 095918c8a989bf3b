"""diplomacy-kg: diplomatic news in, a knowledge graph with provenance out.

The stages, in the order the data flows through them:

    read      files (txt, HTML, JSONL) -> Article
    nlp       spaCy model + the kg components below, in order; the model's attribute_ruler and
              lemmatizer swapped for faster equivalents (attribute_ruler, lemmatizer)
    mentions  kg_mentions: persons, titles, offices, institutions, countries, places
    resolve   kg_resolve: mentions -> entities within one article
    offices   kg_offices: who holds which office, attested by the article's date
    events    kg_events: meetings and visits, participants, date, place, topics, CAMEO code
              (trigger rules through anchored_matcher)
    extract   nlp.pipe over the articles, in this process or a pool of workers -> DocFacts
    rdf       DocFacts -> triples, one named graph per article
    validate  each article's graph against ontology/shapes.ttl (compiled by shapes) before storing
    store     the Oxigraph-backed store: replace one article's graph atomically, export
    canonical graph/canonical, the merged view, kept in step with every article written
    queries   saved SPARQL queries with bound parameters
    link      entities -> Wikidata / DBpedia
    pipeline  build(): the one place that runs the stages in order
"""

__version__ = "0.1.0"
