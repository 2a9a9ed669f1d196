"""`surveykit responses ...` commands."""
from __future__ import annotations

import typer

app = typer.Typer(help="responses commands", no_args_is_help=True)


def _register_cleaning() -> None:
    """`clean` and `score` live in cli/responses_clean.py (cleaning and scoring owners)."""
    try:
        from .responses_clean import register
    except ImportError:  # pragma: no cover - not written yet
        return
    register(app)


_register_cleaning()
