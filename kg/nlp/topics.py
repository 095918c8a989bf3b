"""The topic scheme (ontology/topics.ttl) and finding its topics in sentences.

Every label of a concept (skos:prefLabel, altLabel and hiddenLabel, @en) is a phrase to look for,
case-insensitively, on spaCy tokens; overlapping matches keep the longest, so "Organization of Turkic
States" is one topic and not also "Turkic states". Topic ids are the local names of the concept IRIs
(``topic/oil-and-gas`` -> ``oil-and-gas``), which is what Event.topics holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from kg.shipped import ontology_dir
from kg.vocab import TOPIC, TOPICS_SCHEME

# The scheme is part of the ontology, next to diplomacy.ttl; the pipeline loads both into the store.
TOPICS_FILE = ontology_dir() / "topics.ttl"
LABEL_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    labels: tuple[str, ...]  # every label to look for in text, the prefLabel first
    broader: tuple[str, ...] = ()


def topic_id(iri: URIRef | str) -> str:
    text = str(iri)
    if not text.startswith(str(TOPIC)):
        raise ValueError(f"{text} is not a topic IRI (expected {TOPIC}<id>)")
    return text[len(str(TOPIC)) :]


@cache
def load_topics(path: Path = TOPICS_FILE) -> tuple[Topic, ...]:
    """Every concept of the scheme; ValueError naming the file when it is missing or malformed."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as err:
        raise ValueError(f"{path}: cannot read the topic scheme ({err})") from err
    topics = []
    for concept in sorted(set(graph.subjects(RDF.type, SKOS.Concept))):
        if (concept, SKOS.inScheme, TOPICS_SCHEME) not in graph:
            raise ValueError(f"{path}: {concept} is not skos:inScheme {TOPICS_SCHEME}")
        prefs = [
            str(o) for o in graph.objects(concept, SKOS.prefLabel) if getattr(o, "language", None) == "en"
        ]
        if len(prefs) != 1:
            raise ValueError(f"{path}: {concept} needs exactly one skos:prefLabel @en, has {len(prefs)}")
        labels = [prefs[0]]
        for prop in LABEL_PROPERTIES[1:]:
            labels += sorted(
                str(o) for o in graph.objects(concept, prop) if getattr(o, "language", None) == "en"
            )
        broader = tuple(sorted(topic_id(o) for o in graph.objects(concept, SKOS.broader)))
        topics.append(Topic(topic_id(concept), prefs[0], tuple(dict.fromkeys(labels)), broader))
    if not topics:
        raise ValueError(f"{path}: no skos:Concept in the topic scheme")
    return tuple(topics)


class TopicMatcher:
    """Finds topic labels in a Doc or Span; built once per vocabulary."""

    def __init__(self, vocab: Vocab, topics: tuple[Topic, ...] | None = None) -> None:
        from kg.nlp.lexicon import english_tokenizer

        self.topics = {t.id: t for t in (topics or load_topics())}
        # Tokenise labels with the same English rules as the documents, so "co-operation" splits alike.
        tokenizer = english_tokenizer()
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        for topic in self.topics.values():
            self.matcher.add(topic.id, [tokenizer(label) for label in topic.labels])

    def find(self, doclike: Doc | Span) -> list[Span]:
        """Topic matches as spans labelled with the topic id, longest first where they overlap."""
        doc = doclike if isinstance(doclike, Doc) else doclike.doc
        # The PhraseMatcher gives Doc offsets for a Span too.
        spans = [Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doclike)]
        return sorted(filter_spans(spans), key=lambda s: s.start)

    def topic_ids(self, doclike: Doc | Span) -> list[str]:
        """Distinct topic ids found, in order of first mention."""
        return list(dict.fromkeys(span.label_ for span in self.find(doclike)))


@cache
def _matcher_for(vocab: Vocab) -> TopicMatcher:
    return TopicMatcher(vocab)


def topic_matcher(vocab: Vocab) -> TopicMatcher:
    """The shared matcher for a vocabulary (building it parses the scheme once)."""
    return _matcher_for(vocab)
