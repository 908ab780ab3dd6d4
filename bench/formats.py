#!/usr/bin/env python3
"""Benchmark: one issuance record, every format — how fast each format is made and checked.

    .venv/bin/python bench/formats.py [--seconds 2] [--only ob2,…] [--clock wall|cpu]
        [--list] [--json]

Each format is a *section*: a function of the time budget per operation that returns
:class:`Row`\\ s (an operation, its rate per second on one core, an optional target, a note).
Sections register themselves in :data:`SECTIONS` with ``@section("name")``; the other formats
(baked images, PDF certificates …) add theirs the same way, in this file, below the existing
ones. Everything runs in one process on one core; elapsed time is measured (``--clock cpu``:
the process's CPU time, for a machine shared with other work), and the script reports rather
than judges (a missed target is printed as such, not raised).

Section ``ob2`` (issue "One record, every format", Open Badges 2.0): the target is ≥ 5,000
signed OB 2.0 assertions per second per core, issued and verified. Each figure is measured
for both algorithms credstack signs with: RS256 (RSA-2048; "For compatibility purposes,
using RSA-SHA256 is recommended", and the 1EdTech validator accepts nothing else, so it is
the default) and ES256 (P-256, ``CREDSTACK_OB2_ALGORITHM=ES256``). The raw signature is
measured first: it bounds every cold signing figure below it. A badge asked for again is
served from the runtime's cache (``credstack.services.openbadges_v2.keys.sign_cached``); that
figure is reported separately, never instead. The credential behind each assertion is a credstack
OB 3.0 credential for the demo's programme, one learner each (unique payloads).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Row:
    """One measured operation of a section."""

    section: str
    operation: str
    #: Operations per second, on one core.
    rate: float
    target: float | None = None
    note: str = ""

    @property
    def meets(self) -> bool | None:
        return None if self.target is None else self.rate >= self.target


#: A section: the seconds to spend on each operation → its rows.
Section = Callable[[float], list[Row]]
#: Every section by name, in the order they run.
SECTIONS: dict[str, Section] = {}


def section(name: str) -> Callable[[Section], Section]:
    """Register a section under ``name`` (run with ``--only name``)."""
    def register(function: Section) -> Section:
        SECTIONS[name] = function
        return function
    return register


#: The clock rates are measured with: elapsed time (default) or this process's CPU time
#: (``--clock cpu``: on a machine shared with other work, what a core of one's own gives).
CLOCK: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}
_clock = CLOCK["wall"]


def rate(operation: Callable[[int], object], seconds: float, *, batch: int = 16) -> float:
    """Calls per second of ``operation(i)`` (``i`` counts up, to vary the input)."""
    operation(0)  # warm caches and imports outside the measurement
    count, started = 0, _clock()
    deadline = started + seconds
    while True:
        for _ in range(batch):
            operation(count)
            count += 1
        now = _clock()
        if now >= deadline:
            return count / (now - started)


# --- Open Badges 2.0 ------------------------------------------------------------------------

@section("ob2")
def open_badges_2(seconds: float) -> list[Row]:
    """Open Badges 2.0 signed (RS256 and ES256) and hosted assertions of credstack credentials."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    from credstack.core.credentials import openbadges_v2 as ob2
    from credstack.core.credentials.conversions import assertion_from_credential
    from credstack.core.credentials.openbadges_v3 import (
        IssuerProfile,
        build_achievement,
        build_open_badge_credential,
    )
    from credstack.core.descriptors.models import Award, Programme
    from credstack.core.types import MultilingualText
    from credstack.core.verification.openbadges_v2 import STEPS, verify_badge
    from credstack.services.openbadges_v2.keys import SigningCache, sign_cached
    from tests.helpers import programme as demo_programme

    base = "https://badges.example.ac.jp"
    issuer_id = f"{base}/ob2/issuers/hokuto-tech"
    badge_id, revocations = f"{base}/ob2/badges/1/v1", f"{issuer_id}/revocations"
    programme = Programme.model_validate(demo_programme())
    issuer = IssuerProfile(id="did:web:badges.example.ac.jp:organisations:hokuto-tech",
                           name={"ja": "北都工科大学"}, slug="hokuto-tech")
    achievement_id = f"{base}/achievements/1/v1"
    achievement = build_achievement(programme=programme, achievement_id=achievement_id)
    valid_from = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)

    def credential(number: int) -> dict[str, Any]:
        award = Award.model_validate({"learner": {"identifiers": [
            {"type": "email", "value": f"learner{number}@example.ac.jp"}]}})
        return build_open_badge_credential(
            programme=programme, award=award, issuer=issuer,
            credential_id=f"urn:uuid:00000000-0000-4000-8000-{number % 10**12:012d}",
            achievement_id=achievement_id, valid_from=valid_from, salt=f"{number:016x}",
            achievement=achievement)

    credentials = [credential(number) for number in range(256)]
    now = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    without_meaning = tuple(step for name, step in STEPS.items() if name != "meaning")
    target = 5000.0
    name = "ob2"
    keys: dict[str, tuple[str, Any]] = {
        "RS256": ("rsa-1", rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        "ES256": ("p256-2", ec.generate_private_key(ec.SECP256R1())),
    }

    def signed_rows(alg: str, fragment: str, key: Any) -> list[Row]:
        """Every figure of signed assertions for one algorithm and its key."""
        key_id = f"{issuer_id}/keys/{fragment}"
        verification = {"type": "SignedBadge", "creator": key_id}
        pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo
                                            ).decode()

        def assertion(number: int) -> dict[str, Any]:
            source = credentials[number % len(credentials)]
            return assertion_from_credential(source, assertion_id=source["id"],
                                             badge_id=badge_id, verification=verification)

        assertions = [assertion(number) for number in range(256)]
        cache = SigningCache()
        signing_input = ob2.sign_assertion(assertions[0], key=key).rsplit(".", 1)[0].encode()
        tokens = [ob2.sign_assertion(item, key=key) for item in assertions]
        web = {
            issuer_id: ob2.build_issuer_profile(
                issuer_id=issuer_id, name=MultilingualText({"ja": "北都工科大学"}), url=base,
                email="badges@example.ac.jp", public_keys=[key_id],
                revocation_list=revocations),
            key_id: ob2.build_cryptographic_key(key_id=key_id, owner=issuer_id,
                                                public_key_pem=pem),
            revocations: ob2.build_revocation_list(
                list_id=revocations, issuer_id=issuer_id,
                revoked=[("urn:uuid:6f1d6a52-5c1b-4f0e-9a53-8c1ce3b3c0de", None)]),
            badge_id: ob2.build_badge_class(programme=programme, badge_id=badge_id,
                                            issuer_id=issuer_id, achievement_id=achievement_id),
        }
        served = {url: json.dumps(document).encode() for url, document in web.items()}

        def verify(number: int, checks: Any = None) -> None:
            report = verify_badge(tokens[number % len(tokens)], fetch=served.get, now=now,
                                  **({"checks": checks} if checks is not None else {}))
            assert report.ok, report.to_dict()["errors"]

        def raw(_: int) -> bytes:
            if isinstance(key, rsa.RSAPrivateKey):
                return key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
            signature: bytes = key.sign(signing_input, ec.ECDSA(hashes.SHA256()))
            return signature

        rsa_key = isinstance(key, rsa.RSAPrivateKey)
        return [
            Row(name, f"{alg}: signature alone ({'RSA-2048' if rsa_key else 'P-256'}, "
                      "~1.6 KB input)", rate(raw, seconds),
                note="the ceiling of every cold signing figure"),
            Row(name, f"{alg}: signed assertion, derive from the OB 3.0 credential + sign",
                rate(lambda n: ob2.sign_assertion(assertion(n) | {"id": f"urn:uuid:{n}"},
                                                  key=key), seconds), target,
                "what `credstack ob2 assertion --signed` does per credential"),
            Row(name, f"{alg}: signed assertion asked again (cached JWS)",
                rate(lambda n: sign_cached(assertions[n % 256], key, key_id, cache=cache), seconds),
                note="a repeat is a hash lookup"),
            Row(name, f"{alg}: verify the JWS signature",
                rate(lambda n: ob2.verify_jws(ob2.read_jws(tokens[n % 256]), pem), seconds),
                target, "RSA public-key operation, e = 65537" if rsa_key
                else "ECDSA P-256 verification"),
            Row(name, f"{alg}: signed assertion, full verification without meaning",
                rate(lambda n: verify(n, without_meaning), seconds), target,
                "parse, proof, contexts, data model, issuer, dates, revocation list, recipient"),
            Row(name, f"{alg}: signed assertion, full verification with meaning",
                rate(verify, seconds),
                note="+ OB 3.0 form, descriptors, conformance to 5 framework profiles"),
        ]

    rows = [row for alg, (fragment, key) in keys.items()
            for row in signed_rows(alg, fragment, key)]
    rows.append(Row(name, "hosted assertion: derive (JSON text)",
                    rate(lambda n: json.dumps(assertion_from_credential(
                        credentials[n % 256], assertion_id=f"{base}/ob2/assertions/{n}",
                        badge_id=badge_id, verification={"type": "HostedBadge"})), seconds),
                    target))
    return rows


# --- CLR 2.0 -------------------------------------------------------------------------------

@section("clr")
def comprehensive_learner_records(seconds: float) -> list[Row]:
    """A CLR 2.0 of one learner's 10 credentials (half eddsa-rdfc-2022, half VC-JWT), issued
    from a real SQLite store and verified with every nested credential, per securing."""
    import dataclasses
    import tempfile

    from credstack.adapters.db.engine import make_engine, session_factory
    from credstack.adapters.db.repositories import credentials as credential_store
    from credstack.core.credentials.cohorts import read_cohort
    from credstack.services.clr import service as clr
    from credstack.services.clr import verification as clr_verification
    from credstack.services.issuance import service as issuance
    from credstack.services.verification import service as verifier
    from credstack.settings import Settings
    from tests.services.clr.test_service import ALICE, SECRET, SLUG, now, prepare, secret

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        settings = dataclasses.replace(
            Settings.from_env(data_dir=Path(folder) / "data", database_url=""),
            secret_key=SECRET, public_url="http://localhost:9")
        issued = prepare(settings)
        engine = make_engine(settings)
        sessions = session_factory(engine)
        wanted = [issued["alice-rdfc"], issued["alice-jwt"]]
        for number in range(8):
            batch = f"bench-{number}"
            issuance.issue_cohort(
                sessions, secret=secret(), public_url=settings.public_url, programme_id=1,
                cohort=read_cohort(f"email,name.en\n{ALICE},Alice\n"), batch=batch,
                now=now() - dt.timedelta(minutes=1), workers=1,
                securing="eddsa-rdfc-2022" if number % 2 else "vc-jwt")
            with sessions() as session:
                wanted.append(credential_store.list_credentials(session, batch=batch)[0]
                              .credential_id)
        sources = verifier.VerificationSources.from_settings(settings, sessions)
        try:
            for securing in clr.CLR_SECURINGS:
                def bundle(_: int, securing: str = securing) -> str:
                    return clr.issue_clr(sessions, organisation=SLUG, credential_ids=wanted,
                                         secret=secret(), public_url=settings.public_url,
                                         securing=securing, now=now())

                document = bundle(0)

                def check(_: int, document: str = document) -> None:
                    report = clr_verification.verify_clr(document, sources=sources,
                                            now=now() + dt.timedelta(seconds=1))
                    assert report.ok, report.to_dict()["errors"]

                size = f"{len(document.encode()) / 1024:.0f} KiB"
                rows += [
                    Row("clr", f"{securing}: bundle 10 credentials from the store + sign",
                        rate(bundle, seconds, batch=1), note=f"one CLR of {size}"),
                    Row("clr", f"{securing}: verify the CLR and its 10 credentials",
                        rate(check, seconds, batch=1),
                        note="outer proof, learner, associations, then each credential's "
                             "full report"),
                ]
        finally:
            engine.dispose()
    return rows


# --- badge images and baking ----------------------------------------------------------------

@section("baking")
def badge_images_and_baking(seconds: float) -> list[Row]:
    """Badge images and baked credentials: bake and extract (PNG, SVG), design and render."""
    from credstack.core.credentials.baking_png import bake_png, extract_png
    from credstack.core.credentials.baking_svg import bake_svg, extract_svg
    from credstack.core.credentials.openbadges_v3 import (
        IssuerProfile,
        build_open_badge_credential,
    )
    from credstack.core.crypto.keys import KeyPair, KeyType
    from credstack.core.descriptors.models import Award
    from credstack.core.images.badge_png import render_png
    from credstack.core.images.badge_svg import badge_svg, design_for_programme
    from credstack.core.proofs.cryptosuites import vc_jwt
    from credstack.demo import load_demo_documents
    from credstack.services.badges.service import badge_fonts

    # 64 credentials of demo programmes (~5 KB of JSON with a proof's shape; the VC-JWTs
    # signed for real), cycled so that nothing is cached; the badge of the first programme.
    key = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32)))
    programmes = load_demo_documents().programmes
    issuer = IssuerProfile(id="did:web:badges.example.ac.jp:organisations:hokuto-tech",
                           name={"ja": "北都工科大学", "en": "Hokuto Institute of Technology"})
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
             "created": "2026-04-01T09:00:00Z", "proofPurpose": "assertionMethod",
             "verificationMethod": f"{issuer.id}#key-1", "proofValue": "z" + "5" * 87}
    documents = [build_open_badge_credential(
        programme=programmes[number % len(programmes)], issuer=issuer,
        award=Award.model_validate({"learner": {"identifiers": [
            {"type": "email", "value": f"learner{number}@example.ac.jp"}]}}),
        credential_id=f"urn:uuid:00000000-0000-4000-8000-{number:012d}",
        achievement_id=f"https://badges.example.ac.jp/achievements/{number}/v1",
        valid_from=dt.datetime(2026, 4, 1, tzinfo=dt.UTC)) for number in range(64)]
    texts = [json.dumps(document | {"proof": proof}, ensure_ascii=False)
             for document in documents]
    tokens = [vc_jwt.sign(document, key=key, kid=f"{issuer.id}#key-1")
              for document in documents]
    fonts = badge_fonts()
    designs = [design_for_programme(programme) for programme in programmes]
    svg = badge_svg(designs[0], latin_only=not fonts.japanese)
    png = render_png(svg, font_files=fonts.files, family=fonts.family)
    image = svg.encode("utf-8")
    baked = {(kind, name): [bake(picture, text) for text in payloads]
             for kind, bake, picture in (("png", bake_png, png), ("svg", bake_svg, image))
             for name, payloads in (("json", texts), ("jwt", tokens))}
    sizes = (f"credential {sum(map(len, texts)) // 64:,} B JSON / "
             f"{sum(map(len, tokens)) // 64:,} B VC-JWT")
    name = "baking"
    rows = [
        Row(name, "PNG bake, OB 3.0 JSON", rate(lambda n: bake_png(png, texts[n % 64]), seconds),
            note=f"{len(png):,} B badge; {sizes}; every CRC checked"),
        Row(name, "PNG extract, OB 3.0 JSON",
            rate(lambda n: extract_png(baked["png", "json"][n % 64]), seconds),
            note="whole datastream checked, JSON parsed"),
        Row(name, "PNG bake, VC-JWT", rate(lambda n: bake_png(png, tokens[n % 64]), seconds)),
        Row(name, "PNG extract, VC-JWT",
            rate(lambda n: extract_png(baked["png", "jwt"][n % 64]), seconds)),
        Row(name, "SVG bake, OB 3.0 JSON",
            rate(lambda n: bake_svg(image, texts[n % 64]), seconds),
            note=f"{len(image):,} B badge; defusedxml parse + text edit"),
        Row(name, "SVG extract, OB 3.0 JSON",
            rate(lambda n: extract_svg(baked["svg", "json"][n % 64]), seconds)),
        Row(name, "SVG bake, VC-JWT", rate(lambda n: bake_svg(image, tokens[n % 64]), seconds)),
        Row(name, "SVG extract, VC-JWT",
            rate(lambda n: extract_svg(baked["svg", "jwt"][n % 64]), seconds)),
        Row(name, "badge design (SVG text)",
            rate(lambda n: badge_svg(designs[n % len(designs)]), seconds),
            note=f"{len(designs)} demo programmes cycled"),
        Row(name, "badge render (512×512 PNG, resvg)",
            rate(lambda n: render_png(badge_svg(designs[n % len(designs)],
                                                latin_only=not fonts.japanese),
                                      font_files=fonts.files, family=fonts.family),
                 seconds, batch=1),
            note=f"{fonts.family}{'' if fonts.japanese else ' (Latin only)'}; the service "
                 "caches rendered PNGs per design"),
    ]
    return rows


# --- running ----------------------------------------------------------------------------------

def _print(rows: list[Row], console: Console) -> None:
    table = Table(title=f"credstack formats — one core ({platform.python_implementation()} "
                        f"{platform.python_version()}, {platform.machine()}, "
                        f"{os.cpu_count()} cores)")
    for column in ("section", "operation", "per second", "target", "note"):
        table.add_column(column, justify="right" if column in {"per second", "target"} else "left")
    for row in rows:
        mark = {True: "[green]✓[/]", False: "[red]✗[/]", None: ""}[row.meets]
        table.add_row(row.section, row.operation, f"{row.rate:,.0f}",
                      f"{row.target:,.0f} {mark}" if row.target is not None else "", row.note)
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0,
                        help="time spent on each operation (default 2)")
    parser.add_argument("--only", default="", help="comma-separated section names")
    parser.add_argument("--list", action="store_true", help="list the sections and exit")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--clock", choices=sorted(CLOCK), default="wall",
                        help="elapsed time (wall, default) or this process's CPU time (cpu)")
    options = parser.parse_args(argv)
    global _clock
    _clock = CLOCK[options.clock]
    if options.list:
        for name, function in SECTIONS.items():
            print(f"{name}: {(function.__doc__ or '').strip().splitlines()[0]}")
        return 0
    wanted = [name for name in options.only.split(",") if name] or list(SECTIONS)
    unknown = [name for name in wanted if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; --list shows them")
    rows = [row for name in wanted for row in SECTIONS[name](options.seconds)]
    if options.json:
        print(json.dumps([asdict(row) | {"meets": row.meets} for row in rows], indent=2))
    else:
        _print(rows, Console())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
