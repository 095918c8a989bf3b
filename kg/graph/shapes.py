"""A SHACL checker compiled once from a shapes graph, run over one article's triples.

pySHACL re-reads every shape's parameters from the shapes graph and writes a report graph for each
article it checks (about 40 ms an article); this module reads the shapes once into small Python
objects and checks a list of (s, p, o) terms through two dict indexes, giving the same results.

It is generic over the SHACL Core features below and mirrors what pySHACL 0.40 does with
``inference="none"`` and no ontology graph, down to its quirks: subclasses for sh:targetClass and
sh:class come from rdfs:subClassOf triples in the DATA graph, sh:pattern honours only the i and m
flags, a shape of severity sh:Warning or sh:Info always conforms inside sh:or, sh:node and
sh:qualifiedValueShape. A shapes graph using anything else makes ``compile_shapes`` raise
``UnsupportedShapesError`` naming the shape and the parameter: nothing is ever skipped silently.

Supported: targets (targetClass, targetSubjectsOf, targetObjectsOf, targetNode, implicit class
targets); paths (predicate, sh:inversePath, sh:alternativePath, sequence); sh:class, sh:datatype,
sh:nodeKind, sh:minCount, sh:maxCount, sh:in, sh:pattern (+ sh:flags), sh:minLength, sh:maxLength,
sh:minInclusive, sh:maxInclusive, sh:minExclusive, sh:maxExclusive, sh:lessThanOrEquals, sh:or,
sh:node, sh:property, sh:qualifiedValueShape with sh:qualifiedMinCount / sh:qualifiedMaxCount,
sh:uniqueLang; sh:message, sh:severity, sh:deactivated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

SH = Namespace("http://www.w3.org/ns/shacl#")

Triple = tuple[Node, Node, Node]
Values = dict[Node, None]  # an ordered set: iteration order is the order the triples came in

XSD_INTEGER = XSD.integer
RDF_TYPE = RDF.type
SUBCLASS_OF = RDFS.subClassOf
_ALLOWED_SEVERITIES = (SH.Info, SH.Warning)  # kg validates with allow_infos and allow_warnings
_SEVERITIES = (SH.Violation, SH.Warning, SH.Info)
# The datatypes pySHACL accepts for sh:minLength and sh:maxLength (counts must be xsd:integer).
_WHOLE_INTEGERS = (XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.short)
_WHOLE_INTEGERS += (XSD.unsignedByte, XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort)
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
# Parameters that say nothing about conformance, and the ones this module checks.
_ANNOTATIONS = {SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group}
_ANNOTATIONS |= {SH.defaultValue, SH.path, SH.flags, *_TARGETS}
_QUALIFIED = (SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount)


class UnsupportedShapesError(ValueError):
    """The shapes graph uses a SHACL feature the compiled checker does not implement."""


# ---------------------------------------------------------------------------------------------
# The data: one article's triples, indexed
# ---------------------------------------------------------------------------------------------


class Index:
    """Subject -> predicate -> objects and predicate -> object -> subjects over a list of triples.

    Duplicated triples count once, and each set keeps the order of first appearance, which is the
    order an rdflib Graph built from the same list answers in (``value`` returns the same term).
    """

    __slots__ = ("_indexed", "_pos", "_superclasses", "_triples", "spo")

    def __init__(
        self,
        triples: Iterable[Triple],
        terms: dict[Node, Node] | None = None,
        indexed: frozenset[Node] | None = None,
    ) -> None:
        """``terms`` maps each predicate and class to one shared object (the compiled shapes'
        own): rdflib compares two equal but distinct IRIs in Python, the same object at once.
        ``indexed`` lists the predicates whose subjects are looked up (all when None); the others
        get their predicate -> object -> subjects index on first use."""
        self._triples = triples = triples if isinstance(triples, Sequence) else list(triples)
        spo: dict[Node, dict[Node, Values]] = {}
        pos: dict[Node, dict[Node, Values]] = {}
        terms = terms if terms is not None else {RDF_TYPE: RDF_TYPE, SUBCLASS_OF: SUBCLASS_OF}
        intern = terms.setdefault
        for s, p, o in triples:
            p = intern(p, p)  # interned: ``is`` below, not rdflib's __eq__ (Python code)
            if p is RDF_TYPE:
                o = intern(o, o)
            by_p = spo.get(s)
            if by_p is None:
                by_p = spo[s] = {}
            objects = by_p.get(p)
            if objects is None:
                objects = by_p[p] = {}
            objects[o] = None
            if indexed is None or p in indexed or p is SUBCLASS_OF:
                by_o = pos.get(p)
                if by_o is None:
                    by_o = pos[p] = {}
                subjects = by_o.get(o)
                if subjects is None:
                    subjects = by_o[o] = {}
                subjects[s] = None
        self.spo = spo
        self._pos = pos
        self._indexed = indexed
        self._superclasses: dict[Node, set[Node]] = {}

    def by_predicate(self, predicate: Node) -> dict[Node, Values]:
        """Object -> subjects of one predicate, in the order of the triples."""
        by_o = self._pos.get(predicate)
        if by_o is None:
            by_o = {}
            if self._indexed is not None and predicate not in self._indexed:
                for s, p, o in self._triples:
                    if p == predicate:
                        by_o.setdefault(o, {})[s] = None
            self._pos[predicate] = by_o
        return by_o

    def objects(self, subject: Node, predicate: Node) -> Values:
        return self.spo.get(subject, {}).get(predicate, {})

    def subjects(self, predicate: Node, obj: Node) -> Values:
        return self.by_predicate(predicate).get(obj, {})

    def value(self, subject: Node, predicate: Node) -> Node | None:
        """The first object, as ``Graph.value`` gives it."""
        return next(iter(self.objects(subject, predicate)), None)

    def instances(self, cls: Node) -> set[Node]:
        """Subjects typed ``cls`` or a subclass of it by rdfs:subClassOf triples of the data."""
        found = set(self.subjects(RDF_TYPE, cls))
        if self._pos.get(SUBCLASS_OF):
            seen, todo = {cls}, [cls]
            while todo:
                for sub in self.subjects(SUBCLASS_OF, todo.pop()):
                    if sub not in seen:
                        seen.add(sub)
                        todo.append(sub)
                        found.update(self.subjects(RDF_TYPE, sub))
        return found

    def is_instance(self, node: Node, cls: Node) -> bool:
        types = self.objects(node, RDF_TYPE)
        if cls in types:
            return True
        if not self._pos.get(SUBCLASS_OF):
            return False
        return any(cls in self._closure(t) for t in types)

    def _closure(self, cls: Node) -> set[Node]:
        """``cls`` and every class it is an rdfs:subClassOf, transitively (Graph.transitive_objects)."""
        closure = self._superclasses.get(cls)
        if closure is None:
            closure, todo = {cls}, [cls]
            while todo:
                for sup in self.objects(todo.pop(), SUBCLASS_OF):
                    if sup not in closure:
                        closure.add(sup)
                        todo.append(sup)
            self._superclasses[cls] = closure
        return closure


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """One validation result, with what pySHACL's report would hold for it.

    ``messages`` are the shape's sh:message values; when there are none, ``generic`` names the
    component whose default message pySHACL would write (kg.graph.validate asks pySHACL for its text).
    ``details`` are the results nested under an sh:node result (pySHACL's sh:detail).
    """

    shape: Node
    focus: Node
    value: Node | None
    component: URIRef
    severity: Node
    path: Node | None
    messages: tuple[Literal, ...]
    details: tuple[Result, ...] = ()


Reports = list[Result]
FocusValues = dict[Node, Values]


# ---------------------------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------------------------

# A compiled path: a predicate, or ("inverse", path), ("alternative", paths), ("sequence", paths).
Path = URIRef | tuple


def _compile_path(shapes: Graph, node: Node, where: str, depth: int = 0) -> Path:
    if isinstance(node, URIRef):
        return node
    if not isinstance(node, BNode) or depth > 8:
        raise UnsupportedShapesError(f"{where}: sh:path {node!r} is not a path the checker can follow")
    if (node, RDF.first, None) in shapes:
        items = _list(shapes, node, where)
        if len(items) < 2:
            raise UnsupportedShapesError(f"{where}: a sequence path needs at least two steps")
        return ("sequence", tuple(_compile_path(shapes, i, where, depth + 1) for i in items))
    described = {p for p, _ in shapes.predicate_objects(node)}
    if described == {SH.inversePath} and len(list(shapes.objects(node, SH.inversePath))) == 1:
        return ("inverse", _compile_path(shapes, shapes.value(node, SH.inversePath), where, depth + 1))
    if described == {SH.alternativePath} and len(list(shapes.objects(node, SH.alternativePath))) == 1:
        items = _list(shapes, shapes.value(node, SH.alternativePath), where)
        if len(items) < 2:
            raise UnsupportedShapesError(f"{where}: sh:alternativePath needs at least two paths")
        return ("alternative", tuple(_compile_path(shapes, i, where, depth + 1) for i in items))
    names = ", ".join(sorted(_curie(p) for p in described))
    raise UnsupportedShapesError(f"{where}: path with {names or 'no description'} is not supported")


def _path_values(path: Path, data: Index, focus: Node, inverse: bool = False) -> set[Node]:
    """pySHACL's value_nodes_from_path, including how it carries ``inverse`` into sub-paths."""
    if isinstance(path, URIRef):
        return set(data.subjects(path, focus) if inverse else data.objects(focus, path))
    kind, sub = path
    if kind == "inverse":
        return _path_values(sub, data, focus, not inverse)
    if kind == "alternative":
        return set().union(*(_path_values(p, data, focus, inverse) for p in sub))
    nodes = {focus}
    for step in sub:
        nodes = set().union(*(_path_values(step, data, n, inverse) for n in nodes)) if nodes else set()
    return nodes


def _backward_predicates(path: Path, inverse: bool = False) -> set[Node]:
    """The predicates ``_path_values`` follows from object to subject."""
    if isinstance(path, URIRef):
        return {path} if inverse else set()
    kind, sub = path
    if kind == "inverse":
        return _backward_predicates(sub, not inverse)
    return set().union(*(_backward_predicates(p, inverse) for p in sub))


def _list(shapes: Graph, node: Node | None, where: str) -> list[Node]:
    try:
        return list(Collection(shapes, node)) if node is not None else []
    except Exception as err:  # a broken rdf:List: pySHACL would fail at run time
        raise UnsupportedShapesError(f"{where}: not a well-formed RDF list ({err})") from err


def _curie(node: Node) -> str:
    text = str(node)
    for prefix, ns in (("sh:", str(SH)), ("rdf:", str(RDF)), ("rdfs:", str(RDFS)), ("xsd:", str(XSD))):
        if text.startswith(ns):
            return prefix + text[len(ns) :]
    return text


# ---------------------------------------------------------------------------------------------
# Shapes and constraints
# ---------------------------------------------------------------------------------------------


class Shape:
    """One node or property shape: its targets, value nodes and constraints."""

    def __init__(self, node: Node, path_node: Node | None, path: Path | None) -> None:
        self.node = node
        self.path_node = path_node  # the sh:path term, as pySHACL puts it in sh:resultPath
        self.path = path
        self.is_property = path is not None
        self.severity: Node = SH.Violation
        self.lenient = False  # a Warning or Info shape conforms whatever it reports
        self.deactivated = False
        self.messages: tuple[Literal, ...] = ()
        self.target_classes: tuple[Node, ...] = ()
        self.target_subjects_of: tuple[Node, ...] = ()
        self.target_objects_of: tuple[Node, ...] = ()
        self.target_nodes: tuple[Node, ...] = ()
        self.constraints: list[Constraint] = []

    @property
    def has_targets(self) -> bool:
        return bool(
            self.target_classes or self.target_subjects_of or self.target_objects_of or self.target_nodes
        )

    def focus_nodes(self, data: Index) -> set[Node]:
        found = set(self.target_nodes)
        for cls in self.target_classes:
            found |= data.instances(cls)
        for prop in self.target_subjects_of:
            for subjects in data.by_predicate(prop).values():
                found.update(subjects)
        for prop in self.target_objects_of:
            found.update(data.by_predicate(prop))
        return found

    def result(
        self,
        focus: Node,
        value: Node | None,
        component: URIRef,
        details: tuple[Result, ...] = (),
    ) -> Result:
        return Result(
            self.node, focus, value, component, self.severity, self.path_node, self.messages, details
        )

    def validate(self, data: Index, focus: Iterable[Node]) -> tuple[bool, Reports]:
        """pySHACL's Shape.validate for the given focus nodes: (conforms, results)."""
        if self.deactivated:
            return True, []
        path = self.path
        if path is None:
            values: FocusValues = {f: {f: None} for f in focus}
        elif isinstance(path, URIRef):  # the index's own sets: constraints only read them
            values = {f: data.objects(f, path) for f in focus}
        else:
            values = {f: dict.fromkeys(_path_values(path, data, f)) for f in focus}
        if not values:
            return True, []
        lenient = self.lenient
        conforms = True
        reports: Reports = []
        for constraint in self.constraints:
            ok, found = constraint.evaluate(data, values)
            if not (ok or lenient) and not all(r.severity in _ALLOWED_SEVERITIES for r in found):
                conforms = False
            reports.extend(found)
        return conforms, reports


class Constraint:
    """One constraint component of one shape."""

    component: URIRef

    def __init__(self, shape: Shape) -> None:
        self.shape = shape

    def evaluate(self, data: Index, values: FocusValues) -> tuple[bool, Reports]:
        raise NotImplementedError


class _PerValue(Constraint):
    """A component that judges each value node on its own."""

    def ok(self, data: Index, value: Node) -> bool:
        raise NotImplementedError

    def evaluate(self, data: Index, values: FocusValues) -> tuple[bool, Reports]:
        ok = self.ok
        reports = [
            self.shape.result(f, v, self.component) for f, vs in values.items() for v in vs if not ok(data, v)
        ]
        return not reports, reports


class _Class(_PerValue):
    component = SH.ClassConstraintComponent

    def __init__(self, shape: Shape, cls: Node) -> None:
        super().__init__(shape)
        self.cls = cls

    def ok(self, data: Index, value: Node) -> bool:
        return not isinstance(value, Literal) and data.is_instance(value, self.cls)


# pySHACL's DatatypeConstraintComponent._assert_actual_datatype: the Python value each datatype
# must convert to; other datatypes pass once the IRI matches and the literal is not ill-typed.
_PYTHON_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


class _Datatype(_PerValue):
    component = SH.DatatypeConstraintComponent

    def __init__(self, shape: Shape, datatype: Node) -> None:
        super().__init__(shape)
        self.datatype = datatype
        self.python_type = _PYTHON_TYPES.get(datatype, object)
        # The special cases of pySHACL's check, decided once here rather than for every literal.
        self.any_literal = datatype == RDFS.Literal
        self.any_typed = datatype == RDFS.Datatype
        self.plain_string = datatype == XSD.string
        self.lang_string = datatype == RDF.langString

    def ok(self, data: Index, value: Node) -> bool:
        if not isinstance(value, Literal):
            return False
        datatype = value.datatype
        if datatype == self.datatype:
            return value.ill_typed is not True and isinstance(value.value, self.python_type)
        if self.any_literal or (self.any_typed and datatype):
            return True
        if self.plain_string and datatype is None and value.language is None:
            return isinstance(value.value, self.python_type)
        if self.lang_string and value.language:
            return isinstance(value.value, self.python_type)
        return False


_NODE_KINDS = {
    BNode: (SH.BlankNode, SH.BlankNodeOrLiteral, SH.BlankNodeOrIRI),
    Literal: (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral),
    URIRef: (SH.IRI, SH.IRIOrLiteral, SH.BlankNodeOrIRI),
}


class _NodeKind(_PerValue):
    component = SH.NodeKindConstraintComponent

    def __init__(self, shape: Shape, kind: Node) -> None:
        super().__init__(shape)
        self.kind = kind

    def ok(self, data: Index, value: Node) -> bool:
        term_type = type(value) if type(value) in _NODE_KINDS else None
        if term_type is None:
            term_type = next((t for t in _NODE_KINDS if isinstance(value, t)), None)
        return term_type is not None and self.kind in _NODE_KINDS[term_type]


class _Count(Constraint):
    def __init__(self, shape: Shape, limit: int, at_least: bool) -> None:
        super().__init__(shape)
        self.limit = limit
        self.at_least = at_least
        self.component = SH.MinCountConstraintComponent if at_least else SH.MaxCountConstraintComponent

    def evaluate(self, data: Index, values: FocusValues) -> tuple[bool, Reports]:
        if self.at_least and self.limit == 0:
            return True, []
        reports = [
            self.shape.result(f, None, self.component)
            for f, vs in values.items()
            if (len(vs) < self.limit if self.at_least else len(vs) > self.limit)
        ]
        return not reports, reports


class _In(_PerValue):
    component = SH.InConstraintComponent

    def __init__(self, shape: Shape, members: Iterable[Node]) -> None:
        super().__init__(shape)
        self.members = set(members)

    def ok(self, data: Index, value: Node) -> bool:
        return value in self.members


def _as_string(value: Node) -> str:
    # pySHACL's StringBasedConstraintBase.value_node_to_string
    if (
        isinstance(value, Literal)
        and value.value is not None
        and value.datatype in (None, RDF.langString, XSD.string)
    ):
        return str(value.value)
    return str(value)


class _Pattern(_PerValue):
    component = SH.PatternConstraintComponent

    def __init__(self, shape: Shape, pattern: Literal, flags: Node | None) -> None:
        super().__init__(shape)
        re_flags = 0
        if flags:
            text = str(flags.value if isinstance(flags, Literal) else flags).lower()
            re_flags |= re.I if "i" in text else 0
            re_flags |= re.M if "m" in text else 0
        source = str(pattern.value) if pattern.value is not None and len(pattern.value) > 1 else str(pattern)
        self.regex = re.compile(source, re_flags)

    def ok(self, data: Index, value: Node) -> bool:
        return not isinstance(value, BNode) and self.regex.search(_as_string(value)) is not None


class _Length(_PerValue):
    def __init__(self, shape: Shape, limit: int, at_least: bool) -> None:
        super().__init__(shape)
        self.limit = limit
        self.at_least = at_least
        self.component = SH.MinLengthConstraintComponent if at_least else SH.MaxLengthConstraintComponent

    def ok(self, data: Index, value: Node) -> bool:
        if self.at_least and self.limit == 0:
            return True
        if isinstance(value, BNode):
            return False
        length = len(_as_string(value))
        return length >= self.limit if self.at_least else length <= self.limit


class _Range(_PerValue):
    """sh:minInclusive and friends: ``accept`` says which compare_literal outcomes pass."""

    def __init__(
        self, shape: Shape, bound: Literal, component: URIRef, accept: Callable[[int], bool]
    ) -> None:
        super().__init__(shape)
        self.bound = bound
        self.component = component
        self.accept = accept
        self.bound_is_string = isinstance(bound.value, str)
        # Two well-formed xsd:integer literals compare as their int values (the common case, and
        # what compare_literal does for them); anything else goes through compare_literal.
        self.int_bound = (
            bound.value
            if bound.datatype == XSD.integer and type(bound.value) is int and bound.ill_typed is not True
            else None
        )

    def ok(self, data: Index, value: Node) -> bool:
        if not isinstance(value, Literal):
            return False
        number = value.value
        if self.int_bound is not None and type(number) is int and value.datatype == XSD_INTEGER:
            return self.accept((number > self.int_bound) - (number < self.int_bound))
        if isinstance(number, str) != self.bound_is_string:
            return False
        try:
            return self.accept(compare_literal(value, self.bound))
        except (TypeError, NotImplementedError):
            return False


def _both_integers(a: Node, b: Node) -> bool:
    """Two well-formed xsd:integer literals, which rdflib compares as Python ints."""
    return (
        type(a) is Literal
        and type(b) is Literal
        and type(a.value) is int
        and type(b.value) is int
        and a.datatype == XSD_INTEGER
        and b.datatype == XSD_INTEGER
    )


class _LessThanOrEquals(Constraint):
    component = SH.LessThanOrEqualsConstraintComponent

    def __init__(self, shape: Shape, other: URIRef) -> None:
        super().__init__(shape)
        self.other = other

    @staticmethod
    def _comparable(node: Node) -> tuple[object, bool]:
        if isinstance(node, BNode):
            raise ValueError("Cannot use sh:lessThanOrEquals to compare a BlankNode.")
        if isinstance(node, URIRef):
            return str(node), True
        if isinstance(node, Literal) and isinstance(node.value, str):
            return node.value, True
        return node, False

    def evaluate(self, data: Index, values: FocusValues) -> tuple[bool, Reports]:
        # pySHACL's _compare_ltoe: one result per failing (value, other value) pair, same value.
        reports = []
        for f, vs in values.items():
            others = data.objects(f, self.other)
            for v in vs:
                left, left_is_string = self._comparable(v)
                for o in others:
                    if _both_integers(v, o):  # the common case, as rdflib's <= would decide it
                        if v.value <= o.value:  # type: ignore[union-attr]
                            continue
                        reports.append(self.shape.result(f, v, self.component))
                        continue
                    right, right_is_string = self._comparable(o)
                    if left_is_string != right_is_string or not left <= right:  # type: ignore[operator]
                        reports.append(self.shape.result(f, v, self.component))
        return not reports, reports


class _UniqueLang(Constraint):
    component = SH.UniqueLangConstraintComponent

    def evaluate(self, data: Index, values: FocusValues) -> tuple[bool, Reports]:
        reports = []
        for f, vs in values.items():
            seen: set[str] = set()
            duplicated: set[str] = set()
            for v in vs:
                if isinstance(v, Literal) and v.language:
                    lang = str(v.language).lower()
                    (duplicated if lang in seen else seen).add(lang)
            reports.extend(self.shape.result(f, None, self.component) for _ in duplicated)
        return not reports, reports


class _Or(_PerValue):
    component = SH.OrConstraintComponent

    def __init__(self, shape: Shape, members: list[Shape]) -> None:
        super().__init__(shape)
        self.members = members

    def ok(self, data: Index, value: Node) -> bool:
        # Every member is run, as pySHACL does; their own results are dropped.
        return any([m.validate(data, (value,))[0] for m in self.members])


class _Node(Constraint):
    component = SH.NodeConstraintComponent

    def __init__(self, shape: Shape, target: Shape) -> None:
        super().__init__(shape)
        self.target = target

    def evaluate(self, data: Index, values: FocusValues) -> tuple[bool, Reports]:
        reports = []
        for f, vs in values.items():
            for v in vs:
                conforms, details = self.target.validate(data, (v,))
                if not conforms or details:
                    reports.append(self.shape.result(f, v, self.component, tuple(details)))
        return not reports, reports


class _Property(Constraint):
    component = SH.PropertyConstraintComponent

    def __init__(self, shape: Shape, target: Shape) -> None:
        super().__init__(shape)
        self.target = target

    def evaluate(self, data: Index, values: FocusValues) -> tuple[bool, Reports]:
        # Each value node is a focus node of the property shape; pySHACL checks them one by one,
        # which gives the same results as checking them together.
        focus = dict.fromkeys(v for vs in values.values() for v in vs)
        return self.target.validate(data, focus) if focus else (True, [])


class _Qualified(Constraint):
    component = SH.QualifiedValueShapeConstraintComponent

    def __init__(self, shape: Shape, target: Shape, low: int | None, high: int | None) -> None:
        super().__init__(shape)
        self.target = target
        self.low = low
        self.high = high

    def evaluate(self, data: Index, values: FocusValues) -> tuple[bool, Reports]:
        total = sum(len(vs) for vs in values.values())
        if total < 1 and (self.low is None or self.low < 1):
            return True, []
        reports = []
        for f, vs in values.items():
            count = sum(1 for v in vs if self.target.validate(data, (v,))[0])
            if self.high is not None and count > self.high:
                reports.append(self.shape.result(f, None, SH.QualifiedMaxCountConstraintComponent))
            if self.low is not None and count < self.low:
                reports.append(self.shape.result(f, None, SH.QualifiedMinCountConstraintComponent))
        return not reports, reports


# ---------------------------------------------------------------------------------------------
# The compiler
# ---------------------------------------------------------------------------------------------


def _shape_nodes(shapes: Graph) -> set[Node]:
    """What pySHACL's ShapesGraph counts as a shape (shapes_graph._build_node_shape_cache)."""
    found = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    for prop in (*_TARGETS, SH.property, SH.node):
        found.update(shapes.subjects(prop, None))
    for prop in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape):
        found.update(shapes.objects(None, prop))
    for prop in (SH["and"], SH["or"], SH.xone):
        for head in shapes.objects(None, prop):
            found.update(_list(shapes, head, f"list of {_curie(prop)}"))
    return found


class Compiler:
    """Turns a shapes graph into Shape objects, refusing what the checker cannot do exactly."""

    def __init__(self, shapes: Graph) -> None:
        self.graph = shapes
        self.shapes: dict[Node, Shape] = {}
        self._building: list[Node] = []
        if (None, RDF.type, SH.ConstraintComponent) in shapes or (None, SH.parameter, None) in shapes:
            raise UnsupportedShapesError("the shapes graph declares its own constraint components")
        class_types = {RDFS.Class, *shapes.subjects(RDFS.subClassOf, RDFS.Class)}
        for node in sorted(_shape_nodes(shapes), key=str):
            shape = self.shape(node)
            if any(t in class_types for t in shapes.objects(node, RDF.type)):
                shape.target_classes += (node,)  # an implicit class target

    def shape(self, node: Node) -> Shape:
        done = self.shapes.get(node)
        if done is not None:
            return done
        where = f"shape {_curie(node) if isinstance(node, URIRef) else 'a blank node'}"
        if node in self._building:
            raise UnsupportedShapesError(f"{where} refers to itself (recursive shapes are not supported)")
        self._building.append(node)
        try:
            shape = self._build(node, where)
        finally:
            self._building.pop()
        self.shapes[node] = shape
        return shape

    def _one(self, node: Node, prop: Node, where: str) -> Node | None:
        values = list(self.graph.objects(node, prop))
        if len(values) > 1:
            raise UnsupportedShapesError(
                f"{where} has {len(values)} values of {_curie(prop)}; SHACL allows one"
            )
        return values[0] if values else None

    def _int(self, node: Node, prop: Node, where: str, datatypes: tuple = (XSD.integer,)) -> int | None:
        value = self._one(node, prop, where)
        if value is None:
            return None
        if not isinstance(value, Literal) or value.datatype not in datatypes or value.ill_typed:
            raise UnsupportedShapesError(f"{where}: {_curie(prop)} must be an integer literal")
        if int(value) < 0:
            raise UnsupportedShapesError(f"{where}: {_curie(prop)} must not be negative")
        return int(value)

    def _build(self, node: Node, where: str) -> Shape:
        g = self.graph
        params = {p for p, _ in g.predicate_objects(node) if str(p).startswith(str(SH))}
        path_node = self._one(node, SH.path, where)
        if path_node is not None and (node, RDF.type, SH.NodeShape) in g:
            raise UnsupportedShapesError(f"{where} is a sh:NodeShape with a sh:path")
        if path_node is None and (node, RDF.type, SH.PropertyShape) in g:
            raise UnsupportedShapesError(f"{where} is a sh:PropertyShape without a sh:path")
        shape = Shape(node, path_node, _compile_path(g, path_node, where) if path_node is not None else None)
        known = _ANNOTATIONS | {SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH["in"]}
        known |= {SH.pattern, SH.minLength, SH.maxLength, SH.minInclusive, SH.maxInclusive, SH.minExclusive}
        known |= {SH.maxExclusive, SH.lessThanOrEquals, SH["or"], SH.node, SH.property, SH.uniqueLang}
        known |= set(_QUALIFIED)
        unknown = sorted(_curie(p) for p in params - known)
        if unknown:
            raise UnsupportedShapesError(
                f"{where} uses {', '.join(unknown)}, which the compiled SHACL checker does not implement"
            )
        severity = self._one(node, SH.severity, where)
        if severity is not None and severity not in _SEVERITIES:
            raise UnsupportedShapesError(
                f"{where}: severity {severity} is not sh:Violation, sh:Warning or sh:Info"
            )
        shape.severity = severity or SH.Violation
        shape.lenient = shape.severity in _ALLOWED_SEVERITIES
        deactivated = self._one(node, SH.deactivated, where)
        if deactivated is not None and not isinstance(deactivated, Literal):
            raise UnsupportedShapesError(f"{where}: sh:deactivated must be a literal")
        shape.deactivated = bool(deactivated is not None and deactivated.value)
        shape.messages = tuple(dict.fromkeys(g.objects(node, SH.message)))
        shape.target_classes = tuple(g.objects(node, SH.targetClass))
        shape.target_subjects_of = tuple(g.objects(node, SH.targetSubjectsOf))
        shape.target_objects_of = tuple(g.objects(node, SH.targetObjectsOf))
        shape.target_nodes = tuple(g.objects(node, SH.targetNode))
        shape.constraints = list(self._constraints(node, shape, where))
        return shape

    def _property_only(self, shape: Shape, prop: Node, where: str) -> None:
        if not shape.is_property:
            raise UnsupportedShapesError(f"{where}: {_curie(prop)} is only allowed on a property shape")

    def _constraints(self, node: Node, shape: Shape, where: str) -> Iterable[Constraint]:
        g = self.graph
        for cls in g.objects(node, SH["class"]):
            yield _Class(shape, cls)
        datatype = self._one(node, SH.datatype, where)
        if datatype is not None:
            yield _Datatype(shape, datatype)
        kind = self._one(node, SH.nodeKind, where)
        if kind is not None:
            yield _NodeKind(shape, kind)
        for prop, at_least in ((SH.minCount, True), (SH.maxCount, False)):
            limit = self._int(node, prop, where)
            if limit is not None:
                self._property_only(shape, prop, where)
                yield _Count(shape, limit, at_least)
        members = self._one(node, SH["in"], where)
        if members is not None:
            yield _In(shape, _list(g, members, where))
        patterns = list(g.objects(node, SH.pattern))
        flags = self._one(node, SH.flags, where)
        for pattern in patterns:
            if not isinstance(pattern, Literal):
                raise UnsupportedShapesError(f"{where}: sh:pattern must be a literal")
            yield _Pattern(shape, pattern, flags)
        for prop, at_least in ((SH.minLength, True), (SH.maxLength, False)):
            limit = self._int(node, prop, where, _WHOLE_INTEGERS)
            if limit is not None:
                yield _Length(shape, limit, at_least)
        ranges: Sequence[tuple[Node, URIRef, Callable[[int], bool]]] = (
            (SH.minInclusive, SH.MinInclusiveConstraintComponent, lambda c: c >= 0),
            (SH.maxInclusive, SH.MaxInclusiveConstraintComponent, lambda c: c <= 0),
            (SH.minExclusive, SH.MinExclusiveConstraintComponent, lambda c: c > 0),
            (SH.maxExclusive, SH.MaxExclusiveConstraintComponent, lambda c: c < 0),
        )
        for prop, component, accept in ranges:
            for bound in g.objects(node, prop):
                if not isinstance(bound, Literal):
                    raise UnsupportedShapesError(f"{where}: {_curie(prop)} must be a literal")
                yield _Range(shape, bound, component, accept)
        for other in g.objects(node, SH.lessThanOrEquals):
            self._property_only(shape, SH.lessThanOrEquals, where)
            if not isinstance(other, URIRef):
                raise UnsupportedShapesError(f"{where}: sh:lessThanOrEquals must be a property IRI")
            yield _LessThanOrEquals(shape, other)
        unique = self._one(node, SH.uniqueLang, where)
        if unique is not None:
            self._property_only(shape, SH.uniqueLang, where)
            if not isinstance(unique, Literal) or not isinstance(unique.value, bool):
                raise UnsupportedShapesError(f"{where}: sh:uniqueLang must be a boolean")
            if unique.value:
                yield _UniqueLang(shape)
        for head in g.objects(node, SH["or"]):
            members = [self.shape(m) for m in _list(g, head, where)]
            if not members:
                raise UnsupportedShapesError(f"{where}: sh:or needs a non-empty list of shapes")
            yield _Or(shape, members)
        for target in g.objects(node, SH.node):
            target_shape = self.shape(target)
            if target_shape.is_property:
                raise UnsupportedShapesError(f"{where}: sh:node points to a property shape")
            yield _Node(shape, target_shape)
        for target in g.objects(node, SH.property):
            target_shape = self.shape(target)
            if not target_shape.is_property:
                raise UnsupportedShapesError(f"{where}: sh:property points to a shape without sh:path")
            yield _Property(shape, target_shape)
        yield from self._qualified(node, shape, where)

    def _qualified(self, node: Node, shape: Shape, where: str) -> Iterable[Constraint]:
        g = self.graph
        targets = list(g.objects(node, SH.qualifiedValueShape))
        if not targets:
            if any((node, p, None) in g for p in _QUALIFIED):
                raise UnsupportedShapesError(f"{where}: a qualified count without sh:qualifiedValueShape")
            return
        self._property_only(shape, SH.qualifiedValueShape, where)
        disjoint = list(g.objects(node, SH.qualifiedValueShapesDisjoint))
        if any(isinstance(d, Literal) and d.value is True for d in disjoint):
            raise UnsupportedShapesError(f"{where}: sh:qualifiedValueShapesDisjoint is not supported")
        low = self._int(node, SH.qualifiedMinCount, where)
        high = self._int(node, SH.qualifiedMaxCount, where)
        if low is None and high is None:
            raise UnsupportedShapesError(f"{where}: sh:qualifiedValueShape without a qualified count")
        for target in targets:
            yield _Qualified(shape, self.shape(target), low, high)


class Checker:
    """The compiled shapes: ``check(triples)`` gives every result pySHACL would report."""

    def __init__(self, shapes: Graph) -> None:
        # One object per IRI, shared by the compiled shapes and (through Index) the data's
        # predicates and classes, so that index lookups succeed on identity.
        self.terms: dict[Node, Node] = {RDF_TYPE: RDF_TYPE, SUBCLASS_OF: SUBCLASS_OF}
        interned = Graph()
        for triple in shapes:
            interned.add(tuple(self.terms.setdefault(t, t) for t in triple))  # type: ignore[arg-type]
        compiled = Compiler(interned).shapes
        self.shapes = compiled
        self.roots = [s for _, s in sorted(compiled.items(), key=lambda kv: str(kv[0])) if s.has_targets]
        # The predicates whose subjects are looked up: rdf:type (class targets), target
        # predicates and those walked backwards by inverse paths.
        indexed = {RDF_TYPE}
        for shape in compiled.values():
            indexed.update(shape.target_subjects_of, shape.target_objects_of)
            if shape.path is not None:
                indexed.update(_backward_predicates(shape.path))
        self.indexed = frozenset(indexed)

    def check(self, triples: Iterable[Triple]) -> tuple[list[Result], Index]:
        data = Index(triples, self.terms, self.indexed)
        results: list[Result] = []
        for shape in self.roots:
            focus = shape.focus_nodes(data)
            if focus:
                results.extend(shape.validate(data, focus)[1])
        return results, data


def compile_shapes(shapes: Graph) -> Checker:
    """Compile a shapes graph, or raise UnsupportedShapesError naming the shape and what it uses."""
    return Checker(shapes)
