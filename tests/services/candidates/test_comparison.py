"""Several credentials verified at once and laid side by side (the employer's page's service).

One store with an issuing organisation, a published programme (recognised by a recognition
body in the tests that say so) and learners with wallets; foreign credentials are the demo
programme's signed in the test (``tests.signed_credentials``)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from credstack.core.credentials.presentations import build_presentation
from credstack.core.said import Said
from credstack.core.status.changes import StatusChange
from credstack.core.verification import MAX_CREDENTIAL_BYTES
from credstack.core.verification.comparison import Column, split_pasted
from credstack.services.candidates import comparison
from credstack.services.candidates.comparison import Given, compare
from credstack.services.issuance.status import change_status
from credstack.services.recognitions import service as recognitions
from credstack.services.wallet import credentials as wallet
from credstack.services.wallet import sharing
from credstack.words import words
from tests.accounts import add_issuer
from tests.services.issuance.test_credentials import ISSUER
from tests.services.recognitions.test_service import BODY
from tests.services.wallet.wallets import (
    HANAKO_EMAIL,
    TARO_EMAIL,
    Wallets,
    issue_to,
    wallet_runtime,
)
from tests.signed_credentials import (
    HOLDER,
    HOLDER_KEY,
    presentation,
    sign,
    signed,
    tampered,
    unsigned,
)


@pytest.fixture
def wallets(tmp_path: Path) -> Iterator[Wallets]:
    with wallet_runtime(tmp_path) as found:
        yield found


def expired() -> dict[str, Any]:
    """The demo credential with a validity period that ended on 1 May 2025, signed."""
    document = unsigned()
    document["validUntil"] = "2025-05-01T00:00:00Z"
    return sign(document)


def _keys(said: Said, language: str) -> str:
    """Words that are the message keys (the entrypoint gives the real ones)."""
    return said.key


def problem(column: Column, language: str = "en") -> str | None:
    """Why the input of ``column`` could not be verified, in words (``None``: it could)."""
    return words(column.problem, language) if column.problem is not None else None


def given(*documents: Any) -> list[Given]:
    return [Given(f"c{index}.json", json.dumps(document, ensure_ascii=False).encode())
            for index, document in enumerate(documents, start=1)]


def test_each_credential_gets_its_verdict_and_reason_in_plain_words(wallets: Wallets) -> None:
    """A valid, a tampered and an expired credential: verified, altered, expired — in order."""
    result = compare(wallets.runtime, given=given(signed(), tampered(), expired()))
    assert [column.outcome for column in result.columns] == [
        "verified", "not-verified", "not-verified"]
    assert [column.reason_codes for column in result.columns] == [(), ("altered",),
                                                                   ("expired",)]
    assert result.columns[2].verdict is not None
    assert result.columns[2].verdict.reasons[0].said == Said("verification.reason.expired",
                                                             day=dt.date(2025, 5, 1))
    assert result.verified == 1 and [c.label for c in result.columns] == [
        "c1.json", "c2.json", "c3.json"]


def test_a_column_reads_hours_credits_level_assessment_and_skills(wallets: Wallets) -> None:
    [column] = compare(wallets.runtime, given=given(signed())).columns
    assert column.entry is not None and column.verdict is not None
    assert column.entry.hours is not None and column.entry.hours > 0
    assert column.entry.credits and column.entry.levels
    assert column.entry.issued == dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
    assert column.assessment.methods and column.assessment.supervision
    assert column.skills and column.learner == ("山田花子", "Hanako Yamada")
    assert column.verdict.issuer_name("en")
    # A foreign programme: whether it is recognised cannot be said here.
    assert column.recognition.status == "unknown"
    as_json = column.to_dict(_keys)
    assert as_json["outcome"] == "verified" and as_json["entry"]["hours"]


def test_a_bad_input_gets_its_own_column_and_the_others_are_still_verified(
        wallets: Wallets) -> None:
    inputs = [Given("empty.json", b"  "), Given("notes.txt", b"hello there"),
              Given("binary.bin", b"\xff\xfe\x00\x01"),
              Given("huge.json", b"{" + b" " * MAX_CREDENTIAL_BYTES + b"}"),
              *given(signed())]
    result = compare(wallets.runtime, given=inputs)
    problems = [problem(column) for column in result.columns]
    assert problems[0] == "empty.json: the file is empty."
    assert problems[1] is not None and problems[1].startswith(
        "notes.txt: this could not be read as a credential")
    assert problems[2] is not None and "neither UTF-8 text" in problems[2]
    assert problems[3] is not None and "a credential may be up to 1 MB" in problems[3]
    assert (problem(result.columns[3], "ja") or "").startswith("huge.json：")
    assert problems[4] is None and result.columns[4].outcome == "verified"


def test_at_most_twenty_credentials_are_verified_and_the_rest_are_listed(
        wallets: Wallets) -> None:
    result = compare(wallets.runtime, given=given(*[signed()] * 22))
    assert len(result.columns) == 20 and result.left_out == ("c21.json", "c22.json")
    assert result.to_dict(_keys)["limit"] == 20


def test_over_the_total_size_a_file_is_refused_by_name(wallets: Wallets,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    document = json.dumps(signed()).encode()
    monkeypatch.setattr(comparison, "MAX_TOTAL_BYTES", len(document) * 2)
    result = compare(wallets.runtime, given=given(signed(), signed(), signed()))
    assert [column.outcome for column in result.columns] == ["verified", "verified",
                                                             "unusable"]
    assert "c3.json: not verified: the credentials given together are over" in (
        problem(result.columns[2]) or "")


def test_a_presentation_shows_the_holder_and_each_credential_it_holds(
        wallets: Wallets) -> None:
    vp = presentation(signed(), expired())
    result = compare(wallets.runtime, given=[Given("vp.json", json.dumps(vp).encode())])
    [summary] = result.presentations
    assert summary.ok and summary.holder == HOLDER and summary.count == 2
    assert [(c.label, c.outcome, c.presentation) for c in result.columns] == [
        ("vp.json #1", "verified", 0), ("vp.json #2", "not-verified", 0)]


def test_a_presentation_whose_holder_did_not_sign_says_so(wallets: Wallets) -> None:
    vp = presentation(signed())
    vp["verifiableCredential"][0]["name"] = "changed"  # after the holder signed
    [summary] = compare(wallets.runtime,
                        given=[Given("vp.json", json.dumps(vp).encode())]).presentations
    assert not summary.ok and summary.reasons[0][0] == "proof"


def test_a_vp_jwt_is_verified_with_its_holders_key(wallets: Wallets) -> None:
    """A VC Data Model 1.1 VP-JWT (the presentation in a ``vp`` claim), signed by the holder."""
    vp = build_presentation([json.dumps(signed())], holder=HOLDER)
    kid = f"{HOLDER}#{HOLDER.removeprefix('did:key:')}"
    token = _jwt({"iss": HOLDER, "vp": vp}, kid)
    result = compare(wallets.runtime, given=[Given("vp.jwt", token, "pasted")])
    [summary] = result.presentations
    assert summary.ok and summary.holder == HOLDER
    assert [c.outcome for c in result.columns] == ["verified"]
    # Changed after the holder signed: the holder's signature fails, the credential stands.
    head, body, signature = token.split(".")
    forged = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    forged["vp"]["holder"] = forged["iss"] = "did:example:someone-else"
    changed = ".".join([head, _b64(json.dumps(forged).encode()).decode(), signature])
    [summary] = compare(wallets.runtime, given=[Given("vp.jwt", changed)]).presentations
    assert not summary.ok


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _jwt(claims: dict[str, Any], kid: str) -> str:
    header = _b64(json.dumps({"alg": "EdDSA", "kid": kid, "typ": "JWT"}).encode())
    payload = _b64(json.dumps(claims).encode())
    signature = HOLDER_KEY.sign(header + b"." + payload)
    return b".".join([header, payload, _b64(signature)]).decode()


def test_a_share_link_shows_each_credential_checked_now(wallets: Wallets) -> None:
    [document] = issue_to(wallets, HANAKO_EMAIL)
    item = wallet.import_credential(wallets.runtime, actor=wallets.hanako,
                                    data=document.encode()).item
    made = sharing.create_share(wallets.runtime, actor=wallets.hanako, credential=item.public_id)
    link = wallets.runtime.settings.public_url.rstrip("/") + made.path
    result = compare(wallets.runtime, given=[Given("pasted 1", link, "pasted")])
    [column] = result.columns
    assert column.source == "share" and column.outcome == "verified"
    assert column.recognition.status == "none"  # a programme of this registry, not recognised
    change_status(wallets.runtime, actor=ISSUER, credential_id=json.loads(document)["id"],
                  changes=[StatusChange.REVOKE])
    [column] = compare(wallets.runtime, given=[Given("link", made.path, "pasted")]).columns
    assert column.reason_codes == ("revoked",)
    sharing.revoke_share(wallets.runtime, actor=wallets.hanako, public_id=made.view.public_id)
    [column] = compare(wallets.runtime, given=[Given("link", made.path, "pasted")]).columns
    assert "the share link could not be opened" in (problem(column) or "")


def test_a_recognised_programme_says_who_recognised_it(wallets: Wallets) -> None:
    runtime = wallets.runtime
    now = runtime.now()
    with runtime.transaction() as session:
        add_issuer(session, now=now, secret=runtime.key(), document=BODY)
        recognitions.grant(
            session, signer_secret=runtime.key(), settings=runtime.settings,
            recognition_body="jmicro", programme_id=wallets.programme_id, version=1,
            application="app_abcdefgh", decision_number="R-2026-0001", outcome="recognised",
            conditions=None, reasons="Meets every criterion.",
            valid_from=now - dt.timedelta(days=1), valid_until=now + dt.timedelta(days=700),
            now=now)
    [document] = issue_to(wallets, TARO_EMAIL)
    [column] = compare(runtime, given=[Given("ours.json", document.encode())]).columns
    assert column.recognition.status == "valid"
    assert column.recognition.bodies[0]["en"] == "Japan Micro-credential Organisation"
    assert column.recognition.until is not None


def test_pasted_text_is_split_into_credentials() -> None:
    first, second = json.dumps(signed()), json.dumps(tampered())
    assert split_pasted(f"{first}\n\n{second}\n") == (first, second)
    assert split_pasted(f"[{first}, {second}]") == (
        json.dumps(json.loads(first), ensure_ascii=False),
        json.dumps(json.loads(second), ensure_ascii=False))
    assert split_pasted("eyJa.b.c\n  https://example.org/a  \n/s/abc\n") == (
        "eyJa.b.c", "https://example.org/a", "/s/abc")
    assert split_pasted('{"broken": ') == ('{"broken":',)
    assert [g.label for g in comparison.pasted("eyJa.b.c\neyJd.e.f", word="貼り付け")] == [
        "貼り付け 1", "貼り付け 2"]
