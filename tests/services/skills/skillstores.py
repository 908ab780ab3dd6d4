"""A store with frameworks, for the skills services' tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from credstack.core.access import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.runtime import Runtime
from credstack.settings import Settings

OPERATOR = Operator("test")
#: The third-party CASE package of the core's tests.
THIRD_PARTY = Path(__file__).resolve().parents[2] / "core" / "skills" / \
    "third_party_case_package.json"


@contextmanager
def skills_runtime(settings: Settings) -> Iterator[Runtime]:
    with open_runtime(settings=settings) as runtime:
        yield runtime
