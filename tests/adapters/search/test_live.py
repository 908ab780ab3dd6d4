"""The process's index over a real store (SQLite and PostgreSQL): built, loaded, kept current."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db.repositories import programmes as repository
from credstack.adapters.db.tables import ProgrammeHidingRow
from credstack.adapters.search import files
from credstack.adapters.search.live import LiveIndex
from credstack.adapters.search.store import store_generation
from credstack.core.descriptors import Documents, Programme
from credstack.core.registry.query import SearchQuery
from credstack.demo import load_demo_documents
from credstack.settings import Settings
from tests.services.recognitions.test_service import NOW as GRANTED
from tests.services.recognitions.test_service import VALID_UNTIL, prepare

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def _load_demo(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        repository.import_documents(session, documents=load_demo_documents(), now=NOW)


def _live(settings: Settings, sessions: sessionmaker[Session]) -> LiveIndex:
    live = LiveIndex(settings, sessions, check_seconds=0, clock=lambda: NOW)
    live.start()
    return live


def _programme(code: str, title_ja: str, title_en: str) -> Programme:
    demo = load_demo_documents().programmes[0]
    document: dict[str, Any] = demo.to_document()
    document.update(code=code, title={"ja": title_ja, "en": title_en})
    return Programme.model_validate(document)


def _ids(live: LiveIndex, text: str) -> list[int]:
    return [hit.programme_id for hit in live.index.search(SearchQuery(text=text)).hits]


def test_the_index_is_built_from_the_store_and_saved(settings: Settings,
                                                    sessions: sessionmaker[Session]) -> None:
    """Started on the demo store: every published programme, saved for the next start."""
    _load_demo(sessions)
    live = _live(settings, sessions)
    assert len(live.index) == len(load_demo_documents().programmes)
    header = files.read_header(settings.data_dir)
    assert header is not None and header["live"] == len(live.index)
    with sessions() as session:
        assert files.header_generation(header) == store_generation(session)
    again = _live(settings, sessions)
    assert again.index.generation == live.index.generation  # loaded, not rebuilt
    assert again.index.search(SearchQuery(text="半導体")).total > 0


def test_an_empty_store_builds_nothing(settings: Settings,
                                      sessions: sessionmaker[Session]) -> None:
    """No programmes: an empty index and no file."""
    live = _live(settings, sessions)
    assert len(live.index) == 0
    assert files.read_header(settings.data_dir) is None


def test_writes_behind_the_index_are_noticed_and_rebuilt(
        settings: Settings, sessions: sessionmaker[Session]) -> None:
    """A store changed by another process (an import) makes the index stale; a refresh
    rebuilds it, and a saved index of the old store is not loaded."""
    _load_demo(sessions)
    live = _live(settings, sessions)
    extra = _programme("ZZ-NEW-1", "量子暗号入門", "Introduction to Quantum Cryptography")
    with sessions() as session, session.begin():
        repository.import_documents(session, documents=Documents((), (extra,)), now=NOW)
    assert _ids(live, "量子暗号") == []
    assert live.refresh() is True
    assert len(_ids(live, "量子暗号")) == 1
    assert live.refresh() is False
    restarted = _live(settings, sessions)
    assert len(_ids(restarted, "quantum cryptography")) == 1


def test_a_published_version_is_indexed_when_its_transaction_commits(
        settings: Settings, sessions: sessionmaker[Session]) -> None:
    """track() reads the new version in the transaction and indexes it after the commit;
    the index still reflects the store afterwards (no rebuild needed)."""
    _load_demo(sessions)
    live = _live(settings, sessions)
    generation = live.index.generation
    with sessions() as session, session.begin():
        stored = repository.create_programme(
            session, programme=_programme("ZZ-API-1", "宇宙資源工学", "Space Resources"),
            publish=True, now=NOW)
        live.track(session, stored.id)
        assert _ids(live, "宇宙資源") == []  # not before the commit
    assert _ids(live, "宇宙資源") == [stored.id]
    assert live.index.generation != generation
    assert live.refresh() is False


def test_a_rolled_back_publication_is_not_indexed(
        settings: Settings, sessions: sessionmaker[Session]) -> None:
    """No commit, no document."""
    _load_demo(sessions)
    live = _live(settings, sessions)
    with sessions() as session:
        session.begin()
        stored = repository.create_programme(
            session, programme=_programme("ZZ-RB-1", "深海探査", "Deep Sea Exploration"),
            publish=True, now=NOW)
        live.track(session, stored.id)
        session.rollback()
    assert _ids(live, "深海探査") == []


def test_drafts_stay_out_until_published(settings: Settings,
                                         sessions: sessionmaker[Session]) -> None:
    """A draft has no published version: nothing to index; publishing it indexes it, and a
    new draft of a published programme leaves the published version in the index."""
    _load_demo(sessions)
    live = _live(settings, sessions)
    with sessions() as session, session.begin():
        stored = repository.create_programme(
            session, programme=_programme("ZZ-DR-1", "火山防災", "Volcano Preparedness"),
            publish=False, now=NOW)
        live.track(session, stored.id)
    assert _ids(live, "火山防災") == []
    with sessions() as session, session.begin():
        repository.publish_version(session, programme_id=stored.id, version=1, now=NOW)
        live.track(session, stored.id)
    assert _ids(live, "火山防災") == [stored.id]
    with sessions() as session, session.begin():
        repository.update_programme(
            session, programme_id=stored.id,
            programme=_programme("ZZ-DR-1", "火山防災 改訂", "Volcano Preparedness II"),
            publish=False, now=NOW)
    hit = live.index.search(SearchQuery(text="火山防災")).hits[0]
    assert (hit.version, hit.title["en"]) == (1, "Volcano Preparedness")
    assert live.refresh() is False


def _recognised(live: LiveIndex) -> list[int]:
    query = SearchQuery(filters={"recognition": frozenset({"recognised"})})
    return [hit.programme_id for hit in live.index.search(query).hits]


def test_the_recognition_facet_follows_the_clock(settings: Settings) -> None:
    """A recognition that expires leaves the facet at the next check, with no write to the
    store; a restart that loads the saved index after expiry does not bring it back."""
    store = prepare(settings)
    try:
        store.grant()
        now = {"at": GRANTED}
        live = LiveIndex(store.settings, store.sessions, check_seconds=0,
                         clock=lambda: now["at"])
        live.start()
        assert _recognised(live) == [store.programme_id]
        now["at"] = VALID_UNTIL - dt.timedelta(seconds=1)
        assert live.refresh() is False and _recognised(live) == [store.programme_id]
        live.stop()  # saved as current at one second before expiry
        now["at"] = VALID_UNTIL + dt.timedelta(seconds=1)
        assert live.refresh() is False
        assert _recognised(live) == []
        restarted = LiveIndex(store.settings, store.sessions, check_seconds=0,
                              clock=lambda: now["at"])
        restarted.start()
        assert _recognised(restarted) == []
        assert len(restarted.index) == len(live.index)
    finally:
        store.sessions.kw["bind"].dispose()


def test_a_programme_the_operator_hides_leaves_the_index_and_comes_back(
        settings: Settings, sessions: sessionmaker[Session]) -> None:
    """track_visibility() takes a hidden programme out when the hiding commits and puts it back
    when it is shown again, the index still reflecting the store; a hiding by another process
    moves the store generation, so a refresh rebuilds without it."""
    _load_demo(sessions)
    live = _live(settings, sessions)
    every = set(live.index.programme_numbers())
    hidden = min(every)
    with sessions() as session, session.begin():
        session.add(ProgrammeHidingRow(programme_id=hidden, reason="wrong hours", hidden_at=NOW,
                                       hidden_by="operator"))
        live.track_visibility(session, hidden)
    assert set(live.index.programme_numbers()) == every - {hidden}
    assert live.refresh() is False
    with sessions() as session, session.begin():
        session.execute(delete(ProgrammeHidingRow))
        live.track_visibility(session, hidden)
    assert set(live.index.programme_numbers()) == every
    assert live.refresh() is False
    with sessions() as session, session.begin():  # another process hides it
        session.add(ProgrammeHidingRow(programme_id=hidden, reason="again", hidden_at=NOW,
                                       hidden_by="operator"))
    assert live.refresh() is True
    assert set(live.index.programme_numbers()) == every - {hidden}
