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

The other service packages use the names below: OID4VCI builds its grant on the server
(:class:`Extension`, its request and context, issuing and reading tokens), the hosting API
names the endpoints, the worker purges what expired.
"""

from credstack.services.oauth.context import Context, ascii_description
from credstack.services.oauth.extensions import Extension, IssuedToken
from credstack.services.oauth.extensions import Request as ExtensionRequest
from credstack.services.oauth.grants import InvalidAuthorizationDetailsError, token_response
from credstack.services.oauth.purge import purge as purge_expired
from credstack.services.oauth.server import AUTHORIZATION_PATH, REGISTRATION_PATH, TOKEN_PATH
from credstack.services.oauth.tokens import REFRESH_TTL
from credstack.services.oauth.tokens import issue as issue_token
from credstack.services.oauth.tokens import live as live_token

__all__ = ["AUTHORIZATION_PATH", "REFRESH_TTL", "REGISTRATION_PATH", "TOKEN_PATH", "Context",
           "Extension", "ExtensionRequest", "InvalidAuthorizationDetailsError", "IssuedToken",
           "ascii_description", "issue_token", "live_token", "purge_expired", "token_response"]
