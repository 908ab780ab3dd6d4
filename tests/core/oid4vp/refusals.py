"""``with refused(why) as raised:`` — the block is refused with an
:class:`~credstack.errors.ExchangeProtocolError` whose ``error_description`` (its words in
English, as the wallet or verifier reads them) matches the pattern ``why``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from credstack.errors import ExchangeProtocolError
from credstack.words import protocol_description


@contextmanager
def refused(why: str) -> Iterator[pytest.ExceptionInfo[ExchangeProtocolError]]:
    with pytest.raises(ExchangeProtocolError) as raised:
        yield raised
    described = protocol_description(raised.value)
    assert re.search(why, described), described
