"""Files bundled with credstack and pinned by a manifest: the JSON-LD contexts and the JSON
Schemas (``resolvers/contexts``, ``resolvers/schemas``), read once and checked by SHA-256."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from functools import cached_property
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from credstack.errors import ConfigurationError

__all__ = ["FileCheck", "PinnedBundle", "check_bundle", "copy_json", "pinned_documents"]


def copy_json(value: Any) -> Any:
    """A fresh copy of a JSON value (faster than :func:`copy.deepcopy` for plain JSON)."""
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    return value


def pinned_documents(manifest: Mapping[str, Mapping[str, Any]], read: Callable[[str], bytes],
                     *, kind: str) -> dict[str, Any]:
    """URL → parsed document for every manifest entry (``{"file", "sha256"}``), after
    checking each file read by ``read`` against its pinned digest. ``kind`` names the files
    in the error ("JSON-LD context", "JSON Schema")."""
    documents: dict[str, Any] = {}
    for url, entry in manifest.items():
        data = read(entry["file"])
        digest = hashlib.sha256(data).hexdigest()
        if digest != entry["sha256"]:
            # A modified installation, not bad input: nothing a caller can correct.
            raise ConfigurationError(
                f"the bundled {kind} {entry['file']} for {url} has SHA-256 {digest}, "
                f"but the manifest pins {entry['sha256']}; the credstack installation is damaged"
            )
        documents[url] = json.loads(data)
    return documents


#: A further check of one bundled file: (URL, manifest entry, bytes, SHA-256) → problems.
FileCheck = Callable[[str, Mapping[str, Any], bytes, str], list[str]]


def check_bundle(manifest: Mapping[str, Mapping[str, Any]], read: Callable[[str], bytes],
                 files: Traversable, *, kind: str, also: FileCheck | None = None) -> None:
    """Re-hash every bundled file against the manifest (and ``also``), and find the files
    shipped in ``files`` that the manifest does not list.

    Raises :class:`~credstack.errors.ConfigurationError` naming each file that differs: a
    bundle that does not match its manifest is a damaged installation, not an input error.
    """
    problems: list[str] = []
    for url, entry in manifest.items():
        data = read(entry["file"])
        digest = hashlib.sha256(data).hexdigest()
        if digest != entry["sha256"]:
            problems.append(
                f"{entry['file']} ({url}): SHA-256 {digest}, manifest {entry['sha256']}"
            )
        if also is not None:
            problems.extend(also(url, entry, data, digest))
    listed = {entry["file"] for entry in manifest.values()}
    shipped = {f"files/{item.name}" for item in files.iterdir()}
    problems.extend(f"{name}: not in the manifest" for name in sorted(shipped - listed))
    if problems:
        raise ConfigurationError(f"the bundled {kind}s do not match their manifest:\n"
                                 + "\n".join(f"  - {problem}" for problem in problems))


class PinnedBundle:
    """The files a package ships in ``files/``, pinned by the ``section`` of its
    ``manifest.json``: read and checked on first use, then kept (they never change while the
    process runs). ``kind`` names the files in errors."""

    def __init__(self, package: str, *, section: str, kind: str) -> None:
        self._files = resources.files(package)
        self._section = section
        self.kind = kind

    def read(self, name: str) -> bytes:
        """A file of the package by its path in the manifest."""
        return self._files.joinpath(name).read_bytes()

    @cached_property
    def manifest(self) -> Mapping[str, Mapping[str, Any]]:
        """URL → ``{"file", "sha256", …}``."""
        entries: dict[str, Mapping[str, Any]] = json.loads(self.read("manifest.json"))[
            self._section]
        return entries

    @cached_property
    def documents(self) -> Mapping[str, dict[str, Any]]:
        """URL → parsed document, each file checked against its pinned digest (read-only:
        hand out :meth:`copies` or :func:`copy_json` of one)."""
        return pinned_documents(self.manifest, self.read, kind=self.kind)

    def copies(self) -> dict[str, dict[str, Any]]:
        """Every document by URL, as fresh copies."""
        return {url: copy_json(document) for url, document in self.documents.items()}

    def check(self, also: FileCheck | None = None) -> None:
        """:func:`check_bundle` on this package's files (see there)."""
        check_bundle(self.manifest, self.read, self._files.joinpath("files"), kind=self.kind,
                     also=also)
