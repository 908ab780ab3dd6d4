"""A runtime on a fresh store (SQLite and PostgreSQL) with a clock the test moves, and the
console's operator to act with: the fixtures ``clock`` and ``runtime`` (import them by name)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access import Operator
from credstack.core.audit import AuditEntry
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.audit import service as audit
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from tests.accounts import add_organisation
from tests.conftest import Clock

OPERATOR = Operator("tester")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def runtime(settings: Settings, clock: Clock) -> Iterator[Runtime]:
    """A runtime on an empty store with a master key and the organisation hokuto-tech."""
    configured = dataclasses.replace(settings, secret_key=new_master_key_text())
    add_organisation(configured, "hokuto-tech")
    add_organisation(configured, "saikai-u")
    with open_runtime(settings=configured, clock=clock) as opened:
        yield opened


def entries(runtime: Runtime) -> list[AuditEntry]:
    with runtime.transaction() as session:
        return audit.entries(session, limit=1000)
