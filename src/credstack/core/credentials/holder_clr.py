"""A CLR 2.0 that learners issue themselves: a selection of their credentials, signed with
their holder key.

*Comprehensive Learner Record Standard v2.0* — 1EdTech — https://www.imsglobal.org/spec/clr/v2p0/
(§8 ``ClrCredential``, ``ClrSubject``). The CLR is built as an organisation's is
(:func:`credstack.core.credentials.clr_v2.build_clr_credential`), with two differences:

* its ``issuer`` is the holder's ``did:key`` as an OB 3.0 ``Profile`` — the learner vouches
  for the selection, and each nested credential keeps its own issuer's proof, unchanged;
* its ``credentialSubject.id`` is that same DID, and the learner's other identifiers (plain
  values: e-mail addresses, other DIDs, student numbers …) decide which credentials are
  theirs; the CLR shows only what a verifier needs to see the same
  (:func:`~credstack.core.credentials.clr_v2.learner_subject`: the credentials' own identity
  objects, hashed as they were, and the learner's other subject ids).

The CLR is signed with ``eddsa-rdfc-2022`` (the suite 1EdTech certifies) or
``eddsa-jcs-2022``, for ``assertionMethod``. Pure: the key, the time and the JSON-LD document
loader are parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from credstack.core.credentials import clr_v2
from credstack.core.credentials.embedding import embedded
from credstack.core.crypto import DocumentLoader, KeyPair
from credstack.core.dids import did_key
from credstack.core.proofs import sign_data_integrity
from credstack.errors import MalformedCredentialError, Problem, RecipientMismatchError

__all__ = ["sign_holder_clr"]


def _known(identifiers: Sequence[str], did: str) -> tuple[str, ...]:
    """The learner's plain values, and the ``mailto:`` form of each e-mail address (a
    subject ``id`` names an address that way)."""
    values: dict[str, None] = {did: None}
    for value in identifiers:
        values.setdefault(value)
        if "@" in value and ":" not in value:
            values.setdefault(f"mailto:{value}")
    return tuple(values)


def sign_holder_clr(credentials: Sequence[Mapping[str, Any] | str], *, key: KeyPair,
                    identifiers: Sequence[str] = (), clr_id: str, name: str,
                    created: dt.datetime, document_loader: DocumentLoader | None,
                    holder_name: str | None = None,
                    cryptosuite: str = "eddsa-rdfc-2022") -> dict[str, Any]:
    """The ``ClrCredential`` of ``credentials``, issued and signed by the holder of ``key``.

    ``credentials`` are JSON credentials with their proofs (objects or JSON text) or VC-JWTs
    (compact JWS text; carried enveloped); ``identifiers`` are the learner's plain
    identifiers besides the key's ``did:key``. ``clr_id`` is the CLR's ``id`` (a URL such as
    ``urn:uuid:…``), ``name`` its title; ``created`` (aware) is its ``validFrom`` and its
    proof's ``created``; ``holder_name`` the issuer profile's ``name`` (left out when
    ``None``). ``document_loader`` serves the JSON-LD contexts, required for
    ``eddsa-rdfc-2022``.

    Raises :class:`~credstack.errors.UnpresentableCredentialError` for a credential a CLR
    cannot hold (an Open Badges 2.0 assertion, an unsecured document), and
    :class:`~credstack.errors.RecipientMismatchError` for credentials about nobody or about
    someone else — each naming ``credentials[i]``.
    """
    did = did_key.did_from_public_key(key.public_key)
    if not credentials:
        raise MalformedCredentialError(code="wallet.refused.clr_empty",
                                       problems=[Problem("credentials", "empty")])
    entries = [embedded(credential, index, into="clr")
               for index, credential in enumerate(credentials)]
    learner = clr_v2.Learner(did, (), _known(identifiers, did))
    strangers = clr_v2.learner_mismatches(learner, entries)
    if strangers:
        named = ", ".join(f"credentials[{index}]" for index in strangers)
        raise RecipientMismatchError(
            code="wallet.refused.clr_not_yours", params={"named": named},
            problems=[Problem(f"credentials[{index}]", "its subject is not the holder")
                      for index in strangers])
    subject_id, identity_objects = clr_v2.learner_subject(learner, entries)
    issuer: dict[str, Any] = {"id": did, "type": ["Profile"]}
    if holder_name is not None:
        issuer["name"] = holder_name
    document = clr_v2.build_clr_credential(
        entries, issuer=issuer, clr_id=clr_id, valid_from=created, name=name,
        subject_id=subject_id, identifiers=identity_objects)
    return sign_data_integrity(document, key=key,
                               verification_method=did_key.verification_method_id(
                                   key.public_key),
                               cryptosuite=cryptosuite, created=created,
                               document_loader=document_loader)
