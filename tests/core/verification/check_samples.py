"""What verification reports say in words, over a corpus of credentials: the record the move of
the checks' words into the catalogues (issue 53) is compared with.

Every credential of the shared reference data (``../shared/ref``: the W3C and 1EdTech
conformance suites and vectors, the specifications' examples, the Digital Credentials
Consortium's fixtures) and the pipeline tests' own signed credentials — as signed, tampered
with, revoked, suspended, expired, not yet valid, unchecked for status — is verified as
``test_pipeline`` verifies (its loader, keys and status lists; nothing fetched), and the words
of its report's JSON (:meth:`VerificationReport.to_dict`) are kept: every ``reason``,
``message``, ``title`` and ``detail``. ``report_words.json`` holds them as credstack worded
them before the move: every distinct wording once, and the wordings of each sample whose
report says what no other did; ``test_report_words`` compares.

``python -m tests.core.verification.check_samples ../shared/ref`` prints the record from
today's code.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from credstack.core.verification import VerificationReport
from tests.core.verification import test_pipeline as pipeline

#: The folders of the reference data whose credentials are verified.
FOLDERS = ("conformance", "vectors", "examples", "wild/dcc-vc-test-fixtures")
#: The members of a report's JSON that hold words.
WORDS = frozenset({"reason", "message", "title", "detail"})


def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text.strip()


def _own() -> Iterator[tuple[str, Callable[[], VerificationReport]]]:
    """The pipeline tests' credentials, signed in each EdDSA form, and their usual troubles
    (an ECDSA signature's length varies from one signing to the next, and with it the size
    the ``parse`` check states: the vectors hold ECDSA-signed credentials)."""
    for form, signed in pipeline.SIGNED.items():
        if "ecdsa" not in form:
            yield f"own/{form}", lambda signed=signed: pipeline.verify(signed())
    rdfc = pipeline.signed_rdfc

    def tampered() -> VerificationReport:
        document = copy.deepcopy(rdfc())
        document["name"] = "Tampered"
        return pipeline.verify(document)

    yield "own/tampered", tampered
    yield "own/no-status-check", lambda: pipeline.verify(rdfc(), fetch_status_list=None)
    yield "own/expired", lambda: pipeline.verify(rdfc(), now=dt.datetime(2028, 1, 1,
                                                                          tzinfo=dt.UTC))
    yield "own/not-yet-valid", lambda: pipeline.verify(rdfc(), now=dt.datetime(2025, 1, 1,
                                                                                tzinfo=dt.UTC))
    yield "own/unreadable", lambda: pipeline.verify(b"{not json")
    yield "own/not-an-object", lambda: pipeline.verify(b"[1, 2]")
    yield "own/strict", lambda: pipeline.verify(rdfc(), strict=True)


def _reference(ref: Path) -> Iterator[tuple[str, Callable[[], VerificationReport]]]:
    lists = pipeline.one_edtech_lists(ref)
    for folder in FOLDERS:
        for path in sorted((ref / folder).rglob("*")):
            if path.suffix not in {".json", ".jsonld", ".jwt"} or not path.is_file():
                continue
            document = _read(path)
            if not isinstance(document, dict | str):
                continue
            yield (str(path.relative_to(ref)),
                   lambda document=document: pipeline.verify(document,
                                                             fetch_status_list=lists.get))


def samples(ref: Path) -> Iterator[tuple[str, Callable[[], VerificationReport]]]:
    """(a name, a verification) for every credential of the corpus (``ref``: the shared
    reference data)."""
    yield from _own()
    yield from _reference(ref)


def words_of(value: Any) -> set[str]:
    """The words of a report's JSON: each ``reason``, ``message``, ``title`` and ``detail`` (a
    text, or ``{"en", "ja"}``), as JSON text."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key in WORDS and (isinstance(item, str) or (isinstance(item, dict)
                                 and set(item) <= {"en", "ja"})):
                found.add(json.dumps(item, ensure_ascii=False, sort_keys=True))
            else:
                found |= words_of(item)
    elif isinstance(value, list):
        for item in value:
            found |= words_of(item)
    return found


def record(ref: Path) -> dict[str, Any]:
    """``texts``, every wording the corpus's reports hold, and ``samples``, the wordings of
    each sample's report (indices into ``texts``), leaving out a sample that says nothing
    another did not say."""
    said: dict[str, set[str]] = {}
    for name, verification in samples(ref):
        words = words_of(verification().to_dict())
        if words not in said.values():
            said[name] = words
    texts = sorted(set().union(*said.values()))
    index = {text: number for number, text in enumerate(texts)}
    return {"texts": texts,
            "samples": {name: sorted(index[text] for text in words)
                        for name, words in said.items()}}


def dump(recorded: dict[str, Any]) -> str:
    """The record as JSON text, a line per wording and per sample (for a readable diff); a
    wording is written as the JSON it is kept as (``texts`` holds JSON values)."""
    texts = ",\n".join(text for text in recorded["texts"])
    samples = ",\n".join(f"{json.dumps(name)}: {json.dumps(numbers)}"
                          for name, numbers in recorded["samples"].items())
    return f'{{"texts": [\n{texts}\n],\n"samples": {{\n{samples}\n}}}}\n'


if __name__ == "__main__":
    sys.stdout.write(dump(record(Path(sys.argv[1]))))
