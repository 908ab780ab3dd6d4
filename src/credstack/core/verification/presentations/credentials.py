"""The credentials step: each credential in the presentation verified by the credential
verifier."""

from __future__ import annotations

from credstack.core.said import InLanguages, Said
from credstack.core.verification.checks import failed, findings_of, passed
from credstack.core.verification.json_values import items
from credstack.core.verification.presentations.seams import PresentationState
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, Decision, VerificationReport

__all__ = ["check_credentials"]


def check_credentials(state: PresentationState) -> Check:
    """``credentials``: each credential in the presentation verifies on its own."""
    presentation = state.presentation
    if presentation is None:
        return unread("credentials", state.subject)
    held = items(presentation.get("verifiableCredential"))
    reports = []
    for item in held:
        report = state.verify_credential(item)
        if not isinstance(report, VerificationReport):
            raise TypeError(f"verify_credential must return a VerificationReport, not {report!r}")
        reports.append(report)
    state.credentials = tuple(reports)
    total = len(reports)
    if not reports:
        return passed("credentials", Said("verification.check.presentation.credentials.none"),
                      code="no-credentials", count=0)
    unverified = [(index, report) for index, report in enumerate(reports) if not report.ok]
    if unverified:
        listed = [{"index": index, "checks": [check.name for check in report.errors]}
                  for index, report in unverified]
        first_index, first = unverified[0]
        reason = next(iter(first.errors), None)
        where = Said("verification.check.presentation.credentials.where", index=first_index) \
            if reason is None else Said(
                "verification.check.presentation.credentials.where_why", index=first_index,
                check=reason.name, reason=reason.said or InLanguages(
                    {"en": reason.reason_en, "ja": reason.reason_ja}))
        number = len(unverified)
        if all(report.decision is Decision.UNDECIDED for _, report in unverified):
            # Nothing is proven against any of them: the presentation is undecided too.
            missing = next((check.missing for _, report in unverified
                            for check in report.undecided), None)
            key = "undecided_of_one" if total == 1 else "undecided"
            return Check("credentials", None, "", "", {"count": total, "undecided": listed},
                         code="credential-undecided", missing=missing, said=Said(
                             f"verification.check.presentation.credentials.{key}",
                             number=number, total=total, where=where))
        key = ("not_verified_of_one" if total == 1 else
               "not_verified_one" if number == 1 else "not_verified")
        return failed("credentials", "credential-not-verified",
                      Said(f"verification.check.presentation.credentials.{key}",
                           number=number, total=total, where=where),
                      count=total, failed=listed)
    notices = [notice for index, report in enumerate(reports)
               for notice in findings_of(report, f"verifiableCredential[{index}]")]
    verified = Said("verification.check.presentation.credentials.verified_one") \
        if total == 1 else Said("verification.check.presentation.credentials.verified_all",
                                total=total)
    return passed("credentials", verified, warnings=notices, count=total)
