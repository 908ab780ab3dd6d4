"""Placeholder replaced by the pages work."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

router = APIRouter()


def error_page(request: Request, status: int, title: str, title_ja: str, detail: str) -> Response:
    return HTMLResponse(f"<h1>{title}</h1>", status_code=status)
