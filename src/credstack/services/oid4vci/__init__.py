"""OpenID for Verifiable Credential Issuance 1.0, the issuer: offers (:mod:`.offers`), the
pre-authorised grant and the credential endpoint (:mod:`.service`).

The other service packages use :func:`purge_expired` (the worker's hourly clearing of spent
offers and presentation requests) and :func:`standing_offer` (a learner's offer shown where
they are known otherwise: the LTI launch page); the OAuth server's extension and the
issuance e-mails' offers reach the packages below through the runtime, listed by the
composition root.
"""

from credstack.services.oid4vci.offers import StandingOffer, standing_offer
from credstack.services.oid4vci.purge import purge as purge_expired

__all__ = ["StandingOffer", "purge_expired", "standing_offer"]
