"""``credstack verify FILE|URL|-``: verify a credential and say what it means.

Keys and the registry come from the store (``--data-dir``, ``CREDSTACK_DATA_DIR`` or
``CREDSTACK_DATABASE_URL``, as for every command) when there is one: the did:web keys of its
own organisations are read from it and an achievement of its registry is shown with its
record. Other did:web documents and status lists are fetched over HTTPS. Without a store
(no SQLite file where the default one would be) nothing is created and everything is
resolved over the network.

``--offline`` (or ``CREDSTACK_VERIFY_OFFLINE=1``) fetches nothing: a did:web key, a status
list or a hosted badge that would be fetched is out of reach, and what needed it could not be
checked. The store's own organisations' keys and status lists are still read.

The output opens with the details — each check with its code, technical reason, the DIDs
and URLs, and what the credential says — and ends with the verdict a person reads
(:func:`~credstack.core.verification.verdict_of`), a block of its own in plain words:
verified (green ✓), verified with warnings (yellow !), not verified (red ✗: something is
proven wrong — tampered, revoked, expired …) or could not be checked (blue ?: nothing is
proven wrong, but what it needs was out of reach; the reason says what, and how to get it);
who earned what from whom. An authentic credential that breaks Open Badges 3.0 shape rules
is verified with warnings; ``--strict`` makes those findings fail it.

With a store, an address of its own site (``<public URL>/verify/<id>``, where a PDF's QR code
leads, or where a credential's file downloads from) is read from the store, not fetched:
the credential it names, a registrar's document's (a degree, a transcript, its CLR) too.

Exit codes: 0 verified; 1 not verified; 2 the input could not be read at all (no such file,
too large, a URL that cannot be fetched, neither JSON nor a VC-JWT) or the configured store
cannot be opened; 3 could not be checked (a DID document, status list, context or
blockchain record out of reach, or not fetched with ``--offline``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final, NoReturn

import typer
from rich.markup import escape

from credstack.core.verification import (
    MAX_CREDENTIAL_BYTES,
    Check,
    Outcome,
    VerificationReport,
    verdict_of,
)
from credstack.core.verification.formats import MAX_IMAGE_BYTES, detect, is_baked_image
from credstack.core.verification.given_keys import GivenKeys
from credstack.core.verification.report import (
    CHECK_TITLES,
    CheckOutcome,
    Decision,
    check_outcome,
)
from credstack.entrypoints.cli.console import (
    echo_json,
    err,
    existing_runtime,
    exit_on_error,
    language,
    out,
    read_input,
    t,
)
from credstack.errors import InputTooLargeError, UnreadableInputError
from credstack.settings import Settings
from credstack.words import words

if TYPE_CHECKING:
    from credstack.core.federation.registries import TrustVerdict
    from credstack.services.federation.trust import TrustedRegistry
    from credstack.services.runtime import Runtime

EXIT_VERIFIED = 0
EXIT_NOT_VERIFIED = 1
EXIT_UNREADABLE = 2
#: Could not be checked: nothing is proven wrong, but something it needs was out of reach.
EXIT_UNDECIDED = 3


def _read(source: str) -> bytes:
    # The services are imported when a credential is read, not when the command is listed
    # or shows its help (as each function below that uses one), and only those the
    # credential needs.
    from credstack.services import public_verification as public

    if source.startswith(("https://", "http://")):
        data = public.fetch_bytes(source, limit=MAX_CREDENTIAL_BYTES)
        if data is None:
            raise UnreadableInputError(f"{source} was not found (HTTP 404/410).")
    else:
        data = read_input(source, limit=MAX_IMAGE_BYTES)[0]
    if (len(data) > MAX_CREDENTIAL_BYTES and not is_baked_image(data)
            and not data.startswith(b"%PDF-")):
        raise InputTooLargeError(f"{source} is {len(data):,} bytes; at most "
                                 f"{MAX_CREDENTIAL_BYTES:,} bytes can be read at once.")
    return data


def _own(source: str, store: Runtime | None) -> bytes | None:
    """With a store, an address of its own site (a document's verification page, as a PDF's
    QR code opens, or a file's address) read from the store — the credential it names, a
    registrar's document's too —, never fetched; ``None`` for anything else."""
    if store is None or not source.startswith(("https://", "http://")):
        return None
    from credstack.services.candidates import own_links

    link = own_links.own_link(source, public_url=store.settings.public_url)
    if not isinstance(link, own_links.CredentialLink):
        return None
    return own_links.stored_document(store, link).encode("utf-8")


def _verify(data: bytes, store: Runtime | None, *, strict: bool, offline: bool = False,
            keys: GivenKeys | None = None) -> VerificationReport:
    """Any format credstack reads (:mod:`credstack.services.formats`): a credential, a
    badge image with one baked in, an Open Badges 2.0 badge, a signed PDF certificate.

    Without a store, a credential or a presentation is verified with public sources alone
    (:mod:`credstack.services.public_verification`): the other formats' verifiers, the PDF
    signature library and the EDC's SHACL machinery are loaded only for a file that needs
    them, and the store's never."""
    kind = detect(data)
    if store is None and kind in {"vc", "vp"}:
        from credstack.services import public_verification as public

        if kind == "vc":
            return public.verify(data, strict=strict, offline=offline, keys=keys)
        # Given where a credential was expected: nobody asked the holder a challenge.
        return public.verify_presentation(
            data, challenge=None, domain=None, checks=None, now=dt.datetime.now(dt.UTC),
            sources=None, strict=strict, offline=offline, keys=keys).as_verification_report(words)

    from credstack.services.badges import service as baked
    from credstack.services.formats import verify_any
    from credstack.services.verification import service as verifier

    if kind == "image":
        extracted = baked.extract_credential(data)
        err.print(t("cli.verify.verifying_credential_baked", label=extracted.standard.label,
                    where=extracted.where), markup=False, soft_wrap=True)
    if store is None:
        # No store, but the environment's settings still say where the operator's ELM files
        # and trusted e-seal certificates are (European Digital Credentials).
        return verify_any(data, sources=None, settings=Settings.from_env(), strict=strict,
                          offline=offline, kind=kind, keys=keys)
    return verify_any(data, settings=store.settings, sessions=store.sessions,
                      sources=verifier.VerificationSources.for_runtime(
                          store, offline=True if offline else None),
                      strict=strict, offline=offline, kind=kind, keys=keys)


DataDir = Annotated[Path | None, typer.Option(
    "--data-dir", help="cli.help.verify.the_store_whose_organisations",
    envvar="CREDSTACK_DATA_DIR")]


def _title(name: str) -> str:
    titles = CHECK_TITLES.get(name)
    if titles is None:
        return name
    return titles[1] if language() == "ja" else titles[0]


#: The sign before a check, by how it came out.
MARKS: Final[Mapping[CheckOutcome, str]] = {
    "info": "[cyan]ℹ[/]", "passed": "[green]✓[/]", "failed": "[red]✗[/]",
    "warning": "[yellow]![/]", "undecided": "[blue]?[/]", "not-checked": "[yellow]–[/]"}


def mark(check: Check, report: VerificationReport | None = None) -> str:
    """The sign before a check: ℹ information, ✓ passed, ✗ failed, ? could not be checked
    (something it needed was out of reach), – not run (because of an earlier check), and ! a
    conformance finding that does not fail the verdict (of ``report``, not strict)."""
    return MARKS[check_outcome(check.kind.value, check.ok, missing=check.missing,
                               finding=report is not None and check in report.findings)]


def _say_enclosed(report: Mapping[str, Any], lang: str) -> None:
    """The checks of a credential enclosed in what was verified (a presentation's, a CLR's),
    indented under its own check."""
    for found in report.get("checks", ()):
        if not isinstance(found, Mapping):
            continue
        reason = found.get("reason")
        text = reason.get(lang) if isinstance(reason, Mapping) else None
        sign = MARKS[check_outcome(found.get("kind"), found.get("ok"),
                                   missing=found.get("missing"))]
        _say(f"    {sign} "
             f"{escape(_title(str(found.get('check'))))}: {escape(str(text or ''))}")


def _say(text: str = "") -> None:
    # No emoji codes: ``did:key:z6Mk…`` would otherwise print a key emoji.
    out.print(text, soft_wrap=True, emoji=False)


def print_report(report: VerificationReport) -> None:
    """The details — every check, with its code, and what the credential says —, then the
    verdict in plain words, for people."""
    lang = language()
    _say(f"[bold]{t('cli.verify.details')}[/]")
    for check in report.checks:
        code = f" [dim]({escape(check.code)})[/]" if check.code else ""
        _say(f"{mark(check, report)} {escape(_title(check.name))}: "
             f"{escape(check.reason(lang))}{code}")
        if check.missing is not None and check.missing.detail:
            _say(f"    [blue]?[/] {escape(check.missing.detail)}")
        for notice in check.warnings:
            _say(f"    [yellow]![/] {escape(notice.message(lang))}")
        enclosed = check.details.get("report")
        if isinstance(enclosed, Mapping):
            _say_enclosed(enclosed, lang)
    meaning = report.meaning
    if meaning is not None:
        _say()
        _say(f"[bold]{t('cli.verify.what_credential_says')}[/]")
        if meaning.achievement_name:
            kind = f" ({meaning.achievement_type})" if meaning.achievement_type else ""
            _say(f"  {t('cli.verify.achievement')}: "
                 f"{escape(meaning.achievement_name + kind)}")
        issuer = meaning.issuer_name or meaning.issuer_id
        if issuer:
            _say(f"  {t('cli.verify.issuer')}: {escape(issuer)}")
        if meaning.is_micro_credential is True:
            _say("  " + t("cli.verify.micro_credential"))
        elif meaning.is_micro_credential is False:
            _say("  " + t("cli.verify.not_micro_credential"))
        else:
            _say("  " + t("cli.verify.whether_micro_credential_cannot_be"))
        for profile in meaning.conformance:
            verdict = (t("cli.verify.conforms") if profile.conforms
                       else t("cli.verify.does_not_conform"))
            _say(f"  {t('cli.verify.profile')} {escape(profile.profile)}: {verdict}")
    issuer_id = verdict_of(report).issuer_id
    if issuer_id is not None:
        _say(f"  {t('cli.verify.issuer')} ID: {escape(issuer_id)}")
    _say()
    print_verdict(report, details=False)


#: The colour and sign of each outcome's headline: a credential that could not be checked
#: never wears the red ✗ of a forgery.
HEADLINES: Final[Mapping[Outcome, tuple[str, str]]] = {
    Outcome.VERIFIED: ("green", "✓"), Outcome.WITH_WARNINGS: ("yellow", "!"),
    Outcome.NOT_VERIFIED: ("red", "✗"), Outcome.UNDECIDED: ("blue", "?")}


def print_verdict(report: VerificationReport, *, details: bool = True) -> None:
    """The headline in plain words: the outcome and who earned what from whom, then what is
    wrong (or what could not be checked, and how to get it); ``details`` adds the issuer's
    identifier (:func:`print_report` shows it among the details instead)."""
    lang = language()
    verdict = verdict_of(report)
    statement = verdict.statement(lang)
    title = verdict.title(lang) + (t("cli.verify.colon") + words(statement, lang) if statement
                                   else t("cli.verify.full_stop"))
    colour, sign = HEADLINES[verdict.outcome]
    _say(f"[bold {colour}]{sign} {escape(title)}[/]")
    mark = "!" if verdict.verified else sign
    for reason in verdict.reasons:
        _say(f"  [{colour}]{mark}[/] {escape(words(reason.said, lang))}")
    if details and verdict.issuer_id is not None:
        _say(f"  {t('cli.verify.issuer')} ID: {escape(verdict.issuer_id)}")


def verify(
    source: Annotated[str, typer.Argument(metavar="FILE|URL|-",
                                          help="cli.help.verify.a_credential_file_an")],
    as_json: Annotated[bool, typer.Option("--json",
        help="cli.help.verify.print_the_report_as")] = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="cli.help.verify.fail_a_credential_that")
    ] = False,
    data_dir: DataDir = None,
    offline: Annotated[bool, typer.Option(
        "--offline", envvar="CREDSTACK_VERIFY_OFFLINE",
        help="cli.help.verify.fetch_nothing_no_did")] = False,
    registry_oidf: Annotated[list[str] | None, typer.Option(
        "--registry-oidf", help="cli.help.verify.an_openid_federation_trust",
        show_default=False)] = None,
    registry_dcc: Annotated[list[str] | None, typer.Option(
        "--registry-dcc", help="cli.help.verify.a_dcc_legacy_registry", show_default=False)] = None,
    require_trusted: Annotated[bool, typer.Option(
        "--require-trusted", envvar="CREDSTACK_REQUIRE_TRUSTED",
        help="cli.help.verify.fail_a_credential_whose")] = False,
    key: Annotated[Path | None, typer.Option(
        "--key", help="cli.help.verify.the_issuers_or_holders",
        exists=True, dir_okay=False, show_default=False)] = None,
) -> None:
    with exit_on_error(EXIT_UNREADABLE):
        keys = GivenKeys.read(key.read_bytes(), where=str(key)) if key is not None else None
        with existing_runtime(data_dir) as store:
            data = _own(source, store)
            if data is None:
                if offline and source.startswith(("https://", "http://")):
                    raise UnreadableInputError(t(
                        "cli.verify.not_fetched_offline_fetches_nothing", source=source))
                data = _read(source)
            report = _verify(data, store, strict=strict, offline=offline, keys=keys)
            verdict = None
            issuer = report.meaning.issuer_id if report.meaning is not None else None
            configured = _configured_registries(store, data_dir)
            if (registry_oidf or registry_dcc or require_trusted or configured) and issuer:
                # The trust check, and the store's registry under it, only when asked.
                from credstack.services.federation import trust
                from credstack.services.federation.trust import TrustedRegistry

                named: dict[tuple[str, str], TrustedRegistry] = {}
                for registry in (
                        *configured,
                        *(TrustedRegistry(url, "oidf", url) for url in registry_oidf or ()),
                        *(TrustedRegistry(url, "dcc-legacy", url) for url in registry_dcc or ())):
                    named.setdefault((registry.kind, registry.url), registry)
                trusted = [trust.own_registry(), *named.values()]
                verdict = trust.check_issuer(
                    store, issuer=issuer, trusted=trusted, offline=offline,
                    achievement=report.meaning.achievement_id if report.meaning else None)
    parse = report.check("parse")
    if (verdict is not None or require_trusted) and (parse is None or parse.ok is not False):
        _exit_trusted(report, verdict, as_json=as_json, required=require_trusted)
    exit_with(report, as_json=as_json,
              unparsed=t("cli.verify.input_not_credential"))


def _configured_registries(store: Runtime | None, data_dir: Path | None
                           ) -> list[TrustedRegistry]:
    """The fetched registries ``CREDSTACK_TRUST_REGISTRIES`` names (as the service trusts
    them; this store's own registry is always asked first, so it is left out here)."""
    settings = store.settings if store is not None else Settings.from_env(data_dir=data_dir)
    if all(kind == "own" for kind, _ in settings.trust_registries):
        return []  # Nothing to fetch: the trust check is not even imported.
    from credstack.services.federation import trust

    return [registry for registry in trust.configured(settings) if registry.kind != "own"]


def _exit_trusted(report: VerificationReport, verdict: TrustVerdict | None, *, as_json: bool,
                  required: bool) -> NoReturn:
    """Print ``report`` with the trust line after its verdict, and exit: with ``required``,
    a verified credential whose issuer is listed nowhere is not verified (1), and one no
    registry could vouch for while one could not be checked is undecided (3)."""
    lang = language()
    state = verdict.state if verdict is not None else "not-listed"
    lines: dict[str, str] = {}
    if verdict is not None:
        from credstack.services.federation import trust

        lines = {tag: trust.line(verdict, tag) for tag in {lang, "ja", "en"}}
    line = lines.get(lang) or t("cli.verify.credential_names_no_issuer_look")
    if as_json:
        document = report.to_dict()
        document["trust"] = {"state": state, "line": {"ja": lines["ja"], "en": lines["en"]}
                             if verdict is not None else None,
                             "registries": [item.registry for item in verdict.listings]
                             if verdict is not None else [],
                             "covers_programme": verdict.covers_programme if verdict else None,
                             "unchecked": [list(item) for item in verdict.unchecked]
                             if verdict is not None else []}
        echo_json(document)
    else:
        print_report(report)
        out.print(escape(line), soft_wrap=True)
        for name, why in verdict.unchecked if verdict is not None else ():
            err.print(escape(t("cli.common.not_checked", name=name, why=why)))
    code = exit_code(report)
    if required and code == EXIT_VERIFIED and state != "listed":
        code = EXIT_UNDECIDED if state == "unknown" else EXIT_NOT_VERIFIED
    raise typer.Exit(code)


def exit_with(report: VerificationReport, *, as_json: bool, unparsed: str | None = None
              ) -> NoReturn:
    """Print ``report`` (as JSON, or for people) and exit: 0 verified, 1 not verified, 2 when
    the input could not be parsed at all (``unparsed`` then said on stderr after the JSON),
    3 when it could not be checked."""
    if as_json:
        echo_json(report.to_dict())
    else:
        print_report(report)
    parse = report.check("parse")
    if parse is not None and parse.ok is False:
        if as_json and unparsed is not None:
            err.print(unparsed)
        raise typer.Exit(EXIT_UNREADABLE)
    raise typer.Exit(exit_code(report))


def exit_code(report: VerificationReport) -> int:
    """0 verified, 1 not verified, 3 could not be checked."""
    return {Decision.VERIFIED: EXIT_VERIFIED, Decision.NOT_VERIFIED: EXIT_NOT_VERIFIED,
            Decision.UNDECIDED: EXIT_UNDECIDED}[report.decision]
