"""ELM datasets (Qualifications and LearningOpportunities) read as records and written from
documents; the mapping itself is :mod:`credstack.core.descriptors.elm.datasets`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from credstack.core.descriptors.elm.datasets import dataset, dataset_records, looks_like_dataset
from credstack.core.descriptors.elm.register import RegisterExport, register_dataset
from credstack.core.descriptors.interchange.documents import Documents, _Record
from credstack.core.descriptors.interchange.problems import format_path
from credstack.core.descriptors.models import AwardedMicroCredential
from credstack.errors import InputError, Problem, UnreadableInputError


def _elm_records(data: Any, source: str) -> tuple[list[_Record], list[_Record]]:
    if not looks_like_dataset(data):
        raise UnreadableInputError(code="editor.interchange.refused.not_elm",
                                   params={"source": source})
    organisations: list[_Record] = []
    programmes: list[_Record] = []
    graph = isinstance(data.get("@graph"), list)
    for index, kind, document in dataset_records(data):
        label = f"{source}: record {index + 1} (@graph[{index}])" if graph else source

        def locate(loc: tuple[str | int, ...], label: str = label) -> str:
            path = format_path(loc)
            return f"{label}: {path}" if path else label
        (organisations if kind == "organisation" else programmes).append(
            _Record(document, label, locate))
    return organisations, programmes


def _refuse_awarded(documents: Documents) -> None:
    awarded = [Problem(f"programmes[{index}] ({programme.code})", "remove the award section: "
                       "an ELM dataset describes the programme, not one learner's credential")
               for index, programme in enumerate(documents.programmes)
               if isinstance(programme, AwardedMicroCredential)]
    if awarded:
        raise InputError("award data cannot go into an ELM dataset", problems=awarded)


def _text(graph: Mapping[str, Any]) -> str:
    return json.dumps(graph, ensure_ascii=False, indent=2) + "\n"


def write_dataset(documents: Documents, *, pages: Mapping[tuple[str, str], str] | None = None
                  ) -> str:
    """The documents as one ELM dataset; awarded micro-credentials are refused (a dataset
    describes programmes, not one learner's award). ``pages``: the programmes' public pages
    (:func:`~credstack.core.descriptors.elm.datasets.dataset`)."""
    _refuse_awarded(documents)
    return _text(dataset(documents.organisations, documents.programmes, pages=pages))


def write_register_dataset(documents: Documents, *,
                           pages: Mapping[tuple[str, str], str] | None = None
                           ) -> tuple[str, RegisterExport]:
    """The documents as the Register profile of an ELM dataset, and its report
    (:func:`~credstack.core.descriptors.elm.register.register_dataset`)."""
    _refuse_awarded(documents)
    made = register_dataset(documents.organisations, documents.programmes, pages=pages)
    return _text(made.dataset), made
