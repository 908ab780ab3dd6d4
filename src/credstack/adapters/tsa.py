"""Timestamps from an RFC 3161 time-stamping authority, over HTTP: :class:`TimestampAuthority`.

Specification: *Internet X.509 Public Key Infrastructure Time-Stamp Protocol (TSP)*, RFC 3161
(August 2001), §2.4 (request and response) and §3.4 (TSP over HTTP),
https://www.rfc-editor.org/rfc/rfc3161.

PDF certificates are timestamped (PAdES B-T) by the authority ``CREDSTACK_TSA_URL`` names:
the request is the SHA-256 digest of a signature value (the message imprint), a random
nonce and ``certReq`` (the token must carry the TSA's certificate, so that it can be verified
offline); the reply must grant it, over that imprint and with that nonce. Whatever goes wrong
— the authority unreachable, slow, answering an error, a redirect, something too large or
not a timestamp reply — raises :class:`~credstack.errors.TimestampAuthorityError` naming the
authority and what happened: a PDF is never signed without the timestamp it was configured
to have. Whether the token is *trustworthy* (its signature, the TSA's chain) is decided when
a PDF is verified (:mod:`credstack.services.certificates.verification`), not here.

Our own client rather than pyHanko's HTTP timestampers: those (on requests or aiohttp) follow
redirects and read replies of any size, and are asynchronous wrappers around a blocking call;
the exchange itself is a dozen lines of ``asn1crypto.tsp`` and httpx.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from functools import cache
from typing import Final, NoReturn

import httpx
from asn1crypto import tsp

from credstack.errors import TimestampAuthorityError

__all__ = ["FIRST_ROOM", "MAX_REPLY_BYTES", "TIMEOUT_SECONDS", "TimestampAuthority", "authority"]

#: Seconds allowed to connect, and for each read, of a timestamp request.
TIMEOUT_SECONDS: Final = 10.0
#: The largest reply read.
MAX_REPLY_BYTES: Final = 64 * 1024
#: Bytes reserved for a token before an authority's tokens have been seen.
FIRST_ROOM: Final = 8 * 1024
#: Room beyond the largest token seen: tokens of one authority differ by a few bytes (serial
#: number, nonce, the length of an ECDSA signature).
_SLACK: Final = 256


class TimestampAuthority:
    """One time-stamping authority; safe to share between threads (one connection pool)."""

    def __init__(self, url: str, *, timeout: float = TIMEOUT_SECONDS,
                 max_reply_bytes: int = MAX_REPLY_BYTES) -> None:
        self.url = url
        self.timeout = timeout
        self.max_reply_bytes = max_reply_bytes
        self._client = httpx.Client(timeout=timeout, follow_redirects=False, headers={
            "Content-Type": "application/timestamp-query",
            "Accept": "application/timestamp-reply"})
        self._largest = 0
        self._lock = threading.Lock()

    @property
    def room(self) -> int:
        """Bytes to reserve for one of this authority's tokens: the largest seen, and a little
        more (:data:`FIRST_ROOM` before the first)."""
        return self._largest + _SLACK if self._largest else FIRST_ROOM

    def stamp(self, signature: bytes) -> bytes:
        """The DER ``TimeStampToken`` over SHA-256 of ``signature`` (a CMS ``ContentInfo``)."""
        imprint = hashlib.sha256(signature).digest()
        nonce = secrets.randbits(63) | 1 << 62
        request = tsp.TimeStampReq({
            "version": "v1",
            "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                                "hashed_message": imprint},
            "nonce": nonce, "cert_req": True})
        token = self._token(self._post(request.dump()), imprint, nonce)
        with self._lock:
            self._largest = max(self._largest, len(token))
        return token

    def _fail(self, what: str) -> NoReturn:
        raise TimestampAuthorityError(
            f"The time-stamping authority {self.url} (CREDSTACK_TSA_URL) {what}; no PDF is "
            "signed without its timestamp.")

    def _post(self, query: bytes) -> bytes:
        try:
            with self._client.stream("POST", self.url, content=query) as response:
                if response.is_redirect:
                    self._fail(f"answered with a redirect (HTTP {response.status_code}) to "
                               f"{response.headers.get('location', 'nowhere')}, which is not "
                               "followed: configure the URL it names")
                if response.status_code != 200:
                    self._fail(f"answered HTTP {response.status_code}")
                media_type = response.headers.get("content-type", "").split(";")[0]
                if media_type.strip().lower() != "application/timestamp-reply":
                    self._fail(f"answered {media_type or 'without a content type'}, not "
                               "application/timestamp-reply")
                declared = response.headers.get("content-length", "0")
                if declared.isdigit() and int(declared) > self.max_reply_bytes:
                    self._fail(f"sent a reply of {int(declared):,} bytes (at most "
                               f"{self.max_reply_bytes:,} are read)")
                reply = bytearray()
                for chunk in response.iter_bytes():
                    reply += chunk
                    if len(reply) > self.max_reply_bytes:
                        self._fail(f"sent a reply over {self.max_reply_bytes:,} bytes")
        except httpx.TimeoutException:
            self._fail(f"did not answer within {self.timeout:g} seconds")
        except httpx.HTTPError as exc:
            self._fail(f"cannot be reached ({type(exc).__name__}: {exc})")
        return bytes(reply)

    def _token(self, reply: bytes, imprint: bytes, nonce: int) -> bytes:
        try:
            response = tsp.TimeStampResp.load(reply, strict=True)
            status = response["status"]
            if status["status"].native not in {"granted", "granted_with_mods"}:
                said = "; ".join(status["status_string"].native or []) or "no reason given"
                failure = ", ".join(sorted(status["fail_info"].native or [])) or "none"
                self._fail(f"refused the request ({status['status'].native}: {said}; "
                           f"failure info: {failure})")
            token = response["time_stamp_token"]
            if token["content_type"].native != "signed_data":
                self._fail("sent a token that is not CMS SignedData")
            signed = token["content"]
            info = signed["encap_content_info"]["content"].parsed
            if not isinstance(info, tsp.TSTInfo):
                self._fail("sent a token without TSTInfo")
            given = info["message_imprint"]
            if (given["hash_algorithm"]["algorithm"].native != "sha256"
                    or given["hashed_message"].native != imprint):
                self._fail("sent a timestamp over other data than the signature")
            if info["nonce"].native != nonce:
                self._fail("sent back another nonce than the request's (a replayed or "
                           "misdirected reply)")
            if not len(signed["certificates"]):
                self._fail("sent a token without its certificate, though the request asked "
                           "for it (certReq)")
            return bytes(token.dump())
        except TimestampAuthorityError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            self._fail(f"answered something that is not a timestamp reply ({exc})")


@cache
def authority(url: str) -> TimestampAuthority:
    """The process's client of the authority at ``url`` (its connections and token size kept)."""
    return TimestampAuthority(url)
