"""``credstack certificate …``: signed PDF certificates and the certificate authorities behind them.

``certificate pdf CREDENTIAL_ID --language ja|en|ko|… -o FILE`` writes the PDF of an issued
credential; ``certificate verify FILE.pdf`` verifies one (exit 0 verified, 1 not verified,
2 unreadable — as ``credstack verify``); ``certificate ca create|show --organisation SLUG``
manages the organisation's certificate authority: credstack's own root, or an external CA
(``--ca-cert``/``--ca-key``, also read from ``CREDSTACK_PDF_CA_CERT`` /
``CREDSTACK_PDF_CA_KEY``) whose key is used once to issue the signing certificate and never
stored; ``certificate ca revoke --organisation SLUG [--serial HEX] [--reason R] [--at TIME]``
revokes a document-signing certificate (the next PDF gets a new one) and re-signs the CRL.

The PDF libraries are imported by the commands that use them, so that other commands start
as quickly as before.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from credstack.core.certificates import PDF_CHECK_TITLES
from credstack.core.verification import CHECK_TITLES
from credstack.entrypoints.bootstrap import utc_now
from credstack.entrypoints.cli.console import (
    DataDir,
    JsonOption,
    OrganisationOption,
    acting,
    echo_json,
    existing_runtime,
    exit_on_error,
    language,
    operator,
    out,
    plain,
    read_input,
    runtime,
    t,
)
from credstack.entrypoints.cli.verify import (
    EXIT_UNREADABLE,
    exit_code,
    mark,
    print_verdict,
)
from credstack.errors import InputError, Problem, UnreadableInputError
from credstack.services import formats
from credstack.services.certificates import authorities, documents
from credstack.services.certificates import authority as pki
from credstack.services.certificates import verification as pdf_verify
from credstack.services.verification import service as verifier
from credstack.settings import Settings

app = typer.Typer(help="cli.help.certificates.signed_pdf_certificates", no_args_is_help=True)
ca_app = typer.Typer(
    help="cli.help.certificates.an_organisations_certificate_authority", no_args_is_help=True)
app.add_typer(ca_app, name="ca")


@app.command("pdf", help="cli.help.certificates.write_the_signed_pdf")
def pdf_command(
    credential_id: Annotated[str, typer.Argument(
        help="cli.help.certificates.the_credentials_id_urn")],
    lang: Annotated[str, typer.Option(
        "--language", "-l", help="cli.help.certificates.ja_en_ko_zh")] = "ja",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="cli.help.certificates.the_pdf_file_to")
                      ] = None,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as opened:
        made = documents.certificate_pdf(opened, actor=operator(), credential_id=credential_id,
                                         language=lang)
    target = output or Path(made.filename)
    with exit_on_error():
        try:
            target.write_bytes(made.data)
        except OSError as exc:
            raise UnreadableInputError(f"Cannot write {target}: {exc.strerror}.") from None
    plain(t("cli.certificates.wrote_signed_certificate_bytes", target=target, data=len(made.data)))


class _NoAuthorities:
    def __call__(self, key_id: str) -> None:
        return None

    def organisation_did(self, organisation: str) -> str:  # pragma: no cover - never asked
        return organisation

    def revocation(self, fingerprint: str) -> None:  # pragma: no cover - never asked
        return None


def _title(name: str) -> str:
    titles = CHECK_TITLES.get(name) or PDF_CHECK_TITLES.get(name)
    if titles is None:
        return name
    return titles[1] if language() == "ja" else titles[0]


@app.command("verify", help="cli.help.certificates.verify_a_pdf_certificate")
def verify_command(
    source: Annotated[str, typer.Argument(metavar="FILE.pdf|-",
        help="cli.help.certificates.a_pdf_certificate_or")],
    as_json: Annotated[bool, typer.Option("--json",
        help="cli.help.certificates.print_the_report_as")] = False,
    data_dir: DataDir = None,
) -> None:
    with exit_on_error(EXIT_UNREADABLE):
        data, _ = read_input(source, limit=pdf_verify.MAX_PDF_BYTES)
        with existing_runtime(data_dir) as opened:
            if opened is None:
                # No store here: no organisation's authority is known, and the credential is
                # verified with what the network gives (as `credstack verify` does).
                moment = utc_now()
                trust = Settings.from_env(data_dir=data_dir).tsa_trust
                result = pdf_verify.verify_pdf(
                    data, authorities=_NoAuthorities(),
                    verify_credential=lambda text: verifier.verify(text, now=moment),
                    now=moment, tsa_roots=pdf_verify.tsa_roots(trust))
            else:
                result = formats.verify_certificate(opened, data=data)
    if as_json:
        echo_json(result.to_dict())
        raise typer.Exit(exit_code(result.report))
    lang = language()
    for check in result.report.checks:
        out.print(f"{mark(check, result.report)} {escape(_title(check.name))}: "
                  f"{escape(check.reason(lang))}", soft_wrap=True, emoji=False)
    print_verdict(result.report)
    raise typer.Exit(exit_code(result.report))


@ca_app.command("create", help="cli.help.certificates.make_the_organisations_certificate")
def ca_create(
    organisation: OrganisationOption,
    ca_cert: Annotated[Path | None, typer.Option(
        "--ca-cert", envvar="CREDSTACK_PDF_CA_CERT",
        help="cli.help.certificates.an_external_ca_certificate")] = None,
    ca_key: Annotated[Path | None, typer.Option(
        "--ca-key", envvar="CREDSTACK_PDF_CA_KEY",
        help="cli.help.certificates.the_external_cas_private")] = None,
    ca_key_password: Annotated[str | None, typer.Option(
        "--ca-key-password", envvar="CREDSTACK_PDF_CA_KEY_PASSWORD",
        help="cli.help.certificates.the_password_of_an")] = None,
    years: Annotated[int, typer.Option(help="cli.help.certificates.validity_of_the_certificates",
                                       min=1, max=30)] = 10,
    replace: Annotated[bool, typer.Option(
        "--replace", help="cli.help.certificates.retire_the_current_authority")] = False,
    data_dir: DataDir = None,
) -> None:
    with exit_on_error():
        external = None
        if (ca_cert is None) != (ca_key is None):
            raise UnreadableInputError("Give both --ca-cert and --ca-key for an external CA, "
                                       "or neither for credstack's own.")
        if ca_cert is not None and ca_key is not None:
            certificate, _ = read_input(str(ca_cert), limit=1024 * 1024)
            key, _ = read_input(str(ca_key), limit=1024 * 1024)
            external = pki.load_external_authority(
                certificate, key, now=utc_now(),
                password=ca_key_password.encode() if ca_key_password else None)
        with runtime(data_dir) as opened:
            info = authorities.create_authority(opened, actor=operator(),
                                                organisation=organisation, years=years,
                                                external=external, replace=replace)
    _show(info.to_dict(), pem=False)


def _show(described: dict[str, object], *, pem: bool) -> None:
    for role, heading in (("authority", t("cli.certificates.certificate_authority")),
                          ("signing", t("cli.certificates.document_signing"))):
        item = described[role]
        assert isinstance(item, dict)
        out.print(f"[bold]{heading}[/]", soft_wrap=True)
        for key in ("subject", "issuer", "not_before", "not_after", "sha256_fingerprint"):
            plain(f"  {key}: {item[key]}")
        if pem and role == "authority":
            out.print(str(item["pem"]), markup=False, emoji=False, end="")
    if described.get("external"):
        out.print(t("cli.certificates.authority_external_credstack_keeps_certificate"))


@ca_app.command("show", help="cli.help.certificates.show_the_organisations_certificate")
def ca_show(organisation: OrganisationOption, as_json: JsonOption = False,
            pem: Annotated[bool, typer.Option(
                "--pem", help="cli.help.certificates.print_the_ca_certificate")
                           ] = False,
            data_dir: DataDir = None) -> None:
    with acting(data_dir) as opened:
        info = authorities.describe_authority(opened, organisation=organisation)
    described = info.to_dict()
    if as_json:
        echo_json(described)
        return
    if pem:
        authority = described["authority"]
        assert isinstance(authority, dict)
        typer.echo(authority["pem"], nl=False)
        return
    _show(described, pem=False)



@ca_app.command("revoke", help="cli.help.certificates.revoke_a_document_signing")
def ca_revoke(
    organisation: OrganisationOption,
    reason: Annotated[str, typer.Option(
        "--reason", help="cli.help.certificates.an_rfc_5280_reason")
                      ] = "unspecified",
    serial: Annotated[str | None, typer.Option(
        "--serial", help="cli.help.certificates.the_serial_number_hex")] = None,
    at: Annotated[str | None, typer.Option(
        "--at", help="cli.help.certificates.when_it_stopped_being")] = None,
    data_dir: DataDir = None,
) -> None:
    with exit_on_error():
        try:
            chosen = pki.RevocationReason(reason)
        except ValueError:
            raise InputError("unsupported revocation reason", problems=[Problem(
                "reason", "give one of " + ", ".join(item.value
                                                     for item in pki.RevocationReason))]
                             ) from None
        moment = None
        if at is not None:
            try:
                moment = dt.datetime.fromisoformat(at)
            except ValueError:
                raise InputError("unreadable time", problems=[Problem(
                    "at", "give an ISO 8601 time, e.g. 2026-11-22T09:00:00+09:00")]) from None
        with runtime(data_dir) as opened:
            revoked = authorities.revoke_signing(opened, actor=operator(),
                                                 organisation=organisation, reason=chosen,
                                                 serial_number=serial, revoked_at=moment)
    plain(t("cli.certificates.revoked_certificate", serial_number=revoked.serial_number,
            organisation=organisation, value=revoked.reason.value,
            isoformat=revoked.revoked_at.isoformat()))
    if revoked.crl_url is not None:
        plain(t("cli.certificates.revocation_list", crl_url=revoked.crl_url))
    else:
        plain(t("cli.certificates.authority_external_revoke_certificate_at"))
