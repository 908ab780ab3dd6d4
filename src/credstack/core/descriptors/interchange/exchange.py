"""The exchange formats: CTDL JSON-LD and Open Badges 3.0 achievements, read as records and
written from documents."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from credstack.core.descriptors import ctdl
from credstack.core.descriptors.achievement import (
    EXTENSION_PROPERTY,
    _camel,
    build_achievement,
    descriptors_from_achievement,
)
from credstack.core.descriptors.elm.datasets import looks_like_dataset
from credstack.core.descriptors.interchange.documents import Format, _Record
from credstack.core.descriptors.interchange.problems import format_path, kind_of
from credstack.core.descriptors.models import AwardedMicroCredential, Programme
from credstack.core.said import Said
from credstack.errors import InputError, Problem, UnreadableInputError

#: The ``type`` values that make a JSON object an OB 3.0 achievement or a credential of one.
_ACHIEVEMENT_TYPES = frozenset({"Achievement"})
_CREDENTIAL_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})


def _ob_types(item: Any) -> set[str]:
    value = item.get("type") if isinstance(item, dict) else None
    values = value if isinstance(value, list) else [value]
    return {v for v in values if isinstance(v, str)}


def exchange_format(data: Any) -> Format | None:
    """CTDL, OB3 or ELM when decoded JSON has the shape of one, else None (descriptor
    JSON)."""
    # An ELM dataset is a JSON-LD @graph too: its context tells it from CTDL's.
    if looks_like_dataset(data):
        return Format.ELM
    if ctdl.looks_like_ctdl(data):
        return Format.CTDL
    first = data[0] if isinstance(data, list) and data else data
    if _ob_types(first) & (_ACHIEVEMENT_TYPES | _CREDENTIAL_TYPES):
        return Format.OB3
    return None


def _ctdl_records(data: Any, source: str) -> tuple[list[_Record], list[_Record]]:
    try:
        nodes, is_graph = ctdl.graph_nodes(data)
    except InputError as exc:
        raise UnreadableInputError(code="editor.interchange.refused.ctdl_not_document",
                                   params={"source": source, "why": exc.message}) from None
    graph = {node["@id"]: node for node in nodes
             if isinstance(node, dict) and isinstance(node.get("@id"), str)}
    organisations: list[_Record] = []
    programmes: list[_Record] = []
    for index, node in enumerate(nodes):
        label = f"{source}: record {index + 1} (@graph[{index}])" if is_graph else source
        kind = ctdl.node_kind(node)
        if kind is None:
            if not isinstance(node, dict):
                programmes.append(_Record(node, label, problem=Said(
                    "editor.interchange.problem.ctdl_not_a_node", kind=kind_of(node))))
            # Nodes of other classes (competencies, condition manifests …) are not records.
            continue
        own = ctdl.has_extension(node)
        if kind == "programme":
            programmes.append(_Record(ctdl.programme_from_ctdl(node, graph=graph), label,
                                      _ctdl_locator(label, own)))
            continue
        document = ctdl.organisation_from_ctdl(node)
        if document is not None:
            organisations.append(_Record(document, label, _ctdl_locator(label, own)))
    if nodes and not organisations and not programmes:
        raise UnreadableInputError(code="editor.interchange.refused.ctdl_nothing",
                                   params={"source": source})
    return organisations, programmes


def _ctdl_locator(label: str, own: bool) -> Any:
    """Descriptor paths as they are in the file: in credstack's own document when the node
    carries it, else with the CTDL property the descriptor was read from."""
    def locate(loc: tuple[str | int, ...]) -> str:
        path = format_path(loc)
        prop = None if own else ctdl.property_of(loc)
        if prop is not None:
            return f"{label}: {prop} ({path})"
        return f"{label}: {path}" if path else label
    return locate


def _achievement_records(data: Any, source: str) -> list[_Record]:
    if isinstance(data, dict):
        items, single = [data], True
    elif isinstance(data, list):
        items, single = data, False
    else:
        raise UnreadableInputError(code="editor.interchange.refused.ob3_not_achievements",
                                   params={"source": source, "kind": kind_of(data)})
    records: list[_Record] = []
    for index, item in enumerate(items):
        label = source if single else f"{source}: record {index + 1} ([{index}])"
        achievement: Any = item
        types = _ob_types(item)
        if types & _CREDENTIAL_TYPES:
            subject = item.get("credentialSubject")
            subject = subject[0] if isinstance(subject, list) and subject else subject
            achievement = subject.get("achievement") if isinstance(subject, dict) else None
            if not isinstance(achievement, dict):
                records.append(_Record(item, label, problem=Said(
                    "editor.interchange.problem.ob3_no_achievement")))
                continue
        elif not types & _ACHIEVEMENT_TYPES:
            found = (Said("editor.interchange.problem.ob3_typed", types=str(sorted(types)))
                     if types else Said("editor.interchange.problem.ob3_untyped")
                     if isinstance(item, dict)
                     else Said("editor.interchange.problem.ob3_kind", kind=kind_of(item)))
            records.append(_Record(item, label, problem=found))
            continue
        own = EXTENSION_PROPERTY in achievement
        records.append(_Record(descriptors_from_achievement(achievement), label,
                               _achievement_locator(label, own, EXTENSION_PROPERTY)))
    return records


def _achievement_locator(label: str, own: bool, extension: str) -> Any:
    """Descriptor paths as they are in the achievement: ``humanCode``, the standard's
    fields, or camelCase keys inside the extension."""
    standard = {"code": "humanCode", "title": "name", "languages": "inLanguage",
                "skills": "alignment"}

    def locate(loc: tuple[str | int, ...]) -> str:
        if not loc:
            return label
        if loc[0] == "code" or not own:
            head = standard.get(str(loc[0]), str(loc[0]))
            return f"{label}: {format_path((head, *loc[1:]))}"
        parts = ["slug" if loc[:2] == ("awarding_body", "id") and i == 1 else
                 part if isinstance(part, int) else _camel(part) for i, part in enumerate(loc)]
        return f"{label}: {format_path((extension, *parts))}"
    return locate


def default_achievement_id(programme: Programme) -> str:
    """``urn:uuid:`` + the programme's name-based UUID, the UUID of its CTID
    (:func:`credstack.core.descriptors.ctdl.programme_uuid`): every export names a
    programme alike, and its CTDL and OB 3.0 forms by one UUID."""
    body = programme.awarding_body.id if programme.awarding_body is not None else ""
    return f"urn:uuid:{ctdl.programme_uuid(body, programme.code)}"


def _no_creator(programme: Programme) -> str | None:
    del programme
    return None


def write_achievements(
    programmes: Sequence[Programme],
    *,
    achievement_id: Callable[[Programme], str] = default_achievement_id,
    creator_id: Callable[[Programme], str | None] = _no_creator,
    language: str = "ja",
) -> str:
    """The programmes as a JSON list of OB 3.0 ``Achievement`` objects.

    Each is :func:`~credstack.core.descriptors.achievement.build_achievement` of the
    programme, so its ``microCredential`` extension carries every descriptor and reading the
    list back gives equal programmes. ``achievement_id`` and ``creator_id`` give each
    achievement's id and its awarding body's profile id; ``language`` the language of the
    standard's own fields. Raises :class:`~credstack.errors.InputError` naming every
    programme that cannot become an achievement (no title or description, award data).
    """
    achievements: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for index, programme in enumerate(programmes):
        where = f"programmes[{index}] ({programme.code})"
        if isinstance(programme, AwardedMicroCredential):
            problems.append(Problem(f"{where}: award", "remove the award section: an "
                                    "achievement describes the programme, not one learner"))
            continue
        try:
            achievements.append(build_achievement(
                programme=programme, achievement_id=achievement_id(programme),
                creator_id=creator_id(programme), language=language))
        except InputError as exc:
            problems += [Problem(f"{where}: {p.location}", p.message) for p in exc.problems]
    if problems:
        count = len(problems)
        raise InputError(f"{count} problem{'s' if count != 1 else ''}: not every programme can "
                         "become an OB 3.0 achievement; nothing was written.", problems=problems)
    return json.dumps(achievements, ensure_ascii=False, indent=2) + "\n"
