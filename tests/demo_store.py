"""A store holding what ``credstack serve --demo`` loads, for tests that walk the demo as
its people would: the programmes and skills, the demo accounts, the recognition and its
credential, the credit bank's target and deposit, the employer's saved role."""

from __future__ import annotations

from pathlib import Path

from credstack.demo.accounts import create_demo_accounts
from credstack.demo.creditbank import prepare_demo_creditbank
from credstack.demo.programmes import load_demo_programmes
from credstack.demo.recognition import prepare_demo_recognition
from credstack.demo.skills import load_demo_skills, prepare_demo_role
from credstack.entrypoints.bootstrap import open_runtime
from credstack.settings import Settings
from tests.conftest import at_own_url, keyed_sqlite


def demo_store(folder: Path) -> tuple[Settings, int]:
    """The settings of a demo store in ``folder``, loaded as ``serve --demo`` loads it, and
    the port to serve them on (the demo's credentials name it)."""
    settings, port = at_own_url(keyed_sqlite(folder, demo=True))
    with open_runtime(settings=settings) as runtime:
        load_demo_programmes(runtime, only_if_empty=True)
        load_demo_skills(runtime)
        create_demo_accounts(runtime)
        assert prepare_demo_recognition(runtime) is not None
        prepare_demo_creditbank(runtime)
        prepare_demo_role(runtime)
    return settings, port
