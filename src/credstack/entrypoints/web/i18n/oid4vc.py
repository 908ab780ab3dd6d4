"""The OpenID for Verifiable Credentials pages' messages, as (ja, en): a credential offered to
a wallet app (QR code and transaction code), another issuer's offer received, a verifier's
request answered from the wallet, and the employer's presentation requests."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "offer.button": ("ウォレットアプリに送る（OpenID4VCI）", "Send to a wallet app (OpenID4VCI)"),
    "offer.intro": ("お使いのウォレットアプリ（OpenID for Verifiable Credential Issuance "
                    "対応）でこの証明を受け取れます。",
                    "Receive this credential in a wallet app that speaks OpenID for "
                    "Verifiable Credential Issuance."),
    "offer.title": ("ウォレットアプリで受け取る", "Receive in a wallet app"),
    "offer.scan": ("ウォレットアプリでこの QR コードを読み取ってください。",
                   "Scan this QR code with your wallet app."),
    "offer.qr_alt": ("証明の提供（OpenID4VCI）の QR コード",
                     "QR code of the credential offer (OpenID4VCI)"),
    "offer.same_device": ("この端末のウォレットアプリで開く",
                          "Open in a wallet app on this device"),
    "offer.tx_code": ("確認コード（ウォレットアプリに入力してください）",
                      "Transaction code (type it into the wallet app)"),
    "offer.tx_code_note": ("確認コードは QR コードに含まれていません。他の人に見せないでください。",
                           "The code is not in the QR code: do not show it to anyone."),
    "offer.expires": ("有効期限：{when}（1 回限り）", "Valid until {when}, once"),
    "offer.refused": ("この証明はウォレットアプリに送れません。",
                      "This credential cannot be sent to a wallet app."),
    "offer.issuer_scan": ("学習者にウォレットアプリでこの QR コードを読み取ってもらってください。",
                          "Have the learner scan this QR code with their wallet app."),
    "offer.issuer_button": ("学習者のウォレットアプリに渡す（OpenID4VCI）",
                            "Hand to the learner's wallet app (OpenID4VCI)"),
    "receive.title": ("他の発行者から受け取る（OpenID4VCI）",
                      "Receive from another issuer (OpenID4VCI)"),
    "receive.form": ("証明の提供（オファー）を貼り付ける", "Paste a credential offer"),
    "receive.intro": ("発行者から届いた openid-credential-offer:// で始まるリンクを貼り付けると、"
                      "証明をこのウォレットに受け取ります。",
                      "Paste the openid-credential-offer:// link an issuer gave you to receive "
                      "the credential into this wallet."),
    "receive.offer": ("証明の提供（オファー）のリンク", "Credential offer link"),
    "receive.offer_hint": ("openid-credential-offer:// で始まります。",
                           "It starts with openid-credential-offer://."),
    "receive.tx_code": ("確認コード（求められた場合）", "Transaction code (if you were given one)"),
    "receive.tx_code_hint": ("発行者から別に伝えられた数字です。",
                             "The digits the issuer gave you separately."),
    "receive.submit": ("受け取る", "Receive"),
    "receive.done": ("証明を受け取りました。", "The credential was received."),
    "receive.already": ("この証明はすでにウォレットにあります。",
                        "This credential is already in your wallet."),
    "receive.open": ("受け取った証明を見る", "See the received credential"),
    "receive.link": ("他の発行者から受け取る", "Receive from another issuer"),
    "answer.title": ("検証者の要求に応える（OpenID4VP）",
                     "Answer a verifier's request (OpenID4VP)"),
    "answer.link": ("検証者の要求に応える", "Answer a verifier's request"),
    "answer.paste": ("提示の要求を貼り付ける", "Paste a presentation request"),
    "answer.intro": ("採用担当者などの検証者から届いた openid4vp:// で始まるリンクを貼り付けると、"
                     "誰が何を求めているかと、それに合うあなたの証明を表示します。"
                     "この段階では何も送りません。",
                     "Paste the openid4vp:// link a verifier (an employer, say) gave you: the "
                     "page shows who asks, for what, and which of your credentials match. "
                     "Nothing is sent yet."),
    "answer.request": ("提示の要求のリンク", "Presentation request link"),
    "answer.request_hint": ("openid4vp:// で始まります。", "It starts with openid4vp://."),
    "answer.read": ("要求を読む", "Read the request"),
    "answer.missing": ("提示の要求のリンクを貼り付けてください。",
                       "Paste the presentation request link."),
    "answer.who": ("要求している相手", "Who asks"),
    "answer.verifier": ("検証者のアドレス", "Verifier's address"),
    "answer.client_id": ("クライアント ID", "Client ID"),
    "answer.unsigned": ("この要求には署名がありません。アドレスが提示先として想定している"
                        "相手のものか確かめてください。",
                        "This request is not signed: check that the address is the one you "
                        "expect to show your credentials to."),
    "answer.signed": ("この要求には {did} の署名があり、ウォレットが署名・宛先・有効期限を確認"
                      "しました。この DID が提示先として想定している相手のものか確かめてください。",
                      "This request is signed by {did}; the wallet checked the signature, "
                      "its audience and that it has not expired. Check that this DID is the "
                      "one you expect to show your credentials to."),
    "answer.signed_by": ("署名者（DID）", "Signed by (DID)"),
    "answer.what": ("求められている証明", "What is asked for"),
    "answer.only_matching": ("それぞれの要求に合う証明だけを選べます。選んだ証明だけが送られます。",
                             "Only credentials that match each request are listed; only the "
                             "ones you choose are sent."),
    "answer.set_required": ("次のうちいずれか 1 つで足ります：{options}",
                            "Any one of these is enough: {options}"),
    "answer.set_optional": ("任意（送らなくても構いません）：{options}",
                            "Optional (you may leave these out): {options}"),
    "answer.query": ("要求 {number}", "Request {number}"),
    "answer.any_type": ("種類の指定なし", "any type"),
    "answer.format.ldp_vc": ("W3C VC、Data Integrity 署名", "W3C VC, Data Integrity proof"),
    "answer.format.jwt_vc_json": ("W3C VC、JWT", "W3C VC as a JWT"),
    "answer.format.dc+sd-jwt": ("SD-JWT VC", "SD-JWT VC"),
    "answer.claims": ("求められている項目", "Claims asked for"),
    "answer.none_for_this": ("この要求には何も送らない", "Send nothing for this request"),
    "answer.no_match": ("ウォレットにこの要求に合う証明はありません。",
                        "Nothing in your wallet matches this request."),
    "answer.cannot": ("ウォレットの証明ではこの要求に応えられません。断ることができます。",
                      "Your wallet holds nothing that answers this request: you can decline."),
    "answer.none": ("送る証明を選んでください。送らない場合は「断る」を押してください。",
                    "Choose the credentials to send, or decline."),
    "answer.unreachable": ("検証者に接続できませんでした（{reason}）。",
                           "The verifier could not be reached: {reason}"),
    "answer.send": ("選んだ証明を {verifier} に送る", "Send the chosen credentials to {verifier}"),
    "answer.decline": ("断る（何も送らない）", "Decline (send nothing)"),
    "answer.sent": ("{verifier} に証明を送りました。", "Your credentials were sent to {verifier}."),
    "answer.sent_what": ("送った内容と送り先", "What was sent, and to whom"),
    "answer.declined": ("要求を断りました。{verifier} には何も送っていません。",
                        "You declined: nothing was sent to {verifier}."),
    "answer.back": ("ウォレットに戻る", "Back to the wallet"),
    "offer.back": ("証明に戻る", "Back to the credential"),
    "verifier.title": ("証明の提示を求める（OpenID4VP）", "Ask for a credential (OpenID4VP)"),
    "verifier.intro": ("応募者のウォレットアプリにマイクロクレデンシャルの提示を求めます。"
                       "QR コードを読み取ってもらうと、届いた証明をこのページで検証します。",
                       "Ask an applicant's wallet app for a micro-credential. Once they scan "
                       "the QR code, what arrives is verified on this page."),
    "verifier.label": ("メモ（応募者名など、任意）", "Note (the applicant's name, optional)"),
    "verifier.create": ("QR コードを作る", "Make the QR code"),
    "verifier.sign_as": ("署名する組織", "Sign the request as"),
    "verifier.sign_as_hint": ("組織の鍵で署名すると、ウォレットは要求が組織からのものか確かめられ"
                              "ます（要求は request_uri で渡されます）。",
                              "Signed with the organisation's key, the request can be checked "
                              "by the wallet as coming from it (it is passed by request_uri)."),
    "verifier.unsigned": ("署名しない（アドレスのみ）", "Do not sign (address only)"),
    "verifier.method": ("ウォレットが要求を取得する方法", "How the wallet fetches the request"),
    "verifier.method_get": ("GET（通常）", "GET (usual)"),
    "verifier.method_post": ("POST（request_uri_method=post）",
                             "POST (request_uri_method=post)"),
    "verifier.did": ("署名に使う組織の DID", "The organisation's DID to sign as"),
    "verifier.did_key": ("did:key（鍵そのもの。ウォレットは何も取得せずに確かめます）",
                         "did:key (the key itself: the wallet checks it without fetching "
                         "anything)"),
    "verifier.did_web": ("did:web（組織のアドレス。ウォレットは DID 文書を取得して確かめます）",
                         "did:web (the organisation's address: the wallet fetches its DID "
                         "document)"),
    "verifier.signed_as": ("署名した組織", "Signed as"),
    "verifier.encrypted": ("回答を暗号化して受け取る（direct_post.jwt）",
                           "Receive the answer encrypted (direct_post.jwt)"),
    "verifier.encrypted_hint": ("ウォレットはこの要求だけの鍵に回答を暗号化して送ります。",
                                "The wallet encrypts its answer to a key made for this request "
                                "alone."),
    "verifier.scan": ("応募者のウォレットアプリでこの QR コードを読み取ってもらってください。",
                      "Have the applicant scan this QR code with their wallet app."),
    "verifier.qr_alt": ("提示要求（OpenID4VP）の QR コード",
                        "QR code of the presentation request (OpenID4VP)"),
    "verifier.waiting": ("まだ回答はありません。読み取り後にこのページを再読み込みしてください。",
                         "No answer yet: reload this page once it has been scanned."),
    "verifier.wallet_link": ("応募者の証明がこの credstack のウォレットにある場合は、次のリンクを"
                             "送ってください。サインインして、提示する証明を選べます。",
                             "If the applicant keeps their credentials in this credstack "
                             "wallet, send them this link: they sign in and choose what to "
                             "present."),
    "verifier.reload": ("再読み込み", "Reload"),
    "verifier.outcome": ("結果", "Outcome"),
    "verifier.verified": ("検証できました", "Verified"),
    "verifier.not_verified": ("検証できませんでした", "Not verified"),
    "verifier.could_not_be_checked": ("確認できませんでした（未判定）", "Could not be checked"),
    "verifier.why": ("理由", "Why"),
    "verifier.undecided_text": ("偽造や失効などの問題は見つかっていませんが、確認に必要な"
                                "情報（発行者の鍵やステータスリスト）を取得できませんでした。"
                                "時間をおいて改めて依頼するか、発行者に確認してください。",
                                "Nothing was found wrong, but what the check needed (the "
                                "issuer's key or a status list) could not be fetched. Ask again "
                                "later, or check with the issuer."),
    "verifier.error": ("ウォレットが提示を断りました", "The wallet declined"),
    "verifier.answered": ("回答のあった証明", "Credentials answered"),
    "verifier.trust": ("発行者の登録", "The issuer in trusted registries"),
}
