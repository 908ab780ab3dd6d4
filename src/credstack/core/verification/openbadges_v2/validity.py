"""The issuer, validity, status and recipient steps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.verification.checks import (
    Refusal,
    failed,
    not_checked,
    passed,
    problem_dicts,
    refused,
)
from credstack.core.verification.openbadges_v2.graph import (
    BADGE,
    Ob2State,
    fetched,
    is_revoked,
    issuer_profile,
    node_id,
    not_an_assertion,
)
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, CheckKind, Notice

__all__ = ["check_issuer", "check_recipient", "check_status", "check_validity"]


def check_issuer(state: Ob2State) -> Check:
    """``issuer``: the issuer made this assertion — its hosting policy, or its key."""
    if state.document is None:
        return unread("issuer", BADGE)
    if state.kind != "Assertion" and state.jws is None:
        return not_an_assertion("issuer", state)
    proof = state.results.get("proof")
    if proof is not None and proof.ok is not True:
        return not_checked("issuer", "the proof did not pass, so the assertion's origin is "
                           "unknown", "証明が確認できないため、発行元が不明です")
    if is_revoked(state):
        return not_checked("issuer", "the assertion is revoked (a revoked assertion need not "
                           "name its badge)", "アサーションは取り消されています")
    if state.verification == "signed":
        if state.signer is None:
            return not_checked("issuer", "no key of the issuer verified the signature",
                               "発行者の鍵で署名を確認できませんでした")
        issuer = issuer_profile(state)
        return passed("issuer", f"signed with {state.signer}, a key the issuer "
                                f"{node_id(issuer)} lists in its profile",
                      f"発行者 {node_id(issuer)} がプロファイルに示す鍵 {state.signer} で"
                      "署名されています", issuer=node_id(issuer), key=state.signer)
    try:
        issuer = issuer_profile(state)
    except Refusal as refusal:
        return refused("issuer", Refusal(
            "unresolvable-issuer", f"the issuer cannot be read: {refusal.en}",
            f"発行者を読み取れません：{refusal.ja}", missing=refusal.missing,
            **refusal.details))
    assertion_id = state.document.get("id")
    assert isinstance(assertion_id, str)
    reason, notes = ob2.hosted_policy_problem(assertion_id, issuer.document,
                                              issuer_location=issuer.location)
    notices = [Notice("issuer-origin", note, "発行者の id が HTTP の URL ではないため、"
                      "プロファイルの取得元をオリジンとしました") for note in notes]
    issuer_id = node_id(issuer)
    if reason is not None:
        return failed("issuer", "verification-policy",
                      f"the issuer {issuer_id} does not vouch for this assertion: {reason}",
                      f"発行者 {issuer_id} の検証ポリシーの範囲外で公開されたアサーションです",
                      warnings=notices, issuer=issuer_id, assertion=assertion_id)
    return passed("issuer", f"hosted within the verification policy of its issuer, {issuer_id}",
                  f"発行者 {issuer_id} の検証ポリシーの範囲内で公開されています",
                  warnings=notices, issuer=issuer_id)


def check_validity(state: Ob2State) -> Check:
    """``validity``: ``issuedOn`` not in the future, ``expires`` not passed (nor before it)."""
    document = state.document
    if document is None:
        return unread("validity", BADGE)
    if state.kind != "Assertion":
        return not_an_assertion("validity", state)
    if is_revoked(state) and "issuedOn" not in document:
        return not_checked("validity", "the assertion is revoked", "取り消し済みです")
    issued = ob2.parse_datetime(document.get("issuedOn"))
    if issued is None:
        return failed("validity", "invalid-date", f"issuedOn {document.get('issuedOn')!r} is "
                                                  "not a date-time with a time zone",
                      "issuedOn が日時ではありません", field="issuedOn")
    shown: dict[str, Any] = {"now": state.now.isoformat(), "issuedOn": document["issuedOn"]}
    if issued > state.now:
        return failed("validity", "not-yet-valid",
                      f"the assertion says it is issued on {document['issuedOn']}, in the "
                      "future", f"発行日（{document['issuedOn']}）が未来の日時です", **shown)
    if document.get("expires") is None:
        return passed("validity", f"issued on {document['issuedOn']}; it does not expire",
                      f"{document['issuedOn']} に発行され、有効期限はありません", **shown)
    expires = ob2.parse_datetime(document["expires"])
    shown["expires"] = document["expires"]
    if expires is None:
        return failed("validity", "invalid-date", f"expires {document['expires']!r} is not a "
                                                  "date-time with a time zone",
                      "expires が日時ではありません", field="expires", **shown)
    if expires < issued:
        return failed("validity", "expires-before-issued",
                      f"the assertion expires ({document['expires']}) before it was issued "
                      f"({document['issuedOn']})", "発行日より前に有効期限が切れています",
                      **shown)
    if expires <= state.now:
        return failed("validity", "expired", f"the assertion expired on {document['expires']}",
                      f"有効期限（{document['expires']}）が過ぎています", **shown)
    return passed("validity", f"issued on {document['issuedOn']}, valid until "
                              f"{document['expires']}",
                  f"{document['issuedOn']} に発行、{document['expires']} まで有効", **shown)


def check_status(state: Ob2State) -> Check:
    """``status``: not revoked — the hosted ``revoked`` flag, the issuer's RevocationList."""
    document = state.document
    if document is None:
        return unread("status", BADGE)
    if state.kind != "Assertion":
        return not_an_assertion("status", state)
    if is_revoked(state):
        reason = document.get("revocationReason")
        because = f": {reason}" if isinstance(reason, str) and reason else ""
        return failed("status", "revoked", f"the assertion has been revoked by its "
                                           f"issuer{because}",
                      f"このアサーションは発行者により取り消されています{because}",
                      reason=reason)
    proof = state.results.get("proof")
    if proof is not None and proof.ok is not True:
        return not_checked("status", "the proof did not pass, so the issuer's revocation list "
                           "is not fetched",
                           "証明が確認できないため、失効リストを取得していません")
    try:
        issuer = issuer_profile(state)
    except Refusal as refusal:
        return refused("status", Refusal(
            "status-unavailable", f"the issuer cannot be read, so neither can its revocation "
                                  f"list: {refusal.en}",
            f"発行者を読み取れないため、失効リストを確認できません：{refusal.ja}",
            missing=refusal.missing))
    reference = issuer.document.get("revocationList")
    hosted = state.verification == "hosted"
    if reference is None:
        en = ("not revoked: its issuer serves it without revoked: true" if hosted
              else "not revoked: the issuer publishes no revocation list")
        ja = ("取り消されていません（発行者が revoked: true なしで公開しています）" if hosted
              else "取り消されていません（発行者は失効リストを公開していません）")
        return passed("status", en, ja, code="no-revocation-list")
    try:
        if isinstance(reference, Mapping):
            revocation_list: Mapping[str, Any] = reference
            url = str(reference.get("id", ""))
        else:
            url = str(reference)
            revocation_list = fetched(state, reference, "the revocation list",
                                      "失効リスト").document
    except Refusal as refusal:
        return refused("status", Refusal(
            "status-unavailable", f"the revocation list cannot be read, so revocation cannot "
                                  f"be ruled out: {refusal.en}",
            f"失効リストを読み取れないため、失効していないことを確認できません：{refusal.ja}",
            missing=refusal.missing, **refusal.details))
    errors, _ = ob2.validate(revocation_list, "RevocationList")
    if errors:
        return failed("status", "malformed-revocation-list",
                      f"the revocation list {url} is not a RevocationList: {errors[0]}",
                      f"失効リスト {url} の形式が正しくありません",
                      problems=problem_dicts(errors))
    assertion_id = document.get("id")
    uid = document.get("uid")
    entry = ob2.revocation_entry(revocation_list, str(assertion_id),
                                 uid if isinstance(uid, str) else None)
    if entry is not None:
        reason = entry.get("revocationReason")
        because = f": {reason}" if isinstance(reason, str) and reason else ""
        return failed("status", "revoked", f"the assertion is revoked in the issuer's "
                                           f"revocation list {url}{because}",
                      f"このアサーションは発行者の失効リスト {url} で取り消されています{because}",
                      list=url, reason=reason)
    return passed("status", f"not revoked (checked the issuer's revocation list {url})",
                  f"取り消されていません（失効リスト {url} を確認しました）", list=url)


def check_recipient(state: Ob2State) -> Check:
    """``recipient``: when one is given, the assertion was awarded to it (§IdentityObject)."""
    document = state.document
    if document is None:
        return unread("recipient", BADGE)
    if state.kind != "Assertion":
        return not_an_assertion("recipient", state)
    if state.recipient is None:
        return Check("recipient", None, "not compared: no recipient was given (an e-mail "
                                        "address, a URL …) to compare with the assertion's",
                     "受領者は照合していません（照合するメールアドレス等が指定されていません）",
                     {}, code="not-requested", kind=CheckKind.INFO)
    recipient = document.get("recipient")
    if not isinstance(recipient, Mapping):
        return not_checked("recipient", "the assertion names no recipient",
                           "アサーションに受領者がありません")
    kind = recipient.get("type")
    hashed = recipient.get("hashed") is True
    details: dict[str, Any] = {"type": kind, "hashed": hashed}
    if ob2.recipient_matches(recipient, state.recipient):
        return passed("recipient", f"awarded to the recipient given ({kind}"
                                   f"{', hashed with a salt' if hashed else ''})",
                      "指定された受領者に授与されています", **details)
    return failed("recipient", "recipient-mismatch",
                  f"the assertion was not awarded to the recipient given (its {kind} identity "
                  "does not match)", "指定された受領者には授与されていません", **details)
