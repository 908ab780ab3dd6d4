"""The e-mail pages' messages, as (ja, en): a message as it is sent (its text and links)
and the local mailbox of a demo or development server."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "mail.message.body": ("本文とリンク", "Text and links"),
    "mail.message.links": ("このメールのリンク：", "The links in this e-mail:"),
    "mailbox.title": ("メールボックス（デモ）", "Mailbox (demo)"),
    "mailbox.intro": (
        "このデモサーバーはメールを送信しません。送るはずのメールはここで読めます"
        "（Mailpit のような、デモ・開発用のローカルメールボックスです）。",
        "This demo server sends no e-mail: the messages it would send are kept here (a "
        "local mailbox, like Mailpit's, for demo and development servers only)."),
    "mailbox.address": ("メールアドレス", "E-mail address"),
    "mailbox.show": ("メールを表示", "Show the e-mail"),
    "mailbox.caption": ("{address} 宛てのメール", "E-mail to {address}"),
    "mailbox.none": ("このアドレス宛てのメールはまだありません。",
                     "No e-mail to this address yet."),
    "mailbox.subject": ("件名", "Subject"),
    "mailbox.when": ("日時", "When"),
    "mailbox.nav": ("メールボックス", "Mailbox"),
    "mailbox.open": ("このデモのメールボックスで読む", "Read it in this demo's mailbox"),
}
