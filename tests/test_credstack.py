"""The front door: ``credstack`` itself offers the recipes, and only those, and importing the
pure core does not bring the services' stack with it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

import credstack
from credstack.core.descriptors import parse_programme, validate
from credstack.demo.programmes import load_demo_programmes
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.issuance.credentials import issue_credential
from credstack.services.verification.service import verify
from tests.signed_credentials import signed, tampered

#: The public names. Adding one is a decision: change this list in the same commit.
PUBLIC = [
    "CredstackError",
    "Operator",
    "Settings",
    "StatusChange",
    "VerificationReport",
    "__version__",
    "change_status",
    "get_profile",
    "issue_credential",
    "open_runtime",
    "parse_programme",
    "read_documents",
    "validate",
    "verify_credential",
]


def test_all_is_pinned() -> None:
    assert sorted(credstack.__all__) == sorted(PUBLIC)
    assert sorted({*credstack._RECIPES, "__version__"}) == sorted(PUBLIC)


@pytest.mark.parametrize("name", [name for name in PUBLIC if name != "__version__"])
def test_every_recipe_resolves(name: str) -> None:
    assert getattr(credstack, name) is not None
    assert name in dir(credstack)


def test_the_recipes_are_the_services_and_core_functions_themselves() -> None:
    assert credstack.open_runtime is open_runtime
    assert credstack.issue_credential is issue_credential
    assert credstack.verify_credential is verify
    assert credstack.parse_programme is parse_programme
    assert credstack.validate is validate


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'issue'"):
        credstack.issue  # noqa: B018


def test_the_core_imports_without_the_services_stack() -> None:
    code = ("import sys, credstack.core.descriptors, credstack.core.verification; "
            "print(sorted(m for m in ('sqlalchemy', 'fastapi', 'credstack.services') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_issuing_and_revoking_through_the_front_door(tmp_path: Path) -> None:
    settings = dataclasses.replace(
        credstack.Settings.from_env(data_dir=tmp_path, database_url=""),
        default_issuer="hokuto-tech")
    operator = credstack.Operator("tester")
    with credstack.open_runtime(settings=settings) as runtime:
        load_demo_programmes(runtime, only_if_empty=True)
        issued = credstack.issue_credential(runtime, actor=operator, credential={
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "credentialSubject": {"id": "did:example:learner"}},
            status_option={"type": "BitstringStatusListEntry", "statusPurpose": "revocation"})
        stored = credstack.change_status(runtime, actor=operator,
                                         credential_id=issued.credential_id,
                                         changes=[credstack.StatusChange.REVOKE])
    assert stored.state == "revoked"


def test_a_signed_credential_verifies_through_the_front_door() -> None:
    assert credstack.verify_credential(signed()).ok
    assert not credstack.verify_credential(tampered()).ok
