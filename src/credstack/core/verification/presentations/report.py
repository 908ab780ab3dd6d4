"""The report of a presentation: its own checks, then one credential report per credential."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from credstack.core import vocabularies
from credstack.core.said import Said, Words
from credstack.core.verification.checks import enclosed, failed
from credstack.core.verification.report import Check, CheckKind, Decision, VerificationReport
from credstack.core.verification.runner import worded

__all__ = ["PRESENTATION_CHECK_TITLES", "PresentationReport"]

#: A short title per check of a presentation, in English and Japanese (the
#: ``verification-presentation-check`` vocabulary). The credential checks' titles
#: (:data:`~..report.CHECK_TITLES`) speak of a credential; these of a presentation.
PRESENTATION_CHECK_TITLES: Final[Mapping[str, tuple[str, str]]] = vocabularies.pairs(
    "verification-presentation-check", "en", "ja")


@dataclass(frozen=True, slots=True)
class PresentationReport:
    """Every check of the presentation in the order it ran, and one report per credential.

    The last check, ``credentials``, passes only when every credential verified, so
    :attr:`ok` — computed like a credential's — is true only when the presentation and all its
    credentials are.
    """

    checks: tuple[Check, ...]
    credentials: tuple[VerificationReport, ...] = ()

    @property
    def ok(self) -> bool:
        return VerificationReport(self.checks).ok

    @property
    def decision(self) -> Decision:
        """Verified, not verified, or could not be checked (as a credential's)."""
        return VerificationReport(self.checks).decision

    @property
    def presentation(self) -> VerificationReport:
        """The checks about the presentation itself (not the credentials in it)."""
        return VerificationReport(tuple(c for c in self.checks if c.name != "credentials"))

    def check(self, name: str) -> Check | None:
        return VerificationReport(self.checks).check(name)

    def as_verification_report(self, words: Words) -> VerificationReport:
        """The presentation as one credential report, for a verifier that was given it where a
        credential was expected (the ``/verify`` page, VC-API verify-credential,
        ``credstack verify``).

        Its checks: ``presentation`` (information: this was a presentation, holding so many
        credentials), the presentation's own checks, then one ``credential[i]`` check per
        credential — passed only when that credential verifies, its whole report in the
        details, as a CLR's nested credentials are. A presentation that holds no credential
        fails ``credentials``: there was nothing to verify. The meaning is its credential's
        when it holds exactly one. What it says is worded in English and Japanese by ``words``,
        as the runner words a step's check.
        """
        count = len(self.credentials)
        checks = [Check("presentation", None, "", "", {"credentials": count},
                        code="presentation", kind=CheckKind.INFO, said=Said(
                            "verification.check.presentation.holds_one" if count == 1 else
                            "verification.check.presentation.holds", total=count))]
        for check in self.checks:
            if check.name != "credentials":
                checks.append(check)
            elif count == 0 and check.passed:
                checks.append(failed("credentials", "no-credentials",
                                     Said("verification.check.presentation.holds_none")))
            elif count == 0:
                checks.append(check)
        for index, report in enumerate(self.credentials):
            meaning = report.meaning
            issuer = (meaning.issuer_name or meaning.issuer_id) if meaning else None
            name = meaning.achievement_name if meaning else None
            about = (Said("verification.check.enclosed.label.name_from", name=name,
                          issuer=issuer) if name and issuer else
                     Said("verification.check.enclosed.label.from", issuer=issuer) if issuer
                     else name)
            label = Said("verification.check.enclosed.label.presented", number=index + 1,
                         total=count) if not about else Said(
                "verification.check.enclosed.label.presented_about", number=index + 1,
                total=count, about=about)
            checks.append(enclosed(f"credential[{index}]", report, label=label))
        checks = [worded(check, words) for check in checks]
        return VerificationReport(tuple(checks),
                                  self.credentials[0].meaning if count == 1 else None)

    def to_dict(self) -> dict[str, Any]:
        """``verified``, ``checks``, ``errors``, ``warnings`` (as for a credential), plus
        ``presentationResult`` (the presentation's own checks) and ``credentialResults`` (one
        credential result per credential, in order)."""
        whole = _titled(VerificationReport(self.checks).to_dict())
        own = _titled(self.presentation.to_dict())
        del whole["meaning"], own["meaning"]
        return {**whole, "presentationResult": own,
                "credentialResults": [report.to_dict() for report in self.credentials]}


def _titled(result: dict[str, Any]) -> dict[str, Any]:
    """A result whose titles speak of a presentation (``parse`` reads one, not a credential)."""
    for check in result["checks"]:
        titles = PRESENTATION_CHECK_TITLES.get(check["check"])
        if titles is not None:
            check["title"] = {"en": titles[0], "ja": titles[1]}
    for item in (*result["errors"], *result["warnings"]):
        titles = PRESENTATION_CHECK_TITLES.get(item["check"])
        if titles is not None:
            item["title"] = titles[0]
    return result
