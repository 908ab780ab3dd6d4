"""Run the W3C's *VC JOSE COSE Test Suite* (github.com/w3c/vc-jose-cose-test-suite) against
credstack's command line, and print its pass and fail counts.

The suite runs each implementation as a Docker container with one command line::

    docker compose -f ./implementations/compose.yml run --rm NAME FN --input /tests/input/FILE
        --key /tests/input/KEY --feature FEATURE [--sd '["path", …]']
        --output /tests/output/N-NAME.json

(``FN`` ``issue`` or ``verify``; the output ``{"result": "success" | "failure" |
"indeterminate" | "error", "data": …}``), and lists the implementations from
``w3c/vc-test-suite-implementations`` — a ``localConfig.cjs`` in the suite's root names a local
one instead (that package's README). This script, run plainly:

1. clones the suite and vc-test-suite-implementations at the commits below into ``--work``
   (from ``$MIRRORS/<owner>+<name>/repo`` when there, else from GitHub), packs the second and
   points the suite's ``package.json`` at that tarball (its GitHub dependency), and
   ``npm install``s the suite from the npm registry; nothing fetched is changed otherwise;
2. writes a ``localConfig.cjs`` naming ``credstack`` with every feature, and puts a ``docker``
   on the suite's ``PATH`` that is this script (so the suite's own command runs credstack);
3. runs the suite's mocha tests with mocha's JSON reporter and prints the counts and each
   failure.

As that ``docker``, it answers the suite's command with credstack's CLI: ``issue`` is
``credstack sign --format vc+jwt | vc+sd-jwt | vc+cose`` with the key file's ``secretKeyJwk``
(``--kid`` its ``id``, ``--disclose`` each ``--sd`` path), ``verify`` is ``credstack verify
--offline --key`` with its ``publicKeyJwk``: exit 0 → ``success``, 1 or 2 → ``failure`` (proven
wrong, or not a credential it can read), 3 → ``indeterminate`` (could not be checked). The
suite's inputs use the W3C examples context, which credstack does not bundle:
``CREDSTACK_CONTEXTS_FILE`` (``--contexts``) pins it, as the other W3C suites' harness does.

    python scripts/vc_jose_cose_suite.py [--work DIR] [--contexts contexts.json] [--grep TEXT]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: The repositories, their commits, and the folder each is cloned into.
REPOSITORIES = (("w3c/vc-jose-cose-test-suite", "ff6be51", "vc-jose-cose-test-suite"),
                ("w3c/vc-test-suite-implementations", "a15c6cf",
                 "vc-test-suite-implementations"))
FEATURES = ("credential_jose", "credential_sdjwt", "credential_cose", "presentation_jose",
            "presentation_sdjwt", "presentation_cose")
#: The ``credstack sign --format`` of each feature's securing mechanism.
FORMATS = {"jose": "vc+jwt", "sdjwt": "vc+sd-jwt", "cose": "vc+cose"}
#: ``credstack verify``'s exit codes as the suite's results.
RESULTS = {0: "success", 1: "failure", 2: "failure", 3: "indeterminate"}
LOCAL_CONFIG = """module.exports = {
  settings: {enableInteropTests: false, testAllImplementations: false},
  implementations: [{name: 'credstack', implementation: 'credstack',
                     'jose-cose': {features: %s}}]
};
"""


def _credstack() -> list[str]:
    return [sys.executable, "-m", "credstack"]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} is needed (git, and Node.js 20 or newer with npm)")
    return found


def _run(command: list[str], *, check: bool = False, capture: bool = True,
         **options: Any) -> subprocess.CompletedProcess[str]:
    """``command`` run (its program a full path: :func:`_tool` or this interpreter)."""
    return subprocess.run(command, check=check, text=True,  # noqa: S603
                          capture_output=capture, **options)


# --- the suite's "docker" ----------------------------------------------------------------------

def adapter(suite: Path, argv: list[str]) -> int:
    """Answer ``docker compose -f … run --rm NAME FN --input … --key … --feature …
    [--sd …] --output …`` with credstack's CLI (see the module)."""
    parser = argparse.ArgumentParser(prog="docker compose run")
    parser.add_argument("fn", choices=("issue", "verify"))
    parser.add_argument("--input", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--feature", required=True, choices=FEATURES)
    parser.add_argument("--sd")
    parser.add_argument("--output", required=True)
    rest = argv[argv.index("--rm") + 2:]  # after "compose -f FILE run --rm NAME"
    asked = parser.parse_args(rest)

    def local(path: str) -> Path:
        return suite / path.removeprefix("/")

    method = json.loads(local(asked.key).read_text())
    form = FORMATS[asked.feature.partition("_")[2]]
    with tempfile.TemporaryDirectory(prefix="jose-cose-") as folder:
        if asked.fn == "issue":
            key_file = Path(folder, "key.jwk")
            key_file.write_text(json.dumps(method["secretKeyJwk"]))
            secured = Path(folder, "secured")
            disclosed = [part for path in json.loads(asked.sd or "[]")
                         for part in ("--disclose", path)]
            done = _run([*_credstack(), "sign", str(local(asked.input)), "--key",
                         str(key_file), "--kid", method["id"], "--format", form,
                         *disclosed, "--output", str(secured)])
            data = secured.read_bytes() if done.returncode == 0 else b""
            answer = {"result": "success" if done.returncode == 0 else "failure",
                      "data": base64.b64encode(data).decode() if form == "vc+cose"
                      else data.decode("ascii"), "detail": done.stderr[-2000:]}
        else:
            key_file = Path(folder, "key.jwk")
            key_file.write_text(json.dumps(method["publicKeyJwk"]))
            given: Path | None = local(asked.input)
            if form == "vc+cose" and local(asked.input).suffix == ".txt":
                # The suite hands COSE over as base64 text (unpadded); credstack reads its
                # bytes.
                text = local(asked.input).read_bytes().strip()
                try:
                    data = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
                except ValueError as error:
                    given = None
                    answer = {"result": "failure", "data": "",
                              "detail": f"not base64, as the suite gives COSE: {error}"}
                else:
                    given = Path(folder, "secured.cose")
                    given.write_bytes(data)
            if given is not None:
                done = _run([*_credstack(), "verify", str(given), "--key", str(key_file),
                             "--offline", "--json"])
                answer = {"result": RESULTS.get(done.returncode, "error"),
                          "data": done.stdout, "detail": done.stderr[-2000:]}
    output = local(asked.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(answer, ensure_ascii=False))
    return 0


# --- setting up and running ----------------------------------------------------------------------

def _source(repository: str) -> str:
    owner, _, name = repository.partition("/")
    mirror = Path(os.environ.get("MIRRORS", "/nonexistent"), f"{owner}+{name}", "repo")
    return str(mirror) if mirror.is_dir() else f"https://github.com/{repository}.git"


def set_up(work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    for repository, commit, folder in REPOSITORIES:
        target = work / folder
        if not target.is_dir():
            _run([_tool("git"), "clone", "-q", _source(repository), str(target)], check=True)
        _run([_tool("git"), "-C", str(target), "checkout", "-q", commit], check=True)
    suite = work / REPOSITORIES[0][2]
    packed = _run([_tool("npm"), "pack", "--silent", "--pack-destination", str(work)],
                  cwd=work / REPOSITORIES[1][2], check=True).stdout.strip().splitlines()[-1]
    manifest = suite / "package.json"
    package = json.loads(manifest.read_text())
    package["dependencies"]["vc-test-suite-implementations"] = f"file:{work / packed}"
    manifest.write_text(json.dumps(package, indent=2) + "\n")
    (suite / "package-lock.json").unlink(missing_ok=True)
    if not (suite / "node_modules" / "mocha").is_dir():
        _run([_tool("npm"), "install", "--no-audit", "--no-fund", "--loglevel=error"],
             cwd=suite, check=True, capture=False)
    (suite / "localConfig.cjs").write_text(
        LOCAL_CONFIG % json.dumps(dict.fromkeys(FEATURES, True)))
    bin_folder = work / "bin"
    bin_folder.mkdir(exist_ok=True)
    docker = bin_folder / "docker"
    docker.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{Path(__file__).resolve()}" '
                      f'--adapter "{suite}" "$@"\n')
    docker.chmod(0o755)
    return suite


def run(work: Path, contexts: Path | None, grep: str | None) -> int:
    suite = set_up(work)
    for stale in (suite / "tests" / "output").glob("*.json"):
        stale.unlink()
    environment = {**os.environ, "PATH": f"{work / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    if contexts is not None:
        environment["CREDSTACK_CONTEXTS_FILE"] = str(contexts.resolve())
    results = work / "results.json"
    results.unlink(missing_ok=True)
    # The runner lists implementations with Iterator.prototype.map (Node 22); Node 20 has it
    # behind V8's flag.
    major = int(_run([_tool("node"), "--version"]).stdout.strip().lstrip("v").split(".")[0])
    harmony = ["--v8-harmony-iterator-helpers"] if major < 22 else []
    with (work / "suite.log").open("w") as log:
        _run([_tool("npx"), "mocha", *harmony, "tests/", "--reporter", "json",
              "--reporter-option", f"output={results}", "--timeout", "150000",
              *(["--grep", grep] if grep else [])],
             cwd=suite, env=environment, stdout=log, stderr=subprocess.STDOUT, capture=False)
    report = json.loads(results.read_text())
    stats = report["stats"]
    print(f"VC JOSE COSE Test Suite ({REPOSITORIES[0][1]}) against credstack: "
          f"{stats['passes']} passed, {stats['failures']} failed, {stats['pending']} pending")
    for failure in report["failures"]:
        number = failure["title"].partition(".")[0]
        output = suite / "tests" / "output" / f"{number}-credstack.json"
        said = json.loads(output.read_text()) if output.is_file() else {}
        print(f"  FAILED {failure['fullTitle']}: {failure['err'].get('message', '')}"
              f" — {str(said.get('data', ''))[:300]!s} {str(said.get('detail', ''))[-300:]}")
    print(f"(the report: {results}; the suite's log: {work / 'suite.log'})")
    return 0 if stats["failures"] == 0 else 1


def main(argv: list[str]) -> int:
    if argv[:1] == ["--adapter"]:
        return adapter(Path(argv[1]), argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir(), "credstack-jose-cose-suite"))
    parser.add_argument("--contexts", type=Path, default=None,
                        help="a contexts file (CREDSTACK_CONTEXTS_FILE) holding the W3C "
                             "examples context")
    parser.add_argument("--grep", help="run only the tests whose title holds this")
    asked = parser.parse_args(argv)
    return run(asked.work, asked.contexts, asked.grep)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
