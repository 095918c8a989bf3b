"""kg/nlp/topics.py and ontology/topics.ttl: the topic scheme, and finding its topics in sentences."""

from __future__ import annotations

from collections import Counter

import pytest
import spacy
from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from kg.nlp.topics import TOPICS_FILE, TopicMatcher, load_topics, topic_id
from kg.vocab import TOPIC, TOPICS_SCHEME


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def matcher(blank):
    return TopicMatcher(blank.vocab)


def test_topics_scheme_has_the_topics_the_pipeline_uses():
    ids = {t.id for t in load_topics()}
    wanted = {
        "energy", "oil-and-gas", "transport", "logistics", "middle-corridor", "trade", "economy",
        "investment", "industry", "digital-technologies", "culture", "sister-cities",
        "interparliamentary-cooperation", "friendship-groups", "bilateral-relations",
        "diplomatic-relations-anniversary", "state-visits", "turkpa", "organization-of-turkic-states",
        "turkic-states", "karabakh-conflict", "patriotic-war", "restoration-of-liberated-territories",
        "minefield-maps", "khojaly-genocide", "islamophobia", "international-relations", "security",
    }  # fmt: skip
    assert wanted <= ids


def test_topics_scheme_is_well_formed_skos():
    graph = Graph().parse(TOPICS_FILE, format="turtle")
    assert (TOPICS_SCHEME, RDF.type, SKOS.ConceptScheme) in graph
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    for concept in concepts:
        assert str(concept).startswith(str(TOPIC))
        assert (concept, SKOS.inScheme, TOPICS_SCHEME) in graph
        assert all(b in concepts for b in graph.objects(concept, SKOS.broader)), concept
    tops = set(graph.objects(TOPICS_SCHEME, SKOS.hasTopConcept))
    assert tops == set(graph.subjects(SKOS.topConceptOf, TOPICS_SCHEME))
    assert tops == {c for c in concepts if (c, SKOS.broader, None) not in graph}


def test_topics_no_label_names_two_topics():
    owners = Counter()
    for topic in load_topics():
        for label in {label.lower() for label in topic.labels}:
            owners[label] += 1
    assert [label for label, n in owners.items() if n > 1] == []


def test_topics_ids_are_local_names():
    assert topic_id(TOPIC["oil-and-gas"]) == "oil-and-gas"
    with pytest.raises(ValueError, match="not a topic IRI"):
        topic_id("https://example.org/energy")


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("cooperation in oil and gas, logistics and industry", ["oil-and-gas", "logistics", "industry"]),
        ("within the Organisation of Turkic States", ["organization-of-turkic-states"]),  # not turkic-states
        ("the Parliamentary Assembly of Turkic States", ["turkpa"]),
        ("co-operation under the aegis of the TurkPA", ["turkpa"]),
        ("the strategic bonds amongst the Turkic-speaking states", ["turkic-states"]),
        ("promoted a deeper inter-parliamentary co-operation", ["interparliamentary-cooperation"]),
        ("Interparliamentary Cooperation grew", ["interparliamentary-cooperation"]),
        ("sister city relationships between several cities", ["sister-cities"]),
        (
            "from transportation and logistics to digitalization",
            ["transport", "logistics", "digital-technologies"],
        ),
        ("the victory in the 44-day Patriotic War", ["patriotic-war"]),
        ("refusing to release minefield maps", ["minefield-maps"]),
        (
            "the thirtieth anniversary of the bilateral diplomatic relations",
            ["diplomatic-relations-anniversary"],
        ),
        ("the weather in the capital was mild", []),
    ],
)
def test_topics_found_in_text(blank, matcher, text, ids):
    assert matcher.topic_ids(blank(text)) == ids


def test_topics_found_in_a_span_keep_doc_offsets(blank, matcher):
    doc = blank("Nothing here. They discussed energy and trade.")
    spans = matcher.find(doc[3:])
    assert [(s.text, s.label_) for s in spans] == [("energy", "energy"), ("trade", "trade")]


def test_topics_missing_scheme_names_the_file(tmp_path):
    path = tmp_path / "topics.ttl"
    path.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"topics\.ttl: no skos:Concept"):
        load_topics(path)
    with pytest.raises(ValueError, match=r"nothing\.ttl: cannot read"):
        load_topics(tmp_path / "nothing.ttl")
