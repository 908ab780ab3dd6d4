"""A store holding what ``credstack serve --demo`` loads, for tests that walk the demo as
its people would: the programmes and skills, the demo accounts, the recognition and its
credential, the credit bank's target and deposit, the employer's saved role — and, for the
tests that read figures, the months of history before today."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.demo.accounts import create_demo_accounts
from credstack.demo.creditbank import prepare_demo_creditbank
from credstack.demo.history import prepare_demo_history
from credstack.demo.programmes import load_demo_programmes
from credstack.demo.recognition import prepare_demo_recognition
from credstack.demo.skills import load_demo_skills, prepare_demo_role
from credstack.entrypoints.bootstrap import open_runtime
from credstack.settings import Settings
from tests import patiently
from tests.conftest import TEST_PASSWORD_MEMORY_KIB, at_own_url, free_port, keyed_sqlite
from tests.helpers import IDLE_PATIENCE, Idle


def with_own_url(settings: Settings) -> tuple[Settings, int]:
    """``settings`` as a demo server's, with a master key of its own and a free port's URL
    (the demo's credentials name it); and that port."""
    return at_own_url(dataclasses.replace(
        settings, secret_key=settings.secret_key or new_master_key_text()), demo=True)


def load_demo(settings: Settings, *, history: bool = False) -> None:
    """Load the demo into the store of ``settings`` as ``serve --demo`` does; ``history``:
    with its past months too."""
    with open_runtime(settings=settings) as runtime:
        load_demo_programmes(runtime, only_if_empty=True)
        load_demo_skills(runtime)
        create_demo_accounts(runtime)
        assert prepare_demo_recognition(runtime) is not None
        prepare_demo_creditbank(runtime)
        prepare_demo_role(runtime)
        if history:
            prepare_demo_history(runtime)


def demo_store(folder: Path, *, history: bool = False) -> tuple[Settings, int]:
    """The settings of a demo store in ``folder``, loaded as ``serve --demo`` loads it, and
    the port to serve them on (the demo's credentials name it)."""
    settings, port = at_own_url(keyed_sqlite(folder, demo=True))
    load_demo(settings, history=history)
    return settings, port


@contextmanager
def demo_process(folder: Path, **environment: str) -> Iterator[tuple[str, Path]]:
    """``credstack serve --demo`` as a user starts it, on a scratch SQLite store in
    ``folder`` and a free port, with ``CREDSTACK_*`` of this process left out but the
    tests' password hashing (:data:`tests.conftest.TEST_PASSWORD_MEMORY_KIB`: the demo's
    accounts and every sign-in hashed at 19 MiB cost 45 ms of CPU each), and ``environment``
    added; its URL once it answers, and the file its output goes to."""
    port = free_port()
    made = {name: value for name, value in os.environ.items()
            if not name.startswith("CREDSTACK_")}
    made |= {"CREDSTACK_DATA_DIR": str(folder / "data"), "CREDSTACK_DATABASE_URL": "",
             "CREDSTACK_PASSWORD_MEMORY_KIB": str(TEST_PASSWORD_MEMORY_KIB), **environment}
    log = folder / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("credstack")), "serve", "--demo",
             "--port", str(port)],
            env=made, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}"
    try:
        # Starting takes 15 s of CPU (importing the app, migrating, loading the demo): at
        # load 21 it did not answer within 3 minutes. The test waits as long as the process
        # lives and works, and fails when it ends, or stops working, without answering.
        idle = Idle(process.pid)
        while True:
            if process.poll() is not None:
                pytest.fail(f"credstack serve --demo exited:\n{log.read_text()}")
            try:
                if patiently.get(f"{url}/api/profiles",
                                 timeout=patiently.STARTING).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if idle.seconds() > IDLE_PATIENCE:
                pytest.fail(f"credstack serve --demo stopped working without answering "
                            f"(no CPU for {IDLE_PATIENCE:.0f} s):\n{log.read_text()}")
            time.sleep(0.3)
        yield url, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
