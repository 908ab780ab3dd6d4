"""Fixtures of the CLI tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from credstack.adapters.cli import console


@pytest.fixture
def wide_console() -> Iterator[None]:
    """Tables printed 200 columns wide, whatever terminal the tests run in.

    The CLI's rich consoles read ``COLUMNS`` once, when they are made; a test that reads a
    table's cells sets the width itself, and gives it back to the terminal afterwards.
    """
    console.out.width = 200
    try:
        yield
    finally:
        console.out._width = None  # measure the terminal again, as a fresh console does
