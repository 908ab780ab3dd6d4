"""Access control: roles in organisations, actions (OAuth scopes), principals, decisions.

Pure: :func:`decide` is the one place the authorisation matrix lives (see
:mod:`credstack.core.access.policy`); the web adapter (``entrypoints/web/access.py``) builds the
principal from a session cookie or a bearer token and refuses what it does not allow.
Services take an :class:`Actor` (:mod:`credstack.core.access.actors`): the web request's
caller, or the console's :class:`Operator`.
"""

from credstack.core.access.actors import Actor, Operator, operator_principal
from credstack.core.access.policy import (
    DESCRIPTIONS,
    PLATFORM,
    RECOGNITION_BODY_ROLES,
    ROLE_NAMES,
    Action,
    Decision,
    Membership,
    Principal,
    Role,
    all_scopes,
    decide,
    roles_allowing,
    usable_scopes,
)

__all__ = [
    "DESCRIPTIONS",
    "PLATFORM",
    "RECOGNITION_BODY_ROLES",
    "ROLE_NAMES",
    "Action",
    "Actor",
    "Decision",
    "Membership",
    "Operator",
    "Principal",
    "Role",
    "all_scopes",
    "decide",
    "operator_principal",
    "roles_allowing",
    "usable_scopes",
]
