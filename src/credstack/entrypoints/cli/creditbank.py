"""``credstack creditbank …``: the credit bank's targets from the operator's console.

``check`` reads a pathway file (YAML or JSON) as the credit bank would and prints what it
describes, or every fault placed as ``file:line:column /pointer`` (exit 2) — nothing is
stored, no store is opened. ``publish`` publishes it as a target of an organisation (the
console acts as the platform operator; the audit log names the OS user). ``targets`` lists
the published targets (a new version starts the background job that re-evaluates every
learner against it: its id is printed). ``recheck``, ``expire`` and ``reevaluate`` run the
credit bank's lifecycle work here and now, as the daily jobs and the re-evaluation job do
(:mod:`credstack.services.creditbank.lifecycle`; audited as the operator): re-verify the
credentials counted in decisions and flag those that no longer verify, post the credits'
expiries due, re-evaluate every learner against a target. Learners' deposits and
applications, and the registrar's decisions, are their own: they go through the web API
(``/api/creditbank``), never the console. Messages in Japanese or English
(``CREDSTACK_LANG``, else the locale).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from credstack.core.creditbank import Target, load_target
from credstack.entrypoints.cli.console import (
    DataDir,
    JsonOption,
    OrganisationOption,
    acting,
    echo_json,
    exit_on_error,
    language,
    operator,
    out,
    print_table,
    t,
)
from credstack.errors import InputError, Problem
from credstack.services.creditbank import lifecycle, targets

app = typer.Typer(help="cli.help.creditbank.the_credit_banks_targets", no_args_is_help=True)

PathwayFile = Annotated[Path, typer.Argument(help="cli.help.creditbank.the_pathway_file_yaml",
                                             show_default=False)]


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(t("cli.common.cannot_read", path=str(path), why=error.strerror),
                         problems=[Problem(str(path), "unreadable")]) from None
    if len(data) > targets.MAX_TARGET_BYTES:
        raise InputError(t("cli.common.over_kib", path=str(path),
                           kib=targets.MAX_TARGET_BYTES // 1024),
                         problems=[Problem(str(path), "too large")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(t("cli.common.not_utf8", path=str(path)),
                         problems=[Problem(str(path), "not UTF-8")]) from None


def _describe(target: Target) -> None:
    lang = language()
    title = target.ja if lang == "ja" else target.en
    out.print(t("cli.creditbank.credits_requirements_rules", id=target.id, title=title,
                total=target.total, system=target.system, requirements=len(target.requirements),
                rules=len(target.rules)),
              markup=False, soft_wrap=True)


@app.command("check", help="cli.help.creditbank.check_a_pathway_file")
def check(path: PathwayFile) -> None:
    with exit_on_error(code=1, input_code=2):
        target = load_target(_read(path), source=path.name)
    _describe(target)
    out.print(t("cli.creditbank.pathway_file_can_be_published"))


@app.command("publish", help="cli.help.creditbank.publish_a_pathway_file")
def publish(path: PathwayFile, organisation: OrganisationOption,
            data_dir: DataDir = None) -> None:
    with exit_on_error(code=1, input_code=2):
        text = _read(path)
    with acting(data_dir, code=1) as opened, exit_on_error(code=1, input_code=2):
        made = targets.publish(opened, actor=operator(), organisation=organisation,
                               text=text, source=path.name)
    _describe(made.target)
    out.print(t("cli.creditbank.published_as_version", public_id=made.public_id,
                version=made.version),
              markup=False)
    if made.job is not None:
        out.print(t("cli.creditbank.re_evaluating_every_learner_job", job=made.job), markup=False)


def _report(result: dict[str, object], as_json: bool) -> None:
    if as_json:
        echo_json(result)
        return
    for key, value in result.items():
        out.print(f"{key}: {value}", markup=False)


@app.command("recheck", help="cli.help.creditbank.verify_again_the_credentials")
def recheck(as_json: JsonOption = False, data_dir: DataDir = None) -> None:
    actor = operator()
    with acting(data_dir, code=1) as opened, exit_on_error(code=1, input_code=2):
        result = lifecycle.recheck(opened, by=actor.principal.subject)
    _report(result, as_json)


@app.command("expire", help="cli.help.creditbank.post_the_credits_expiries")
def expire(
    day: Annotated[str | None, typer.Option(
        "--day", help="cli.help.creditbank.the_day_yyyy_mm")] = None,
    as_json: JsonOption = False,
    data_dir: DataDir = None,
) -> None:
    import datetime as dt
    actor = operator()
    with exit_on_error(code=1, input_code=2):
        try:
            chosen = dt.date.fromisoformat(day) if day else None
        except ValueError:
            raise InputError(t("cli.creditbank.not_a_date", day=repr(day)),
                             problems=[Problem("--day", "YYYY-MM-DD")]) from None
    with acting(data_dir, code=1) as opened, exit_on_error(code=1, input_code=2):
        result = lifecycle.expire(opened, by=actor.principal.subject, today=chosen)
    _report(result, as_json)


@app.command("reevaluate", help="cli.help.creditbank.re_evaluate_every_learner")
def reevaluate(
    target: Annotated[str, typer.Argument(help="cli.help.creditbank.the_published_targets_id",
                                          show_default=False)],
    as_json: JsonOption = False,
    data_dir: DataDir = None,
) -> None:
    actor = operator()
    with acting(data_dir, code=1) as opened, exit_on_error(code=1, input_code=2):
        result = lifecycle.reevaluate(opened, target=target, by=actor.principal.subject)
    _report(result, as_json)


@app.command("targets", help="cli.help.creditbank.list_the_published_targets")
def list_targets(
    organisation: Annotated[str | None, typer.Option(
        "--organisation", help="cli.help.creditbank.only_this_organisations_targets")] = None,
    as_json: JsonOption = False,
    data_dir: DataDir = None,
) -> None:
    lang = language()
    with acting(data_dir) as opened:
        found = targets.published(opened, organisation=organisation)
    if as_json:
        echo_json([item.to_dict() for item in found])
        return
    if not found:
        out.print(t("cli.creditbank.no_published_targets"))
        return
    print_table(
        (t("cli.creditbank.id"), t("cli.common.organisation"), t("cli.creditbank.target"),
         t("cli.creditbank.version"), t("cli.common.title"), t("cli.creditbank.credits")),
        [(item.public_id, item.organisation, item.target.id, str(item.version),
          item.target.ja if lang == "ja" else item.target.en,
          f"{item.target.total} {item.target.system}") for item in found],
        title=t("cli.creditbank.credit_targets"))
