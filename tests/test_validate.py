"""kg/graph/validate.py: SHACL validation of graphs in the docs/graph.md shape, and its report.

Every test starts from one valid invented article graph (ARTICLE) and breaks one thing with a SPARQL
update, so each shape is shown to catch exactly what it is for.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef

import kg
from kg.graph import validate
from kg.graph.validate import Violation, format_violations, validate_graph
from kg.nlp.facts import Article, DocFacts, Entity, Event, Evidence, Office, OfficeHolding
from kg.vocab import DKG, GRAPH, ID

PREFIXES = """
PREFIX dkg: <https://w3id.org/diplomacy-kg/ontology#>
PREFIX doc: <https://w3id.org/diplomacy-kg/id/doc/>
PREFIX person: <https://w3id.org/diplomacy-kg/id/person/>
PREFIX country: <https://w3id.org/diplomacy-kg/id/country/>
PREFIX institution: <https://w3id.org/diplomacy-kg/id/institution/>
PREFIX place: <https://w3id.org/diplomacy-kg/id/place/>
PREFIX office: <https://w3id.org/diplomacy-kg/id/office/>
PREFIX holding: <https://w3id.org/diplomacy-kg/id/holding/>
PREFIX event: <https://w3id.org/diplomacy-kg/id/event/>
PREFIX evidence: <https://w3id.org/diplomacy-kg/id/evidence/>
PREFIX link: <https://w3id.org/diplomacy-kg/id/link/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

# One article about invented people in an invented country, in the docs/graph.md shape.
ARTICLE = """
doc:aaaaaaaaaaaaaaaa a dkg:Document ; dcterms:identifier "001_varnia" ;
    dcterms:title "Talks in Port Elm"@en ; dcterms:issued "2031-05-02"^^xsd:date ;
    dkg:contentHash "aaaaaaaaaaaaaaaa" ; dkg:extractorVersion "1" .
person:olan-varek a dkg:Person ; rdfs:label "Olan Varek"@en ; skos:altLabel "Mr Varek"@en ;
    dkg:country country:varnia ;
    dkg:reportedIn doc:aaaaaaaaaaaaaaaa ; dkg:evidence evidence:e1 .
person:mira-telos a dkg:Person ; rdfs:label "Mira Telos"@en ; dkg:reportedIn doc:aaaaaaaaaaaaaaaa .
country:varnia a dkg:Country ; rdfs:label "Varnia"@en ; skos:prefLabel "Varnia"@en .
institution:varnian-assembly a dkg:Institution, dkg:Parliament ; rdfs:label "Varnian Assembly"@en ;
    dkg:country country:varnia ; dkg:reportedIn doc:aaaaaaaaaaaaaaaa .
place:port-elm a dkg:Place, dkg:City ; rdfs:label "Port Elm"@en ; dkg:country country:varnia .
office:speaker a dkg:Office ; rdfs:label "Speaker of the Varnian Assembly"@en ; dkg:role "Speaker" ;
    dkg:officeIn institution:varnian-assembly ; dkg:countryOf country:varnia .
holding:h1 a dkg:OfficeHolding ; dkg:holder person:olan-varek ; dkg:office office:speaker ;
    dkg:former false ; dkg:attestedOn "2031-05-02"^^xsd:date ;
    dkg:reportedIn doc:aaaaaaaaaaaaaaaa ; dkg:evidence evidence:e1 .
event:v1 a dkg:Event, dkg:Visit ; rdfs:label "Visit of Mira Telos to Varnia"@en ;
    dkg:participant person:mira-telos ; dkg:month "2031-05"^^xsd:gYearMonth ;
    dkg:hostCountry country:varnia ;
    dkg:reportedIn doc:aaaaaaaaaaaaaaaa ; dkg:evidence evidence:e1 .
event:m1 a dkg:Event, dkg:Meeting ; rdfs:label "Meeting of Olan Varek and Mira Telos"@en ;
    dkg:participant person:olan-varek, person:mira-telos ; dkg:date "2031-05-01"^^xsd:date ;
    dkg:place place:port-elm ; dkg:country country:varnia ;
    dkg:topic <https://w3id.org/diplomacy-kg/topic/energy> ; dkg:cameoCode "040" ;
    dkg:ploverCategory "CONSULT" ; dkg:subEventOf event:v1 ;
    dkg:reportedIn doc:aaaaaaaaaaaaaaaa ; dkg:evidence evidence:e1 .
evidence:e1 a dkg:Evidence ; prov:value "Speaker Olan Varek met Mira Telos in Port Elm." ;
    prov:wasQuotedFrom doc:aaaaaaaaaaaaaaaa ;
    dkg:sentenceIndex 0 ; dkg:startChar 0 ; dkg:endChar 46 ; dkg:rule "offices.title_before_name" .
link:l1 a dkg:Link ; dkg:linkSubject person:olan-varek ;
    dkg:linkTarget <http://www.wikidata.org/entity/Q0> ; dkg:linkScore 0.93 ; dkg:linkMethod "reference" .
"""

TURTLE = PREFIXES.replace("PREFIX ", "@prefix ").replace(">\n", "> .\n") + ARTICLE


def article() -> Graph:
    return Graph().parse(data=TURTLE, format="turtle")


def broken(update: str) -> Graph:
    graph = article()
    graph.update(PREFIXES + update)
    return graph


def found(graph: Graph) -> set[tuple[str, str | None, str | None]]:
    """(focus, result path, constraint) of every result for ``graph``."""
    return {(v.focus, v.path, v.constraint) for v in validate_graph(graph)}


def _set(subject: str, prop: str, value: str) -> str:
    """An update that gives ``subject`` this one value of ``prop`` instead of its own."""
    return f"DELETE WHERE {{ {subject} {prop} ?old }} ; INSERT DATA {{ {subject} {prop} {value} }}"


def test_validate_valid_graph_has_no_violations():
    assert validate_graph(article()) == []


# (case, SPARQL update that breaks ARTICLE, focus node, result path, SHACL constraint)
CASES = [
    ("event_no_type", "DELETE DATA { event:m1 a dkg:Meeting }", "event/m1", "rdf:type", "QualifiedMinCount"),
    (
        "event_typed_only_event",
        "DELETE DATA { event:v1 a dkg:Event, dkg:Visit } ; INSERT DATA { event:v1 a dkg:Event }",
        "event/v1",
        "rdf:type",
        "QualifiedMinCount",
    ),
    (
        "meeting_not_typed_event_is_still_checked",
        "DELETE DATA { event:m1 a dkg:Event } ; DELETE WHERE { event:m1 dkg:evidence ?e }",
        "event/m1",
        "dkg:evidence",
        "MinCount",
    ),
    (
        "event_no_participant_no_place",
        "DELETE WHERE { event:m1 dkg:participant ?p } ; DELETE WHERE { event:m1 dkg:place ?q }",
        "event/m1",
        None,
        "Or",
    ),
    (
        "event_date_and_month",
        'INSERT DATA { event:m1 dkg:month "2031-05"^^xsd:gYearMonth }',
        "event/m1",
        "dkg:date|dkg:month|dkg:year",
        "MaxCount",
    ),
    (
        "event_two_dates",
        'INSERT DATA { event:m1 dkg:date "2031-05-02"^^xsd:date }',
        "event/m1",
        "dkg:date|dkg:month|dkg:year",
        "MaxCount",
    ),
    (
        "event_date_untyped",
        _set("event:m1", "dkg:date", '"2031-05-01"'),
        "event/m1",
        "dkg:date",
        "Datatype",
    ),
    (
        "event_date_ill_formed",
        _set("event:m1", "dkg:date", '"2031-13-45"^^xsd:date'),
        "event/m1",
        "dkg:date",
        "Datatype",
    ),
    (
        "event_year_as_date",
        'DELETE WHERE { event:m1 dkg:date ?d } ; INSERT DATA { event:m1 dkg:year "2031-05-01"^^xsd:date }',
        "event/m1",
        "dkg:year",
        "Datatype",
    ),
    (
        "event_no_document",
        "DELETE WHERE { event:m1 dkg:reportedIn ?d }",
        "event/m1",
        "dkg:reportedIn",
        "MinCount",
    ),
    (
        "event_no_evidence",
        "DELETE WHERE { event:v1 dkg:evidence ?e }",
        "event/v1",
        "dkg:evidence",
        "MinCount",
    ),
    (
        "event_cameo_not_digits",
        _set("event:m1", "dkg:cameoCode", '"04a"'),
        "event/m1",
        "dkg:cameoCode",
        "Pattern",
    ),
    (
        "event_cameo_too_short",
        _set("event:m1", "dkg:cameoCode", '"4"'),
        "event/m1",
        "dkg:cameoCode",
        "Pattern",
    ),
    (
        "event_participant_not_person",
        "INSERT DATA { event:m1 dkg:participant country:varnia }",
        "event/m1",
        "dkg:participant",
        "Class",
    ),
    (
        "event_place_is_person",
        _set("event:m1", "dkg:place", "person:olan-varek"),
        "event/m1",
        "dkg:place",
        "Or",
    ),
    (
        "event_host_not_country",
        "INSERT DATA { event:v1 dkg:hostCountry place:port-elm }",
        "event/v1",
        "dkg:hostCountry",
        "Class",
    ),
    (
        "event_parent_not_event",
        "INSERT DATA { event:m1 dkg:subEventOf holding:h1 }",
        "event/m1",
        "dkg:subEventOf",
        "Class",
    ),
    (
        "holding_two_holders",
        "INSERT DATA { holding:h1 dkg:holder person:mira-telos }",
        "holding/h1",
        "dkg:holder",
        "MaxCount",
    ),
    (
        "holding_no_holder",
        "DELETE WHERE { holding:h1 dkg:holder ?p }",
        "holding/h1",
        "dkg:holder",
        "MinCount",
    ),
    (
        "holding_holder_not_person",
        _set("holding:h1", "dkg:holder", "country:varnia"),
        "holding/h1",
        "dkg:holder",
        "Class",
    ),
    (
        "holding_no_office",
        "DELETE WHERE { holding:h1 dkg:office ?o }",
        "holding/h1",
        "dkg:office",
        "MinCount",
    ),
    (
        "holding_office_not_office",
        "DELETE WHERE { holding:h1 dkg:office ?o } ; "
        "INSERT DATA { holding:h1 dkg:office institution:varnian-assembly }",
        "holding/h1",
        "dkg:office",
        "Class",
    ),
    (
        "holding_no_document",
        "DELETE WHERE { holding:h1 dkg:reportedIn ?d }",
        "holding/h1",
        "dkg:reportedIn",
        "MinCount",
    ),
    (
        "holding_no_evidence",
        "DELETE WHERE { holding:h1 dkg:evidence ?e }",
        "holding/h1",
        "dkg:evidence",
        "MinCount",
    ),
    (
        "holding_former_not_boolean",
        _set("holding:h1", "dkg:former", '"no"'),
        "holding/h1",
        "dkg:former",
        "Datatype",
    ),
    (
        "office_no_role",
        "DELETE WHERE { office:speaker dkg:role ?r }",
        "office/speaker",
        "dkg:role",
        "MinCount",
    ),
    (
        "office_in_not_institution",
        _set("office:speaker", "dkg:officeIn", "country:varnia"),
        "office/speaker",
        "dkg:officeIn",
        "Class",
    ),
    (
        "evidence_no_quote",
        "DELETE WHERE { evidence:e1 prov:value ?v }",
        "evidence/e1",
        "prov:value",
        "MinCount",
    ),
    (
        "evidence_no_sentence_index",
        "DELETE WHERE { evidence:e1 dkg:sentenceIndex ?i }",
        "evidence/e1",
        "dkg:sentenceIndex",
        "MinCount",
    ),
    (
        "evidence_negative_sentence_index",
        _set("evidence:e1", "dkg:sentenceIndex", "-1"),
        "evidence/e1",
        "dkg:sentenceIndex",
        "MinInclusive",
    ),
    (
        "evidence_start_after_end",
        _set("evidence:e1", "dkg:startChar", "47"),
        "evidence/e1",
        "dkg:startChar",
        "LessThanOrEquals",
    ),
    (
        "evidence_offset_as_string",
        _set("evidence:e1", "dkg:endChar", '"46"'),
        "evidence/e1",
        "dkg:endChar",
        "Datatype",
    ),
    (
        "evidence_no_source",
        "DELETE WHERE { evidence:e1 prov:wasQuotedFrom ?d }",
        "evidence/e1",
        "prov:wasQuotedFrom",
        "MinCount",
    ),
    (
        "document_no_identifier",
        "DELETE WHERE { doc:aaaaaaaaaaaaaaaa dcterms:identifier ?i }",
        "doc/aaaaaaaaaaaaaaaa",
        "dcterms:identifier",
        "MinCount",
    ),
    (
        "document_bad_hash",
        _set("doc:aaaaaaaaaaaaaaaa", "dkg:contentHash", '"XYZ"'),
        "doc/aaaaaaaaaaaaaaaa",
        "dkg:contentHash",
        "Pattern",
    ),
    (
        "person_no_label",
        "DELETE WHERE { person:mira-telos rdfs:label ?l }",
        "person/mira-telos",
        "rdfs:label",
        "MinCount",
    ),
    (
        "label_not_tagged",
        _set("person:mira-telos", "rdfs:label", '"Mira Telos"'),
        "person/mira-telos",
        "rdfs:label",
        "Datatype",
    ),
    (
        "alt_label_not_tagged",
        'INSERT DATA { person:olan-varek skos:altLabel "Speaker Varek" }',
        "person/olan-varek",
        "skos:altLabel",
        "Datatype",
    ),
    (
        "pref_label_not_tagged",
        _set("country:varnia", "skos:prefLabel", '"Varnia"'),
        "country/varnia",
        "skos:prefLabel",
        "Datatype",
    ),
    (
        "pref_label_two_in_english",
        'INSERT DATA { country:varnia skos:prefLabel "Republic of Varnia"@en }',
        "country/varnia",
        "skos:prefLabel",
        "UniqueLang",
    ),
    (
        "entity_country_not_country",
        "INSERT DATA { place:port-elm dkg:country institution:varnian-assembly }",
        "place/port-elm",
        "dkg:country",
        "Class",
    ),
    (
        "link_no_subject",
        "DELETE WHERE { link:l1 dkg:linkSubject ?s }",
        "link/l1",
        "dkg:linkSubject",
        "MinCount",
    ),
    (
        "link_score_above_one",
        _set("link:l1", "dkg:linkScore", "1.5"),
        "link/l1",
        "dkg:linkScore",
        "MaxInclusive",
    ),
]


@pytest.mark.parametrize(
    ("update", "focus", "path", "constraint"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_validate_catches_broken_graph(update: str, focus: str, path: str | None, constraint: str):
    violations = validate_graph(broken(update))
    assert (str(ID[focus]), path, constraint) in found(broken(update)), format_violations(violations)
    assert all(v.severity == "Violation" for v in violations)


# pySHACL as shipped, in a process of its own: kg.graph.validate speeds up pySHACL's parameter lookup for the
# whole process on first use, so the oracle must not run where that already happened.
PLAIN_PYSHACL = """
import json, sys
sys.path.insert(0, {tests!r})
import pyshacl.shape
from pyshacl import Validator
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS
from pyshacl.graph_abstraction import DataGraph
from rdflib import Graph
from test_validate import broken
from kg.graph import validate

results = []
for update in json.loads(sys.stdin.read()):
    graph = broken(update)
    shapes = Graph().parse(data=validate.load_shapes().serialize(format="nt"), format="nt")
    report = Validator(DataGraph.from_rdflib(graph), shacl_graph=shapes).run()[1]
    found = validate._results(report, graph)
    results.append(sorted([v.focus, v.path, v.constraint, v.message] for v in found))
params = getattr(pyshacl.shape, "CONSTRAINT_PARAMS", None)
assert params is None or params[0] is ALL_CONSTRAINT_PARAMETERS, "pySHACL was patched"
print(json.dumps(results))
"""
PLAIN_CASES = CASES[::3]


@pytest.fixture(scope="module")
def plain_results() -> dict[str, list[tuple]]:
    """What unpatched pySHACL reports for each of PLAIN_CASES, by update."""
    import json
    import subprocess
    import sys

    updates = [c[1] for c in PLAIN_CASES]
    script = PLAIN_PYSHACL.format(tests=str(Path(__file__).parent))
    run = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps(updates), capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    return {u: [tuple(v) for v in r] for u, r in zip(updates, results, strict=True)}


@pytest.mark.parametrize("update", [c[1] for c in PLAIN_CASES], ids=[c[0] for c in PLAIN_CASES])
def test_validate_remembered_shapes_give_pyshacl_results(update: str, plain_results):
    # kg reads the shapes through a graph that remembers each lookup, with pySHACL's parameter
    # lookup sped up; unpatched pySHACL on the plain shapes graph must report exactly the same
    # results (focus, path, constraint and message).
    ours = sorted((v.focus, v.path, v.constraint, v.message) for v in validate_graph(broken(update)))
    assert ours == plain_results[update] and ours


def test_validate_remembering_graph_forgets_on_change():
    shapes = validate._RememberingGraph()
    person = ID["person/olan-varek"]
    assert list(shapes.objects(person, RDFS.label)) == []
    shapes.add((person, RDFS.label, Literal("Olan Varek")))
    assert list(shapes.objects(person, RDFS.label)) == [Literal("Olan Varek")]
    shapes.remove((person, RDFS.label, Literal("Olan Varek")))
    assert list(shapes.value(person, RDFS.label) for _ in range(2)) == [None, None]


def test_validate_parameter_list_keeps_list_order_and_contents():
    params = validate._ParameterList([RDFS.label, RDFS.comment])
    assert params == [RDFS.label, RDFS.comment] and params.copy() == [RDFS.label, RDFS.comment]
    assert RDFS.comment in params and URIRef(str(RDFS.comment)) in params and RDFS.range not in params


def test_validate_violation_names_document_and_label():
    graph = broken("DELETE WHERE { holding:h1 dkg:holder ?p }")
    (violation,) = validate_graph(graph)
    assert violation == Violation(
        focus=str(ID["holding/h1"]),
        message="an office holding has exactly one dkg:holder, a dkg:Person",
        severity="Violation",
        path="dkg:holder",
        value=None,
        focus_label=None,
        document=str(ID["doc/aaaaaaaaaaaaaaaa"]),
        source="001_varnia",
        constraint="MinCount",
        shape=None,
    )


def test_validate_entity_without_reported_in_gets_document_of_its_graph():
    # The place carries no dkg:reportedIn: its document is the one of the graph it lives in.
    graph = broken(_set("place:port-elm", "rdfs:label", '"Port Elm"'))
    (violation,) = validate_graph(graph)
    assert (violation.focus, violation.source, violation.value) == (
        str(ID["place/port-elm"]),
        "001_varnia",
        '"Port Elm"',
    )


def test_validate_dataset_checks_each_named_graph():
    dataset = Dataset()
    good = dataset.graph(GRAPH["aaaaaaaaaaaaaaaa"])
    for triple in article():
        good.add(triple)
    bad = dataset.graph(GRAPH["bbbbbbbbbbbbbbbb"])
    for triple in broken("DELETE WHERE { event:m1 dkg:evidence ?e }"):
        bad.add(triple)
    # Same IRIs in both graphs: only the copy missing its evidence is reported, once.
    violations = validate_graph(dataset)
    assert [(v.focus, v.path) for v in violations] == [(str(ID["event/m1"]), "dkg:evidence")]


def test_validate_graph_is_self_contained():
    # An event whose participant is typed only in another graph breaks the article graph.
    assert found(broken("DELETE WHERE { person:mira-telos ?p ?o }")) == {
        (str(ID["event/m1"]), "dkg:participant", "Class"),
        (str(ID["event/v1"]), "dkg:participant", "Class"),
    }


def test_validate_format_groups_by_document():
    violations = validate_graph(
        broken("DELETE WHERE { event:m1 dkg:evidence ?e } ; INSERT DATA { evidence:e1 dkg:startChar 50 }")
    )
    text = format_violations(violations)
    assert text.splitlines() == [
        "3 violations",
        "001_varnia:",
        '  Violation id:event/m1 "Meeting of Olan Varek and Mira Telos" dkg:evidence: '
        "a fact needs dkg:evidence, a dkg:Evidence of the same graph",
        "  Violation id:evidence/e1 dkg:startChar: dkg:startChar must not be after dkg:endChar "
        '(value "50"^^xsd:integer)',
        "  Violation id:evidence/e1 dkg:startChar: "
        "evidence has exactly one dkg:startChar, an xsd:integer >= 0",
    ]


def test_validate_format_empty_says_conforms():
    assert format_violations([]) == "The graph conforms to ontology/shapes.ttl."


def test_validate_rdf_writer_output_conforms():
    # kg/graph/rdf.py's own output for an invented article must pass the shapes it is checked against.
    from kg.graph.rdf import to_graph

    ev = Evidence(
        "cccccccccccccccc", 0, 0, 52, "Chair Ilse Marrow received Ambassador Tomas Reyl.", "test.rule"
    )
    facts = DocFacts(
        article=Article(
            id="cccccccccccccccc",
            stem="007_marrow",
            path="007_marrow.txt",
            text="Chair Ilse Marrow received Ambassador Tomas Reyl.",
            published=date(2032, 1, 9),
            title="Chair receives ambassador",
        ),
        entities=[
            Entity(
                "person:ilse-marrow",
                "person",
                "Ilse Marrow",
                aliases=["Chair Marrow"],
                country="country:ostria",
                evidence=[ev],
            ),
            Entity("person:tomas-reyl", "person", "Tomas Reyl", evidence=[ev]),
            Entity("country:ostria", "country", "Ostria"),
            Entity("country:belmark", "country", "Belmark"),
            Entity(
                "institution:ostrian-senate",
                "institution",
                "Ostrian Senate",
                country="country:ostria",
                subtype="Chamber",
            ),
            Entity("place:kell", "place", "Kell", country="country:ostria", subtype="City"),
        ],
        office_holdings=[
            OfficeHolding(
                "person:tomas-reyl",
                Office(
                    "Ambassador",
                    "Ambassador of Belmark to Ostria",
                    country="country:belmark",
                    accredited_to="country:ostria",
                ),
                attested=date(2032, 1, 9),
                evidence=[ev],
            )
        ],
        events=[
            Event(
                "meeting|1",
                "Meeting",
                ["person:ilse-marrow", "person:tomas-reyl"],
                date="2032-01",
                place="place:kell",
                country="country:ostria",
                topics=["energy"],
                cameo="043",
                evidence=[ev],
            )
        ],
    )
    graph = to_graph(facts)
    assert validate_graph(graph) == [], format_violations(validate_graph(graph))


def test_validate_missing_ontology_folder_is_a_clear_error(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(validate.shipped, "ontology_dir", lambda: tmp_path)
    with pytest.raises(FileNotFoundError, match=r"ontology folder .* is missing diplomacy\.ttl"):
        validate.ontology_dir()


def test_validate_every_node_shape_is_documented():
    from rdflib.namespace import RDF, SH

    shapes = validate.load_shapes()
    names = sorted(str(s).rpartition("#")[2] for s in shapes.subjects(RDF.type, SH.NodeShape))
    docs = (Path(kg.__file__).parent.parent / "docs" / "ontology.md").read_text(encoding="utf-8")
    assert names
    assert [n for n in names if f"`{n}`" not in docs] == []


# ---------------------------------------------------------------------------------------------
# The compiled checker (kg/graph/shapes.py): the same Violations as pySHACL, from the triples alone
# ---------------------------------------------------------------------------------------------


def reference(triples: list) -> list[Violation]:
    """pySHACL on a Graph built from the triples, as kg build did before the compiled checker."""
    return validate_graph(validate._as_graph(triples))


@pytest.mark.parametrize("update", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_validate_triples_matches_pyshacl_on_broken_graph(update: str):
    triples = list(broken(update))
    expected = reference(triples)
    assert validate.validate_triples(triples) == expected and expected
    assert format_violations(validate.validate_triples(triples)) == format_violations(expected)


def test_validate_triples_valid_article_has_no_violations():
    assert validate.validate_triples(list(article())) == []


def _article_triples(nlp, paths: list[Path]) -> list[list]:
    """Each article's triples as kg build makes them: extraction, then rdf (the article graphs are
    as extracted; the merge across articles is graph/canonical's, kg/graph/merge.py)."""
    from kg.graph.rdf import to_triples
    from kg.nlp.extract import extract
    from kg.read import read_paths

    facts = [f for f in extract(nlp, read_paths(paths).articles, batch_size=8) if isinstance(f, DocFacts)]
    return [to_triples(f) for f in facts]


@pytest.fixture(scope="module")
def built_triples(nlp, seed_dir: Path, tmp_path_factory) -> list[list]:
    """The five seed articles and three generated ones, extracted."""
    from bench.generate import write_corpus

    generated = write_corpus(3, tmp_path_factory.mktemp("generated"))
    return _article_triples(nlp, sorted(seed_dir.glob("*.txt"))) + _article_triples(nlp, generated)


def test_validate_triples_extracted_articles_conform(built_triples: list[list]):
    assert len(built_triples) == 8
    for triples in built_triples:
        assert validate.validate_triples(triples) == [] == reference(triples)


# Terms the mutations draw from: a few classes, datatypes and literals of the wrong kind.
_CLASSES = [DKG.Person, DKG.Country, DKG.Place, DKG.Event, DKG.Meeting, DKG.Evidence, DKG.Document]
# (Datatype IRIs spelled out: pytest's collection trips over rdflib's XSD namespace object.)
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DATATYPES = [URIRef(_XSD + t) for t in ("string", "integer", "date", "gYear", "boolean", "decimal")] + [None]
_LITERALS = [
    Literal("x"),
    Literal("x", lang="en"),
    Literal(-1),
    Literal(10**6),
    Literal("2031-13-45", datatype=URIRef(_XSD + "date")),
    Literal("2031-05-01", datatype=URIRef(_XSD + "date")),
    Literal(True),
    Literal(""),
    Literal("1.5", datatype=URIRef(_XSD + "decimal")),
]


@st.composite
def mutations(draw, triples: list) -> list:
    """Up to three of: drop a triple, add a second value, change a literal's datatype, retype a
    node, point an object property at a literal or at another node."""
    triples = list(triples)
    nodes = sorted({s for s, _, _ in triples}, key=str)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(triples) - 1))
        s, p, o = triples[i]
        kind = draw(st.sampled_from(["drop", "second", "datatype", "retype", "literal", "node"]))
        if kind == "drop":
            del triples[i]
        elif kind == "second":
            triples.append((s, p, draw(st.sampled_from(_LITERALS))))
        elif kind == "datatype" and isinstance(o, Literal):
            datatype = draw(st.sampled_from(_DATATYPES))
            triples[i] = (s, p, Literal(str(o), datatype=datatype))
        elif kind == "retype":
            triples.append((s, RDF.type, draw(st.sampled_from(_CLASSES))))
            if draw(st.booleans()):
                triples = [
                    t for t in triples if not (t[0] == s and t[1] == RDF.type and t[2] != triples[-1][2])
                ]
        elif kind == "literal":
            triples[i] = (s, p, draw(st.sampled_from(_LITERALS)))
        else:
            triples[i] = (s, p, draw(st.sampled_from(nodes)))
    return triples


def _outcome(check, triples: list):
    # Both checkers must fail the same way where pySHACL cannot compare two values.
    try:
        return check(triples)
    except Exception as err:  # the exception type is what is compared
        return type(err).__name__


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")  # rdflib, on a mutated xsd:boolean
@pytest.mark.parametrize("which", [0, 5], ids=["seed", "generated"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_validate_triples_matches_pyshacl_on_mutated_article(built_triples: list[list], which: int, data):
    triples = data.draw(mutations(built_triples[which]))
    assert _outcome(validate.validate_triples, triples) == _outcome(reference, triples)


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_validate_triples_matches_pyshacl_on_mutated_invented_article(data):
    triples = data.draw(mutations(list(article())))
    assert _outcome(validate.validate_triples, triples) == _outcome(reference, triples)


# Shapes beyond ontology/shapes.ttl, for the parts of the compiler kg's own shapes do not reach:
# default messages, severities, sh:node, inverse and sequence paths, other targets, subclasses
# declared in the data, exclusive bounds, string length, qualified maximum, deactivated shapes.
EXTRA_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

ex:AgentShape a sh:NodeShape ; sh:targetClass ex:Agent ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxLength 8 ] ;
    sh:property [ sh:path ex:age ; sh:minExclusive 0 ; sh:maxExclusive 150 ; sh:datatype xsd:integer ] ;
    sh:property [ sh:path ( ex:knows ex:name ) ; sh:maxCount 2 ; sh:severity sh:Warning ;
                  sh:message "few friends' names"@en, "peu de noms"@fr ] ;
    sh:property [ sh:path [ sh:inversePath ex:knows ] ; sh:class ex:Agent ] ;
    sh:property [ sh:path ex:knows ; sh:node ex:NamedShape ] ;
    sh:property [ sh:path ex:knows ; sh:qualifiedValueShape [ sh:class ex:Robot ] ; sh:qualifiedMaxCount 1 ] .
ex:NamedShape a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:minLength 2 ] .
ex:Leaf a sh:NodeShape ; sh:targetObjectsOf ex:knows ; sh:nodeKind sh:IRI .
ex:Pinned a sh:NodeShape ; sh:targetNode ex:zed ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:Off a sh:NodeShape ; sh:targetClass ex:Agent ; sh:deactivated true ; sh:nodeKind sh:Literal .
ex:Adult a sh:NodeShape ; sh:targetSubjectsOf ex:age ;
    sh:or ( [ sh:path ex:age ; sh:minInclusive 18 ] [ sh:class ex:Robot ] ) .
# A Warning shape conforms inside sh:or whatever it finds (pySHACL): no result from this one.
ex:Lenient a sh:NodeShape ; sh:targetSubjectsOf ex:age ;
    sh:or ( [ sh:path ex:age ; sh:maxInclusive 5 ; sh:severity sh:Warning ] [ sh:class ex:Robot ] ) .
"""

EXTRA_DATA = """
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Robot rdfs:subClassOf ex:Agent .
ex:ann a ex:Agent ; ex:name "Ann" ; ex:age 30 ; ex:knows ex:bob, ex:cyd, ex:r2, ex:r3 .
ex:bob a ex:Agent ; ex:name "Bob", "Robert the Long" ; ex:age 0 ; ex:knows ex:ann .
ex:cyd a ex:Agent ; ex:name "C" ; ex:age "12" ; ex:knows "Dee" .
ex:eve ex:knows ex:ann .
ex:r2 a ex:Robot ; ex:age 151 ; ex:knows ex:r3 .
ex:r3 a ex:Robot ; ex:name "R3" .
"""


def _pyshacl(shapes: Graph, data: Graph) -> list[Violation]:
    from pyshacl import Validator
    from pyshacl.graph_abstraction import DataGraph

    options = {"inference": "none", "allow_infos": True, "allow_warnings": True}
    report = Validator(DataGraph.from_rdflib(data), shacl_graph=shapes, options=options).run()[1]
    return validate._ordered(validate._results(report, data))


def test_validate_compiled_extra_shapes_match_pyshacl():
    from pyshacl.shapes_graph import ShapesGraph

    from kg.graph.shapes import compile_shapes

    shapes = Graph().parse(data=EXTRA_SHAPES, format="turtle")
    triples = list(Graph().parse(data=EXTRA_DATA, format="turtle"))
    expected = _pyshacl(shapes, validate._as_graph(triples))
    ours = validate.check_triples(compile_shapes(shapes), triples, shapes, ShapesGraph(shapes))
    assert ours == expected
    # Every part of the shapes above is exercised: a result from each component and severity.
    assert {v.constraint for v in ours} >= {
        "MinCount", "MaxCount", "MaxLength", "MinLength", "MinExclusive", "MaxExclusive", "Datatype",
        "Class", "Node", "QualifiedMaxCount", "NodeKind", "Or",
    }  # fmt: skip
    assert {v.severity for v in ours} == {"Violation", "Warning"}
    assert "Less than 1 values on" in format_violations(ours)  # pySHACL's own default message


@pytest.mark.parametrize(
    ("shape", "named"),
    [
        ("sh:path ex:p ; sh:hasValue ex:v", "sh:hasValue"),
        ("sh:path ex:p ; sh:equals ex:q", "sh:equals"),
        ("sh:closed true", "sh:closed"),
        ("sh:not [ sh:class ex:C ]", "sh:not"),
        ("sh:path [ sh:zeroOrMorePath ex:p ] ; sh:minCount 1", "sh:zeroOrMorePath"),
        ("sh:path ex:p ; sh:severity ex:Grave ; sh:minCount 1", "severity"),
        ("sh:sparql [ sh:select 'SELECT $this WHERE { }' ]", "sh:sparql"),
    ],
)
def test_validate_compiler_refuses_unknown_component(shape: str, named: str):
    from kg.graph.shapes import UnsupportedShapesError, compile_shapes

    text = f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a {"sh:PropertyShape" if "sh:path" in shape else "sh:NodeShape"} ;
        sh:targetClass ex:C ; {shape} ."""
    with pytest.raises(UnsupportedShapesError, match=re.escape(named)) as refused:
        compile_shapes(Graph().parse(data=text, format="turtle"))
    assert str(refused.value).startswith("shape http://example.org/S")  # names the shape


def test_validate_unknown_component_falls_back_with_one_warning(caplog):
    shapes = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . "
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .",
        format="turtle",
    )
    with caplog.at_level("WARNING", logger="kg.graph.validate"):
        assert validate.compile_or_none(shapes) is None
    assert [r.getMessage() for r in caplog.records] == [
        "shapes.ttl: shape http://example.org/S uses sh:closed, which the compiled SHACL checker does "
        "not implement; checking each article with pySHACL instead (slower)"
    ]


def test_validate_kg_shapes_compile():
    # ontology/shapes.ttl itself must stay within what the compiler knows, or kg build slows down.
    assert validate._checker() is not None


def test_validate_triples_graph_document_is_first_typed_document():
    # A second document whose first triple comes before the article's: a node without
    # dkg:reportedIn still belongs to the document typed first, as with pySHACL on a Graph.
    other = ID["doc/bbbbbbbbbbbbbbbb"]
    triples = [(other, DKG.contentHash, Literal("bbbbbbbbbbbbbbbb"))]
    triples += list(broken(_set("place:port-elm", "rdfs:label", '"Port Elm"')))
    triples += [
        (other, RDF.type, DKG.Document),
        (other, URIRef("http://purl.org/dc/terms/identifier"), Literal("b")),
    ]
    violations = validate.validate_triples(triples)
    assert violations == reference(triples)
    assert [(v.focus, v.source) for v in violations] == [(str(ID["place/port-elm"]), "001_varnia")]


def _ambassador_facts(accredited_to: str) -> DocFacts:
    """The factory meeting, plus an ambassador accredited to ``accredited_to`` (an invented body or place)."""
    from dataclasses import replace

    from tests.factories import meeting_facts

    facts = meeting_facts()
    ev = facts.office_holdings[0].evidence
    body = Entity(
        "institution:league-of-isles", "institution", "League of Isles", subtype="InternationalOrganization"
    )
    envoy = Entity("person:mara-quell", "person", "Mara Quell", evidence=ev)
    office = Office(
        "Permanent Representative",
        "Permanent Representative of Kazakhstan to the League of Isles",
        country="country:kazakhstan",
        accredited_to=accredited_to,
    )
    holding = OfficeHolding("person:mara-quell", office, attested=facts.article.published, evidence=ev)
    return replace(
        facts,
        entities=[*facts.entities, body, envoy],
        office_holdings=[*facts.office_holdings, holding],
    )


def test_validate_ambassador_accredited_to_an_organisation_conforms():
    from kg.graph.rdf import to_triples

    assert validate.validate_triples(to_triples(_ambassador_facts("institution:league-of-isles"))) == []


def test_validate_build_leaves_out_only_the_fact_the_shapes_reject():
    from kg.graph.rdf import office_iri, to_triples
    from kg.pipeline import _checked_triples

    facts = _ambassador_facts("place:baku")  # a city is neither a country nor an organisation
    notes: list[str] = []
    triples = _checked_triples(facts, notes)
    assert isinstance(triples, list) and validate.validate_triples(triples) == []
    bad = office_iri(facts.office_holdings[-1].office)
    assert not any(s == bad or o == bad for s, _, o in triples)
    # Everything else of the article is kept: the other holdings and the meeting.
    kept = facts.office_holdings[:-1]
    assert set(to_triples(DocFacts(facts.article, facts.entities, kept, facts.events))) == set(triples)
    (note,) = notes
    assert (
        note.startswith("doc1.txt: fact left out") and "person:mara-quell" in note and "accreditedTo" in note
    )


def test_validate_build_refuses_article_when_a_person_fails_the_shapes():
    from dataclasses import replace

    from kg.nlp.facts import FileError
    from kg.pipeline import _checked_triples
    from tests.factories import meeting_facts

    facts = meeting_facts()
    # A person is no fact that can be left out alone (holdings and events name him): the article is
    # refused whole, as before, and nothing is noted as left out.
    person = replace(facts.entities[0], country="place:baku")
    notes: list[str] = []
    refused = _checked_triples(replace(facts, entities=[person, *facts.entities[1:]]), notes)
    assert isinstance(refused, FileError) and "dkg:country must point to a dkg:Country" in refused.reason
    assert notes == []
