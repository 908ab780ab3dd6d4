"""Other registries' providers imported into this registry (``/registries``, issue 42 part
4): a section per source registry, labelled "listed by <registry>", with its address, when it
was fetched and until when it holds — kept apart from the providers this registry recognises
(``/providers/{slug}``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.rendering import render
from credstack.services.federation import imports

router = APIRouter(include_in_schema=False)


@router.get("/registries", response_class=HTMLResponse)
async def imported_registries(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    found = await run_in_threadpool(imports.sources, runtime, with_providers=True)
    return render(request, "federation_sources.html", section="registries", sources=found)
