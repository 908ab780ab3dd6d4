"""The people page: registry admins see everyone and disable or enable accounts; provider
admins see their members and make reset links for them; nobody else gets in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from credstack.settings import Settings
from tests.accounts import PASSWORD, add_user, csrf_of, sign_in, signed_in_client
from tests.conftest import LiveServer, serve_with_key

ROOT = "root@example.org"
ADMIN = "admin@example.org"
STAFF = "staff@example.org"
OUTSIDER = "outsider@example.org"
RESET_URL = re.compile(r'id="reset-url" translate="no">([^<]+)<')


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    for server in serve_with_key(settings):
        add_user(server.settings, ROOT, name="Root", roles=[(None, "registry-admin")])
        add_user(server.settings, ADMIN, name="Hokuto Admin",
                 roles=[("hokuto-tech", "provider-admin")])
        add_user(server.settings, STAFF, name="Staff", roles=[("hokuto-tech", "issuer")])
        add_user(server.settings, OUTSIDER, name="Outsider", roles=[("saikai-u", "issuer")])
        yield server


def test_a_registry_admin_disables_and_enables_an_account_from_the_page(live):
    """Everyone is listed; the disable form (with the CSRF token) ends the user's session."""
    staff = signed_in_client(live.url, STAFF)
    with signed_in_client(live.url, ROOT) as root:
        account = root.get("/account", headers={"accept-language": "en"})
        assert 'href="/people"' in account.text
        page = root.get("/people", headers={"accept-language": "en"})
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        for email in (ROOT, ADMIN, STAFF, OUTSIDER):
            assert email in page.text
        assert "Disable Staff" in page.text and "Disable Root" not in page.text
        forged = root.post("/people/disable", data={"email": STAFF},
                           headers={"X-CSRF-Token": ""})
        assert forged.status_code == 403
        done = root.post("/people/disable", headers={"X-CSRF-Token": ""},
                         data={"email": STAFF, "csrf_token": csrf_of(root)})
        assert done.status_code == 303 and done.headers["location"] == "/people?done=disabled"
        assert "Enable Staff" in root.get("/people", headers={"accept-language": "en"}).text
        refused = staff.get("/account", headers={"accept": "text/html",
                                                 "accept-language": "en"})
        assert refused.status_code == 403 and "disabled" in refused.text
        assert root.post("/people/enable", data={"email": STAFF}).status_code == 303
    staff.close()
    with httpx.Client(base_url=live.url, timeout=30) as browser:
        assert sign_in(browser, STAFF, PASSWORD).status_code == 303


def test_a_provider_admin_sees_their_members_and_hands_out_a_reset_link(live):
    """Only hokuto-tech's people; a reset link for staff, shown once; no disable button."""
    with signed_in_client(live.url, ADMIN) as admin:
        page = admin.get("/people", headers={"accept-language": "ja"})
        assert STAFF in page.text and OUTSIDER not in page.text and ROOT not in page.text
        assert "/people/disable" not in page.text
        made = admin.post("/people/password-reset", data={"email": STAFF})
        assert made.status_code == 200
        link = RESET_URL.search(made.text)
        assert link is not None and "/password-reset/" in link.group(1)
        assert admin.post("/people/password-reset",
                          data={"email": OUTSIDER}).status_code == 403


def test_people_without_an_administrator_role_are_refused(live):
    with signed_in_client(live.url, STAFF) as staff:
        assert staff.get("/people").status_code == 403
    with httpx.Client(base_url=live.url, timeout=30) as visitor:
        response = visitor.get("/people")
        assert response.status_code == 303
        assert response.headers["location"] == "/sign-in?next=/people"
