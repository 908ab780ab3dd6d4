"""The health page over real HTTP on SQLite and PostgreSQL: the jobs and the mail outbox by
state, the audit log's end and its last checkpoint, the store's size."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from credstack.settings import Settings
from tests.accounts import add_user
from tests.conftest import LiveServer, serve_with_key
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import assert_accessible

OPERATOR = "operator@example.org"


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    for server in serve_with_key(settings):
        add_user(server.settings, OPERATOR, name="Operator", roles=[(None, "registry-admin")])
        yield server


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_operator_reads_the_platforms_health(live: LiveServer, language: str) -> None:
    operator = FormBrowser(live, OPERATOR, language)
    try:
        page = operator.page("/console/health")
    finally:
        operator.close()
    assert_accessible(page, language)
    assert 'data-state="queued"' in page.source and 'data-state="pending"' in page.source
    assert 'id="audit-end"' in page.source
    assert ("サイズ：" if language == "ja" else "Size: ") in page.source
