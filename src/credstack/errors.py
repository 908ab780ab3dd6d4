"""Every error credstack raises on purpose, in one place.

An error means credstack *could not decide or could not act*; a programme that merely fails a
framework profile is not an error but a validation report with findings.

::

    CredstackError
    ├── InputError                  the caller gave something credstack cannot use
    │   ├── UnreadableInputError    not parseable at all: syntax, encoding, empty (CLI exit 2)
    │   ├── InputTooLargeError      over the size limit for files or request bodies
    │   ├── NestingTooDeepError     JSON in a request nested deeper than any request needs
    │   ├── InvalidTextError        text in a request that no one can read or store: a
    │   │                           control character, a lone surrogate, bytes not UTF-8
    │   ├── DescriptorError         parseable, but not a valid descriptor document
    │   ├── UnknownProfileError     a framework profile id credstack does not know
    │   ├── MalformedCredentialError  a credential or proof credstack cannot even read
    │   │   │                         (bad multibase, missing proof value, wrong types)
    │   │   ├── UnknownContextError   a JSON-LD context that is not bundled (never fetched)
    │   │   ├── UndefinedTermError    a JSON-LD term that does not expand (safe mode)
    │   │   ├── BaseProofError        a selective disclosure base proof shown to a verifier:
    │   │   │                         the holder must derive a disclosure from it first
    │   │   └── UnpresentableCredentialError  a credential a holder cannot put in a
    │   │                             presentation or a CLR (an Open Badges 2.0 assertion,
    │   │                             an unsecured document, something that is no credential)
    │   ├── PresentationRequestError  a presentation asked for without the verifier's
    │   │                           challenge or domain, or for another holder's key
    │   ├── StatusListError         a malformed status list or status entry
    │   ├── PageTokenError          a registry page token this index did not issue (HTTP 400)
    │   ├── UnknownFormatError      a credential format (securing mechanism) credstack does
    │   │                           not issue; the problem lists those it does (HTTP 400)
    │   ├── PathwayError            a pathway (a target's credit rules) or a jurisdiction's
    │   │                           rules that cannot be used: unknown references, cycles in
    │   │                           prerequisites, contradictory caps (each placed by file,
    │   │                           line, column and JSON pointer)
    │   ├── CreditConversionError   credits in a credit system the credit bank does not know
    │   ├── FrameworkError          a competency framework (a CASE 1.1 package, ESCO's files, a
    │   │                           skill standard) that cannot be imported: malformed objects,
    │   │                           duplicate identifiers, cycles in its associations, each
    │   │                           placed by line, column and JSON pointer; nothing is kept
    │   ├── RecordImportError       academic records with bad rows (none written)
    │   ├── UnsupportedMediaError   an upload of a file type that is not accepted (HTTP 415)
    │   └── HostileUploadError      an upload that could attack whoever opens it or whatever
    │                               reads it: scripts or external references in an SVG,
    │                               JavaScript or automatic actions in a PDF, a decompression
    │                               bomb, JSON nested too deeply or with a key repeated
    ├── AuthenticationRequiredError  no valid credentials: not signed in, a bad, expired or
    │   │                            revoked token, a wrong password (HTTP 401)
    │   └── InvalidTokenError       a bearer token that is unknown, expired or revoked
    ├── AccessDeniedError           signed in, but not allowed this action on this
    │   │                           organisation or record (HTTP 403)
    │   ├── CsrfError               a form post without this session's CSRF token
    │   ├── CrossSiteRequestError   a form posted from another site's page (its Origin,
    │   │                           or else its Referer, names another origin)
    │   └── AccountDisabledError    the account was disabled by an administrator: it
    │                               cannot sign in, and its web sessions stop working
    ├── RateLimitedError            too many attempts; ``retry_after`` seconds (HTTP 429)
    ├── SignatureError              a signature does not verify with the given key
    ├── TrustChainError             a federation statement, trust mark or chain refused
    ├── FetchError                  a document could not be fetched (refused URL, network,
    │   │                           too large, bad status)
    │   ├── RedirectRefusedError    a redirect to a URL or address that may not be fetched,
    │   │                           or one redirect too many (nothing is sent to it)
    │   └── TimestampAuthorityError  the time-stamping authority (``CREDSTACK_TSA_URL``) gave
    │                               no usable timestamp: unreachable, an error, a bad reply
    ├── MailError                   an e-mail could not be sent
    │   ├── MailServerError         the SMTP server cannot be used at all: unreachable, no
    │   │                           STARTTLS, a certificate that does not verify, a login
    │   │                           refused (every message waits and is tried again)
    │   └── MailRefusedError        the server refused one message: for good (a 5xx reply,
    │                               ``permanent``) or for now (4xx)
    ├── DidDocumentError            a DID document that cannot give a key (not JSON, another
    │                               DID's, no such method, not an assertion method)
    ├── VerificationMethodUnavailableError  a key that cannot be had at all (host not
    │                               allowed, document unreachable, DID method not resolved)
    ├── StoreUnavailableError       the database cannot be reached just now (restarting, the
    │                               network gone): nothing was written; try again (HTTP 503)
    ├── StoreFullError              the database's disk is full: nothing was written, what
    │                               was stored is intact (HTTP 507)
    ├── NotFoundError               no organisation / programme / version with that key
    ├── ConflictError               the request contradicts the stored state
    │   ├── ImmutableVersionError   a published programme version cannot change
    │   ├── IllegalTransitionError  a review step the application's state does not allow
    │   ├── LedgerError             a credit bank ledger entry the ledger refuses: more than
    │   │                           is available, an expired or withdrawn deposit, one
    │   │                           credential deposited twice
    │   ├── StaleStateError         the record changed since the caller read it (a
    │   │                           concurrent decision); reload and try again
    │   ├── OrganisationSuspendedError  suspended by the operator: issues nothing till reinstated
    │   └── StoreBusyError          the store stayed locked by other writers for longer
    │                               than a request may wait (HTTP 503)
    └── ConfigurationError          the service is set up wrongly (database URL, data dir)
        └── KeyStoreError           the key store cannot be opened (no secret key, wrong key)

Each error carries ``problems``: one :class:`Problem` per thing that was wrong, with the
location (file, row, column, or a descriptor path such as ``learner_effort.hours``) and a
message a user can act on. The web adapter turns them into RFC 9457 problem details in one
place; the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

# Every error carries problems: the one class is re-exported here, where callers find it.
from credstack.problems import Problem as Problem
from credstack.problems import coded
from credstack.problems import json_pointer as json_pointer


class CredstackError(Exception):
    """Base of every deliberate credstack error."""

    #: A short, stable, bilingual title for the kind of error.
    title_en = "credstack error"
    title_ja = "credstack のエラー"
    #: The slug used in RFC 9457 ``type`` URIs.
    slug = "error"

    def __init__(self, message: str = "", *, problems: list[Problem] | tuple[Problem, ...] = (),
                 code: str = "", params: Mapping[str, object] | None = None):
        message = message or coded(code, params or {})
        super().__init__(message)
        #: The message in words, or (raised with a ``code``) the code and its parameters.
        self.message = message
        self.problems: tuple[Problem, ...] = tuple(problems)
        #: What went wrong as a message key and its values, for the entrypoint to word (the
        #: core raises so); empty where ``message`` is words.
        self.code = code
        self.params: Mapping[str, object] = dict(params or {})

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


class NestingTooDeepError(InputError):
    """A request whose JSON is nested deeper than any request needs, refused before it is
    read (:mod:`credstack.entrypoints.web.nesting`)."""

    title_en = "Input nested too deeply"
    title_ja = "入力の入れ子が深すぎます"
    slug = "input-too-deep"


class InvalidTextError(InputError):
    """Text in a request with a control character (other than tab, line feed and carriage
    return), a lone surrogate or bytes that are no UTF-8, refused before it is read
    (:mod:`credstack.entrypoints.web.text`)."""

    title_en = "Unreadable text"
    title_ja = "読み取れない文字が含まれています"
    slug = "invalid-text"


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


class RecipientMismatchError(InputError):
    """A credential names a recipient, and none of the learner's identifiers is it."""

    title_en = "Issued to someone else"
    title_ja = "他の方に発行された証明です"
    slug = "recipient-mismatch"


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


class UnpresentableCredentialError(MalformedCredentialError):
    """A credential that cannot go into a Verifiable Presentation or a CLR: an Open Badges
    2.0 assertion (not a Verifiable Credential), an unsecured document, anything else that is
    not a secured Verifiable Credential."""

    title_en = "Credential cannot be presented"
    title_ja = "提示できない証明です"
    slug = "unpresentable-credential"


class PresentationRequestError(InputError):
    """A presentation asked for without the verifier's challenge or domain (which bind it to
    one request), or to be signed with a key that is not the holder's."""

    title_en = "Invalid presentation request"
    title_ja = "提示の要求が正しくありません"
    slug = "presentation-request"


class StatusListError(InputError):
    title_en = "Malformed status list"
    title_ja = "ステータスリストの形式が正しくありません"
    slug = "status-list"


class PageTokenError(InputError):
    title_en = "Invalid page token"
    title_ja = "ページ指定が正しくありません"
    slug = "invalid-page-token"


class UnknownFormatError(InputError):
    title_en = "Unknown credential format"
    title_ja = "発行できない証明書の形式です"
    slug = "unknown-format"


class PathwayError(InputError):
    """A pathway or jurisdiction rule file that cannot be used; ``problems`` place each
    fault as ``file:line:column /json/pointer``."""

    title_en = "Invalid credit pathway"
    title_ja = "単位認定の経路（ルール）が正しくありません"
    slug = "invalid-pathway"


class FrameworkError(InputError):
    """A competency framework that cannot be imported; ``problems`` place each fault as
    ``source:line:column /json/pointer`` (or the pointer alone when no text was given)."""

    title_en = "Invalid competency framework"
    title_ja = "コンピテンシーフレームワークが正しくありません"
    slug = "invalid-framework"


class RecordImportError(InputError):
    """Academic records with bad rows, each placed by row and column; none is written."""
    title_en = "Academic records not imported"
    title_ja = "学籍・成績データを取り込めません"
    slug = "invalid-academic-records"


class CreditConversionError(InputError):
    """Credits in a credit system the credit bank has no factor for."""

    title_en = "Unknown credit system"
    title_ja = "不明な単位制度です"
    slug = "credit-conversion"


class CreditAdjustmentError(InputError):
    """A registrar's adjustment of a credit decision that its rules do not allow (beyond a
    cap, the target's total or what the credential is worth)."""

    title_en = "Credit adjustment refused"
    title_ja = "単位認定の調整ができません"
    slug = "credit-adjustment"


class DepositRefusedError(InputError):
    """A credential the credit bank does not take: it did not verify when deposited
    (forged, altered, revoked, suspended, expired) or states nothing to count."""

    title_en = "Deposit refused"
    title_ja = "預け入れできません"
    slug = "deposit-refused"


class ExchangeProtocolError(InputError):
    """A request of an exchange protocol (OAuth 2.0, OpenID for Verifiable Credential
    Issuance or Presentations) refused: ``error`` is the specification's error code, answered
    as ``{"error": error, "error_description": …}`` with ``status`` (400, or 401 for a bad
    access token), never as a problem document; the description is its words (``code``) and
    its ``cause``'s, in English and ASCII (:func:`credstack.words.protocol_description`)."""

    title_en = "Exchange request refused"
    title_ja = "交換プロトコルの要求を受け付けられません"
    slug = "exchange-protocol"

    def __init__(self, message: str = "", *, error: str, status: int = 400,
                 problems: list[Problem] | tuple[Problem, ...] = (),
                 cause: CredstackError | None = None, **coded: Any):
        super().__init__(message, problems=problems, **coded)
        self.error, self.status, self.cause = error, status, cause


class UnsupportedMediaError(InputError):
    title_en = "Unsupported file type"
    title_ja = "受け付けられないファイル形式です"
    slug = "unsupported-media"


class HostileUploadError(InputError):
    """An upload refused before it is stored, because it is built to harm: opened in a
    browser or a PDF reader it would run code or fetch from elsewhere, or reading it would
    exhaust memory. Its problems name the chunk, element, attribute or PDF object."""

    title_en = "Unsafe file refused"
    title_ja = "安全でない内容を含むファイルのため受け付けません"
    slug = "hostile-upload"


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


class AccessCodeError(AccessDeniedError):
    """A share link that asks for an access code was opened without it, or with a wrong one."""

    title_en = "Access code needed"
    title_ja = "アクセスコードが必要です"
    slug = "access-code"

    def __init__(self, message: str = "", *, given: bool,
                 problems: list[Problem] | tuple[Problem, ...] = (), code: str = "",
                 params: Mapping[str, object] | None = None):
        super().__init__(message, problems=problems, code=code, params=params)
        #: Whether a code was given (and was wrong), or none was.
        self.given = given


class CsrfError(AccessDeniedError):
    title_en = "Form expired or forged"
    title_ja = "フォームが無効です（期限切れまたは偽造）"
    slug = "csrf"


class CrossSiteRequestError(AccessDeniedError):
    title_en = "Form sent from another site"
    title_ja = "別のサイトから送信されたフォームです"
    slug = "cross-site"


class AccountDisabledError(AccessDeniedError):
    title_en = "Account disabled"
    title_ja = "アカウントが無効化されています"
    slug = "account-disabled"


class RateLimitedError(CredstackError):
    title_en = "Too many attempts"
    title_ja = "試行回数が多すぎます"
    slug = "rate-limited"

    def __init__(self, message: str = "", *, retry_after: int, code: str = "",
                 params: Mapping[str, object] | None = None):
        super().__init__(message, code=code, params=params)
        #: Seconds until another attempt is accepted (the ``Retry-After`` header).
        self.retry_after = retry_after


class SignatureError(CredstackError):
    title_en = "Signature does not verify"
    title_ja = "署名を検証できません"
    slug = "signature"


class TrustChainError(CredstackError):
    """``reason``: ``bad-signature``, ``expired``, ``authority-loop`` …; the message says which."""

    title_en = "Trust chain refused"
    title_ja = "トラストチェーンを受け入れられません"
    slug = "trust-chain"

    def __init__(self, message: str = "", *, reason: str, **coded: Any):
        super().__init__(message, **coded)  # problems, and a code with params in place of words
        self.reason = reason


class OutOfReachError(CredstackError):
    """Something a verification needs from elsewhere — a DID document, a status list, a
    blockchain record — could not be had: credstack was told not to fetch (``offline``), may
    not fetch from there (``not-allowed``), reads no such thing (``unsupported``), or the
    fetch failed (``unreachable``: name, connection, time-out, TLS; ``not-found``: HTTP
    404/410; ``server``: another HTTP status; ``unreadable``: too large, not JSON).

    Nothing about the credential follows from it: the check that needed it is *undecided*
    ("could not be checked"), never failed. ``url`` names what was wanted (a URL or a DID).
    """

    title_en = "Out of reach"
    title_ja = "取得できません"
    slug = "out-of-reach"
    #: Why the thing could not be had, by the words above.
    WHY: ClassVar[frozenset[str]] = frozenset({"offline", "not-allowed", "unsupported",
                                               "unreachable", "not-found", "server",
                                               "unreadable"})

    def __init__(self, message: str, *, why: str = "unreachable", url: str | None = None,
                 problems: list[Problem] | tuple[Problem, ...] = ()):
        super().__init__(message, problems=problems)
        if why not in self.WHY:
            raise ValueError(f"why must be one of {sorted(self.WHY)}, not {why!r}")
        self.why = why
        self.url = url


class FetchError(OutOfReachError):
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


class MailError(CredstackError):
    title_en = "E-mail not sent"
    title_ja = "メールを送信できません"
    slug = "mail"


class MailServerError(MailError):
    title_en = "E-mail server unavailable"
    title_ja = "メールサーバーを利用できません"
    slug = "mail-server"


class MailRefusedError(MailError):
    title_en = "E-mail refused"
    title_ja = "メールが受け付けられませんでした"
    slug = "mail-refused"

    def __init__(self, message: str, *, permanent: bool,
                 problems: list[Problem] | tuple[Problem, ...] = ()):
        super().__init__(message, problems=problems)
        #: A 5xx reply: the message will never be accepted as it is.
        self.permanent = permanent


class DidDocumentError(CredstackError):
    title_en = "Unusable DID document"
    title_ja = "DID ドキュメントを利用できません"
    slug = "did-document"


class VerificationMethodUnavailableError(OutOfReachError):
    title_en = "Verification method not resolvable"
    title_ja = "検証方法を解決できません"
    slug = "verification-method"


class NotFoundError(CredstackError):
    title_en = "Not found"
    title_ja = "見つかりません"
    slug = "not-found"


class GoneError(NotFoundError):
    """Something that existed and no longer does, for good (a revoked or expired share
    link): HTTP 410."""

    title_en = "No longer available"
    title_ja = "公開が終了しています"
    slug = "gone"


class ConflictError(CredstackError):
    title_en = "Conflict with the stored state"
    title_ja = "保存済みの状態と矛盾しています"
    slug = "conflict"


class StoreBusyError(ConflictError):
    """The store stayed locked by other writers for longer than a request may wait."""

    title_en = "The store is busy"
    title_ja = "データベースが混み合っています"
    slug = "store-busy"
    #: Seconds a client should wait before trying again (the HTTP ``Retry-After``).
    retry_after = 2


class StoreUnavailableError(CredstackError):
    """The database cannot be reached just now: it is restarting, or the network to it is
    gone. The transaction was rolled back; the same request may be sent again."""

    title_en = "The store cannot be reached"
    title_ja = "データベースに接続できません"
    slug = "store-unavailable"
    retry_after = 5


class StoreFullError(CredstackError):
    """The database's disk is full: the transaction was rolled back, and what was stored
    before is intact."""

    title_en = "The store's disk is full"
    title_ja = "データベースのディスクが一杯です"
    slug = "store-full"


class ImmutableVersionError(ConflictError):
    title_en = "Published version is immutable"
    title_ja = "公開済みの版は変更できません"
    slug = "immutable-version"


class IllegalTransitionError(ConflictError):
    title_en = "Step not allowed in this state"
    title_ja = "この状態では実行できない手続きです"
    slug = "illegal-transition"


class LedgerError(ConflictError):
    """A credit bank ledger entry that the entries before it do not allow."""

    title_en = "Credit ledger entry refused"
    title_ja = "単位台帳への記帳ができません"
    slug = "credit-ledger"


class StaleStateError(ConflictError):
    title_en = "Changed by someone else"
    title_ja = "他の利用者によって更新されています"
    slug = "stale-state"


class OrganisationSuspendedError(ConflictError):
    """Suspended by the operator: issues nothing (its programmes stay readable) till reinstated."""

    title_en = "Organisation suspended"
    title_ja = "組織は停止中です"
    slug = "organisation-suspended"


class ConfigurationError(CredstackError):
    title_en = "Configuration error"
    title_ja = "設定エラー"
    slug = "configuration"


class KeyStoreError(ConfigurationError):
    title_en = "Key store unavailable"
    title_ja = "鍵ストアを利用できません"
    slug = "key-store"
