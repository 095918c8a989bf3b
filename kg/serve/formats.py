"""Content negotiation: which serialisation answers a request, from ``format=`` or the Accept header.

SELECT and ASK answer in the SPARQL results formats, CONSTRUCT and DESCRIBE (and a dereferenced
IRI) in RDF formats. ``format=`` takes a short name or a media type; ``json`` and ``xml`` mean the
results formats for a SELECT and JSON-LD / RDF/XML for a graph, as SPARQLWrapper asks for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    aliases: tuple[str, ...]  # other media types and short names that choose it
    results: ox.QueryResultsFormat | None = None
    rdf: ox.RdfFormat | None = None


RESULTS_FORMATS = (
    Format(
        "json", "application/sparql-results+json", ("application/json", "json"), ox.QueryResultsFormat.JSON
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        ("application/xml", "text/xml", "xml"),
        ox.QueryResultsFormat.XML,
    ),
    Format("csv", "text/csv", ("csv",), ox.QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", ("tsv",), ox.QueryResultsFormat.TSV),
)
GRAPH_FORMATS = (
    Format("turtle", "text/turtle", ("application/x-turtle", "ttl", "turtle"), rdf=ox.RdfFormat.TURTLE),
    Format("ntriples", "application/n-triples", ("text/plain", "nt", "ntriples"), rdf=ox.RdfFormat.N_TRIPLES),
    Format("jsonld", "application/ld+json", ("application/json", "json", "jsonld"), rdf=ox.RdfFormat.JSON_LD),
    Format(
        "rdfxml",
        "application/rdf+xml",
        ("application/xml", "text/xml", "xml", "rdf"),
        rdf=ox.RdfFormat.RDF_XML,
    ),
)


class NotAcceptableError(Exception):
    """No format the client accepts fits the answer (HTTP 406)."""


def parse_accept(header: str | None) -> list[str]:
    """Media types of an Accept header, most preferred first (q-values, then order)."""
    if not header:
        return []
    ranked = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        quality = 1.0
        for field in fields[1:]:
            key, _, value = field.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if fields[0] and quality > 0:
            ranked.append((-quality, position, fields[0].lower()))
    return [media for _, _, media in sorted(ranked)]


def choose(kind: str, accept: str | None, requested: str | None = None) -> Format:
    """The format for an answer of ``kind`` ("results" or "graph")."""
    formats = RESULTS_FORMATS if kind == "results" else GRAPH_FORMATS
    if requested:
        wanted = requested.strip().lower()
        for fmt in formats:
            if wanted in (fmt.name, fmt.media_type, *fmt.aliases):
                return fmt
        names = ", ".join(f.name for f in formats)
        raise NotAcceptableError(f"format={requested!r} does not fit this answer; choose one of {names}")
    media_types = parse_accept(accept)
    if not media_types:
        return formats[0]
    for media in media_types:
        if media in ("*/*", "application/*", "text/*"):
            return formats[0] if media == "*/*" else _first_of(formats, media.split("/")[0]) or formats[0]
        for fmt in formats:
            if media == fmt.media_type or (media in fmt.aliases and "/" in media):
                return fmt
    offered = ", ".join(f.media_type for f in formats)
    raise NotAcceptableError(f"none of the accepted types ({accept}) fits this answer; offered: {offered}")


def _first_of(formats: tuple[Format, ...], major: str) -> Format | None:
    return next((f for f in formats if f.media_type.startswith(major + "/")), None)


def wants_html(accept: str | None) -> bool:
    """A browser: text/html before any RDF or results type."""
    for media in parse_accept(accept):
        if media in ("text/html", "application/xhtml+xml"):
            return True
        if media != "*/*" and any(
            media == f.media_type or media in f.aliases for f in (*RESULTS_FORMATS, *GRAPH_FORMATS)
        ):
            return False
    return False
