"""The page of other registries' providers imported into this registry (``/registries``),
as (ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "federation.nav": ("他の登録簿の提供機関", "Other registries' providers"),
    "federation.title": ("他の登録簿の提供機関", "Providers listed by other registries"),
    "federation.intro": (
        "この登録簿の運営者が取り込んだ、他の登録簿（OpenID Federation または CTDL）に載っている"
        "提供機関です。それぞれの登録簿が載せているもので、この登録簿が認定したものではありません。",
        "Providers that other registries (OpenID Federation or CTDL) list, imported by this "
        "registry's operator. Each is listed by its own registry; this registry has not "
        "recognised them."),
    "federation.none": ("取り込んだ登録簿はありません。", "No registry has been imported."),
    "federation.source": ("{name} が掲載", "Listed by {name}"),
    "federation.kind.oidf": ("OpenID Federation", "OpenID Federation"),
    "federation.kind.ctdl": ("CTDL", "CTDL"),
    "federation.address": ("登録簿のアドレス", "Registry address"),
    "federation.fetched": ("取得日時", "Fetched"),
    "federation.valid_until": ("有効期限", "Valid until"),
    "federation.no_end": ("期限の定めなし（再取り込みまで）",
                          "No end stated (until imported again)"),
    "federation.caption": ("{name} が掲載する提供機関", "Providers listed by {name}"),
    "federation.col.name": ("提供機関", "Provider"),
    "federation.col.country": ("国", "Country"),
    "federation.col.programmes": ("プログラム", "Programmes"),
    "federation.col.standing": ("その登録簿での扱い", "Standing there"),
    "federation.recognised": ("認定（トラストマーク）", "Recognised (trust mark)"),
    "federation.listed": ("掲載", "Listed"),
    "federation.empty_source": ("この登録簿は提供機関を載せていません。",
                                "This registry lists no providers."),
}
