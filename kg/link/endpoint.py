"""Candidates from a live SPARQL endpoint (Wikidata's, a mirror, QLever): the label lookup and
describe queries, sent through kg's one SPARQLWrapper set-up and retry policy (kg/sparql/remote.py),
every answer cached on disk."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from anyascii import anyascii
from rdflib import Graph, URIRef

from kg.common.files import write_whole
from kg.common.names import content_hash
from kg.link.candidates import (
    Candidate,
    candidates_from_graph,
    describe_items,
    qid_of,
)
from kg.link.rules import LinkError, load_rules
from kg.sparql.remote import Connection, RemoteError, retrying, sparql_client, sparqlwrapper_query

USER_AGENT = "diplomacy-kg/0.1 (https://w3id.org/diplomacy-kg; entity linking) SPARQLWrapper"
LABEL_LANGUAGES = ("en", "mul", "az", "kk", "kk-latn", "ru", "tr", "uz", "ky", "fr", "de")


def _literal(text: str, lang: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"@{lang}'


def label_lookup_query(names: list[str], languages: Iterable[str] = LABEL_LANGUAGES) -> str:
    """SELECT the items whose label or alias is exactly one of ``names`` (as written or ASCII)."""
    forms = sorted({form for n in names for form in (n.strip(), anyascii(n).strip()) if form})
    values = " ".join(_literal(f, lang) for f in forms for lang in languages)
    return (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT DISTINCT ?item WHERE {\n"
        f"  VALUES ?name {{ {values} }}\n"
        "  ?item rdfs:label|skos:altLabel ?name .\n"
        "  FILTER(STRSTARTS(STR(?item), 'http://www.wikidata.org/entity/Q'))\n"
        "} ORDER BY ?item LIMIT 50"
    )


def describe_query(
    qids: list[str], classes: Iterable[str], languages: Iterable[str] = LABEL_LANGUAGES
) -> str:
    """CONSTRUCT the Wikidata-shaped description of ``qids`` that candidates_from_graph reads.

    P31 values are kept as they are; the wdt:P279 path from each up to one of ``classes`` (the
    classes kg/nlp/resources/link.rules.jsonl knows) is materialised, so the type check needs no
    further query.
    """
    items = " ".join(f"wd:{q}" for q in sorted(set(qids)))
    known = " ".join(f"wd:{c}" for c in sorted(set(classes)))
    langs = ", ".join(f"'{lang}'" for lang in languages)
    return f"""PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX sdo: <https://schema.org/>
CONSTRUCT {{
  ?item rdfs:label ?label . ?item skos:altLabel ?alias .
  ?item wdt:P31 ?class . ?class wdt:P279 ?super .
  ?item wdt:P27 ?citizenship . ?item wdt:P17 ?country .
  ?item p:P39 ?statement . ?statement ps:P39 ?position .
  ?statement pq:P580 ?start . ?statement pq:P582 ?end .
  ?position rdfs:label ?positionLabel . ?position wdt:P17 ?positionCountry .
  ?article sdo:about ?item ; sdo:isPartOf <https://en.wikipedia.org/> ; sdo:name ?title .
}} WHERE {{
  VALUES ?item {{ {items} }}
  {{ ?item rdfs:label ?label FILTER(LANG(?label) IN ({langs})) }}
  UNION {{ ?item skos:altLabel ?alias FILTER(LANG(?alias) IN ({langs})) }}
  UNION {{ ?item wdt:P31 ?class }}
  UNION {{ VALUES ?known {{ {known} }} ?item wdt:P31 ?c0 . ?c0 wdt:P279* ?class . ?class wdt:P279 ?super .
          ?super wdt:P279* ?known }}
  UNION {{ ?item wdt:P27 ?citizenship }}
  UNION {{ ?item wdt:P17 ?country }}
  UNION {{ ?item p:P39 ?statement . ?statement ps:P39 ?position .
          OPTIONAL {{ ?statement pq:P580 ?start }} OPTIONAL {{ ?statement pq:P582 ?end }}
          OPTIONAL {{ ?position rdfs:label ?positionLabel FILTER(LANG(?positionLabel) = 'en') }}
          OPTIONAL {{ ?position wdt:P17 ?positionCountry }} }}
  UNION {{ ?article schema:about ?item ; schema:isPartOf <https://en.wikipedia.org/> ; schema:name ?title }}
}}"""


class SparqlCandidateSource:
    """Live candidates from any SPARQL endpoint, through SPARQLWrapper.

    Every response is cached on disk under ``cache_dir`` by a hash of endpoint and query, so a
    rebuild sends no query twice. Requests carry a User-Agent, are spaced by ``min_interval``
    seconds (Wikidata's query service asks for restraint), time out after ``timeout`` seconds and are
    retried ``retries`` times with exponential backoff (honouring Retry-After). When the endpoint
    cannot be reached, ``LinkError`` says so, and ``link_entities`` returns nothing.
    """

    def __init__(
        self,
        endpoint: str,
        cache_dir: str | Path | None = None,
        timeout: float = 30.0,
        retries: int = 3,
        min_interval: float | None = None,
        backoff: float = 1.0,
        classes: Iterable[str] = (),
        languages: Iterable[str] = LABEL_LANGUAGES,
    ) -> None:
        self.endpoint = endpoint
        self.source = URIRef(endpoint)
        self.source_date: date | None = None
        self.version = f"endpoint {endpoint}"
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.timeout = timeout
        self.retries = max(1, retries)
        self.min_interval = (
            (1.0 if "wikidata.org" in endpoint else 0.0) if min_interval is None else min_interval
        )
        self.backoff = backoff
        self.classes = tuple(classes) or tuple(
            sorted({c for cs in load_rules().classes_of_kind.values() for c in cs})
        )
        self.languages = tuple(languages)
        self.requests_sent = 0
        self.cache_hits = 0
        self._last_request = 0.0
        self._described = Graph()

    # -- transport ---------------------------------------------------------------------------

    def _cache_path(self, query: str) -> Path | None:
        if self.cache_dir is None:
            return None
        key = f"{self.endpoint}\n{query}"
        return self.cache_dir / f"{content_hash(key, 32)}.json"

    def _request(self, query: str, construct: bool) -> str:
        from SPARQLWrapper import JSON, TURTLE

        wrapper = sparql_client(self.endpoint, query, agent=USER_AGENT)
        wrapper.setReturnFormat(TURTLE if construct else JSON)

        def send(timeout: float) -> bytes:
            wait = self.min_interval - (time.monotonic() - self._last_request)
            if wait > 0:
                time.sleep(wait)
            self._last_request = time.monotonic()
            self.requests_sent += 1
            return sparqlwrapper_query(wrapper, self.endpoint, timeout, raw=True)

        # kg's one retry policy (kg/sparql/remote.py): transient failures retried with exponential backoff
        # or after the server's Retry-After; a bad query is not asked again.
        policy = Connection(
            timeout=self.timeout,
            retries=self.retries - 1,
            backoff=self.backoff,
            deadline=self.retries * (self.timeout + self.min_interval) + self.backoff * 2**self.retries,
        )
        before = self.requests_sent
        try:
            return retrying(policy, self.endpoint, send).decode("utf-8")
        except RemoteError as err:
            tries = self.requests_sent - before
            raise LinkError(
                f"SPARQL endpoint {self.endpoint} did not answer after {tries} tries ({err}); "
                "no links were written"
            ) from err

    def query(self, query: str, construct: bool = False) -> str:
        """The response body for ``query``, from the cache when this exact query was sent before."""
        path = self._cache_path(query)
        if path is not None and path.exists():
            entry = json.loads(path.read_text(encoding="utf-8"))
            self.cache_hits += 1
            self._note_date(date.fromisoformat(entry["retrieved"]))
            return entry["body"]
        body = self._request(query, construct)
        retrieved = date.today()
        self._note_date(retrieved)
        if path is not None:
            entry = {
                "endpoint": self.endpoint,
                "retrieved": retrieved.isoformat(),
                "query": query,
                "body": body,
            }
            # A crash leaves no half-written cache entry.
            write_whole(path, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
        return body

    def _note_date(self, day: date) -> None:
        # The links are dated by the newest response they rest on (as the reference by its query date).
        self.source_date = max(self.source_date or day, day)

    # -- CandidateSource ---------------------------------------------------------------------

    def candidates(self, names: list[str], kind: str) -> list[Candidate]:
        names = sorted({n for n in names if n})
        if not names:
            return []
        body = self.query(label_lookup_query(names, self.languages))
        try:
            rows = json.loads(body)["results"]["bindings"]
        except (ValueError, KeyError) as err:
            raise LinkError(f"SPARQL endpoint {self.endpoint} sent an unreadable answer: {err}") from err
        qids = sorted({q for row in rows if (q := qid_of(URIRef(row["item"]["value"])))})
        if not qids:
            return []
        graph = Graph()
        try:
            graph.parse(
                data=self.query(describe_query(qids, self.classes, self.languages), True), format="turtle"
            )
        except LinkError:
            raise
        except Exception as err:
            raise LinkError(f"SPARQL endpoint {self.endpoint} sent unreadable Turtle: {err}") from err
        self._described += graph
        found = candidates_from_graph(graph, qids)
        return [found[q] for q in qids if q in found]

    def describe(self, qids: Iterable[str]) -> Graph:
        return describe_items(self._described, qids)
