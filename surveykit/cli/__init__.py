"""The ``surveykit`` command: parsing only; every command calls the public API.

Sub-commands live in one module each (``instrument``, ``responses``, ``notes``, ``run``)
so they can grow independently. :func:`main` turns any :class:`SurveykitError` into one
clear message on stderr and exit code 1 — a user mistake never shows a traceback.
"""
from __future__ import annotations

import sys

import typer

from ..errors import SurveykitError

app = typer.Typer(help="surveykit: versioned bilingual instruments, audited cleaning, "
                       "psychometrics equal to R, coded case notes, one report.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


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
    except SurveykitError as e:  # raised from inside a command
        from rich.console import Console
        from rich.markup import escape

        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"[bold red]error:[/] {escape(str(e))}")
        sys.exit(1)
