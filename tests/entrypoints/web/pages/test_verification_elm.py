"""The verification page shows a European Digital Credential like any other credential, in
Japanese and English: the verdict, then the achievement, its specification, outcomes with
ESCO skills, ECTS credits, EQF/NQF levels and the ISCED-F field. Real server, on SQLite and on
PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from credstack.settings import Settings
from credstack.testing.elm import SealPki, make_pki, seal
from tests.conftest import serve
from tests.entrypoints.web.pages.test_programmes import HTML, Page, assert_accessible

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(scope="module")
def pki() -> SealPki:
    return make_pki(not_before=NOW - dt.timedelta(days=30), not_after=NOW + dt.timedelta(days=300))


@pytest.fixture(scope="module")
def http(module_settings: Settings, shared_ref: Path, pki: SealPki,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    trust = tmp_path_factory.mktemp("elm-page") / "trusted-seals.pem"
    trust.write_bytes(pki.root_pem)
    settings = dataclasses.replace(module_settings, elm_dir=shared_ref / "elm", elm_trust=trust)
    for server in serve(settings):
        with httpx.Client(base_url=server.url, timeout=60) as client:
            yield client


def _paste(http: httpx.Client, text: str, language: str) -> Page:
    response = http.post("/verify", headers={**HTML, "Accept-Language": language}, files={
        "credential": (None, text), "file": ("", b"", "application/octet-stream")})
    return Page(response.text)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_sealed_edc_is_shown(http: httpx.Client, shared_ref: Path, pki: SealPki,
                               language: str) -> None:
    """Verified, with the micro-credential's specification, credits and levels."""
    sample = json.loads((shared_ref / "elm/ec-elm/credentials/Sample-MC-Annex1-signed.jsonld")
                        .read_text())
    page = _paste(http, json.dumps(seal(sample["payload"], pki, signing_time=NOW)), language)
    assert page.one("div", id="verify-verdict").attrs["data-outcome"] == "verified"
    edc = page.one("section", id="edc").text
    assert "Digital micro-credential creation" in edc
    assert ("EQF レベル 6" if language == "ja" else "EQF level 6") in edc
    assert "RQF Level 6" in edc and "0688" in edc
    credits = " ".join(page.one("div", **{"data-fact": "credits"}).text.split())
    assert credits == ("単位 2（European Credit Transfer System）" if language == "ja" else
                       "Credits 2 (European Credit Transfer System)"), credits
    assert page.all("span", **{"data-esco": "http://data.europa.eu/esco/skill/"
                               "326809fc-238d-40c2-881e-40042f7f2f0d"})
    envelope = page.one("div", **{"data-fact": "envelope"})
    assert envelope.attrs["data-envelope"] == "elm-3.1"
    assert ("欧州委員会の形式" if language == "ja" else "the European Commission's") in \
        envelope.text
    assert_accessible(page, language)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_its_eqf_level_is_read_across_borders(http: httpx.Client, shared_ref: Path,
                                              pki: SealPki, language: str) -> None:
    """EQF 6 read as JEQF 6 and NZQF 7; AQF's reading is marked to be checked, with why."""
    sample = json.loads((shared_ref / "elm/ec-elm/credentials/Sample-MC-Annex1-signed.jsonld")
                        .read_text())
    page = _paste(http, json.dumps(seal(sample["payload"], pki, signing_time=NOW)), language)
    rows = {item.attrs["data-in"]: " ".join(item.text.split())
            for item in page.all("li", **{"data-level": "EQF-6"})}
    assert set(rows) == {"JEQF", "AQF", "MQF", "NZQF", "AQRF"}
    assert "JEQF 6" in rows["JEQF"] and "NZQF 7" in rows["NZQF"]
    assert ("出典の確認が必要" if language == "ja" else "source to be checked") in rows["AQF"]
    assert ("共同報告書" if language == "ja" else "joint report") in rows["AQF"]
    assert "to be checked" not in rows["NZQF"] and "確認が必要" not in rows["NZQF"]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_ebsi_32_example_is_a_clear_finding(http: httpx.Client, shared_ref: Path,
                                               language: str) -> None:
    """The context clash is said in plain words, never a verified answer."""
    text = (shared_ref / "elm/ebsi-edc-schema/examples/DigiComp_Generic.json").read_text()
    page = _paste(http, text, language)
    assert page.one("div", id="verify-verdict").attrs["data-outcome"] == "not-verified"
    reasons = {item.attrs["data-code"] for item in page.all("li")
               if item.attrs.get("data-code")}
    assert {"unsealed", "context-clash"} <= reasons
