"""The functional core stays pure: no web, database, network, terminal or clock.

Every module under ``src/credstack/core/`` is read with :mod:`ast` (not imported), so the rule
holds for code paths no test happens to run. Adapters do the I/O and pass the time in.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "src" / "credstack" / "core"

#: What only adapters may import: frameworks, databases, the network, terminals, templates.
FORBIDDEN_IMPORTS = (
    "fastapi", "starlette", "sqlalchemy", "alembic", "psycopg", "psycopg2", "httpx", "requests",
    "urllib.request", "socket", "uvicorn", "typer", "rich", "jinja2", "credstack.adapters",
)
#: Reading the clock: the time is a parameter of the core, never looked up by it.
CLOCK = (
    "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today",
    "datetime.date.today", "time.time", "time.time_ns",
)


def _module_name(path: Path) -> str:
    relative = path.relative_to(CORE.parent.parent).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def _absolute(module: str | None, level: int, importer: str, is_package: bool) -> str:
    """The absolute name of ``from <level dots><module> import …`` inside ``importer``."""
    if level == 0:
        return module or ""
    package = importer.split(".")
    base = package if is_package else package[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _within(name: str, roots: tuple[str, ...]) -> str | None:
    return next((root for root in roots if name == root or name.startswith(f"{root}.")), None)


def _dotted(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """``dt.datetime.now`` → ``datetime.datetime.now`` when ``dt`` is an imported name."""
    attributes: list[str] = []
    while isinstance(node, ast.Attribute):
        attributes.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in aliases:
        return None
    return ".".join([aliases[node.id], *reversed(attributes)])


def violations(source: str, module: str = "credstack.core.example",
               is_package: bool = False) -> list[str]:
    """Every forbidden import and clock reading in one module's source."""
    tree = ast.parse(source)
    found: list[str] = []
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            for alias in node.names:
                names.append(alias.name)
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    aliases[root] = root
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module, node.level, module, is_package)
            names.append(base)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                names.append(full)
                aliases[alias.asname or alias.name] = full
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and _dotted(node.func, {"importlib": "importlib", "__import__": "__import__"})
              in {"importlib.import_module", "__import__"}):
            names.append(node.args[0].value)
        for name in names:
            root = _within(name, FORBIDDEN_IMPORTS)
            if root and f"import {root}" not in found:
                found.append(f"import {root}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Name):
            name = _dotted(node, aliases)
            if name in CLOCK and f"clock {name}" not in found:
                found.append(f"clock {name}")
    return found


def _core_modules() -> Iterator[Path]:
    yield from sorted(CORE.rglob("*.py"))


def test_the_core_is_where_the_test_looks() -> None:
    """The walk finds the core's modules, so the rules below are not vacuous."""
    names = {_module_name(path) for path in _core_modules()}
    assert {"credstack.core", "credstack.core.descriptors.models",
            "credstack.core.descriptors.validation"} <= names


@pytest.mark.parametrize("path", list(_core_modules()), ids=_module_name)
def test_core_modules_import_no_adapter_concern_and_read_no_clock(path: Path) -> None:
    """No framework, database, network, terminal or template import; no clock reading."""
    source = path.read_text(encoding="utf-8")
    assert violations(source, _module_name(path), path.name == "__init__.py") == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import fastapi", ["import fastapi"]),
        ("from sqlalchemy.orm import Session", ["import sqlalchemy"]),
        ("import psycopg as pg", ["import psycopg"]),
        ("from urllib.request import urlopen", ["import urllib.request"]),
        ("from urllib import request", ["import urllib.request"]),
        ("import urllib.parse", []),
        ("import socketserver", []),
        ("from credstack.adapters.web import app", ["import credstack.adapters"]),
        ("from credstack import adapters", ["import credstack.adapters"]),
        ("from ...adapters import cli", ["import credstack.adapters"]),
        ("from . import models", []),
        ("import importlib\nimportlib.import_module('httpx')", ["import httpx"]),
        ("__import__('rich.console')", ["import rich"]),
        ("import datetime\ndatetime.datetime.now()", ["clock datetime.datetime.now"]),
        ("import datetime as dt\nx = dt.date.today()", ["clock datetime.date.today"]),
        ("from datetime import datetime\ndatetime.now(tz=None)", ["clock datetime.datetime.now"]),
        ("from datetime import date as D\nD.today()", ["clock datetime.date.today"]),
        ("from datetime import datetime as DT\nf(default=DT.utcnow)",
         ["clock datetime.datetime.utcnow"]),
        ("import time\ntime.time()", ["clock time.time"]),
        ("from time import time\nstamp = time()", ["clock time.time"]),
        ("import datetime as dt\ndef f(now: dt.datetime) -> dt.date:\n    return now.date()", []),
        ("today = 1\nx.today()\nnow = y.now", []),
    ],
)
def test_the_checker_finds_what_it_should(source: str, expected: list[str]) -> None:
    """The rule catches imports and clock readings in every spelling, and nothing innocent."""
    assert violations(source, "credstack.core.descriptors.example") == expected
