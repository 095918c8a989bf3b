import os
import subprocess
import sys

import pytest
from factories import article, meeting_facts

from kg.rdf import to_triples
from kg.store import Store, StoreError


@pytest.fixture()
def store(tmp_path):
    with Store(tmp_path / "store") as st:
        yield st


def test_store_replace_article_is_idempotent(store):
    facts = meeting_facts()
    store.replace_article(facts.article.id, to_triples(facts))
    first = store.count_triples()
    store.replace_article(facts.article.id, to_triples(facts))
    assert store.count_triples() == first
    assert list(store.stored_articles()) == [facts.article.id]


def test_store_replace_drops_only_named_articles(store):
    one, two = meeting_facts(article("First text.", "a")), meeting_facts(article("Second text.", "b"))
    store.replace_article(one.article.id, to_triples(one))
    store.replace_article(two.article.id, to_triples(two))
    changed = meeting_facts(article("First text, edited.", "a"))
    store.replace_article(changed.article.id, to_triples(changed), drop=[one.article.id])
    assert sorted(store.stored_articles()) == sorted([two.article.id, changed.article.id])


def test_store_canonical_label_is_most_frequent(store):
    for text in ("one", "two"):
        facts = meeting_facts(article(text, text))
        store.replace_article(facts.article.id, to_triples(facts))
    odd = meeting_facts(article("three", "three"))
    odd.entities[0].label = "L. Marsh"
    store.replace_article(odd.article.id, to_triples(odd))
    store.refresh_canonical()
    rows = store.select(
        "SELECT ?l WHERE { id:person/lena-marsh skos:prefLabel ?l }".replace(
            "id:person/lena-marsh", "<https://w3id.org/diplomacy-kg/id/person/lena-marsh>"
        )
    )
    assert [str(r[0]) for r in rows] == ["Lena Marsh"]


def test_store_read_only_refuses_writes(tmp_path):
    with Store(tmp_path / "s") as st:
        facts = meeting_facts()
        st.replace_article(facts.article.id, to_triples(facts))
    ro = Store(tmp_path / "s", read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        ro.remove_article(facts.article.id)


def test_store_missing_directory_read_only_is_clear(tmp_path):
    with pytest.raises(StoreError, match="no such directory"):
        Store(tmp_path / "nothing", read_only=True)


def test_store_locked_by_another_process_is_clear(tmp_path):
    path = tmp_path / "s"
    Store(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import pyoxigraph,time; s=pyoxigraph.Store({str(path)!r}); print('open', flush=True); "
            "time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match=r"locked|in use"):
            Store(path)
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_store_unwritable_directory_is_clear(tmp_path):
    path = tmp_path / "ro"
    path.mkdir()
    path.chmod(0o500)
    with pytest.raises(StoreError, match=str(path)):
        Store(path / "store")
