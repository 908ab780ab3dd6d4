"""OpenID for Verifiable Credential Issuance 1.0, the issuer's side, without I/O.

*OpenID for Verifiable Credential Issuance 1.0* — OpenID Foundation, Final Specification,
September 2025 — https://openid.net/specs/openid-4-verifiable-credential-issuance-1_0.html

* :mod:`.metadata` — the Credential Issuer Metadata (§12.2) and the credential
  configurations credstack offers: an Open Badges 3.0 credential as ``ldp_vc``
  (``eddsa-rdfc-2022``, or ``eddsa-jcs-2022``), ``jwt_vc_json`` and ``dc+sd-jwt`` (the older
  name ``vc+sd-jwt`` read on input);
* :mod:`.offers` — Credential Offers (§4.1), by value and by reference;
* :mod:`.nonces` — ``c_nonce`` values (§7) that carry their own time, checked without a store
  (single use is the service's to record);
* :mod:`.proofs` — the ``jwt`` key proof (Appendix F.1, F.4): what a wallet's proof of
  possession must say, and the key (``did:key``, ``did:jwk`` or a JWK) it binds to;
* :mod:`.requests` — Token Request and Credential Request parameters read into small types;
* :mod:`.credentials` — a stored credential bound to the wallet's key, shaped per format.

Every refusal is an :class:`~credstack.errors.ExchangeProtocolError` carrying the
specification's error code.
"""
