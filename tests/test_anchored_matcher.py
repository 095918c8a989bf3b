"""The anchored matcher finds exactly the matches spaCy's Matcher finds over the whole Doc."""

from pathlib import Path

import pytest
from spacy.matcher import Matcher

from bench.generate import generate
from kg.nlp.events.rules import load_rules
from kg.nlp.fast.anchored_matcher import AnchoredMatcher, _longest

# Triggers at the first and last token, next to each other, in phrases of every length a rule
# allows ("signed ... agreement" with up to five words between), and words that only look alike.
HARD_TEXTS = [
    "Met. The ministers met, meets and meeting; talks, talks and state visit visits.",
    "They signed a very important new bilateral agreement, a long and very important new bilateral "
    "agreement, then signed the memorandum.",
    "They signed one two three four five six agreement. Talked by phone; spoke over the phone",
    "official visit",
    "",
    "Visit",
]

EXTRA_PATTERNS = {
    "unanchored": [[{"POS": "PROPN"}, {"LOWER": "visit"}]],
    "optional_first": [[{"LOWER": "the", "OP": "?"}, {"LOWER": "talks"}]],
    "unbounded": [[{"LOWER": "signed"}, {"IS_PUNCT": False, "OP": "+"}, {"LOWER": "agreement"}]],
}


def _texts(seed_dir: Path) -> list[str]:
    texts = HARD_TEXTS + [p.read_text(encoding="utf-8") for p in sorted(seed_dir.iterdir())]
    return texts + [a.text for a in generate(60, seed=5)]


def _pair(nlp, extra: dict[str, list] | None = None) -> tuple[Matcher, AnchoredMatcher]:
    full, anchored = Matcher(nlp.vocab, validate=True), AnchoredMatcher(nlp.vocab)
    patterns = {rule.id: [pattern] for rule, pattern in load_rules()} | (extra or {})
    for key, value in patterns.items():
        full.add(key, value)
        anchored.add(key, value)
    return full, anchored


def test_anchored_matcher_same_matches_as_spacy(nlp, seed_dir: Path):
    full, anchored = _pair(nlp)
    # "talked", up to six words, "by", "the", "telephone" (events.phone_verb)
    assert not anchored.anywhere and anchored.longest == 10
    total = 0
    for doc in nlp.pipe(_texts(seed_dir)):
        got = anchored(doc)
        assert got == sorted(got, key=lambda m: (m[1], m[2], m[0]))
        assert set(got) == set(full(doc)), doc.text[:80]
        total += len(got)
    assert total > 400  # the texts do exercise the rules


@pytest.mark.parametrize("extra", sorted(EXTRA_PATTERNS))
def test_anchored_matcher_matches_everywhere_when_a_pattern_can_start_anywhere(nlp, seed_dir: Path, extra):
    full, anchored = _pair(nlp, {extra: EXTRA_PATTERNS[extra]})
    assert anchored.anywhere
    for doc in nlp.pipe(_texts(seed_dir)[:12]):
        assert set(anchored(doc)) == set(full(doc)), doc.text[:80]


@pytest.mark.parametrize(
    ("pattern", "longest"),
    [
        ([{"LOWER": "a"}], 1),
        ([{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}, {"LOWER": "c", "OP": "!"}], 3),
        ([{"LOWER": "a"}, {"OP": "{0,5}"}, {"LOWER": "b"}], 7),
        ([{"LOWER": "a"}, {"OP": "{3}"}], 4),
        ([{"LOWER": "a"}, {"OP": "{2,}"}], None),
        ([{"LOWER": "a"}, {"OP": "*"}], None),
        ([{"LOWER": "a"}, {"OP": "+"}], None),
    ],
)
def test_anchored_matcher_longest_match(pattern, longest):
    assert _longest(pattern) == longest
