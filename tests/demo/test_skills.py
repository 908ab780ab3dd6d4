"""The demo's skills: the DSS framework, the hand-made alignments, idempotent."""

from __future__ import annotations

import dataclasses

from credstack.adapters.keystore import new_master_key_text
from credstack.demo.programmes import load_demo_programmes
from credstack.demo.skills import demo_alignments, load_demo_skills
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.skills import frameworks
from credstack.settings import Settings


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
