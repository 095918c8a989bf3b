"""Whether a mention tells of an occasion that took place: planned, hoped for, refused, called off
or denied ("will meet", "cancelled the talks", "did not meet"), recalled from before ("had met",
"their last meeting"), or going on as the news is told ("her current visit")."""

from __future__ import annotations

from spacy.tokens import Token

from kg.nlp.events.syntax import governing_verb

# Words that put a mention in the future or make it an intention to meet: no occasion took place.
INTENT_VERBS = {
    "agree", "plan", "intend", "expect", "invite", "schedule", "hope", "want", "propose", "refuse",
    "decline", "wish", "seek", "aim", "prepare", "look", "try", "offer", "ask", "urge", "set",
    "due", "slate", "poise", "likely", "ready", "keen", "eager", "willing",
}  # fmt: skip
# A meeting called off, put off or refused did not take place: "cancelled her meeting with X",
# "the talks were postponed", "declined a meeting".
CANCEL_VERBS = {"cancel", "postpone", "refuse", "decline", "delay", "suspend", "scrap", "reject", "shelve"}
INTENT_MODIFIERS = {
    "upcoming",
    "forthcoming",
    "planned",
    "future",
    "next",
    "proposed",
    "expected",
    "scheduled",
}
# Nouns of intention an infinitive hangs on: "plans for X to visit Y", "an invitation to visit".
INTENT_NOUNS = {"plan", "intention", "invitation", "proposal", "hope", "wish", "readiness", "desire"}
CURRENT_MODIFIERS = {"current", "ongoing", "present"}
# Words that make a mention an earlier occasion the text looks back on.
RECALL_MODIFIERS = {"last", "previous", "prior", "past", "former", "earlier"}
RECALL_ADVERBS = {"previously", "formerly", "once"}


def is_intent(trigger: Token, anchor: Token) -> bool:
    for token in {trigger, anchor}:
        if any(c.dep_ == "aux" and c.lemma_.lower() in ("will", "shall", "would") for c in token.children):
            return True
        if any(c.dep_ == "amod" and c.lower_ in INTENT_MODIFIERS for c in token.children):
            return True
        if _intended(token):
            return True
        if any(
            c.dep_ == "prep" and any(g.lemma_.lower() == "future" for g in c.children) for c in token.children
        ):
            return True  # "to visit X in the near future"
        # "looks forward to meeting X", "is looking forward to the talks"
        if token.dep_ in ("pcomp", "pobj") and token.head.lower_ == "to":
            above = token.head.head
            if above.lower_ == "forward" or any(c.lower_ == "forward" for c in above.children):
                return True
    return False


def _intended(token: Token) -> bool:
    """ "agreed to meet", "intends to continue holding meetings", "plans for X to visit": the
    occasion is what a verb or noun of intention up the chain of infinitives aims at."""
    for _ in range(3):
        if token.dep_ == "acl" and token.head.pos_ == "NOUN" and token.head.lemma_.lower() in INTENT_NOUNS:
            return True
        if token.dep_ != "xcomp":
            return False
        token = token.head
        if token.lemma_.lower() in INTENT_VERBS:
            return True
    return False


def is_current(trigger: Token, anchor: Token) -> bool:
    """A visit going on when the article was written: 'her current visit', 'who is on a state visit'."""
    if any(c.dep_ == "amod" and c.lower_ in CURRENT_MODIFIERS for c in trigger.children):
        return True
    verb = governing_verb(trigger) if trigger.pos_ not in ("VERB", "AUX") else trigger
    return verb is not None and "Pres" in verb.morph.get("Tense") and not is_intent(trigger, anchor)


def is_recalled(trigger: Token, anchor: Token) -> bool:
    """'had met in 2019', 'during their last meeting', 'previously visited': not today's news."""
    for token in {trigger, anchor}:
        children = list(token.children)
        if token.tag_ == "VBN" and any(
            c.dep_ == "aux" and c.tag_ == "VBD" and c.lemma_ == "have" for c in children
        ):
            return True
        if any(c.dep_ == "advmod" and c.lower_ in RECALL_ADVERBS for c in children):
            return True
        if token.pos_ in ("NOUN", "PROPN") and any(
            c.dep_ == "amod" and c.lower_ in RECALL_MODIFIERS for c in children
        ):
            return True
    return False


def is_negated(trigger: Token, anchor: Token) -> bool:
    """ "did not meet them", "no meeting was held", "never held talks", "will not be in a position
    to meet them"."""
    return any(
        c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") or c.lower_ == "never"
        for token in {trigger, anchor} | _negatable_heads(anchor)
        for c in token.children
    )


def _negatable_heads(token: Token) -> set[Token]:
    """The verbs an infinitive hangs on through 'able to', 'in a position to', 'wants to': a 'not'
    there denies the meeting too."""
    heads: set[Token] = set()
    for _ in range(4):
        if token.dep_ not in ("xcomp", "acl", "relcl", "pobj", "prep", "acomp") or token.head.i == token.i:
            break
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            heads.add(token)
    return heads


def is_cancelled(trigger: Token, anchor: Token) -> bool:
    """ "cancelled her meeting with X", "the talks were postponed", "refused to meet X"."""
    for token in {trigger, anchor}:
        head = token.head
        if token.dep_ in ("dobj", "obj", "nsubjpass", "xcomp") and head.lemma_.lower() in CANCEL_VERBS:
            return True
        if (
            token.dep_ in ("dobj", "obj")
            and head.lemma_.lower() == "call"
            and any(c.lower_ == "off" for c in head.children)
        ):
            return True
    return False
