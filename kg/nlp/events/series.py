"""One host's series of meetings across mentions: "He also met X" after "Y held talks with Z" (he
is Y); "separate meetings with A and B" and "had meetings with A and B" are one meeting per guest;
the visitor of "X's state visit and the meetings held with Y" is at those meetings."""

from __future__ import annotations

from dataclasses import replace

from kg.nlp.events.model import Mention
from kg.nlp.events.participants import REPORTING_VERBS, persons_in
from kg.nlp.events.syntax import in_relative, subject_tokens
from kg.nlp.events.view import DocView

# "held separate meetings with A and B", "called on him separately": one meeting per guest.
SEPARATE_WORDS = {"separate", "separately", "individually", "respective", "respectively"}
# Plural occasions: with one host and several guests named, one each ("had meetings with A and B").
SEVERAL_MEETINGS = {"meetings", "calls", "conversations", "audiences"}
# Plural roles whose members, named later as they speak, were each met ("met the ambassadors").
ROLE_GROUPS = {"ambassador", "envoy", "minister", "counterpart", "representative", "governor", "member"}
# "Before his meeting with A, X met B": two occasions of one host, told in sequence.
SEQUENCE_PREPS = {"before", "after", "following"}


def carry_subjects(mentions: list[Mention], back: int = 5) -> None:
    """ "He also met X" after "Y held talks with Z": he is the one the last mentions were about."""
    last: Mention | None = None
    for mention in mentions:
        if mention.open_subject and last is not None and mention.sent_index - last.sent_index <= back:
            mention.persons = [p for p in mention.persons if p not in mention.hosts]
            mention.hosts = list(last.hosts)
            mention.persons = list(dict.fromkeys(mention.hosts + mention.persons))
            last = mention  # the series goes on: "At the meeting with A he said ... With B he ..."
        elif (
            mention.hosts
            and not mention.open_subject
            and not mention.intent
            and not in_relative(mention.anchor)
        ):
            last = mention


def split_separate(mentions: list[Mention]) -> list[Mention]:
    """ "X held separate meetings with A and B": a meeting of X with A and one with B. The series
    goes on in the next sentences: "The meetings with C and D took place ...", "He also met E"."""
    found: list[Mention] = []
    hosts: list[str] = []
    last = -10
    calls = [m.sent_index for m in mentions if m.rule.type == "PhoneCall"]
    for mention in mentions:
        if len(mention.hosts) == 1 and (mention.rule.one_each or mention.trigger.lower_ in SEVERAL_MEETINGS):
            # "X had meetings with A and B", "X held bilateral meetings with A, B and C", "X called on
            # A and B" (a call on each at their office)
            mention.separate = True
        if (
            mention.rule.kind == "encounter"
            and len(mention.hosts) == 1
            and mention.trigger.tag_ in ("NNS", "NNPS")
            and any(0 <= mention.sent_index - s <= 3 for s in calls)
        ):
            # "a round of telephone calls ... He also had discussions with A, B and C": one call each
            mention.separate = True
        if (
            mention.rule.kind == "encounter"
            and not mention.separate
            and hosts
            and mention.sent_index - last <= 2
            and set(mention.hosts) <= set(hosts)
        ):
            plural = mention.trigger.tag_ in ("NNS", "NNPS") and not mention.hosts
            also = bool(mention.hosts) and any(c.lower_ == "also" for c in mention.anchor.children)
            if plural or also:
                mention.separate = True
                mention.hosts = mention.hosts or list(hosts)
                mention.persons = list(dict.fromkeys(mention.hosts + mention.persons))
        if not (mention.separate and mention.hosts):
            found.append(mention)
            continue
        hosts, last = mention.hosts, mention.sent_index
        guests = [p for p in mention.persons if p not in mention.hosts]
        if len(guests) == 1 and len(mention.hosts) > 1:
            # "A and B called on him separately": one meeting per caller
            found += [replace(mention, persons=[host, *guests], hosts=[host]) for host in mention.hosts]
            continue
        if len(guests) < 2:
            found.append(mention)
            continue
        found += [replace(mention, persons=[*mention.hosts, guest]) for guest in guests]
    return found


def split_summaries(mentions: list[Mention]) -> None:
    """ "X met A and B on Monday. ... Before his meeting with A, X met B": a later sentence tells
    the host's occasions with A and with B apart, one before the other, so the earlier list was a
    summary of two meetings: it is read as separate (one meeting per guest)."""
    for later in mentions:
        trigger = later.trigger
        if trigger.dep_ != "pobj" or trigger.head.lower_ not in SEQUENCE_PREPS:
            continue
        verb = trigger.head.head
        other = next(
            (m for m in mentions if m is not later and verb in (m.trigger, m.anchor)),
            None,
        )
        if other is None or not other.hosts:
            continue
        hosts = set(other.hosts)
        one, two = set(later.persons) - hosts, set(other.persons) - hosts
        if not one or not two or one & two or not hosts <= set(later.persons):
            continue
        for earlier in mentions:
            if (
                earlier.trigger.i < trigger.i
                and set(earlier.hosts) == hosts
                and one | two <= set(earlier.persons)
            ):
                earlier.separate = True


def group_members(view: DocView, mentions: list[Mention]) -> list[Mention]:
    """ "X met the newly appointed ambassadors. The Ambassador of Y, A, said ...": the members of a
    group met as such, named as they speak after it (until the story turns to another host's
    occasion), were each met; one meeting with each."""
    found: list[Mention] = []
    for index, mention in enumerate(mentions):
        group = _group_met(mention)
        if group is None or not mention.hosts or set(mention.persons) - set(mention.hosts):
            found.append(mention)
            continue
        hosts = set(mention.hosts)
        end = next(
            (m.sent_index for m in mentions[index + 1 :] if m.hosts and not set(m.hosts) <= hosts),
            len(view.sents),
        )
        members: list[str] = []
        for sent in view.sents[mention.sent_index + 1 : end]:
            if sent.root.lemma_.lower() not in REPORTING_VERBS:
                continue
            subject = subject_tokens(sent.root, agents=False)
            if any(group in (t.lemma_.lower(), t.lower_) for t in subject):
                members += [p for p in persons_in(view, subject) if p not in members and p not in hosts]
        if not members:
            found.append(mention)
            continue
        found += [replace(mention, persons=[*mention.hosts, member]) for member in members]
    return found


def _group_met(mention: Mention) -> str | None:
    """The (singular) role of the plural group a verb trigger meets: "met (with) the ambassadors"."""
    verb = mention.trigger
    if mention.rule.kind != "encounter" or verb.pos_ != "VERB":
        return None
    objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    objects += [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "with" for g in c.children]
    for noun in objects:
        # by its form: "the newly appointed Ambassadors" is often tagged a singular proper noun
        if noun.lower_.endswith("s") and noun.lower_[:-1] in ROLE_GROUPS:
            return noun.lower_[:-1]
    return None


def add_visitors(mentions: list[Mention]) -> None:
    """ "X's state visit and the meetings held with Y": the visitor is at the meetings too."""
    for mention in mentions:
        if (
            mention.rule.kind == "encounter"
            and mention.anchor.i == mention.trigger.i
            and mention.trigger.pos_ != "VERB"
        ):
            visitors = [
                p for m in mentions if m.is_frame and m.sent_index == mention.sent_index for p in m.persons
            ]
            if mention.persons and visitors:
                mention.persons = list(dict.fromkeys(visitors + mention.persons))
