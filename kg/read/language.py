"""The language of an article, before it is extracted.

kg reads English: an English spaCy model and English rules. An article in Russian or Azerbaijani
went through them without a word and came out with wrong persons ("Южном Кавказе"), one of whose
labels was even attached to a real person of an English article. So ``kg build`` skips an article
that is confidently in another language, with a note; ``--lang any`` builds it anyway.

Most articles are told English cheaply, by the share of English function words among their first
words (spaCy's own English stop-word list); only the others go to py3langid, an offline classifier
that ships its model in its package (97 languages, ~1 ms a text, 0.7 s to load, so loaded only when
an article needs it). Text too short to tell, or not told confidently, is kept: losing an English
article is worse than reading a foreign one.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.lang.en.stop_words import STOP_WORDS

ENGLISH = "en"
ANY = "any"  # build articles in every language

# How much of an article is looked at: its opening is enough to tell its language.
SAMPLE_CHARS = 4000
# Among the sample's words, at least this share of English stop words and at most this share of
# words with letters outside Latin-1 and Latin Extended-A, and the text is English without a model.
_MIN_STOP_SHARE = 0.2
_MAX_FOREIGN_SHARE = 0.1
# Fewer letters than this and nothing is decided: kept.
_MIN_LETTERS = 40
# The classifier must be at least this sure of another language for an article to be skipped.
MIN_CONFIDENCE = 0.9

_WORD = re.compile(r"[^\W\d_]+")


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float] | None:
    """(ISO 639-1 code, confidence) of ``text``'s language, or None when there is too little to tell."""
    sample = text[:SAMPLE_CHARS]
    words = _WORD.findall(sample)
    if sum(len(w) for w in words) < _MIN_LETTERS:
        return None
    stops = sum(1 for w in words if w.lower() in STOP_WORDS)
    foreign = sum(1 for w in words if any(ord(ch) > 0x17F for ch in w))
    if stops >= _MIN_STOP_SHARE * len(words) and foreign <= _MAX_FOREIGN_SHARE * len(words):
        return ENGLISH, 1.0
    code, confidence = _identifier().classify(sample)
    return str(code), float(confidence)


def foreign_language(text: str) -> tuple[str, float] | None:
    """(code, confidence) when ``text`` is confidently not English; None when it is, or may be."""
    found = detect(text)
    if found is None or found[0] == ENGLISH or found[1] < MIN_CONFIDENCE:
        return None
    return found
