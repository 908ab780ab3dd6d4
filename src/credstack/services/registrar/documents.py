"""The registrar's documents (issue 56): 学位記, 卒業証明書, 卒業見込証明書, 成績証明書, 在学証明書
and 科目履修証明書 from one academic record, each as a signed PDF, an Open Badges 3.0
credential and (the transcript) a CLR 2.0, all under the record's one status entry.

* :func:`issue_documents` — one student's documents, for the registrar (audited once);
* :func:`issue_class` — a whole standing's (a graduating class), in chunks of students, each
  chunk's status entries in one transaction and its documents, signed on several processes,
  in the next: a run killed (``kill -9``) loses the chunks in flight at most, and the next run
  finds their entries and skips what is stored (each form has a request key: organisation,
  student, record version, kind, form, language and batch), so nothing is issued twice;
* :func:`withdraw` — revoke the record's entry: every PDF, credential and CLR issued from it
  verifies as revoked from then on;
* :func:`student_documents` — what was issued from a record, with its state.

**One status entry per record version.** The first document of a record's version allocates
one index of the organisation's status lists; every form of every document of that version
carries it (the PDF carries the credential). A re-import that corrects the record makes a new
version: its next document gets a new entry, and the old version's entry is revoked then
(reason ``corrected``), withdrawing what was issued from the old record at once.

The PDF is the certificate renderer's page (:mod:`credstack.services.certificates`) with the
record's words, the credential attached, certified with the organisation's document-signing
key and timestamped by the configured authority (``CREDSTACK_TSA_URL``), the CA certificate
and its CRL in the signed revision (PAdES B-LT, as the micro-credential certificates are).
"""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import signal
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from random import Random, SystemRandom
from typing import Any, Final

from credstack.adapters import keystore, tsa
from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import registrar as record_store
from credstack.adapters.db.repositories import registrar_documents as document_store
from credstack.adapters.db.repositories import status_lists
from credstack.adapters.db.repositories.registrar import StoredStudent
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.certificates import verification_url
from credstack.core.credentials import clr_v2
from credstack.core.registrar.documents import (
    DocumentKind,
    RecordFacts,
    course_credentials,
    document_content,
    record_credential,
    refusal,
    student_identifier,
)
from credstack.core.status import entry_for
from credstack.errors import ConflictError, InputError, Problem
from credstack.services import audit, issuance
from credstack.services import certificates as pdf
from credstack.services.registrar.records import stored_record
from credstack.services.runtime import Runtime

__all__ = ["FORMS", "LANGUAGES", "ClassProgress", "ClassResult", "IssuedDocument",
           "issue_class", "issue_documents", "issue_for_request", "student_documents", "withdraw"]

FORMS: Final = ("pdf", "vc", "clr")
LANGUAGES: Final = ("ja", "en")
#: The Data Integrity suite of the credentials and the CLR (the one 1EdTech certifies).
SECURING: Final = "eddsa-rdfc-2022"
#: The CLR's nested course credentials: JCS, a tenth of RDF canonicalisation's cost for 40
#: courses a transcript, verified the same way by every Data Integrity verifier.
COURSE_SECURING: Final = "eddsa-jcs-2022"
_PURPOSE: Final = "revocation"
#: prctl(2)'s PR_SET_PDEATHSIG: the signal a process gets when its parent dies.
_PR_SET_PDEATHSIG: Final = 1
_NAMESPACE: Final = uuid.UUID("5b0f7f8e-3a5e-4d0c-9b1e-56a0d0c0e056")
_MEDIA: Final = {"pdf": "application/pdf", "vc": "application/vc+ld+json",
                 "clr": "application/vc+ld+json"}


@dataclass(frozen=True, slots=True)
class IssuedDocument:
    kind: str
    form: str
    language: str
    credential_id: str
    media_type: str
    content: bytes
    state: str = "active"
    created_at: dt.datetime | None = None
    record_version: int | None = None


@dataclass(frozen=True, slots=True)
class _Request:
    kinds: tuple[DocumentKind, ...]
    forms: tuple[str, ...]
    languages: tuple[str, ...]
    japanese_era: bool
    batch: str | None
    addressee: str = ""


@dataclass(slots=True)
class _Signers:
    """The organisation's credential signer and PDF signer, made once for a run."""

    credentials: issuance.Signer
    pdfs: pdf.CertificateSigner
    name: str


def _request(kinds: Sequence[str], forms: Sequence[str], languages: Sequence[str],
             japanese_era: bool, batch: str | None, addressee: str = "") -> _Request:
    problems = [Problem("kinds", kind) for kind in kinds
                if kind not in {item.value for item in DocumentKind}]
    problems += [Problem("forms", form) for form in forms if form not in FORMS]
    problems += [Problem("languages", language) for language in languages
                 if language not in LANGUAGES]
    if problems or not kinds or not forms or not languages:
        raise InputError(code="registrar.documents.request", params={
            "kinds": ", ".join(item.value for item in DocumentKind),
            "forms": ", ".join(FORMS), "languages": ", ".join(LANGUAGES)},
            problems=problems)
    return _Request(tuple(DocumentKind(kind) for kind in dict.fromkeys(kinds)),
                    tuple(dict.fromkeys(forms)), tuple(dict.fromkeys(languages)),
                    japanese_era, batch, addressee)


def _signers(session: Session, *, organisation: str, secret: keystore.MasterKey,
             public_url: str, now: dt.datetime, tsa_url: str | None) -> _Signers:
    credentials = issuance.signer_for(session, organisation=organisation, secret=secret,
                                      public_url=public_url)
    timestamps = tsa.authority(tsa_url) if tsa_url else None
    pdfs = pdf.CertificateSigner.for_identity(pdf.signing_identity(
        session, organisation=organisation, secret=secret, now=now, public_url=public_url),
        timestamps)
    return _Signers(credentials, pdfs, pdfs.name)


def _key(organisation: str, stored: StoredStudent, kind: DocumentKind, form: str,
         language: str, batch: str | None) -> str:
    text = "\n".join([organisation, stored.student.number, str(stored.version), kind.value,
                      form, language, batch or ""])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _credential_id(key: str, part: str = "") -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, key + part)}"


def _entry(session: Session, *, organisation_id: int, organisation: str,
           stored: StoredStudent, public_url: str, now: dt.datetime, rng: Random
           ) -> document_store.DocumentStatus:
    """The status entry of the record's current version: made on its first document, the
    entries of earlier versions then revoked (the record was corrected)."""
    found = document_store.status_entry(session, student_id=stored.id,
                                        record_version=stored.version)
    if found is not None:
        if found.state != "active":
            raise ConflictError(code="registrar.documents.withdrawn",
                                params={"number": stored.student.number,
                                        "organisation": organisation})
        return found
    for earlier in document_store.entries_of(session, student_id=stored.id):
        if earlier.state == "active":
            _revoke(session, earlier, now=now, reason="corrected")
    slot = status_lists.allocate(session, organisation_id=organisation_id, count=1, now=now,
                                 rng=rng)[0]
    return document_store.add_status_entry(session, student_id=stored.id,
                                           record_version=stored.version, slot=slot, now=now)


def _revoke(session: Session, entry: document_store.DocumentStatus, *, now: dt.datetime,
            reason: str) -> None:
    status_lists.set_bits(session, list_id=entry.slot.list_id,
                          changes=[(_PURPOSE, entry.slot.index, 1)], now=now)
    document_store.set_state(session, status_id=entry.id, state="revoked", now=now,
                             reason=reason)


def _forms(stored: StoredStudent, entry: document_store.DocumentStatus, request: _Request, *,
           organisation: str, signers: _Signers, public_url: str, now: dt.datetime,
           taken: set[str]) -> Iterator[document_store.NewDocument]:
    """The forms of ``request`` not stored yet, signed."""
    student = stored.student
    status = entry_for(entry.slot.index, purpose=_PURPOSE, list_url=issuance.status_list_url(
        public_url, organisation, entry.slot.number, _PURPOSE))
    for kind in request.kinds:
        for language in request.languages:
            keys = {form: _key(organisation, stored, kind, form, language, request.batch)
                    for form in request.forms
                    if form != "clr" or kind is DocumentKind.TRANSCRIPT}
            if all(key in taken for key in keys.values()):
                continue
            facts = RecordFacts(
                issuer=signers.credentials.profile.to_profile(language),
                issuer_name=signers.name,
                base_url=f"{public_url}/registrar/{organisation}", status=status, now=now,
                language=language, japanese_era=request.japanese_era,
                addressee=request.addressee)
            # The credential is the document's substance: the PDF carries it and the CLR
            # bundles it, so it is signed whenever any form is made, and its id is the same.
            vc_key = _key(organisation, stored, kind, "vc", language, request.batch)
            credential_id = _credential_id(vc_key)
            credential = issuance.secure_document(
                record_credential(kind, student, facts, credential_id=credential_id),
                signer=signers.credentials, securing=SECURING, now=now)

            def new(form: str, content: bytes, document_id: str,
                    kind: DocumentKind = kind, language: str = language,
                    keys: dict[str, str] = keys) -> document_store.NewDocument:
                return document_store.NewDocument(
                    status_id=entry.id, request_key=keys[form], kind=kind.value, form=form,
                    language=language, credential_id=document_id, media_type=_MEDIA[form],
                    content=content, batch=request.batch)

            if "vc" in keys and keys["vc"] not in taken:
                yield new("vc", credential.encode("utf-8"), credential_id)
            if "pdf" in keys and keys["pdf"] not in taken:
                yield new("pdf", _pdf(kind, stored, facts, credential, credential_id,
                                      signers=signers, public_url=public_url, now=now),
                          credential_id)
            if "clr" in keys and keys["clr"] not in taken:
                clr_id = _credential_id(keys["clr"])
                yield new("clr", _clr(stored, facts, credential, keys["clr"], clr_id,
                                      signers=signers, now=now).encode("utf-8"), clr_id)


def _pdf(kind: DocumentKind, stored: StoredStudent, facts: RecordFacts, credential: str,
         credential_id: str, *, signers: _Signers, public_url: str, now: dt.datetime
         ) -> bytes:
    content = document_content(kind, stored.student, facts, document_id=credential_id,
                               verify_url=verification_url(public_url, credential_id),
                               upload_url=f"{public_url}/verify")
    return pdf.sign_pdf(pdf.render_page(content, now=now), signer=signers.pdfs, now=now,
                        attachment=pdf.attachment_for(credential, credential_id=credential_id),
                        reason=content.captions.signed_note, location=public_url)


def _clr(stored: StoredStudent, facts: RecordFacts, transcript: str, key: str, clr_id: str, *,
         signers: _Signers, now: dt.datetime) -> str:
    """The transcript as a CLR 2.0: each course's credential and the transcript's, the
    courses associated to the programme, the record's status entry on the CLR itself."""
    student = stored.student
    ids = [_credential_id(key, f"/course/{index}") for index in range(len(student.results))]
    courses = [issuance.secure_document(item, signer=signers.credentials,
                                        securing=COURSE_SECURING, now=now)
               for item in course_credentials(student, facts, credential_ids=ids)]
    nested: list[dict[str, Any]] = [json.loads(text) for text in [*courses, transcript]]
    programme = nested[-1]["credentialSubject"]["achievement"]["id"]
    associations = [{"type": "Association", "associationType": "isChildOf",
                     "sourceId": item["credentialSubject"]["achievement"]["id"],
                     "targetId": programme}
                    for item in {credential["credentialSubject"]["achievement"]["id"]: credential
                                 for credential in nested[:-1]}.values()]
    document = clr_v2.build_clr_credential(
        nested, issuer=facts.issuer, clr_id=clr_id, valid_from=now,
        name=nested[-1]["name"], identifiers=[student_identifier(student)],
        language=facts.language, associations=associations)
    document["credentialStatus"] = dict(facts.status)
    return issuance.secure_document(document, signer=signers.credentials, securing=SECURING,
                                    now=now)


def _refuse(request: _Request, stored: StoredStudent) -> None:
    for kind in request.kinds:
        code = refusal(kind, stored.student)
        if code is not None:
            raise ConflictError(code=code, params={
                "number": stored.student.number, "kind": kind.value,
                "standing": stored.student.standing.value})


def issue_documents(runtime: Runtime, *, actor: Actor, organisation: str, number: str,
                    kinds: Sequence[str], forms: Sequence[str] = FORMS,
                    languages: Sequence[str] = ("ja",), japanese_era: bool = False,
                    rng: Random | None = None) -> list[IssuedDocument]:
    """The documents ``kinds`` of student ``number`` in ``forms`` and ``languages``, issued
    now (a form issued before for this version of the record is returned as stored). A kind
    the student's standing does not allow is refused (:class:`ConflictError`), as is a
    record whose documents were withdrawn. Audited as ``registrar.documents.issued``."""
    request = _request(kinds, forms, languages, japanese_era, None)
    now = runtime.now().replace(microsecond=0)
    with runtime.transaction() as session:
        principal = actor.require(Action.CREDENTIAL_ISSUE, organisation)
        row = organisation_store.existing_row(session, organisation)
        stored = stored_record(session, row.id, organisation, number)
        _refuse(request, stored)
        entry = _entry(session, organisation_id=row.id, organisation=organisation,
                       stored=stored, public_url=runtime.settings.public_url, now=now,
                       rng=rng or SystemRandom())
        signers = _signers(session, organisation=organisation, secret=runtime.key(),
                           public_url=runtime.settings.public_url, now=now,
                           tsa_url=runtime.settings.tsa_url)
        keys = {_key(organisation, stored, kind, form, language, None)
                for kind in request.kinds for form in request.forms
                for language in request.languages}
        made = list(_forms(stored, entry, request, organisation=organisation,
                           signers=signers, public_url=runtime.settings.public_url, now=now,
                           taken=document_store.taken_keys(session, keys)))
        document_store.add_documents(session, documents=made, now=now)
        audit.record(session, at=now, actor=principal.subject,
                     action="registrar.documents.issued",
                     subject=f"{organisation}:{number}",
                     details={"version": stored.version, "kinds": [k.value for k in
                                                                   request.kinds],
                              "forms": list(request.forms),
                              "languages": list(request.languages),
                              "issued": [item.credential_id for item in made]})
        wanted = {(kind.value, language) for kind in request.kinds
                  for language in request.languages}
        return [IssuedDocument(item.kind, item.form, item.language, item.credential_id,
                               item.media_type, item.content, item.state, item.created_at,
                               item.record_version)
                for item in document_store.documents_of(session, student_id=stored.id)
                if item.record_version == stored.version
                and (item.kind, item.language) in wanted and item.form in request.forms]


def issue_for_request(session: Session, runtime: Runtime, *, organisation: str,
                      organisation_id: int, stored: StoredStudent, kinds: Sequence[str],
                      language: str, addressee: str, batch: str, now: dt.datetime,
                      rng: Random | None = None) -> list[document_store.NewDocument]:
    """A student's request's documents (a PDF and a credential of each kind, in
    ``language``, ``addressee`` printed on the PDF), issued in the caller's transaction under
    the record's status entry; the caller checked who asks and writes the audit entry. A
    kind the standing does not allow is refused (:class:`ConflictError`)."""
    request = _request(kinds, ("pdf", "vc"), (language,), False, batch, addressee)
    _refuse(request, stored)
    public_url = runtime.settings.public_url
    entry = _entry(session, organisation_id=organisation_id, organisation=organisation,
                   stored=stored, public_url=public_url, now=now, rng=rng or SystemRandom())
    signers = _signers(session, organisation=organisation, secret=runtime.key(),
                       public_url=public_url, now=now, tsa_url=runtime.settings.tsa_url)
    keys = {_key(organisation, stored, kind, form, language, batch)
            for kind in request.kinds for form in request.forms}
    made = list(_forms(stored, entry, request, organisation=organisation, signers=signers,
                       public_url=public_url, now=now,
                       taken=document_store.taken_keys(session, keys)))
    document_store.add_documents(session, documents=made, now=now)
    return made


@dataclass(frozen=True, slots=True)
class ClassProgress:
    """Where a class's issuance stands: students done (issued now or before) of all."""

    done: int
    total: int
    issued: int
    skipped: int


@dataclass(frozen=True, slots=True)
class ClassResult:
    students: int
    #: Forms signed and stored by this run.
    issued: int
    #: Students whose forms were all stored before (an earlier run, killed or not).
    already: int
    #: Students refused: 学籍番号 → the refusal's code.
    refused: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Job:
    """What every student of a class run is signed with: made once in the parent, handed to
    the signing processes by ``fork`` (never pickled)."""

    request: _Request
    organisation: str
    signers: _Signers
    public_url: str


class _Worker:
    """The job of a signing process (set by :func:`_start_worker`)."""

    job: _Job | None = None


def _start_worker(job: _Job, parent: int) -> None:
    _Worker.job = job
    if sys.platform == "linux":
        # A run killed (``kill -9``) takes its signers with it: none is left signing for a
        # parent that will never store what it signs.
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


#: One student to sign: the record, its status entry, the forms already stored, the time.
_Task = tuple[StoredStudent, document_store.DocumentStatus, frozenset[str], dt.datetime]


def _sign_students(job: _Job, tasks: Sequence[_Task]) -> list[document_store.NewDocument]:
    return [document for stored, entry, taken, now in tasks
            for document in _forms(stored, entry, job.request, organisation=job.organisation,
                                   signers=job.signers, public_url=job.public_url, now=now,
                                   taken=set(taken))]


def _sign_in_worker(tasks: Sequence[_Task]) -> list[document_store.NewDocument]:
    job = _Worker.job
    assert job is not None, "the pool's initializer set the job"
    return _sign_students(job, tasks)


@dataclass(slots=True)
class _Chunk:
    """One chunk of the class: its students counted, and its signing under way."""

    students: int
    already: int
    tasks: list[_Task]
    signed: list[Future[list[document_store.NewDocument]]] | None

    def documents(self, job: _Job) -> list[document_store.NewDocument]:
        if self.signed is None:
            return _sign_students(job, self.tasks)
        return [document for future in self.signed for document in future.result()]

    def cancel(self) -> None:
        for future in self.signed or ():
            future.cancel()


def issue_class(runtime: Runtime, *, actor: Actor, organisation: str, batch: str,
                kinds: Sequence[str] = ("degree", "transcript"),
                forms: Sequence[str] = FORMS, languages: Sequence[str] = ("ja",),
                standing: str = "graduated", japanese_era: bool = False,
                chunk_size: int = 25, workers: int = 1,
                progress: Callable[[ClassProgress], None] = lambda _: None,
                rng: Random | None = None) -> ClassResult:
    """Issue ``kinds`` to every student in ``standing`` (a graduating class), in chunks of
    ``chunk_size`` students. Idempotent per ``batch``: run again (after a crash, a ``kill
    -9``), it signs only what is missing.

    Each chunk is read and given its status entries in one transaction, signed outside any
    (on ``workers`` processes forked from this one when more than one, while the chunk
    before is stored), and stored in another with one audit entry
    (``registrar.documents.issued``, subject the batch). A run killed between the two loses
    the signing of its chunks in flight, not their entries: the next run finds each
    record's entry and signs under it, so a record never has two."""
    request = _request(kinds, forms, languages, japanese_era, batch)
    public_url = runtime.settings.public_url
    generator = rng or SystemRandom()
    now = runtime.now().replace(microsecond=0)
    with runtime.transaction() as session:
        principal = actor.require(Action.CREDENTIAL_ISSUE, organisation)
        row = organisation_store.existing_row(session, organisation)
        numbers = document_store.numbers_in_standing(session, organisation_id=row.id,
                                                     standings=[standing])
        # Fonts, certificate chain and keys: loaded once for the run (and, by fork, for
        # every signing process).
        job = _Job(request, organisation,
                   _signers(session, organisation=organisation, secret=runtime.key(),
                            public_url=public_url, now=now,
                            tsa_url=runtime.settings.tsa_url), public_url)
    if "pdf" in request.forms:
        # Reading the CJK faces costs a second or more of CPU: once here, not once in each
        # signing process on its first page.
        pdf.fonts()
    refused: dict[str, str] = {}
    pool = (ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                initializer=_start_worker, initargs=(job, os.getpid()))
            if workers > 1 and len(numbers) > chunk_size else None)

    def begin(start: int) -> _Chunk:
        """The chunk's students read, those with forms to make given their status entry
        (committed), and their signing begun."""
        now = runtime.now().replace(microsecond=0)
        with runtime.transaction() as session:
            students = record_store.stored_students(
                session, organisation_id=row.id, numbers=numbers[start:start + chunk_size])
            keys = {stored.student.number: [
                _key(organisation, stored, kind, form, language, batch)
                for kind in request.kinds for language in request.languages
                for form in request.forms
                if form != "clr" or kind is DocumentKind.TRANSCRIPT] for stored in students}
            taken = document_store.taken_keys(session, [key for group in keys.values()
                                                        for key in group])
            tasks: list[_Task] = []
            already = 0
            for stored in students:
                mine = keys[stored.student.number]
                if all(key in taken for key in mine):
                    already += 1
                    continue
                codes = [code for kind in request.kinds
                         if (code := refusal(kind, stored.student)) is not None]
                if codes:
                    refused[stored.student.number] = codes[0]
                    continue
                entry = _entry(session, organisation_id=row.id, organisation=organisation,
                               stored=stored, public_url=public_url, now=now, rng=generator)
                tasks.append((stored, entry, frozenset(key for key in mine if key in taken),
                              now))
        signed = None
        if pool is not None:
            piece = max(1, -(-len(tasks) // workers))
            signed = [pool.submit(_sign_in_worker, tasks[at:at + piece])
                      for at in range(0, len(tasks), piece)]
        return _Chunk(len(students), already, tasks, signed)

    issued = already = done = 0
    starts = range(0, len(numbers), chunk_size)
    following: _Chunk | None = None
    try:
        for place, start in enumerate(starts):
            chunk = following or begin(start)
            following = None
            if pool is not None and place + 1 < len(starts):
                # The next chunk signs while this one is stored.
                following = begin(starts[place + 1])
            made = chunk.documents(job)
            if made:
                now = runtime.now().replace(microsecond=0)
                with runtime.transaction() as session:
                    withdrawn = document_store.inactive_entries(
                        session, status_ids={item.status_id for item in made})
                    # A record withdrawn while its forms were being signed gets none.
                    made = [item for item in made if item.status_id not in withdrawn]
                    document_store.add_documents(session, documents=made, now=now)
                    audit.record(session, at=now, actor=principal.subject,
                                 action="registrar.documents.issued",
                                 subject=f"{organisation}:batch:{batch}",
                                 details={"forms": len(made),
                                          "kinds": [k.value for k in request.kinds]})
            issued += len(made)
            already += chunk.already
            done += chunk.students
            progress(ClassProgress(done, len(numbers), issued, already))
    finally:
        if following is not None:
            following.cancel()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return ClassResult(len(numbers), issued, already, refused)


def withdraw(runtime: Runtime, *, actor: Actor, organisation: str, number: str,
             reason: str) -> int:
    """Revoke the record's status entries: every form issued from the record — the PDFs,
    the credentials, the CLRs — verifies as revoked from now on (by the certificate office,
    ``records:write``, or an issuer, ``credentials:status``). The number of entries revoked;
    :class:`ConflictError` when none was active. Audited as ``registrar.documents.withdrawn``
    with the reason."""
    now = runtime.now()
    # The certificate office withdraws the documents of the records it holds; an issuer
    # changes the status of what it issued.
    action = (Action.RECORDS_WRITE if actor.allows(Action.RECORDS_WRITE, organisation)
              else Action.CREDENTIAL_STATUS)
    with runtime.transaction() as session:
        principal = actor.require(action, organisation)
        row = organisation_store.existing_row(session, organisation)
        stored = stored_record(session, row.id, organisation, number)
        active = [entry for entry in document_store.entries_of(session, student_id=stored.id)
                  if entry.state == "active"]
        if not active:
            raise ConflictError(code="registrar.documents.none_active",
                                params={"number": number, "organisation": organisation})
        for entry in active:
            _revoke(session, entry, now=now, reason=reason)
        audit.record(session, at=now, actor=principal.subject,
                     action="registrar.documents.withdrawn",
                     subject=f"{organisation}:{number}",
                     details={"reason": reason,
                              "versions": [entry.record_version for entry in active]})
        return len(active)


def student_documents(runtime: Runtime, *, actor: Actor, organisation: str, number: str
                      ) -> list[IssuedDocument]:
    """Every form issued from the record of student ``number``, with its entry's state."""
    actor.require(Action.CREDENTIAL_READ, organisation)
    with runtime.transaction() as session:
        row = organisation_store.existing_row(session, organisation)
        stored = stored_record(session, row.id, organisation, number)
        return [IssuedDocument(item.kind, item.form, item.language, item.credential_id,
                               item.media_type, item.content, item.state, item.created_at,
                               item.record_version)
                for item in document_store.documents_of(session, student_id=stored.id)]
