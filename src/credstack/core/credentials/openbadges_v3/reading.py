"""Reading a programme's descriptors back from a credential, by the achievement it awards."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.core.descriptors.achievement import descriptors_from_achievement
from credstack.errors import MalformedCredentialError, Problem


def descriptors_from_credential(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The descriptor document of the achievement an ``OpenBadgeCredential`` awards.

    Raises :class:`~credstack.errors.MalformedCredentialError` when the credential has no
    ``credentialSubject.achievement`` object.
    """
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and subject:
        subject = subject[0]
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    if not isinstance(achievement, Mapping):
        raise MalformedCredentialError(
            "the credential awards no achievement",
            problems=[Problem("credentialSubject.achievement", "an object is required")],
        )
    return descriptors_from_achievement(achievement)
