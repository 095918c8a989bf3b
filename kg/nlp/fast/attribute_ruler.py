"""The model's attribute_ruler, with its Matcher replaced by a lookup per token.

en_core_web_sm's attribute_ruler maps each fine-grained tag to its part of speech and morphology,
plus a few exceptions by word ("a", "that", "gonna"): 179 patterns, nearly all of one token. spaCy
runs them through its general Matcher, which tests every pattern at every token: nearly as much
as the parser (docs/performance.md, figures behind the code's choices). Here the same patterns are
indexed by the exact tag or word they require, so a token tests only the two or three patterns that
can match it, and what fits is remembered by the token's features (word, tag, dependency, space:
all that a pattern reads). Everything else is spaCy's own: the patterns and normalised
attributes are read from the loaded ruler, matches are found on the Doc as it was before any is
applied (as the Matcher finds them), applied in the ruler's order (a later pattern wins) with
spaCy's ``set_token_attrs``.
tests/test_attribute_ruler.py checks every token attribute against the original on real text.

A pattern this module cannot read (an operator, a predicate other than those below) makes
``use_compiled_ruler`` return False, and the pipeline keeps spaCy's ruler.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.strings import StringStore
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

NAME = "kg_attribute_ruler"

# Token features the model's patterns test, read for the whole Doc at once (Doc.to_array: string
# hashes and 0/1 flags, no Token objects); patterns' values are compared as hashes too.
FEATURES = ("LOWER", "TAG", "DEP", "IS_SPACE")
_SLOT = {name: i for i, name in enumerate(FEATURES)}

Test = Callable[[Sequence[int]], bool]  # on one token's features, in FEATURES order


@dataclass(frozen=True)
class Pattern:
    rule: int  # the ruler's attribute id: later rules win
    tests: tuple[tuple[Test, ...], ...]  # one tuple of tests per token of the pattern


class UnsupportedPatternError(ValueError):
    """A pattern uses something the lookup does not implement."""


def _value(feature: str, value: object, strings: StringStore) -> int:
    if feature == "IS_SPACE":
        if not isinstance(value, bool):
            raise UnsupportedPatternError(f"IS_SPACE {value!r}")
        return int(value)
    if not isinstance(value, str):
        raise UnsupportedPatternError(f"{feature} {value!r}")
    return strings[value] if value else 0  # spaCy stores the empty string as 0


def _test(feature: str, spec: object, strings: StringStore) -> Test:
    if feature not in _SLOT:
        raise UnsupportedPatternError(feature)
    slot = _SLOT[feature]
    if not isinstance(spec, dict):
        wanted = _value(feature, spec, strings)
        return lambda f: f[slot] == wanted
    if len(spec) != 1:
        raise UnsupportedPatternError(str(spec))
    ((op, value),) = spec.items()
    if op == "IN":
        allowed = frozenset(_value(feature, v, strings) for v in value)
        return lambda f: f[slot] in allowed
    if op == "NOT_IN":
        refused = frozenset(_value(feature, v, strings) for v in value)
        return lambda f: f[slot] not in refused
    if op == "REGEX" and feature != "IS_SPACE":
        search = re.compile(value).search
        seen: dict[int, bool] = {}  # by the word's hash: most words repeat (capped: memory stays flat)

        def fits(f: Sequence[int]) -> bool:
            key = f[slot]
            found = seen.get(key)
            if found is None:
                found = bool(search(strings[key] if key else ""))
                if len(seen) < 50_000:
                    seen[key] = found
            return found

        return fits
    raise UnsupportedPatternError(op)


def _keys(token_spec: dict, strings: StringStore) -> list[tuple[int, int]]:
    """The exact (feature slot, value) keys a token must have for the pattern to match at it, from
    its most selective feature (a word before a tag): one for an exact value, one per listed value
    for IN, none (test at every token) for the rest."""
    for feature in FEATURES:
        spec = token_spec.get(feature)
        if isinstance(spec, str | bool):
            return [(_SLOT[feature], _value(feature, spec, strings))]
        if isinstance(spec, dict) and set(spec) == {"IN"}:
            return [(_SLOT[feature], _value(feature, v, strings)) for v in spec["IN"]]
    return []


# Token feature tuples remembered with what fits them (below); a text's tokens repeat a few
# thousand distinct tuples, so the cap only bounds memory on an unusual stream.
MEMO_SIZE = 100_000

# What fits at a token, from its features alone: the rules of the one-token patterns that match it,
# and the longer patterns whose first token matches it (their other tokens are checked in place).
AtToken = tuple[tuple[int, ...], tuple[Pattern, ...]]


class CompiledAttributeRuler:
    """A pipeline component doing what the model's AttributeRuler does, token by token."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.attrs = ruler.attrs  # normalised {attribute id: value id}, as spaCy sets them
        self.indices = ruler.indices  # per rule: which token of a match gets the attributes (may be < 0)
        self.indexed: dict[tuple[int, int], list[Pattern]] = {}
        self.everywhere: list[Pattern] = []
        self.memo: dict[tuple[int, ...], AtToken] = {}
        strings = ruler.vocab.strings
        for rule in range(len(ruler.attrs)):
            for token_specs in ruler.matcher.get(str(rule))[1]:
                if any(set(spec) - set(FEATURES) for spec in token_specs):
                    raise UnsupportedPatternError(str(token_specs))
                tests = tuple(tuple(_test(f, v, strings) for f, v in spec.items()) for spec in token_specs)
                pattern = Pattern(rule, tests)
                keys = _keys(token_specs[0], strings)
                for key in keys:
                    self.indexed.setdefault(key, []).append(pattern)
                if not keys:
                    self.everywhere.append(pattern)

    def at_token(self, features: tuple[int, ...]) -> AtToken:
        """What fits a token with these features (remembered: nearly every token repeats one seen)."""
        found = self.memo.get(features)
        if found is None:
            lower, tag, dep, is_space = features
            none = ()
            candidates = (
                *self.indexed.get((0, lower), none),
                *self.indexed.get((1, tag), none),
                *self.indexed.get((2, dep), none),
                *self.indexed.get((3, is_space), none),
                *self.everywhere,
            )
            fitting = [p for p in candidates if all(test(features) for test in p.tests[0])]
            found = (
                tuple(sorted({p.rule for p in fitting if len(p.tests) == 1})),
                tuple(p for p in fitting if len(p.tests) > 1),
            )
            if len(self.memo) < MEMO_SIZE:
                self.memo[features] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        features = [tuple(f) for f in doc.to_array(list(FEATURES)).tolist()] if len(doc) else []
        matches: list[tuple[int, int, int]] = []
        for start, feats in enumerate(features):
            rules, longer = self.at_token(feats)
            matches += [(rule, start, start + 1) for rule in rules]
            for pattern in longer:
                end = start + len(pattern.tests)
                if end <= len(features) and _rest_fits(pattern, features[start + 1 : end]):
                    matches.append((pattern.rule, start, end))
        # The ruler's order: a later rule wins (each match once, as the Matcher reports it once).
        for rule, start, end in sorted(set(matches)):
            index = self.indices[rule]
            set_token_attrs(doc[start + index if index >= 0 else end + index], self.attrs[rule])
        return doc


def _rest_fits(pattern: Pattern, tokens: list[tuple[int, ...]]) -> bool:
    """Do ``tokens`` match the pattern's tokens after its first (which ``at_token`` checked)?"""
    return all(test(feats) for feats, tests in zip(tokens, pattern.tests[1:], strict=True) for test in tests)


@Language.factory(NAME)
def make_compiled_ruler(nlp: Language, name: str) -> CompiledAttributeRuler:
    """Built from the model's own ``attribute_ruler``, which it replaces (see ``use_compiled_ruler``)."""
    return CompiledAttributeRuler(nlp.get_pipe("attribute_ruler"))


def use_compiled_ruler(nlp: Language) -> bool:
    """Put the lookup ruler in place of ``nlp``'s attribute_ruler; False (nothing changed) if the
    model has none or one of its patterns is beyond the lookup."""
    if not isinstance(dict(nlp.pipeline).get("attribute_ruler"), AttributeRuler):
        return False
    try:
        nlp.add_pipe(NAME, before="attribute_ruler")
    except UnsupportedPatternError:
        return False
    nlp.remove_pipe("attribute_ruler")
    return True
