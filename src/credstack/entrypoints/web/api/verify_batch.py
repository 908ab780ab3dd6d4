"""``POST /api/verify/batch``: several credentials verified at once, side by side, as JSON.

The JSON twin of the employer's page (``/verify/compare``), on the same service
(:func:`credstack.services.candidates.comparison.compare`): ``credentials`` holds
credentials (JSON objects, or text: JSON, a VC-JWT, a VP-JWT, an address or a share link of
this site), ``files`` holds files as base64 (a certificate PDF, a badge image), and a
presentation counts the credentials it holds. The answer is always 200 when the request could
be read: a credential that does not verify, or an input that is not a credential, is a
result (``outcome`` ``not-verified`` or ``unusable``, with the reason in English and
Japanese), never an error, so that one bad input does not lose the others. Public, like
``POST /credentials/verify``; nothing is stored.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, Final

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from credstack.entrypoints.web.access import client_ip
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.errors import InputError, Problem
from credstack.services.candidates import comparison as service
from credstack.words import words

router = APIRouter(tags=["verification"])

#: The largest request body: every input together, base64 (4 bytes for 3), and JSON's own.
BATCH_BODY_BYTES: Final = service.MAX_TOTAL_BYTES * 4 // 3 + 256 * 1024


class BatchFile(BaseModel):
    """A file given as base64 (a certificate PDF, a badge image, or any credential file)."""

    model_config = ConfigDict(populate_by_name=True)

    name: Annotated[str, Field(min_length=1, max_length=300, examples=["certificate.pdf"])]
    content_base64: Annotated[str, Field(alias="contentBase64",
                                         description="The file's bytes, base64 (RFC 4648).")]


class BatchOptions(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    strict: bool = Field(False, description="Fail credentials that break Open Badges 3.0 "
                                            "shape rules (as `/verify`'s strict box).")
    access_code: str | None = Field(None, alias="accessCode", max_length=100,
                                    description="The access code of a share link that asks "
                                                "for one.")


class BatchRequest(BaseModel):
    """What to verify: ``credentials`` and ``files``, at most
    :data:`~credstack.services.candidates.comparison.MAX_CREDENTIALS` credentials in all."""

    credentials: list[dict[str, Any] | str] = Field(
        default_factory=list, max_length=100,
        description="Credentials: JSON objects, or text (JSON, a VC-JWT, a VP-JWT, a hosted "
                    "Open Badges 2.0 address, or a share link of this site, /s/…).")
    files: list[BatchFile] = Field(default_factory=list, max_length=100)
    options: BatchOptions = Field(default_factory=BatchOptions)


_EXAMPLE: dict[str, Any] = {
    "count": 2, "verified": 1, "not_verified": 1, "limit": service.MAX_CREDENTIALS,
    "credentials": [{"label": "credentials[0]", "position": 1, "within": None,
                     "source": "api", "outcome": "verified", "verified": True,
                     "verdict": {"outcome": "verified", "reasons": []},
                     "entry": {"title": {"en": "Maintenance of Semiconductor Equipment"},
                               "hours": "45", "credits": [{"system": "jp-tani",
                                                           "value": "1"}],
                               "levels": [{"framework": "JEQF", "level": 5}]},
                     "learner": ["Hanako Yamada"],
                     "assessment": {"methods": ["practical", "examination"]},
                     "recognition": {"status": "valid", "bodies": [
                         {"en": "Japan Micro-credential Organisation"}],
                         "until": "2029-04-01"},
                     "skills": [{"name": {"en": "Maintaining equipment"}}],
                     "presentation": None, "problem": None},
                    {"label": "credentials[1]", "position": 2, "outcome": "not-verified",
                     "verdict": {"outcome": "not-verified", "reasons": [
                         {"check": "status", "code": "revoked",
                          "en": "Revoked by its issuer.", "ja": "発行者により失効されています。"
                          }]}}],
    "presentations": [], "left_out": []}


def _given(body: BatchRequest) -> list[service.Given]:
    given = [service.Given(f"credentials[{index}]",
                           item if isinstance(item, str) else json.dumps(item,
                                                                          ensure_ascii=False),
                           "api")
             for index, item in enumerate(body.credentials)]
    problems = []
    for index, file in enumerate(body.files):
        try:
            data = base64.b64decode(file.content_base64, validate=True)
        except (binascii.Error, ValueError):
            problems.append(Problem(f"files[{index}].contentBase64", "is not base64"))
            continue
        given.append(service.Given(file.name, data, "file"))
    if problems:
        raise InputError(code="verification.batch.not_base64", problems=problems)
    if not given:
        raise InputError(code="verification.batch.nothing",
                         problems=[Problem("credentials", "empty")])
    return given


@router.post(
    "/api/verify/batch",
    summary="Verify several credentials at once and compare them",
    description=__doc__,
    responses={200: {"description": "One result per credential, in the order given "
                                    "(a presentation's and a share link's credentials each "
                                    "have their own); the presentations' own checks; what "
                                    "was left out over the limit.",
                     "content": {"application/json": {"example": _EXAMPLE}}},
               422: {"description": "Nothing to verify, or a file that is not base64."}})
async def verify_batch(body: BatchRequest, request: Request,
                       runtime: RuntimeDep) -> dict[str, Any]:
    given = _given(body)
    compared = await run_in_threadpool(
        service.compare, runtime, given=given, strict=body.options.strict,
        access_code=body.options.access_code, ip=client_ip(request))
    return compared.to_dict(words)
