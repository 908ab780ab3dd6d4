"""The saved search index: rebuilt from the store's published programmes, and said to be
current only while the store has not changed since."""

from __future__ import annotations

from credstack.core.descriptors import parse_programme
from credstack.services.programmes import service as programmes
from credstack.services.registry import service as registry
from credstack.services.runtime import Runtime
from tests.conftest import START
from tests.helpers import programme
from tests.services.accounts.store import OPERATOR, clock, runtime

__all__ = ["clock", "runtime"]


def _publish(runtime: Runtime, code: str) -> None:
    programmes.create_programme(runtime, actor=OPERATOR, publish=True,
                                programme=parse_programme(programme(code=code)))


def test_without_a_saved_index_nothing_is_current(runtime: Runtime) -> None:
    """Before any reindex there is no file, and an empty one would not be current either."""
    _publish(runtime, "DS-101")
    facts = registry.index_facts(runtime)
    assert (facts.exists, facts.current, facts.programmes, facts.built_at) \
        == (False, False, 0, None)
    assert facts.store_published_versions == 1
    assert facts.path.parent == runtime.settings.data_dir


def test_reindex_saves_every_published_programme_and_reports_progress(runtime: Runtime) -> None:
    """Two published programmes and a draft: two indexed, the progress reaches the total."""
    _publish(runtime, "DS-101")
    _publish(runtime, "DS-102")
    programmes.create_programme(runtime, actor=OPERATOR, publish=False,
                                programme=parse_programme(programme(code="DS-DRAFT")))
    seen: list[tuple[int, int]] = []
    done = registry.reindex(runtime, progress=lambda done, total: seen.append((done, total)))
    assert done.programmes == 2 and done.terms > 0 and done.path.exists()
    assert seen and seen[-1][0] == seen[-1][1]
    facts = registry.index_facts(runtime)
    assert (facts.exists, facts.current, facts.programmes, facts.terms) \
        == (True, True, 2, done.terms)
    assert facts.size_bytes == done.path.stat().st_size
    assert facts.built_at == START.isoformat()


def test_a_publication_after_the_reindex_makes_the_index_stale(runtime: Runtime) -> None:
    _publish(runtime, "DS-101")
    registry.reindex(runtime, progress=lambda done, total: None)
    _publish(runtime, "DS-102")
    facts = registry.index_facts(runtime)
    assert (facts.current, facts.programmes, facts.store_published_versions) == (False, 1, 2)
