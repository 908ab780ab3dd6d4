"""The level crosswalk: every edge sourced, levels read in the reader's framework."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from credstack.core.skills.levels import _load, crosswalk, parse_level, read_level
from credstack.errors import InputError


def test_every_edge_cites_a_source_and_says_whether_to_check_it() -> None:
    """No edge without a citation; the ones not yet compared are marked."""
    table = crosswalk()
    assert table.edges
    assert all(edge.source.cite for edge in table.edges)
    assert {"JEQF", "EQF", "AQF", "MQF", "NZQF", "AQRF"} == set(table.frameworks)
    assert any(edge.source.check for edge in table.edges)


def test_a_bachelor_level_reads_across() -> None:
    """JEQF 6 is EQF 6 directly, and AQF 7 or 8 through EQF, citing both edges."""
    [eqf] = read_level("JEQF", 6, "EQF")
    assert eqf.code == "EQF-6" and eqf.direct
    aqf = read_level("JEQF", 6, "AQF")
    assert [reading.code for reading in aqf] == ["AQF-7", "AQF-8"]
    assert all(len(reading.via) == 2 and not reading.direct for reading in aqf)
    assert aqf[0].relation == "indicative" and aqf[0].needs_checking


def test_malaysian_levels_reach_australia_through_asean_and_europe() -> None:
    """MQF 6 → AQRF 6 → EQF 6 → AQF 7 (three edges)."""
    readings = read_level("MQF", 6, "AQF")
    assert readings[0].code == "AQF-7"
    assert [edge.source.id for edge in readings[0].via] == ["mqf-aqrf", "aqrf-eqf", "aqf-eqf"]


def test_the_own_framework_reads_as_itself() -> None:
    """No edge needed."""
    assert read_level("EQF", 4, "EQF")[0].code == "EQF-4"


def test_a_reading_serialises_with_its_sources() -> None:
    """The API shows each edge and its citation."""
    data = read_level("NZQF", 7, "EQF")[0].to_dict()
    assert data["level"] == 6 and data["via"][0]["source"].startswith("European Commission")


@pytest.mark.parametrize("code", ["EQF-9", "XQF-1", "EQF", "EQF-x",
                                  # A digit to str.isdigit, not to int (issue 55).
                                  "EQF-\u00b3", "EQF-" + "6" * 5000])
def test_unknown_levels_are_refused(code: str) -> None:
    """A level a framework does not have is an input error naming it."""
    with pytest.raises(InputError):
        parse_level(code)


def test_every_edge_cites_a_source_the_crosswalk_declares() -> None:
    """An edge naming an undeclared source fails here, in the bundled file and in the loader."""
    raw = yaml.safe_load(resources.files("credstack.core.descriptors").joinpath(
        "level_crosswalk.yaml").read_text(encoding="utf-8"))
    undeclared = [edge for edge in raw["edges"] if edge[3] not in raw["sources"]]
    assert not undeclared
    raw["edges"].append(["EQF-1", "AQF-1", "indicative", "no-such-report"])
    with pytest.raises(ValueError, match="unknown source"):
        _load(raw)


def test_new_zealand_levels_read_as_the_joint_report_states() -> None:
    """NZQF 1 is EQF 2, NZQF 7 is EQF 6, and NZQF 8 has no EQF level (the 2016 report, p. 5)."""
    assert [reading.code for reading in read_level("NZQF", 1, "EQF")] == ["EQF-2"]
    assert [reading.code for reading in read_level("NZQF", 7, "EQF")] == ["EQF-6"]
    assert read_level("NZQF", 8, "EQF") == ()
    [confirmed] = read_level("NZQF", 9, "EQF")
    assert confirmed.code == "EQF-7" and not confirmed.needs_checking
