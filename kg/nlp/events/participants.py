"""Who takes part in what a trigger tells of: the PERSON spans of its clause that can name a
participant there (not "X's adviser", not a name said right after), its subject or the subject of
the verb it hangs on, the visitors of a visit, and the person the text was speaking of when the
subject is "he" or "the leader"."""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.nlp.events.syntax import (
    COMPANY_VERBS,
    SUBJECT_DEPS,
    clause_tokens,
    controller_subject,
    described,
    governing_verb,
    noun_group,
    subject_tokens,
)
from kg.nlp.events.view import DocView

# Subjects that name a person by role ("the top legislator was welcomed"); titles are found as spans.
ROLE_NOUNS = {
    "leader", "legislator", "lawmaker", "diplomat", "premier", "envoy", "guest", "host", "visitor",
    "counterpart", "dignitary", "official", "statesman", "monarch", "chief", "head",
}  # fmt: skip
SINGULAR_PRONOUNS = {"he", "she"}
OBJECT_PRONOUNS = {"him", "her"}
MEMBER_NOUNS = {"part", "member", "members"}
FIRST_PERSON = {"we", "i"}
# "..., X said": the one who reports a meeting, named after the list of its people.
REPORTING_VERBS = {"say", "tell", "add", "note", "state", "stress", "report", "announce", "write", "tweet"}
# Guests met as a group: "received a delegation", "met the newly appointed ambassadors".
GROUP_NOUNS = {
    "delegation", "delegations", "team", "mission", "group", "ambassador", "ambassadors", "envoys",
    "counterparts", "leaders", "ministers", "members", "representatives", "officials", "heads",
}  # fmt: skip


def persons_in(view: DocView, tokens: set[Token]) -> list[str]:
    tokens = tokens | title_holders(view, tokens)
    keys = []
    for token in sorted(tokens, key=lambda t: t.i):
        for span in view.spans_at(token, ("PERSON",)):
            if span.kb_id_ not in keys and takes_part(view, span):
                keys.append(span.kb_id_)
    return keys


def takes_part(view: DocView, span: Span) -> bool:
    """Can this PERSON span name a participant where it stands?"""
    return bool(span.kb_id_) and not owner_only(view, span) and not named_next(view, span)


def named_next(view: DocView, span: Span) -> bool:
    """A reference kg_resolve filled in ("his Turkish counterpart" -> someone) that the text
    names right after ("his Turkish counterpart Ahmet Dogan"): the name says who it is."""
    if not span.id_.startswith("resolve.reference"):
        return False
    i = span.end
    while i < len(view.doc) and view.doc[i].text in (",", "Mr", "Ms", "Mrs", "Dr", "Dr."):
        i += 1
    return i < len(view.doc) and any(
        s.start == i and not s.id_.startswith("resolve.reference")
        for s in view.spans_at(view.doc[i], ("PERSON",))
    )


def owner_only(view: DocView, span: Span) -> bool:
    """'X's adviser Y', 'the Crown Prince's envoy': X is named as whose the person is, not as
    someone taking part ('X's meeting with Y' and 'X's visit' do name X as taking part); nor is
    a 'person' that is where something happened ('held in the New Capital')."""
    root = span.root
    between = view.doc[root.head.i + 1 : span.start]
    if (
        root.dep_ == "pobj"
        and root.head.lower_ in ("in", "at", "near", "inside")
        and all(t.pos_ == "DET" for t in between)
    ):
        # (not across a line break: a headline glued to the lead is parsed as one sentence)
        return "\n" not in view.text[root.head.idx : span.start_char]
    return root.dep_ == "poss" and root.head.pos_ in ("NOUN", "PROPN") and root.head.i not in view.triggers


def title_holders(view: DocView, tokens: set[Token]) -> set[Token]:
    """Tokens of the person named right after a title in ``tokens`` ("with the Ambassador of X,
    Lena Marsh, Agency reports"): the parser often hangs such a name on a trailing attribution
    verb ("Marsh ... reports"), out of the clause that holds the title it names."""
    extra: set[Token] = set()
    for token in tokens:
        for title in view.spans_at(token, ("TITLE",)):
            if title.root.i != token.i:
                continue
            # The title's own phrase may run past the span ("Ambassador of <unknown country> to X").
            i = max(title.end, title.root.right_edge.i + 1)
            if view.doc[i - 1].text != "," and i < len(view.doc) and view.doc[i].text == ",":
                i += 1
            if i >= len(view.doc) or view.sent_of.get(i) != view.sent_of.get(token.i):
                continue
            for person in view.spans_at(view.doc[i], ("PERSON",)):
                if person.start == i:
                    extra.update(person)
    return extra


def role_subject(view: DocView, verb: Token) -> bool:
    """A subject that is a person by their role: "the Hungarian top legislator (and his
    entourage) were welcomed", "the Speaker received"."""
    for subject in (c for c in verb.children if c.dep_ in SUBJECT_DEPS):
        if subject.lemma_.lower() in ROLE_NOUNS or view.spans_at(subject, ("TITLE",)):
            return True
    return False


def pronoun_object_referent(view: DocView, trigger: Token, anchor: Token) -> list[str]:
    """ "He spoke with X, who called on him": a "him" / "her" that kg_resolve left open as the
    trigger's object is not the trigger's own subject but the subject of a clause above it."""
    objects = [c for t in (trigger, anchor) for c in t.children if c.dep_ in ("dobj", "obj")]
    objects += [g for t in (trigger, anchor) for c in t.children if c.dep_ == "prep" for g in c.children]
    if not any(o.lower_ in OBJECT_PRONOUNS and not view.spans_at(o, ("PERSON",)) for o in objects):
        return []
    own = set(persons_in(view, subject_tokens(anchor)))
    token = anchor
    while token.head.i != token.i:
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            subject = subject_tokens(token, agents=False) or controller_subject(token)
            found = [p for p in persons_in(view, subject) if p not in own]
            if found:
                return found
    return []


def quoted_speaker(view: DocView, verb: Token, subject: set[Token]) -> list[str]:
    """ "'We met X,' said Y": a first-person subject inside a quote is the one the quote is
    reported of, the subject of the reporting verb it hangs on."""
    if not subject or not all(t.lower_ in FIRST_PERSON for t in subject if t.pos_ == "PRON"):
        return []
    if not any(t.lower_ in FIRST_PERSON for t in subject):
        return []
    token = verb
    while token.head.i != token.i:
        token = token.head
        if token.lemma_.lower() in REPORTING_VERBS:
            return persons_in(view, subject_tokens(token, agents=False))
    return []


def members_of(view: DocView, group: Token) -> list[str]:
    """ "X is part of the delegation", "X, a member of the team": who the group noun is said to hold."""
    if (
        group.dep_ != "pobj"
        or group.head.lower_ != "of"
        or group.head.head.lemma_.lower() not in MEMBER_NOUNS
    ):
        return []
    member = group.head.head
    if member.dep_ == "appos":
        return persons_in(view, {member.head})
    if member.dep_ in ("attr", "acomp") and member.head.pos_ in ("VERB", "AUX"):
        return persons_in(view, subject_tokens(member.head, agents=False))
    return []


def preceding_person(view: DocView, trigger: Token) -> list[str]:
    """The nearest named person before a verb whose parse lost its subject (the parser misreads
    long titled names: 'Chair of X Lena Marsh who is in Y on a visit met with ...'). A verb
    whose subject is not a person ("the delegation met ...") never gets here."""
    sent = view.sents[view.sent_of.get(trigger.i, 0)]
    for i in range(trigger.i - 1, sent.start - 1, -1):
        token = view.doc[i]
        spans = view.spans_at(token, ("PERSON",))
        if spans and spans[0].kb_id_:
            return [spans[0].kb_id_]
        if token.lower_ in (";", ":"):
            break
    return []


def previous_subject(view: DocView, trigger: Token, back: int = 3) -> list[str]:
    """The person a previous sentence was about (its subject), for "He also met X" when
    kg_resolve left "He" open because that sentence named several people."""
    index = view.sent_of.get(trigger.i, 0)
    for sent in reversed(view.sents[max(0, index - back) : index]):
        for token in sent:
            if token.dep_ in SUBJECT_DEPS and token.head.dep_ == "ROOT":
                found = [s.kb_id_ for s in view.spans_at(token, ("PERSON",)) if s.kb_id_]
                if found:
                    return found[:1]
    return []


def governing_subject(view: DocView, trigger: Token) -> list[str]:
    """The subject of the verb a noun trigger hangs from through a preposition, when it is the
    trigger's "with" party's counterpart: "At the meeting with X, Y said" -> Y; "During his talks
    with X, Y stressed" -> Y. Not for "a meeting between A and B" (its people are named)."""
    if not any(c.dep_ == "prep" and c.lower_ == "with" for c in trigger.children) and not any(
        c.dep_ == "poss" for c in trigger.children
    ):
        return []
    if trigger.dep_ not in ("pobj", "pcomp"):
        return []
    verb = governing_verb(trigger)
    if verb is None or trigger.head.head != verb:
        return []
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if any(c.pos_ in ("NOUN", "PRON") and not view.spans_at(c, ("PERSON",)) for c in subjects):
        return []  # "After talks with X, the delegation met Y": the delegation had the talks
    return persons_in(view, subject_tokens(verb, agents=False))


def governing_subject_open(view: DocView, trigger: Token) -> bool:
    """ "At the meeting with X the President said": a subject that only describes its person,
    which kg_resolve left open (several presidents named); the host is found by looking back."""
    if trigger.dep_ not in ("pobj", "pcomp") or not any(
        c.dep_ == "prep" and c.lower_ == "with" for c in trigger.children
    ):
        return False
    verb = governing_verb(trigger)
    if verb is None or trigger.head.head != verb:
        return False
    subject = subject_tokens(verb, agents=False)
    if persons_in(view, subject):
        return False
    # no subject, "the President", or "they" / "he" that kg_resolve left open
    return not subject or described(subject) or all(t.pos_ == "PRON" for t in subject)


def visitors(view: DocView, trigger: Token, anchor: Token) -> list[str]:
    """Who travels: the subject of "X visited", "X's visit", "the visit of X", "X, who is on a visit"."""
    if trigger.dep_ == "amod":
        # "received the visiting delegation": the visitors are the noun's, not the clause's subject
        return persons_in(view, noun_group(trigger.head))
    if trigger.pos_ in ("VERB", "AUX"):
        subject = subject_tokens(trigger)
        found = persons_in(view, subject)
        if found or (subject and not any(t.lower_ in SINGULAR_PRONOUNS for t in subject)):
            return found
        return preceding_person(view, trigger)
    own = [c for c in trigger.children if c.dep_ == "poss"]
    own += [g for c in trigger.children if c.dep_ == "prep" and c.lower_ in ("of", "by") for g in c.children]
    found = persons_in(view, {t for c in own for t in noun_group(c)})
    if found:
        return found
    head = governing_verb(trigger)
    if head is not None and head.lemma_.lower() not in ("exchange", "discuss", "mention", "recall"):
        found = persons_in(view, subject_tokens(head))
        if found:
            return found
        if head.dep_ == "acl" and head.lemma_.lower() in COMPANY_VERBS:
            # "the delegation accompanying X on a working visit": X travels (the people of the
            # clause: the parser may hang X's name on a preposition of the verb)
            found = persons_in(view, clause_tokens(head))
            if found:
                return found
    # "during his state visit": a possessive pronoun kg_resolve left open is the nearest person before.
    if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in trigger.children):
        return preceding_person(view, trigger)
    return []


def guest_object(view: DocView, verb: Token) -> bool:
    """Is what "received" / "welcomed" / "hosted" takes a guest (a person, a title, a group),
    or is there no object at all ("X was received by Y")?"""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    return not objects or any(
        view.spans_at(o, ("PERSON", "TITLE"))
        or o.pos_ in ("PROPN", "PRON")
        or o.lemma_.lower() in GROUP_NOUNS | ROLE_NOUNS
        for o in objects
    )
