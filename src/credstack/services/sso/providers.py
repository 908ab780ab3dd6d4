"""An organisation's identity providers and the rules that turn their attributes into roles.

Only the organisation's administrator (or the operator) configures them
(``organisations:write`` on that organisation). The roles the rules may give are capped by
the provider's ``allowed_roles``, itself within :data:`credstack.core.sso.roles.GIVABLE`: a
rule past the ceiling is refused when it is written, and a sign-in never gives more than the
ceiling (:func:`credstack.core.sso.roles.roles_for`). A client secret is sealed with the key
store's master key.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from credstack.adapters import saml
from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import sso as store
from credstack.adapters.keystore import MasterKey
from credstack.adapters.resolvers import fetch
from credstack.core.access import Actor
from credstack.core.access.policy import RECOGNITION_BODY_ROLES, Action, Role
from credstack.core.sso.discovery import Institution
from credstack.core.sso.roles import GIVABLE, Rule
from credstack.errors import (
    AccessDeniedError,
    AuthenticationRequiredError,
    FetchError,
    InputError,
    InputTooLargeError,
    KeyStoreError,
    NotFoundError,
    Problem,
)
from credstack.services import audit
from credstack.services.runtime import Runtime
from credstack.services.sso import documents

__all__ = ["InUse", "Provider", "add_oidc_provider", "add_saml_provider", "givable_roles",
           "in_use", "institutions", "kind_of", "provider_list", "seal_secret", "set_rules",
           "unseal_secret"]

SLUG: Final = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_SECRET_KEY: Final = b"credstack sso client secret v1"
DEFAULT_SCOPES: Final = "openid email profile"


@dataclass(frozen=True, slots=True)
class Provider:
    """A provider as its administrator sees it (never its secret)."""

    slug: str
    organisation: str
    kind: str
    name: str
    issuer: str
    client_id: str
    scopes: str
    allowed_roles: tuple[Role, ...]
    rules: tuple[Rule, ...]
    enabled: bool


def _cipher(key: MasterKey) -> AESGCM:
    return AESGCM(key.derive(_SECRET_KEY))


def _seal(key: MasterKey, slug: str, secret: str) -> str:
    nonce = os.urandom(12)
    sealed = _cipher(key).encrypt(nonce, secret.encode(), f"sso:{slug}".encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def seal_secret(key: MasterKey, slug: str, secret: str) -> str:
    """``secret`` of provider ``slug`` sealed with the master key (an OpenID client secret, a
    SAML service provider's private key)."""
    return _seal(key, slug, secret)


def unseal_secret(key: MasterKey, slug: str, stored: str) -> str:
    """The client secret of provider ``slug`` as its administrator gave it (or the SAML
    service provider's private key made for it)."""
    raw = base64.urlsafe_b64decode(stored.encode("ascii"))
    try:
        return _cipher(key).decrypt(raw[:12], raw[12:], f"sso:{slug}".encode()).decode()
    except InvalidTag:
        raise KeyStoreError(f"The client secret of identity provider {slug} does not open "
                            "with this master key (was the key replaced?).") from None


def _roles(names: Iterable[str], *, field: str) -> tuple[Role, ...]:
    roles = []
    for name in names:
        try:
            role = Role(name)
        except ValueError:
            raise InputError(f"Unknown role {name!r}.",
                             problems=[Problem(field, f"unknown role {name}")]) from None
        if role not in GIVABLE:
            raise InputError(f"An identity provider may not give the role {role.value}.",
                             problems=[Problem(field, f"{role.value} is never given by a "
                                               "provider")])
        roles.append(role)
    return tuple(sorted(set(roles)))


def _check_rules(rules: Sequence[Rule], allowed: tuple[Role, ...], kind: str) -> None:
    for index, rule in enumerate(rules):
        if not rule.attribute.strip() or not rule.value.strip():
            raise InputError("A rule needs an attribute and a value.",
                             problems=[Problem(f"rules[{index}]", "attribute and value")])
        if rule.role not in allowed:
            raise InputError(f"The rule {rule.attribute}={rule.value} gives {rule.role.value}, "
                             "which is not among the roles this provider may give.",
                             problems=[Problem(f"rules[{index}].role",
                                               "past the provider's allowed roles")])
    if kind != "recognition-body" and RECOGNITION_BODY_ROLES & set(allowed):
        raise InputError("Evaluators and committee members belong to recognition bodies only.",
                         problems=[Problem("allowed_roles", "only in a recognition body")])


def _check_grant(actor: Actor, organisation: str, allowed: Sequence[Role]) -> None:
    """A provider gives roles as its administrator would grant them: one who may not manage
    the organisation's accounts (a token with ``organisations:write`` alone) may not let a
    provider give any."""
    if allowed and not actor.allows(Action.ACCOUNTS_MANAGE, organisation):
        actor.require(Action.ACCOUNTS_MANAGE, organisation)


def givable_roles(runtime: Runtime, *, actor: Actor, organisation: str) -> tuple[Role, ...]:
    """The roles ``actor`` may let a provider of ``organisation`` give: those of
    :data:`GIVABLE` its kind holds (evaluators and committee members in a recognition body
    only), none when the actor may not grant roles there."""
    actor.require(Action.ORGANISATION_UPDATE, organisation)
    if not actor.allows(Action.ACCOUNTS_MANAGE, organisation):
        return ()
    with runtime.transaction() as session:
        kind = organisation_store.existing_row(session, organisation).kind
    return tuple(sorted(role for role in GIVABLE
                        if kind == "recognition-body" or role not in RECOGNITION_BODY_ROLES))


def _check_issuer(issuer: str) -> str:
    parts = urlsplit(issuer)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.query \
            or parts.fragment:
        raise InputError("The issuer must be an HTTPS URL without query or fragment.",
                         problems=[Problem("issuer", "an HTTPS URL")])
    return issuer


def _view(row: store.StoredProvider, organisation: str,
          rules: Iterable[store.StoredRule]) -> Provider:
    config = row.config
    return Provider(
        slug=row.slug, organisation=organisation, kind=row.kind, name=row.name,
        issuer=str(config.get("issuer", "")), client_id=str(config.get("client_id", "")),
        scopes=str(config.get("scopes", DEFAULT_SCOPES)),
        allowed_roles=tuple(Role(r) for r in row.allowed_roles.split()),
        rules=tuple(Rule(r.attribute, r.value, Role(r.role)) for r in rules),
        enabled=row.enabled)


def _check_discovery(runtime: Runtime, issuer: str) -> None:
    """Refuse an issuer whose discovery metadata or key set, read now, does not serve
    (:func:`documents.check`): ``sso.admin.error.discovery.<why>``, naming the issuer and the
    document or endpoint at fault."""
    try:
        documents.check(runtime, issuer)
    except AuthenticationRequiredError as exc:
        why = str(exc.params.get("why", "unreadable"))
        raise InputError(code=f"sso.admin.error.discovery.{why}",
                         params={"issuer": issuer, "url": str(exc.params.get("url", ""))},
                         problems=[Problem("issuer", f"discovery: {why}")]) from None


def add_oidc_provider(runtime: Runtime, *, actor: Actor, organisation: str, slug: str,
                      name: str, issuer: str, client_id: str, client_secret: str,
                      allowed_roles: Sequence[str], rules: Sequence[Rule],
                      scopes: str = DEFAULT_SCOPES) -> Provider:
    """A new OpenID Connect provider of ``organisation`` (``sso.provider.add``), once its
    discovery metadata and key set have been read and serve (refused otherwise, naming
    why: nothing is saved for a provider no one could sign in through)."""
    principal = actor.require(Action.ORGANISATION_UPDATE, organisation)
    if not SLUG.match(slug):
        raise InputError("The provider's short name is 2 to 63 lower-case letters, digits or "
                         "hyphens.", problems=[Problem("slug", "a-z, 0-9, -")])
    if not name.strip() or len(name) > 200:
        raise InputError("The provider's name must have 1 to 200 characters.",
                         problems=[Problem("name", "1 to 200 characters")])
    if not client_id or len(client_id) > 255 or len(client_secret) > 1000:
        raise InputError("The client id is required (255 characters at most).",
                         problems=[Problem("client_id", "required")])
    if "openid" not in scopes.split():
        raise InputError("The scopes must include openid.",
                         problems=[Problem("scopes", "openid")])
    allowed = _roles(allowed_roles, field="allowed_roles")
    _check_grant(actor, organisation, allowed)
    with runtime.transaction() as session:
        _check_rules(rules, allowed, organisation_store.existing_row(session, organisation).kind)
    _check_discovery(runtime, _check_issuer(issuer))
    now = runtime.now()
    with runtime.transaction() as session:
        owner = organisation_store.existing_row(session, organisation)
        row = store.add_provider(
            session, slug=slug, organisation_id=owner.id, kind="oidc", name=name.strip(),
            config={"issuer": issuer, "client_id": client_id,
                    "scopes": scopes},
            secret=_seal(runtime.key(), slug, client_secret) if client_secret else None,
            allowed_roles=" ".join(allowed), at=now)
        store.set_rules(session, row.id, [(r.attribute, r.value, r.role.value)
                                          for r in rules])
        audit.record(session, at=now, actor=principal.subject, action="sso.provider.add",
                     subject=f"sso:{slug}",
                     details={"organisation": organisation, "kind": "oidc", "issuer": issuer,
                              "allowed_roles": list(allowed),
                              "rules": [[r.attribute, r.value, r.role.value] for r in rules]})
        return _view(row, organisation, store.rules(session, row.id))


def set_rules(runtime: Runtime, *, actor: Actor, slug: str, allowed_roles: Sequence[str],
              rules: Sequence[Rule]) -> Provider:
    """The provider's ceiling and rules replaced (``sso.rules.set``, before and after)."""
    now = runtime.now()
    with runtime.transaction() as session:
        row = store.provider_by_slug(session, slug)
        if row is None:
            raise NotFoundError(f"There is no identity provider {slug!r}.")
        organisation = store.organisation_slug(session, row.organisation_id)
        principal = actor.require(Action.ORGANISATION_UPDATE, organisation)
        allowed = _roles(allowed_roles, field="allowed_roles")
        _check_grant(actor, organisation, allowed)
        _check_rules(rules, allowed, organisation_store.existing_row(session, organisation).kind)
        before = _view(row, organisation, store.rules(session, row.id))
        row.allowed_roles = " ".join(allowed)
        store.set_rules(session, row.id, [(r.attribute, r.value, r.role.value)
                                          for r in rules])
        audit.record(session, at=now, actor=principal.subject, action="sso.rules.set",
                     subject=f"sso:{slug}",
                     details={"allowed_roles": {"before": list(before.allowed_roles),
                                                "after": list(allowed)},
                              "rules": {"before": [[r.attribute, r.value, r.role.value]
                                                   for r in before.rules],
                                        "after": [[r.attribute, r.value, r.role.value]
                                                  for r in rules]}})
        return _view(row, organisation, store.rules(session, row.id))


def provider_list(runtime: Runtime, *, actor: Actor, organisation: str) -> list[Provider]:
    """The providers of ``organisation``, for its administrator."""
    actor.require(Action.ORGANISATION_UPDATE, organisation)
    with runtime.transaction() as session:
        owner = organisation_store.existing_row(session, organisation)
        return [_view(row, slug, store.rules(session, row.id))
                for row, slug in store.providers(session, organisation_id=owner.id)]


def institutions(runtime: Runtime) -> list[Institution]:
    """The enabled providers, for anyone's sign-in page, with their organisation's names."""
    with runtime.transaction() as session:
        return [Institution(row.slug, row.name, slug, names)
                for row, slug, names in store.enabled_with_organisations(session)]


@dataclass(frozen=True, slots=True)
class InUse:
    """A provider as the operator sees it: whose it is, what it is, how many people it
    signed in."""

    organisation: str
    organisation_names: dict[str, str]
    slug: str
    name: str
    kind: str
    issuer: str
    enabled: bool
    allowed_roles: tuple[Role, ...]
    people: int


def in_use(runtime: Runtime, *, actor: Actor) -> list[InUse]:
    """Every organisation's providers, by organisation, for the operator (registry admin)."""
    if not actor.user().has_role(Role.REGISTRY_ADMIN):
        actor.refuse(AccessDeniedError(
            "Only the platform's operators (registry admins) see every organisation's "
            "identity providers. / すべての組織の ID プロバイダーを見られるのは運営者"
            "（レジストリ管理者）だけです。"), action="sso.providers.read")
    with runtime.transaction() as session:
        counts = store.identity_counts(session)
        return sorted((InUse(slug, names, row.slug, row.name, row.kind,
                             str(row.config.get("issuer", "")), row.enabled,
                             tuple(Role(r) for r in row.allowed_roles.split()),
                             counts.get(row.id, 0))
                       for row, slug, names in store.with_organisations(session)),
                      key=lambda found: (found.organisation, found.name))


#: The largest metadata document read: GakuNin's aggregate of every member is some megabytes.
METADATA_LIMIT: Final = 64 * 1024 * 1024


def _check_basics(slug: str, name: str) -> None:
    if not SLUG.match(slug):
        raise InputError("The provider's short name is 2 to 63 lower-case letters, digits or "
                         "hyphens.", problems=[Problem("slug", "a-z, 0-9, -")])
    if not name.strip() or len(name) > 200:
        raise InputError("The provider's name must have 1 to 200 characters.",
                         problems=[Problem("name", "1 to 200 characters")])


def _metadata_document(metadata_url: str, metadata: str) -> bytes:
    if bool(metadata_url) == bool(metadata):
        raise InputError("Give the identity provider's metadata either by its URL or as a "
                         "document, one of the two.",
                         problems=[Problem("metadata_url", "exactly one of metadata_url, "
                                           "metadata")])
    if metadata:
        return metadata.encode("utf-8")
    _check_issuer(metadata_url)
    try:
        body = fetch.fetch_bytes(metadata_url, limit=METADATA_LIMIT)
    except (FetchError, InputTooLargeError) as exc:
        raise InputError(f"The metadata at {metadata_url} could not be read: "
                         f"{getattr(exc, 'message', exc)}",
                         problems=[Problem("metadata_url", "unreadable")]) from None
    if body is None:
        raise InputError(f"There is no metadata at {metadata_url}.",
                         problems=[Problem("metadata_url", "not found")])
    return body


def add_saml_provider(runtime: Runtime, *, actor: Actor, organisation: str, slug: str,
                      name: str, metadata_url: str, metadata: str, federation_cert: str,
                      entity_id: str | None, binding: str, allowed_roles: Sequence[str],
                      rules: Sequence[Rule]) -> Provider:
    """A new SAML 2.0 identity provider of ``organisation`` (``sso.provider.add``), from its
    metadata (at ``metadata_url`` or the document ``metadata``; a federation's aggregate
    names the provider by ``entity_id``), which must be signed with ``federation_cert``
    (PEM). A key pair of its own is made for credstack's service provider towards it (the
    private key sealed with the master key); its metadata is published at
    ``/sso/saml/{slug}/metadata``."""
    principal = actor.require(Action.ORGANISATION_UPDATE, organisation)
    _check_basics(slug, name)
    if binding not in saml.BINDINGS:
        raise InputError("The binding is redirect or post.",
                         problems=[Problem("binding", "redirect or post")])
    if "BEGIN CERTIFICATE" not in federation_cert or len(federation_cert) > 20_000:
        raise InputError("The federation's metadata signing certificate (PEM) is required.",
                         problems=[Problem("federation_certificate", "a PEM certificate")])
    allowed = _roles(allowed_roles, field="allowed_roles")
    _check_grant(actor, organisation, allowed)
    document = _metadata_document(metadata_url, metadata)
    now = runtime.now()
    try:
        idp, descriptor = saml.check_metadata(document, federation_cert=federation_cert,
                                              entity_id=entity_id or None, now=now)
    except AuthenticationRequiredError as exc:
        detail = str(exc.params.get("detail", ""))
        raise InputError(f"The identity provider's metadata is refused: {detail}",
                         problems=[Problem("metadata", detail)]) from None
    key, cert = saml.new_key_pair(f"credstack {slug}", now=now)
    with runtime.transaction() as session:
        owner = organisation_store.existing_row(session, organisation)
        _check_rules(rules, allowed, owner.kind)
        row = store.add_provider(
            session, slug=slug, organisation_id=owner.id, kind="saml", name=name.strip(),
            config={"issuer": idp, "metadata": descriptor, "metadata_url": metadata_url,
                    "federation_cert": federation_cert, "binding": binding, "sp_cert": cert},
            secret=_seal(runtime.key(), slug, key), allowed_roles=" ".join(allowed), at=now)
        store.set_rules(session, row.id, [(r.attribute, r.value, r.role.value)
                                          for r in rules])
        audit.record(session, at=now, actor=principal.subject, action="sso.provider.add",
                     subject=f"sso:{slug}",
                     details={"organisation": organisation, "kind": "saml", "issuer": idp,
                              "metadata_url": metadata_url, "binding": binding,
                              "allowed_roles": list(allowed),
                              "rules": [[r.attribute, r.value, r.role.value] for r in rules]})
        return _view(row, organisation, store.rules(session, row.id))


def kind_of(runtime: Runtime, slug: str) -> str | None:
    """``oidc`` or ``saml`` for an enabled provider ``slug``; None for no such provider."""
    with runtime.transaction() as session:
        row = store.provider_by_slug(session, slug)
        return row.kind if row is not None and row.enabled else None
