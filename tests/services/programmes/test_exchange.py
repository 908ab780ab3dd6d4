"""Published programmes in CTDL and Open Badges 3.0, and whole exports that read back."""

from __future__ import annotations

import json

import pytest

from credstack.core.credentials.openbadges_v3 import descriptors_from_achievement
from credstack.core.descriptors import Format, Programme, ctdl, parse_programme, read_documents
from credstack.errors import NotFoundError
from credstack.services.programmes import exchange
from credstack.services.programmes import service as programmes
from credstack.services.runtime import Runtime
from tests.helpers import programme
from tests.services.accounts.store import OPERATOR, clock, runtime

__all__ = ["clock", "runtime"]


def _add(runtime: Runtime, *, publish: bool = True, **changes: object) -> int:
    return programmes.create_programme(runtime, actor=OPERATOR, publish=publish,
                                       programme=parse_programme(programme(**changes))).id


def test_ctdl_names_the_credential_first_then_its_organisation(runtime: Runtime) -> None:
    programme_id = _add(runtime)
    graph = exchange.programme_ctdl(runtime, programme_id=programme_id)
    credential, owner = graph["@graph"]
    assert credential["ceterms:ctid"] == ctdl.programme_ctid("hokuto-tech", "DS-101")
    assert credential["ceterms:ownedBy"] == [owner["@id"]]
    documents = read_documents(json.dumps(graph), Format.JSON)
    assert documents.programmes == (Programme.model_validate(programme()),)


def test_the_achievement_carries_the_versions_id_and_its_creator(runtime: Runtime) -> None:
    programme_id = _add(runtime)
    achievement = exchange.programme_achievement(runtime, programme_id=programme_id,
                                                 language="en")
    public_url = runtime.settings.public_url
    assert achievement["id"] == f"{public_url}/achievements/{programme_id}/v1"
    assert achievement["creator"]["id"].startswith("did:web:")
    assert Programme.model_validate(descriptors_from_achievement(achievement)) == \
        Programme.model_validate(programme())


def test_drafts_are_not_exchanged(runtime: Runtime) -> None:
    draft = _add(runtime, publish=False)
    for read in (exchange.programme_ctdl, exchange.programme_achievement):
        with pytest.raises(NotFoundError):
            read(runtime, programme_id=draft, **({"language": "ja"}
                                                  if read is exchange.programme_achievement
                                                  else {}))
    assert exchange.export_programmes(runtime, fmt=Format.YAML).programmes == 0


@pytest.mark.parametrize("fmt", [Format.YAML, Format.CTDL, Format.OB3])
def test_an_export_reads_back_as_the_published_programmes(runtime: Runtime, fmt: Format
                                                          ) -> None:
    _add(runtime)
    _add(runtime, code="DS-201")
    exported = exchange.export_programmes(runtime, fmt=fmt, organisation="hokuto-tech")
    assert exported.programmes == 2
    codes = [p.code for p in read_documents(exported.text, fmt).programmes]
    assert sorted(codes) == ["DS-101", "DS-201"]
    assert exchange.export_programmes(runtime, fmt=fmt, organisation="saikai-u").programmes \
        == 0
