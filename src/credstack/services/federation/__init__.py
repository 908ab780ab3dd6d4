"""credstack's registry as an OpenID Federation trust anchor (:mod:`.service`), its list
endpoints (:mod:`.listing`), its recognised issuers in the DCC's registry form
(:mod:`.registry`), its keys' rotation (:mod:`.keys`), and the verifier's trust check
against the registries it trusts (:mod:`.trust`).

No other service package uses this one: it stands at the top of the services, and its
modules are called by the entrypoints (the federation endpoints, the trust check of the
verification pages and the key commands). Its front door is therefore empty; a name goes
into ``__all__`` when another service package needs it.
"""

__all__: list[str] = []
