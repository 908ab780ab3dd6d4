"""Loading the demo set: every demo programme once, and an issuer key for each demo
organisation; loading again adds nothing."""

from __future__ import annotations

from pathlib import Path

from credstack.adapters.db.repositories import keys as key_store
from credstack.core.crypto.keys import KeyType
from credstack.demo import load_demo_documents
from credstack.demo.programmes import load_demo_programmes
from credstack.entrypoints.bootstrap import open_runtime
from credstack.settings import Settings

DEMO = load_demo_documents()


def _active_ed25519(runtime: object, organisation: str) -> int:
    with runtime.transaction() as session:  # type: ignore[attr-defined]
        return sum(key.active and key.key_type is KeyType.ED25519
                   for key in key_store.public_keys(session, organisation=organisation))


def test_the_demo_set_loads_with_a_key_per_organisation(settings: Settings) -> None:
    with open_runtime(settings=settings) as runtime:
        loaded = load_demo_programmes(runtime, only_if_empty=True)
        assert loaded.programmes == len(DEMO.programmes)
        assert loaded.no_keys is None
        assert all(_active_ed25519(runtime, organisation.slug) == 1
                   for organisation in DEMO.organisations)


def test_only_if_empty_leaves_a_store_with_programmes_alone(sqlite_settings: Settings) -> None:
    with open_runtime(settings=sqlite_settings) as runtime:
        load_demo_programmes(runtime, only_if_empty=True)
        assert load_demo_programmes(runtime, only_if_empty=True).programmes == 0
        again = load_demo_programmes(runtime, only_if_empty=False)
        assert again.programmes == len(DEMO.programmes)
        assert _active_ed25519(runtime, DEMO.organisations[0].slug) == 1


def test_without_a_master_key_the_programmes_load_and_the_reason_is_given(
        postgres_url: str, tmp_path: Path) -> None:
    """A PostgreSQL store with no configured key (and so no key file) cannot seal issuer
    keys: the programmes still load and the caller is told why there are no keys."""
    keyless = Settings.from_env(data_dir=tmp_path / "data", database_url=postgres_url)
    with open_runtime(settings=keyless) as runtime:
        loaded = load_demo_programmes(runtime, only_if_empty=False)
    assert loaded.programmes == len(DEMO.programmes)
    assert loaded.no_keys is not None
    assert "CREDSTACK_SECRET_KEY" in loaded.no_keys.message
