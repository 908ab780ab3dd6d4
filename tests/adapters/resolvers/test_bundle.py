"""Bundled files are read once and checked against the digests their manifest pins."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from credstack.adapters.resolvers.bundle import (
    PinnedBundle,
    check_bundle,
    copy_json,
    pinned_documents,
)
from credstack.errors import ConfigurationError

FILES = {"files/a.json": b'{"a": [1, {"b": 2}]}', "files/c.json": b'{"c": true}'}
MANIFEST = {f"https://example.org/{name}": {"file": name,
                                            "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in FILES.items()}


def _folder(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "files"
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes(b"{}")
    return folder


def test_pinned_documents_are_parsed_by_url() -> None:
    documents = pinned_documents(MANIFEST, FILES.__getitem__, kind="JSON Schema")
    assert documents["https://example.org/files/a.json"] == {"a": [1, {"b": 2}]}


def test_a_file_that_differs_from_its_pin_is_a_damaged_installation() -> None:
    changed = {**FILES, "files/c.json": b'{"c": false}'}
    with pytest.raises(ConfigurationError, match=r"JSON Schema files/c\.json .* damaged"):
        pinned_documents(MANIFEST, changed.__getitem__, kind="JSON Schema")


def test_the_check_names_changed_and_unlisted_files(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ["a.json", "c.json", "stray.json"])
    changed = {**FILES, "files/a.json": b"{}"}
    with pytest.raises(ConfigurationError) as raised:
        check_bundle(MANIFEST, changed.__getitem__, folder, kind="JSON-LD context")
    message = str(raised.value)
    assert message.startswith("the bundled JSON-LD contexts do not match their manifest")
    assert "files/a.json (https://example.org/files/a.json): SHA-256" in message
    assert "files/stray.json: not in the manifest" in message
    assert "files/c.json (" not in message


def test_a_further_check_adds_its_problems(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ["a.json", "c.json"])
    check_bundle(MANIFEST, FILES.__getitem__, folder, kind="JSON Schema")
    with pytest.raises(ConfigurationError, match=r"c\.json: not the published one"):
        check_bundle(MANIFEST, FILES.__getitem__, folder, kind="JSON Schema",
                     also=lambda url, entry, data, digest:
                     [f"{entry['file']}: not the published one"] if b"c" in data else [])


def test_copies_share_nothing_with_the_original() -> None:
    original = {"a": [1, {"b": 2}]}
    copied = copy_json(original)
    copied["a"][1]["b"] = 3
    assert original == {"a": [1, {"b": 2}]}


def test_a_package_bundle_is_read_once_and_hands_out_copies() -> None:
    """The schemas credstack ships: every manifest entry parsed, the same mapping on each
    use, copies that share nothing with it, and a check that passes."""
    bundle = PinnedBundle("credstack.adapters.resolvers.schemas", section="schemas",
                          kind="JSON Schema")
    assert set(bundle.documents) == set(bundle.manifest) and bundle.documents
    assert bundle.documents is bundle.documents
    copies = bundle.copies()
    url = next(iter(copies))
    copies[url]["changed"] = True
    assert "changed" not in bundle.documents[url]
    bundle.check()
