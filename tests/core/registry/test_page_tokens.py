"""Page tokens: they name a position of one search, and anything else is refused."""

from __future__ import annotations

import base64

import pytest

from credstack.core.registry.page_tokens import (
    PageTokenError,
    Position,
    decode_token,
    encode_token,
)
from credstack.core.registry.query import SearchQuery
from credstack.errors import InputError

SECRET = bytes(range(32))
QUERY = SearchQuery(text="介護", filters={"field": frozenset({"medical-welfare"})}, sort="title")


def test_a_token_gives_back_its_position() -> None:
    """Round trip, for the largest composite key too."""
    for position in (Position(0, 0), Position(1, 12345), Position(0, 2**64 - 1)):
        token = encode_token(QUERY, position, secret=SECRET)
        assert decode_token(token, QUERY, secret=SECRET) == position


def test_tokens_are_short_and_url_safe() -> None:
    """Base64url without padding, under 64 characters."""
    token = encode_token(QUERY, Position(1, 99), secret=SECRET)
    assert len(token) < 64
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _flip(token: str, index: int) -> str:
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    raw[index] ^= 0x01
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def test_every_altered_byte_is_detected() -> None:
    """Changing any bit of the position, fingerprint or tag makes the token invalid."""
    token = encode_token(QUERY, Position(0, 4242), secret=SECRET)
    length = len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    for index in range(length):
        with pytest.raises(PageTokenError):
            decode_token(_flip(token, index), QUERY, secret=SECRET)


@pytest.mark.parametrize("token", ["", "x", "not a token", "%%%%", "A" * 47, "A" * 600,
                                   "\x00", "é" * 10])
def test_garbage_is_refused(token: str) -> None:
    """Anything that is not a token is a PageTokenError naming ``after``."""
    with pytest.raises(PageTokenError) as raised:
        decode_token(token, QUERY, secret=SECRET)
    assert raised.value.problems[0].location == "after"
    assert isinstance(raised.value, InputError)


def test_a_token_of_another_search_is_refused() -> None:
    """Other text, filters or sort: the token is for a different result order."""
    token = encode_token(QUERY, Position(0, 7), secret=SECRET)
    for other in (SearchQuery(text="介護士", filters=QUERY.filters, sort="title"),
                  SearchQuery(text="介護", sort="title"),
                  SearchQuery(text="介護", filters=QUERY.filters, sort="effort"),
                  SearchQuery(text="介護", filters=QUERY.filters, sort="title", language="en")):
        with pytest.raises(PageTokenError, match="different search"):
            decode_token(token, other, secret=SECRET)


def test_the_page_size_and_case_of_the_text_may_change() -> None:
    """The limit is not part of a search's order, nor is letter case or spacing."""
    query = SearchQuery(text="Data  Science", sort="newest", limit=10)
    token = encode_token(query, Position(0, 5), secret=SECRET)
    same = SearchQuery(text="data science", sort="newest", limit=50)
    assert decode_token(token, same, secret=SECRET) == Position(0, 5)


def test_a_token_of_another_index_is_refused() -> None:
    """Signed with another secret: refused as altered."""
    token = encode_token(QUERY, Position(0, 7), secret=bytes(32))
    with pytest.raises(PageTokenError, match="altered"):
        decode_token(token, QUERY, secret=SECRET)
