"""CLR 2.0 ``ClrCredential`` bundles: issued (:mod:`.service`: checked, signed, audited) and
verified (:mod:`.verification`: the CLR's own steps, then every credential it bundles).

The other service packages use :func:`verify_clr` (the any-format verifier); the rest is for
the entrypoints.
"""

from credstack.services.clr.verification import verify_clr

__all__ = ["verify_clr"]
