from factories import article, meeting_facts
from rdflib import Literal

from kg.common.names import slug
from kg.graph.rdf import entity_iri, event_iri, office_iri, to_graph, to_triples
from kg.nlp.facts import Office
from kg.vocab import DKG, ID, XSD


def test_names_slug_folds_to_ascii():
    assert slug("Şuşa Ağalar") == "susa-agalar"
    assert slug("Kassym-Zhomart  Toktarov") == "kassym-zhomart-toktarov"


def test_rdf_entity_iri_from_key():
    assert entity_iri("person:lena-marsh") == ID["person/lena-marsh"]
    assert entity_iri("country:azerbaijan") == ID["country/azerbaijan"]


def test_rdf_rejects_unknown_key_kind():
    import pytest

    with pytest.raises(ValueError, match="not an entity key"):
        entity_iri("thing:x")


def test_rdf_office_iri_is_readable_and_distinct():
    a = office_iri(
        Office("Ambassador", "x", country="country:kazakhstan", accredited_to="country:azerbaijan")
    )
    b = office_iri(
        Office("Ambassador", "x", country="country:azerbaijan", accredited_to="country:kazakhstan")
    )
    assert a == ID["office/ambassador--kazakhstan--to--azerbaijan"]
    assert a != b


def test_rdf_office_iri_names_a_body_once():
    # An unknown body keeps two bodies' "Chair" apart; made an institution, it is named by that alone.
    bare = office_iri(Office("Chair", "Chair", body="Lakeside Trade Council"))
    made = office_iri(
        Office(
            "Chair",
            "Chair",
            institution="institution:lakeside-trade-council",
            body="Lakeside Trade Council",
        )
    )
    assert bare == ID["office/chair--of--lakeside-trade-council"]
    assert made == ID["office/chair--lakeside-trade-council"]


def test_rdf_same_facts_give_same_triples():
    assert to_triples(meeting_facts()) == to_triples(meeting_facts())


def test_rdf_every_fact_has_provenance():
    graph = to_graph(meeting_facts())
    for cls in (DKG.Event, DKG.OfficeHolding):
        for node in graph.subjects(predicate=None, object=cls):
            assert graph.value(node, DKG.reportedIn) is not None
            ev = graph.value(node, DKG.evidence)
            assert ev is not None and graph.value(ev, DKG.sentenceIndex) is not None


def test_rdf_partial_dates_use_matching_property():
    for iso, prop, dtype in (
        ("2024-05-01", DKG.date, XSD.date),
        ("2024-05", DKG.month, XSD.gYearMonth),
        ("2024", DKG.year, XSD.gYear),
    ):
        facts = meeting_facts(when=iso)
        graph = to_graph(facts)
        node = event_iri(facts.events[0].key)
        assert graph.value(node, prop) == Literal(iso, datatype=dtype)


def test_rdf_graph_is_named_after_article():
    a = article("Another text.")
    assert str(to_graph(meeting_facts(a)).identifier).endswith(a.id)


def test_rdf_repeated_literals_keep_their_type() -> None:
    from rdflib import Literal

    from kg.graph.rdf import _literal

    assert _literal(True) == Literal(True) and _literal(1) == Literal(1)
    assert _literal(True).datatype != _literal(1).datatype
    assert _literal("7") is _literal("7") and _literal("7") != _literal(7)


def test_rdf_instances_carry_the_standard_types() -> None:
    """A client without a reasoner finds people as schema:Person and foaf:Person, and so on."""
    from kg.vocab import FOAF, ORG, RDF, SDO, SEM

    facts = meeting_facts(article())
    graph = to_graph(facts)
    person = entity_iri("person:lena-marsh")
    assert {SDO.Person, FOAF.Person, DKG.Person} <= set(graph.objects(person, RDF.type))
    events = set(graph.subjects(RDF.type, DKG.Event))
    assert events and all({SDO.Event, SEM.Event} <= set(graph.objects(e, RDF.type)) for e in events)
    for s in graph.subjects(RDF.type, DKG.Institution):
        assert {SDO.Organization, ORG.Organization} <= set(graph.objects(s, RDF.type))
