"""kg/link.py: candidates by name, disambiguation by type, country and office at a date, threshold.

Unit tests run on an invented reference (countries Varania and Ostria, invented people, invented
item ids) and a hand-built graph in the docs/graph.md shape. Only the namesake test and the check of
the shipped file read data/reference/wikidata.ttl, as the linking issue asks. The live tests start a
real Oxigraph server on 127.0.0.1 loaded with the same invented reference.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Literal, URIRef

from kg import vocab
from kg.link import (
    DEFAULT_REFERENCE,
    LinkError,
    ReferenceCandidateSource,
    SparqlCandidateSource,
    link_entities,
    load_reference,
    load_rules,
    name_skeleton,
    strip_titles,
)
from kg.rdf import KEYED_KINDS, label_key
from kg.vocab import CANONICAL_GRAPH, DBR, DCTERMS, DKG, GRAPH, ID, OWL, PROV, RDF, RDFS, SKOS, WD

# rdflib's XSD DefinedNamespace as a module global makes pytest's collector warn; plain IRIs do not.
XSD_DATE = URIRef(f"{vocab.XSD}date")
XSD_DECIMAL = URIRef(f"{vocab.XSD}decimal")

ROOT = Path(__file__).resolve().parent.parent
OXIGRAPH = Path(sys.executable).parent / "oxigraph"

INVENTED_REFERENCE = """
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix p: <http://www.wikidata.org/prop/> .
@prefix ps: <http://www.wikidata.org/prop/statement/> .
@prefix pq: <http://www.wikidata.org/prop/qualifier/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<https://example.org/reference/invented> dcterms:date "2030-01-02"^^xsd:date .

wd:Q900001 rdfs:label "Varania"@en ; skos:altLabel "Republic of Varania"@en ;
    wdt:P31 wd:Q6256 ; wdt:P17 wd:Q900001 .
wd:Q900002 rdfs:label "Ostria"@en ; wdt:P31 wd:Q6256 ; wdt:P17 wd:Q900002 .
wd:Q900010 rdfs:label "Lorn"@en ; wdt:P31 wd:Q900011 ; wdt:P17 wd:Q900001 .
wd:Q900011 rdfs:label "capital of a small state"@en ; wdt:P279 wd:Q5119 .
wd:Q900020 rdfs:label "National Council of Varania"@en ; skos:altLabel "Veche"@en ;
    wdt:P31 wd:Q11204 ; wdt:P17 wd:Q900001 .
wd:Q900030 rdfs:label "Union of Steppe States"@en ; wdt:P31 wd:Q484652 .
wd:Q900201 rdfs:label "President of Ostria"@en ; wdt:P17 wd:Q900002 .
wd:Q900202 rdfs:label "Member of the Assembly of Ostria"@en ; wdt:P17 wd:Q900002 .

wd:Q900101 rdfs:label "Dariga Temirova"@en , "Дарига Темирова"@ru ; wdt:P31 wd:Q5 ; wdt:P27 wd:Q900001 ;
    p:P39 [ ps:P39 _:chair ; pq:P580 "2020-01-01T00:00:00Z"^^xsd:dateTime ] .
_:chair rdfs:label "Chairman of the National Council of Varania"@en ; wdt:P17 wd:Q900001 .
<https://en.wikipedia.org/wiki/Dariga_Temirova> schema:about wd:Q900101 ;
    schema:isPartOf <https://en.wikipedia.org/> ; schema:name "Dariga Temirova"@en .

wd:Q900102 rdfs:label "Qanat Zhaqsybekov"@en ; skos:altLabel "Kanat Jaksybekov"@en ;
    wdt:P31 wd:Q5 ; wdt:P27 wd:Q900002 ;
    p:P39 [ ps:P39 wd:Q900201 ; pq:P580 "2019-06-01T00:00:00Z"^^xsd:dateTime ] .
wd:Q900103 rdfs:label "Qanat Zhaqsybekov"@kk-latn ; wdt:P31 wd:Q5 ; p:P39 [ ps:P39 wd:Q900202 ] .

wd:Q900104 rdfs:label "Erlan Bekov"@en ; wdt:P31 wd:Q5 ; wdt:P27 wd:Q900002 ;
    p:P39 [ ps:P39 wd:Q900201 ; pq:P580 "2000-01-01T00:00:00Z"^^xsd:dateTime ;
            pq:P582 "2010-01-01T00:00:00Z"^^xsd:dateTime ] .
wd:Q900105 rdfs:label "Marat Sultanov"@en ; wdt:P31 wd:Q5 ; wdt:P27 wd:Q900001 .
wd:Q900106 rdfs:label "Marat Sultanov"@en ; wdt:P31 wd:Q5 ; wdt:P27 wd:Q900001 .
"""

DOC = "0123456789abcdef"


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> object:
    path = tmp_path_factory.mktemp("reference") / "invented.ttl"
    path.write_text(INVENTED_REFERENCE, encoding="utf-8")
    return load_reference(path)


class GraphBuilder:
    """A few entities in the docs/graph.md shape, in one document graph plus graph/canonical."""

    def __init__(self, published: str = "2024-03-11") -> None:
        self.ds = Dataset()
        self.doc_graph = self.ds.graph(GRAPH[DOC])
        self.canonical = self.ds.graph(CANONICAL_GRAPH)
        self.doc = ID[f"doc/{DOC}"]
        self.published = published
        self.doc_graph.add((self.doc, RDF.type, DKG.Document))
        self.doc_graph.add((self.doc, DCTERMS.issued, Literal(published, datatype=XSD_DATE)))
        self.doc_graph.add((self.doc, DCTERMS.identifier, Literal(f"000_{DOC}")))

    def entity(self, kind: str, slug: str, label: str, cls: str, country: str | None = None, *alts: str):
        iri = ID[f"{kind}/{slug}"]
        self.doc_graph.add((iri, RDF.type, DKG[cls]))
        self.doc_graph.add((iri, RDFS.label, Literal(label, lang="en")))
        self.canonical.add((iri, SKOS.prefLabel, Literal(label, lang="en")))
        for alt in alts:
            self.doc_graph.add((iri, SKOS.altLabel, Literal(alt, lang="en")))
        if kind in KEYED_KINDS:
            for name in (label, *alts):
                self.doc_graph.add((iri, DKG.key, Literal(label_key(name))))
        if country:
            self.doc_graph.add((iri, DKG.country, ID[f"country/{country}"]))
        return iri

    def country(self, name: str) -> URIRef:
        return self.entity("country", name.lower(), name, "Country")

    def person(self, slug: str, label: str, *alts: str) -> URIRef:
        return self.entity("person", slug, label, "Person", None, *alts)

    def holds(
        self, person: URIRef, role: str, country: str, former: bool = False, attested: str | None = None
    ):
        office = ID[f"office/{role.lower().replace(' ', '-')}-{country}"]
        key = f"{person}|{role}|{country}|{attested}"
        holding = ID[f"holding/{hashlib.sha256(key.encode()).hexdigest()[:16]}"]
        g = self.doc_graph
        g.add((office, RDF.type, DKG.Office))
        g.add((office, RDFS.label, Literal(f"{role} of {country.title()}", lang="en")))
        g.add((office, DKG.role, Literal(role)))
        g.add((office, DKG.countryOf, ID[f"country/{country}"]))
        g.add((holding, RDF.type, DKG.OfficeHolding))
        g.add((holding, DKG.holder, person))
        g.add((holding, DKG.office, office))
        g.add((holding, DKG.former, Literal(former)))
        g.add((holding, DKG.attestedOn, Literal(attested or self.published, datatype=XSD_DATE)))
        g.add((holding, DKG.reportedIn, self.doc))


def world(published: str = "2024-03-11") -> GraphBuilder:
    b = GraphBuilder(published)
    b.country("Varania")
    b.country("Ostria")
    return b


def decisions_for(result, iri: URIRef):
    return [d for d in result.decisions if d.entity == str(iri)]


# ------------------------------------------------------------------------------------ normalising


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Qasym-Zhomart Toqaev", "Kassym-Jomart Tokayev"),
        ("Kasym-Jomart Tokayev", "Kasim-Jomart Tokaev"),
        ("İlham Əliyev", "Ilham Aliyev"),
        ("Sahibə Qafarova", "Sahiba Gafarova"),
        ("Mäulen Äşimbaev", "Maulen Ashimbayev"),
        ("Xəlilov", "Khalilov"),
    ],
)
def test_link_skeleton_folds_transliterations(a, b):
    assert name_skeleton(a) == name_skeleton(b)


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Mrs Temirova", "Temirova"),
        ("President Kanat Jaksybekov", "Kanat Jaksybekov"),
        ("the President of Ostria", ""),
        ("the Great Leader Erlan Bekov", "Erlan Bekov"),
        ("H.E. Mr. Erlan Bekov", "Erlan Bekov"),
        ("Madame Chair", ""),
    ],
)
def test_link_strip_titles_removes_leading_titles_only(label, name):
    assert strip_titles(label, load_rules()) == name


GOOD_RULE = (
    '{"label": "p", "pattern": ["Person"], "id": "t", "rule": "type", "kind": "person", "classes": ["Q5"]}'
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"label": "x", "pattern": ["y"], "id": "z"}', "rules.jsonl, line 1: missing field(s) ['rule']"),
        (
            '{"label": "x", "pattern": ["y"], "id": "z", "rule": "colour"}',
            "rules.jsonl, line 1: unknown rule 'colour'",
        ),
        (
            '{"label": "x", "pattern": ["y"], "id": "z", "rule": "type"}',
            "rules.jsonl, line 1: a 'type' rule needs field",
        ),
        (
            '{"label": "x", "pattern": ["Person"], "id": "z", "rule": "type", "kind": "p", "classes": ["5"]}',
            "rules.jsonl, line 1: classes must be Wikidata ids",
        ),
        (
            '\n{"label": "x", "pattern": [], "id": "z", "rule": "role"}',
            "rules.jsonl, line 2: 'pattern' must be",
        ),
        (
            '{"label": "x", "pattern": [{"LOWER": "y"}], "id": "z", "rule": "role"}',
            "rules.jsonl, line 1: pattern must be",
        ),
        ("not json", "rules.jsonl, line 1: not valid JSON"),
        (f"// note\n{GOOD_RULE}\n" + '{"label": "x", "pattern": ["y"', "rules.jsonl, line 3: not valid JSON"),
        (f"{GOOD_RULE}\n\n{GOOD_RULE}", "rules.jsonl, line 3: duplicate id 't' (first on line 1)"),
        ("// only a note", "rules.jsonl: no 'type' rules"),
    ],
)
def test_link_rules_reject_bad_records_naming_file_and_line(text, message):
    with pytest.raises(LinkError, match=re.escape(message)):
        load_rules(text, name="rules.jsonl")


def test_link_shipped_rules_load():
    rules = load_rules()
    assert rules.kind_of_class["Person"] == "person"
    assert "Q5" in rules.classes_of_kind["person"]


# ------------------------------------------------------------------------------------ offline linking


def test_link_person_confirmed_by_office_at_date(reference):
    b = world()
    person = b.person("dariga-temirova", "Dariga Temirova", "Mrs Temirova")
    b.holds(person, "Speaker", "varania")
    result = link_entities(b.ds, reference)
    assert result.links[str(person)] == "Q900101"
    accepted = [d for d in decisions_for(result, person) if d.accepted]
    assert accepted[0].method == "label+type+country+office@date"
    assert accepted[0].score == 1.0


def test_link_transliterated_name_links(reference):
    b = world()
    person = b.person("kasym-zhaksybekov", "Kasym Zhaksybekov")  # not in the reference: no link
    president = b.person("kanat-zhaksybekov", "Qanat Jaqsybekov")
    b.holds(president, "President", "ostria")
    result = link_entities(b.ds, reference)
    assert result.links.get(str(president)) == "Q900102"
    assert str(person) not in result.links


def test_link_namesake_with_other_post_never_wins(reference):
    b = world()
    president = b.person("kanat-jaksybekov", "Kanat Jaksybekov", "President Jaksybekov")
    b.holds(president, "President", "ostria")
    result = link_entities(b.ds, reference)
    assert result.links[str(president)] == "Q900102"
    namesake = next(d for d in decisions_for(result, president) if d.candidate == "Q900103")
    assert not namesake.accepted
    assert "office-mismatch" in namesake.method


@pytest.mark.parametrize(("former", "linked"), [(False, False), (True, True)])
def test_link_office_outside_reference_dates_is_contradicted_unless_former(reference, former, linked):
    b = world()
    person = b.person("erlan-bekov", "Erlan Bekov")
    b.holds(person, "President", "ostria", former=former)
    result = link_entities(b.ds, reference)
    assert (str(person) in result.links) is linked
    decision = decisions_for(result, person)[0]
    assert ("office-date-contradicted" in decision.method) is not linked


def test_link_two_equal_candidates_are_ambiguous(reference):
    b = world()
    person = b.entity("person", "marat-sultanov", "Marat Sultanov", "Person", "varania")
    result = link_entities(b.ds, reference)
    assert str(person) not in result.links
    assert "ambiguous" in decisions_for(result, person)[0].reason


def test_link_person_without_candidate_stays_unlinked(reference):
    b = world()
    person = b.person("zarina-umarova", "Zarina Umarova")
    result = link_entities(b.ds, reference)
    assert decisions_for(result, person) == [
        type(result.decisions[0])(
            str(person), "Zarina Umarova", "person", None, 0.0, "", False, "no candidate"
        )
    ]


def test_link_surname_alone_is_not_a_name(reference):
    b = world()
    person = b.person("temirova", "Temirova", "Mrs Temirova")
    result = link_entities(b.ds, reference)
    assert decisions_for(result, person)[0].reason == "no candidate"


@pytest.mark.parametrize(
    ("slug", "label", "cls", "country", "qid"),
    [
        ("country/varania", "Varania", "Country", None, "Q900001"),
        ("institution/veche", "Veche", "Parliament", "varania", "Q900020"),
        (
            "institution/union-of-steppe-states",
            "Union of Steppe States",
            "InternationalOrganization",
            None,
            "Q900030",
        ),
        ("place/lorn", "Lorn", "City", "varania", "Q900010"),  # P31 is a subclass of capital city
    ],
)
def test_link_countries_institutions_places(reference, slug, label, cls, country, qid):
    b = world()
    kind, name = slug.split("/")
    iri = b.entity(kind, name, label, cls, country)
    assert link_entities(b.ds, reference).links[str(iri)] == qid


@pytest.mark.parametrize(
    ("slug", "label", "cls", "country", "method"),
    [
        (
            "institution/national-council",
            "National Council of Varania",
            "Parliament",
            "ostria",
            "country-mismatch",
        ),
        ("institution/lorn", "Lorn", "Institution", None, "type-mismatch"),
        ("person/lorn-lorn", "Varania Ostria", "Person", None, None),  # countries are no people
    ],
)
def test_link_wrong_country_or_type_is_not_linked(reference, slug, label, cls, country, method):
    b = world()
    kind, name = slug.split("/")
    iri = b.entity(kind, name, label, cls, country)
    result = link_entities(b.ds, reference)
    assert str(iri) not in result.links
    if method:
        assert method in decisions_for(result, iri)[0].method


def test_link_threshold_drops_weaker_links(reference):
    b = world()
    person = b.entity("person", "dariga-temirova", "Dariga Temirova", "Person", "varania")  # no office: 0.85
    assert str(person) in link_entities(b.ds, reference, threshold=0.8).links
    assert str(person) not in link_entities(b.ds, reference, threshold=0.9).links


def test_link_graph_has_sameas_dbpedia_and_provenance(reference):
    b = world()
    person = b.person("dariga-temirova", "Dariga Temirova")
    b.holds(person, "Chairwoman", "varania")
    g = link_entities(b.ds, reference).graph
    assert (person, OWL.sameAs, WD.Q900101) in g
    assert (person, OWL.sameAs, DBR.Dariga_Temirova) in g
    links = {g.value(node, DKG.linkTarget): node for node in g.subjects(RDF.type, DKG.Link)}
    wd_link = links[WD.Q900101]
    assert g.value(wd_link, DKG.linkSubject) == person
    assert g.value(wd_link, DKG.linkScore) == Literal(Decimal("1.000"), datatype=XSD_DECIMAL)
    assert str(g.value(wd_link, DKG.linkMethod)) == "label+type+country+office@date"
    assert g.value(wd_link, PROV.wasDerivedFrom) == URIRef("https://example.org/reference/invented")
    assert g.value(wd_link, DCTERMS.date) == Literal("2030-01-02", datatype=XSD_DATE)
    assert g.value(links[DBR.Dariga_Temirova], PROV.wasDerivedFrom) == WD.Q900101
    assert not list(g.triples((None, PROV.generatedAtTime, None)))


def test_link_output_is_deterministic(reference):
    def run() -> str:
        b = world()
        b.holds(b.person("dariga-temirova", "Dariga Temirova"), "Speaker", "varania")
        b.entity("institution", "veche", "Veche", "Parliament", "varania")
        return link_entities(b.ds, reference).graph.serialize(format="nt")

    assert sorted(run().splitlines()) == sorted(run().splitlines())


def test_link_reference_graph_describes_linked_items_only(reference):
    b = world()
    b.holds(b.person("dariga-temirova", "Dariga Temirova"), "Speaker", "varania")
    ref = link_entities(b.ds, reference).reference_graph
    assert (WD.Q900101, RDFS.label, Literal("Dariga Temirova", lang="en")) in ref
    assert not list(ref.triples((WD.Q900105, None, None)))
    # The store writes no blank nodes: statements get stable IRIs, the same on every run.
    assert not any(isinstance(term, BNode) for triple in ref for term in triple)
    again = link_entities(b.ds, reference).reference_graph
    assert sorted(ref.serialize(format="nt").splitlines()) == sorted(
        again.serialize(format="nt").splitlines()
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [("wd:Q1 a .", "not valid Turtle"), ("<a:b> <a:c> <a:d> .", "no Wikidata items")],
)
def test_link_reference_errors_name_the_file(tmp_path, text, message):
    path = tmp_path / "bad.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LinkError, match=f"bad.ttl: {message}"):
        load_reference(path)


# ------------------------------------------------------------------------ the shipped reference file


def test_link_shipped_reference_cites_a_source_for_every_item():
    text = DEFAULT_REFERENCE.read_text(encoding="utf-8")
    reference = load_reference(DEFAULT_REFERENCE)
    assert reference.query_date is not None
    for qid in reference.items:
        block = re.search(rf"((?:#[^\n]*\n)+)wd:{qid} ", text)
        assert block, f"wd:{qid} has no comment citing its source"


def test_link_president_never_linked_to_mp_namesake():
    # The trap: Q19716385 is an MP named İlham Əliyev, not the President of Azerbaijan.
    reference = load_reference(DEFAULT_REFERENCE)
    assert "Q19716385" in reference.items
    b = GraphBuilder()
    b.entity("country", "azerbaijan", "Azerbaijan", "Country")
    president = b.person("ilham-aliyev", "Ilham Aliyev", "President Ilham Aliyev", "President Aliyev")
    b.holds(president, "President", "azerbaijan")
    result = link_entities(b.ds, reference)
    assert result.links.get(str(president)) != "Q19716385"
    assert any(d.candidate == "Q19716385" and not d.accepted for d in decisions_for(result, president))
    assert (president, OWL.sameAs, WD.Q19716385) not in result.graph


# ------------------------------------------------------------------------------------- live SPARQL


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def sparql_server(tmp_path, reference):
    """A real Oxigraph server on 127.0.0.1, loaded with the invented reference."""
    if not OXIGRAPH.exists():
        pytest.skip("oxigraph server binary not installed (pip install oxigraph)")
    data = tmp_path / "ref.ttl"
    data.write_text(INVENTED_REFERENCE, encoding="utf-8")
    location = tmp_path / "store"
    subprocess.run(
        [str(OXIGRAPH), "load", "--location", str(location), "--file", str(data)],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    proc = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            time.sleep(0.05)
    yield proc, f"{url}/query"
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)


def live_world() -> tuple[GraphBuilder, dict[str, URIRef]]:
    b = world()
    people = {
        "dariga": b.person("dariga-temirova", "Dariga Temirova"),
        "kanat": b.person("kanat-jaksybekov", "Kanat Jaksybekov"),
        "nobody": b.person("zarina-umarova", "Zarina Umarova"),
    }
    b.holds(people["dariga"], "Speaker", "varania")
    b.holds(people["kanat"], "President", "ostria")
    b.entity("institution", "veche", "Veche", "Parliament", "varania")
    return b, people


@pytest.mark.slow
def test_link_live_matches_offline_and_second_run_hits_cache(sparql_server, reference, tmp_path):
    _, endpoint = sparql_server
    b, people = live_world()
    offline = link_entities(b.ds, reference)
    cache = tmp_path / "cache"
    first = SparqlCandidateSource(endpoint, cache_dir=cache, timeout=5, retries=1)
    live = link_entities(b.ds, source=first)
    assert live.links == offline.links
    assert live.links[str(people["kanat"])] == "Q900102"
    assert str(people["nobody"]) not in live.links
    assert first.requests_sent > 0
    assert (people["dariga"], OWL.sameAs, DBR.Dariga_Temirova) in live.graph
    second = SparqlCandidateSource(endpoint, cache_dir=cache, timeout=5, retries=1)
    again = link_entities(b.ds, source=second)
    assert second.requests_sent == 0
    assert second.cache_hits == first.requests_sent
    assert sorted(again.graph.serialize(format="nt").splitlines()) == sorted(
        live.graph.serialize(format="nt").splitlines()
    )


@pytest.mark.slow
def test_link_live_endpoint_down_is_a_clear_error(sparql_server, tmp_path):
    proc, endpoint = sparql_server
    proc.terminate()
    proc.wait(timeout=10)
    b, _ = live_world()
    source = SparqlCandidateSource(endpoint, cache_dir=tmp_path / "cache", timeout=2, retries=2, backoff=0.01)
    with pytest.raises(
        LinkError, match=rf"SPARQL endpoint {re.escape(endpoint)} did not answer after 2 tries"
    ):
        link_entities(b.ds, source=source)
    assert source.requests_sent == 2
    assert not list((tmp_path / "cache").glob("*.json")) if (tmp_path / "cache").exists() else True


def test_link_sparql_source_reads_from_cache_without_server(tmp_path):
    # A cache written by an earlier run is enough: nothing is sent, even to a closed port.
    endpoint = f"http://127.0.0.1:{_free_port()}/query"
    source = SparqlCandidateSource(endpoint, cache_dir=tmp_path, timeout=1, retries=1)
    query = "SELECT ?x WHERE { ?x ?p ?o } LIMIT 1"
    path = source._cache_path(query)
    path.write_text(
        json.dumps({"endpoint": endpoint, "retrieved": "2030-05-06", "query": "", "body": "{}"}),
        encoding="utf-8",
    )
    assert source.query(query) == "{}"
    assert (source.requests_sent, source.cache_hits, source.source_date) == (0, 1, date(2030, 5, 6))


def test_link_offline_source_offers_fuzzy_candidates(reference):
    source = ReferenceCandidateSource(reference)
    assert [c.qid for c in source.candidates(["Kanat Zhaksybekov"], "person")] == ["Q900102", "Q900103"]


# ------------------------------------------------------------------------------------ saved queries


def run_saved(name: str, dataset: Dataset, result, **params: str) -> list[dict[str, str]]:
    """Run queries/<name>.rq through the real store and query engine (canonical graph, bound parameters)."""
    from pyoxigraph import NamedNode, RdfFormat

    from kg.link import link_store_graphs
    from kg.queries import load_queries, run_query
    from kg.store import Store

    store = Store(None)
    store.inner.load(dataset.serialize(format="nquads").encode(), format=RdfFormat.N_QUADS)
    for graph_name, graph in link_store_graphs(result).items():
        store.inner.load(
            graph.serialize(format="nt").encode(), format=RdfFormat.N_TRIPLES, to_graph=NamedNode(graph_name)
        )
    store.rebuild_canonical()
    saved = load_queries()[name]
    result_ = run_query(store, name, params)
    assert tuple(result_.columns[: len(saved.columns)]) == saved.columns
    return [dict(zip(result_.columns, row, strict=True)) for row in result_.rows]


def test_link_query_external_links_lists_links(reference):
    b = world()
    person = b.person("dariga-temirova", "Dariga Temirova")
    b.holds(person, "Speaker", "varania")
    rows = run_saved("external-links", b.ds, link_entities(b.ds, reference))
    by_entity = {r["entity"]: r for r in rows}
    assert by_entity[str(person)] == {
        "entity": str(person),
        "label": "Dariga Temirova",
        "type": "Person",
        "wikidata": str(WD.Q900101),
        "dbpedia": str(DBR.Dariga_Temirova),
        "score": by_entity[str(person)]["score"],
    }
    assert Decimal(by_entity[str(person)]["score"]) == 1
    assert by_entity[str(ID["country/varania"])]["wikidata"] == str(WD.Q900001)


def test_link_query_person_profile_flags_contradicted_office(reference):
    b = world()
    person = b.person("dariga-temirova", "Dariga Temirova", "Mrs Temirova")
    b.holds(person, "Speaker", "varania")  # 2024: the reference has her chair since 2020
    b.holds(person, "Speaker", "varania", attested="2015-05-05")  # before the reference's start
    b.holds(person, "Ambassador", "ostria", attested="2016-01-01")  # a post the reference does not know
    rows = run_saved("person-profile", b.ds, link_entities(b.ds, reference), person="mrs temirova")
    table = sorted((r["kind"], r["start"], r["flag"]) for r in rows)
    assert table == [
        ("office", "2015-05-05", "contradicted"),
        ("office", "2016-01-01", "unconfirmed"),
        ("office", "2024-03-11", "confirmed"),
        ("position", "2020-01-01", ""),
    ]
    position = next(r for r in rows if r["kind"] == "position")
    assert (position["label"], position["source"]) == (
        "Chairman of the National Council of Varania",
        str(WD.Q900101),
    )


def test_link_query_person_profile_unlinked_person_has_no_flags(reference):
    b = world()
    person = b.person("zarina-umarova", "Zarina Umarova")
    b.holds(person, "Minister", "ostria")
    rows = run_saved("person-profile", b.ds, link_entities(b.ds, reference), person="Zarina Umarova")
    assert [(r["kind"], r["label"], r["flag"]) for r in rows] == [("office", "Minister of Ostria", "")]
