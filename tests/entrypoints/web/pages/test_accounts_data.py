"""The account page's data section: the wallet archive to download, and deleting the account
(confirmed with the address, the password and a tick), after which nothing signs in."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import httpx
import pytest

from credstack.settings import Settings
from tests.accounts import PASSWORD, add_user, csrf_of, sign_in, signed_in_client
from tests.conftest import LiveServer, serve_with_key

EMAIL = "learner@example.org"


@pytest.fixture
def live(sqlite_settings: Settings) -> Iterator[LiveServer]:
    yield from serve_with_key(sqlite_settings)


@pytest.fixture
def learner(live: LiveServer) -> int:
    return add_user(live.settings, EMAIL, name="Hanako Learner", roles=[])


def test_the_archive_downloads_as_a_zip_with_its_manifest(live, learner):
    with signed_in_client(live.url, EMAIL) as client:
        page = client.get("/account", headers={"accept-language": "ja"})
        assert "あなたのデータ" in page.text and 'href="/account/archive"' in page.text
        response = client.get("/account/archive")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/zip"
        assert response.headers["content-disposition"].startswith("attachment;")
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            manifest = json.loads(archive.read("manifest.json"))
        assert manifest["credentials"] == []
        assert manifest["identifiers"][0]["value"] == EMAIL


def test_deleting_the_account_needs_every_confirmation_then_ends_everything(live, learner):
    with signed_in_client(live.url, EMAIL) as client:
        form = {"csrf_token": csrf_of(client), "email": EMAIL, "password": PASSWORD}
        unticked = client.post("/account/delete", data=form,
                               headers={"accept-language": "en"})
        assert unticked.status_code == 422 and "Tick the box" in unticked.text
        wrong = client.post("/account/delete", headers={"accept-language": "en"},
                            data={**form, "password": "not the password", "understand": "yes"})
        assert wrong.status_code == 422 and "is wrong" in wrong.text
        no_csrf = client.post("/account/delete", headers={"X-CSRF-Token": ""},
                              data={**form, "csrf_token": "x", "understand": "yes"})
        assert no_csrf.status_code == 403
        done = client.post("/account/delete", data={**form, "understand": "yes"},
                           headers={"accept-language": "en"})
        assert done.status_code == 200 and "have been deleted" in done.text
        assert client.get("/account", follow_redirects=False).status_code in {303, 307}
    with httpx.Client(base_url=live.url, timeout=30) as fresh:
        assert sign_in(fresh, EMAIL, PASSWORD).status_code != 303
