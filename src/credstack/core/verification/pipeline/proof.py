"""The contexts and proof steps: every @context bundled, every Data Integrity proof or the VC-JWT
signature verified."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

from credstack.core.crypto import PublicKey
from credstack.core.proofs import CRYPTOSUITES, verify_data_integrity, verify_vc_jwt
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
from credstack.core.verification.pipeline.seams import (
    Signer,
    VerificationKey,
    VerificationState,
    _instant,
    _unread,
)
from credstack.core.verification.report import (
    Check,
    Notice,
)
from credstack.errors import (
    CredstackError,
    Problem,
    SignatureError,
    UndefinedTermError,
    UnknownContextError,
)


def _context_urls(document: Any) -> list[str]:
    """Every context URL the document names, inline contexts and proofs included, in order."""
    urls: dict[str, None] = {}
    for node in json_values.walk(document):
        if "@context" in node:
            for item in _items(node["@context"]):
                if isinstance(item, str):
                    urls[item] = None
    return list(urls)


#: The context URLs each loader is known to hold. A loader serves a fixed set of documents
#: (it never fetches), so the answer does not change; asking again would copy the document.
_KNOWN_CONTEXTS: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def check_contexts(state: VerificationState) -> Check:
    """``contexts``: every JSON-LD context is one the document loader holds (none is fetched)."""
    if state.credential is None:
        return _unread("contexts")
    urls = _context_urls(state.credential)
    try:
        known = _KNOWN_CONTEXTS.setdefault(state.document_loader, set())
    except TypeError:  # a loader that cannot be weakly referenced: ask it every time
        known = set()
    unknown = []
    for url in urls:
        if url in known:
            continue
        try:
            state.document_loader(url, {})
        except CredstackError:
            unknown.append(url)
        else:
            known.add(url)
    if unknown:
        names = ", ".join(unknown[:3]) + (f" and {len(unknown) - 3} more"
                                          if len(unknown) > 3 else "")
        return _failed(
            "contexts", "unknown-context",
            f"unknown JSON-LD context{'s' if len(unknown) > 1 else ''} {names}: credstack "
            "never fetches contexts, so a credential that needs one cannot be read safely",
            f"未知の JSON-LD コンテキストがあります：{names}（credstack はコンテキストを"
            "ネットワークから取得しません）",
            unknown=unknown, contexts=urls)
    return _passed("contexts", f"all {len(urls)} JSON-LD contexts are known",
                   f"JSON-LD コンテキスト {len(urls)} 件はすべて既知です", contexts=urls)


def _resolve(state: Any, method: object) -> tuple[VerificationKey, str]:
    return methods.resolve(state.methods, state.resolve_verification_method, method)


def _public_key(state: Any, method: str) -> PublicKey:
    return methods.public_key(state.methods, state.resolve_verification_method, method)


def _describe(proof: Any) -> str:
    if not isinstance(proof, Mapping):
        return repr(proof)
    suite = proof.get("cryptosuite")
    return f"{proof.get('type')!s}" + (f" / {suite!s}" if suite is not None else "")


def _secure(document: Mapping[str, Any], state: VerificationState
            ) -> tuple[tuple[Signer, ...], tuple[Problem, ...]]:
    """Verify a document's Data Integrity proofs; return who signed, and what was skipped.

    Used for the credential and, the same way, for every status list credential. Raises
    :class:`_Refusal` or a :class:`~credstack.errors.CredstackError` when it does not verify.
    """
    if "proof" not in document or document["proof"] is None:
        raise _Refusal("missing-proof", "the credential has no proof: anyone could have "
                       "written it", "証明（署名）がありません。誰でも作成できる内容です")
    proofs = _items(document["proof"])
    if not proofs:
        raise _Refusal("missing-proof", "the credential's proof set is empty",
                       "証明（署名）が空です")
    for index, proof in enumerate(proofs):
        if not isinstance(proof, Mapping) or not isinstance(proof.get("type"), str):
            where = "proof" if len(proofs) == 1 else f"proof[{index}]"
            raise _Refusal("malformed-proof", f"{where} is not a proof object with a type",
                           f"{where} は type を持つ証明オブジェクトではありません",
                           problems=[{"location": where, "message": "no type"}])
    supported = [proof for proof in proofs if _supported(proof)]
    if not supported:
        found = ", ".join(_describe(proof) for proof in proofs)
        raise _Refusal(
            "unsupported-proof",
            f"no proof uses a suite credstack verifies ({', '.join(sorted(CRYPTOSUITES))}, "
            f"VC-JWT); found {found}",
            f"credstack が検証できる方式の証明がありません（{found}）",
            found=[_describe(proof) for proof in proofs])
    values = [proof.get("proofValue") for proof in supported]
    if len(set(map(repr, values))) != len(values):
        raise _Refusal("duplicate-proof",
                       "the same proof appears twice in the proof set; a set counts each "
                       "proof once, so the credential is refused",
                       "同じ証明が二重に含まれています")
    result = verify_data_integrity(
        document, resolve_key=lambda method: _public_key(state, method),
        document_loader=state.document_loader, expected_purpose="assertionMethod",
        skip_unsupported=True)
    signers = []
    for proof, verified in zip(supported, result.proofs, strict=True):
        if "expires" in proof:
            expires = _instant(proof["expires"], require_zone=False)
            if expires is not None and expires < state.now:
                raise _Refusal("proof-expired", f"the proof expired at {proof['expires']}",
                               f"証明の有効期限（{proof['expires']}）が過ぎています",
                               expires=proof["expires"])
        controller = _resolve(state, verified.verification_method)[1]
        signers.append(Signer(verified.verification_method, controller, verified.cryptosuite,
                              verified.created))
    return tuple(signers), result.skipped


def _proof_refusal(error: CredstackError) -> _Refusal:
    """A proof-level error as the failed verdict it is, with a precise code and reason."""
    problems = _problems(error.problems)
    if isinstance(error, _UnresolvableMethodError):
        return _Refusal("unresolvable-method", error.message,
                        f"検証方法（鍵）{error.method} を解決できません", problems=problems)
    if isinstance(error, SignatureError):
        return _Refusal(
            "signature",
            f"the signature does not verify: the credential was changed after it was signed, "
            f"or it was signed with another key ({error.message})",
            "署名が一致しません。署名後に内容が変更されたか、別の鍵で署名されています",
            problems=problems)
    if isinstance(error, UnknownContextError):
        return _Refusal("unknown-context", error.message,
                        "未知の JSON-LD コンテキストがあります（credstack はコンテキストを取得"
                        f"しません）：{error.message}", problems=problems)
    if isinstance(error, UndefinedTermError):
        term = error.problems[0].location if error.problems else "?"
        return _Refusal(
            "undefined-term",
            f"{error.message}; JSON-LD would drop it silently, so the signature would not "
            "cover it",
            f"JSON-LD で定義されていない用語 {term!r} があります。署名の対象から外れるため、"
            "受け付けません", term=term, problems=problems)
    code = "malformed-proof"
    if any(problem.location.endswith("proofValue") for problem in error.problems):
        code = "malformed-proof-value"
    detail = "; ".join([error.message, *(str(problem) for problem in error.problems)])
    return _Refusal(code, f"the proof cannot be checked: {detail}",
                    f"証明の形式が正しくありません：{detail}", problems=problems)


def _endorsement_notices(credential: Mapping[str, Any]) -> list[Notice]:
    count = sum(1 for node in json_values.walk(credential) if node is not credential
                and "EndorsementCredential" in (json_values.types(node.get("type")) or ()))
    if not count:
        return []
    return [Notice("endorsements-not-verified",
                   f"{count} embedded endorsement credential{'s' if count > 1 else ''} "
                   "not verified (each is a credential of its own)",
                   f"埋め込まれた推薦（EndorsementCredential）{count} 件は検証していません")]


def _jwt_proof(state: VerificationState) -> Check:
    header, token = state.jwt_header, state.token
    assert token is not None
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        return _failed("proof", "unsecured-jwt",
                       f"an unsecured JWT (alg: {alg!r}) is never accepted: it has no signature",
                       "署名のない JWT（alg: none）は受け付けません", alg=alg)
    kid = header.get("kid")
    if not isinstance(kid, str):
        return _failed("proof", "unresolvable-method",
                       "the JWS header names no key (kid), so the signer cannot be identified",
                       "JWS ヘッダーに鍵（kid）がないため、署名者を特定できません")
    try:
        verify_vc_jwt(token, resolve_key=lambda method: _resolve(state, method)[0])
    except Exception as error:
        cause = _credstack_cause(error)
        if cause is None:
            raise
        return _refused("proof", _proof_refusal(cause))
    signer = Signer(kid, state.methods[kid][1], f"vc-jwt {alg}")
    state.signers = (signer,)
    return _passed("proof", f"the JWS signature ({alg}) verifies with {kid}",
                   f"JWS の署名（{alg}）を {kid} で確認しました",
                   proofs=[signer.to_dict()])


def check_proof(state: VerificationState) -> Check:
    """``proof``: every Data Integrity proof verifies (or the VC-JWT's signature does)."""
    credential = state.credential
    if credential is None:
        return _unread("proof")
    if state.token is not None:
        return _jwt_proof(state)
    notices = _endorsement_notices(credential)
    try:
        signers, skipped = _secure(credential, state)
    except _Refusal as refusal:
        return _refused("proof", refusal, notices)
    except Exception as error:
        cause = _credstack_cause(error)
        if cause is None:
            raise
        return _refused("proof", _proof_refusal(cause), notices)
    state.signers = signers
    notices += [Notice("proof-skipped", f"{problem}: not verified, another proof is",
                       f"{problem.location} は credstack が検証できない方式のため確認して"
                       "いません（他の証明で確認しました）") for problem in skipped]
    suites = ", ".join(dict.fromkeys(signer.suite for signer in signers))
    methods = ", ".join(signer.verification_method for signer in signers)
    count = len(signers)
    return _passed("proof", f"{count} proof{'s' if count > 1 else ''} ({suites}) "
                            f"verif{'y' if count > 1 else 'ies'}: signed by {methods}",
                   f"証明 {count} 件（{suites}）を確認しました。署名者：{methods}",
                   warnings=notices, proofs=[signer.to_dict() for signer in signers])
