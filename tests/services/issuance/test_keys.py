"""Issuer keys: creating and rotating one is audited once, in the service, so the console
and the API write the same entries; an Open Badges 2.0 key rotation is audited too."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from credstack.adapters.keystore import MasterKey
from credstack.core.access import Operator
from credstack.core.crypto.keys import KeyType
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import InputError, KeyStoreError
from credstack.services.audit import service as audit
from credstack.services.issuance import keys as issuer_keys
from credstack.services.openbadges_v2 import keys as ob2_keys
from tests.helpers import organisation
from tests.services.audit.parity import Store, Twin, assert_same_entries, store

__all__ = ["store"]


def _fresh_organisation(store: Store, tag: str, *, with_key: bool) -> dict[str, Any]:
    slug = f"keys-{tag}-{uuid.uuid4().hex[:8]}"
    response = store.http.post("/api/organisations", json=organisation(slug=slug))
    assert response.status_code == 201, response.text
    if with_key:
        store.cli("issuer", "keys", "create", "--organisation", slug)
    return {"target": slug}


def _twin(change: str) -> Twin:
    path = "/keys" if change == "create" else "/keys/rotate"

    def api(store: Store, context: dict[str, Any]) -> None:
        response = store.http.post(f"/api/organisations/{context['target']}{path}",
                                   json={"type": "Ed25519"})
        assert response.status_code == 201, response.text

    def run_cli(store: Store, context: dict[str, Any]) -> None:
        store.cli("issuer", "keys", change, "--organisation", context["target"])

    return Twin(f"issuer keys {change}",
                lambda store, tag: _fresh_organisation(store, tag, with_key=change == "rotate"),
                api, run_cli)


@pytest.mark.parametrize("twin", [_twin("create"), _twin("rotate")], ids=lambda t: t.name)
def test_the_cli_and_the_api_write_the_same_audit_entries(store: Store, twin: Twin) -> None:
    assert_same_entries(store, twin)


def test_an_ob2_key_rotation_is_audited_with_its_algorithm(store: Store) -> None:
    slug = _fresh_organisation(store, "ob2", with_key=False)["target"]
    before = store.last_seq()
    with open_runtime(settings=store.settings) as runtime:
        made = ob2_keys.rotate_key(runtime, actor=Operator("tester"), organisation=slug,
                                   algorithm="es256")
        again = ob2_keys.rotate_key(runtime, actor=Operator("tester"), organisation=slug)
        listed = ob2_keys.keys(runtime, organisation=slug)
        with runtime.transaction() as session:
            entries = audit.entries(session, after=before)
    assert (made.algorithm, again.algorithm) == ("ES256", store.settings.ob2_algorithm)
    assert [key.retired_at is None for key in listed] == [False, True]
    assert [(entry.actor, entry.action, entry.subject, dict(entry.details))
            for entry in entries] == [
        ("cli:tester", "ob2-key.rotated", f"organisation:{slug}",
         {"fragment": made.fragment, "algorithm": "ES256"}),
        ("cli:tester", "ob2-key.rotated", f"organisation:{slug}",
         {"fragment": again.fragment, "algorithm": again.algorithm})]


@pytest.mark.parametrize("key_type", [KeyType.SECP256K1])
def test_organisations_sign_only_with_the_jose_cose_curves(store: Store,
                                                           key_type: KeyType) -> None:
    """The curve credstack only reads in others' credentials (secp256k1) is never issued
    with: asking for it is an input error, and nothing is created or audited."""
    slug = _fresh_organisation(store, f"type-{key_type.name.lower()}", with_key=False)["target"]
    before = store.last_seq()
    with open_runtime(settings=store.settings) as runtime:
        for change in (issuer_keys.create_key, issuer_keys.rotate_key):
            with pytest.raises(InputError, match="Ed25519, P-256, P-384 or P-521"):
                change(runtime, actor=Operator("tester"), organisation=slug, key_type=key_type)
        assert issuer_keys.issuer(runtime, organisation=slug).keys == []
    assert store.last_seq() == before


@pytest.mark.parametrize("key_type", [KeyType.P384, KeyType.P521])
def test_an_organisation_may_sign_with_p384_and_p521_keys(store: Store,
                                                          key_type: KeyType) -> None:
    """ES384 and ES512 (issue 58): a P-384 or P-521 key is created and listed."""
    slug = _fresh_organisation(store, f"curve-{key_type.name.lower()}", with_key=False)["target"]
    with open_runtime(settings=store.settings) as runtime:
        made = issuer_keys.create_key(runtime, actor=Operator("tester"), organisation=slug,
                                      key_type=key_type)
        assert made.type is key_type
        assert [key.fragment for key in issuer_keys.issuer(runtime, organisation=slug).keys] \
            == [made.fragment]


def test_a_new_master_key_is_fresh_and_written_only_to_a_new_private_file(
        tmp_path: Path) -> None:
    """Two keys differ and both open a key store; the file is 0600 and never overwritten."""
    first, second = issuer_keys.new_master_key(), issuer_keys.new_master_key()
    assert first != second
    target = tmp_path / "master.key"
    written = issuer_keys.new_master_key(output=target)
    assert target.read_text() == written + "\n"
    assert target.stat().st_mode & 0o777 == 0o600
    assert MasterKey.from_text(written, source="test").id
    with pytest.raises(KeyStoreError, match="never overwrites"):
        issuer_keys.new_master_key(output=target)
    assert target.read_text() == written + "\n"
