"""What a strict CASE 1.1 validator would refuse in a package credstack imports anyway.

Specification: *CASE Service Version 1.1, JSON Schema Binding* (getCFPackage response),
1EdTech Consortium (2021), https://www.imsglobal.org/spec/case/v1p1/. Its package objects take
only the properties it lists, no value may be ``null``, identifiers are lowercase RFC 4122
UUIDs. Real packages break it — OpenSALT's CASE 1.0 exports carry ``CFPackageURI`` and
``CFDocumentURI`` and ``0000…`` identifiers, OpenCASE writes explicit ``null``s — and
:mod:`.case` reads them losslessly all the same (refusing them would refuse the frameworks
people publish). This module says, placed by JSON pointer, what a strict 1.1 validator would
say, so the importer sees it beside the import rather than instead of it. The rules are a
JSON Schema written for credstack (``case_v1p1_strict.yaml``), checked by ``jsonschema``.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any, Final

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from credstack.core import yamltext
from credstack.errors import Problem

__all__ = ["strict_findings"]

#: The finding's message key (``workspace.framework.case.strict.…``), by the JSON Schema
#: keyword that failed; another keyword's is ``other``. Its English is the validator's own
#: words (``detail``), its Japanese what the keyword means.
_KEYS: Final = {
    "type": "type", "additionalProperties": "additional_properties",
    "unevaluatedProperties": "unevaluated_properties", "pattern": "pattern",
    "required": "required", "enum": "enum", "anyOf": "any_of", "format": "format",
}


@cache
def _validator() -> Draft202012Validator:
    text = files("credstack.core.skills").joinpath("case_v1p1_strict.yaml").read_text("utf-8")
    return Draft202012Validator(yamltext.load(text), format_checker=FormatChecker())


def _pointer(error: ValidationError) -> str:
    return "".join(f"/{str(part).replace('~', '~0').replace('/', '~1')}"
                   for part in error.absolute_path)


def _finding(error: ValidationError) -> Problem:
    key = _KEYS.get(str(error.validator), "other")
    return Problem(_pointer(error) or "/", code=f"workspace.framework.case.strict.{key}",
                   params={"detail": error.message}, rule=f"case-1.1-{error.validator}")


def strict_findings(data: Any) -> tuple[Problem, ...]:
    """Every place where ``data`` (a parsed CFPackage) breaks the CASE 1.1 JSON Schema
    binding, in document order; empty when a strict validator would take it."""
    errors = sorted(_validator().iter_errors(data), key=lambda error: tuple(
        (0, part, "") if isinstance(part, int) else (1, 0, str(part))
        for part in error.absolute_path))
    return tuple(_finding(error) for error in errors)
