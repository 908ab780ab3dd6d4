"""The proof step: a hosted assertion found where it says it is hosted, a signed one's JWS
verified with its issuer's key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.verification.checks import Refusal, failed, passed, refused
from credstack.core.verification.json_values import items
from credstack.core.verification.openbadges_v2.graph import (
    BADGE,
    Node,
    Ob2State,
    fetched,
    is_revoked,
    issuer_profile,
    node_id,
    not_an_assertion,
)
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, Notice
from credstack.errors import MalformedCredentialError, SignatureError

__all__ = ["check_proof"]


def _hosted_proof(state: Ob2State) -> Check:
    assert state.document is not None
    given = state.document
    assertion_id = given.get("id")
    state.verification = "hosted"
    if not ob2.is_http_url(assertion_id):
        return failed("proof", "not-hosted", "a hosted assertion's id must be the http(s) URL "
                                             f"it is served at, not {assertion_id!r}",
                      "ホスト型アサーションの id は公開先の http(s) URL でなければなりません")
    try:
        node = fetched(state, assertion_id, "the hosted assertion", "ホスト型アサーション")
    except Refusal as refusal:
        if refusal.code == "not-found":
            return failed("proof", "gone",
                          f"its issuer no longer serves the assertion at {assertion_id} (HTTP "
                          "404 or 410): it was revoked or removed",
                          f"発行者は {assertion_id} でこのアサーションを公開していません"
                          "（HTTP 404 または 410：取り消しまたは削除）", url=assertion_id)
        return refused("proof", refusal)
    served = node.document
    if served.get("id") != assertion_id:
        return failed("proof", "id-mismatch",
                      f"the document served at {assertion_id} is another assertion "
                      f"({served.get('id')!r})",
                      f"{assertion_id} で公開されている文書は別のアサーションです",
                      url=assertion_id)
    notices = list(node.notices)
    if served != given and state.source != assertion_id:
        notices.append(Notice("hosted-copy-differs",
                              "the copy given differs from the one its issuer serves; the "
                              "served one is what was verified",
                              "渡された内容は発行者が公開している内容と異なります。公開されて"
                              "いる内容を検証しました"))
    state.document = dict(served)
    state.kind = ob2.class_of(state.document)
    return passed("proof", f"hosted verification: its issuer serves the assertion at "
                           f"{assertion_id}",
                  f"ホスト型の検証：発行者が {assertion_id} でアサーションを公開しています",
                  code="hosted", warnings=notices, url=assertion_id)


def _candidate_keys(state: Ob2State) -> tuple[Node, list[str | Mapping[str, Any]]]:
    issuer = issuer_profile(state)
    if issuer.location is None:
        raise Refusal("unverifiable-issuer",
                      "the issuer's profile is embedded and has no http(s) id to fetch it "
                      "from, so the keys it lists cannot be trusted",
                      "発行者プロファイルが埋め込まれており取得元がないため、鍵を信頼できません")
    listed: list[str | Mapping[str, Any]] = [
        item for item in items(issuer.document.get("publicKey"))
        if isinstance(item, str) or (isinstance(item, Mapping) and isinstance(item.get("id"), str))]
    ids = [item if isinstance(item, str) else item["id"] for item in listed]
    assert state.document is not None
    verification = state.document.get("verification", state.document.get("verify"))
    creator = verification.get("creator") if isinstance(verification, Mapping) else None
    if isinstance(creator, Mapping):
        creator = creator.get("id")
    issuer_id = node_id(issuer)
    if isinstance(creator, str):
        if creator not in ids:
            raise Refusal("unauthorized-key",
                          f"the assertion names the key {creator}, which its issuer "
                          f"{issuer_id} does not list in its profile (publicKey)",
                          f"アサーションが示す鍵 {creator} は発行者 {issuer_id} のプロファイル"
                          "（publicKey）に記載されていません", key=creator, issuer=issuer_id)
        return issuer, [listed[ids.index(creator)]]
    if not listed:
        raise Refusal("no-key", f"the issuer {issuer_id} lists no public key (publicKey), so "
                                 "the signature cannot be checked",
                      f"発行者 {issuer_id} は公開鍵（publicKey）を示していないため、署名を確認"
                      "できません", issuer=issuer_id)
    return issuer, listed


def _key_pem(state: Ob2State, key: str | Mapping[str, Any], issuer: Node) -> tuple[str, str]:
    """(key id, PEM) of one of the issuer's keys: embedded in its profile, or fetched."""
    issuer_id = node_id(issuer)
    if isinstance(key, Mapping):
        document, key_id = key, str(key["id"])
    else:
        document, key_id = fetched(state, key, "the key", "鍵").document, key
        owner = document.get("owner")
        if owner is not None and owner not in {issuer_id, issuer.location}:
            raise Refusal("key-owner", f"the key {key_id} belongs to {owner!r}, not to the "
                                        f"issuer {issuer_id}",
                          f"鍵 {key_id} の所有者は {owner!r} で、発行者 {issuer_id} では"
                          "ありません", key=key_id, owner=owner)
    pem = document.get("publicKeyPem")
    if not isinstance(pem, str):
        raise Refusal("no-public-key", f"the key {key_id} has no publicKeyPem",
                      f"鍵 {key_id} に publicKeyPem がありません", key=key_id)
    return key_id, pem


def _signed_proof(state: Ob2State) -> Check:
    jws = state.jws
    assert jws is not None
    state.verification = "signed"
    alg = jws.header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        return failed("proof", "unsecured-jwt",
                      f"an unsecured JWS (alg: {alg!r}) is never accepted: it has no signature",
                      "署名のない JWS（alg: none）は受け付けません", alg=alg)
    if alg not in ob2.ACCEPTED_ALGORITHMS:
        return failed("proof", "unsupported-algorithm",
                      f"the JWS algorithm {alg!r} is not accepted (Open Badges 2.0 recommends "
                      f"RS256; credstack accepts {', '.join(ob2.ACCEPTED_ALGORITHMS)})",
                      f"JWS のアルゴリズム {alg!r} は受け付けません", alg=alg)
    try:
        issuer, candidates = _candidate_keys(state)
    except Refusal as refusal:
        if refusal.missing is None and refusal.code in {
                "not-found", "unreachable", "not-fetchable", "not-json", "foreign-id",
                "no-badge", "no-issuer", "not-an-object"}:
            return failed("proof", "unresolvable-key",
                          f"the signing key cannot be determined: {refusal.en}",
                          f"署名の鍵を特定できません：{refusal.ja}", **refusal.details)
        return refused("proof", refusal)
    failures: list[Refusal] = []
    for candidate in candidates:
        try:
            key_id, pem = _key_pem(state, candidate, issuer)
            ob2.verify_jws(jws, pem)
        except Refusal as refusal:
            failures.append(refusal)
        except SignatureError:
            failures.append(Refusal(
                "signature", "the signature does not verify: the badge was changed after it "
                             "was signed, or it was signed with another key",
                "署名が一致しません。署名後に内容が変更されたか、別の鍵で署名されています"))
        except MalformedCredentialError as exc:
            failures.append(Refusal("key-mismatch" if "needs" in exc.message else "bad-key",
                                    f"the key cannot check this signature: {exc.message}",
                                    f"この鍵では署名を確認できません：{exc.message}"))
        else:
            state.signer = key_id
            warnings = [Notice("not-rs256", f"signed with {alg}: Open Badges 2.0 recommends "
                                            "RS256, and the 1EdTech validator accepts nothing "
                                            "else", f"{alg} で署名されています（Open Badges 2.0 "
                                            "の推奨は RS256 です）")] if alg != "RS256" else []
            return passed("proof", f"the JWS signature ({alg}) verifies with {key_id}, a key "
                                   f"of the issuer {node_id(issuer)}",
                          f"JWS の署名（{alg}）を発行者 {node_id(issuer)} の鍵 {key_id} で"
                          "確認しました", code="signed", warnings=warnings, key=key_id,
                          issuer=node_id(issuer), alg=alg)
    chosen = next((f for f in failures if f.code == "signature"),
                  next((f for f in failures if f.missing is None), failures[0]))
    return refused("proof", chosen)


def check_proof(state: Ob2State) -> Check:
    """``proof``: hosted — the copy its issuer serves; signed — the JWS signature."""
    if state.document is None:
        return unread("proof", BADGE)
    if state.jws is not None:
        return _signed_proof(state)
    if state.kind != "Assertion":
        return not_an_assertion("proof", state)
    kind = ob2.verification_type(state.document)
    if kind is None and is_revoked(state):
        # A revoked hosted assertion may be stripped to its id and revoked flag (§Assertion):
        # whether its issuer says so is still read from its id.
        kind = "hosted"
    if kind == "hosted":
        return _hosted_proof(state)
    if kind == "signed":
        state.verification = "signed"
        return failed("proof", "missing-signature",
                      "the assertion declares SignedBadge verification but came without its "
                      "signature: give the signed badge (its compact JWS) to check it",
                      "署名型（SignedBadge）のアサーションですが署名がありません。JWS を"
                      "渡してください")
    return failed("proof", "unknown-verification",
                  "the assertion declares neither HostedBadge nor SignedBadge verification, so "
                  "there is no way to check that its issuer made it",
                  "検証方法（HostedBadge または SignedBadge）が指定されていません")
