"""Framework profiles, the descriptor JSON Schema, and validation without storing."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from credstack.core.descriptors import get_profile, parse_programme, profiles
from credstack.core.descriptors.schema import descriptor_schema
from credstack.entrypoints.web.api.schemas import ValidationResult, reports

router = APIRouter(prefix="/api", tags=["descriptors"])


@router.get("/profiles", summary="Every framework profile, with its required set and rules")
def list_profiles() -> list[dict[str, Any]]:
    return [profile.model_dump(mode="json") for profile in profiles().values()]


@router.get("/profiles/{profile_id}")
def read_profile(profile_id: str) -> dict[str, Any]:
    return get_profile(profile_id).model_dump(mode="json")


@router.get("/schema/descriptors.json",
            summary="JSON Schema of a programme's (or an awarded MC's) descriptors")
def schema() -> dict[str, Any]:
    return descriptor_schema()


@router.post("/validate", response_model=ValidationResult,
             summary="Validate descriptors against profiles (all when none is named)")
def validate_descriptors(
    descriptors: Annotated[dict[str, Any], Body(
        description="A programme, or an awarded micro-credential (a programme plus `award`); "
                    "see /api/schema/descriptors.json.")],
    profile: Annotated[list[str] | None, Query(description="Profile ids; repeat for several.")]
    = None,
) -> ValidationResult:
    return ValidationResult(reports=reports(parse_programme(descriptors, source="body"), profile))
