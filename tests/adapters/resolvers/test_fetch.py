"""fetch_bytes and redirects, against real local HTTP servers (loopback allowed, as in every
fetching test): none followed by default, up to ``max_redirects`` when asked, every hop
checked as the first URL is — before anything is sent to it — within one deadline."""

from __future__ import annotations

import http.server
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from credstack.adapters.resolvers.fetch import (
    CA_FILE_ENV,
    CONNECT_TO_ENV,
    LOOPBACK_ENV,
    check_url,
    fetch_bytes,
)
from credstack.errors import FetchError, InputTooLargeError, RedirectRefusedError
from tests.loopback import QuietHandler, serving, serving_tls, tls_site


class _Site(QuietHandler):
    """``routes``: path → (status, Location or body); every request is recorded."""

    routes: ClassVar[dict[str, tuple[int, str]]] = {}
    seen: ClassVar[list[str]] = []
    delay: ClassVar[float] = 0.0

    def do_GET(self) -> None:
        self.seen.append(self.path)
        time.sleep(self.delay)
        status, value = self.routes.get(self.path, (404, ""))
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("Location", value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = value.encode()
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, type[_Site]]]:
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    handler = type("Handler", (_Site,), {"routes": {}, "seen": [], "delay": 0.0})
    with serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)) as base:
        yield base, handler


def test_no_redirect_is_followed_by_default(site: tuple[str, type[_Site]]) -> None:
    """did:web documents and status lists keep refusing redirects (max_redirects=0)."""
    base, handler = site
    handler.routes.update({"/a": (302, "/b"), "/b": (200, "B")})
    with pytest.raises(FetchError, match="302") as raised:
        fetch_bytes(f"{base}/a")
    assert not isinstance(raised.value, RedirectRefusedError)
    assert handler.seen == ["/a"]


def test_redirects_are_followed_up_to_the_limit(site: tuple[str, type[_Site]]) -> None:
    """Three hops (absolute, relative, another host name for the same server) are followed;
    a fourth is refused without being requested."""
    base, handler = site
    port = base.rsplit(":", 1)[1]
    handler.routes.update({"/a": (301, f"{base}/b"), "/b": (302, "c/"),
                           "/c/": (307, f"http://localhost:{port}/d"), "/d": (200, "D"),
                           "/e": (308, "/a")})
    assert fetch_bytes(f"{base}/a", max_redirects=3) == b"D"
    assert handler.seen == ["/a", "/b", "/c/", "/d"]
    handler.seen.clear()
    with pytest.raises(RedirectRefusedError, match=r"more than 3 times \(hop 4"):
        fetch_bytes(f"{base}/e", max_redirects=3)
    assert handler.seen == ["/e", "/a", "/b", "/c/"]


@pytest.mark.parametrize(("location", "reason"), [
    ("http://10.20.30.40/x", "private or reserved address"),
    ("http://169.254.169.254/latest/meta-data/", "private or reserved address"),
    ("http://[::ffff:10.0.0.1]/x", "private or reserved address"),
    ("http://example.com/x", "not an https URL"),
    ("ftp://example.com/x", "not an https URL"),
    ("file:///etc/passwd", "has no host"),
])
def test_a_redirect_where_credstack_may_not_go_is_refused_naming_the_hop(
        site: tuple[str, type[_Site]], location: str, reason: str) -> None:
    """A private address or a scheme not allowed is refused before it is requested."""
    base, handler = site
    handler.routes.update({"/a": (302, "/b"), "/b": (302, location)})
    with pytest.raises(RedirectRefusedError) as raised:
        fetch_bytes(f"{base}/a", max_redirects=3)
    assert "redirected (hop 2) to " in raised.value.message
    assert reason in raised.value.message
    assert handler.seen == ["/a", "/b"]


def test_a_hop_whose_name_resolves_to_a_private_address_is_refused(
        site: tuple[str, type[_Site]]) -> None:
    """Every hop's host name is resolved and checked, as the first URL's is."""
    base, handler = site
    port = base.rsplit(":", 1)[1]
    handler.routes["/a"] = (302, f"https://intranet.example:{port}/secret")

    def resolve(host: str, port: int) -> list[str]:
        return {"127.0.0.1": ["127.0.0.1"], "intranet.example": ["10.1.2.3"]}[host]

    with pytest.raises(RedirectRefusedError, match=r"intranet.example resolves to 10.1.2.3"):
        fetch_bytes(f"{base}/a", max_redirects=3, resolve=resolve)
    assert handler.seen == ["/a"]


def test_the_size_limit_holds_after_a_redirect(site: tuple[str, type[_Site]]) -> None:
    """The body at the end of the redirects is held to the same limit."""
    base, handler = site
    handler.routes.update({"/a": (302, "/big"), "/big": (200, "x" * 2000)})
    with pytest.raises(InputTooLargeError, match=r"\(hop 1\) to .*/big"):
        fetch_bytes(f"{base}/a", limit=1000, max_redirects=3)


def test_all_hops_share_one_deadline(site: tuple[str, type[_Site]]) -> None:
    """Slow hops cannot add up beyond twice the timeout: each hop here answers within the
    timeout (0.4 s of 0.5), but three of them outlast the exchange's deadline (1 s), so the
    fourth URL is never asked for — a slower machine only reaches the deadline sooner."""
    base, handler = site
    handler.delay = 0.4
    handler.routes.update({"/a": (302, "/b"), "/b": (302, "/c"), "/c": (302, "/d"),
                           "/d": (200, "D")})
    with pytest.raises(FetchError, match=r"hop \d"):
        fetch_bytes(f"{base}/a", timeout=0.5, max_redirects=3)
    assert handler.seen[0] == "/a" and "/d" not in handler.seen, handler.seen


# --- a named host served on loopback (CREDSTACK_FETCH_CONNECT_TO, CREDSTACK_FETCH_CA_FILE) ---


@pytest.fixture
def issuer_site(monkeypatch: pytest.MonkeyPatch, tmp_path: Path
                ) -> Iterator[tuple[int, type[_Site]]]:
    """``issuer.example`` over HTTPS on a loopback port, with a certificate from a CA of the
    test's own; loopback fetching allowed, nothing else set."""
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    site = tls_site(["issuer.example"], tmp_path)
    monkeypatch.setenv(CA_FILE_ENV, str(site.ca_file))
    handler = type("Handler", (_Site,), {"routes": {"/did.json": (200, '{"ok": true}')},
                                         "seen": [], "delay": 0.0})
    with serving_tls(http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler),
                     site.context) as port:
        yield port, handler


def test_connect_to_serves_a_named_host_from_another_address_certificate_checked(
        issuer_site: tuple[int, type[_Site]], monkeypatch: pytest.MonkeyPatch) -> None:
    port, handler = issuer_site
    monkeypatch.setenv(CONNECT_TO_ENV, f"issuer.example:443:127.0.0.1:{port}")
    assert fetch_bytes("https://issuer.example/did.json") == b'{"ok": true}'
    assert handler.seen == ["/did.json"]


def test_the_certificate_must_come_from_a_trusted_authority(
        issuer_site: tuple[int, type[_Site]], monkeypatch: pytest.MonkeyPatch) -> None:
    port, _ = issuer_site
    monkeypatch.setenv(CONNECT_TO_ENV, f"issuer.example:443:127.0.0.1:{port}")
    monkeypatch.delenv(CA_FILE_ENV)
    with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):
        fetch_bytes("https://issuer.example/did.json")


def test_a_connect_to_address_is_checked_like_a_resolved_one(
        issuer_site: tuple[int, type[_Site]], monkeypatch: pytest.MonkeyPatch) -> None:
    port, handler = issuer_site
    monkeypatch.setenv(CONNECT_TO_ENV, f"issuer.example:443:127.0.0.1:{port}")
    monkeypatch.delenv(LOOPBACK_ENV)
    with pytest.raises(FetchError, match=r"CONNECT_TO points issuer\.example to 127\.0\.0\.1"):
        fetch_bytes("https://issuer.example/did.json")
    monkeypatch.setenv(CONNECT_TO_ENV, "issuer.example:443:10.0.0.1:443")
    with pytest.raises(FetchError, match="private or reserved"):
        fetch_bytes("https://issuer.example/did.json")
    assert handler.seen == []


@pytest.mark.parametrize("rule", ["issuer.example:443:127.0.0.1", "issuer.example:x:1.2.3.4:1",
                                  "issuer.example:443:not-an-address:443"])
def test_a_malformed_connect_to_rule_is_named(rule: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONNECT_TO_ENV, rule)
    with pytest.raises(FetchError, match=CONNECT_TO_ENV):
        fetch_bytes("https://issuer.example/did.json")


def test_an_unreadable_ca_file_is_named(monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:
    monkeypatch.setenv(CA_FILE_ENV, str(tmp_path / "missing.pem"))
    monkeypatch.setenv(CONNECT_TO_ENV, "issuer.example:443:93.184.215.14:443")
    with pytest.raises(FetchError, match=r"missing\.pem, which cannot be read"):
        fetch_bytes("https://issuer.example/did.json")
    (tmp_path / "empty.pem").write_text("no certificate here")
    monkeypatch.setenv(CA_FILE_ENV, str(tmp_path / "empty.pem"))
    with pytest.raises(FetchError, match="holds no PEM certificate"):
        fetch_bytes("https://issuer.example/did.json")


#: IPv6 forms that carry an IPv4 address: NAT64 (RFC 6052's well-known prefix and RFC 8215's
#: local-use one), 6to4 (RFC 3056), IPv4-mapped and IPv4-compatible (RFC 4291).
EMBEDDING_LOOPBACK_OR_PRIVATE = [
    "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b::c0a8:101", "64:ff9b::a9fe:a9fe",
    "64:ff9b:1::7f00:1", "64:ff9b:1::a00:1", "64:ff9b:1::808:808",
    "2002:7f00:1::", "2002:a00:1::1", "2002:c0a8:101::", "2002:a9fe:a9fe::",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "::10.0.0.1", "::ffff:0:7f00:1",
]


@pytest.mark.parametrize("address", EMBEDDING_LOOPBACK_OR_PRIVATE)
def test_ipv6_forms_of_loopback_and_private_ipv4_addresses_are_refused(
        address: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A NAT64, 6to4, mapped or compatible IPv6 address reaches the IPv4 address it carries:
    refused as that address would be, literal or resolved, loopback fetches allowed or not."""
    for loopback in ("1", "0"):
        monkeypatch.setenv(LOOPBACK_ENV, loopback)
        with pytest.raises(FetchError, match="private or reserved"):
            check_url(f"https://[{address}]/did.json")

        def resolve(host: str, port: int) -> list[str]:
            return ["93.184.215.14", address]
        with pytest.raises(FetchError, match=r"issuer\.example resolves to .*private or rese"):
            fetch_bytes("https://issuer.example/did.json", resolve=resolve)


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1",
                                     "2606:4700:4700::1111"])
def test_ipv6_forms_of_public_ipv4_addresses_may_be_fetched(address: str) -> None:
    """A NAT64 or 6to4 address of a public IPv4 address is public: the URL is accepted."""
    assert check_url(f"https://[{address}]/did.json").host == address
