"""Events as kg_events outputs them: one dict per visit (frame) and per encounter, with its type,
CAMEO code, place, host and guest countries, topics, label and evidence sentences."""

from __future__ import annotations

import re

from kg.nlp.events.keys import MIXED_TYPE_ORDER, VISIT_TYPES, event_key
from kg.nlp.events.model import Cluster, Mention
from kg.nlp.events.places import dateline_place
from kg.nlp.events.rules import PLAIN_TALK_RULES
from kg.nlp.events.view import DocView, evidence
from kg.nlp.topics import TopicMatcher


def frame_event(view: DocView, frame: Cluster) -> dict:
    kinds = [m.rule.type for m in frame.mentions]
    event_type = next(t for t in VISIT_TYPES if t in kinds)
    destination = next((m.destination for m in frame.mentions if m.destination), None)
    host = view.country_of(destination)
    guests = [view.person_country.get(p) for p in frame.persons]
    guest = next((g for g in guests if g and g != host), None)
    event = event_dict(
        view,
        frame,
        event_type,
        cameo="042",
        place=destination,
        country=host,
        host=host,
        guest=guest,
        topics=[],
        parent=None,
    )
    where = label_of(view, destination)
    event["label"] = f"{_readable(event_type)} of {names(view, frame.persons)}" + (
        f" to {where}" if where else ""
    )
    return event


def encounter_event(view: DocView, cluster: Cluster, main: bool, topics: list[str]) -> dict:
    # people joining ("the delegation was led by", "accompanied by") say nothing of the kind
    own = [m for m in cluster.mentions if m.persons and not (m.rule.joins_only or m.rule.company)]
    types = list(dict.fromkeys(m.rule.type for m in own)) or [cluster.mentions[0].rule.type]
    if "PhoneCall" in types and all(m.rule.id in PLAIN_TALK_RULES for m in own if m.rule.type != "PhoneCall"):
        types = ["PhoneCall"]  # the call told again with a plain talk verb
    event_type = types[0] if len(types) == 1 else next((t for t in MIXED_TYPE_ORDER if t in types), "Meeting")
    rule = next((m.rule for m in cluster.mentions if m.rule.type == event_type), None)
    cameo = rule.cameo if rule else "040"
    place = next((m.place for m in cluster.mentions if m.place), None)
    parent = cluster.parent
    frame_place = next((m.destination for m in parent.mentions if m.destination), None) if parent else None
    if place is None and frame_place:
        place = frame_place
    if place is None and main:
        place = dateline_place(view, parent)
    country = view.country_of(place) or (view.country_of(frame_place) if parent else None)
    host = guest = None
    if parent is not None:
        host = view.country_of(frame_place)
        guests = [view.person_country.get(p) for p in parent.persons]
        guest = next((g for g in guests if g and g != host), None)
    if event_type in ("Meeting", "Talks") and country:
        known = {view.person_country.get(p) for p in cluster.persons} - {None}
        if len(known) >= 2 and country not in known:
            cameo = "044"  # met at a "third" location
    event = event_dict(
        view,
        cluster,
        event_type,
        cameo=cameo,
        place=place,
        country=country,
        host=host,
        guest=guest,
        topics=topics,
        parent=parent.key if parent else None,
    )
    verb = {"PhoneCall": "phone call", "Ceremony": "ceremony"}.get(event_type, _readable(event_type).lower())
    event["label"] = f"{names(view, cluster.persons)}: {verb}"
    return event


def event_dict(
    view: DocView, cluster, event_type, *, cameo, place, country, host, guest, topics, parent
) -> dict:
    sentences = []
    seen = set()
    for mention in cluster.mentions:
        if (mention.sent_index, mention.rule.id) in seen:
            continue
        seen.add((mention.sent_index, mention.rule.id))
        sentences.append(evidence(view, view.sents[mention.sent_index], mention.rule.id, mention.trigger.idx))
    return {
        "key": event_key(event_type, cluster.date, cluster.persons, view.doc._.kg_article_id),
        "type": event_type,
        "participants": list(cluster.persons),
        "date": cluster.date,
        "place": place,
        "country": country,
        "host_country": host,
        "guest_country": guest,
        "topics": topics,
        "cameo": cameo,
        "parent": parent,
        "label": None,
        "evidence": sentences,
    }


def topics_by_cluster(
    view: DocView, topics: TopicMatcher, encounters: list[Cluster], mentions: list[Mention]
) -> dict[int, list[str]]:
    """Topic ids per encounter: the sentences about it; all of them for the article's main event."""
    triggers = {m.trigger.i for c in encounters for m in c.mentions}
    triggers |= {m.trigger.i for m in mentions if m.persons}
    per_sent: dict[int, list[str]] = {}
    for span in topics.find(view.doc):
        # The event's own words ("state visit") are not what it discussed.
        if any(i in triggers for i in range(span.start, span.end)):
            continue
        per_sent.setdefault(view.sent_of.get(span.start, 0), []).append(span.label_)
    result: dict[int, list[str]] = {}
    main_persons = set(encounters[0].persons) if encounters else set()
    for index, cluster in enumerate(encounters):
        if index == 0:
            sents = set(per_sent)
        else:
            own = set(cluster.persons) - main_persons
            sents = {m.sent_index for m in cluster.mentions}
            for s_index in per_sent:
                sent = view.sents[s_index]
                named = {
                    sp.kb_id_
                    for sp in view.spans
                    if sp.label_ == "PERSON" and sent.start <= sp.start < sent.end
                }
                if own & named:
                    sents.add(s_index)
        ids = [t for s in sorted(sents) for t in per_sent.get(s, [])]
        result[id(cluster)] = list(dict.fromkeys(ids))
    return result


def label_of(view: DocView, key: str | None) -> str | None:
    if not key:
        return None
    entity = view.entities.get(key)
    return entity["label"] if entity else key.split(":", 1)[-1].replace("-", " ").title()


def names(view: DocView, persons: list[str]) -> str:
    labels = [label_of(view, p) or p for p in persons]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def dedupe_keys(events: list[dict]) -> list[dict]:
    """Two events of one article with the same key are one event: keep the first, add the rest."""
    by_key: dict[str, dict] = {}
    for event in events:
        kept = by_key.get(event["key"])
        if kept is None:
            by_key[event["key"]] = event
            continue
        kept["evidence"] += [e for e in event["evidence"] if e not in kept["evidence"]]
        kept["topics"] = list(dict.fromkeys(kept["topics"] + event["topics"]))
        for name in ("place", "country", "host_country", "guest_country", "parent"):
            kept[name] = kept[name] or event[name]
    for event in by_key.values():
        if event["parent"] == event["key"]:
            event["parent"] = None
    return list(by_key.values())


def _readable(event_type: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", event_type).capitalize()
