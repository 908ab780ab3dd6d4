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
from credstack.errors import (
    AccessDeniedError,
    AuthenticationRequiredError,
    CredstackError,
    Problem,
)

#: What an actor says when a service needs someone signed in, whatever their roles (a
#: message key: ``AuthenticationRequiredError(code=SIGN_IN_FIRST)``).
SIGN_IN_FIRST = "access.refused.sign_in_first"


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


def refusal(principal: Principal | None, action: Action, organisation: str | None = None, *,
            recognition_body: str | None = None, owner: str | None = None
            ) -> CredstackError | None:
    """Why ``principal`` may not do ``action`` on ``organisation``'s records, as the error an
    actor raises (``AuthenticationRequiredError`` for nobody, ``AccessDeniedError`` when the
    roles or scopes do not allow it); ``None`` when it may. Every actor decides with this."""
    decision = decide(principal, action, organisation, recognition_body=recognition_body,
                      owner=owner)
    reason = decision.reason
    if principal is None:
        return AuthenticationRequiredError(code=reason.key, params=reason.params)
    if not decision.allowed:
        return AccessDeniedError(code=reason.key, params=reason.params, problems=[
            Problem("action", action.value),
            *([Problem("organisation", organisation)] if organisation else [])])
    return None


def operator_principal(name: str) -> Principal:
    """The platform operator at the console: a registry admin named ``cli:<name>``."""
    return Principal(subject=f"cli:{name}", user_id=None, email=None,
                     memberships=frozenset({Membership(PLATFORM, Role.REGISTRY_ADMIN)}))


class DecidingActor:
    """An :class:`Actor` whose checks are :func:`decide`'s about its :attr:`principal`; a
    subclass says who the principal is and may record a refusal (:meth:`refuse`) before it
    is raised."""

    __slots__ = ()

    @property
    def principal(self) -> Principal | None:
        raise NotImplementedError

    def allows(self, action: Action, organisation: str | None = None, *,
               recognition_body: str | None = None, owner: str | None = None) -> bool:
        """Whether :meth:`require` would pass (to show or hide a choice; never recorded)."""
        return decide(self.principal, action, organisation, recognition_body=recognition_body,
                      owner=owner).allowed

    def require(self, action: Action, organisation: str | None = None, *,
                recognition_body: str | None = None, owner: str | None = None) -> Principal:
        """The principal when allowed ``action`` on ``organisation``'s records; else
        :meth:`refuse` with :func:`refusal`'s error."""
        error = refusal(self.principal, action, organisation,
                        recognition_body=recognition_body, owner=owner)
        if error is not None:
            self.refuse(error, action=action.value, organisation=organisation)
        assert self.principal is not None
        return self.principal

    def refuse(self, error: CredstackError, *, action: str,
               organisation: str | None = None) -> NoReturn:
        """Raise ``error`` (a subclass records it first)."""
        raise error


@dataclass(frozen=True, slots=True)
class Operator(DecidingActor):
    """The person at the console (``credstack …`` commands): the platform operator.

    Whoever can run the command can read the store and its secret key, so the operator is a
    registry admin; what a registry admin may not do (decide an application, for instance)
    is refused here as it is to one on the web.
    """

    name: str

    @property
    def principal(self) -> Principal:
        return operator_principal(self.name)

    def user(self) -> Principal:
        return self.principal


@dataclass(frozen=True, slots=True)
class ActingAs(DecidingActor):
    """Someone acting through the services with a principal already known: the person who
    started a job, as the worker runs it for them, or a demo account loading the demo set."""

    who: Principal

    @property
    def principal(self) -> Principal:
        return self.who

    def user(self) -> Principal:
        return self.who
