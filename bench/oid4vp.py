#!/usr/bin/env python3
"""Benchmark: what signed OID4VP requests (``request_uri``) and encrypted answers
(``direct_post.jwt``) cost the verifier and the wallet, in process, on SQLite.

    .venv/bin/python bench/oid4vp.py [--seconds 3]

Per call, p50 / p95 / worst: making a request (unsigned, signed as the organisation, signed
with an encrypted answer), serving its request object (the organisation's key opened from the
key store and a signature), the wallet's check of the request object (did:key, signature,
claims), and the encryption and decryption of an answer of one SD-JWT-sized presentation
(ECDH-ES P-256, A128GCM; the decryption key derived from the master key each time). The
script reports; it does not judge.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt

from rich.console import Console
from sqlalchemy import select

from credstack.adapters.db.tables import OrganisationRow
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.core.access.policy import Membership, Principal, Role
from credstack.core.oid4vp import request_objects, responses
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.oid4vp import verifier
from credstack.testing import ActingAs
from issuance import NOW, PUBLIC_URL, prepare
from measure import latencies, latency_row, machine, print_figures, scratch_store


def run(seconds: float, console: Console) -> list[dict[str, str]]:
    secret_text = new_master_key_text()
    secret = MasterKey.from_text(secret_text, source="bench")
    rows = []
    with scratch_store("sqlite") as scratch:
        settings = dataclasses.replace(scratch, secret_key=secret_text, public_url=PUBLIC_URL)
        prepare(settings, secret)
        with open_runtime(settings=settings, clock=lambda: NOW) as runtime:
            with runtime.sessions() as session:
                # The one organisation prepare() made.
                slug = str(session.scalar(select(OrganisationRow.slug)))
            actor = ActingAs(Principal(subject="user:1", user_id=None, email=None,
                                       memberships=frozenset({Membership(slug,
                                                                         Role.ISSUER)})))
            cases = {
                "make: unsigned": lambda: verifier.create_request(runtime, actor=actor),
                "make: signed": lambda: verifier.create_request(runtime, actor=actor,
                                                                signed_as=slug),
                "make: signed + direct_post.jwt": lambda: verifier.create_request(
                    runtime, actor=actor, signed_as=slug, response_mode="direct_post.jwt"),
            }
            for name, call in cases.items():
                rows.append({"case": name, **latency_row(latencies(call, seconds))})
            made = verifier.create_request(runtime, actor=actor, signed_as=slug,
                                           response_mode="direct_post.jwt")
            rows.append({"case": "serve request object", **latency_row(latencies(
                lambda: verifier.request_object(runtime, public_id=made.public_id),
                seconds))})
            token = verifier.request_object(runtime, public_id=made.public_id)
            shown = request_objects.reference(made.uri)
            assert shown is not None
            rows.append({"case": "wallet checks request object", **latency_row(latencies(
                lambda: request_objects.read(token, shown=shown,
                                             now=NOW + dt.timedelta(minutes=1)), seconds))})
            answer = {"vp_token": {"q": ["x" * 2000]}, "state": made.public_id}
            metadata = made.request.client_metadata
            rows.append({"case": "wallet encrypts answer", **latency_row(latencies(
                lambda: responses.encrypt(answer, metadata=metadata,
                                          nonce=made.request.nonce), seconds))})
            jwe = responses.encrypt(answer, metadata=metadata, nonce=made.request.nonce)
            rows.append({"case": "verifier derives key + decrypts", **latency_row(latencies(
                lambda: responses.decrypt(jwe, key=verifier._response_key(
                    runtime, made.public_id), kid=verifier.RESPONSE_KID), seconds))})
    console.print(f"  {machine()}", highlight=False)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    arguments = parser.parse_args()
    console = Console()
    print_figures(console, "OID4VP: signed requests and encrypted answers (per call)",
                  run(arguments.seconds, console))


if __name__ == "__main__":
    main()
