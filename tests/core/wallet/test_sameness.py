"""Which credential given to a wallet is one it holds already: known by its id, whatever form
it comes in, unless it is a newer representation of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from credstack.core.wallet.sameness import (
    Held,
    copies,
    credential_id,
    issued_at,
    same_credential,
)

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


def test_a_wallets_copies_of_one_credential_are_found_in_the_order_they_were_kept() -> None:
    """Of one wallet's entries stating one id, oldest first: another form of the credential
    kept first is its copy; a PDF certificate carries it, whatever its dates; a newer
    representation, another issuer's credential of that id and an entry that cannot be read
    are kept apart (issue 51)."""
    newer = {**HELD, "validFrom": "2026-11-21T00:00:00Z"}
    other = {**HELD, "issuer": "did:web:b"}
    jwt = {"jti": "urn:uuid:1", "iss": "did:web:a", "vc": {"validFrom": "2026-11-20T00:00:00Z"}}
    held = [Held(1, HELD), Held(2, dict(reversed(list(HELD.items())))), Held(3, newer),
            Held(4, other), Held(5, None), Held(6, None, container=True), Held(7, jwt),
            Held(8, dict(newer))]
    assert copies(held, credential_id="urn:uuid:1") == {2: 1, 6: 1, 7: 1, 8: 3}
