"""Writing documents in any of the formats, so that reading them back gives equal models."""

from __future__ import annotations

import json

import yaml

from credstack.core.descriptors import ctdl
from credstack.core.descriptors.interchange.columns import _csv_text
from credstack.core.descriptors.interchange.documents import Documents, Format
from credstack.core.descriptors.interchange.elm import write_dataset
from credstack.core.descriptors.interchange.exchange import write_achievements


def write_documents(documents: Documents, fmt: Format) -> str:
    """Serialise documents so that reading them back gives equal models.

    CTDL writes the organisations and programmes as one ``@graph``
    (:func:`credstack.core.descriptors.ctdl.ctdl_graph`); OB3 writes the programmes as a
    list of achievements (:func:`write_achievements`, with its default ids and no
    ``creator``); ELM an ELM dataset of Qualifications and LearningOpportunities
    (:func:`~credstack.core.descriptors.interchange.elm.write_dataset`). All three refuse
    awarded micro-credentials.
    """
    if fmt is Format.CTDL:
        graph = ctdl.ctdl_graph(documents.organisations, documents.programmes)
        return json.dumps(graph, ensure_ascii=False, indent=2) + "\n"
    if fmt is Format.OB3:
        return write_achievements(documents.programmes)
    if fmt is Format.ELM:
        return write_dataset(documents)
    organisations = [o.to_document() for o in documents.organisations]
    programmes = [p.to_document() for p in documents.programmes]
    if fmt is Format.JSON:
        bundle = {"organisations": organisations, "programmes": programmes}
        return json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"
    if fmt is Format.YAML:
        bundle = {"organisations": organisations, "programmes": programmes}
        return str(yaml.safe_dump(bundle, allow_unicode=True, sort_keys=False, width=100))
    return _csv_text(programmes)
