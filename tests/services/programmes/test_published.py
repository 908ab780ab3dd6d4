"""What the public sees of programmes: newest published versions only, counted by the store
or by the search index, and a programme's page read in one go."""

from __future__ import annotations

import datetime as dt

import pytest

from credstack.core.descriptors import parse_programme
from credstack.core.registry.query import parse_query
from credstack.entrypoints.bootstrap import build_runtime, engine_of
from credstack.errors import NotFoundError
from credstack.services.programmes import published
from credstack.services.programmes import service as programmes
from credstack.services.registry import service as registry
from credstack.services.runtime import Runtime
from tests.conftest import START
from tests.helpers import programme
from tests.services.accounts.store import OPERATOR, clock, runtime

__all__ = ["clock", "runtime"]

SITEMAP = 50_000


def _add(runtime: Runtime, code: str, *, publish: bool = True) -> int:
    return programmes.create_programme(runtime, actor=OPERATOR, publish=publish,
                                       programme=parse_programme(programme(code=code))).id


def _new_draft(runtime: Runtime, programme_id: int, code: str) -> None:
    """A draft version 2 after a published version 1."""
    programmes.update_programme(runtime, actor=OPERATOR, programme_id=programme_id,
                                programme=parse_programme(programme(
                                    code=code, prerequisites={"ja": "なし"})), publish=False)


def test_pages_list_published_programmes_only_by_id(runtime: Runtime) -> None:
    """A draft-only programme is left out; a draft after a published version is not shown."""
    first = _add(runtime, "DS-101")
    _add(runtime, "DS-DRAFT", publish=False)
    third = _add(runtime, "DS-301")
    _new_draft(runtime, first, "DS-101")
    page = published.published_programmes(runtime, limit=1)
    assert ([p.id for p in page.items], page.total, page.next_after) == ([first], 2, first)
    rest = published.published_programmes(runtime, limit=5, after=page.next_after)
    assert ([p.id for p in rest.items], rest.next_after) == ([third], None)
    assert page.items[0].latest.version == 1
    assert published.count_published(runtime) == 2
    mine = published.published_programmes(runtime, organisation="saikai-u")
    assert (mine.items, mine.total) == ([], 0)


def test_a_published_version_is_read_and_a_draft_is_not_found(runtime: Runtime) -> None:
    programme_id = _add(runtime, "DS-101")
    _new_draft(runtime, programme_id, "DS-101")
    assert published.published_version(runtime, programme_id=programme_id).version == 1
    assert published.published_version(runtime, programme_id=programme_id,
                                       version=1).version == 1
    with pytest.raises(NotFoundError, match=r"Version 2 of programme \d+ is not published"):
        published.published_version(runtime, programme_id=programme_id, version=2)
    assert published.published_programme(runtime, programme_id=programme_id).latest.version \
        == 1
    draft = _add(runtime, "DS-DRAFT", publish=False)
    with pytest.raises(NotFoundError):
        published.published_programme(runtime, programme_id=draft)


def test_programmes_named_by_id_are_their_newest_published_versions_only(
        runtime: Runtime) -> None:
    """A form that keeps programmes by id reads them back in one call: each published one
    with its newest published version; a draft-only or unknown id is left out."""
    first = _add(runtime, "DS-101")
    _new_draft(runtime, first, "DS-101")
    draft = _add(runtime, "DS-DRAFT", publish=False)
    found = published.published_by_ids(runtime, programme_ids=[first, draft, 999_999])
    assert list(found) == [first]
    assert (found[first].latest.version, found[first].code) == (1, "DS-101")
    assert published.published_by_ids(runtime, programme_ids=[]) == {}


def test_a_programme_page_lists_its_published_versions(runtime: Runtime) -> None:
    """Versions 1 and 2 published, a draft 3 not shown; no recognitions yet."""
    programme_id = _add(runtime, "DS-101")
    _new_draft(runtime, programme_id, "DS-101")
    programmes.publish_version(runtime, actor=OPERATOR, programme_id=programme_id, version=2)
    programmes.update_programme(runtime, actor=OPERATOR, programme_id=programme_id,
                                programme=parse_programme(programme()), publish=False)
    page = published.programme_page(runtime, programme_id=programme_id)
    assert page.stored.latest.version == 2
    assert [v.version for v in page.versions] == [1, 2]
    assert page.recognitions == ()


def test_search_hits_are_read_back_as_the_versions_indexed(runtime: Runtime) -> None:
    """The index answers with (id, version); those versions are read, drafts left out."""
    programme_id = _add(runtime, "DS-101")
    assert registry.search(runtime, query=parse_query({})) is None
    assert registry.search_generation(runtime) is None
    indexed = build_runtime(runtime.settings, clock=runtime.clock, with_registry=True,
                            engine=engine_of(runtime))
    assert indexed.registry is not None
    indexed.registry.refresh()
    assert registry.search_generation(indexed) == indexed.registry.index.generation
    result = registry.search(indexed, query=parse_query({"q": "データ"}))
    assert result is not None
    keys = [(hit.programme_id, hit.version) for hit in result.hits]
    assert keys == [(programme_id, 1)]
    assert list(published.published_versions(indexed, keys=[*keys, (programme_id, 2)])) == keys
    assert published.count_published(indexed) == 1


def test_the_sitemap_reads_published_programmes_by_id_range(runtime: Runtime) -> None:
    first = _add(runtime, "DS-101")
    _add(runtime, "DS-DRAFT", publish=False)
    assert [(n, _utc(moment)) for n, moment in published.published_ranges(
        runtime, size=SITEMAP)] == [(1, START)]
    assert [(pid, _utc(moment)) for pid, moment in published.published_dates(
        runtime, after=0, until=SITEMAP, limit=10)] == [(first, START)]
    assert published.published_dates(runtime, after=first, until=SITEMAP, limit=10) == []


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive timestamps; the store keeps them in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
