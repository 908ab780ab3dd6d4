#!/usr/bin/env python3
"""Bootstrap and run credstack from a fresh clone with nothing but Python 3.11+.

    python3 dev.py serve   start the service with demo data on an embedded SQLite database,
                           with its manual at /manual/ (built from docs/ when it changed)
    python3 dev.py test    run the whole gate: ruff, mypy, the layer contracts, the manual and
                           the test suite
    python3 dev.py messages  after a change of the pages' words: extract the message keys into
                           the template, update the catalogues from it (Japanese and English
                           every key, the other languages the public pages' keys) and
                           compile them (``pybabel``, CONTRIBUTING.md: "People-facing words")

The first call creates ``.venv`` and installs what the command needs: ``serve`` the package
and the manual's tools (MkDocs), ``test`` the package with its development extras (ruff,
mypy, pytest, Playwright…, MkDocs too).
Later calls reinstall only when ``pyproject.toml`` changed or the command needs more than
was installed. Extra arguments are passed on
(``python3 dev.py test -k descriptors``, ``python3 dev.py serve --port 9000``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
LOCALE = ROOT / "src" / "credstack" / "entrypoints" / "web" / "locale"
#: The e-mails' catalogues (domain ``mail``): written by hand, key by key, in every language.
MAIL_LOCALE = ROOT / "src" / "credstack" / "adapters" / "mail" / "locale"
CLI_LOCALE = ROOT / "src" / "credstack" / "entrypoints" / "cli" / "locale"
HEADER = """\
# The words of credstack's pages, keyed: a msgid is a message key
# (nav.programmes), a msgstr its words, {placeholders} kept as they are.
# Made by `python3 dev.py messages` from the templates, the pages and
# keys.txt: do not edit. Distributed under credstack's license."""
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".credstack-installed"


def _python() -> Path:
    return BIN / ("python.exe" if os.name == "nt" else "python")


def requirement(command: str) -> str:
    """What ``pip install -e`` installs for ``command``: serving needs the package and the
    tools that build its manual; the gate needs its development extras too."""
    return f"{ROOT}[dev]" if command == "test" else f"{ROOT}[manual]"


def manual_is_stale(root: Path) -> bool:
    """Whether the manual in ``root/site`` was never built, or a page of ``docs/`` or
    ``mkdocs.yml`` changed since it was."""
    index = root / "site" / "index.html"
    if not index.is_file():
        return True
    built = index.stat().st_mtime
    sources = [root / "mkdocs.yml", *(path for path in (root / "docs").rglob("*")
                                      if path.is_file())]
    return any(path.stat().st_mtime > built for path in sources if path.exists())


def build_manual() -> bool:
    """Build the manual into ``site/`` (``credstack serve`` serves it at ``/manual/``); all it
    needs is in the checkout and ``.venv``, nothing is fetched. Whether it was built: a
    serving user still gets the service when the manual fails to build."""
    print("Building the manual (docs/ → site/) …", flush=True)
    done = subprocess.run([str(BIN / "mkdocs"), "build", "--quiet"], cwd=ROOT, check=False)
    if done.returncode != 0:
        print("The manual could not be built; the service starts without /manual/.",
              flush=True)
    return done.returncode == 0


def installed_enough(stamp: str | None, *, wanted: str, command: str) -> bool:
    """Whether the ``.venv`` stamped ``stamp`` (``<pyproject hash>`` and, after a space, the
    extras installed) serves ``command`` for the pyproject whose hash is ``wanted``: the same
    pyproject, and the development extras when testing (they also serve serving)."""
    if stamp is None:
        return False
    digest, _, extras = stamp.strip().partition(" ")
    if digest != wanted:
        return False
    return command != "test" or extras == "dev"


def _ensure_environment(command: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"credstack needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = STAMP.read_text() if STAMP.exists() else None
    if installed_enough(stamp, wanted=wanted, command=command):
        return
    if not _python().exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing credstack and its development tools into .venv …" if command == "test"
          else "Installing credstack into .venv …", flush=True)
    subprocess.run(
        [str(_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-e", requirement(command)],
        check=True,
    )
    STAMP.write_text(f"{wanted} dev" if command == "test" else wanted)


def test_environment(environ: dict[str, str]) -> dict[str, str]:
    """The environment the gate runs in: ``environ``, but where it says to write no bytecode
    (``PYTHONDONTWRITEBYTECODE``, set on some machines to keep source trees clean), bytecode
    is written outside the tree instead, under ``.pytest_cache/pycache``. The suite starts
    hundreds of credstack processes (the command, servers, workers), each importing some 800
    of its modules: compiled from source every time, a process takes 6 s to start rather
    than 4.5."""
    if "PYTHONDONTWRITEBYTECODE" not in environ:
        return dict(environ)
    kept = {name: value for name, value in environ.items()
            if name != "PYTHONDONTWRITEBYTECODE"}
    return {"PYTHONPYCACHEPREFIX": str(ROOT / ".pytest_cache" / "pycache")} | kept


def _run(argv: list[str], environ: dict[str, str] | None = None) -> int:
    return subprocess.call(argv, cwd=ROOT, env=environ)


def same_template(old: str, new: str) -> bool:
    """Whether two message templates differ in no more than the date they were made (so an
    extraction that found nothing new leaves the file, and its history, alone)."""
    def kept(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith('"POT-Creation-Date:')]
    return kept(old) == kept(new)


def public_template(template: str) -> str:
    """The message template without the staff pages' keys: what the catalogues of the
    languages offered on public pages alone hold (``i18n/scope.py`` says which keys those
    are; it is read on its own, needing nothing but the standard library)."""
    spec = importlib.util.spec_from_file_location(
        "credstack_scope", LOCALE.parent / "i18n" / "scope.py")
    assert spec is not None and spec.loader is not None
    scope = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scope)
    entries = template.rstrip("\n").split("\n\n")
    def kept(entry: str) -> bool:
        key = next((line[len('msgid "'):-1] for line in entry.splitlines()
                    if line.startswith('msgid "')), "")
        return not key or bool(scope.is_public(key))
    return "\n\n".join(entry for entry in entries if kept(entry)) + "\n"


def messages() -> int:
    """Extract the pages' message keys (``babel.cfg``) into ``messages.pot``, update the
    catalogues from it and compile them into the ``.mo`` files the pages read; compile the
    e-mails' catalogues (``adapters/mail/locale``, domain ``mail``) and the command's
    (``entrypoints/cli/locale``, domain ``cli``) too. The checkout's
    own extractors are used (``src`` first on the path), whatever ``.venv`` was installed from."""
    environ = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])))
    pybabel = str(BIN / "pybabel")
    template = LOCALE / "messages.pot"
    extracted = LOCALE / "messages.pot.new"
    code = _run([pybabel, "--quiet", "extract", "--mapping-file", "babel.cfg",
                 "--output-file", str(extracted), "--no-location", "--sort-output",
                 "--project", "credstack", "--version", "0.1",
                 "--copyright-holder", "credstack contributors",
                 "--header-comment", HEADER,
                 str(LOCALE.parent)], environ)
    if code != 0:
        extracted.unlink(missing_ok=True)
        return code
    new = extracted.read_text(encoding="utf-8")
    if template.exists() and same_template(template.read_text(encoding="utf-8"), new):
        extracted.unlink()
    else:
        extracted.replace(template)
    # Japanese and English hold every key; the languages offered on public pages alone, the
    # public keys (a staff page's key is not added to them as an empty entry).
    public = LOCALE / "messages-public.pot.new"
    public.write_text(public_template(template.read_text(encoding="utf-8")), encoding="utf-8")
    try:
        for folder in sorted(path.parent.parent.name
                             for path in LOCALE.glob("*/LC_MESSAGES/messages.po")):
            source = template if folder in {"ja", "en"} else public
            # A key is a name, not words: a new key is never guessed from a similar old one,
            # and a key no longer used leaves the catalogue rather than staying as obsolete.
            code = _run([pybabel, "--quiet", "update", "--input-file", str(source),
                         "--output-dir", str(LOCALE), "--domain", "messages",
                         "--locale", folder, "--no-fuzzy-matching", "--ignore-obsolete",
                         "--ignore-pot-creation-date"], environ)
            if code != 0:
                return code
    finally:
        public.unlink()
    code = _run([pybabel, "compile", "--directory", str(LOCALE), "--domain", "messages",
                 "--statistics"], environ)
    if code != 0:
        return code
    code = _run([pybabel, "compile", "--directory", str(MAIL_LOCALE), "--domain", "mail",
                 "--statistics"], environ)
    if code != 0:
        return code
    return _run([pybabel, "compile", "--directory", str(CLI_LOCALE), "--domain", "cli",
                 "--statistics"], environ)


def main() -> int:
    command, *rest = sys.argv[1:] or ["help"]
    if command not in {"serve", "test", "messages"}:
        print(__doc__)
        return 0 if command == "help" else 2
    _ensure_environment(command)
    # Material for MkDocs prints a notice about MkDocs 2 on every build; the gate's output is
    # for what failed.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if command == "messages":
        return messages()
    if command == "serve":
        if manual_is_stale(ROOT):
            build_manual()
        return _run([str(BIN / "credstack"), "serve", "--demo", *rest])
    environ = test_environment(dict(os.environ))
    for step in (
        [str(BIN / "ruff"), "check", "src", "tests", "bench", "dev.py", "docs/hooks"],
        [str(BIN / "mypy")],
        # The layer contracts of pyproject.toml (entrypoints → services → adapters → core).
        [str(BIN / "lint-imports"), "--no-cache"],
        # The manual: a broken link or a page left out of the navigation fails.
        [str(BIN / "mkdocs"), "build", "--strict", "--quiet"],
        # Tests run on one worker more than the cores (pytest-xdist) unless the caller says
        # otherwise (-n 0): a test spends about half its time waiting on the servers, browsers
        # and databases it starts (a quiet clean run on 2 cores used 51 % of them), and ten
        # of the longest modules took 328 s on 2 workers, 286 s on 3, for the same CPU. A
        # module's tests run on one worker, in the order they are written: they share its
        # servers and browser (started once, not once per worker), and journeys feed the
        # tests after them.
        [str(_python()), "-m", "pytest",
         *([] if any(arg.startswith(("-n", "--numprocesses")) for arg in rest)
           else ["-n", str((os.cpu_count() or 1) + 1)]),
         *([] if any(arg.startswith("--dist") for arg in rest) else ["--dist", "loadfile"]),
         *rest],
    ):
        code = _run(step, environ)
        if code != 0:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
