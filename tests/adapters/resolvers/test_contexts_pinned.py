"""``CREDSTACK_CONTEXTS_FILE``: the contexts an operator pins, served by the process's loader
beside the bundled ones, checked when first read, never fetched and never replacing a bundled
context."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

from credstack.adapters.resolvers.contexts import bundled_contexts, shared_document_loader
from credstack.core.credentials.openbadges_v3 import EXTENSION_CONTEXT_URL
from credstack.errors import ConfigurationError, UnknownContextError
from credstack.settings import contexts_file

VC_V2 = "https://www.w3.org/ns/credentials/v2"
PINNED = "https://contexts.example/pinned/v1"
CONTEXT = {"@context": {"@protected": True,
                        "favouriteColour": "https://contexts.example/pinned#favouriteColour"}}


def write(path: Path, value: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(value if isinstance(value, str) else json.dumps(value), encoding="utf-8")
    return path


@pytest.fixture
def pin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Write ``index.json`` (URL → file) in ``tmp_path/operator`` with the files given, and
    set ``CREDSTACK_CONTEXTS_FILE`` to it."""

    def pinning(index: dict[str, str], files: dict[str, Any]) -> Path:
        directory = tmp_path / "operator"
        for name, content in files.items():
            write(directory / name, content)
        path = write(directory / "index.json", index)
        monkeypatch.setenv("CREDSTACK_CONTEXTS_FILE", str(path))
        return path

    return pinning


def refusal() -> str:
    """The configuration error the loader raises, as the operator reads it."""
    with pytest.raises(ConfigurationError) as caught:
        shared_document_loader()
    return str(caught.value)


def test_a_pinned_context_is_served_beside_the_bundled_ones(pin, no_network) -> None:
    """The file's context is served under its URL (the fragment ignored), a credential using
    it expands offline, and the bundled contexts are served as before."""
    pin({PINNED: "contexts/pinned.jsonld"}, {"contexts/pinned.jsonld": CONTEXT})
    load = shared_document_loader()
    assert load(PINNED + "#", {})["document"] == CONTEXT
    assert load(VC_V2, {})["document"] == bundled_contexts()[VC_V2]
    expanded = jsonld.expand({"@context": [VC_V2, PINNED], "favouriteColour": "blue"},
                             {"documentLoader": load, "safe": True})
    assert "https://contexts.example/pinned#favouriteColour" in json.dumps(expanded)


def test_an_unknown_context_is_still_an_error_naming_it(pin, no_network) -> None:
    """Pinning some contexts does not open the door to others: nothing is fetched."""
    pin({PINNED: "pinned.jsonld"}, {"pinned.jsonld": CONTEXT})
    with pytest.raises(UnknownContextError) as caught:
        shared_document_loader()("https://contexts.example/other/v1", {})
    assert "https://contexts.example/other/v1" in str(caught.value)
    assert "CREDSTACK_CONTEXTS_FILE" in str(caught.value)


def test_paths_are_relative_to_the_index_file_not_the_working_directory(
        pin, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A relative path is read beside the index file, an absolute one as it is, whatever the
    working directory; a relative CREDSTACK_CONTEXTS_FILE is taken from where it was set."""
    elsewhere = write(tmp_path / "elsewhere" / "other.jsonld",
                      {"@context": {"size": "https://contexts.example/pinned#size"}})
    index = pin({PINNED: "../operator/nested/pinned.jsonld",
                 "https://contexts.example/other/v1": str(elsewhere)},
                {"nested/pinned.jsonld": CONTEXT})
    monkeypatch.chdir(tmp_path / "elsewhere")
    load = shared_document_loader()
    assert load(PINNED, {})["document"] == CONTEXT
    assert "size" in load("https://contexts.example/other/v1", {})["document"]["@context"]
    monkeypatch.chdir(tmp_path)
    assert contexts_file("operator/index.json") == index
    assert contexts_file("  ") is None


def test_a_missing_index_file_is_a_configuration_error_naming_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """In English and Japanese, with the variable and the path."""
    missing = tmp_path / "nowhere" / "index.json"
    monkeypatch.setenv("CREDSTACK_CONTEXTS_FILE", str(missing))
    said = refusal()
    assert f"CREDSTACK_CONTEXTS_FILE ({missing}): cannot read the file" in said
    assert "ファイルを読めません" in said


@pytest.mark.parametrize(("index", "said"), [
    ("[1, 2", "the file is not JSON"),
    (["pinned.jsonld"], "must be a JSON object mapping each context URL"),
    ({PINNED: 3}, "must be a JSON object mapping each context URL"),
], ids=["not-json", "a-list", "not-a-path"])
def test_an_index_that_is_not_a_mapping_is_refused(pin, index: Any, said: str) -> None:
    pin(index, {})
    assert said in refusal()


@pytest.mark.parametrize(("content", "said_en", "said_ja"), [
    (None, "the file cannot be read", "読めません"),
    ("{\"@context\": ", "the file is not JSON", "JSON ではありません"),
    ({"id": "https://contexts.example/pinned/v1"}, "the file is not a JSON-LD context",
     "JSON-LD コンテキスト（@context を持つ JSON オブジェクト）ではありません"),
    ([CONTEXT], "the file is not a JSON-LD context", "ではありません"),
], ids=["missing", "not-json", "no-context", "an-array"])
def test_a_file_that_is_not_a_context_is_named_with_its_url(
        pin, content: Any, said_en: str, said_ja: str) -> None:
    """Each problem names the URL and the file it maps to, in English and Japanese."""
    index = pin({PINNED: "pinned.jsonld"},
                {} if content is None else {"pinned.jsonld": content})
    said = refusal()
    assert f"{PINNED} → {index.parent / 'pinned.jsonld'}: {said_en}" in said
    assert said_ja in said


def test_every_problem_is_named_at_once(pin) -> None:
    """An operator fixes the file in one go: each bad entry is listed."""
    pin({PINNED: "missing.jsonld", "https://contexts.example/other/v1": "broken.jsonld",
         "https://contexts.example/good/v1": "good.jsonld"},
        {"broken.jsonld": "nope", "good.jsonld": CONTEXT})
    said = refusal()
    assert "2 pinned context(s) cannot be used" in said
    assert f"{PINNED} →" in said and "https://contexts.example/other/v1 →" in said
    assert "good/v1" not in said


def test_a_bundled_context_pinned_identically_is_served_as_bundled(pin) -> None:
    """The same JSON (formatted otherwise) under a bundled URL is accepted; the bundled
    document is what is served."""
    same = json.dumps(bundled_contexts()[VC_V2], indent=4, sort_keys=True)
    pin({VC_V2 + "#": "credentials-v2.jsonld", PINNED: "pinned.jsonld"},
        {"credentials-v2.jsonld": same, "pinned.jsonld": CONTEXT})
    assert shared_document_loader()(VC_V2, {})["document"] == bundled_contexts()[VC_V2]


def test_a_pinned_context_never_replaces_a_different_bundled_one(pin) -> None:
    """A changed copy of a bundled context is a configuration error naming the URL and the
    file, not a silent replacement."""
    changed = bundled_contexts()[VC_V2]
    changed["@context"]["name"] = "https://attacker.example/name"
    index = pin({VC_V2: "credentials-v2.jsonld"}, {"credentials-v2.jsonld": changed})
    said = refusal()
    assert (f"{VC_V2} → {index.parent / 'credentials-v2.jsonld'}: differs from the context "
            "bundled with credstack") in said
    assert "同梱されたコンテキストと異なります" in said


def test_credstacks_own_extension_context_cannot_be_replaced(pin) -> None:
    """The extension context credstack defines is guarded like a bundled one."""
    pin({EXTENSION_CONTEXT_URL: "extension.jsonld"}, {"extension.jsonld": CONTEXT})
    assert f"{EXTENSION_CONTEXT_URL} →" in refusal()


def test_the_loader_is_cached_by_the_file_and_its_modification_time(
        pin, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same file gives the same loader; a changed file (a new modification time) is read
    again; without the setting, the bundled contexts alone."""
    index = pin({PINNED: "pinned.jsonld"}, {"pinned.jsonld": CONTEXT})
    first = shared_document_loader()
    assert shared_document_loader() is first
    other = {"@context": {"size": "https://contexts.example/pinned#size"}}
    write(index.parent / "pinned.jsonld", other)
    stat = index.stat()
    os.utime(index, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = shared_document_loader()
    assert again is not first and again(PINNED, {})["document"] == other
    monkeypatch.delenv("CREDSTACK_CONTEXTS_FILE")
    with pytest.raises(UnknownContextError):
        shared_document_loader()(PINNED, {})


def test_the_shared_reference_index_pins_cleanly(shared_ref: Path, no_network,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """``../shared/ref/contexts/index.json``, as an operator would pin it: every URL it lists
    is served, the ones credstack bundles as bundled."""
    index_path = shared_ref / "contexts" / "index.json"
    monkeypatch.setenv("CREDSTACK_CONTEXTS_FILE", str(index_path))
    load = shared_document_loader()
    index = json.loads(index_path.read_text(encoding="utf-8"))
    bundled = bundled_contexts()
    for url, file in index.items():
        reference = json.loads((index_path.parent / file).read_bytes())
        assert load(url, {})["document"] == bundled.get(url, reference), url
