"""How other protocols build on credstack's authorization server.

OpenID for Verifiable Credential Issuance (OID4VCI 1.0) issues credentials with OAuth 2.0
access tokens: its pre-authorized code grant (``urn:ietf:params:oauth:grant-type:
pre-authorized_code``) is one more grant at the same token endpoint, and its authorization
code flow asks for credentials through scopes or RFC 9396 ``authorization_details`` of type
``openid_credential``. Such a protocol describes what it adds as an :class:`Extension` and is
listed in the runtime's ``oauth_extensions`` by the composition root; nothing else changes.

* ``grants``: authlib grant classes (subclasses of its ``BaseGrant`` and
  ``TokenEndpointMixin``), each with authlib's grant extensions. A grant issues tokens with
  :func:`credstack.services.oauth.tokens.issue`, which stores them hashed, in a family,
  audited (``token.issued``); its refusals are audited by the token endpoint like every
  other's (``token.refused``).
* ``scopes``: the scopes it adds, each with what it lets the application do as (ja, en) —
  shown on the consent page and in the server metadata.
* ``authorization_details``: for each RFC 9396 type it accepts, a function that checks one
  entry (raising :class:`~credstack.errors.InputError`, answered ``invalid_authorization_
  details``) and returns it as kept with the code and the token.
* ``authorization_parameters``: further parameters of an authorization request kept with
  the code and its tokens (OID4VCI's ``issuer_state``).
* ``check_authorization``: checks what those parameters name, wherever an authorization
  request is checked — pushed (no learner known yet), on the consent page and when the
  learner answers (the signed-in learner given) — raising authlib's ``InvalidRequestError``
  (OID4VCI: an ``issuer_state`` unknown, expired, used, or of another learner's offer).
* ``take_authorization``: what the learner's consent takes (OID4VCI: the offer of the
  ``issuer_state``, once), in the transaction that issues the code and before it; raises
  ``InvalidRequestError`` when another consent took it first.
* ``describe_details``: what an ``authorization_details`` entry asks for, as (ja, en), for
  the consent page.
* ``token_fields``: fields added to a token response (OID4VCI's ``authorization_details``
  with ``credential_identifiers``), from the stored token.
* ``metadata``: members added to the RFC 8414 metadata.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from credstack.adapters.db.transactions import Session

#: An authlib grant class and the grant extensions to register with it.
GrantSpec = tuple[type[Any], tuple[Any, ...]]


class Learner(Protocol):
    """The signed-in learner a grant hands over (the stored user)."""

    @property
    def id(self) -> int: ...


class IssuedToken(Protocol):
    """What an extension reads of an access token: one just issued, or the live token a
    resource endpoint (the OID4VCI credential endpoint) was shown."""

    @property
    def grant_type(self) -> str: ...
    @property
    def scope(self) -> str: ...
    @property
    def user_id(self) -> int | None: ...
    @property
    def extra(self) -> dict[str, Any] | None: ...


class Request(Protocol):
    """What an extension's hook is given of the request it works in (the server's
    :class:`~credstack.services.oauth.context.Context`)."""

    @property
    def session(self) -> Session: ...

    @property
    def now(self) -> dt.datetime: ...

    @property
    def ip(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Extension:
    """What one protocol adds to the authorization server (see the module)."""

    name: str
    grants: tuple[GrantSpec, ...] = ()
    scopes: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    authorization_details: Mapping[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = \
        field(default_factory=dict)
    authorization_parameters: tuple[str, ...] = ()
    check_authorization: Callable[[Request, Mapping[str, Any], Learner | None], None] | None = \
        None
    take_authorization: Callable[[Request, Mapping[str, Any], Learner], None] | None = None
    describe_details: Callable[[Mapping[str, Any]], tuple[str, str]] | None = None
    token_fields: Callable[[IssuedToken], Mapping[str, Any]] | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
