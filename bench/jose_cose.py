#!/usr/bin/env python3
"""Benchmark: credentials secured per second in each VC-JOSE-COSE format, engine level, one core.

    .venv/bin/python bench/jose_cose.py [--seconds 2]

Target (issue 58): ``vc+jwt`` and ``vc+cose`` with EdDSA ≥ 10,000/s per core. Each signing
secures a fresh ~2 KB credential (its own id and learner) with the core recipes the issuer
calls (``vc_jwt.sign``, ``sd_jwt.issue`` with the subject's name and achievement selectively
disclosable, ``vc_cose.sign``), for an Ed25519, P-256, P-384 and P-521 key. CPU time of this
process is counted (the machine is shared). The script reports; it does not judge.
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Callable
from typing import Any

from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.proofs.cryptosuites import sd_jwt, vc_cose, vc_jwt


def credential(number: int) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"urn:uuid:{uuid.uuid4()}", "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:web:credstack.example:organisations:hokuto-tech",
                   "type": ["Profile"], "name": "北都工業大学"},
        "validFrom": "2026-11-28T00:00:00Z", "name": "データサイエンス基礎 Micro-credential",
        "credentialSubject": {
            "id": f"did:example:learner-{number}", "type": ["AchievementSubject"],
            "name": f"学習者 {number}",
            "achievement": {
                "id": "https://credstack.example/achievements/7/v1", "type": ["Achievement"],
                "name": "データサイエンス基礎", "description": "統計と機械学習の基礎を学ぶ"
                " 30 時間のプログラム。" * 8,
                "criteria": {"narrative": "修了試験 60 点以上、出席 80% 以上。" * 6},
                "creditsAvailable": 2, "inLanguage": "ja"}}}


def rate(operation: Callable[[int], object], seconds: float) -> float:
    count, start = 0, time.process_time()
    while (spent := time.process_time() - start) < seconds:
        for _ in range(50):
            operation(count)
            count += 1
    return count / spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    seconds = parser.parse_args().seconds
    disclosable = ["credentialSubject.name", "credentialSubject.achievement"]
    print(f"{'format':<11}{'key':<9}{'per second (one core, CPU time)':>34}")
    for key_type in (KeyType.ED25519, KeyType.P256, KeyType.P384, KeyType.P521):
        key = KeyPair.generate(key_type)
        kid = f"did:web:credstack.example:organisations:hokuto-tech#{key_type.value}"
        operations: dict[str, Callable[[int], object]] = {
            "vc+jwt": lambda n, key=key, kid=kid: vc_jwt.sign(credential(n), key=key, kid=kid),
            "vc+sd-jwt": lambda n, key=key, kid=kid: sd_jwt.issue(
                credential(n), key=key, kid=kid, disclosable=disclosable),
            "vc+cose": lambda n, key=key, kid=kid: vc_cose.sign(credential(n), key=key, kid=kid),
        }
        for name, operation in operations.items():
            print(f"{name:<11}{key_type.value:<9}{rate(operation, seconds):>34,.0f}")
    print(f"{'(building)':<11}{'-':<9}{rate(credential, seconds):>34,.0f}")


if __name__ == "__main__":
    main()
