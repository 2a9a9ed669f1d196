"""`surveykit run SCRIPT [--out DIR] [--lang zh|en] [--docx FIELD=VALUE]` — run a study script and gather its report.

Parsing only: the work is :func:`surveykit.report.runner.run_study` (see docs/report.md).
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    """Add the ``run`` command to the main app."""

    @app.command("run")
    def run_cmd(
        script: Path = typer.Argument(..., help="Study script, e.g. analyses/regional_synergy.py"),
        out: Optional[Path] = typer.Option(None, "--out", "-o",
                                           help="Output folder (default: report/<script name>)."),
        lang: Optional[str] = typer.Option(None, "--lang",
                                           help="Report language: zh or en (default: the "
                                                "script's, else zh)."),
        progress: bool = typer.Option(True, "--progress/--no-progress",
                                      help="Show a progress line per stage."),
        raw_cells: bool = typer.Option(False, "--raw-cells",
                                       help="Write table text cells raw (for programs), without "
                                            "the ' that stops spreadsheets running cells "
                                            "starting with = + - @ as formulas."),
        docx: Optional[list[str]] = typer.Option(
            None, "--docx", metavar="FIELD=VALUE",
            help="Change the Word report's style, e.g. --docx east_asia=FangSong --docx "
                 "body_size=10.5 (fields of surveykit.report.DocxStyle: latin, east_asia, "
                 "heading_latin, heading_east_asia, body_size, table_size, caption_size, "
                 "note_size, heading_sizes, line_spacing, caption_layout, margin_cm, "
                 "landscape_over). Repeat for several."),
    ) -> None:
        """Run a study script (plain Python using the public API) and write its report:
        report.html, report.docx, tables/*.csv, figures/*.png|svg, manifest.json."""
        from ..errors import SurveykitError
        from ..report.runner import default_out, run_study
        from ._common import error_exit

        command = ["surveykit", "run", script.as_posix()]
        if out is not None:
            command += ["--out", out.as_posix()]
        if lang is not None:
            command += ["--lang", lang]
        if raw_cells:
            command += ["--raw-cells"]
        for pair in docx or ():
            command += ["--docx", pair]
        try:
            code = run_study(script, out=out if out is not None else default_out(script),
                             lang=lang, command=command, progress=progress,
                             formula_safe=not raw_cells, docx=docx or None)
        except SurveykitError as e:  # bad parameters (e.g. --lang fr)
            raise error_exit(str(e)) from None
        if code:
            raise typer.Exit(code)
