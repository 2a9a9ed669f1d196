"""`surveykit instrument ...` commands."""
from __future__ import annotations

import typer

app = typer.Typer(help="instrument commands", no_args_is_help=True)
