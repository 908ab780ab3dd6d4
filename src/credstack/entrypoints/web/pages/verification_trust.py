"""The trust line of a verification's result: whether the issuer of a credential is in a
registry the server trusts (:func:`credstack.services.federation.trust.check_meaning`), as
the verification page, the wallet's credential page and a share link show it — beside a
credential its issuer signed as it reads, and never beside one it only claims to be from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from credstack.core.federation.registries import TrustVerdict
from credstack.core.verification import VerificationReport
from credstack.services.federation import trust
from credstack.services.runtime import Runtime

__all__ = ["TrustView", "trust_of"]


@dataclass(frozen=True, slots=True)
class TrustView:
    """The trust line (:meth:`TrustVerdict.line`) and, for the details, each registry's
    address and the issuer's DID (:func:`credstack.services.federation.trust.describe`)."""

    verdict: TrustVerdict
    details: Mapping[str, Any]
    #: Whether the operator relies only on listed issuers (``CREDSTACK_REQUIRE_TRUSTED``):
    #: then the trust line decides a verified credential's headline too.
    required: bool = False

    @property
    def state(self) -> str:
        return self.verdict.state

    def line(self, language: str) -> str:
        return trust.line(self.verdict, language)


def trust_of(runtime: Runtime, report: VerificationReport) -> TrustView | None:
    """The trust check of ``report``'s issuer under the registries the server trusts; run
    only for a credential its issuer signed as it reads (:attr:`VerificationReport.attested`):
    the issuer a changed or unsigned credential names only claims to be its issuer, and its
    listing would vouch for that claim."""
    if not report.attested:
        return None
    meaning = report.meaning
    issuer = meaning.issuer_id if meaning is not None else None
    verdict = trust.check_meaning(runtime, issuer=issuer,
                                  achievement=meaning.achievement_id if meaning else None)
    if verdict is None or issuer is None:
        return None
    return TrustView(verdict, trust.describe(verdict, issuer=issuer, settings=runtime.settings),
                     required=runtime.settings.require_trusted)
