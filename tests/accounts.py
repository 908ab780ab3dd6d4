"""Accounts for tests and the store they act on: users with roles, API clients, bearer
tokens, signed-in HTTP clients; organisations with their issuer keys, programmes and issued
credentials.

Setup goes through the accounts services' helpers and the repositories on the test's store,
in a transaction of its own and without audit entries (that is setup, not a mock, and it
works on a store with no master key); tokens and sign-in go over HTTP to the live server, as
a real client would.

    provider_store(settings, secret=SECRET, now=NOW, drafts=["DRAFT-1"])
    [credential_id] = issued_credentials(settings, secret=SECRET, now=NOW, batch="spring",
                                         cohort="email,name\nhanako@example.jp,山田花子\n")
    add_organisation(server.settings, "mcrc-japan", kind="recognition-body")
    add_user(server.settings, "admin@example.org", roles=[("hokuto-tech", "provider-admin")])
    client_id, secret = api_client(server.settings, "admin@example.org", ["programmes:write"])
    token = bearer_token(server.url, client_id, secret)
    with signed_in_client(server.url, "admin@example.org") as web:
        web.post("/api/…", json=…)   # the session cookie and X-CSRF-Token go along
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db.engine import make_engine, migrate, session_factory
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.keystore import MasterKey
from credstack.core.accounts.emails import normalise_email
from credstack.core.accounts.passwords import check_password
from credstack.core.credentials.cohorts import read_cohort
from credstack.core.crypto import KeyPair, KeyType
from credstack.core.descriptors import parse_programme
from credstack.core.organisations import Organisation
from credstack.services.accounts import clients, hash_password
from credstack.services.accounts import service as accounts
from credstack.services.audit import service as audit
from credstack.services.issuance import service as issuance
from credstack.settings import Settings
from tests import patiently
from tests.helpers import ORGANISATION, organisation, programme

#: The password every test user gets unless told otherwise (meets the 12-character policy).
PASSWORD = "correct horse battery staple"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
NONCE_INPUT = re.compile(r'name="signin_nonce" value="([^"]+)"')


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@contextmanager
def store_sessions(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """Sessions on the (migrated) store of ``settings``; its engine is closed at the end."""
    engine = make_engine(settings)
    try:
        migrate(engine)
        yield session_factory(engine)
    finally:
        engine.dispose()


@contextmanager
def store_session(settings: Settings, *, audit_key: MasterKey | None = None
                  ) -> Iterator[Session]:
    """A session on the (migrated) store of ``settings``, committed at the end; given
    ``audit_key``, the audit entries written in it are keyed with it, as the CLI's are."""
    with store_sessions(settings) as sessions, sessions() as session, session.begin():
        if audit_key is not None:
            session.info[audit.KEY_INFO] = audit_key
        yield session


def add_issuer(session: Session, *, now: dt.datetime, secret: MasterKey,
               document: dict[str, Any] | None = None) -> None:
    """An organisation (``document``; the test one by default) and its Ed25519 issuer key,
    kept under ``secret``."""
    stored = organisation_store.create_organisation(
        session, organisation=Organisation.model_validate(document or organisation()), now=now)
    key_store.create_key(session, organisation=stored.slug, key_type=KeyType.ED25519,
                         now=now, secret=secret)


def active_issuer_key(settings: Settings, *, secret: str,
                      organisation: str = ORGANISATION["slug"]) -> tuple[str, KeyPair]:
    """The organisation's active Ed25519 did:web method and key pair (kept under
    ``secret``), read from the store of ``settings`` as issuing code reads them."""
    engine = make_engine(settings)
    try:
        with session_factory(engine)() as session:
            return key_store.active_key_pair(
                session, organisation=organisation, key_type=KeyType.ED25519,
                secret=MasterKey.from_text(secret, source="test"),
                public_url=settings.public_url)
    finally:
        engine.dispose()


def add_programme(session: Session, *, now: dt.datetime, publish: bool = True,
                  **changes: Any) -> int:
    """The test programme with ``changes``, published or a draft; its id."""
    return programme_store.create_programme(
        session, programme=parse_programme(programme(**changes)), publish=publish, now=now).id


def provider_store(settings: Settings, *, secret: str, now: dt.datetime,
                   drafts: Iterable[str] = ()) -> Settings:
    """``settings``, its store holding the test organisation, its Ed25519 key (kept under the
    master key ``secret``), the test programme published (id 1) and a draft of it under each
    code of ``drafts`` (ids 2, …)."""
    with store_session(settings) as session:
        add_issuer(session, now=now, secret=MasterKey.from_text(secret, source="test"))
        add_programme(session, now=now)
        for code in drafts:
            add_programme(session, now=now, publish=False, code=code)
    return settings


def issued_credentials(settings: Settings, *, secret: str, now: dt.datetime, cohort: str,
                       batch: str, securing: str = "eddsa-rdfc-2022",
                       programme_id: int = 1) -> list[str]:
    """A credential of ``programme_id`` issued by the issuance service to each learner of
    ``cohort`` (CSV text) in ``batch``, secured with ``securing``; their ids, newest first."""
    with store_sessions(settings) as sessions:
        issuance.issue_cohort(sessions, secret=MasterKey.from_text(secret, source="test"),
                              public_url=settings.public_url, programme_id=programme_id,
                              cohort=read_cohort(cohort), batch=batch, now=now,
                              securing=securing, workers=1)
        with sessions() as session:
            return [stored.credential_id
                    for stored in credential_store.list_credentials(session, batch=batch)]


def published_ids(settings: Settings) -> dict[str, int]:
    """The store's published programmes' ids by code."""
    with store_sessions(settings) as sessions, sessions() as session:
        page = programme_store.list_published_programmes(session, limit=1000)
    return {summary.code: summary.id for summary in page.items}


def add_organisation(settings: Settings, slug: str, *, kind: str = "university") -> None:
    """An organisation ``slug`` (unless it exists), for roles to belong to."""
    with store_session(settings) as session:
        if organisation_store.find_row(session, slug) is None:
            organisation_store.create_organisation(
                session, organisation=Organisation.model_validate(organisation(slug=slug,
                                                                              kind=kind)),
                now=_now())


def add_user(settings: Settings, email: str, *, password: str = PASSWORD,
             name: str | None = None, roles: Iterable[tuple[str | None, str]] = ()) -> int:
    """A user with ``roles`` — (organisation slug, role) pairs; the id.

    Organisations named that do not exist yet are created (a university, or a recognition
    body for the evaluator and committee-member roles).
    """
    roles = list(roles)
    for slug, role in roles:
        if slug is not None:
            add_organisation(settings, slug, kind="recognition-body"
                             if role in {"evaluator", "committee-member"} else "university")
    check_password(password, email=normalise_email(email))
    with store_session(settings) as session:
        user = accounts.create_user_with_hash(session, email=email, display_name=name or email,
                                              password_hash=_hashed(
                                                  password, settings.password_memory_kib),
                                              now=_now())
        for slug, role in roles:
            accounts.add_membership(session, email=email, organisation=slug, role=role,
                                    now=_now())
        return user.id


@functools.cache
def _hashed(password: str, memory_kib: int) -> str:
    """``password`` hashed as an account's is (argon2id, with the store's settings' memory),
    once per test process: test users share a handful of passwords. Signing in still
    verifies the hash as it does for any account."""
    return hash_password(password, memory_kib=memory_kib)


def api_client(settings: Settings, email: str, scopes: Iterable[str]) -> tuple[str, str]:
    """A new API client of ``email`` allowed ``scopes``: (client_id, client_secret)."""
    with store_session(settings) as session:
        owner = accounts.user(session, email=email)
        created = clients.create_client(session, user_id=owner.id, name="test client",
                                         scopes=list(scopes), now=_now())
        return created.client.client_id, created.secret


def token_response(base_url: str, client_id: str, secret: str,
                   scopes: Iterable[str] | None = None) -> httpx.Response:
    data = {"grant_type": "client_credentials"}
    if scopes is not None:
        data["scope"] = " ".join(scopes)
    return patiently.post(f"{base_url}/oauth/token", data=data, auth=(client_id, secret),
                          timeout=30)


def bearer_token(base_url: str, client_id: str, secret: str,
                 scopes: Iterable[str] | None = None) -> str:
    """An access token from ``POST /oauth/token`` (client credentials, HTTP Basic)."""
    response = token_response(base_url, client_id, secret, scopes)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def sign_in(client: httpx.Client, email: str, password: str = PASSWORD, *,
            code: str | None = None) -> httpx.Response:
    """Post the sign-in form as a browser would (GET the form first for its nonce)."""
    form = client.get("/sign-in")
    nonce = NONCE_INPUT.search(form.text)
    assert nonce is not None, form.text
    data = {"email": email, "password": password, "signin_nonce": nonce.group(1)}
    if code is not None:
        data["code"] = code
    return client.post("/sign-in", data=data)


def csrf_of(client: httpx.Client) -> str:
    """The CSRF token of the client's session, read from its account page."""
    page = client.get("/account")
    found = CSRF_INPUT.search(page.text)
    assert found is not None, page.text
    return found.group(1)


class SignedInClient(httpx.Client):
    """An ``httpx.Client`` already used to sign in, which may still open a ``with`` block."""

    def __enter__(self) -> SignedInClient:
        return self


def signed_in_client(base_url: str, email: str, password: str = PASSWORD, *,
                     code: str | None = None, **options: Any) -> httpx.Client:
    """An ``httpx.Client`` signed in as ``email``: its cookie, and its session's CSRF token
    sent as ``X-CSRF-Token`` on every request (also ``client.headers["X-CSRF-Token"]``).
    ``options`` go to the client (``verify`` for a server over HTTPS). Use it in a ``with``
    block or close it."""
    client = SignedInClient(base_url=base_url, timeout=30, **options)
    response = sign_in(client, email, password, code=code)
    assert response.status_code == 303, response.text
    client.headers["X-CSRF-Token"] = csrf_of(client)
    return client
