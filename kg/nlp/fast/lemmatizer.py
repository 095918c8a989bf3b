"""The model's rule lemmatizer, asked once per distinct word form instead of once per token.

spaCy's Lemmatizer is a Python loop over every token (docs/performance.md): it reads
the token's text, part of speech and morphology through Token objects, then memoises the lemma by
(word, part of speech, morphology), except for base forms, which it recomputes each time. A token's
lemma depends on nothing else, so here the same memo is read for the whole Doc at once
(Doc.to_array, string hashes, no Token objects) and only a form never seen goes to the model's own
lemmatizer; lemmas are written back in one Doc.from_array. As in spaCy, a token whose lemma the
attribute_ruler already set keeps it (the model's lemmatizer does not overwrite).
tests/test_lemmatizer.py checks every token's lemma against the original on real text.

A lemmatizer in another mode (lookup tables), or one that overwrites, is left in place.
"""

from __future__ import annotations

import numpy
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

NAME = "kg_lemmatizer"

# More than the distinct (word, part of speech, morphology) forms of a large corpus (~20 MB at
# most); past it, new forms are still lemmatised, just not remembered: memory stays flat.
MEMO_LIMIT = 100_000

FEATURES = ["ORTH", "POS", "MORPH", "LEMMA"]


class MemoLemmatizer:
    """A pipeline component giving each token the lemma the model's rule lemmatizer gives it."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.strings = lemmatizer.vocab.strings
        self.memo: dict[tuple[int, int, int], int] = {}  # (word, pos, morphology) -> lemma hash

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array(FEATURES).tolist()
        memo, lemmas = self.memo, []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if not lemma:
                key = (orth, pos, morph)
                lemma = memo.get(key)
                if lemma is None:
                    lemma = self.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                    if len(memo) < MEMO_LIMIT:
                        memo[key] = lemma
            lemmas.append(lemma)
        doc.from_array(["LEMMA"], numpy.array(lemmas, dtype="uint64"))
        return doc


@Language.factory(NAME)
def make_memo_lemmatizer(nlp: Language, name: str) -> MemoLemmatizer:
    """Built from the model's own ``lemmatizer``, which it replaces (see ``use_memo_lemmatizer``)."""
    return MemoLemmatizer(nlp.get_pipe("lemmatizer"))


def use_memo_lemmatizer(nlp: Language) -> bool:
    """Put the memoising lemmatizer in place of ``nlp``'s; False (nothing changed) if the model has
    none, or one that is not a rule lemmatizer leaving set lemmas alone."""
    lemmatizer = dict(nlp.pipeline).get("lemmatizer")
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode != "rule" or lemmatizer.overwrite:
        return False
    nlp.add_pipe(NAME, before="lemmatizer")
    nlp.remove_pipe("lemmatizer")
    return True
