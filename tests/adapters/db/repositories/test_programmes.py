"""The programme store keeps versions, refuses to rewrite history and imports all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db.engine import make_engine, migrate, session_factory
from credstack.adapters.db.repositories import programmes as store
from credstack.adapters.db.repositories.organisations import create_organisation
from credstack.core.descriptors import Documents, parse_organisation, parse_programme
from credstack.errors import ConflictError, DescriptorError, NotFoundError
from credstack.settings import Settings
from tests.helpers import organisation, programme

NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def _documents(*programmes: dict, organisations: tuple[dict, ...] = ()) -> Documents:
    return Documents(tuple(parse_organisation(o) for o in organisations),
                     tuple(parse_programme(p) for p in programmes))


def _import(sessions: sessionmaker[Session], documents: Documents, *, dry_run: bool = False
            ) -> store.ImportReport:
    with sessions() as session, session.begin():
        report = store.import_documents(session, documents=documents, now=NOW, dry_run=dry_run)
        if dry_run:
            session.rollback()
    return report


def test_import_creates_organisations_and_version_one(sessions):
    """A first import creates the organisation and a published version 1."""
    report = _import(sessions, _documents(programme(), organisations=(organisation(),)))
    assert report.organisations_created == ["hokuto-tech"]
    assert [(c.code, c.change, c.version) for c in report.programmes] == [
        ("DS-101", store.Change.CREATED, 1)]
    with sessions() as session:
        stored = store.find_programme(session, organisation="hokuto-tech", code="DS-101")
    assert stored.latest.status is store.Status.PUBLISHED
    assert stored.programme == parse_programme(programme())


def test_identical_reimport_changes_nothing(sessions):
    """Importing the same descriptors again leaves every programme unchanged."""
    documents = _documents(programme(), organisations=(organisation(),))
    _import(sessions, documents)
    report = _import(sessions, documents)
    assert report.count(store.Change.UNCHANGED) == 1
    assert report.organisations_created == []


def test_changed_reimport_adds_a_version_and_keeps_history(sessions):
    """Changed descriptors become version 2; version 1 stays readable as it was."""
    _import(sessions, _documents(programme(), organisations=(organisation(),)))
    changed = programme(prerequisites={"ja": "なし", "en": "None"})
    report = _import(sessions, _documents(changed))
    assert [(c.change, c.version) for c in report.programmes] == [(store.Change.NEW_VERSION, 2)]
    with sessions() as session:
        stored = store.find_programme(session, organisation="hokuto-tech", code="DS-101")
        versions = store.list_versions(session, programme_id=stored.id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].programme.prerequisites is None
    assert versions[1].programme.prerequisites is not None


def test_dry_run_writes_nothing(sessions):
    """A dry run reports what would change and leaves the store empty."""
    report = _import(sessions, _documents(programme(), organisations=(organisation(),)),
                     dry_run=True)
    assert report.count(store.Change.CREATED) == 1
    with sessions() as session:
        assert store.list_programmes(session).total == 0


def test_unknown_awarding_body_is_created_from_the_programme(sessions):
    """An awarding body missing from file and store is created from the programme's own data."""
    report = _import(sessions, _documents(programme()))
    assert report.organisations_created == ["hokuto-tech"]


def test_programme_without_awarding_body_is_refused_whole(sessions):
    """One unstorable programme stops the whole import, and names where it is."""
    orphan = programme(code="NO-BODY")
    del orphan["awarding_body"]
    with pytest.raises(DescriptorError) as raised:
        _import(sessions, _documents(programme(), orphan))
    assert "programmes[1]: awarding_body" in str(raised.value)
    with sessions() as session:
        assert store.list_programmes(session).total == 0


def test_database_refuses_to_rewrite_a_published_version(sessions):
    """Even raw SQL cannot change or delete a published version (database trigger)."""
    _import(sessions, _documents(programme(), organisations=(organisation(),)))
    for statement in ("UPDATE programme_versions SET content_hash = 'x'",
                      "DELETE FROM programme_versions"):
        with pytest.raises(DBAPIError, match="immutable"), sessions() as session, \
                session.begin():
            session.execute(text(statement))


def test_draft_is_replaced_until_published(sessions):
    """A draft changes in place; publishing freezes it; the next edit is a new version."""
    with sessions() as session, session.begin():
        create_organisation(session, organisation=parse_organisation(organisation()), now=NOW)
        created = store.create_programme(session, programme=parse_programme(programme()),
                                         publish=False, now=NOW)
        edited = parse_programme(programme(languages=["ja", "en"]))
        _, change = store.update_programme(session, programme_id=created.id, programme=edited,
                                           publish=False, now=NOW)
        assert change is store.Change.DRAFT_REPLACED
        published = store.publish_version(session, programme_id=created.id, version=1, now=NOW)
        assert published.latest.status is store.Status.PUBLISHED
        with pytest.raises(ConflictError):
            store.publish_version(session, programme_id=created.id, version=1, now=NOW)
        again = parse_programme(programme(languages=["en"]))
        stored, change = store.update_programme(session, programme_id=created.id,
                                                programme=again, publish=True, now=NOW)
        assert (change, stored.latest.version) == (store.Change.NEW_VERSION, 2)


def test_code_and_awarding_body_cannot_change(sessions):
    """Updating a programme with another code is a conflict, not a silent move."""
    _import(sessions, _documents(programme(), organisations=(organisation(),)))
    with sessions() as session, session.begin():
        stored = store.find_programme(session, organisation="hokuto-tech", code="DS-101")
        with pytest.raises(ConflictError, match="cannot change"):
            store.update_programme(session, programme_id=stored.id,
                                   programme=parse_programme(programme(code="DS-999")),
                                   publish=True, now=NOW)


def test_keyset_pages_cover_every_programme_once(sessions):
    """Following next_after visits every programme exactly once."""
    many = [programme(code=f"P-{i:03d}") for i in range(25)]
    _import(sessions, _documents(*many, organisations=(organisation(),)))
    seen: list[str] = []
    after = None
    with sessions() as session:
        while True:
            page = store.list_programmes(session, limit=10, after=after)
            assert page.total == 25
            seen += [item.code for item in page.items]
            if page.next_after is None:
                break
            after = page.next_after
    assert sorted(seen) == [f"P-{i:03d}" for i in range(25)]


def test_missing_programme_is_not_found(sessions):
    """Reading an id that does not exist raises NotFoundError naming it."""
    with sessions() as session, pytest.raises(NotFoundError, match="42"):
        store.get_programme(session, programme_id=42)


def test_export_gives_newest_published_versions(sessions):
    """Export holds each programme once, at its newest published version."""
    _import(sessions, _documents(programme(), organisations=(organisation(),)))
    _import(sessions, _documents(programme(languages=["ja", "en"])))
    with sessions() as session:
        documents = store.export_documents(session)
    assert [p.languages for p in documents.programmes] == [("ja", "en")]
    assert [o.slug for o in documents.organisations] == ["hokuto-tech"]


def test_import_publishes_a_waiting_draft(sessions):
    """Importing a programme whose newest version is a draft replaces and publishes it."""
    with sessions() as session, session.begin():
        create_organisation(session, organisation=parse_organisation(organisation()), now=NOW)
        store.create_programme(session, programme=parse_programme(programme()), publish=False,
                               now=NOW)
    report = _import(sessions, _documents(programme(languages=["en"])))
    assert [(c.change, c.version) for c in report.programmes] == [
        (store.Change.DRAFT_REPLACED, 1)]
    with sessions() as session:
        stored = store.find_programme(session, organisation="hokuto-tech", code="DS-101")
    assert stored.latest.status is store.Status.PUBLISHED
    assert stored.programme.languages == ("en",)


def test_language_order_does_not_make_a_new_version(sessions):
    """The same texts given in another language order are the same content."""
    _import(sessions, _documents(programme(), organisations=(organisation(),)))
    reordered = programme(title={"en": "Practical Introduction to Data Science",
                                 "ja": "実践データサイエンス入門"})
    report = _import(sessions, _documents(reordered))
    assert report.count(store.Change.UNCHANGED) == 1


def test_import_reports_progress_to_the_end(sessions):
    """An import tells how far it has got, stage by stage, ending with everything written."""
    seen: list[tuple[str, int, int]] = []
    many = [programme(code=f"P-{i:04d}") for i in range(2500)]
    with sessions() as session, session.begin():
        store.import_documents(session, documents=_documents(*many), now=NOW,
                               progress=lambda *step: seen.append(step))
    stages = [stage for stage, _, _ in seen]
    assert stages.index("writing") > stages.index("checking")
    assert seen[-1] == ("writing", 2500, 2500)
    done = [d for stage, d, _ in seen if stage == "writing"]
    assert done == sorted(done)


def test_a_programme_twice_in_one_import_is_refused(sessions):
    """The same provider and code twice in one import is refused, naming both places."""
    with pytest.raises(DescriptorError, match=r"also at programmes\[0\]"):
        _import(sessions, _documents(programme(), programme()))


def test_a_bulk_import_on_postgresql_leaves_planner_statistics(postgres_url: str,
                                                              tmp_path) -> None:
    """At ANALYZE_AFTER programmes and more, PostgreSQL analyses the tables before the
    commit, so reading one programme does not start as a scan of the whole catalogue."""
    from credstack.core.descriptors.synthetic import generate_programmes

    settings = Settings.from_env(data_dir=tmp_path, database_url=postgres_url)
    engine = make_engine(settings)
    try:
        migrate(engine)
        documents = generate_programmes(store.ANALYZE_AFTER, seed=3)
        with session_factory(engine)() as session, session.begin():
            store.import_documents(session, documents=documents, now=NOW)
        with engine.connect() as connection:
            analysed = connection.execute(text(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname IN "
                "('programmes', 'programme_versions') AND last_analyze IS NOT NULL")).scalar()
        assert analysed == 2
    finally:
        engine.dispose()


def test_a_corporate_number_another_organisation_holds_is_refused_whole(sessions):
    """A 法人番号 names one organisation: the file giving it to a second organisation, or
    to one other than the stored holder, is refused before anything is written, naming
    where and whose it is (it was the unique index's error, mid-import)."""
    number = "7123456789012"
    _import(sessions, _documents(programme(), organisations=(
        organisation(corporate_number=number),)))
    other = organisation(slug="minami-tech", corporate_number=number)
    with pytest.raises(DescriptorError) as raised:
        _import(sessions, _documents(programme(code="MT-1", awarding_body={
            **programme()["awarding_body"], "id": "minami-tech"}), organisations=(other,)))
    [problem] = raised.value.problems
    assert problem.location == "input: organisations[0].corporate_number"
    assert "hokuto-tech" in problem.message and "hokuto-tech" in problem.message_ja
    twice = (organisation(slug="kita-tech", corporate_number="1123456789018"),
             organisation(slug="nishi-tech", corporate_number="1123456789018"))
    with pytest.raises(DescriptorError, match=r"organisations\[1\].corporate_number"):
        _import(sessions, _documents(organisations=twice))
    with sessions() as session:
        assert store.list_programmes(session).total == 1
