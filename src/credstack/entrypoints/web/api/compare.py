"""The comparison API: up to four published programmes side by side.

``GET /api/compare?ids=12,34,56`` answers with every descriptor's value per programme and
whether they differ, and learner effort in hours and in every credit system
(:mod:`credstack.core.registry.comparison`). More than four ids, or anything that is not an
id, is a 422 problem naming ``ids``; ids with no published programme are a 404 naming them.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from pydantic_core import to_jsonable_python

from credstack.core.registry.comparison import (
    MAX_PROGRAMMES,
    Comparison,
    CreditEquivalent,
    parse_ids,
)
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.services.programmes import comparison as programme_comparison
from credstack.services.programmes.views import StoredProgramme

router = APIRouter(prefix="/api/compare", tags=["registry"])


# --- the public shape -------------------------------------------------------------------


def number(value: Decimal) -> str:
    """A number as JSON text: at most two decimals, no trailing zeros (3.6, not 3.60000)."""
    rounded = value.quantize(Decimal("0.01")).normalize()
    return f"{rounded:f}"


class ComparedProgramme(BaseModel):
    id: int
    version: int = Field(description="The newest published version, the one compared.")
    code: str
    organisation: str = Field(description="The awarding organisation's slug.")
    title: dict[str, str] | None
    page: str = Field(description="The programme's page for people.")


class DescriptorComparison(BaseModel):
    key: str
    name: dict[str, str]
    scope: str = Field(description="programme, or award (stated per learner at issuance: "
                                   "never by a programme).")
    values: list[Any] = Field(description="Each programme's value (null: not stated).")
    differs: bool


class CreditValue(BaseModel):
    low: str = Field(description="The credits the hours are worth, at the most hours per "
                                 "credit.")
    high: str = Field(description="…and at the fewest hours per credit.")
    stated: str | None = Field(description="The credits the provider states in this system.")


class CreditSystemComparison(BaseModel):
    system: str
    name: dict[str, str]
    hours_per_credit: dict[str, str]
    values: list[CreditValue | None]
    differs: bool


class EffortComparison(BaseModel):
    hours: list[str | None]
    differs: bool
    credit_systems: list[CreditSystemComparison]


class ComparisonPublic(BaseModel):
    programmes: list[ComparedProgramme]
    descriptors: list[DescriptorComparison]
    effort: EffortComparison
    differences: list[str] = Field(description="The keys of the descriptors that differ.")


def _credit(value: CreditEquivalent | None) -> CreditValue | None:
    if value is None:
        return None
    return CreditValue(low=number(value.low), high=number(value.high),
                       stated=number(value.stated) if value.stated is not None else None)


def comparison_public(stored: Sequence[StoredProgramme],
                      comparison: Comparison) -> ComparisonPublic:
    effort = comparison.effort
    return ComparisonPublic(
        programmes=[ComparedProgramme(
            id=s.id, version=s.latest.version, code=s.code, organisation=s.organisation_slug,
            title=s.programme.title.root if s.programme.title else None,
            page=f"/programmes/{s.id}") for s in stored],
        descriptors=[DescriptorComparison(
            key=row.descriptor.key, name=row.descriptor.name.root,
            scope=row.descriptor.scope.value,
            values=[to_jsonable_python(v, exclude_none=True) for v in row.values],
            differs=row.differs) for row in comparison.rows],
        effort=EffortComparison(
            hours=[number(h) if h is not None else None for h in effort.hours],
            differs=effort.hours_differ,
            credit_systems=[CreditSystemComparison(
                system=row.system.system.value, name=row.system.name.root,
                hours_per_credit={"min": number(row.system.hours_per_credit_min),
                                  "max": number(row.system.hours_per_credit_max)},
                values=[_credit(v) for v in row.values], differs=row.differs)
                for row in effort.credits]),
        differences=[row.descriptor.key for row in comparison.differences],
    )


# --- the route --------------------------------------------------------------------------


@router.get("", response_model=ComparisonPublic,
            summary=f"Compare up to {MAX_PROGRAMMES} published programmes side by side")
def compare_programmes(
    runtime: RuntimeDep,
    ids: Annotated[list[str], Query(
        description=f"Programme ids separated by commas (ids=12,34,56), or the parameter "
                    f"repeated; at most {MAX_PROGRAMMES}.")],
) -> ComparisonPublic:
    compared = programme_comparison.compare_programmes(runtime, ids=parse_ids(ids))
    return comparison_public(*compared.complete())
