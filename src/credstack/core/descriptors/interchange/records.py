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
    _kind,
    describe_validation_errors,
    format_path,
    kind_ja,
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
            problems.append(Problem(record.label, f"programme {programme.code!r} of "
                                    f"{body or 'no awarding body'} is also at {seen[key]}",
                                    message_ja=f"プログラム {programme.code} は {seen[key]} "
                                               "にもあります（コードの重複）"))
        seen[key] = record.label
        parsed_programmes.append(programme)
    if problems:
        count = len(problems)
        raise DescriptorError(
            f"{source}: {count} problem{'s' if count != 1 else ''}; nothing was read.",
            problems=problems,
        )
    return Documents(tuple(parsed_orgs), tuple(parsed_programmes))


def _parse(model: type[M], record: _Record, problems: list[Problem]) -> M | None:
    if record.problem is not None:
        problems.append(Problem(record.label, record.problem))
        return None
    if not isinstance(record.data, dict):
        problems.append(Problem(record.label, f"expected a mapping of descriptors, found "
                                f"{_kind(record.data)}",
                                message_ja=f"記述子のマッピングではなく{kind_ja(record.data)}"
                                           "が書かれています"))
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
