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
from credstack.core.said import InLanguages, Said
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
    "recognition_said",
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


#: The key of what each status says, without and with the end of the validity period.
_REASONS: Final = {
    "valid": ("verification.check.recognition.valid",
              "verification.check.recognition.valid_until"),
    "withdrawn": ("verification.check.recognition.withdrawn",) * 2,
    "expired": ("verification.check.recognition.expired",
                "verification.check.recognition.expired_until"),
    "not-yet-valid": ("verification.check.recognition.not_yet_valid",) * 2,
    "invalid": ("verification.check.recognition.invalid",) * 2,
}
_OUTCOMES: Final = {
    "recognised": "verification.check.recognition.outcome.recognised",
    "recognised-with-conditions":
        "verification.check.recognition.outcome.recognised_with_conditions"}


def recognition_said(found: Mapping[str, Any]) -> Said:
    """What the recognition ``found`` (:func:`recognition_of`) says: its status, who (the
    body's name in each language its records give, else the endorsement's issuer), the
    outcome and the end of its validity period."""
    issuer = found["issuer"]
    names = issuer.get("names") if isinstance(issuer.get("names"), Mapping) else {}
    anyone = issuer.get("name") or issuer.get("id") or "?"
    who = InLanguages({**{tag: name for tag, name in names.items() if name},
                       "en": names.get("en") or anyone, "ja": names.get("ja") or anyone})
    outcome = Said(_OUTCOMES.get(str(found.get("outcome")), _OUTCOMES["recognised"]))
    until = found.get("valid_until")
    key = _REASONS[found["status"]][1 if until else 0]
    match found["status"]:
        case "valid":
            return Said(key, who=who, outcome=outcome, **({"until": until} if until else {}))
        case "expired" if until:
            return Said(key, who=who, until=until)
    return Said(key, who=who)


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
        return Check("recognition", None, "", "",
                     {"status": "none", "achievement": achievement_id, "recognitions": []},
                     code="none", kind=CheckKind.INFO,
                     said=Said("verification.check.recognition.none"))
    found = [recognition_of(state, record, achievement_id) for record in records]
    ranked = sorted(found, key=lambda item: RECOGNITION_STATUSES.index(item["status"]))
    best = ranked[0]
    status = best["status"]
    notices = tuple(
        Notice(f"recognition-{item['status']}",
               said=Said("verification.check.recognition.decision",
                         reason=recognition_said(item), number=item["number"]))
        for item in ranked) if status != "valid" else ()
    return Check("recognition", None, "", "",
                 {"status": status, "achievement": achievement_id, "recognitions": found},
                 code=status, kind=CheckKind.INFO, warnings=notices,
                 said=recognition_said(best))
