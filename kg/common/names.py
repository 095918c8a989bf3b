"""Names as kg compares and mints them: the one home of folding, slugs, lookup keys and content hashes.

- ``fold``: transliterated to ASCII and lower case (anyascii), what every comparison of names starts from;
- ``ascii_words``: the folded text as single-spaced words, punctuation dropped (the evaluation and the
  linker compare names so);
- ``slug``: the hyphenated form that ends an IRI (kg/graph/rdf.py), never empty;
- ``key_slug``: the hyphenated form of an entity key (the gazetteers' keys, kg/nlp/lexicon.py):
  Azerbaijani ə read as a and apostrophes dropped, as an English text spells such names;
- ``label_key``: a label as saved queries look it up (dkg:key);
- ``content_hash``: the short sha256 that names an article and every node minted from content.
"""

from __future__ import annotations

import hashlib
import re

from anyascii import anyascii

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# anyascii reads Azerbaijani ə as e; English texts spell such names with a ("Əliyev", "Aliyev").
SCHWA = str.maketrans({"ə": "a", "Ə": "A"})


def fold(text: str) -> str:
    """ASCII, lower case: 'Şuşa Ağalar' -> 'susa agalar'."""
    return anyascii(text).lower()


def ascii_words(text: str) -> str:
    """Folded words separated by single spaces, everything but letters and digits dropped."""
    return " ".join(_NOT_ALNUM.sub(" ", fold(text)).split())


def slug(text: str) -> str:
    """ASCII-folded, lower-case, hyphenated, never empty: 'Nurlan Abay-Kyzy' -> 'nurlan-abay-kyzy'."""
    return _NOT_ALNUM.sub("-", fold(text)).strip("-") or "x"


def key_slug(text: str) -> str:
    """The slug of an entity key: ə read as a, apostrophes dropped ("Côte d'Ivoire" -> 'cote-divoire')."""
    folded = fold(text.translate(SCHWA)).replace("'", "")
    return _NOT_ALNUM.sub("-", folded).strip("-")


def label_key(text: str) -> str:
    """The lookup key of a label or of a name given as a query parameter: lower case, single spaces.

    Saved queries match a name parameter exactly against dkg:key, an index lookup, where
    ``FILTER(LCASE(STR(?name)) = ...)`` scanned every label in the store.
    """
    return " ".join(text.split()).lower()


def content_hash(text: str | bytes, length: int = 16) -> str:
    """The first ``length`` hex digits of the sha256 of ``text`` (UTF-8): the article id, and the
    name of every node minted from content, so that a rebuild mints the same IRIs."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()[:length]
