"""Names as kg compares and mints them: the one home of folding, slugs, lookup keys and content hashes.

- ``fold``: transliterated to ASCII and lower case (anyascii), what every comparison of names starts from;
- ``ascii_words``: the folded text as single-spaced words, punctuation dropped (the evaluation and the
  linker compare names so);
- ``slug``: the one hyphenated form of IRIs (kg/graph/rdf.py) and entity keys (the gazetteers',
  kg/nlp/lexicon.py): Azerbaijani ə read as a and apostrophes dropped, as an English text spells
  such names; never empty (``key_slug`` is the same rule, empty for a name without letters);
- ``label_key``: a label as saved queries look it up (dkg:key);
- ``translit_key``: the key of one word of a name, the same for the spellings transliterations give
  it ("Qasym"/"Kassym", "Toqtarov"/"Toktarov", "Əliyev"/"Aliyev"). The resolver groups mentions of a
  person by it (kg/nlp/resolve.py) and the linker compares our names with Wikidata's by it
  (kg/link), so the two can never disagree on whether two spellings are one name;
- ``content_hash``: the short sha256 that names an article and every node minted from content.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

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
    """The one slug of IRIs and entity keys: ASCII-folded, lower-case, hyphenated, ə read as a,
    apostrophes dropped, never empty: 'Nurlan Abay-Kyzy' -> 'nurlan-abay-kyzy', "Côte d'Ivoire" ->
    'cote-divoire'. Keys and labels go through the same rule, so an entity named by its key (the
    gazetteer's) and one named by its label (a person's) get the IRI their name reads as."""
    return key_slug(text) or "x"


def key_slug(text: str) -> str:
    """``slug`` that may be empty (a key is made only of a name that has letters)."""
    folded = fold(text.translate(SCHWA)).replace("'", "").replace("’", "")
    return _NOT_ALNUM.sub("-", folded).strip("-")


def label_key(text: str) -> str:
    """The lookup key of a label or of a name given as a query parameter: lower case, single spaces.

    Saved queries match a name parameter exactly against dkg:key, an index lookup, where
    ``FILTER(LCASE(STR(?name)) = ...)`` scanned every label in the store.
    """
    return " ".join(text.split()).lower()


# Letters of Azerbaijani and Turkish that anyascii reads otherwise than English texts spell them.
_TURKIC = {**SCHWA, **str.maketrans({"ı": "i", "İ": "I", "ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch"})}
# Azerbaijani's Latin alphabet writes kh as x (Xəlilov / Khalilov); other spellings keep their x
# (Ximena, Alexander). A word with a letter of that alphabet that English lacks is spelt in it.
_AZERBAIJANI = re.compile("[əƏıİğĞşŞçÇöÖüÜ]")
# Spellings of one sound in English, Azerbaijani, Kazakh, Russian, Turkish and Uzbek
# transliterations, folded to one spelling; applied in this order. The key stays close to the
# English spelling (it ends the person's IRI): only what transliterations really vary is folded.
_TRANSLIT = (
    (re.compile(r"dzh|dj|zh"), "j"),  # Zhomart / Jomart, Sirodjiddin / Sirojiddin
    (re.compile(r"kh"), "h"),
    (re.compile(r"gh"), "g"),  # Aghayev / Agayev
    (re.compile(r"q|^g"), "k"),  # Toqtarov / Toktarov; Qafarova / Gafarova, Quliyev / Kuliev
    (re.compile(r"ph"), "f"),
    (re.compile(r"w"), "v"),
    (re.compile(r"ou"), "u"),
    (re.compile(r"iy"), "y"),  # Aliyev / Alyev
    (re.compile(r"ie"), "ye"),  # Aliev / Alyev
    (re.compile(r"ei$"), "ey"),  # Sergei / Sergey, Andrei / Andrey
    (re.compile(r"([a-z])\1+"), r"\1"),  # Kassym / Kasym
    (re.compile(r"(?<=[b-df-hj-np-tv-xz])y(?=[b-df-hj-np-tv-xz])"), "i"),  # Kasym / Kasim
    (re.compile(r"(?<=[aeiou])y(?=ev)"), ""),  # Toktayev / Toktaev
)
_NAME_WORDS = re.compile(r"[\s\-]+")


@lru_cache(maxsize=1 << 14)
def translit_key(word: str) -> str:
    """One word of a name folded so that its transliterations agree: 'Toqtaev', 'Toktayev' -> 'toktaev'."""
    if _AZERBAIJANI.search(word):
        word = word.replace("x", "kh").replace("X", "Kh")
    key = _NOT_ALNUM.sub("", fold(word.translate(_TURKIC)))
    for pattern, repl in _TRANSLIT:
        key = pattern.sub(repl, key)
    return key


def translit_words(name: str) -> list[str]:
    """``translit_key`` of every word of ``name`` (words split at spaces and hyphens)."""
    return [key for word in _NAME_WORDS.split(name) if (key := translit_key(word))]


def content_hash(text: str | bytes, length: int = 16) -> str:
    """The first ``length`` hex digits of the sha256 of ``text`` (UTF-8): the article id, and the
    name of every node minted from content, so that a rebuild mints the same IRIs."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()[:length]
