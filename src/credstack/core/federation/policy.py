"""Metadata policies: the standard operators, their merge down a chain, their application.

OpenID Federation 1.0, draft 48 — 1 February 2026 —
https://openid.net/specs/openid-federation-1_0.html — §6.1 (Metadata Policy): the three
levels (entity type → parameter → operators), the seven standard operators (``value``,
``add``, ``default``, ``one_of``, ``subset_of``, ``superset_of``, ``essential``), which of
them combine, how two superiors' operators merge (§6.1.4.1) and the order they apply in.

A policy error — a structure that is not a policy, operators that may not be combined, two
superiors whose operators cannot merge, metadata the resolved policy refuses — makes the
trust chain invalid: :class:`~credstack.errors.TrustChainError` with reason
``policy-invalid``, ``policy-conflict`` or ``policy-violated``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any, Final

from credstack.errors import TrustChainError

__all__ = ["OPERATORS", "apply", "check", "merge", "resolve"]

#: The standard operators in the order they apply (§6.1.3.1).
OPERATORS: Final = ("value", "add", "default", "one_of", "subset_of", "superset_of", "essential")
_ARRAYS: Final = frozenset({"add", "one_of", "subset_of", "superset_of"})

Policy = dict[str, dict[str, dict[str, Any]]]


def _conflict(where: str, text: str) -> TrustChainError:
    return TrustChainError(
        f"The metadata policies conflict at {where}: {text}", reason="policy-conflict"
    )


def _invalid(where: str, text: str) -> TrustChainError:
    return TrustChainError(
        f"The metadata policy is not valid at {where}: {text}", reason="policy-invalid"
    )


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _contains(values: Iterable[Any], wanted: Iterable[Any]) -> bool:
    pool = list(values)
    return all(item in pool for item in wanted)


def _check_operators(where: str, operators: Mapping[str, Any], critical: frozenset[str]) -> None:
    """The operators of one parameter: known (or not critical), well typed, combinable."""
    for name, value in operators.items():
        if name not in OPERATORS:
            if name in critical:
                raise _invalid(where, f"the critical operator {name!r} is not understood")
            continue
        if name in _ARRAYS and not isinstance(value, list):
            raise _invalid(where, f"{name} takes an array")
        if name == "essential" and not isinstance(value, bool):
            raise _invalid(where, "essential takes true or false")
        if name == "default" and value is None:
            raise _invalid(where, "default cannot be null")
    value = operators.get("value", ...)
    if value is not ...:
        values = _as_list(value) if value is not None else []
        if "add" in operators and not _contains(values, operators["add"]):
            raise _conflict(where, "the values of add are not among those of value")
        if "default" in operators and value is None:
            raise _conflict(where, "default cannot be combined with a null value")
        if "one_of" in operators and value not in operators["one_of"]:
            raise _conflict(where, "value is not one of one_of")
        if "subset_of" in operators and not _contains(operators["subset_of"], values):
            raise _conflict(where, "value is not a subset of subset_of")
        if "superset_of" in operators and not _contains(values, operators["superset_of"]):
            raise _conflict(where, "value is not a superset of superset_of")
        if value is None and operators.get("essential") is True:
            raise _conflict(where, "an essential parameter cannot be removed (value null)")
    if (
        "add" in operators
        and "subset_of" in operators
        and not _contains(operators["subset_of"], operators["add"])
    ):
        raise _conflict(where, "the values of add are not a subset of subset_of")
    if "one_of" in operators and any(
        name in operators for name in ("add", "subset_of", "superset_of")
    ):
        raise _conflict(where, "one_of combines only with value, default and essential")
    if (
        "subset_of" in operators
        and "superset_of" in operators
        and not _contains(operators["subset_of"], operators["superset_of"])
    ):
        raise _conflict(where, "subset_of is not a superset of superset_of")


def check(policy: Any, *, critical: Iterable[str] = ()) -> Policy:
    """``policy`` if it is a metadata policy whose every parameter policy is sound."""
    wanted = frozenset(critical)
    if not isinstance(policy, dict):
        raise _invalid("metadata_policy", "not a JSON object")
    for entity_type, parameters in policy.items():
        if not isinstance(parameters, dict):
            raise _invalid(entity_type, "not a JSON object of parameter policies")
        for parameter, operators in parameters.items():
            where = f"{entity_type}.{parameter}"
            if not isinstance(operators, dict):
                raise _invalid(where, "not a JSON object of operators")
            _check_operators(where, operators, wanted)
    return policy


def _merge_operator(where: str, name: str, superior: Any, subordinate: Any) -> Any:
    if name in ("value", "default"):
        if superior != subordinate:
            raise _conflict(where, f"two different {name}s ({superior!r}, {subordinate!r})")
        return superior
    if name in ("add", "superset_of"):
        return superior + [item for item in subordinate if item not in superior]
    if name in ("one_of", "subset_of"):
        both = [item for item in superior if item in subordinate]
        if name == "one_of" and not both:
            raise _conflict(where, "the two one_of lists have nothing in common")
        return both
    if name == "essential":
        return bool(superior) or bool(subordinate)
    return subordinate


def merge(current: Policy, subordinate: Policy, *, critical: Iterable[str] = ()) -> Policy:
    """The policy of a superior (``current``) merged with its subordinate's (§6.1.4.1)."""
    merged = copy.deepcopy(current)
    for entity_type, parameters in subordinate.items():
        into = merged.setdefault(entity_type, {})
        for parameter, operators in parameters.items():
            where = f"{entity_type}.{parameter}"
            found = into.setdefault(parameter, {})
            for name, value in operators.items():
                found[name] = (
                    _merge_operator(where, name, found[name], value)
                    if name in found
                    else copy.deepcopy(value)
                )
            _check_operators(where, found, frozenset(critical))
    return merged


def resolve(policies: Iterable[tuple[Any, Iterable[str]]]) -> Policy:
    """The resolved policy of a chain: ``policies`` from the most superior statement down,
    each with the critical operators its statement names."""
    steps = list(policies)
    critical = frozenset(name for _, names in steps for name in names)
    resolved: Policy = {}
    for policy, _ in steps:
        resolved = merge(resolved, check(policy, critical=critical), critical=critical)
    return resolved


def _violated(where: str, text: str) -> TrustChainError:
    return TrustChainError(
        f"The metadata break the federation's policy at {where}: {text}", reason="policy-violated"
    )


def _apply_parameter(
    where: str, present: bool, value: Any, operators: Mapping[str, Any]
) -> tuple[bool, Any]:
    for name in OPERATORS:
        if name not in operators:
            continue
        rule = operators[name]
        if name == "value":
            present, value = (False, None) if rule is None else (True, copy.deepcopy(rule))
        elif name == "add":
            base = _as_list(value) if present else []
            value, present = base + [item for item in rule if item not in base], True
        elif name == "default" and not present:
            present, value = True, copy.deepcopy(rule)
        elif name == "one_of" and present and value not in rule:
            raise _violated(where, f"{value!r} is not one of {rule!r}")
        elif name == "subset_of" and present:
            value = [item for item in _as_list(value) if item in rule]
        elif name == "superset_of" and present and not _contains(_as_list(value), rule):
            raise _violated(where, f"{value!r} does not hold all of {rule!r}")
        elif name == "essential" and rule is True and not present:
            raise _violated(where, "the parameter is essential and missing")
    return present, value


def apply(metadata: Mapping[str, Any], policy: Policy) -> dict[str, Any]:
    """``metadata`` with ``policy`` applied: a new object, ``metadata`` is left as it was."""
    resolved = copy.deepcopy(dict(metadata))
    for entity_type, parameters in policy.items():
        if entity_type not in resolved:
            continue
        entity = resolved[entity_type]
        for parameter, operators in parameters.items():
            present, value = _apply_parameter(
                f"{entity_type}.{parameter}", parameter in entity, entity.get(parameter), operators
            )
            if present:
                entity[parameter] = value
            else:
                entity.pop(parameter, None)
    return resolved
