"""The ``recognition`` step: is the programme of a learner credential recognised, today?

A recognition body recognises a programme version by issuing an Open Badges 3.0
``EndorsementCredential`` about its achievement (:mod:`credstack.core.credentials.endorsements`);
withdrawing the recognition revokes that credential through its status list, and a
recognition lasts for the credential's validity period. So for a learner credential (an OB 3.0
``OpenBadgeCredential`` / ``AchievementCredential``), this step asks the
:class:`RecognitionLookup` seam for the recognitions of its achievement and verifies each
endorsement with this same pipeline (OB 3.0 §9 "endorsement verification": data model,
contexts, proof, issuer, validity, status), then reports one of:

=============== ===================================================================
``valid``       at least one recognition verifies and holds now
``withdrawn``   none holds, and one was withdrawn (its endorsement is revoked)
``expired``     none holds, and one has expired (or is not valid yet)
``invalid``     none holds, and an endorsement does not verify (signature, issuer …)
``none``        the registry knows the achievement and records no recognition of it
=============== ===================================================================

with who recognised it, the outcome, the conditions and the validity period of each.

The check is informational (``kind = INFO``): a programme without a recognition, or whose
recognition was withdrawn or has expired, does not make the learner's credential fail — the
credential is still what its issuer issued. A withdrawn, expired or invalid recognition is
reported as a warning. When the lookup does not know the achievement (someone else's
programme) or there is no lookup, the step does not apply and lists no check.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final, Protocol

from credstack.core.credentials.endorsements import is_endorsement, read_endorsement
from credstack.core.credentials.type_names import type_names
from credstack.core.verification.pipeline import (
    STEPS,
    CheckStep,
    VerificationState,
    verify_credential,
)
from credstack.core.verification.report import Check, CheckKind, Notice, VerificationReport
from credstack.errors import CredstackError

__all__ = [
    "ENDORSEMENT_CHECKS",
    "RECOGNITION_STATUSES",
    "RecognitionLookup",
    "check_recognition",
    "recognition_of",
]

#: The steps an endorsement credential is verified with (no meaning, no recognition).
ENDORSEMENT_CHECKS: Final[tuple[CheckStep, ...]] = tuple(
    STEPS[name] for name in ("parse", "data-model", "contexts", "proof", "issuer", "validity",
                             "status"))
#: Statuses, best first: the overall status is the best of the recognitions'.
RECOGNITION_STATUSES: Final = ("valid", "withdrawn", "expired", "not-yet-valid", "invalid")
_LEARNER_TYPES: Final = frozenset({"OpenBadgeCredential", "AchievementCredential"})


class RecognitionLookup(Protocol):
    """Achievement id → its recognitions, or ``None`` when the achievement is not known here.

    Each recognition is a JSON-ready mapping with ``credential`` — the endorsement credential
    as issued (a JSON object or its text) — and what the recognition body's records add:
    ``number`` (the decision), ``outcome``, ``conditions`` (``{"ja": …, "en": …}`` or
    ``None``), ``decision_url``, ``recognition_body`` (``{"slug", "name"}``).
    """

    def __call__(self, achievement_id: str, /) -> Sequence[Mapping[str, Any]] | None: ...


def _achievement_id(credential: Mapping[str, Any]) -> str | None:
    if not set(type_names(credential.get("type"))) & _LEARNER_TYPES:
        return None
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and subject:
        subject = subject[0]
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    identifier = achievement.get("id") if isinstance(achievement, Mapping) else None
    return identifier if isinstance(identifier, str) else None


def _status(report: VerificationReport, endorsed: str | None, achievement_id: str) -> str:
    codes = {check.name: check.code for check in report.failed}
    if codes.get("status") == "revoked":
        return "withdrawn"
    if endorsed is not None and endorsed != achievement_id:
        return "invalid"
    if codes.get("validity") in {"expired", "not-yet-valid"} and set(codes) == {"validity"}:
        return str(codes["validity"])
    if report.ok:
        return "valid"
    if codes.get("validity") in {"expired", "not-yet-valid"}:
        return str(codes["validity"])
    return "invalid"


def recognition_of(state: VerificationState, record: Mapping[str, Any],
                   achievement_id: str) -> dict[str, Any]:
    """One recognition, its endorsement verified: status, who, outcome, conditions, period."""
    given = record.get("credential")
    report = verify_credential(
        given if isinstance(given, Mapping | str | bytes) else "",
        document_loader=state.document_loader,
        resolve_verification_method=state.resolve_verification_method,
        fetch_status_list=state.fetch_status_list, now=state.now,
        programme_lookup=state.programme_lookup, checks=ENDORSEMENT_CHECKS, words=state.words)
    credential = None
    for check in report.checks:
        if check.name == "parse" and check.passed:
            credential = _parsed(record.get("credential"))
    endorsement = None
    if credential is not None and is_endorsement(credential):
        try:
            endorsement = read_endorsement(credential)
        except CredstackError:
            endorsement = None
    status = _status(report, endorsement.endorsed_id if endorsement else None, achievement_id)
    if endorsement is None and status == "valid":
        status = "invalid"
    body = record.get("recognition_body")
    return {
        "status": status,
        "number": record.get("number"),
        "outcome": record.get("outcome"),
        "conditions": record.get("conditions"),
        "decision_url": record.get("decision_url"),
        "credential_id": endorsement.credential_id if endorsement else None,
        "issuer": {"id": endorsement.issuer_id if endorsement else None,
                   "name": endorsement.issuer_name if endorsement else None,
                   **({"slug": body.get("slug"), "names": body.get("name")}
                      if isinstance(body, Mapping) else {})},
        "valid_from": (endorsement.valid_from.isoformat()
                       if endorsement and endorsement.valid_from else None),
        "valid_until": (endorsement.valid_until.isoformat()
                        if endorsement and endorsement.valid_until else None),
        "failed": [{"check": check.name, "code": check.code, "reason": check.reason_en}
                   for check in report.errors],
    }


def _parsed(value: object) -> Mapping[str, Any] | None:
    if isinstance(value, Mapping):
        return value
    if isinstance(value, str | bytes):
        try:
            loaded = json.loads(value)
        except (ValueError, RecursionError):
            return None
        return loaded if isinstance(loaded, dict) else None
    return None


_REASONS: Final = {
    "valid": ("recognised by {who} ({outcome}){until}",
              "{who}による{outcome_ja}を受けています{until_ja}"),
    "withdrawn": ("the recognition by {who} was withdrawn",
                  "{who}による認定は取り消されています"),
    "expired": ("the recognition by {who} has expired{until}",
                "{who}による認定は有効期限が切れています{until_ja}"),
    "not-yet-valid": ("the recognition by {who} is not valid yet",
                      "{who}による認定はまだ有効期間前です"),
    "invalid": ("a recognition by {who} is recorded, but its endorsement credential does not "
                "verify", "{who}による認定が記録されていますが、その推薦証明を検証できません"),
}
_OUTCOMES: Final = {"recognised": ("recognised", "認定"),
                    "recognised-with-conditions": ("recognised with conditions", "条件付き認定")}


def _reason(found: Mapping[str, Any]) -> tuple[str, str]:
    issuer = found["issuer"]
    names = issuer.get("names") if isinstance(issuer.get("names"), Mapping) else {}
    who_en = names.get("en") or issuer.get("name") or issuer.get("id") or "?"
    who_ja = names.get("ja") or issuer.get("name") or issuer.get("id") or "?"
    outcome_en, outcome_ja = _OUTCOMES.get(str(found.get("outcome")), ("recognised", "認定"))
    until = found.get("valid_until")
    en, ja = _REASONS[found["status"]]
    return (en.format(who=who_en, outcome=outcome_en,
                      until=f", valid until {until}" if until else ""),
            ja.format(who=who_ja, outcome_ja=outcome_ja,
                      until_ja=f"（{until} まで）" if until else ""))


def check_recognition(state: VerificationState) -> Check | None:
    """``recognition`` (information): the programme's recognitions, each endorsement verified."""
    lookup: RecognitionLookup | None = state.recognition_lookup
    credential = state.credential
    if lookup is None or credential is None:
        return None
    achievement_id = _achievement_id(credential)
    if achievement_id is None:
        return None
    records = lookup(achievement_id)
    if records is None:
        return None
    if not records:
        return Check("recognition", None, "no recognition of this programme is recorded",
                     "このプログラムの認定は記録されていません",
                     {"status": "none", "achievement": achievement_id, "recognitions": []},
                     code="none", kind=CheckKind.INFO)
    found = [recognition_of(state, record, achievement_id) for record in records]
    ranked = sorted(found, key=lambda item: RECOGNITION_STATUSES.index(item["status"]))
    best = ranked[0]
    status = best["status"]
    en, ja = _reason(best)
    notices: list[Notice] = []
    if status != "valid":
        for item in ranked:
            item_en, item_ja = _reason(item)
            notices.append(Notice(f"recognition-{item['status']}",
                                  f"{item_en} (decision {item['number']})",
                                  f"{item_ja}（決定番号 {item['number']}）"))
    return Check("recognition", None, en, ja,
                 {"status": status, "achievement": achievement_id, "recognitions": found},
                 code=status, kind=CheckKind.INFO, warnings=tuple(notices))
