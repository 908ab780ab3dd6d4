"""What the wallet's OID4VC page tests share: this platform served over HTTPS at
``https://localhost:<port>`` (a CA of the test's own certifies it), so that the wallet's
hardened fetcher reaches the offers and response URIs it is given, as it would another
issuer's or verifier's."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.adapters.resolvers.fetch import CA_FILE_ENV, LOOPBACK_ENV
from credstack.settings import Settings
from tests.accounts import add_user, issued_credentials, provider_store
from tests.conftest import LiveServer, free_port, serve
from tests.loopback import tls_site


@dataclass
class Site:
    live: LiveServer


def serve_over_https(folder: Path, *, learners: dict[str, str], batch: str,
                     others: dict[str, str] | None = None) -> Iterator[Site]:
    """The issuing organisation, one credential issued to each of ``learners`` (address →
    name) and an account for each of them and of ``others``; then the server, over HTTPS,
    with the fetcher allowed to reach it on the loopback and trusting its CA."""
    tls = tls_site(["localhost"], folder)
    secret = new_master_key_text()
    port = free_port()
    settings = dataclasses.replace(Settings.from_env(data_dir=folder / "data", database_url=""),
                                   secret_key=secret, public_url=f"https://localhost:{port}")
    now = dt.datetime.now(dt.UTC)
    provider_store(settings, secret=secret, now=now)
    cohort = "".join(f"{email},{name}\n" for email, name in learners.items())
    issued_credentials(settings, secret=secret, now=now, cohort=f"email,name\n{cohort}",
                       batch=batch)
    for email, name in {**learners, **(others or {})}.items():
        add_user(settings, email, name=name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(LOOPBACK_ENV, "1")
        patch.setenv(CA_FILE_ENV, str(tls.ca_file))
        patch.setenv("SSL_CERT_FILE", str(tls.ca_file))
        for live in serve(settings, port=port, tls_chain=folder / "server.pem"):
            yield Site(live)
