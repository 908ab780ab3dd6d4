"""Little HTTP servers on loopback, for the third parties tests talk to over a real socket:
an issuer's web site, a did:web host, a status list host, a time-stamping authority.

    class Site(QuietHandler):
        def do_GET(self) -> None: ...

    with serving(ThreadingHTTPServer(("127.0.0.1", 0), Site)) as base_url:
        fetch_bytes(f"{base_url}/document")
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import ssl
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from joserfc.jwk import ECKey

from credstack.adapters.resolvers.fetch import CA_FILE_ENV, CONNECT_TO_ENV, LOOPBACK_ENV


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A request handler that writes no request log to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        del format, args


@contextmanager
def serving(server: http.server.HTTPServer) -> Iterator[str]:
    """Run ``server`` (bound to a loopback port) in a thread until the block ends; yields
    its base URL."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class TlsSite:
    """A certificate authority of the test's own and a server certificate it issued for
    ``names``: ``ca_file`` (PEM, for ``CREDSTACK_FETCH_CA_FILE``) and a server context."""

    ca_file: Path
    context: ssl.SSLContext


def tls_site(names: Sequence[str], directory: Path) -> TlsSite:
    """A CA (in ``directory``) and an HTTPS server context whose certificate names ``names``:
    a loopback server can then answer for a real issuer's host names, certificate checked."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "credstack test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(hours=1))
          .not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                       False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                         critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_file = directory / "ca.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    chain = directory / "server.pem"
    chain.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                        serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
                      + leaf.public_bytes(serialization.Encoding.PEM))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain)
    return TlsSite(ca_file, context)


@contextmanager
def serving_tls(server: http.server.HTTPServer, context: ssl.SSLContext) -> Iterator[int]:
    """Run ``server`` over TLS (``context``) in a thread until the block ends; yields its
    port."""
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with serving(server):
        yield server.server_address[1]


@contextmanager
def openid_providers(directory: Path, issuers: Sequence[str], *,
                     metadata: Mapping[str, Mapping[str, Any]] | None = None,
                     key_sets: Mapping[str, Any] | None = None) -> Iterator[None]:
    """OpenID providers answering for the HTTPS ``issuers`` on loopback, for the block: each
    one's discovery metadata (OpenID Connect Discovery 1.0 §4, at the issuer's
    ``/.well-known/openid-configuration``) naming it and its endpoints, changed by
    ``metadata[issuer]`` where given (a value None takes a member away; no metadata at all
    for an issuer mapped to None), and its key set (one P-256 key, or ``key_sets[issuer]``),
    over TLS with a certificate of the test's own authority. credstack's fetching is pointed
    at them (``CREDSTACK_FETCH_CONNECT_TO``, ``CREDSTACK_FETCH_CA_FILE``, loopback
    allowed)."""
    key = ECKey.generate_key("P-256", parameters={"kid": "k1"}).as_dict(private=False)
    changes = dict(metadata or {})
    documents: dict[tuple[str, str], Any] = {}
    for issuer in issuers:
        parts = urlsplit(issuer)
        base = parts.path.rstrip("/")
        host = str(parts.hostname)
        document = {"issuer": issuer, "authorization_endpoint": f"{issuer.rstrip('/')}/auth",
                    "token_endpoint": f"{issuer.rstrip('/')}/token",
                    "jwks_uri": f"{issuer.rstrip('/')}/jwks",
                    "response_types_supported": ["code"], "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["ES256"]}
        if issuer in changes and changes[issuer] is None:
            document = {}
        else:
            document.update(changes.get(issuer) or {})
        if document:
            documents[(host, f"{base}/.well-known/openid-configuration")] = {
                k: v for k, v in document.items() if v is not None}
        documents[(host, f"{base}/jwks")] = (key_sets or {}).get(issuer, {"keys": [key]})

    class Provider(QuietHandler):
        def do_GET(self) -> None:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
            found = documents.get((host, self.path.split("?", 1)[0]))
            body = json.dumps(found if found is not None else {"error": "not found"}).encode()
            self.send_response(200 if found is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    hosts = sorted({str(urlsplit(issuer).hostname) for issuer in issuers})
    site = tls_site(hosts, directory)
    with serving_tls(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Provider),
                     site.context) as port, pytest.MonkeyPatch.context() as patch:
        patch.setenv(LOOPBACK_ENV, "1")
        patch.setenv(CA_FILE_ENV, str(site.ca_file))
        patch.setenv(CONNECT_TO_ENV, ",".join(f"{host}:443:127.0.0.1:{port}" for host in hosts))
        yield
