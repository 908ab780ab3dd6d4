"""``credstack verify FILE|URL|-``: verify a credential and say what it means.

Keys and the registry come from the store (``--data-dir``, ``CREDSTACK_DATA_DIR`` or
``CREDSTACK_DATABASE_URL``, as for every command) when there is one: the did:web keys of its
own organisations are read from it and an achievement of its registry is shown with its
record. Other did:web documents and status lists are fetched over HTTPS. Without a store
(no SQLite file where the default one would be) nothing is created and everything is
resolved over the network.

The output ends with the verdict a person reads (:func:`~credstack.core.verification.
verdict_of`): verified, verified with warnings or not verified; who earned what from whom;
and what is wrong, in plain words. An authentic credential that breaks Open Badges 3.0 shape
rules is verified with warnings; ``--strict`` makes those findings fail it.

Exit codes: 0 verified; 1 not verified; 2 the input could not be read at all (no such file,
too large, a URL that cannot be fetched, neither JSON nor a VC-JWT) or the configured store
cannot be opened.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Final, NoReturn

import typer
from rich.markup import escape

from credstack.core.verification import (
    MAX_CREDENTIAL_BYTES,
    Check,
    Outcome,
    VerificationReport,
    verdict_of,
)
from credstack.core.verification.report import CHECK_TITLES, CheckOutcome, check_outcome
from credstack.entrypoints.cli.console import (
    echo_json,
    err,
    existing_runtime,
    exit_on_error,
    language,
    out,
    read_input,
    say,
)
from credstack.errors import InputTooLargeError, UnreadableInputError
from credstack.services.badges import service as baked
from credstack.services.runtime import Runtime
from credstack.services.verification import service as verifier
from credstack.services.verification.any_format import verify_any

EXIT_VERIFIED = 0
EXIT_NOT_VERIFIED = 1
EXIT_UNREADABLE = 2


def _read(source: str) -> bytes:
    if source.startswith(("https://", "http://")):
        data = verifier.fetch_bytes(source, limit=MAX_CREDENTIAL_BYTES)
        if data is None:
            raise UnreadableInputError(f"{source} was not found (HTTP 404/410).")
    else:
        data = read_input(source, limit=baked.MAX_IMAGE_BYTES)[0]
    if (len(data) > MAX_CREDENTIAL_BYTES and not baked.is_baked_image(data)
            and not data.startswith(b"%PDF-")):
        raise InputTooLargeError(f"{source} is {len(data):,} bytes; at most "
                                 f"{MAX_CREDENTIAL_BYTES:,} bytes can be read at once.")
    return data


def _verify(data: bytes, store: Runtime | None, *, strict: bool) -> VerificationReport:
    """Any format credstack reads (:mod:`credstack.services.verification.any_format`): a
    credential, a
    badge image with one baked in, an Open Badges 2.0 badge, a signed PDF certificate."""
    if baked.is_baked_image(data):
        extracted = baked.extract_credential(data)
        err.print(say(f"Verifying the {extracted.standard.label} credential baked in the "
                      f"{extracted.where}.",
                      f"{extracted.where} に焼き込まれた {extracted.standard.label} の証明を"
                      "検証します。"), markup=False, soft_wrap=True)
    if store is None:
        return verify_any(data, sources=None, strict=strict)
    return verify_any(data, settings=store.settings, sessions=store.sessions,
                      sources=verifier.VerificationSources.for_runtime(store), strict=strict)


DataDir = Annotated[Path | None, typer.Option(
    "--data-dir", help="The store whose organisations' keys and registry are used (default "
    "./.credstack; without a store, everything is resolved over the network).",
    envvar="CREDSTACK_DATA_DIR")]


def _title(name: str) -> str:
    titles = CHECK_TITLES.get(name)
    if titles is None:
        return name
    return titles[1] if language() == "ja" else titles[0]


#: The sign before a check, by how it came out.
MARKS: Final[Mapping[CheckOutcome, str]] = {
    "info": "[blue]ℹ[/]", "passed": "[green]✓[/]", "failed": "[red]✗[/]",
    "warning": "[yellow]![/]", "not-checked": "[yellow]–[/]"}


def mark(check: Check, report: VerificationReport | None = None) -> str:
    """The sign before a check: ℹ information, ✓ passed, ✗ failed, – not decided, and ! a
    conformance finding that does not fail the verdict (of ``report``, not strict)."""
    return MARKS[check_outcome(check.kind.value, check.ok,
                               finding=report is not None and check in report.findings)]


def _say_enclosed(report: Mapping[str, Any], lang: str) -> None:
    """The checks of a credential enclosed in what was verified (a presentation's, a CLR's),
    indented under its own check."""
    for found in report.get("checks", ()):
        if not isinstance(found, Mapping):
            continue
        reason = found.get("reason")
        text = reason.get(lang) if isinstance(reason, Mapping) else None
        _say(f"    {MARKS[check_outcome(found.get('kind'), found.get('ok'))]} "
             f"{escape(_title(str(found.get('check'))))}: {escape(str(text or ''))}")


def _say(text: str = "") -> None:
    # No emoji codes: ``did:key:z6Mk…`` would otherwise print a key emoji.
    out.print(text, soft_wrap=True, emoji=False)


def print_report(report: VerificationReport) -> None:
    """Every check, what the credential says and the verdict, for people."""
    lang = language()
    for check in report.checks:
        _say(f"{mark(check, report)} {escape(_title(check.name))}: "
             f"{escape(check.reason(lang))}")
        for notice in check.warnings:
            _say(f"    [yellow]![/] {escape(notice.message(lang))}")
        enclosed = check.details.get("report")
        if isinstance(enclosed, Mapping):
            _say_enclosed(enclosed, lang)
    meaning = report.meaning
    if meaning is not None:
        _say()
        _say(f"[bold]{say('What the credential says', '証明書の内容')}[/]")
        if meaning.achievement_name:
            kind = f" ({meaning.achievement_type})" if meaning.achievement_type else ""
            _say(f"  {say('Achievement', '学修成果')}: "
                 f"{escape(meaning.achievement_name + kind)}")
        issuer = meaning.issuer_name or meaning.issuer_id
        if issuer:
            _say(f"  {say('Issuer', '発行者')}: {escape(issuer)}")
        if meaning.is_micro_credential is True:
            _say("  " + say("A micro-credential.", "マイクロクレデンシャルです。"))
        elif meaning.is_micro_credential is False:
            _say("  " + say("Not a micro-credential.", "マイクロクレデンシャルではありません。"))
        else:
            _say("  " + say("Whether it is a micro-credential cannot be told (it carries no "
                            "micro-credential descriptors).",
                            "マイクロクレデンシャルかどうかは判断できません（記述子がありません）。"))
        for profile in meaning.conformance:
            verdict = (say("conforms", "適合") if profile.conforms
                       else say("does not conform", "不適合"))
            _say(f"  {say('Profile', 'プロファイル')} {escape(profile.profile)}: {verdict}")
    _say()
    print_verdict(report)


_COLOURS = {Outcome.VERIFIED: "green", Outcome.WITH_WARNINGS: "yellow",
            Outcome.NOT_VERIFIED: "red"}


def print_verdict(report: VerificationReport) -> None:
    """The headline: the outcome and who earned what from whom, then what is wrong."""
    lang = language()
    verdict = verdict_of(report)
    statement = verdict.statement(lang)
    title = verdict.title(lang) + (say(": ", "：") + statement if statement
                                   else say(".", "。"))
    _say(f"[bold {_COLOURS[verdict.outcome]}]{escape(title)}[/]")
    for reason in verdict.reasons:
        _say(f"  {'[yellow]![/]' if verdict.verified else '[red]✗[/]'} "
             f"{escape(reason.text(lang))}")
    if verdict.issuer_id is not None:
        _say(f"  {say('Issuer', '発行者')} ID: {escape(verdict.issuer_id)}")


def verify(
    source: Annotated[str, typer.Argument(metavar="FILE|URL|-",
                                          help="A credential file, an https URL, or - for "
                                               "standard input.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Fail a credential that breaks the Open Badges 3.0 shape rules or its "
        "JSON Schema, even when it is authentic (by default it verifies, with warnings).")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Verify a credential: Open Badges 3.0 / VC 2.0 (Data Integrity or VC-JWT), Open Badges
    2.0, a badge image with a credential baked in, or a signed PDF certificate; a
    Verifiable Presentation is verified as one, and each credential it holds.

    Exit 0 only when verified (with warnings, too, unless --strict); 1 when not; 2 when the
    input (or the store) cannot be read.
    """
    with exit_on_error(EXIT_UNREADABLE):
        data = _read(source)
        with existing_runtime(data_dir) as store:
            report = _verify(data, store, strict=strict)
    exit_with(report, as_json=as_json,
              unparsed=say("The input is not a credential.", "入力は証明書ではありません。"))


def exit_with(report: VerificationReport, *, as_json: bool, unparsed: str | None = None
              ) -> NoReturn:
    """Print ``report`` (as JSON, or for people) and exit: 0 verified, 1 not verified, 2 when
    the input could not be parsed at all (``unparsed`` then said on stderr after the JSON)."""
    if as_json:
        echo_json(report.to_dict())
    else:
        print_report(report)
    parse = report.check("parse")
    if parse is not None and parse.ok is False:
        if as_json and unparsed is not None:
            err.print(unparsed)
        raise typer.Exit(EXIT_UNREADABLE)
    raise typer.Exit(EXIT_VERIFIED if report.ok else EXIT_NOT_VERIFIED)
