"""When: the date of each mention, then of each event. The date parser is kg/read/dates.py; here
is only which of the dates it finds an occasion gets.

Dates are read per sentence against the publication date (or the dateline's), and apply to every
trigger in the same clause; a date in another clause (a relative clause's "who assumed office on
22 May"), after "since"/"until", or on a publication date line that spaCy joined to the sentence
dates nothing. "Earlier in the day" and "a day earlier" count from the day last told; "he also
met" without a date of its own goes on with the date of the mention before it.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from kg.nlp.events.model import Cluster, Mention, undated_news
from kg.nlp.events.syntax import clause_heads
from kg.nlp.events.view import DocView
from kg.read.dates import ANAPHORIC_DAYS, coarsen, date_line, find_dates, precision

# "on the sidelines / margins / fringes of the summit": meetings held where a gathering is.
SIDELINE_WORDS = {"sidelines", "sideline", "margins", "margin", "fringes", "fringe"}
# A date under these bounds a span ("since 1992", "until 2020") or dates another occasion ("ahead of
# the elections on 12 June", "after the summit of 4 May"): it dates no meeting of the clause.
OTHER_OCCASION_PREPS = {"since", "until", "till", "after", "before", "following", "ahead", "prior"}
# Verbs of a report: the day they are said on is the day the story is told on.
REPORT_VERBS = {"say", "tell", "announce", "state", "note", "stress", "report", "brief", "confirm", "add"}
SCENE_SENTENCES = 2  # how far an occasion told without names dates the sentences that name its people
# Adverbs that continue the story told so far: the occasion is on the day just reported.
CARRY_ADVERBS = {"also", "then", "later", "subsequently", "afterwards", "separately", "likewise"}
# Verbs whose day is the first day of the visit they start ("arrived on 18 May to start a visit").
START_VERBS = {"arrive", "start", "begin", "open", "launch", "land", "kick"}


def date_mentions(view: DocView, mentions: list[Mention]) -> None:
    """Give each mention the date said in its own clause (nearest first).

    "Earlier in the day" and "a day earlier" count from the day the text was last talking about:
    the latest day given to an earlier mention, else the news date. A mention that goes on with
    the story ("he also met", "then held talks") and says no date of its own has the date of
    the mention before it; so has one that names who took part in an occasion just told without
    names ("a round of telephone calls on Sunday. X held discussions with Y"). One told in or
    just after a dated report ("X yesterday said ... After meeting Y, X said ...") keeps that
    day as ``told_on``: the day its event gets if nothing else in the article dates it.
    """
    by_sent: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_sent.setdefault(mention.sent_index, []).append(mention)
    anchor = view.news_date
    last: str | None = None
    scene: tuple[str, int] | None = None  # a dated occasion told without names, and its sentence
    for index in sorted(by_sent):
        group = by_sent[index]
        sent = view.sents[index]
        found, shifted = sentence_dates(view, index, anchor)
        for mention in group:
            usable = [
                (s, v)
                for s, v in found
                if _same_statement(s.root, mention.anchor) and not _opens_span(s.root)
            ]
            lead = _headline_break(sent, mention.trigger)
            if not usable and lead is not None:
                # A headline that spaCy joined to the lead below it ("X meets Y\n\nX on
                # Tuesday received Y"): the lead's date is the headline's.
                usable = [(s, v) for s, v in found if s.start > lead and not _opens_span(s.root)][:1]
            following = index + 1
            if not usable and following < len(view.sents) and _fragment(view.sents[following]):
                # The parser cut the sentence before its end ("X welcomed Y. Y to Z on
                # Wednesday."): the verbless rest is the same statement.
                rest, _ = sentence_dates(view, following, anchor)
                usable = [(s, v) for s, v in rest if not _opens_span(s.root)][:1]
            if usable:
                # A date said of the trigger itself ("calling on Y this morning") before the
                # nearest one of the clause ("attended X last night before calling on Y").
                span, value = min(
                    usable,
                    key=lambda sv: (
                        not _said_of(sv[0].root, mention),
                        abs(sv[0].start - mention.trigger.i),
                    ),
                )
                if mention.is_frame and not (
                    mention.anchor.is_ancestor(span.root) or _starts(span.root, mention.trigger)
                ):
                    # "X, on a visit to Y, met Z on 4 June": the day is the meeting's; a visit
                    # lasts days, so it only gets the month.
                    value = coarsen(value, "month")
                mention.date = value
                mention.shifted = span.start in shifted
            elif index > 0 and _background_after(view.sents[index - 1], mention):
                mention.recalled = mention.background = True
            elif last and not mention.recalled and _goes_on(mention):
                mention.date = last
            elif scene and not mention.recalled and index - scene[1] <= SCENE_SENTENCES:
                mention.date = scene[0]
            elif not mention.recalled:
                mention.told_on = reported_day(view, index)
            if mention.date and not (mention.recalled or mention.intent or mention.is_frame):
                last = mention.date
                guests = set(mention.persons) - set(mention.hosts)
                if not guests and precision(mention.date) == "day":
                    # no one named but the host: "X held talks on Sunday with regional leaders"
                    scene = (mention.date, index)
        days = [m.date for m in group if precision(m.date) == "day"]
        anchor = days[-1] if days else anchor


def sentence_dates(view: DocView, index: int, anchor: str | None) -> tuple[list[tuple[Span, str]], set[int]]:
    """The dates of one sentence as spans with their values (not those that date the news), and
    the starts of those that shift the day told ("a day earlier").

    Kept on the view per sentence and anchor: a mention's sentence, the one after it and the two
    before it (``reported_day``) are read again for every mention near them, and the answer depends
    only on the Doc. Callers must not change what it returns."""
    cached = view.sentence_dates.get((index, anchor))
    if cached is None:
        cached = view.sentence_dates[(index, anchor)] = _sentence_dates(view, index, anchor)
    return cached


def _sentence_dates(view: DocView, index: int, anchor: str | None) -> tuple[list[tuple[Span, str]], set[int]]:
    sent = view.sents[index]
    found = []
    shifted: set[int] = set()
    # The sentence sliced from the Doc's text, as in evidence(): sent.text joins its tokens again.
    text = view.text[sent.start_char : sent.end_char]
    for date_mention in find_dates(text, view.news_date, anchor=anchor, context=view.text):
        if not date_mention.value or dates_the_news(view, sent.start_char + date_mention.start):
            continue
        span = view.doc.char_span(
            sent.start_char + date_mention.start,
            sent.start_char + date_mention.end,
            alignment_mode="expand",
        )
        if span is not None:
            found.append((span, date_mention.value))
            if ANAPHORIC_DAYS.get(" ".join(date_mention.text.lower().split())):
                shifted.add(span.start)
    return found, shifted


def reported_day(view: DocView, index: int) -> str | None:
    """The day of a report ("X yesterday said", "X told reporters on Monday") in this sentence or
    the two before it: the day the story is told on."""
    for before in range(index, max(-1, index - SCENE_SENTENCES - 1), -1):
        found, _ = sentence_dates(view, before, None)
        for span, value in found:
            verb = _governing(span.root)
            if precision(value) == "day" and verb is not None and verb.lemma_.lower() in REPORT_VERBS:
                return value
    return None


def summit_day(view: DocView) -> str | None:
    """The day the text gives for the gathering meetings are held on the sidelines of ("on the
    margins of the summit, which opened on Saturday", "on the sidelines of Monday's session"):
    the day of a meeting there that the text dates no other way."""
    for index, sent in enumerate(view.sents):
        edges = [t for t in sent if t.lower_ in SIDELINE_WORDS]
        if not edges:
            continue
        gatherings = [
            g for t in edges for p in t.children if p.lower_ == "of" for g in p.children if g.dep_ == "pobj"
        ]
        found, _ = sentence_dates(view, index, None)
        for span, value in found:
            if precision(value) == "day" and any(g.is_ancestor(span.root) for g in gatherings):
                return value
    return None


def dates_the_news(view: DocView, offset: int) -> bool:
    """A date on the dateline or on a publication date line ("Last modified: 13 March 2022 01:57
    pm") that spaCy joined to the next sentence dates the article (the news date), not the
    sentence's event."""
    if view.dateline and view.dateline.start <= offset < view.dateline.end:
        return True
    text = view.text  # doc.text joins every token again at each call
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return date_line(text[start : end if end >= 0 else len(text)]) is not None


def date_clusters(
    view: DocView, frames: list[Cluster], encounters: list[Cluster], mentions: list[Mention]
) -> None:
    """Dates of events: an event's own date; else the date of a later "the meetings" that looks
    back on the mention it came from ("had meetings with X and Y. During the meetings on 22
    May"); else, for a meeting during a visit, the visit's (its day only when the visit lasted
    one day; the news day when it falls in the visit's month; else the month); else the day of
    the report it is told in; else the news date (the dateline's day, or the publication
    date). A visit
    without a date of its own gets the month of its first dated meeting, else the month of the
    news. An occasion the text recalls ("had met", "their last meeting") or only plans keeps no
    date unless the text gives it."""
    for cluster in encounters:
        cluster.date = cluster.own_date()
    for frame in frames:
        frame.date = frame.own_date()
        if frame.date is None:
            children = sorted(c.date for c in encounters if c.parent is frame and c.date)
            if children:
                frame.date = coarsen(children[0], "month")
    looking_back = [m for m in mentions if m.date and not m.recalled and _plural_reference(m.trigger)]
    for cluster in encounters:
        if cluster.date is not None:
            continue
        parent = cluster.parent
        back = [
            m.date
            for m in looking_back
            for x in cluster.mentions
            if x.trigger.lemma_ == m.trigger.lemma_ and x.trigger.i < m.trigger.i
        ]
        if back:
            cluster.date = back[0]
        elif parent is not None and parent.date:
            one_day = precision(parent.date) == "day" and any(_one_day(m.trigger) for m in parent.mentions)
            month = coarsen(parent.date, "month")
            if one_day:
                cluster.date = parent.date
            elif view.news_date and view.news_date.startswith(month or "-") and undated_news(cluster):
                cluster.date = view.news_date  # the news day, in the visit's month
            else:
                cluster.date = month
        elif undated_news(cluster):
            told = [m.told_on for m in cluster.mentions if m.told_on]
            cluster.date = told[0] if told else (summit_day(view) or view.news_date)
    for frame in frames:
        if frame.date is None and undated_news(frame) and view.news_date:
            children = sorted(c.date for c in encounters if c.parent is frame and c.date)
            frame.date = coarsen(children[0] if children else view.news_date, "month")


def _same_statement(date_token: Token, anchor: Token) -> bool:
    """A date dates a trigger unless it sits in a clause that does not contain the trigger."""
    return all(head == anchor or head.is_ancestor(anchor) for head in clause_heads(date_token))


def _background_after(before: Span, mention: Mention) -> bool:
    """'X has been building ties with many leaders. He met A and B ...': after a sentence that sums
    up a span of time (the present perfect progressive), an undated meeting in the simple past is
    one example of it, background the text does not date, not today's news."""
    root = before.root
    aux = [c for c in root.children if c.dep_ == "aux"]
    summing_up = (
        root.tag_ == "VBG"
        and any(c.lower_ == "been" for c in aux)
        and any(c.lemma_ == "have" and c.tag_ in ("VBZ", "VBP") for c in aux)
    )
    return summing_up and mention.anchor.tag_ == "VBD"


def _opens_span(date_token: Token) -> bool:
    """'since 1992', 'until 22 May', 'ahead of the elections on 12 June', 'after the summit of 4 May':
    the date bounds a span of time or dates another occasion than the clause's own."""
    token = date_token
    while token.head.i != token.i:
        if token.dep_ in ("prep", "advmod") and token.lower_ in OTHER_OCCASION_PREPS:
            return True
        if token.dep_ == "prep" and token.head.lower_ in ("ahead", "prior"):
            return True
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return False
    return False


def _governing(token: Token) -> Token | None:
    """The verb a date hangs from ('said on Monday', 'yesterday said')."""
    while token.head.i != token.i and token.pos_ not in ("VERB", "AUX"):
        token = token.head
    return token if token.pos_ in ("VERB", "AUX") else None


def _said_of(date_token: Token, mention: Mention) -> bool:
    """The date hangs from the mention's trigger or its light verb."""
    return any(token.is_ancestor(date_token) for token in {mention.trigger, mention.anchor})


def _starts(date_token: Token, trigger: Token) -> bool:
    """The date hangs from a verb of arrival or start whose clause holds the visit."""
    verb = _governing(date_token)
    return verb is not None and verb.lemma_.lower() in START_VERBS and verb.is_ancestor(trigger)


def _plural_reference(trigger: Token) -> bool:
    """'the meetings', 'these talks': a plural that looks back on occasions already told."""
    return trigger.tag_ in ("NNS", "NNPS") and any(
        c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in trigger.children
    )


def _fragment(sent: Span) -> bool:
    """A sentence without a verb of its own: the parser's cut through a longer sentence."""
    return not any(token.pos_ in ("VERB", "AUX") for token in sent)


def _headline_break(sent: Span, trigger: Token) -> int | None:
    """The token index where a blank line inside the sentence ends the headline the trigger is in."""
    for token in sent:
        if token.i > trigger.i and ("\n\n" in token.whitespace_ or (token.is_space and "\n\n" in token.text)):
            return token.i
    return None


def _goes_on(mention: Mention) -> bool:
    """'He also met X', 'then held talks with Y', 'following the ceremony, X met Y', 'at the
    meeting with X': the next occasion of the same day's story."""
    trigger = mention.trigger
    # "At the meeting with X, ...", "During the talks with Y": an occasion of the story told so far.
    if (
        trigger.pos_ == "NOUN"
        and trigger.head.dep_ == "prep"
        and trigger.head.lower_ in ("at", "during", "in")
        and any(c.dep_ == "det" and c.lower_ == "the" for c in trigger.children)
    ):
        return True
    for token in {mention.trigger, mention.anchor}:
        for c in token.children:
            if c.dep_ == "advmod" and c.lower_ in CARRY_ADVERBS:
                return True
            if c.dep_ in ("prep", "advmod") and c.lower_ in ("after", "following"):
                # "after the ceremony": an occasion just told, which this one follows that day
                objects = [o for o in c.children if o.dep_ == "pobj"]
                if any(
                    d.dep_ == "det" and d.lower_ in ("the", "this", "that")
                    for o in objects
                    for d in o.children
                ):
                    return True
    return False


def _one_day(trigger: Token) -> bool:
    """'a one-day visit', 'her day-long visit': the visit's day is the day of its meetings."""
    words = trigger.doc[trigger.left_edge.i : trigger.i].text.lower()
    return bool(re.search(r"\b(?:one|1|single)\s*-?\s*day\b|\bday\s*-?\s*long\b", words))
