"""Attributes become roles: an organisation's rules (an attribute's value gives a role in
that organisation), capped by the roles its administrator lets the provider give.

:func:`roles_for` is applied at each sign-in; :func:`changes` says what to add and what to
take back, where only roles the rules gave before are ever taken back (a role given by hand
stays). A provider may never give an administrator's or the operator's role, whatever its
rules say: :data:`GIVABLE` is the widest ceiling.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from credstack.core.access.policy import Role

#: The roles a provider's rules may ever give (never provider-admin or registry-admin).
GIVABLE: Final = frozenset({Role.ISSUER, Role.LEARNER, Role.REGISTRAR, Role.EVALUATOR,
                            Role.COMMITTEE_MEMBER, Role.EMPLOYER})


@dataclass(frozen=True, slots=True)
class Rule:
    """``attribute`` holding ``value`` gives ``role``."""

    attribute: str
    value: str
    role: Role


def values_of(attributes: Mapping[str, object], name: str) -> frozenset[str]:
    """The values of attribute ``name`` (one string or a list of them), as strings."""
    value = attributes.get(name)
    if value is None:
        return frozenset()
    if isinstance(value, str | int | bool):
        return frozenset({str(value)})
    if isinstance(value, Iterable):
        return frozenset(str(item) for item in value if isinstance(item, str | int))
    return frozenset()


def roles_for(attributes: Mapping[str, object], rules: Iterable[Rule],
              allowed: Collection[Role]) -> tuple[frozenset[Role], frozenset[Role]]:
    """(the roles the rules give within the ceiling, the roles they would give past it)."""
    matched = {rule.role for rule in rules
               if rule.value in values_of(attributes, rule.attribute)}
    ceiling = GIVABLE & frozenset(allowed)
    return frozenset(matched & ceiling), frozenset(matched - ceiling)


def changes(*, given: Collection[Role], before: Collection[Role], held: Collection[Role]
            ) -> tuple[frozenset[Role], frozenset[Role]]:
    """(roles to add, roles to take back): ``given`` now, ``before`` by the last sign-in's
    rules, ``held`` by the account in the organisation now."""
    add = frozenset(given) - frozenset(held)
    take = (frozenset(before) - frozenset(given)) & frozenset(held)
    return add, take
