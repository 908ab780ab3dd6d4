"""A European Digital Credential kept in the wallet and counted in the credit bank: its ECTS
credits deposited and converted into Japanese credits (単位) for a target. Real server, on
SQLite and on PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings
from credstack.testing.elm import SealPki, make_pki, seal
from tests.conftest import LiveServer, serve
from tests.entrypoints.web.api.test_creditbank import registrar
from tests.entrypoints.web.api.test_wallet import _prepare, email, learner
from tests.services.creditbank.banks import BACHELOR

NOW = dt.datetime.now(dt.UTC)
PROVIDER = "hokuto-tech"


@pytest.fixture(scope="module")
def pki() -> SealPki:
    return make_pki(not_before=NOW - dt.timedelta(days=30), not_after=NOW + dt.timedelta(days=300))


@pytest.fixture(scope="module")
def live(module_settings: Settings, shared_ref: Path, pki: SealPki,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("wallet-elm")
    trust = folder / "trusted-seals.pem"
    trust.write_bytes(pki.root_pem)
    settings = dataclasses.replace(
        module_settings, secret_key=module_settings.secret_key or new_master_key_text(),
        elm_dir=shared_ref / "elm", elm_trust=trust)
    _prepare(settings)
    yield from serve(settings)


def sealed_for(shared_ref: Path, pki: SealPki, name: str) -> bytes:
    """The EC's sealed micro-credential, sealed again for learner ``name`` (their address as
    the credential's contact point)."""
    sample = json.loads((shared_ref / "elm/ec-elm/credentials/Sample-MC-Annex1-signed.jsonld")
                        .read_text())
    payload = re.sub(r'"mailto:ana\.andromeda[^"]*"', f'"mailto:{email(name)}"',
                     sample["payload"])
    return json.dumps(seal(payload, pki, signing_time=NOW)).encode()


def test_an_edc_is_kept_and_counted(live: LiveServer, shared_ref: Path, pki: SealPki) -> None:
    """Kept as it came, verified, with its ECTS credits, EQF level and ESCO skills."""
    sealed = sealed_for(shared_ref, pki, "hanako")
    with learner(live, "hanako") as hanako:
        answer = hanako.post("/api/wallet/credentials",
                             json={"credential": json.loads(sealed)})
        assert answer.status_code == 201, answer.text
        item = answer.json()
        assert item["outcome"] == "verified", item
        assert item["entry"]["credits"] == [{"system": "ects", "value": "2"}]
        assert item["entry"]["levels"] == [["EQF", 6]] or item["entry"]["levels"] == [
            {"framework": "EQF", "level": 6}]
        assert any(skill["framework"] == "ESCO" for skill in item["entry"]["skills"])
        original = hanako.get(f"/api/wallet/credentials/{item['id']}/original")
        assert json.loads(original.content) == json.loads(sealed)
        totals = hanako.get("/api/wallet").json()["totals"]
        assert {"system": "ects", "value": "2"} in totals["credits"]


def test_someone_elses_edc_is_refused(live: LiveServer, shared_ref: Path, pki: SealPki) -> None:
    """An EDC whose contact point is another person's address is not kept."""
    with learner(live, "jiro") as jiro:
        answer = jiro.post("/api/wallet/credentials", json={"credential": json.loads(
            sealed_for(shared_ref, pki, "someone-else"))})
        assert answer.status_code == 422 and "recipient-mismatch" in answer.text


def test_its_ects_credits_count_in_the_credit_bank(live: LiveServer, shared_ref: Path,
                                                   pki: SealPki) -> None:
    """Deposited as 2 ECTS; a target in 単位 reads them through the credit systems."""
    sealed = sealed_for(shared_ref, pki, "taro")
    with learner(live, "taro") as taro, registrar(live, "clerk", PROVIDER) as clerk:
        kept = taro.post("/api/wallet/credentials",
                         json={"credential": json.loads(sealed)}).json()["id"]
        deposited = taro.post("/api/creditbank/deposits", json={
            "credential": kept, "route": "other-university"})
        assert deposited.status_code == 201, deposited.text
        ledger = taro.get("/api/creditbank/account").json()["ledger"]
        assert [(entry["credits"], entry["system"]) for entry in ledger] == [("2", "ects")]
        target = clerk.post(f"/api/creditbank/organisations/{PROVIDER}/targets",
                            json={"text": BACHELOR})
        assert target.status_code == 201, target.text
        decision = taro.get(f"/api/creditbank/targets/{target.json()['id']}/decision").json()
        assert decision["granted"] != "0", decision
        assert "ECTS" in json.dumps(decision, ensure_ascii=False), decision


def test_an_unreadable_seal_is_refused_and_nothing_kept(live: LiveServer, shared_ref: Path,
                                                       pki: SealPki) -> None:
    """``b64: true`` breaks the EDC profile: refused in both languages, the wallet unchanged;
    a seal changed after sealing is kept as the learner's, marked not verified."""
    sample = json.loads((shared_ref / "elm/ec-elm/credentials/Sample-MC-Annex1-signed.jsonld")
                        .read_text())
    with learner(live, "saburo") as saburo:
        before = saburo.get("/api/wallet").json()["credentials"]
        refused = saburo.post("/api/wallet/credentials", json={"credential": seal(
            sample["payload"], pki, signing_time=NOW, b64=True)})
        assert refused.status_code == 422, refused.text
        assert "b64" in refused.text and "封印" in refused.text
        assert saburo.get("/api/wallet").json()["credentials"] == before
        changed = json.loads(sealed_for(shared_ref, pki, "saburo"))
        changed["payload"] = changed["payload"].replace("Digital micro-credential creation",
                                                        "Digital micro-credential mastery")
        kept = saburo.post("/api/wallet/credentials", json={"credential": changed})
        assert kept.status_code == 201, kept.text
        assert kept.json()["outcome"] == "not-verified"
        assert kept.json()["failed_check"] == "proof"
