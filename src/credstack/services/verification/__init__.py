"""Verifying a credential or a presentation with the seams of this deployment
(:mod:`.service`: its own DIDs, status lists, registry and recognitions from the store, the
rest over the network) and, for the public endpoints, with caches that outlive one request
(:mod:`.caches`).

Every format that holds credentials (a CLR, an Open Badges 2.0 assertion's sources, a PDF
certificate, a presentation) verifies them through the names below; the any-format verifier
above them is :mod:`credstack.services.formats`.
"""

from credstack.services.verification.service import (
    VerificationSources,
    seams,
    verify,
    verify_presentation,
)

__all__ = ["VerificationSources", "seams", "verify", "verify_presentation"]
