"""OpenID for Verifiable Presentations 1.0: credstack as a verifier (:mod:`.verifier`) and the
learner's wallet as a holder (:mod:`.holder`).

No other service package uses this one: it stands at the top of the services, and its
modules are called by the entrypoints (the OID4VP verifier's and the wallet's pages and
endpoints). Its front door is therefore empty; a name goes into ``__all__`` when another
service package needs it.
"""

__all__: list[str] = []
