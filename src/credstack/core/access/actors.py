"""Who acts: the seam between a service and whoever calls it.

A service that reads or changes something not everyone may see or change takes an
:class:`Actor`. Once it knows whose record it touches it asks
``actor.require(action, organisation)``, which returns the :class:`Principal` or raises, and
it writes ``principal.subject`` into the audit entry. The web adapter's actor is the caller of
the request (its refusals are written to the audit log with the request's method, path and
address); the console's is the :class:`Operator`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn, Protocol

from credstack.core.access.policy import PLATFORM, Action, Membership, Principal, Role, decide
from credstack.errors import AccessDeniedError, CredstackError, Problem


class Actor(Protocol):
    """Whoever asks a service to act, and the checks the service makes about them."""

    @property
    def principal(self) -> Principal | None:
        """The signed-in user, token holder or operator; None for an anonymous visitor."""

    def allows(self, action: Action, organisation: str | None = None, *,
               recognition_body: str | None = None, owner: str | None = None) -> bool:
        """Whether :meth:`require` would pass (to show or hide a choice; never recorded)."""

    def require(self, action: Action, organisation: str | None = None, *,
                recognition_body: str | None = None, owner: str | None = None) -> Principal:
        """The principal when allowed ``action`` on ``organisation``'s records; else raise
        :class:`~credstack.errors.AuthenticationRequiredError` or
        :class:`~credstack.errors.AccessDeniedError` (and record the refusal)."""

    def user(self) -> Principal:
        """The principal whatever their roles; raise when nobody is signed in."""

    def refuse(self, error: CredstackError, *, action: str,
               organisation: str | None = None) -> NoReturn:
        """Record and raise a refusal the service decided itself (not the assigned
        evaluator, not the credential's learner, …)."""


def operator_principal(name: str) -> Principal:
    """The platform operator at the console: a registry admin named ``cli:<name>``."""
    return Principal(subject=f"cli:{name}", user_id=None, email=None,
                     memberships=frozenset({Membership(PLATFORM, Role.REGISTRY_ADMIN)}))


@dataclass(frozen=True, slots=True)
class Operator:
    """The person at the console (``credstack …`` commands): the platform operator.

    Whoever can run the command can read the store and its secret key, so the operator is a
    registry admin; what a registry admin may not do (decide an application, for instance)
    is refused here as it is to one on the web.
    """

    name: str

    @property
    def principal(self) -> Principal:
        return operator_principal(self.name)

    def allows(self, action: Action, organisation: str | None = None, *,
               recognition_body: str | None = None, owner: str | None = None) -> bool:
        return decide(self.principal, action, organisation, recognition_body=recognition_body,
                      owner=owner).allowed

    def require(self, action: Action, organisation: str | None = None, *,
                recognition_body: str | None = None, owner: str | None = None) -> Principal:
        decision = decide(self.principal, action, organisation,
                          recognition_body=recognition_body, owner=owner)
        if not decision.allowed:
            raise AccessDeniedError(f"{decision.reason_en} / {decision.reason_ja}",
                                    problems=[Problem("action", action.value)])
        return self.principal

    def user(self) -> Principal:
        return self.principal

    def refuse(self, error: CredstackError, *, action: str,
               organisation: str | None = None) -> NoReturn:
        raise error
