"""PhraseTable: longest match at a token and ending before a token, through the first/last-token index."""

from __future__ import annotations

import pytest

from kg.nlp.lexicon import Entry, PhraseTable, lexicon, tokenize

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

    from kg.nlp.lexicon import is_english

    assert is_english(spacy.blank("en").tokenizer)
    assert is_english(nlp.tokenizer)  # the model's: build_nlp lends it to the tables
    assert not is_english(spacy.blank("de").tokenizer)
    changed = spacy.blank("en").tokenizer
    changed.add_special_case("Sen.Smith", [{"ORTH": "Sen."}, {"ORTH": "Smith"}])
    assert not is_english(changed)


def test_lexicon_adopts_an_english_tokenizer_only_before_one_is_chosen(monkeypatch) -> None:
    import spacy

    from kg.nlp import lexicon as lexicon_module

    monkeypatch.setattr(lexicon_module, "_tokenizers", [])
    german = spacy.blank("de").tokenizer
    assert not lexicon_module.adopt_tokenizer(german)
    first, second = spacy.blank("en").tokenizer, spacy.blank("en").tokenizer
    assert lexicon_module.adopt_tokenizer(first)
    assert not lexicon_module.adopt_tokenizer(second)
    assert lexicon_module.english_tokenizer() is first


def test_lexicon_cache_gives_back_the_tables_it_was_given(tmp_path, monkeypatch) -> None:
    from kg.nlp import lexicon as lexicon_module

    built = lexicon_module.cached_lexicon(tmp_path)  # nothing cached yet: built, then written
    assert [p.name.startswith("lexicon-") for p in tmp_path.iterdir()] == [True]

    def no_build() -> None:
        raise AssertionError("built again although the cache holds the tables")

    monkeypatch.setattr(lexicon_module, "_build_lexicon", no_build)
    again = lexicon_module.cached_lexicon(tmp_path)
    assert again == built and again is not built
    assert again.gazetteer.match_at(["the", "Republic", "of", "Norway"], 1) == built.gazetteer.match_at(
        ["the", "Republic", "of", "Norway"], 1
    )


def test_lexicon_cache_builds_again_over_a_damaged_file(tmp_path) -> None:
    from kg.nlp import lexicon as lexicon_module

    path = tmp_path / f"lexicon-{lexicon_module.cache_key()}.pickle"
    path.write_bytes(b"\x80\x05 not a pickle")  # e.g. a disk that filled up mid-write elsewhere
    lex = lexicon_module.cached_lexicon(tmp_path)
    assert lex == lexicon_module.lexicon()
    assert lexicon_module.cached_lexicon(tmp_path) == lex  # the file was written again, whole
    assert path.stat().st_size > 1_000_000


def test_lexicon_cache_that_cannot_be_written_only_costs_a_build(tmp_path) -> None:
    from kg.nlp import lexicon as lexicon_module

    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    assert lexicon_module.cached_lexicon(blocked / "cache") == lexicon_module.lexicon()
    assert lexicon_module.cached_lexicon(None) == lexicon_module.lexicon()


def test_lexicon_cache_key_changes_with_any_resource(tmp_path) -> None:
    from importlib import resources

    from kg.nlp.lexicon import cache_key

    shipped = resources.files("kg.nlp") / "resources"
    copy = tmp_path / "resources"
    copy.mkdir()
    for path in shipped.iterdir():
        if path.name.endswith(".jsonl"):
            (copy / path.name).write_bytes(path.read_bytes())
    assert cache_key(copy) == cache_key()
    countries = copy / "gazetteer.countries.jsonl"
    countries.write_text(countries.read_text(encoding="utf-8") + "\n// a note\n", encoding="utf-8")
    assert cache_key(copy) != cache_key()


@pytest.mark.parametrize(
    ("environ", "want"),
    [
        ({"KG_CACHE_DIR": "/srv/kg-cache"}, "/srv/kg-cache"),
        ({"KG_CACHE_DIR": ""}, None),  # set empty: no cache
        ({"XDG_CACHE_HOME": "/var/cache/u"}, "/var/cache/u/diplomacy-kg"),
        ({}, "~/.cache/diplomacy-kg"),
    ],
)
def test_lexicon_cache_dir_from_the_environment(monkeypatch, environ, want) -> None:
    from pathlib import Path

    from kg.nlp.lexicon import cache_dir

    for name in ("KG_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert cache_dir() == (Path(want).expanduser() if want else None)
