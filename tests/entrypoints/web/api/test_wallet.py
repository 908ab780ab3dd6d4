"""The wallet's JSON API over real HTTP: every action on one's own wallet, each import form,
and what is refused — somebody else's credential, what is not a credential, too much, another
learner's ids, a token without the wallet's scopes, visitors, a cookie without its CSRF token.

One server on SQLite serves the module: a provider and its programme, credentials issued
before it starts (JSON to most learners, a VC-JWT to one, one to an address nobody has
claimed yet). Each test acts as learners of its own, with bearer tokens of their own API
clients. The journey at the end runs on SQLite and PostgreSQL, a server each.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import http.server
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote, urlsplit

import httpx
import pytest

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.adapters.resolvers.fetch import CA_FILE_ENV, CONNECT_TO_ENV, LOOPBACK_ENV
from credstack.core.access.policy import Membership, Role, usable_scopes
from credstack.entrypoints.web.api.wallet import IMPORT_BODY_BYTES
from credstack.errors import ConflictError
from credstack.services.badges.service import bake
from credstack.services.issuance import status_lists
from credstack.services.wallet.credentials import MAX_IMPORT_BYTES
from credstack.settings import Settings
from tests.accounts import (
    add_user,
    api_client,
    bearer_token,
    issued_credentials,
    provider_store,
    signed_in_client,
    store_sessions,
)
from tests.conftest import LiveServer, keyed_sqlite, operator_client, serve
from tests.loopback import QuietHandler, serving_tls, tls_site

#: Learners with a credential issued to them (JSON) before the server starts, most of them
#: for one test each (whose wallet then holds what that test expects, in any order).
LEARNERS = ("hanako", "taro", "ken", "kaito", "mei", "sora", "riku", "aoi", "rin", "nao",
            "emi", "mio", "yui", "kumi")
#: Issued to an address of Emi's that her account has not claimed yet.
ALIAS = "emi.work@example.jp"
#: The learner a VC-JWT is issued to.
JWT_LEARNER = "jun"
#: Another learner of a VC-JWT, who imports it in every form twice.
JWT_TWICE = "sho"
ISSUER_HOST = "badges.example.org"
UNKNOWN = "0123456789abcdef0123456789abcdef"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'


def email(name: str) -> str:
    return name if "@" in name else f"{name}@example.jp"


@dataclasses.dataclass(frozen=True)
class Store:
    live: LiveServer
    #: Learner (or address) → (credential id, the credential as issued).
    issued: dict[str, tuple[str, str]]


def _issue(settings: Settings, secret: str, now: dt.datetime) -> dict[str, tuple[str, str]]:
    """Credentials for LEARNERS and ALIAS (JSON) and JWT_LEARNER (a VC-JWT)."""
    rows = "".join(f"{email(name)},{name.title()}\n" for name in (*LEARNERS, ALIAS))
    issued_credentials(settings, secret=secret, now=now, cohort=f"email,name\n{rows}",
                       batch="wallet-api")
    issued_credentials(settings, secret=secret, now=now, batch="wallet-api-jwt",
                       cohort=f"email,name\n{email(JWT_LEARNER)},Jun\n{email(JWT_TWICE)},Sho\n",
                       securing="vc-jwt")
    with store_sessions(settings) as sessions, sessions() as session:
        stored = credential_store.list_credentials(session, limit=1000)
    by_address = {item.learner: (item.credential_id, item.document) for item in stored}
    return {name: by_address[email(name)]
            for name in (*LEARNERS, ALIAS, JWT_LEARNER, JWT_TWICE)}


def _prepare(settings: Settings) -> dict[str, tuple[str, str]]:
    assert settings.secret_key is not None
    issued_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    provider_store(settings, secret=settings.secret_key, now=issued_at)
    issued = _issue(settings, settings.secret_key, issued_at)
    # Signed now: a list first signed while a credential is verified may be valid only from
    # a second after that verification's "now".
    with store_sessions(settings) as sessions:
        for purpose in ("revocation", "suspension"):
            status_lists.published_status_list(
                sessions, organisation="hokuto-tech", number=1, purpose=purpose,
                secret=MasterKey.from_text(settings.secret_key, source="test"),
                public_url=settings.public_url, now=issued_at)
    return issued


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    settings = keyed_sqlite(tmp_path_factory.mktemp("wallet-api"))
    issued = _prepare(settings)
    assert settings.secret_key is not None
    # A second credential of Mio's (another batch): two credentials to make collections of.
    issued_credentials(settings, secret=settings.secret_key,
                       now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1),
                       cohort=f"email,name\n{email('mio')},Mio\n", batch="wallet-api-mio")
    for live in serve(settings):
        yield Store(live, issued)


def learner(live: LiveServer, name: str, scopes: list[str] | None = None) -> httpx.Client:
    """A client acting as learner ``name`` (made on first use) with a bearer token of a new
    API client of theirs: every scope a learner may use, or ``scopes``."""
    with contextlib.suppress(ConflictError):
        add_user(live.settings, email(name), name=name.title())
    usable = sorted(usable_scopes([Membership("hokuto-tech", Role.LEARNER)]))
    client_id, secret = api_client(live.settings, email(name), scopes or usable)
    token = bearer_token(live.url, client_id, secret)
    return httpx.Client(base_url=live.url, timeout=30,
                        headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def learners(store: Store) -> Iterator[dict[str, httpx.Client]]:
    """``learners["hanako"]``: a client for that learner, made on first use."""
    opened: list[httpx.Client] = []

    class Opener(dict[str, httpx.Client]):
        def __missing__(self, name: str) -> httpx.Client:
            client = self[name] = learner(store.live, name)
            opened.append(client)
            return client

    yield Opener()
    for client in opened:
        client.close()


def imported(response: httpx.Response, status: int = 201) -> dict[str, object]:
    assert response.status_code == status, response.text
    body: dict[str, object] = response.json()
    assert response.headers["location"] == f"/api/wallet/credentials/{body['id']}"
    assert response.headers["cache-control"] == "no-store"
    return body


def problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    return body


def ids(client: httpx.Client, query: str = "") -> list[str]:
    response = client.get(f"/api/wallet{query}")
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["credentials"]]


# --- who may ------------------------------------------------------------------------------


#: Every wallet route, with a body where it takes one (ids that exist nowhere).
ROUTES: list[tuple[str, str, dict[str, object] | None]] = [
    ("GET", "/api/wallet", None),
    ("POST", "/api/wallet/credentials", {"credential": {"type": ["VerifiableCredential"]}}),
    ("GET", f"/api/wallet/credentials/{UNKNOWN}", None),
    ("GET", f"/api/wallet/credentials/{UNKNOWN}/original", None),
    ("GET", f"/api/wallet/credentials/{UNKNOWN}/import-report", None),
    ("PATCH", f"/api/wallet/credentials/{UNKNOWN}", {"note": "x"}),
    ("DELETE", f"/api/wallet/credentials/{UNKNOWN}", None),
    ("GET", "/api/wallet/holder", None),
    ("GET", "/api/wallet/identifiers", None),
    ("POST", "/api/wallet/identifiers", {"type": "student-id", "value": "S-1"}),
    ("DELETE", "/api/wallet/identifiers/student-id/S-1", None),
    ("GET", "/api/wallet/collections", None),
    ("POST", "/api/wallet/collections", {"name": "x"}),
    ("GET", f"/api/wallet/collections/{UNKNOWN}", None),
    ("PATCH", f"/api/wallet/collections/{UNKNOWN}", {"name": "y"}),
    ("DELETE", f"/api/wallet/collections/{UNKNOWN}", None),
    ("PUT", f"/api/wallet/collections/{UNKNOWN}/credentials/{UNKNOWN}", None),
    ("DELETE", f"/api/wallet/collections/{UNKNOWN}/credentials/{UNKNOWN}", None),
]
WRITES = {"POST", "PATCH", "PUT", "DELETE"}


def test_visitors_are_asked_to_sign_in_on_every_route(store: Store) -> None:
    """401 with a Bearer challenge, and nothing about the ids asked for."""
    with httpx.Client(base_url=store.live.url, timeout=30) as anonymous:
        for method, path, body in ROUTES:
            response = anonymous.request(method, path, json=body)
            assert problem(response, 401)["type"] == "/problems/authentication-required", path
            assert "Bearer" in response.headers["www-authenticate"]


def test_a_token_is_held_to_the_wallet_scopes(store: Store) -> None:
    """Without wallet:read and wallet:write nothing is answered; with wallet:read alone the
    wallet is read, never changed."""
    with learner(store.live, "scopeless", ["credentials:read"]) as scopeless:
        for method, path, body in ROUTES:
            response = scopeless.request(method, path, json=body)
            detail = problem(response, 403)["detail"]
            assert ("wallet:write" if method in WRITES else "wallet:read") in str(detail), path
    with learner(store.live, "reader", ["wallet:read"]) as reader:
        for method, path, body in ROUTES:
            response = reader.request(method, path, json=body)
            if method in WRITES:
                assert "wallet:write" in str(problem(response, 403)["detail"]), path
            else:
                assert response.status_code in (200, 404), (path, response.text)


def test_a_cookie_session_writes_only_with_its_csrf_token(store: Store) -> None:
    """Signed in on the web, a write without X-CSRF-Token (or the form's field) is refused
    and does nothing; with it, it is done."""
    add_user(store.live.settings, email("csrf"), name="Csrf")
    with signed_in_client(store.live.url, email("csrf")) as web:
        token = web.headers.pop("X-CSRF-Token")
        assert web.get("/api/wallet").status_code == 200, "reading needs no token"
        for method, path, body in ROUTES:
            if method in WRITES:
                response = web.request(method, path, json=body)
                assert problem(response, 403)["type"] == "/problems/csrf", path
        forged = web.post("/api/wallet/collections", json={"name": "forged"},
                          headers={"X-CSRF-Token": "forged"})
        assert forged.status_code == 403
        assert web.get("/api/wallet/collections").json() == {"collections": []}
        made = web.post("/api/wallet/collections", json={"name": "mine"},
                        headers={"X-CSRF-Token": token})
        assert made.status_code == 201, made.text
        # A multipart form may carry the token as its field, as a page's form does.
        upload = web.post("/api/wallet/credentials", files={
            "csrf_token": (None, token), "file": ("badge.svg", SVG, "image/svg+xml")})
        assert "holds no baked credential" in str(problem(upload, 422)["detail"])
        unsigned = web.post("/api/wallet/credentials",
                            files={"file": ("badge.svg", SVG, "image/svg+xml")})
        assert problem(unsigned, 403)["type"] == "/problems/csrf"


# --- importing ----------------------------------------------------------------------------


def test_a_credential_object_is_kept_verified_and_given_again_is_the_same_one(
        store: Store, learners: dict[str, httpx.Client]) -> None:
    hanako = learners["hanako"]
    credential_id, document = store.issued["hanako"]
    body = imported(hanako.post("/api/wallet/credentials",
                                json={"credential": json.loads(document)}))
    assert body["outcome"] == "verified" and body["failed_check"] is None
    assert body["format"] == "vc" and body["source"] == "paste"
    assert body["credential_id"] == credential_id
    assert body["recipient"] == f"email:{email('hanako')}"
    report = body["report"]
    assert isinstance(report, dict) and report["verified"] is True
    original = hanako.get(f"/api/wallet/credentials/{body['id']}/original")
    assert original.content == document.encode(), "kept as issued: compact UTF-8 JSON"
    again = imported(hanako.post("/api/wallet/credentials", json={"credential": document}),
                     200)
    assert again["id"] == body["id"]
    assert ids(hanako) == [body["id"]], "not delivered a second time"


def test_a_pasted_vc_jwt_and_the_same_jwt_as_the_body(store: Store,
                                                      learners: dict[str, httpx.Client]
                                                      ) -> None:
    jun = learners[JWT_LEARNER]
    _, jwt = store.issued[JWT_LEARNER]
    assert jwt.count(".") == 2 and not jwt.startswith("{")
    body = imported(jun.post("/api/wallet/credentials", json={"credential": jwt}))
    assert body["outcome"] == "verified", body["report"]
    assert body["media_type"] == "application/vc+jwt"
    raw = jun.post("/api/wallet/credentials", content=jwt.encode(),
                   headers={"Content-Type": "application/vc+jwt"})
    assert imported(raw, 200)["id"] == body["id"]
    original = jun.get(f"/api/wallet/credentials/{body['id']}/original")
    assert original.content == jwt.encode()
    assert original.headers["content-type"].startswith("application/vc+jwt")


def test_a_baked_png_badge_is_uploaded_as_a_file_and_its_original_never_renders_here(
        store: Store, learners: dict[str, httpx.Client]) -> None:
    ken = learners["ken"]
    credential_id, _ = store.issued["ken"]
    image = ken.get(f"/api/credentials/{credential_id}/baked.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    body = imported(ken.post("/api/wallet/credentials",
                             files={"file": ("バッジ.png", image.content, "image/png")}))
    assert body["format"] == "image" and body["media_type"] == "image/png"
    assert body["filename"] == "バッジ.png" and body["outcome"] == "verified"
    original = ken.get(f"/api/wallet/credentials/{body['id']}/original")
    assert original.status_code == 200 and original.content == image.content
    assert original.headers["content-type"] == "image/png"
    assert original.headers["content-disposition"] == (
        "attachment; filename=\"___.png\"; filename*=UTF-8''%E3%83%90%E3%83%83%E3%82%B8.png")
    assert original.headers["x-content-type-options"] == "nosniff"
    assert original.headers["content-security-policy"].startswith("sandbox")
    assert original.headers["cache-control"] == "no-store"


def test_files_sent_as_the_body_keep_their_bytes_and_their_type_must_be_theirs(
        store: Store, learners: dict[str, httpx.Client]) -> None:
    """A baked SVG goes in byte for byte (and the same credential as an indented JSON file
    is that one again); a body whose declared type the content contradicts, or of a type
    not taken, is 415."""
    kaito = learners["kaito"]
    _, document = store.issued["kaito"]
    svg = bake(SVG, document)
    body = imported(kaito.post("/api/wallet/credentials", content=svg,
                             headers={"Content-Type": "image/svg+xml"}))
    original = kaito.get(f"/api/wallet/credentials/{body['id']}/original")
    assert original.content == svg
    assert original.headers["content-type"].startswith("image/svg+xml")
    assert original.headers["content-disposition"].startswith(
        f'attachment; filename="credential-{body["id"]}.svg"')
    assert original.headers["content-security-policy"].startswith("sandbox")
    indented = json.dumps(json.loads(document), indent=2, ensure_ascii=False).encode()
    # The same credential again, as a JSON file: the one kept (issue 51), its bytes unchanged.
    kept = imported(kaito.post("/api/wallet/credentials", content=indented,
                               headers={"Content-Type": "application/ld+json"}), 200)
    assert kept["id"] == body["id"]
    assert kaito.get(f"/api/wallet/credentials/{kept['id']}/original").content == svg
    before = ids(kaito)
    for media_type, content in [("image/png", indented), ("application/pdf", svg),
                                ("text/html", b"<html></html>"), ("text/plain", indented)]:
        response = kaito.post("/api/wallet/credentials", content=content,
                            headers={"Content-Type": media_type})
        assert problem(response, 415)["type"] == "/problems/unsupported-media", media_type
    assert ids(kaito) == before


def _forms(client: httpx.Client, credential_id: str, document: str
           ) -> list[tuple[str, bytes, str]]:
    """Every form of one credential issued here that a learner may import: (what it is,
    the bytes, their media type)."""
    quoted = quote(credential_id, safe=":")
    uuid = credential_id.removeprefix("urn:uuid:")
    forms = [("as issued", document.encode(), "application/ld+json" if document.startswith("{")
              else "application/vc+jwt")]
    if document.startswith("{"):
        forms.append(("indented", json.dumps(json.loads(document), indent=2,
                                             ensure_ascii=False).encode(), "application/ld+json"))
    for suffix, media_type in (("baked.png", "image/png"), ("baked.svg", "image/svg+xml"),
                               ("certificate.pdf?lang=ja", "application/pdf")):
        made = client.get(f"/api/credentials/{quoted}/{suffix}")
        assert made.status_code == 200, (suffix, made.text[:500])
        forms.append((suffix, made.content, media_type))
    forms.append(("svg baked here", bake(SVG, document), "image/svg+xml"))
    for suffix, media_type in ((".jws", "application/vc+jwt"), ("", "application/ld+json")):
        served = client.get(f"/ob2/assertions/{uuid}{suffix}")
        assert served.status_code == 200, (suffix, served.text[:500])
        forms.append((f"OB 2.0 assertion{suffix}", served.content, media_type))
    return forms


@pytest.mark.parametrize("name", ["kumi", JWT_TWICE])
def test_every_form_of_a_credential_held_is_that_credential_again(
        store: Store, learners: dict[str, httpx.Client], name: str) -> None:
    """JSON (or the VC-JWT), indented JSON, the baked PNG and SVG, the PDF certificate and
    the Open Badges 2.0 signed and hosted assertions of one credential, each imported
    twice: the wallet holds it once, and each import answers with that one (issue 51: a
    baked PNG was kept a second time and counted twice)."""
    client = learners[name]
    credential_id, document = store.issued[name]
    held = ids(client)
    for what, content, media_type in _forms(client, credential_id, document) * 2:
        response = client.post("/api/wallet/credentials", content=content,
                               headers={"Content-Type": media_type})
        assert response.status_code in (200, 201), (what, response.text[:500])
        held = held or [str(response.json()["id"])]
        assert response.json()["id"] == held[0], what
        assert ids(client) == held, what


def test_a_signed_pdf_certificate_sent_as_the_body(store: Store,
                                                   learners: dict[str, httpx.Client]) -> None:
    ken = learners["ken"]
    credential_id, _ = store.issued["ken"]
    pdf = ken.get(f"/api/credentials/{credential_id}/certificate.pdf", params={"lang": "en"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-"), pdf.text
    held = [item["id"] for item in ken.get("/api/wallet").json()["credentials"]
            if item["credential_id"] == credential_id]
    if held:
        # Held already, its PDF is that credential again (issue 39): nothing is added.
        again = ken.post("/api/wallet/credentials", content=pdf.content,
                         headers={"Content-Type": "application/pdf"})
        assert again.status_code == 200 and again.json()["id"] == held[0], again.text[:500]
        for own in held:
            assert ken.delete(f"/api/wallet/credentials/{own}").status_code == 204
    body = imported(ken.post("/api/wallet/credentials", content=pdf.content,
                             headers={"Content-Type": "application/pdf"}))
    assert (body["format"], body["media_type"]) == ("pdf", "application/pdf")
    assert body["outcome"] == "verified", body["report"]
    original = ken.get(f"/api/wallet/credentials/{body['id']}/original")
    assert original.content == pdf.content
    assert original.headers["content-disposition"].startswith(
        f'attachment; filename="credential-{body["id"]}.pdf"')


@pytest.fixture
def issuer_site(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                ) -> Iterator[str]:
    """``https://badges.example.org`` answered on loopback (a CA of the test's own) with
    Mei's credential at ``/credentials/mei.json``; its base URL."""
    site = tls_site([ISSUER_HOST], tmp_path)

    class Issuer(QuietHandler):
        documents: ClassVar[dict[str, bytes]] = {
            "/credentials/mei.json": store.issued["mei"][1].encode()}

        def do_GET(self) -> None:
            body = self.documents.get(self.path, b"not found")
            self.send_response(200 if self.path in self.documents else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving_tls(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Issuer),
                     site.context) as port:
        monkeypatch.setenv(LOOPBACK_ENV, "1")
        monkeypatch.setenv(CA_FILE_ENV, str(site.ca_file))
        monkeypatch.setenv(CONNECT_TO_ENV, f"{ISSUER_HOST}:443:127.0.0.1:{port}")
        yield f"https://{ISSUER_HOST}"


def test_a_credential_is_fetched_from_its_url(issuer_site: str,
                                              learners: dict[str, httpx.Client]) -> None:
    """Over HTTPS through the hardened fetcher; an address serving nothing is 404, one that
    cannot be fetched 422; neither keeps anything."""
    mei = learners["mei"]
    address = f"{issuer_site}/credentials/mei.json"
    body = imported(mei.post("/api/wallet/credentials", json={"url": address}))
    assert body["source"] == "url" and body["source_url"] == address
    assert body["outcome"] == "verified"
    missing = mei.post("/api/wallet/credentials", json={"url": f"{issuer_site}/nothing"})
    assert problem(missing, 404)["type"] == "/problems/not-found"
    refused = mei.post("/api/wallet/credentials", json={"url": "http://169.254.169.254/x"})
    assert problem(refused, 422)["type"] == "/problems/fetch"
    assert ids(mei) == [body["id"]]


def test_someone_elses_credential_is_refused_with_the_reason_and_nothing_is_kept(
        store: Store, learners: dict[str, httpx.Client]) -> None:
    sora = learners["sora"]
    credential_id, document = store.issued["taro"]
    refused = problem(sora.post("/api/wallet/credentials", json={"credential": document}), 422)
    assert refused["type"] == "/problems/recipient-mismatch"
    assert "someone else" in str(refused["detail"])
    errors = refused["errors"]
    assert isinstance(errors, list)
    assert any("credentialSubject" in error["location"] for error in errors)
    record = sora.get("/api/wallet").json()
    assert credential_id not in [item["credential_id"] for item in record["credentials"]]
    assert len(record["credentials"]) == 1, "only Sora's own, delivered"


@pytest.mark.parametrize(("request_body", "status", "kind"), [
    ({"credential": {"hello": "world"}}, 422, "unreadable-input"),
    ({"credential": "not a credential"}, 415, "unsupported-media"),
    ({"credential": 5}, 422, "invalid-input"),
    ({"credential": {}, "url": "https://example.org/x"}, 422, "invalid-input"),
    ({"credentials": {}}, 422, "invalid-input"),
    ({"url": ["https://example.org/x"]}, 422, "invalid-input"),
    ({"credential": {"@context": ["https://www.w3.org/ns/credentials/v2"],
                     "type": ["VerifiablePresentation"]}}, 422, "invalid-input"),
])
def test_what_is_not_a_credential_is_refused(learners: dict[str, httpx.Client],
                                             request_body: dict[str, object], status: int,
                                             kind: str) -> None:
    yui = learners["yui"]
    before = ids(yui)
    response = yui.post("/api/wallet/credentials", json=request_body)
    assert problem(response, status)["type"] == f"/problems/{kind}"
    assert ids(yui) == before


@pytest.mark.parametrize(("content", "content_type", "kind"), [
    (b'{"credential": ', "application/json", "unreadable-input"),
    (b'{"credential": {"a": 1, "a": 2}}', "application/json", "invalid-input"),
    # Nested past any need: refused by the nesting limit before the wallet reads it.
    (b"[" * 100_000 + b"]" * 100_000, "application/json", "input-too-deep"),
    (b"", "application/ld+json", "unreadable-input"),
    (b'{"type": ["VerifiableCredential"], "type": []}', "application/ld+json",
     "hostile-upload"),
    (b"--x\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nhello\r\n--x--\r\n",
     "multipart/form-data; boundary=x", "invalid-input"),
])
def test_bodies_that_cannot_be_read_are_refused(learners: dict[str, httpx.Client],
                                                content: bytes, content_type: str,
                                                kind: str) -> None:
    response = learners["yui"].post("/api/wallet/credentials", content=content,
                                    headers={"Content-Type": content_type})
    assert problem(response, 422)["type"] == f"/problems/{kind}"


def _declared_only(live: LiveServer, token: str, length: int) -> tuple[int, str]:
    """POST headers declaring a PDF of ``length`` bytes, and none of it: the status and the
    problem's detail the server answers with unread."""
    address = urlsplit(live.url)
    with socket.create_connection((address.hostname, address.port), timeout=30) as raw:
        raw.sendall(f"POST /api/wallet/credentials HTTP/1.1\r\nHost: {address.netloc}\r\n"
                    f"Authorization: Bearer {token}\r\nContent-Type: application/pdf\r\n"
                    f"Content-Length: {length}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)["detail"]


def test_too_much_is_refused_before_it_is_read(store: Store,
                                               learners: dict[str, httpx.Client]) -> None:
    """Declared over the wallet's limit (or the request limit of this path): 413 without a
    byte of the body; a file over the limit in a form, or a credential pasted over the text
    limit: 413, read only up to the limits; nothing kept."""
    yui = learners["yui"]
    token = yui.headers["Authorization"].removeprefix("Bearer ")
    status, detail = _declared_only(store.live, token, MAX_IMPORT_BYTES + 1)
    assert status == 413 and f"{MAX_IMPORT_BYTES:,} bytes" in detail
    status, detail = _declared_only(store.live, token, 1024 * MAX_IMPORT_BYTES)
    assert status == 413 and f"{IMPORT_BODY_BYTES:,} bytes" in detail
    before = ids(yui)
    over = b"%PDF-1.7\n" + b" " * MAX_IMPORT_BYTES
    form = yui.post("/api/wallet/credentials", files={"file": ("big.pdf", over,
                                                               "application/pdf")})
    assert problem(form, 413)["type"] == "/problems/input-too-large"
    pasted = yui.post("/api/wallet/credentials",
                      json={"credential": {"name": "x" * (1024 * 1024)}})
    assert problem(pasted, 413)["type"] == "/problems/input-too-large"
    assert ids(yui) == before


# --- one credential -----------------------------------------------------------------------


def test_a_credential_is_checked_again_when_read_and_its_import_report_stays(
        store: Store, learners: dict[str, httpx.Client]) -> None:
    """Suspended by its issuer after import: the live check says so, the import report
    still says what was found then."""
    taro = learners["taro"]
    [own] = ids(taro)
    credential_id, _ = store.issued["taro"]

    def suspend(status: bool) -> None:
        with operator_client(store.live) as operator:
            answer = operator.post("/credentials/status", json={
                "credentialId": credential_id, "credentialStatus": [{
                    "type": "BitstringStatusListEntry", "statusPurpose": "suspension",
                    "status": status}]})
            assert answer.status_code == 200, answer.text

    suspend(True)
    try:
        live = taro.get(f"/api/wallet/credentials/{own}")
        assert live.status_code == 200 and live.headers["cache-control"] == "no-store"
        body = live.json()
        assert body["outcome"] == "not-verified" and body["failed_reason"] == "suspended"
        assert body["report"]["verified"] is False
        assert body["checked_at"] >= body["imported_at"]
        at_import = taro.get(f"/api/wallet/credentials/{own}/import-report").json()
        assert at_import["verified"] is True
        listed = taro.get("/api/wallet").json()
        assert listed["credentials"][0]["failed_reason"] == "suspended"
        assert listed["totals"]["count"] == 0
    finally:
        suspend(False)
    assert taro.get(f"/api/wallet/credentials/{own}").json()["outcome"] == "verified"


def test_tags_and_a_note_are_written_and_filter_the_record(
        learners: dict[str, httpx.Client]) -> None:
    riku = learners["riku"]
    [own] = ids(riku)
    changed = riku.patch(f"/api/wallet/credentials/{own}",
                           json={"tags": ["データ", " 2026 ", "データ"], "note": "私だけのメモ"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["tags"] == ["2026", "データ"]
    assert changed.json()["note"] == "私だけのメモ"
    noted = riku.patch(f"/api/wallet/credentials/{own}", json={"note": ""}).json()
    assert noted["tags"] == ["2026", "データ"] and noted["note"] == "", "tags left alone"
    assert ids(riku, "?tag=データ") == [own]
    assert ids(riku, "?tag=other") == []
    for body, where in [({"tags": [f"t{n}" for n in range(21)]}, "tags"),
                        ({"tags": ["x" * 65]}, "tags[0]"),
                        ({"note": "x" * 10_001}, "note"),
                        ({"notes": "x"}, "body: notes")]:
        refused = problem(riku.patch(f"/api/wallet/credentials/{own}", json=body), 422)
        assert isinstance(refused["errors"], list)
        assert where in [error["location"] for error in refused["errors"]], refused
    assert riku.get(f"/api/wallet/credentials/{own}").json()["tags"] == ["2026", "データ"]


def test_another_learners_credentials_and_collections_are_not_found(
        learners: dict[str, httpx.Client]) -> None:
    """Asked for by someone else, every id answers 404 as one that does not exist, and
    nothing changes."""
    aoi, rin = learners["aoi"], learners["rin"]
    [theirs] = ids(aoi)
    group = aoi.post("/api/wallet/collections", json={"name": "Aoi's"}).json()["id"]
    [own] = ids(rin)
    mine = rin.post("/api/wallet/collections", json={"name": "Rin's"}).json()["id"]
    base = f"/api/wallet/credentials/{theirs}"
    for response in (rin.get(base), rin.get(f"{base}/original"),
                     rin.get(f"{base}/import-report"), rin.patch(base, json={"note": "x"}),
                     rin.delete(base),
                     rin.put(f"/api/wallet/collections/{mine}/credentials/{theirs}"),
                     rin.get(f"/api/wallet/collections/{group}"),
                     rin.patch(f"/api/wallet/collections/{group}", json={"name": "x"}),
                     rin.delete(f"/api/wallet/collections/{group}"),
                     rin.put(f"/api/wallet/collections/{group}/credentials/{own}"),
                     rin.delete(f"/api/wallet/collections/{group}/credentials/{own}")):
        assert problem(response, 404)["type"] == "/problems/not-found", response.url
    assert aoi.get(base).json()["note"] == ""
    assert aoi.get(f"/api/wallet/collections/{group}").json()["name"] == "Aoi's"
    assert rin.get(f"/api/wallet/collections/{mine}").json()["credentials"] == []


def test_a_credential_is_deleted_and_one_issued_here_is_not_delivered_again(
        store: Store, learners: dict[str, httpx.Client]) -> None:
    nao = learners["nao"]
    [own] = [item["id"] for item in nao.get("/api/wallet").json()["credentials"]
             if item["credential_id"] == store.issued["nao"][0]]
    deleted = nao.delete(f"/api/wallet/credentials/{own}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert problem(nao.get(f"/api/wallet/credentials/{own}"), 404)
    assert own not in ids(nao)
    assert problem(nao.delete(f"/api/wallet/credentials/{own}"), 404)


# --- the holder and identifiers -----------------------------------------------------------


def test_the_holder_did_and_identifiers_are_listed_added_and_removed(
        store: Store, learners: dict[str, httpx.Client]) -> None:
    """A credential issued to another address of Emi's goes in once she adds it, and
    stays when she removes it; the sign-in address and the holder DID stay."""
    emi = learners["emi"]
    holder = emi.get("/api/wallet/holder").json()
    assert holder["did"].startswith("did:key:z6Mk")
    assert holder["verification_method"].startswith(holder["did"] + "#")
    assert [(i["type"], i["value"], i["verified"], i["removable"])
            for i in holder["identifiers"]] == [("email", email("emi"), True, False),
                                                ("did", holder["did"], True, False)]
    _, document = store.issued[ALIAS]
    refused = emi.post("/api/wallet/credentials", json={"credential": document})
    assert problem(refused, 422)["type"] == "/problems/recipient-mismatch"
    added = emi.post("/api/wallet/identifiers", json={"type": "email", "value": ALIAS})
    assert added.status_code == 201, added.text
    assert {"type": "email", "value": ALIAS, "verified": False, "removable": True}.items() \
        <= added.json()["identifiers"][-1].items()
    kept = imported(emi.post("/api/wallet/credentials", json={"credential": document}))
    assert kept["recipient"] == f"email:{ALIAS}"
    url = "https://example.org/people/emi"
    assert emi.post("/api/wallet/identifiers",
                       json={"type": "url", "value": url}).status_code == 201
    for path in (f"/api/wallet/identifiers/url/{url}",
                 f"/api/wallet/identifiers/email/{quote(ALIAS, safe='')}"):
        removed = emi.delete(path)
        assert removed.status_code == 204, (path, removed.text)
    listed = emi.get("/api/wallet/identifiers").json()["identifiers"]
    assert [i["type"] for i in listed] == ["email", "did"]
    assert kept["id"] in ids(emi), "the credential stays"
    assert problem(emi.delete(f"/api/wallet/identifiers/email/{email('emi')}"), 409)
    assert problem(emi.delete(f"/api/wallet/identifiers/did/{holder['did']}"), 409)
    assert problem(emi.delete("/api/wallet/identifiers/email/nobody@example.jp"), 404)
    learners["saki"]  # an account, whose wallet is not opened yet
    taken = emi.post("/api/wallet/identifiers", json={"type": "email", "value": email("saki")})
    assert problem(taken, 409)["type"] == "/problems/conflict"
    for body in ({"type": "telephone", "value": "1"}, {"type": "email", "value": "no-at"},
                 {"type": "did", "value": "example"}, {"kind": "email", "value": "a@b.jp"}):
        assert problem(emi.post("/api/wallet/identifiers", json=body), 422), body


# --- collections --------------------------------------------------------------------------


def test_collections_are_made_renamed_filled_emptied_and_deleted(
        store: Store, learners: dict[str, httpx.Client]) -> None:
    mio = learners["mio"]
    first, second = ids(mio)
    made = mio.post("/api/wallet/collections",
                    json={"name": " 就職活動 ", "description": "2026", "credentials": [first]})
    assert made.status_code == 201, made.text
    group = made.json()
    assert made.headers["location"] == f"/api/wallet/collections/{group['id']}"
    assert (group["name"], group["description"], group["credentials"]) == (
        "就職活動", "2026", [first])
    renamed = mio.patch(f"/api/wallet/collections/{group['id']}", json={"name": "Jobs"})
    assert renamed.json()["description"] == "2026", "what is left out stays"
    described = mio.patch(f"/api/wallet/collections/{group['id']}",
                          json={"description": "Applications"}).json()
    assert (described["name"], described["description"]) == ("Jobs", "Applications")
    path = f"/api/wallet/collections/{group['id']}/credentials/{second}"
    assert mio.put(path).json()["credentials"] == [first, second]
    assert mio.put(path).json()["credentials"] == [first, second], "once"
    assert sorted(ids(mio, f"?collection={group['id']}")) == sorted([first, second])
    assert mio.delete(path).json()["credentials"] == [first]
    listed = mio.get("/api/wallet/collections").json()["collections"]
    assert [item["name"] for item in listed] == ["Jobs"]
    assert problem(mio.patch(f"/api/wallet/collections/{group['id']}", json={"name": " "}),
                   422)
    assert problem(mio.post("/api/wallet/collections", json={"name": "x",
                                                             "credentials": [UNKNOWN]}), 404)
    assert len(mio.get("/api/wallet/collections").json()["collections"]) == 1
    deleted = mio.delete(f"/api/wallet/collections/{group['id']}")
    assert deleted.status_code == 204
    assert problem(mio.get(f"/api/wallet/collections/{group['id']}"), 404)
    assert first in ids(mio), "its credentials stay in the wallet"


# --- on each database ---------------------------------------------------------------------


def test_the_journey_on_each_database(settings: Settings) -> None:
    """Import, read, organise, download and delete, on SQLite and PostgreSQL."""
    configured = dataclasses.replace(settings, secret_key=new_master_key_text())
    issued = _prepare(configured)
    for live in serve(configured):
        with learner(live, "hanako") as hanako:
            _, jwt = issued[JWT_LEARNER]
            refused = hanako.post("/api/wallet/credentials", json={"credential": jwt})
            assert problem(refused, 422)["type"] == "/problems/recipient-mismatch"
            _, document = issued["hanako"]
            body = imported(hanako.post("/api/wallet/credentials", content=document.encode(),
                                        headers={"Content-Type": "application/ld+json"}))
            imported(hanako.post("/api/wallet/credentials",
                                 json={"credential": json.loads(document)}), 200)
            own = str(body["id"])
            assert hanako.get(f"/api/wallet/credentials/{own}").json()["outcome"] == "verified"
            assert hanako.get(f"/api/wallet/credentials/{own}/original"
                              ).content == document.encode()
            record = hanako.get("/api/wallet").json()
            assert [item["id"] for item in record["credentials"]] == [own]
            assert record["totals"]["count"] == 1
            hanako.patch(f"/api/wallet/credentials/{own}", json={"tags": ["a"]})
            group = hanako.post("/api/wallet/collections",
                                json={"name": "g", "credentials": [own]}).json()
            assert ids(hanako, f"?collection={group['id']}&tag=a") == [own]
            assert hanako.delete(f"/api/wallet/credentials/{own}").status_code == 204
            assert hanako.get(f"/api/wallet/collections/{group['id']}"
                              ).json()["credentials"] == []
            assert ids(hanako) == []


def test_a_refusal_given_as_a_code_reads_as_it_always_did(
        store: Store, learners: dict[str, httpx.Client]) -> None:
    """The wallet refuses with codes and parameters (issue 53); the API words them: the
    problem's detail is the English and the Japanese, word for word as before, and no
    message key shows."""
    emi = learners["emi"]
    unknown = problem(emi.delete("/api/wallet/identifiers/email/nobody@example.jp"), 404)
    assert unknown["detail"] == ("nobody@example.jp is not one of your identifiers. / "
                                 "nobody@example.jp は登録されていません。")
    kind = problem(emi.post("/api/wallet/identifiers", json={"type": "telephone", "value": "1"}),
                   422)
    assert kind["detail"] == "Unknown kind of identifier. / 識別子の種類が不明です。"
    assert "wallet.refused" not in json.dumps([unknown, kind], ensure_ascii=False)
