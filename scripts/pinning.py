"""What the refresh scripts share: fetching pinned registry artefacts, refusing any whose digest
is not the pinned one, and writing a bundle only once every check has passed.

Imported by ``refresh_contexts.py`` and ``refresh_schemas.py`` (``scripts/`` is the running
script's folder, so first on ``sys.path``); not part of the credstack package.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

Collected = TypeVar("Collected")

ROOT = Path(__file__).resolve().parents[1]
#: Where the bundles live, each in its own folder.
RESOLVERS = ROOT / "src" / "credstack" / "adapters" / "resolvers"


class RefreshError(Exception):
    """A check failed; nothing has been written."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run(command: list[str], cwd: Path) -> str:
    """The command's output; a RefreshError with its messages if it fails."""
    # Fixed programs (npm, node, this interpreter's pip) with arguments built from the pins.
    completed = subprocess.run(  # noqa: S603
        command, cwd=cwd, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise RefreshError(f"{' '.join(command[:4])} … failed:\n{completed.stderr.strip()}")
    return completed.stdout


def check_pin(name: str, data: bytes, pin: str) -> None:
    """Refuse the artefact ``name`` unless ``data`` has the pinned digest: either npm's
    ``integrity`` notation (``sha512-<base64>``, as PyPI's digests are written here too) or a
    SHA-256 in hex, as PyPI lists it."""
    algorithm, _, expected = pin.partition("-")
    if expected:
        actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    else:
        algorithm, expected, actual = "SHA-256", pin, sha256_hex(data)
    if actual != expected:
        raise RefreshError(f"{name}: {algorithm} is {actual}, the pinned digest is {expected}")


def write_bundle(bundle: Path, *, files: Mapping[str, bytes], licences: Mapping[str, bytes],
                 readme: str, manifest: Mapping[str, Any]) -> None:
    """Replace the bundle's ``files/`` and ``LICENSES/`` (``licences`` by package slug, with
    ``readme`` beside them), write its ``manifest.json`` and say so."""
    for folder in (bundle / "files", bundle / "LICENSES"):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    for name, data in files.items():
        (bundle / "files" / name).write_bytes(data)
    for slug, text in licences.items():
        (bundle / "LICENSES" / f"{slug}.txt").write_bytes(text)
    (bundle / "LICENSES" / "README.md").write_text(readme, encoding="utf-8")
    (bundle / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(files)} {bundle.name} to {bundle.relative_to(ROOT)}")


def refresh(argv: list[str] | None, *, script: str, description: str,
            collect: Callable[[Path], Collected], show: Callable[[Collected], None],
            write: Callable[[Collected], None]) -> int:
    """A refresh script's command line: ``collect`` (fetch and check everything, in a scratch
    folder), ``show`` what was found, then ``write`` it unless ``--check`` was given."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true",
                        help="run every check but write nothing")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix=f"credstack-{script}-") as scratch:
        try:
            collected = collect(Path(scratch))
        except RefreshError as error:
            print(f"refresh_{script}: {error}", file=sys.stderr)
            return 1
    show(collected)
    if not arguments.check:
        write(collected)
    return 0
