"""A bar for long work that goes through named stages (reading, checking, writing, …): the
stage's words as its label, a count when the stage knows its total, a spinner when not."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from credstack.entrypoints.cli.console import err

#: What a service calls as it goes: the stage's name, how many done, of how many (0: unknown).
StageProgress = Callable[[str, int, int], None]


@contextmanager
def staged(stages: Mapping[str, str], first: str, *, hidden: bool) -> Iterator[StageProgress]:
    """A transient bar on standard error labelled ``stages[first]``; yields the callback that
    moves it (``hidden`` when the output is JSON)."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True,
                  disable=hidden) as bar:
        task = bar.add_task(stages[first], total=None)

        def show(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stages[stage], completed=done, total=total or None)

        yield show
