"""`surveykit run SCRIPT` — run an analysis script and gather its report."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the ``run`` command to the main app."""
