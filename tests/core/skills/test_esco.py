"""ESCO's CSV rows as CASE frameworks, identifiers and URIs ESCO's own."""

from __future__ import annotations

from credstack.core.skills.esco import SKILLS_URI, esco_package, split_description

ROWS = [
    ("http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab",
     "manage musical staff manage staff of music coordinate duties of musical staff "
     "Assign and manage staff tasks in areas such as scoring."),
    ("http://data.europa.eu/esco/skill/11111111-2222-4333-8444-555555555555",
     "speak Japanese communicate verbally in Japanese Japanese speaking "
     "Communicate orally in Japanese."),
]


def test_the_definition_starts_at_the_first_capitalised_word_that_is_no_repeated_name() \
        -> None:
    """Language names recur in the labels; the definition's first word does not."""
    preferred, labels, definition = split_description(ROWS[1][1])
    assert definition == "Communicate orally in Japanese."
    assert labels.startswith("speak Japanese communicate")
    assert preferred == "speak Japanese"


def test_the_preferred_label_is_the_run_its_alternatives_repeat() -> None:
    """"manage musical staff" — the next label starts again with "manage"."""
    assert split_description(ROWS[0][1])[0] == "manage musical staff"


def test_rows_become_a_flat_case_framework_with_esco_identifiers() -> None:
    """The item's identifier is the UUID of its ESCO URI, the URI unchanged, ESCO credited."""
    package = esco_package(ROWS, kind="skills", changed="2025-05-24T00:00:00Z",
                           version_note="test")
    assert package.document.uri == SKILLS_URI
    assert "European Union" in package.document.raw["notes"]
    item = package.items[0]
    assert item.uri == ROWS[0][0]
    assert item.identifier == "0005c151-5b5a-4a66-8aac-60e734beb1ab"
    assert item.label == "manage musical staff"
    assert item.keywords[0].startswith("manage musical staff manage staff")
    assert package.associations == ()


def test_the_same_rows_give_the_same_package() -> None:
    """Importing twice changes nothing: no clock, no random identifiers."""
    first = esco_package(ROWS, kind="skills", changed="2025-05-24T00:00:00Z", version_note="x")
    again = esco_package(ROWS, kind="skills", changed="2025-05-24T00:00:00Z", version_note="x")
    assert first.to_json() == again.to_json()
