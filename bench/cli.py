#!/usr/bin/env python3
"""Benchmark: what a ``credstack`` command costs to start, beside Python's own start.

    .venv/bin/python bench/cli.py [--runs 10] [--source SRC …] [--json]

Issue 52 ("A lazy CLI"): ``credstack --help`` ≤ 0.3 s of CPU and ≤ 60 MiB, and
``credstack verify`` of an Open Badges 3.0 ``eddsa-rdfc-2022`` credential ≤ 1.0 s of CPU end
to end. Each command runs ``--runs`` times, each in a fresh process, and the median of its CPU
time (user + system, of the process and anything it started) and of its peak resident memory
is printed, beside two yardsticks: ``python -c pass`` (the interpreter alone) and
``python -c "import typer, rich"`` (the libraries the command line is written with).

CPU time, not elapsed time: on a machine shared with other work it is what a core of one's
own would take. Each command runs once more first, uncounted, so that Python has compiled
the modules' bytecode (into a temporary ``PYTHONPYCACHEPREFIX``, even where
``PYTHONDONTWRITEBYTECODE`` is set): a cold run is a new process, not a first install.

The credential is the tests' signed one (:func:`tests.signed_credentials.signed`: a did:key
issuer, nothing fetched), verified with ``--offline`` in an empty folder (no store), as a
script checking a file it was sent would. ``--source`` (repeatable) names the ``src`` folder
of another checkout to measure beside this one — ``--source /path/to/old/src`` gives the
before and after of a change in one table. The script reports; it does not judge.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.signed_credentials import signed  # noqa: E402

#: The console script beside this interpreter (as installed by ``pip install -e .``).
CREDSTACK = str(Path(sys.executable).with_name("credstack"))
#: GNU time, which measures each command's peak memory.
TIME = "/usr/bin/time"


@dataclass(frozen=True)
class Figure:
    """One command's median cost over its runs, with one source tree on the path."""

    command: str
    source: str
    cpu_seconds: float
    rss_mib: float
    runs: int
    target: str


def run_once(argv: list[str], environment: dict[str, str], folder: Path
             ) -> tuple[float, float]:
    """CPU seconds and peak RSS (MiB) of one fresh process running ``argv``.

    The peak RSS is what GNU time (``/usr/bin/time``, which starts the command itself)
    reports: the kernel's figure for a process this one starts would count this process's
    own pages, which the child holds until it runs the command (``python -c pass`` would
    read as large as this script)."""
    report = folder / "time.txt"
    quiet = [(os.POSIX_SPAWN_OPEN, stream, os.devnull, os.O_WRONLY, 0) for stream in (1, 2)]
    timed = [TIME, "-f", "%M", "-o", str(report), *argv]
    pid = os.posix_spawn(TIME, timed, environment, file_actions=quiet)
    _, status, usage = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} exited with {code}")
    # GNU time's %M is in KiB; the CPU time is the command's and time's own (a millisecond).
    return (usage.ru_utime + usage.ru_stime,
            int(report.read_text(encoding="utf-8").split()[-1]) / 1024)


def measure(argv: list[str], *, runs: int, source: Path, folder: Path, cache: Path
            ) -> tuple[float, float]:
    """The median CPU seconds and peak RSS of ``runs`` cold runs of ``argv``."""
    environment = {key: value for key, value in os.environ.items()
                   if key != "PYTHONDONTWRITEBYTECODE" and not key.startswith("CREDSTACK_")}
    environment |= {"PYTHONPATH": str(source), "PYTHONPYCACHEPREFIX": str(cache),
                    "CREDSTACK_DATA_DIR": str(folder / "no-store"), "COLUMNS": "100"}
    run_once(argv, environment, folder)
    samples = [run_once(argv, environment, folder) for _ in range(runs)]
    return (statistics.median(cpu for cpu, _ in samples),
            statistics.median(rss for _, rss in samples))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="Cold runs per command.")
    parser.add_argument("--source", action="append", type=Path, default=[],
                        help="Another checkout's src folder, measured beside this one's.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    arguments = parser.parse_args()
    sources = [ROOT / "src", *(path.resolve() for path in arguments.source)]
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="credstack-bench-cli-") as scratch:
        folder = Path(scratch)
        # The commands run here: an empty folder, no store in it.
        os.chdir(folder)
        credential = folder / "credential.json"
        credential.write_text(json.dumps(signed()), encoding="utf-8")
        commands = [
            ("python -c pass", [sys.executable, "-c", "pass"], ""),
            ('python -c "import typer, rich"', [sys.executable, "-c", "import typer, rich"],
             ""),
            ("credstack --help", [CREDSTACK, "--help"], "≤ 0.3 s, ≤ 60 MiB"),
            ("credstack verify (OB 3.0, eddsa-rdfc-2022)",
             [CREDSTACK, "verify", "--offline", str(credential)], "≤ 1.0 s"),
        ]
        for number, source in enumerate(sources):
            cache = folder / f"pycache-{number}"
            for name, argv, target in commands:
                if number and argv[0] != CREDSTACK:
                    continue  # the yardsticks do not depend on the source tree
                cpu, rss = measure(argv, runs=arguments.runs, source=source, folder=folder,
                                   cache=cache)
                figures.append(Figure(name, str(source), cpu, rss, arguments.runs, target))
        os.chdir(ROOT)
    if arguments.json:
        print(json.dumps([asdict(figure) for figure in figures], indent=2))
        return
    load = f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "unknown"
    table = Table(title=f"credstack start-up — median of {arguments.runs} cold runs "
                        f"(Python {platform.python_version()}, {platform.machine()}, "
                        f"{os.cpu_count()} CPUs, load {load})")
    for heading in ("command", "source", "CPU s", "RSS MiB", "target"):
        table.add_column(heading, justify="right" if heading in {"CPU s", "RSS MiB"} else "left")
    for figure in figures:
        shown = "" if figure.command.startswith("python") else figure.source
        table.add_row(figure.command, shown, f"{figure.cpu_seconds:.3f}", f"{figure.rss_mib:.1f}",
                      figure.target)
    Console().print(table)


if __name__ == "__main__":
    main()
