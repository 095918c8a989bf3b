"""Which mentions are one occasion. An article reports one occasion in several sentences ("X
welcomed Y", "Y greeted X", "Z took part in the meeting as well"), so mentions merge, in text
order, into the latest event of the same family whose participants include theirs (or are
included in theirs) and whose date is compatible. Visits to a country or city are *frames*: the
meetings whose participants include the visitor get it as ``parent``."""

from __future__ import annotations

from kg.nlp.events.model import Cluster, Mention, all_are, undated_news
from kg.nlp.events.participants import GROUP_NOUNS
from kg.nlp.events.rules import PLAIN_TALK_RULES
from kg.nlp.events.syntax import subject_tokens
from kg.nlp.events.view import DocView
from kg.read.dates import compatible, near

NEAR_DAYS = 10  # how long before the news an undated report's occasion may lie


def recent_enough(view: DocView, cluster: Cluster, mention: Mention) -> bool:
    """'The meeting took place in 2018' names no one: it is the news's undated meeting only if
    its date can be the news's (within days of it), not a meeting of another year."""
    if cluster.own_date() or not mention.date or not view.news_date or not undated_news(cluster):
        return True
    return near(mention.date, view.news_date, NEAR_DAYS)


def date_so_far(view: DocView, cluster: Cluster, mention: Mention) -> str | None:
    """The date a cluster stands for when a mention is compared with it. "A day earlier, X and Y
    met" tells of another day than the one reported so far, which is the news date when the
    cluster has none of its own."""
    own = cluster.own_date()
    if own is None and mention.shifted and undated_news(cluster):
        return view.news_date
    return own


def cluster_mentions(view: DocView, mentions: list[Mention]) -> tuple[list[Cluster], list[Cluster]]:
    frames: list[Cluster] = []
    encounters: list[Cluster] = []
    company = [m for m in mentions if m.rule.company]
    for mention in [m for m in mentions if not m.rule.company]:
        if mention.intent:
            continue  # planned, hoped for, called off: no occasion took place
        pool = frames if mention.is_frame else encounters
        same = [
            c
            for c in pool
            if c.family == mention.family and compatible(date_so_far(view, c, mention), mention.date)
        ]
        call = call_told_again(view, encounters, mention)
        if call is not None:
            call.add(mention)
            continue
        if mention.is_frame:
            same = [c for c in same if _same_place(c, mention)]
        target = None
        persons = set(mention.persons)
        if mention.rule.joins_only:
            if persons and same:
                _referent(same, mention).add(mention)
            continue
        if not persons and mention.recalled and mention.date:
            # "They had met in September last year": the people of the occasion just told, at
            # an earlier one the text dates.
            told = _they_of(mention, encounters)
            if told:
                pool.append(Cluster([mention], told))
                continue
        if not persons:
            same = [c for c in same if recent_enough(view, c, mention)]
            if mention.rule.anaphoric and not mention.generic and same:
                target = _referent(same, mention)
            else:
                continue
        elif mention.join and same:
            target = _referent(same, mention)
        else:
            fits = [
                c
                for c in same
                if (persons <= set(c.persons) or set(c.persons) <= persons)
                and c.mentions[0].within_visit == mention.within_visit
            ]
            if mention.is_frame:
                fits = [c for c in same if persons & set(c.persons)]
            if fits:
                target = max(fits, key=lambda c: c.last)
            elif len(persons) < mention.rule.min_persons and not (
                _meets_a_group(mention) or mention.open_subject
            ):
                continue  # ("the Speaker received X": a host the text names later or not at all)
        if target is None:
            pool.append(Cluster([mention], list(mention.persons)))
        else:
            target.add(mention)
    for mention in company:
        # after the rest: "X, accompanied by Y, arrived on a state visit" names the visit later
        persons = set(mention.persons)
        if len(persons) < 2 or mention.intent:
            continue
        # the occasion told in the same sentence ("X arrived accompanied by A, who were received
        # by B"), else the visit or meeting of the one accompanied
        here = [
            c
            for c in frames + encounters
            if persons & set(c.persons) and any(m.sent_index == mention.sent_index for m in c.mentions)
        ]
        principal = set(mention.hosts)
        with_them = [c for c in frames if principal & set(c.persons)] or [
            c for c in encounters if principal & set(c.persons)
        ]
        before = [c for c in with_them if min(m.sent_index for m in c.mentions) <= mention.sent_index]
        if here or with_them:
            max(here or before or with_them, key=lambda c: c.last).add(mention)
    return frames, encounters


def call_told_again(view: DocView, encounters: list[Cluster], mention: Mention) -> Cluster | None:
    """The phone call a plain talk verb goes on about: the latest call cluster with the same
    people (or all of them among its people) and a date that fits."""
    persons = set(mention.persons)
    if mention.rule.id not in PLAIN_TALK_RULES or len(persons) < 2:
        return None
    calls = [
        c
        for c in encounters
        if c.family == "call"
        and persons <= set(c.persons)
        and compatible(date_so_far(view, c, mention), mention.date)
        and c.mentions[0].within_visit == mention.within_visit
    ]
    return max(calls, key=lambda c: c.last) if calls else None


def frame_of(view: DocView, cluster: Cluster, frames: list[Cluster]) -> Cluster | None:
    """The visit during which an encounter happened: its visitor takes part, the dates agree."""
    if all_are(cluster, "background"):
        return None  # background to the news, told of no visit
    first = min(m.trigger.i for m in cluster.mentions)
    fits = [
        f
        for f in frames
        if set(f.persons) <= set(cluster.persons)
        and compatible(f.own_date(), cluster.own_date())
        and not all_are(f, "recalled")  # an earlier visit the text looks back on frames nothing today
    ]
    before = [f for f in fits if min(m.trigger.i for m in f.mentions) <= first]
    if before:
        return max(before, key=lambda f: min(m.trigger.i for m in f.mentions))
    return min(fits, key=lambda f: min(m.trigger.i for m in f.mentions)) if fits else None


def _referent(clusters: list[Cluster], mention: Mention) -> Cluster:
    """What "the meeting" refers back to: the occasion just reported (this or the previous
    sentence), else the article's main occasion (its first), not one recalled in passing since."""
    # One told of within a recalled visit ("her visit in May, where she met X") is not referred to
    # from outside that clause.
    clusters = [c for c in clusters if c.mentions[0].within_visit == mention.within_visit] or clusters
    latest = max(clusters, key=lambda c: c.last)
    if max(m.sent_index for m in latest.mentions) >= mention.sent_index - 1:
        return latest
    return min(clusters, key=lambda c: min(m.trigger.i for m in c.mentions))


def _meets_a_group(mention: Mention) -> bool:
    """'X received a delegation from Y': the guests are there though no one of them is named. A
    greeting is no occasion of its own ('X greeted the delegation' at some other event)."""
    if mention.rule.type != "Reception":
        return False
    verb = mention.anchor
    return any(
        c.dep_ in ("dobj", "obj", "nsubjpass") and c.lemma_.lower() in GROUP_NOUNS for c in verb.children
    ) or any(
        g.lemma_.lower() in GROUP_NOUNS
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ == "with"
        for g in c.children
    )


def _same_place(cluster: Cluster, mention: Mention) -> bool:
    places = {m.destination for m in cluster.mentions if m.destination}
    return not places or not mention.destination or mention.destination in places


def _they_of(mention: Mention, encounters: list[Cluster]) -> list[str]:
    """The people "they" / "the two" stand for when they are the subject of a mention: those of the
    latest occasion told before it, when it had two or more."""
    subject = subject_tokens(mention.anchor, agents=False)
    if not any(t.lower_ in ("they", "both") for t in subject):
        return []
    before = [c for c in encounters if c.last < mention.trigger.i and len(c.persons) > 1]
    return list(max(before, key=lambda c: c.last).persons) if before else []
