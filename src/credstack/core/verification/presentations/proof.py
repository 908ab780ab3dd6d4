"""The contexts and proof steps: the holder's Data Integrity proof for authentication."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from credstack.core.crypto import PublicKey
from credstack.core.proofs import CRYPTOSUITES, verify_data_integrity
from credstack.core.verification import json_values, methods
from credstack.core.verification.checks import Refusal as _Refusal
from credstack.core.verification.checks import failed as _failed
from credstack.core.verification.checks import passed as _passed
from credstack.core.verification.checks import problem_dicts as _problems
from credstack.core.verification.checks import refused as _refused
from credstack.core.verification.json_values import credstack_cause as _credstack_cause
from credstack.core.verification.json_values import items as _items
from credstack.core.verification.methods import UnresolvableMethodError as _UnresolvableMethodError
from credstack.core.verification.methods import is_supported as _supported
from credstack.core.verification.pipeline import Signer, VerificationKey
from credstack.core.verification.presentations.seams import (
    AUTHENTICATION,
    PresentationState,
    _unread,
)
from credstack.core.verification.report import Check, Notice
from credstack.errors import (
    CredstackError,
    SignatureError,
    UndefinedTermError,
    UnknownContextError,
)


def check_contexts(state: PresentationState) -> Check:
    """``contexts``: every JSON-LD context, the credentials' included, is one the loader holds.

    The presentation's proof covers the credentials in it, so their contexts matter to it too.
    """
    if state.presentation is None:
        return _unread("contexts")
    urls: dict[str, None] = {}
    for node in json_values.walk(state.presentation):
        if "@context" in node:
            for item in _items(node["@context"]):
                if isinstance(item, str):
                    urls[item] = None
    unknown = []
    for url in urls:
        try:
            state.document_loader(url, {})
        except CredstackError:
            unknown.append(url)
    if unknown:
        names = ", ".join(unknown[:3]) + (f" and {len(unknown) - 3} more"
                                          if len(unknown) > 3 else "")
        return _failed(
            "contexts", "unknown-context",
            f"unknown JSON-LD context{'s' if len(unknown) > 1 else ''} {names}: credstack never "
            "fetches contexts, so a presentation that needs one cannot be read safely",
            f"未知の JSON-LD コンテキストがあります：{names}（credstack はコンテキストを"
            "ネットワークから取得しません）", unknown=unknown, contexts=list(urls))
    return _passed("contexts", f"all {len(urls)} JSON-LD contexts are known",
                   f"JSON-LD コンテキスト {len(urls)} 件はすべて既知です", contexts=list(urls))


def _resolve(state: Any, method: object) -> tuple[VerificationKey, str]:
    return methods.resolve(state.methods, state.resolve_verification_method, method)


def _public_key(state: Any, method: str) -> PublicKey:
    return methods.public_key(state.methods, state.resolve_verification_method, method)


def _proof_refusal(error: CredstackError) -> _Refusal:
    """A proof-level error as the failed verdict it is, with a precise code and reason."""
    problems = _problems(error.problems)
    if isinstance(error, _UnresolvableMethodError):
        return _Refusal("unresolvable-method", error.message,
                        f"検証方法（鍵）{error.method} を解決できません", problems=problems)
    if isinstance(error, SignatureError):
        return _Refusal(
            "signature",
            "the signature does not verify: the presentation (or a credential in it) was "
            f"changed after it was signed, or it was signed with another key ({error.message})",
            "署名が一致しません。署名後にプレゼンテーション（または含まれる証明書）が変更されたか、"
            "別の鍵で署名されています", problems=problems)
    if isinstance(error, UnknownContextError):
        return _Refusal("unknown-context", error.message,
                        f"未知の JSON-LD コンテキストがあります：{error.message}",
                        problems=problems)
    if isinstance(error, UndefinedTermError):
        term = error.problems[0].location if error.problems else "?"
        return _Refusal("undefined-term",
                        f"{error.message}; JSON-LD would drop it silently, so the signature "
                        "would not cover it",
                        f"JSON-LD で定義されていない用語 {term!r} があります。署名の対象から"
                        "外れるため、受け付けません", term=term, problems=problems)
    detail = "; ".join([error.message, *(str(problem) for problem in error.problems)])
    return _Refusal("malformed-proof", f"the proof cannot be checked: {detail}",
                    f"証明の形式が正しくありません：{detail}", problems=problems)


def _secure(presentation: Mapping[str, Any], state: PresentationState
            ) -> tuple[tuple[Mapping[str, Any], Signer], ...]:
    proofs = _items(presentation["proof"])
    if not proofs:
        raise _Refusal("missing-proof", "the presentation's proof set is empty",
                       "プレゼンテーションの証明（署名）が空です")
    for index, proof in enumerate(proofs):
        where = "proof" if len(proofs) == 1 else f"proof[{index}]"
        if not isinstance(proof, Mapping) or not isinstance(proof.get("type"), str):
            raise _Refusal("malformed-proof", f"{where} is not a proof object with a type",
                           f"{where} は type を持つ証明オブジェクトではありません")
    supported = [proof for proof in proofs if _supported(proof)]
    if not supported:
        found = ", ".join(f"{p.get('type')}" + (f" / {p.get('cryptosuite')}"
                                                if "cryptosuite" in p else "") for p in proofs)
        raise _Refusal(
            "unsupported-proof",
            f"no proof uses a suite credstack verifies ({', '.join(sorted(CRYPTOSUITES))}); "
            f"found {found}", f"credstack が検証できる方式の証明がありません（{found}）")
    for proof in supported:
        purpose = proof.get("proofPurpose")
        if purpose != AUTHENTICATION:
            raise _Refusal(
                "proof-purpose",
                f"the proof's purpose is {purpose!r}, not {AUTHENTICATION!r}: a presentation is "
                "signed by its holder to authenticate, and a proof made for another purpose "
                "(an issuer's assertionMethod) must not stand in for that",
                f"証明の目的（proofPurpose）が {purpose!r} です。プレゼンテーションの証明は "
                f"{AUTHENTICATION!r} でなければなりません", found=purpose)
    result = verify_data_integrity(
        presentation, resolve_key=lambda method: _public_key(state, method),
        document_loader=state.document_loader, expected_purpose=AUTHENTICATION,
        skip_unsupported=True)
    signed = []
    for proof, verified in zip(supported, result.proofs, strict=True):
        expires = proof.get("expires")
        if isinstance(expires, str) and _before(expires, state.now):
            raise _Refusal("proof-expired", f"the proof expired at {expires}",
                           f"証明の有効期限（{expires}）が過ぎています", expires=expires)
        controller = _resolve(state, verified.verification_method)[1]
        signed.append((proof, Signer(verified.verification_method, controller,
                                     verified.cryptosuite, verified.created)))
    return tuple(signed)


def _before(moment: str, now: dt.datetime) -> bool:
    """Whether the XML Schema dateTime ``moment`` is before ``now`` (UTC when it has no zone)."""
    try:
        parsed = dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except ValueError:
        return False
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed < now


def check_proof(state: PresentationState) -> Check:
    """``proof``: the holder's Data Integrity proof verifies, for ``authentication``.

    A presentation without a proof passes, with a warning, only when no challenge was asked
    for: nothing then binds it to its holder, and a verifier that needs that asks a challenge.
    """
    presentation = state.presentation
    if presentation is None:
        return _unread("proof")
    if presentation.get("proof") is None:
        if state.challenge is not None:
            return _failed("proof", "missing-proof",
                           "a challenge was given but the presentation has no proof, so its "
                           "holder cannot answer it",
                           "チャレンジが指定されていますが、プレゼンテーションに証明（署名）が"
                           "ありません")
        state.signed = ()
        return _passed(
            "proof", "the presentation has no proof; none is required when no challenge is "
            "given", "プレゼンテーションに証明（署名）はありません（チャレンジの指定がないため"
            "不要です）", code="no-proof",
            warnings=[Notice("unsigned-presentation",
                             "the presentation is not signed: who presented it is not known, "
                             "and it may be a replay; only its credentials were verified",
                             "プレゼンテーションに署名がないため、提示者は確認できません"
                             "（含まれる証明書のみを検証しました）")])
    try:
        signed = _secure(presentation, state)
    except _Refusal as refusal:
        return _refused("proof", refusal)
    except Exception as error:
        cause = _credstack_cause(error)
        if cause is None:
            raise
        return _refused("proof", _proof_refusal(cause))
    state.signed = signed
    signers = [signer for _, signer in signed]
    suites = ", ".join(dict.fromkeys(signer.suite for signer in signers))
    methods = ", ".join(signer.verification_method for signer in signers)
    count = len(signers)
    return _passed("proof", f"{count} proof{'s' if count > 1 else ''} ({suites}) "
                            f"verif{'y' if count > 1 else 'ies'} for authentication: signed by "
                            f"{methods}",
                   f"認証（authentication）の証明 {count} 件（{suites}）を確認しました。"
                   f"署名者：{methods}", proofs=[signer.to_dict() for signer in signers])
