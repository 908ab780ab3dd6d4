"""The messages of every page's frame, the home page and the error pages, as (ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # Frame of every page.
    "site.tagline": ("マイクロクレデンシャルの共通記述子・枠組み・登録簿",
                     "Common descriptors, frameworks and a registry for micro-credentials"),
    "skip": ("本文へ移動", "Skip to main content"),
    "nav.label": ("メインメニュー", "Main menu"),
    # The disclosure that folds ids, hashes and DIDs away (_macros.html technical_details).
    "common.technical_details": ("技術的な詳細", "Technical details"),
    # The places a signed-in person's roles open (credstack.core.access.homes).
    "menu.operator": ("運営", "Operations"),
    "menu.people": ("利用者", "People"),
    "menu.console": ("運営コンソール", "Console"),
    "menu.jobs": ("ジョブ", "Jobs"),
    "menu.issuing": ("発行", "Issuing"),
    "menu.credentials": ("発行済み証明書", "Issued"),
    "menu.review": ("審査", "Review"),
    "menu.creditbank": ("単位認定", "Credit decisions"),
    "menu.workspace": ("ワークスペース", "Workspace"),
    "menu.programmes": ("プログラム管理", "Our programmes"),
    "menu.recognition": ("認定申請", "Recognition"),
    "menu.employers": ("人材マッチング", "Matching"),
    "menu.wallet": ("ウォレット", "Wallet"),
    "nav.home": ("ホーム", "Home"),
    "nav.programmes": ("プログラム", "Programmes"),
    "nav.profiles": ("枠組み", "Frameworks"),
    "nav.verify": ("証明書の検証", "Verify"),
    "lang.label": ("言語（Language）", "Language (言語)"),
    "footer.label": ("サイト情報", "About this site"),
    "footer.manual": ("マニュアル", "Manual"),
    "footer.api_docs": ("API ドキュメント", "API documentation"),
    "footer.openapi": ("OpenAPI 定義（JSON）", "OpenAPI description (JSON)"),
    "footer.about": ("credstack {version} — オープンなマイクロクレデンシャル基盤",
                     "credstack {version} — an open micro-credential platform"),
    # Badge images, wherever a programme's or a credential's badge is shown.
    "badge.alt": ("「{title}」のバッジ", "The badge of “{title}”"),
    "badge.download": ("バッジをダウンロード", "Download the badge"),
    "badge.download_png": ("証明書入りバッジ画像（PNG）",
                           "Badge with the credential baked in (PNG)"),
    "badge.download_svg": ("証明書入りバッジ画像（SVG）",
                           "Badge with the credential baked in (SVG)"),
    "badge.download_hint": ("画像に証明書そのものが埋め込まれています。検証ページにアップロード"
                            "すれば、誰でも検証できます。",
                            "The image carries the credential itself: anyone can verify it by "
                            "uploading it to a verification page."),
    # Home.
    "home.title": ("マイクロクレデンシャルを、読める・比べられる・積み上げられるものに",
                   "Micro-credentials you can read, compare and stack"),
    "home.intro": (
        "マイクロクレデンシャル（MC）は、学位より小さな短期の学修（約10時間または1単位以上）を、"
        "公表された学修成果、実際の評価、信頼できる提供機関と質保証とともに証明するものです。"
        "単独で価値を持ち、より大きな資格や学位へ積み上げることができます。",
        "A micro-credential (MC) records a short, focused piece of learning — about 10 hours "
        "or 1 credit and up, under a degree — with published learning outcomes, a real "
        "assessment, a trusted provider and quality assurance. It stands alone and can stack "
        "toward a larger credential or a degree.",
    ),
    "home.what": (
        "credstack は、各プログラムを17の共通記述子で記述し、日本提案・EU・オーストラリア・"
        "マレーシア・履修証明の5つの枠組みに照らして確認します。評価のない参加証明は"
        "マイクロクレデンシャルではありません。",
        "credstack describes each programme with the 17 common descriptors and checks it "
        "against five frameworks: the Japanese proposal, the EU, Australia, Malaysia and "
        "Japan's 履修証明 certificate programmes. A participation badge without assessment is "
        "not a micro-credential.",
    ),
    "home.registry": ("登録状況", "In the registry"),
    "home.browse": ("プログラムを見る", "Browse the programmes"),
    "home.frameworks": ("5つの枠組み", "Five framework profiles"),
    "home.frameworks_more": ("各枠組みの必須記述子と規則を見る",
                             "See the required descriptors and rules of each framework"),
    "home.data": ("データと API", "Data and API"),
    "home.data_text": ("ここに表示されるすべての情報は、公開 API（JSON）からも取得できます。",
                       "Everything shown here is also available from the public JSON API."),
    # Errors.
    "error.status": ("HTTP ステータス {status}", "HTTP status {status}"),
    "error.home": ("トップページへ戻る", "Back to the home page"),
    "error.technical": ("技術的な詳細（英語）", "Technical detail"),
    "error.detail.400": ("リクエストの内容が正しくありません。", "The request is not valid."),
    "error.detail.401": ("サインインが必要です。", "Please sign in first."),
    "error.detail.403": ("この操作を行う権限がありません。",
                         "You are not allowed to do this."),
    "error.detail.404": ("指定されたものは見つかりませんでした。アドレスをご確認ください。",
                         "Nothing was found at this address."),
    "error.detail.405": ("このアドレスではその操作はできません。",
                         "This address does not allow that."),
    "error.detail.409": ("現在の状態ではこの操作はできません。",
                         "This cannot be done in the current state."),
    "error.detail.410": ("このページは公開を終了しました。", "This page is no longer available."),
    "error.detail.413": ("送信されたデータが大きすぎます。", "What was sent is too large."),
    "error.detail.415": ("この形式のデータは受け付けていません。",
                         "This kind of data is not accepted."),
    "error.detail.422": ("入力内容に誤りがあります。", "Something entered is not valid."),
    "error.detail.429": ("試行回数が多すぎます。しばらくしてからお試しください。",
                         "Too many attempts; please wait a little and try again."),
    "error.detail.other": ("問題が発生しました。しばらくしてからお試しください。",
                           "Something went wrong; please try again later."),
    "error.programmes": ("プログラム一覧へ", "Go to the programmes"),
    "error.sorry": ("お探しのページを表示できませんでした。",
                    "We could not show the page you asked for."),
}
