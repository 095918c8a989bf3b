"""Lists of participants read along the text: the parser often breaks long lists of titled names
("with Foreign Minister A, Trade Minister B and Finance Minister C"; "attended by A, Minister of
X; B, Minister of Y"), hangs their later items on the next verb, or ends a sentence after "Amb."."""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.nlp.events.participants import REPORTING_VERBS, persons_in, takes_part
from kg.nlp.events.syntax import RELATIVE_PRONOUNS, SUBJECT_DEPS, clause_heads, subject_tokens
from kg.nlp.events.view import DocView

# Words that open a list of participants, and prepositions a list item's title may hold
# ("Minister of State for Trade A, Head of the Office of the President B").
LIST_OPENERS = {"with", "by", "between", "including"}
LIST_INNER_PREPS = {"of", "for", "from", "to", "at"}
INCLUDE_VERBS = {"include", "comprise", "be"}
# Short titles whose full stop spaCy takes for a sentence end inside a list of names ("Amb. A").
TITLE_ABBREVIATIONS = {
    "amb", "dr", "mr", "mrs", "ms", "hon", "prof", "gen", "sen", "rep", "col", "capt", "lt", "maj",
    "gov", "rev", "adm", "brig", "cdr", "sgt", "h.e", "engr", "eng", "arch", "dep",
}  # fmt: skip


def listed_persons(view: DocView, tokens: set[Token]) -> list[str]:
    """The people of a list after "with", "by", "between" or "including" in ``tokens``, read
    along the text: the parser often hangs the later items of a long list ("with Foreign
    Minister A, Trade Minister B and Finance Minister C"; "attended by A, Minister of X; B,
    Minister of Y") on the next verb instead."""
    found: list[str] = []
    for token in sorted(tokens, key=lambda t: t.i):
        if token.lower_ in LIST_OPENERS and token.dep_ in ("prep", "agent"):
            found += [p for p in list_from(view, token.i + 1) if p not in found]
    return found


def list_from(view: DocView, start: int, stop: int | None = None) -> list[str]:
    """The people named in a list that starts at token ``start``: names, their titles, commas,
    semicolons, "and", "as well as" and remarks in brackets, up to the first word that is none
    of these (a verb, a preposition, a relative pronoun) or ``stop``."""
    found: list[str] = []
    if start < len(view.doc) and view.doc[start].lower_ in LIST_OPENERS:
        start += 1  # "led by A", "with B"
    if start >= len(view.doc):
        return found
    index = view.sent_of.get(start, 0)
    end = view.sents[index].end
    # spaCy ends a sentence after "Amb." or "Dr."; the list began before it
    while index > 0 and start == view.sents[index].start and abbreviation_dot(view, start - 1):
        index -= 1
        start = view.sents[index].start
    if index > 0 and start == view.sents[index].start and not ends_sentence(view, view.sents[index - 1]):
        # a sentence cut after "(DPR RI)": the list began in the part before, after its lead-in
        before = view.sents[index - 1]
        colons = [t.i for t in before if t.text.rstrip().endswith((":", "—", "–"))]
        start = colons[-1] + 1 if colons else before.start
    index = view.sent_of.get(end - 1, index)
    if not ends_sentence(view, view.sents[index]) and index + 1 < len(view.sents):
        end = view.sents[index + 1].end  # the parser cut the sentence inside the list
    if stop is not None:
        end = min(end, stop)
    i = start
    while i < end:
        word = view.doc[i]
        if word.text == "(":
            close = next((j for j in range(i + 1, end) if view.doc[j].text.startswith(")")), None)
            if close is None:
                break
            i = close + 1
            continue
        covered = view.spans_at(word, ("PERSON", "TITLE", "COUNTRY", "INSTITUTION"))
        if (
            word.lower_ in ("as", "well")
            and " ".join(t.lower_ for t in view.doc[max(0, i - 2) : i + 3]).find("as well as") >= 0
        ):
            covered = True  # "A as well as B"
        if word.lower_ == "in" and i + 1 < end:
            # "the Head of the Office in Riga Ilse Marten": a title's place, then a name
            place = view.spans_at(view.doc[i + 1], ("PLACE", "COUNTRY"))
            after = place[0].end if place else None
            covered = after is not None and after < end and bool(view.spans_at(view.doc[after], ("PERSON",)))
        if word.text == "." and abbreviation_dot(view, i):
            covered = True  # "Amb. A", "Dr. B": a title cut short, not the end of the list
        if not covered and (
            word.pos_ in ("VERB", "AUX", "SCONJ")
            or (word.pos_ == "ADP" and word.lower_ not in LIST_INNER_PREPS)
            or word.lower_ in RELATIVE_PRONOUNS
            or word.text in (".", ":", ")")
        ):
            if word.lemma_.lower() in REPORTING_VERBS:
                # "... with her staff, X said": X speaks about it, X is not in the list
                speakers = persons_in(view, subject_tokens(word, agents=False))
                found = [p for p in found if p not in speakers]
            break
        for span in view.spans_at(word, ("PERSON",)):
            if span.kb_id_ not in found and takes_part(view, span):
                found.append(span.kb_id_)
        i += 1
    return found


def inclusion_list(view: DocView, anchor: Token) -> list[str]:
    """ "Officials who joined X to receive Y included A, B and C": the people the relative
    clause's noun is said to include."""
    for head in clause_heads(anchor):
        noun = head.head
        if head.dep_ != "relcl" or noun.dep_ not in SUBJECT_DEPS:
            continue
        if noun.head.lemma_.lower() in INCLUDE_VERBS:
            return list_from(view, noun.head.i + 1)
    return []


def stray_with(view: DocView, trigger: Token) -> list[str]:
    """'held his first phone call since taking office with his counterpart, X': the parser
    hung "with X" on a word after the trigger; the first "with" after it in the sentence,
    before any other trigger, names the other party."""
    sent = view.sents[view.sent_of.get(trigger.i, 0)]
    for i in range(trigger.i + 1, sent.end):
        if i in view.triggers:
            return []
        if view.doc[i].lower_ == "with":
            return list_from(view, i)
    return []


def ends_sentence(view: DocView, sent: Span) -> bool:
    """Does the sentence end as sentences do (or is it a line of its own, a headline)?"""
    last = next((t for t in reversed(sent) if not t.is_space), None)
    if last is None or last.text in (".", "!", "?", '"', "”", "’", "'"):
        return True
    return "\n" in view.text[last.idx : sent.end_char + 1] or (
        last.i + 1 < len(view.doc) and view.doc[last.i + 1].is_space and "\n" in view.doc[last.i + 1].text
    )


def abbreviation_dot(view: DocView, i: int) -> bool:
    """Is token ``i`` the full stop of a short title ("Amb.", "Dr.", "Hon.") before a name?"""
    if i < 1 or i + 1 >= len(view.doc) or view.doc[i].text != ".":
        return False
    word, after = view.doc[i - 1], view.doc[i + 1]
    return word.lower_ in TITLE_ABBREVIATIONS and after.is_title


def company_of(view: DocView, verb: Token) -> list[str]:
    """ "We had the chance to greet X, in the company of A and B": the people with the subject."""
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "in"):
        for noun in (c for c in prep.children if c.dep_ == "pobj" and c.lower_ == "company"):
            of = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"]
            if of:
                return list_from(view, of[0].i + 1)
    return []
