"""CLR 2.0 over HTTP: an organisation bundles a learner's credentials into a signed CLR.

``POST /api/organisations/{slug}/clr`` — JSON :class:`ClrCreate`: credentials the organisation
issued (by id), imported ones (JSON objects or VC-JWT text), the securing mechanism, the
learner and associations. Answers 201 with the ``ClrCredential`` (the JSON, or for ``vc-jwt``
the JWT enveloped as an ``EnvelopedVerifiableCredential``), a problem (RFC 9457) otherwise.

Who may: a principal allowed to issue for the organisation (``credentials:issue``), with
any of its credentials and imported ones; or a signed-in learner, for credentials the
organisation issued to them (the ``credentials:read`` rule for a credential's own learner),
without imported credentials — the organisation then vouches only for its own records. A
credential of another organisation is refused (404, as if unknown: its id says nothing).
The rules and the ``clr.issued`` audit entry are the service's
(:func:`credstack.services.clr.service.bundle`), shared with ``credstack clr bundle``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.services.clr import service as clr
from credstack.services.issuance.issued import returned

router = APIRouter(tags=["clr"])


class ClrCreate(BaseModel):
    """What to bundle into a CLR."""

    model_config = ConfigDict(extra="forbid")

    credential_ids: list[str] = Field(default=[], description="Credentials this organisation "
                                      "issued, by id.", max_length=1000)
    imported: list[dict[str, Any] | str] = Field(
        default=[], description="Other credentials: JSON objects or VC-JWT text.",
        max_length=1000)
    securing: str = Field(default=clr.DEFAULT_SECURING,
                          description="eddsa-rdfc-2022, eddsa-jcs-2022 or vc-jwt.")
    name: str | None = Field(default=None, description="The CLR's name.")
    learner: str | None = Field(default=None, description="The learner's e-mail address (or "
                                "other identifier); default: the one the credentials were "
                                "issued to.")
    subject_id: str | None = Field(default=None, description="The learner's DID or URI.")
    associations: list[dict[str, Any]] = Field(
        default=[], description="CLR 2.0 Association objects (associationType, sourceId, "
        "targetId) between the bundled achievements.", max_length=1000)


@router.post("/api/organisations/{slug}/clr", status_code=201,
             summary="Bundle a learner's credentials into a signed CLR 2.0",
             responses={201: {"description": "The ClrCredential."}})
async def create_clr(slug: str, body: ClrCreate, runtime: RuntimeDep, access: AccessDep
                     ) -> JSONResponse:
    """Every credential must be about one learner; each association must relate two of the
    bundled achievements by a CLR 2.0 association type."""
    text = await run_in_threadpool(
        clr.bundle, runtime, actor=access, organisation=slug,
        credential_ids=body.credential_ids, imported=body.imported, securing=body.securing,
        name=body.name, learner=body.learner, subject_id=body.subject_id,
        associations=body.associations)
    return JSONResponse(returned(text, body.securing), status_code=201,
                        headers={"Cache-Control": "no-store"})
