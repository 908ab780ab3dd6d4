"""The credentials step: each credential in the presentation verified by the credential
verifier."""

from __future__ import annotations

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
    if not reports:
        return passed("credentials", "the presentation holds no credential",
                      "証明書は含まれていません", code="no-credentials", count=0)
    unverified = [(index, report) for index, report in enumerate(reports) if not report.ok]
    if unverified:
        listed = [{"index": index, "checks": [check.name for check in report.errors]}
                  for index, report in unverified]
        first_index, first = unverified[0]
        reason = next(iter(first.errors), None)
        why_en = f" ({reason.name}: {reason.reason_en})" if reason is not None else ""
        why_ja = f"（{reason.name}：{reason.reason_ja}）" if reason is not None else ""
        count = len(unverified)
        if all(report.decision is Decision.UNDECIDED for _, report in unverified):
            # Nothing is proven against any of them: the presentation is undecided too.
            missing = next((check.missing for _, report in unverified
                            for check in report.undecided), None)
            return Check("credentials", None,
                         f"{count} of {len(reports)} credential"
                         f"{'s' if len(reports) != 1 else ''} could not be checked; "
                         f"verifiableCredential[{first_index}]{why_en}",
                         f"{len(reports)} 件中 {count} 件の証明書を確認できませんでした。"
                         f"verifiableCredential[{first_index}]{why_ja}",
                         {"count": len(reports), "undecided": listed},
                         code="credential-undecided", missing=missing)
        return failed(
            "credentials", "credential-not-verified",
            f"{count} of {len(reports)} credential{'s' if len(reports) != 1 else ''} "
            f"do{'es' if count == 1 else ''} not verify; verifiableCredential[{first_index}]"
            f"{why_en}",
            f"{len(reports)} 件中 {count} 件の証明書を検証できませんでした。"
            f"verifiableCredential[{first_index}]{why_ja}",
            count=len(reports), failed=listed)
    count = len(reports)
    verified_en = "the credential verifies" if count == 1 else f"all {count} credentials verify"
    notices = [notice for index, report in enumerate(reports)
               for notice in findings_of(report, f"verifiableCredential[{index}]",
                                         f"verifiableCredential[{index}]")]
    return passed("credentials", verified_en, f"証明書 {count} 件をすべて検証しました",
                  warnings=notices, count=count)
