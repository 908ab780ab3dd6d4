"""Accounts: users, their roles in organisations, web sign-in, TOTP, API clients and tokens.

* :mod:`.service` — users and memberships: adding people, their roles, disabling and
  enabling accounts, who may look after whom; helpers the other services use inside their
  own transactions (:func:`~.service.user`, :func:`~.service.members`).
* :mod:`.passwords` — argon2id hashing, changing one's password, an administrator setting
  one or handing out a one-time reset link.
* :mod:`.sign_in` — signing in with a password (and a TOTP code), under the rate limit.
* :mod:`.totp` — setting up and turning off TOTP (RFC 6238), the secrets sealed.
* :mod:`.sessions` — web sessions: the cookie token, CSRF token, lifetime, signing out.
* :mod:`.clients` — API clients (OAuth 2.0 client credentials, RFC 6749 §4.4) and tokens.

Every function that changes something takes the :class:`~credstack.services.runtime.Runtime`
first, opens its transaction and writes its audit entry there; who acts is an
:class:`~credstack.core.access.Actor`.
"""
