"""The programme editor of a workspace: only the organisation's provider admins (and registry
admins) use it, drafts are checked as far as they go, saving after a published version makes
the next version, differences are read leaf by leaf, imports are all or nothing and of the
workspace's own programmes, and the previews render."""

from __future__ import annotations

import pytest

from credstack.core.descriptors import Format
from credstack.core.descriptors.differences import DifferenceKind
from credstack.core.programmes import Change, Status
from credstack.errors import AccessDeniedError, DescriptorError, NotFoundError
from credstack.services.programmes import editing
from credstack.services.runtime import Runtime
from tests.helpers import programme
from tests.services.accounts.store import clock, entries, runtime
from tests.services.programmes.test_service import HOKUTO_ADMIN, SAIKAI_ADMIN

__all__ = ["clock", "runtime"]

ORG = "hokuto-tech"


def _saved(runtime: Runtime, *, publish: bool = False, **changes: object) -> int:
    checked = editing.check(runtime, actor=HOKUTO_ADMIN, organisation=ORG,
                            document=programme(**changes))
    assert checked.draft.programme is not None, checked.draft.errors
    saved = editing.save(runtime, actor=HOKUTO_ADMIN, organisation=ORG,
                         programme=checked.draft.programme, publish=publish)
    return int(saved.stored.id)


def test_another_organisations_admin_is_refused(runtime: Runtime) -> None:
    """saikai-u's provider admin may not open hokuto-tech's workspace or check a draft in it."""
    with pytest.raises(AccessDeniedError):
        editing.workspace(runtime, actor=SAIKAI_ADMIN, organisation=ORG)
    with pytest.raises(AccessDeniedError):
        editing.check(runtime, actor=SAIKAI_ADMIN, organisation=ORG, document={})


def test_a_programme_of_another_organisation_is_not_found_in_a_workspace(
        runtime: Runtime) -> None:
    """hokuto-tech's programme does not exist in saikai-u's workspace, even for its admin."""
    programme_id = _saved(runtime)
    with pytest.raises(NotFoundError):
        editing.read(runtime, actor=SAIKAI_ADMIN, organisation="saikai-u",
                     programme_id=programme_id)


def test_a_draft_is_checked_as_far_as_it_goes(runtime: Runtime) -> None:
    """Hours typed as words are an error at learner_effort.hours; the rest is still checked,
    the effort counted as missing, and the awarding body is the workspace's whatever was sent."""
    document = programme(learner_effort={"hours": "ninety"})
    document["awarding_body"] = {"id": "saikai-u", "name": {"en": "Saikai"}}
    checked = editing.check(runtime, actor=HOKUTO_ADMIN, organisation=ORG, document=document)
    assert checked.draft.programme is None
    assert [e.loc for e in checked.draft.errors] == [("learner_effort", "hours")]
    assert checked.draft.checkable.learner_effort is None
    assert checked.draft.checkable.awarding_body is not None
    assert checked.draft.checkable.awarding_body.id == ORG
    assert len(checked.reports) == 5
    jp = checked.reports[0]
    assert not jp.conforms
    assert any(f.code == "missing-required" and f.path == "learner_effort"
               for f in jp.findings)


def test_saving_after_publication_makes_a_new_draft_version(runtime: Runtime) -> None:
    """Published version 1, then a change saved: version 2, a draft, and version 1 unchanged;
    publishing it makes it public; the diff names the changed leaf."""
    programme_id = _saved(runtime, publish=True)
    changed = editing.check(runtime, actor=HOKUTO_ADMIN, organisation=ORG,
                            document=programme(prerequisites={"ja": "統計の基礎",
                                                              "en": "Basic statistics"}),
                            programme_id=programme_id)
    assert changed.draft.programme is not None
    saved = editing.save(runtime, actor=HOKUTO_ADMIN, organisation=ORG,
                         programme=changed.draft.programme, programme_id=programme_id)
    assert saved.change is Change.NEW_VERSION
    assert (saved.stored.latest.version, saved.stored.latest.status) == (2, Status.DRAFT)
    editing.publish_version(runtime, actor=HOKUTO_ADMIN, organisation=ORG,
                            programme_id=programme_id, version=2)
    _, versions = editing.history(runtime, actor=HOKUTO_ADMIN, organisation=ORG,
                                  programme_id=programme_id)
    assert [(v.version, v.status) for v in versions] == [(1, Status.PUBLISHED),
                                                         (2, Status.PUBLISHED)]
    diff = editing.version_diff(runtime, actor=HOKUTO_ADMIN, organisation=ORG,
                                programme_id=programme_id, before=1, after=2)
    found = {d.path: d for d in diff.differences}
    assert set(found) >= {("prerequisites", "ja"), ("prerequisites", "en")}
    assert found[("prerequisites", "en")].after == "Basic statistics"
    assert found[("prerequisites", "en")].kind in (DifferenceKind.ADDED, DifferenceKind.CHANGED)
    actions = [e.action for e in entries(runtime)]
    assert actions == ["programme.created", "programme.updated", "programme.published"]


CSV_GOOD = ("code,title.ja,title.en,learner_effort.hours\n"
            "IMP-1,取込1,Import 1,12\n"
            "IMP-2,取込2,Import 2,20\n")
CSV_BAD = ("code,title.ja,learner_effort.hours,awarding_body.id,awarding_body.name.en\n"
           "IMP-1,取込1,twelve,,\n"
           "IMP-2,取込2,20,saikai-u,Saikai\n"
           "IMP-3,取込3,-5,,\n")


def test_an_import_with_any_bad_row_imports_nothing_and_names_every_bad_row(
        runtime: Runtime) -> None:
    """Rows 2 and 4 have bad hours (columns named), row 3 is another organisation's."""
    with pytest.raises(DescriptorError) as raised:
        editing.import_programmes(runtime, actor=HOKUTO_ADMIN, organisation=ORG,
                                  data=CSV_BAD.encode(), fmt=Format.CSV, source="p.csv")
    where = [p.location for p in raised.value.problems]
    assert any(w.startswith("p.csv: row 2, column C") for w in where), where
    assert any(w.startswith("p.csv: row 4, column C") for w in where), where
    assert editing.workspace(runtime, actor=HOKUTO_ADMIN, organisation=ORG).total == 0


def test_an_import_of_own_programmes_stores_drafts_and_is_audited_once(
        runtime: Runtime) -> None:
    """Two rows, two drafts of hokuto-tech; importing the same file again changes nothing."""
    imported = editing.import_programmes(runtime, actor=HOKUTO_ADMIN, organisation=ORG,
                                         data=CSV_GOOD.encode("utf-8-sig"), fmt=Format.CSV)
    assert [(code, change) for _, code, change, _ in imported.changes] == [
        ("IMP-1", Change.CREATED), ("IMP-2", Change.CREATED)]
    found = editing.workspace(runtime, actor=HOKUTO_ADMIN, organisation=ORG)
    assert {p.latest.status for p in found.programmes} == {Status.DRAFT}
    again = editing.import_programmes(runtime, actor=HOKUTO_ADMIN, organisation=ORG,
                                      data=CSV_GOOD.encode(), fmt=Format.CSV)
    assert again.count(Change.UNCHANGED) == 2
    assert [e.action for e in entries(runtime)] == ["programmes.imported"]


def test_the_previews_render_a_badge_and_an_unsigned_pdf(runtime: Runtime) -> None:
    """A draft's badge names its title; its certificate is a PDF made out to a specimen."""
    programme_id = _saved(runtime)
    design = editing.badge_design(runtime, actor=HOKUTO_ADMIN, organisation=ORG,
                                  programme_id=programme_id)
    assert design.micro_credential and design.code == "DS-101"
    pdf = editing.certificate_preview(runtime, actor=HOKUTO_ADMIN, organisation=ORG,
                                      programme_id=programme_id, language="en")
    assert pdf.startswith(b"%PDF-")
