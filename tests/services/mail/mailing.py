"""A store that issues credentials and sends e-mail through a test's SMTP server, on a clock
the test moves."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from credstack.adapters.keystore import new_master_key_text
from credstack.core.credentials.cohorts import Cohort, read_cohort
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.issuance import cohorts
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from tests.accounts import add_issuer, add_programme
from tests.conftest import Clock
from tests.services.issuance.test_credentials import ISSUER


def mail_settings(folder: Path, *, port: int | None, host: str = "127.0.0.1",
                  security: str = "none", ca_file: Path | None = None) -> Settings:
    """An embedded store whose e-mail goes to ``host:port`` (not configured without a port)."""
    settings = dataclasses.replace(Settings.from_env(data_dir=folder, database_url=""),
                                   secret_key=new_master_key_text(),
                                   public_url="https://credentials.example.ac.jp")
    if port is None:
        return settings
    return dataclasses.replace(settings, smtp_host=host, smtp_port=port,
                               smtp_security=security, smtp_ca_file=ca_file,
                               mail_from="noreply@credentials.example.ac.jp")


@contextmanager
def mailing_runtime(settings: Settings, clock: Clock) -> Iterator[Runtime]:
    """A runtime on ``settings`` with the test organisation, its key and its published
    programme (id 1)."""
    with open_runtime(settings=settings, clock=clock) as runtime:
        with runtime.transaction() as session:
            add_issuer(session, now=clock.now, secret=runtime.key())
            add_programme(session, now=clock.now)
        yield runtime


def cohort(*rows: str) -> Cohort:
    return read_cohort(("email,name.ja,name.en\n" + "".join(f"{r}\n" for r in rows)).encode())


HANAKO = "hanako@example.jp,山田 花子,Hanako Yamada"


def issue(runtime: Runtime, *rows: str, batch: str = "2026-spring") -> None:
    cohorts.issue_cohort(runtime, actor=ISSUER, programme_id=1, cohort=cohort(*rows),
                         batch=batch, workers=1)
