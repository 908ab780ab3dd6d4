"""Issuing from the workspace, as services: one learner from a form, the list searched and
filtered, a credential's history with the reasons of its status changes, cohort uploads
checked before anything is issued, and the batch's results as files."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories.credentials import CredentialSearch
from credstack.core.access.policy import Membership, Principal, Role
from credstack.core.descriptors import parse_programme
from credstack.core.status.changes import StatusChange
from credstack.errors import AccessDeniedError, ConflictError, InputError, NotFoundError
from credstack.services.issuance import downloads, web_cohorts, workspace
from credstack.services.issuance.workspace import LearnerForm
from credstack.services.runtime import Runtime
from credstack.testing import ActingAs
from tests.helpers import programme
from tests.services.issuance.test_credentials import ISSUER, OPERATOR, SLUG, issuing_runtime

LEARNER = ActingAs(Principal(subject="user:9", user_id=9, email="l@example.jp",
                             memberships=frozenset({Membership(SLUG, Role.LEARNER)})))
OTHER_ISSUER = ActingAs(Principal(subject="user:8", user_id=8, email="o@example.jp",
                                  memberships=frozenset({Membership("other", Role.ISSUER)})))
HANAKO = LearnerForm(name_ja="山田 花子", name_en="Hanako Yamada", email="hanako@example.jp",
                     issued_on="2026-03-31")


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    with issuing_runtime(tmp_path, publish=True) as runtime:
        yield runtime


def _issue(runtime: Runtime, learner: LearnerForm = HANAKO, batch: str = "2026-spring") -> str:
    return workspace.issue_one(runtime, actor=ISSUER, organisation=SLUG, programme_id=1,
                               version=None, learner=learner, batch=batch)


def test_the_programmes_offered_are_the_organisations_with_published_versions(
        runtime: Runtime) -> None:
    [choice] = workspace.issuing_programmes(runtime, actor=ISSUER, organisation=SLUG)
    assert (choice.programme_id, choice.versions) == (1, (1,))
    with pytest.raises(AccessDeniedError):
        workspace.issuing_programmes(runtime, actor=LEARNER, organisation=SLUG)


def test_one_learner_is_issued_once_however_often_the_form_is_sent(runtime: Runtime) -> None:
    first = _issue(runtime)
    assert _issue(runtime) == first
    detail = workspace.credential_detail(runtime, actor=ISSUER, organisation=SLUG,
                                         credential_id=first)
    assert detail.stored.learner == "hanako@example.jp"
    assert detail.stored.learner_name == "山田 花子 / Hanako Yamada"
    assert (detail.programme and detail.programme.programme_id, detail.version) == (1, 1)
    assert detail.verification_url.endswith("/verify/" + first)
    assert [entry.action for entry in detail.history] == ["issued"]


def test_the_newest_published_version_is_issued_while_the_next_is_a_draft(
        runtime: Runtime) -> None:
    """No version chosen: the newest published one, though a draft of the next exists (a
    provider editing the programme does not stop its issuing; issue 39's journeys)."""
    with runtime.transaction() as session:
        programme_store.update_programme(
            session, programme_id=1, programme=parse_programme(
                programme(learner_effort={"hours": 50})), publish=False, now=runtime.now())
    issued = _issue(runtime)
    detail = workspace.credential_detail(runtime, actor=ISSUER, organisation=SLUG,
                                         credential_id=issued)
    assert detail.version == 1


def test_a_form_with_a_bad_address_and_date_names_its_fields(runtime: Runtime) -> None:
    with pytest.raises(InputError) as raised:
        _issue(runtime, LearnerForm(name_en="X", email="not-an-email", issued_on="31/03"))
    assert [problem.location for problem in raised.value.problems] == ["email", "issued_on"]
    with pytest.raises(InputError) as raised:
        _issue(runtime, LearnerForm())
    assert [problem.location for problem in raised.value.problems] == ["learner"]


def test_a_programme_of_another_organisation_is_not_found(runtime: Runtime) -> None:
    with pytest.raises(NotFoundError):
        workspace.issue_one(runtime, actor=ISSUER, organisation=SLUG, programme_id=99,
                            version=None, learner=HANAKO, batch="b")
    with pytest.raises(AccessDeniedError):
        workspace.issue_one(runtime, actor=OTHER_ISSUER, organisation=SLUG, programme_id=1,
                            version=None, learner=HANAKO, batch="b")


def test_the_list_is_searched_and_filtered(runtime: Runtime) -> None:
    taro = _issue(runtime, LearnerForm(name_ja="鈴木 太郎", email="taro@example.jp"), "b1")
    hanako = _issue(runtime, HANAKO, "b2")
    workspace.change_status(runtime, actor=ISSUER, organisation=SLUG, credential_id=taro,
                            change=StatusChange.REVOKE, reason="issued in error")

    def ids(**search: object) -> list[str]:
        page = workspace.credential_list(runtime, actor=ISSUER, organisation=SLUG,
                                         search=CredentialSearch(**search))  # type: ignore[arg-type]
        return [item.credential_id for item in page.items]

    assert ids() == [hanako, taro]
    assert ids(text="TARO@") == [taro]
    assert ids(text="花子") == [hanako]
    assert ids(text=hanako) == [hanako]
    assert ids(text="%") == []
    assert ids(state="revoked") == [taro]
    assert ids(batch="b2") == [hanako]
    assert ids(programme_id=1) == [hanako, taro]
    page = workspace.credential_list(runtime, actor=ISSUER, organisation=SLUG,
                                     search=CredentialSearch(), page_size=1, number=9)
    assert (page.number, page.pages, page.total, page.batches) == (2, 2, 2, ["b1", "b2"])


def test_a_status_change_needs_a_reason_and_shows_in_the_history(runtime: Runtime) -> None:
    issued = _issue(runtime)
    with pytest.raises(InputError) as raised:
        workspace.change_status(runtime, actor=ISSUER, organisation=SLUG,
                                credential_id=issued, change=StatusChange.SUSPEND,
                                reason="  ")
    assert raised.value.problems[0].location == "reason"
    for change, reason in ((StatusChange.SUSPEND, "under review"),
                           (StatusChange.REINSTATE, "review done"),
                           (StatusChange.REVOKE, "plagiarism")):
        workspace.change_status(runtime, actor=ISSUER, organisation=SLUG,
                                credential_id=issued, change=change, reason=reason)
    with pytest.raises(ConflictError):
        workspace.change_status(runtime, actor=ISSUER, organisation=SLUG,
                                credential_id=issued, change=StatusChange.REINSTATE,
                                reason="again")
    detail = workspace.credential_detail(runtime, actor=ISSUER, organisation=SLUG,
                                         credential_id=issued)
    assert [(entry.action, entry.reason) for entry in detail.history] == [
        ("issued", None), ("suspend", "under review"), ("reinstate", "review done"),
        ("revoke", "plagiarism")]
    assert detail.changes == ()
    with pytest.raises(NotFoundError):
        workspace.change_status(runtime, actor=ISSUER, organisation="other",
                                credential_id=issued, change=StatusChange.SUSPEND,
                                reason="x")


def test_an_upload_with_a_bad_row_is_reported_and_only_its_good_rows_kept(
        runtime: Runtime) -> None:
    """The file as uploaded is not kept; the file of its good rows is, offered instead."""
    data = "email,name.ja\r\nhanako@example.jp,花子\r\nnot-an-email,太郎\r\n".encode("cp932")
    upload = web_cohorts.check_upload(runtime, actor=ISSUER, organisation=SLUG,
                                      programme_id=1, data=data, filename="c.csv")
    assert not upload.ok and upload.learners == 0
    assert [problem.location for problem in upload.problems] == [
        "c.csv: row 3, column A (email)"]
    assert upload.preview.rows[1] == (3, ("not-an-email", "太郎"))
    assert upload.good_learners == 1 and upload.bad_row_count == 1
    kept = sorted(path.stem for path in (runtime.settings.data_dir / "uploads").rglob("*.csv"))
    assert kept == [upload.good_digest] and upload.digest not in kept


def test_a_good_upload_is_kept_under_its_digest(runtime: Runtime) -> None:
    data = "\ufeffemail,name.ja\r\nhanako@example.jp,花子\r\n,\r\n".encode()
    upload = web_cohorts.check_upload(runtime, actor=ISSUER, organisation=SLUG,
                                      programme_id=1, data=data, filename="../../c.csv")
    assert upload.ok and upload.learners == 1 and upload.filename == "c.csv"
    kept = runtime.settings.data_dir / "uploads" / "cohorts" / SLUG / f"{upload.digest}.csv"
    assert kept.read_text(encoding="utf-8").startswith("email,name.ja")
    with pytest.raises(NotFoundError):
        web_cohorts.confirm_upload(runtime, actor=ISSUER, organisation=SLUG, programme_id=1,
                                   version=None, batch="b", securing="eddsa-rdfc-2022",
                                   language="ja", digest="../" + upload.digest)
    with pytest.raises(InputError):
        web_cohorts.confirm_upload(runtime, actor=ISSUER, organisation=SLUG, programme_id=1,
                                   version=None, batch=" ", securing="rot13",
                                   language="ja", digest=upload.digest)


def test_confirming_twice_starts_one_job(runtime: Runtime) -> None:
    """(As the console's operator: a job is filed under a user who exists, or none.)"""
    pytest.importorskip("credstack.services.jobs")
    data = b"email,name.en\nhanako@example.jp,Hanako\n"
    upload = web_cohorts.check_upload(runtime, actor=ActingAs(OPERATOR), organisation=SLUG,
                                      programme_id=1, data=data, filename="c.csv")
    started = [web_cohorts.confirm_upload(
        runtime, actor=ActingAs(OPERATOR), organisation=SLUG, programme_id=1, version=None,
        batch="2026-spring", securing="eddsa-rdfc-2022", language="ja",
        digest=upload.digest) for _ in range(2)]
    assert started[0].public_id == started[1].public_id


def test_a_batch_downloads_as_jsonl_zips_and_a_formula_safe_csv(runtime: Runtime) -> None:
    issued = [_issue(runtime, LearnerForm(name_en=name, email=f"{i}@example.jp"))
              for i, name in enumerate(["=HYPERLINK(\"x\")", "Taro"])]
    lines = b"".join(downloads.batch_jsonl(runtime, actor=ISSUER, organisation=SLUG,
                                           batch="2026-spring")).splitlines()
    assert [json.loads(line)["id"] for line in lines] == issued
    archive = zipfile.ZipFile(io.BytesIO(b"".join(downloads.batch_files(
        runtime, actor=ISSUER, organisation=SLUG, batch="2026-spring"))))
    assert sorted(archive.namelist()) == sorted(
        f"{credential.rsplit(':', 1)[1]}.json" for credential in issued)
    assert json.loads(archive.read(archive.namelist()[0]))["proof"]
    text = b"".join(downloads.batch_csv(runtime, actor=ISSUER, organisation=SLUG,
                                        batch="2026-spring")).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][2] == "'=HYPERLINK(\"x\")"
    with pytest.raises(AccessDeniedError):
        downloads.batch_jsonl(runtime, actor=LEARNER, organisation=SLUG, batch="2026-spring")


def test_the_pdfs_of_a_batch_leave_out_revoked_credentials(runtime: Runtime) -> None:
    kept, revoked = (_issue(runtime, LearnerForm(name_en=name, email=f"{name}@example.jp"))
                     for name in ("kept", "revoked"))
    workspace.change_status(runtime, actor=ISSUER, organisation=SLUG, credential_id=revoked,
                            change=StatusChange.REVOKE, reason="error")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(downloads.batch_pdfs(
        runtime, actor=ISSUER, organisation=SLUG, batch="2026-spring"))))
    assert archive.namelist() == [f"{kept.rsplit(':', 1)[1]}.pdf", "not-included.txt"]
    assert archive.read(archive.namelist()[0]).startswith(b"%PDF")
    assert revoked in archive.read("not-included.txt").decode()


def test_kept_files_are_forgotten_after_a_day(runtime: Runtime) -> None:
    old = web_cohorts.check_upload(runtime, actor=ISSUER, organisation=SLUG, programme_id=1,
                                   data=b"email\nold@example.jp\n", filename="old.csv")
    kept = runtime.settings.data_dir / "uploads" / "cohorts" / SLUG / f"{old.digest}.csv"
    day_ago = runtime.now().timestamp() - web_cohorts.KEEP_SECONDS - 60
    os.utime(kept, (day_ago, day_ago))
    web_cohorts.check_upload(runtime, actor=ISSUER, organisation=SLUG, programme_id=1,
                             data=b"email\nnew@example.jp\n", filename="new.csv")
    assert not kept.exists()
    with pytest.raises(NotFoundError):
        web_cohorts.confirm_upload(runtime, actor=ISSUER, organisation=SLUG, programme_id=1,
                                   version=None, batch="b", securing="eddsa-rdfc-2022",
                                   language="ja", digest=old.digest)
