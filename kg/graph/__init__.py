"""DocFacts -> the stored graph.

rdf turns an article's facts into triples in a named graph of its own; validate checks them against
ontology/shapes.ttl (compiled by shapes) before they are stored; store is the Oxigraph-backed store
(replace one article's graph atomically, export); merge decides which persons and events of
different articles are one; canonical keeps graph/canonical, the merged view, in step with every
write.
"""
