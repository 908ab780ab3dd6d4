"""What anyone may read of the recognitions, on a runtime: the endorsement credentials, the
certification marks, and a programme's recognitions.

The public recognition routes (:mod:`credstack.entrypoints.web.api.recognitions`) call these.
The published decisions, each with its recognition's standing today, are the review's
(:mod:`credstack.services.review.transparency`), which stands above this package.
"""

from __future__ import annotations

from credstack.adapters.db.repositories import programmes as programme_store
from credstack.core.images.certification_mark import MarkDesign
from credstack.services.recognitions import service as recognitions
from credstack.services.runtime import Runtime

__all__ = ["certification_mark", "endorsement_document", "programme_recognitions"]


def endorsement_document(runtime: Runtime, *, number: str) -> str:
    """The endorsement credential of decision ``number``, exactly as issued (JSON text); it
    is served after a withdrawal too (its status list says it is revoked)."""
    with runtime.transaction() as session:
        return recognitions.endorsement_document(session, number)


def certification_mark(runtime: Runtime, *, number: str) -> MarkDesign:
    """The certification mark of decision ``number``: the outcome, the body, the programme
    version's title, the validity."""
    with runtime.transaction() as session:
        record = recognitions.recognition(session, number)
        stored = programme_store.get_version(session, programme_id=record.programme_id,
                                             version=record.version)
    title = dict(stored.programme.title.root) if stored.programme.title is not None else None
    return record.mark(title)


def programme_recognitions(runtime: Runtime, *, programme_id: int
                           ) -> list[recognitions.RecognitionRecord]:
    """A programme's recognitions, newest first (:class:`~credstack.errors.NotFoundError`
    for an unknown programme)."""
    with runtime.transaction() as session:
        programme_store.get_programme(session, programme_id=programme_id)
        return recognitions.recognitions_for_programme(session, programme_id)
