"""An optional step: the credential checked against the JSON Schemas it names — a conformance
check (see the verdict policy in :mod:`credstack.core.verification.report`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final, Protocol

from jsonschema import exceptions as schema_errors
from jsonschema import validators
from referencing import Registry
from referencing.exceptions import Unresolvable

from credstack.core.said import Said
from credstack.core.verification import json_values
from credstack.core.verification.checks import conformance, failed, passed, problem_dicts
from credstack.core.verification.json_values import items
from credstack.core.verification.pipeline.seams import CheckStep, VerificationState
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, Notice
from credstack.errors import Problem

__all__ = ["JSON_SCHEMA_TYPES", "SchemaLookup", "credential_schema"]

#: ``credentialSchema`` types that name a JSON Schema (OB 3.0's and VC JSON Schema's).
JSON_SCHEMA_TYPES: Final = frozenset({"1EdTechJsonSchemaValidator2019", "JsonSchema",
                                      "JsonSchemaValidator2018"})


class SchemaLookup(Protocol):
    """Schema URL → the JSON Schema (a JSON object), or ``None`` when it is not held."""

    def __call__(self, url: str, /) -> Mapping[str, Any] | None: ...


def _schema_message(error: schema_errors.ValidationError) -> str:
    # jsonschema's own messages quote the whole offending value, which may be most of the
    # credential; the keyword and its expectation say what is wrong.
    message = str(error.message)
    if len(message) <= 160:
        return message
    expected = json.dumps(error.validator_value, ensure_ascii=False, default=str)
    return f"fails {error.validator!s}: {expected[:120]}"


def credential_schema(lookup: SchemaLookup, *,
                      registry: Registry[Any] | None = None) -> CheckStep:
    """A ``credential-schema`` step: validate against each JSON Schema the credential names.

    Not in :data:`DEFAULT_CHECKS`: the schemas are data an adapter provides (bundled, never
    fetched, like contexts). A conformance check: a credential that does not match is
    verified with a warning, unless the policy is strict. A schema the lookup does not hold
    is a warning, not a failure.
    ``registry`` resolves the schemas' ``$ref``s; give one that refuses unknown URLs, since
    without it jsonschema would fetch them.
    """
    def check(state: VerificationState) -> Check:
        return conformance(_check(state))

    def _check(state: VerificationState) -> Check:
        credential = state.credential
        if credential is None:
            return unread("credential-schema", state.subject)
        named = [item for item in items(credential.get("credentialSchema"))
                 if isinstance(item, Mapping) and isinstance(item.get("id"), str)
                 and set(json_values.types(item.get("type")) or ()) & JSON_SCHEMA_TYPES]
        if not named:
            return passed("credential-schema", Said("verification.check.schema.none"),
                          code="no-schema")
        problems: list[Problem] = []
        notices: list[Notice] = []
        checked: list[str] = []
        for item in named:
            url = item["id"]
            schema = lookup(url)
            if schema is None:
                notices.append(Notice("schema-not-available", said=Said(
                    "verification.check.schema.not_held", url=url)))
                continue
            try:
                kind = validators.validator_for(schema)
                validator = (kind(schema) if registry is None
                             else kind(schema, registry=registry))
                errors = sorted(validator.iter_errors(credential), key=lambda e: list(e.path))
            except (schema_errors.SchemaError, Unresolvable) as exc:
                notices.append(Notice("schema-unusable", said=Said(
                    "verification.check.schema.unusable", url=url, error=str(exc))))
                continue
            checked.append(url)
            problems.extend(
                Problem(".".join(str(part) for part in error.absolute_path) or "(root)",
                        _schema_message(error)) for error in errors)
        if problems:
            return failed("credential-schema", "schema",
                          Said("verification.check.schema.mismatch", problem=str(problems[0]),
                               number=len(problems)),
                          warnings=notices, problems=problem_dicts(problems), schemas=checked)
        return passed("credential-schema", Said(
            "verification.check.schema.matches_one" if len(checked) == 1 else
            "verification.check.schema.matches", number=len(checked)),
            warnings=notices, schemas=checked)

    return check
