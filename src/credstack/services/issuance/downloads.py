"""The results of a batch as files, streamed: the credentials as JSON Lines, a zip of their
files, a zip of their signed PDF certificates, and a CSV list for spreadsheets.

Each function checks who asks (``credentials:read`` on the organisation) before it returns,
so a refusal is an answer and not a broken download; the returned iterator then reads the
batch 500 credentials at a time, each page in a transaction of its own, so a batch of any
size streams in flat memory. The zips are written by :mod:`zipfile` on a stream that is
drained after each file. The CSV list's cells are made safe for spreadsheets
(:func:`~credstack.core.credentials.exports.spreadsheet_safe`).

The PDF certificates take seconds per hundred (each one is drawn and signed), so the web
makes their zip in a background job (``credentials.pdf_zip``,
:func:`credstack.services.background.handlers.start_pdf_zip`) that reads :func:`batch_pdfs` and
reports its progress; :func:`batch_summary` is what names that job, so that asking twice for
the same batch gives the one job and a batch that changed since gets a new zip.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories.credentials import StoredCredential
from credstack.adapters.db.repositories.organisations import existing_row
from credstack.core.access import Action, Actor
from credstack.core.certificates.content import verification_url
from credstack.core.credentials import securing as securing_forms
from credstack.core.credentials.exports import csv_lines
from credstack.errors import ConflictError, NotFoundError, Problem
from credstack.services import certificates
from credstack.services.issuance.issued import returned
from credstack.services.runtime import Runtime

__all__ = ["BatchSummary", "PdfCount", "batch_csv", "batch_files", "batch_jsonl", "batch_pdfs",
           "batch_summary", "file_name"]

_PAGE: Final = 500


def _batch(runtime: Runtime, actor: Actor, organisation: str, batch: str
           ) -> Iterator[StoredCredential]:
    actor.require(Action.CREDENTIAL_READ, organisation)
    with runtime.transaction() as session:
        organisation_id = existing_row(session, organisation).id
        # One read before streaming: an unknown organisation fails before the answer starts.

    def stream() -> Iterator[StoredCredential]:
        after = 0
        while True:
            with runtime.transaction() as session:
                page = credential_store.batch_credentials(
                    session, organisation_id=organisation_id, batch=batch, after=after,
                    limit=_PAGE)
            for row_id, stored in page:
                after = row_id
                yield stored
            if len(page) < _PAGE:
                return

    return stream()


def file_name(stored: StoredCredential) -> str:
    """The credential's file in a zip: its id's last part, ``.json``, ``.jwt``, ``.sd-jwt``
    or ``.cose``."""
    tail = stored.credential_id.rsplit(":", 1)[-1].rsplit("/", 1)[-1] or "credential"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in tail)[:100]
    return f"{safe}.{securing_forms.file_form(stored.document, stored.securing).extension}"


def batch_jsonl(runtime: Runtime, *, actor: Actor, organisation: str, batch: str
                ) -> Iterator[bytes]:
    """One line per credential: the credential as the VC-API returns it (a VC-JWT
    enveloped)."""
    credentials = _batch(runtime, actor, organisation, batch)
    return (json.dumps(returned(stored.document, stored.securing), ensure_ascii=False,
                       separators=(",", ":")).encode("utf-8") + b"\n"
            for stored in credentials)


class _Drain:
    """A write-only stream :mod:`zipfile` writes to (it cannot seek, so entries carry data
    descriptors), emptied by the generator after each file."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _zip(files: Iterator[tuple[str, bytes]]) -> Iterator[bytes]:
    sink = _Drain()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
            yield sink.take()
    yield sink.take()


def batch_files(runtime: Runtime, *, actor: Actor, organisation: str, batch: str
                ) -> Iterator[bytes]:
    """A zip of the batch's credentials, each as it was issued (JSON, or a VC-JWT)."""
    credentials = _batch(runtime, actor, organisation, batch)
    return _zip((file_name(stored), securing_forms.file_form(stored.document,
                                                             stored.securing).data)
                for stored in credentials)


@dataclass(slots=True)
class PdfCount:
    """How many certificates a zip of PDFs holds, and how many credentials had none."""

    included: int = 0
    left_out: int = 0


def batch_pdfs(runtime: Runtime, *, actor: Actor, organisation: str, batch: str,
               language: str = "ja", progress: Callable[[int], None] | None = None,
               count: PdfCount | None = None) -> Iterator[bytes]:
    """A zip of the batch's signed PDF certificates; revoked and suspended credentials have
    none, and are named in ``not-included.txt`` at the end. ``progress`` is told how many
    credentials are done after each; ``count`` is filled as the zip is written."""
    credentials = _batch(runtime, actor, organisation, batch)
    counted = count if count is not None else PdfCount()

    def files() -> Iterator[tuple[str, bytes]]:
        left_out: list[str] = []
        for stored in credentials:
            try:
                made = certificates.certificate_pdf(runtime, actor=actor,
                                                    credential_id=stored.credential_id,
                                                    language=language)
            except ConflictError:
                left_out.append(f"{stored.credential_id}\t{stored.state}")
                counted.left_out += 1
            else:
                counted.included += 1
                yield file_name(stored).rsplit(".", 1)[0] + ".pdf", made.data
            if progress is not None:
                progress(counted.included + counted.left_out)
        if left_out:
            yield "not-included.txt", ("\n".join(left_out) + "\n").encode("utf-8")

    return _zip(files())


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """A batch as it is now: how many credentials, and a token that changes with it."""

    credentials: int
    #: Changes when a credential is added to the batch or changes status.
    version: str


def batch_summary(runtime: Runtime, *, actor: Actor, organisation: str, batch: str
                  ) -> BatchSummary:
    """How many credentials ``batch`` has, and its version; NotFoundError for a batch with
    none."""
    actor.require(Action.CREDENTIAL_READ, organisation)
    with runtime.transaction() as session:
        organisation_id = existing_row(session, organisation).id
        count, newest, changed = credential_store.batch_summary(
            session, organisation_id=organisation_id, batch=batch)
    if not count:
        raise NotFoundError(code="issuing.refused.empty_batch", params={"batch": batch},
                            problems=[Problem("batch", batch)])
    return BatchSummary(count, f"{count}-{newest}-{changed.isoformat() if changed else ''}")


def batch_csv(runtime: Runtime, *, actor: Actor, organisation: str, batch: str
              ) -> Iterator[bytes]:
    """The batch as a list for spreadsheets (UTF-8 with a BOM, so that Excel reads it as
    UTF-8): id, learner, name, state, date of issue (the credential's), when it was signed and
    when its state changed, and the verification link of each credential."""
    credentials = _batch(runtime, actor, organisation, batch)
    public_url = runtime.settings.public_url
    lines = csv_lines(
        ["credential_id", "learner", "learner_name", "batch", "state", "issued_on",
         "signed_at", "state_changed_at", "verification_url"],
        ([stored.credential_id, stored.learner, stored.learner_name, stored.batch,
          stored.state, stored.issued_on.isoformat(), stored.issued_at.isoformat(),
          stored.state_changed_at.isoformat() if stored.state_changed_at else None,
          verification_url(public_url, stored.credential_id)] for stored in credentials))

    def encoded() -> Iterator[bytes]:
        yield "\ufeff".encode()
        for line in lines:
            yield line.encode("utf-8")

    return encoded()
