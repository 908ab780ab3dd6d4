"""Every account as the operator looks after them, over real HTTP on SQLite and PostgreSQL:
search, one person's roles in each organisation given and taken, lock (their session ends)
and unlock, ending their sessions; one's own sessions are not ended here; all audited."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import select

from credstack.adapters.db.tables import AuditEntryRow
from credstack.settings import Settings
from tests.accounts import add_user, signed_in_client, store_session
from tests.conftest import LiveServer, serve_with_key
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import assert_accessible

OPERATOR = "operator@example.org"
STAFF = "staff@hokuto.example"


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    for server in serve_with_key(settings):
        add_user(server.settings, OPERATOR, name="Operator", roles=[(None, "registry-admin")])
        add_user(server.settings, STAFF, name="Staff Member",
                 roles=[("hokuto-tech", "issuer")])
        yield server


def test_the_operator_finds_a_person_changes_roles_locks_and_ends_sessions(
        live: LiveServer) -> None:
    operator = FormBrowser(live, OPERATOR)
    staff = signed_in_client(live.url, STAFF)
    person = f"/console/person?email={quote(STAFF)}"
    try:
        found = operator.page("/console/people?q=staff")
        assert_accessible(found, "en")
        assert STAFF in found.source and OPERATOR not in found.source
        page = operator.page(person)
        assert_accessible(page, "en")
        assert "issuer @ " in page.source
        added = operator.post("/console/person/roles/add", email=STAFF,
                              organisation="hokuto-tech", role="registrar")
        assert added.status_code == 303 and "done=role_added" in added.headers["location"]
        assert "registrar @ " in operator.page(person).source
        removed = operator.post("/console/person/roles/remove", email=STAFF,
                                organisation="hokuto-tech", role="registrar")
        assert removed.status_code == 303
        assert "registrar @ " not in operator.page(person).source
        unknown = operator.post("/console/person/roles/add", email=STAFF,
                                organisation="no-such-org", role="issuer")
        assert unknown.status_code == 404
        assert staff.get("/account").status_code == 200
        assert operator.post("/console/person/end-sessions", email=STAFF).status_code == 303
        assert staff.get("/account", follow_redirects=False).status_code in {303, 401}
        assert operator.post("/console/person/lock", email=STAFF).status_code == 303
        assert "Locked" in operator.page(person).source
        assert operator.post("/console/person/unlock", email=STAFF).status_code == 303
        own = operator.post("/console/person/end-sessions", email=OPERATOR)
        assert own.status_code == 409 and "sign out" in own.text
    finally:
        operator.close()
        staff.close()
    with store_session(live.settings) as session:
        actions = list(session.scalars(select(AuditEntryRow.action).order_by(
            AuditEntryRow.seq)))
    for action in ("membership.added", "membership.removed", "user.sessions_ended",
                   "user.disabled", "user.enabled"):
        assert action in actions


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_add_role_form_offers_the_organisations_by_name(live: LiveServer,
                                                            language: str) -> None:
    """The operator picks the organisation from a labelled list of names (its value is the
    slug the role needs, the first choice the whole platform), not by typing its slug."""
    operator = FormBrowser(live, OPERATOR, language)
    try:
        page = operator.page(f"/console/person?email={quote(STAFF)}")
    finally:
        operator.close()
    assert_accessible(page, language)
    choice = page.one("select", id="role-organisation")
    assert choice.attrs["name"] == "organisation"
    assert page.one("label", **{"for": "role-organisation"}).text.strip()
    # The page's other list (the roles) holds no organisation's slug nor an empty value.
    options = {option.attrs.get("value"): option.text.strip() for option in page.all("option")}
    assert options["hokuto-tech"] == ("北都工科大学" if language == "ja"
                                      else "Hokuto Institute of Technology")
    assert options[""] == ("プラットフォーム全体" if language == "ja" else "The whole platform")
    assert not page.all("input", id="role-organisation")

