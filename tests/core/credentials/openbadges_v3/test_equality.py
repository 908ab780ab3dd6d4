"""OB 3.0 §10: the same credential is the same issuer id and credential id, after unescaping
and trimming; of two, the newer validFrom is the more up-to-date."""

from __future__ import annotations

import pytest

from credstack.core.credentials.openbadges_v3.equality import (
    Identity,
    equal,
    identity,
    newer,
    valid_from,
)

A = {"id": "urn:uuid:1", "issuer": {"id": "https://issuer.example/"},
     "validFrom": "2024-01-01T00:00:00Z"}


@pytest.mark.parametrize("other", [
    {"id": " urn:uuid:1 ", "issuer": "https://issuer.example/"},
    {"id": "urn%3Auuid%3A1", "issuer": {"id": "https%3A%2F%2Fissuer.example%2F"}},
    {"vc": {"id": "urn:uuid:1", "issuer": "https://issuer.example/"}},
    {"jti": "urn:uuid:1", "iss": "https://issuer.example/"},
])
def test_the_same_credential_in_other_spellings_and_forms_is_equal(other):
    """Whitespace, percent-encoding, the issuer as a string, a VC-JWT's vc claim or its
    iss/jti: equal."""
    assert equal(A, other) and equal(other, A)


@pytest.mark.parametrize("other", [{"id": "urn:uuid:2", "issuer": "https://issuer.example/"},
                                   {"id": "urn:uuid:1", "issuer": "https://other.example/"},
                                   {"issuer": "https://issuer.example/"}, {}])
def test_another_id_or_issuer_or_none_is_not_equal(other):
    """Another id or issuer is another credential; one without an id equals nothing."""
    assert not equal(A, other)


def test_identity_and_the_newer_representation():
    """identity names both ids; a later validFrom (or issuanceDate, or nbf) is newer; without
    dates the one sent last counts as newer."""
    assert identity(A) == Identity("https://issuer.example/", "urn:uuid:1")
    later = {**A, "validFrom": "2024-06-01T00:00:00+09:00"}
    assert newer(later, A) and not newer(A, later) and not newer(A, A)
    assert valid_from({"issuanceDate": "2020-01-01T00:00:00"}).year == 2020
    assert valid_from({"nbf": 0}).year == 1970
    assert newer({"id": "x"}, A)
