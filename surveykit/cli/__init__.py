"""The ``surveykit`` command: parsing only; every command calls the public API.

Sub-commands live in one module each (``instrument``, ``responses``, ``notes``, ``run``)
so they can grow independently. :func:`main` turns any :class:`SurveykitError` into one
clear message on stderr and exit code 1 — a user mistake never shows a traceback.
"""
from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from ..errors import SurveykitError

#: exit codes of every command (README, docs/design.md): 0 done, 1 a user mistake — a wrong
#: flag or argument as much as a bad file — with one message and no traceback, 130 after
#: Ctrl-C (outputs are written atomically, so an interrupted run leaves no partial file;
#: ``surveykit run`` keeps its INCOMPLETE report)
EXIT_OK, EXIT_USER_ERROR, EXIT_INTERRUPTED = 0, 1, 130


class _Group(TyperGroup):
    """The top-level command group: a usage error (unknown flag, missing argument, bad
    value) exits 1 like every other user mistake — click's own code is 2. Typer already turns
    Ctrl-C into exit code 130."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        except SystemExit as e:
            if e.code == 2:              # click's UsageError
                raise SystemExit(EXIT_USER_ERROR) from None
            raise


app = typer.Typer(help="surveykit: versioned bilingual instruments, audited cleaning, "
                       "psychometrics equal to R, coded case notes, one report.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})


def _show_version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"surveykit {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_show_version,
                                       is_eager=True, help="Show the version and exit.")) -> None:
    """surveykit: versioned bilingual instruments, audited cleaning, psychometrics equal to
    R, coded case notes, one report. Exit codes: 0 done, 1 a user mistake (one message, no
    traceback), 130 interrupted."""


def _register() -> None:
    from . import instrument, notes, responses, run

    app.add_typer(instrument.app, name="instrument")
    app.add_typer(responses.app, name="responses")
    app.add_typer(notes.app, name="notes")
    run.register(app)


_register()




def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        app(args=argv, standalone_mode=True)
    except KeyboardInterrupt:        # outside a command (while starting up)
        sys.exit(EXIT_INTERRUPTED)
    except SurveykitError as e:  # raised from inside a command
        from rich.console import Console
        from rich.markup import escape

        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"[bold red]error:[/] {escape(str(e))}")
        sys.exit(1)
