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
* :mod:`.endings` — what a new password or a disabled account ends: sessions, tokens and
  API client secrets.

Every function that changes something takes the :class:`~credstack.services.runtime.Runtime`
first, opens its transaction and writes its audit entry there; who acts is an
:class:`~credstack.core.access.Actor`. The other service packages use the names below
(``from credstack.services import accounts``), never the modules behind them.
"""

from credstack.services.accounts.clients import (
    MAX_CLIENT_ID,
    ApiClient,
    NewClient,
    TokenInfo,
    client_view,
    create_client,
    grant_token,
    refuse_ended,
    refuse_unusable,
    revoke_held,
    token_info,
    usable_client,
)
from credstack.services.accounts.hashing import hash_password, matches
from credstack.services.accounts.service import (
    User,
    check_display_name,
    create_user,
    members,
    refuse_own_grant,
    require_manager,
    user,
    user_by_id,
    user_row,
    user_row_by_email,
    view,
)
from credstack.services.accounts.sessions import SignedIn
from credstack.services.accounts.sessions import start as start_session

__all__ = [
    "MAX_CLIENT_ID",
    "ApiClient",
    "NewClient",
    "SignedIn",
    "TokenInfo",
    "User",
    "check_display_name",
    "client_view",
    "create_client",
    "create_user",
    "grant_token",
    "hash_password",
    "matches",
    "members",
    "refuse_ended",
    "refuse_own_grant",
    "refuse_unusable",
    "require_manager",
    "revoke_held",
    "start_session",
    "token_info",
    "usable_client",
    "user",
    "user_by_id",
    "user_row",
    "user_row_by_email",
    "view",
]
