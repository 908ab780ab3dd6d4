"""What every Data Integrity cryptosuite checks the same way: keys, proof configuration, dates,
``proofValue``; the cache of proof configuration hashes; and :class:`Suite`, what the RDFC
and JCS suites (:mod:`._rdfc`, :mod:`._jcs`) are made of.

Data Integrity EdDSA Cryptosuites v1.0 and Data Integrity ECDSA Cryptosuites v1.0 — W3C
Recommendations, 15 May 2025 — https://www.w3.org/TR/vc-di-eddsa/ ,
https://www.w3.org/TR/vc-di-ecdsa/ ("Proof Configuration" of each suite);
dates per XML Schema Definition Language 1.1 Part 2, §3.3.7 ``dateTime`` and §3.4.28
``dateTimeStamp`` — W3C Recommendation, 5 April 2012 — https://www.w3.org/TR/xmlschema11-2/ .
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Collection, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from credstack.core.crypto.keys import KeyPair, KeyType, PublicKey
from credstack.core.crypto.multibase import decode_base58btc
from credstack.core.crypto.rdfc import HashAlgorithm
from credstack.core.said import Said
from credstack.errors import MalformedCredentialError, Problem

#: The prefix of what the suites say alike (``proof.suite.…``; a problem
#: ``proof.suite.problem.…``).
_SAID = "proof.suite."

_DATE_TIME = re.compile(
    r"-?(?P<year>[1-9][0-9]{3,}|0[0-9]{3})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12][0-9]|3[01])"
    r"T(?:(?P<hour>[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?|24:00:00(?:\.0+)?)"
    r"(?P<zone>Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?")


def is_date_time(value: Any, *, require_zone: bool) -> bool:
    """An XML Schema ``dateTime`` (``dateTimeStamp`` when ``require_zone``), day included."""
    if not isinstance(value, str):
        return False
    match = _DATE_TIME.fullmatch(value)
    if match is None or (require_zone and match["zone"] is None):
        return False
    year = int(match["year"]) * (-1 if value.startswith("-") else 1)
    month, day = int(match["month"]), int(match["day"])
    return day <= _days_in_month(year, month)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def digest(algorithm: HashAlgorithm, data: bytes) -> bytes:
    """The SHA-256 or SHA-384 digest a suite's *Hashing* algorithm takes of ``data``."""
    return hashlib.new(algorithm, data).digest()


def check_signing_key(key: KeyPair, cryptosuite: str, key_types: Collection[KeyType]) -> None:
    """Refuse to sign with a key of a type the suite does not sign with."""
    if key.type not in key_types:
        raise MalformedCredentialError(code=_SAID + "signing_key", params={
            "suite": cryptosuite, "types": _either(key_types), "found": key.type.value})


def check_verification_key(public_key: PublicKey, cryptosuite: str,
                           key_types: Collection[KeyType]) -> None:
    """Refuse to verify with a key of a type the suite does not sign with."""
    if public_key.type not in key_types:
        types, found = _either(key_types), public_key.type.value
        raise MalformedCredentialError(
            code=_SAID + "verification_key",
            params={"suite": cryptosuite, "types": types, "found": found},
            problems=[Problem("proof.verificationMethod", code=_SAID + "problem.key",
                              params={"found": found, "types": types})])


def _either(values: Collection[object]) -> Said | str:
    """``values`` said as alternatives (``Ed25519 or P-256``), in the reader's words."""
    first, *rest = [str(getattr(value, "value", value)) for value in values]
    return Said(_SAID + "or", first=first, then=_either(rest)) if rest else first


def check_proof_configuration(config: Mapping[str, Any], cryptosuite: str) -> None:
    """The suites' Proof Configuration checks (the error is PROOF_GENERATION_ERROR)."""
    if config.get("type") != "DataIntegrityProof":
        raise MalformedCredentialError(code=_SAID + "config_type", problems=[_expected(
            "proof.type", "DataIntegrityProof", config.get("type"))])
    if config.get("cryptosuite") != cryptosuite:
        raise MalformedCredentialError(
            code=_SAID + "config_suite", params={"suite": cryptosuite}, problems=[_expected(
                "proof.cryptosuite", cryptosuite, config.get("cryptosuite"))])
    for name in ("created", "expires"):
        if name in config and not is_date_time(config[name], require_zone=False):
            raise MalformedCredentialError(
                code="proof.di.not_date_time", params={"member": f"proof.{name}"},
                problems=[Problem(f"proof.{name}", code=_SAID + "problem.not_date_time",
                                  params={"value": repr(config[name])})])


def _expected(location: str, expected: str, found: object) -> Problem:
    return Problem(location, code=_SAID + "problem.expected",
                   params={"expected": repr(expected), "found": repr(found)})


def decode_proof_value(proof: Mapping[str, Any], cryptosuite: str,
                       lengths: Collection[int]) -> bytes:
    """The signature bytes of a base58-btc ``proofValue``, of one of the ``lengths``."""
    value = proof.get("proofValue")
    if not isinstance(value, str):
        raise MalformedCredentialError(code=_SAID + "no_value", problems=[Problem(
            "proof.proofValue", code=_SAID + "problem.missing_or_not_string")])
    try:
        signature = decode_base58btc(value)
    except MalformedCredentialError as exc:
        # What the decoder found, in its words (or its code).
        said = Problem("proof.proofValue", code=exc.code, params=exc.params) if exc.code \
            else Problem("proof.proofValue", exc.message)
        raise MalformedCredentialError(code=_SAID + "not_base58", problems=[said]) from None
    if len(signature) not in lengths:
        raise MalformedCredentialError(
            code=_SAID + "value_length",
            params={"length": str(len(signature)), "suite": cryptosuite,
                    "expected": _either(sorted(lengths))},
            problems=[Problem("proof.proofValue", code=_SAID + "problem.wrong_length")])
    return signature


class ConfigHashes:
    """SHA-256 of canonical proof configurations, remembered (bounded, thread-safe).

    A proof configuration is a handful of strings — type, suite, created, method, purpose,
    the document's contexts — that repeat across every credential an issuer signs in one
    second, and across every credential of one issuer a verifier checks. Its canonical form
    and hash depend on nothing else (for RDFC: and on the document loader, which is part of
    the key), so the hash is computed once per distinct configuration. Configurations that
    hold anything but strings and lists of strings are not cached.

    It sits on the signing hot path, so a hit is one plain dictionary read (atomic, no
    lock). When it is full the oldest entry goes first; if that was the configuration still
    in use, its hash is simply computed once more.
    """

    def __init__(self, maxsize: int = 1024) -> None:
        self._hashes: dict[Hashable, bytes] = {}
        self._maxsize = max(1, maxsize)
        self._lock = threading.Lock()

    def get(self, config: Mapping[str, Any], extra: object,
            compute: Callable[[], bytes]) -> bytes:
        key = _freeze(config, extra)
        if key is None:
            return compute()
        known = self._hashes.get(key)
        if known is None:
            known = compute()
            with self._lock:
                while len(self._hashes) >= self._maxsize:
                    del self._hashes[next(iter(self._hashes))]
                self._hashes[key] = known
        return known


def _freeze(config: Mapping[str, Any], extra: object) -> Hashable | None:
    # Lists become tuples: a string and a list of strings still never compare equal, and a
    # list of strings has the same canonical form whichever sequence type holds it.
    items: list[tuple[str, str | tuple[str, ...]]] = []
    for name, value in config.items():
        if type(value) is str:
            items.append((name, value))
        elif type(value) is list and all(type(item) is str for item in value):
            items.append((name, tuple(value)))
        else:
            return None
    try:
        hash(extra)
    except TypeError:
        return None
    return (extra, tuple(items))


@dataclass(frozen=True, eq=False)
class Suite:
    """A cryptosuite: its name, and the key types that sign with it, each with the hash its
    *Hashing* (and, for RDFC, RDF canonicalization) takes."""

    name: str
    hashes: Mapping[KeyType, HashAlgorithm]
    _config_hashes: ConfigHashes = field(default_factory=ConfigHashes, repr=False)

    def hash_data(self, transformed_document: bytes, canonical_proof_config: bytes, *,
                  key_type: KeyType) -> bytes:
        """*Hashing*: the hash of the proof configuration, then of the document."""
        algorithm = self.hashes[key_type]
        return digest(algorithm, canonical_proof_config) + digest(algorithm, transformed_document)

    def decode_proof_value(self, proof: Mapping[str, Any]) -> bytes:
        """The signature of a base58-btc ``proofValue``, as long as a signature of the suite's
        keys (64 bytes, or 96 for P-384)."""
        return decode_proof_value(proof, self.name,
                                  {key_type.signature_length for key_type in self.hashes})

    def check_transformation_options(self, options: Mapping[str, Any]) -> None:
        """*Transformation* step 1: the options name this suite (PROOF_TRANSFORMATION_ERROR)."""
        if options.get("type") != "DataIntegrityProof" or options.get("cryptosuite") != self.name:
            raise MalformedCredentialError(code=_SAID + "transformation",
                                           params={"suite": self.name})
