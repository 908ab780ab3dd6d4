"""The scopes a learner can grant an application through the authorization code grant.

A learner consents for themselves only: an application may ask for the learner's own wallet,
profile and credit bank record (the self-service actions of :mod:`credstack.core.access`,
the Open Badges 3.0 and CLR 2.0 REST API scopes among them) and for ``offline_access``
(a refresh token, so it keeps access while the learner is away). What a provider's staff do
(issuing, publishing, deciding) is never delegated this way: those are API clients of their
own (the client credentials grant).

Other protocols built on the same authorization server (OpenID for Verifiable Credential
Issuance) add scopes of their own through the server's extensions; those are described by
the extension, not here.
"""

from __future__ import annotations

from collections.abc import Iterable

from credstack.core.access.policy import EXCHANGE_SCOPES, Action

#: RFC 6749 §6 / OpenID Connect: ask for a refresh token.
OFFLINE_ACCESS = "offline_access"

#: The longest scope parameter read (every scope credstack knows, several times over).
MAX_SCOPE_PARAMETER = 2000

#: What a learner may grant an application (besides the extensions' scopes).
DELEGABLE: frozenset[str] = frozenset(
    {action.value for action in EXCHANGE_SCOPES}
    | {Action.WALLET_READ.value, Action.WALLET_WRITE.value, Action.CREDITBANK_READ.value,
       OFFLINE_ACCESS})

_OFFLINE = ("あなたがサインインしていない間も、このアクセスを続けること（リフレッシュトークン）",
            "keep this access while you are signed out (a refresh token)")


def split(value: str | None) -> list[str]:
    """A scope parameter's scopes in their order, each once (RFC 6749 §3.3)."""
    return list(dict.fromkeys((value or "").split()))


def joined(scopes: Iterable[str]) -> str:
    """Scopes as the scope parameter writes them: space-separated, sorted."""
    return " ".join(sorted(set(scopes)))


def describe(scope: str) -> tuple[str, str]:
    """What granting ``scope`` lets an application do, as (ja, en); the scope itself for one
    credstack does not describe."""
    if scope == OFFLINE_ACCESS:
        return _OFFLINE
    try:
        action = Action(scope)
    except ValueError:
        return scope, scope
    return action.description_ja, action.description_en
