"""OID4VCI 1.0 on credstack's authorization server (:mod:`credstack.services.oauth`).

:data:`OID4VCI` is the :class:`~credstack.services.oauth.extensions.Extension` the server
lists; it adds:

* the **pre-authorised code grant** (:class:`PreAuthorizedCodeGrant`, §6.1,
  ``urn:ietf:params:oauth:grant-type:pre-authorized_code``), anonymous (no client
  authentication, ``pre-authorized_grant_anonymous_access_supported``): the code of an offer
  (:mod:`.offers`) is single use — presented again, it is ``invalid_grant`` and the token it
  gave is revoked (``oid4vci.code.replayed``); a transaction code is checked when the offer
  asked for one (``invalid_request`` when missing or unasked, ``invalid_grant`` when wrong; five
  wrong ones spend the offer, ``oid4vci.offer.tx-code-failed``); ``authorization_details``
  narrow the token to offered configurations. The token (stored by
  :func:`credstack.services.oauth.tokens.issue`, ``token.issued``) names the offered credential
  and the configurations; the answer carries ``authorization_details`` with
  ``credential_identifiers`` when the request had some.
* for the **authorisation code flow**: the credential configurations' scopes, the
  ``openid_credential`` type of ``authorization_details`` (§5.1.1), the ``issuer_state``
  parameter of an offer's ``authorization_code`` grant, what the consent page says of each,
  and ``credential_identifiers`` in the token response: the credential of the offer named by
  ``issuer_state``, or else every active credential issued to the learner's verified
  identifiers. An ``issuer_state`` unknown, expired, used already or of another learner's
  offer is refused where the request is checked, and the learner's consent takes the offer
  (:mod:`.issuer_states`).

:func:`datasets` tells the credential endpoint which credentials a token may receive.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Final, NoReturn

from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidGrantError, InvalidRequestError

from credstack.adapters.db.repositories import oauth as oauth_store
from credstack.adapters.db.repositories import oid4vci as offer_store
from credstack.adapters.db.transactions import Session
from credstack.core.oid4vci.metadata import CONFIGURATIONS, PRE_AUTHORIZED_GRANT
from credstack.core.oid4vci.requests import authorization_details
from credstack.errors import ExchangeProtocolError, InputError
from credstack.services import access as refusals
from credstack.services import audit, oauth, wallet
from credstack.services.oid4vci import issuer_states
from credstack.services.oid4vci.offers import MAX_TX_ATTEMPTS, code_digest
from credstack.words import protocol_description

__all__ = ["OID4VCI", "PreAuthorizedCodeGrant", "datasets", "identifier"]

#: A pre-authorised access token lives ten minutes: long enough for a wallet to ask.
PRE_AUTHORIZED_TTL: Final = 600
#: The most credentials one learner's authorisation names.
MAX_DATASETS: Final = 50
_ANONYMOUS: Final = "wallet:anonymous"


def identifier(configuration: str, credential_id: str) -> str:
    """The ``credential_identifier`` of one credential in one configuration."""
    return f"{configuration}:{hashlib.sha256(credential_id.encode()).hexdigest()[:16]}"


def _family(offer: offer_store.OfferToRedeem) -> str:
    """The token family of an offer's tokens (revoked together when its code is replayed)."""
    return f"oid4vci-offer:{offer.id}"


class PreAuthorizedCodeGrant(grants.BaseGrant, grants.TokenEndpointMixin):  # type: ignore[misc]
    """The pre-authorised code grant (see the module)."""

    GRANT_TYPE = PRE_AUTHORIZED_GRANT
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["none"]

    @property
    def context(self) -> oauth.Context:
        context: oauth.Context = self.server.context
        return context

    def validate_token_request(self) -> None:
        data = self.request.payload.data
        code, tx_code = data.get("pre-authorized_code"), data.get("tx_code")
        if not isinstance(code, str) or not code:
            raise InvalidRequestError("pre-authorized_code is required.")
        try:
            asked = authorization_details(data.get("authorization_details"))
        except ExchangeProtocolError as error:
            raise oauth.InvalidAuthorizationDetailsError(
                protocol_description(error)) from error
        session, now = self.context.session, self.context.now
        offer = offer_store.offer_to_redeem(session, code_digest(code))
        if offer is None:
            raise InvalidGrantError("The pre-authorized code is not valid.")
        subject = f"offer:{offer.public_id[:12]}"
        if offer.redeemed_at is not None:
            self._replayed(offer, subject)
        if offer.expires_at <= now:
            raise InvalidGrantError("The pre-authorized code has expired.")
        self._check_tx_code(offer, tx_code if isinstance(tx_code, str) else None, subject)
        offered = offer.configurations.split()
        if asked is not None and not set(asked) <= set(offered):
            raise oauth.InvalidAuthorizationDetailsError(
                "authorization_details asks for a configuration the offer did not make.")
        if not offer_store.redeem(session, offer.id, at=now):
            self._replayed(offer, subject)
        self.request.offer = offer
        self.request.granted = list(asked) if asked is not None else offered
        self.request.with_details = asked is not None

    def _replayed(self, offer: offer_store.OfferToRedeem, subject: str) -> NoReturn:
        # As RFC 6749 §4.1.2 says of authorization codes: a code used twice revokes the token
        # it gave. What is written here is committed with the refusal.
        session, now = self.context.session, self.context.now
        revoked = oauth_store.revoke_family(session, _family(offer), at=now)
        refusals.audit_refused(self.context.runtime, session, at=now, actor=_ANONYMOUS,
                               action="oid4vci.code.replayed", subject=subject,
                               ip=self.context.ip,
                               details={"revoked": revoked, "ip": self.context.ip})
        raise InvalidGrantError("The pre-authorized code was already used; the token it gave "
                                "has been revoked.")

    def _check_tx_code(self, offer: offer_store.OfferToRedeem, given: str | None,
                       subject: str) -> None:
        if offer.tx_code_hash is None:
            if given is not None:
                raise InvalidRequestError("This offer asks for no tx_code.")
            return
        if given is None:
            raise InvalidRequestError("This offer needs its tx_code (the transaction code).")
        # Every guess is counted before it is checked, by an increment in the database:
        # concurrent guesses each see their own count, whatever they read before (a request
        # whose now is earlier than the end another set sees it too).
        attempts = offer_store.count_tx_code_guess(self.context.session, offer.id)
        if attempts > MAX_TX_ATTEMPTS:
            raise InvalidGrantError(f"The offer is spent: {MAX_TX_ATTEMPTS} tx_codes were "
                                    "given, the last ones wrong.")
        if secrets.compare_digest(code_digest(given), offer.tx_code_hash):
            return
        spent = attempts >= MAX_TX_ATTEMPTS
        details = {"attempts": attempts, "spent": spent, "ip": self.context.ip}
        if spent:
            # The offer ends: a change of state, always written (once per offer).
            offer_store.end_offer(self.context.session, offer.id, at=self.context.now)
            audit.record(self.context.session, at=self.context.now, actor=_ANONYMOUS,
                         action="oid4vci.offer.tx-code-failed", subject=subject,
                         details=details)
        else:
            # A wrong guess changes nothing but its count: past the address's budget, guesses
            # (at many offers) are counted into one entry a minute, not written one by one.
            refusals.audit_refused(self.context.runtime, self.context.session,
                                   at=self.context.now, actor=_ANONYMOUS,
                                   action="oid4vci.offer.tx-code-failed", subject=subject,
                                   ip=self.context.ip, details=details)
        raise InvalidGrantError("The tx_code is wrong." + (" The offer is spent." if spent
                                                          else ""))

    def create_token_response(self) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        context = self.context
        offer: offer_store.OfferToRedeem = self.request.offer
        credential_id = offer.credential_id
        granted: list[str] = self.request.granted
        extra: dict[str, Any] = {"oid4vci": {"offer": offer.id, "credential": offer.credential_row,
                                             "configurations": granted}}
        if self.request.with_details:
            extra["authorization_details"] = [
                {"type": "openid_credential", "credential_configuration_id": name,
                 "credential_identifiers": [identifier(name, credential_id)]}
                for name in granted]
        issued = oauth.issue_token(
            context.session, now=context.now, ttl=PRE_AUTHORIZED_TTL,
            grant_type=self.GRANT_TYPE,
            scope=" ".join(CONFIGURATIONS[name].scope for name in granted), client_key=None,
            client_id=None, user_id=None, refresh=False, family=_family(offer), extra=extra,
            ip=context.ip)
        response = oauth.token_response(context, issued)
        # RFC 6749 §5.1: case-insensitive; Digital Bazaar's oid4-client accepts only this.
        response["token_type"] = "bearer"  # noqa: S105 (a token type, not a secret)
        return 200, response, self.TOKEN_RESPONSE_HEADER


# --- what a token may receive ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dataset:
    """A credential a token may receive, in which configurations."""

    row_id: int
    credential_id: str
    configurations: tuple[str, ...]


def _learners_credentials(session: Session, user_id: int) -> list[tuple[int, str]]:
    names = wallet.learner_names(session, user_id)
    if not names:
        return []
    return offer_store.learners_credentials(session, names, limit=MAX_DATASETS)


def _configurations_of(row: oauth.IssuedToken) -> tuple[str, ...]:
    extra = row.extra or {}
    found = [entry.get("credential_configuration_id")
             for entry in extra.get("authorization_details") or []
             if entry.get("type") == "openid_credential"]
    scopes = set(row.scope.split())
    found += [name for name, entry in CONFIGURATIONS.items() if entry.scope in scopes]
    return tuple(dict.fromkeys(name for name in found if name in CONFIGURATIONS))


def datasets(session: Session, row: oauth.IssuedToken) -> list[Dataset]:
    """The credentials the token ``row`` may receive (none for a token of another kind)."""
    extra = row.extra or {}
    if row.grant_type == PRE_AUTHORIZED_GRANT:
        granted = extra.get("oid4vci") or {}
        credential_id = offer_store.credential_id_of(session, granted.get("credential"))
        if credential_id is None:
            return []
        return [Dataset(int(granted["credential"]), credential_id,
                        tuple(granted.get("configurations") or ()))]
    configurations = _configurations_of(row)
    if row.user_id is None or not configurations:
        return []
    found = _learners_credentials(session, row.user_id)
    state = extra.get("issuer_state")
    if isinstance(state, str):
        offered = offer_store.offer_of_issuer_state(session, state)
        found = [item for item in found
                 if offered is not None and item[0] == offered.credential_id]
    return [Dataset(row_id, credential_id, configurations) for row_id, credential_id in found]


def _token_fields(row: oauth.IssuedToken) -> Mapping[str, Any]:
    """``authorization_details`` with ``credential_identifiers`` for a learner's token."""
    session = offer_store.session_of(row)
    if row.grant_type == PRE_AUTHORIZED_GRANT or session is None:
        return {}
    found = datasets(session, row)
    if not found:
        return {}
    return {"authorization_details": [
        {"type": "openid_credential", "credential_configuration_id": name,
         "credential_identifiers": [identifier(name, item.credential_id) for item in found]}
        for name in found[0].configurations]}


def _check_details(entry: Mapping[str, Any]) -> dict[str, Any]:
    name = entry.get("credential_configuration_id")
    if name not in CONFIGURATIONS:
        raise InputError("credential_configuration_id names no configuration of this issuer.")
    return {"type": "openid_credential", "credential_configuration_id": name}


def _describe(entry: Mapping[str, Any]) -> tuple[str, str]:
    name = str(entry.get("credential_configuration_id"))
    kind = CONFIGURATIONS[name].format if name in CONFIGURATIONS else name
    return (f"あなたのマイクロクレデンシャルをウォレットに発行します（形式 {kind}）",
            f"Issue your micro-credentials to the wallet (format {kind})")


OID4VCI: Final = oauth.Extension(
    name="oid4vci",
    grants=((PreAuthorizedCodeGrant, ()),),
    scopes={entry.scope: (
        f"あなたのマイクロクレデンシャルをウォレットに発行します（{entry.format}、{entry.signing}）",
        f"Issue your micro-credentials to the wallet ({entry.format}, {entry.signing})")
        for entry in CONFIGURATIONS.values()},
    authorization_details={"openid_credential": _check_details},
    authorization_parameters=(issuer_states.PARAMETER,),
    check_authorization=issuer_states.check,
    take_authorization=issuer_states.take,
    describe_details=_describe,
    token_fields=_token_fields,
    metadata={"pre-authorized_grant_anonymous_access_supported": True},
)
