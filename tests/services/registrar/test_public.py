"""A registrar's documents found by their id in the registrar's own store (issue 56), over a
real app on SQLite and PostgreSQL: the public verification page a PDF's QR code opens
(``/verify/<id>``), the page a PDF is uploaded to, and ``credstack verify`` of the files and
of the page's address read from the store. One record's documents withdrawn: its PDF,
credential and CLR all read revoked everywhere, another record's still verify."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from click.testing import Result
from typer.testing import CliRunner

from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.entrypoints.cli.main import app
from credstack.settings import Settings
from tests.accounts import add_issuer, store_session
from tests.conftest import LiveServer, at_own_url, operator_client, serve, store_environment
from tests.helpers import ORGANISATION
from tests.services.registrar.test_documents import HEADER, record_rows

SLUG = ORGANISATION["slug"]
HTML = {"Accept": "text/html", "Accept-Language": "en"}


@dataclass
class Served:
    live: LiveServer
    folder: Path

    def cli(self, *args: str) -> Result:
        settings = self.live.settings
        return CliRunner().invoke(app, list(args), env=store_environment(
            settings, secret=settings.secret_key, public_url=settings.public_url))


@pytest.fixture
def served(settings: Settings, tmp_path: Path) -> Iterator[Served]:
    secret = settings.secret_key or new_master_key_text()
    configured, port = at_own_url(dataclasses.replace(settings, secret_key=secret))
    with store_session(configured) as session:
        add_issuer(session, now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5),
                   secret=MasterKey.from_text(secret, source="test"))
    for live in serve(configured, port=port):
        with operator_client(live, timeout=60) as registrar:
            imported = registrar.post(
                f"/api/registrar/{SLUG}/records", headers={"Content-Type": "text/csv"},
                content="\n".join([HEADER, *record_rows("20A1001"),
                                   *record_rows("20A1002")]).encode("utf-8"))
            assert imported.status_code == 200, imported.text
        yield Served(live, tmp_path / "out")


def _issue(served: Served, number: str) -> dict[str, str]:
    """The student's degree and transcript issued with the CLI: each file's form → its id."""
    done = served.cli("registrar-documents", "issue", number, "-o", SLUG,
                      "--out", str(served.folder))
    assert done.exit_code == 0, done.output
    listed = served.cli("registrar-documents", "list", number, "-o", SLUG, "--json")
    assert listed.exit_code == 0, listed.output
    return {f"{row['kind']}-{row['form']}": row["id"] for row in json.loads(listed.stdout)}


def _page(http: httpx.Client, credential_id: str) -> tuple[str, set[tuple[str, str]]]:
    """The verification page of ``credential_id``: its outcome and its reasons' checks."""
    page = http.get(f"/verify/{quote(credential_id, safe=':')}", headers=HTML)
    assert page.status_code == 200, page.text
    return _verdict(page.text)


def _verdict(text: str) -> tuple[str, set[tuple[str, str]]]:
    [outcome] = re.findall(r'id="verify-verdict"[^>]*data-outcome="([^"]*)"', text)
    return outcome, set(re.findall(r'<li data-check="([^"]*)" data-code="([^"]*)"', text))


def _uploaded(http: httpx.Client, pdf: bytes) -> tuple[str, set[tuple[str, str]]]:
    page = http.post("/verify", headers=HTML, files={"file": ("degree.pdf", pdf,
                                                             "application/pdf")})
    assert page.status_code == 200, page.text
    return _verdict(page.text)


def test_a_withdrawn_records_pdf_credential_and_clr_read_revoked(served: Served) -> None:
    """Before: each verifies on its page, uploaded, and with `credstack verify` (the file,
    and the page's address read from the store). After `withdraw`: each reads revoked there,
    and the other student's documents still verify."""
    ids = _issue(served, "20A1001")
    other = _issue(served, "20A1002")
    assert ids["degree-pdf"] == ids["degree-vc"] and ids["transcript-clr"] != ids[
        "transcript-vc"]
    files = sorted(path for path in served.folder.iterdir() if path.name.startswith("20A1001"))
    assert len(files) == 5
    url = served.live.settings.public_url
    with httpx.Client(base_url=served.live.url, timeout=60) as http:
        for credential_id in ids.values():
            assert _page(http, credential_id)[0] == "verified", credential_id
        assert _uploaded(http, (served.folder / "20A1001-degree-ja.pdf").read_bytes())[0] \
            == "verified"
        for path in files:
            checked = served.cli("verify", str(path))
            assert checked.exit_code == 0, (path.name, checked.output)
        for credential_id in {ids["degree-vc"], ids["transcript-clr"]}:
            checked = served.cli("verify", f"{url}/verify/{quote(credential_id, safe=':')}")
            assert checked.exit_code == 0, checked.output

        gone = served.cli("registrar-documents", "withdraw", "20A1001", "-o", SLUG,
                          "--reason", "degree rescinded")
        assert gone.exit_code == 0, gone.output

        for form, credential_id in ids.items():
            outcome, reasons = _page(http, credential_id)
            assert (outcome, ("status", "revoked") in reasons) == ("not-verified", True), (
                form, outcome, reasons)
        for path in files:
            if path.suffix == ".pdf":
                outcome, reasons = _uploaded(http, path.read_bytes())
                assert outcome == "not-verified" and ("status", "revoked") in reasons, path
            checked = served.cli("verify", str(path), "--json")
            assert checked.exit_code == 1, (path.name, checked.output)
            report = json.loads(checked.stdout)
            assert "revoked" in {check.get("code") for check in report["checks"]}, path.name
        for credential_id in {ids["degree-vc"], ids["transcript-clr"]}:
            checked = served.cli("verify", f"{url}/verify/{quote(credential_id, safe=':')}")
            assert checked.exit_code == 1, checked.output
        for credential_id in other.values():
            assert _page(http, credential_id)[0] == "verified", credential_id


def test_an_id_issued_nowhere_is_not_found(served: Served) -> None:
    """An id neither the issuer nor the registrar issued: 404 on the page, exit 2 with the
    CLI (the address names nothing of this site)."""
    missing = "urn:uuid:00000000-0000-4000-8000-000000000056"
    with httpx.Client(base_url=served.live.url, timeout=60) as http:
        assert http.get(f"/verify/{missing}", headers=HTML).status_code == 404
    checked = served.cli("verify", f"{served.live.settings.public_url}/verify/{missing}")
    assert checked.exit_code == 2, checked.output
