"""The SMTP settings: STARTTLS by default, plain text only to loopback, a sender required."""

from __future__ import annotations

from pathlib import Path

import pytest

from credstack.errors import ConfigurationError
from credstack.settings import smtp_settings

BASE = {"CREDSTACK_SMTP_HOST": "smtp.example.ac.jp",
        "CREDSTACK_MAIL_FROM": "noreply@example.ac.jp"}


def test_the_defaults_are_the_submission_port_and_starttls() -> None:
    """Port 587, STARTTLS; nothing configured without a host."""
    assert smtp_settings(BASE) == {
        "smtp_host": "smtp.example.ac.jp", "smtp_port": 587, "smtp_username": None,
        "smtp_password": None, "smtp_security": "starttls", "smtp_ca_file": None,
        "mail_from": "noreply@example.ac.jp"}
    assert smtp_settings({})["smtp_host"] is None


def test_every_setting_is_read() -> None:
    found = smtp_settings({**BASE, "CREDSTACK_SMTP_PORT": "465", "CREDSTACK_SMTP_SECURITY": "TLS",
                           "CREDSTACK_SMTP_USERNAME": "u", "CREDSTACK_SMTP_PASSWORD": "p",
                           "CREDSTACK_SMTP_CA_FILE": "/etc/ca.pem"})
    assert (found["smtp_port"], found["smtp_security"], found["smtp_username"],
            found["smtp_password"], found["smtp_ca_file"]) == (465, "tls", "u", "p",
                                                                Path("/etc/ca.pem"))


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1", "[::1]"])
def test_plain_text_is_allowed_to_a_loopback_relay(host: str) -> None:
    assert smtp_settings({**BASE, "CREDSTACK_SMTP_HOST": host,
                          "CREDSTACK_SMTP_SECURITY": "none"})["smtp_security"] == "none"


@pytest.mark.parametrize(("changes", "named"), [
    ({"CREDSTACK_SMTP_SECURITY": "none"}, "loopback"),
    ({"CREDSTACK_SMTP_SECURITY": "ssl3"}, "CREDSTACK_SMTP_SECURITY"),
    ({"CREDSTACK_SMTP_PORT": "0"}, "CREDSTACK_SMTP_PORT"),
    ({"CREDSTACK_SMTP_PORT": "smtp"}, "CREDSTACK_SMTP_PORT"),
    ({"CREDSTACK_MAIL_FROM": ""}, "CREDSTACK_MAIL_FROM"),
    ({"CREDSTACK_MAIL_FROM": "Office <noreply@example.ac.jp>"}, "CREDSTACK_MAIL_FROM"),
    ({"CREDSTACK_SMTP_USERNAME": "u"}, "CREDSTACK_SMTP_PASSWORD"),
])
def test_unsafe_or_incomplete_settings_are_refused(changes: dict[str, str], named: str
                                                   ) -> None:
    """Plain text to another host, unknown security, bad ports, no or a bad sender, a user
    without a password: refused at start, naming the setting."""
    with pytest.raises(ConfigurationError, match=named):
        smtp_settings({**BASE, **changes})
