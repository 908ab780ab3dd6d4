"""OpenID for Verifiable Credential Issuance 1.0, the issuer: offers (:mod:`.offers`), the
pre-authorised grant and the credential endpoint (:mod:`.service`)."""
