"""The Doc as kg_events reads it: its mention spans by token, its sentences, its news date, the
entities it knows; and a sentence as evidence. One DocView per Doc is passed to every step."""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from kg.nlp.mentions import SPANS_KEY, text_of
from kg.read.dates import find_dateline


class DocView:
    """Everything the steps of kg_events share about one Doc."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.entities = {e["key"]: e for e in doc._.kg_entities or []}
        self.person_country = self._person_countries()
        self.spans = [s for s in doc.spans.get(SPANS_KEY, []) if s.kb_id_ or s.label_ != "PERSON"]
        self.token_spans: dict[int, list[Span]] = {}
        for span in self.spans:
            for i in range(span.start, span.end):
                self.token_spans.setdefault(i, []).append(span)
        self.sents = list(doc.sents)
        # Index by what Span equality compares, so a sentence is found without scanning the list.
        self.sent_index: dict[tuple, int] = {}
        for index, sent in enumerate(self.sents):
            self.sent_index.setdefault(span_key(sent), index)
        self.sent_of = {}
        for index, sent in enumerate(self.sents):
            for i in range(sent.start, sent.end):
                self.sent_of[i] = index
        self.text = text_of(doc)
        published = doc._.kg_published
        self.dateline = find_dateline(self.text, published)
        # The dateline is the day the story was filed, so it dates the news more closely than the
        # publication date when both are there.
        self.news_date = (self.dateline.date if self.dateline else None) or published
        self.new_entities: list[dict] = []  # places kg_events names (venues, dateline cities)
        self.triggers: set[int] = set()  # token indices of the trigger words found
        # (sentence index, anchor) -> what events/dates.py sentence_dates found there
        self.sentence_dates: dict[tuple[int, str | None], tuple[list[tuple[Span, str]], set[int]]] = {}

    def _person_countries(self) -> dict[str, str]:
        countries = {
            k: e["country"]
            for k, e in self.entities.items()
            if e.get("kind") == "person" and e.get("country")
        }
        for holding in self.doc._.kg_office_holdings or []:
            office = holding.get("office") or {}
            if office.get("country"):
                countries.setdefault(holding["person"], office["country"])
        return countries

    def country_of(self, key: str | None) -> str | None:
        if not key:
            return None
        if key.startswith("country:"):
            return key
        entity = self.entities.get(key)
        return entity.get("country") if entity else None

    def spans_at(self, token: Token, labels: Iterable[str]) -> list[Span]:
        return [s for s in self.token_spans.get(token.i, []) if s.label_ in labels]


def named_across_a_blank_line(view: DocView, trigger: Token) -> set[str]:
    """Persons the trigger's sentence names only across a blank line from the trigger: spaCy joins a
    headline to the lead below it ("X meets A and B\n\nX on Monday met A"), and the parse then
    hangs the headline's names on the lead's verb (or the lead's on the headline's)."""
    sent = view.sents[view.sent_of.get(trigger.i, 0)]
    breaks = [t.i for t in sent if "\n\n" in t.whitespace_ or (t.is_space and "\n\n" in t.text)]
    if not breaks:
        return set()
    low = max((b for b in breaks if b < trigger.i), default=sent.start - 1)
    high = min((b for b in breaks if b >= trigger.i), default=sent.end)
    inside, outside = set(), set()
    for span in view.spans:
        if span.label_ == "PERSON" and span.kb_id_ and sent.start <= span.start < sent.end:
            (inside if low < span.start <= high else outside).add(span.kb_id_)
    return outside - inside


def span_key(span: Span) -> tuple:
    """What spaCy's Span equality compares, within one Doc."""
    return (span.start_char, span.end_char, span.label, span.kb_id, span.id)


def evidence(view: DocView, sent: Span, rule: str, at: int | None = None) -> dict:
    """The sentence as evidence. spaCy joins a headline or a date line to the next sentence when
    no full stop ends it; the evidence is then only the line that holds ``at`` (a char offset)."""
    start, end = sent.start_char, sent.end_char
    body = view.text[start:end]  # sent.text, without joining its tokens again
    if at is not None and "\n" in body:
        for line in re.finditer(r"[^\n]+", body):
            if start + line.start() <= at < start + line.end():
                start, end = start + line.start(), start + line.end()
                break
    text = view.text[start:end]
    stripped = text.strip()
    start += len(text) - len(text.lstrip())
    return {
        "article_id": view.doc._.kg_article_id,
        "sentence_index": view.sent_index.get(span_key(sent), 0),
        "start_char": start,
        "end_char": start + len(stripped),
        "sentence": stripped,
        "rule": rule,
    }
