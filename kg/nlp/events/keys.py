"""What the cross-article merge (kg/graph/merge.py) knows of events: the families of event types
whose mentions can be one occasion, and the key that names an occasion."""

from __future__ import annotations

from collections.abc import Iterable

VISIT_TYPES = ("StateVisit", "OfficialVisit", "WorkingVisit", "Visit")  # most specific first
# Event types that are one family: mentions of different types in it can be the same occasion.
FAMILIES = {"PhoneCall": "call", "Ceremony": "ceremony", **{t: "visit" for t in VISIT_TYPES}}
# When mentions of several types form one event: the type it gets, most telling first.
MIXED_TYPE_ORDER = ("Talks", "Meeting")


def event_key(event_type: str, date: str | None, participants: Iterable[str], article_id: str | None) -> str:
    """Deterministic from the content: the same occasion reported twice gets the same key. Without a
    date, two reports cannot be told to be the same occasion, so the article is part of the key."""
    people = "|".join(sorted(set(participants)))
    if date:
        return f"{event_type}|{date}|{people}"
    return f"{event_type}||{people}|{article_id or ''}"
