"""What a DID module's refusal says in English, its problems included: a DID module raises
message keys with their values (issue 53), so a test reads the words the catalogues give."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import pytest

from credstack.errors import CredstackError
from credstack.words import error_words, problem_words


def said(error: CredstackError) -> str:
    """``error``'s English, then each of its problems' (``where: what``), one per line."""
    return "\n".join([error_words(error, "en"), *(
        f"{problem.location}: {problem_words(problem, 'en')}" for problem in error.problems)])


@contextlib.contextmanager
def refused(error: type[CredstackError], saying: str) -> Iterator[None]:
    """The block raises ``error``, whose English (see :func:`said`) has a match for the
    regular expression ``saying``."""
    with pytest.raises(error) as raised:
        yield
    assert re.search(saying, said(raised.value)), said(raised.value)
