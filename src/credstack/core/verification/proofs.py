"""Proofs, for every format secured with Data Integrity proofs or a VC-JWT: what the ``proof``
steps share.

A credential, a status list credential, a CLR and a presentation are verified the same way:
the proofs credstack can check (:func:`supported`) go to
:func:`~credstack.core.proofs.verify_data_integrity` with the keys of their verification
methods (:func:`public_key`, resolved once per verification), an expired proof is refused, and
who signed is kept as a :class:`Signer` for the steps after (``issuer``, ``holder``). Whatever
goes wrong about the document is a :class:`~credstack.core.verification.checks.Refusal` with
a precise code (:func:`proof_refusal`, :func:`attempt`); only a seam that breaks its contract
raises on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import orjson

from credstack.core.crypto import DocumentLoader, PublicKey
from credstack.core.proofs import Verification as DataIntegrityResult
from credstack.core.proofs import verify_data_integrity
from credstack.core.said import Said, placed, said_of
from credstack.core.verification import methods
from credstack.core.verification.checks import Refusal, failed, problem_dicts
from credstack.core.verification.json_values import credstack_cause, instant
from credstack.core.verification.methods import (
    MethodResolver,
    UnresolvableMethodError,
    VerificationKey,
)
from credstack.core.verification.reading import Subject
from credstack.core.verification.report import Check, Missing
from credstack.core.verification.runner import State
from credstack.errors import (
    BaseProofError,
    CredstackError,
    Problem,
    SignatureError,
    UndefinedTermError,
    UnknownContextError,
)

__all__ = ["LinkedDataState", "Signer", "attempt", "describe", "proof_refusal", "public_key",
           "qualified_method", "resolve", "supported", "unsecured", "verify_proofs"]

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Signer:
    """A proof that verified: the method that signed, its controller and the suite."""

    verification_method: str
    controller: str
    suite: str
    created: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"verificationMethod": self.verification_method, "controller": self.controller,
                "suite": self.suite, "created": self.created}


@dataclass(slots=True, kw_only=True)
class LinkedDataState(State):
    """The state of a format whose documents are JSON-LD secured with proofs: the seams that
    read them (the document loader) and verify them (the method resolver), and the keys
    resolved so far, so that no method is resolved twice."""

    document_loader: DocumentLoader
    resolve_verification_method: MethodResolver
    methods: dict[str, tuple[VerificationKey, str]] = field(default_factory=dict)
    #: Proofs that verified before, kept by whoever runs the pipeline (``None``: none are
    #: kept): see :func:`verify_proofs`.
    proof_memo: MutableMapping[Hashable, Any] | None = None
    #: What the format verifies, as its messages name it.
    subject: ClassVar[Subject]

    @property
    def document(self) -> dict[str, Any] | None:
        """The document verified, once the ``parse`` step has read it."""
        raise NotImplementedError


def resolve(state: LinkedDataState, method: object) -> tuple[VerificationKey, str]:
    """The key and controller of a verification method (see :mod:`.methods`)."""
    return methods.resolve(state.methods, state.resolve_verification_method, method)


def public_key(state: LinkedDataState, method: str) -> PublicKey:
    """The Multikey key of a verification method (see :mod:`.methods`)."""
    return methods.public_key(state.methods, state.resolve_verification_method, method)


def qualified_method(kid: str, issuer: object) -> str:
    """A JOSE or COSE ``kid`` as the verification method it names: a bare one (no scheme, as
    JWT VC Issuer Metadata and many issuers write it) relative to a DID or HTTPS issuer (or
    holder), any other as it is."""
    if ":" in kid or not isinstance(issuer, str) \
            or not issuer.startswith(("did:", "https://")):
        return kid
    return f"{issuer}{kid if kid.startswith('#') else '#' + kid}"


def describe(proof: Any) -> str:
    """A proof as a person would name it: ``DataIntegrityProof / eddsa-rdfc-2022``."""
    if not isinstance(proof, Mapping):
        return repr(proof)
    suite = proof.get("cryptosuite")
    return f"{proof.get('type')!s}" + (f" / {suite!s}" if suite is not None else "")


def unsecured(header: Mapping[str, Any]) -> Check | None:
    """The failed ``proof`` check of a JWS (a credential's or a presentation's) whose header
    names no algorithm or ``none``; ``None`` if it names one."""
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        return failed("proof", "unsecured-jwt",
                      Said("verification.check.proof.unsecured_jwt", alg=repr(alg)), alg=alg)
    return None


def supported(proofs: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The proofs credstack verifies: DataIntegrityProofs of a known cryptosuite."""
    return [proof for proof in proofs if methods.is_supported(proof)]


def verify_proofs(document: Mapping[str, Any], proofs: Sequence[Mapping[str, Any]],
                  state: LinkedDataState, purpose: str
                  ) -> tuple[list[tuple[Mapping[str, Any], Signer]], tuple[Problem, ...]]:
    """Verify the Data Integrity proofs of ``document`` made for ``purpose``; ``proofs`` are
    its supported ones, in order. Returns each with who signed it, and the proofs skipped
    (of a suite credstack does not verify).

    Raises :class:`Refusal` for an expired proof, a
    :class:`~credstack.errors.CredstackError` (see :func:`proof_refusal`) for one that does not
    verify.
    """
    def check() -> DataIntegrityResult:
        return verify_data_integrity(
            document, resolve_key=lambda method: public_key(state, method),
            document_loader=state.document_loader, expected_purpose=purpose,
            skip_unsupported=True)

    result = check() if state.proof_memo is None else _remembered(
        state.proof_memo, document, proofs, state, purpose, check)
    signed = []
    for proof, verified in zip(proofs, result.proofs, strict=True):
        if "expires" in proof:
            expires = instant(proof["expires"], require_zone=False)
            if expires is not None and expires < state.now:
                raise Refusal("proof-expired", Said("verification.check.proof.expired",
                                                    expires=str(proof["expires"])),
                              expires=proof["expires"])
        controller = resolve(state, verified.verification_method)[1]
        signed.append((proof, Signer(verified.verification_method, controller,
                                     verified.cryptosuite, verified.created)))
    return signed, result.skipped


def _remembered(memo: MutableMapping[Hashable, Any], document: Mapping[str, Any],
                proofs: Sequence[Mapping[str, Any]], state: LinkedDataState, purpose: str,
                check: Callable[[], DataIntegrityResult]) -> DataIntegrityResult:
    """``check()``, or what it gave before for this very document (its SHA-256 over its
    sorted JSON), for ``purpose``, with the very keys its proofs' methods resolve to now
    and the same contexts. Only proofs that verified are kept: the cryptography of a
    credential verified again and again (a wallet, an employer's system) runs once, while
    its dates, status and issuer are checked every time."""
    try:
        keys = tuple((key.type, key.raw) for key in (
            public_key(state, str(proof.get("verificationMethod"))) for proof in proofs))
        digest = hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).digest()
        key = (digest, purpose, keys, state.document_loader)
        hash(key)
    except (CredstackError, TypeError):  # unresolvable, JSON orjson cannot write, unhashable
        return check()
    found: DataIntegrityResult | None = memo.get(key)
    if found is None:
        found = check()
        memo[key] = found
    return found


def proof_refusal(error: CredstackError, subject: Subject) -> Refusal:
    """A proof-level error as the failed verdict it is, with a precise code and reason."""
    problems = problem_dicts(error.problems)
    if isinstance(error, UnresolvableMethodError):
        first = error.problems[0] if error.problems else None
        why: Said | str = (error.message if first is None else first.message
                           or Said(first.code, **first.params))
        named = {"method": str(error.method), "quoted": repr(error.method), "why": why}
        if error.out_of_reach is not None:
            reach = error.out_of_reach
            did = str(error.method).partition("#")[0]
            return Refusal("key-out-of-reach",
                           Said("verification.check.proof.key_out_of_reach", **named),
                           missing=Missing("key", reach.why, reach.url or did, reach.message),
                           problems=problems)
        return Refusal("unresolvable-method",
                       Said("verification.check.proof.unresolvable_method", **named),
                       problems=problems)
    if isinstance(error, SignatureError):
        return Refusal("signature", Said("verification.check.proof.signature",
                                         changed=Said(subject.changed), detail=said_of(error)),
                       problems=problems)
    if isinstance(error, BaseProofError):
        return Refusal("base-proof", Said("verification.check.proof.base_proof",
                                          detail=said_of(error)), problems=problems)
    if isinstance(error, UnknownContextError):
        return Refusal("unknown-context",
                       Said("verification.check.proof.unknown_context", detail=error.message),
                       missing=Missing("context", "not-allowed", context_url(error),
                                       error.message),
                       problems=problems)
    if isinstance(error, UndefinedTermError):
        term = error.problems[0].location if error.problems else "?"
        return Refusal("undefined-term", Said("verification.check.proof.undefined_term",
                                              detail=error.message, term=repr(term)),
                       term=term, problems=problems)
    code = "malformed-proof"
    if any(problem.location.endswith("proofValue") for problem in error.problems):
        code = subject.malformed_value
    detail = said_of(error)
    for problem in error.problems:
        detail = Said("verification.check.proof.detail_and", detail=detail, more=placed(problem))
    return Refusal(code, Said("verification.check.proof.malformed", detail=detail),
                   problems=problems)


def context_url(error: UnknownContextError) -> str | None:
    """The URL of the context an :class:`UnknownContextError` names, if it names one."""
    for word in error.message.replace("'", " ").replace('"', " ").split():
        if word.startswith(("https://", "http://")):
            return word.rstrip(".,;:)")
    return None


def attempt(verify: Callable[[], _T], subject: Subject) -> _T:
    """``verify()``, every failure about the document as a :class:`Refusal`.

    The libraries below (PyLD, the cryptosuites) may wrap credstack's errors in their own;
    the credstack error inside decides the verdict. Anything else is not about the document
    and is raised on.
    """
    try:
        return verify()
    except Refusal:
        raise
    except Exception as error:
        cause = credstack_cause(error)
        if cause is None:
            raise
        raise proof_refusal(cause, subject) from None
