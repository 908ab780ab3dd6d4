"""One decoded document into its model: a programme (or one learner's micro-credential) or an
organisation, all or nothing.

Apart from the file formats' readers (:mod:`.reading`), so that reading one programme already
decoded — the meaning check of ``credstack verify`` — does not import them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from credstack.core.descriptors.interchange.documents import Documents, _Record
from credstack.core.descriptors.interchange.problems import (
    describe_validation_errors,
    format_path,
    kind_of,
)
from credstack.core.descriptors.models import AwardedMicroCredential, Programme
from credstack.core.organisations import Organisation
from credstack.errors import DescriptorError, Problem

M = TypeVar("M", bound=BaseModel)


def parse_programme(data: Any, *, source: str = "programme") -> Programme:
    """One programme (or awarded micro-credential) from already-decoded JSON data."""
    documents = _parse_records([], [_Record(data, source, _json_locator(source))], source)
    return documents.programmes[0]


def parse_organisation(data: Any, *, source: str = "organisation") -> Organisation:
    documents = _parse_records([_Record(data, source, _json_locator(source))], [], source)
    return documents.organisations[0]


def _parse_records(
    organisations: Sequence[_Record], programmes: Sequence[_Record], source: str
) -> Documents:
    problems: list[Problem] = []
    parsed_orgs = [o for o in (_parse(Organisation, r, problems) for r in organisations) if o]
    parsed_programmes: list[Programme] = []
    seen: dict[tuple[str, str], str] = {}
    for record in programmes:
        model: type[Programme] = (
            AwardedMicroCredential
            if isinstance(record.data, dict) and "award" in record.data
            else Programme
        )
        programme = _parse(model, record, problems)
        if programme is None:
            continue
        body = programme.awarding_body.id if programme.awarding_body else ""
        key = (body, programme.code)
        if key in seen:
            problems.append(Problem(record.label, code="editor.interchange.problem."
                                    + ("code_twice" if body else "code_twice_no_body"),
                                    params={"code": programme.code, "body": body,
                                            "other": seen[key]}))
        seen[key] = record.label
        parsed_programmes.append(programme)
    if problems:
        raise DescriptorError(code="editor.interchange.refused.problems",
                              params={"source": source, "count": len(problems)},
                              problems=problems)
    return Documents(tuple(parsed_orgs), tuple(parsed_programmes))


def _parse(model: type[M], record: _Record, problems: list[Problem]) -> M | None:
    if record.problem is not None:
        problems.append(Problem(record.label, code=record.problem.key,
                                params=record.problem.params))
        return None
    if not isinstance(record.data, dict):
        problems.append(Problem(record.label, code="editor.interchange.problem.not_a_mapping",
                                params={"kind": kind_of(record.data)}))
        return None
    try:
        return model.model_validate(record.data)
    except ValidationError as exc:
        problems.extend(describe_validation_errors(exc.errors(include_url=False), record.locate))
        return None


def _json_locator(label: str) -> Any:
    def locate(loc: tuple[str | int, ...]) -> str:
        path = format_path(loc)
        return f"{label}: {path}" if path else label
    return locate
