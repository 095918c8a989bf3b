"""bench/generate.py: the benchmark corpus is deterministic, invented, and reads like the seeds."""

from __future__ import annotations

import json

import pytest

from bench.generate import generate, roster, write_corpus
from bench.graphgen import article_quads, to_docfacts

GOLD_NAMES_KEY = "persons"


def test_generate_is_deterministic_for_a_seed():
    first = [a.text for a in generate(20, seed=7)]
    again = [a.text for a in generate(20, seed=7)]
    other = [a.text for a in generate(20, seed=8)]
    assert first == again
    assert first != other


def test_generate_smaller_corpus_is_a_prefix_of_larger():
    assert [a.text for a in generate(5)] == [a.text for a in generate(50)][:5]


def test_generate_articles_are_distinct_and_seed_sized():
    texts = [a.text for a in generate(300)]
    assert len(set(texts)) == 300
    words = [len(t.split()) for t in texts]
    assert min(words) >= 150 and max(words) <= 600


def test_generate_invents_people_not_in_the_gold_file(seed_dir):
    gold = json.loads((seed_dir.parent.parent.parent / "shared" / "gold" / "seeds.json").read_text())
    gold_words = {w for p in gold[GOLD_NAMES_KEY] for n in [p["name"], *p["aliases"]] for w in n.split()}
    surnames = {w for w in gold_words if w[:1].isupper() and len(w) > 3}
    people = roster(0).people()
    assert len({p.name for p in people}) == len(people)
    assert not {p.surname for p in people} & surnames


def test_generate_writes_txt_files(tmp_path):
    paths = write_corpus(3, tmp_path)
    assert [p.name for p in paths] == ["gen0_000000.txt", "gen0_000001.txt", "gen0_000002.txt"]
    assert paths[0].read_text(encoding="utf-8") == next(generate(1)).text


def test_generate_facts_point_at_their_sentences():
    for article in generate(30):
        assert article.events
        for event in article.events:
            sentence = article.sentences[event.sentence]
            assert sentence in article.text
            for name in event.participants:
                person = next(p for p in article.people if p.name == name)
                assert name in sentence or person.honorific in sentence


def test_generate_graph_has_one_named_graph_per_article():
    article = next(generate(1))
    article_id, lines = article_quads(article)
    assert len(lines) > 50
    assert all(line.endswith(f"<https://w3id.org/diplomacy-kg/graph/{article_id}> .") for line in lines)
    assert to_docfacts(article).events[0].participants


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_generate_articles_parse_with_the_pipeline(nlp, index):
    article = list(generate(index + 1))[index]
    doc = nlp(article.text)
    found = {ent.text for ent in doc.ents if ent.label_ == "PERSON"}
    participants = {name for event in article.events for name in event.participants}
    assert len(list(doc.sents)) >= len(article.sentences) // 2
    assert participants & found, (participants, found)
