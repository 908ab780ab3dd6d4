"""Providers: organisations with published programmes, counted by those only."""

from __future__ import annotations

import datetime as dt

from credstack.core.descriptors import parse_programme
from credstack.core.organisations import Organisation
from credstack.services.organisations import providers
from credstack.services.organisations import service as organisations
from credstack.services.programmes import service as programmes
from credstack.services.runtime import Runtime
from tests.conftest import START, Clock
from tests.helpers import organisation, programme
from tests.services.accounts.store import OPERATOR, clock, runtime

__all__ = ["clock", "runtime"]


def _add(runtime: Runtime, code: str, *, publish: bool) -> int:
    stored = programmes.create_programme(runtime, actor=OPERATOR, publish=publish,
                                         programme=parse_programme(programme(code=code)))
    return stored.id


def test_only_organisations_with_published_programmes_are_providers(runtime: Runtime
                                                                    ) -> None:
    """A draft makes nobody a provider; a published programme does, and counts alone."""
    _add(runtime, "DS-DRAFT", publish=False)
    assert providers.list_providers(runtime) == []
    assert providers.count_providers(runtime) == 0
    assert providers.get_provider(runtime, slug="hokuto-tech").programme_count == 0
    _add(runtime, "DS-101", publish=True)
    listed = providers.list_providers(runtime)
    assert [(p.slug, p.programme_count) for p in listed] == [("hokuto-tech", 1)]
    assert providers.count_providers(runtime) == 1
    assert providers.get_provider(runtime, slug="hokuto-tech").programme_count == 1


def test_the_sitemap_reads_providers_by_id_range(runtime: Runtime, clock: Clock) -> None:
    """Ranges of ids holding providers and keyset pages of one range, each provider with its
    last change: the newer of its own update and its newest publication."""
    created = organisations.create_organisation(
        runtime, actor=OPERATOR,
        organisation=Organisation.model_validate(organisation(slug="kaiyo-u")))
    clock.advance(hours=1)
    body = {"id": "kaiyo-u", "name": {"ja": "海洋大学", "en": "Kaiyo University"}}
    programmes.create_programme(runtime, actor=OPERATOR, publish=True,
                                programme=parse_programme(programme(awarding_body=body)))
    published_at = START + dt.timedelta(hours=1)
    # The range's last change also counts the other organisations in it (set up earlier).
    [(number, changed)] = providers.provider_ranges(runtime, size=50_000)
    assert number == 1
    assert changed >= published_at
    assert providers.provider_dates(runtime, after=0, until=50_000, limit=10) == [
        (created.id, "kaiyo-u", published_at)]
    assert providers.provider_dates(runtime, after=created.id, until=50_000, limit=10) == []
