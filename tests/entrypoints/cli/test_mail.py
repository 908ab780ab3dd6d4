"""``credstack mail``: the outbox with its states, and sending without a server configured."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credstack.entrypoints.cli.main import app
from tests.conftest import Clock
from tests.services.mail.mailing import HANAKO, issue, mail_settings, mailing_runtime


@pytest.mark.usefixtures("wide_console")
@pytest.mark.parametrize(("lang", "says"), [("ja", "メール送信が設定されていません"),
                                            ("en", "Sending is not configured")])
def test_the_outbox_lists_states_and_says_when_sending_is_not_configured(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, says: str) -> None:
    """One pending message, listed in the console's language; ``send`` exits 1 saying why
    nothing was sent."""
    settings = mail_settings(tmp_path, port=None)
    with mailing_runtime(settings, Clock()) as runtime:
        issue(runtime, HANAKO)
    monkeypatch.setenv("CREDSTACK_LANG", lang)
    monkeypatch.setenv("CREDSTACK_SECRET_KEY", settings.secret_key or "")
    monkeypatch.setenv("CREDSTACK_PUBLIC_URL", settings.public_url)
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path)]
    listed = runner.invoke(app, ["mail", "outbox", *data])
    assert listed.exit_code == 0, listed.output
    assert says in listed.output and "hanako@example.jp" in listed.output
    assert ("送信待ち" if lang == "ja" else "pending") in listed.output
    sent = runner.invoke(app, ["mail", "send", *data])
    assert sent.exit_code == 1 and says in sent.output
    as_json = json.loads(runner.invoke(app, ["mail", "outbox", "--json", *data]).output)
    assert as_json["configured"] is False and as_json["counts"] == {"pending": 1}
    [message] = as_json["messages"]
    assert message["subject"] and "—" not in message["subject"]
    assert "https://credentials.example.ac.jp/" in message["body"]
    assert any(link.startswith("https://credentials.example.ac.jp/claim/")
               for link in message["links"])
