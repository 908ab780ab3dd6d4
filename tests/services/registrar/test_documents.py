"""The registrar's documents (issue 56): from one record, a PAdES-signed PDF, an Open Badges
3.0 credential and the transcript as a CLR 2.0, all under the record's one status entry.

The store is SQLite with the test organisation and its issuer key; the PDFs are timestamped
by a real RFC 3161 responder over HTTP (tests/services/certificates/test_service_timestamps).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from jsonschema import Draft201909Validator

from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.core.access import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import ConflictError
from credstack.services import formats
from credstack.services.certificates import authority as pki
from credstack.services.registrar import documents, importing
from credstack.services.runtime import Runtime
from credstack.services.verification import service as verifier
from credstack.settings import Settings
from tests.accounts import ORGANISATION, add_issuer, store_session
from tests.services.certificates.test_service import need_pdfsig, pdfsig
from tests.services.certificates.test_service_timestamps import (
    Served,
    make_tsa,
    serve_tsa,
    token_of,
)

SECRET = new_master_key_text()
SLUG = ORGANISATION["slug"]
PUBLIC_URL = "https://registrar.example.ac.jp"
ACTOR = Operator("registrar-test")

HEADER = ("student_number,name,name_kana,name_latin,birth_date,faculty,department,"
          "degree_name,admission_date,completion_date,standing,term,course_code,"
          "course_title,credits,scale,grade")


def record_rows(number: str, standing: str = "graduated",
                results: tuple[tuple[str, str, str, str, str, str], ...] = (
                    ("2022-前期", "ME101", "機械工学概論", "2", "jp", "shu"),
                    ("2022-後期", "ME102", "材料力学", "2", "jp", "ryo"),
                    ("2023-前期", "EN201", "Technical English", "1", "letter", "A"),
                    ("2023-後期", "ME301", "卒業研究", "8", "pass_fail", "pass"),
                    ("2024-前期", "ME202", "流体力学", "2", "jp", "fuka"))) -> list[str]:
    head = (f"{number},山田 花子,ヤマダ ハナコ,YAMADA Hanako,2003-04-02,工学部,機械工学科,"
            f"学士（工学）,2022-04-01,2026-03-31,{standing}")
    return [f"{head},{','.join(result)}" for result in results]


@pytest.fixture
def tsa() -> Iterator[Served]:
    with serve_tsa(make_tsa("Shibaura Time Stamping Authority")) as served:
        yield served


@pytest.fixture
def runtime(sqlite_settings: Settings, tsa: Served, tmp_path: Path) -> Iterator[Runtime]:
    trust = tmp_path / "tsa-roots.pem"
    trust.write_bytes(tsa.tsa.root.public_bytes(serialization.Encoding.PEM))
    configured = dataclasses.replace(sqlite_settings, secret_key=SECRET, public_url=PUBLIC_URL,
                                     tsa_url=tsa.url, tsa_trust=trust)
    with store_session(configured) as session:
        add_issuer(session, now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5),
                   secret=MasterKey.from_text(SECRET, source="test"))
    with open_runtime(settings=configured) as opened:
        importing.import_csv(opened, actor=ACTOR, organisation=SLUG, data="\n".join(
            [HEADER, *record_rows("20A1001"), *record_rows("20A1002", "expected")]
        ).encode("utf-8"))
        yield opened


def verify(runtime: Runtime, data: bytes) -> Any:
    return formats.verify_any(data, settings=runtime.settings, sessions=runtime.sessions,
                              sources=verifier.VerificationSources.for_runtime(runtime),
                              strict=False, offline=True)


def failed(report: Any) -> list[tuple[str, str | None]]:
    return [(check.name, check.code) for check in report.failed]


def schema_errors(shared_ref: Path, document: dict[str, Any]) -> list[tuple[str, str]]:
    path = shared_ref / "schemas" / "clr-v2p0" / "json-ld" / "clr_v2p0_clrcredential_schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    return [(error.json_path, error.message)
            for error in Draft201909Validator(schema).iter_errors(document)]


def issue(runtime: Runtime, number: str = "20A1001", **options: Any
          ) -> dict[tuple[str, str, str], documents.IssuedDocument]:
    made = documents.issue_documents(runtime, actor=ACTOR, organisation=SLUG, number=number,
                                     **{"kinds": ["degree", "transcript"], **options})
    return {(item.kind, item.form, item.language): item for item in made}


def test_each_form_verifies_and_the_clr_matches_the_schema(runtime: Runtime,
                                                           shared_ref: Path) -> None:
    """The degree and the transcript, as PDF, credential and CLR, verify with credstack's
    one verifier; the CLR matches the 1EdTech CLR 2.0 JSON Schema."""
    made = issue(runtime, languages=["ja", "en"])
    assert {(kind, form) for kind, form, _ in made} == {
        ("degree", "pdf"), ("degree", "vc"), ("transcript", "pdf"), ("transcript", "vc"),
        ("transcript", "clr")}
    for key, item in made.items():
        report = verify(runtime, item.content)
        report = getattr(report, "report", report)
        assert report.ok, (key, failed(report))
        if item.form == "pdf":
            stamped = report.check("pdf-timestamp")
            assert stamped is not None and stamped.ok, key
            assert stamped.details["tsa"] == "Shibaura Time Stamping Authority"
    clr = json.loads(made[("transcript", "clr", "ja")].content)
    assert schema_errors(shared_ref, clr) == []
    assert len(clr["credentialSubject"]["verifiableCredential"]) == 6


def test_every_form_carries_the_one_status_entry(runtime: Runtime) -> None:
    """The credentials, the CLR and the credentials the PDFs carry share one status entry."""
    made = issue(runtime)
    entries = {json.dumps(json.loads(item.content)["credentialStatus"], sort_keys=True)
               for item in made.values() if item.form != "pdf"}
    nested = json.loads(made[("transcript", "clr", "ja")].content)
    entries |= {json.dumps(credential["credentialStatus"], sort_keys=True)
                for credential in nested["credentialSubject"]["verifiableCredential"]}
    assert len(entries) == 1


def test_the_transcript_gpa_is_the_records(runtime: Runtime) -> None:
    """GPA (shu 4×2 + ryo 2×2 + A 3×1 + fuka 0×2) / 7 = 15/7 = 2.14; pass/fail counts no
    points; credits earned 2+2+1+8 = 13."""
    made = issue(runtime, kinds=["transcript"], forms=["vc"])
    subject = json.loads(made[("transcript", "vc", "ja")].content)["credentialSubject"]
    assert [result["value"] for result in subject["result"]] == ["2.14", "13"]
    assert subject["creditsEarned"] == 13


def test_pdfsig_finds_each_pdf_signed_whole_and_timestamped(runtime: Runtime,
                                                            tmp_path: Path) -> None:
    """poppler's pdfsig: valid, trusted through the organisation's CA, total document
    signed, PAdES; the signature carries its timestamp token."""
    need_pdfsig()
    made = issue(runtime, languages=["ja", "en"], forms=["pdf"])
    with runtime.transaction() as session:
        root = pki.authority_info(session, organisation=SLUG, public_url=PUBLIC_URL).authority
    for (kind, _, language), item in made.items():
        path = tmp_path / f"{kind}-{language}.pdf"
        path.write_bytes(item.content)
        said = pdfsig(path, trusted=[root])
        assert "Signature is Valid." in said, said
        assert "Certificate is Trusted." in said, said
        assert "Total document signed" in said, said
        assert "ETSI.CAdES.detached" in said, said
        # pdfsig does not show timestamps: the token is read from the CMS (RFC 3161).
        assert token_of(item.content)


def test_issuing_again_returns_the_stored_forms(runtime: Runtime) -> None:
    """The same request twice signs nothing new: the same ids, the same bytes."""
    first = issue(runtime, forms=["vc", "clr"])
    second = issue(runtime, forms=["vc", "clr"])
    assert {key: item.content for key, item in first.items()} == \
        {key: item.content for key, item in second.items()}


def test_a_kind_the_standing_does_not_allow_is_refused(runtime: Runtime) -> None:
    """A student expected to graduate has no degree yet, but a 卒業見込証明書."""
    with pytest.raises(ConflictError) as refused:
        issue(runtime, number="20A1002", kinds=["degree"])
    assert refused.value.code == "registrar.documents.standing"
    assert issue(runtime, number="20A1002", kinds=["expected"], forms=["vc"])


def test_withdrawing_the_record_revokes_every_form(runtime: Runtime) -> None:
    """One withdrawal: each PDF, credential and CLR of the record fails its status check;
    the record gets no new document until it is corrected."""
    made = issue(runtime)
    assert documents.withdraw(runtime, actor=ACTOR, organisation=SLUG, number="20A1001",
                              reason="degree rescinded") == 1
    for key, item in made.items():
        result = verify(runtime, item.content)
        report = getattr(result, "report", result)
        assert not report.ok, key
        assert "revoked" in {c.code for c in report.failed}, (key, failed(report))
    states = {item.state for item in documents.student_documents(
        runtime, actor=ACTOR, organisation=SLUG, number="20A1001")}
    assert states == {"revoked"}
    with pytest.raises(ConflictError):
        issue(runtime)



def test_a_class_signed_on_two_processes_stores_each_form_once(runtime: Runtime) -> None:
    """Five graduates in chunks of two, signed by two forked processes while the parent
    stores: five forms each, one status entry each, every credential and CLR verifying; the
    same batch again signs nothing."""
    importing.import_csv(runtime, actor=ACTOR, organisation=SLUG, data="\n".join(
        [HEADER, *(row for number in ("20A1003", "20A1004", "20A1005", "20A1006")
                   for row in record_rows(number))]).encode("utf-8"))
    seen: list[documents.ClassProgress] = []
    done = documents.issue_class(runtime, actor=ACTOR, organisation=SLUG, batch="2026-03",
                                 chunk_size=2, workers=2, progress=seen.append)
    assert (done.students, done.issued, done.already, done.refused) == (5, 25, 0, {})
    assert [item.done for item in seen] == [2, 4, 5]
    indexes: set[frozenset[str]] = set()
    for number in ("20A1001", "20A1003", "20A1004", "20A1005", "20A1006"):
        forms = documents.student_documents(runtime, actor=ACTOR, organisation=SLUG,
                                            number=number)
        assert sorted((item.kind, item.form) for item in forms) == [
            ("degree", "pdf"), ("degree", "vc"), ("transcript", "clr"), ("transcript", "pdf"),
            ("transcript", "vc")]
        assert {item.record_version for item in forms} == {1}
        indexes.add(frozenset(json.loads(item.content)["credentialStatus"]["statusListIndex"]
                              for item in forms if item.form != "pdf"))
        for item in forms:
            if item.form != "pdf":
                report = verify(runtime, item.content)
                assert report.ok, (number, item.form, failed(report))
    # One entry a record: the same index on each form of a student, another for each student.
    assert all(len(group) == 1 for group in indexes) and len(indexes) == 5
    again = documents.issue_class(runtime, actor=ACTOR, organisation=SLUG, batch="2026-03",
                                  chunk_size=2, workers=2)
    assert (again.issued, again.already) == (0, 5)
