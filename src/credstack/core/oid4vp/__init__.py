"""OpenID for Verifiable Presentations 1.0, without I/O.

*OpenID for Verifiable Presentations 1.0* — OpenID Foundation, Final Specification, July
2025 — https://openid.net/specs/openid-4-verifiable-presentations-1_0.html

* :mod:`.dcql` — the Digital Credentials Query Language (§6, §7): queries read into small
  types, credentials matched against them (the holder's choice and the verifier's check);
* :mod:`.requests` — the Authorization Request a verifier shows as a QR code (§5, client
  identifier prefix ``redirect_uri``, response mode ``direct_post``), and its reading by a
  holder;
* :mod:`.request_objects` — signed requests by reference (§5.10, RFC 9101: the
  ``decentralized_identifier`` prefix, ``did:key`` or ``did:web``), the wallet's checks;
* :mod:`.wallet_metadata` — what a wallet posts to the ``request_uri`` (``wallet_metadata``,
  ``wallet_nonce``) and the request fitted to it, or the error saying why it cannot be;
* :mod:`.request_encryption` — request objects encrypted to the wallet's ``jwks``;
* :mod:`.responses` — encrypted responses (``direct_post.jwt``, §8.3).
"""
