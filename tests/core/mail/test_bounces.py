"""Delivery status notifications read back."""

from __future__ import annotations

import pytest

from credstack.core.mail import read_bounce
from credstack.errors import InputError

REPORT = (
    "MIME-Version: 1.0\r\n"
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
    "--B\r\nContent-Type: text/plain\r\n\r\nNot delivered.\r\n"
    "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
    "Reporting-MTA: dns; mx.example.jp\r\n\r\n"
    "Final-Recipient: rfc822; hanako@example.jp\r\nAction: failed\r\nStatus: 5.2.2\r\n"
    "Diagnostic-Code: smtp; 552 mailbox full\r\n\r\n"
    "--B\r\nContent-Type: message/rfc822\r\n\r\n"
    "Message-ID: <abc.1@credentials.example.ac.jp>\r\nSubject: x\r\n\r\nbody\r\n--B--\r\n"
)


def test_a_report_names_the_returned_message_and_why() -> None:
    """The returned message's Message-ID, the recipient, status and diagnostic."""
    bounce = read_bounce(REPORT.encode())
    assert bounce.message_id == "<abc.1@credentials.example.ac.jp>"
    assert bounce.recipient == "hanako@example.jp"
    assert bounce.reason == "5.2.2 552 mailbox full"


def test_what_is_no_report_is_refused() -> None:
    """An ordinary message, or a report without the returned message's id."""
    with pytest.raises(InputError):
        read_bounce(b"Subject: hello\r\n\r\nhi")
    with pytest.raises(InputError, match="no returned message"):
        read_bounce(REPORT.replace("Message-ID: <abc.1@credentials.example.ac.jp>\r\n",
                                   "").encode())
