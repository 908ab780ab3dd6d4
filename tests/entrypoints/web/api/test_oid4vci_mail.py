"""The credential offer the issuance e-mail carries, redeemed against the live server: a
cohort is issued, its e-mail goes through a real SMTP server, and a wallet takes the offer
from the delivered message and completes the pre-authorised flow with it."""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import qrcode
import qrcode.constants
from PIL import Image

from credstack.adapters.mail.images import QR_BORDER, QR_BOX
from credstack.core.oid4vci.metadata import PRE_AUTHORIZED_GRANT
from credstack.services.audit import service as audit
from credstack.services.mail import service as mail
from credstack.services.verification import service as verifier
from credstack.services.wallet.sources import sources
from credstack.settings import Settings
from tests import patiently
from tests.conftest import LiveServer, at_own_url, operator_client, serve
from tests.services.oid4vci.issuing import Wallet
from tests.services.wallet.wallets import Wallets, issue_to, wallet_runtime
from tests.smtp import SmtpServer, smtp_server

JCS = "OpenBadgeCredential_ldp_vc_jcs"
OFFER = re.compile(r"openid-credential-offer://\?credential_offer_uri=[^\s\"<>]+")


@pytest.fixture
def mailing_issuer(settings: Settings, tmp_path: Path
                   ) -> Iterator[tuple[LiveServer, Wallets, SmtpServer]]:
    with smtp_server() as inbox:
        configured, port = at_own_url(
            settings, smtp_host="127.0.0.1", smtp_port=inbox.port, smtp_security="none",
            mail_from="noreply@credentials.example.ac.jp")
        with wallet_runtime(tmp_path, settings=configured) as wallets:
            for server in serve(wallets.runtime.settings, port=port):
                yield server, wallets, inbox


def _delivered(wallets: Wallets, inbox: SmtpServer) -> EmailMessage:
    mail.deliver(wallets.runtime)
    deadline = time.monotonic() + 10
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    [message] = inbox.messages
    return message


def _modules(text: str) -> list[list[bool]]:
    """The QR code of ``text`` (error correction M), module by module, quiet zone included."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QR_BORDER)
    code.add_data(text)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def _qr_of(message: EmailMessage, html: str) -> list[list[bool]]:
    """The modules of the inline image the HTML shows by ``cid:``, read from its pixels."""
    [image] = [part for part in message.walk() if part.get_content_type() == "image/png"]
    cid = str(image["Content-ID"]).strip("<>")
    assert f'src="cid:{cid}"' in html and image.get_content_disposition() == "inline"
    picture = Image.open(io.BytesIO(image.get_content())).convert("L")
    size = picture.width // QR_BOX
    assert picture.width == picture.height == size * QR_BOX
    return [[picture.getpixel((x * QR_BOX + QR_BOX // 2, y * QR_BOX + QR_BOX // 2)) < 128
             for x in range(size)] for y in range(size)]


def test_the_e_mailed_offer_gives_the_learner_s_wallet_the_credential(
        mailing_issuer: tuple[LiveServer, Wallets, SmtpServer]) -> None:
    """The e-mail's offer (text, HTML and its inline QR code; by reference, no transaction
    code) is served by the issuer, its pre-authorised code buys a token, and the credential
    comes bound to the wallet's key; the code works once; the offer's making is audited."""
    server, wallets, inbox = mailing_issuer
    [document] = issue_to(wallets, "learner.one@example.jp")
    credential_id = json.loads(document)["id"]
    message = _delivered(wallets, inbox)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    [uri] = set(OFFER.findall(text))
    assert f'href="{uri}"' in html
    assert _qr_of(message, html) == _modules(uri)
    assert "ウォレットアプリ" in text and "wallet app" in text
    assert "コードの入力は不要" in text and "no code is asked for" in text
    offer_url = parse_qs(urlsplit(uri).query)["credential_offer_uri"][0]
    assert offer_url.startswith(f"{server.settings.public_url}/oid4vci/offers/")
    offer = patiently.get(offer_url.replace(server.settings.public_url, server.url)).json()
    assert offer["credential_issuer"] == server.settings.public_url
    grant = offer["grants"][PRE_AUTHORIZED_GRANT]
    assert "tx_code" not in grant
    assert JCS in offer["credential_configuration_ids"]

    form = {"grant_type": PRE_AUTHORIZED_GRANT,
            "pre-authorized_code": grant["pre-authorized_code"]}
    token = patiently.post(f"{server.url}/oauth/token", data=form)
    assert token.status_code == 200, token.text
    nonce = patiently.post(f"{server.url}/oid4vci/nonce").json()["c_nonce"]
    wallet = Wallet.new()
    answer = patiently.post(f"{server.url}/oid4vci/credential", headers={
        "Authorization": f"Bearer {token.json()['access_token']}"}, json={
        "credential_configuration_id": JCS,
        "proofs": {"jwt": [wallet.proof(wallets.runtime, nonce=nonce)]}})
    assert answer.status_code == 200, answer.text
    credential = answer.json()["credentials"][0]["credential"]
    assert credential["id"] == credential_id
    assert credential["credentialSubject"]["id"] == wallet.did
    report = verifier.verify(json.dumps(credential), now=wallets.runtime.now(),
                             sources=sources(wallets.runtime))
    assert report.ok, [check.to_dict() for check in report.failed]

    again = patiently.post(f"{server.url}/oauth/token", data=form)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert patiently.get(offer_url.replace(server.settings.public_url, server.url)
                         ).status_code == 410
    with wallets.runtime.sessions() as session:
        [entry] = [item for item in audit.entries(session, limit=1000)
                   if item.action == "oid4vci.offer.created"]
    assert entry.details["channel"] == "mail" and entry.details["offers"] == 1
    assert entry.details["tx_code"] is False


def test_a_vc_api_credentials_e_mail_shows_its_programmes_badge(
        mailing_issuer: tuple[LiveServer, Wallets, SmtpServer]) -> None:
    """A credential issued through the VC-API for one of the organisation's programme
    versions is announced as the pages' are: its e-mail shows that version's badge image
    (linked from the registry) and names the programme by its titles (issue 39, defect 10)."""
    server, wallets, inbox = mailing_issuer
    public = server.settings.public_url
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "emailAddress",
                            "hashed": False, "identityHash": "api.learner@example.jp"}],
            "achievement": {"id": f"{public}/achievements/1/v1", "type": ["Achievement"],
                            "name": "Issued over the API", "description": "-",
                            "criteria": {"narrative": "-"}}}}
    with operator_client(server, timeout=30) as client:
        issued = client.post("/credentials/issue", json={"credential": credential})
    assert issued.status_code == 201, issued.text
    message = _delivered(wallets, inbox)
    html = message.get_body(("html",)).get_content()
    assert f'<img src="{public}/badges/1/v1.png"' in html
    badge = patiently.get(f"{server.url}/badges/1/v1.png")
    assert badge.status_code == 200 and badge.headers["content-type"] == "image/png"
