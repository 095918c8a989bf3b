"""The lookup attribute ruler gives every token exactly what the model's own ruler gives it."""

from pathlib import Path

import pytest
import spacy
from factories import EDGE_TEXTS, model_pair, token_attrs

from bench.generate import generate
from kg.nlp.fast.attribute_ruler import NAME, use_compiled_ruler
from kg.settings import DEFAULT_MODEL

# Text that exercises the ruler's word exceptions, its two-token patterns (gonna, y'all, ain't,
# let's, "there is"), its regex patterns and its whitespace tokens.
HARD_TEXTS = [
    "Y'all gonna see: it ain't over.  There is a   cat. Let's go, c'mon! That was what that man "
    "said, but  he gotta go.\n\n\tOK",
    "Something happened to anyone whilst nobody was there; nothin' else, y all.",
    "There are talks. There were two of them, and there's a third. It is what it is.",
    "I'd say that she'll've gone, wouldn't you? Those who can, do; these, not.",
    *EDGE_TEXTS,
]


@pytest.fixture(scope="module")
def pair():
    return model_pair(use_compiled_ruler)


def test_attribute_ruler_replaces_the_models_in_place(pair):
    original, compiled = pair
    assert NAME in compiled.pipe_names and "attribute_ruler" not in compiled.pipe_names
    where = original.pipe_names.index("attribute_ruler")
    assert compiled.pipe_names[where] == NAME
    assert compiled.pipe_names[:where] + compiled.pipe_names[where + 1 :] == [
        n for n in original.pipe_names if n != "attribute_ruler"
    ]


def test_attribute_ruler_same_token_attributes(pair, seed_dir: Path):
    original, compiled = pair
    texts = HARD_TEXTS + [p.read_text(encoding="utf-8") for p in sorted(seed_dir.iterdir())]
    texts += [a.text for a in generate(40, seed=7)]
    for text, want, got in zip(texts, original.pipe(texts), compiled.pipe(texts), strict=True):
        assert token_attrs(got) == token_attrs(want), text[:80]


def test_attribute_ruler_same_attributes_when_nothing_is_remembered(monkeypatch):
    from kg.nlp.fast import attribute_ruler

    monkeypatch.setattr(attribute_ruler, "MEMO_SIZE", 0)  # as once the memo is full
    original, compiled = model_pair(use_compiled_ruler)
    for text, want, got in zip(HARD_TEXTS, original.pipe(HARD_TEXTS), compiled.pipe(HARD_TEXTS), strict=True):
        assert token_attrs(got) == token_attrs(want), text[:80]
    assert compiled.get_pipe(NAME).memo == {}


def test_attribute_ruler_kept_when_a_pattern_is_beyond_the_lookup():
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.get_pipe("attribute_ruler").add([[{"LOWER": "very", "OP": "+"}]], {"POS": "ADV"})
    assert not use_compiled_ruler(nlp)
    assert "attribute_ruler" in nlp.pipe_names and NAME not in nlp.pipe_names


def test_attribute_ruler_nothing_to_replace_in_a_blank_pipeline():
    nlp = spacy.blank("en")
    assert not use_compiled_ruler(nlp)
    assert nlp.pipe_names == []


def test_attribute_ruler_is_in_the_kg_pipeline(nlp):
    assert NAME in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
