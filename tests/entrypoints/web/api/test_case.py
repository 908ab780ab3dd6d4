"""The CASE 1.1 provider over HTTP, on SQLite and PostgreSQL: a third party's package
imported through the API comes back from ``CFPackages`` with zero differences, its documents,
items and associations are served one by one, and errors are ``imsx_StatusInfo``."""

from __future__ import annotations

import json

import httpx
import orjson
import pytest

from tests.conftest import SHARED_REF, LiveServer
from tests.services.skills.skillstores import THIRD_PARTY

BASE = "/ims/case/v1p1"
WILD = SHARED_REF / "wild" / "case"


def _imported(http: httpx.Client) -> str:
    response = http.post("/api/skills/frameworks", content=THIRD_PARTY.read_bytes(),
                         headers={"Content-Type": "application/json"})
    assert response.status_code == 201, response.text
    identifier: str = response.json()["identifier"]
    return identifier


def test_a_third_party_package_round_trips_over_http_with_zero_differences(
        http: httpx.Client) -> None:
    """POSTed, then read from getCFPackage: the same JSON, every key in its order; a second
    import of it is 200 ``unchanged``."""
    identifier = _imported(http)
    exported = http.get(f"{BASE}/CFPackages/{identifier}")
    assert exported.status_code == 200
    assert exported.content == orjson.dumps(orjson.loads(THIRD_PARTY.read_bytes()))
    again = http.post("/api/skills/frameworks", content=THIRD_PARTY.read_bytes())
    assert (again.status_code, again.json()["state"]) == (200, "unchanged")


def test_documents_items_and_associations_are_served_one_by_one(http: httpx.Client) -> None:
    """getAllCFDocuments, getCFDocument, getCFItem, getCFAssociation, as imported."""
    identifier = _imported(http)
    package = json.loads(THIRD_PARTY.read_text(encoding="utf-8"))
    listed = http.get(f"{BASE}/CFDocuments")
    assert listed.headers["X-Total-Count"] == "1"
    assert listed.json()["CFDocuments"] == [package["CFDocument"]]
    assert http.get(f"{BASE}/CFDocuments/{identifier}").json() == package["CFDocument"]
    item = package["CFItems"][4]
    assert http.get(f"{BASE}/CFItems/{item['identifier']}").json() == item
    association = package["CFAssociations"][5]
    assert http.get(f"{BASE}/CFAssociations/{association['identifier']}").json() == association


def test_unknown_objects_are_imsx_status_info(server: LiveServer) -> None:
    """404 with codeMajor failure and codeMinor unknownobject, for anyone."""
    with httpx.Client(base_url=server.url, timeout=60) as anonymous:
        for kind in ("CFDocuments", "CFPackages", "CFItems", "CFAssociations"):
            response = anonymous.get(f"{BASE}/{kind}/9f1b2c1e-0000-4000-8000-000000000000")
            assert response.status_code == 404
            body = response.json()
            assert body["imsx_codeMajor"] == "failure"
            assert body["imsx_codeMinor"]["imsx_codeMinorField"][0][
                "imsx_codeMinorFieldValue"] == "unknownobject"


def test_a_malformed_package_is_refused_with_its_faults_placed(http: httpx.Client) -> None:
    """422 ``invalid-framework``, each fault at its line, column and pointer; nothing kept."""
    data = json.loads(THIRD_PARTY.read_text(encoding="utf-8"))
    del data["CFItems"][2]["uri"]
    response = http.post("/api/skills/frameworks", content=json.dumps(data, indent=2))
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/invalid-framework"
    [error] = response.json()["errors"]
    assert error["location"].endswith(" /CFItems/2")
    assert http.get(f"{BASE}/CFDocuments").json() == {"CFDocuments": []}


def test_only_registry_admins_import(server: LiveServer) -> None:
    """A visitor without a token is refused."""
    with httpx.Client(base_url=server.url, timeout=60) as anonymous:
        response = anonymous.post("/api/skills/frameworks", content=THIRD_PARTY.read_bytes())
    assert response.status_code == 401


def test_a_package_strict_case_1_1_refuses_is_imported_with_its_findings(
        http: httpx.Client) -> None:
    """OpenCASE's export (nulls, non-variant identifiers, CFDocumentURI): 201, every finding
    listed with its pointer, and getCFPackage gives the same JSON values back, nulls kept."""
    path = WILD / "compeito-opencase-round-trip-ja.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent (the wild CASE packages live in ../shared/ref)")
    response = http.post("/api/skills/frameworks", content=path.read_bytes())
    assert response.status_code == 201, response.text
    findings = response.json()["strict_case_1_1"]
    assert sum(finding["rule"] == "case-1.1-type" for finding in findings) == 201
    assert all(finding["location"].startswith("/") and finding["message_ja"]
               for finding in findings)
    exported = http.get(f"{BASE}/CFPackages/{response.json()['identifier']}")
    assert orjson.loads(exported.content) == orjson.loads(path.read_bytes())
