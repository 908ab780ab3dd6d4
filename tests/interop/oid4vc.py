"""A credstack server on loopback over HTTPS, for the OpenID for Verifiable Credentials
clients: a CA of the test's own (:func:`tests.loopback.tls_site`) certifies ``localhost``,
the server's public URL is ``https://localhost:<port>`` (the Credential Issuer Identifier),
and node trusts the CA through ``NODE_EXTRA_CA_CERTS``.

The store holds the test issuer, its published programme and the learners of
:func:`tests.services.wallet.wallets.wallet_runtime`; the runtime beside the server (on the
same store) makes offers and reads the audit log.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from credstack.settings import Settings
from tests.conftest import free_port, serve
from tests.interop.test_js_reference import JS
from tests.loopback import tls_site
from tests.services.wallet.wallets import Wallets, wallet_runtime


@dataclass
class TlsIssuer:
    url: str
    ca_file: Path
    wallets: Wallets


@contextmanager
def tls_issuer(folder: Path) -> Iterator[TlsIssuer]:
    """The store of :func:`wallet_runtime`, served over HTTPS at ``https://localhost:<port>``."""
    port = free_port()
    site = tls_site(["localhost"], folder)
    settings = Settings.from_env(data_dir=folder / "data", database_url="")
    settings = dataclasses.replace(settings, public_url=f"https://localhost:{port}")
    with wallet_runtime(folder, settings=settings) as wallets:
        for live in serve(wallets.runtime.settings, port=port,
                          tls_chain=folder / "server.pem"):
            yield TlsIssuer(live.url, site.ca_file, wallets)


def run_node(script: str, payload: Any, *, ca_file: Path) -> dict[str, Any]:
    """Run ``interop/js/<script>`` with ``payload`` on stdin; its JSON answer."""
    completed = subprocess.run(
        ["node", str(JS / script)], input=json.dumps(payload), capture_output=True, text=True,
        encoding="utf-8", timeout=300, cwd=JS,
        env={**os.environ, "NODE_EXTRA_CA_CERTS": str(ca_file)})
    if completed.returncode != 0:
        pytest.fail(f"node {script} failed ({completed.returncode}):\n{completed.stderr}")
    answer: dict[str, Any] = json.loads(completed.stdout)
    return answer
