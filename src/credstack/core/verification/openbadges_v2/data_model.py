"""The contexts and data-model steps: the Open Badges 2.0 context and the validator's shape
rules."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Final

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.credentials.blockcerts import V2_MEMBERS as BLOCKCERTS_V2_MEMBERS
from credstack.core.credentials.blockcerts import is_blockcerts_v2
from credstack.core.said import Said, placed
from credstack.core.verification.checks import (
    Refusal,
    failed,
    passed,
    problem_dicts,
    problem_of_refusal,
)
from credstack.core.verification.data_model import rules_broken, said_at
from credstack.core.verification.json_values import items
from credstack.core.verification.openbadges_v2.graph import (
    BADGE,
    Memo,
    Node,
    Ob2State,
    badge_class,
    is_revoked,
    issuer_profile,
)
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, Notice
from credstack.errors import Problem

__all__ = ["check_contexts", "check_data_model"]

#: Validation of a fetched document: (id of its parse, class, where) → (parse, problems, notes).
_VALIDATED: Final = Memo(512)


def check_contexts(state: Ob2State) -> Check:
    """``contexts``: the Open Badges 2.0 JSON-LD context, first (nothing is fetched)."""
    if state.document is None:
        return unread("contexts", BADGE)
    errors, warnings = ob2.context_problems(state.document)
    notices = [_noticed("context-not-loaded", problem) for problem in warnings]
    if errors:
        return failed("contexts", "context", Said(
            "verification.check.ob2.data_model.not_ob2", location=errors[0].location,
            what=said_at(dataclasses.replace(errors[0], location=""))),
                      warnings=notices, problems=problem_dicts(errors))
    return passed("contexts", Said("verification.check.ob2.data_model.context_used",
                                   url=ob2.CONTEXT_URL), warnings=notices)


def _validate_node(node: Mapping[str, Any], class_name: str, where: str, *, fetched: bool,
                   problems: list[Problem], notices: list[Notice]) -> None:
    key = (id(node), class_name, where) if fetched else None
    known = _VALIDATED.get(key) if key is not None else None
    # The memo holds the parse itself, so its id cannot be reused by another object.
    if known is not None and known[0] is node:
        problems.extend(known[1])
        notices.extend(known[2])
        return
    errors, warnings = ob2.validate(node, class_name, where)
    found = [*errors, *ob2.extension_problems(node, where)]
    if fetched:
        context_errors, _ = ob2.context_problems(node)
        found.extend(dataclasses.replace(p, location=f"{where}.{p.location}") if where else p
                     for p in context_errors)
    noted = [_noticed("data-model-warning", p) for p in warnings]
    if key is not None:
        _VALIDATED.put(key, (node, tuple(found), tuple(noted)))
    problems.extend(found)
    notices.extend(noted)


def _graph_problems(state: Ob2State, problems: list[Problem], notices: list[Notice]) -> None:
    """Validate the BadgeClass and issuer Profile a document names (fetching them)."""
    assert state.document is not None
    try:
        badge = badge_class(state)
    except Refusal as refusal:
        problems.append(problem_of_refusal("badge", refusal))
        return
    notices.extend(badge.notices)
    if state.kind == "Assertion":
        _validate_node(badge.document, "BadgeClass", "badge",
                       fetched=badge.location is not None, problems=problems, notices=notices)
    try:
        issuer = issuer_profile(state)
    except Refusal as refusal:
        problems.append(problem_of_refusal(
            "badge.issuer" if state.kind == "Assertion" else "issuer", refusal))
        return
    notices.extend(issuer.notices)
    where = "badge.issuer" if state.kind == "Assertion" else "issuer"
    kind = "Issuer" if "Issuer" in ob2.types_of(issuer.document) else "Profile"
    _validate_node(issuer.document, kind, where, fetched=issuer.location is not None,
                   problems=problems, notices=notices)


def check_data_model(state: Ob2State) -> Check:
    """``data-model``: the Badge Object, its BadgeClass and issuer, by the OB 2.0 rules."""
    document = state.document
    if document is None:
        return unread("data-model", BADGE)
    kind = state.kind or "Unknown"
    problems: list[Problem] = []
    notices: list[Notice] = []
    errors, warnings = ob2.validate(document, kind)
    problems.extend(errors)
    problems.extend(ob2.extension_problems(document))
    notices.extend(_noticed("data-model-warning", p) for p in warnings)
    if state.jws is not None and ob2.verification_type(document) != "signed":
        problems.append(Problem("verification.type", code="ob2.rule.signed_undeclared"))
    if (kind == "Assertion" and not is_revoked(state)) or kind == "BadgeClass":
        _graph_problems(state, problems, notices)
    endorsements = sum(1 for node in (document, *_graph_documents(state))
                       for _ in items(node.get("endorsement")))
    if endorsements:
        notices.append(Notice("endorsements-not-verified", said=Said(
            "verification.check.ob2.data_model.endorsements_not_verified", count=endorsements)))
    if is_blockcerts_v2(document):
        problems = [problem for problem in problems if not _blockcerts_term(problem)]
    if problems:
        return rules_broken(problems, rules="ob2", warnings=notices, kind=kind)
    shown = "revoked" if is_revoked(state) else {
        "Assertion": "assertion", "BadgeClass": "badge_class"}.get(str(kind), "document")
    return passed("data-model", Said(f"verification.check.ob2.data_model.kept_{shown}",
                                     kind=kind), warnings=notices, kind=kind)


def _noticed(code: str, problem: Problem) -> Notice:
    """A warning the validation found, said after its location."""
    said = placed(problem)
    return Notice(code, said=said) if isinstance(said, Said) else Notice(code, said, said)


def _graph_documents(state: Ob2State) -> list[Mapping[str, Any]]:
    found = []
    for name in ("badge", "issuer"):
        node = state.graph.get(name)
        if isinstance(node, Node) and node.document is not state.document:
            found.append(node.document)
    return found


def _blockcerts_term(problem: Problem) -> bool:
    """A "problem" that is a term of the Blockcerts v2 context a certificate names: its
    verification type and its receipt and recipient profile, which that context defines
    (they are no Open Badges 2.0 extensions needing a context of their own)."""
    member, _, rest = problem.location.partition(".")
    return member in BLOCKCERTS_V2_MEMBERS and rest in {"@context", "type"}
