"""Which credential given to a wallet is one it holds already: known by its id, whatever form
it comes in, unless it is a newer representation of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from credstack.core.wallet.sameness import credential_id, issued_at, same_credential

HELD: dict[str, Any] = {"id": "urn:uuid:1", "issuer": {"id": "did:web:a"},
                        "validFrom": "2026-11-20T00:00:00Z", "name": "Data science"}


def test_the_same_id_and_date_in_another_order_or_form_is_the_same_credential() -> None:
    """Key order, a VC 1.1 VC-JWT's claims (``vc`` with ``jti``) and an Open Badges 2.0
    assertion of the same day are the credential held."""
    assert same_credential(dict(reversed(list(HELD.items()))), HELD)
    jwt = {"jti": "urn:uuid:1", "vc": {"validFrom": "2026-11-20T00:00:00Z"}}
    assert credential_id(jwt) == "urn:uuid:1" and same_credential(jwt, HELD)
    assertion = {"id": "https://example.jp/ob2/assertions/1", "issuedOn": "2026-11-20"}
    assert same_credential(assertion, HELD, given_id="urn:uuid:1")
    assert not same_credential(assertion, HELD)


def test_a_newer_representation_is_not_the_one_held() -> None:
    """A later ``validFrom`` under the same id is kept beside it (OB 3.0 §10); an older one
    is the credential held."""
    newer = {**HELD, "validFrom": "2026-11-21T00:00:00Z"}
    assert not same_credential(newer, HELD)
    assert same_credential(HELD, newer)


def test_without_dates_only_the_same_content_is_the_same() -> None:
    """Undated, the same id with other content is another representation."""
    undated = {key: value for key, value in HELD.items() if key != "validFrom"}
    assert same_credential(dict(undated), undated)
    assert not same_credential({**undated, "name": "Statistics"}, undated)


def test_another_id_or_none_or_another_issuer_is_never_the_same() -> None:
    """Ids are the issuers' to give: one id from two issuers is two credentials."""
    assert not same_credential({**HELD, "id": "urn:uuid:2"}, HELD)
    assert not same_credential({**HELD, "issuer": "did:web:b"}, HELD)
    assert not same_credential({key: v for key, v in HELD.items() if key != "id"}, HELD)
    assert credential_id({"id": "  "}) is None and credential_id(None) is None


def test_the_date_of_issue_is_read_from_each_format() -> None:
    """``validFrom``, ``issuanceDate``, a date alone (OB 2.0 ``issuedOn``), a JWT's nbf."""
    day = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    assert issued_at({"issuanceDate": "2026-11-20T00:00:00Z"}) == day
    assert issued_at({"issuedOn": "2026-11-20"}) == day
    assert issued_at({"nbf": int(day.timestamp())}) == day
    assert issued_at({}) is None
