"""A graduate's degree (学位記) as a sealed European Digital Credential (issue 56): the ELM v3
qualification with the Diploma Supplement's fields (:mod:`credstack.core.registrar.elm`),
made on request from the record and the degree credential issued from it, sealed as JAdES-B
with the organisation's document-signing key and chain (as every EDC credstack makes:
:mod:`credstack.services.elm_export`). Nothing is stored; a degree not issued yet, or
withdrawn, gets none.
"""

from __future__ import annotations

import re

import orjson

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import registrar_documents as document_store
from credstack.core.access import Action, Actor
from credstack.core.elm import sealing
from credstack.core.images.badge_svg import BadgeDesign, kind_names
from credstack.core.registrar.elm import degree_edc
from credstack.errors import ConflictError, NotFoundError
from credstack.services import badges, certificates
from credstack.services.elm_export import EdcFile
from credstack.services.registrar.records import stored_record
from credstack.services.runtime import Runtime

__all__ = ["degree_edc_file"]


def degree_edc_file(runtime: Runtime, *, actor: Actor, organisation: str, number: str,
                    language: str = "ja") -> EdcFile:
    """The sealed EDC of student ``number``'s degree (``language``: the primary language
    Europass shows), for the organisation's certificate office (``records:read``) or its
    issuer staff (``credentials:read``). :class:`NotFoundError` when the record's current
    version has no degree credential, :class:`ConflictError` when it was withdrawn."""
    actor.require(Action.RECORDS_READ if actor.allows(Action.RECORDS_READ, organisation)
                  else Action.CREDENTIAL_READ, organisation)
    settings = runtime.settings
    now = runtime.now().replace(microsecond=0)
    with runtime.transaction() as session:
        row = organisation_store.existing_row(session, organisation)
        stored = stored_record(session, row.id, organisation, number)
        degree = next((item for item in document_store.documents_of(session,
                                                                      student_id=stored.id)
                       if item.kind == "degree" and item.form == "vc"
                       and item.record_version == stored.version), None)
        if degree is None:
            raise NotFoundError(code="registrar.elm.no_degree",
                                params={"number": number, "organisation": organisation})
        if degree.state != "active":
            raise ConflictError(code="registrar.documents.withdrawn",
                                params={"number": number, "organisation": organisation})
        body = organisation_store.to_organisation(row)
        identity = certificates.signing_identity(session, organisation=organisation,
                                                 secret=runtime.key(), now=now,
                                                 public_url=settings.public_url)
    student = stored.student
    titles = tuple(dict.fromkeys((tag, student.programme(tag)[2]) for tag in ("ja", "en")))
    image = badges.render_badge_png(BadgeDesign(
        micro_credential=False, titles=titles,
        providers=tuple((tag, text) for tag, text in body.name.root.items()), code=None,
        colour_key=organisation, kind=kind_names(False))).png
    credential = degree_edc(student, credential_id=degree.credential_id, organisation=body,
                            gpa=stored.gpa, issued=now, primary_language=language,
                            images={"ja": image, "en": image}, public_url=settings.public_url)
    sealed = sealing.seal_credential(credential, key=identity.private_key,
                                     certificate=identity.certificate, chain=identity.chain,
                                     signing_time=now)
    tail = re.sub(r"[^A-Za-z0-9._-]+", "-", number).strip("-.") or "degree"
    return EdcFile(f"edc-degree-{tail}-{language}.json", orjson.dumps(sealed))
