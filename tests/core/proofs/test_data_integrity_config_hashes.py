"""The proof-configuration hash cache the suites share: hits, misses, bounds, threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from credstack.core.proofs.cryptosuites._common import ConfigHashes

CONFIG: dict[str, Any] = {
    "type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
    "created": "2025-04-01T00:00:00Z", "proofPurpose": "assertionMethod",
    "verificationMethod": "did:key:z6Mk#z6Mk",
    "@context": ["https://www.w3.org/ns/credentials/v2"],
}


class _Counter:
    """A compute function that counts its calls and returns a value naming the call."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, tag: str) -> Callable[[], bytes]:
        def compute() -> bytes:
            self.calls += 1
            return tag.encode()
        return compute


def test_an_equal_configuration_is_hashed_once() -> None:
    """A second, equal configuration (another dict, another list) is answered from the cache."""
    hashes, count = ConfigHashes(), _Counter()
    assert hashes.get(CONFIG, None, count("first")) == b"first"
    copy = {**CONFIG, "@context": list(CONFIG["@context"])}
    assert hashes.get(copy, None, count("second")) == b"first"
    assert count.calls == 1


def test_configurations_that_differ_are_kept_apart() -> None:
    """Any other value, a list instead of a string, or another ``extra`` is a new entry."""
    hashes, count = ConfigHashes(), _Counter()
    hashes.get(CONFIG, None, count("base"))
    variants: list[tuple[dict[str, Any], object]] = [
        ({**CONFIG, "created": "2025-04-01T00:00:01Z"}, None),
        ({**CONFIG, "proofPurpose": ["assertionMethod"]}, None),
        ({**CONFIG, "@context": "https://www.w3.org/ns/credentials/v2"}, None),
        ({**CONFIG, "@context": [*CONFIG["@context"], "https://example.org/v1"]}, None),
        ({**CONFIG, "id": "urn:uuid:1"}, None),
        (CONFIG, "another loader"),
    ]
    for index, (config, extra) in enumerate(variants):
        assert hashes.get(config, extra, count(str(index))) == str(index).encode()
    assert count.calls == 1 + len(variants)


def test_configurations_with_other_values_are_never_cached() -> None:
    """Objects, numbers, nulls, nested lists and unhashable extras are computed every time."""
    hashes, count = ConfigHashes(), _Counter()
    for config, extra in [({**CONFIG, "domain": {"a": "b"}}, None),
                          ({**CONFIG, "nonce": 5}, None), ({**CONFIG, "nonce": None}, None),
                          ({**CONFIG, "@context": [["x"]]}, None), (CONFIG, ["unhashable"])]:
        hashes.get(config, extra, count("x"))
        hashes.get(config, extra, count("x"))
    assert count.calls == 10


def test_the_cache_is_bounded_and_forgets_the_oldest_first() -> None:
    """Past ``maxsize`` the oldest configuration is recomputed; the newest stay."""
    hashes, count = ConfigHashes(maxsize=2), _Counter()
    configs = [{**CONFIG, "created": f"2025-04-01T00:00:0{second}Z"} for second in range(3)]
    for config in configs:
        hashes.get(config, None, count("x"))
    hashes.get(configs[2], None, count("x"))
    hashes.get(configs[1], None, count("x"))
    assert count.calls == 3
    hashes.get(configs[0], None, count("x"))
    assert count.calls == 4


def test_threads_share_the_cache_safely() -> None:
    """Eight threads over more configurations than fit: every answer is the right one."""
    hashes = ConfigHashes(maxsize=16)
    configs = [{**CONFIG, "created": f"2025-04-01T00:{minute:02d}:00Z"} for minute in range(50)]
    failures: list[str] = []

    def work(offset: int) -> None:
        for step in range(2000):
            config = configs[(step * 7 + offset) % len(configs)]
            created = config["created"]
            answer = hashes.get(config, None, lambda created=created: created.encode())
            if answer != created.encode():
                failures.append(created)

    threads = [threading.Thread(target=work, args=(offset,)) for offset in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
