"""What a launched learner takes their credential with: an OpenID for Verifiable Credential
Issuance offer of the credential the course link issued them, the one the issuance e-mail
carries (:func:`credstack.services.oid4vci.standing_offer`), for a wallet on their phone —
besides claiming it into credstack's own wallet. The launch is what makes them its learner:
the LMS asserted who they are, and only their launch's page holds its id."""

from __future__ import annotations

from credstack.adapters.db.repositories import lti as lti_store
from credstack.core.lti.messages import LINK_PARAMETER
from credstack.services import oid4vci
from credstack.services.lti.launches import fresh, stored_launch
from credstack.services.lti.links import Progress
from credstack.services.runtime import Runtime

__all__ = ["claim_offer", "offer_shown"]


def claim_offer(runtime: Runtime, *, launch: str) -> oid4vci.StandingOffer | None:
    """The offer of the credential the launched learner was issued from the link, if any."""
    with runtime.sessions() as session:
        row, claims = stored_launch(session, launch)
        fresh(runtime, row)
        link = claims.custom.get(LINK_PARAMETER, "")
        credential_id = next((award.credential_id for award in lti_store.awards_of(
            session, row.platform_id, claims.subject) if award.link == link), None)
    if credential_id is None:
        return None
    return oid4vci.standing_offer(runtime, credential_id=credential_id,
                                  made_by=f"lti:{claims.issuer}#{claims.subject}"[:320])


def offer_shown(runtime: Runtime, *, progress: Progress) -> oid4vci.StandingOffer | None:
    """:func:`claim_offer` for the launch whose ``progress`` was just read (its credential
    known: not read again)."""
    if progress.credential_id is None:
        return None
    return oid4vci.standing_offer(runtime, credential_id=progress.credential_id,
                                  made_by=f"lti:{progress.issuer}#{progress.subject}"[:320])
