"""The credit bank's JSON API over real HTTP, on SQLite and PostgreSQL: a registrar publishes
a target (a bad file: 422 with positions), a learner deposits wallet credentials and applies,
the registrar adjusts (beyond the credential's worth: 422), approves (again: 409) and the
decision's credential reaches the learner's wallet and verifies; another
learner's credential and application and another organisation's applications are refused,
and a token without the credit bank's scopes gets nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterator
from html import unescape
from urllib.parse import urlsplit

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access.policy import Membership, Role, usable_scopes
from credstack.core.credentials.openbadges_v3 import identity_hash
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests import patiently
from tests.accounts import (
    add_programme,
    add_user,
    api_client,
    bearer_token,
    issued_credentials,
    store_session,
)
from tests.conftest import LiveServer, serve
from tests.entrypoints.web.api.test_wallet import _prepare, learner
from tests.services.creditbank.banks import BACHELOR, OTHER

PROVIDER = "hokuto-tech"


@dataclasses.dataclass(frozen=True)
class Bank:
    live: LiveServer
    issued: dict[str, tuple[str, str]]


@pytest.fixture
def bank(settings: Settings) -> Iterator[Bank]:
    settings = dataclasses.replace(settings, secret_key=settings.secret_key
                                   or new_master_key_text())
    issued = _prepare(settings)
    for live in serve(settings):
        yield Bank(live, issued)


def registrar(live: LiveServer, name: str, organisation: str) -> httpx.Client:
    address = f"{name}@example.jp"
    add_user(live.settings, address, name=name, roles=[(organisation, "registrar")])
    scopes = sorted(usable_scopes([Membership(organisation, Role.REGISTRAR)]))
    client_id, secret = api_client(live.settings, address, scopes)
    token = bearer_token(live.url, client_id, secret)
    return httpx.Client(base_url=live.url, timeout=30,
                        headers={"Authorization": f"Bearer {token}"})


def _kept(client: httpx.Client, document: str) -> str:
    answer = client.post("/api/wallet/credentials", content=document.encode(),
                         headers={"Content-Type": "application/ld+json"})
    assert answer.status_code in {200, 201}, answer.text
    return str(answer.json()["id"])


def test_learner_deposits_applies_and_the_registrar_decides(bank: Bank) -> None:
    live = bank.live
    with registrar(live, "clerk", PROVIDER) as clerk, \
            registrar(live, "outsider", OTHER) as outsider, \
            learner(live, "hanako") as hanako, learner(live, "taro") as taro:
        bad = clerk.post(f"/api/creditbank/organisations/{PROVIDER}/targets",
                         json={"text": BACHELOR.replace("jp-tani", "furlongs")})
        assert bad.status_code == 422
        assert bad.headers["content-type"].startswith("application/problem+json")
        assert "target.yaml:4" in bad.text
        assert outsider.post(f"/api/creditbank/organisations/{PROVIDER}/targets",
                             json={"text": BACHELOR}).status_code == 403
        made = clerk.post(f"/api/creditbank/organisations/{PROVIDER}/targets",
                          json={"text": BACHELOR})
        assert made.status_code == 201, made.text
        target = made.json()["id"]
        assert [t["id"] for t in patiently.get(f"{live.url}/api/creditbank/targets").json()] == [
            target]

        mine = _kept(hanako, bank.issued["hanako"][1])
        assert taro.post("/api/creditbank/deposits", json={
            "credential": mine, "route": "other-university"}).status_code == 404
        deposited = hanako.post("/api/creditbank/deposits", json={
            "credential": mine, "route": "other-university"})
        assert deposited.status_code == 201, deposited.text
        again = hanako.post("/api/creditbank/deposits", json={
            "credential": mine, "route": "other-university"})
        assert again.status_code == 422 and "deposit-refused" in again.text
        account = hanako.get("/api/creditbank/account").json()
        assert [e["movement"] for e in account["ledger"]] == ["deposit"]

        decision = hanako.get(f"/api/creditbank/targets/{target}/decision?lang=ja").json()
        assert decision["granted"] == "1" and decision["explanation"]
        applied = hanako.post("/api/creditbank/applications", json={"target": target})
        assert applied.status_code == 201, applied.text
        application = applied.json()["id"]
        assert [a["id"] for a in hanako.get("/api/creditbank/applications").json()] == [
            application]
        assert taro.get("/api/creditbank/applications").json() == []
        assert taro.get(f"/api/creditbank/applications/{application}").status_code == 404
        read = hanako.get(f"/api/creditbank/applications/{application}?lang=ja").json()
        assert read["explanation"][0].startswith("学士課程（情報）：1 / 124 単位 を認定")
        assert outsider.get(
            f"/api/creditbank/organisations/{PROVIDER}/applications").status_code == 403
        assert outsider.post(
            f"/api/creditbank/applications/{application}/approval", json={}).status_code == 403

        assert clerk.post(f"/api/creditbank/applications/{application}/refusal",
                          json={"reason": ""}).status_code == 422
        assert clerk.post(f"/api/creditbank/applications/{application}/adjustments",
                          json={"deposit": "x", "credits": "-1", "reason": "Less."}
                          ).status_code == 422
        assert clerk.post("/api/creditbank/organisations/nowhere/targets",
                          json={"text": BACHELOR}).status_code == 403
        listed = clerk.get(f"/api/creditbank/organisations/{PROVIDER}/applications").json()
        assert [a["id"] for a in listed] == [application]
        deposit = deposited.json()["id"]
        beyond = clerk.post(f"/api/creditbank/applications/{application}/adjustments",
                            json={"deposit": deposit, "credits": "5", "reason": "More."})
        assert beyond.status_code == 422 and "credit-adjustment" in beyond.text
        approved = clerk.post(f"/api/creditbank/applications/{application}/approval",
                              json={"version": 1})
        assert approved.status_code == 200 and approved.json()["state"] == "approved"
        assert (approved.json()["flagged"], approved.json()["flag"]) == (False, None)
        assert clerk.get(f"/api/creditbank/organisations/{PROVIDER}/applications"
                         "?flagged=true").json() == []
        recognised = approved.json()["credential"]
        record = hanako.get("/api/wallet").json()["credentials"]
        [kept] = [item for item in record if item["credential_id"] == recognised]
        checked = hanako.get(f"/api/wallet/credentials/{kept['id']}").json()
        assert checked["outcome"] == "verified", checked["failed_reason"]
        assert clerk.post(f"/api/creditbank/applications/{application}/approval",
                          json={}).status_code == 409
        ledger = hanako.get("/api/creditbank/account").json()["ledger"]
        # Reserved at application, withdrawn from the reserve at approval.
        assert [(e["movement"], e["programme"]) for e in ledger] == [
            ("deposit", None), ("reserve", "hokuto/bachelor"), ("withdraw", "hokuto/bachelor")]


def test_a_token_without_the_credit_banks_scopes_gets_nothing(bank: Bank) -> None:
    with learner(bank.live, "ken", ["wallet:read"]) as reader:
        answer = reader.get("/api/creditbank/account")
        assert answer.status_code == 403 and "creditbank:read" in answer.text
        assert reader.post("/api/creditbank/deposits", json={
            "credential": "x", "route": "r"}).status_code == 403


def test_the_decision_names_each_deposit_by_its_credentials_title(bank: Bank) -> None:
    """The decision the API gives (evaluated now, or an application's) names each counted
    deposit by its credential's title beside its id, and its explanation by the title too,
    in ja and en (issue 39, defect 7)."""
    live = bank.live
    with registrar(live, "clerk", PROVIDER) as clerk, learner(live, "ken") as ken:
        made = clerk.post(f"/api/creditbank/organisations/{PROVIDER}/targets",
                          json={"text": BACHELOR})
        target = made.json()["id"] if made.status_code == 201 else next(
            t["id"] for t in patiently.get(f"{live.url}/api/creditbank/targets").json())
        deposited = ken.post("/api/creditbank/deposits", json={
            "credential": _kept(ken, bank.issued["ken"][1]), "route": "other-university"})
        assert deposited.status_code == 201, deposited.text
        deposit = deposited.json()["id"]
        title = deposited.json()["entry"]["title"]
        applied = ken.post("/api/creditbank/applications", json={"target": target})
        assert applied.status_code == 201, applied.text
        for language in ("ja", "en"):
            for read in (
                    ken.get(f"/api/creditbank/targets/{target}/decision?lang={language}"
                            ).json(),
                    ken.get(f"/api/creditbank/applications/{applied.json()['id']}"
                            f"?lang={language}").json()):
                decision = read.get("decision", read)
                counted = [c for r in decision["requirements"] for c in r["counted"]]
                counted += decision["general"]
                assert [(c["deposit"], c["title"]) for c in counted] == [(deposit, title)]
                assert not any(deposit in line for line in read["explanation"])
                name = title.get(language) or next(iter(title.values()))
                assert any(name in line for line in read["explanation"])


def test_the_decisions_credential_is_a_credit_recognition_naming_the_learner_by_a_hash(
        bank: Bank) -> None:
    """The credential an approval issues is a credit recognition, not the target programme:
    its achievement is of the type ``ext:CreditRecognition`` and its name says what was
    recognised toward what; it names the learner by the salted hash of their address, as
    every credential issued here does, and still reaches their wallet, where the totals count
    it apart and not as a credential (issue 51, defect 1)."""
    live = bank.live
    with registrar(live, "clerk", PROVIDER) as clerk, learner(live, "kaito") as kaito:
        made = clerk.post(f"/api/creditbank/organisations/{PROVIDER}/targets",
                          json={"text": BACHELOR})
        assert made.status_code == 201, made.text
        deposited = kaito.post("/api/creditbank/deposits", json={
            "credential": _kept(kaito, bank.issued["kaito"][1]), "route": "other-university"})
        assert deposited.status_code == 201, deposited.text
        applied = kaito.post("/api/creditbank/applications", json={"target": made.json()["id"]})
        assert applied.status_code == 201, applied.text
        approved = clerk.post(f"/api/creditbank/applications/{applied.json()['id']}/approval",
                              json={"version": 1})
        assert approved.status_code == 200, approved.text
        record = kaito.get("/api/wallet").json()
        [kept] = [item for item in record["credentials"]
                  if item["credential_id"] == approved.json()["credential"]]
        original = kaito.get(f"/api/wallet/credentials/{kept['id']}/original")
    assert original.status_code == 200, original.text
    document = original.json()
    assert "kaito@example.jp" not in original.text
    [identity] = document["credentialSubject"]["identifier"]
    assert (identity["identityType"], identity["hashed"]) == ("emailAddress", True)
    assert identity["identityHash"] == identity_hash("kaito@example.jp", identity["salt"])
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "ext:CreditRecognition"
    assert document["name"] == ("Credit recognised: 1 of 124 credits toward Bachelor of "
                                "Informatics")
    assert achievement["microCredential"]["title"]["ja"] == (
        "単位認定：学士課程（情報） に向けて 124 単位中 1 単位")
    assert kept["entry"]["credit_recognised"] == {"granted": "1", "total": "124",
                                                  "system": "jp-tani"}
    totals = record["totals"]
    assert (totals["count"], totals["credit_recognitions"]) == (1, 1)


#: A programme whose credential states 1 単位 for 10 hours of learning (1 単位 stands for
#: 45 hours): its credits and hours conflict, and the rules cannot count it.
CONFLICTING = {"title": {"ja": "品質管理の基礎", "en": "Quality control basics"},
               "learner_effort": {"hours": 10, "credits": [{"system": "jp-tani", "value": 1}]}}


def conflicting_credential(settings: Settings, address: str, code: str) -> None:
    """A credential of a programme ``code`` stating :data:`CONFLICTING` figures, issued to
    ``address`` (their wallet takes it in)."""
    assert settings.secret_key is not None
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    with store_session(settings) as session:
        programme_id = add_programme(session, now=now, code=code, **CONFLICTING)
    issued_credentials(settings, secret=settings.secret_key, now=now, batch=f"conflict-{code}",
                       cohort=f"email,name\n{address},Learner\n", programme_id=programme_id)


def test_a_deposit_awaiting_a_decision_is_decided_by_the_registrar_and_audited(
        bank: Bank) -> None:
    """A deposit set aside because its credits and hours conflict can be decided by the
    registrar — that deposit itself, with a reason: beyond what it states it is worth, or
    without a reason, refused and nothing changed; decided, the decision is made again
    counting it for the credits decided (marked adjusted), approval withdraws it, and the
    audit log holds the decision and the refusal (issue 51, defect 6)."""
    live = bank.live
    conflicting_credential(live.settings, "riku@example.jp", "NC-QA-101")
    with registrar(live, "clerk", PROVIDER) as clerk, learner(live, "riku") as riku:
        made = clerk.post(f"/api/creditbank/organisations/{PROVIDER}/targets",
                          json={"text": BACHELOR})
        assert made.status_code == 201, made.text
        own = _kept(riku, bank.issued["riku"][1])
        [other] = [item["id"] for item in riku.get("/api/wallet").json()["credentials"]
                   if item["id"] != own]
        deposits = []
        for credential in (own, other):
            deposited = riku.post("/api/creditbank/deposits", json={
                "credential": credential, "route": "other-university"})
            assert deposited.status_code == 201, deposited.text
            deposits.append(deposited.json()["id"])
        counted, awaiting = deposits
        applied = riku.post("/api/creditbank/applications", json={"target": made.json()["id"]})
        assert applied.status_code == 201, applied.text
        application = applied.json()["id"]
        assert [(e["deposit"], e["reason"]) for e in applied.json()["decision"]["excluded"]
                ] == [(awaiting, "conflict")]
        path = f"/api/creditbank/applications/{application}/adjustments"
        beyond = clerk.post(path, json={"deposit": awaiting, "credits": "2",
                                        "reason": "Both figures."})
        assert beyond.status_code == 422 and "credit-adjustment" in beyond.text, beyond.text
        unexplained = clerk.post(path, json={"deposit": awaiting, "credits": "1", "reason": ""})
        assert unexplained.status_code == 422, unexplained.text
        decided = clerk.post(path, json={"deposit": awaiting, "credits": "1", "version": 1,
                                         "reason": "The syllabus shows 45 hours of study."})
        assert decided.status_code == 200, decided.text
        decision = decided.json()["decision"]
        assert decision["excluded"] == [] and decided.json()["granted"] == "2"
        assert {(c["deposit"], c["credits"], c["adjusted"]) for c in decision["general"]} == {
            (counted, "1", False), (awaiting, "1", True)}
        assert decided.json()["adjustments"][-1]["resolves"] == "conflict"
        approved = clerk.post(f"/api/creditbank/applications/{application}/approval",
                              json={"version": decided.json()["version"]})
        assert approved.status_code == 200, approved.text
        ledger = riku.get("/api/creditbank/account").json()["ledger"]
    assert sorted((e["deposit"], e["credits"]) for e in ledger
                  if e["movement"] == "withdraw") == sorted([(counted, "1"), (awaiting, "1")])
    with store_session(live.settings) as session:
        entries = audit.entries(session, subject=f"credit-application:{application}",
                                limit=100)
    actions = [(entry.action, entry.details.get("resolves")) for entry in entries]
    assert ("creditbank.adjusted", "conflict") in actions
    assert ("creditbank.adjust-refused", "conflict") in actions


#: The provider's names (:data:`credstack.testing.documents` registers it so).
ISSUER_NAMES = {"ja": "北都工科大学", "en": "Hokuto Institute of Technology"}


def _words(html: str) -> str:
    """A page's visible words, its technical details (folded) and the form's field (the
    credential pasted) left out."""
    html = re.sub(r"<details\b.*?</details>", " ", html, flags=re.S)
    html = re.sub(r"<(script|style|head|textarea)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_a_credit_recognition_names_its_issuer_in_the_readers_language(bank: Bank) -> None:
    """A credit recognition states its issuer's name in Japanese only; ``/verify`` (headline,
    issuer row, registry line), the learner's wallet and the page its share link opens name
    the issuing organisation as this registry records it, in the reader's language — an
    English reader reads its English name, a Korean one too (no Korean name: English), a
    Japanese reader the Japanese one (issue 51)."""
    live = bank.live
    with registrar(live, "clerk", PROVIDER) as clerk, learner(live, "rin") as rin:
        made = clerk.post(f"/api/creditbank/organisations/{PROVIDER}/targets",
                          json={"text": BACHELOR})
        assert made.status_code == 201, made.text
        deposited = rin.post("/api/creditbank/deposits", json={
            "credential": _kept(rin, bank.issued["rin"][1]), "route": "other-university"})
        assert deposited.status_code == 201, deposited.text
        applied = rin.post("/api/creditbank/applications", json={"target": made.json()["id"]})
        assert applied.status_code == 201, applied.text
        approved = clerk.post(f"/api/creditbank/applications/{applied.json()['id']}/approval",
                              json={"version": 1})
        assert approved.status_code == 200, approved.text
        [kept] = [item for item in rin.get("/api/wallet").json()["credentials"]
                  if item["credential_id"] == approved.json()["credential"]]
        original = rin.get(f"/api/wallet/credentials/{kept['id']}/original").text
        shared = rin.post("/api/wallet/shares", json={"credential": kept["id"]})
        assert shared.status_code == 201, shared.text
    assert json.loads(original)["issuer"]["name"] == ISSUER_NAMES["ja"]
    assert kept["entry"]["issuer"]["names"] == ISSUER_NAMES
    share_path = urlsplit(shared.json()["url"]).path
    for language, name in (("en", ISSUER_NAMES["en"]), ("ko", ISSUER_NAMES["en"]),
                           ("ja", ISSUER_NAMES["ja"])):
        other = next(n for n in ISSUER_NAMES.values() if n != name)
        with httpx.Client(base_url=live.url, timeout=30,
                          headers={"Accept-Language": language}) as visitor:
            checked = visitor.post("/verify", headers={"Accept": "text/html"}, files={
                "credential": (None, original), "file": ("", b"", "application/octet-stream")})
            opened = visitor.get(share_path)
        assert checked.status_code == 200, checked.text[:2000]
        assert opened.status_code == 200, opened.text[:2000]
        words = _words(checked.text)
        assert name in words and other not in words, (language, words[:3000])
        share = _words(opened.text)
        assert name in share and other not in share, (language, share[:3000])
