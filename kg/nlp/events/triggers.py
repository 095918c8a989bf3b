"""Trigger words found by the rules, each read into a Mention: who takes part, where, and whether
the occasion took place at all."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from kg.nlp.events.lists import (
    INCLUDE_VERBS,
    company_of,
    inclusion_list,
    list_from,
    listed_persons,
    stray_with,
)
from kg.nlp.events.model import Mention
from kg.nlp.events.mood import is_cancelled, is_current, is_intent, is_negated, is_recalled
from kg.nlp.events.participants import (
    SINGULAR_PRONOUNS,
    governing_subject,
    governing_subject_open,
    guest_object,
    members_of,
    persons_in,
    preceding_person,
    previous_subject,
    pronoun_object_referent,
    quoted_speaker,
    role_subject,
    visitors,
)
from kg.nlp.events.places import destination, place_in
from kg.nlp.events.rules import Rule
from kg.nlp.events.series import SEPARATE_WORDS
from kg.nlp.events.syntax import (
    CLAUSE_DEPS,
    COMPANY_VERBS,
    SUBJECT_DEPS,
    anchor_of,
    clause_tokens,
    controller,
    described,
    noun_group,
    subject_tokens,
    within_visit,
)
from kg.nlp.events.view import DocView, named_across_a_blank_line

if TYPE_CHECKING:
    from kg.nlp.events.component import EventExtractor

# Taking part in "the meeting" (already reported) adds people to it instead of starting a new one.
JOIN_VERBS = {"take", "participate", "attend", "join"}


def find_mentions(view: DocView, extractor: EventExtractor) -> list[Mention]:
    """One mention per trigger word, in text order; sets ``view.triggers``."""
    best: dict[int, tuple[int, int, str]] = {}
    for match_id, start, end in extractor.matcher(view.doc):
        root = view.doc[start:end].root
        rule_id = view.doc.vocab.strings[match_id]
        # One mention per trigger word; the longest pattern is the most specific ("state visit"),
        # then the rule listed first.
        candidate = (end - start, -extractor.rank[rule_id], rule_id)
        if root.i not in best or candidate > best[root.i]:
            best[root.i] = candidate
    found = []
    view.triggers = set(best)
    for i in sorted(best):
        mention = read_mention(view, view.doc[i], extractor.rules[best[i][2]])
        if mention is not None:
            found.append(mention)
    return found


def read_mention(view: DocView, trigger: Token, rule: Rule) -> Mention | None:
    anchor, light = anchor_of(trigger)
    if rule.needs_light_verb and light is None:
        return None
    # the preposition may hang on the object: "discussed the situation with X"
    governors = {trigger, anchor} | {c for c in anchor.children if c.dep_ in ("dobj", "obj")}
    # "A and B discussed trade" needs no "with": they discussed it together (checked below)
    lacks_prep = bool(rule.needs_prep) and not any(
        c.dep_ == "prep" and c.lower_ in rule.needs_prep for t in governors for c in t.children
    )
    if trigger.dep_ == "pobj" and trigger.head.lower_ in ("via", "through", "over", "by"):
        return None  # "held talks via videoconference": the means of another trigger's occasion
    if rule.type == "Reception" and trigger.pos_ == "VERB" and not guest_object(view, trigger):
        return None  # "welcomed the decision of X", "received a letter from X"
    if rule.no_infinitive and any(c.dep_ in ("xcomp", "ccomp") for c in anchor.children):
        return None
    mention = Mention(rule, trigger, anchor, view.sent_of.get(trigger.i, 0))
    mention.intent = is_intent(trigger, anchor)
    mention.generic = trigger.tag_ in ("NNS", "NNPS") and not any(
        c.dep_ in ("det", "poss") for c in trigger.children
    )
    mention.current = is_current(trigger, anchor)
    mention.recalled = is_recalled(trigger, anchor)
    if rule.kind == "visit":
        mention.persons = visitors(view, trigger, anchor)
        mention.hosts = list(mention.persons)  # the one the text follows from here on
        mention.destination = destination(view, trigger, anchor)
        if mention.destination and mention.destination.startswith("institution:"):
            mention.place = mention.destination
    else:
        tokens = clause_tokens(anchor)
        if anchor.i != trigger.i:
            tokens |= clause_tokens(trigger)
        mention.persons = persons_in(view, tokens)
        mention.persons += listed_persons(view, tokens)
        if trigger.pos_ == "VERB":
            objects = [c for c in trigger.children if c.dep_ in ("dobj", "obj")]
            if objects:
                # "met A, Minister of X, B and C": the objects' list, however it was parsed
                mention.persons += list_from(view, objects[0].left_edge.i)
            elif trigger.dep_ not in ("ROOT", "conj", "advcl", "relcl", "xcomp", "ccomp", "pcomp", "acl"):
                # a parse that lost the verb's clause ("hosted" read as an adjective): the
                # names that follow it
                mention.persons += list_from(view, trigger.i + 1)
        if rule.company:
            # "X arrived accompanied by A and B"; "Accompanying X are A, B and C"
            clause = trigger.head if trigger.dep_ in CLAUSE_DEPS else trigger
            mention.persons += persons_in(view, clause_tokens(clause) | clause_tokens(trigger))
            mention.persons += list_from(view, trigger.i + 1)
            if clause is not trigger:
                mention.persons += members_of(view, clause)  # "X is part of the delegation accompanying Y"

        if rule.joins_only and trigger.dep_ in SUBJECT_DEPS:
            # "The delegation was led by X, who was accompanied by Y"; "... included A and B"
            verb = trigger.head
            if verb.lemma_.lower() in COMPANY_VERBS | INCLUDE_VERBS:
                tokens |= clause_tokens(verb)
                mention.persons += persons_in(view, clause_tokens(verb)) + list_from(view, verb.i + 1)
        own_subject = False  # "Speaking to reporters, A and B said": not a subject of its own
        if trigger.pos_ in ("VERB", "AUX") or anchor.pos_ in ("VERB", "AUX"):
            verb = anchor if anchor.pos_ in ("VERB", "AUX") else trigger
            subject = subject_tokens(verb, agents=False)
            own_subject = bool(subject)
            mention.hosts = persons_in(view, subject)
            mention.persons += [p for p in persons_in(view, subject_tokens(verb)) if p not in mention.persons]
            if subject and min(t.i for t in subject) < verb.i:
                # "A (Treasury), B (Energy) and C attended": a list the parser broke up
                listed = list_from(view, min(t.i for t in subject), verb.i)
                mention.hosts += [p for p in listed if p not in mention.hosts]
            if not subject:
                # "Briefing journalists soon after meeting X, Y said": the subject of the
                # clause the participle depends on.
                boss = controller(verb)
                subject = subject_tokens(boss) if boss is not None else set()
                mention.hosts = persons_in(view, subject)
                if boss is not None:
                    mention.persons += company_of(view, boss)
                if verb.dep_ == "advcl" and verb.head.lemma_.lower() in COMPANY_VERBS:
                    # "officials who joined X to receive Y": X receives Y with them
                    joined = [c for c in verb.head.children if c.dep_ in ("dobj", "obj")]
                    mention.hosts += persons_in(view, {t for c in joined for t in noun_group(c)})
            if not mention.hosts:
                mention.hosts = quoted_speaker(view, verb, subject)
            if not mention.hosts and (
                not subject
                or any(t.lower_ in SINGULAR_PRONOUNS for t in subject)
                or (
                    described(subject)
                    and (any(c.lower_ == "also" for c in verb.children) or role_subject(view, verb))
                )
            ):
                # No subject in the parse, "he" / "she" that kg_resolve left open, or "the
                # leader also met ...": the person the text was speaking of.
                mention.hosts = preceding_person(view, trigger)
                if not mention.hosts and subject:
                    mention.open_subject = True
                    mention.hosts = previous_subject(view, trigger)
        else:
            # "During his meeting with X, Y said ...": Y was at the meeting.
            mention.hosts = governing_subject(view, trigger)
            if not mention.hosts and governing_subject_open(view, trigger):
                mention.open_subject = True
                mention.hosts = previous_subject(view, trigger)
        if lacks_prep and (not own_subject or len(set(mention.hosts)) < 2):
            return None
        if rule.company and not any(c.dep_ in ("auxpass", "agent") for c in trigger.children):
            # "(Y is part of the delegation) accompanying X": X is the one accompanied
            accompanied = [c for c in trigger.children if c.dep_ in ("dobj", "obj")]
            mention.hosts = persons_in(view, {t for c in accompanied for t in noun_group(c)})
            if not mention.hosts and accompanied and trigger.dep_ == "acl":
                # "the delegation accompanying <long title> X": X's name parsed off the object
                mention.hosts = [p for p in persons_in(view, clause_tokens(trigger)) if p in mention.persons]
        mention.persons += pronoun_object_referent(view, trigger, anchor)
        mention.persons = mention.hosts + mention.persons + inclusion_list(view, anchor)
        if trigger.pos_ != "VERB" and len(set(mention.persons)) <= 1:
            mention.persons += stray_with(view, trigger)
        mention.separate = any(t.lower_ in SEPARATE_WORDS for t in tokens)
        mention.within_visit = within_visit(anchor)
        mention.intent = mention.intent or is_cancelled(trigger, anchor) or is_negated(trigger, anchor)
        mention.place = place_in(view, tokens)
        mention.join = (
            light is not None
            and light.lemma_.lower() in JOIN_VERBS
            and any(c.dep_ == "det" and c.lower_ == "the" for c in trigger.children)
            and not any(c.dep_ == "prep" and c.lower_ == "of" for c in trigger.children)
        )
    mention.persons = list(dict.fromkeys(mention.persons))
    across = named_across_a_blank_line(view, trigger)
    if across:
        mention.persons = [p for p in mention.persons if p not in across]
        mention.hosts = [p for p in mention.hosts if p not in across]
    return mention
