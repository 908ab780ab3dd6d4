"""An EDC checked against the EDC application profile's SHACL shapes, compiled once.

Specification: *Shapes Constraint Language (SHACL)*, W3C Recommendation, 20 July 2017 —
https://www.w3.org/TR/shacl/ — and the EDC application profiles of ELM v3
(``http://data.europa.eu/snb/model/ap/edc-generic-no-cv``, ``…/edc-generic-full`` and the
profiles that import it), published as Turtle by the European Commission.

A credential names the profile it is checked against in ``credentialSchema`` (type
``ShaclValidator2017``); each profile's file ``owl:imports`` the one below it, so the shapes
of ``edc-generic-full`` are its file's and ``edc-generic-no-cv``'s together.
:class:`CompiledShapes` parses them and lets pyshacl compile them into shape objects once
(a few hundred milliseconds for the 200 KB of ``edc-generic-no-cv``); each validation then
costs only the credential's own graph. The credential's graph is its JSON-LD expansion to
RDF, made by the caller with credstack's document loader (nothing here fetches a context).

Patterns (``sh:pattern``) written for Java's regular expressions — the LOQ shapes' — are
rewritten for Python's ``re`` as the shapes are read (:mod:`credstack.core.elm.patterns`).

What keeps a validation near 15 ms CPU for a 110 KB EDC (it took 50, then 30), none of it
changing what pySHACL finds (``test_shapes.py`` compares every finding with
``pyshacl.validate``'s, on the samples and on broken variants of them):

* only the shapes that can have a focus node in the credential are run, and a property
  shape that holds on a node without values is not run on a node without values
  (:class:`_CompiledShape`);
* the shapes graph, fixed once compiled, answers each triple pattern once and then from a
  dict (:class:`_AnsweredGraph`), and the credential's graph is read through an index of its
  statements made per validation (:class:`_IndexedView`);
* pySHACL's list of constraint parameters answers ``in`` from a set, and a compiled shape's
  constraint components are made once, not at every evaluation
  (:func:`_index_constraint_parameters`, :class:`_MadeOnce`), its name worked out once;
* the results of an ``sh:or`` branch, which pySHACL drops, are not made (:class:`_CompiledOr`).
"""

from __future__ import annotations

import contextvars
import functools
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import pyshacl.shape
import rdflib
from pyshacl import ShapesGraph, Validator
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.constraints.constraint_component import ConstraintComponent
from pyshacl.constraints.core.logical_constraints import OrConstraintComponent
from pyshacl.graph_abstraction import DataGraph
from pyshacl.rdfutil.stringify import stringify_blank_node
from pyshacl.shape import Shape
from rdflib.namespace import RDF, RDFS, SH
from rdflib.paths import Path

from credstack.core.elm.patterns import python_patterns
from credstack.errors import Problem

__all__ = ["MAX_FINDINGS", "CompiledShapes", "ShapeFinding"]

#: The most findings one validation lists (a converted document may break hundreds).
MAX_FINDINGS: Final = 50

_LOG: Final = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ShapeFinding:
    """One SHACL result: the node, the property path, the constraint and its message."""

    focus: str
    path: str
    constraint: str
    message: str
    severity: str

    def problem(self) -> Problem:
        where = f"{self.focus} {self.path}".strip()
        constraint = self.constraint.rsplit("#", 1)[-1]
        return Problem(where, f"{self.message} ({constraint})",
                       f"SHACL 制約 {constraint} に違反しています：{self.path or self.focus}",
                       "elm-shapes")


def _short(term: object) -> str:
    """A term as the finding names it: the local name of an ELM, W3C or SKOS IRI."""
    text = str(term) if term is not None else ""
    for namespace, prefix in (("http://data.europa.eu/snb/model/elm/", "elm:"),
                              ("https://www.w3.org/2018/credentials#", "cred:"),
                              ("http://purl.org/dc/terms/", "dc:"),
                              ("http://www.w3.org/2004/02/skos/core#", "skos:")):
        if text.startswith(namespace):
            return prefix + text[len(namespace):]
    return text


class _IndexedParameters(list[rdflib.term.Node]):
    """pyshacl's constraint parameters, answering ``in`` from a set.

    For each shape it evaluates, pyshacl keeps those of the shape's predicates that are
    constraint parameters, testing ``predicate in ALL_CONSTRAINT_PARAMETERS``, a list of
    about forty IRIs: half of an EDC's validation went on comparing IRIs there. The list is
    kept (pyshacl copies it and appends to it when advanced features are on), in its order.
    """

    __slots__ = ("_members",)

    def __init__(self, members: Iterable[rdflib.term.Node]) -> None:
        super().__init__(members)
        self._members = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _index_constraint_parameters() -> None:
    """Give pyshacl its constraint parameters as :class:`_IndexedParameters`.

    ``pyshacl.shape`` reads them from its module attribute ``CONSTRAINT_PARAMS`` (filled on
    first use); setting it first changes how fast ``in`` answers, not what it answers, for
    every pyshacl user in the process. ``test_shapes.py`` checks the attribute is still read.
    """
    current = getattr(pyshacl.shape, "CONSTRAINT_PARAMS", None)
    if isinstance(current, tuple) and isinstance(current[0], _IndexedParameters):
        return
    once = {kind: _MadeOnce(kind) for kind in set(CONSTRAINT_PARAMETERS_MAP.values())}
    pyshacl.shape.CONSTRAINT_PARAMS = (  # type: ignore[attr-defined]
        _IndexedParameters(ALL_CONSTRAINT_PARAMETERS),
        {parameter: once[kind] for parameter, kind in CONSTRAINT_PARAMETERS_MAP.items()})


class _MadeOnce:
    """One of pySHACL's constraint component classes, whose components of a compiled shape
    are made once and kept.

    pySHACL makes each constraint component of a shape anew every time it evaluates the
    shape (``constraint_component(shape)``), reading the shape's parameters from the shapes
    graph again: for an EDC, some 2,000 components per validation, an eighth of its time.
    A component only reads the shape and the shapes graph when it is made, and nothing in it
    changes when it evaluates, so a compiled shape's component is made the first time and
    used again; the shapes of any other shapes graph get a new one each time, as before.
    One per class, as pySHACL's map has: it evaluates each class once per shape.
    """

    __slots__ = ("compiled", "kind")

    def __init__(self, kind: type[Any]) -> None:
        self.kind = kind
        #: The class a compiled shape's components are of: the same, their results in an
        #: ``sh:or`` branch made only when read (:class:`_UnmadeResult`).
        self.compiled: type[Any] = type(kind.__name__, (
            _CompiledOr if issubclass(kind, OrConstraintComponent) else _CompiledComponent,
            kind), {"__slots__": ()})

    def __call__(self, shape: Shape) -> Any:
        if not isinstance(shape.sg, _CompiledGraph):
            return self.kind(shape)
        made = shape.sg.components
        key = (shape, self.kind)
        component = made.get(key)
        if component is None:
            component = made[key] = self.compiled(shape)
        return component


#: Whether pySHACL is evaluating the branches of an ``sh:or`` of a compiled shape (in this
#: thread), where the results found are not reported, only whether there are any.
_IN_OR_BRANCH: Final = contextvars.ContextVar("_IN_OR_BRANCH", default=False)


class _UnmadeResult(tuple[str, Any, list[Any]]):
    """A validation result pySHACL asked for in an ``sh:or`` branch, not made: an empty
    description, no node, no triples — all a branch's results are read for is that there
    are some (its own conformance is worked out apart), and the branch's are dropped
    (``sh:or`` reports one result of its own when no branch holds). ``make`` makes it, for
    the ``sh:or``'s own results."""

    make: Callable[[], Any]

    def __new__(cls, make: Callable[[], Any]) -> _UnmadeResult:
        unmade = super().__new__(cls, ("", None, []))
        unmade.make = make
        return unmade


class _CompiledComponent(ConstraintComponent):
    """A constraint component of a compiled shape, whose results are not made inside an
    ``sh:or`` branch.

    pySHACL makes every result in full (its message, each node written out with the shapes
    graph's prefixes) even where no one reads it: an EDC's shapes hold some 500 ``sh:or``
    lists, mostly of ``sh:class`` alternatives, and the results of the branches that do not
    hold were a seventh of a conforming EDC's validation.
    """

    __slots__ = ()

    def make_v_result(self, *args: Any, **kwargs: Any) -> Any:
        if _IN_OR_BRANCH.get():
            return _UnmadeResult(functools.partial(super().make_v_result, *args, **kwargs))
        return super().make_v_result(*args, **kwargs)


class _CompiledOr(_CompiledComponent, OrConstraintComponent):
    """``sh:or`` of a compiled shape: its branches evaluated with their results unmade, its
    own results made unless it is itself in a branch."""

    __slots__ = ()

    def _evaluate_or_constraint(self, *args: Any) -> tuple[bool, list[Any]]:
        outer = _IN_OR_BRANCH.get()
        token = _IN_OR_BRANCH.set(True)
        try:
            non_conformant, results = super()._evaluate_or_constraint(  # type: ignore[no-untyped-call]
                *args)
        finally:
            _IN_OR_BRANCH.reset(token)
        if not outer:
            results = [result.make() if isinstance(result, _UnmadeResult) else result
                       for result in results]
        return non_conformant, results


#: The constraint parameters that only constrain each value node, or their number from
#: above, so that a property shape made of them holds on a focus node without values: all
#: but ``sh:minCount``, ``sh:hasValue``, ``sh:equals``, the qualified value shapes, SPARQL
#: and what pySHACL adds when advanced features are on (SHACL §4).
_EACH_VALUE: Final = frozenset({
    SH["class"], SH.datatype, SH.nodeKind, SH.maxCount, SH.pattern, SH.flags, SH.minLength,
    SH.maxLength, SH["in"], SH.node, SH["or"], SH["and"], SH["not"], SH.xone, SH.property,
    SH.uniqueLang, SH.languageIn, SH.disjoint, SH.lessThan, SH.lessThanOrEquals,
    SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive})


class _CompiledShape(Shape):
    """A shape of a compiled shapes graph, its name (``str``) worked out once: pySHACL
    writes it into a debug message at every evaluation, logged or not.

    A property shape of a simple path whose constraints all hold on a node without values
    (:data:`_EACH_VALUE`) is not evaluated on a focus node without values: it holds there,
    with no results. An EDC's profile gives each class dozens of optional properties, most
    absent from a credential: of some 600 property shapes evaluated for the EC's sample,
    325 had no value, a third of its validation.
    """

    __slots__ = ()

    def validate(self, executor: Any, target_graph: Any, focus: Any = None,
                 _evaluation_path: list[Any] | None = None) -> Any:
        path = self.sg.each_value.get(self)  # type: ignore[attr-defined]
        # A validation path too deep is pySHACL's error before anything else: left to it.
        if path is not None and focus is not None and not (
                _evaluation_path
                and len(_evaluation_path) // 2 >= executor.max_validation_depth):
            nodes = (focus,) if isinstance(focus, rdflib.term.Identifier) else list(focus)
            focus = focus if isinstance(focus, rdflib.term.Identifier) else nodes
            if not any(True for node in nodes for _value in target_graph.objects(node, path)):
                return True, []
        return super().validate(executor, target_graph, focus, _evaluation_path)

    def __str__(self) -> str:
        names = self.sg.names  # type: ignore[attr-defined]
        text: str | None = names.get(self)
        if text is None:
            text = names[self] = Shape.__str__(self)  # type: ignore[no-untyped-call]
        return text


class _CompiledGraph(ShapesGraph):
    """pySHACL's shapes graph, compiled once, with what is kept of its shapes."""

    def __init__(self, graph: rdflib.Graph) -> None:
        super().__init__(graph, logger=_LOG)
        self.components: dict[tuple[Shape, type[Any]], Any] = {}
        self.names: dict[Shape, str] = {}
        # Compiling is lazy in pyshacl; doing it now keeps it out of the first validation.
        #: The simple path of each property shape that holds on a node without values.
        self.each_value: dict[Shape, rdflib.URIRef] = {}
        custom = bool(self.custom_constraints)
        for shape in self.shapes:
            shape.__class__ = _CompiledShape
            path = shape.path() if shape.is_property_shape else None
            if isinstance(path, rdflib.URIRef) and not custom and all(
                    parameter in _EACH_VALUE for parameter, _value in graph.predicate_objects(
                        shape.node) if parameter in ALL_CONSTRAINT_PARAMETERS):
                self.each_value[shape] = path


class _AnsweredGraph(rdflib.Graph):
    """A shapes graph that no longer changes, each triple pattern asked of it answered once.

    pySHACL reads the shapes graph again at every shape it evaluates (the shape's
    predicates, its ``sh:path``, ``sh:class``, ``sh:or`` lists …): some 40 % of an EDC's
    validation went on the same few thousand lookups, each walking rdflib's indexes. The
    graph is fixed once compiled, so each pattern's matches are kept the first time they are
    asked, as a tuple; a pattern naming a term the graph does not hold matches nothing and
    is not kept, so what is kept is bounded by the graph, not by the credentials checked.
    Property paths are evaluated as rdflib evaluates them (over the kept patterns).
    """

    def __init__(self, source: rdflib.Graph) -> None:
        # The same prefixes: pySHACL writes a result's path with them ("cred:issued").
        super().__init__(store="SimpleMemory", bind_namespaces="none")
        for prefix, namespace in source.namespace_manager.namespaces():
            self.namespace_manager.bind(prefix, namespace, override=True, replace=True)
        # With the two triples pySHACL adds to every shapes graph it wraps (its own
        # ``ShapesGraph.system_triples``), so that adding them again changes nothing.
        triples = [*source, *ShapesGraph.system_triples]
        store = self.store
        for triple in triples:
            store.add(triple, self)
        self._terms = frozenset(term for triple in triples for term in triple)
        self._answers: dict[tuple[object, ...], tuple[Any, ...]] = {}

    def add(self, triple: Any) -> _AnsweredGraph:
        """Refused for a triple it does not hold (pySHACL adds its two system triples each
        time it wraps a graph; they are already here)."""
        if triple in self:
            return self
        raise TypeError("the compiled shapes graph does not change")

    def _matches(self, pattern: tuple[Any, Any, Any]) -> tuple[Any, ...]:
        answer = self._answers.get(pattern)
        if answer is None:
            if any(term is not None and term not in self._terms for term in pattern):
                return ()
            answer = self._answers[pattern] = tuple(super().triples(pattern))
        return answer

    def triples(self, triple: Any) -> Any:
        if isinstance(triple[1], Path):
            return super().triples(triple)
        return iter(self._matches(triple))

    def objects(self, subject: Any = None, predicate: Any = None,
                unique: bool = False) -> Any:
        if unique or isinstance(subject, list) or isinstance(predicate, Path):
            return super().objects(subject, predicate, unique)
        return (o for _s, _p, o in self._matches((subject, predicate, None)))

    def predicate_objects(self, subject: Any = None,
                          unique: bool = False) -> Any:
        if unique:
            return super().predicate_objects(subject, unique)
        return ((p, o) for _s, p, o in self._matches((subject, None, None)))


class _IndexedView(rdflib.Graph):
    """The credential's graph as one validation reads it: the same store (nothing copied),
    with its statements indexed by subject and predicate and by predicate and object.

    pySHACL asks the data graph for a node's values of a property (``sh:path``), a node's
    ``rdf:type`` (``sh:class``) and a class's instances (``sh:targetClass``) thousands of
    times per validation; rdflib's context-aware store answers each after working out which
    graphs every statement is in, an eighth of an EDC's validation. A validation does not
    write to the data graph (no inference, no rules, in place), and the view lasts one
    validation; any other pattern is asked of the store as before.
    """

    def __init__(self, graph: rdflib.Graph) -> None:
        # No namespaces bound here: the store's, which the graph bound, are the view's.
        super().__init__(store=graph.store, identifier=graph.identifier,
                         bind_namespaces="none")
        by_subject: dict[tuple[Any, Any], list[tuple[Any, Any, Any]]] = {}
        by_object: dict[tuple[Any, Any], list[tuple[Any, Any, Any]]] = {}
        for triple in graph:
            by_subject.setdefault((triple[0], triple[1]), []).append(triple)
            by_object.setdefault((triple[1], triple[2]), []).append(triple)
        self._by_subject = by_subject
        self._by_object = by_object

    def forget(self) -> None:
        """Let its index go now: the view and the rdflib objects around it hold one another,
        so only the garbage collector would free it, after its young generations had passed
        it on to the old one, making the full collections (~100 ms each) come more often:
        120 first-sight verifications of the bench's EDC made five, two with this (one before
        the view)."""
        self._by_subject.clear()
        self._by_object.clear()

    def triples(self, triple: Any) -> Any:
        subject, predicate, value = triple
        if predicate is None or isinstance(predicate, Path):
            return super().triples(triple)
        if subject is not None:
            found = self._by_subject.get((subject, predicate), ())
            return iter(found) if value is None else (t for t in found if t[2] == value)
        if value is not None:
            return iter(self._by_object.get((predicate, value), ()))
        return super().triples(triple)

    def objects(self, subject: Any = None, predicate: Any = None,
                unique: bool = False) -> Any:
        if unique or subject is None or predicate is None or isinstance(subject, list) \
                or isinstance(predicate, Path):
            return super().objects(subject, predicate, unique)
        return (t[2] for t in self._by_subject.get((subject, predicate), ()))

    def subjects(self, predicate: Any = None, object: Any = None,
                 unique: bool = False) -> Any:
        if unique or object is None or predicate is None or isinstance(object, list) \
                or isinstance(predicate, Path):
            return super().subjects(predicate, object, unique)
        return (t[0] for t in self._by_object.get((predicate, object), ()))


class CompiledShapes:
    """The shapes of one application profile, parsed and compiled once; thread-safe to share
    once made (validation only reads them)."""

    def __init__(self, profile: str, turtle: Sequence[str]) -> None:
        _index_constraint_parameters()
        graph = rdflib.Graph(store="SimpleMemory")
        for text in turtle:
            graph.parse(data=text, format="turtle")
        #: The patterns written for Java that ``re`` cannot take (each with why), taken out
        #: of the shapes: :mod:`credstack.core.elm.patterns` rewrites the others.
        self.refused_patterns = tuple(python_patterns(graph))
        self.profile = profile
        # Only the answered copy is kept: a second graph of ~20,000 statements would be that
        # many more objects for every full garbage collection to walk.
        self._graph = graph = _AnsweredGraph(graph)
        self._compiled = _CompiledGraph(graph)
        # The shapes each class targets (sh:targetClass), and those targeted otherwise
        # (sh:targetNode, sh:targetSubjectsOf …, a shape that is also a class): see validate.
        self._by_class: dict[rdflib.term.Node, list[rdflib.term.Node]] = {}
        for shape, target in graph.subject_objects(SH.targetClass):
            self._by_class.setdefault(target, []).append(shape)
        self._always = sorted(
            {shape for predicate in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                                     SH.target) for shape in graph.subjects(predicate, None)}
            | (set(graph.subjects(RDF.type, RDFS.Class))
               & set(graph.subjects(RDF.type, SH.NodeShape))), key=str)

    def validate(self, credential_graph: rdflib.Graph, *, limit: int | None = MAX_FINDINGS
                 ) -> list[ShapeFinding]:
        """The violations of ``credential_graph`` (its RDF), the first ``limit`` of them
        (all with ``None``); empty when it conforms.

        Only the shapes that can have a focus node in it are run: those targeting a class an
        instance of which it holds, and those targeted otherwise. A class target also reaches
        instances of subclasses (SHACL §2.1.3.3), so a graph that states any
        ``rdfs:subClassOf`` is checked against every shape. This halves the time of an EDC,
        whose profile has seventy class-targeted shapes and uses some forty of them.
        """
        options: dict[str, object] = {"inference": "none", "advanced": False, "inplace": True,
                                      "logger": _LOG}
        if (None, RDFS.subClassOf, None) not in credential_graph:
            present = set(credential_graph.objects(None, RDF.type))
            options["use_shapes"] = [*self._always, *(
                shape for target, shapes in self._by_class.items() if target in present
                for shape in shapes)]
        view = _IndexedView(credential_graph)
        validator = Validator(DataGraph.from_rdflib(view), shacl_graph=self._graph,
                              options=options)
        # pyshacl's Validator wraps the rdflib graph in a fresh ShapesGraph and so would
        # compile every shape again on each call; giving it the compiled one is what makes a
        # validation cost the credential's graph only (pyshacl has no public way to reuse it).
        validator.shacl_graph = self._compiled
        try:
            conforms, report, _text = validator.run()  # type: ignore[no-untyped-call]
        finally:
            view.forget()
            _forget_blank_node_texts()
        if conforms:
            return []
        return _findings(report, limit)


def _forget_blank_node_texts() -> None:
    """Empty pySHACL's texts of blank nodes, ``pyshacl.rdfutil.stringify.stringify_blank_node
    .dict_cache``, module-level: done after each validation, while its graph is alive.

    pySHACL writes a blank node that a result names (a focus or value node, in the message of
    ``sh:minCount`` …) as the text of its statements and keeps that text in the dict for good,
    keyed by ``(id(graph), label)``: a slow leak per finding on a blank node, 330 KB at once
    for a credential whose nodes have no id (all its nodes, each with its text). And Python
    gives a freed graph's id to a later one, whose first blank node is ``b0`` too: a message
    then read an earlier credential's text (another learner's data). Emptied after each
    validation, the dict holds only the texts of validations under way (one validation
    running alongside loses its texts and writes them again); the texts of the shapes graph's
    blank nodes are written again at the next validation that names them.
    """
    stringify_blank_node.dict_cache.clear()


def _findings(report: rdflib.Graph, limit: int | None) -> list[ShapeFinding]:
    found = []
    for result in report.objects(None, SH.result):
        found.append(ShapeFinding(
            focus=_short(report.value(result, SH.focusNode)),
            path=_short(report.value(result, SH.resultPath)),
            constraint=_short(report.value(result, SH.sourceConstraintComponent)),
            message=str(report.value(result, SH.resultMessage) or "constraint violated"),
            severity=_short(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]))
    found.sort(key=lambda f: (f.severity != "Violation", f.path, f.focus))
    return found[:limit]
