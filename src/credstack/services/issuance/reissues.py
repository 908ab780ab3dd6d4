"""A VC-API issue request for a credential id already issued.

*Verifiable Credentials API* (w3c-ccg/vc-api, ``issuer.yml``): ``/credentials/issue`` answers
201 (issued) or 400 ("Another condition that results in a Bad Request"); no other error is
defined. ``IssueCredentialOptions.credentialId`` exists so that an issuer can "deal with errors
of duplication". credstack's answer: the same credential asked for again (same organisation,
securing and claims: a retry, or a test suite run twice) is returned as it was issued, with
nothing signed, stored, audited or mailed again; another credential under an id already
issued is an input error (400-class, ``credential-id-issued``) naming the id. The same
credential asked for in another securing mechanism or with another algorithm
(``options.format``, ``options.cryptosuite``, ``options.alg``) is not that credential: it is
refused (400-class, ``credential-id-secured-otherwise``, naming the option and what the id
was issued as) rather than returned as it was — a caller who asked for ES256 must not get an
EdDSA credential — and not signed again under the same id (one id, one credential; a 409
would say the same, but the VC-API's issue defines 400 alone).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.transactions import Session
from credstack.core.credentials import issue_requests
from credstack.core.credentials import securing as securing_forms
from credstack.errors import InputError, NotFoundError, Problem
from credstack.services.issuance.issued import Issued

__all__ = ["earlier", "id_taken", "secured_otherwise"]


def id_taken(credential_id: str) -> InputError:
    """The VC-API's answer (400: issue defines 201 and 400 only) to a credential whose id was
    issued before for another credential."""
    return InputError(
        f"A credential with id {credential_id!r} was already issued, with other content; give "
        "each credential its own id (the same request sent again gets the same credential).",
        problems=[Problem("credential.id", code="issuing.refused.id_issued",
                          params={"credential_id": credential_id},
                          rule="credential-id-issued")])


def secured_otherwise(credential_id: str, *, option: str, issued_as: str) -> InputError:
    """The answer to the same credential asked for again secured otherwise: ``option``
    (``options.alg`` …) differs from what the id was issued as (``issued_as``)."""
    return InputError(
        f"The credential {credential_id!r} was already issued as {issued_as}; the same "
        f"credential is not issued again otherwise under the same id (give it another id, or "
        f"ask for {issued_as} to get the one issued).",
        problems=[Problem(option, code="issuing.refused.issued_as",
                          params={"credential_id": credential_id, "issued_as": issued_as},
                          rule="credential-id-secured-otherwise")])


def earlier(session: Session, prepared: issue_requests.Prepared, *, organisation: str,
            securing: str, alg: str, request: object) -> Issued | None:
    """The credential an earlier request issued under the same id, when it was this very
    credential (same issuer, securing, algorithm and claims): a VC-API caller who sends a
    request again (a retry, a re-run) gets it back (the VC-API's ``credentialId`` exists to
    "deal with errors of duplication"). Another credential under that id is refused, and so
    is this one secured otherwise; no id: ``None``."""
    own_id = prepared.document.get("id")
    given = request if isinstance(request, Mapping) else {}
    if not isinstance(own_id, str) or "id" not in given:
        # Without an id of its own, the credential got a new one from the issuer just now:
        # nothing was issued under it, and it is not looked up.
        return None
    try:
        stored = credential_store.get_credential(session, credential_id=own_id)
    except NotFoundError:
        return None
    if stored.organisation != organisation:
        raise id_taken(own_id)
    # What the issuer itself added differs from one request to the next: the proof, the
    # status entries it allocated, and dates it filled in.
    added = {"proof", *(("credentialStatus",) if prepared.fill is None else ()),
             *(name for name in ("issuanceDate", "validFrom") if name not in given)}
    if _claims(stored) is None or _without(_claims(stored), added) != _without(
            prepared.document, added):
        raise id_taken(own_id)
    if stored.securing != securing:
        raise secured_otherwise(own_id, option="options.format", issued_as=stored.securing)
    issued_alg = securing_forms.algorithm(stored.document, stored.securing)
    if issued_alg is not None and issued_alg != alg:
        raise secured_otherwise(own_id, option="options.alg",
                                issued_as=f"{stored.securing} {issued_alg}")
    return Issued(stored.credential_id, stored.securing, stored.document, replayed=True)


def _claims(stored: credential_store.StoredCredential) -> dict[str, Any] | None:
    """The credential a stored document secures (a VC-JWT's payload, read without checking
    the signature: it is this store's own)."""
    loaded = securing_forms.claims(stored.document, stored.securing)
    return loaded if isinstance(loaded, dict) else None


def _without(document: Mapping[str, Any] | None, names: set[str]) -> dict[str, Any]:
    return {key: value for key, value in (document or {}).items() if key not in names}
