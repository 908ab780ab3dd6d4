"""credstack's registry as an OpenID Federation trust anchor (:mod:`.service`), its list
endpoints (:mod:`.listing`), its recognised issuers in the DCC's registry form
(:mod:`.registry`), its keys' rotation (:mod:`.keys`), and the verifier's trust check
against the registries it trusts (:mod:`.trust`).

Its modules are called by the entrypoints (the federation endpoints, the trust check of the
verification pages and the key commands); other service packages use it through the names
below: the OID4VP verifier (:mod:`credstack.services.oid4vp.verifier`) and the employer's
comparison (:mod:`credstack.services.candidates.comparison`) give each presentation's or
credential's issuer the trust check the verification page gives (:func:`.trust.described`);
and the
background jobs (:mod:`credstack.services.background.federation`) run the imported
registries' refresh (:mod:`.refresh`).
"""

from credstack.services.federation.refresh import refresh_all
from credstack.services.federation.trust import described

__all__ = ["described", "refresh_all"]
