"""The descriptor model published as JSON Schema (draft 2020-12)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from credstack.core.descriptors.models import AwardedMicroCredential, Programme

SCHEMA_ID = "/api/schema/descriptors.json"


def descriptor_schema() -> dict[str, Any]:
    """One schema accepting a programme or one learner's awarded micro-credential."""
    schema = TypeAdapter(Programme | AwardedMicroCredential).json_schema(
        ref_template="#/$defs/{model}")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "credstack micro-credential descriptors",
        "description": (
            "The common descriptors of micro-credentials (seed 002: Japanese proposal, EU 2022, "
            "Australia NMF 2022, Malaysia MQA, 履修証明) as a programme, or as one learner's "
            "awarded micro-credential (a programme plus `award`)."
        ),
        **schema,
    }
