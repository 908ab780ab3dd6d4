"""The SAML 2.0 service provider (Web Browser SSO Profile, SAML Profiles §4.1; Single Logout,
§4.4), on :mod:`credstack.adapters.saml` (pysaml2) and :mod:`credstack.core.sso.saml`.

Each configured identity provider has a service provider of its own in credstack: entity id
``{public_url}/sso/saml/{slug}/metadata`` (where its metadata is published), one assertion
consumer service (``/sso/saml/acs``, HTTP-POST) for all, and a single logout service of its own
(``/sso/saml/{slug}/slo``, HTTP-Redirect and HTTP-POST: a LogoutRequest says which person, not
which of our service providers it is for).

:func:`begin` writes nothing: the RelayState is a state credstack signed (a random id, the
provider, when it ends; within the 80 bytes SAML allows) and the AuthnRequest's ID is derived
from it, so :func:`finish`
knows which request an answer must be for without a list of outstanding requests. The
answer's assertion must be signed by the identity provider (and is decrypted with our key
when encrypted), issued by it, for our entity id and assertion consumer service, in answer
to the request of that RelayState, and valid now. The state is spent once and so is the
assertion's ID: an answer brought back twice is refused as ``replayed``. Each sign-in's
NameID and SessionIndex are kept with the web session it made, so that the identity
provider's LogoutRequest (:func:`logout`) ends exactly those sessions, and so that a person
signing out here ends their session at the identity provider too (:func:`sign_out`: our
signed LogoutRequest by HTTP-Redirect, its RelayState a state credstack signed, as a
sign-in's is; :func:`logout_answered`: the provider's LogoutResponse, signed, in answer to
it, successful, once).

Every refusal is audited (``sso.sign_in.refused``, with its reason) in a transaction of its
own and raised as an :class:`~credstack.errors.AuthenticationRequiredError` whose code
``sso.refused.<reason>`` the page words.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass
from typing import Any, Final

from credstack.adapters.db.repositories import sso as store
from credstack.adapters.db.transactions import Session
from credstack.adapters.saml import BINDINGS, Message, ServiceProvider, Sp
from credstack.core.access import Actor
from credstack.core.sso.oidc import refusal
from credstack.core.sso.saml import NameId, attributes_of, check, check_logout, subject_of
from credstack.errors import AuthenticationRequiredError
from credstack.services import audit
from credstack.services.accounts import SignedIn
from credstack.services.login_states import LoginState
from credstack.services.runtime import Runtime
from credstack.services.sso import identities, providers
from credstack.services.sso.identities import Completed

__all__ = ["STATE_LIFETIME", "acs_url", "begin", "entity_id", "finish", "logout",
           "logout_answered", "metadata", "sign_out", "slo_url"]

STATE_LIFETIME: Final = dt.timedelta(minutes=10)
_STATE_KEY: Final = b"credstack sso saml relay state v1"
_LOGOUT_KEY: Final = b"credstack sso saml logout state v1"
_CACHE: Final = "sso.saml-providers"


def acs_url(runtime: Runtime) -> str:
    """The assertion consumer service of every SAML sign-in."""
    return runtime.settings.public_url.rstrip("/") + "/sso/saml/acs"


def slo_url(runtime: Runtime, slug: str) -> str:
    """The single logout service towards provider ``slug``."""
    return runtime.settings.public_url.rstrip("/") + f"/sso/saml/{slug}/slo"


def entity_id(runtime: Runtime, slug: str) -> str:
    """Our entity id towards provider ``slug``: where its metadata is published."""
    return runtime.settings.public_url.rstrip("/") + f"/sso/saml/{slug}/metadata"


class _Providers:
    def __init__(self) -> None:
        self.known: dict[tuple[int, str], ServiceProvider] = {}
        self.lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class _Found:
    id: int
    slug: str
    config: dict[str, Any]
    secret: str | None


def _found(runtime: Runtime, *, slug: str | None = None, provider_id: int | None = None
           ) -> _Found | None:
    with runtime.transaction() as session:
        row = store.provider_by_slug(session, slug) if slug is not None else \
            store.provider(session, provider_id or 0)
        if row is None or not row.enabled or row.kind != "saml":
            return None
        return _Found(row.id, row.slug, dict(row.config), row.secret)


def _service_provider(runtime: Runtime, found: _Found) -> ServiceProvider:
    """pysaml2's client for the provider, built once per configuration (it parses the
    metadata and checks xmlsec1)."""
    cache: _Providers = runtime.caches.setdefault(_CACHE, _Providers())
    version = hashlib.sha256(repr(sorted(found.config.items())).encode()).hexdigest()
    with cache.lock:
        known = cache.known.get((found.id, version))
    if known is not None:
        return known
    if not found.secret:
        raise refusal("metadata", "the service provider has no key")
    built = ServiceProvider(Sp(
        entity_id=entity_id(runtime, found.slug), acs_url=acs_url(runtime),
        slo_url=slo_url(runtime, found.slug),
        key=providers.unseal_secret(runtime.key(), found.slug, found.secret),
        cert=str(found.config["sp_cert"]), idp_metadata=str(found.config["metadata"])))
    with cache.lock:
        cache.known[(found.id, version)] = built
    return built


def _refused(runtime: Runtime, error: AuthenticationRequiredError, *, provider: str,
             ip: str) -> AuthenticationRequiredError:
    audit.record_separately(runtime.sessions, at=runtime.now(), actor="anonymous",
                            action="sso.sign_in.refused", subject=f"sso:{provider}"[:200],
                            details={"reason": error.params.get("reason", "refused"),
                                     "detail": error.params.get("detail", ""), "ip": ip,
                                     "protocol": "saml"})
    return error


def _request_id(runtime: Runtime, state: LoginState) -> str:
    # An xs:ID is an NCName: it may not begin with a digit or a hyphen.
    return "id-" + state.derived(runtime, "request")


def metadata(runtime: Runtime, *, slug: str) -> str | None:
    """Our metadata towards provider ``slug`` (None: no such SAML provider)."""
    found = _found(runtime, slug=slug)
    return _service_provider(runtime, found).metadata() if found is not None else None


def begin(runtime: Runtime, *, slug: str, ip: str) -> Message:
    """The signed AuthnRequest to provider ``slug`` by its binding, with a fresh RelayState."""
    found = _found(runtime, slug=slug)
    if found is None:
        raise _refused(runtime, refusal("provider", slug), provider=slug, ip=ip)
    ends = int((runtime.now() + STATE_LIFETIME).timestamp())
    state = LoginState.new(_STATE_KEY, found.id, ends, short=True)
    try:
        return _service_provider(runtime, found).authn_request(
            request_id=_request_id(runtime, state),
            relay_state=state.signed(runtime, short=True),
            binding=BINDINGS[str(found.config.get("binding", "redirect"))])
    except AuthenticationRequiredError as exc:
        raise _refused(runtime, exc, provider=slug, ip=ip) from None


def _spent(runtime: Runtime, key: str) -> bool:
    """Spend ``key`` (a state's id, an assertion's); False when it was spent already."""
    with runtime.transaction() as session:
        return not store.spend_state(session, state_id=key, at=runtime.now())


def finish(runtime: Runtime, *, saml_response: str, relay_state: str, ip: str) -> Completed:
    """The identity provider's answer, checked; the sign-in completed
    (:func:`identities.complete`)."""
    read = LoginState.read(runtime, _STATE_KEY, relay_state, short=True) \
        if relay_state and len(relay_state) <= 80 else None
    slug = "unknown"
    try:
        if read is None:
            raise refusal("state", "not a RelayState credstack made")
        found = _found(runtime, provider_id=read.ref)
        if found is None:
            raise refusal("provider")
        slug = found.slug
        if runtime.now().timestamp() >= read.ends:
            raise refusal("state", "expired")
        if len(saml_response) > 2_000_000:
            raise refusal("malformed", "too large")
        assertion = _service_provider(runtime, found).read_response(saml_response)
        check(assertion, issuer=str(found.config["issuer"]),
              audience=entity_id(runtime, slug), recipient=acs_url(runtime),
              request_id=_request_id(runtime, read), now=runtime.now())
        attributes = attributes_of(assertion.attributes)
        subject = subject_of(attributes, name_id=assertion.name_id,
                             name_id_format=assertion.name_id_format)
        provider_id = found.id

        def noted(session: Session, signed_in: SignedIn) -> None:
            store.add_saml_session(session, provider_id=provider_id,
                                   name_id=assertion.name_id,
                                   session_index=assertion.session_index or "",
                                   token=signed_in.token, at=runtime.now(),
                                   name_id_format=assertion.name_id_format,
                                   name_qualifier=assertion.name_qualifier,
                                   sp_name_qualifier=assertion.sp_name_qualifier)

        # One transaction: the state and the assertion spent (either spent already: a
        # replay), the account found or made, the session made and noted for logout.
        return identities.complete(
            runtime, provider_id=found.id, issuer=assertion.issuer, subject=subject,
            attributes=attributes, ip=ip, then=noted,
            spend=(f"saml-state:{read.id}",
                   hashlib.sha256(f"{assertion.issuer} {assertion.id}".encode()).hexdigest()))
    except AuthenticationRequiredError as exc:
        raise _refused(runtime, exc, provider=slug, ip=ip) from None


def logout(runtime: Runtime, *, slug: str, saml_request: str, relay_state: str | None,
           sigalg: str | None, signature: str | None, post: bool, ip: str) -> Message:
    """The identity provider's LogoutRequest (its signature verified): the web sessions its
    sign-ins of that NameID (and SessionIndex) made end (``sso.logout``, one entry a person);
    the signed LogoutResponse to send back."""
    binding = BINDINGS["post" if post else "redirect"]
    found = _found(runtime, slug=slug)
    try:
        if found is None:
            raise refusal("provider", slug)
        if len(saml_request) > 200_000:
            raise refusal("malformed", "too large")
        provider = _service_provider(runtime, found)
        request_id, name_id, index = provider.read_logout_request(
            saml_request, binding=binding, relay_state=relay_state, sigalg=sigalg,
            signature=signature)
        if _spent(runtime, hashlib.sha256(f"saml-logout {request_id}".encode()).hexdigest()):
            raise refusal("replayed", f"LogoutRequest {request_id[:80]}")
    except AuthenticationRequiredError as exc:
        _logout_refused(runtime, exc, slug=slug, ip=ip, message="LogoutRequest")
        raise
    now = runtime.now()
    with runtime.transaction() as session:
        users = store.saml_logout(session, provider_id=found.id, name_id=name_id,
                                  session_index=index, at=now)
        for user in users:
            audit.record(session, at=now, actor=f"sso:{slug}", action="sso.logout",
                         subject=f"user:{user}",
                         details={"provider": slug, "session_index": index, "ip": ip})
    return provider.logout_response(saml_request, binding=binding, relay_state=relay_state)


def _logout_refused(runtime: Runtime, error: AuthenticationRequiredError, *, slug: str,
                    ip: str, message: str) -> None:
    audit.record_separately(runtime.sessions, at=runtime.now(), actor="anonymous",
                            action="sso.logout.refused", subject=f"sso:{slug}"[:200],
                            details={"reason": error.params.get("reason", "refused"),
                                     "detail": error.params.get("detail", ""), "ip": ip,
                                     "message": message})


def _logout_id(runtime: Runtime, state: LoginState) -> str:
    return "id-" + state.derived(runtime, "logout")


def sign_out(runtime: Runtime, *, actor: Actor, token: str, ip: str) -> Message | None:
    """Single logout begun here (Profiles §4.4.3.1): when a SAML sign-in made the web session
    of cookie token ``token``, our signed LogoutRequest naming its NameID and SessionIndex,
    for the browser to carry to the identity provider (``sso.logout.requested``). None when
    there is nothing to end there: another sign-in's session, one noted before the NameID
    was kept, a provider since switched off, or one that offers no single logout (audited as
    ``sso.logout.refused``). Ending the session here is
    :func:`credstack.services.accounts.sessions.sign_out`'s, whatever this returns."""
    with runtime.transaction() as session:
        noted = store.saml_session_of(session, token) if 0 < len(token) <= 200 else None
        if noted is None or not noted.name_id:
            return None
        provider_id, index = noted.provider_id, noted.session_index
        name = NameId(noted.name_id, noted.name_id_format or "", noted.name_qualifier or "",
                      noted.sp_name_qualifier or "")
    found = _found(runtime, provider_id=provider_id)
    if found is None:
        return None
    ends = int((runtime.now() + STATE_LIFETIME).timestamp())
    state = LoginState.new(_LOGOUT_KEY, found.id, ends, short=True)
    try:
        sent = _service_provider(runtime, found).logout_request(
            request_id=_logout_id(runtime, state), name=name, session_index=index,
            relay_state=state.signed(runtime, short=True))
    except AuthenticationRequiredError as exc:
        _logout_refused(runtime, exc, slug=found.slug, ip=ip, message="LogoutRequest")
        return None
    principal = actor.principal
    who = principal.subject if principal is not None else "anonymous"
    audit.record_separately(runtime.sessions, at=runtime.now(), actor=who,
                            action="sso.logout.requested", subject=who,
                            details={"provider": found.slug, "session_index": index,
                                     "request": _logout_id(runtime, state), "ip": ip})
    return sent


def logout_answered(runtime: Runtime, *, slug: str, saml_response: str,
                    relay_state: str | None, sigalg: str | None, signature: str | None,
                    post: bool, ip: str) -> None:
    """The identity provider's LogoutResponse to :func:`sign_out`'s request: signed by it (the
    query by HTTP-Redirect, the message by HTTP-POST), in answer to the request of that
    RelayState, which is ours for this provider and not expired, successful, and brought once
    (``sso.logout.completed``).
    Every refusal is audited (``sso.logout.refused``) and raised as ``sso.refused.<reason>``:
    the session here has ended already, the one at the provider may not have."""
    read = LoginState.read(runtime, _LOGOUT_KEY, relay_state, short=True) \
        if relay_state and len(relay_state) <= 80 else None
    found = _found(runtime, slug=slug)
    try:
        if found is None:
            raise refusal("provider", slug)
        if read is None or read.ref != found.id:
            raise refusal("state", "not a RelayState credstack made for this provider")
        if runtime.now().timestamp() >= read.ends:
            raise refusal("state", "expired")
        if len(saml_response) > 200_000:
            raise refusal("malformed", "too large")
        answer = _service_provider(runtime, found).read_logout_response(
            saml_response, binding=BINDINGS["post" if post else "redirect"],
            relay_state=relay_state, sigalg=sigalg, signature=signature)
        check_logout(answer, issuer=str(found.config["issuer"]),
                     request_id=_logout_id(runtime, read))
        if _spent(runtime, hashlib.sha256(f"saml-logout-state {read.id}".encode()
                                          ).hexdigest()):
            raise refusal("replayed", f"LogoutResponse {answer.id[:80]}")
    except AuthenticationRequiredError as exc:
        _logout_refused(runtime, exc, slug=slug, ip=ip, message="LogoutResponse")
        raise
    audit.record_separately(runtime.sessions, at=runtime.now(), actor=f"sso:{slug}",
                            action="sso.logout.completed", subject=f"sso:{slug}",
                            details={"provider": slug, "request": answer.in_response_to or "",
                                     "ip": ip})
