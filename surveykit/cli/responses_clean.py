"""`surveykit responses clean` and `surveykit responses score` (parsing only).

Both read a survey export with :func:`surveykit.read_responses` (or, for ``score``, a
table written by ``clean``), call the public API and write Parquet or CSV files, with a
progress bar on stderr and a one-line summary on stdout.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

TABLE_SUFFIXES = (".parquet", ".csv")


def _fail(message: str) -> typer.Exit:
    from . import error_exit

    return error_exit(message)


class _Warnings:
    """Collect surveykit warnings during a command; print them as plain lines on stderr."""

    def __enter__(self):
        import warnings

        from ..errors import SurveykitWarning

        self._cm = warnings.catch_warnings(record=True)
        self.caught = self._cm.__enter__()
        warnings.simplefilter("always", SurveykitWarning)
        return self

    def __exit__(self, *exc):
        self._cm.__exit__(*exc)
        from rich.console import Console
        from rich.markup import escape

        from ..errors import SurveykitWarning

        console = Console(stderr=True, highlight=False, soft_wrap=True)
        for w in self.caught:
            if issubclass(w.category, SurveykitWarning):
                console.print(f"[bold yellow]warning:[/] {escape(str(w.message))}")
            else:
                import warnings

                warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        return False


def _progress():
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                    TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=True)


def _instrument(ids: list[str] | None, rules: Path | None) -> tuple[Any, dict[str, str] | None]:
    """Instrument ids (and versions, from ``id@version``) from --instrument, else from the
    rules file's ``instrument:`` key."""
    tokens: list[str] = []
    if ids:
        tokens = [i.strip() for part in ids for i in part.split(",") if i.strip()]
    elif rules is not None and rules.is_file():
        from ruamel.yaml import YAML

        try:
            doc = YAML(typ="safe").load(rules.read_text(encoding="utf-8-sig"))
        except Exception:
            doc = None
        if isinstance(doc, dict) and doc.get("instrument"):
            ins = doc["instrument"]
            tokens = [str(i) for i in ins] if isinstance(ins, list) else \
                [t.strip() for t in str(ins).split(",") if t.strip()]
    if not tokens:
        raise _fail("No instrument given. Name the questionnaire with --instrument ID (repeat it "
                    "or use ID1,ID2 for several parts; ID@VERSION picks a version), or add "
                    "'instrument:' to the rules file.")
    names = [t.split("@", 1)[0] for t in tokens]
    versions = {t.split("@", 1)[0]: t.split("@", 1)[1] for t in tokens if "@" in t}
    return names, (versions or None)


def _read(path: Path, instrument: tuple[Any, Any], source: str, encoding: Optional[str], progress,
          task) -> Any:
    import surveykit as sk

    def step(name: str) -> None:
        progress.update(task, description=f"reading {path.name}: {name}")

    ids, versions = instrument
    return sk.read_responses(path, ids, version=versions, source=source, encoding=encoding,
                             progress=step)


def write_table(df: Any, path: Path) -> None:
    """Write a DataFrame as Parquet or CSV (UTF-8 with BOM, so Excel shows Chinese text)."""
    if path.suffix.lower() == ".parquet":
        df.to_parquet(path)
    else:
        df.to_csv(path, encoding="utf-8-sig")


def register(app: typer.Typer) -> None:
    """Add ``clean`` and ``score`` to the ``surveykit responses`` app."""

    @app.command("clean")
    def clean_cmd(
        input: Path = typer.Argument(..., help="Survey export (CSV, XLSX, SAV, DTA, Wenjuanxing, Qualtrics)."),
        rules: Path = typer.Option(..., "--rules", "-r", help="Cleaning rules YAML (see docs/cleaning.md)."),
        out: Path = typer.Option(..., "--out", "-o", help="Output folder (created if missing)."),
        instrument: Optional[list[str]] = typer.Option(None, "--instrument", "-i",
                                                       help="Instrument id(s) in questionnaire order; ID@VERSION for a version."),
        fmt: str = typer.Option("parquet", "--format", help="parquet or csv for the kept/excluded rows."),
        source: str = typer.Option("auto", "--source", help="Reader: auto, csv, excel, spss, stata, wjx, qualtrics."),
        encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding of a CSV (default: detect)."),
    ) -> None:
        """Clean an export: kept and excluded rows, cleaning log and summary written to OUT."""
        import surveykit as sk
        from ..errors import SurveykitError

        if fmt not in ("parquet", "csv"):
            raise _fail(f"The '--format' option of clean must be one of {{'parquet', 'csv'}}. "
                        f"Got {fmt!r} instead.")
        if out.exists() and not out.is_dir():
            raise _fail(f"--out {str(out)!r} is a file; give a folder for the outputs.")
        try:
            rule_list = sk.load_rules(rules)
            ins = _instrument(instrument, rules)
            with _Warnings(), _progress() as bar:
                task = bar.add_task(f"reading {input.name}", total=len(rule_list) + 2)
                responses = _read(input, ins, source, encoding, bar, task)
                bar.update(task, advance=1)

                def on_rule(label: str, i: int, n: int) -> None:
                    bar.update(task, completed=1 + i, description=f"cleaning: {label}")

                res = sk.clean(responses, rule_list, progress=on_rule)
                bar.update(task, completed=len(rule_list) + 1, description="writing")
                out.mkdir(parents=True, exist_ok=True)
                write_table(res.kept.to_frame(), out / f"kept.{fmt}")
                write_table(res.excluded.to_frame(), out / f"excluded.{fmt}")
                res.log.to_csv(out / "cleaning_log.csv", index=False, encoding="utf-8-sig")
                res.summary.to_csv(out / "cleaning_summary.csv", index=False, encoding="utf-8-sig")
                write_table(res.indices, out / f"cleaning_indices.{fmt}")
                bar.update(task, completed=len(rule_list) + 2)
        except SurveykitError as e:
            raise _fail(str(e))
        typer.echo(f"{input.name}: {res.one_line()} → {out}")

    @app.command("score")
    def score_cmd(
        input: Path = typer.Argument(..., help="Survey export, or a table written by 'clean' (.parquet/.csv with --table)."),
        out: Path = typer.Option(..., "--out", "-o", help="Output file (.parquet or .csv)."),
        instrument: Optional[list[str]] = typer.Option(None, "--instrument", "-i",
                                                       help="Instrument id(s) in questionnaire order; ID@VERSION for a version."),
        z: bool = typer.Option(False, "--z", help="Also write standardised scores (<scale>_z)."),
        scales: Optional[str] = typer.Option(None, "--scales", help="Comma-separated scale ids (default: all)."),
        table: bool = typer.Option(False, "--table", help="INPUT is a table of item columns (e.g. kept.csv), not an export."),
        source: str = typer.Option("auto", "--source", help="Reader for an export (see read_responses)."),
        encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding of a CSV (default: detect)."),
    ) -> None:
        """Score every scale and subscale (reverse keys, min-valid rule) and write OUT."""
        import pandas as pd

        import surveykit as sk
        from ..errors import SurveykitError
        from ..responses.read import resolve_instrument

        if out.suffix.lower() not in TABLE_SUFFIXES:
            raise _fail(f"--out must end in .parquet or .csv. Got {out.name!r} instead.")
        if not input.is_file():
            raise _fail(f"{str(input)!r} does not exist. Check the path.")
        try:
            ins_ids = _instrument(instrument, None)
            with _Warnings(), _progress() as bar:
                task = bar.add_task(f"reading {input.name}", total=3)
                if table or input.suffix.lower() == ".parquet":
                    data = (pd.read_parquet(input) if input.suffix.lower() == ".parquet"
                            else pd.read_csv(input, encoding="utf-8-sig"))
                    ins = resolve_instrument(*ins_ids)
                else:
                    data = _read(input, ins_ids, source, encoding, bar, task)
                    ins = data.instrument
                bar.update(task, advance=1, description="scoring")
                chosen = [s.strip() for s in scales.split(",") if s.strip()] if scales else None
                scored = sk.score(data, ins, z=z, scales=chosen)
                bar.update(task, advance=1, description="writing")
                out.parent.mkdir(parents=True, exist_ok=True)
                write_table(scored, out)
                bar.update(task, advance=1)
        except SurveykitError as e:
            raise _fail(str(e))
        ids = chosen or list(ins.scale_ids)
        n_missing = int(sum(scored[s].isna().sum() for s in ids))
        typer.echo(f"{input.name}: {len(scored)} rows scored on {len(ids)} scales; "
                   f"{n_missing} scores missing (too few valid items) → {out}")
