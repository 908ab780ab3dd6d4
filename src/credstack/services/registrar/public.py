"""The registrar's documents as the public reads them (issue 56): a credential or a CLR
issued from an academic record, found by its id in the registrar's own document store, for
the verification page a PDF's QR code opens (``/verify/<id>``) and for the addresses of this
site a verifier pastes. Public, as every verifier may ask for it; its status is the record's
one entry, so a withdrawn record's documents verify as revoked."""

from __future__ import annotations

from credstack.adapters.db.repositories import registrar_documents as document_store
from credstack.services.runtime import Runtime

__all__ = ["credential_document"]


def credential_document(runtime: Runtime, *, credential_id: str) -> str | None:
    """The credential (an Open Badges 3.0 credential, the one a PDF carries, or a CLR) whose
    id is ``credential_id``, as issued; ``None`` when the registrar issued none."""
    with runtime.transaction() as session:
        content = document_store.credential_content(session, credential_id=credential_id)
    return None if content is None else content.decode("utf-8")
