"""spaCy's Matcher, run only where one of its patterns can start.

The Matcher tests every pattern at every token (docs/performance.md has the cost for kg_events'
trigger rules), though a trigger word ("met", "visit", "talks") occurs a few times in an article.
Every trigger pattern begins with a token that must have a given lemma or lower-case form, so the
tokens where a match can start are found at once from the Doc's arrays (string hashes, no Token
objects), and a Matcher of only the patterns that token can start runs on a short window from it,
as long as the longest match those patterns allow. The matches are spaCy's own, and the same set
as over the whole Doc (tests/test_anchored_matcher.py); they come sorted by (start, end, key)
rather than in the order the Matcher completes them.

A pattern that can start anywhere (no such first token, or a first token that may be skipped) or
that has no longest match (``*``, ``+``, ``{n,}``) makes the whole Doc go through the Matcher.
"""

from __future__ import annotations

import re

import numpy
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

# First-token attributes a start can be found by, read with Doc.to_array.
ANCHORS = ("LEMMA", "LOWER", "ORTH")
_REPEAT = re.compile(r"\{(\d*)(,?)(\d*)\}")

Match = tuple[int, int, int]  # (key, start, end), Doc offsets


class AnchoredMatcher:
    """Matcher.add / __call__ for patterns given as lists of token dicts."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.matcher = Matcher(vocab, validate=True)
        self.anchors: dict[str, set[int]] = {attr: set() for attr in ANCHORS}
        self.longest = 0  # tokens in the longest possible match; 0: match the whole Doc
        self.anywhere = False  # some pattern has no anchor or no longest match
        # The anchors as Doc.to_array reads them: the attributes some pattern starts with, and
        # each one's hashes as an array (made again only when a pattern is added).
        self._attrs: list[str] = []
        self._hashes: list[numpy.ndarray] = []
        # Each anchored pattern (key, pattern, longest match), and which of them each first-token
        # value (attribute, hash) starts; a window is matched only by the patterns its first token
        # can start, with a Matcher made once for each such set of patterns.
        self._patterns: list[tuple[str, list[dict], int]] = []
        self._starting: dict[tuple[str, int], set[int]] = {}
        self._matchers: dict[frozenset[int], tuple[Matcher, int]] = {}

    def add(self, key: str, patterns: list[list[dict]]) -> None:
        self.matcher.add(key, patterns)
        for pattern in patterns:
            anchor, longest = _anchor(pattern), _longest(pattern)
            if anchor is None or longest is None:
                self.anywhere = True
                continue
            attr, values = anchor
            hashes = {self.vocab.strings.add(v) for v in values}
            self.anchors[attr] |= hashes
            self.longest = max(self.longest, longest)
            for value in hashes:
                self._starting.setdefault((attr, value), set()).add(len(self._patterns))
            self._patterns.append((key, pattern, longest))
        self._attrs = [a for a in ANCHORS if self.anchors[a]]
        self._hashes = [numpy.array(sorted(self.anchors[a]), dtype="uint64") for a in self._attrs]
        self._matchers = {}

    def _matcher_for(self, chosen: frozenset[int]) -> tuple[Matcher, int]:
        """A Matcher of only the ``chosen`` patterns, and the longest match they allow."""
        found = self._matchers.get(chosen)
        if found is None:
            matcher = Matcher(self.vocab)
            for index in sorted(chosen):
                key, pattern, _ = self._patterns[index]
                matcher.add(key, [pattern])
            found = self._matchers[chosen] = (matcher, max(self._patterns[i][2] for i in chosen))
        return found

    def __call__(self, doc: Doc) -> list[Match]:
        if self.anywhere:
            return sorted(self.matcher(doc), key=_order)
        if not len(doc):
            return []
        columns = doc.to_array(self._attrs).reshape(len(doc), len(self._attrs))
        hit = numpy.zeros(len(doc), dtype=bool)
        for column, hashes in enumerate(self._hashes):
            hit |= numpy.isin(columns[:, column], hashes)
        found: set[Match] = set()
        for start in numpy.flatnonzero(hit).tolist():
            # Only the patterns this token can start: the whole set tried at every token of the
            # window cost ten times the matches' own work (docs/performance.md, figures behind the
            # code's choices).
            chosen: set[int] = set()
            for column, attr in enumerate(self._attrs):
                chosen |= self._starting.get((attr, int(columns[start, column])), set())
            matcher, longest = self._matcher_for(frozenset(chosen))
            window = doc[start : min(len(doc), start + longest)]
            found |= {(key, start, start + e) for key, s, e in matcher(window) if s == 0}
        return sorted(found, key=_order)


def _order(match: Match) -> tuple[int, int, int]:
    key, start, end = match
    return (start, end, key)


def _anchor(pattern: list[dict]) -> tuple[str, list[str]] | None:
    """(attribute, values) the pattern's first token must have, if it must be there at all."""
    if not pattern or _may_skip(pattern[0].get("OP")):
        return None
    for attr in ANCHORS:
        spec = pattern[0].get(attr)
        if isinstance(spec, str):
            return attr, [spec]
        if isinstance(spec, dict) and set(spec) == {"IN"} and all(isinstance(v, str) for v in spec["IN"]):
            return attr, list(spec["IN"])
    return None


def _may_skip(op: str | None) -> bool:
    """Can a token pattern with this operator match no token (so a match starts after it)?"""
    if op is None or op == "+":
        return False
    repeat = _REPEAT.fullmatch(op)
    if repeat:
        return repeat.group(1) in ("", "0")
    return True  # "?", "*", "!" and anything unknown


def _longest(pattern: list[dict]) -> int | None:
    """The most tokens a match of the pattern can cover, or None when unbounded."""
    total = 0
    for token in pattern:
        op = token.get("OP")
        if op in (None, "!", "?"):
            total += 1
            continue
        repeat = _REPEAT.fullmatch(op or "")
        if op in ("*", "+") or repeat is None:
            return None
        low, comma, high = repeat.groups()
        if comma and not high:
            return None  # {n,}
        total += int(high or low)
    return total
