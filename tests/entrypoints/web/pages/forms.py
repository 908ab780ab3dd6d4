"""A signed-in person's browser without JavaScript, as the page tests drive the forms."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

import httpx

from tests.accounts import signed_in_client
from tests.conftest import LiveServer
from tests.entrypoints.web.pages.test_programmes import HTML, Page

#: Where a form's page carries its nonce, the value its cookie must match (CSRF).
NONCE = re.compile(r'name="nonce" value="([^"]+)"')


def form_nonce(browser: httpx.Client, path: str, *, headers: Mapping[str, str] | None = None
               ) -> str:
    """The nonce of the form on ``path``'s page, got as a browser gets it before posting
    (with its cookie)."""
    page = browser.get(path, headers=headers)
    assert page.status_code == 200, page.text
    found = NONCE.search(page.text)
    assert found is not None
    return found.group(1)


#: What a form sends: fields by name (a list for a repeated name), or name–value pairs in the
#: order a browser encodes them (check boxes and rows interleaved).
Fields = Mapping[str, str | list[str]] | Sequence[tuple[str, str]]


class FormBrowser:
    """``email``'s browser, signed in, without JavaScript: forms carry the CSRF token as a
    field (nothing adds a header) and pages are asked for as HTML in ``language``."""

    def __init__(self, live: LiveServer, email: str, language: str = "en") -> None:
        self.http = signed_in_client(live.url, email)
        self.token = self.http.headers.pop("X-CSRF-Token")
        self.http.headers.update({**HTML, "Accept-Language": language})

    def get(self, path: str) -> httpx.Response:
        return self.http.get(path)

    def page(self, path: str, status: int = 200) -> Page:
        response = self.get(path)
        assert response.status_code == status, response.text[:2000]
        return Page(response.text)

    def post(self, path: str, data: Fields | None = None, /, **fields: str) -> httpx.Response:
        """Submit a form: ``data`` and ``fields``, after the CSRF token."""
        if isinstance(data, Mapping) or data is None:
            return self.http.post(path, data={"csrf_token": self.token, **(data or {}),
                                              **fields})
        body = urlencode([("csrf_token", self.token), *data, *fields.items()])
        return self.http.post(path, content=body, headers={
            "Content-Type": "application/x-www-form-urlencoded"})

    def close(self) -> None:
        self.http.close()
