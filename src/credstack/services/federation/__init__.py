"""credstack's registry as an OpenID Federation trust anchor (:mod:`.service`), its list
endpoints (:mod:`.listing`), its recognised issuers in the DCC's registry form
(:mod:`.registry`), its keys' rotation (:mod:`.keys`), and the verifier's trust check
against the registries it trusts (:mod:`.trust`).

Its modules are called by the entrypoints (the federation endpoints, the trust check of the
verification pages and the key commands); one other service package uses it, through the
names below: the OID4VP verifier (:mod:`credstack.services.oid4vp.verifier`) gives each
presentation's issuer the trust check the verification page gives a credential's.
"""

from credstack.services.federation.trust import check_meaning, describe

__all__ = ["check_meaning", "describe"]
