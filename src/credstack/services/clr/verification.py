"""Verifying a CLR 2.0 ``ClrCredential``: the CLR's own checks, then every credential it
bundles, each through the one verification pipeline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from credstack.core.credentials import clr_v2
from credstack.core.verification.checks import failed, not_checked, passed, problem_dicts
from credstack.core.verification.report import Check, VerificationReport
from credstack.errors import CredstackError, Problem
from credstack.services.clr.service import parsed_document
from credstack.services.verification import service as verifier


def _parse(data: bytes | str | Mapping[str, Any]) -> Mapping[str, Any] | str:
    if isinstance(data, Mapping):
        return data
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return parsed_document(text)


def _learner_check(document: Mapping[str, Any]) -> Check:
    learner = clr_v2.learner_of(document)
    strangers = clr_v2.learner_mismatches(learner, clr_v2.nested_credentials(document))
    if strangers:
        named = ", ".join(f"credential[{index}]" for index in strangers)
        return failed("clr-learner", "learner-mismatch",
                      f"not about the CLR's learner: {named}",
                      f"CLR の学習者についての証明ではありません：{named}",
                      mismatched=strangers)
    return passed("clr-learner", "every nested credential is about the CLR's learner",
                  "含まれる証明はすべて CLR の学習者についてのものです")


def _association_check(document: Mapping[str, Any], associations: Sequence[Any]) -> Check:
    problems = clr_v2.association_problems(associations, clr_v2.achievement_ids(document))
    if problems:
        return failed("clr-associations", "association",
                      "an association does not relate two achievements of the CLR by a CLR "
                      "2.0 association type", "関連付け（association）が CLR の達成事項どうしを "
                      "CLR 2.0 の種類で結んでいません", problems=problem_dicts(problems))
    return passed("clr-associations", f"all {len(associations)} associations relate "
                  "achievements of the CLR", f"関連付け {len(associations)} 件はすべて CLR の"
                  "達成事項どうしを結んでいます")


def _document_of(secured: Mapping[str, Any] | str) -> Mapping[str, Any]:
    if isinstance(secured, Mapping):
        return secured
    try:
        return clr_v2.jwt_payload(secured)
    except (CredstackError, ValueError):
        return {}


def verify_clr(data: bytes | str | Mapping[str, Any], *,
               sources: verifier.VerificationSources | None = None,
               now: dt.datetime | None = None) -> VerificationReport:
    """Verify a ``ClrCredential`` and each credential it bundles.

    Checks: the pipeline's checks of the CLR itself (``parse``, ``data-model``, ``contexts``,
    ``proof``, ``issuer``, ``validity``, ``status`` …), then ``clr-structure`` (the CLR 2.0
    shape), ``clr-learner`` (every nested credential is about the CLR's learner; fails naming
    each one that is not), ``clr-associations`` (when there are associations: known types,
    both ends achievements of the CLR) and ``credential[i]`` per nested credential — passed
    only when that credential's own verification is ok; its full report is in the check's
    details. Never raises for a bad CLR.
    """
    moment = now if now is not None else dt.datetime.now(dt.UTC)
    try:
        secured = _parse(data)
    except (CredstackError, ValueError) as exc:
        return VerificationReport((failed("clr-structure", "unreadable",
                                          f"the CLR cannot be read: {exc}",
                                          f"CLR を読み取れません：{exc}"),))
    checks: list[Check] = list(verifier.verify(secured, now=moment, sources=sources).checks)
    document = _document_of(secured)
    problems: list[Problem] = clr_v2.structure_problems(document)
    if problems:
        checks.append(failed("clr-structure", "data-model", "the document is not a CLR 2.0 "
                             "ClrCredential", "CLR 2.0 の ClrCredential ではありません",
                             problems=problem_dicts(problems)))
        return VerificationReport(tuple(checks))
    checks.append(passed("clr-structure", "the document is a CLR 2.0 ClrCredential",
                         "CLR 2.0 の ClrCredential です"))
    checks.append(_learner_check(document))
    associations = clr_v2.associations_of(document)
    if associations:
        checks.append(_association_check(document, associations))
    for index, entry in enumerate(clr_v2.nested_credentials(document)):
        name = f"credential[{index}]"
        if not isinstance(entry, Mapping):
            checks.append(not_checked(name, "not a JSON object", "JSON オブジェクトではありません"))
            continue
        report = verifier.verify(entry, now=moment, sources=sources)
        details = report.to_dict()
        if report.ok:
            checks.append(passed(name, f"nested credential {index} verifies",
                                 f"{index} 番目の証明は検証されました", report=details))
        else:
            codes = ", ".join(check.name for check in report.failed) or "not verified"
            checks.append(failed(name, "nested-credential",
                                 f"nested credential {index} does not verify ({codes})",
                                 f"{index} 番目の証明を検証できません（{codes}）",
                                 report=details))
    return VerificationReport(tuple(checks))
