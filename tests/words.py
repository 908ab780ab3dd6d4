"""What an error says to people, as the entrypoints word it from the catalogues: for tests of
the core and the services, which return codes and parameters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest

from credstack.entrypoints.web.i18n.codes import problem_said, said
from credstack.errors import CredstackError

E = TypeVar("E", bound=CredstackError)


def words(error: CredstackError, language: str = "en") -> str:
    """``error`` in ``language`` as the CLI prints it: its message, then each problem on a
    line of its own (placed by its location)."""
    return "\n".join([said(error, language),
                      *(f"  - {problem_said(p, language)}" for p in error.problems)])


@contextmanager
def raises_saying(kind: type[E], pattern: str) -> Iterator[pytest.ExceptionInfo[E]]:
    """``pytest.raises(kind)``, and the error's English (:func:`words`: its message and
    problems, worded from its code where it has one) matches ``pattern``."""
    with pytest.raises(kind) as raised:
        yield raised
    said = words(raised.value)
    assert re.search(pattern, said), said
