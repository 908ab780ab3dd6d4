"""The ELM reference files, read once per session from ``../shared/ref/elm``."""

from __future__ import annotations

from pathlib import Path

import pytest

from credstack.adapters.resolvers.elm import elm_document_loader, read_elm_reference
from credstack.core.elm.reference import ElmReference


@pytest.fixture(scope="session")
def elm_dir(shared_ref: Path) -> Path:
    return shared_ref / "elm"


@pytest.fixture(scope="session")
def elm_reference(elm_dir: Path) -> ElmReference:
    return read_elm_reference(elm_dir)


@pytest.fixture(scope="session")
def elm_loader(elm_reference: ElmReference):  # type: ignore[no-untyped-def]
    return elm_document_loader(elm_reference)
