"""Dependency helpers, pure functions over spaCy tokens: the light verb a noun trigger is read
through, the tokens of a clause or a noun phrase, subjects, the clauses above a token."""

from __future__ import annotations

from spacy.tokens import Token

# Verbs through which a noun trigger is read: "had a meeting", "held talks", "took part in the session".
LIGHT_VERBS = {
    "have", "hold", "conduct", "pay", "make", "take", "participate", "attend", "join", "chair",
    "host", "give", "organise", "organize", "arrange", "co-chair",
}  # fmt: skip
# Dependencies that open another clause: people and dates there belong to another statement.
CLAUSE_DEPS = {"relcl", "advcl", "ccomp", "csubj", "csubjpass", "parataxis", "xcomp", "acl", "mark"}
# A participial clause with one of these verbs still describes the trigger ("the meetings held with X").
LIGHT_ACL = {"hold", "conduct", "organise", "organize", "arrange"}
# Clauses that name more people of the same occasion: "a delegation led by X", "X, accompanied by Y,
# met Z", "Y, who was accompanied by W": their people take part, unlike those of other clauses.
COMPANY_VERBS = {"lead", "head", "accompany", "join", "include", "comprise", "escort", "flank"}
# "after talks with X", "during the visit of X": another occasion, whose people are not this one's.
OTHER_TIME_PREPS = {"after", "before", "following", "during", "ahead", "prior", "since", "until"}
# "According to A and B, X met Y": A and B tell of the meeting, they are not at it.
SOURCE_PREPS = {"according"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
RELATIVE_PRONOUNS = {"who", "whom", "which", "that"}


def anchor_of(trigger: Token) -> tuple[Token, Token | None]:
    """The light verb a noun trigger is read through ("had a meeting", "took part in the session"),
    or the trigger itself. Returns (anchor, light verb or None)."""
    if trigger.pos_ in ("VERB", "AUX"):
        return trigger, None
    token = trigger
    for _ in range(4):
        if token.dep_ in ("dobj", "obj", "nsubjpass", "attr", "pobj", "prep") or (
            token.dep_ == "conj" and token.head.pos_ in ("NOUN", "PROPN")
        ):
            token = token.head
        else:
            break
        if token.pos_ in ("VERB", "AUX"):
            if token.lemma_.lower() in LIGHT_VERBS:
                return token, token
            break
        if token.pos_ == "NOUN" and token.lower_ != "part":
            break
    for child in trigger.children:
        if child.dep_ == "acl" and child.lemma_.lower() in LIGHT_ACL:
            return trigger, child
    return trigger, None


def clause_tokens(head: Token) -> set[Token]:
    """The head and what depends on it within its own clause (no relative or subordinate clauses)."""
    found = {head}
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.children:
            if child.dep_ in CLAUSE_DEPS and not (
                (child.dep_ == "acl" and child.lemma_.lower() in LIGHT_ACL) or is_company(child)
            ):
                continue
            if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") and token.pos_ in ("VERB", "AUX"):
                continue  # a second statement ("... met Y and praised Z")
            if child.dep_ == "prep" and child.lower_ in OTHER_TIME_PREPS | SOURCE_PREPS:
                continue
            found.add(child)
            stack.append(child)
    return found


def clause_heads(token: Token) -> list[Token]:
    heads = []
    while token.head.i != token.i:
        if token.dep_ in CLAUSE_DEPS and not (token.dep_ == "acl" and token.lemma_.lower() in LIGHT_ACL):
            heads.append(token)
        token = token.head
    return heads


def in_relative(token: Token) -> bool:
    """Inside a relative clause ("officials, who were received by X"): its subject is not whom
    the story follows."""
    return any(head.dep_ in ("relcl", "acl") for head in clause_heads(token))


def is_company(clause: Token) -> bool:
    """A clause that adds people to the occasion: "(a delegation) led by X", "accompanied by Y",
    "(Y,) who was joined by W". Only passives with an agent ("by ..."): "X, who led the talks" is
    another statement about X."""
    if clause.dep_ not in ("acl", "advcl", "relcl") or clause.lemma_.lower() not in COMPANY_VERBS:
        return False
    return any(c.dep_ == "agent" for c in clause.children)


def noun_group(token: Token) -> set[Token]:
    """A noun phrase: the token, its titles, appositions and conjuncts, but no clause."""
    return clause_tokens(token)


def objects_of(prep: Token) -> list[Token]:
    return [t for c in prep.children if c.dep_ in ("pobj", "pcomp") for t in noun_group(c)]


def subject_tokens(verb: Token, agents: bool = True) -> set[Token]:
    """Tokens of the subject(s) of a verb (and of a passive's agent, "by X", unless ``agents`` is
    false); a relative pronoun stands for the noun it qualifies, and a verb coordinated with another
    ("arrived and met") shares its subject."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    by = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if not subjects and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        subjects = [c for c in verb.head.children if c.dep_ in SUBJECT_DEPS]
    tokens: set[Token] = set()
    for subject in subjects:
        if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            # "A, B and other officials, who were received by C": the whole coordination
            antecedent = listed_item(verb.head)
            while antecedent.dep_ == "conj" and antecedent.head.i != antecedent.i:
                antecedent = antecedent.head
            tokens |= noun_group(antecedent)
        else:
            tokens |= noun_group(subject)
    for agent in by if agents else []:
        tokens |= noun_group(agent)
    return tokens


def listed_item(noun: Token) -> Token:
    """The list item a name stands in: "A and Ambassador to Y B, who ..." is parsed with B as the
    object of the title's "to", the title a conjunct of A; B's item is the title's conjunct."""
    token = noun
    for _ in range(2):
        if token.dep_ != "pobj" or token.head.dep_ != "prep" or token.head.head.pos_ not in ("NOUN", "PROPN"):
            break
        token = token.head.head
        if token.dep_ == "conj":
            return token
    return noun


def controller_subject(verb: Token) -> set[Token]:
    """A participle or infinitive without a subject of its own takes the subject of the verb its
    clause depends on ("Briefing journalists after meeting X, Y said": Y)."""
    boss = controller(verb)
    return subject_tokens(boss) if boss is not None else set()


def controller(verb: Token) -> Token | None:
    """The verb whose subject a participle or infinitive without one of its own takes: "Briefing
    journalists after meeting X, Y said" -> said; "We had the opportunity to greet X" -> had."""
    token = verb
    for _ in range(5):
        if token.head.i == token.i:
            return None
        if token.dep_ == "acl" and token.head.dep_ in ("dobj", "obj"):
            # the object noun a clause qualifies: "had the chance to meet X", "attended the
            # ceremony held at Y before calling on X"
            token = token.head
        elif token.dep_ not in ("advcl", "pcomp", "prep", "xcomp", "pobj", "conj"):
            return None
        token = token.head
        if token.pos_ in ("VERB", "AUX") and subject_tokens(token):
            return token
    return None


def described(subject: set[Token]) -> bool:
    """A subject that describes rather than names: "the Japanese leader", "the President"."""
    return any(t.dep_ == "det" and t.lower_ == "the" for t in subject)


def governing_verb(noun: Token) -> Token | None:
    """The verb a noun depends on through prepositions: 'who is on a visit' -> is."""
    token = noun
    for _ in range(4):
        if token.dep_ in ("ROOT",) or token.head.i == token.i:
            return None
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return token
        if token.pos_ in ("NOUN", "PROPN") and token.lower_ != "part":
            return None
    return None


def within_visit(anchor: Token) -> int | None:
    """The visit, time or place whose relative clause tells of the trigger ("her visit in May,
    where she met X"; "the trip during which they held talks"): the token the clause hangs on."""
    for head in clause_heads(anchor):
        if head.dep_ not in ("relcl", "acl"):
            continue
        relative_place_or_time = any(
            c.lower_ in ("where", "when")
            or (c.dep_ == "prep" and any(g.lower_ == "which" for g in c.children))
            for verb in (head, *head.conjuncts)
            for c in verb.children
        )
        if relative_place_or_time or head.head.lemma_.lower() in ("visit", "trip", "tour", "journey"):
            return head.head.i
    return None
