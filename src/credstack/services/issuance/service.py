"""Issuing credentials: one at a time (VC-API) or a whole cohort, signed, stored, status-listed.

The recipes the API and the CLI call:

* :func:`signer_for` — an organisation's issuer identity and active keys, opened from the key
  store for the length of one issuance (the secrets stay in this process's memory).
* :func:`issue_document` — the VC-API issue operation: prepare the requested credential
  (:mod:`credstack.core.credentials.issue_requests`, which runs the VC Data Model gate), give
  it the status entries asked for, sign it with
  the chosen securing mechanism, record it.
* :func:`issue_cohort` — bulk issuance of a programme version to a cohort: idempotent (a
  learner, programme version and batch always give the same stored credential) and
  resumable (work is committed in chunks, each chunk's status allocation and credentials in
  one transaction, so a crash or kill loses at most the chunk in flight, which the next run
  redoes). Signing runs on every core in forked worker processes.

These take the sessions or the session of their caller and write no audit entry: the
services on a runtime (:mod:`credstack.services.issuance.credentials`,
:mod:`credstack.services.issuance.cohorts`) check who acts and audit; test and demo setups
call these directly.
* :func:`change_status` — revoke, suspend, reinstate.
* :func:`secure_document` — sign a document the caller built (a CLR …) as the organisation,
  without recording it.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import multiprocessing
import os
import secrets
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from random import Random, SystemRandom
from typing import Any, Final

import orjson

from credstack.adapters import keystore
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories import status_lists
from credstack.adapters.db.repositories.credentials import NewCredential
from credstack.adapters.db.transactions import Session, Sessions
from credstack.adapters.resolvers.contexts import published_bytes, shared_document_loader
from credstack.core.credentials import issue_requests
from credstack.core.credentials import securing as securing_forms
from credstack.core.credentials.cohorts import Cohort, CohortMember
from credstack.core.credentials.openbadges_v3 import (
    build_achievement,
    build_open_badge_credential,
)
from credstack.core.crypto import rdfc_check
from credstack.core.mail import recipient_email
from credstack.core.proofs import data_integrity
from credstack.core.proofs.cryptosuites import sd_jwt, vc_cose, vc_jwt
from credstack.core.status import entry_for
from credstack.errors import ConflictError, InputError, NotFoundError, Problem
from credstack.services import skills
from credstack.services.issuance import reissues
from credstack.services.issuance.issued import Issued
from credstack.services.issuance.signers import ALGORITHM_KEYS, Signer, signer_for

__all__ = [
    "SECURINGS",
    "CohortChunk",
    "CohortProgress",
    "CohortResult",
    "Issued",
    "Signer",
    "achievement_url",
    "cohort_documents",
    "issue_cohort",
    "issue_document",
    "prepare_request",
    "request_key",
    "secure_document",
    "sign_request",
    "signer_for",
    "status_list_url",
]

#: How a credential can be secured: the two Data Integrity cryptosuites, a VC-JWT, an SD-JWT
#: or a COSE_Sign1 (:mod:`credstack.core.credentials.securing`).
SECURINGS: Final = securing_forms.SECURINGS
#: The members of a credential's subject an SD-JWT makes selectively disclosable when the
#: request names none: every member but its ``id`` and ``type`` (which say whose and what it
#: is), so a holder can show the achievement without, say, their name.
_SUBJECT_KEPT: Final = frozenset({"id", "type"})
#: The language of the issuer's name in an Open Badges credential issued through the VC-API
#: (as in the achievements credstack publishes, Japanese unless the organisation has none).
VC_API_LANGUAGE: Final = "ja"
#: The namespace of bulk credentials' ``urn:uuid`` ids (UUID v5 of the request key).
_CREDENTIAL_NAMESPACE: Final = uuid.UUID("6f1d6a52-5c1b-4f0e-9a53-8c1ce3b3c0de")


def achievement_url(public_url: str, programme_id: int, version: int) -> str:
    """The stable URL of a programme version's ``Achievement`` (served as JSON)."""
    return f"{public_url}/achievements/{programme_id}/v{version}"


def status_list_url(public_url: str, organisation: str, number: int, purpose: str) -> str:
    return public_url + status_lists.list_path(organisation, number, purpose)


def secure_document(document: Mapping[str, Any], *, signer: Signer, securing: str,
                    now: dt.datetime, alg: str = "EdDSA", method: str | None = None) -> str:
    """``document`` secured as ``signer``: JSON text (Data Integrity) or a compact JWS.

    ``method`` defaults to the key that signs as the organisation's DID; ``alg`` (``EdDSA`` or
    ``ES256``) applies to VC-JWTs. Nothing is recorded: the caller stores the result if needed.
    """
    if securing not in SECURINGS:
        raise InputError(f"unknown securing mechanism {securing!r}", problems=[Problem(
            "securing", f"use one of {', '.join(SECURINGS)}")])
    return _secure(document, signer=signer, method=method or signer.identities[signer.did],
                   securing=securing, alg=alg, now=now)[0]


def _secure(document: Mapping[str, Any], *, signer: Signer, method: str, securing: str,
            alg: str, now: dt.datetime, disclosable: Sequence[str] | None = None
            ) -> tuple[str, dict[str, Any] | None]:
    """The secured credential as stored: JSON text (Data Integrity), a compact JWS or
    SD-JWT, or a COSE_Sign1 in base64 (:mod:`credstack.core.credentials.securing`); and the
    signed credential that JSON text is (None: enveloped), so that it is not parsed again."""
    if securing in securing_forms.ENVELOPED:
        if alg != "EdDSA":
            method = _method_for(signer, alg)
        key = signer.methods[method]
        if securing == "vc+sd-jwt":
            return sd_jwt.issue(document, key=key, kid=method, disclosable=(
                disclosable if disclosable is not None else _subject_members(document))), None
        if securing == "vc+cose":
            return base64.b64encode(vc_cose.sign(document, key=key, kid=method)).decode(), None
        if securing_forms.is_vc_v1(document):
            # VC Data Model 1.1 §6.3.1: a VC 1.1 credential as a JWT is typ JWT with the
            # credential in a vc claim (VC-JOSE-COSE's vc+jwt secures VC 2.0 only).
            return vc_jwt.sign_claims(vc_jwt.claims_from_credential(document, now=now),
                                      key=key, kid=method, typ=vc_jwt.V1_TYPE), None
        return vc_jwt.sign(document, key=key, kid=method), None
    signed = data_integrity.sign(document, key=signer.methods[method],
                                 verification_method=method, cryptosuite=securing,
                                 created=now, document_loader=shared_document_loader())
    # orjson: compact UTF-8 JSON in the document's key order, like json.dumps with
    # ensure_ascii=False, in a tenth of its time (json.dumps was 11 % of a signing worker's).
    return orjson.dumps(signed).decode(), signed


def _method_for(signer: Signer, alg: str) -> str:
    """The verification method of the signer's key for a JOSE/COSE ``alg`` (ES256, ES384,
    ES512), or NotFoundError saying how to create that key."""
    wanted = ALGORITHM_KEYS.get(alg)
    if wanted is None:
        raise InputError(f"unsupported algorithm {alg!r}", problems=[Problem(
            "options.alg", f"use one of EdDSA, {', '.join(ALGORITHM_KEYS)}")])
    method = signer.ec_methods.get(wanted)
    if method is None:
        raise NotFoundError(
            f"{signer.organisation!r} has no {wanted} key for {alg}; create one with "
            f"`credstack issuer keys create --organisation {signer.organisation} "
            f"--type {wanted}`.")
    return method


def _subject_members(document: Mapping[str, Any]) -> list[str]:
    """The selectively disclosable members by default: the subject's, but its id and type."""
    subject = document.get("credentialSubject")
    if not isinstance(subject, Mapping):
        return []
    return [f"credentialSubject.{name}" for name in subject
            if name not in _SUBJECT_KEPT and "." not in name and "[" not in name]


def _entries(public_url: str, organisation: str, slot: status_lists.Slot,
             purposes: Sequence[str]) -> list[dict[str, Any]]:
    return [entry_for(slot.index, purpose=purpose,  # type: ignore[arg-type]
                      list_url=status_list_url(public_url, organisation, slot.number, purpose))
            for purpose in purposes]


def prepare_request(*, signer: Signer, credential: object, securing: str, now: dt.datetime,
                    status_option: object = None, status_default: Sequence[str] = ()
                    ) -> issue_requests.Prepared:
    """A VC-API request's credential as it will be signed, without its status entries (the
    VC Data Model gate of :mod:`credstack.core.credentials.issue_requests`; ``status_option``
    and ``status_default`` as in :func:`issue_document`). Pure: it reads and writes nothing."""
    if securing not in SECURINGS:
        raise InputError(f"unknown securing mechanism {securing!r}", problems=[Problem(
            "options.cryptosuite", f"use one of {', '.join(SECURINGS)}")])
    prepared = issue_requests.prepare(
        credential, issuer_id=signer.did, accepted_issuers=list(signer.identities),
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        data_integrity=securing in securing_forms.DATA_INTEGRITY,
        v1_jwt=securing == "vc-jwt",
        purposes=issue_requests.requested_purposes(status_option, status_default),
        purposes_asked=status_option is not None,
        issuer_profile=signer.profile.to_profile(VC_API_LANGUAGE), issued_at=now,
        read_resource=published_bytes)
    own_id = prepared.document.get("id")
    if not isinstance(own_id, str):
        raise InputError("the credential's id must be a string", problems=[
            Problem("credential.id", f"must be a URI string, not {own_id!r}")])
    return prepared


def sign_request(prepared: issue_requests.Prepared, *, signer: Signer, slot: status_lists.Slot,
                 securing: str, alg: str, now: dt.datetime, public_url: str
                 ) -> NewCredential:
    """A prepared request's credential with its status entries at ``slot``, signed, ready to
    be stored (``learner`` as in :func:`issue_document`)."""
    issuer = prepared.document["issuer"]
    method = signer.identities[issuer["id"] if isinstance(issuer, Mapping) else issuer]
    document = issue_requests.add_status_entries(
        prepared, _entries(public_url, signer.organisation, slot, prepared.purposes))
    if securing != "eddsa-rdfc-2022":
        # eddsa-jcs-2022 and VC-JWT sign the JSON as it is, so a credential whose JSON-LD
        # does not expand (an undefined term, a redefined protected term) would be signed
        # as given; expanding it in safe mode, as RDFC signing does, refuses it first.
        # Proofs already on the credential are not part of what this proof secures. A
        # credential shaped as one checked before is accepted without its N-Quads.
        rdfc_check({key: value for key, value in document.items() if key != "proof"},
                   document_loader=shared_document_loader())
    text, claims = _secure(document, signer=signer, method=method, securing=securing, alg=alg,
                           now=now)
    return NewCredential(
        credential_id=document["id"], request_key=None, programme_version_id=None,
        learner=_learner(document), batch=None, securing=securing, document=text, slot=slot,
        purposes=prepared.purposes, claims=claims)


def issue_document(session: Session, *, signer: Signer, credential: object,
                   securing: str, now: dt.datetime, public_url: str, alg: str = "EdDSA",
                   status_option: object = None, status_default: Sequence[str] = (),
                   rng: Random | None = None, learner: str | None = None) -> Issued:
    """Issue the credential of a VC-API request (see the module docstring). ``learner``:
    whom it is issued to when it names them by a salted hash only (a credit bank's decision);
    ``status_option`` is the request's ``options.credentialStatus``; without one the
    credential gets entries for ``status_default`` (the server's ``CREDSTACK_ISSUE_STATUS``;
    none unless set), which a VC 1.1 credential without the status context goes without.
    """
    prepared = prepare_request(signer=signer, credential=credential, securing=securing,
                               now=now, status_option=status_option,
                               status_default=status_default)
    earlier = reissues.earlier(session, prepared, organisation=signer.organisation,
                               securing=securing, alg=alg, request=credential)
    if earlier is not None:
        return earlier
    slot = status_lists.allocate(session, organisation_id=signer.organisation_id, count=1,
                                 now=now, rng=rng or SystemRandom())[0]
    new = sign_request(prepared, signer=signer, slot=slot, securing=securing, alg=alg,
                       now=now, public_url=public_url)
    if learner is not None:
        new = dataclasses.replace(new, learner=learner.lower())
    if not credential_store.insert_unless_taken(session, organisation_id=signer.organisation_id,
                                                credentials=[new], now=now):
        raise reissues.id_taken(new.credential_id)
    return Issued(new.credential_id, securing, new.document)


def _learner(document: Mapping[str, Any]) -> str | None:
    """Who a VC-API credential was issued to, when it states the learner's e-mail address in
    plain text (lower case, as cohorts key learners): the learner's wallet then takes it in,
    and the learner may download its certificate."""
    found = recipient_email(document)
    return found.lower() if found is not None else None


# --- bulk issuance ------------------------------------------------------------------------


def request_key(*, organisation: str, programme_id: int, version: int, learner: str,
                batch: str) -> str:
    """The idempotency key of one learner's credential in one batch."""
    text = "\n".join([organisation, str(programme_id), str(version), learner, batch])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CohortProgress:
    done: int
    total: int
    reused: int


@dataclass(frozen=True, slots=True)
class CohortChunk:
    """What one chunk's transaction stored: passed to ``issue_cohort``'s ``on_chunk`` inside
    that transaction (where the service writes its audit entry)."""

    organisation: str
    programme_id: int
    version: int
    batch: str
    securing: str
    #: Credentials signed and stored by this transaction.
    issued: int
    #: Learners of the chunk whose credential an earlier run stored.
    reused: int
    #: Each credential this transaction stored: its id and the learner it was issued to.
    credentials: tuple[tuple[str, CohortMember], ...] = ()


@dataclass(frozen=True, slots=True)
class CohortResult:
    issued: int
    reused: int
    #: Request keys in cohort order (read the documents back with :func:`cohort_documents`).
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Job:
    """What the signing workers share (inherited by fork, never pickled)."""

    #: The cohort's learners: a worker is sent a learner's place in it, not the learner (a
    #: pickled learner took 140 µs to unpickle, a third of signing its credential).
    members: Sequence[CohortMember]
    signer: Signer
    method: str
    securing: str
    alg: str
    programme: Any
    achievement: dict[str, Any]
    achievement_id: str
    valid_from: dt.datetime
    valid_until: dt.datetime | None
    language: str
    public_url: str


class _Worker:
    """The job a forked signing worker signs for: set once, by :func:`_start_worker`, in each
    worker process as it starts (the parent process never sets it, so concurrent issuances
    in one process cannot see each other's job). The job holds unsealed keys: it reaches the
    workers by ``fork``, never pickled."""

    job: _Job | None = None


def _start_worker(job: _Job) -> None:
    _Worker.job = job


#: What a worker is sent per learner: the learner's place in the cohort, the credential's id
#: and its status list slot.
_Task = tuple[int, str, status_lists.Slot]


def _sign_member(job: _Job, member: CohortMember, credential_id: str,
                 slot: status_lists.Slot) -> str:
    credential = build_open_badge_credential(
        programme=job.programme, award=member.award, issuer=job.signer.profile,
        credential_id=credential_id, achievement_id=job.achievement_id,
        valid_from=job.valid_from, valid_until=job.valid_until, language=job.language,
        salt=secrets.token_hex(8), achievement=job.achievement)
    credential["credentialStatus"] = _entries(job.public_url, job.signer.organisation, slot,
                                              issue_requests.DEFAULT_PURPOSES)
    return _secure(credential, signer=job.signer, method=job.method, securing=job.securing,
                   alg=job.alg, now=job.valid_from)[0]


def _sign_tasks(job: _Job, tasks: Sequence[_Task]) -> list[str]:
    members = job.members
    return [_sign_member(job, members[place], credential_id, slot)
            for place, credential_id, slot in tasks]


def _sign_chunk(tasks: Sequence[_Task]) -> list[str]:
    """A worker's share of a chunk, signed for the job the worker was started with."""
    job = _Worker.job
    if job is None:  # pragma: no cover - a worker is only started with a job
        raise RuntimeError("no issuance job in this worker")
    return _sign_tasks(job, tasks)


@dataclass(frozen=True, slots=True)
class _Programme:
    programme_id: int
    version: int
    version_row_id: int
    organisation: str
    programme: Any


def _programme(session: Session, programme_id: int, version: int | None) -> _Programme:
    stored = programme_store.get_programme(session, programme_id=programme_id)
    if version is None:
        # The newest *published* version, as the issuing form promises: a draft of the next
        # version, being edited in the meantime, does not stop the published one's issuing.
        published = programme_store.get_published_programmes(session,
                                                              programme_ids=[programme_id])
        chosen = published[programme_id].latest if programme_id in published else stored.latest
    else:
        chosen = programme_store.get_version(session, programme_id=programme_id,
                                             version=version)
    if chosen.status != programme_store.Status.PUBLISHED:
        raise ConflictError(
            f"Version {chosen.version} of programme {programme_id} is a draft; credentials "
            "are issued for published versions only (publish it first).")
    row_id = programme_store.version_row_id(session, programme_id=programme_id,
                                            version=chosen.version)
    # The skills its outcomes are aligned to travel as Open Badges alignments (issue 17).
    return _Programme(programme_id, chosen.version, row_id, stored.organisation_slug,
                      skills.aligned_programme(session, programme_id, chosen.programme))


def learner_name(member: CohortMember) -> str | None:
    """The learner's name in each language the issuer gave, joined (for finding it)."""
    learner = member.award.learner
    if learner is None or learner.name is None:
        return None
    return " / ".join(dict.fromkeys(learner.name.root.values()))[:500]


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


#: A chunk is signed in this many pieces per worker (more: the store starts sooner).
_PIECES_PER_WORKER = 4

@dataclass(frozen=True, slots=True)
class _Signing:
    """One chunk's credentials being signed: its learners not stored yet (place in the
    cohort, request key), each one's task, and the pieces the workers sign (or, with no
    pool, that are signed here as they are stored)."""

    job: _Job
    todo: list[tuple[int, str]]
    tasks: list[_Task]
    piece: int
    parts: list[Sequence[_Task]]
    futures: list[Future[list[str]]] | None

    @classmethod
    def begin(cls, job: _Job, pool: ProcessPoolExecutor | None, workers: int,
              todo: list[tuple[int, str]], slots: Sequence[status_lists.Slot]) -> _Signing:
        tasks: list[_Task] = [
            (place, f"urn:uuid:{uuid.uuid5(_CREDENTIAL_NAMESPACE, key)}", slot)
            for (place, key), slot in zip(todo, slots, strict=True)]
        # Stored a piece at a time as the workers finish it, in order, so that the store's
        # work on one piece overlaps the signing of the next ones.
        piece = max(1, -(-len(tasks) // (_PIECES_PER_WORKER * workers)))
        parts = list(_chunks(tasks, piece))
        futures = ([pool.submit(_sign_chunk, part) for part in parts] if pool is not None
                   else None)
        return cls(job, todo, tasks, piece, parts, futures)

    def results(self) -> Iterator[list[str]]:
        """Each piece's documents, in order."""
        if self.futures is None:
            return (_sign_tasks(self.job, part) for part in self.parts)
        return (future.result() for future in self.futures)

    def cancel(self) -> None:
        """Give up what has not started (its documents will not be stored)."""
        for future in self.futures or ():
            future.cancel()


def issue_cohort(sessions: Sessions, *, secret: keystore.MasterKey,
                 public_url: str, programme_id: int, cohort: Cohort, batch: str,
                 now: dt.datetime, version: int | None = None,
                 securing: str = "eddsa-rdfc-2022", alg: str = "EdDSA",
                 valid_until: dt.datetime | None = None, language: str = "ja",
                 workers: int | None = None, chunk_size: int = 2000,
                 progress: Callable[[CohortProgress], None] = lambda _: None,
                 on_chunk: Callable[[Session, CohortChunk], None] | None = None,
                 rng: Random | None = None) -> CohortResult:
    """Issue ``programme_id``'s credential to every learner of ``cohort`` in ``batch``.

    Learners already issued in this batch (by an earlier, possibly interrupted, run) keep
    their stored credential; the rest are signed on ``workers`` processes (default: every
    core) and stored ``chunk_size`` at a time, each chunk in one transaction. ``on_chunk`` is
    called in each transaction that stores credentials, after they are stored.
    """
    if securing not in SECURINGS:
        raise InputError(f"unknown securing mechanism {securing!r}", problems=[Problem(
            "securing", f"use one of {', '.join(SECURINGS)}")])
    if not batch.strip() or len(batch) > 200:
        raise InputError("the batch needs a name", problems=[Problem(
            "batch", "give 1–200 characters that name this issuance (e.g. 2026-spring)")])
    with sessions() as session:
        chosen = _programme(session, programme_id, version)
        signer = signer_for(session, organisation=chosen.organisation, secret=secret,
                            public_url=public_url)
    achievement_id = achievement_url(public_url, programme_id, chosen.version)
    creator = signer.did if (chosen.programme.awarding_body is not None and
                             chosen.programme.awarding_body.id == signer.organisation) else None
    achievement = build_achievement(programme=chosen.programme, achievement_id=achievement_id,
                                    creator_id=creator, language=language)
    keys = tuple(request_key(organisation=signer.organisation, programme_id=programme_id,
                             version=chosen.version, learner=member.key, batch=batch)
                 for member in cohort.members)
    job = _Job(cohort.members, signer, signer.identities[signer.did], securing, alg,
               chosen.programme, achievement, achievement_id, now.replace(microsecond=0),
               valid_until, language, public_url)
    count = workers if workers is not None else (os.cpu_count() or 1)
    random = rng or SystemRandom()
    issued = reused = 0
    # PostgreSQL's statistics are gathered again each time this run has doubled what it
    # stored: planned from stale ones, each chunk's lookups scan the whole tables.
    refresh_at = chunk_size
    pool = (ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                                initializer=_start_worker, initargs=(job,))
            if count > 1 else None)
    # The next chunk's signing, begun while this one is stored (on its slots drawn, not
    # taken): the workers are not left idle while the parent stores a chunk, queues its
    # e-mails and commits. Its transaction takes those slots if nothing changed since.
    ahead: _Signing | None = None
    try:
        members = cohort.members

        def todo_of(session: Session, start: int) -> tuple[list[tuple[int, str]], int]:
            """The chunk's learners not stored yet (place, request key), and how many are."""
            chunk_keys = keys[start:start + chunk_size]
            existing = credential_store.stored_request_keys(session, chunk_keys)
            return ([(start + offset, key) for offset, key in enumerate(chunk_keys)
                     if key not in existing], len(existing))

        for start in range(0, len(keys), chunk_size):
            with sessions() as session, session.begin():
                # Taken before looking for the batch's stored credentials, so that a run
                # beside this one waits for this chunk and then finds it (reused, not a
                # conflict), and this chunk finds what that run stored before it.
                status_lists.lock_allocation(session, organisation_id=signer.organisation_id)
                todo, stored_before = todo_of(session, start)
                signing, ahead = ahead, None
                if signing is None or signing.todo != todo or not status_lists.claim(
                        session, organisation_id=signer.organisation_id,
                        slots=[slot for _, _, slot in signing.tasks]):
                    # Not begun, or begun for what is no longer so (another run stored some
                    # of these learners, or took those indexes): signed again, on new slots.
                    if signing is not None:
                        signing.cancel()
                    slots = status_lists.allocate(
                        session, organisation_id=signer.organisation_id, count=len(todo),
                        now=now, rng=random, locked=True)
                    signing = _Signing.begin(job, pool, count, todo, slots)
                following = start + chunk_size
                if pool is not None and following < len(keys):
                    next_todo, _ = todo_of(session, following)
                    drawn = status_lists.draw(session, organisation_id=signer.organisation_id,
                                              count=len(next_todo), rng=random)
                    if drawn is not None:
                        ahead = _Signing.begin(job, pool, count, next_todo, drawn)
                tasks, parts, signed = signing.tasks, signing.parts, signing.results()
                with credential_store.refusing_taken(lambda: ConflictError(
                        f"Batch {batch!r} is being issued by another run at the same time; "
                        "wait for it to finish, then run again to complete it.")):
                    for part, part_keys, documents in zip(
                            parts, _chunks([key for _, key in todo], signing.piece), signed,
                            strict=True):
                        credential_store.insert_credentials(
                            session, organisation_id=signer.organisation_id, now=now,
                            credentials=[credential_store.NewCredential(
                                credential_id=credential_id, request_key=key,
                                programme_version_id=chosen.version_row_id,
                                learner=members[place].key, batch=batch, securing=securing,
                                document=text, slot=slot,
                                purposes=issue_requests.DEFAULT_PURPOSES,
                                learner_name=learner_name(members[place]))
                                for (place, credential_id, slot), key, text
                                in zip(part, part_keys, documents, strict=True)])
                    session.flush()
                if todo and on_chunk is not None:
                    on_chunk(session, CohortChunk(
                        signer.organisation, programme_id, chosen.version, batch, securing,
                        len(todo), stored_before,
                        tuple((credential_id, members[place]) for place, credential_id, _
                              in tasks)))
            issued += len(todo)
            reused += stored_before
            if issued >= refresh_at:
                with sessions() as session, session.begin():
                    credential_store.refresh_statistics(session)
                refresh_at = 2 * issued
            progress(CohortProgress(issued + reused, len(keys), reused))
    finally:
        if ahead is not None:
            ahead.cancel()
        if pool is not None:
            pool.shutdown()
    return CohortResult(issued, reused, keys)


def cohort_documents(session: Session, keys: Sequence[str], *, chunk_size: int = 5000
                     ) -> Iterator[str]:
    """The stored documents of ``keys``, in their order."""
    for chunk in _chunks(keys, chunk_size):
        found = credential_store.by_request_keys(session, chunk)
        for key in chunk:
            yield found[key]
