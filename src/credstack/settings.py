"""The one place credstack reads its configuration from the environment.

``CREDSTACK_DATA_DIR``       where the embedded SQLite database lives (default ``./.credstack``)
``CREDSTACK_DATABASE_URL``   a database URL; ``postgresql://…`` selects PostgreSQL (psycopg 3)
``CREDSTACK_DID_WEB_ALLOW``  the hosts whose did:web documents the verifier may fetch, as
                             comma-separated domain names (``issuer.example.ac.jp,
                             badges.example.org``; exact names, no ports or wildcards); empty
                             (the default): any public host. credstack's own organisations'
                             DIDs are read from the store, never fetched, whatever it says
``CREDSTACK_MAX_BODY_BYTES`` the largest HTTP request body accepted (default 1 MiB)
``CREDSTACK_PUBLIC_URL``     the address credstack is reached at; it names the organisations'
                             did:web identifiers (default ``http://localhost:8000``)
``CREDSTACK_SECRET_KEY``     the master key of the issuer key store: base64url of 32 random
                             bytes, as ``credstack keys secret`` prints
``CREDSTACK_SECRET_KEY_FILE`` a file holding that master key instead
``CREDSTACK_DEFAULT_ISSUER`` the organisation (slug) that signs VC-API issue requests; without
                             it, the one organisation that has an issuer key
``CREDSTACK_TOKEN_TTL``      seconds an OAuth access token is valid (default 3600)
``CREDSTACK_SESSION_TTL``    seconds a web sign-in lasts at most (default 43200, 12 hours)
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
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from credstack.core.dids import did_web
from credstack.errors import ConfigurationError, CredstackError

DEFAULT_DATA_DIR = Path(".credstack")
#: did:web forbids IP addresses, so the default names the loopback host by its domain name.
DEFAULT_PUBLIC_URL = "http://localhost:8000"


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
    #: The organisation (slug) whose keys sign VC-API issue requests.
    default_issuer: str | None = None
    #: Seconds an OAuth 2.0 access token is valid.
    token_ttl: int = 3600
    #: Seconds a web session lasts at most, and without a request.
    session_ttl: int = 12 * 3600
    session_idle: int = 30 * 60
    #: The JWS algorithm of new Open Badges 2.0 keys (``RS256`` or ``ES256``).
    ob2_algorithm: str = "RS256"
    #: The contact e-mail address of this deployment's Open Badges 2.0 issuer profiles.
    ob2_contact_email: str | None = None
    #: The RFC 3161 time-stamping authority PDF signatures are timestamped by (PAdES B-T).
    tsa_url: str | None = None
    #: A PEM file of the TSA root certificates the PDF verifier trusts timestamps from.
    tsa_trust: Path | None = None

    @classmethod
    def from_env(cls, *, data_dir: Path | None = None, database_url: str | None = None
                 ) -> Settings:
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
                   public_url=public_url(os.environ.get("CREDSTACK_PUBLIC_URL")),
                   secret_key=os.environ.get("CREDSTACK_SECRET_KEY") or None,
                   secret_key_file=Path(key_file) if key_file else None,
                   did_web_allow=did_web_allow(os.environ.get("CREDSTACK_DID_WEB_ALLOW")),
                   default_issuer=os.environ.get("CREDSTACK_DEFAULT_ISSUER") or None,
                   token_ttl=_seconds("CREDSTACK_TOKEN_TTL", 3600),
                   session_ttl=_seconds("CREDSTACK_SESSION_TTL", 12 * 3600),
                   session_idle=_seconds("CREDSTACK_SESSION_IDLE", 30 * 60),
                   ob2_algorithm=ob2_algorithm(os.environ.get("CREDSTACK_OB2_ALGORITHM")),
                   ob2_contact_email=(os.environ.get("CREDSTACK_OB2_CONTACT_EMAIL") or ""
                                      ).strip() or None,
                   tsa_url=tsa, tsa_trust=Path(trust) if trust else None)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def store_location(self) -> str:
        """Where the store is, to show a person: the SQLite file, or the database URL with
        any password hidden."""
        if self.is_sqlite:
            return self.database_url.removeprefix("sqlite:///")
        return make_url(self.database_url).render_as_string(hide_password=True)

    @property
    def secure_cookies(self) -> bool:
        """Whether cookies are ``Secure`` (sent over HTTPS only): the public URL is https."""
        return self.public_url.startswith("https://")

    @property
    def uses_embedded_database(self) -> bool:
        """Whether the store is the default SQLite file inside the data directory."""
        return self.database_url == _embedded_url(self.data_dir)


def _seconds(variable: str, default: int) -> int:
    raw = os.environ.get(variable) or str(default)
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigurationError(f"{variable} must be a positive whole number of seconds, "
                                 f"not {raw!r}.")
    return value


def _embedded_url(directory: Path) -> str:
    return f"sqlite:///{(directory / 'credstack.sqlite3').resolve()}"


def public_url(value: str | None) -> str:
    """``CREDSTACK_PUBLIC_URL`` without its trailing slash, refused unless it can name a did:web."""
    url = (value or DEFAULT_PUBLIC_URL).strip().rstrip("/")
    try:
        did_web.did_for(url)
    except ValueError as exc:
        raise ConfigurationError(f"CREDSTACK_PUBLIC_URL: {exc}") from None
    return url


def ob2_algorithm(value: str | None) -> str:
    """``CREDSTACK_OB2_ALGORITHM`` in upper case: ``RS256`` (the default) or ``ES256``."""
    algorithm = (value or "").strip().upper() or "RS256"
    if algorithm not in {"RS256", "ES256"}:
        raise ConfigurationError(f"CREDSTACK_OB2_ALGORITHM must be RS256 or ES256, not "
                                 f"{value!r}.")
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


def did_web_allow(value: str | None) -> tuple[str, ...]:
    """``CREDSTACK_DID_WEB_ALLOW`` as lower-case host names; anything but domain names refused."""
    hosts: list[str] = []
    for item in (value or "").split(","):
        host = item.strip().lower().rstrip(".")
        if not host:
            continue
        try:
            # The host's own did:web is the simplest proof that it can name one at all: a
            # domain name, not an IP address, with no port, path or wildcard.
            valid = did_web.parse(f"did:web:{host}") == f"https://{host}/.well-known/did.json"
        except CredstackError:
            valid = False
        if not valid:
            raise ConfigurationError(
                f"CREDSTACK_DID_WEB_ALLOW: {item.strip()!r} is not a host name (give domain "
                "names separated by commas, without scheme, port or path)")
        hosts.append(host)
    return tuple(dict.fromkeys(hosts))


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
