"""The memoising lemmatizer gives every token exactly the lemma the model's own lemmatizer gives it."""

from pathlib import Path

import pytest
import spacy
from factories import EDGE_TEXTS, model_pair, token_attrs

from bench.generate import generate
from kg.nlp.fast.lemmatizer import NAME, use_memo_lemmatizer

# Inflected and base forms of the same words (the model recomputes base forms, memoises the rest),
# words the attribute_ruler lemmatises itself ("gonna", "'s"), proper nouns, whitespace tokens.
HARD_TEXTS = [
    "She met him; they meet again. The meetings were held, meeting after meeting, as he holds them.",
    "He's gonna visit Astana's older, oldest and better parts.  The ministers' talks went well.\n\n\tOK",
    "Visited, visiting, visits: the visit. Was, were, been, being, is, am, are. Children ran.",
    *EDGE_TEXTS,
]


@pytest.fixture(scope="module")
def pair():
    return model_pair(use_memo_lemmatizer)


def test_lemmatizer_replaces_the_models_in_place(pair):
    original, memo = pair
    where = original.pipe_names.index("lemmatizer")
    assert memo.pipe_names == [*original.pipe_names[:where], NAME, *original.pipe_names[where + 1 :]]


def test_lemmatizer_same_lemmas(pair, seed_dir: Path):
    original, memo = pair
    texts = HARD_TEXTS + [p.read_text(encoding="utf-8") for p in sorted(seed_dir.iterdir())]
    texts += [a.text for a in generate(40, seed=11)]
    # Twice: the second pass reads every form from the memo.
    for _ in range(2):
        for text, want, got in zip(texts, original.pipe(texts), memo.pipe(texts), strict=True):
            assert token_attrs(got) == token_attrs(want), text[:80]
    assert memo.get_pipe(NAME).memo


@pytest.mark.parametrize("config", [{"mode": "lookup"}, {"mode": "rule", "overwrite": True}])
def test_lemmatizer_kept_when_it_is_not_a_rule_lemmatizer_that_keeps_set_lemmas(config):
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config=config)
    assert not use_memo_lemmatizer(nlp)
    assert nlp.pipe_names == ["lemmatizer"]
