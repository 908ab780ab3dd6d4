"""Fetching a document from someone else's server, defensively: :func:`fetch_bytes` (and
:func:`post`, for the exchange protocols a wallet speaks, with the same checks).

Whatever credstack fetches while verifying — a did:web document, a status list credential,
a credential named by URL on the command line — is named by the credential, that is, by
whoever wrote it. So every fetch:

* is HTTPS (loopback hosts excepted, for tests: see below) and follows no redirect unless
  the caller allows some (``max_redirects``; Open Badges 2.0 documents allow 3): then every
  hop is checked exactly as the first URL — scheme, host, resolved addresses, size limit —
  *before* it is requested, and a refused hop raises :class:`RedirectRefusedError` naming
  it;
* has a timeout (``timeout`` seconds for the name lookup, for connecting and for each read;
  twice that for the whole exchange, every hop included, so that a server trickling bytes
  or redirecting in circles cannot hold it open) and a size limit (``limit`` bytes, checked
  against ``Content-Length`` and while reading);
* goes only to public addresses: the host name is resolved first, the request refused if
  any of its addresses is private, loopback, link-local or otherwise reserved — or an IPv6
  form of such an IPv4 address (NAT64, 6to4, IPv4-mapped or -compatible) — and the
  connection is made to an address that was checked (the name is still sent in the ``Host``
  header and TLS server name, and the certificate checked against it), so that a second DNS
  answer cannot point the request elsewhere.

Loopback hosts (``localhost``, ``*.localhost``, ``127.0.0.0/8``, ``::1``) are allowed, over
HTTP too, only when ``CREDSTACK_ALLOW_LOOPBACK_FETCH=1``: tests serve documents on loopback.

Two settings point named hosts elsewhere without changing what is checked, for a staging
network or for tests that serve a real issuer's documents under its own names:

* ``CREDSTACK_FETCH_CONNECT_TO`` — comma-separated ``HOST:PORT:ADDRESS:PORT2`` rules (curl's
  ``--connect-to``): a fetch for ``HOST:PORT`` connects to ``ADDRESS:PORT2`` instead of what
  the name resolves to. The URL, the ``Host`` header, the TLS server name and the
  certificate check stay those of ``HOST``, and ``ADDRESS`` is checked like any resolved
  address (a loopback one still needs ``CREDSTACK_ALLOW_LOOPBACK_FETCH=1``).
* ``CREDSTACK_FETCH_CA_FILE`` — a PEM file of certificate authorities trusted for fetching,
  besides the usual ones (an internal CA).

Errors: :class:`FetchError` (refused URL or address, network error, timeout, a redirect
not allowed, an HTTP status other than 200/404/410), its :class:`RedirectRefusedError` (a
redirect to a URL or address that may not be fetched, or one hop too many) and
:class:`~credstack.errors.InputTooLargeError`.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import os
import socket
import ssl
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol

import certifi
import httpx

from credstack.adapters.waiting import may_wait
from credstack.errors import FetchError, InputTooLargeError, RedirectRefusedError

__all__ = [
    "CA_FILE_ENV",
    "CONNECT_TO_ENV",
    "FETCH_TIMEOUT_SECONDS",
    "LOOPBACK_ENV",
    "MAX_FETCH_BYTES",
    "Answer",
    "FetchError",
    "HostResolver",
    "RedirectRefusedError",
    "check_url",
    "fetch_bytes",
    "is_loopback_name",
    "loopback_allowed",
    "post",
    "system_resolver",
]

#: The most a fetch reads (a status list credential of 16 KB lists is a few tens of KB).
MAX_FETCH_BYTES: Final = 1024 * 1024
FETCH_TIMEOUT_SECONDS: Final = 5.0
#: ``1`` allows fetching from loopback hosts (over HTTP too): for tests only.
LOOPBACK_ENV: Final = "CREDSTACK_ALLOW_LOOPBACK_FETCH"
#: ``HOST:PORT:ADDRESS:PORT2[,…]``: connect to ``ADDRESS:PORT2`` for ``HOST:PORT``.
CONNECT_TO_ENV: Final = "CREDSTACK_FETCH_CONNECT_TO"
#: A PEM file of certificate authorities trusted for fetching, besides the usual ones.
CA_FILE_ENV: Final = "CREDSTACK_FETCH_CA_FILE"

# Name lookups block without a timeout of their own; they run here so that a slow DNS server
# costs a fetch its timeout, not a thread forever.
_LOOKUPS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="credstack-dns")
#: The statuses whose ``Location`` is followed when redirects are allowed (RFC 9110 §15.4).
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})




class HostResolver(Protocol):
    """Host name and port → its IP addresses (text), as the system's resolver gives them.

    Raises :class:`FetchError` when the name does not resolve.
    """

    def __call__(self, host: str, port: int, /) -> Sequence[str]: ...


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses ``getaddrinfo`` gives for ``host`` (in its order, without repeats)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"the host name {host} does not resolve: {exc}", url=host) from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def loopback_allowed() -> bool:
    return os.environ.get(LOOPBACK_ENV) == "1"


def is_loopback_name(host: str) -> bool:
    """``localhost`` and its subdomains (RFC 6761 §6.3), which always name this machine."""
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


def check_url(url: str) -> httpx.URL:
    """The URL, if credstack may fetch it; else :class:`FetchError` saying why.

    Only the URL is checked here (scheme, literal addresses); :func:`fetch_bytes` also checks
    the addresses a host name resolves to.
    """
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError(f"{url!r} is not a URL: {exc}", why="not-allowed") from None
    host = parsed.host.lower().rstrip(".")
    if not host:
        raise FetchError(f"{url} has no host", why="not-allowed")
    loopback = is_loopback_name(host)
    address = _address(host)
    if address is not None:
        _check_address(address, url)
        loopback = address.is_loopback
    if loopback:
        if not loopback_allowed():
            raise FetchError(f"{url} is a loopback address; credstack does not fetch from it "
                             f"(tests set {LOOPBACK_ENV}=1)", why="not-allowed")
        if parsed.scheme not in {"http", "https"}:
            raise FetchError(f"{url} is not an HTTP(S) URL", why="not-allowed", url=url)
    elif parsed.scheme != "https":
        raise FetchError(f"{url} is not an https URL; credstack fetches over HTTPS only",
                         why="not-allowed", url=url)
    return parsed


def fetch_bytes(url: str, *, limit: int = MAX_FETCH_BYTES,
                timeout: float = FETCH_TIMEOUT_SECONDS,
                resolve: HostResolver = system_resolver, max_redirects: int = 0
                ) -> bytes | None:
    """The body at ``url`` (HTTPS, ``timeout`` seconds, at most ``limit`` bytes).

    ``None`` when the server answers 404 or 410 (not found). Up to ``max_redirects``
    redirects are followed (none by default: did:web documents and status lists are read
    from their own URL only), each hop checked as ``url`` is before it is requested, all of
    them within one deadline of twice ``timeout``. Raises :class:`FetchError` for a refused
    URL or address, a network error or timeout, a redirect not allowed or another status;
    :class:`RedirectRefusedError` for a redirect to somewhere that may not be fetched or
    one too many; :class:`~credstack.errors.InputTooLargeError` for a body over ``limit``.
    ``resolve`` looks host names up (the system's resolver unless a test gives its own).
    :class:`~credstack.adapters.waiting.WouldWait` :func:`~credstack.adapters.waiting
    .without_waiting`, before anything is looked up or sent.
    """
    may_wait()
    deadline = time.monotonic() + 2 * timeout
    current, hop = url, 0
    while True:
        try:
            target = check_url(current)
            addresses = _addresses(target, current, resolve,
                                   min(timeout, max(0.001, deadline - time.monotonic())))
        except FetchError as exc:
            if hop == 0:
                raise
            # A server chose this URL: refused before anything is sent to it, hop named.
            raise RedirectRefusedError(f"{url} redirected (hop {hop}) to {current}, which "
                                       f"credstack does not fetch: {exc.message}",
                                       why="not-allowed", url=url) from None
        try:
            answer = _exchange(target, addresses, current, limit=limit, timeout=timeout,
                               deadline=deadline)
        except (FetchError, InputTooLargeError) as exc:
            if hop == 0:
                raise
            raise type(exc)(f"{url} redirected (hop {hop}) to {current}, which failed: "
                            f"{exc.message}") from None
        if not isinstance(answer, _Redirect):
            return answer
        if hop >= max_redirects:
            if max_redirects == 0:
                raise FetchError(f"{current} answered HTTP {answer.status} (a redirect to "
                                 f"{answer.location}); credstack follows no redirect here",
                                 why="server", url=url)
            raise RedirectRefusedError(f"{url} redirects more than {max_redirects} times "
                                       f"(hop {hop + 1} would be {answer.location}); credstack "
                                       "stops there", why="server", url=url)
        hop += 1
        current = answer.location


@dataclass(frozen=True, slots=True)
class Answer:
    """What a server answered a :func:`post`: its status, media type and body."""

    status: int
    media_type: str
    body: bytes
    #: The ``Link`` header (RFC 8288), where paged services name the next page.
    link: str = ""

    def json(self) -> Any:
        """The body as JSON (``None`` when it is not)."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def post(url: str, *, form: Mapping[str, str] | None = None, json_body: Any = None,
         headers: Mapping[str, str] | None = None, limit: int = MAX_FETCH_BYTES,
         timeout: float = FETCH_TIMEOUT_SECONDS,
         resolve: HostResolver = system_resolver, method: str = "POST") -> Answer:
    """POST ``form`` (``application/x-www-form-urlencoded``) or ``json_body`` to ``url``, with
    every check :func:`fetch_bytes` makes (HTTPS, public addresses, the connection pinned to
    a checked address, ``timeout``, ``limit``) and no redirect followed; the answer whatever
    its status (the protocols that post — OID4VCI, OID4VP — answer errors in the body).
    ``method="GET"`` reads a service that wants ``headers`` (a bearer token, its media type)
    the same way. Raises :class:`FetchError` and
    :class:`~credstack.errors.InputTooLargeError` as :func:`fetch_bytes` does."""
    deadline = time.monotonic() + 2 * timeout
    target = check_url(url)
    addresses = _addresses(target, url, resolve, timeout)
    failure: httpx.HTTPError | None = None
    for address, port in addresses:
        pinned = target.copy_with(host=address, port=port)
        sent = {"Accept": "application/json", **(headers or {}),
                "Host": target.netloc.decode("ascii")}
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        try:
            with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False,
                              verify=_trust()) as client, \
                    client.stream(method, pinned, headers=sent, extensions=extensions,
                                  data=dict(form) if form is not None else None,
                                  json=json_body) as response:
                body = _read_body(response, url, limit=limit, timeout=timeout,
                                  deadline=deadline)
                media = response.headers.get("content-type", "").split(";")[0].strip()
                return Answer(response.status_code, media, body,
                              response.headers.get("link", ""))
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            failure = exc
        except httpx.HTTPError as exc:
            raise _network_error(url, exc) from None
    assert failure is not None
    raise _network_error(url, failure)


@dataclass(frozen=True, slots=True)
class _Redirect:
    """A redirect answer: its status and the absolute URL it points to."""

    status: int
    location: str


def _exchange(target: httpx.URL, addresses: list[tuple[str, int | None]], url: str, *,
              limit: int, timeout: float, deadline: float) -> bytes | _Redirect | None:
    if time.monotonic() >= deadline:
        raise FetchError(f"{url}: the fetch took longer than {2 * timeout:g} s", url=url)
    failure: httpx.HTTPError | None = None
    for address, port in addresses:
        try:
            return _get(target, address, port, url, limit=limit, timeout=timeout,
                        deadline=deadline)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            # The next address may answer (``localhost`` is both ::1 and 127.0.0.1).
            failure = exc
        except httpx.HTTPError as exc:
            raise _network_error(url, exc) from None
    assert failure is not None  # _addresses never returns an empty list
    raise _network_error(url, failure)


def _get(target: httpx.URL, address: str, port: int | None, url: str, *, limit: int,
         timeout: float, deadline: float) -> bytes | _Redirect | None:
    pinned = target.copy_with(host=address, port=port)
    headers = {"Accept": "application/json, */*", "Host": target.netloc.decode("ascii")}
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    # Each hop gets what is left of the whole exchange's time, at most ``timeout`` per step.
    step = max(0.001, min(timeout, deadline - time.monotonic()))
    with httpx.Client(timeout=step, follow_redirects=False, trust_env=False,
                      verify=_trust()) as client, \
            client.stream("GET", pinned, headers=headers, extensions=extensions) as response:
        if response.status_code in {404, 410}:
            return None
        if response.status_code in _REDIRECTS:
            location = response.headers.get("location", "").strip()
            if not location:
                raise FetchError(f"{url} answered HTTP {response.status_code} without a "
                                 "Location", why="server", url=url)
            try:
                # Relative to the URL asked for (its name, not the pinned address).
                return _Redirect(response.status_code, str(target.join(location)))
            except (httpx.InvalidURL, ValueError) as exc:
                raise RedirectRefusedError(f"{url} redirects to {location!r}, which is not a "
                                           f"URL: {exc}", why="server", url=url) from None
        if response.status_code != 200:
            raise FetchError(f"{url} answered HTTP {response.status_code}", why="server",
                             url=url)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise InputTooLargeError(
                f"{url} is {int(declared):,} bytes; at most {limit:,} bytes are read")
        return _read_body(response, url, limit=limit, timeout=timeout, deadline=deadline)


def _read_body(response: httpx.Response, url: str, *, limit: int, timeout: float,
               deadline: float) -> bytes:
    """The streamed body, at most ``limit`` bytes, before ``deadline``."""
    body = bytearray()
    for chunk in response.iter_bytes():
        body.extend(chunk)
        if len(body) > limit:
            raise InputTooLargeError(f"{url} is over {limit:,} bytes")
        if time.monotonic() > deadline:
            # A server trickling a byte at a time never trips the read timeout.
            raise FetchError(f"{url} took longer than {2 * timeout:g} s to send", url=url)
    return bytes(body)


def _addresses(target: httpx.URL, url: str, resolve: HostResolver, timeout: float
               ) -> list[tuple[str, int | None]]:
    """The checked addresses (and ports) to connect to: a ``CREDSTACK_FETCH_CONNECT_TO``
    rule's, the literal one, or every one the name has (on the URL's port)."""
    host = target.host.lower().rstrip(".")
    port = target.port or (443 if target.scheme == "https" else 80)
    rule = _connect_to().get((host, port))
    if rule is not None:
        address = _address(rule[0])
        if address is None:
            raise FetchError(f"{CONNECT_TO_ENV} points {host}:{port} to {rule[0]!r}, which is "
                             "not an IP address")
        _check_address(address, f"{url} ({CONNECT_TO_ENV} points {host} to {rule[0]})")
        return [rule]
    if _address(host) is not None:
        return [(host, target.port)]
    lookup = _LOOKUPS.submit(resolve, host, port)
    try:
        found = lookup.result(timeout=timeout)
    except FutureTimeout:
        raise FetchError(f"{url}: looking up {host} took longer than {timeout:g} s",
                         url=url) from None
    if not found:
        raise FetchError(f"{url}: the host name {host} has no addresses", url=url)
    for text in found:
        address = _address(text)
        if address is None:
            raise FetchError(f"{url}: {host} resolved to {text!r}, which is not an address")
        # Every address is checked, not just the first: the connection may go to any.
        _check_address(address, f"{url} ({host} resolves to {text})")
    return [(text, target.port) for text in found]


def _connect_to() -> dict[tuple[str, int], tuple[str, int]]:
    """The ``CREDSTACK_FETCH_CONNECT_TO`` rules: (host, port) → (address, port)."""
    rules: dict[tuple[str, int], tuple[str, int]] = {}
    for rule in filter(None, (part.strip() for part in
                              os.environ.get(CONNECT_TO_ENV, "").split(","))):
        host, port, address, port2 = _rule_parts(rule)
        rules[(host, port)] = (address, port2)
    return rules


def _rule_parts(rule: str) -> tuple[str, int, str, int]:
    # HOST:PORT:ADDRESS:PORT2, the address possibly an IPv6 literal in brackets.
    host, _, rest = rule.partition(":")
    port, _, rest = rest.partition(":")
    address, _, port2 = rest.rpartition(":")
    if not host or not port.isdigit() or not address or not port2.isdigit():
        raise FetchError(f"{CONNECT_TO_ENV}: {rule!r} is not HOST:PORT:ADDRESS:PORT2")
    return host.lower().rstrip("."), int(port), address.strip("[]"), int(port2)


def _trust() -> ssl.SSLContext:
    """What TLS trusts: the usual authorities, plus ``CREDSTACK_FETCH_CA_FILE``'s if set."""
    path = os.environ.get(CA_FILE_ENV, "")
    if not path:
        return _usual_trust()
    try:
        stat = Path(path).stat()
    except OSError as exc:
        raise FetchError(f"{CA_FILE_ENV} names {path}, which cannot be read: {exc}") from None
    return _trust_from(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1)
def _usual_trust() -> ssl.SSLContext:
    """The usual authorities (certifi's), read once per process: reading their ~150
    certificates took 20 ms of CPU, which every fetch paid (``verify=True`` makes httpx read
    them for each client). A context is shared safely by any number of connections."""
    return ssl.create_default_context(cafile=certifi.where())


@functools.lru_cache(maxsize=4)
def _trust_from(path: str, mtime: int, size: int) -> ssl.SSLContext:
    # Keyed by the file's mtime and size: a replaced file is read again.
    del mtime, size
    context = ssl.create_default_context(cafile=certifi.where())
    try:
        context.load_verify_locations(cafile=path)
    except (OSError, ssl.SSLError) as exc:
        raise FetchError(f"{CA_FILE_ENV} names {path}, which holds no PEM certificate: "
                         f"{exc}") from None
    return context


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address ``text`` names (brackets and an IPv6 zone ignored), else ``None``."""
    try:
        return ipaddress.ip_address(text.strip("[]").partition("%")[0])
    except ValueError:
        return None


#: IPv6 prefixes whose last 32 bits are an IPv4 address that a packet to them reaches: NAT64's
#: well-known prefix (RFC 6052), IPv4-mapped and IPv4-compatible addresses (RFC 4291 §2.5.5)
#: and SIIT's IPv4-translated ones (RFC 2765).
_IPV4_IN_LAST_32_BITS: Final = tuple(ipaddress.IPv6Network(prefix) for prefix in (
    "64:ff9b::/96", "::ffff:0:0/96", "::/96", "::ffff:0:0:0/96"))
#: NAT64's local-use prefix (RFC 8215): a network's own translator, never a public address,
#: wherever it puts the IPv4 address.
_LOCAL_NAT64: Final = ipaddress.IPv6Network("64:ff9b:1::/48")


def _carried_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 ``address`` reaches through a translator or tunnel (NAT64,
    6to4, mapped, compatible, translated), else ``None``."""
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in _IPV4_IN_LAST_32_BITS) and int(address) > 1:
        return ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
    return None


def _check_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address, where: str) -> None:
    if address.is_loopback:
        if not loopback_allowed():
            raise FetchError(f"{where} is a loopback address; credstack does not fetch from it "
                             f"(tests set {LOOPBACK_ENV}=1)", why="not-allowed")
        return
    if not address.is_global or address.is_multicast:
        raise FetchError(f"{where} names a private or reserved address; credstack does not "
                         "fetch from it", why="not-allowed")
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv6 form of 127.0.0.1 or 10.0.0.1 is refused as that address is, and a
        # loopback one even when loopback fetches are allowed: tests never serve there.
        if address in _LOCAL_NAT64:
            raise FetchError(f"{where} names a private or reserved address (local-use NAT64, "
                             "64:ff9b:1::/48); credstack does not fetch from it", why="not-allowed")
        carried = _carried_ipv4(address)
        if carried is not None and (not carried.is_global or carried.is_multicast):
            raise FetchError(f"{where} names a private or reserved address ({carried}, in "
                             f"IPv6 form); credstack does not fetch from it", why="not-allowed")


def _network_error(url: str, exc: httpx.HTTPError) -> FetchError:
    return FetchError(f"{url} could not be fetched: {exc.__class__.__name__}: {exc}", url=url)
