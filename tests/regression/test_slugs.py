"""Issue 22: a person's IRI drifted from the name the graph shows (kasimbek-ospanov for
"Kassymbek Ospanov"): it was the slug of a transliteration key, or of a group's first key.

graph/canonical now names every person after the slug of its preferred label
(kg/graph/merge.py ``name_persons``), whatever the order, chunks or removals the articles came in.
``canonical.slug_mismatches`` counts the persons, institutions, countries and places whose IRI is
not the slug of their skos:prefLabel. The names, countries and articles are invented.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from factories import export_nquads

from kg import pipeline
from kg.graph import merge
from kg.graph.canonical import slug_mismatches
from kg.graph.rdf import entity_iri, to_triples
from kg.graph.store import Store
from kg.nlp.facts import Article, DocFacts, Entity, Evidence, Office, OfficeHolding
from kg.nlp.resolve import person_key
from kg.settings import Settings

CANONICAL = "https://w3id.org/diplomacy-kg/graph/canonical"
PERSON = "https://w3id.org/diplomacy-kg/id/person/"


def _facts(article_id: str, *names: str) -> DocFacts:
    """One article naming each of ``names`` (keyed as kg_resolve keys them; "-Name": a surname
    alone) as a minister."""
    text = " ".join(n.lstrip("-") for n in names)
    article = Article(id=article_id, stem=article_id, path=f"{article_id}.txt", text=text)
    ev = Evidence(article_id, 0, 0, len(text), text, "test")
    office = Office(role="Minister", label="Minister")
    # A surname alone (no given name before it) keeps a one-word key, as kg_resolve gives it.
    keys = [person_key(n) if n[0] != "-" else person_key(n[1:]).replace("-", "") for n in names]
    names = tuple(n.lstrip("-") for n in names)
    return DocFacts(
        article=article,
        entities=[
            Entity(key=k, kind="person", label=n, evidence=[ev]) for k, n in zip(keys, names, strict=True)
        ],
        office_holdings=[OfficeHolding(person=k, office=office, evidence=[ev]) for k in keys],
    )


# Two spellings of one invented minister (two keys that merge), the first given by two articles;
# a second minister in one spelling whose key folds it (dzh -> j, ss -> s); a surname alone.
ARTICLES = [
    _facts("a" * 16, "Kassym-Bek Toraigyrov", "Dzhamila Ossipova"),
    _facts("b" * 16, "Kasym-Bek Toraygyrov"),
    _facts("c" * 16, "Kassym-Bek Toraigyrov", "-Toraigyrov"),
]


def _persons(store: Store) -> dict[str, set[str]]:
    """Each canonical person's IRI slug -> its preferred labels."""
    rows = store.select(
        f"SELECT ?p ?l WHERE {{ GRAPH <{CANONICAL}> {{ ?p a dkg:Person ; skos:prefLabel ?l }} }}"
    )
    out: dict[str, set[str]] = {}
    for p, label in rows:
        out.setdefault(str(p)[len(PERSON) :], set()).add(str(label))
    return out


def _write(path: Path, order: list[DocFacts], settle_each: bool) -> None:
    with Store(path) as store:
        store.mark_canonical_current()
        for facts in order:
            store.replace_article(facts.article.id, to_triples(facts))
            if settle_each:
                merge.settle(store)
        merge.settle(store)


def test_slugs_keys_fold_the_names_the_graph_shows():
    # The error class: the article-level key is not the slug of the name (what the IRI showed).
    for name in ("Kassym-Bek Toraigyrov", "Dzhamila Ossipova"):
        assert entity_iri(person_key(name)) != entity_iri(f"person:{name}")


@pytest.mark.parametrize("settle_each", [False, True])
def test_slugs_person_iri_is_its_preferred_label_in_any_order(tmp_path, settle_each):
    exports = set()
    for n, order in enumerate(itertools.permutations(ARTICLES)):
        path = tmp_path / f"store{n}"
        _write(path, list(order), settle_each)
        with Store(path, read_only=True) as store:
            assert slug_mismatches(store) == []
            assert _persons(store) == {
                "kassym-bek-toraigyrov": {"Kassym-Bek Toraigyrov"},  # the spelling two articles give
                "dzhamila-ossipova": {"Dzhamila Ossipova"},  # alone, renamed from its folded key
            }
        exports.add(export_nquads(path))
    assert len(exports) == 1


def test_slugs_rebuild_gives_the_graph_the_writes_gave(tmp_path):
    _write(tmp_path / "store", ARTICLES, settle_each=True)
    written = export_nquads(tmp_path / "store")
    with Store(tmp_path / "store") as store:
        store.rebuild_canonical()
        assert slug_mismatches(store) == []
    assert export_nquads(tmp_path / "store") == written


def test_slugs_follow_the_vote_when_an_article_goes(tmp_path):
    # Without the two articles of "Kassym-Bek Toraigyrov", the other spelling is the person's name,
    # and its IRI with it; with them back, the graph is the one built at once.
    _write(tmp_path / "whole", ARTICLES, settle_each=False)
    _write(tmp_path / "store", ARTICLES, settle_each=False)
    with Store(tmp_path / "store") as store:
        for facts in (ARTICLES[0], ARTICLES[2]):
            store.remove_article(facts.article.id)
        merge.settle(store)
        assert _persons(store) == {"kasym-bek-toraygyrov": {"Kasym-Bek Toraygyrov"}}
        assert slug_mismatches(store) == []
        for facts in (ARTICLES[2], ARTICLES[0]):
            store.replace_article(facts.article.id, to_triples(facts))
        merge.settle(store)
    assert export_nquads(tmp_path / "store") == export_nquads(tmp_path / "whole")


def test_slugs_surname_alone_keeps_voting_for_its_own_spelling(tmp_path):
    # A person known by a two-word surname alone has a one-word key ("person:alqasiri"): renamed to
    # its label's slug, its label is still its name (not an altLabel of nobody).
    with Store(tmp_path / "store") as store:
        store.mark_canonical_current()
        facts = _facts("d" * 16, "-Al Qasiri")
        store.replace_article(facts.article.id, to_triples(facts))
        merge.settle(store)
        assert _persons(store) == {"al-qasiri": {"Al Qasiri"}}


@pytest.mark.parametrize("settle_each", [False, True])
def test_slugs_initials_join_the_full_name_and_never_name_the_person(tmp_path, settle_each):
    # "S Venkatesan" in two articles, "Sunil Venkatesan" in one: one person, named by the full name
    # (a name with an initial does not vote), in every order.
    articles = [
        _facts("e" * 16, "S Venkatesan"),
        _facts("f" * 16, "S Venkatesan"),
        _facts("0" * 16, "Sunil Venkatesan"),
    ]
    exports = set()
    for n, order in enumerate(itertools.permutations(articles)):
        path = tmp_path / f"store{n}"
        _write(path, list(order), settle_each)
        with Store(path, read_only=True) as store:
            assert _persons(store) == {"sunil-venkatesan": {"Sunil Venkatesan"}}
            assert slug_mismatches(store) == []
        exports.add(export_nquads(path))
    assert len(exports) == 1


# -- through the model: invented articles in several spellings, built in several ways -----------

TEXTS = {
    "sl1": """Valdorian Foreign Minister meets Kestrian counterpart

12 March 2024

Foreign Minister of Valdoria Kassym-Bek Toraigyrov held talks with
Kestrian Foreign Minister Dzhamila Ossipova in Brussels on 12 March 2024.
The ministers discussed trade and energy.
""",
    "sl2": """Ministers of Valdoria and Kestria discuss energy

13 March 2024

Foreign Minister of Valdoria Kasym-Bek Toraygyrov met with
Kestrian Foreign Minister Dzhamila Ossipova in Brussels on Tuesday, 12 March 2024.
Toraygyrov and Ossipova discussed energy security.
""",
    "sl3": """Valdorian minister receives ambassador

20 March 2024

Foreign Minister Kassym-Bek Toraigyrov received the Ambassador of Kestria to Valdoria,
Pieter Vandamme, on 19 March 2024. Minister Toraigyrov and Ambassador Vandamme discussed a visit.
""",
}


def test_slugs_built_articles_in_several_orders(nlp, monkeypatch, tmp_path):
    monkeypatch.setattr(pipeline, "build_nlp", lambda settings=None: nlp)
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in TEXTS.items():
        (docs / f"{name}.txt").write_text(text, encoding="utf-8")
    paths = sorted(docs.glob("*.txt"))
    exports = set()
    for n, order in enumerate([paths, paths[::-1], [paths[1], paths[2], paths[0]]]):
        store = tmp_path / f"store{n}"
        if n == 0:
            pipeline.build(order, Settings(store=store))
        else:
            for path in order:  # one build per article
                pipeline.build([path], Settings(store=store))
        with Store(store, read_only=True) as opened:
            assert slug_mismatches(opened) == []
            persons = _persons(opened)
        assert "kassym-bek-toraigyrov" in persons and "dzhamila-ossipova" in persons
        exports.add(export_nquads(store))
    assert len(exports) == 1
