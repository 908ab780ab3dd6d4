"""A home for each role, and a menu of the places their roles open, over HTTP: after signing
in the committee and evaluators land on the review queue (with its count), the provider's
administrator on the organisation's workspace, which links recognition; the committee's
workspace shows its queue; a learner's menu has the wallet and no workspace."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.settings import Settings
from tests.accounts import add_user
from tests.conftest import LiveServer, sqlite_store
from tests.entrypoints.web.pages.test_programmes import Page
from tests.entrypoints.web.pages.test_review import (
    ADMIN,
    BODY,
    COMMITTEE,
    EVALUATORS,
    PROVIDER,
    Person,
    apply,
    self_evaluation,
    serve_prepared_review,
    step,
)

LEARNER = "learner@example.jp"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path
         ) -> Iterator[LiveServer]:
    settings: Settings = sqlite_store(tmp_path_factory.mktemp("homes") / "data",
                                      _sqlite_template)
    for server in serve_prepared_review(settings):
        add_user(server.settings, LEARNER, roles=[(PROVIDER, "learner")])
        admin = Person(server.url, ADMIN)
        application = apply(admin)
        step(admin, application, "self-evaluation", self_evaluation())
        step(admin, application, "evidence",
             files={"file": ("syllabus.txt", "シラバス\n".encode(), "text/plain")})
        step(admin, application, "submit")
        admin.close()
        yield server


def _menu(page: Page) -> dict[str, str]:
    return {a.attrs["data-place"]: a.attrs["href"] for a in page.all("a")
            if a.attrs.get("data-place")}


@pytest.mark.parametrize(("email", "home", "menu"), [
    (COMMITTEE, "/review", {"review"}),
    (EVALUATORS[0], "/review", {"review"}),
    (ADMIN, f"/workspace/{PROVIDER}", {"workspace", "programmes", "issuing", "recognition"}),
    (LEARNER, "/wallet", {"wallet"}),
])
def test_each_role_lands_on_its_home_and_its_menu_shows_its_places(
        live: LiveServer, email: str, home: str, menu: set[str]) -> None:
    """Signing in goes home; the menu lists that role's places and nothing else."""
    person = Person(live.url, email)
    try:
        landed = person.client.get("/home")
        assert (landed.status_code, landed.headers["location"]) == (303, home)
        page = Page(person.get(home).text)
        assert set(_menu(page)) == menu
    finally:
        person.close()


def test_the_committee_finds_its_queue_with_counts(live: LiveServer) -> None:
    """The review page counts what waits for the committee (the submitted application, to
    assign); the body's workspace shows the same queue and links it."""
    person = Person(live.url, COMMITTEE, "en")
    try:
        review = Page(person.get("/review").text)
        assert review.one("span", id="review-task-count").attrs["data-count"] == "1"
        workspace = Page(person.get(f"/workspace/{BODY}").text)
        assert workspace.one("p", id="review-queue-count").attrs["data-count"] == "1"
        assert "1 application waits for you" in workspace.text
        assert [a for a in workspace.all("a") if a.attrs.get("href") == "/review"]
    finally:
        person.close()


def test_a_provider_whose_application_waits_for_the_body_is_not_told_it_waits_for_them(
        live: LiveServer) -> None:
    """The provider's submitted application waits for the committee (the provider may only
    withdraw it): the workspace counts nothing waiting for the provider, as /review does."""
    person = Person(live.url, ADMIN, "en")
    try:
        review = Page(person.get("/review").text)
        assert review.one("span", id="review-task-count").attrs["data-count"] == "0"
        workspace = Page(person.get(f"/workspace/{PROVIDER}").text)
        assert workspace.one("p", id="review-queue-count").attrs["data-count"] == "0"
        assert "0 applications wait for you" in workspace.text
    finally:
        person.close()


def test_a_provider_finds_recognition_from_its_workspace_and_programmes(
        live: LiveServer) -> None:
    """The workspace's navigation and the programme list link the recognition pages."""
    person = Person(live.url, ADMIN)
    try:
        for path in (f"/workspace/{PROVIDER}", f"/workspace/{PROVIDER}/programmes"):
            page = Page(person.get(path).text)
            assert [a for a in page.all("a") if a.attrs.get("href") == "/review"], path
        edit = Page(person.get(f"/workspace/{PROVIDER}/programmes/1/edit").text)
        # The editor's link opens the application with its programme already chosen.
        assert [a for a in edit.all("a") if a.attrs.get("href") == "/review/new?programme=1"]
    finally:
        person.close()
