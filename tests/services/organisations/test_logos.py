"""An organisation's logo as a service: set by whoever may update the organisation once
screened, recorded in the audit log once however often the same file is sent, removed, read
by anyone, and drawn on the badges of the organisation's programmes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.core.access import Membership, Principal, Role
from credstack.errors import AccessDeniedError, HostileUploadError
from credstack.services.audit import service as audit
from credstack.services.badges import service as badges
from credstack.services.organisations import logos
from credstack.services.runtime import Runtime
from credstack.testing import ActingAs
from tests.core.images.test_logos import SVG, raster
from tests.services.issuance.test_credentials import ISSUER, SLUG, issuing_runtime

ADMIN = ActingAs(Principal(subject="user:5", user_id=5, email="admin@hokuto.example",
                           memberships=frozenset({Membership(SLUG, Role.PROVIDER_ADMIN)})))


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    with issuing_runtime(tmp_path, publish=True) as runtime:
        yield runtime


def _actions(runtime: Runtime) -> list[str]:
    with runtime.transaction() as session:
        return [entry.action for entry in audit.entries(session, limit=10_000)
                if entry.action.startswith("organisation.logo")]


def test_an_administrator_sets_the_logo_once_and_everyone_reads_it(runtime: Runtime) -> None:
    data = raster("PNG")
    for _ in range(2):
        kept = logos.set_logo(runtime, actor=ADMIN, organisation=SLUG, data=data,
                              filename="logo.png", media_type="image/png")
    assert (kept.media_type, kept.data) == ("image/png", data)
    assert logos.logo(runtime, organisation=SLUG) == kept
    assert _actions(runtime) == ["organisation.logo_set"]
    svg = logos.set_logo(runtime, actor=ADMIN, organisation=SLUG, data=SVG.encode(),
                         filename="logo.svg")
    assert svg.media_type == "image/svg+xml" and svg.sha256 != kept.sha256
    assert logos.remove_logo(runtime, actor=ADMIN, organisation=SLUG)
    assert not logos.remove_logo(runtime, actor=ADMIN, organisation=SLUG)
    assert logos.logo(runtime, organisation=SLUG) is None
    assert _actions(runtime) == ["organisation.logo_set", "organisation.logo_set",
                                 "organisation.logo_removed"]


def test_an_issuer_may_not_set_it_and_a_hostile_file_is_never_kept(runtime: Runtime) -> None:
    with pytest.raises(AccessDeniedError):
        logos.set_logo(runtime, actor=ISSUER, organisation=SLUG, data=raster("PNG"))
    with pytest.raises(HostileUploadError):
        logos.set_logo(runtime, actor=ADMIN, organisation=SLUG,
                       data=SVG.replace("</svg>", "<script>x()</script></svg>").encode())
    assert logos.logo(runtime, organisation=SLUG) is None and _actions(runtime) == []


def test_the_badges_of_the_organisations_programmes_carry_the_logo(runtime: Runtime) -> None:
    assert badges.programme_design(runtime, programme_id=1).logo is None
    logos.set_logo(runtime, actor=ADMIN, organisation=SLUG, data=raster("JPEG"))
    design = badges.programme_design(runtime, programme_id=1)
    assert design.logo is not None and design.logo.png.startswith(b"\x89PNG")
    assert badges.render_badge_png(design).png.startswith(b"\x89PNG")
