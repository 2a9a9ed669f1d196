"""`surveykit responses clean` and `surveykit responses score` (parsing only).

Both read a survey export with :func:`surveykit.read_responses` (or, for ``score``, a
table written by ``clean``), call the public API and write Parquet or CSV files, with a
progress bar on stderr and a one-line summary on stdout.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from .._files import atomic_path, make_dir, to_csv
from ._outputs import output_paths

TABLE_SUFFIXES = (".parquet", ".csv")


def _fail(message: str) -> typer.Exit:
    from ._common import error_exit

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


def instrument_note(path: Path) -> tuple[Path, list[str]] | None:
    """The instrument remembered next to ``path``: ``<stem>.import.json`` of a 'responses
    import --out' file, or ``cleaning.json`` beside a table written by 'responses clean'."""
    import json


    if path.suffix.lower() not in TABLE_SUFFIXES:
        return None
    for note, belongs in ((output_paths(path)["note"], None),
                          (path.parent / CLEANING_NOTE, path.name)):
        if not note.is_file():
            continue
        try:
            doc = json.loads(note.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise _fail(f"{note.name} next to {path.name} is not readable JSON; give "
                        f"--instrument, or re-run the command that wrote it.") from None
        refs = doc.get("instrument") if isinstance(doc, dict) else None
        files = doc.get("files", {}) if isinstance(doc, dict) else {}
        if belongs is not None and belongs not in (files.values() if isinstance(files, dict)
                                                   else ()):
            continue
        if isinstance(refs, list) and refs and all(isinstance(r, str) for r in refs):
            return note, refs
    return None


#: written by 'responses clean' into its --out folder: instrument, input, files, counts
CLEANING_NOTE = "cleaning.json"


def _instrument(ids: list[str] | None, rules: Path | None,
                version: list[str] | None = None, data: Path | None = None) -> tuple[Any, Any]:
    """Instrument ids (and versions, from ``id@version``) from --instrument, else from the
    rules file's ``instrument:`` key, else from the note an import or clean left beside
    ``data`` (see :func:`instrument_note`)."""
    tokens: list[str] = []
    if ids:
        tokens = [i.strip() for part in ids for i in part.split(",") if i.strip()]
    elif rules is not None and rules.is_file():
        from .._yaml import YamlError, load_yaml

        try:
            doc = load_yaml(rules.read_text(encoding="utf-8-sig"), str(rules), typ="safe")
        except (YamlError, UnicodeDecodeError):
            doc = None                       # load_rules reports it with file and line
        if isinstance(doc, dict) and doc.get("instrument"):
            ins = doc["instrument"]
            tokens = [str(i) for i in ins] if isinstance(ins, list) else \
                [t.strip() for t in str(ins).split(",") if t.strip()]
    if not tokens and data is not None:
        found = instrument_note(data)
        if found is not None:
            tokens = list(found[1])
            from ._common import console

            console(stderr=True).print(f"instrument from {found[0].name}: {', '.join(tokens)}",
                                       markup=False)
    if not tokens:
        raise _fail("No instrument given. Name the questionnaire with --instrument ID (repeat it "
                    "or use ID1,ID2 for several parts; ID@VERSION picks a version), or add "
                    "'instrument:' to the rules file.")
    names = [t.split("@", 1)[0] for t in tokens]
    versions: dict[str, str] = {t.split("@", 1)[0]: t.split("@", 1)[1] for t in tokens if "@" in t}
    for v in version or ():                 # --version as in 'responses import'
        if "=" in v:
            k, _, val = v.partition("=")
            versions[k.strip()] = val.strip()
        elif len(names) == 1:
            versions[names[0]] = v.strip()
        else:
            raise _fail(f"--version {v!r}: with several instruments write ID=VERSION "
                        f"(e.g. local_protectionism=1.0.0).")
    return names, (versions or None)


def _import_output(path: Path) -> dict[str, Path] | None:
    """The files of a 'responses import --out' output, if ``path`` is one (data + .missing)."""
    if path.suffix.lower() not in TABLE_SUFFIXES:
        return None
    paths = output_paths(path)
    return paths if paths["missing"].is_file() else None


def _load_import_output(paths: dict[str, Path], instrument: tuple[Any, Any]) -> Any:
    """Rebuild a Responses from 'responses import' output (raw cells are not in it)."""
    import hashlib

    import pandas as pd

    from ..errors import ResponsesError
    from ..responses.model import MISSING_DTYPE, Responses, SourceFile, empty_issues
    from ..responses.read import resolve_instrument

    def load(p: Path) -> pd.DataFrame:
        return pd.read_parquet(p) if p.suffix.lower() == ".parquet" else pd.read_csv(p)

    data, miss = load(paths["data"]), load(paths["missing"])
    name = paths["data"].name
    if "respondent" not in data.columns or "respondent" not in miss.columns:
        raise ResponsesError(f"{name}: no 'respondent' column; give the file written by "
                             f"'surveykit responses import --out'.", file=str(paths["data"]))
    ins = resolve_instrument(*instrument)
    data = data.set_index(data["respondent"].astype("str").rename("respondent"))
    data = data.drop(columns="respondent")
    miss = miss.set_index(miss["respondent"].astype("str").rename("respondent"))
    items = [c for c in data.columns if ins.has_item(c)]
    absent = [c for c in items if c not in miss.columns]
    if not items or absent or not miss.index.equals(data.index):
        raise ResponsesError(f"{name} and {paths['missing'].name} do not belong together or do "
                             f"not match {ins.ref}. Re-run 'surveykit responses import'.",
                             file=str(paths["data"]))
    values = data[items]
    missing = miss[items].fillna("").astype(str).astype(MISSING_DTYPE)
    meta = data[[c for c in data.columns if c not in items]]
    issues = (pd.read_csv(paths["issues"]) if paths["issues"].is_file() else empty_issues())
    sha = hashlib.sha256(paths["data"].read_bytes()).hexdigest()
    return Responses(values=values, missing=missing, raw=values.copy(), meta=meta,
                     instrument=ins, issues=issues,
                     sources=(SourceFile(str(paths["data"]), sha, "surveykit-import", None,
                                         len(values)),))


def _refuse_mapping(path: Path, mapping: Optional[Path]) -> None:
    if mapping is None:
        return
    imported = _import_output(path)
    if imported is not None:
        raise _fail(f"--mapping applies to a survey export; {path.name} was imported already "
                    f"(its mapping is {imported['mapping'].name}). Drop --mapping, or give the "
                    f"export itself.")
    if not mapping.is_file():
        raise _fail(f"--mapping {str(mapping)!r} does not exist. Check the path.")


def _read(path: Path, instrument: tuple[Any, Any], source: str, encoding: Optional[str], progress,
          task, mapping: Optional[Path] = None) -> Any:
    import surveykit as sk

    imported = _import_output(path)
    if imported is not None:
        progress.update(task, description=f"reading {path.name} (imported)")
        return _load_import_output(imported, instrument)

    def step(name: str) -> None:
        progress.update(task, description=f"reading {path.name}: {name}")

    ids, versions = instrument
    return sk.read_responses(path, ids, version=versions, source=source, encoding=encoding,
                             mapping=mapping, progress=step)


_RAW_CELLS_HELP = ("CSV outputs: write text cells raw, without the ' that stops spreadsheets "
                   "running cells starting with = + - @ as formulas.")


def write_table(df: Any, path: Path, *, formula_safe: bool = True, index: bool = True) -> None:
    """Write a DataFrame as Parquet or CSV (UTF-8 with BOM, so Excel shows Chinese text);
    CSV text cells that would run as formulas get a leading ``'`` unless
    ``formula_safe=False``."""
    with atomic_path(path) as tmp:        # complete or absent, never truncated
        if path.suffix.lower() == ".parquet":
            df.to_parquet(tmp, index=index)
        else:
            to_csv(df, tmp, formula_safe=formula_safe, encoding="utf-8-sig", index=index)


def register(app: typer.Typer) -> None:
    """Add ``clean`` and ``score`` to the ``surveykit responses`` app."""

    @app.command("clean")
    def clean_cmd(
        input: Path = typer.Argument(..., help="Survey export (CSV, XLSX, SAV, DTA, Wenjuanxing, Qualtrics) or the output of 'responses import'."),
        rules: Path = typer.Option(..., "--rules", "-r", help="Cleaning rules YAML (see docs/cleaning.md)."),
        out: Path = typer.Option(..., "--out", "-o", help="Output folder (created if missing)."),
        instrument: Optional[list[str]] = typer.Option(None, "--instrument", "-i",
                                                       help="Instrument id(s) in questionnaire order; ID@VERSION for a version."),
        version: Optional[list[str]] = typer.Option(None, "--version", help="Version fielded: VERSION or ID=VERSION; repeat."),
        fmt: str = typer.Option("parquet", "--format", help="parquet or csv for the kept/excluded rows."),
        source: str = typer.Option("auto", "--source", help="Reader: auto, csv, excel, spss, stata, wjx, qualtrics."),
        encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding of a CSV (default: detect)."),
        raw_cells: bool = typer.Option(False, "--raw-cells", help=_RAW_CELLS_HELP),
        mapping: Optional[Path] = typer.Option(None, "--mapping", "-m", help="Mapping file for the export (YAML or CSV column,item), as in 'responses import'."),
        export: Optional[str] = typer.Option(None, "--export", help="Also write the kept rows as kept.sav (SPSS) or kept.dta (Stata): labels and typed missing codes."),
        lang: Optional[str] = typer.Option(None, "--lang", help="Language of the --export labels (default: the instrument's first)."),
    ) -> None:
        """Clean an export: kept and excluded rows, cleaning log and summary written to OUT."""
        import surveykit as sk

        from ..errors import SurveykitError

        if fmt not in ("parquet", "csv"):
            raise _fail(f"The '--format' option of clean must be one of {{'parquet', 'csv'}}. "
                        f"Got {fmt!r} instead.")
        if export is not None and export not in ("sav", "dta"):
            raise _fail(f"The '--export' option of clean must be one of {{'sav', 'dta'}}. "
                        f"Got {export!r} instead.")
        if out.exists() and not out.is_dir():
            raise _fail(f"--out {str(out)!r} is a file; give a folder for the outputs.")
        try:
            rule_list = sk.load_rules(rules)
            _refuse_mapping(input, mapping)
            ins = _instrument(instrument, rules, version, data=input)
            with _Warnings(), _progress() as bar:
                task = bar.add_task(f"reading {input.name}", total=len(rule_list) + 2)
                responses = _read(input, ins, source, encoding, bar, task, mapping)
                bar.update(task, advance=1)

                def on_rule(label: str, i: int, n: int) -> None:
                    bar.update(task, completed=1 + i, description=f"cleaning: {label}")

                res = sk.clean(responses, rule_list, progress=on_rule)
                bar.update(task, completed=len(rule_list) + 1, description="writing")
                make_dir(out)
                safe = not raw_cells
                write_table(res.kept.to_frame(), out / f"kept.{fmt}", formula_safe=safe)
                write_table(res.excluded.to_frame(), out / f"excluded.{fmt}", formula_safe=safe)
                for df, fname in ((res.log, "cleaning_log.csv"),
                                  (res.summary, "cleaning_summary.csv")):
                    write_table(df, out / fname, formula_safe=safe, index=False)
                write_table(res.indices, out / f"cleaning_indices.{fmt}", formula_safe=safe)
                if export is not None:
                    sk.write_responses(res.kept, out / f"kept.{export}", lang=lang)
                from .. import __version__
                from ._outputs import write_json

                write_json(out / CLEANING_NOTE, {
                    "surveykit": __version__, "instrument": list(responses.instrument.refs),
                    "input": input.name, "rules": rules.name, "n_raw": res.n_raw,
                    "n_kept": res.n_kept, "n_excluded": res.n_excluded,
                    "files": {"kept": f"kept.{fmt}", "excluded": f"excluded.{fmt}",
                              "log": "cleaning_log.csv", "summary": "cleaning_summary.csv",
                              "indices": f"cleaning_indices.{fmt}"}})
                bar.update(task, completed=len(rule_list) + 2)
        except SurveykitError as e:
            raise _fail(str(e)) from None
        typer.echo(f"{input.name}: {res.one_line()} → {out}")

    @app.command("score")
    def score_cmd(
        input: Path = typer.Argument(..., help="Survey export, or a table written by 'clean' (.parquet/.csv with --table)."),
        out: Path = typer.Option(..., "--out", "-o", help="Output file (.parquet or .csv)."),
        instrument: Optional[list[str]] = typer.Option(None, "--instrument", "-i",
                                                       help="Instrument id(s) in questionnaire order; ID@VERSION for a version."),
        version: Optional[list[str]] = typer.Option(None, "--version", help="Version fielded: VERSION or ID=VERSION; repeat."),
        z: bool = typer.Option(False, "--z", help="Also write standardised scores (<scale>_z)."),
        scales: Optional[str] = typer.Option(None, "--scales", help="Comma-separated scale ids (default: all)."),
        table: bool = typer.Option(False, "--table", help="INPUT is a table of item columns (e.g. kept.csv), not an export."),
        source: str = typer.Option("auto", "--source", help="Reader for an export (see read_responses)."),
        encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding of a CSV (default: detect)."),
        raw_cells: bool = typer.Option(False, "--raw-cells", help=_RAW_CELLS_HELP),
        mapping: Optional[Path] = typer.Option(None, "--mapping", "-m", help="Mapping file for an export (YAML or CSV column,item), as in 'responses import'."),
    ) -> None:
        """Score every scale and subscale (reverse keys, min-valid rule) and write OUT.

        The instrument comes from --instrument, else from the note 'responses import'
        (FILE.import.json) or 'responses clean' (cleaning.json) left beside INPUT."""
        import pandas as pd

        import surveykit as sk

        from ..errors import SurveykitError
        from ..responses.read import resolve_instrument

        if out.suffix.lower() not in TABLE_SUFFIXES:
            raise _fail(f"--out must end in .parquet or .csv. Got {out.name!r} instead.")
        if not input.is_file():
            raise _fail(f"{str(input)!r} does not exist. Check the path.")
        try:
            _refuse_mapping(input, mapping)
            ins_ids = _instrument(instrument, None, version, data=input)
            with _Warnings(), _progress() as bar:
                task = bar.add_task(f"reading {input.name}", total=3)
                if _import_output(input) is None and (table or input.suffix.lower() == ".parquet"):
                    if mapping is not None:
                        raise _fail(f"--mapping applies to a survey export, not to a table of "
                                    f"item columns ({input.name}). Drop --mapping.")
                    data = (pd.read_parquet(input) if input.suffix.lower() == ".parquet"
                            else pd.read_csv(input, encoding="utf-8-sig"))
                    ins = resolve_instrument(*ins_ids)
                else:
                    data = _read(input, ins_ids, source, encoding, bar, task, mapping)
                    ins = data.instrument
                bar.update(task, advance=1, description="scoring")
                chosen = [s.strip() for s in scales.split(",") if s.strip()] if scales else None
                scored = sk.score(data, ins, z=z, scales=chosen)
                bar.update(task, advance=1, description="writing")
                make_dir(out.parent)
                write_table(scored, out, formula_safe=not raw_cells)
                bar.update(task, advance=1)
        except SurveykitError as e:
            raise _fail(str(e)) from None
        ids = chosen or list(ins.scale_ids)
        n_missing = int(sum(scored[s].isna().sum() for s in ids))
        typer.echo(f"{input.name}: {len(scored)} rows scored on {len(ids)} scales; "
                   f"{n_missing} scores missing (too few valid items) → {out}")
