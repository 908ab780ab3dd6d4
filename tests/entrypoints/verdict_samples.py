"""Every kind of reason a verdict gives, as a failed or undecided check in a report: what
``test_words`` words in Japanese and English and compares with the words credstack gave
before its core said codes (``verdict_words.json``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from credstack.core.verification import (
    Check,
    CheckKind,
    Missing,
    VerificationReport,
)

#: When the verification ran, as the validity check states it.
NOW = "2026-06-01T09:00:00+00:00"

_PLAIN = [
    ("parse", "unreadable"), ("data-model", "data-model"), ("contexts", "unknown-context"),
    ("proof", "unsupported-proof"), ("proof", "undefined-term"), ("proof", "proof-expired"),
    ("proof", "base-proof"), ("proof", "unsecured-jwt"), ("proof", "disclosure"),
    ("proof", "key-binding"), ("proof", "malformed-proof"), ("proof", "unsealed"),
    ("parse", "jades-b64"), ("issuer", "certificate-expired-at-signing"),
    ("issuer", "untrusted-seal"), ("contexts", "context-clash"), ("issuer", "unknown-issuer"),
    ("validity", "bad-date"), ("status", "status-unusable"),
]
_TITLED = [("holder", "holder-mismatch"), ("pdf-signature", "weak-digest"),
           ("no-such-check", "whatever")]
_MISSING = ["blockchain", "trust-list", "context", "status-list", "key", "document"]
_WHY = ["offline", "not-allowed", "not-found", "unsupported", "unreadable", "unreachable",
        "server"]
_PROBLEMS = [{"location": "issuer", "message": "must be a Profile object"},
             {"location": "credentialSubject.id", "message": "is required"},
             {"location": "name", "message": "is required"}]


def _validity(**details: Any) -> Check:
    return Check("validity", True, "", "", {"now": NOW, **details})


def samples() -> Iterator[tuple[str, VerificationReport]]:
    """(a name, a report whose verdict gives the reason so named)."""
    for code in ("revoked", "suspended"):
        yield (f"status/{code}/dated",
               VerificationReport((_validity(), Check("status", False, "", "", code=code))))
        yield f"status/{code}", VerificationReport((Check("status", False, "", "", code=code),))
    for name, start in (("validUntil", "2025-05-01T00:00:00Z"),
                        ("expirationDate", "2024-12-31T23:00:00-05:00")):
        yield f"validity/expired/{name}", VerificationReport((
            Check("validity", False, "", "", {"now": NOW, name: start}, code="expired"),))
    yield "validity/expired/undated", VerificationReport((
        Check("validity", False, "", "", {"now": NOW}, code="expired"),))
    for name in ("validFrom", "issuanceDate"):
        yield f"validity/not-yet-valid/{name}", VerificationReport((
            Check("validity", False, "", "", {"now": NOW, name: "2027-04-01T00:00:00+09:00"},
                  code="not-yet-valid"),))
    for name, code in (("proof", "signature"), ("pdf-signature", "signature"),
                       ("pdf-signature", "altered"), ("pdf-signature", "modified-after-signing"),
                       ("proof", "missing-proof"), ("proof", "unresolvable-method"),
                       ("issuer", "issuer-mismatch"), *_PLAIN, *_TITLED):
        yield f"{name}/{code}", VerificationReport((Check(name, False, "", "", code=code),))
    for name in ("open-badges", "credential-schema", "elm-shapes"):
        for count in (0, 1, 3):
            yield f"{name}/{count}-problems", VerificationReport((Check(
                name, False, "", "", {"problems": _PROBLEMS[:count]}, code=name,
                kind=CheckKind.CONFORMANCE),), strict=True)
    for what in _MISSING:
        for why in _WHY:
            for url in ("https://issuer.example/status/3", None):
                for name in ("status", "issuer"):
                    missing = Missing(what, why, url, "detail")
                    yield (f"undecided/{name}/{what}/{why}/{'host' if url else 'no-host'}",
                           VerificationReport((Check(name, None, "", "", code="out-of-reach",
                                                     missing=missing),)))


def statements() -> Iterator[tuple[str, dict[str, Any]]]:
    """(a name, the fields of a verdict whose statement is so named)."""
    for outcome in ("verified", "not-verified"):
        for signed in (False, True):
            for learner in ((), ("Hanako Yamada", "山田花子")):
                for achievement in ({}, {"en": "Embedded Systems", "ja": "組込みシステム"}):
                    for issuer in ({}, {"und": "Hi-no-Kuni College"}):
                        name = (f"{outcome}/{'signed' if signed else 'unsigned'}/"
                                f"{len(learner)}/{len(achievement)}/{len(issuer)}")
                        yield name, {"outcome": outcome, "signed": signed,
                                     "learner_names": learner, "achievement": achievement,
                                     "issuer": issuer}
