"""ontology/diplomacy.ttl: its axioms, and HermiT's verdict on it alone and with data.

The reasoner tests start Java (about 1.5 s each), so there are few of them; the axiom tests read the
Turtle with rdflib.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection

from kg.graph.validate import check_consistency, load_ontology
from kg.vocab import (
    DCTERMS,
    DKG,
    FOAF,
    GRAPH,
    ID,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SEM,
    SKOS,
    TIME,
    TOPIC,
    XSD,
)

ROOT = Path(__file__).resolve().parent.parent

ONTOLOGY = URIRef("https://w3id.org/diplomacy-kg/ontology")


def populated() -> Graph:
    """One invented article in the docs/graph.md shape, built triple by triple."""
    g = Graph()
    doc, ev = ID["doc/dddddddddddddddd"], ID["evidence/e1"]
    amber, osk = ID["person/amber-quill"], ID["person/osk-renvald"]
    lunder, tarsk = ID["country/lunder"], ID["country/tarsk"]
    council = ID["institution/lunder-council"]
    office, holding = ID["office/chair--lunder-council"], ID["holding/h1"]
    visit, meeting, call = ID["event/v1"], ID["event/m1"], ID["event/c1"]
    g.add((doc, RDF.type, DKG.Document))
    g.add((doc, DCTERMS.identifier, Literal("009_lunder")))
    g.add((doc, DCTERMS.issued, Literal("2033-02-03", datatype=XSD.date)))
    g.add((doc, DKG.contentHash, Literal("dddddddddddddddd")))
    for person, name in ((amber, "Amber Quill"), (osk, "Osk Renvald")):
        g.add((person, RDF.type, DKG.Person))
        g.add((person, RDFS.label, Literal(name, lang="en")))
        g.add((person, DKG.reportedIn, doc))
    g.add((amber, DKG.country, lunder))
    for country, name in ((lunder, "Lunder"), (tarsk, "Tarsk")):
        g.add((country, RDF.type, DKG.Country))
        g.add((country, RDFS.label, Literal(name, lang="en")))
    g.add((council, RDF.type, DKG.Institution))
    g.add((council, RDF.type, DKG.Parliament))
    g.add((council, DKG.country, lunder))
    g.add((office, RDF.type, DKG.Office))
    g.add((office, DKG.role, Literal("Chair")))
    g.add((office, DKG.officeIn, council))
    g.add((office, DKG.countryOf, lunder))
    g.add((holding, RDF.type, DKG.OfficeHolding))
    g.add((holding, DKG.holder, amber))
    g.add((holding, DKG.office, office))
    g.add((holding, DKG.former, Literal(False)))
    g.add((holding, DKG.attestedOn, Literal("2033-02-03", datatype=XSD.date)))
    g.add((holding, DKG.reportedIn, doc))
    g.add((holding, DKG.evidence, ev))
    for event, kind in ((visit, DKG.OfficialVisit), (meeting, DKG.Meeting), (call, DKG.PhoneCall)):
        g.add((event, RDF.type, DKG.Event))
        g.add((event, RDF.type, kind))
        g.add((event, DKG.reportedIn, doc))
        g.add((event, DKG.evidence, ev))
    g.add((visit, DKG.participant, osk))
    g.add((visit, DKG.month, Literal("2033-02", datatype=XSD.gYearMonth)))
    g.add((visit, DKG.hostCountry, lunder))
    g.add((visit, DKG.guestCountry, tarsk))
    g.add((meeting, DKG.participant, amber))
    g.add((meeting, DKG.participant, osk))
    g.add((meeting, DKG.date, Literal("2033-02-02", datatype=XSD.date)))
    g.add((meeting, DKG.place, council))  # an institution as the place: the union range allows it
    g.add((meeting, DKG.country, lunder))
    g.add((meeting, DKG.topic, TOPIC["trade"]))
    g.add((meeting, DKG.cameoCode, Literal("043")))
    g.add((meeting, DKG.subEventOf, visit))
    g.add((call, DKG.participant, amber))
    g.add((call, DKG.year, Literal("2032", datatype=XSD.gYear)))
    g.add((call, DKG.place, lunder))  # a country as the place
    g.add((ev, RDF.type, DKG.Evidence))
    g.add((ev, PROV.value, Literal("Chair Amber Quill met Osk Renvald.")))
    g.add((ev, PROV.wasQuotedFrom, doc))
    g.add((ev, DKG.sentenceIndex, Literal(2)))
    g.add((ev, DKG.startChar, Literal(140)))
    g.add((ev, DKG.endChar, Literal(174)))
    g.add((ev, DKG.rule, Literal("offices.title_before_name")))
    link = ID["link/l1"]
    g.add((amber, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q0")))
    g.add((link, RDF.type, DKG.Link))
    g.add((link, DKG.linkSubject, amber))
    g.add((link, DKG.linkTarget, URIRef("http://www.wikidata.org/entity/Q0")))
    g.add((link, DKG.linkScore, Literal("0.91", datatype=XSD.decimal)))
    g.add((link, DKG.linkMethod, Literal("reference")))
    return g


def test_ontology_header():
    onto = load_ontology()
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in onto
    for prop in (RDFS.label, RDFS.comment, OWL.versionInfo, DCTERMS.license):
        assert onto.value(ONTOLOGY, prop) is not None, prop
    assert not list(onto.objects(ONTOLOGY, OWL.imports))


@pytest.mark.parametrize(
    ("term", "prop", "target"),
    [
        (DKG.Person, RDFS.subClassOf, FOAF.Person),
        (DKG.Person, RDFS.subClassOf, SDO.Person),
        (DKG.Institution, RDFS.subClassOf, ORG.Organization),
        (DKG.Institution, RDFS.subClassOf, SDO.Organization),
        (DKG.Parliament, RDFS.subClassOf, DKG.Institution),
        (DKG.PoliticalParty, RDFS.subClassOf, DKG.Institution),
        (DKG.Country, RDFS.subClassOf, SDO.Country),
        (DKG.Place, RDFS.subClassOf, SDO.Place),
        (DKG.Office, RDFS.subClassOf, ORG.Post),
        (DKG.Event, RDFS.subClassOf, SDO.Event),
        (DKG.Event, RDFS.subClassOf, SEM.Event),
        (DKG.StateVisit, RDFS.subClassOf, DKG.Visit),
        (DKG.PhoneCall, RDFS.subClassOf, DKG.Event),
        (DKG.Document, RDFS.subClassOf, PROV.Entity),
        (DKG.Document, RDFS.subClassOf, FOAF.Document),
        (DKG.Evidence, RDFS.subClassOf, PROV.Entity),
        (DKG.participant, RDFS.subPropertyOf, SEM.hasActor),
        (DKG.participant, OWL.inverseOf, DKG.participatedIn),
        (DKG.subEventOf, OWL.inverseOf, DKG.hasSubEvent),
        (DKG.hasSubEvent, RDFS.subPropertyOf, SEM.hasSubEvent),
        (DKG.place, RDFS.subPropertyOf, SDO.location),
        (DKG.place, RDFS.subPropertyOf, SEM.hasPlace),
        (DKG.topic, RDFS.subPropertyOf, SDO.about),
        (DKG.date, RDFS.subPropertyOf, SDO.startDate),
        (DKG.officeIn, RDFS.subPropertyOf, ORG.postIn),
        (DKG.reportedIn, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (DKG.date, RDFS.subPropertyOf, TIME.inXSDDate),
        (DKG.month, RDFS.subPropertyOf, TIME.inXSDgYearMonth),
        (DKG.year, RDFS.subPropertyOf, TIME.inXSDgYear),
        (DKG.attestedOn, RDFS.subPropertyOf, TIME.inXSDDate),
        (DKG.linkScore, RDFS.range, XSD.decimal),
        (DKG.holder, RDF.type, OWL.FunctionalProperty),
        (DKG.office, RDF.type, OWL.FunctionalProperty),
    ],
)
def test_ontology_axiom(term: URIRef, prop: URIRef, target: URIRef):
    assert (term, prop, target) in load_ontology()


def test_ontology_date_is_not_functional():
    # An event may be reported with two dates by two documents; the shapes flag it, OWL must not fail.
    assert (DKG.date, RDF.type, OWL.FunctionalProperty) not in load_ontology()


def test_ontology_topic_is_concept_in_scheme():
    onto = load_ontology()
    (equivalent,) = onto.objects(DKG.Topic, OWL.equivalentClass)
    first, restriction = Collection(onto, onto.value(equivalent, OWL.intersectionOf))
    assert first == SKOS.Concept
    assert onto.value(restriction, OWL.onProperty) == SKOS.inScheme
    assert onto.value(restriction, OWL.hasValue) == TOPIC["scheme"]


def test_ontology_kinds_are_pairwise_disjoint():
    onto = load_ontology()
    kinds = {DKG.Person, DKG.Institution, DKG.Event, DKG.Country, DKG.Document}
    assert any(
        kinds <= set(Collection(onto, onto.value(axiom, OWL.members)))
        for axiom in onto.subjects(RDF.type, OWL.AllDisjointClasses)
    )


def _dkg_properties() -> list[URIRef]:
    onto = load_ontology()
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted({p for kind in kinds for p in onto.subjects(RDF.type, kind) if p.startswith(str(DKG))})


@pytest.mark.parametrize("prop", _dkg_properties(), ids=lambda p: p.rpartition("#")[2])
def test_ontology_property_has_one_domain_and_one_range(prop: URIRef):
    # Two rdfs:domain (or range) axioms mean their intersection: alternatives must be one owl:unionOf.
    onto = load_ontology()
    for axiom in (RDFS.domain, RDFS.range):
        values = list(onto.objects(prop, axiom))
        if axiom == RDFS.range and not values:
            # The calendar properties have no range HermiT could read (test below): OWL-Time's say it.
            assert any(str(s).startswith(str(TIME)) for s in onto.objects(prop, RDFS.subPropertyOf)), prop
            continue
        assert len(values) == 1, (prop, axiom, values)
        assert isinstance(values[0], URIRef) or onto.value(values[0], OWL.unionOf) is not None


def test_ontology_place_range_is_a_union():
    onto = load_ontology()
    union = onto.value(onto.value(DKG.place, RDFS.range), OWL.unionOf)
    assert set(Collection(onto, union)) == {DKG.Place, DKG.Institution, DKG.Country}


def test_ontology_consistent_and_coherent_alone():
    report = check_consistency()
    assert report.consistent, report.message
    assert report.unsatisfiable == ()


def test_ontology_populated_graph_is_consistent():
    report = check_consistency(populated())
    assert report.consistent, report.message
    assert report.offenders == ()


def test_ontology_consistency_reads_a_trig_file(tmp_path: Path):
    dataset = Dataset()
    article = dataset.graph(GRAPH["dddddddddddddddd"])
    for triple in populated():
        article.add(triple)
    path = tmp_path / "store.trig"
    dataset.serialize(path, format="trig")
    assert check_consistency(path).consistent


@pytest.mark.parametrize(
    ("extra", "offender", "reason"),
    [
        # An IRI typed both Person and Event.
        ((ID["person/amber-quill"], RDF.type, DKG.Event), "person/amber-quill", "which are disjoint"),
        # A country as an office holder: the range makes it a Person too.
        ((ID["holding/h1"], DKG.holder, ID["country/tarsk"]), "country/tarsk", "value of dkg:holder"),
        # A person as an event's place: none of the union's classes fits.
        ((ID["event/m1"], DKG.place, ID["person/osk-renvald"]), "person/osk-renvald", "value of dkg:place"),
        # A negative character offset.
        ((ID["evidence/e1"], DKG.startChar, Literal(-4)), "evidence/e1", "xsd:nonNegativeInteger"),
    ],
    ids=["person_and_event", "country_holds_office", "person_as_place", "negative_offset"],
)
def test_ontology_inconsistent_graph_is_detected(extra: tuple, offender: str, reason: str):
    graph = populated()
    graph.add(extra)
    report = check_consistency(graph)
    assert not report.consistent
    assert str(ID[offender]) in report.offenders
    assert reason in report.message, report.message


# The OWL 2 datatype map (OWL 2 Structural Specification, section 4): HermiT refuses any other.
OWL2_DATATYPES = {
    *(
        XSD[n]
        for n in [
            "decimal",
            "integer",
            "nonNegativeInteger",
            "nonPositiveInteger",
            "positiveInteger",
            "negativeInteger",
            "long",
            "int",
            "short",
            "byte",
            "unsignedLong",
            "unsignedInt",
            "unsignedShort",
            "unsignedByte",
            "double",
            "float",
            "string",
            "normalizedString",
            "token",
            "language",
            "Name",
            "NCName",
            "NMTOKEN",
            "boolean",
            "hexBinary",
            "base64Binary",
            "anyURI",
            "dateTime",
            "dateTimeStamp",
        ]
    ),
    RDF.PlainLiteral,
    RDF.XMLLiteral,
    RDFS.Literal,
    OWL.real,
    OWL.rational,
}


def test_ontology_ranges_use_only_owl2_datatypes():
    onto = load_ontology()
    datatypes = {r for r in onto.objects(None, RDFS.range) if str(r).startswith(str(XSD))}
    assert datatypes and datatypes <= OWL2_DATATYPES, datatypes - OWL2_DATATYPES


def test_ontology_rdfxml_is_the_turtle_as_graphs():
    from rdflib import Graph
    from rdflib.compare import isomorphic

    owl = ROOT / "ontology" / "diplomacy.owl"
    regenerate = "run scripts/ontology_rdfxml.py after editing ontology/diplomacy.ttl"
    assert isomorphic(Graph().parse(owl, format="xml"), Graph().parse(ROOT / "ontology" / "diplomacy.ttl")), (
        regenerate
    )


def test_ontology_rdfxml_loads_in_owlready2_and_hermit_needs_no_flags():
    import owlready2

    world = owlready2.World()
    try:
        ontology = world.get_ontology((ROOT / "ontology" / "diplomacy.owl").as_uri()).load()
        assert ontology.search_one(iri=str(DKG.Person)) is not None
        owlready2.sync_reasoner_hermit(world, debug=0)  # no ignore_unsupported_datatypes
        assert not list(world.inconsistent_classes())
    finally:
        world.close()


def test_ontology_states_the_standard_types_written_on_instances():
    from kg.vocab import STANDARD_TYPES

    onto = load_ontology()
    for cls, standards in STANDARD_TYPES.items():
        for standard in standards:
            assert (cls, RDFS.subClassOf, standard) in onto, (cls, standard)
