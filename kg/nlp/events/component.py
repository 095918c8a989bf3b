"""The kg_events component: the steps of the package in order over one Doc."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.events.clusters import cluster_mentions, frame_of
from kg.nlp.events.dates import date_clusters, date_mentions
from kg.nlp.events.records import dedupe_keys, encounter_event, frame_event, topics_by_cluster
from kg.nlp.events.rules import Rule, load_rules
from kg.nlp.events.series import (
    add_visitors,
    carry_subjects,
    group_members,
    split_separate,
    split_summaries,
)
from kg.nlp.events.triggers import find_mentions
from kg.nlp.events.view import DocView
from kg.nlp.fast.anchored_matcher import AnchoredMatcher
from kg.nlp.topics import topic_matcher


@Language.factory("kg_events", assigns=["doc._.kg_events", "doc._.kg_entities"])
def make_events(nlp: Language, name: str) -> EventExtractor:
    return EventExtractor(nlp)


class EventExtractor:
    """Reads events from a Doc that kg_mentions / kg_resolve have annotated."""

    def __init__(self, nlp: Language) -> None:
        self.rules: dict[str, Rule] = {}
        # spaCy's Matcher, run only from the words a trigger can start with (kg/nlp/fast/anchored_matcher.py).
        self.matcher = AnchoredMatcher(nlp.vocab)
        for rule, pattern in load_rules():
            self.rules[rule.id] = rule
            self.matcher.add(rule.id, [pattern])
        self.rank = {rule_id: rank for rank, rule_id in enumerate(self.rules)}
        self.topics = topic_matcher(nlp.vocab)

    def __call__(self, doc: Doc) -> Doc:
        view = DocView(doc)
        doc._.kg_events = read_events(view, self)
        if view.new_entities:
            doc._.kg_entities = [*(doc._.kg_entities or []), *view.new_entities]
        return doc


def read_events(view: DocView, extractor: EventExtractor) -> list[dict]:
    """Mentions (who, where, whether it took place), their dates, clusters of one occasion, the
    dates of events, then one dict per event."""
    mentions = find_mentions(view, extractor)
    carry_subjects(mentions)
    split_summaries(mentions)
    mentions = split_separate(mentions)
    mentions = group_members(view, mentions)
    date_mentions(view, mentions)
    add_visitors(mentions)
    frames, encounters = cluster_mentions(view, mentions)
    encounters = [c for c in encounters if c.persons]
    frames = [c for c in frames if c.persons]
    for cluster in encounters:
        cluster.parent = frame_of(view, cluster, frames)
    date_clusters(view, frames, encounters, mentions)
    frame_events = {id(f): frame_event(view, f) for f in frames}
    for frame in frames:
        frame.key = frame_events[id(frame)]["key"]
    topics = topics_by_cluster(view, extractor.topics, encounters, mentions)
    events = list(frame_events.values())
    for index, cluster in enumerate(encounters):
        events.append(encounter_event(view, cluster, index == 0, topics.get(id(cluster), [])))
    return dedupe_keys(events)
