import pytest
from factories import article, meeting_facts, store_held_open
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from kg.canonical import VOTES_GRAPH
from kg.rdf import to_triples
from kg.store import Store, StoreError
from kg.vocab import CANONICAL_GRAPH


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
    store.rebuild_canonical()
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
    with store_held_open(path), pytest.raises(StoreError, match=r"locked|in use"):
        Store(path)


# ------------------------------------------------------------------ graph/canonical kept in step

PEOPLE = ("lena-marsh", "tom-weller", "ada-brook")
SPELLINGS = ("Lena Marsh", "L. Marsh", "Lena Mars", "Tom Weller", "Ada Brook")


def invented_article(index: int, mentions: list[tuple[int, int]]) -> tuple[str, list]:
    """An article id and triples in which person i is spelt SPELLINGS[j], for each (i, j)."""
    from rdflib import Literal, URIRef

    from kg.vocab import DKG, ID, RDF, RDFS

    article_id = f"{index:016x}"
    doc = ID[f"doc/{article_id}"]
    triples = [(doc, RDF.type, DKG.Document), (doc, DKG.contentHash, Literal(article_id))]
    for person, spelling in mentions:
        node = URIRef(ID[f"person/{PEOPLE[person]}"])
        triples += [
            (node, RDF.type, DKG.Person),
            (node, RDFS.label, Literal(SPELLINGS[spelling], lang="en")),
            (node, DKG.reportedIn, doc),
        ]
    return article_id, triples


def canonical_quads(store: Store, graph: URIRef = CANONICAL_GRAPH) -> set[str]:
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph.n3()} {{ ?s ?p ?o }} }}")
    return {" ".join(term.n3() for term in row) for row in rows}


@given(
    steps=st.lists(
        st.tuples(
            st.integers(0, 3),  # which article
            st.lists(
                st.tuples(st.integers(0, 2), st.integers(0, 4)), max_size=4
            ),  # its mentions; [] removes it
        ),
        min_size=1,
        max_size=8,
    )
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_store_canonical_in_step_equals_rebuilt(tmp_path_factory, steps):
    # Whatever articles are written, rewritten or removed, in any order, graph/canonical kept in
    # step article by article is exactly the one recomputed from all article graphs at once.
    with Store(tmp_path_factory.mktemp("canon") / "store") as store:
        store.mark_canonical_current()
        for index, mentions in steps:
            article_id, triples = invented_article(index, mentions)
            if mentions:
                store.replace_article(article_id, triples)
            else:
                store.remove_article(article_id)
        in_step = canonical_quads(store), canonical_quads(store, VOTES_GRAPH)
        store.rebuild_canonical()
        assert in_step == (canonical_quads(store), canonical_quads(store, VOTES_GRAPH))


def test_store_remove_keeps_what_another_article_states(store):
    one_id, one = invented_article(1, [(0, 0), (1, 3)])
    two_id, two = invented_article(2, [(0, 1)])
    store.mark_canonical_current()
    store.replace_article(one_id, one)
    store.replace_article(two_id, two)
    store.remove_article(one_id)
    quads = canonical_quads(store)
    marsh = "<https://w3id.org/diplomacy-kg/id/person/lena-marsh>"
    weller = "<https://w3id.org/diplomacy-kg/id/person/tom-weller>"
    assert f'{marsh} <http://www.w3.org/2004/02/skos/core#prefLabel> "L. Marsh"@en' in quads
    assert not any(q.startswith(weller) for q in quads)  # only the removed article named him
    assert not any('"Lena Marsh"@en' in q for q in quads)  # that spelling was only in it


def test_store_stored_articles_asked_by_id_or_file_name(tmp_path):
    """A build asks only for the articles it may touch: by content id, or by the file read."""
    with Store(tmp_path / "s") as store:
        written = []
        for i, name in enumerate(["alpha", "beta", "gamma"]):
            facts = meeting_facts(article(f"Speaker Lena Marsh met {i} envoys in Baku.", stem=name))
            store.replace_article(facts.article.id, to_triples(facts))
            written.append(facts.article.id)
        everything = store.stored_articles()
        assert sorted(everything) == sorted(written)
        by_id = store.stored_articles(ids=[written[1]])
        by_name = store.stored_articles(names=["gamma", "no-such-file"])
        assert by_id == {written[1]: everything[written[1]]}
        assert by_name == {written[2]: everything[written[2]]}
        assert store.stored_articles(ids=[], names=[]) == {}
        assert store.stored_articles(ids=["0" * 16], names=['a "quoted" } name']) == {}
        assert store.has_articles()
    with Store(tmp_path / "empty") as empty:
        assert not empty.has_articles()
