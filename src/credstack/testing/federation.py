"""A federation in memory: entities with their keys, signing statements as they are asked.

:class:`MemoryFederation` is a :class:`~credstack.core.federation.chains.StatementSource`
for the chain tests and ``bench/federation.py``: add entities (each with a federation key of
its own), say what a superior states about a subordinate, and read the signed statements
back, as a resolver would fetch them. It keeps what it was asked in ``requests``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.federation import statements
from credstack.core.federation.statements import Statement

__all__ = ["MemoryFederation"]


@dataclass
class MemoryFederation:
    """Entities, their keys and their statements; every statement valid for a day from
    ``now`` unless a test signs it otherwise."""

    now: dt.datetime
    keys: dict[str, KeyPair] = field(default_factory=dict)
    configurations: dict[str, dict[str, Any]] = field(default_factory=dict)
    subordinates: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    #: Tokens served instead of signing, by (issuer, subject): tampered copies.
    replaced: dict[tuple[str, str], str] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    _signed: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(
        self,
        entity_id: str,
        *,
        authority_hints: Sequence[str] = (),
        metadata: Mapping[str, Any] | None = None,
        key_type: KeyType = KeyType.P256,
        **claims: Any,
    ) -> KeyPair:
        """An entity with a fresh key; its configuration names ``authority_hints``."""
        key = KeyPair.generate(key_type)
        self.keys[entity_id] = key
        configuration: dict[str, Any] = {"metadata": dict(metadata or {}), **claims}
        if authority_hints:
            configuration["authority_hints"] = list(authority_hints)
        self.configurations[entity_id] = configuration
        return key

    def jwks(self, entity_id: str) -> dict[str, Any]:
        return {"keys": [statements.federation_jwk(self.keys[entity_id].public_key)]}

    def state(self, issuer: str, subject: str, **claims: Any) -> None:
        """``issuer`` states ``claims`` (metadata, a metadata policy …) about ``subject``."""
        self.subordinates[(issuer, subject)] = dict(claims)

    def times(
        self, *, issued: dt.datetime | None = None, lifetime: dt.timedelta | None = None
    ) -> dict[str, int]:
        start = issued or self.now
        end = start + (lifetime or dt.timedelta(days=1))
        return {"iat": int(start.timestamp()), "exp": int(end.timestamp())}

    def sign(
        self, issuer: str, claims: Mapping[str, Any], *, typ: str = statements.ENTITY_STATEMENT
    ) -> str:
        return statements.sign(claims, key=self.keys[issuer], typ=typ)

    def configuration_claims(self, entity_id: str) -> dict[str, Any]:
        return {
            "iss": entity_id,
            "sub": entity_id,
            **self.times(),
            "jwks": self.jwks(entity_id),
            **self.configurations[entity_id],
        }

    def subordinate_claims(self, issuer: str, subject: str) -> dict[str, Any]:
        return {
            "iss": issuer,
            "sub": subject,
            **self.times(),
            "jwks": self.jwks(subject),
            **self.subordinates[(issuer, subject)],
        }

    # --- the StatementSource -----------------------------------------------------------

    def configuration(self, entity_id: str) -> str:
        self.requests.append(("configuration", entity_id))
        return self._token(entity_id, entity_id)

    def subordinate(self, issuer: Statement, subject: str) -> str:
        self.requests.append(("subordinate", f"{issuer.sub} → {subject}"))
        return self._token(issuer.sub, subject)

    def _token(self, issuer: str, subject: str) -> str:
        if (issuer, subject) in self.replaced:
            return self.replaced[(issuer, subject)]
        if (issuer, subject) not in self._signed:
            claims = (
                self.configuration_claims(issuer)
                if issuer == subject
                else self.subordinate_claims(issuer, subject)
            )
            self._signed[(issuer, subject)] = self.sign(issuer, claims)
        return self._signed[(issuer, subject)]

    def chain(self, *entity_ids: str) -> list[str]:
        """The chain through ``entity_ids`` (subject first, anchor last), as signed now."""
        tokens = [self._token(entity_ids[0], entity_ids[0])]
        tokens.extend(self._token(above, below) for below, above in itertools.pairwise(entity_ids))
        return [*tokens, self._token(entity_ids[-1], entity_ids[-1])]
