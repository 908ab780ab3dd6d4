"""Public profile handles: lower-cased, 3 to 30 of a–z, digits, - and _, never reserved."""

from __future__ import annotations

import pytest

from credstack.core.wallet.handles import RESERVED, parse_handle
from credstack.errors import InputError
from credstack.words import error_words


def test_a_handle_is_kept_lower_case_without_its_at_sign() -> None:
    """``@Hanako_Y`` is ``hanako_y``."""
    assert parse_handle(" @Hanako_Y ") == "hanako_y"


@pytest.mark.parametrize("text", ["ab", "-dash", "a" * 31, "名前", "with space", ""])
def test_a_malformed_handle_is_refused_naming_the_field(text: str) -> None:
    """Too short or long, other characters, a leading dash: refused, in both languages."""
    with pytest.raises(InputError) as refused:
        parse_handle(text)
    assert refused.value.problems[0].location == "handle"
    assert "3 to 30" in error_words(refused.value, "en")
    assert "3〜30" in error_words(refused.value, "ja")


@pytest.mark.parametrize("text", ["admin", "API", "static", "manual", "wallet", "verify"])
def test_the_sites_own_words_are_reserved(text: str) -> None:
    """What the site's pages and roles are called cannot be a handle."""
    assert text.lower() in RESERVED
    with pytest.raises(InputError) as refused:
        parse_handle(text)
    assert "is reserved for the site" in error_words(refused.value, "en")
