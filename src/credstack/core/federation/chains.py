"""Trust chains: collected through the authority hints, then validated link by link.

OpenID Federation 1.0, draft 48 — 1 February 2026 —
https://openid.net/specs/openid-federation-1_0.html — §4 (Trust Chain), §6.2 (constraints),
§10.1 (fetching the statements, refusing loops), §10.2 (validating the chain), §6.1.4
(resolving the metadata policy and applying it).

:func:`collect` walks up from an entity's configuration through its ``authority_hints``
until it reaches a trust anchor it is given, fetching each statement from a
:class:`StatementSource` (the network, or a cache); an authority hint that leads back to an
entity already on the path is not followed, and when nothing but loops remains the chain is
refused (``authority-loop``). :func:`validate` checks a chain — every statement's type,
claims, times and signature, each issuer's key in its superior's statement, the anchor's key
as configured, the constraints — and resolves the subject's metadata; it raises
:class:`~credstack.errors.TrustChainError` with the first reason the chain fails for.
Trust marks in the subject's configuration are validated too: those refused are reported,
each with its reason, and never counted.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from credstack.core.federation import policy, statements, trust_marks
from credstack.core.federation.statements import Statement, VerifiedSignatures
from credstack.errors import TrustChainError

__all__ = ["MAX_DEPTH", "StatementSource", "ValidatedChain", "collect", "validate"]

#: The most statements followed upward from a subject before giving up.
MAX_DEPTH: Final = 8


class StatementSource(Protocol):
    """Where the statements of a chain come from (the network, a cache, a test's dict)."""

    def configuration(self, entity_id: str) -> str:
        """The entity configuration JWT of ``entity_id``."""

    def subordinate(self, issuer: Statement, subject: str) -> str:
        """The statement ``issuer`` (its configuration) makes about ``subject``."""


@dataclass(frozen=True, slots=True)
class ValidatedChain:
    """A trust chain that validated: from the subject's configuration to the anchor's."""

    subject: str
    anchor: str
    statements: tuple[Statement, ...]
    metadata: dict[str, Any]
    expires: dt.datetime
    trust_marks: tuple[Statement, ...] = ()
    #: Trust marks in the subject's configuration that were refused, each with its reason.
    refused_marks: tuple[tuple[str, TrustChainError], ...] = field(default=())

    @property
    def tokens(self) -> list[str]:
        return [statement.token for statement in self.statements]


def _configuration(
    source: StatementSource, entity_id: str, now: dt.datetime, verified: VerifiedSignatures | None
) -> Statement:
    found = statements.read(source.configuration(entity_id), typ=statements.ENTITY_STATEMENT)
    if not found.is_configuration or found.sub != entity_id:
        raise TrustChainError(
            f"What {entity_id} serves as its entity configuration is {found.describe()}.",
            reason="wrong-subject",
        )
    statements.check_entity_statement(found)
    statements.check_times(found, now)
    statements.verify(found, found.claims["jwks"], verified=verified)
    return found


def collect(
    subject: str,
    *,
    anchors: Sequence[str],
    source: StatementSource,
    now: dt.datetime,
    verified: VerifiedSignatures | None = None,
) -> list[str]:
    """The statements of a chain from ``subject`` to one of ``anchors``, leaf first.

    Prefers the shortest chain. :class:`TrustChainError` ``authority-loop`` when every path
    upward returns to an entity already on it, ``no-path`` when none reaches an anchor.
    """
    leaf = _configuration(source, subject, now, verified)
    # Breadth first, so the first chain found is a shortest one; each path carries the
    # configurations from the subject up.
    frontier: list[list[Statement]] = [[leaf]]
    looped = False
    for _ in range(MAX_DEPTH):
        following: list[list[Statement]] = []
        for path in frontier:
            top = path[-1]
            if top.sub in anchors:
                return _statements(path, source)
            for hint in top.claims.get("authority_hints") or ():
                if any(step.sub == hint for step in path):
                    looped = True
                    continue
                try:
                    following.append([*path, _configuration(source, hint, now, verified)])
                except TrustChainError:
                    continue
        if not following:
            break
        frontier = following
    if looped:
        raise TrustChainError(
            f"The authority hints of {subject} lead back to themselves; "
            "no chain reaches a trust anchor.",
            reason="authority-loop",
        )
    raise TrustChainError(
        f"No chain leads from {subject} to a trusted anchor ({', '.join(anchors)}).",
        reason="no-path",
    )


def _statements(path: Sequence[Statement], source: StatementSource) -> list[str]:
    if len(path) == 1:
        return [path[0].token]
    chain = [path[0].token]
    chain.extend(source.subordinate(above, below.sub) for below, above in itertools.pairwise(path))
    return [*chain, path[-1].token]


def _check_constraints(chain: Sequence[Statement]) -> None:
    """§6.2: ``max_path_length`` and ``allowed_entity_types`` of each subordinate statement."""
    for index in range(1, len(chain) - 1):
        constraints = chain[index].claims.get("constraints") or {}
        if not isinstance(constraints, dict):
            raise TrustChainError(
                f"{chain[index].describe().capitalize()} has constraints that are not an object.",
                reason="malformed",
            )
        limit = constraints.get("max_path_length")
        # Intermediates between the statement's issuer and the subject.
        between = index - 1
        if isinstance(limit, int) and not isinstance(limit, bool) and between > limit:
            raise TrustChainError(
                f"{chain[index].iss} allows {limit} intermediates below it; the chain has "
                f"{between}.",
                reason="constraint",
            )


def _resolve_metadata(chain: Sequence[Statement]) -> dict[str, Any]:
    leaf = chain[0]
    metadata = {kind: dict(values) for kind, values in (leaf.claims.get("metadata") or {}).items()}
    if len(chain) > 2:
        for kind, values in (chain[1].claims.get("metadata") or {}).items():
            if kind in metadata:
                metadata[kind].update(values)
        for index in range(1, len(chain) - 1):
            allowed = (chain[index].claims.get("constraints") or {}).get("allowed_entity_types")
            if isinstance(allowed, list):
                metadata = {
                    kind: values
                    for kind, values in metadata.items()
                    if kind == "federation_entity" or kind in allowed
                }
        subordinates = list(reversed(chain[1:-1]))
        resolved = policy.resolve(
            (
                statement.claims.get("metadata_policy") or {},
                statement.claims.get("metadata_policy_crit") or (),
            )
            for statement in subordinates
        )
        metadata = policy.apply(metadata, resolved)
    return metadata


def validate(
    tokens: Sequence[str],
    *,
    anchor: str,
    anchor_jwks: Mapping[str, Any],
    now: dt.datetime,
    mark_status: Callable[[Statement], trust_marks.MarkStanding] | None = None,
    verified: VerifiedSignatures | None = None,
) -> ValidatedChain:
    """Validate the chain ``tokens`` (subject first, ``anchor``'s configuration last).

    ``anchor_jwks`` are the anchor's keys as the verifier configured them (never those the
    chain brings). ``mark_status``, when given, asks a trust mark's issuer whether the mark
    still stands; a withdrawn one is refused (``trust-mark-withdrawn``). ``verified``
    remembers signatures checked before (a resolver's cache), which are not checked again;
    everything else — types, claims, times, links, policies — is judged on every call.
    """
    if not tokens:
        raise TrustChainError("A trust chain needs at least one statement.", reason="malformed")
    chain = tuple(statements.read(token, typ=statements.ENTITY_STATEMENT) for token in tokens)
    for statement in chain:
        statements.check_entity_statement(statement)
        statements.check_times(statement, now)
    leaf, top = chain[0], chain[-1]
    if not leaf.is_configuration:
        raise TrustChainError(
            f"A trust chain starts with its subject's entity configuration, not {leaf.describe()}.",
            reason="malformed",
        )
    if not top.is_configuration or top.iss != anchor:
        raise TrustChainError(
            f"The chain ends with {top.describe()}, not the configuration "
            f"of the trust anchor {anchor}.",
            reason="wrong-anchor",
        )
    for index in range(1, len(chain) - 1):
        if chain[index].is_configuration:
            raise TrustChainError(
                f"{chain[index].describe().capitalize()} stands where a "
                "subordinate statement belongs.",
                reason="malformed",
            )
    for below, above in itertools.pairwise(chain):
        if below.iss != above.sub:
            raise TrustChainError(
                f"{below.describe().capitalize()} is not followed by a "
                f"statement about {below.iss}.",
                reason="broken-chain",
            )
    if len(chain) > 1 and chain[1].iss not in (leaf.claims.get("authority_hints") or ()):
        raise TrustChainError(
            f"{chain[1].iss} is not among the authority hints of {leaf.sub}.",
            reason="authority-hints",
        )
    statements.verify(leaf, leaf.claims["jwks"], verified=verified)
    for below, above in itertools.pairwise(chain[1:]):
        statements.verify(below, above.claims["jwks"], verified=verified)
    statements.verify(top, anchor_jwks, verified=verified)
    if len(chain) > 1:
        # The subject's own keys must be those its superior states.
        statements.verify(leaf, chain[1].claims["jwks"], verified=verified)
    _check_constraints(chain)
    metadata = _resolve_metadata(chain)
    accepted, refused = _marks(leaf, top, now, mark_status, verified)
    expires = min(statement.expires for statement in chain)
    return ValidatedChain(leaf.sub, anchor, chain, metadata, expires, accepted, refused)


def _marks(
    leaf: Statement,
    top: Statement,
    now: dt.datetime,
    mark_status: Callable[[Statement], trust_marks.MarkStanding] | None,
    verified: VerifiedSignatures | None,
) -> tuple[tuple[Statement, ...], tuple[tuple[str, TrustChainError], ...]]:
    accepted: list[Statement] = []
    refused: list[tuple[str, TrustChainError]] = []
    issuers = top.claims.get("trust_mark_issuers") or {}
    for entry in leaf.claims.get("trust_marks") or ():
        mark_type = (
            str(entry.get("trust_mark_type", entry.get("id", "")))
            if isinstance(entry, dict)
            else ""
        )
        try:
            if not isinstance(entry, dict) or not isinstance(entry.get("trust_mark"), str):
                raise TrustChainError("A trust_marks item holds no trust mark.", reason="malformed")
            mark = trust_marks.validate(
                entry["trust_mark"],
                subject=leaf.sub,
                issuer_jwks=top.claims["jwks"],
                now=now,
                trusted_issuers=issuers,
                anchor=top.iss,
                verified=verified,
            )
            if mark.claims.get("trust_mark_type", mark.claims.get("id")) != mark_type:
                raise TrustChainError(
                    f"The trust mark listed as {mark_type} is of another type.", reason="malformed"
                )
            if mark_status is not None:
                standing = mark_status(mark)
                if standing != "active":
                    raise TrustChainError(
                        f"The trust mark {mark_type} is {standing} according to its issuer.",
                        reason="trust-mark-withdrawn"
                        if standing == "revoked"
                        else f"trust-mark-{standing}",
                    )
            accepted.append(mark)
        except TrustChainError as refusal:
            refused.append((mark_type, refusal))
    return tuple(accepted), tuple(refused)
