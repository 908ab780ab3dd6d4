"""Issuing and verifying CLR 2.0 ``ClrCredential`` bundles (see
:mod:`credstack.core.credentials.clr_v2`).

:func:`bundle` is the service the API and ``credstack clr bundle`` call: it checks who asks
(below), signs, and writes one ``clr.issued`` audit entry (subject: the CLR's id; details:
the organisation, the securing, the bundled credentials' ids and how many were imported).
:func:`issue_clr`, the building block (it checks nobody and writes no audit entry; test and
benchmark setups call it), bundles credentials credstack issued (read from the store by id) and
imported ones (documents as given: JSON credentials or VC-JWTs), all about one learner, and
signs the bundle as the organisation — with eddsa-rdfc-2022 (the suite 1EdTech certifies;
the CLR 2.0.1 JSON-LD context is bundled, see :mod:`credstack.adapters.resolvers.contexts`),
eddsa-jcs-2022 or as a VC-JWT. Verifying one
(:func:`credstack.services.clr.verification.verify_clr`) runs the CLR's own list of steps
(:mod:`credstack.core.verification.clr_v2`): the credential's (data model, contexts, proof,
issuer, validity, status), then its CLR structure, that every nested credential is about its
learner (``clr-learner``), its associations (``clr-associations``) and every nested
credential verified as a credential on its own (``credential[i]``).

**Who the learner is.** ``subject_id`` (a DID or URI) and/or ``learner`` (a plain identifier
such as an e-mail address, which is never written into the CLR) when given; otherwise the
learner key credstack recorded when it issued the stored credentials (all must agree); for
imported credentials alone, the first credential's subject. A credential whose subject is not
that learner — another ``id``, no IdentityObject that hashes to the learner's value — is
refused, naming its index.

**Who may bundle** (:func:`bundle`): someone allowed ``credentials:issue`` for the
organisation, with any of its credentials and imported ones; or a signed-in learner, for
credentials the organisation issued to them (``credentials:read`` as the credential's own
learner), without imported ones, naming no other learner. A credential of another
organisation is unknown here (:class:`~credstack.errors.NotFoundError`): an organisation
bundles only its own records.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from credstack.adapters import keystore
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor, Principal
from credstack.core.credentials import clr_v2
from credstack.errors import AccessDeniedError, InputError, NotFoundError, Problem
from credstack.services import audit, issuance
from credstack.services.runtime import Runtime

__all__ = ["CLR_SECURINGS", "DEFAULT_SECURING", "bundle", "issue_clr"]

#: How a CLR can be secured: every way credstack secures a credential.
#: How a CLR is secured: Data Integrity or a VC-JWT. The selectively disclosable and COSE
#: forms secure one credential; a CLR in them is neither read back nor verified yet
#: (issue 58).
CLR_SECURINGS: Final = ("eddsa-rdfc-2022", "eddsa-jcs-2022", "vc-jwt")
#: The Data Integrity suite the 1EdTech conformance suite certifies.
DEFAULT_SECURING: Final = "eddsa-rdfc-2022"


def _first_subject(credentials: Sequence[Mapping[str, Any] | str]) -> clr_v2.Learner:
    """The learner the first credential names (for imported credentials alone)."""
    for subject in clr_v2.subjects_of(credentials[0]) if credentials else []:
        found = clr_v2.learner_of({"credentialSubject": subject})
        if found.id is not None or found.identifiers:
            return found
    raise InputError("cannot tell who the learner is: the first credential names no subject "
                     "id or identifier; give the learner (an e-mail address or a DID)",
                     problems=[Problem("learner", "missing")])


def _learner(stored: Sequence[credential_store.StoredCredential],
             credentials: Sequence[Mapping[str, Any] | str], *, subject_id: str | None,
             learner: str | None) -> clr_v2.Learner:
    if subject_id is not None or learner is not None:
        return clr_v2.Learner(subject_id, (), (learner,) if learner else ())
    keys = [item.learner for item in stored]
    if keys and keys[0] is not None:
        for index, key in enumerate(keys):
            if key != keys[0]:
                raise InputError(
                    f"credentials[{index}] ({stored[index].credential_id}) was issued to "
                    "another learner than credentials[0]; a CLR is about one learner",
                    problems=[Problem(f"credentials[{index}]", "another learner")])
        return clr_v2.Learner(None, (), (keys[0],))
    return _first_subject(credentials)


def _subject_of_clr(learner: clr_v2.Learner, credentials: Sequence[Mapping[str, Any] | str],
                    labels: Sequence[str]) -> tuple[str | None, list[Mapping[str, Any]]]:
    """The CLR subject's id and identifiers; refuses a credential about someone else."""
    strangers = clr_v2.learner_mismatches(learner, credentials)
    if strangers:
        named = ", ".join(f"credentials[{index}] ({labels[index]})" for index in strangers)
        raise InputError(f"not about the CLR's learner: {named}; a CLR bundles one learner's "
                         "credentials", problems=[
                             Problem(f"credentials[{index}]", "its subject is not the learner")
                             for index in strangers])
    return clr_v2.learner_subject(learner, credentials)


def issue_clr(sessions: Callable[[], Session], *, organisation: str,
              credential_ids: Sequence[str] = (),
              imported: Sequence[Mapping[str, Any] | str] = (),
              secret: keystore.MasterKey, public_url: str,
              securing: str = DEFAULT_SECURING, now: dt.datetime,
              name: str | None = None, clr_id: str | None = None,
              subject_id: str | None = None, learner: str | None = None,
              associations: Sequence[Mapping[str, Any]] = ()) -> str:
    """The signed ``ClrCredential`` as text: JSON (Data Integrity) or a compact JWS (vc-jwt).

    Our credentials are bundled exactly as stored, then the ``imported`` ones as given (JSON
    objects, or VC-JWT text); ``credentials[i]`` in errors counts them in that order. See the
    module docstring for who the learner is. ``associations`` are CLR 2.0 ``Association``
    objects between the bundled achievements.
    """
    _check_securing(securing)
    with sessions() as session:
        stored = [credential_store.get_credential(session, credential_id=cid)
                  for cid in credential_ids]
        signer = issuance.signer_for(session, organisation=organisation, secret=secret,
                                     public_url=public_url)
    return _signed(stored, imported, signer=signer, securing=securing, now=now, name=name,
                   clr_id=clr_id, subject_id=subject_id, learner=learner,
                   associations=associations)


def _check_securing(securing: str) -> None:
    if securing not in CLR_SECURINGS:
        raise InputError(f"a CLR is secured with {', '.join(CLR_SECURINGS)}, not {securing!r}",
                         problems=[Problem("securing", f"{securing!r} is not supported")])


def _signed(stored: Sequence[credential_store.StoredCredential],
            imported: Sequence[Mapping[str, Any] | str], *, signer: issuance.Signer,
            securing: str, now: dt.datetime, name: str | None, clr_id: str | None,
            subject_id: str | None, learner: str | None,
            associations: Sequence[Mapping[str, Any]]) -> str:
    credentials: list[Mapping[str, Any] | str] = [clr_v2.parsed_document(item.document)
                                                  for item in stored]
    credentials += [clr_v2.parsed_document(c) if isinstance(c, str) else c for c in imported]
    labels = [item.credential_id for item in stored] + [
        f"imported[{index}]" for index in range(len(imported))]
    who = _learner(stored, credentials, subject_id=subject_id, learner=learner)
    learner_id, identifiers = _subject_of_clr(who, credentials, labels)
    document = clr_v2.build_clr_credential(
        credentials, issuer=signer.profile, clr_id=clr_id or f"urn:uuid:{uuid.uuid4()}",
        valid_from=now, name=name or "Comprehensive Learner Record",
        subject_id=learner_id, identifiers=identifiers, associations=associations)
    return issuance.secure_document(document, signer=signer, securing=securing, now=now)


def bundle(runtime: Runtime, *, actor: Actor, organisation: str,
           credential_ids: Sequence[str] = (),
           imported: Sequence[Mapping[str, Any] | str] = (),
           securing: str = DEFAULT_SECURING, name: str | None = None,
           subject_id: str | None = None, learner: str | None = None,
           associations: Sequence[Mapping[str, Any]] = ()) -> str:
    """The signed ``ClrCredential`` of ``credential_ids`` and ``imported``, for whoever may
    bundle them (see the module docstring), audited once (``clr.issued``)."""
    now = runtime.now().replace(microsecond=0)
    clr_id = f"urn:uuid:{uuid.uuid4()}"
    with runtime.transaction() as session:
        principal, stored = _authorise(session, actor, organisation, credential_ids, imported,
                                       learner)
        _check_securing(securing)
        signer = issuance.signer_for(session, organisation=organisation,
                                     secret=runtime.key(),
                                     public_url=runtime.settings.public_url)
        text = _signed(stored, imported, signer=signer, securing=securing, now=now, name=name,
                       clr_id=clr_id, subject_id=subject_id, learner=learner,
                       associations=associations)
        audit.record(session, at=now, actor=principal.subject, action="clr.issued",
                     subject=clr_id, details={
                         "organisation": organisation, "securing": securing,
                         "credentials": list(credential_ids), "imported": len(imported)})
    return text


def _authorise(session: Session, actor: Actor, organisation: str,
               credential_ids: Sequence[str], imported: Sequence[object],
               learner: str | None
               ) -> tuple[Principal, list[credential_store.StoredCredential]]:
    """Who bundles and the stored credentials (see the module docstring): an issuer of the
    organisation, or the credentials' own learner naming no other learner."""
    if actor.allows(Action.CREDENTIAL_ISSUE, organisation):
        principal = actor.require(Action.CREDENTIAL_ISSUE, organisation)
        return principal, [_own(session, organisation, credential_id)
                           for credential_id in credential_ids]
    principal = actor.user()
    if imported or not credential_ids:
        actor.require(Action.CREDENTIAL_ISSUE, organisation)
    stored = []
    for credential_id in credential_ids:
        found = _own(session, organisation, credential_id)
        actor.require(Action.CREDENTIAL_READ, organisation, owner=found.learner)
        stored.append(found)
    if learner is not None and learner.casefold() != (principal.email or "").casefold():
        actor.refuse(AccessDeniedError("A learner bundles only their own credentials. / "
                                       "自分の証明だけをまとめられます。",
                                       problems=[Problem("learner", "not you")]),
                     action=Action.CREDENTIAL_READ.value, organisation=organisation)
    return principal, stored


def _own(session: Session, organisation: str, credential_id: str
         ) -> credential_store.StoredCredential:
    stored = credential_store.get_credential(session, credential_id=credential_id)
    if stored.organisation != organisation:
        raise NotFoundError(f"{organisation!r} issued no credential {credential_id!r}.",
                            problems=[Problem("credential_ids", credential_id)])
    return stored
