"""`surveykit responses ...` commands."""
from __future__ import annotations

import typer

app = typer.Typer(help="responses commands", no_args_is_help=True)
