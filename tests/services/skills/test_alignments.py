"""Aligning outcomes to framework items, on SQLite and PostgreSQL: suggested, confirmed by
the provider only, audited; the alignments travel in issued Open Badges 3.0 credentials
(passing the 1EdTech JSON Schema), in CTDL, and into the registry's skill facet, where a
broader skill finds the programme."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import orjson
import pytest

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.keystore import new_master_key_text
from credstack.adapters.search.index import SearchIndex
from credstack.adapters.search.store import build_from_store
from credstack.core.access import Membership, Principal, Role
from credstack.core.registry.query import SearchQuery
from credstack.entrypoints.bootstrap import open_runtime
from credstack.errors import AccessDeniedError, InputError
from credstack.services.audit import service as audit
from credstack.services.programmes import exchange
from credstack.services.runtime import Runtime
from credstack.services.skills import alignments, frameworks
from credstack.services.skills.standards import import_standard
from credstack.settings import Settings
from credstack.testing import ActingAs
from tests.accounts import issued_credentials, provider_store
from tests.core.credentials.test_openbadges_v3 import _achievement_credential_validator
from tests.services.skills.skillstores import OPERATOR, THIRD_PARTY

NOW = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
#: "Choose a chart …" (RDL.1.a), a child of "Read and explain data" (RDL.1).
CHART = "https://frameworks.example.org/uri/b2e1d3c4-5a6b-4c7d-9e8f-a1b2c3d4e5f6"
READ_DATA = "https://frameworks.example.org/uri/a1f0e2d3-4c5b-4a69-8877-665544332211"
EDITOR = ActingAs(Principal("user:7", 7, "admin@example.ac.jp",
                            frozenset({Membership("hokuto-tech", Role.PROVIDER_ADMIN)})))
STRANGER = ActingAs(Principal("user:8", 8, "other@example.ac.jp",
                              frozenset({Membership("other-univ", Role.PROVIDER_ADMIN)})))


@pytest.fixture
def secret() -> str:
    return new_master_key_text()


@pytest.fixture
def store(settings: Settings, secret: str) -> Settings:
    chosen = dataclasses.replace(settings, secret_key=secret)
    provider_store(chosen, secret=secret, now=NOW)
    with open_runtime(settings=chosen) as runtime:
        frameworks.import_package(runtime, actor=OPERATOR,
                                  text=THIRD_PARTY.read_text(encoding="utf-8"))
        import_standard(runtime, actor=OPERATOR, name="dss")
    return chosen


def _aligned(runtime: Runtime) -> None:
    alignments.confirm(runtime, actor=EDITOR, programme_id=1, outcome=0, skill=CHART)


def test_suggestions_rank_items_for_each_outcome(store: Settings) -> None:
    """"Clean and visualise data" suggests the chart item among the first five."""
    with open_runtime(settings=store) as runtime:
        found = alignments.suggestions(runtime, actor=EDITOR, programme_id=1, language="en")
    assert [item.outcome for item in found] == [0, 1]
    assert CHART in [skill.uri for skill, *_ in found[0].suggested]


def test_only_the_programmes_provider_confirms_and_each_change_is_audited(
        store: Settings) -> None:
    """Another provider is refused; confirming twice writes once; removal is audited."""
    with open_runtime(settings=store) as runtime:
        with pytest.raises(AccessDeniedError):
            alignments.confirm(runtime, actor=STRANGER, programme_id=1, outcome=0,
                               skill=CHART)
        _aligned(runtime)
        _aligned(runtime)
        with pytest.raises(InputError):
            alignments.confirm(runtime, actor=EDITOR, programme_id=1, outcome=9, skill=CHART)
        assert [a.uri for a in alignments.alignments(runtime, programme_id=1)] == [CHART]
        assert alignments.remove(runtime, actor=EDITOR, programme_id=1, outcome=0, skill=CHART)
        with runtime.sessions() as session:
            actions = [entry.action for entry in audit.entries(session, limit=100)]
    assert actions.count("skills.alignment-confirmed") == 1
    assert actions.count("skills.alignment-removed") == 1


def test_a_rejected_suggestion_is_kept_audited_and_never_counted(store: Settings) -> None:
    """Another provider is refused; rejecting twice writes once; the item is no longer
    suggested for that outcome, is no confirmed alignment, and confirming it later aligns
    it after all (issue 51)."""
    with open_runtime(settings=store) as runtime:
        with pytest.raises(AccessDeniedError):
            alignments.reject(runtime, actor=STRANGER, programme_id=1, outcome=0, skill=CHART)
        alignments.reject(runtime, actor=EDITOR, programme_id=1, outcome=0, skill=CHART)
        alignments.reject(runtime, actor=EDITOR, programme_id=1, outcome=0, skill=CHART)
        [first, _] = alignments.suggestions(runtime, actor=EDITOR, programme_id=1,
                                            language="en")
        assert CHART not in [item.uri for item, *_ in first.suggested]
        assert first.rejected == (CHART,)
        assert alignments.alignments(runtime, programme_id=1) == []
        _aligned(runtime)
        assert [a.uri for a in alignments.alignments(runtime, programme_id=1)] == [CHART]
        with runtime.sessions() as session:
            actions = [entry.action for entry in audit.entries(session, limit=100)]
    assert actions.count("skills.alignment-rejected") == 1


def test_the_frameworks_are_searched_by_a_part_of_a_name(store: Settings) -> None:
    """A part of a Japanese or an English name finds the item; the closest name first."""
    with open_runtime(settings=store) as runtime:
        japanese = alignments.find(runtime, text="データを扱")
        english = alignments.find(runtime, text="handling DATA")
    assert japanese[0].code == english[0].code == "DSS-L.what.data.handle"


def test_an_issued_credential_carries_the_alignment_and_passes_the_schema(
        store: Settings, secret: str, shared_ref: Path) -> None:
    """``alignment`` with ``targetType`` CFItem and the item's URI, valid OB 3.0."""
    with open_runtime(settings=store) as runtime:
        _aligned(runtime)
    [credential_id] = issued_credentials(store, secret=secret, now=NOW,
                                         cohort="email,name\nhanako@example.jp,Hanako\n",
                                         batch="b1")
    with open_runtime(settings=store) as runtime, runtime.sessions() as session:
        document = json.loads(credential_store.get_credential(
            session, credential_id=credential_id).document)
    [alignment] = document["credentialSubject"]["achievement"]["alignment"]
    assert alignment["targetType"] == "CFItem"
    assert alignment["targetUrl"] == CHART
    assert alignment["targetFramework"] == "Regional Data Literacy Framework"
    assert alignment["targetCode"] == "RDL.1.a"
    # The formal schema wants the proof as an array and one status entry (as in
    # tests/core/verification/test_pipeline.py); the alignment is checked as issued.
    document["proof"] = [document["proof"]]
    document["credentialStatus"] = document["credentialStatus"][0]
    errors = list(_achievement_credential_validator(shared_ref).iter_errors(document))
    assert [error.message for error in errors] == []


def test_the_ctdl_names_the_aligned_competency(store: Settings) -> None:
    """The programme's CTDL states the item as a target competency, by its URI."""
    with open_runtime(settings=store) as runtime:
        _aligned(runtime)
        graph = exchange.programme_ctdl(runtime, programme_id=1)
    assert CHART in orjson.dumps(graph).decode()


def test_a_broader_skill_finds_the_programme_in_the_registry(store: Settings) -> None:
    """The index holds the aligned item and its parent; the facet names both."""
    with open_runtime(settings=store) as runtime:
        _aligned(runtime)
        with runtime.sessions() as session:
            index = SearchIndex(build_from_store(session, secret=b"k" * 32, now=NOW))
    for uri in (CHART, READ_DATA):
        result = index.search(SearchQuery(filters={"skill": frozenset({uri})}))
        assert [hit.programme_id for hit in result.hits] == [1]
    everything = index.search(SearchQuery())
    labels = {count.value: count.label for count in everything.facets["skill"]}
    assert labels[READ_DATA]["en"] == "Read and explain data"
