#!/usr/bin/env python3
"""Bootstrap and run credstack from a fresh clone with nothing but Python 3.11+.

    python3 dev.py serve   start the service with demo data on an embedded SQLite database
    python3 dev.py test    run the whole gate: ruff, mypy and the test suite

The first call creates ``.venv`` and installs the package with its development extras;
later calls reinstall only when ``pyproject.toml`` changed. Extra arguments are passed on
(``python3 dev.py test -k descriptors``, ``python3 dev.py serve --port 9000``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".credstack-installed"


def _python() -> Path:
    return BIN / ("python.exe" if os.name == "nt" else "python")


def _ensure_environment() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"credstack needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not _python().exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing credstack and its development tools into .venv …", flush=True)
    subprocess.run(
        [str(_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-e", f"{ROOT}[dev]"],
        check=True,
    )
    STAMP.write_text(wanted)


def _run(argv: list[str]) -> int:
    return subprocess.call(argv, cwd=ROOT)


def main() -> int:
    command, *rest = sys.argv[1:] or ["help"]
    if command not in {"serve", "test"}:
        print(__doc__)
        return 0 if command == "help" else 2
    _ensure_environment()
    if command == "serve":
        return _run([str(BIN / "credstack"), "serve", "--demo", *rest])
    for step in (
        [str(BIN / "ruff"), "check", "src", "tests", "bench", "dev.py"],
        [str(BIN / "mypy")],
        # Tests run on every core (pytest-xdist) unless the caller says otherwise (-n 0).
        [str(_python()), "-m", "pytest",
         *([] if any(arg.startswith(("-n", "--numprocesses")) for arg in rest)
           else ["-n", "auto"]), *rest],
    ):
        code = _run(step)
        if code != 0:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
