"""Verification methods → keys, for every format that checks Data Integrity proofs or VC-JWTs.

``did:key`` and ``did:jwk`` methods are read locally (their key is in the identifier:
:func:`resolve_locally`); any other goes to the injected :class:`MethodResolver`.
Results are kept in the caller's per-verification cache, so a key named by several proofs is
resolved once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from typing import Any, Protocol

from credstack.core.crypto import PublicKey
from credstack.core.dids import did_jwk, did_key
from credstack.core.proofs import CRYPTOSUITES
from credstack.core.proofs.data_integrity import DATA_INTEGRITY_PROOF, PROOF_TYPES
from credstack.core.said import Said, placed, said_of
from credstack.errors import (
    CredstackError,
    MalformedCredentialError,
    OutOfReachError,
    Problem,
)
from credstack.problems import coded

__all__ = ["MethodResolver", "UnresolvableMethodError", "VerificationKey", "is_supported",
           "public_key", "resolve", "resolve_locally"]

#: A verification key: credstack's public key, or a public JWK (RSA keys for RS256 VC-JWTs).
VerificationKey = PublicKey | Mapping[str, Any]
Resolved = tuple[VerificationKey, str]


class MethodResolver(Protocol):
    """Verification method id → (its public key, the DID or URL of its controller).

    Raises a :class:`~credstack.errors.CredstackError` when the method cannot be resolved or
    may not be used for assertions. ``did:key`` and ``did:jwk`` methods never reach it: they
    are resolved here, without I/O.
    """

    def __call__(self, verification_method: str, /) -> tuple[VerificationKey, str]: ...


class UnresolvableMethodError(MalformedCredentialError):
    """The verification method of a proof could not be resolved to a key.

    ``out_of_reach`` is the resolver's error when its document could not be had at all
    (nothing is then proven about the proof: see :class:`~credstack.errors.OutOfReachError`).
    """

    def __init__(self, method: object, why: str | Said, *,
                 out_of_reach: OutOfReachError | None = None) -> None:
        if isinstance(why, Said):
            problem = Problem("verificationMethod", code=why.key, params=why.params)
            why = coded(why.key, why.params)
        else:
            problem = Problem("verificationMethod", why)
        super().__init__(f"the verification method {method!r} could not be resolved: {why}",
                         problems=[problem])
        self.method = method
        self.out_of_reach = out_of_reach


def resolve_locally(method: str) -> Resolved | None:
    """The key and controller (the DID) of a ``did:key`` or ``did:jwk`` method, whose key is
    in the identifier; ``None`` for any other method.

    Raises a :class:`~credstack.errors.CredstackError` when the identifier is not one.
    """
    if method.startswith(did_key.PREFIX):
        return did_key.resolve_public_key(method), did_key.parse(method)[0]
    if method.startswith(did_jwk.PREFIX):
        return did_jwk.resolve_public_key(method), did_jwk.parse(method)[0]
    return None


def resolve(cache: MutableMapping[str, Resolved], resolver: Callable[[str], Resolved],
            method: object) -> Resolved:
    """The key and controller of a verification method; did:key and did:jwk locally, others
    outside."""
    if not isinstance(method, str):
        raise UnresolvableMethodError(method, "a verification method is a URL string")
    known = cache.get(method)
    if known is not None:
        return known
    try:
        local = resolve_locally(method)
    except CredstackError as exc:
        raise UnresolvableMethodError(method, _why(exc)) from None
    if local is not None:
        resolved = local
    else:
        try:
            resolved = resolver(method)
        except OutOfReachError as exc:
            raise UnresolvableMethodError(method, str(exc), out_of_reach=exc) from None
        except CredstackError as exc:
            raise UnresolvableMethodError(method, _whole(exc)) from None
        if (not isinstance(resolved, tuple) or len(resolved) != 2
                or not isinstance(resolved[0], PublicKey | Mapping)
                or not isinstance(resolved[1], str)):
            raise TypeError("resolve_verification_method must return (public key, controller), "
                            f"not {resolved!r}")
    cache[method] = resolved
    return resolved


def _why(error: CredstackError) -> str | Said:
    """What ``error`` and its problems say, one after the other (``…; …``): in words where
    all of them are words, else said."""
    parts = [said_of(error), *(Said(problem.code, **problem.params)
                               if problem.code and not problem.message else problem.message
                               for problem in error.problems)]
    if all(isinstance(part, str) for part in parts):
        return "; ".join(str(part) for part in parts)
    said = parts[-1]
    for part in reversed(parts[:-1]):
        said = Said("verification.check.proof.detail_and", detail=part, more=said)
    return said


def _whole(error: CredstackError) -> str | Said:
    """``error`` as its text reads (its message, then a line ``  - where: what`` per
    problem): in words where all of it is words, else said."""
    if not error.code and not any(problem.code and not problem.message
                                  for problem in error.problems):
        return str(error)
    said = said_of(error)
    for problem in error.problems:
        said = Said("verification.check.proof.detail_problem", detail=said,
                    problem=placed(problem))
    return said


def public_key(cache: MutableMapping[str, Resolved], resolver: Callable[[str], Resolved],
               method: str) -> PublicKey:
    """The Ed25519 or ECDSA key of a method (a Multikey, or an OKP or EC JWK); an RSA JWK,
    which only VC-JWTs use, is refused here."""
    key = resolve(cache, resolver, method)[0]
    if not isinstance(key, PublicKey):
        raise UnresolvableMethodError(method, "it is not an Ed25519 or ECDSA key")
    return key


def is_supported(proof: Mapping[str, Any]) -> bool:
    """Whether credstack verifies this proof: a DataIntegrityProof of a known cryptosuite, or
    a Linked Data Signature of a known type (``Ed25519Signature2020``, ``Ed25519Signature2018``)."""
    suite, kind = proof.get("cryptosuite"), proof.get("type")
    if isinstance(kind, str) and kind in PROOF_TYPES:
        return True
    return kind == DATA_INTEGRITY_PROOF and isinstance(suite, str) and suite in CRYPTOSUITES
