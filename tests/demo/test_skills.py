"""The demo's skills: the DSS framework, the hand-made alignments, idempotent."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from credstack.adapters.keystore import new_master_key_text
from credstack.demo.accounts import create_demo_accounts
from credstack.demo.programmes import load_demo_programmes
from credstack.demo.skills import (
    EMPLOYER_EMAIL,
    ROLE_TITLE,
    demo_alignments,
    load_demo_skills,
    prepare_demo_role,
)
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.accounts import service as accounts
from credstack.services.skills import catalogue, frameworks, roles
from credstack.settings import Settings
from credstack.testing import ActingAs
from tests.conftest import keyed_sqlite


def test_the_demo_programmes_are_aligned_to_the_digital_skill_standards(
        sqlite_settings: Settings) -> None:
    """Every DSS alignment of the file is made; ESCO ones wait for ESCO; a second load
    changes nothing."""
    settings = dataclasses.replace(sqlite_settings, secret_key=new_master_key_text())
    with open_runtime(settings=settings) as runtime:
        load_demo_programmes(runtime, only_if_empty=True)
        first = load_demo_skills(runtime)
        pairs = [reference for found in demo_alignments()["alignments"].values()
                 for _, reference in found]
        dss = sum(1 for reference in pairs if reference.startswith("dss:"))
        assert (first.alignments, first.skipped) == (dss, len(pairs) - dss)
        assert [view.kind for view in frameworks.frameworks(runtime)] == ["standard"]
        again = load_demo_skills(runtime)
        assert again.labels == 0


def test_the_demo_employer_has_a_saved_role(tmp_path: Path) -> None:
    """``serve --demo`` saves the demo employer's role once: its skills are DSS items, and
    preparing it again leaves the one role."""
    with open_runtime(settings=keyed_sqlite(tmp_path)) as runtime:
        load_demo_programmes(runtime, only_if_empty=True)
        load_demo_skills(runtime)
        create_demo_accounts(runtime)
        made = prepare_demo_role(runtime)
        assert made.title == ROLE_TITLE and len(made.skills) == 2
        assert len(catalogue.items(runtime, made.skills)) == 2
        assert prepare_demo_role(runtime) == made
        with runtime.sessions() as session:
            employer = ActingAs(accounts.user(session, email=EMPLOYER_EMAIL).principal())
        assert roles.saved(runtime, actor=employer) == [made]
