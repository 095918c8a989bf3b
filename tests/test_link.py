"""kg/link: candidates by name, disambiguation by type, country and office at a date, threshold.

Unit tests run on an invented reference (countries Varania and Ostria, invented people, invented
item ids) and a hand-built graph in the docs/graph.md shape. Only the namesake test and the check of
the shipped file read data/reference/wikidata.ttl, as the linking issue asks. The live tests start a
real Oxigraph server on 127.0.0.1 loaded with the same invented reference.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Literal, URIRef

from kg import vocab
from kg.common.names import content_hash, label_key
from kg.graph.rdf import KEYED_KINDS
from kg.graph.store import Store
from kg.link import (
    DEFAULT_REFERENCE,
    DEFAULT_THRESHOLD,
    LINKS_GRAPH,
    REFERENCE_GRAPH,
    LinkError,
    ReferenceCandidateSource,
    SparqlCandidateSource,
    Touched,
    entities_named_in,
    link_changed,
    link_entities,
    link_store_graphs,
    links_version,
    load_reference,
    load_rules,
    name_skeleton,
    stale_links_request,
    strip_titles,
)
from kg.pipeline import build, link_offline, remove
from kg.settings import Settings
from kg.sparql.remote import OxigraphServer, free_port, oxigraph_binary
from kg.vocab import CANONICAL_GRAPH, DBR, DCTERMS, DKG, GRAPH, ID, OWL, PROV, RDF, RDFS, SKOS, WD

# rdflib's XSD DefinedNamespace as a module global makes pytest's collector warn; plain IRIs do not.
XSD_DATE = URIRef(f"{vocab.XSD}date")
XSD_DECIMAL = URIRef(f"{vocab.XSD}decimal")

ROOT = Path(__file__).resolve().parent.parent

INVENTED_REFERENCE = """
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix p: <http://www.wikidata.org/prop/> .
@prefix ps: <http://www.wikidata.org/prop/statement/> .
@prefix pq: <http://www.wikidata.org/prop/qualifier/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
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
wd:Q900107 rdfs:label "Aigerim Nurlanova"@en ; wdt:P31 wd:Q5 ; wdt:P27 wd:Q900002 ;
    p:P39 [ ps:P39 _:envoy ; pq:P580 "2018-01-01T00:00:00Z"^^xsd:dateTime ] .
_:envoy rdfs:label "Ambassador of the Ostrian Republic to Varania"@en .
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

    def __init__(self, published: str = "2024-03-11", doc: str = DOC) -> None:
        self.ds = Dataset()
        self.doc_graph = self.ds.graph(GRAPH[doc])
        self.canonical = self.ds.graph(CANONICAL_GRAPH)
        self.doc = ID[f"doc/{doc}"]
        self.doc_id = doc
        self.published = published
        self.doc_graph.add((self.doc, RDF.type, DKG.Document))
        self.doc_graph.add((self.doc, DCTERMS.issued, Literal(published, datatype=XSD_DATE)))
        self.doc_graph.add((self.doc, DCTERMS.identifier, Literal(f"000_{doc}")))

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
        key = f"{person}|{role}|{country}|{attested}|{self.doc}"
        holding = ID[f"holding/{content_hash(key)}"]
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
        ("Qasym-Zhomart Toqtarov", "Kassym-Zhomart Toktarov"),
        ("Kasym-Zhomart Toktayev", "Kasim-Zhomart Toktaev"),
        ("İsmayıl Əsədov", "Ismayil Asadov"),
        ("Nigarə Qafurova", "Nigara Gafurova"),
        ("Däulet Äşirbaev", "Daulet Ashirbayev"),
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


@pytest.fixture()
def sparql_server(tmp_path, reference):
    """A real Oxigraph server on 127.0.0.1 (the tests' one start-up, kg.sparql.remote.OxigraphServer),
    loaded with the invented reference."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("oxigraph server binary not installed (pip install oxigraph)")
    data = tmp_path / "ref.ttl"
    # Wikidata itself writes sitelinks with http://schema.org/ (kg's reference file uses https).
    wikidata_form = INVENTED_REFERENCE.replace("<https://schema.org/>", "<http://schema.org/>")
    data.write_text(wikidata_form, encoding="utf-8")
    location = tmp_path / "store"
    subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(data)], check=True, capture_output=True
    )
    with OxigraphServer(location, union_default_graph=False) as server:
        assert server.process is not None
        yield server.process, server.query_url


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
    endpoint = f"http://127.0.0.1:{free_port()}/query"
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

    from kg.graph.store import Store
    from kg.link import link_store_graphs
    from kg.sparql.catalogue import load_queries
    from kg.sparql.local import run_query

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


# ----------------------------------------------------------------------------- incremental linking

# Article ids are 16-hex content hashes; these stand for four invented articles.
A1, A1_EDITED, A2, A3, A4 = "a1" * 8, "a1ed" * 4, "a2" * 8, "a3" * 8, "a4" * 8


def article_a1(edited: bool = False) -> GraphBuilder:
    b = GraphBuilder("2024-03-11", A1_EDITED if edited else A1)
    b.entity("country", "varania", "Varanian State", "Country")  # no candidate under this name
    b.country("Ostria")
    b.entity("person", "dariga-temirova", "Dariga Temirova", "Person", "varania")  # no office
    b.entity("institution", "veche", "Veche", "Parliament", "varania")
    kanat = b.entity("person", "kanat-jaksybekov", "Kanat Jaksybekov", "Person", "ostria" if edited else None)
    if not edited:  # the edited text no longer says he is President
        b.holds(kanat, "President", "ostria")
    # Her post in the reference names the country "the Ostrian Republic", and has no P17.
    b.holds(b.person("aigerim-nurlanova", "Aigerim Nurlanova"), "Ambassador", "ostria")
    return b


def article_a2() -> GraphBuilder:
    b = GraphBuilder("2024-04-01", A2)
    b.country("Ostria")
    b.holds(b.person("erlan-bekov", "Erlan Bekov"), "President", "ostria", former=True)
    b.person("zarina-umarova", "Zarina Umarova")
    b.entity("institution", "ostrian-senate", "Senate of Ostria", "Parliament", "ostria")  # no candidate
    return b


def article_a3() -> GraphBuilder:
    b = GraphBuilder("2024-05-02", A3)
    b.country("Varania")  # a second name for the country: now it has a candidate
    b.entity("person", "marat-sultanov", "Marat Sultanov", "Person", "varania")
    return b


def article_a4() -> GraphBuilder:
    b = GraphBuilder("2024-06-01", A4)
    b.entity("country", "ostria", "Ostrian Republic", "Country")  # another name, the same item
    b.entity("person", "dariga-temirova", "Dariga Temirova", "Person", "varania")  # Varania not named
    return b


def write_and_link(store: Store, reference, write=(), drop=()):
    """What kg build and kg remove do, on hand-made article graphs: note what is touched, write,
    link only that."""
    touched = Touched(store)
    store.update(stale_links_request())  # a build killed from here on leaves untrusted links
    touched.articles(drop)  # read before they go
    for article_id in drop:
        store.remove_article(article_id)
    for b in write:
        store.replace_article(b.doc_id, list(b.doc_graph))
    touched.articles(b.doc_id for b in write)
    update = link_changed(
        store.dataset.graph(CANONICAL_GRAPH), store.dataset.graph(LINKS_GRAPH), touched, reference
    )
    assert update is not None
    store.update(update.request())
    return update


def stored_link_graphs(store: Store) -> dict[str, set]:
    return {str(g): set(store.dataset.graph(g)) for g in (LINKS_GRAPH, REFERENCE_GRAPH)}


def full_relink(store: Store, reference) -> dict[str, set]:
    """graph/links and graph/reference as a full link of the same store writes them."""
    for graph, triples in link_store_graphs(
        link_entities(store.dataset.graph(CANONICAL_GRAPH), reference)
    ).items():
        store.replace_graph(graph, triples)
    return stored_link_graphs(store)


def wikidata_links(graphs: dict[str, set]) -> dict[str, str]:
    return {
        str(s).rsplit("/", 1)[1]: str(o).rsplit("/", 1)[1]
        for s, p, o in graphs[str(LINKS_GRAPH)]
        if p == OWL.sameAs and str(o).startswith(str(WD))
    }


# Links after the third step, which the fourth keeps and adds to.
LINKED_AFTER_A3 = {
    "ostria": "Q900002",
    "varania": "Q900001",
    "kanat-jaksybekov": "Q900102",
    "erlan-bekov": "Q900104",
    "dariga-temirova": "Q900101",
    "veche": "Q900020",
}

# (what happens, articles written, articles dropped, Wikidata links after, entities not decided again)
INCREMENTAL_STEPS = [
    # Two articles: Varania has no candidate under the one name given, so neither has what is
    # placed in it (a name and a type alone score 0.70). Nurlanova's post is not recognised: the
    # reference names its country in a way our "Ostria" does not match.
    (
        "first build",
        [article_a1, article_a2],
        [],
        {"ostria": "Q900002", "kanat-jaksybekov": "Q900102", "erlan-bekov": "Q900104"},
        [],
    ),
    # A3 names Varania by its name: the country links, and so does what an earlier article placed
    # in it (Temirova, the Veche), though A3 does not name them. The rest is not decided again.
    (
        "a country gets a name with a candidate",
        [article_a3],
        [],
        LINKED_AFTER_A3,
        ["kanat-jaksybekov", "erlan-bekov", "zarina-umarova", "aigerim-nurlanova", "ostria"],
    ),
    # A4 calls Ostria "the Ostrian Republic": its link stays, so what is placed in it is not
    # decided again, but the holders of its offices are, and Nurlanova's post now matches.
    # Temirova, named again, keeps the link she owes to Varania's, which A4 does not name: it is
    # read from the stored links.
    (
        "a linked country gets another name",
        [article_a4],
        [],
        {**LINKED_AFTER_A3, "aigerim-nurlanova": "Q900107"},
        ["veche", "zarina-umarova", "marat-sultanov", "varania", "ostrian-senate"],
    ),
    # A1's file changed (Jaksybekov kept, his office gone: a weaker link) and A2 was removed (Bekov
    # no longer exists: his link goes, and his item leaves graph/reference).
    (
        "a file changed and one removed",
        [lambda: article_a1(edited=True)],
        [A1, A2],
        {
            "ostria": "Q900002",
            "varania": "Q900001",
            "kanat-jaksybekov": "Q900102",
            "dariga-temirova": "Q900101",
            "veche": "Q900020",
            "aigerim-nurlanova": "Q900107",
        },
        ["marat-sultanov"],
    ),
    # A3 removed: Varania is down to the name without a candidate, and unlinks what it placed.
    (
        "a country loses its link",
        [],
        [A3],
        {"ostria": "Q900002", "kanat-jaksybekov": "Q900102", "aigerim-nurlanova": "Q900107"},
        ["kanat-jaksybekov", "aigerim-nurlanova"],
    ),
]


def test_link_incremental_equals_full_relink(tmp_path, reference):
    store = Store(tmp_path / "store")
    try:
        link_offline(store, reference=reference)  # an empty store, linked: its links are trusted
        for step, write, drop, links, untouched in INCREMENTAL_STEPS:
            update = write_and_link(store, reference, [make() for make in write], drop)
            incremental = stored_link_graphs(store)
            assert wikidata_links(incremental) == links, step
            assert update.linked == len(links), step
            decided = {str(e).rsplit("/", 1)[1] for e in update.entities}
            assert not decided & set(untouched), step
            # The same store linked whole; the next step starts from these (equal) graphs.
            assert incremental == full_relink(store, reference), step
        reference_items = {s for s, _, _ in stored_link_graphs(store)[str(REFERENCE_GRAPH)]}
        assert WD.Q900104 not in reference_items  # Bekov's item went with his link
        assert WD.Q900002 in reference_items
    finally:
        store.close()


def test_link_entities_named_in_article_include_other_holders_of_its_offices(tmp_path):
    # An office's role and country are stated by every article that names it: whoever holds it,
    # in any article, is decided again when one does.
    first, second = GraphBuilder("2024-03-11", A1), GraphBuilder("2024-04-01", A2)
    earlier = first.person("nurlan-abenov", "Nurlan Abenov")
    first.holds(earlier, "President", "ostria", former=True)
    first.person("timur-kassen", "Timur Kassen")  # only in the first article
    later = second.person("aliya-serikova", "Aliya Serikova")
    second.holds(later, "President", "ostria")
    with Store(tmp_path / "store") as store:
        for b in (first, second):
            store.replace_article(b.doc_id, list(b.doc_graph))
        assert entities_named_in(store, [GRAPH[A2]]) == {later, earlier}
        assert entities_named_in(store, []) == set()


def test_link_touched_reads_articles_only_when_the_next_link_can_be_incremental(tmp_path, reference):
    # Never linked (a fresh store): the build's link is a full one, so what the articles name is
    # not read. Linked by this linker: it is, and only that is decided again.
    with Store(tmp_path / "store") as store:
        store.replace_article(A1, list(article_a1().doc_graph))
        fresh = Touched(store)
        fresh.articles([A1])
        assert fresh.entities == set()
        link_offline(store, reference=reference)
        linked = Touched(store)
        linked.articles([A1])
        assert linked.entities == entities_named_in(store, [GRAPH[A1]]) != set()


@pytest.mark.parametrize(
    ("how", "why"),
    [
        ("unfinished", "a build took the version off graph/links and did not link (killed, or no --link)"),
        ("threshold", "kg link --threshold 0.9 wrote the links"),
        ("never", "the store was never linked"),
    ],
)
def test_link_incremental_distrusts_links_it_did_not_write(tmp_path, reference, how, why):
    with Store(tmp_path / "store") as store:
        store.replace_article(A1, list(article_a1().doc_graph))
        if how == "threshold":
            result = link_entities(store.dataset.graph(CANONICAL_GRAPH), reference, threshold=0.9)
            for graph, triples in link_store_graphs(result).items():
                store.replace_graph(graph, triples)
        elif how == "unfinished":
            link_offline(store, reference=reference)
            store.update(stale_links_request())
        touched = Touched(store)
        store.replace_article(A3, list(article_a3().doc_graph))
        touched.articles([A3])
        canonical, links = store.dataset.graph(CANONICAL_GRAPH), store.dataset.graph(LINKS_GRAPH)
        assert link_changed(canonical, links, touched, reference) is None, why
        # The build's link then links everything, as kg link would.
        assert link_offline(store, touched, reference) == 5
        linked = stored_link_graphs(store)
        assert linked == full_relink(store, reference)
        assert Touched(store).links_version == links_version(
            ReferenceCandidateSource(reference), load_rules(), DEFAULT_THRESHOLD
        )


INVENTED_ARTICLES = {
    "one.txt": "Kazakhstan and Azerbaijan discuss energy\n\nASTANA, 4 March 2024. President of Kazakhstan "
    "Arman Zhunusbekov received the Minister of Foreign Affairs of Azerbaijan Leyla Mammadli in Astana "
    "on Monday. The two sides discussed energy and transport.\n",
    "two.txt": "Ministers meet in Baku\n\nBAKU, 12 April 2024. Minister of Foreign Affairs of Azerbaijan "
    "Leyla Mammadli met the Ambassador of Kazakhstan to Azerbaijan Daulet Seitkali in Baku on Friday.\n",
}


def test_link_build_and_remove_link_what_they_change_as_a_full_link_would(tmp_path):
    # Invented people in real places, through kg build and kg remove with the shipped reference.
    docs, settings = tmp_path / "docs", Settings(store=tmp_path / "store")
    docs.mkdir()
    expected = {
        "one.txt": {"kazakhstan": "Q232", "azerbaijan": "Q227", "astana": "Q1520"},
        "two.txt": {"kazakhstan": "Q232", "azerbaijan": "Q227", "astana": "Q1520", "baku": "Q9248"},
        "removed one": {"kazakhstan": "Q232", "azerbaijan": "Q227", "baku": "Q9248"},
    }
    reference = load_reference()
    trusted = links_version(ReferenceCandidateSource(reference), load_rules(), DEFAULT_THRESHOLD)
    for step, links in expected.items():
        if step == "removed one":
            assert remove(["one"], settings)
        else:
            (docs / step).write_text(INVENTED_ARTICLES[step], encoding="utf-8")
            report = build([docs], settings)
            assert report.ok and report.links == len(links), (step, report.errors)
        with Store(settings.store) as store:
            incremental = stored_link_graphs(store)
            assert wikidata_links(incremental) == links, step
            assert Touched(store).links_version == trusted, step  # the next build links incrementally
            assert incremental == full_relink(store, reference), step
    # A removal that fails halfway (the second name is unknown) leaves links no build will trust.
    with pytest.raises(KeyError, match="no-such-document"):
        remove(["two", "no-such-document"], settings)
    with Store(settings.store) as store:
        assert Touched(store).links_version == ""


def test_link_store_uses_one_schema_org_namespace(built_store):
    """https://schema.org/ everywhere, the reference data's Wikipedia sitelinks included."""
    mixed = built_store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        'FILTER (STRSTARTS(STR(?p), "http://schema.org/") '
        '|| (isIRI(?o) && STRSTARTS(STR(?o), "http://schema.org/"))) }'
    )
    assert int(mixed[0][0]) == 0
    sitelinks = built_store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <https://schema.org/about> ?o } }"
    )
    assert int(sitelinks[0][0]) > 0
