"""kg/vocab.py and its users against ontology/diplomacy.ttl: every dkg term the code, the saved
queries, the shapes and the docs use is declared, and every declared term is labelled."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Namespace, URIRef

from kg.graph.validate import load_ontology, load_shapes
from kg.nlp.facts import EVENT_TYPES
from kg.vocab import DKG, OWL, RDF, RDFS

ROOT = Path(__file__).resolve().parent.parent
DECLARATIONS = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)
# In Python: DKG.Name and DKG["Name"]; in SPARQL, Turtle and Markdown: dkg:Name.
PY_ATTRIBUTE = re.compile(r"\bDKG\.([A-Za-z_]\w*)")
PY_ITEM = re.compile(r"""\bDKG\[\s*["']([A-Za-z_]\w*)["']\s*\]""")
CURIE = re.compile(r"\bdkg:([A-Za-z_]\w*)")
# Fields of kg/nlp/resources/*.jsonl records whose value names an ontology class (rdf.py writes DKG[value]):
# an entity's subtype in any file, and the event type that is the label of an event trigger.
CLASS_FIELDS = {"*": ("subtype",), "events.*.jsonl": ("label",)}


def declared() -> set[URIRef]:
    onto = load_ontology()
    return {s for kind in DECLARATIONS for s in onto.subjects(RDF.type, kind) if isinstance(s, URIRef)}


def undeclared(names: set[str]) -> list[str]:
    known = declared()
    return sorted(name for name in names if DKG[name] not in known)


def python_terms() -> set[str]:
    methods = set(dir(Namespace))
    names: set[str] = set()
    for path in (ROOT / "kg").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names.update(n for n in PY_ATTRIBUTE.findall(text) if n not in methods)
        names.update(PY_ITEM.findall(text))
    return names


def resource_classes() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "kg" / "nlp" / "resources").glob("*.jsonl"):
        fields = [f for pattern, fs in CLASS_FIELDS.items() if path.match(pattern) for f in fs]
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("//"):  # rule files allow // comments
                record = json.loads(line)
                names.update(record[f] for f in fields if isinstance(record.get(f), str))
    return names


def test_vocab_python_terms_are_found():
    # Guards the regexes: the grep must see the terms kg/graph/rdf.py writes.
    assert {"Person", "Event", "participant", "reportedIn", "evidence"} <= python_terms()


def test_vocab_python_terms_are_declared():
    assert undeclared(python_terms()) == []


def test_vocab_dynamic_classes_are_declared():
    # rdf.py writes DKG[event.type] and DKG[entity.subtype]: the values come from kg/nlp/facts.py and
    # from the rule files.
    assert resource_classes(), "no class names found in kg/nlp/resources: check CLASS_FIELDS"
    names = set(EVENT_TYPES) | resource_classes()
    onto = load_ontology()
    assert sorted(name for name in names if (DKG[name], RDF.type, OWL.Class) not in onto) == []


@pytest.mark.parametrize(
    "name", ["City", "Building", "Chamber", "Embassy", "InternationalOrganization", "Airport"]
)
def test_vocab_entity_subtypes_named_in_facts_are_classes(name: str):
    # kg/nlp/facts.py names these as examples of Entity.subtype.
    assert (DKG[name], RDF.type, OWL.Class) in load_ontology()


@pytest.mark.parametrize(
    "path",
    [*sorted((ROOT / "queries").glob("*.rq")), ROOT / "docs" / "graph.md"],
    ids=lambda p: p.name,
)
def test_vocab_terms_in_queries_and_docs_are_declared(path: Path):
    assert undeclared(set(CURIE.findall(path.read_text(encoding="utf-8")))) == []


def test_vocab_terms_in_shapes_are_declared():
    used = {
        str(t).removeprefix(str(DKG))
        for triple in load_shapes()
        for t in triple
        if str(t).startswith(str(DKG))
    }
    assert used
    assert undeclared(used) == []


def test_vocab_every_declared_term_has_a_label():
    onto = load_ontology()
    unlabelled = sorted(str(t) for t in declared() if onto.value(t, RDFS.label) is None)
    assert unlabelled == []


def test_vocab_every_dkg_term_has_english_label_and_comment():
    onto = load_ontology()
    missing = []
    for term in sorted(t for t in declared() if t.startswith(str(DKG))):
        for prop in (RDFS.label, RDFS.comment):
            if not any(getattr(v, "language", None) == "en" for v in onto.objects(term, prop)):
                missing.append(f"{term} {prop}")
    assert missing == []


def test_vocab_namespace_terms_are_made_once_and_are_rdflibs() -> None:
    import pickle

    from rdflib import Namespace

    from kg.vocab import DKG

    assert DKG.evidence is DKG.evidence
    assert DKG.evidence == Namespace(str(DKG)).evidence == DKG["evidence"]
    assert pickle.loads(pickle.dumps(DKG)).evidence == DKG.evidence
    with pytest.raises(AttributeError):
        DKG.__wrapped__  # noqa: B018 - Python's own names are not terms
