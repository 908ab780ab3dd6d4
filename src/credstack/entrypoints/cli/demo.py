"""``credstack demo load``, and what ``credstack serve --demo`` prepares: the demo
organisations, programmes, accounts, recognition, credit bank and employer's role, made by
driving the services as their people would (:mod:`credstack.demo`)."""

from __future__ import annotations

from pathlib import Path

import typer

from credstack.core.access import PLATFORM
from credstack.demo.accounts import DEMO_PASSWORD, create_demo_accounts
from credstack.demo.creditbank import prepare_demo_creditbank
from credstack.demo.history import MONTHS, prepare_demo_history
from credstack.demo.programmes import load_demo_programmes
from credstack.demo.recognition import LEARNER, prepare_demo_recognition
from credstack.demo.skills import load_demo_skills, prepare_demo_role
from credstack.entrypoints.cli.console import (
    DataDir,
    acting,
    err,
    exit_on_error,
    out,
    runtime,
    t,
)
from credstack.errors import CredstackError
from credstack.settings import Settings

app = typer.Typer(help="cli.help.demo.demo_data", no_args_is_help=True)
#: The demo organisation that signs VC-API issue requests when none is configured.
DEMO_ISSUER = "hokuto-tech"


def load_demo(data_dir: Path | None, *, only_if_empty: bool,
              settings: Settings | None = None) -> int:
    """Load the demo set; say so when the demo organisations get no issuer keys."""
    with runtime(data_dir, settings=settings) as opened:
        loaded = load_demo_programmes(opened, only_if_empty=only_if_empty)
        if loaded.programmes and loaded.no_keys is None:
            load_demo_skills(opened)
    if loaded.no_keys is not None:
        reason = loaded.no_keys.message
        err.print(t("cli.demo.demo_organisations_get_no_issuer", reason=reason), soft_wrap=True)
    return loaded.programmes


def show_demo_recognition(data_dir: Path | None, settings: Settings) -> None:
    """Run the demo recognition (once) and say where to see it; the demo goes on without
    it when it cannot be prepared."""
    try:
        with runtime(data_dir, settings=settings) as opened:
            shown = prepare_demo_recognition(opened)
    except CredstackError as exc:
        err.print(t("cli.demo.demo_recognition_could_not_be", message=exc.message), markup=False,
                  soft_wrap=True)
        return
    if shown is None:
        return
    show_demo_creditbank(data_dir, settings)
    learner = (t("cli.demo.holds_credential", LEARNER=LEARNER, credential=shown.credential)
               if shown.credential else "")
    out.print(t("cli.demo.demo_recognition_decision_published_recognition",
                decision=shown.decision, learner=learner),
              markup=False, soft_wrap=True)


def show_demo_creditbank(data_dir: Path | None, settings: Settings) -> None:
    """Publish the demo credit-bank target and the learner's deposit (once); the demo goes
    on without them when they cannot be prepared."""
    try:
        with runtime(data_dir, settings=settings) as opened:
            made = prepare_demo_creditbank(opened)
    except CredstackError as exc:
        err.print(t("cli.demo.demo_credit_bank_could_not", message=exc.message), markup=False,
                  soft_wrap=True)
        return
    out.print(t("cli.demo.demo_credit_bank_target_published", target=made.target),
              markup=False, soft_wrap=True)
    try:
        with runtime(data_dir, settings=settings) as opened:
            role = prepare_demo_role(opened)
    except CredstackError as exc:
        err.print(t("cli.demo.demo_employer_role_could_not", message=exc.message), markup=False,
                  soft_wrap=True)
        return
    out.print(t("cli.demo.demo_employer_role_saved_employers", id=role.id),
              markup=False, soft_wrap=True)



def show_demo_history(data_dir: Path | None, settings: Settings) -> None:
    """Live the demo's past months (once), so that its figures have months to show; the
    demo goes on without them when they cannot be made."""
    try:
        with runtime(data_dir, settings=settings) as opened:
            made = prepare_demo_history(opened)
    except CredstackError as exc:
        err.print(t("cli.demo.demo_history_could_not_be", message=exc.message), markup=False,
                  soft_wrap=True)
        return
    if made.issued:
        out.print(t("cli.demo.demo_history_credentials_issued_over", issued=made.issued,
                    MONTHS=MONTHS, claimed=made.claimed, verified=made.verified),
                  markup=False, soft_wrap=True)


def show_demo_accounts(data_dir: Path | None, *, settings: Settings | None = None) -> None:
    """Create the demo accounts that are missing and print them (``serve --demo``)."""
    with acting(data_dir, settings=settings) as opened:
        ready = create_demo_accounts(opened)
    if not ready:
        return
    out.print(t("cli.demo.demo_accounts_password_sign_at", DEMO_PASSWORD=DEMO_PASSWORD),
              markup=False, soft_wrap=True)
    for account in ready:
        where = account.organisation or PLATFORM
        out.print(f"  {account.email:<30} {account.role.value} @ {where}", markup=False,
                  soft_wrap=True)


@app.command("load", help="cli.help.demo.load_the_demo_organisations")
def demo_load(data_dir: DataDir = None) -> None:
    with exit_on_error():
        count = load_demo(data_dir, only_if_empty=False)
    out.print(t("cli.demo.demo_data_loaded_programmes", count=count))
