"""Entity linking: the graph's persons, countries and institutions -> Wikidata / DBpedia, through
their SPARQL endpoints, with rules, candidates, scoring and incremental linking (linker)."""
