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
    say,
)
from credstack.errors import InputError
from credstack.services.federation import imports, intermediates, refresh_all, trust
from credstack.services.federation import keys as federation_keys
from credstack.services.federation.trust import TrustedRegistry

app = typer.Typer(
    help="The registry as an OpenID Federation trust anchor. "
    "/ OpenID Federation のトラストアンカーとしての登録簿",
    no_args_is_help=True,
)
keys_app = typer.Typer(
    help="The federation's signing keys. / フェデレーションの署名鍵", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")
intermediates_app = typer.Typer(
    help="Intermediate entities below the anchor. / アンカーの下の中間エンティティ",
    no_args_is_help=True,
)
app.add_typer(intermediates_app, name="intermediates")


@keys_app.command("rotate")
def rotate(
    organisation: Annotated[
        str | None,
        typer.Option(
            "--organisation",
            help="A recognised provider's slug; without it, the anchor's own key.",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Retire the federation key and make its successor; the old one stays published a day."""
    with acting(data_dir) as opened:
        rotated = federation_keys.rotate_key(opened, actor=operator(), organisation=organisation)
    whose = organisation or "the trust anchor"
    whose_ja = organisation or "トラストアンカー"
    retired = (
        f" Key {rotated.retired} stays published until "
        f"{rotated.retired_published_until:%Y-%m-%d %H:%M} UTC."
        if rotated.retired and rotated.retired_published_until
        else ""
    )
    retired_ja = (
        f"鍵 {rotated.retired} は {rotated.retired_published_until:%Y-%m-%d %H:%M} "
        "(UTC) まで公開されます。"
        if rotated.retired and rotated.retired_published_until
        else ""
    )
    plain(
        say(
            f"Rotated the federation key of {whose}: statements are signed with key "
            f"{rotated.kid} from now on.{retired}",
            f"{whose_ja} のフェデレーション鍵を更新しました。これからの署名は鍵 {rotated.kid} "
            f"で行います。{retired_ja}",
        )
    )


#: Exit codes of ``credstack federation check``, as ``credstack verify``'s three states.
EXIT_LISTED, EXIT_NOT_LISTED, EXIT_UNKNOWN = 0, 1, 3


@app.command("check")
def check(
    issuer: Annotated[str, typer.Argument(help="The issuer's DID.", show_default=False)],
    programme: Annotated[
        str | None,
        typer.Option(
            "--programme",
            help="The credential's achievement (programme version) URL.",
            show_default=False,
        ),
    ] = None,
    own: Annotated[
        bool,
        typer.Option(
            "--own/--no-own", help="Check this credstack's own registry (from the store)."
        ),
    ] = True,
    anchors: Annotated[
        list[str] | None,
        typer.Option(
            "--oidf",
            help="An OpenID Federation trust anchor's entity identifier (repeatable).",
            show_default=False,
        ),
    ] = None,
    legacy: Annotated[
        list[str] | None,
        typer.Option(
            "--dcc-registry",
            help="A DCC legacy registry.json URL (repeatable).",
            show_default=False,
        ),
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Read no registry over the network.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Which trusted registries list an issuer: listed (exit 0), not listed (1), or could
    not be checked (3)."""
    trusted = [
        *(
            [
                TrustedRegistry(
                    say("this registry", "この登録簿"),
                    "own",
                    names={"ja": "この登録簿", "en": "this registry"},
                )
            ]
            if own
            else []
        ),
        *(TrustedRegistry(url, "oidf", url) for url in anchors or ()),
        *(TrustedRegistry(url, "dcc-legacy", url) for url in legacy or ()),
    ]
    with acting(data_dir) as opened:
        verdict = trust.check_issuer(
            opened, issuer=issuer, achievement=programme, trusted=trusted, offline=offline
        )
    plain(verdict.line(language()))
    if verdict.covers_programme is not None and programme:
        plain(
            say(
                "The recognition covers this programme."
                if verdict.covers_programme
                else "No recognition covers this programme.",
                "認定はこのプログラムに及びます。"
                if verdict.covers_programme
                else "このプログラムを対象とする認定はありません。",
            )
        )
    for name, why in verdict.unchecked:
        err.print(
            say(f"Not checked: {name} ({why})", f"確認できませんでした：{name}（{why}）"),
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


@app.command("import")
def import_source(
    source: Annotated[
        str,
        typer.Argument(
            help="An OpenID Federation trust anchor's entity identifier; with --ctdl, a CTDL "
            "graph's URL or file.",
            show_default=False,
        ),
    ],
    ctdl: Annotated[
        bool, typer.Option("--ctdl", help="SOURCE is a CTDL JSON-LD graph.")
    ] = False,
    name_ja: Annotated[
        str | None,
        typer.Option("--name-ja", help="The registry's name in Japanese.", show_default=False),
    ] = None,
    name_en: Annotated[
        str | None,
        typer.Option("--name-en", help="The registry's name in English.", show_default=False),
    ] = None,
    pin: Annotated[
        Path | None,
        typer.Option("--pin", help="A JWK set file: the anchor keys its statements must be "
                     "signed with (kept for the next imports).", show_default=False,
                     exists=True, dir_okay=False),
    ] = None,
    pin_current: Annotated[
        bool, typer.Option("--pin-current", help="Pin the keys the anchor's configuration "
                           "carries now (kept for the next imports).")
    ] = False,
    unpin: Annotated[
        bool, typer.Option("--unpin", help="Forget the anchor keys pinned before.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Import another registry's providers, kept apart and labelled with their source."""
    names = {key: value for key, value in (("ja", name_ja), ("en", name_en)) if value}
    file = Path(source)
    with acting(data_dir) as opened:
        if (pin or unpin or pin_current) and ctdl:
            raise InputError("--pin, --pin-current and --unpin are for an OpenID Federation "
                             "anchor. / --pin、--pin-current、--unpin は OpenID Federation の"
                             "アンカーに使います。")
        if pin and pin_current:
            raise InputError("--pin FILE or --pin-current: one of them. / --pin と "
                             "--pin-current はどちらか一方を指定します。")
        pinned = _pinned(pin) if pin else None
        # The key is opened (and, for a new store, made and announced) before the bar is drawn.
        opened.key()
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err) as bar:
            task = bar.add_task(say("Importing providers", "提供機関を取り込み中"), total=None)

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
    plain(say(
        f"Imported {count} providers from {name} ({imported.url}), valid until "
        f"{_stamp(imported.valid_until)}. The trust check names them as listed by {name}.",
        f"{name}（{imported.url}）から提供機関 {count} 件を取り込みました（有効期限："
        f"{_stamp(imported.valid_until)}）。信頼性の確認では「{name} の登録簿より取り込み」と"
        "表示されます。",
    ))
    if imported.stopped is not None:
        _say_stopped(imported.stopped, count, imported.listed or 0)
    if imported.pinned_jwks:
        kids = ", ".join(pinned_kids(imported.pinned_jwks))
        plain(say(f"Pinned anchor keys: {kids}.", f"固定されたアンカーの鍵：{kids}"))


def _say_stopped(stopped: str, read: int, listed: int) -> None:
    """Why an import read only ``read`` of the ``listed`` subordinates."""
    if stopped == "deadline":
        why = say("its time (CREDSTACK_FEDERATION_IMPORT_SECONDS) was up",
                  "制限時間（CREDSTACK_FEDERATION_IMPORT_SECONDS）を過ぎました")
    else:
        why = say("it reached its limit (CREDSTACK_FEDERATION_SUBORDINATES)",
                  "上限（CREDSTACK_FEDERATION_SUBORDINATES）に達しました")
    plain(say(f"Stopped early: {read} of the {listed} subordinates listed were imported; "
              f"{why}.",
              f"途中で止めました：一覧の {listed} 件のうち {read} 件を取り込みました。{why}。"))


def _pinned(file: Path) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise InputError(f"{file} is not a JSON JWK set. / "
                         f"{file} は JSON の JWK セットではありません。") from None


@app.command("sources")
def list_sources(data_dir: DataDir = None) -> None:
    """The registries imported from: their address, providers, when fetched, until when,
    the anchor keys pinned, and the last refused refresh."""
    with acting(data_dir) as opened:
        found = imports.sources(opened, with_providers=True)
    if not found:
        plain(say("No registry has been imported.", "取り込んだ登録簿はありません。"))
        return
    print_table(
        [Column(title, overflow="fold") for title in (
            say("Registry", "登録簿"), say("Kind", "種類"), say("Address", "アドレス"),
            say("Providers", "提供機関"), say("Fetched", "取得日時"),
            say("Valid until", "有効期限"), say("Pinned keys", "固定された鍵"),
            say("Last refresh refused", "更新の拒否"))],
        ([_registry_name(dict(item.name)), "OpenID Federation" if item.kind == "oidf" else "CTDL",
          item.url, str(len(item.providers)), _stamp(item.fetched_at), _stamp(item.valid_until),
          ", ".join(pinned_kids(item.pinned_jwks)) or "—",
          _stamp(item.refusal.at) if item.refusal else "—"]
         for item in found),
    )
    for item in found:
        if item.refusal is not None:
            refusal = item.refusal
            plain(say(f"The last refresh of {item.url} was refused at {_stamp(refusal.at)} "
                      f"({refusal.reason}): {refusal.message} What it listed is kept until "
                      f"{_stamp(item.valid_until)}.",
                      f"{item.url} の最後の更新は {_stamp(refusal.at)} に拒否されました"
                      f"（{refusal.reason}）：{refusal.message} 取り込み済みの内容は "
                      f"{_stamp(item.valid_until)} まで残ります。"))


@app.command("refresh")
def refresh(data_dir: DataDir = None) -> None:
    """Import every registry again now, with its pinned keys, and read every intermediate's
    providers again; a refused one keeps what it listed (exit 1)."""
    with acting(data_dir) as opened:
        opened.key()
        done = refresh_all(opened, actor=operator())
    if not done:
        plain(say("No registry has been imported and no intermediate is registered.",
                  "取り込んだ登録簿も、登録された中間エンティティもありません。"))
        return
    for item in done:
        if item.refusal is not None:
            plain(say(f"Refused: {item.url} ({item.refusal.reason}): {item.refusal.message} "
                      f"What it listed is kept, valid until {_stamp(item.valid_until)}.",
                      f"拒否：{item.url}（{item.refusal.reason}）：{item.refusal.message} "
                      f"取り込み済みの内容は有効期限（{_stamp(item.valid_until)}）まで残ります。"))
        elif item.skipped:
            plain(say(f"Left as imported: {item.url} (read from a file).",
                      f"取り込んだまま：{item.url}（ファイルから読み込んだもの）。"))
        else:
            plain(say(f"Refreshed: {item.url}, {item.providers} providers, valid until "
                      f"{_stamp(item.valid_until)}.",
                      f"更新しました：{item.url}、提供機関 {item.providers} 件（有効期限："
                      f"{_stamp(item.valid_until)}）。"))
            if item.stopped is not None:
                _say_stopped(item.stopped, item.providers, item.listed or 0)
    if any(item.refusal is not None for item in done):
        raise typer.Exit(1)


@app.command("forget")
def forget_source(
    source: Annotated[
        str, typer.Argument(help="The imported registry's address.", show_default=False)
    ],
    data_dir: DataDir = None,
) -> None:
    """Remove an imported registry and every provider it listed."""
    with acting(data_dir) as opened:
        forgotten = imports.forget(opened, actor=operator(), url=source)
    plain(say(f"Forgot {forgotten.url} and every provider it listed.",
              f"{forgotten.url} と、そこから取り込んだ提供機関をすべて削除しました。"))


@intermediates_app.command("add")
def add_intermediate(
    entity_id: Annotated[
        str, typer.Argument(help="The intermediate's entity identifier.", show_default=False)
    ],
    data_dir: DataDir = None,
) -> None:
    """List an entity whose authority hints name this anchor as an intermediate below it."""
    with acting(data_dir) as opened:
        kept = intermediates.register_intermediate(opened, actor=operator(), entity_id=entity_id)
    name = _registry_name(dict(kept.name))
    plain(say(f"{name} ({kept.entity_id}) is listed as an intermediate below this anchor.",
              f"{name}（{kept.entity_id}）をこのアンカーの中間エンティティとして登録しました。"))


@intermediates_app.command("list")
def list_intermediates(data_dir: DataDir = None) -> None:
    """The intermediate entities the anchor lists."""
    with acting(data_dir) as opened:
        found = intermediates.intermediates(opened, actor=operator())
    if not found:
        plain(say("No intermediate is registered.", "中間エンティティは登録されていません。"))
        return
    print_table(
        [Column(title, overflow="fold") for title in (
            say("Name", "名称"), say("Entity identifier", "エンティティ識別子"),
            say("Registered", "登録日時"))],
        ([_registry_name(dict(item.name)), item.entity_id, _stamp(item.registered_at)]
         for item in found),
    )


@intermediates_app.command("remove")
def remove_intermediate(
    entity_id: Annotated[
        str, typer.Argument(help="The intermediate's entity identifier.", show_default=False)
    ],
    data_dir: DataDir = None,
) -> None:
    """Take an intermediate and the providers it lists out of the federation."""
    with acting(data_dir) as opened:
        removed = intermediates.remove_intermediate(opened, actor=operator(),
                                                    entity_id=entity_id)
    name = _registry_name(dict(removed.name))
    plain(say(f"{name} ({removed.entity_id}) and the providers it lists are no longer in "
              "this federation.",
              f"{name}（{removed.entity_id}）と、その提供機関をこのフェデレーションから外しました。"))
