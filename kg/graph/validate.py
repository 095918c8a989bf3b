"""Check a graph against ontology/shapes.ttl (SHACL) and ontology/diplomacy.ttl (OWL, with HermiT).

``validate_graph`` is the closed-world check: a graph in the docs/graph.md shape must contain what the
shapes require (an event's evidence, an office holding's one holder ...). It runs pySHACL, the
reference, and is what ``kg validate`` uses over a whole store. ``validate_triples`` gives the same
Violations for one article's triples from the shapes compiled once per process (kg/graph/shapes.py), about
twenty times faster, so that ``kg build`` checks every article's graph before storing it.
``check_consistency`` is the open-world check: the ontology plus the data must not contradict itself
(an IRI typed both Person and Event). It starts Java, so it is for builds and tests, not per article.

The ontology folder sits at the repository root and is shipped in the package (kg/shipped), so this
module works from a wheel install as well as from a source checkout.
"""

from __future__ import annotations

import io
import itertools
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyshacl import Validator
from pyshacl.graph_abstraction import DataGraph
from pyshacl.shapes_graph import ShapesGraph
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node
from rdflib.util import guess_format

from kg import shipped
from kg.graph.shapes import SH, Checker, Index, Result, Triple, UnsupportedShapesError, compile_shapes
from kg.vocab import BASE, CANONICAL_GRAPH, DCTERMS, DKG, GRAPH, ID, OWL, PROV, RDF, RDFS, SKOS, XSD

ONTOLOGY_FILE = "diplomacy.ttl"
SHAPES_FILE = "shapes.ttl"

# Prefixes for people-facing output, most specific first.
PREFIXES = (
    ("id:", str(ID)),
    ("graph:", str(GRAPH)),
    ("topic:", BASE + "topic/"),
    ("dkg:", str(DKG)),
    ("dkgsh:", BASE + "shapes#"),
    ("rdf:", str(RDF)),
    ("rdfs:", str(RDFS)),
    ("skos:", str(SKOS)),
    ("prov:", str(PROV)),
    ("dcterms:", str(DCTERMS)),
    ("xsd:", str(XSD)),
    ("owl:", str(OWL)),
)

# pySHACL logs every failed constraint at WARNING level; the results are returned, not logged.
_SHACL_LOG = logging.getLogger("kg.graph.validate.pyshacl")
_SHACL_LOG.addHandler(logging.NullHandler())
_SHACL_LOG.propagate = False


def ontology_dir() -> Path:
    """The shipped ontology folder, or a clear error when the install lacks its files."""
    path = shipped.ontology_dir()
    if not (path / ONTOLOGY_FILE).is_file() or not (path / SHAPES_FILE).is_file():
        raise FileNotFoundError(
            f"ontology folder {path} is missing {ONTOLOGY_FILE} or {SHAPES_FILE}: the package was built "
            "without them; reinstall it (pip install .)"
        )
    return path


@lru_cache(maxsize=1)
def load_ontology() -> Graph:
    """ontology/diplomacy.ttl, parsed once per process. Do not modify the returned graph."""
    return Graph().parse(ontology_dir() / ONTOLOGY_FILE, format="turtle")


@lru_cache(maxsize=1)
def load_shapes() -> Graph:
    """ontology/shapes.ttl, parsed once per process. Do not modify the returned graph."""
    return Graph().parse(ontology_dir() / SHAPES_FILE, format="turtle")


class _RememberingGraph(Graph):
    """A Graph that remembers the answer to each triple pattern, for the shapes graph.

    pySHACL reads a shape's parameters from the shapes graph again for every focus node it checks
    (a third of validation time went to these lookups); ontology/shapes.ttl does not change while
    kg runs, so each pattern is answered once. Adding or removing a triple forgets every answer.
    """

    def __init__(self) -> None:
        super().__init__()
        self._answers: dict[tuple, tuple] = {}

    def triples(self, triple):  # type: ignore[override]
        answer = self._answers.get(triple)
        if answer is None:
            answer = self._answers[triple] = tuple(super().triples(triple))
        return iter(answer)

    def add(self, triple):  # type: ignore[override]
        self._answers.clear()
        return super().add(triple)

    def addN(self, quads):  # type: ignore[override]  # noqa: N802 (rdflib's name)
        self._answers.clear()
        return super().addN(quads)

    def remove(self, triple):  # type: ignore[override]
        self._answers.clear()
        return super().remove(triple)


class _ParameterList(list):
    """pySHACL's list of constraint parameters with a set lookup: it tests every predicate of a
    shape against this list for every focus node, one list comparison at a time."""

    def __init__(self, items: Iterable) -> None:
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _speed_up_parameter_lookup() -> None:
    # pySHACL (0.40) caches its constraint parameters on the pyshacl.shape module on first use; giving
    # it the same parameters with a set lookup changes no result. Skipped if pySHACL changes this.
    import pyshacl.shape
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

    current = getattr(pyshacl.shape, "CONSTRAINT_PARAMS", None)
    if current is None or current[0] is ALL_CONSTRAINT_PARAMETERS:
        pyshacl.shape.CONSTRAINT_PARAMS = (
            _ParameterList(ALL_CONSTRAINT_PARAMETERS),
            CONSTRAINT_PARAMETERS_MAP,
        )


@lru_cache(maxsize=1)
def _shapes() -> ShapesGraph:
    # pySHACL turns shape triples into Shape objects on first use and keeps them on the ShapesGraph;
    # reusing one ShapesGraph across calls is what makes per-article validation cheap.
    _speed_up_parameter_lookup()
    shapes = _RememberingGraph()
    for triple in load_shapes():
        shapes.add(triple)
    return ShapesGraph(shapes, logger=_SHACL_LOG)


def shorten(node: Node | str | None) -> str | None:
    """A CURIE for a known namespace, else the IRI; literals as N3."""
    if node is None:
        return None
    if isinstance(node, Literal):
        if node.datatype is not None:
            return f'"{node}"^^{shorten(node.datatype)}'
        return node.n3()
    text = str(node)
    for prefix, namespace in PREFIXES:
        if text.startswith(namespace):
            return prefix + text[len(namespace) :]
    return text


# ---------------------------------------------------------------------------------------------
# SHACL
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    """One SHACL result, with what a person needs to find and fix it.

    ``document`` is the IRI of the dkg:Document the focus node is reported in (or whose graph it lives
    in), and ``source`` that document's dcterms:identifier (the file stem), when known.
    """

    focus: str
    message: str
    severity: str = "Violation"  # Violation, Warning or Info
    path: str | None = None
    value: str | None = None
    focus_label: str | None = None
    document: str | None = None
    source: str | None = None
    constraint: str | None = None  # the SHACL constraint component, e.g. "MinCount"
    shape: str | None = None


def _graphs(graph: Graph) -> Iterator[Graph]:
    """The graphs to validate one by one: each named graph of a Dataset, or the graph itself."""
    if isinstance(graph, Dataset):
        for context in graph.graphs():
            if not len(context):
                continue
            yield _with_evidence(graph, context) if context.identifier == CANONICAL_GRAPH else context
    else:
        yield graph


def _with_evidence(dataset: Dataset, canonical: Graph) -> Graph:
    """graph/canonical with the evidence nodes it links to, which only their article graphs
    describe (docs/graph.md): the graph as a query reads it, each fact's dkg:Evidence found."""
    merged = Graph(identifier=canonical.identifier)
    for triple in canonical:
        merged.add(triple)
    for evidence in set(canonical.objects(None, DKG.evidence)):
        for s, p, o, _ in dataset.quads((evidence, None, None, None)):
            merged.add((s, p, o))
    return merged


_LABELS = (RDFS.label, SKOS.prefLabel, DCTERMS.identifier)


def _label(graph: Graph | Index, node: Node) -> str | None:
    for prop in _LABELS:
        value = graph.value(node, prop)
        if value is not None:
            return str(value)
    return None


def _document_of(graph: Graph | Index, node: Node, graph_document: Node | None) -> Node | None:
    """The document a node is, or is reported in / quoted from; else the graph's own document.
    ``graph`` is an rdflib Graph (pySHACL path) or the fast check's Index: both have ``value``."""
    if graph.value(node, RDF.type) == DKG.Document:
        return node
    for prop in (DKG.reportedIn, PROV.wasQuotedFrom):
        document = graph.value(node, prop)
        if document is not None:
            return document
    return graph_document


def _path_text(path: Node | None, *graphs: Graph) -> str | None:
    """A SHACL path as text: a CURIE, or ``a|b|c`` for an alternative path."""
    if path is None:
        return None
    if isinstance(path, BNode):
        for g in graphs:
            alternatives = g.value(path, SH.alternativePath)
            if alternatives is not None:
                return "|".join(shorten(p) or "" for p in Collection(g, alternatives))
            inverse = g.value(path, SH.inversePath)
            if inverse is not None:
                return "^" + (shorten(inverse) or "")
        return "(complex path)"
    return shorten(path)


def _results(report: Graph, data: Graph) -> Iterator[Violation]:
    shapes = load_shapes()
    graph_document = next(iter(data.subjects(RDF.type, DKG.Document)), None)
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        severity = report.value(result, SH.resultSeverity)
        value = report.value(result, SH.value)
        component = report.value(result, SH.sourceConstraintComponent)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        document = _document_of(data, focus, graph_document)
        yield Violation(
            focus=str(focus),
            message=messages[0] if messages else "does not conform",
            severity=str(severity).rpartition("#")[2] if severity else "Violation",
            path=_path_text(report.value(result, SH.resultPath), report, shapes),
            value=shorten(value) if value is not None and value != focus else None,
            focus_label=_label(data, focus),
            document=str(document) if document is not None else None,
            source=str(data.value(document, DCTERMS.identifier)) if document is not None else None,
            constraint=str(component).rpartition("#")[2].removesuffix("ConstraintComponent")
            if component
            else None,
            shape=shorten(report.value(result, SH.sourceShape))
            if isinstance(report.value(result, SH.sourceShape), URIRef)
            else None,
        )


def _run(data: Graph) -> Graph:
    """One pySHACL run with the cheapest settings that check everything: no inference, no
    advanced features, and every result (infos and warnings too) in the report."""
    options = {"inference": "none", "allow_infos": True, "allow_warnings": True, "logger": _SHACL_LOG}
    validator = Validator(DataGraph.from_rdflib(data), shacl_graph=load_shapes(), options=options)
    validator.shacl_graph = _shapes()
    _conforms, report, _text = validator.run()
    return report


def _validate_one(data: Graph) -> list[Violation]:
    return list(_results(_run(data), data))


def _ordered(violations: Iterable[Violation]) -> list[Violation]:
    """Once each, Violations before Warnings, then by document, focus, path and message; the
    remaining fields break ties so that the order never depends on set iteration."""
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(
        set(violations),
        key=lambda v: (
            (order.get(v.severity, 3), v.source or "", v.focus, v.path or "", v.message),
            tuple(str(x) for x in (v.value, v.constraint, v.shape, v.focus_label, v.document, v.severity)),
        ),
    )


def validate_graph(graph: Graph) -> list[Violation]:
    """SHACL-validate a graph (or each named graph of a Dataset) against ontology/shapes.ttl.

    Each graph is checked on its own, so an article graph must be self-contained: the nodes its facts
    point to are typed in it. Returns every result, Violations before Warnings, in a stable order;
    an empty list means the graph conforms. This runs pySHACL, the reference; ``validate_triples``
    gives the same answer for one article's triples, faster.
    """
    violations: set[Violation] = set()
    for data in _graphs(graph):
        violations.update(_validate_one(data))
    return _ordered(violations)


# ---------------------------------------------------------------------------------------------
# SHACL, compiled: the per-article check of kg build
# ---------------------------------------------------------------------------------------------

_LOG = logging.getLogger("kg.graph.validate")


def _as_graph(triples: Iterable[Triple]) -> Graph:
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in triples)  # one store call: Graph.add checks each triple
    return graph


def compile_or_none(shapes: Graph) -> Checker | None:
    """The compiled checker for a shapes graph, or None, logged, when it uses a SHACL feature the
    compiler does not implement: the caller then validates with pySHACL."""
    try:
        return compile_shapes(shapes)
    except UnsupportedShapesError as err:
        _LOG.warning("%s: %s; checking each article with pySHACL instead (slower)", SHAPES_FILE, err)
        return None


@lru_cache(maxsize=1)
def _checker() -> Checker | None:
    # Compiled (or refused, with one warning) once per process.
    return compile_or_none(load_shapes())


def _generic_messages(result: Result, data: Graph, shapes: ShapesGraph) -> list[str]:
    """pySHACL's own default message for a result of a shape without sh:message."""
    from pyshacl.constraints import ALL_CONSTRAINT_COMPONENTS
    from pyshacl.constraints.core.shape_based_constraints import QualifiedValueShapeConstraintComponent

    by_iri = {c.shacl_constraint_component: c for c in ALL_CONSTRAINT_COMPONENTS}
    by_iri[SH.QualifiedMinCountConstraintComponent] = QualifiedValueShapeConstraintComponent
    by_iri[SH.QualifiedMaxCountConstraintComponent] = QualifiedValueShapeConstraintComponent
    _ = shapes.shapes  # builds pySHACL's shape objects
    component = by_iri[result.component](shapes.lookup_shape_from_node(result.shape))
    messages = component.make_generic_messages(DataGraph.from_rdflib(data), result.focus, result.value)
    return [str(m) for m in messages]


def _flatten(results: Iterable[Result]) -> Iterator[Result]:
    for result in results:
        yield result
        yield from _flatten(result.details)  # pySHACL's report holds sh:node details as results too


def check_triples(
    checker: Checker, triples: Sequence[Triple], shapes: Graph, pyshacl_shapes: ShapesGraph
) -> list[Violation]:
    """Violations of the compiled ``checker`` for these triples, as ``_results`` reads them from a
    pySHACL report; ``shapes`` is the graph it was compiled from (for path text) and
    ``pyshacl_shapes`` pySHACL's view of it (for default messages)."""
    results, index = checker.check(triples)
    if not results:
        return []
    graph_document = next(iter(index.subjects(RDF.type, DKG.Document)), None)
    data: Graph | None = None  # built only for pySHACL's default messages
    violations = []
    for r in _flatten(results):
        if r.messages:
            messages = [str(m) for m in r.messages]
        else:
            data = data if data is not None else _as_graph(triples)
            messages = _generic_messages(r, data, pyshacl_shapes)
        focus = r.focus
        document = _document_of(index, focus, graph_document)
        component = str(r.component).rpartition("#")[2].removesuffix("ConstraintComponent")
        violations.append(
            Violation(
                focus=str(focus),
                message=min(messages) if messages else "does not conform",
                severity=str(r.severity).rpartition("#")[2],
                path=_path_text(r.path, shapes),
                value=shorten(r.value) if r.value is not None and r.value != focus else None,
                focus_label=_label(index, focus),
                document=str(document) if document is not None else None,
                source=str(index.value(document, DCTERMS.identifier)) if document is not None else None,
                constraint=component,
                shape=shorten(r.shape) if isinstance(r.shape, URIRef) else None,
            )
        )
    return _ordered(violations)


def validate_triples(triples: Sequence[Triple]) -> list[Violation]:
    """SHACL-validate one article's triples (as kg.graph.rdf.to_triples gives them) against
    ontology/shapes.ttl: the same Violations as ``validate_graph`` on a Graph of those triples, from
    shapes compiled once per process (kg/graph/shapes.py), about twenty times faster than pySHACL.
    Falls back to pySHACL when the shapes use a feature the compiler does not know."""
    checker = _checker()
    if checker is None:
        return validate_graph(_as_graph(triples))
    return check_triples(checker, triples, load_shapes(), _shapes())


def format_violations(violations: Iterable[Violation]) -> str:
    """Violations for people: one block per source document, one line per result."""
    violations = list(violations)
    if not violations:
        return "The graph conforms to ontology/shapes.ttl."
    counts: dict[str, int] = defaultdict(int)
    for v in violations:
        counts[v.severity] += 1
    summary = ", ".join(f"{n} {sev.lower()}{'s' if n != 1 else ''}" for sev, n in sorted(counts.items()))
    lines = [summary]
    by_source: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        by_source[v.source or shorten(v.document) or "(no document)"].append(v)
    for source, items in sorted(by_source.items()):
        lines.append(f"{source}:")
        for v in items:
            label = f' "{v.focus_label}"' if v.focus_label else ""
            path = f" {v.path}:" if v.path else ":"
            value = f" (value {v.value})" if v.value else ""
            lines.append(f"  {v.severity} {shorten(v.focus)}{label}{path} {v.message}{value}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# OWL consistency
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsistencyReport:
    """What HermiT says about the ontology plus the data.

    ``offenders`` names the individuals a quick check found responsible when the data is
    inconsistent (HermiT itself says only "inconsistent"); ``unsatisfiable`` lists classes that can
    have no instance, which does not make the data inconsistent but is a modelling error.
    """

    consistent: bool
    message: str
    offenders: tuple[str, ...] = ()
    unsatisfiable: tuple[str, ...] = ()


def _read(graph_or_path: Graph | str | Path) -> Graph:
    """All triples of a graph, a Dataset (graphs merged) or an RDF file, as one Graph."""
    if isinstance(graph_or_path, Graph):
        source = graph_or_path
    else:
        path = Path(graph_or_path)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such RDF file to check")
        rdf_format = guess_format(str(path)) or "turtle"
        source = Dataset() if rdf_format in ("trig", "nquads", "trix") else Graph()
        source.parse(path, format=rdf_format)
    merged = Graph()
    triples = (q[:3] for q in source.quads()) if isinstance(source, Dataset) else iter(source)
    for triple in triples:
        merged.add(triple)
    return merged


def check_consistency(graph_or_path: Graph | str | Path | None = None) -> ConsistencyReport:
    """Run HermiT (through owlready2) on ontology/diplomacy.ttl plus the given data.

    With no data, checks the ontology alone. Unsupported datatypes (xsd:date, xsd:gYear ... are not in
    the OWL 2 datatype map) are ignored by HermiT: the SHACL shapes check those values instead.
    Raises RuntimeError when Java or HermiT fails for another reason than inconsistency.
    """
    import owlready2

    data = _read(graph_or_path) if graph_or_path is not None else Graph()
    world = owlready2.World()
    try:
        ontology = load_ontology()
        world.get_ontology(str(DKG).rstrip("#")).load(
            fileobj=io.BytesIO(ontology.serialize(format="nt", encoding="utf-8")), format="ntriples"
        )
        if len(data):
            world.get_ontology(BASE + "data").load(
                fileobj=io.BytesIO(data.serialize(format="nt", encoding="utf-8")), format="ntriples"
            )
        try:
            owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)
        except owlready2.OwlReadyInconsistentOntologyError:
            offenders, reasons = diagnose(ontology, data)
            detail = "; ".join(reasons) if reasons else "the quick check found no disjoint types to blame"
            return ConsistencyReport(False, f"HermiT: inconsistent. {detail}", offenders)
        except (owlready2.OwlReadyJavaError, OSError) as err:
            raise RuntimeError(f"HermiT could not check consistency: {err}") from err
        unsatisfiable = tuple(
            sorted(str(c.iri) for c in world.inconsistent_classes() if c.iri.startswith(str(DKG)))
        )
        individuals = len(set(data.subjects(RDF.type, None)))
        message = f"HermiT: consistent ({len(data)} data triples, {individuals} typed resources)"
        if unsatisfiable:
            message += "; unsatisfiable classes: " + ", ".join(shorten(c) or c for c in unsatisfiable)
        return ConsistencyReport(True, message, (), unsatisfiable)
    finally:
        world.close()


def _superclasses(ontology: Graph) -> dict[Node, set[Node]]:
    """Every named class with all its named superclasses (itself included), following
    rdfs:subClassOf and owl:equivalentClass between named classes."""
    direct: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct[sub].add(sup)
    for a, b in ontology.subject_objects(OWL.equivalentClass):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            direct[a].add(b)
            direct[b].add(a)
    closure: dict[Node, set[Node]] = {}
    for cls in set(direct) | set(ontology.subjects(RDF.type, OWL.Class)):
        seen, todo = {cls}, [cls]
        while todo:
            for sup in direct.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        closure[cls] = seen
    return closure


def _disjoint_pairs(ontology: Graph) -> set[frozenset[Node]]:
    pairs: set[frozenset[Node]] = set()
    for a, b in ontology.subject_objects(OWL.disjointWith):
        pairs.add(frozenset((a, b)))
    for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(ontology, ontology.value(axiom, OWL.members)))
        pairs.update(frozenset(p) for p in itertools.combinations(members, 2))
    return pairs


# Datatype ranges HermiT checks (those of the OWL 2 datatype map that the ontology uses), as the
# literal datatypes that fit each, and a test on the value.
_NUMERIC = {XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.int, XSD.long, XSD.short}
_DATA_RANGES = {
    XSD.nonNegativeInteger: (_NUMERIC, lambda v: isinstance(v, int) and v >= 0),
    XSD.decimal: (_NUMERIC | {XSD.decimal}, lambda v: v is not None),
    XSD.boolean: ({XSD.boolean}, lambda v: isinstance(v, bool)),
    XSD.string: ({XSD.string, None}, lambda v: True),
}


def _class_expression(ontology: Graph, node: Node) -> set[Node]:
    """A named class, or the members of an owl:unionOf, as the set of classes any one of which fits."""
    if isinstance(node, URIRef):
        return {node}
    union = ontology.value(node, OWL.unionOf)
    return set(Collection(ontology, union)) if union is not None else set()


def diagnose(ontology: Graph, data: Graph) -> tuple[tuple[str, ...], list[str]]:
    """Name the individuals behind an inconsistency, for the usual causes. HermiT only says
    "inconsistent"; this looks for an individual whose types (asserted, implied by property domains
    and ranges, and shared through owl:sameAs) are disjoint, a literal outside its property's
    datatype range, or two values of a functional datatype property. Returns (offenders, reasons).
    """
    closure = _superclasses(ontology)
    disjoint = _disjoint_pairs(ontology)
    domains = {p: _class_expression(ontology, d) for p, d in ontology.subject_objects(RDFS.domain)}
    ranges = {p: _class_expression(ontology, r) for p, r in ontology.subject_objects(RDFS.range)}
    data_ranges = {p: r for p, r in ontology.subject_objects(RDFS.range) if r in _DATA_RANGES}

    # owl:sameAs merges individuals: each gets its group's representative.
    parent: dict[Node, Node] = {}

    def find(node: Node) -> Node:
        while parent.get(node, node) != node:
            node = parent[node]
        return node

    for a, b in data.subject_objects(OWL.sameAs):
        parent[find(a)] = find(b)

    # What each individual must be: a set of alternatives per requirement (one class when asserted
    # or from a named domain/range, several for a union).
    required: dict[Node, list[tuple[set[Node], str]]] = defaultdict(list)
    members: dict[Node, set[Node]] = defaultdict(set)
    offenders: set[str] = set()
    reasons: list[str] = []
    for s, p, o in sorted(data):
        members[find(s)].add(s)
        if p == RDF.type:
            required[find(s)].append(({o}, f"typed {shorten(o)}"))
            continue
        if domains.get(p):
            required[find(s)].append((domains[p], f"subject of {shorten(p)}"))
        if isinstance(o, Literal):
            if p in data_ranges:
                datatypes, fits = _DATA_RANGES[data_ranges[p]]
                if o.datatype not in datatypes or o.ill_typed or not fits(o.toPython()):
                    offenders.add(str(s))
                    reasons.append(
                        f"{shorten(s)} {shorten(p)} {shorten(o)} is not a {shorten(data_ranges[p])}"
                    )
        elif ranges.get(p):
            members[find(o)].add(o)
            required[find(o)].append((ranges[p], f"value of {shorten(p)}"))

    def excluded(option: Node, types: set[Node]) -> bool:
        return any(frozenset((a, b)) in disjoint for a in closure.get(option, {option}) for b in types)

    for node, needs in sorted(required.items(), key=lambda item: str(item[0])):
        names = sorted(str(m) for m in members[node]) or [str(node)]
        who = ", ".join(shorten(n) or n for n in names)
        single = [(next(iter(opts)), why) for opts, why in needs if len(opts) == 1]
        clash = next(
            (
                f"{who} is {shorten(a)} ({why_a}) and {shorten(b)} ({why_b}), which are disjoint"
                for (a, why_a), (b, why_b) in itertools.combinations(single, 2)
                if excluded(a, closure.get(b, {b}))
            ),
            None,
        )
        if clash is None:
            certain = set().union(*(closure.get(c, {c}) for c, _ in single))
            clash = next(
                (
                    f"{who} cannot be {' or '.join(sorted(shorten(o) or '' for o in opts))} ({why})"
                    for opts, why in needs
                    if len(opts) > 1 and all(excluded(option, certain) for option in opts)
                ),
                None,
            )
        if clash is not None:
            offenders.update(names)
            reasons.append(clash)

    functional = set(ontology.subjects(RDF.type, OWL.FunctionalProperty)) & set(
        ontology.subjects(RDF.type, OWL.DatatypeProperty)
    )
    for prop in sorted(functional):
        for subject in sorted(set(data.subjects(prop, None)), key=str):
            values = set(data.objects(subject, prop))
            if len(values) > 1:
                offenders.add(str(subject))
                reasons.append(f"{shorten(subject)} has {len(values)} values of functional {shorten(prop)}")
    return tuple(sorted(offenders)), reasons
