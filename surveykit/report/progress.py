"""Stages of a study script: progress display and "which stage failed, on which input".

A script wraps each step in ``with report.stage("clean", input="wave1.csv"):``. The
report keeps the stage that is running; if it raises, the runner names that stage and
its input in its one-line error. Every warning raised inside a stage is kept in
:attr:`StageInfo.warnings` (and so in the report and manifest.json) and passed on
unchanged to the console. :class:`RichProgress` shows a progress bar per stage
(``surveykit run`` installs it); without a listener stages are silent.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["StageInfo", "Listener", "RichProgress", "StageHandle"]


@dataclass
class StageInfo:
    """One stage: its name, the input it works on, and how it ended."""

    name: str
    input: str | None = None
    total: float | None = None
    status: str = "running"  # running | done | failed
    seconds: float = 0.0
    started: float = field(default_factory=time.perf_counter)
    #: warnings raised inside the stage (``Category: message``, each distinct one once)
    warnings: list[str] = field(default_factory=list)
    #: the item a :meth:`Report.each` stage is working on (named in a failure)
    item: str | None = None


class Listener(Protocol):
    def start(self, stage: StageInfo) -> None: ...
    def advance(self, stage: StageInfo, amount: float) -> None: ...
    def finish(self, stage: StageInfo) -> None: ...


class StageHandle:
    """What ``with report.stage(...) as st`` gives: ``st.advance(n)`` for long stages."""

    def __init__(self, info: StageInfo, listener: Listener | None) -> None:
        self.info = info
        self._listener = listener

    def advance(self, amount: float = 1) -> None:
        if self._listener is not None:
            self._listener.advance(self.info, amount)


class RichProgress:
    """A rich progress display: one line per stage (bar when the stage has a total)."""

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self.console = console or Console(stderr=True)
        self.progress = Progress(SpinnerColumn(finished_text="[green]✓[/]"),
                                 TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=self.console, transient=False)
        self._tasks: dict[int, Any] = {}

    def __enter__(self) -> "RichProgress":
        self.progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.stop()

    def start(self, stage: StageInfo) -> None:
        from rich.markup import escape

        desc = escape(stage.name) + (f" [dim]({escape(stage.input)})[/]" if stage.input else "")
        self._tasks[id(stage)] = self.progress.add_task(desc, total=stage.total or 1)

    def advance(self, stage: StageInfo, amount: float) -> None:
        task = self._tasks.get(id(stage))
        if task is not None:
            self.progress.advance(task, amount)

    def finish(self, stage: StageInfo) -> None:
        task = self._tasks.get(id(stage))
        if task is None:
            return
        if stage.status == "done":
            t = self.progress.tasks[[x.id for x in self.progress.tasks].index(task)]
            self.progress.update(task, completed=t.total)
        else:
            self.progress.update(task, description=f"[red]✗ {stage.name}[/]")
            self.progress.stop_task(task)
