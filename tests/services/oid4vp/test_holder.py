"""The wallet reading a presentation request: a refusal says in both languages what is wrong
with the request, never another reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.errors import InputError
from credstack.services.oid4vp import holder
from credstack.words import error_words
from tests.services.wallet.wallets import Wallets, wallet_runtime


@pytest.fixture
def wallets(tmp_path: Path) -> Iterator[Wallets]:
    with wallet_runtime(tmp_path) as made:
        yield made


def test_a_request_uri_that_is_not_https_is_refused_as_such_in_both_languages(
        wallets: Wallets) -> None:
    """The Japanese said the verifier no longer offers the request (answered or expired)
    where the English says the request_uri must be an https URL."""
    uri = ("openid4vp://?client_id=decentralized_identifier:did:key:z6Mk"
           "&request_uri=http://verifier.example/requests/1")
    with pytest.raises(InputError) as refused:
        holder.proposal(wallets.runtime, actor=wallets.hanako, uri=uri)
    english, japanese = (error_words(refused.value, language) for language in ("en", "ja"))
    assert "request_uri must be an https URL" in english
    assert "https" in japanese and "期限" not in japanese
