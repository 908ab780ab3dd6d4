"""``dev.py``, the two-command start: serving installs what serving needs, testing the rest."""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """dev.py on a copy of pyproject.toml in ``tmp_path``, with a .venv whose python exists
    and a pip that records what it is asked to install instead of installing it."""
    spec = importlib.util.spec_from_file_location("dev_under_test", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (tmp_path / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").write_text("")
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "VENV", tmp_path / ".venv")
    monkeypatch.setattr(module, "BIN", bin_dir)
    monkeypatch.setattr(module, "STAMP", tmp_path / ".venv" / ".credstack-installed")
    module.installs = []
    module.commands = []

    def pip(argv: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        module.installs.append(argv[-1])
        module.commands.append(list(argv))
        return subprocess.CompletedProcess(argv, 0)

    monkeypatch.setattr(module.subprocess, "run", pip)
    return module


def test_serving_installs_the_package_without_the_test_toolchain(dev: ModuleType) -> None:
    """`dev.py serve` installs credstack with the manual's tools alone; `dev.py test` then
    adds the dev extras once."""
    dev._ensure_environment("serve")
    assert dev.installs == [f"{dev.ROOT}[manual]"]
    dev._ensure_environment("serve")
    assert len(dev.installs) == 1, "a second serve installs nothing"
    dev._ensure_environment("test")
    assert dev.installs[-1] == f"{dev.ROOT}[dev]"
    dev._ensure_environment("test")
    dev._ensure_environment("serve")
    assert len(dev.installs) == 2, "the dev extras serve serving too"


def test_a_changed_pyproject_reinstalls(dev: ModuleType) -> None:
    """Editing pyproject.toml makes the next command install again."""
    dev._ensure_environment("test")
    with (dev.ROOT / "pyproject.toml").open("a") as file:
        file.write("\n# changed\n")
    dev._ensure_environment("serve")
    assert dev.installs == [f"{dev.ROOT}[dev]", f"{dev.ROOT}[manual]"]


@pytest.mark.parametrize(("stamp", "command", "enough"), [
    (None, "serve", False),
    ("abc", "serve", True),
    ("abc", "test", False),
    ("abc dev", "test", True),
    ("abc dev", "serve", True),
    ("old dev", "serve", False),
])
def test_the_stamp_says_what_was_installed(stamp: str | None, command: str, enough: bool
                                           ) -> None:
    """The stamp holds the pyproject's hash, and "dev" when the extras are in."""
    spec = importlib.util.spec_from_file_location("dev_stamp", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.installed_enough(stamp, wanted="abc", command=command) is enough


def test_the_gate_writes_bytecode_outside_the_tree_where_the_machine_says_write_none(
        dev: ModuleType, tmp_path: Path) -> None:
    """PYTHONDONTWRITEBYTECODE: the gate's processes write it under .pytest_cache instead
    (a prefix the machine set is kept); without it, the environment is left as it is."""
    assert dev.test_environment({"PATH": "/bin", "PYTHONDONTWRITEBYTECODE": "1"}) == {
        "PATH": "/bin", "PYTHONPYCACHEPREFIX": str(tmp_path / ".pytest_cache" / "pycache")}
    assert dev.test_environment({"PYTHONDONTWRITEBYTECODE": "1",
                                 "PYTHONPYCACHEPREFIX": "/var/cache/py"}) == {
        "PYTHONPYCACHEPREFIX": "/var/cache/py"}
    assert dev.test_environment({"PATH": "/bin"}) == {"PATH": "/bin"}


def test_the_readme_still_names_both_commands() -> None:
    """The quick start in the README is the one dev.py runs."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 dev.py serve" in readme and "python3 dev.py test" in readme


def test_the_quick_start_names_the_address_the_demos_links_name() -> None:
    """The README and the manual's start page say ``http://localhost:8000`` for the demo, the
    host its e-mails and credentials name (a browser keeps its sign-in per host)."""
    for page in (ROOT / "README.md", ROOT / "docs" / "getting-started.md"):
        quick_start = next(line for line in page.read_text(encoding="utf-8").splitlines()
                           if line.startswith("python3 dev.py serve"))
        assert quick_start.endswith("http://localhost:8000"), page


def _manual_sources(root: Path) -> Path:
    """A checkout's manual sources in ``root``: mkdocs.yml and a page; the built index's path."""
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# credstack\n")
    (root / "mkdocs.yml").write_text("site_name: credstack\n")
    return root / "site" / "index.html"


def test_serving_builds_the_manual_first_when_it_was_never_built(dev: ModuleType) -> None:
    """A fresh clone has no ``site/``: ``dev.py serve`` installs the manual's tools with the
    package and builds it (offline) before serving, so ``/manual/`` answers."""
    _manual_sources(dev.ROOT)
    dev._ensure_environment("serve")
    assert dev.installs == [f"{dev.ROOT}[manual]"]
    assert dev.manual_is_stale(dev.ROOT)
    assert dev.build_manual()
    assert dev.commands[-1] == [str(dev.BIN / "mkdocs"), "build", "--quiet"]


def test_a_built_manual_is_rebuilt_only_when_a_page_changed_since(dev: ModuleType) -> None:
    """Built after its pages: nothing to do; a page edited since: built again."""
    index = _manual_sources(dev.ROOT)
    index.parent.mkdir()
    index.write_text("<!doctype html>")
    page = dev.ROOT / "docs" / "index.md"
    os.utime(page, (1_000_000, 1_000_000))
    os.utime(dev.ROOT / "mkdocs.yml", (1_000_000, 1_000_000))
    os.utime(index, (2_000_000, 2_000_000))
    assert not dev.manual_is_stale(dev.ROOT)
    os.utime(page, (3_000_000, 3_000_000))
    assert dev.manual_is_stale(dev.ROOT)


def test_an_extraction_that_found_nothing_new_leaves_the_template_alone(dev: ModuleType) -> None:
    """``dev.py messages``: a template differing only in the date it was made is the same one
    (the file and its history stay as they were); a new key is a new template."""
    old = '"POT-Creation-Date: 2026-11-27 11:17+0000\\n"\nmsgid "nav.home"\nmsgstr ""\n'
    assert dev.same_template(old, old.replace("11:17", "12:03"))
    assert not dev.same_template(old, old + '\nmsgid "nav.more"\nmsgstr ""\n')
