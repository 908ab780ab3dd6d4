"""What an error says to people, as the entrypoints word it from the catalogues: for tests of
the core and the services, which return codes and parameters."""

from __future__ import annotations

from credstack.entrypoints.web.i18n.codes import problem_said, said
from credstack.errors import CredstackError


def words(error: CredstackError, language: str = "en") -> str:
    """``error`` in ``language`` as the CLI prints it: its message, then each problem on a
    line of its own (placed by its location)."""
    return "\n".join([said(error, language),
                      *(f"  - {problem_said(p, language)}" for p in error.problems)])
