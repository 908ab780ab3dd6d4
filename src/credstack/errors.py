"""Every error credstack raises on purpose, in one place.

An error means credstack *could not decide or could not act*; a programme that merely fails a
framework profile is not an error but a validation report with findings.

::

    CredstackError
    ├── InputError                  the caller gave something credstack cannot use
    │   ├── UnreadableInputError    not parseable at all: syntax, encoding, empty (CLI exit 2)
    │   ├── InputTooLargeError      over the size limit for files or request bodies
    │   ├── DescriptorError         parseable, but not a valid descriptor document
    │   ├── UnknownProfileError     a framework profile id credstack does not know
    │   ├── MalformedCredentialError  a credential or proof credstack cannot even read
    │   │   │                         (bad multibase, missing proof value, wrong types)
    │   │   ├── UnknownContextError   a JSON-LD context that is not bundled (never fetched)
    │   │   ├── UndefinedTermError    a JSON-LD term that does not expand (safe mode)
    │   │   └── BaseProofError        a selective disclosure base proof shown to a verifier:
    │   │                             the holder must derive a disclosure from it first
    │   ├── StatusListError         a malformed status list or status entry
    │   ├── PageTokenError          a registry page token this index did not issue (HTTP 400)
    │   └── UnsupportedMediaError   an upload of a file type that is not accepted (HTTP 415)
    ├── AuthenticationRequiredError  no valid credentials: not signed in, a bad, expired or
    │   │                            revoked token, a wrong password (HTTP 401)
    │   └── InvalidTokenError       a bearer token that is unknown, expired or revoked
    ├── AccessDeniedError           signed in, but not allowed this action on this
    │   │                           organisation or record (HTTP 403)
    │   ├── CsrfError               a form post without this session's CSRF token
    │   └── AccountDisabledError    the account was disabled by an administrator: it
    │                               cannot sign in, and its web sessions stop working
    ├── RateLimitedError            too many attempts; ``retry_after`` seconds (HTTP 429)
    ├── SignatureError              a signature does not verify with the given key
    ├── FetchError                  a document could not be fetched (refused URL, network,
    │   │                           too large, bad status)
    │   ├── RedirectRefusedError    a redirect to a URL or address that may not be fetched,
    │   │                           or one redirect too many (nothing is sent to it)
    │   └── TimestampAuthorityError  the time-stamping authority (``CREDSTACK_TSA_URL``) gave
    │                               no usable timestamp: unreachable, an error, a bad reply
    ├── DidDocumentError            a DID document that cannot give a key (not JSON, another
    │                               DID's, no such method, not an assertion method)
    ├── VerificationMethodUnavailableError  a key that cannot be had at all (host not
    │                               allowed, document unreachable, DID method not resolved)
    ├── NotFoundError               no organisation / programme / version with that key
    ├── ConflictError               the request contradicts the stored state
    │   ├── ImmutableVersionError   a published programme version cannot change
    │   ├── IllegalTransitionError  a review step the application's state does not allow
    │   └── StaleStateError         the record changed since the caller read it (a
    │                               concurrent decision); reload and try again
    └── ConfigurationError          the service is set up wrongly (database URL, data dir)
        └── KeyStoreError           the key store cannot be opened (no secret key, wrong key)

Each error carries ``problems``: one :class:`Problem` per thing that was wrong, with the
location (file, row, column, or a descriptor path such as ``learner_effort.hours``) and a
message a user can act on. The web adapter turns them into RFC 9457 problem details in one
place; the CLI prints them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing that was wrong, and where."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class CredstackError(Exception):
    """Base of every deliberate credstack error."""

    #: A short, stable, bilingual title for the kind of error.
    title_en = "credstack error"
    title_ja = "credstack のエラー"
    #: The slug used in RFC 9457 ``type`` URIs.
    slug = "error"

    def __init__(self, message: str, *, problems: list[Problem] | tuple[Problem, ...] = ()):
        super().__init__(message)
        self.message = message
        self.problems: tuple[Problem, ...] = tuple(problems)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = [self.message, *(f"  - {p}" for p in self.problems)]
        return "\n".join(lines)


class InputError(CredstackError):
    title_en = "Invalid input"
    title_ja = "入力が正しくありません"
    slug = "invalid-input"


class UnreadableInputError(InputError):
    title_en = "Unreadable input"
    title_ja = "入力を読み取れません"
    slug = "unreadable-input"


class InputTooLargeError(InputError):
    title_en = "Input too large"
    title_ja = "入力が大きすぎます"
    slug = "input-too-large"


class DescriptorError(InputError):
    title_en = "Invalid descriptor document"
    title_ja = "記述子の内容が正しくありません"
    slug = "invalid-descriptors"


class UnknownProfileError(InputError):
    title_en = "Unknown framework profile"
    title_ja = "不明なフレームワークプロファイル"
    slug = "unknown-profile"


class MalformedCredentialError(InputError):
    title_en = "Malformed credential"
    title_ja = "証明の形式が正しくありません"
    slug = "malformed-credential"


class UnknownContextError(MalformedCredentialError):
    title_en = "Unknown JSON-LD context"
    title_ja = "不明な JSON-LD コンテキスト"
    slug = "unknown-context"


class UndefinedTermError(MalformedCredentialError):
    title_en = "Undefined JSON-LD term"
    title_ja = "定義されていない JSON-LD の用語"
    slug = "undefined-term"


class BaseProofError(MalformedCredentialError):
    title_en = "Base proof given to a verifier"
    title_ja = "検証者に渡されたベース証明"
    slug = "base-proof"


class StatusListError(InputError):
    title_en = "Malformed status list"
    title_ja = "ステータスリストの形式が正しくありません"
    slug = "status-list"


class PageTokenError(InputError):
    title_en = "Invalid page token"
    title_ja = "ページ指定が正しくありません"
    slug = "invalid-page-token"


class UnsupportedMediaError(InputError):
    title_en = "Unsupported file type"
    title_ja = "受け付けられないファイル形式です"
    slug = "unsupported-media"


class AuthenticationRequiredError(CredstackError):
    title_en = "Sign-in required"
    title_ja = "サインインが必要です"
    slug = "authentication-required"


class InvalidTokenError(AuthenticationRequiredError):
    title_en = "Invalid access token"
    title_ja = "アクセストークンが無効です"
    slug = "invalid-token"


class AccessDeniedError(CredstackError):
    title_en = "Not allowed"
    title_ja = "許可されていません"
    slug = "access-denied"


class CsrfError(AccessDeniedError):
    title_en = "Form expired or forged"
    title_ja = "フォームが無効です（期限切れまたは偽造）"
    slug = "csrf"


class AccountDisabledError(AccessDeniedError):
    title_en = "Account disabled"
    title_ja = "アカウントが無効化されています"
    slug = "account-disabled"


class RateLimitedError(CredstackError):
    title_en = "Too many attempts"
    title_ja = "試行回数が多すぎます"
    slug = "rate-limited"

    def __init__(self, message: str, *, retry_after: int,
                 problems: list[Problem] | tuple[Problem, ...] = ()):
        super().__init__(message, problems=problems)
        #: Seconds until another attempt is accepted (the ``Retry-After`` header).
        self.retry_after = retry_after


class SignatureError(CredstackError):
    title_en = "Signature does not verify"
    title_ja = "署名を検証できません"
    slug = "signature"


class FetchError(CredstackError):
    title_en = "Cannot fetch"
    title_ja = "取得できません"
    slug = "fetch"


class RedirectRefusedError(FetchError):
    title_en = "Redirect refused"
    title_ja = "リダイレクト先を取得しません"
    slug = "redirect-refused"


class TimestampAuthorityError(FetchError):
    title_en = "No timestamp from the time-stamping authority"
    title_ja = "タイムスタンプ局からタイムスタンプを取得できません"
    slug = "timestamp-authority"


class DidDocumentError(CredstackError):
    title_en = "Unusable DID document"
    title_ja = "DID ドキュメントを利用できません"
    slug = "did-document"


class VerificationMethodUnavailableError(CredstackError):
    title_en = "Verification method not resolvable"
    title_ja = "検証方法を解決できません"
    slug = "verification-method"


class NotFoundError(CredstackError):
    title_en = "Not found"
    title_ja = "見つかりません"
    slug = "not-found"


class ConflictError(CredstackError):
    title_en = "Conflict with the stored state"
    title_ja = "保存済みの状態と矛盾しています"
    slug = "conflict"


class ImmutableVersionError(ConflictError):
    title_en = "Published version is immutable"
    title_ja = "公開済みの版は変更できません"
    slug = "immutable-version"


class IllegalTransitionError(ConflictError):
    title_en = "Step not allowed in this state"
    title_ja = "この状態では実行できない手続きです"
    slug = "illegal-transition"


class StaleStateError(ConflictError):
    title_en = "Changed by someone else"
    title_ja = "他の利用者によって更新されています"
    slug = "stale-state"


class ConfigurationError(CredstackError):
    title_en = "Configuration error"
    title_ja = "設定エラー"
    slug = "configuration"


class KeyStoreError(ConfigurationError):
    title_en = "Key store unavailable"
    title_ja = "鍵ストアを利用できません"
    slug = "key-store"
