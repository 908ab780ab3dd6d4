"""``credstack federation …``: the registry as an OpenID Federation trust anchor.

``credstack federation keys rotate [--organisation ORG]`` retires the anchor's federation
key (or that of a recognised provider's entity) and makes the next; the retired key stays in
the published JWK set for a day, the lifetime of what it signed, so chains resolved before
keep validating. The keys are sealed in the key store: nothing here prints a secret.

``credstack federation check DID [--programme URL] [--oidf ANCHOR]… [--dcc-registry URL]…
[--no-own] [--offline]`` says which trusted registries list an issuer, in plain words
("認定された提供機関：…（…）"), and whether a recognition covers the programme; it exits 0
when listed, 1 when not, 3 when a registry could not be checked and none listed it.

``credstack federation import SOURCE [--ctdl] [--name-ja TEXT] [--name-en TEXT] [--pin FILE |
--pin-current | --unpin]`` imports another registry's providers — from its OpenID Federation
trust anchor (every subordinate's chain validated, a progress bar on standard error counting
them), or with ``--ctdl`` from a CTDL graph (a URL or a file) — kept apart from this
registry's own and labelled with their source; ``credstack federation sources`` lists what was
imported, when, and until when; ``credstack federation forget SOURCE`` removes a source and
everything it listed. A refused import keeps nothing new and exits 1. ``--pin`` pins the
anchor's keys (a JWK set file): this import and the next ones refuse a statement the anchor
signs with any other key, naming its key id; ``--pin-current`` pins the keys the anchor's
configuration carries at this import (printing their ids); ``--unpin`` forgets them.
``credstack federation refresh`` imports every source again now, with its pin, and reads every
intermediate's providers again (as the worker does every six hours); a refused refresh keeps
what was kept, and ``federation sources`` shows when and why it was refused.

``credstack federation intermediates add ENTITY_ID`` lists an organisation's own credstack
(or another federation entity naming this anchor in its authority hints) as an intermediate
below the anchor, with the providers it lists; ``credstack federation intermediates list``
shows those registered; ``credstack federation intermediates remove ENTITY_ID`` takes one and
its providers out of the federation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column

from credstack.core.federation.imports import pinned_kids
from credstack.entrypoints.cli.console import (
    DataDir,
    acting,
    err,
    language,
    operator,
    plain,
    print_table,
    t,
)
from credstack.errors import InputError
from credstack.services.federation import imports, intermediates, refresh_all, trust
from credstack.services.federation import keys as federation_keys
from credstack.services.federation.trust import TrustedRegistry

app = typer.Typer(
    help="cli.help.federation.the_registry_as_an",
    no_args_is_help=True,
)
keys_app = typer.Typer(
    help="cli.help.federation.the_federations_signing_keys", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")
intermediates_app = typer.Typer(
    help="cli.help.federation.intermediate_entities_below_the",
    no_args_is_help=True,
)
app.add_typer(intermediates_app, name="intermediates")


@keys_app.command("rotate", help="cli.help.federation.retire_the_federation_key")
def rotate(
    organisation: Annotated[
        str | None,
        typer.Option(
            "--organisation",
            help="cli.help.federation.a_recognised_providers_slug",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as opened:
        rotated = federation_keys.rotate_key(opened, actor=operator(), organisation=organisation)
    whose = organisation or t("cli.federation.trust_anchor")
    retired = (
        t("cli.federation.retired_key_published", retired=rotated.retired,
          until=rotated.retired_published_until)
        if rotated.retired and rotated.retired_published_until
        else ""
    )
    plain(t("cli.federation.key_rotated", whose=whose, kid=rotated.kid) + retired)


#: Exit codes of ``credstack federation check``, as ``credstack verify``'s three states.
EXIT_LISTED, EXIT_NOT_LISTED, EXIT_UNKNOWN = 0, 1, 3


@app.command("check", help="cli.help.federation.which_trusted_registries_list")
def check(
    issuer: Annotated[str, typer.Argument(
        help="cli.help.federation.the_issuers_did", show_default=False)],
    programme: Annotated[
        str | None,
        typer.Option(
            "--programme",
            help="cli.help.federation.the_credentials_achievement_programme",
            show_default=False,
        ),
    ] = None,
    own: Annotated[
        bool,
        typer.Option(
            "--own/--no-own", help="cli.help.federation.check_this_credstacks_own"
        ),
    ] = True,
    anchors: Annotated[
        list[str] | None,
        typer.Option(
            "--oidf",
            help="cli.help.federation.an_openid_federation_trust",
            show_default=False,
        ),
    ] = None,
    legacy: Annotated[
        list[str] | None,
        typer.Option(
            "--dcc-registry",
            help="cli.help.federation.a_dcc_legacy_registry",
            show_default=False,
        ),
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="cli.help.federation.read_no_registry_over")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    trusted = [
        *([trust.own_registry()] if own else []),
        *(TrustedRegistry(url, "oidf", url) for url in anchors or ()),
        *(TrustedRegistry(url, "dcc-legacy", url) for url in legacy or ()),
    ]
    with acting(data_dir) as opened:
        verdict = trust.check_issuer(
            opened, issuer=issuer, achievement=programme, trusted=trusted, offline=offline
        )
    plain(trust.line(verdict, language()))
    if verdict.covers_programme is not None and programme:
        plain(
            t("cli.federation.recognition_covers_programme"
              if verdict.covers_programme
              else "cli.federation.no_recognition_covers_programme")
        )
    for name, why in verdict.unchecked:
        err.print(
            t("cli.common.not_checked", name=name, why=why),
            markup=False,
            highlight=False,
        )
    raise typer.Exit(
        {"listed": EXIT_LISTED, "not-listed": EXIT_NOT_LISTED}.get(verdict.state, EXIT_UNKNOWN)
    )


def _stamp(moment: object) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment is not None else "—"


def _registry_name(name: dict[str, str]) -> str:
    return name.get(language()) or name.get("en") or name.get("ja") or ""


@app.command("import", help="cli.help.federation.import_another_registrys_providers")
def import_source(
    source: Annotated[
        str,
        typer.Argument(
            help="cli.help.federation.an_openid_federation_trust_2",
            show_default=False,
        ),
    ],
    ctdl: Annotated[
        bool, typer.Option("--ctdl", help="cli.help.federation.source_is_a_ctdl")
    ] = False,
    name_ja: Annotated[
        str | None,
        typer.Option("--name-ja",
            help="cli.help.federation.the_registrys_name_in", show_default=False),
    ] = None,
    name_en: Annotated[
        str | None,
        typer.Option("--name-en",
            help="cli.help.federation.the_registrys_name_in_2", show_default=False),
    ] = None,
    pin: Annotated[
        Path | None,
        typer.Option("--pin", help="cli.help.federation.a_jwk_set_file", show_default=False,
                     exists=True, dir_okay=False),
    ] = None,
    pin_current: Annotated[
        bool, typer.Option("--pin-current", help="cli.help.federation.pin_the_keys_the")
    ] = False,
    unpin: Annotated[
        bool, typer.Option("--unpin", help="cli.help.federation.forget_the_anchor_keys")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    names = {key: value for key, value in (("ja", name_ja), ("en", name_en)) if value}
    file = Path(source)
    with acting(data_dir) as opened:
        if (pin or unpin or pin_current) and ctdl:
            raise InputError(t("cli.federation.pins_are_for_an_anchor"))
        if pin and pin_current:
            raise InputError(t("cli.federation.pin_or_pin_current"))
        pinned = _pinned(pin) if pin else None
        # The key is opened (and, for a new store, made and announced) before the bar is drawn.
        opened.key()
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err) as bar:
            task = bar.add_task(t("cli.federation.importing_providers"), total=None)

            def show(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            if ctdl and file.is_file():
                imported = imports.import_ctdl(
                    opened, actor=operator(), url=file.resolve().as_uri(),
                    names=names or None, document=file.read_bytes(), progress=show)
            elif ctdl:
                imported = imports.import_ctdl(opened, actor=operator(), url=source,
                                               names=names or None, progress=show)
            else:
                imported = imports.import_federation(
                    opened, actor=operator(), anchor=source, names=names or None,
                    anchor_jwks=pinned, unpin=unpin, pin_current=pin_current, progress=show)
    name = _registry_name(dict(imported.name))
    count = len(imported.providers)
    plain(t("cli.federation.imported_providers_from_valid_until", count=count, name=name,
            url=imported.url, valid_until=_stamp(imported.valid_until)))
    if imported.stopped is not None:
        _say_stopped(imported.stopped, count, imported.listed or 0)
    if imported.pinned_jwks:
        kids = ", ".join(pinned_kids(imported.pinned_jwks))
        plain(t("cli.federation.pinned_anchor_keys", kids=kids))


def _say_stopped(stopped: str, read: int, listed: int) -> None:
    """Why an import read only ``read`` of the ``listed`` subordinates."""
    if stopped == "deadline":
        why = t("cli.federation.time_credstack_federation_import_seconds")
    else:
        why = t("cli.federation.reached_limit_credstack_federation_subordinates")
    plain(t("cli.federation.stopped_early_subordinates_listed_were", read=read, listed=listed,
            why=why))


def _pinned(file: Path) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise InputError(t("cli.federation.not_a_jwk_set", file=str(file))) from None


@app.command("sources", help="cli.help.federation.the_registries_imported_from")
def list_sources(data_dir: DataDir = None) -> None:
    with acting(data_dir) as opened:
        found = imports.sources(opened, with_providers=True)
    if not found:
        plain(t("cli.federation.no_registry_has_been_imported"))
        return
    print_table(
        [Column(title, overflow="fold") for title in (
            t("cli.federation.registry"), t("cli.common.kind"), t("cli.federation.address"),
            t("cli.federation.providers"), t("cli.federation.fetched"),
            t("cli.federation.valid_until"), t("cli.federation.pinned_keys"),
            t("cli.federation.last_refresh_refused"))],
        ([_registry_name(dict(item.name)), "OpenID Federation" if item.kind == "oidf" else "CTDL",
          item.url, str(len(item.providers)), _stamp(item.fetched_at), _stamp(item.valid_until),
          ", ".join(pinned_kids(item.pinned_jwks)) or "—",
          _stamp(item.refusal.at) if item.refusal else "—"]
         for item in found),
    )
    for item in found:
        if item.refusal is not None:
            refusal = item.refusal
            plain(t("cli.federation.last_refresh_was_refused_at", url=item.url,
                    at=_stamp(refusal.at), reason=refusal.reason, message=refusal.message,
                    valid_until=_stamp(item.valid_until)))


@app.command("refresh", help="cli.help.federation.import_every_registry_again")
def refresh(data_dir: DataDir = None) -> None:
    with acting(data_dir) as opened:
        opened.key()
        done = refresh_all(opened, actor=operator())
    if not done:
        plain(t("cli.federation.no_registry_has_been_imported_2"))
        return
    for item in done:
        if item.refusal is not None:
            plain(t("cli.federation.refused_what_listed_kept_valid", url=item.url,
                    reason=item.refusal.reason, message=item.refusal.message,
                    valid_until=_stamp(item.valid_until)))
        elif item.skipped:
            plain(t("cli.federation.left_as_imported_read_from", url=item.url))
        else:
            plain(t("cli.federation.refreshed_providers_valid_until", url=item.url,
                    providers=item.providers, valid_until=_stamp(item.valid_until)))
            if item.stopped is not None:
                _say_stopped(item.stopped, item.providers, item.listed or 0)
    if any(item.refusal is not None for item in done):
        raise typer.Exit(1)


@app.command("forget", help="cli.help.federation.remove_an_imported_registry")
def forget_source(
    source: Annotated[
        str, typer.Argument(
            help="cli.help.federation.the_imported_registrys_address", show_default=False)
    ],
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as opened:
        forgotten = imports.forget(opened, actor=operator(), url=source)
    plain(t("cli.federation.forgot_every_provider_listed", url=forgotten.url))


@intermediates_app.command("add", help="cli.help.federation.list_an_entity_whose")
def add_intermediate(
    entity_id: Annotated[
        str, typer.Argument(
            help="cli.help.federation.the_intermediates_entity_identifier", show_default=False)
    ],
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as opened:
        kept = intermediates.register_intermediate(opened, actor=operator(), entity_id=entity_id)
    name = _registry_name(dict(kept.name))
    plain(t("cli.federation.listed_as_intermediate_below_this", name=name,
            entity_id=kept.entity_id))


@intermediates_app.command("list", help="cli.help.federation.the_intermediate_entities_the")
def list_intermediates(data_dir: DataDir = None) -> None:
    with acting(data_dir) as opened:
        found = intermediates.intermediates(opened, actor=operator())
    if not found:
        plain(t("cli.federation.no_intermediate_registered"))
        return
    print_table(
        [Column(title, overflow="fold") for title in (
            t("cli.common.name"), t("cli.federation.entity_identifier"),
            t("cli.federation.registered"))],
        ([_registry_name(dict(item.name)), item.entity_id, _stamp(item.registered_at)]
         for item in found),
    )


@intermediates_app.command("remove", help="cli.help.federation.take_an_intermediate_and")
def remove_intermediate(
    entity_id: Annotated[
        str, typer.Argument(
            help="cli.help.federation.the_intermediates_entity_identifier", show_default=False)
    ],
    data_dir: DataDir = None,
) -> None:
    with acting(data_dir) as opened:
        removed = intermediates.remove_intermediate(opened, actor=operator(),
                                                    entity_id=entity_id)
    name = _registry_name(dict(removed.name))
    plain(t("cli.federation.providers_lists_no_longer_this", name=name,
            entity_id=removed.entity_id))
