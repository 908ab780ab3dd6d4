"""The OAuth 2.0 authorization server: authorization code with PKCE, refresh token rotation,
client credentials, RFC 7591 registration, RFC 7009 revocation, RFC 8414 metadata.

* :mod:`.service` — what the web adapter calls (one transaction each).
* :mod:`.server` — authlib's authorization server bound to a request, with the extensions
  other protocols (OID4VCI) plug into (the runtime's ``oauth_extensions``).
* :mod:`.grants`, :mod:`.models`, :mod:`.tokens` — the grants, the stored records as authlib
  reads them, issuing and looking up tokens.
* :mod:`.extensions` — what an extension may add.
* :mod:`.requests`, :mod:`.context` — the framework-neutral request and response, and what
  one request works in.
"""
