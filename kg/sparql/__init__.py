"""SPARQL over the graph.

catalogue loads the saved queries (queries/*.rq with their header metadata) and prepares query text
(parameters bound as RDF terms in VALUES blocks, declared columns first); local runs queries on the
embedded store, remote on a SPARQL server (and pushes the graph there); guard checks ad-hoc queries;
ordering applies a final ORDER BY in Python; results formats answers (table, CSV, JSON, RDF, ...).
local and remote both depend on catalogue, never on each other.
"""
