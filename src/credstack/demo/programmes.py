"""Loading the demo set into a store: its organisations and programmes, and an Ed25519 issuer
key for every demo organisation (``credstack demo load``, ``credstack serve --demo``).

The organisations and programmes go through the import service, as ``credstack mc import``
would bring them (audited once, so the platform's figures count them); the keys are setup,
like the demo accounts: not audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.core.access.actors import ActingAs, operator_principal
from credstack.core.crypto.keys import KeyType
from credstack.demo import load_demo_documents
from credstack.demo.clock import HISTORY_MONTHS, at, months_back
from credstack.errors import KeyStoreError
from credstack.services.programmes import importing
from credstack.services.runtime import Runtime

__all__ = ["DemoLoad", "load_demo_programmes"]


@dataclass(frozen=True, slots=True)
class DemoLoad:
    """What loading the demo set did."""

    #: Programmes imported (0: the store already had programmes and ``only_if_empty``).
    programmes: int
    #: Why the demo organisations got no issuer keys (no master key), or ``None``.
    no_keys: KeyStoreError | None = None


def load_demo_programmes(runtime: Runtime, *, only_if_empty: bool) -> DemoLoad:
    """Import the demo organisations and programmes (idempotent), as the platform's
    operator, and give each demo organisation an active Ed25519 issuer key — dated the month
    before the demo's history begins. ``only_if_empty``: do nothing when the store holds
    any programme."""
    runtime = at(runtime, months_back(runtime.now().date(), HISTORY_MONTHS + 1))
    now = runtime.now()
    with runtime.transaction() as session:
        if only_if_empty and programme_store.list_programmes(session, limit=1).total:
            return DemoLoad(programmes=0)
    documents = load_demo_documents()
    try:
        secret = runtime.key()
    except KeyStoreError as exc:
        # Without a master key the store can keep no audit log (nor issuer keys), so the
        # import service cannot run: the programmes are stored for browsing alone.
        with runtime.transaction() as session:
            report = programme_store.import_documents(session, documents=documents, now=now,
                                                      source="demo")
        return DemoLoad(programmes=len(report.programmes), no_keys=exc)
    imported = importing.import_documents(runtime, actor=ActingAs(operator_principal("demo")),
                                          documents=documents, source="demo")
    with runtime.transaction() as session:
        for organisation in documents.organisations:
            if not any(key.active and key.key_type is KeyType.ED25519 for key in
                       key_store.public_keys(session, organisation=organisation.slug)):
                key_store.create_key(session, organisation=organisation.slug,
                                     key_type=KeyType.ED25519, now=now, secret=secret)
    return DemoLoad(programmes=len(imported.programmes))
