import pytest

from kg.graph.store import Store
from kg.sparql.local import run_sparql
from kg.sparql.ordering import OrderBy, order_key, split_order_by

XSD_INT = "http://www.w3.org/2001/XMLSchema#integer"


@pytest.mark.parametrize(
    ("text", "rest", "keys"),
    [
        ("SELECT ?a WHERE { ?a ?b ?c }\nORDER BY ?a\n", "SELECT ?a WHERE { ?a ?b ?c }\n", (("a", False),)),
        ("SELECT * WHERE {} ORDER BY DESC(?n) ?a", "SELECT * WHERE {} ", (("n", True), ("a", False))),
        ("SELECT * WHERE {} order by asc( ?n )", "SELECT * WHERE {} ", (("n", False),)),
    ],
)
def test_ordering_final_order_by_is_taken_out(text, rest, keys):
    assert split_order_by(text) == (rest, OrderBy(keys))


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE {} ORDER BY ?a LIMIT 10",  # LIMIT needs the engine's order
        "SELECT * WHERE {} ORDER BY STR(?a)",  # an expression, not a variable
        'SELECT * WHERE { BIND ("ORDER BY ?x" AS ?s) }',  # the words inside a string
        "SELECT * WHERE { ?a ?b '''it's''' } LIMIT 1 # ' ORDER BY ?a",  # a quote in a long string
        "SELECT * WHERE { ?a ?b ?c } # ORDER BY ?a",  # or a comment
    ],
)
def test_ordering_other_queries_are_left_alone(text):
    assert split_order_by(text) == (text, None)


def test_ordering_follows_sparql_term_order():
    keys = [
        order_key("literal", "10", XSD_INT),
        order_key("literal", "9", XSD_INT),
        order_key("literal", "b"),
        order_key("uri", "http://example.org/z"),
        order_key(None),
        order_key("bnode", "b0"),
    ]
    ranked = sorted(range(len(keys)), key=lambda i: keys[i])
    # unbound, blank node, IRI, then literals: numbers by value, before strings
    assert ranked == [4, 5, 3, 1, 0, 2]


def test_ordering_matches_the_engine_on_a_real_store():
    store = Store(None)
    store.update(
        "INSERT DATA { <http://ex/a> <http://ex/n> 10 . <http://ex/b> <http://ex/n> 9 . "
        '<http://ex/c> <http://ex/n> "x" . <http://ex/d> <http://ex/m> 1 }'
    )
    text = "SELECT ?s ?n WHERE { ?s ?p ?o OPTIONAL { ?s <http://ex/n> ?n } } ORDER BY DESC(?n) ?s"
    ours = run_sparql(store, text).rows
    engine = [[None if t is None else t.value for t in row] for row in store.inner.query(text)]
    assert ours == engine
    assert ours[0] == ["http://ex/c", "x"] and ours[-1] == ["http://ex/d", None]
