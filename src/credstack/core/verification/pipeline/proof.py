"""The proof step of a credential: every Data Integrity proof, the VC-JWT's signature, or the
SD-JWT's signature and every one of its disclosures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.core.proofs import CRYPTOSUITES, verify_vc_jwt
from credstack.core.proofs.cryptosuites import vc_cose
from credstack.core.proofs.cryptosuites.sd_jwt import verify_key_binding
from credstack.core.proofs.cryptosuites.vc_jwt import verify_signature
from credstack.core.proofs.data_integrity import PROOF_TYPES
from credstack.core.verification import json_values
from credstack.core.verification.anchored import anchored, cannot_decide
from credstack.core.verification.checks import Refusal, failed, passed, problem_dicts, refused
from credstack.core.verification.json_values import items
from credstack.core.verification.pipeline.seams import VerificationState, issuer_id
from credstack.core.verification.proofs import (
    Signer,
    attempt,
    describe,
    public_key,
    resolve,
    supported,
    unsecured,
    verify_proofs,
)
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, Notice
from credstack.errors import Problem

__all__ = ["check_proof", "secure"]


def secure(document: Mapping[str, Any], state: VerificationState
           ) -> tuple[tuple[Signer, ...], tuple[Problem, ...]]:
    """Verify a document's Data Integrity proofs; return who signed, and what was skipped.

    Used for the credential and, the same way, for every status list credential. Raises
    :class:`Refusal` or a :class:`~credstack.errors.CredstackError` when it does not verify.
    """
    if "proof" not in document or document["proof"] is None:
        raise Refusal("missing-proof", "the credential has no proof: anyone could have "
                      "written it", "証明（署名）がありません。誰でも作成できる内容です")
    proofs = items(document["proof"])
    if not proofs:
        raise Refusal("missing-proof", "the credential's proof set is empty",
                      "証明（署名）が空です")
    for index, proof in enumerate(proofs):
        if not isinstance(proof, Mapping) or not isinstance(proof.get("type"), str):
            where = "proof" if len(proofs) == 1 else f"proof[{index}]"
            raise Refusal("malformed-proof", f"{where} is not a proof object with a type",
                          f"{where} は type を持つ証明オブジェクトではありません",
                          problems=[{"location": where, "message": "no type"}])
    known = supported(proofs)
    if not known:
        found = ", ".join(describe(proof) for proof in proofs)
        raise Refusal(
            "unsupported-proof",
            f"no proof uses a suite credstack verifies "
            f"({', '.join([*sorted(CRYPTOSUITES), *PROOF_TYPES])}, VC-JWT); found {found}",
            f"credstack が検証できる方式の証明がありません（{found}）",
            found=[describe(proof) for proof in proofs])
    # A proof set holding the same proof twice is verified as it is, each proof on its own
    # (Data Integrity 1.0: "all referenced proofs in the array MUST verify"); no
    # specification refuses a repeated proof, and the W3C suites expect it to verify.
    signed, skipped = verify_proofs(document, known, state, "assertionMethod")
    return tuple(signer for _, signer in signed), skipped


def _endorsement_notices(credential: Mapping[str, Any]) -> list[Notice]:
    count = sum(1 for node in json_values.walk(credential) if node is not credential
                and "EndorsementCredential" in (json_values.types(node.get("type")) or ()))
    if not count:
        return []
    return [Notice("endorsements-not-verified",
                   f"{count} embedded endorsement credential{'s' if count > 1 else ''} "
                   "not verified (each is a credential of its own)",
                   f"埋め込まれた推薦（EndorsementCredential）{count} 件は検証していません")]


def _unsigned_or_anonymous(header: Mapping[str, Any], kid: object) -> Check | None:
    """The failed proof check of a JWS with no signature or no key named; ``None`` if it has
    both."""
    unsigned = unsecured(header)
    if unsigned is not None:
        return unsigned
    if not isinstance(kid, str):
        return failed("proof", "unresolvable-method",
                      "the JWS header names no key (kid), so the signer cannot be identified",
                      "JWS ヘッダーに鍵（kid）がないため、署名者を特定できません")
    return None


def _jwt_proof(state: VerificationState) -> Check:
    header, token = state.jwt_header, state.token
    assert token is not None
    alg, kid = header.get("alg"), header.get("kid")
    unusable = _unsigned_or_anonymous(header, kid)
    if unusable is not None:
        return unusable
    assert isinstance(kid, str)
    try:
        attempt(lambda: verify_vc_jwt(token, resolve_key=lambda method: resolve(state, method)[0]),
                state.subject)
    except Refusal as refusal:
        return refused("proof", refusal)
    signer = Signer(kid, state.methods[kid][1], f"vc-jwt {alg}")
    state.signers = (signer,)
    return passed("proof", f"the JWS signature ({alg}) verifies with {kid}",
                  f"JWS の署名（{alg}）を {kid} で確認しました",
                  proofs=[signer.to_dict()])


def _sd_jwt_method(header: Mapping[str, Any], claims: Mapping[str, Any]) -> str | None:
    """The verification method an SD-JWT names: its ``kid`` — relative to a DID ``iss`` when
    it is only a fragment — or, without one, an ``iss`` that is a did:key or did:jwk."""
    kid, iss = header.get("kid"), claims.get("iss")
    issuer = iss if isinstance(iss, str) and iss.startswith("did:") else None
    if isinstance(kid, str):
        if issuer is not None and ":" not in kid:
            return f"{issuer}{kid if kid.startswith('#') else '#' + kid}"
        return kid
    if issuer is not None and issuer.startswith(("did:key:", "did:jwk:")):
        return issuer
    return None


def _sd_jwt_proof(state: VerificationState) -> Check:
    """The issuer's signature, every disclosure, and the key binding JWT if there is one."""
    token, disclosed = state.sd_jwt, state.disclosed
    assert token is not None and disclosed is not None
    method = _sd_jwt_method(token.header, disclosed.claims)
    unusable = _unsigned_or_anonymous(token.header, method)
    if unusable is not None:
        return unusable
    assert method is not None
    try:
        attempt(lambda: verify_signature(token.jwt, resolve(state, method)[0]), state.subject)
    except Refusal as refusal:
        return refused("proof", refusal)
    if disclosed.problems:
        first, count = disclosed.problems[0], len(disclosed.problems)
        more = f" (and {count - 1} more)" if count > 1 else ""
        return failed(
            "proof", "disclosure",
            f"the issuer's signature verifies, but not every disclosure is the issuer's: "
            f"{first}{more}",
            f"発行者の署名は確認できましたが、発行者が署名していない開示（disclosure）が"
            f"あります（{first}、全 {count} 件）。署名後に追加・変更された可能性があります",
            problems=problem_dicts(disclosed.problems))
    notices: list[Notice] = []
    if token.key_binding is not None:
        try:
            bound = attempt(lambda: verify_key_binding(token), state.subject)
        except Refusal as refusal:
            return failed("proof", "key-binding",
                          f"the key binding JWT does not verify: {refusal.en}",
                          f"キーバインディング JWT を確認できません：{refusal.ja}",
                          **refusal.details)
        notices.append(Notice(
            "key-binding-not-compared",
            f"the holder's key binding JWT verifies (aud {bound['aud']!r}, nonce "
            f"{bound['nonce']!r}); no audience or nonce was given to compare them with",
            "提示者のキーバインディング JWT を確認しました（照合する aud・nonce の指定は"
            "ありません）"))
    elif "cnf" in token.payload:
        notices.append(Notice(
            "no-key-binding", "the credential is bound to a holder's key (cnf), but no key "
            "binding JWT shows that its holder presented it",
            "証明書は提示者の鍵（cnf）に結び付けられていますが、キーバインディング JWT が"
            "ないため、提示者本人による提示かどうかは確認していません"))
    alg = token.header.get("alg")
    signer = Signer(method, state.methods[method][1], f"{state.format} {alg}")
    state.signers = (signer,)
    count = len(disclosed.paths)
    return passed("proof", f"the SD-JWT's signature ({alg}) verifies with {method}, and all "
                           f"{count} disclosure{'s' if count != 1 else ''} are the issuer's",
                  f"SD-JWT の署名（{alg}）を {method} で確認し、開示 {count} 件がすべて発行者"
                  "の署名したものと一致しました", warnings=notices, proofs=[signer.to_dict()],
                  disclosed=list(disclosed.paths))


def _cose_proof(state: VerificationState) -> Check:
    """The COSE_Sign1's signature, by the key its ``kid`` names (relative to a DID issuer
    when it is a fragment) or, without one, the issuer's did:key or did:jwk."""
    message, credential = state.cose, state.credential
    assert message is not None and credential is not None
    issuer = issuer_id(credential)
    issuer = issuer if isinstance(issuer, str) and issuer.startswith("did:") else None
    method = message.kid
    if method is not None and issuer is not None and ":" not in method:
        method = f"{issuer}{method if method.startswith('#') else '#' + method}"
    if method is None and issuer is not None and issuer.startswith(("did:key:", "did:jwk:")):
        method = issuer
    if method is None:
        return failed("proof", "unresolvable-method",
                      "the COSE header names no key (kid), so the signer cannot be identified",
                      "COSE ヘッダーに鍵（kid）がないため、署名者を特定できません")
    found = method
    try:
        attempt(lambda: vc_cose.verify(message, public_key(state, found)), state.subject)
    except Refusal as refusal:
        return refused("proof", refusal)
    alg = message.algorithm_name
    signer = Signer(method, state.methods[method][1], f"vc+cose {alg}")
    state.signers = (signer,)
    return passed("proof", f"the COSE signature ({alg}) verifies with {method}",
                  f"COSE の署名（{alg}）を {method} で確認しました", proofs=[signer.to_dict()])


def check_proof(state: VerificationState) -> Check:
    """``proof``: every Data Integrity proof verifies (or the VC-JWT's signature does).

    A credential secured only by proofs anchored on a blockchain (Blockcerts'
    ``MerkleProof2019``) cannot be decided offline: the check says so, neither passed nor
    failed (:mod:`..anchored`).
    """
    credential = state.credential
    if credential is None:
        return unread("proof", state.subject)
    if state.sd_jwt is not None:
        return _sd_jwt_proof(state)
    if state.cose is not None:
        return _cose_proof(state)
    if state.token is not None:
        return _jwt_proof(state)
    notices = _endorsement_notices(credential)
    try:
        signers, skipped = attempt(lambda: secure(credential, state), state.subject)
    except Refusal as refusal:
        on_chain = anchored(items(credential["proof"])) if refusal.code == "unsupported-proof" \
            else []
        if on_chain:
            # Anchored on a blockchain and nothing else: undecidable offline, not forged.
            return cannot_decide(on_chain, notices)
        return refused("proof", refusal, notices)
    state.signers = signers
    notices += [Notice("proof-skipped", f"{problem}: not verified, another proof is",
                       f"{problem.location} は credstack が検証できない方式のため確認して"
                       "いません（他の証明で確認しました）") for problem in skipped]
    suites = ", ".join(dict.fromkeys(signer.suite for signer in signers))
    methods = ", ".join(signer.verification_method for signer in signers)
    count = len(signers)
    return passed("proof", f"{count} proof{'s' if count > 1 else ''} ({suites}) "
                           f"verif{'y' if count > 1 else 'ies'}: signed by {methods}",
                  f"証明 {count} 件（{suites}）を確認しました。署名者：{methods}",
                  warnings=notices, proofs=[signer.to_dict() for signer in signers])
