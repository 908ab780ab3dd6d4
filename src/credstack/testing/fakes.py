"""In-memory fakes for the core's Protocol seams.

The verifier and the services take their outside world as small callables (a method
resolver, a status-list fetcher, a document loader…). These are those callables over plain
dictionaries, typed against the Protocols they stand in for, so a test builds exactly the
world it needs and then reads ``requests`` to see what the code under test asked for. None of
them does I/O; a missing entry behaves as the real seam's "not found" (``None``) or raises the
same error the real adapter raises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, NoReturn, TypeVar

from credstack.core.access.actors import SIGN_IN_FIRST, refusal
from credstack.core.access.policy import Action, Principal, decide
from credstack.core.verification import VerificationReport
from credstack.core.verification.pipeline import VerificationKey
from credstack.errors import (
    AuthenticationRequiredError,
    CredstackError,
    Problem,
    UnknownContextError,
    VerificationMethodUnavailableError,
)

__all__ = [
    "ActingAs",
    "MemoryContexts",
    "MemoryDocuments",
    "MemoryLookup",
    "MemoryMethods",
    "MemoryProgrammes",
    "MemoryRecognitions",
    "MemorySchemas",
    "MemoryStatusLists",
    "ReportsByCredential",
]

Found = TypeVar("Found")


@dataclass(eq=False)
class MemoryLookup(Generic[Found]):
    """A key → value lookup that answers ``None`` for keys it does not hold. Fakes compare
    by identity (the loaders and lookups they stand in for are cached by identity).

    The shape of every "URL or id → the thing, or None" seam; the named fakes below are this
    with the seam's value type.
    """

    entries: dict[str, Found] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def __call__(self, key: str, /) -> Found | None:
        self.requests.append(key)
        return self.entries.get(key)


class MemoryDocuments(MemoryLookup[bytes]):
    """:class:`~credstack.core.verification.openbadges_v2.DocumentFetcher`: URL → the bytes
    served there; ``None`` (404) for any other URL."""


class MemoryStatusLists(MemoryLookup[Mapping[str, Any]]):
    """:class:`~credstack.core.verification.StatusListFetcher`: status list URL → its
    credential; ``None`` (not found) for any other URL."""


class MemorySchemas(MemoryLookup[Mapping[str, Any]]):
    """:class:`~credstack.core.verification.SchemaLookup`: schema URL → the JSON Schema."""


class MemoryProgrammes(MemoryLookup[Mapping[str, Any]]):
    """:class:`~credstack.core.verification.ProgrammeLookup`: achievement id → its record."""


class MemoryRecognitions(MemoryLookup[Sequence[Mapping[str, Any]]]):
    """:class:`~credstack.core.verification.recognition.RecognitionLookup`: achievement id →
    its recognitions; ``None`` for an achievement not known here."""


@dataclass(eq=False)
class MemoryMethods:
    """:class:`~credstack.core.verification.MethodResolver`: verification method id → (public
    key, controller). An unknown method raises
    :class:`~credstack.errors.VerificationMethodUnavailableError`, as the real resolvers do."""

    methods: dict[str, tuple[VerificationKey, str]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def __call__(self, verification_method: str, /) -> tuple[VerificationKey, str]:
        self.requests.append(verification_method)
        try:
            return self.methods[verification_method]
        except KeyError:
            raise VerificationMethodUnavailableError(
                f"{verification_method} is not a verification method this resolver holds",
                problems=[Problem("proof.verificationMethod", verification_method)],
            ) from None


@dataclass(eq=False)
class MemoryContexts:
    """:class:`~credstack.core.crypto.canonicalization.DocumentLoader` over a dictionary of
    context URL → context document. Any other URL raises
    :class:`~credstack.errors.UnknownContextError`: like the real loader it never fetches."""

    contexts: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def __call__(self, url: str, options: Mapping[str, Any] | None = None, /
                 ) -> Mapping[str, Any]:
        self.requests.append(url)
        if url not in self.contexts:
            raise UnknownContextError(f"the JSON-LD context {url} is not held by this loader",
                                      problems=[Problem("@context", url)])
        return {"contextUrl": None, "documentUrl": url, "document": self.contexts[url]}


@dataclass(eq=False)
class ReportsByCredential:
    """:class:`~credstack.core.verification.presentations.CredentialVerifier`: answers each
    credential of a presentation with the report ``verify`` gives for it (by default the one
    under the credential's ``id``), so a presentation test decides each credential's verdict.
    """

    verify: Callable[[Any], VerificationReport]
    requests: list[Any] = field(default_factory=list)

    @classmethod
    def by_id(cls, reports: Mapping[str, VerificationReport]) -> ReportsByCredential:
        """Reports chosen by the credential's ``id``; a credential without a known id is a
        test mistake (KeyError)."""
        return cls(lambda credential: reports[credential["id"]])

    def __call__(self, credential: Any, /) -> VerificationReport:
        self.requests.append(credential)
        return self.verify(credential)


@dataclass(eq=False)
class ActingAs:
    """:class:`~credstack.core.access.actors.Actor` for a given principal (``None``:
    anonymous), deciding with the same policy as the web and the CLI. Refusals are raised as
    the web raises them and kept in ``refusals`` (what the web would write to the audit log).
    """

    principal: Principal | None
    refusals: list[tuple[str, str | None, CredstackError]] = field(default_factory=list)

    def allows(self, action: Action, organisation: str | None = None, *,
               recognition_body: str | None = None, owner: str | None = None) -> bool:
        return self.principal is not None and decide(
            self.principal, action, organisation, recognition_body=recognition_body,
            owner=owner).allowed

    def require(self, action: Action, organisation: str | None = None, *,
                recognition_body: str | None = None, owner: str | None = None) -> Principal:
        error = refusal(self.principal, action, organisation,
                        recognition_body=recognition_body, owner=owner)
        if error is not None:
            self.refuse(error, action=action.value, organisation=organisation)
        assert self.principal is not None
        return self.principal

    def user(self) -> Principal:
        if self.principal is None:
            self.refuse(AuthenticationRequiredError(code=SIGN_IN_FIRST), action="sign-in")
        return self.principal

    def refuse(self, error: CredstackError, *, action: str,
               organisation: str | None = None) -> NoReturn:
        self.refusals.append((action, organisation, error))
        raise error

