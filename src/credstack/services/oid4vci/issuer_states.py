"""The ``issuer_state`` of an authorization request (OID4VCI 1.0 §5.1.3), checked where the
request is, and taken by the learner's consent.

An offer made with an ``authorization_code`` grant (:mod:`.offers`) names an
``issuer_state``; a wallet that takes that grant sends it with its authorization request, and
the token the learner's consent gives then names the offered credential alone
(:func:`credstack.services.oid4vci.grants.datasets`). The offer is its credential's learner's,
and is for one authorisation. :func:`check` refuses, with ``invalid_request`` naming why, an
``issuer_state`` that:

* names no offer (unknown, or of an offer purged since);
* names an offer whose time is over (or spent by wrong transaction codes);
* names an offer used already — its pre-authorised code redeemed, or a consent given to it;
* names an offer of a credential revoked or suspended since;
* once a learner is signed in (the consent page and the answer, not a pushed request, which
  no learner has seen yet), names an offer of a credential issued to another learner: none
  of the names a token of theirs receives credentials for
  (:func:`~credstack.services.wallet.holders.learner_names`: their wallet's verified
  identifiers, or for a wallet never opened the address they sign in with).

:func:`take` marks the offer used when the learner allows, in the transaction that issues
the code: one consent only, even two at once (a conditional UPDATE); audited
(``oid4vci.offer.authorized``). A refusal is audited by the authorization server
(``oauth.authorization.refused``, ``oauth.par.refused``) and nothing is issued.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Protocol

from authlib.oauth2.rfc6749.errors import InvalidRequestError

from credstack.adapters.db.repositories import oid4vci as offer_store
from credstack.services import audit, oauth, wallet

__all__ = ["PARAMETER", "check", "take"]

PARAMETER: Final = "issuer_state"
#: Longer than any issuer_state credstack makes: not looked up at all.
_MAX: Final = 64


class _Learner(Protocol):
    """The signed-in learner the authorization server hands over (its stored user)."""

    @property
    def id(self) -> int: ...


def _checked(context: oauth.ExtensionRequest, data: Mapping[str, Any], learner: _Learner | None
             ) -> offer_store.OfferOfState | None:
    value = data.get(PARAMETER)
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= _MAX:
        raise InvalidRequestError("issuer_state is not known.")
    offer = offer_store.offer_of_issuer_state(context.session, value)
    if offer is None:
        raise InvalidRequestError("issuer_state is not known.")
    if offer.redeemed_at is not None:
        raise InvalidRequestError("issuer_state names an offer that was used already.")
    if context.now >= offer.expires_at:
        raise InvalidRequestError("issuer_state names an offer that has expired.")
    if offer.state != "active":
        raise InvalidRequestError(f"issuer_state names an offer of a credential that is "
                                  f"{offer.state}.")
    if learner is not None and offer.learner.lower() not in wallet.learner_names(context.session,
                                                                                 learner.id):
        raise InvalidRequestError("issuer_state names an offer made for another learner.")
    return offer


def check(context: oauth.ExtensionRequest, data: Mapping[str, Any],
          learner: _Learner | None) -> None:
    """Refuse an authorization request whose ``issuer_state`` may not be used (see the
    module); one without an ``issuer_state`` passes."""
    _checked(context, data, learner)


def take(context: oauth.ExtensionRequest, data: Mapping[str, Any], learner: _Learner) -> None:
    """The learner allowed: the offer of the request's ``issuer_state`` is used now (see the
    module); ``invalid_request`` if another consent took it first."""
    offer = _checked(context, data, learner)
    if offer is None:
        return
    if not offer_store.redeem(context.session, offer.id, at=context.now):
        raise InvalidRequestError("issuer_state names an offer that was used already.")
    audit.record(context.session, at=context.now, actor=f"user:{learner.id}",
                 action="oid4vci.offer.authorized", subject=f"offer:{offer.public_id[:12]}",
                 details={"ip": context.ip})
