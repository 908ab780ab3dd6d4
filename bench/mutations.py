#!/usr/bin/env python3
"""Benchmark: mutate signed credentials and verify each one; none may verify.

    .venv/bin/python bench/mutations.py [--count 10000] [--seed 0]

Issue 3 ("Bad input"): a property-based test mutates signed credentials — at least 10,000
mutations in the benchmark run — and asserts that none verifies. The CI test
(``tests/core/verification/test_pipeline.py``, hypothesis, ``CREDSTACK_MUTATIONS``) runs a
few hundred; this script runs the full count with a seeded generator, so a run can be
repeated exactly.

The credentials: an Open Badges 3.0 micro-credential built from a demo programme, signed by an
Ed25519 ``did:key`` issuer with ``eddsa-rdfc-2022``, with ``eddsa-jcs-2022``, with the Linked
Data Signature ``Ed25519Signature2020`` and as a VC-JWT — and, written as a VC 1.1 credential
(``issuanceDate`` / ``expirationDate``, the form older issuers' take), with
``Ed25519Signature2018`` —, by a P-256 ``did:key`` issuer with ``ecdsa-rdfc-2019`` and
``ecdsa-jcs-2019`` — and, with
an ``ecdsa-sd-2023`` base proof, the disclosure a holder derives from it (what the badge is,
its issuer, validity and status mandatory; one of the learner's names and the award date
chosen) — with revocation and suspension entries in two signed status lists (served from
memory). Each
mutation changes, deletes or inserts one value anywhere in the credential — the proof
included; for the VC-JWT, in its payload, keeping the signature — and the whole verification
pipeline runs on it (parse, data model, contexts, proof, issuer, validity, status, meaning).

Edits that change nothing signed are not mutations and are not counted: JSON-LD reads
``null`` and ``[]`` as nothing, ``2.0`` as ``2`` and ``"x"`` as ``["x"]``; and RDFC (and
``ecdsa-sd-2023``, which signs RDFC's statements, and the two Linked Data Signatures, which
sign RDFC's canonical form) signs the RDF graph, in which the issuer and
the achievement's creator are one node — removing the issuer's ``name``, which the creator
states too, leaves every signed byte unchanged. Such edits are detected by comparing the
canonical N-Quads with the original's and reported as "RDF-neutral, skipped".

Reports, per proof form: mutations verified (must be 0), exceptions (must be 0), how many
failed the proof check itself (every check runs; a mutation the proof check let through would
have to be caught by another), the verification rate (the whole pipeline, on mutated input)
and which check failed first. Exits 1 if any mutation verified or raised.
"""

from __future__ import annotations

import argparse
import base64
import collections
import copy
import datetime as dt
import json
import platform
import random
import string
import sys
import time
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from credstack.adapters.resolvers.contexts import document_loader
from credstack.core.credentials import (
    EXTENSION_CONTEXT_URL,
    IssuerProfile,
    build_open_badge_credential,
    extension_context,
)
from credstack.core.crypto import KeyPair, KeyType, rdfc_canonicalize
from credstack.core.descriptors.models import Award
from credstack.core.dids import did_key
from credstack.core.proofs import (
    EcdsaSdIssuing,
    derive_data_integrity,
    sign_data_integrity,
    sign_vc_jwt,
)
from credstack.core.status import StatusList, entry_for, status_list_credential
from credstack.core.verification import VerificationReport, verify_credential
from credstack.demo import load_demo_documents
from credstack.errors import CredstackError, MalformedCredentialError
from credstack.testing import json_containers, json_paths, same_to_json_ld, value_at

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
VALID_FROM = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32)))
ISSUER = did_key.did_from_public_key(KEY.public_key)
METHOD = did_key.verification_method_id(KEY.public_key)
ECDSA_KEY = KeyPair.from_secret_bytes(KeyType.P256, bytes(range(1, 33)))
LISTS = {"revocation": "https://status.credstack.example/lists/revocation/1",
         "suspension": "https://status.credstack.example/lists/suspension/1"}
LOADER = document_loader(extra={EXTENSION_CONTEXT_URL: extension_context()})
VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
STATUS_CONTEXT = "https://www.w3.org/ns/credentials/status/v1"
ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"
#: The forms whose proof signs RDFC-1.0's canonical form, not the JSON text.
RDF_SIGNED = ("eddsa-rdfc-2022", "ecdsa-rdfc-2019", "ecdsa-sd-2023", "Ed25519Signature2020",
              "Ed25519Signature2018")


# --- the signed credentials -----------------------------------------------------------------

def _sign(document: Mapping[str, Any], suite: str | EcdsaSdIssuing = "eddsa-rdfc-2022",
          key: KeyPair = KEY) -> dict[str, Any]:
    return sign_data_integrity(document, key=key,
                               verification_method=did_key.verification_method_id(
                                   key.public_key),
                               cryptosuite=suite, created=VALID_FROM, document_loader=LOADER)


def _unsigned(issuer: str = ISSUER) -> dict[str, Any]:
    # Three learning outcomes: with four or more, the extension's @list of blank nodes
    # exceeds RDFC-1.0's work limit and the credential cannot be signed with RDFC today.
    programme = next(p for p in load_demo_documents().programmes
                     if p.awarding_body is not None and p.assessment is not None
                     and not p.assessment.participation_only and len(p.learning_outcomes) == 3)
    assert programme.awarding_body is not None
    credential = build_open_badge_credential(
        programme=programme,
        award=Award.model_validate({
            "learner": {"name": {"ja": "山田花子", "en": "Hanako Yamada"},
                        "identifiers": [{"type": "email", "value": "hanako@example.jp"}]},
            "issued_on": "2026-03-31", "grade": "A"}),
        issuer=IssuerProfile(id=issuer, name=programme.awarding_body.name,
                             slug=programme.awarding_body.id),
        credential_id="urn:uuid:0b4b7a52-6f0e-4a39-9a8c-2f3f4c8e8a01",
        achievement_id=f"https://credstack.example/achievements/{programme.code}/v1",
        valid_from=VALID_FROM, valid_until=VALID_FROM + dt.timedelta(days=365), salt="c2FsdA")
    credential["credentialStatus"] = [
        entry_for(12, list_url=LISTS["revocation"], purpose="revocation"),
        entry_for(12, list_url=LISTS["suspension"], purpose="suspension")]
    return credential


def _linked_data(document: Mapping[str, Any], suite: str) -> dict[str, Any]:
    """The credential as ``Ed25519Signature2020`` or ``Ed25519Signature2018`` credentials are
    written: 2020 with its suite context added; 2018 as a VC 1.1 credential, whose base
    context defines that proof's terms (and the Bitstring Status List context for its
    entries)."""
    changed = copy.deepcopy(dict(document))
    if suite == "Ed25519Signature2020":
        changed["@context"] = [*changed["@context"], ED25519_2020_CONTEXT]
        return _sign(changed, suite)
    changed["@context"] = [VC_V1_CONTEXT, *changed["@context"][1:], STATUS_CONTEXT]
    changed["issuanceDate"] = changed.pop("validFrom")
    changed["expirationDate"] = changed.pop("validUntil")
    return _sign(changed, suite)


def _disclosed(document: Mapping[str, Any]) -> dict[str, Any]:
    """A holder's ecdsa-sd-2023 disclosure of the P-256 issuer's credential."""
    base = _sign(document, EcdsaSdIssuing((
        "/issuer", "/validFrom", "/validUntil", "/credentialStatus", "/name",
        "/credentialSubject/type", "/credentialSubject/achievement")), ECDSA_KEY)
    return derive_data_integrity(
        base, selective_pointers=["/credentialSubject/identifier/1", "/awardedDate"],
        document_loader=LOADER)


def _status_lists() -> dict[str, dict[str, Any]]:
    return {url: _sign(status_list_credential(
        StatusList.empty(purpose=purpose).with_status(4021), url=url, issuer=ISSUER,
        valid_from=VALID_FROM)) for purpose, url in LISTS.items()}


def _b64(value: Any) -> str:
    """Base64url of compact UTF-8 JSON: the bytes sign_vc_jwt signs, for the same object."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def _resolve(method: str) -> Any:
    raise MalformedCredentialError(f"{method}: only did:key is resolved in this benchmark")


# --- mutations (the rules of the CI property test, with a seeded generator) ------------------

_KEY_CHARACTERS = string.ascii_letters + string.digits + ":_-"
_TEXT_CHARACTERS = string.printable + "äéß日本語証明🙂\u200b"


def _text(rng: random.Random, low: int = 0) -> str:
    return "".join(rng.choice(_TEXT_CHARACTERS) for _ in range(rng.randint(low, 12)))


def _key(rng: random.Random) -> str:
    while True:
        key = "".join(rng.choice(_KEY_CHARACTERS) for _ in range(rng.randint(1, 12)))
        if not key.startswith(("@", "_:")):
            return key


def _scalar(rng: random.Random) -> Any:
    kind = rng.randrange(4)
    if kind == 0:
        return _text(rng)
    if kind == 1:
        return rng.randint(-5, 10**6)
    if kind == 2:
        return rng.random() < 0.5
    return rng.uniform(-1e6, 1e6)


def _value(rng: random.Random) -> Any:
    kind = rng.randrange(5)
    if kind == 3:
        return [_scalar(rng) for _ in range(rng.randint(1, 2))]
    if kind == 4:
        return {_key(rng): _scalar(rng) for _ in range(rng.randint(1, 2))}
    return _scalar(rng)


def mutate(document: dict[str, Any], rng: random.Random) -> tuple[str, dict[str, Any]]:
    """One change, deletion or insertion that changes what the JSON-LD says."""
    changed = copy.deepcopy(document)
    operation = rng.choice(["change", "delete", "insert"])
    if operation == "insert":
        path = rng.choice(json_containers(changed))
        container = value_at(changed, path)
        if isinstance(container, dict):
            key = _key(rng)
            while key in container:
                key = _key(rng)
            container[key] = _value(rng)
        else:
            value = _value(rng)
            while any(same_to_json_ld(value, old) for old in container):
                value = _value(rng)
            container.insert(rng.randint(0, len(container)), value)
        return f"insert {'/'.join(map(str, path)) or '(root)'}", changed
    path = rng.choice([p for p in json_paths(changed) if value_at(changed, p) not in ([], None)])
    parent, last = value_at(changed, path[:-1]), path[-1]
    where = "/".join(map(str, path))
    if operation == "delete":
        del parent[last]
        return f"delete {where}", changed
    old = parent[last]
    new = _text(rng, 1) if "@context" in path else _value(rng)
    while same_to_json_ld(new, old):
        new = _text(rng, 1) if "@context" in path else _value(rng)
    parent[last] = new
    return f"change {where}", changed


def _signed_content(document: Mapping[str, Any]) -> tuple[str, str, Any] | None:
    """What an RDFC proof covers (canonical document and options), and its signature (the
    ``proofValue``, or an ``Ed25519Signature2018`` proof's ``jws``)."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return None
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    options = {name: value for name, value in proof.items() if name not in ("proofValue", "jws")}
    options["@context"] = unsecured.get("@context")
    try:
        return (rdfc_canonicalize(unsecured, document_loader=LOADER),
                rdfc_canonicalize(options, document_loader=LOADER),
                (proof.get("proofValue"), proof.get("jws")))
    except CredstackError:
        return None


# --- the run --------------------------------------------------------------------------------

def run(count: int, seed: int) -> int:
    console = Console(width=150)
    console.print(f"[bold]mutations[/bold]: {count:,} per run, seed {seed}, "
                  f"Python {platform.python_version()} on {platform.machine()}")
    lists = _status_lists()

    def verify(credential: Any) -> VerificationReport:
        return verify_credential(credential, document_loader=LOADER,
                                 resolve_verification_method=_resolve,
                                 fetch_status_list=lists.get, now=NOW,
                                 programme_lookup=lambda achievement: None)

    unsigned = _unsigned()
    ecdsa_unsigned = _unsigned(did_key.did_from_public_key(ECDSA_KEY.public_key))
    header, payload, signature = sign_vc_jwt(unsigned, key=KEY, kid=METHOD).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forms: dict[str, tuple[dict[str, Any], Callable[[dict[str, Any]], Any]]] = {
        "eddsa-rdfc-2022": (_sign(unsigned), lambda mutated: mutated),
        "eddsa-jcs-2022": (_sign(unsigned, "eddsa-jcs-2022"), lambda mutated: mutated),
        "Ed25519Signature2020": (_linked_data(unsigned, "Ed25519Signature2020"),
                                 lambda mutated: mutated),
        "Ed25519Signature2018": (_linked_data(unsigned, "Ed25519Signature2018"),
                                 lambda mutated: mutated),
        "ecdsa-rdfc-2019": (_sign(ecdsa_unsigned, "ecdsa-rdfc-2019", ECDSA_KEY),
                            lambda mutated: mutated),
        "ecdsa-jcs-2019": (_sign(ecdsa_unsigned, "ecdsa-jcs-2019", ECDSA_KEY),
                           lambda mutated: mutated),
        "ecdsa-sd-2023": (_disclosed(ecdsa_unsigned), lambda mutated: mutated),
        "vc+jwt": (claims, lambda mutated: f"{header}.{_b64(mutated)}.{signature}"),
    }
    # What each RDF-signing proof signs, to tell RDF-neutral edits (P-256 and Ed25519 keys
    # both canonicalize with SHA-256).
    originals = {form: _signed_content(document) for form, (document, _) in forms.items()
                 if form in RDF_SIGNED}
    for form, (document, wrap) in forms.items():
        report = verify(wrap(document))
        if not report.ok:
            console.print(f"[red]the unmutated {form} credential does not verify[/red]")
            return 1
    rng = random.Random(seed)
    names = list(forms)
    counts = {form: collections.Counter[str]() for form in names}
    first_failed = {form: collections.Counter[str]() for form in names}
    timings = dict.fromkeys(names, 0.0)
    verified_examples: list[str] = []
    done = 0
    started = time.perf_counter()
    while done < count:
        form = names[done % len(names)]
        document, wrap = forms[form]
        description, mutated = mutate(document, rng)
        if form in originals and _signed_content(mutated) == originals[form]:
            counts[form]["rdf-neutral"] += 1
            continue
        credential = wrap(mutated)
        begin = time.perf_counter()
        try:
            report = verify(credential)
        except Exception:
            counts[form]["raised"] += 1
            verified_examples.append(f"{form} {description}: raised\n{traceback.format_exc()}")
        else:
            if report.ok:
                counts[form]["verified"] += 1
                verified_examples.append(f"{form} {description}: VERIFIED")
            else:
                first_failed[form][report.failed[0].name if report.failed else "(skipped)"] += 1
                proof = report.check("proof")
                if proof is not None and proof.ok is not True:
                    counts[form]["proof failed"] += 1
        timings[form] += time.perf_counter() - begin
        counts[form]["mutations"] += 1
        done += 1
    elapsed = time.perf_counter() - started

    table = Table(title=f"{count:,} mutations in {elapsed:.1f} s")
    for column in ("proof form", "mutations", "verified", "raised", "proof check failed",
                   "RDF-neutral, skipped", "verifications/s", "first failed check"):
        table.add_column(column, justify="left" if column in ("proof form",
                                                               "first failed check")
                         else "right")
    for form in names:
        tally = counts[form]
        rate = tally["mutations"] / timings[form] if timings[form] else 0.0
        failures = ", ".join(f"{name} {number:,}" for name, number
                             in first_failed[form].most_common())
        table.add_row(form, f"{tally['mutations']:,}", f"{tally['verified']:,}",
                      f"{tally['raised']:,}", f"{tally['proof failed']:,}",
                      f"{tally['rdf-neutral']:,}", f"{rate:,.0f}", failures)
    total_verified = sum(counts[form]["verified"] for form in names)
    total_raised = sum(counts[form]["raised"] for form in names)
    table.add_row("all", f"{done:,}", f"{total_verified:,}", f"{total_raised:,}",
                  f"{sum(counts[form]['proof failed'] for form in names):,}",
                  f"{sum(counts[form]['rdf-neutral'] for form in names):,}",
                  f"{done / elapsed:,.0f}", "")
    console.print(table)
    for example in verified_examples[:10]:
        console.print(example)
    if total_verified or total_raised:
        console.print(f"[red]{total_verified} mutation(s) verified, {total_raised} raised[/red]")
        return 1
    console.print("[green]no mutation verified, none raised[/green]")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000,
                        help="how many mutations to verify (default 10,000)")
    parser.add_argument("--seed", type=int, default=0, help="the generator's seed (default 0)")
    arguments = parser.parse_args()
    sys.exit(run(arguments.count, arguments.seed))


if __name__ == "__main__":
    main()
