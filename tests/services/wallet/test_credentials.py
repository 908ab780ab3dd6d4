"""The wallet's credentials: imported whatever their format, verified, kept byte for byte,
refused when they are someone else's or not a credential, delivered when issued here,
re-checked when shown."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.core.access.actors import operator_principal
from credstack.core.status.changes import StatusChange
from credstack.core.verification.verdict import Outcome
from credstack.errors import (
    AccessDeniedError,
    HostileUploadError,
    InputTooLargeError,
    NotFoundError,
    RecipientMismatchError,
    UnreadableInputError,
    UnsupportedMediaError,
)
from credstack.services.audit import service as audit
from credstack.services.badges.service import bake
from credstack.services.issuance.status import change_status
from credstack.services.wallet import credentials as wallet
from credstack.services.wallet import holders
from credstack.testing import ActingAs
from credstack.words import error_words
from tests.services.issuance.test_credentials import ISSUER
from tests.services.wallet.wallets import (
    HANAKO_EMAIL,
    TARO_EMAIL,
    Wallets,
    issue_to,
    wallet_runtime,
)


@pytest.fixture
def wallets(tmp_path: Path) -> Iterator[Wallets]:
    with wallet_runtime(tmp_path) as found:
        yield found


def test_a_credential_issued_to_the_learner_is_kept_verified_and_byte_exact(wallets: Wallets
                                                                           ) -> None:
    [document] = issue_to(wallets, HANAKO_EMAIL)
    data = document.encode()
    imported = wallet.import_credential(wallets.runtime, actor=wallets.hanako, data=data,
                                        filename="badge.json")
    assert imported.created
    item = imported.item
    assert item.outcome is Outcome.VERIFIED and item.failed_check is None
    assert item.failed_reason is None
    assert item.recipient == f"email:{HANAKO_EMAIL}"
    assert item.media_type == "application/json" and item.kind == "vc"
    assert item.entry.title and item.entry.issued is not None
    original, _ = wallet.original(wallets.runtime, actor=wallets.hanako,
                                  public_id=item.public_id)
    assert original == data
    again = wallet.import_credential(wallets.runtime, actor=wallets.hanako, data=data)
    assert not again.created and again.item.public_id == item.public_id


def test_someone_elses_credential_is_refused_and_nothing_is_stored(wallets: Wallets) -> None:
    [document] = issue_to(wallets, TARO_EMAIL)
    with pytest.raises(RecipientMismatchError) as caught:
        wallet.import_credential(wallets.runtime, actor=wallets.hanako, data=document.encode())
    assert "someone else" in error_words(caught.value, "en")
    assert any("credentialSubject" in problem.location for problem in caught.value.problems)
    assert wallet.record(wallets.runtime, actor=wallets.hanako).items == ()


def test_adding_the_identifier_it_names_makes_it_importable_and_removing_it_keeps_it(
        wallets: Wallets) -> None:
    [document] = issue_to(wallets, "hanako.work@example.jp")
    holders.add_identifier(wallets.runtime, actor=wallets.hanako, kind="email",
                           value="Hanako.Work@example.jp")
    item = wallet.import_credential(wallets.runtime, actor=wallets.hanako,
                                    data=document.encode()).item
    assert item.recipient == "email:hanako.work@example.jp"
    holders.remove_identifier(wallets.runtime, actor=wallets.hanako, kind="email",
                              value="hanako.work@example.jp")
    assert [kept.public_id for kept in
            wallet.record(wallets.runtime, actor=wallets.hanako).items] == [item.public_id]


def test_a_tampered_credential_is_kept_as_given_marked_with_the_failed_check(wallets: Wallets
                                                                            ) -> None:
    [document] = issue_to(wallets, HANAKO_EMAIL)
    tampered = json.loads(document)
    tampered["credentialSubject"]["achievement"]["name"] = "Something else"
    data = json.dumps(tampered, ensure_ascii=False).encode()
    item = wallet.import_credential(wallets.runtime, actor=wallets.hanako, data=data).item
    assert item.outcome is Outcome.NOT_VERIFIED and item.failed_check == "proof"
    assert item.failed_reason == "altered"
    assert wallet.original(wallets.runtime, actor=wallets.hanako,
                           public_id=item.public_id)[0] == data
    record = wallet.record(wallets.runtime, actor=wallets.hanako)
    assert record.totals.count == 0  # an unverified credential never counts


@pytest.mark.parametrize(("data", "error"), [
    (b"", UnreadableInputError),
    (b"   \n", UnreadableInputError),
    (b"not a credential", UnsupportedMediaError),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
     HostileUploadError),
    (b'{"a": 1}', UnreadableInputError),
    (b"{" * 5, UnreadableInputError),
    (b" " + b"x" * wallet.MAX_IMPORT_BYTES, InputTooLargeError),
])
def test_what_is_not_a_credential_is_refused_with_its_reason(wallets: Wallets, data: bytes,
                                                             error: type[Exception]) -> None:
    with pytest.raises(error):
        wallet.import_credential(wallets.runtime, actor=wallets.hanako, data=data)
    assert wallet.record(wallets.runtime, actor=wallets.hanako).items == ()


def test_what_is_issued_here_is_delivered_and_not_again_once_removed(wallets: Wallets) -> None:
    issue_to(wallets, HANAKO_EMAIL, TARO_EMAIL)
    record = wallet.record(wallets.runtime, actor=wallets.hanako)
    [item] = record.items
    assert item.source == "issued" and item.outcome is Outcome.VERIFIED
    assert record.totals.count == 1 and record.totals.hours > 0
    wallet.remove(wallets.runtime, actor=wallets.hanako, public_id=item.public_id)
    assert wallet.record(wallets.runtime, actor=wallets.hanako).items == ()
    assert len(wallet.record(wallets.runtime, actor=wallets.taro).items) == 1


def test_what_is_issued_here_and_imported_by_hand_is_not_delivered_once_removed(
        wallets: Wallets) -> None:
    """The learner's own copy (the same credential as a baked image, then as JSON), removed:
    the credential is not brought back by delivery."""
    [document] = issue_to(wallets, HANAKO_EMAIL)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    for data in (bake(svg, document), document.encode()):
        item = wallet.import_credential(wallets.runtime, actor=wallets.hanako, data=data).item
        wallet.remove(wallets.runtime, actor=wallets.hanako, public_id=item.public_id)
    assert wallet.record(wallets.runtime, actor=wallets.hanako).items == ()


def test_an_awarded_credential_naming_another_address_is_delivered_once(
        wallets: Wallets) -> None:
    """A credential issued to an address the learner does not hold (an LMS's, before they
    linked it) is delivered when named by id, its recipient noted; the address does not
    become theirs (another credential issued to it stays out), and once removed it is not
    delivered again."""
    awarded = "lms.address@students.example.ac.jp"
    first, other = (json.loads(document)["id"] for document in
                    (issue_to(wallets, awarded)[0], issue_to(wallets, awarded, batch="b")[0]))
    user_id = wallets.hanako.principal.user_id  # type: ignore[union-attr]
    assert wallet.deliver_awarded(wallets.runtime, user_id=user_id, subject="user:hanako",
                                  credential_ids=[first]) == 1
    [item] = wallet.record(wallets.runtime, actor=wallets.hanako).items
    assert item.credential_id == first and item.source == "issued"
    assert item.recipient == f"email:{awarded}" and item.outcome is Outcome.VERIFIED
    assert other != first
    assert wallet.deliver_awarded(wallets.runtime, user_id=user_id, subject="user:hanako",
                                  credential_ids=[first]) == 0
    wallet.remove(wallets.runtime, actor=wallets.hanako, public_id=item.public_id)
    assert wallet.deliver_awarded(wallets.runtime, user_id=user_id, subject="user:hanako",
                                  credential_ids=[first]) == 0
    assert wallet.record(wallets.runtime, actor=wallets.hanako).items == ()


def test_a_revoked_credential_shows_so_when_checked_again(wallets: Wallets) -> None:
    [document] = issue_to(wallets, HANAKO_EMAIL)
    item = wallet.import_credential(wallets.runtime, actor=wallets.hanako,
                                    data=document.encode()).item
    change_status(wallets.runtime, actor=ISSUER, credential_id=json.loads(document)["id"],
                  changes=[StatusChange.REVOKE])
    checked, report = wallet.check(wallets.runtime, actor=wallets.hanako,
                                   public_id=item.public_id)
    assert checked.outcome is Outcome.NOT_VERIFIED and checked.failed_check == "status"
    assert checked.failed_reason == "revoked"
    assert not report.ok
    assert wallet.import_report(wallets.runtime, actor=wallets.hanako,
                                public_id=item.public_id)["verified"] is True



def test_the_programmes_recognition_is_in_the_record_and_a_withdrawal_shows_once_checked(
        wallets: Wallets) -> None:
    """The record says whether the programme is recognised, as of the latest check: granted
    at import, withdrawn since — the credential still verifies, and says so."""
    from credstack.services.recognitions import service as recognitions
    from tests.accounts import add_issuer
    from tests.services.recognitions.test_service import BODY, VALID_FROM, VALID_UNTIL

    runtime = wallets.runtime
    [document] = issue_to(wallets, HANAKO_EMAIL)
    item = wallet.import_credential(runtime, actor=wallets.hanako, data=document.encode()).item
    assert item.entry.recognition == "none"
    with runtime.transaction() as session:
        add_issuer(session, now=runtime.now(), secret=runtime.key(), document=BODY)
        recognitions.grant(
            session, signer_secret=runtime.key(), settings=runtime.settings,
            recognition_body=BODY["slug"], programme_id=wallets.programme_id, version=1,
            application="app_abcdefgh", decision_number="R-2026-0007", outcome="recognised",
            conditions="", reasons="Meets every criterion.", valid_from=VALID_FROM,
            valid_until=VALID_UNTIL, now=runtime.now())
    checked, _ = wallet.check(runtime, actor=wallets.hanako, public_id=item.public_id)
    assert checked.entry.recognition == "valid"
    with runtime.transaction() as session:
        recognitions.withdraw(session, recognition="R-2026-0007",
                              reason="Conditions not met.", now=runtime.now())
    [listed] = wallet.record(runtime, actor=wallets.hanako).items
    assert listed.entry.recognition == "valid"  # the record is read, not verified again
    checked, _ = wallet.check(runtime, actor=wallets.hanako, public_id=item.public_id)
    assert checked.entry.recognition == "withdrawn" and checked.outcome is not Outcome.NOT_VERIFIED
    [listed] = wallet.record(runtime, actor=wallets.hanako).items
    assert listed.entry.recognition == "withdrawn"

def test_a_wallet_is_its_owners_alone(wallets: Wallets) -> None:
    [document] = issue_to(wallets, HANAKO_EMAIL)
    item = wallet.import_credential(wallets.runtime, actor=wallets.hanako,
                                    data=document.encode()).item
    for attempt in (wallet.credential, wallet.original, wallet.check, wallet.remove):
        with pytest.raises(NotFoundError):
            attempt(wallets.runtime, actor=wallets.taro, public_id=item.public_id)
    operator = ActingAs(operator_principal("admin"))
    with pytest.raises(AccessDeniedError):
        wallet.record(wallets.runtime, actor=operator)


def test_tags_and_notes_are_kept_and_checked(wallets: Wallets) -> None:
    [document] = issue_to(wallets, HANAKO_EMAIL)
    item = wallet.import_credential(wallets.runtime, actor=wallets.hanako,
                                    data=document.encode()).item
    updated = wallet.update(wallets.runtime, actor=wallets.hanako, public_id=item.public_id,
                            tags=["data", " data ", "統計"], note="For my application")
    assert updated.tags == ("data", "統計") and updated.note == "For my application"
    tagged = wallet.record(wallets.runtime, actor=wallets.hanako, tag="統計")
    assert [found.public_id for found in tagged.items] == [item.public_id]
    with pytest.raises(Exception) as refused:
        wallet.update(wallets.runtime, actor=wallets.hanako, public_id=item.public_id,
                      tags=["x" * 65])
    assert "tags" in error_words(refused.value, "en")


def test_every_change_is_in_the_audit_log(wallets: Wallets) -> None:
    [document] = issue_to(wallets, HANAKO_EMAIL)
    item = wallet.import_credential(wallets.runtime, actor=wallets.hanako,
                                    data=document.encode()).item
    wallet.remove(wallets.runtime, actor=wallets.hanako, public_id=item.public_id)
    with wallets.runtime.sessions() as session:
        actions = [entry.action for entry in audit.entries(session, limit=50)]
        assert audit.verify(session, wallets.runtime.key()).ok
    assert {"wallet.credential.imported", "wallet.credential.removed"} <= set(actions)
