"""PhraseTable: longest match at a token and ending before a token, through the first/last-token index."""

from __future__ import annotations

import pytest

from kg.lexicon import Entry, PhraseTable, lexicon, tokenize

A, B, C = Entry("ROLE", "a", "r.a"), Entry("ROLE", "b", "r.b"), Entry("COUNTRY", "c", "r.c", exact="US")


def table() -> PhraseTable:
    t = PhraseTable()
    t.add(("minister",), A)
    t.add(("minister", "of", "energy"), B)
    t.add(("US",), C)
    return t


@pytest.mark.parametrize(
    ("texts", "i", "end", "want"),
    [
        (["the", "Minister", "of", "Energy", "spoke"], 1, None, (3, B)),
        (["the", "Minister", "of", "Energy"], 1, 3, (1, A)),  # the long phrase runs past end
        (["the", "minister", "of", "finance"], 1, None, (1, A)),
        (["the", "US", "side"], 1, None, (1, C)),
        (["tell", "us", "more"], 1, None, None),  # exact-case entry
        (["energy", "minister"], 0, None, None),
        (["minister"], 1, None, None),
    ],
)
def test_lexicon_match_at_longest(texts, i, end, want) -> None:
    assert table().match_at(texts, i, end) == want


@pytest.mark.parametrize(
    ("texts", "end", "start", "want"),
    [
        (["Minister", "of", "Energy", "Lena"], 3, 0, (3, B)),
        (["Minister", "of", "Energy", "Lena"], 3, 1, None),  # would start before ``start``
        (["the", "Minister", "Lena"], 2, 0, (1, A)),
        (["Lena"], 0, 0, None),
    ],
)
def test_lexicon_match_ending_longest(texts, end, start, want) -> None:
    assert table().match_ending(texts, end, start) == want


def test_lexicon_formal_republic_name_for_every_country() -> None:
    hit = lexicon().gazetteer.match_at(["the", "Republic", "of", "Norway"], 1)
    assert hit is not None and hit[0] == 3 and hit[1].key == "country:norway"


def test_lexicon_add_keeps_one_entry_per_phrase_and_the_longest_length() -> None:
    t = PhraseTable()
    t.add(("Minister", "of", "Energy"), B)
    t.add(("minister", "of", "energy"), B)  # same phrase after folding, same entry: kept once
    t.add(("minister",), A)
    assert t.phrases[("minister", "of", "energy")] == [B]
    assert (t.maxlen, t.by_first["minister"], t.by_last["energy"]) == (3, (3, 1), (3,))


@pytest.mark.parametrize(("phrase", "tokens"), [("Azerbaijan's", ("Azerbaijan", "'s")), ("dr.", ("dr", "."))])
def test_lexicon_tokenize_is_cached_and_immutable(phrase: str, tokens: tuple[str, ...]) -> None:
    assert tokenize(phrase) == tokens
    assert tokenize(phrase) is tokenize(phrase)  # built once: the tables ask for it thousands of times


def test_lexicon_tokenizer_rules_are_englishs_in_the_model_and_not_in_others(nlp) -> None:
    import spacy

    from kg.lexicon import is_english

    assert is_english(spacy.blank("en").tokenizer)
    assert is_english(nlp.tokenizer)  # the model's: build_nlp lends it to the tables
    assert not is_english(spacy.blank("de").tokenizer)
    changed = spacy.blank("en").tokenizer
    changed.add_special_case("Sen.Smith", [{"ORTH": "Sen."}, {"ORTH": "Smith"}])
    assert not is_english(changed)


def test_lexicon_adopts_an_english_tokenizer_only_before_one_is_chosen(monkeypatch) -> None:
    import spacy

    from kg import lexicon as lexicon_module

    monkeypatch.setattr(lexicon_module, "_tokenizers", [])
    german = spacy.blank("de").tokenizer
    assert not lexicon_module.adopt_tokenizer(german)
    first, second = spacy.blank("en").tokenizer, spacy.blank("en").tokenizer
    assert lexicon_module.adopt_tokenizer(first)
    assert not lexicon_module.adopt_tokenizer(second)
    assert lexicon_module.english_tokenizer() is first
