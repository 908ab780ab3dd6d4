"""Published programmes in the exchange formats: CTDL JSON-LD, the Open Badges 3.0
``Achievement``, and whole exports in every format ``credstack mc import`` reads back.

Only published versions leave the registry (a draft is nobody's business but its editor's).
An ``Achievement`` names the awarding body's did:web as its ``creator`` and carries the id
credentials of that version carry (``<public url>/achievements/<id>/v<version>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import programmes as store
from credstack.adapters.db.repositories.keys import organisation_did
from credstack.core.credentials.openbadges_v3 import build_achievement
from credstack.core.descriptors import Format, Programme, ctdl, write_documents
from credstack.core.descriptors.elm.datasets import public_pages
from credstack.core.descriptors.elm.register import RegisterExport
from credstack.core.descriptors.interchange import write_achievements
from credstack.core.descriptors.interchange.elm import write_dataset, write_register_dataset
from credstack.errors import InputError
from credstack.services import issuance, skills
from credstack.services.programmes.published import published_programme
from credstack.services.runtime import Runtime

__all__ = ["Export", "export_programmes", "programme_achievement", "programme_ctdl"]


@dataclass(frozen=True, slots=True)
class Export:
    """An export's text and how many programmes it holds; for the Register profile of an ELM
    dataset, its report (what it holds, what it left out and why)."""

    text: str
    programmes: int
    register: RegisterExport | None = None


def programme_ctdl(runtime: Runtime, *, programme_id: int) -> dict[str, Any]:
    """A CTDL ``@graph`` of the newest published version: the programme's credential node
    first (it is what the document is about), then its organisation's node.

    Every descriptor also travels in full in the credstack extension property, so that
    importing the graph gives the same programme back.
    """
    with runtime.transaction() as session:
        stored = store.get_published_programme(session, programme_id=programme_id)
        row = organisation_store.find_row(session, stored.organisation_slug)
        organisations = [organisation_store.to_organisation(row)] if row is not None else []
        # Aligned skills become targetCompetency nodes with their framework items' URIs.
        programme = skills.aligned_programme(session, programme_id, stored.programme)
    graph = ctdl.ctdl_graph(organisations, [programme])
    graph["@graph"].reverse()
    return graph


def programme_achievement(runtime: Runtime, *, programme_id: int, language: str
                          ) -> dict[str, Any]:
    """The ``Achievement`` that credentials of the newest published version carry, its own
    fields in ``language`` (the extension keeps every language)."""
    stored = published_programme(runtime, programme_id=programme_id)
    with runtime.sessions() as session:
        programme = skills.aligned_programme(session, programme_id, stored.programme)
    public_url = runtime.settings.public_url
    body = programme.awarding_body
    creator = (organisation_did(public_url, stored.organisation_slug)
               if body is not None and body.id == stored.organisation_slug else None)
    return build_achievement(
        programme=programme, language=language, creator_id=creator,
        achievement_id=issuance.achievement_url(public_url, programme_id, stored.latest.version))


def export_programmes(runtime: Runtime, *, fmt: Format, organisation: str | None = None,
                      language: str = "ja", register: bool = False) -> Export:
    """The newest published version of every programme (of ``organisation``, when given).

    ``ctdl`` gives the organisations and programmes as one CTDL ``@graph`` (CTIDs derived
    from the organisation's slug and the programme's code, so every export names a programme
    alike); ``ob3`` a JSON list of achievements in ``language``, each with every descriptor
    in its extension and the awarding body's did:web as ``creator``; ``elm`` an ELM dataset
    whose offers name the programme's public page when they name no page of their own, in the
    Register profile when ``register`` (docs/elm-export.md).
    """
    with runtime.transaction() as session:
        documents = store.export_documents(session, organisation=organisation)
        ids = store.published_ids(session, organisation=organisation) \
            if fmt is Format.ELM else {}
    if fmt is Format.ELM:
        pages = public_pages(runtime.settings.public_url, ids)
        if not register:
            return Export(write_dataset(documents, pages=pages), len(documents.programmes))
        text, made = write_register_dataset(documents, pages=pages)
        return Export(text, len(made.kept), made)
    if register:
        raise InputError("the Register profile is a profile of ELM datasets: use it with "
                         "--format elm / Register プロファイルは ELM データセットの形式です")
    if fmt is not Format.OB3:
        return Export(write_documents(documents, fmt), len(documents.programmes))
    public_url = runtime.settings.public_url

    def creator(programme: Programme) -> str | None:
        body = programme.awarding_body
        return organisation_did(public_url, body.id) if body is not None else None

    text = write_achievements(documents.programmes, creator_id=creator, language=language)
    return Export(text, len(documents.programmes))
