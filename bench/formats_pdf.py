#!/usr/bin/env python3
"""Benchmark: signed PDF certificates — render + sign per second on one core, and verify.

    .venv/bin/python bench/formats_pdf.py [--seconds 2] [--clock wall|cpu] [--json]

The ``pdf`` section of ``bench/formats.py`` (issue "One record, every format", PDF
certificates): it registers itself in that script's ``SECTIONS`` and runs with its options
(``--only pdf`` by default here). Kept in its own file while ``formats.py`` is being edited
for the other formats; ``import formats_pdf`` there (or moving :func:`pdf_certificates`
into it) makes it one of its sections.

The store is a temporary SQLite one with a demo organisation, its Ed25519 issuer key, a
published programme and 64 credentials (one learner each, named in Japanese and English, so
the glyphs of each page differ), their status lists signed, and the organisation's CA. What
is measured, one core, target ≥ 50 signed PDFs per second:

* the page alone (reportlab, Noto Sans CJK JP subset embedded, QR code), in ja and en;
* the signature alone (pyHanko, PAdES B-B certification signature, credential attached),
  without and with the validation data (CA certificate and current CRL in the ``/DSS``);
* both, in ja and en, without and with the CRL — the figure the target is about — and the
  whole recipe from the store
  (read the credential, say what the certificate says, render, sign; the signer reused);
* both with a signature timestamp (PAdES B-T) from a time-stamping authority on loopback, in
  this process: pyHanko's ``DummyTimeStamper`` (RSA 2048) behind ``http.server``, as the tests
  run it. That responder is slow (it loads its RSA key again for every token, ~0.1 s), so a
  second row subtracts the time it spent making tokens: what remains is credstack's part —
  the request, the HTTP round trip on loopback, checking the reply, the larger signature.
  A remote TSA's latency comes on top;
* verification: the PDF's signature alone (digest, ECDSA P-256, chain to the CA, difference
  analysis), and in full with the credential inside (proof, status lists from the store,
  registry lookup, conformance to the framework profiles).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import formats  # noqa: E402  (bench/formats.py: the registry and the runner)
from formats import Row, rate, section  # noqa: E402

TARGET = 50.0
LEARNERS = 64
SLUG = "hokuto-tech"
PUBLIC_URL = "https://issuer.example.ac.jp"
_FAMILY = "佐藤鈴木高橋田中伊藤渡辺山本中村小林加藤吉田山田佐々木山口松本井上木村林斎藤清水"
_GIVEN = "花子太郎陽菜蓮結衣湊葵樹凛大和美咲翔芽依悠真"


def _store(directory: Path) -> dict[str, Any]:
    from credstack.adapters.db.engine import make_engine, migrate, session_factory
    from credstack.adapters.db.repositories import credentials as credential_store
    from credstack.adapters.db.repositories import keys as key_store
    from credstack.adapters.db.repositories.organisations import create_organisation
    from credstack.adapters.db.repositories.programmes import create_programme
    from credstack.adapters.keystore import MasterKey, new_master_key_text
    from credstack.core.credentials.cohorts import read_cohort
    from credstack.core.crypto import KeyType
    from credstack.core.descriptors import parse_organisation, parse_programme
    from credstack.services.certificates import authority as pki
    from credstack.services.certificates import service as pdf
    from credstack.services.issuance import service as issuance
    from credstack.services.issuance import status_lists
    from credstack.settings import Settings
    from credstack.testing.documents import organisation_document as organisation
    from credstack.testing.documents import programme_document as programme

    text = new_master_key_text()
    settings = dataclasses.replace(Settings.from_env(data_dir=directory, database_url=""),
                                   public_url=PUBLIC_URL, secret_key=text)
    secret = MasterKey.from_text(text, source="bench")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=1)
    engine = make_engine(settings)
    migrate(engine)
    sessions = session_factory(engine)
    with sessions() as session, session.begin():
        create_organisation(session, organisation=parse_organisation(organisation()), now=now)
        key_store.create_key(session, organisation=SLUG, key_type=KeyType.ED25519, now=now,
                             secret=secret)
        create_programme(session, programme=parse_programme(programme()), publish=True, now=now)
    rows = ["email,name.ja,name.en,grade"] + [
        f"learner{n}@example.jp,{_FAMILY[n % 24 * 2:n % 24 * 2 + 2]} "
        f"{_GIVEN[n % 15 * 2 % 30:n % 15 * 2 % 30 + 2]},Learner Number{n},A"
        for n in range(LEARNERS)]
    issuance.issue_cohort(sessions, secret=secret, public_url=PUBLIC_URL, programme_id=1,
                          cohort=read_cohort("\n".join(rows) + "\n"), batch="bench", now=now,
                          workers=1)
    for purpose in ("revocation", "suspension"):
        status_lists.published_status_list(sessions, organisation=SLUG, number=1, purpose=purpose,
                                       secret=secret, public_url=PUBLIC_URL, now=now)
    with sessions() as session, session.begin():
        identity = pki.signing_identity(session, organisation=SLUG, secret=secret, now=now,
                                        public_url=PUBLIC_URL)
        stored = credential_store.list_credentials(session, batch="bench", limit=LEARNERS)
    return {"settings": settings, "sessions": sessions, "secret": secret, "engine": engine,
            "identity": identity, "signer": pdf.CertificateSigner.for_identity(identity),
            # The same identity without its CRL: a plain PAdES B-B signature, no /DSS.
            "plain": pdf.CertificateSigner.for_identity(dataclasses.replace(identity, crls=())),
            "documents": [item.document for item in stored],
            "ids": [item.credential_id for item in stored]}


@section("pdf")
def pdf_certificates(seconds: float) -> list[Row]:
    """Signed PDF certificates (ja, en): render, sign, verify."""
    from credstack.adapters import tsa
    from credstack.core.certificates import certificate_content, read_credential
    from credstack.core.verification import Check, VerificationReport
    from credstack.services.certificates import authority as pki
    from credstack.services.certificates import service as pdf
    from credstack.services.certificates import verification as pdf_verify
    from credstack.services.verification import service as verifier
    from tests.services.certificates.test_service_timestamps import make_tsa, serve_tsa

    with tempfile.TemporaryDirectory() as directory, contextlib.ExitStack() as stack:
        store = _store(Path(directory))
        authority = make_tsa("Bench Time Stamping Authority")
        served = stack.enter_context(serve_tsa(authority))
        stamped = pdf.CertificateSigner.for_identity(store["identity"],
                                                     tsa.authority(served.url))
        signer, documents, ids = store["signer"], store["documents"], store["ids"]
        plain = store["plain"]
        now = dt.datetime.now(dt.UTC)
        contents = {language: [certificate_content(read_credential(document), language=language,
                                                   public_url=PUBLIC_URL)
                               for document in documents] for language in ("ja", "en")}
        attachments = [pdf.attachment_for(document, credential_id=credential_id)
                       for document, credential_id in zip(documents, ids, strict=True)]
        pages = {language: [pdf.render_page(item, now=now) for item in contents[language]]
                 for language in ("ja", "en")}
        signed = {language: [pdf.sign_pdf(page, signer=signer, now=now, attachment=attachment)
                             for page, attachment in zip(pages[language], attachments,
                                                         strict=True)]
                  for language in ("ja", "en")}
        size = {language: sum(map(len, signed[language])) / LEARNERS for language in signed}

        def render(language: str) -> Any:
            return lambda n: pdf.render_page(contents[language][n % LEARNERS], now=now)

        def both(language: str, chosen: pdf.CertificateSigner = signer) -> Any:
            return lambda n: pdf.render_certificate(contents[language][n % LEARNERS],
                                                    signer=chosen, now=now,
                                                    attachment=attachments[n % LEARNERS])

        def timestamped_rows(language: str) -> list[Row]:
            requests, busy = served.requests, served.busy
            measured = rate(both(language, stamped), seconds)
            per_token = (served.busy - busy) / (served.requests - requests)
            return [Row(name, f"render + sign + CRL + timestamp B-T ({language})", measured,
                        TARGET, "local RFC 3161 TSA over HTTP (loopback, same process), "
                                f"{per_token * 1000:,.0f} ms per token"),
                    Row(name, f"  the same, the TSA's own time subtracted ({language})",
                        1 / (1 / measured - per_token), TARGET)]

        def from_store(n: int) -> None:
            with store["sessions"]() as session:
                pdf.certificate_pdf(session, credential_id=ids[n % LEARNERS],
                                    language=("ja", "en")[n % 2], secret=store["secret"],
                                    public_url=PUBLIC_URL, now=now, signer=signer)

        authorities = pki.StoreAuthorities(store["sessions"], public_url=PUBLIC_URL)
        sources = verifier.VerificationSources.from_settings(store["settings"],
                                                             store["sessions"])
        passed = VerificationReport((Check("parse", True, "", ""),))

        def verify_signature(n: int) -> None:
            result = pdf_verify.verify_pdf(signed["ja"][n % LEARNERS], authorities=authorities,
                                           verify_credential=lambda _: passed, now=now)
            assert result.ok, result.to_dict()["errors"]

        roots = (authority.root,)
        timestamped = [pdf.render_certificate(contents["ja"][n], signer=stamped, now=now,
                                              attachment=attachments[n])
                       for n in range(LEARNERS)]
        size["ja-timestamped"] = sum(map(len, timestamped)) / LEARNERS

        def verify_timestamped(n: int) -> None:
            result = pdf_verify.verify_pdf(timestamped[n % LEARNERS], authorities=authorities,
                                           verify_credential=lambda _: passed, now=now,
                                           tsa_roots=roots)
            assert result.ok, result.to_dict()["errors"]

        def verify_full(n: int) -> None:
            result = pdf_verify.verify_pdf(
                signed["ja"][n % LEARNERS], authorities=authorities,
                verify_credential=lambda text: verifier.verify(text, now=now, sources=sources),
                now=now)
            assert result.ok, result.to_dict()["errors"]

        name = "pdf"
        embedded = "Noto Sans CJK JP, embedded" if pdf.fonts().embedded else \
            "HeiseiKakuGo-W5, NOT embedded (fonts-noto-cjk missing)"
        rows = [
            Row(name, "page alone (ja)", rate(render("ja"), seconds),
                note=f"reportlab + {embedded} subset + QR"),
            Row(name, "page alone (en)", rate(render("en"), seconds)),
            Row(name, "sign alone (PAdES B-B, credential attached)",
                rate(lambda n: pdf.sign_pdf(pages["ja"][n % LEARNERS], signer=plain, now=now,
                                            attachment=attachments[n % LEARNERS]), seconds),
                note="pyHanko + template CMS, ECDSA P-256"),
            Row(name, "sign alone (+ CA and CRL in /DSS)",
                rate(lambda n: pdf.sign_pdf(pages["ja"][n % LEARNERS], signer=signer, now=now,
                                            attachment=attachments[n % LEARNERS]), seconds)),
            Row(name, "render + sign B-B (ja)", rate(both("ja", plain), seconds), TARGET),
            Row(name, "render + sign B-B (en)", rate(both("en", plain), seconds), TARGET),
            Row(name, "render + sign + CRL (ja)", rate(both("ja"), seconds), TARGET,
                f"{size['ja'] / 1024:,.0f} KB per PDF"),
            Row(name, "render + sign + CRL (en)", rate(both("en"), seconds), TARGET,
                f"{size['en'] / 1024:,.0f} KB per PDF"),
            *timestamped_rows("ja"), *timestamped_rows("en"),
            Row(name, "certificate_pdf from the store (ja/en)", rate(from_store, seconds),
                TARGET, "read the credential, content, render, sign (signer reused)"),
            Row(name, "verify: PDF signature", rate(verify_signature, seconds),
                note="digest, ECDSA, chain to the CA, difference analysis, revocation (store)"),
            Row(name, "verify: PDF signature + timestamp", rate(verify_timestamped, seconds),
                note=f"+ the token: imprint, RSA signature, chain to the TSA root "
                     f"({size['ja-timestamped'] / 1024:,.0f} KB per ja PDF)"),
            Row(name, "verify: PDF signature + credential", rate(verify_full, seconds),
                note="+ proof, status (store), registry, conformance"),
        ]
        store["engine"].dispose()
    return rows


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if not any(argument.startswith("--only") or argument == "--list" for argument in arguments):
        arguments = ["--only", "pdf", *arguments]
    raise SystemExit(formats.main(arguments))
