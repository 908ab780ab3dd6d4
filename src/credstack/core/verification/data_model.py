"""The VC Data Model's rules that credentials and presentations share, and the failed
``data-model`` check of every format.

*Verifiable Credentials Data Model v2.0* — W3C Recommendation, 15 May 2025 —
https://www.w3.org/TR/vc-data-model-2.0/ — §4.3 "Contexts": an ordered set whose first item
is the base context (:func:`context_problems`; the version it names, :func:`version`, decides
which rules the rest is read under); §4.4 "Identifiers" and §4.5 "Types"
(:func:`document_problems`); §4.7 "Issuer" and §4.13's ``holder``: a URL, or an object with a
URL ``id`` (:func:`party_problems`). What is wrong is collected as
:class:`~credstack.errors.Problem`\\ s and reported in one check (:func:`rules_broken`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from credstack.core.types import is_absolute_url
from credstack.core.verification import json_values
from credstack.core.verification.checks import failed, problem_dicts
from credstack.core.verification.json_values import items
from credstack.core.verification.report import Check, Notice
from credstack.errors import Problem

__all__ = ["VC_V1_CONTEXT", "VC_V2_CONTEXT", "context_problems", "document_problems",
           "party_problems", "rules_broken", "version"]

VC_V2_CONTEXT: Final = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT: Final = "https://www.w3.org/2018/credentials/v1"


def version(document: Mapping[str, Any]) -> str | None:
    """``2.0`` or ``1.1`` by the first ``@context``; ``None`` for neither."""
    first = next(iter(items(document.get("@context"))), None)
    return "2.0" if first == VC_V2_CONTEXT else "1.1" if first == VC_V1_CONTEXT else None


def context_problems(document: Mapping[str, Any], problems: list[Problem]) -> str | None:
    """§4.3: an ordered set of URLs and context objects whose first item is the base context.
    Adds what is wrong to ``problems``; returns the version the base context names."""
    if "@context" not in document:
        problems.append(Problem("@context", "is required"))
        return None
    context = document["@context"]
    listed = items(context)
    if not isinstance(context, list | str) or not listed:
        problems.append(Problem("@context", "must be an ordered set of URLs and objects"))
        return None
    found = version(document)
    if found is None:
        problems.append(Problem("@context[0]",
                                f"must be {VC_V2_CONTEXT!r} (VC Data Model 2.0), "
                                f"not {listed[0]!r}"))
    for index, item in enumerate(listed[1:], 1):
        if isinstance(item, str):
            if not is_absolute_url(item):
                problems.append(Problem(f"@context[{index}]", f"{item!r} is not a URL"))
        elif not isinstance(item, Mapping):
            problems.append(Problem(f"@context[{index}]", "must be a URL or a context object"))
    return found


def document_problems(document: Mapping[str, Any], kind: str, problems: list[Problem]
                      ) -> str | None:
    """§4.3–§4.5: the contexts, a URL ``id`` if any, and a ``type`` that includes ``kind``.
    Adds what is wrong to ``problems``; returns the version the base context names."""
    found = context_problems(document, problems)
    if "id" in document and not is_absolute_url(document["id"]):
        problems.append(Problem("id", "must be a single URL"))
    types = json_values.types(document.get("type"))
    if "type" not in document:
        problems.append(Problem("type", "is required"))
    elif types is None:
        problems.append(Problem("type", "must be a string or an array of strings"))
    elif kind not in types:
        problems.append(Problem("type", f"must include {kind!r}"))
    return found


def party_problems(value: Any, name: str, problems: list[Problem]) -> None:
    """An issuer or a holder: a URL, or an object whose ``id`` is one."""
    if isinstance(value, Mapping):
        if not is_absolute_url(value.get("id")):
            problems.append(Problem(f"{name}.id", "must be a URL"))
    elif not is_absolute_url(value):
        problems.append(Problem(name, "must be a URL or an object with a URL id"))


def rules_broken(problems: Sequence[Problem], *, what: str, rules_en: str, rules_ja: str,
                 warnings: Sequence[Notice] = (), check: str = "data-model",
                 **details: Any) -> Check:
    """The failed ``data-model`` check (or ``check``): ``what`` breaks so many of the rules,
    the first one said, every location listed."""
    count = len(problems)
    locations = "、".join(dict.fromkeys(problem.location for problem in problems))
    return failed(check, check,
                  f"{what} breaks {count} rule{'s' if count != 1 else ''} of {rules_en}; "
                  f"{problems[0]}", f"{rules_ja}の規則に {count} 件違反しています（{locations}）",
                  warnings=warnings, problems=problem_dicts(problems), **details)
