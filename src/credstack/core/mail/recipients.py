"""Who a credential can be e-mailed to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.core.mail.addresses import is_mail_address


def recipient_email(credential: Mapping[str, Any]) -> str | None:
    """The learner's e-mail address a credential states in plain text (an unhashed
    ``identifier`` of ``identityType: emailAddress`` of its subject), if any."""
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and subject:
        subject = subject[0]
    if not isinstance(subject, Mapping):
        return None
    found = subject.get("identifier")
    for item in found if isinstance(found, list) else [found]:
        if (isinstance(item, Mapping) and item.get("identityType") == "emailAddress"
                and item.get("hashed") is False and isinstance(item.get("identityHash"), str)
                and is_mail_address(item["identityHash"].strip())):
            return str(item["identityHash"]).strip()
    return None
