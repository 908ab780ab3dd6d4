"""The ELM reference files, read once per session from ``../shared/ref/elm``, and what the
timestamp tests share: the time they verify at, the EC's sealed sample's payload, and a
verification at that time."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from credstack.adapters.resolvers.elm import elm_document_loader, read_elm_reference
from credstack.core.elm.reference import ElmReference
from credstack.core.verification.elm import verify_edc
from credstack.core.verification.report import VerificationReport
from credstack.words import words

#: The time the timestamp tests seal, stamp and verify around.
NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
#: The EC's sealed sample (JAdES B-LTA) whose payload the tests seal again as they need.
SEALED_SAMPLE = "ec-elm/credentials/Sample-MC-Annex1-signed.jsonld"


def verified_at_now(document: dict[str, Any], reference: ElmReference, *,
                    strict: bool = False, trusted: Any = None) -> VerificationReport:
    """``document`` verified at :data:`NOW` with the ELM files and their local loader."""
    return verify_edc(json.dumps(document), now=NOW, reference=reference,
                      loader=elm_document_loader(reference), trusted=trusted, strict=strict,
                      words=words)


@pytest.fixture(scope="session")
def elm_dir(shared_ref: Path) -> Path:
    return shared_ref / "elm"


@pytest.fixture(scope="session")
def elm_reference(elm_dir: Path) -> ElmReference:
    return read_elm_reference(elm_dir)


@pytest.fixture(scope="session")
def elm_loader(elm_reference: ElmReference):  # type: ignore[no-untyped-def]
    return elm_document_loader(elm_reference)


@pytest.fixture(scope="module")
def payload(elm_dir: Path) -> str:
    """The JWS Payload of the EC's sealed sample: the credential as its seal signs it."""
    return str(json.loads((elm_dir / SEALED_SAMPLE).read_text())["payload"])
