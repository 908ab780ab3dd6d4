"""Which audit entries the platform's figures count."""

from __future__ import annotations

import pytest

from credstack.core.console.figures import FIGURES, counted


@pytest.mark.parametrize(
    ("action", "details", "expected"),
    [
        ("organisation.created", {}, (("organisations", 1),)),
        ("programme.published", {"status": "published"}, (("programmes", 1),)),
        ("credential.issued", {}, (("issued", 1),)),
        ("credentials.issued", {"issued": 250, "reused": 3}, (("issued", 250),)),
        ("credentials.issued", {"issued": 0}, ()),
        ("wallet.credential.imported", {"outcome": "verified"}, (("claimed", 1),)),
        ("oid4vci.credential.issued", {"configuration": "x"}, (("claimed", 1),)),
        ("wallet.share.created", {}, (("shared", 1),)),
        ("recognition.granted", {}, (("recognitions", 1),)),
        ("creditbank.approved", {}, (("creditbank", 1),)),
        ("creditbank.refused", {}, (("creditbank", 1),)),
        ("programme.updated", {}, ()),
        ("login.succeeded", {}, ()),
    ],
)
def test_each_event_adds_to_its_figure(
    action: str, details: dict[str, object], expected: tuple[tuple[str, int], ...]
) -> None:
    """One credential, a cohort by its count, nothing for an event no figure counts."""
    assert counted(action, details) == expected
    assert all(figure in FIGURES for figure, _ in expected)
