"""Which audit entries the platform's figures count."""

from __future__ import annotations

import pytest

from credstack.core.console.figures import FIGURES, counted


@pytest.mark.parametrize(
    ("action", "details", "expected"),
    [
        ("organisation.created", {}, (("organisations", 1),)),
        ("programme.published", {"status": "published"}, (("programmes", 1),)),
        ("programme.created", {"status": "published"}, (("programmes", 1),)),
        ("programme.updated", {"change": "new-version", "status": "published"},
         (("programmes", 1),)),
        ("programme.created", {"status": "draft"}, ()),
        ("programmes.imported", {"organisations_created": 19, "programmes": {
            "created": 80, "new-version": 4, "published": 1, "draft-replaced": 2,
            "unchanged": 9}}, (("organisations", 19), ("programmes", 87))),
        ("programmes.imported", {"organisations_created": 0, "programmes": {"unchanged": 3}},
         ()),
        ("credential.issued", {}, ()),
        ("credentials.issued", {"issued": 250, "reused": 3}, ()),
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
    """An organisation, a version published (written so or later), an import by its counts;
    nothing for an event no figure counts — credentials issued are counted where they are
    stored, whichever use case signs them (the credentials' repository)."""
    assert counted(action, details) == expected
    assert all(figure in FIGURES for figure, _ in expected)
