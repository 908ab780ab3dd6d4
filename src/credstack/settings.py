"""The one place credstack reads its configuration from the environment.

``CREDSTACK_DATA_DIR``       where the embedded SQLite database lives (default ``./.credstack``)
``CREDSTACK_DATABASE_URL``   a database URL; ``postgresql://…`` selects PostgreSQL (psycopg 3)
``CREDSTACK_DID_WEB_ALLOW``  the hosts whose did:web documents the verifier may fetch, as
                             comma-separated domain names (``issuer.example.ac.jp,
                             badges.example.org``; exact names, no ports or wildcards); empty
                             (the default): any public host. credstack's own organisations'
                             DIDs are read from the store, never fetched, whatever it says
``CREDSTACK_VERIFY_OFFLINE`` ``1`` (or ``true``, ``yes``, ``on``): the verifier fetches nothing
                             — no did:web document, no controller document, no status list;
                             what needs one is "could not be checked". credstack's own
                             organisations' keys and status lists are still read from the
                             store. Default off
``CREDSTACK_TRUST_REGISTRIES`` the registries the issuer is looked up in: ``own``,
                             ``oidf:<anchor URL>``, ``dcc:<registry.json URL>``, comma-separated
                             (default ``own``; ``none``: no check; see docs/configuration.md)
``CREDSTACK_REQUIRE_TRUSTED`` ``1``: the VC-API fails an issuer no trusted registry lists
``CREDSTACK_MAX_BODY_BYTES`` the largest HTTP request body accepted (default 1 MiB)
``CREDSTACK_PUBLIC_URL``     the address credstack is reached at; it names the organisations'
                             did:web identifiers and goes into every credential, QR code and
                             status-list URL (default: where ``credstack serve`` listens,
                             ``http://localhost:<port>``; ``http://localhost:8000`` elsewhere)
``CREDSTACK_CANONICAL_HOST`` ``on``: browsers' page requests at another host (``127.0.0.1``)
                             are sent to the public URL's (``serve`` decides it on its own)
``CREDSTACK_SECRET_KEY``     the master key of the issuer key store: base64url of 32 random
                             bytes, as ``credstack keys secret`` prints
``CREDSTACK_SECRET_KEY_FILE`` a file holding that master key instead
``CREDSTACK_BACKUP_KEY_FILE`` the operator's key file backups are signed with (default:
                             ``<data dir>-backup.key``); never in a backup: keep it apart
``CREDSTACK_DEFAULT_ISSUER`` the organisation (slug) that signs VC-API issue requests; without
                             it, the one organisation that has an issuer key
``CREDSTACK_ISSUE_STATUS``   the status purposes (``revocation``, ``suspension``, comma-separated)
                             the VC-API issuer gives a credential whose request asks for none
                             (no ``options.credentialStatus``); a VC 1.1 credential without the
                             status context gets none. Empty (the default): entries only when
                             asked. ``options.credentialStatus: []`` always asks for none
``CREDSTACK_TOKEN_TTL``      seconds an OAuth access token is valid (default 3600)
``CREDSTACK_SESSION_TTL``    seconds a web sign-in lasts at most (default 43200, 12 hours)
``CREDSTACK_PASSWORD_MEMORY_KIB`` KiB of memory a password's argon2id hash takes (default
                             19456, OWASP's minimum; at least 8: the tests' cheap setting)
``CREDSTACK_SESSION_IDLE``   seconds of inactivity after which a web sign-in ends (default
                             1800); the session cookie is ``Secure`` whenever
                             ``CREDSTACK_PUBLIC_URL`` is https
``CREDSTACK_OB2_ALGORITHM``  the JWS algorithm of new Open Badges 2.0 keys: ``RS256``
                             (default; the 1EdTech validator accepts nothing else) or ``ES256``
``CREDSTACK_OB2_CONTACT_EMAIL`` the contact e-mail address every OB 2.0 issuer profile shows
                             (OB 2.0 requires one; without it verifiers refuse the profiles)
``CREDSTACK_TSA_URL``        an RFC 3161 time-stamping authority (``http://`` or ``https://``):
                             PDF certificates get a signature timestamp (PAdES B-T); a TSA
                             that fails fails the PDF. Without it: PAdES B-B, no timestamp
``CREDSTACK_TSA_TRUST``      a PEM file of the TSA root certificates whose timestamps the PDF
                             verifier accepts (nothing is fetched); required with
                             ``CREDSTACK_TSA_URL``
``CREDSTACK_CONTEXTS_FILE``  a JSON file mapping JSON-LD context URLs to files (paths relative
                             to it) that the operator pins besides the bundled contexts; never
                             fetched. Read by the process's one document loader, so every
                             command honours it, with a store or without (see
                             :mod:`credstack.adapters.resolvers.contexts.pinned`)
``CREDSTACK_JOBS_URL``       where background jobs are queued: ``redis://host:6379/0`` (or
                             ``rediss://``) for a Redis server, ``postgresql://…`` for a
                             PostgreSQL database, so that ``credstack worker`` processes on
                             several machines share one queue. Empty (the default): an embedded
                             SQLite queue in the data directory (``jobs.sqlite3``), and
                             ``credstack serve`` runs a worker in its own process
``CREDSTACK_JOBS_STALE``     seconds without a heartbeat after which a running job is taken to
                             have lost its worker (killed, machine gone) and is queued again
                             (default 60; workers beat four times as often)
``CREDSTACK_SMTP_HOST``      the SMTP server e-mail is sent through (a host name or address).
                             Without it e-mail is still queued (nothing is dropped) and the
                             outbox (``credstack mail outbox``) says sending is not configured
``CREDSTACK_SMTP_PORT``      its port (default 587, the submission port)
``CREDSTACK_SMTP_USERNAME``  the user name to authenticate with (optional)
``CREDSTACK_SMTP_PASSWORD``  its password (required with a user name; never logged)
``CREDSTACK_SMTP_SECURITY``  ``starttls`` (default: upgrade the connection, refuse a server
                             that cannot), ``tls`` (TLS from the first byte, port 465) or
                             ``none`` (plain text, allowed only to a loopback host such as a
                             local relay). The server's certificate is always verified
``CREDSTACK_SMTP_CA_FILE``   a PEM file of the certificate authorities the SMTP server's
                             certificate is verified against instead of the system's (a
                             private relay, tests)
``CREDSTACK_DEMO``           ``on`` for a demo or development server (``credstack serve --demo``
                             turns it on): without SMTP, e-mail is kept in a local mailbox
                             (``/mailbox``) where each person reads their own, so that signing
                             up works; the sign-in page lists the demo accounts. Never on in
                             production: the mailbox shows anyone the e-mail of an address
``CREDSTACK_MAIL_FROM``      the sender address of every e-mail (``noreply@example.ac.jp``);
                             required with ``CREDSTACK_SMTP_HOST``. The display name is the
                             sending organisation's (its sender name, else its name)
``CREDSTACK_LOG_FORMAT``     ``text`` (default: readable lines for a terminal) or ``json``
                             (one JSON object a line: time, level, event, request id, route,
                             status, duration — for a log collector); ``credstack serve
                             --log-format`` and ``credstack worker --log-format`` say the same
``CREDSTACK_METRICS_TOKEN``  a secret that lets a Prometheus server read ``/metrics`` from
                             anywhere, sent as ``Authorization: Bearer <token>``; without it
                             ``/metrics`` answers loopback clients only
``CREDSTACK_TRUSTED_PROXIES`` the reverse proxies whose ``X-Forwarded-For`` and
                             ``X-Forwarded-Proto`` are believed, as comma-separated addresses
                             or networks (``127.0.0.1``, ``10.0.0.0/8``). Empty (the default):
                             no forwarded header is, and the address that connected is the
                             client's for every limit, audit entry and log line
``CREDSTACK_FEDERATION_IMPORT_SECONDS`` the seconds one OpenID Federation import or
                             refresh of a source may take (default 300); past them it stops and
                             keeps the subordinates read, saying so
``CREDSTACK_FEDERATION_SUBORDINATES`` the most subordinates one import or refresh reads of a
                             source's list (default 2000); the rest are left out, said so
``CREDSTACK_ELM_DIR``        the European Learning Model files EDCs are read with (EDC-AP
                             context, SHACL shapes, EBSI schema), each checked by its digest
``CREDSTACK_ELM_TRUST``      a PEM file of the e-seal and TSA certificates EDCs are trusted from
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

from credstack.core.credentials.issue_requests import MANAGED_PURPOSES
from credstack.core.dids import did_web
from credstack.core.mail.addresses import is_mail_address
from credstack.errors import ConfigurationError
from credstack.networks import did_web_allow, is_loopback, trusted_proxies

DEFAULT_DATA_DIR = Path(".credstack")
CONTEXTS_FILE_ENV = "CREDSTACK_CONTEXTS_FILE"
#: did:web forbids IP addresses, so the default names the loopback host by its domain name.
DEFAULT_PUBLIC_URL = "http://localhost:8000"
PASSWORD_MEMORY_KIB = 19 * 1024  # argon2id's per password hash: OWASP's minimum, 19 MiB


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    max_body_bytes: int = 1024 * 1024
    public_url: str = DEFAULT_PUBLIC_URL
    #: The key store's master key as text; kept out of ``repr`` so it never reaches a log.
    secret_key: str | None = field(default=None, repr=False)
    secret_key_file: Path | None = None
    #: Hosts whose did:web documents may be fetched (lower case); empty: any public host.
    did_web_allow: tuple[str, ...] = ()
    #: Whether the verifier fetches nothing (``CREDSTACK_VERIFY_OFFLINE``).
    verify_offline: bool = False
    #: The registries the trust check asks, in order: ``("own", "")``, ``("oidf", url)``,
    #: ``("dcc", url)`` (``CREDSTACK_TRUST_REGISTRIES``).
    trust_registries: tuple[tuple[str, str], ...] = (("own", ""),)
    #: Whether the VC-API fails a credential of an issuer no trusted registry lists.
    require_trusted: bool = False
    #: The organisation (slug) whose keys sign VC-API issue requests.
    default_issuer: str | None = None
    #: The status purposes a VC-API credential gets when its request asks for none.
    issue_status: tuple[str, ...] = ()
    #: Seconds an OAuth 2.0 access token is valid.
    token_ttl: int = 3600
    #: Seconds a web session lasts at most, and without a request.
    session_ttl: int = 12 * 3600
    session_idle: int = 30 * 60
    password_memory_kib: int = PASSWORD_MEMORY_KIB  # services.accounts.hashing
    #: The JWS algorithm of new Open Badges 2.0 keys (``RS256`` or ``ES256``).
    ob2_algorithm: str = "RS256"
    #: The contact e-mail address of this deployment's Open Badges 2.0 issuer profiles.
    ob2_contact_email: str | None = None
    #: The RFC 3161 time-stamping authority PDF signatures are timestamped by (PAdES B-T).
    tsa_url: str | None = None
    #: A PEM file of the TSA root certificates the PDF verifier trusts timestamps from.
    tsa_trust: Path | None = None
    #: Where background jobs are queued (Redis or PostgreSQL URL); None: embedded SQLite.
    jobs_url: str | None = field(default=None, repr=False)
    #: Seconds without a heartbeat after which a running job is queued again.
    jobs_stale: int = 60
    #: The SMTP server e-mail is sent through; ``None``: e-mail waits in the outbox.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    #: Kept out of ``repr`` so it never reaches a log.
    smtp_password: str | None = field(default=None, repr=False)
    #: ``starttls``, ``tls`` or ``none`` (loopback hosts only).
    smtp_security: str = "starttls"
    #: A PEM file of the CAs the SMTP server's certificate is verified against.
    smtp_ca_file: Path | None = None
    #: The sender address of every e-mail.
    mail_from: str | None = None
    #: Whether people may make an account on their own (``/sign-up``, verified by e-mail);
    #: off for closed deployments, where administrators and invitations make every account.
    sign_up: bool = True
    #: A demo or development server: e-mail is readable in its local mailbox (``/mailbox``)
    #: and the sign-in page lists the demo accounts. Never in production.
    demo: bool = False
    canonical_host: bool = False  # browsers sent to the public URL's host (web.hosts)
    #: Where the audit log's signed checkpoints are appended (best on another volume than
    #: the store); ``None``: :attr:`checkpoint_file`'s default, beside the data directory.
    audit_checkpoints: Path | None = None
    backup_key_file: Path | None = None  # services.operations.backup signs with it
    #: ``text`` (readable lines) or ``json`` (one object a line, for a log collector).
    log_format: str = "text"
    #: The bearer token ``/metrics`` accepts from any address; ``None``: loopback only.
    metrics_token: str | None = field(default=None, repr=False)
    #: The built manual (MkDocs' ``site/``) served at ``/manual/``; ``None``: not served.
    manual_dir: Path | None = None
    #: Refused requests of one address and kind audited one by one each minute; past it they
    #: are counted into one entry (``services.access.service.Refusals``).
    audit_refusals_per_minute: int = 30
    #: Entries between two audit checkpoints: the transaction whose entries reach a multiple
    #: of it appends one (``services.audit.checkpoints``), besides those in time.
    audit_checkpoint_every: int = 1000
    #: Clients one address may register (RFC 7591, open to anyone) in an hour.
    oauth_registrations_per_hour: int = 20
    #: The proxies whose forwarded headers are believed (addresses or networks); empty: none.
    trusted_proxies: tuple[str, ...] = ()
    #: Seconds one federation import or refresh may take, keeping what it read by then.
    federation_import_seconds: int = 300
    #: The most subordinates one federation import or refresh reads of a source's list.
    federation_subordinates: int = 2000
    #: The ELM files (docs/elm.md) and the trusted e-seal certificates (PEM) for EDCs.
    elm_dir: Path | None = None
    elm_trust: Path | None = None

    @classmethod
    def from_env(cls, *, data_dir: Path | None = None, database_url: str | None = None,
                 default_public_url: str = DEFAULT_PUBLIC_URL) -> Settings:
        """The settings of the environment; ``default_public_url`` is the public URL when
        ``CREDSTACK_PUBLIC_URL`` is not set (the server passes where it listens)."""
        directory = data_dir or Path(os.environ.get("CREDSTACK_DATA_DIR") or DEFAULT_DATA_DIR)
        url = database_url or os.environ.get("CREDSTACK_DATABASE_URL") or ""
        if not url:
            url = _embedded_url(directory)
        raw_limit = os.environ.get("CREDSTACK_MAX_BODY_BYTES", str(1024 * 1024))
        try:
            limit = int(raw_limit)
        except ValueError:
            raise ConfigurationError(
                f"CREDSTACK_MAX_BODY_BYTES must be a whole number of bytes, not {raw_limit!r}."
            ) from None
        key_file = os.environ.get("CREDSTACK_SECRET_KEY_FILE") or None
        tsa = tsa_url(os.environ.get("CREDSTACK_TSA_URL"))
        trust = (os.environ.get("CREDSTACK_TSA_TRUST") or "").strip()
        if tsa is not None and not trust:
            # Without trusted TSA roots credstack's own verifier would fail every timestamped
            # certificate it makes.
            raise ConfigurationError("CREDSTACK_TSA_URL needs CREDSTACK_TSA_TRUST: a PEM file of "
                                     "the TSA root certificates timestamps are verified with.")
        return cls(data_dir=directory, database_url=normalise_database_url(url),
                   max_body_bytes=limit,
                   public_url=public_url(configured_public_url() or default_public_url),
                   secret_key=os.environ.get("CREDSTACK_SECRET_KEY") or None,
                   secret_key_file=Path(key_file) if key_file else None,
                   did_web_allow=did_web_allow(os.environ.get("CREDSTACK_DID_WEB_ALLOW")),
                   verify_offline=_switch("CREDSTACK_VERIFY_OFFLINE", default=False),
                   trust_registries=trust_registries(
                       os.environ.get("CREDSTACK_TRUST_REGISTRIES")),
                   require_trusted=_switch("CREDSTACK_REQUIRE_TRUSTED", default=False),
                   default_issuer=os.environ.get("CREDSTACK_DEFAULT_ISSUER") or None,
                   issue_status=issue_status(os.environ.get("CREDSTACK_ISSUE_STATUS")),
                   token_ttl=_seconds("CREDSTACK_TOKEN_TTL", 3600),
                   session_ttl=_seconds("CREDSTACK_SESSION_TTL", 12 * 3600),
                   session_idle=_seconds("CREDSTACK_SESSION_IDLE", 30 * 60),
                   password_memory_kib=_positive("CREDSTACK_PASSWORD_MEMORY_KIB",
                                                 PASSWORD_MEMORY_KIB, unit=" (8 or more)", least=8),
                   ob2_algorithm=ob2_algorithm(os.environ.get("CREDSTACK_OB2_ALGORITHM")),
                   ob2_contact_email=(os.environ.get("CREDSTACK_OB2_CONTACT_EMAIL") or ""
                                      ).strip() or None,
                   tsa_url=tsa, tsa_trust=Path(trust) if trust else None,
                   jobs_url=jobs_url(os.environ.get("CREDSTACK_JOBS_URL")),
                   jobs_stale=_seconds("CREDSTACK_JOBS_STALE", 60),
                   sign_up=_switch("CREDSTACK_SIGN_UP", default=True),
                   demo=_switch("CREDSTACK_DEMO", default=False),
                   canonical_host=_switch("CREDSTACK_CANONICAL_HOST", default=False),
                   audit_checkpoints=_path("CREDSTACK_AUDIT_CHECKPOINTS"),
                   backup_key_file=_path("CREDSTACK_BACKUP_KEY_FILE"),
                   log_format=log_format(os.environ.get("CREDSTACK_LOG_FORMAT")),
                   metrics_token=(os.environ.get("CREDSTACK_METRICS_TOKEN") or "").strip() or None,
                   manual_dir=manual_dir(os.environ.get("CREDSTACK_MANUAL_DIR")),
                   audit_refusals_per_minute=_positive("CREDSTACK_AUDIT_REFUSALS_PER_MINUTE", 30),
                   oauth_registrations_per_hour=_positive(
                       "CREDSTACK_OAUTH_REGISTRATIONS_PER_HOUR", 20),
                   audit_checkpoint_every=_positive("CREDSTACK_AUDIT_CHECKPOINT_EVERY", 1000),
                   trusted_proxies=trusted_proxies(
                       os.environ.get("CREDSTACK_TRUSTED_PROXIES")),
                   federation_import_seconds=_seconds("CREDSTACK_FEDERATION_IMPORT_SECONDS",
                                                      300),
                   federation_subordinates=_positive("CREDSTACK_FEDERATION_SUBORDINATES", 2000),
                   elm_dir=_path("CREDSTACK_ELM_DIR"), elm_trust=_path("CREDSTACK_ELM_TRUST"),
                   **smtp_settings(os.environ))

    @property
    def checkpoint_file(self) -> Path:
        """Where the audit checkpoints go: ``audit_checkpoints``, else beside the data
        directory (wiping it leaves them), else inside it where an install began so."""
        if self.audit_checkpoints is not None:
            return self.audit_checkpoints
        inside = self.data_dir / "audit-checkpoints.jsonl"
        if inside.exists():
            return inside
        return self.data_dir.with_name(f"{self.data_dir.name}-audit-checkpoints.jsonl")

    @property
    def mail_configured(self) -> bool:
        """Whether e-mail can be sent (an SMTP server is configured)."""
        return self.smtp_host is not None

    @property
    def local_mailbox(self) -> bool:
        """Whether e-mail waits in the local mailbox (``/mailbox``): a demo without SMTP."""
        return self.demo and not self.mail_configured

    @property
    def mail_reaches_people(self) -> bool:
        """Whether people can read their e-mail: it is sent, or in a demo's local mailbox."""
        return self.mail_configured or self.local_mailbox

    @property
    def sign_up_open(self) -> bool:
        """Whether people may sign up now: it is on and e-mail reaches them (to confirm)."""
        return self.sign_up and self.mail_reaches_people

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def store_location(self) -> str:
        """Where the store is: the SQLite file, or the database URL, its password ``***``."""
        parts = urlsplit(self.database_url)
        if self.is_sqlite or parts.password is None:
            return self.database_url.removeprefix("sqlite:///")
        credentials, _, host = parts.netloc.rpartition("@")
        return urlunsplit(parts._replace(netloc=f"{credentials.partition(':')[0]}:***@{host}"))

    @property
    def embedded_jobs(self) -> bool:
        """Whether jobs are queued in the data directory (the web service runs a worker)."""
        return self.jobs_url is None

    @property
    def secure_cookies(self) -> bool:
        """Whether cookies are ``Secure`` (sent over HTTPS only): the public URL is https."""
        return self.public_url.startswith("https://")

    @property
    def uses_embedded_database(self) -> bool:
        """Whether the store is the default SQLite file inside the data directory."""
        return self.database_url == _embedded_url(self.data_dir)


def _switch(variable: str, *, default: bool) -> bool:
    """An on/off setting: ``on``, ``true``, ``yes``, ``1`` or ``off``, ``false``, ``no``, ``0``."""
    raw = (os.environ.get(variable) or "").strip().lower()
    if not raw:
        return default
    if raw in {"on", "true", "yes", "1"}:
        return True
    if raw in {"off", "false", "no", "0"}:
        return False
    raise ConfigurationError(f"{variable} must be on or off, not {raw!r}.")


#: Where ``python3 dev.py test`` builds the manual in a checkout: ``site/`` beside ``src/``.
BUILT_MANUAL = Path(__file__).resolve().parents[2] / "site"


def manual_dir(value: str | None) -> Path | None:
    """``CREDSTACK_MANUAL_DIR``: a folder holding a built manual (its ``index.html``); unset,
    the manual built in this checkout when there is one (an installed package has none)."""
    if value and value.strip():
        folder = Path(value.strip())
        if not (folder / "index.html").is_file():
            raise ConfigurationError(f"CREDSTACK_MANUAL_DIR={value}: no index.html there; "
                                     "build the manual into that folder with `mkdocs build "
                                     "--site-dir`, or unset it.")
        return folder
    return BUILT_MANUAL if (BUILT_MANUAL / "index.html").is_file() else None


def _path(variable: str) -> Path | None:
    raw = (os.environ.get(variable) or "").strip()
    return Path(raw).expanduser() if raw else None


def _seconds(variable: str, default: int) -> int:
    return _positive(variable, default, unit=" of seconds")


def _positive(variable: str, default: int, *, unit: str = "", least: int = 1) -> int:
    raw = os.environ.get(variable) or str(default)
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < least:
        raise ConfigurationError(f"{variable} must be a positive whole number{unit}, not {raw!r}.")
    return value


def _embedded_url(directory: Path) -> str:
    return f"sqlite:///{(directory / 'credstack.sqlite3').resolve()}"


def configured_public_url() -> str | None:
    """``CREDSTACK_PUBLIC_URL`` as it is set, or ``None`` when it is not."""
    return (os.environ.get("CREDSTACK_PUBLIC_URL") or "").strip() or None


def listening_url(host: str, port: int) -> str:
    """The public URL of a server listening on ``host``:``port`` when none is configured.

    did:web forbids IP addresses, so the loopback and wildcard interfaces (and any other IP
    address, which no did:web can name) are called ``localhost``; a host name is kept.
    """
    name = host.strip().strip("[]").lower() or "localhost"
    try:
        ipaddress.ip_address(name)
        name = "localhost"
    except ValueError:
        pass
    url = f"http://{name}" if port == 80 else f"http://{name}:{port}"
    try:
        did_web.did_for(url)
    except ValueError:
        return f"http://localhost:{port}"
    return url


def answers_at(public: str, host: str, port: int) -> bool:
    """Whether a server listening on ``host``:``port`` answers at the public URL ``public``
    itself, without a reverse proxy in between: plain HTTP on the same port, and the same
    host unless it listens on every interface (then any name of the machine reaches it)."""
    parts = urlsplit(public)
    if parts.scheme != "http" or (parts.port or 80) != port:
        return False
    wanted = (parts.hostname or "").lower()
    listening = host.strip().strip("[]").lower()
    if listening in _WILDCARDS:
        return True
    if wanted in _LOOPBACK_NAMES:
        return listening in _LOOPBACK_NAMES
    return wanted == listening


_WILDCARDS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 (names, not a bind)
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def public_url(value: str | None) -> str:
    """``CREDSTACK_PUBLIC_URL`` without its trailing slash, refused unless it can name a did:web."""
    url = (value or DEFAULT_PUBLIC_URL).strip().rstrip("/")
    try:
        did_web.did_for(url)
    except ValueError as exc:
        raise ConfigurationError(f"CREDSTACK_PUBLIC_URL: {exc}") from None
    return url


SMTP_SECURITIES: Final = ("starttls", "tls", "none")


def smtp_settings(environment: Mapping[str, str]) -> dict[str, Any]:
    """The SMTP settings of ``environment`` (``CREDSTACK_SMTP_*``, ``CREDSTACK_MAIL_FROM``) as
    :class:`Settings` fields, checked together."""
    host = (environment.get("CREDSTACK_SMTP_HOST") or "").strip() or None
    raw_port = (environment.get("CREDSTACK_SMTP_PORT") or "587").strip()
    port = int(raw_port) if raw_port.isdigit() else 0
    if not 0 < port < 65536:
        raise ConfigurationError(f"CREDSTACK_SMTP_PORT must be a port number (1–65535), not "
                                 f"{raw_port!r}.")
    security = (environment.get("CREDSTACK_SMTP_SECURITY") or "starttls").strip().lower()
    if security not in SMTP_SECURITIES:
        raise ConfigurationError(f"CREDSTACK_SMTP_SECURITY must be starttls, tls or none, not "
                                 f"{security!r}.")
    if host is not None and (any(c.isspace() for c in host) or "/" in host):
        raise ConfigurationError(f"CREDSTACK_SMTP_HOST must be a host name or address, not "
                                 f"{host!r}.")
    if host is not None and security == "none" and not is_loopback(host):
        raise ConfigurationError(
            f"CREDSTACK_SMTP_SECURITY=none sends e-mail and passwords unencrypted, so it is "
            f"allowed only to a loopback host (localhost, 127.0.0.1, ::1), not {host!r}; use "
            "starttls or tls.")
    username = (environment.get("CREDSTACK_SMTP_USERNAME") or "").strip() or None
    password = environment.get("CREDSTACK_SMTP_PASSWORD") or None
    if username is not None and password is None:
        raise ConfigurationError("CREDSTACK_SMTP_USERNAME needs CREDSTACK_SMTP_PASSWORD.")
    ca_file = (environment.get("CREDSTACK_SMTP_CA_FILE") or "").strip()
    sender = (environment.get("CREDSTACK_MAIL_FROM") or "").strip() or None
    if sender is not None and not is_mail_address(sender):
        raise ConfigurationError(f"CREDSTACK_MAIL_FROM must be one e-mail address "
                                 f"(noreply@example.ac.jp), not {sender!r}.")
    if host is not None and sender is None:
        raise ConfigurationError("CREDSTACK_SMTP_HOST needs CREDSTACK_MAIL_FROM: the address "
                                 "e-mail is sent from.")
    return {"smtp_host": host, "smtp_port": port, "smtp_username": username,
            "smtp_password": password, "smtp_security": security,
            "smtp_ca_file": Path(ca_file) if ca_file else None, "mail_from": sender}


#: The formats logs can be written in.
LOG_FORMATS: Final = ("text", "json")


def log_format(value: str | None) -> str:
    """``text`` or ``json`` (``CREDSTACK_LOG_FORMAT``; empty: ``text``)."""
    chosen = (value or "").strip().lower() or "text"
    if chosen not in LOG_FORMATS:
        raise ConfigurationError(f"CREDSTACK_LOG_FORMAT must be text or json, not {value!r}.")
    return chosen


def ob2_algorithm(value: str | None) -> str:
    """``CREDSTACK_OB2_ALGORITHM`` in upper case: ``RS256`` (the default) or ``ES256``."""
    algorithm = (value or "").strip().upper() or "RS256"
    if algorithm not in {"RS256", "ES256"}:
        raise ConfigurationError(f"CREDSTACK_OB2_ALGORITHM must be RS256 or ES256, not {value!r}.")
    return algorithm


def tsa_url(value: str | None) -> str | None:
    """``CREDSTACK_TSA_URL``: an http(s) URL with a host, or ``None`` when not set."""
    url = (value or "").strip()
    if not url:
        return None
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].rsplit("@", 1)[-1]
    if scheme.lower() not in {"http", "https"} or not host or any(c.isspace() for c in url):
        raise ConfigurationError(f"CREDSTACK_TSA_URL must be an http:// or https:// URL of a "
                                 f"time-stamping authority, not {value!r}.")
    return url


def jobs_url(value: str | None) -> str | None:
    """``CREDSTACK_JOBS_URL``: a ``redis://``, ``rediss://`` or ``postgresql://`` URL with a
    host, or ``None`` when not set (the embedded queue)."""
    url = (value or "").strip()
    if not url:
        return None
    scheme, _, rest = url.partition("://")
    if scheme.lower() == "postgres":
        url, scheme = "postgresql://" + rest, "postgresql"
    if scheme.lower() not in {"redis", "rediss", "postgresql"} or not rest \
            or any(c.isspace() for c in url):
        raise ConfigurationError(f"CREDSTACK_JOBS_URL must be a redis://, rediss:// or "
                                 f"postgresql:// URL, not {value!r}.")
    return url


def contexts_file(value: str | None) -> Path | None:
    """``CREDSTACK_CONTEXTS_FILE`` as an absolute path, or ``None`` when not set.

    Absolute, so that the file the loader read is the same one whatever directory a command
    later runs in, and its contexts are cached under one name.
    """
    path = (value or "").strip()
    return Path(path).expanduser().absolute() if path else None


def issue_status(value: str | None) -> tuple[str, ...]:
    """``CREDSTACK_ISSUE_STATUS`` as status purposes, each once, in the order given."""
    purposes = [item.strip().lower() for item in (value or "").split(",") if item.strip()]
    unknown = [purpose for purpose in purposes if purpose not in MANAGED_PURPOSES]
    if unknown:
        raise ConfigurationError(
            f"CREDSTACK_ISSUE_STATUS: {unknown[0]!r} is not a status purpose credstack keeps "
            f"lists for (give {' and/or '.join(MANAGED_PURPOSES)}, separated by commas)")
    return tuple(dict.fromkeys(purposes))


def trust_registries(value: str | None) -> tuple[tuple[str, str], ...]:
    """``CREDSTACK_TRUST_REGISTRIES`` as (kind, URL) pairs; unset: ``own`` alone."""
    if value is None:
        return (("own", ""),)
    found: list[tuple[str, str]] = []
    for item in value.split(","):
        entry = item.strip()
        if not entry or entry.lower() == "none":
            continue
        if entry.lower() == "own":
            found.append(("own", ""))
            continue
        kind, url = (part.strip() for part in entry.partition(":")[::2])
        if kind.lower() not in {"oidf", "dcc"} or not url.startswith(("https://", "http://")):
            raise ConfigurationError(
                f"CREDSTACK_TRUST_REGISTRIES: {entry!r} is not a registry (give own, "
                "oidf:<trust anchor URL> or dcc:<registry.json URL>, separated by commas)")
        found.append((kind.lower(), url))
    return tuple(dict.fromkeys(found))


def normalise_database_url(url: str) -> str:
    """Point ``postgresql://`` URLs at psycopg 3; refuse databases credstack does not run on."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    if url.startswith(("postgresql+psycopg://", "sqlite://")):
        return url
    raise ConfigurationError(
        f"Unsupported database URL {url.split(':', 1)[0]}://…; credstack runs on SQLite "
        "(sqlite:///path) or PostgreSQL (postgresql://user@host/db)."
    )
