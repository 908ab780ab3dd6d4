"""CLR 2.0: bundling credentials into a signed ClrCredential and verifying it (SQLite)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from credstack.adapters import clr, issuance, verifier
from credstack.adapters.cli.main import app
from credstack.adapters.db.engine import make_engine, session_factory
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.keystore import MasterKey
from credstack.adapters.settings import Settings
from credstack.core.credentials import clr_v2
from credstack.core.verification import VerificationReport
from credstack.errors import InputError
from tests.adapters.test_pdf import SECRET, SLUG, prepare
from tests.conftest import free_port


@dataclasses.dataclass
class Clr:
    settings: Settings
    sessions: sessionmaker[Session]
    sources: verifier.VerificationSources
    credentials: dict[str, str]


@pytest.fixture
def env(sqlite_settings: Settings) -> Iterator[Clr]:
    configured = dataclasses.replace(sqlite_settings, secret_key=SECRET,
                                     public_url=f"http://localhost:{free_port()}")
    credentials = prepare(configured)
    engine = make_engine(configured)
    sessions = session_factory(engine)
    try:
        yield Clr(configured, sessions,
                  verifier.VerificationSources.from_settings(configured, sessions), credentials)
    finally:
        engine.dispose()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def bundle(env: Clr, securing: str, **extra: Any) -> str:
    return clr.issue_clr(env.sessions, organisation=SLUG,
                         credential_ids=list(env.credentials.values()),
                         secret=MasterKey.from_text(SECRET, source="test"),
                         public_url=env.settings.public_url, securing=securing, now=now(),
                         **extra)


def verify(env: Clr, data: Any) -> VerificationReport:
    return clr.verify_clr(data, sources=env.sources, now=now() + dt.timedelta(seconds=1))


def ok(report: VerificationReport, name: str) -> bool | None:
    check = report.check(name)
    assert check is not None, name
    return check.ok


@pytest.mark.parametrize("securing", clr.CLR_SECURINGS)
def test_a_clr_of_both_credentials_verifies(env: Clr, securing: str) -> None:
    text = bundle(env, securing)
    report = verify(env, text)
    assert report.ok, report.to_dict()
    names = [check.name for check in report.checks]
    assert names == ["clr-proof", "clr-structure", "clr-validity", "credential[0]",
                     "credential[1]"]
    document = (json.loads(text) if securing == "eddsa-jcs-2022"
                else clr_v2.jwt_payload(text))
    assert document["type"] == ["VerifiableCredential", "ClrCredential"]
    assert clr_v2.CLR_CONTEXT_URL in document["@context"]
    subject = document["credentialSubject"]
    assert subject["type"] == ["ClrSubject"]
    assert "id" in subject or subject.get("identifier")
    entries = subject["verifiableCredential"]
    assert "proof" in entries[0]
    assert entries[1]["type"] == "EnvelopedVerifiableCredential"
    assert entries[1]["id"].startswith("data:application/vc+jwt,ey")
    assert subject["achievement"][0]["type"] in ("Achievement", ["Achievement"])
    if securing == "eddsa-jcs-2022":
        assert document["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    details = report.check("credential[0]").details  # type: ignore[union-attr]
    assert details["report"]["verified"] is True


def test_an_imported_credential_is_bundled_and_checked(env: Clr) -> None:
    with env.sessions() as session:
        stored = credential_store.get_credential(
            session, credential_id=env.credentials["vc-jwt"])
    text = clr.issue_clr(env.sessions, organisation=SLUG,
                         credential_ids=[env.credentials["eddsa-rdfc-2022"]],
                         imported=[stored.document],
                         secret=MasterKey.from_text(SECRET, source="test"),
                         public_url=env.settings.public_url, now=now())
    report = verify(env, text)
    assert report.ok
    assert ok(report, "credential[1]") is True


def test_a_tampered_nested_credential_fails_its_check(env: Clr) -> None:
    document = json.loads(bundle(env, "eddsa-jcs-2022"))
    nested = document["credentialSubject"]["verifiableCredential"][0]
    nested["name"] = nested.get("name", "") + " (forged)"
    # Re-sign the outer CLR so that only the nested credential is wrong.
    with env.sessions() as session:
        signer = issuance.signer_for(session, organisation=SLUG,
                                     secret=MasterKey.from_text(SECRET, source="test"),
                                     public_url=env.settings.public_url)
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    resigned = issuance._secure(unsigned, signer=signer, method=signer.identities[signer.did],
                                securing="eddsa-jcs-2022", alg="EdDSA", now=now())
    report = verify(env, resigned)
    assert ok(report, "clr-proof") is True
    assert ok(report, "credential[0]") is False
    assert ok(report, "credential[1]") is True
    assert not report.ok


@pytest.mark.parametrize("securing", clr.CLR_SECURINGS)
def test_a_tampered_clr_fails_its_proof(env: Clr, securing: str) -> None:
    text = bundle(env, securing)
    if securing == "eddsa-jcs-2022":
        document = json.loads(text)
        document["name"] = "Forged record"
        report = verify(env, document)
    else:
        header, payload, signature = text.split(".")
        flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
        report = verify(env, ".".join([header, flipped, signature]))
    assert ok(report, "clr-proof") is False
    assert not report.ok


def test_a_revoked_nested_credential_makes_the_clr_unverified(env: Clr) -> None:
    text = bundle(env, "eddsa-jcs-2022")
    with env.sessions() as session, session.begin():
        issuance.change_status(session, credential_id=env.credentials["vc-jwt"],
                               action=credential_store.Action.REVOKE, now=now())
    report = clr.verify_clr(text, sources=env.sources, now=now() + dt.timedelta(seconds=5))
    assert ok(report, "clr-proof") is True
    assert ok(report, "credential[0]") is True
    assert ok(report, "credential[1]") is False
    nested = report.check("credential[1]").details["report"]  # type: ignore[union-attr]
    assert any(error["check"] == "status" for error in nested["errors"])
    assert not report.ok


def test_not_a_clr_fails_its_structure(env: Clr) -> None:
    with env.sessions() as session:
        stored = credential_store.get_credential(
            session, credential_id=env.credentials["eddsa-rdfc-2022"])
    report = verify(env, stored.document)
    assert ok(report, "clr-structure") is False
    assert not report.ok


def test_rdfc_is_refused_for_a_clr(env: Clr) -> None:
    with pytest.raises(InputError):
        bundle(env, "eddsa-rdfc-2022")


def test_the_cli_bundles_and_verifies(env: Clr, tmp_path: Path) -> None:
    environment = {"CREDSTACK_LANG": "en", "CREDSTACK_SECRET_KEY": SECRET,
                   "CREDSTACK_SECRET_KEY_FILE": "",
                   "CREDSTACK_DATA_DIR": str(env.settings.data_dir),
                   "CREDSTACK_DATABASE_URL": "",
                   "CREDSTACK_PUBLIC_URL": env.settings.public_url}
    runner = CliRunner()
    for securing in clr.CLR_SECURINGS:
        output = tmp_path / f"clr-{securing}.txt"
        args = ["clr", "bundle", "--organisation", SLUG, "--securing", securing, "-o",
                str(output)]
        for credential_id in env.credentials.values():
            args += ["--credential", credential_id]
        made = runner.invoke(app, args, env=environment)
        assert made.exit_code == 0, made.output
        checked = runner.invoke(app, ["clr", "verify", str(output), "--json"], env=environment)
        assert checked.exit_code == 0, checked.output
        assert json.loads(checked.stdout)["verified"] is True
    forged = tmp_path / "forged.json"
    document = json.loads((tmp_path / "clr-eddsa-jcs-2022.txt").read_text())
    document["name"] = "Forged"
    forged.write_text(json.dumps(document))
    refused = runner.invoke(app, ["clr", "verify", str(forged)], env=environment)
    assert refused.exit_code == 1
    assert "clr-proof" in refused.stdout


@pytest.mark.parametrize("securing", clr.CLR_SECURINGS)
def test_the_one_verifier_recognises_a_clr(env: Clr, securing: str) -> None:
    """credstack verify / POST /credentials/verify route a ClrCredential to the CLR checks."""
    from credstack.adapters.any_format import detect, verify_any

    text = bundle(env, securing)
    assert detect(text) == "clr"
    report = verify_any(text, sources=env.sources, now=now() + dt.timedelta(seconds=1))
    assert report.ok, report.to_dict()
    assert report.check("clr-proof") is not None
