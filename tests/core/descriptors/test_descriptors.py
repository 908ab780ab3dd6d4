"""The public surface of ``credstack.core.descriptors`` and the published JSON Schema."""

from __future__ import annotations

from typing import Any

import credstack.core.descriptors as package
from credstack.core.descriptors.schema import SCHEMA_ID, descriptor_schema


def test_the_public_surface_is_pinned() -> None:
    """Callers rely on exactly these names; changing them is a deliberate act."""
    assert sorted(package.__all__) == [
        "AwardedMicroCredential", "Documents", "Finding", "Format", "Profile", "ProfileReport",
        "Programme", "Severity", "get_profile", "parse_organisation", "parse_programme",
        "profiles", "read_documents", "validate", "validate_all", "write_documents",
    ]
    for name in package.__all__:
        assert getattr(package, name) is not None


def test_the_schema_describes_programmes_and_awarded_micro_credentials() -> None:
    """One draft 2020-12 schema, with its own id, accepting either kind of document."""
    schema: dict[str, Any] = descriptor_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    refs = {option["$ref"] for option in schema["anyOf"]}
    assert refs == {"#/$defs/Programme", "#/$defs/AwardedMicroCredential"}
    programme = schema["$defs"]["Programme"]
    assert programme["additionalProperties"] is False
    assert programme["required"] == ["code"]
    assert "award" in schema["$defs"]["AwardedMicroCredential"]["required"]
