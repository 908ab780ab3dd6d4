"""A store holding what ``credstack serve --demo`` loads, for tests that walk the demo as
its people would: the programmes and skills, the demo accounts, the recognition and its
credential, the credit bank's target and deposit, the employer's saved role — and, for the
tests that read figures, the months of history before today."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from credstack.adapters.keystore import new_master_key_text
from credstack.demo.accounts import create_demo_accounts
from credstack.demo.creditbank import prepare_demo_creditbank
from credstack.demo.history import prepare_demo_history
from credstack.demo.programmes import load_demo_programmes
from credstack.demo.recognition import prepare_demo_recognition
from credstack.demo.skills import load_demo_skills, prepare_demo_role
from credstack.entrypoints.bootstrap import open_runtime
from credstack.settings import Settings
from tests.conftest import at_own_url, keyed_sqlite


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
