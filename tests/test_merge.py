"""kg/graph/merge.py: across articles, the graph is a function of the set of documents (issue 19, point 7).

Building articles in one run, in several runs in any order and split, in chunks of any size,
removing one and building it again: every way gives the same store, N-Quad for N-Quad. The articles
are invented (names, places and dates made up), plus generated ones (bench/generate.py) in which
persons are named by surname alone in one article and in full in another.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import SEED_DIR
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import write_corpus
from kg import pipeline
from kg.graph.merge import group_events, group_persons, person_block
from kg.graph.store import Store
from kg.nlp.facts import Article, DocFacts, Entity, Event, Evidence, Office, OfficeHolding
from kg.settings import Settings

# Invented articles: one meeting reported by two outlets (a spelling variant of one name, a day
# given two ways), the same minister by surname alone, a month-dated recollection of the meeting.
INVENTED = {
    "inv1": """Valdorian Foreign Minister meets Kestrian counterpart in Brussels

12 March 2024

Foreign Minister of Valdoria Marek Olszanski held talks with Foreign Minister of Kestria Tove Lindqvar
in Brussels on 12 March 2024. The ministers discussed trade and energy cooperation.
""",
    "inv2": """Ministers of Valdoria and Kestria discuss energy

13 March 2024

Foreign Minister of Valdoria Marek Olshanski met with Foreign Minister of Kestria Tove Lindqvar in
Brussels on Tuesday, 12 March 2024. Olshanski and Lindqvar discussed energy security.
""",
    "inv3": """Valdorian minister receives ambassador

20 March 2024

Foreign Minister Olszanski received the Ambassador of Kestria to Valdoria, Pieter Vandamme, on
19 March 2024. Minister Olszanski and Ambassador Vandamme discussed the visit of a delegation.
""",
    "inv4": """Kestrian minister recalls Brussels talks

2 April 2024

Foreign Minister of Kestria Tove Lindkvar said on Monday that her talks with Valdorian Foreign
Minister Marek Olszanski in March 2024 had been useful. Lindkvar met Prime Minister of Kestria
Anselm Goritz on 1 April 2024.
""",
}
GENERATED = 8


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("merge-corpus")
    for name, text in INVENTED.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    write_corpus(GENERATED, folder, seed=7)
    return sorted(folder.glob("*.txt"))


@pytest.fixture()
def same_model(nlp, monkeypatch):
    """Every build in this module uses the session's model instead of loading its own."""
    monkeypatch.setattr(pipeline, "build_nlp", lambda settings=None: nlp)


def _export(store_path: Path) -> bytes:
    with Store(store_path, read_only=True) as store:
        out = io.BytesIO()
        store.export("nquads", out)
        return out.getvalue()


def _build(paths: list[Path], store: Path) -> None:
    pipeline.build(paths, Settings(store=store))


@pytest.fixture(scope="module")
def reference(corpus, nlp, tmp_path_factory) -> bytes:
    """One build of every article at once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "build_nlp", lambda settings=None: nlp)
        store = tmp_path_factory.mktemp("merge-reference") / "store"
        _build(corpus, store)
    exported = _export(store)
    assert b"mergedInto" in exported  # the corpus has persons and events to merge across articles
    return exported


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_merge_graph_is_a_function_of_the_documents(corpus, reference, same_model, tmp_path_factory, data):
    order = data.draw(st.permutations(corpus), label="order")
    cuts = sorted(data.draw(st.sets(st.integers(1, len(corpus) - 1), max_size=2), label="cuts"))
    chunk = data.draw(st.sampled_from([2, 3, 256]), label="chunk size")
    bulk = data.draw(st.sampled_from([2, 10**9]), label="bulk write from")
    removed = data.draw(st.sampled_from([None, *order]), label="removed and built again")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "CHUNK_SIZE", chunk)
        patch.setattr(pipeline, "BULK_MIN", bulk)
        store = tmp_path_factory.mktemp("merge-order") / "store"
        for start, end in zip([0, *cuts], [*cuts, len(order)], strict=True):
            _build(order[start:end], store)
        if removed is not None:
            pipeline.remove([removed.stem], Settings(store=store))
            _build([removed], store)
    assert _export(store) == reference


def test_merge_seeds_one_article_after_the_others(same_model, tmp_path):
    """The issue's case: 001 built after the other four gave 10 events instead of 8."""
    whole = tmp_path / "whole"
    _build([SEED_DIR], whole)
    later = sorted(SEED_DIR.glob("001_*"))
    assert later
    first = [p for p in sorted(SEED_DIR.iterdir()) if p not in later]
    split = tmp_path / "split"
    _build(first, split)
    _build(later, split)
    assert _export(split) == _export(whole)


def test_merge_seeds_remove_then_build_again(same_model, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(SEED_DIR, docs)
    store = tmp_path / "store"
    _build([docs], store)
    before = _export(store)
    gone = sorted(docs.glob("000_*"))[0]
    pipeline.remove([gone.stem], Settings(store=store))
    assert _export(store) != before
    _build([docs], store)
    assert _export(store) == before


# -- the decisions themselves, on facts built by hand ---------------------------------------------


def test_merge_group_persons_joins_spellings_and_surname():
    keys = ["person:oskar-brenvik", "person:oskar-brennvik", "person:brennvik"]
    assert group_persons(keys, {}) == dict.fromkeys(keys, "person:oskar-brennvik")


def test_merge_group_persons_compares_within_the_surname_block_only():
    # One letter apart, but not the same two first letters of the surname: never compared.
    assert person_block("person:lena-tarvik") != person_block("person:lena-sarvik")
    assert group_persons(["person:lena-tarvik", "person:lena-sarvik"], {}) == {}


def test_merge_group_persons_surname_with_two_fitting_full_names_stays_apart():
    keys = ["person:ida-kovanen", "person:jon-kovanen", "person:kovanen"]
    assert "person:kovanen" not in group_persons(keys, {})


def test_merge_group_persons_joins_initials_to_the_one_fitting_full_name():
    keys = ["person:s-venkatesan", "person:sunil-venkatesan"]
    assert group_persons(keys, {}) == dict.fromkeys(keys, "person:sunil-venkatesan")


def test_merge_group_persons_initials_with_two_fitting_full_names_stay_apart():
    keys = ["person:s-venkatesan", "person:sunil-venkatesan", "person:suresh-venkatesan"]
    assert "person:s-venkatesan" not in group_persons(keys, {})


def test_merge_group_persons_initials_join_only_where_the_offices_fit():
    keys = ["person:s-venkatesan", "person:sunil-venkatesan"]
    minister = ("Foreign Minister", None, "country:chile")
    governor = ("Governor", None, "country:peru")
    fits = {"person:s-venkatesan": {minister}, "person:sunil-venkatesan": {minister}}
    clash = {"person:s-venkatesan": {minister}, "person:sunil-venkatesan": {governor}}
    assert group_persons(keys, fits) == dict.fromkeys(keys, "person:sunil-venkatesan")
    assert group_persons(keys, clash) == {}


def test_merge_group_persons_an_initial_is_never_a_different_given_name():
    assert group_persons(["person:r-venkatesan", "person:sunil-venkatesan"], {}) == {}


def _event(key: str, date: str | None, people: list[str], type_: str = "Meeting") -> Event:
    return Event(
        key=key, type=type_, date=date, participants=people, evidence=[Evidence(key, 0, 0, 0, "", "")]
    )


def test_merge_group_events_one_day_two_reports():
    a = _event("a", "2023-06-02", ["person:x", "person:y"])
    b = _event("b", "2023-06-02", ["person:x", "person:y", "person:z"], "Talks")
    c = _event("c", "2023-06-03", ["person:x", "person:y"])
    assert [sorted(e.key for e in g) for g in group_events([c, b, a])] == [["a", "b"]]


def test_merge_group_events_undated_joins_nothing():
    a = _event("a", None, ["person:x", "person:y"])
    b = _event("b", None, ["person:x", "person:y"])
    assert group_events([a, b]) == []


def test_merge_store_settles_what_a_removal_leaves(tmp_path):
    """Two articles name one person in two spellings; when one goes, the other's spelling is the
    person again (graph/merge and graph/canonical follow the removal)."""
    from kg.graph import merge
    from kg.graph.rdf import to_triples

    def facts(article_id: str, key: str, label: str) -> DocFacts:
        ev = Evidence(article_id, 0, 0, len(label), label, "test")
        article = Article(id=article_id, stem=article_id, path=f"{article_id}.txt", text=label)
        office = Office(role="Minister", label="Minister")
        return DocFacts(
            article=article,
            entities=[Entity(key=key, kind="person", label=label, evidence=[ev])],
            office_holdings=[OfficeHolding(person=key, office=office, evidence=[ev])],
        )

    first = facts("a" * 16, "person:oskar-brennvik", "Oskar Brennvik")
    second = facts("b" * 16, "person:oskar-brenvik", "Oskar Brenvik")
    with Store(tmp_path / "store") as store:
        store.mark_canonical_current()
        for f in (first, second):
            store.replace_article(f.article.id, to_triples(f))
        merge.settle(store)
        assert merge.full_mapping(store).target  # one person
        store.remove_article(second.article.id)
        merge.settle(store)
        assert merge.full_mapping(store).target == {}
        persons = store.select(
            "SELECT ?p WHERE { GRAPH <https://w3id.org/diplomacy-kg/graph/canonical> { ?p a dkg:Person } }"
        )
        assert [str(p[0]).rsplit("/", 1)[1] for p in persons] == ["oskar-brennvik"]
