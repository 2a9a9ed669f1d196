"""`surveykit notes ...` commands."""
from __future__ import annotations

import typer

app = typer.Typer(help="notes commands", no_args_is_help=True)
