"""Data Integrity proofs: add a ``DataIntegrityProof`` to a document, and verify one.

Verifiable Credential Data Integrity 1.0 — W3C Recommendation, 15 May 2025 —
https://www.w3.org/TR/vc-data-integrity/ — §2.1 "Proofs" (the proof's properties), §4.2
"Add Proof", §4.3 "Add Proof Set/Chain", §4.4 "Verify Proof", §4.5 "Verify Proof Sets and
Chains".

*How* a proof is made is the cryptosuite's business (``cryptosuites.eddsa_rdfc_2022``,
``cryptosuites.eddsa_jcs_2022``, ``cryptosuites.ecdsa_rdfc_2019``,
``cryptosuites.ecdsa_jcs_2019``, ``cryptosuites.ecdsa_sd_2023``; and, for the older Linked
Data Signature proof types that the proof's ``type`` names instead of a ``cryptosuite``,
``cryptosuites.ed25519_signature_2020``, ``cryptosuites.ed25519_signature_2018`` and
``cryptosuites.ecdsa_secp256k1_signature_2019``); this
module does the *orchestration*: it checks the proof's structure and purpose, builds the
document each proof covers (with the previous proofs a chained proof names), resolves the
verification key through the injected ``resolve_key`` and calls the suite.

Errors, as everywhere in credstack's proofs:

* :class:`~credstack.errors.SignatureError` — a signature does not verify (the document or the
  proof was changed, or the key is not the signer's);
* :class:`~credstack.errors.MalformedCredentialError` and its subclasses — credstack cannot
  decide: no proof, a proof that lacks or mistypes a property, an unknown cryptosuite, an
  unexpected proof purpose, a bad multibase value, an undefined JSON-LD term
  (:class:`~credstack.errors.UndefinedTermError`), a context the loader does not hold
  (:class:`~credstack.errors.UnknownContextError`).

``verify`` returns only when every proof it checks verifies.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from credstack.core.crypto.canonicalization import DocumentLoader
from credstack.core.crypto.keys import KeyPair, PublicKey
from credstack.core.dids import did_key
from credstack.core.said import Listed
from credstack.errors import MalformedCredentialError, Problem, SignatureError

from .cryptosuites import (
    ecdsa_jcs_2019,
    ecdsa_rdfc_2019,
    ecdsa_sd_2023,
    ecdsa_secp256k1_signature_2019,
    ed25519_signature_2018,
    ed25519_signature_2020,
    eddsa_jcs_2022,
    eddsa_rdfc_2022,
)
from .cryptosuites._common import is_date_time

__all__ = [
    "CRYPTOSUITES",
    "DATA_INTEGRITY_PROOF",
    "PROOF_TYPES",
    "Cryptosuite",
    "KeyResolver",
    "Verification",
    "VerifiedProof",
    "sign",
    "verify",
]

DATA_INTEGRITY_PROOF: Final = "DataIntegrityProof"
#: The prefix of what this module says (``proof.di.…``; a problem ``proof.di.problem.…``).
_SAID: Final = "proof.di."


def _malformed(code: str, /, *problems: Problem, **params: object) -> MalformedCredentialError:
    """A :class:`MalformedCredentialError` saying ``proof.di.<code>`` with ``params``."""
    return MalformedCredentialError(code=_SAID + code, params=params, problems=problems)


def _problem(location: str, code: str, /, **params: object) -> Problem:
    """A problem at ``location`` saying ``proof.di.problem.<code>`` with ``params``."""
    return Problem(location, code=f"{_SAID}problem.{code}", params=params)

#: A callable from a verification method id (a URL) to its public key. It raises (for example
#: :class:`~credstack.errors.MalformedCredentialError`) when the method cannot be resolved,
#: and should check that the method may be used for the proof purpose.
KeyResolver = Callable[[str], PublicKey]


class Cryptosuite(Protocol):
    """What the orchestration needs of a cryptosuite module."""

    NAME: str

    def create_proof(self, unsecured_document: Mapping[str, Any], options: Mapping[str, Any],
                     *, key: KeyPair, document_loader: Any) -> dict[str, Any]: ...

    def verify_proof(self, unsecured_document: Mapping[str, Any], proof: Mapping[str, Any], *,
                     public_key: PublicKey, document_loader: Any) -> None: ...

    def decode_proof_value(self, proof: Mapping[str, Any]) -> bytes:
        """The signature bytes of ``proof["proofValue"]`` (of ``proof["jws"]`` for an
        ``Ed25519Signature2018``); MalformedCredentialError when it is not one of this
        suite's."""
        ...


#: The cryptosuites credstack implements, by their ``cryptosuite`` name.
CRYPTOSUITES: Final[Mapping[str, Cryptosuite]] = {
    eddsa_rdfc_2022.NAME: eddsa_rdfc_2022,
    eddsa_jcs_2022.NAME: eddsa_jcs_2022,
    ecdsa_rdfc_2019.NAME: ecdsa_rdfc_2019,
    ecdsa_jcs_2019.NAME: ecdsa_jcs_2019,
    ecdsa_sd_2023.NAME: ecdsa_sd_2023,
}

#: Linked Data Signature proof types credstack verifies beside Data Integrity proofs (older,
#: still in use): each is its own suite, named by the proof's ``type``, with no
#: ``cryptosuite``. A proof's *suite* (:attr:`VerifiedProof.cryptosuite`) is then its type.
PROOF_TYPES: Final[Mapping[str, Cryptosuite]] = {
    ed25519_signature_2020.NAME: ed25519_signature_2020,
    ed25519_signature_2018.NAME: ed25519_signature_2018,
    ecdsa_secp256k1_signature_2019.NAME: ecdsa_secp256k1_signature_2019,
}
#: The member that holds a proof's signature, by proof type: ``proofValue`` unless named here.
_SIGNATURE_MEMBERS: Final[Mapping[str, str]] = {
    ed25519_signature_2018.NAME: ed25519_signature_2018.SIGNATURE_MEMBER,
    ecdsa_secp256k1_signature_2019.NAME: ecdsa_secp256k1_signature_2019.SIGNATURE_MEMBER,
}


@dataclass(frozen=True, slots=True)
class VerifiedProof:
    """One proof that verified: what signed, how, why and when."""

    cryptosuite: str
    verification_method: str
    proof_purpose: str
    created: str | None
    id: str | None


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of :func:`verify`: every proof that verified, and any that were skipped."""

    proofs: tuple[VerifiedProof, ...]
    #: Proofs of a type or cryptosuite credstack does not implement, each with its location;
    #: only ever non-empty with ``skip_unsupported=True``.
    skipped: tuple[Problem, ...] = ()


def sign(document: Mapping[str, Any], *, key: KeyPair, verification_method: str,
         cryptosuite: str | Cryptosuite, created: dt.datetime | str | None,
         document_loader: DocumentLoader | None = None,
         proof_purpose: str = "assertionMethod", proof_id: str | None = None,
         previous_proof: str | Sequence[str] | None = None,
         challenge: str | None = None, domain: str | None = None) -> dict[str, Any]:
    """A copy of ``document`` with one more ``DataIntegrityProof`` (§4.2 / §4.3).

    ``created`` is the proof's creation time (an aware datetime, written in UTC to the second,
    or an XML ``dateTimeStamp`` string) or ``None`` to leave it out; the caller supplies the
    clock. A document that already has proofs gets a proof set; ``previous_proof`` (the
    ``id`` of one or more existing proofs) makes the new proof a link of a chain. The copy is
    shallow: the result shares nested values with ``document``, so treat both as immutable.
    ``cryptosuite`` is a suite's name, or a suite configured for issuing (``ecdsa-sd-2023``
    with its mandatory pointers: :class:`~.cryptosuites.ecdsa_sd_2023.EcdsaSdIssuing`).
    ``challenge`` and ``domain`` (§2.1) bind a proof to one verifier's request: a holder
    signing a presentation for ``authentication`` gives the ones that verifier sent.
    """
    if isinstance(cryptosuite, str):
        suite = PROOF_TYPES.get(cryptosuite) or _suite(cryptosuite)
    else:
        suite = cryptosuite
    if document_loader is None and suite is eddsa_rdfc_2022:
        raise _malformed("needs_loader", suite=suite.NAME)
    if not isinstance(document, Mapping):
        raise _malformed("not_object_to_sign")
    # A Linked Data Signature proof type (PROOF_TYPES) is the proof's type, with no cryptosuite.
    legacy = isinstance(cryptosuite, str) and cryptosuite in PROOF_TYPES
    options: dict[str, Any] = {"type": suite.NAME if legacy else DATA_INTEGRITY_PROOF}
    if proof_id is not None:
        options["id"] = proof_id
    if not legacy:
        options["cryptosuite"] = suite.NAME
    if created is not None:
        options["created"] = _created(created)
    options["verificationMethod"] = verification_method
    options["proofPurpose"] = proof_purpose
    if challenge is not None:
        options["challenge"] = challenge
    if domain is not None:
        options["domain"] = domain

    if "proof" in document:
        existing = _proofs_of(document)
        unsecured = {name: value for name, value in document.items() if name != "proof"}
    else:
        existing, unsecured = [], dict(document)
    input_document = unsecured
    if previous_proof is not None:
        options["previousProof"] = (previous_proof if isinstance(previous_proof, str)
                                    else list(previous_proof))
        input_document = dict(unsecured, proof=_matching_proofs(options, existing, 0))
    proof = suite.create_proof(input_document, options, key=key,
                               document_loader=document_loader)
    secured = dict(unsecured)
    secured["proof"] = [*existing, proof] if existing else proof
    return secured


def verify(document: Mapping[str, Any], *,
           resolve_key: KeyResolver = did_key.resolve_public_key,
           document_loader: DocumentLoader | None = None,
           expected_purpose: str | None = "assertionMethod",
           skip_unsupported: bool = False) -> Verification:
    """Verify every proof of ``document`` (§4.4 / §4.5); return them, or raise.

    ``resolve_key`` defaults to resolving ``did:key`` verification methods (locally); give
    one that also knows ``did:web`` or HTTPS methods to verify other issuers' proofs.
    ``expected_purpose`` is the proof purpose the verifier relies on (``None`` accepts any).
    A proof set passes only when each proof verifies; a chained proof covers the proofs it
    names in ``previousProof``, which must exist in the same set. With ``skip_unsupported``,
    proofs of another type or of a cryptosuite credstack does not implement are set aside
    (§4.5 allows verifying a subset) — but at least one proof must verify, and no verified
    proof may chain to a skipped one.
    """
    if not isinstance(document, Mapping):
        raise _malformed("not_object")
    if "proof" not in document:
        raise _malformed("no_proof", _problem("proof", "missing"))
    proofs = _proofs_of(document)
    if not proofs:
        raise _malformed("empty_set", _problem("proof", "empty"))
    skipped: list[Problem] = []
    selected: list[int] = []
    for index, proof in enumerate(proofs):
        where = _where(index, len(proofs))
        reason = _unsupported(proof, where)
        if reason is not None and skip_unsupported:
            skipped.append(reason)
            continue
        _check_structure(proof, where, expected_purpose)
        selected.append(index)
    if not selected:
        raise _malformed("nothing_verifiable", *skipped)
    _check_unique([proofs[index] for index in selected])
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    verified: list[VerifiedProof] = []
    for index in selected:
        proof, where = proofs[index], _where(index, len(proofs))
        suite = _suite_of(proof, where)
        if document_loader is None and suite is eddsa_rdfc_2022:
            raise _malformed("needs_loader", suite=suite.NAME)
        input_document = unsecured
        if "previousProof" in proof:
            matching = _matching_proofs(proof, proofs, index)
            if any(all(other is not proofs[i] for i in selected) for other in matching):
                raise _malformed("chains_to_skipped",
                                 _problem(f"{where}.previousProof", "names_skipped"))
            input_document = dict(unsecured, proof=matching)
        public_key = resolve_key(proof["verificationMethod"])
        try:
            suite.verify_proof(input_document, proof, public_key=public_key,
                               document_loader=document_loader)
        except (SignatureError, MalformedCredentialError) as exc:
            if len(proofs) > 1:
                # Which proof of the set: what it said, there (a code stays that code).
                said = Problem(where, code=exc.code, params=exc.params) if exc.code else (
                    Problem(where, exc.message))
                exc.problems = (said, *exc.problems)
            raise
        verified.append(VerifiedProof(
            cryptosuite=proof.get("cryptosuite", proof["type"]),
            verification_method=proof["verificationMethod"],
            proof_purpose=proof["proofPurpose"], created=proof.get("created"),
            id=proof.get("id")))
    _check_coverage(unsecured, [proofs[index] for index in selected])
    return Verification(tuple(verified), tuple(skipped))


# --- structure ------------------------------------------------------------------------------

def _proofs_of(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    value = document["proof"]
    proofs = value if isinstance(value, list) else [value]
    for index, proof in enumerate(proofs):
        if not isinstance(proof, Mapping):
            raise _malformed("proof_not_object", Problem(_where(index, len(proofs)),
                                                         code="proof.problem.not_an_object"))
    return proofs


def _where(index: int, count: int) -> str:
    return "proof" if count == 1 else f"proof[{index}]"


def _unsupported(proof: Mapping[str, Any], where: str) -> Problem | None:
    """Why the proof at ``where`` is of a kind credstack does not implement (``None``: it is
    one of ours)."""
    kind = proof.get("type")
    if isinstance(kind, str) and kind in PROOF_TYPES:
        return None
    if kind != DATA_INTEGRITY_PROOF:
        return _problem(where, "type_unsupported", kind=repr(kind))
    suite = proof.get("cryptosuite")
    if isinstance(suite, str) and suite not in CRYPTOSUITES:
        return _problem(where, "suite_unsupported", suite=repr(suite))
    return None


def _check_structure(proof: Mapping[str, Any], where: str, expected_purpose: str | None) -> None:
    """§2.1 and §4.4 steps 2–4: what must be there, and its type."""
    if "type" not in proof:
        raise _malformed("no_type", _problem(f"{where}.type", "missing"))
    legacy = isinstance(proof["type"], str) and proof["type"] in PROOF_TYPES
    if proof["type"] != DATA_INTEGRITY_PROOF and not legacy:
        raise _malformed("other_type", _problem(f"{where}.type", "expected",
                                                value=repr(DATA_INTEGRITY_PROOF)),
                         kind=repr(proof["type"]))
    problems: list[Problem] = []
    signature = _signature_member(proof)
    required = ("verificationMethod", "proofPurpose", signature) if legacy else (
        "verificationMethod", "proofPurpose", "cryptosuite", signature)
    for name in required:
        if name not in proof:
            problems.append(_problem(f"{where}.{name}", "missing"))
        elif not isinstance(proof[name], str):
            problems.append(_problem(f"{where}.{name}", "not_string"))
    if problems:
        raise _malformed("incomplete", *problems)
    suite = _suite_of(proof, where)
    if expected_purpose is not None and proof["proofPurpose"] != expected_purpose:
        raise _malformed("purpose", _problem(f"{where}.proofPurpose", "expected",
                                             value=repr(expected_purpose)),
                         found=repr(proof["proofPurpose"]), expected=repr(expected_purpose))
    for name in ("created", "expires"):
        if name in proof and not is_date_time(proof[name], require_zone=False):
            raise _malformed("not_date_time", _problem(f"{where}.{name}", "value",
                                                       value=repr(proof[name])),
                             member=f"{where}.{name}")
    for name in ("id", "domain", "challenge", "nonce"):
        if name in proof and not isinstance(proof[name], str) and not (
                name == "domain" and _strings(proof[name])):
            raise _malformed("wrong_type", _problem(f"{where}.{name}", "not_string"),
                             member=f"{where}.{name}")
    if "previousProof" in proof and not (
            isinstance(proof["previousProof"], str) or _strings(proof["previousProof"])):
        raise _malformed("previous_type", _problem(f"{where}.previousProof", "wrong_type"))
    try:
        suite.decode_proof_value(proof)
    except MalformedCredentialError as exc:
        # The same kind of error (a BaseProofError stays one), located in this proof set;
        # one raised as a code stays that code.
        if exc.code:
            raise type(exc)(code=exc.code, params=exc.params, problems=[Problem(
                f"{where}.{signature}", code=exc.code, params=exc.params)]) from None
        raise type(exc)(
            exc.message, problems=[Problem(f"{where}.{signature}", exc.message)]) from None


def _signature_member(proof: Mapping[str, Any]) -> str:
    kind = proof.get("type")
    return _SIGNATURE_MEMBERS.get(kind, "proofValue") if isinstance(kind, str) else "proofValue"


def _strings(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def _check_unique(proofs: Sequence[Mapping[str, Any]]) -> None:
    """Two different proofs may not share an id (a chain's ``previousProof`` names proofs by
    id). The same proof given twice is verified twice: "all referenced proofs in the array
    MUST verify" (Data Integrity 1.0), and no specification refuses a repeated one."""
    seen_ids: dict[str, int] = {}
    for index, proof in enumerate(proofs):
        if "id" in proof:
            first = seen_ids.setdefault(proof["id"], index)
            if first != index and proofs[first] != proof:
                raise _malformed("same_id", _problem(f"{_where(index, len(proofs))}.id",
                                                     "also_id", first=str(first)))


def _matching_proofs(proof: Mapping[str, Any], proofs: Sequence[Mapping[str, Any]],
                     index: int) -> list[Mapping[str, Any]]:
    """§4.5 step 3.1–3.2: the proofs a chained proof names, in the order it names them."""
    wanted = proof["previousProof"]
    wanted_ids = [wanted] if isinstance(wanted, str) else list(wanted)
    by_id = {other["id"]: other for other in proofs
             if isinstance(other.get("id"), str) and other is not proof}
    missing = [identifier for identifier in wanted_ids if identifier not in by_id]
    if missing:
        raise _malformed("chain_missing", *(
            _problem(f"{_where(index, len(proofs))}.previousProof", "no_such_proof",
                     id=repr(identifier)) for identifier in missing))
    return [by_id[identifier] for identifier in wanted_ids]


def _check_coverage(unsecured: Mapping[str, Any], proofs: Sequence[Mapping[str, Any]]) -> None:
    # The JCS suites verify a proof that carries its own @context against the document read
    # under that @context, so contexts appended to the document after signing pass unnoticed.
    # That is how a later proof in a chain may extend the context; but then that later proof
    # covers the full @context. At least one proof must cover the document as it is.
    context = unsecured.get("@context")
    for proof in proofs:
        if proof.get("cryptosuite") not in _JCS_SUITES or "@context" not in proof:
            return
        if proof["@context"] == context:
            return
    raise SignatureError(code=_SAID + "context_added",
                         problems=[_problem("@context", "not_covered")])


_JCS_SUITES: Final = (eddsa_jcs_2022.NAME, ecdsa_jcs_2019.NAME)


def _suite_of(proof: Mapping[str, Any], where: str) -> Cryptosuite:
    """The suite of a proof: its Linked Data Signature type's, or its cryptosuite's."""
    legacy = PROOF_TYPES.get(proof["type"]) if isinstance(proof["type"], str) else None
    return legacy if legacy is not None else _suite(proof["cryptosuite"], where)


def _suite(name: Any, where: str = "proof") -> Cryptosuite:
    suite = CRYPTOSUITES.get(name) if isinstance(name, str) else None
    if suite is None:
        raise _malformed("unsupported_suite", _problem(f"{where}.cryptosuite", "suites",
                                                       suites=Listed(sorted(CRYPTOSUITES))),
                         suite=repr(name))
    return suite


def _created(created: dt.datetime | str) -> str:
    if isinstance(created, dt.datetime):
        if created.tzinfo is None or created.utcoffset() is None:
            raise ValueError("created must be a timezone-aware datetime")
        return created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if not isinstance(created, str) or not _is_date_time_stamp(created):
        raise _malformed("created", _problem("proof.created", "needs_zone"),
                         value=repr(created))
    return created


@functools.lru_cache(maxsize=64)
def _is_date_time_stamp(value: str) -> bool:
    # A batch is signed with one ``created`` after another: each is checked once.
    return is_date_time(value, require_zone=True)
