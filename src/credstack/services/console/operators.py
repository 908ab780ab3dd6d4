"""Who may use the console: the platform's operators (registry admins), and nobody else —
an organisation's administrator included. Refusals are recorded as any other."""

from __future__ import annotations

from credstack.core.access import Actor, Principal, Role
from credstack.errors import AccessDeniedError

__all__ = ["require_operator"]


def require_operator(actor: Actor, *, action: str) -> Principal:
    """The principal when they are a registry admin; else the refusal of ``action``."""
    principal = actor.user()
    if not principal.has_role(Role.REGISTRY_ADMIN):
        actor.refuse(AccessDeniedError(
            code="console.refused.operators_only"),
            action=action)
    return principal
