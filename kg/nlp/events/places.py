"""Where: a visit's destination, an encounter's place ("at / in X", a named venue the gazetteer
does not know), and the dateline city for the article's main event. Venues and dateline cities
the article names become place entities of their own (``view.new_entities``)."""

from __future__ import annotations

from spacy.tokens import Token

from kg.common.names import slug
from kg.nlp.events.model import Cluster
from kg.nlp.events.syntax import governing_verb, noun_group, objects_of
from kg.nlp.events.view import DocView, evidence

# Head nouns of venues worth a place of their own when the gazetteer does not know them.
VENUE_NOUNS = {
    "residence", "palace", "hall", "building", "headquarters", "centre", "center", "hotel", "airport",
    "house", "complex", "mansion", "villa", "embassy", "office", "theatre", "museum", "park",
}  # fmt: skip


def destination(view: DocView, trigger: Token, anchor: Token) -> str | None:
    candidates = [c for c in trigger.children if c.dep_ == "prep" and c.lower_ in ("to", "in")]
    if trigger.pos_ == "VERB":
        candidates += [c for c in trigger.children if c.dep_ in ("dobj", "obj")]
    head = governing_verb(trigger)
    if head is not None:
        candidates += [c for c in head.children if c.dep_ == "prep" and c.lower_ in ("in", "to")]
    for candidate in candidates:
        tokens = [
            g for c in [candidate] for g in (noun_group(c) if candidate.dep_ != "prep" else objects_of(c))
        ]
        # in text order: a set of tokens iterates in the order of their memory addresses
        for token in sorted(tokens, key=lambda t: t.i):
            for span in view.spans_at(token, ("COUNTRY", "PLACE", "INSTITUTION")):
                if span.kb_id_:
                    return span.kb_id_
    return None


def place_in(view: DocView, tokens: set[Token]) -> str | None:
    """Where an encounter is: "at / in X", or the object of "visited"."""
    for token in sorted(tokens, key=lambda t: t.i):
        if token.dep_ == "prep" and token.lower_ in ("at", "in"):
            # Only the head of the object: "in the meeting of the Council of X" is not in X.
            for obj in (c for c in token.children if c.dep_ == "pobj"):
                for span in view.spans_at(obj, ("PLACE", "INSTITUTION", "COUNTRY")):
                    if span.kb_id_:
                        return span.kb_id_
                if token.lower_ == "at":
                    named = venue(view, obj)
                    if named:
                        return named
    return None


def venue(view: DocView, head: Token) -> str | None:
    """A named venue the gazetteer does not know: 'at the "Zagulba" presidential residence'."""
    if head.lemma_.lower() not in VENUE_NOUNS:
        return None
    words = [t for t in head.subtree if t.i <= head.i and t.dep_ not in ("det", "punct", "poss", "case")]
    if not any(t.pos_ == "PROPN" or t.is_title for t in words if t is not head):
        return None
    label = " ".join(t.text for t in words)
    key = "place:" + slug(label)
    if key not in view.entities:
        sent = view.sents[view.sent_of.get(head.i, 0)]
        entity = {
            "key": key,
            "kind": "place",
            "label": label,
            "aliases": [],
            "country": None,
            "subtype": "Building",
            "evidence": [evidence(view, sent, "events.venue", head.idx)],
        }
        view.entities[key] = entity
        view.new_entities.append(entity)
    return key


def dateline_place(view: DocView, parent: Cluster | None) -> str | None:
    """The dateline city places the article's main event, unless it happened on a trip elsewhere."""
    line = view.dateline
    if line is None:
        return None
    span = view.doc.char_span(line.start, line.end, alignment_mode="expand")
    if span is None:
        return None
    spans = [s for s in view.spans if span.start <= s.start and s.end <= span.end]
    place = next((s.kb_id_ for s in spans if s.label_ == "PLACE" and s.kb_id_), None)
    country = next((s.kb_id_ for s in spans if s.label_ == "COUNTRY" and s.kb_id_), None)
    named_country = "country:" + slug(line.country) if line.country else None
    if country is None and named_country in view.entities:
        country = named_country
    city_span = view.doc.char_span(line.start, line.start + len(line.city), alignment_mode="expand")
    city = slug(line.city)
    names_country = "country:" + city in view.entities or any(
        s.label_ == "COUNTRY" and city_span is not None and s.start <= city_span.start < s.end for s in spans
    )
    if place is None and names_country:
        return None  # "VIETNAM, August 25 -": the dateline names a country, not a city
    if place is None:
        place = "place:" + city
        if place not in view.entities:
            entity = {
                "key": place,
                "kind": "place",
                "label": line.city,
                "aliases": [],
                "country": country,
                "subtype": "City",
                "evidence": [
                    evidence(view, view.sents[view.sent_of.get(span.start, 0)], "events.dateline", line.start)
                ],
            }
            view.entities[place] = entity
            view.new_entities.append(entity)
    if parent is not None:
        host = view.country_of(next((m.destination for m in parent.mentions if m.destination), None))
        if host and view.country_of(place) and host != view.country_of(place):
            return None
    return place
