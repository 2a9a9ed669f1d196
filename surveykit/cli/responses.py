"""`surveykit responses ...` commands: import (here); clean and score (cli/responses_clean.py).

Parsing only: ``import`` calls :func:`surveykit.read_responses`. A
:class:`~surveykit.errors.SurveykitError` becomes one message on stderr and exit code 1.
"""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, Optional

import typer

from ..errors import SurveykitError
from ._common import console, friendly
from ._outputs import output_paths, write_outputs
from .responses_clean import register as _register_clean_and_score

__all__ = ["app", "output_paths", "write_outputs", "summary_line"]

app = typer.Typer(help="Responses: import survey exports (then clean and score them).",
                  no_args_is_help=True)


_console = console
_friendly = friendly


def summary_line(r: Any) -> str:
    """``612 respondents × 62 items from wave1.csv (wjx-code-csv, gb18030); missing …``."""
    counts = r.missing_counts().sum(axis=0)
    miss = ", ".join(f"{k} {int(v)}" for k, v in counts.items() if v) or "none"
    src = r.sources[0] if r.sources else None
    where = (f" from {Path(src.path).name} ({src.reader}{', ' + src.encoding if src.encoding else ''})"
             if src else "")
    return (f"{r.n} respondents × {len(r.items)} items{where}; missing cells: {miss}; "
            f"{len(r.issues)} issue(s) logged")


@app.command("import")
@_friendly
def import_(
    path: Path = typer.Argument(..., help="The export: .csv, .xlsx/.xls, .sav, .dta (WJX and "
                                          "Qualtrics recognised)."),
    instrument: str = typer.Option(..., "--instrument", "-i",
                                   help="Instrument id(s) in questionnaire order, comma-separated."),
    version: Optional[list[str]] = typer.Option(
        None, "--version", help="Version fielded: VERSION (one instrument) or ID=VERSION; repeat."),
    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                       help="Write FILE.parquet or FILE.csv (+ .missing, "
                                            ".mapping.csv, .issues.csv, .import.json)."),
    mapping: Optional[Path] = typer.Option(None, "--mapping", "-m",
                                           help="Mapping file (YAML or CSV column,item)."),
    source: str = typer.Option("auto", "--source",
                               help="auto, csv, excel, spss, stata, wjx or qualtrics."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding of a CSV "
                                                                    "(default: detect)."),
    keep: Optional[list[str]] = typer.Option(None, "--keep", help="Keep a personal-data "
                                                                  "column (e.g. ip); repeat."),
    id_column: Optional[str] = typer.Option(None, "--id-column",
                                            help="Column with respondent ids (pseudonymised)."),
    wave: Optional[str] = typer.Option(None, "--wave", help="Wave label stored in meta."),
    raw_cells: bool = typer.Option(False, "--raw-cells", help="CSV outputs: write text cells "
                                   "raw, without the ' that stops spreadsheets running cells "
                                   "starting with = + - @ as formulas."),
) -> None:
    """Import a survey export: values, missing reasons, mapping report and issues log.

    Respondent ids are pseudonymised with the key in $SURVEYKIT_PSEUDONYM_KEY.
    """
    from rich.markup import escape
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ..responses.read import read_responses

    ver: Any = None
    if version:
        if len(version) == 1 and "=" not in version[0]:
            ver = version[0]
        else:
            ver = {}
            for v in version:
                if "=" not in v:
                    raise SurveykitError(f"--version {v!r}: with several instruments write "
                                         f"ID=VERSION (e.g. local_protectionism=1.0.0).")
                k, _, val = v.partition("=")
                ver[k.strip()] = val.strip()
    err = _console(stderr=True)
    with warnings.catch_warnings(record=True) as caught, Progress(
            SpinnerColumn(), TextColumn("[bold]{task.description}"), TimeElapsedColumn(),
            console=err, transient=True) as progress:
        warnings.simplefilter("always")
        task = progress.add_task(f"importing {path.name}", total=None)

        def step(name: str) -> None:
            progress.update(task, description=f"{path.name}: {name}")

        r = read_responses(path, instrument, source=source, version=ver, mapping=mapping,
                           encoding=encoding, keep=tuple(keep or ()), id_column=id_column,
                           wave=wave, progress=step)
        written = None
        if out is not None:
            step("writing")
            written = write_outputs(r, out, formula_safe=not raw_cells)
    for w in caught:
        err.print(f"[yellow]warning:[/] {escape(str(w.message))}")
    console = _console()
    line = summary_line(r)
    if written:
        line += f" → {written['data']}"
    console.print(escape(line))
    if not written:
        err.print("[yellow]note:[/] no --out given, so nothing was written (the file was only "
                  "checked). Add --out FILE.parquet (or .csv) to write the data.")
    bad = r.mapping[r.mapping["status"].isin(["dropped", "ignored"])]
    if len(bad):
        cols = ", ".join(f"{c} ({s})" for c, s in zip(bad["column"], bad["status"]))
        console.print(f"[dim]not imported: {escape(cols)}[/]")


@app.command("export")
@_friendly
def export_(
    path: Path = typer.Argument(..., help="A survey export or the --out file of 'responses "
                                          "import'."),
    out: Path = typer.Option(..., "--out", "-o", help="FILE.sav, FILE.zsav or FILE.dta."),
    to: Optional[str] = typer.Option(None, "--to", help="sav or dta (default: from --out)."),
    instrument: Optional[list[str]] = typer.Option(
        None, "--instrument", "-i", help="Instrument id(s); default: from FILE.import.json."),
    version: Optional[list[str]] = typer.Option(None, "--version",
                                                help="VERSION or ID=VERSION; repeat."),
    mapping: Optional[Path] = typer.Option(None, "--mapping", "-m",
                                           help="Mapping file for a raw export."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Language of the labels "
                                                            "(default: the instrument's first)."),
    source: str = typer.Option("auto", "--source", help="Reader for a raw export."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding of a CSV."),
) -> None:
    """Write SPSS .sav or Stata .dta: variable and value labels, typed missing codes."""
    from ..responses.export import FORMATS, write_responses
    from .responses_clean import _instrument, _progress, _read, _refuse_mapping, _Warnings

    if to is not None and to not in ("sav", "dta"):
        raise SurveykitError(f"The '--to' option of export must be one of {{'sav', 'dta'}}. "
                             f"Got {to!r} instead.")
    if to is not None and FORMATS.get(out.suffix.lower()) != to:
        raise SurveykitError(f"--to {to} needs an --out file ending in "
                             f"{'.sav or .zsav' if to == 'sav' else '.dta'}. Got {out.name!r}.")
    if not path.is_file():
        raise SurveykitError(f"{str(path)!r} does not exist. Check the path.")
    _refuse_mapping(path, mapping)
    ins = _instrument(instrument, None, version, data=path)
    with _Warnings(), _progress() as bar:
        task = bar.add_task(f"reading {path.name}", total=2)
        r = _read(path, ins, source, encoding, bar, task, mapping)
        bar.update(task, advance=1, description="writing")
        write_responses(r, out, lang=lang)
        bar.update(task, advance=1)
    typer.echo(f"{path.name}: {r.n} respondents × {len(r.items)} items → {out} "
               f"(variable and value labels, typed missing codes)")


# `clean` and `score` live in cli/responses_clean.py (cleaning and scoring owners)
_register_clean_and_score(app)
