"""The recognition body's numbers at a glance, on SQLite and PostgreSQL: the applications
addressed to it (drafts not yet), the decisions it published and the recognitions among them,
this month beside last month and in all — another body's work and unpublished decisions not
counted; someone not on its committee sees no figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import review as store
from credstack.core.access.policy import Membership, Principal, Role
from credstack.core.organisations import Organisation
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.review.figures import body_glance
from credstack.settings import Settings
from tests.accounts import add_issuer, add_programme
from tests.helpers import organisation

NOW = dt.datetime(2027, 1, 12, 9, 0, tzinfo=dt.UTC)
LAST_MONTH = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
LONG_AGO = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def _body(slug: str) -> Organisation:
    return Organisation.model_validate(organisation(
        slug=slug, kind="recognition-body", name={"ja": f"認定機構 {slug}", "en": slug}))


def _committee(*bodies: str) -> Principal:
    return Principal(subject="user:9", user_id=9, email="committee@example.jp",
                     memberships=frozenset(Membership(body, Role.COMMITTEE_MEMBER)
                                           for body in bodies))


def _application(session: Any, number: int, *, provider: int, programme: int, body: int,
                 state: str, at: dt.datetime) -> int:
    made = store.add_application(
        session, public_id=f"app_figures{number:04d}", organisation_id=provider,
        programme_id=programme, programme_version=1, recognition_body_id=body,
        profile="mext-mc-2024", kind=store.INITIAL, renewal_of=None, state=state, now=at,
        created_by=None)
    session.flush()
    return made.id


def _decision(session: Any, application: int, number: str, *, outcome: str,
              published: dt.datetime | None) -> None:
    store.add_decision(
        session, application_id=application, number=number, outcome=outcome,
        reasons={"en": "Read."}, conditions=None, decided_by=None,
        at=published or NOW, appeal=False, recognition=None, valid_from=None,
        valid_until=None, criteria_summary={}, programme_title={"en": "Data"},
        provider_name={"en": "Hokuto"}, search_text="data", published_at=published)


def test_the_committee_sees_its_bodys_applications_and_decisions_by_month(
        settings: Settings) -> None:
    """Received: two this month (a draft not yet), one last month, one long ago (four in
    all); decided: one each month; recognised: none this month, one last month, down."""
    with open_runtime(settings=settings, clock=lambda: NOW) as runtime:
        with runtime.transaction() as session:
            add_issuer(session, now=LONG_AGO, secret=runtime.key())
            programme = add_programme(session, now=LONG_AGO)
            provider = organisation_store.get_organisation(
                session, slug=organisation()["slug"]).id
            body, other = (organisation_store.create_organisation(
                session, organisation=_body(slug), now=LONG_AGO).id
                for slug in ("mcrc", "other-body"))
            made = {key: _application(session, number, provider=provider,
                                      programme=programme, body=to, state=state, at=at)
                    for number, (key, to, state, at) in enumerate((
                        ("long-ago", body, "published", LONG_AGO),
                        ("last", body, "published", LAST_MONTH),
                        ("now", body, "published", NOW),
                        ("now-too", body, "under-review", NOW),
                        ("draft", body, "draft", NOW),
                        ("elsewhere", other, "published", NOW)))}
            _decision(session, made["last"], "R-2026-0001", outcome="recognised",
                      published=LAST_MONTH)
            _decision(session, made["now"], "R-2027-0001", outcome="not-recognised",
                      published=NOW)
            _decision(session, made["now-too"], "R-2027-0002", outcome="recognised",
                      published=None)
            _decision(session, made["elsewhere"], "R-2027-0003", outcome="recognised",
                      published=NOW)
        figures = {found.key: (found.this_month, found.last_month, found.total,
                               found.trend.value)
                   for found in body_glance(runtime, principal=_committee("mcrc"))}
        outsider = body_glance(runtime, principal=Principal(
            subject="user:8", user_id=8, email="evaluator@example.jp",
            memberships=frozenset({Membership("mcrc", Role.EVALUATOR)})))
    assert figures == {"received": (2, 1, 4, "up"), "decided": (1, 1, 2, "same"),
                       "recognised": (0, 1, 1, "down")}
    assert outsider == []
