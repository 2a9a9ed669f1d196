"""`surveykit notes ...` commands: check, stats, agreement, export-qdpx, import-qdpx.

A *study folder* holds ``notes/`` (``*.md``), ``codebook.yaml`` and ``codings/``
(``*.yaml``, one file per coder) — or per-note sidecars ``notes/<note>.codings.yaml`` when
there is no ``codings/`` folder; each path can be given separately. Parsing only — every command calls the
public API and prints rich tables. User mistakes end with one message and exit code 1.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from .._files import atomic_path, to_csv
from ._common import friendly

app = typer.Typer(help="Case notes: check codings, frequencies, agreement, REFI-QDA exchange.",
                  no_args_is_help=True)

_STUDY = typer.Argument(Path("."), help="Study folder with notes/, codebook.yaml, codings/.")
_NOTES = typer.Option(None, "--notes", help="Notes folder (default: STUDY/notes).")
_CODINGS = typer.Option(None, "--codings", help="Codings file or folder (default: STUDY/codings).")
_CODEBOOK = typer.Option(None, "--codebook", help="Codebook file (default: STUDY/codebook.yaml).")


_user_errors = friendly


def _escape(s: str) -> str:
    from rich.markup import escape

    return escape(s)


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True, width=160)


def _paths(study: Path, notes: Optional[Path], codings: Optional[Path],
           codebook: Optional[Path]) -> tuple[Path, Path, Path]:
    n = notes or study / "notes"
    c = codings or study / "codings"
    if codings is None and not c.exists() and n.is_dir():
        side = sorted(n.glob("*.codings.yaml"))     # per-note sidecars next to the notes
        if side:
            c = n
    return (n, c, codebook or study / "codebook.yaml")


def _codebook(path: Path, *, given: bool) -> Any:
    """The study's codebook (None when the default STUDY/codebook.yaml does not exist)."""
    from ..qual.codebook import load_codebook

    if not given and not path.exists():
        return None
    return load_codebook(path)


def _table(df: Any, title: str, max_rows: int = 200) -> Any:
    from rich.table import Table

    t = Table(title=title, show_lines=False)
    for c in df.columns:
        t.add_column(str(c), overflow="fold")
    for row in df.head(max_rows).itertuples(index=False):
        t.add_row(*[_cell(v) for v in row])
    return t


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return "" if v != v else f"{v:.3f}"
    return _escape(str(v))


_RAW_CELLS_HELP = ("Write the CSV's text cells raw, without the ' that stops spreadsheets running "
                   "cells starting with = + - @ as formulas.")


@app.command("check")
@_user_errors
def check(study: Path = _STUDY, notes: Optional[Path] = _NOTES, codings: Optional[Path] = _CODINGS,
          codebook: Optional[Path] = _CODEBOOK,
          fix: bool = typer.Option(False, "--fix", help="Rewrite the offsets of moved segments."),
          context: int = typer.Option(20, help="Context kept each side of a quote (code points).")) -> None:
    """Re-anchor every coded segment by its quote and context (offsets rewritten only with --fix).

    Every code must be in the codebook (STUDY/codebook.yaml or --codebook)."""
    from ..qual.codings import check_codings
    from ..qual.notes import read_notes

    n_path, c_path, cb_path = _paths(study, notes, codings, codebook)
    cb = _codebook(cb_path, given=codebook is not None)
    if codings is None and c_path.is_dir() and not any(c_path.glob("*.y*ml")):
        read_notes(n_path)                      # the notes are still checked
        _console().print(f"No codings yet in {_escape(str(c_path))}: nothing to re-anchor.")
        return
    res = check_codings(c_path, read_notes(n_path), fix=fix, context=context, codebook=cb)
    con = _console()
    if cb is None:
        con.print(f"note: no codebook at {_escape(str(cb_path))}, so code ids were not checked "
                  f"(pass --codebook FILE).")
    shown = res.table[res.table["status"] != "ok"]
    if len(shown):
        con.print(_table(shown[["file", "line", "note", "code", "coder", "status", "method", "start",
                                "new_start", "quote"]], "Segments not at their offsets"))
    con.print(f"{res.n_segments} segments: {res.n_ok} in place, {res.n_moved} moved, "
              f"{res.n_ambiguous} ambiguous, {res.n_not_found} not found."
              + (f" Rewrote {res.files_written} file(s)." if fix and res.files_written else ""))
    if res.n_ambiguous or res.n_not_found:
        from ._common import error_exit

        raise error_exit(f"{res.n_ambiguous + res.n_not_found} segment(s) cannot be placed; fix "
                         f"their quote or context by hand (listed above, with file and line).")
    if res.n_moved and not fix:
        from ._common import error_exit

        raise error_exit(f"{res.n_moved} segment(s) moved. Run 'surveykit notes check --fix' to "
                         f"rewrite their offsets.")


@app.command("stats")
@_user_errors
def stats(study: Path = _STUDY, notes: Optional[Path] = _NOTES, codings: Optional[Path] = _CODINGS,
          codebook: Optional[Path] = _CODEBOOK,
          by: str = typer.Option("region", help="note | case_id | a note attribute, e.g. region."),
          coder: Optional[list[str]] = typer.Option(None, help="Count only this coder (repeatable)."),
          output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write the tidy table as CSV."),
          raw_cells: bool = typer.Option(False, "--raw-cells", help=_RAW_CELLS_HELP)) -> None:
    """Code frequencies (segments) per code and group."""
    from ..qual.codebook import load_codebook
    from ..qual.codings import load_codings
    from ..qual.notes import read_notes
    from ..qual.stats import code_frequencies

    n_path, c_path, cb_path = _paths(study, notes, codings, codebook)
    ns = read_notes(n_path)
    cb = load_codebook(cb_path)
    cod = load_codings(c_path, notes=ns, codebook=cb)
    res = code_frequencies(cod, ns, by=by, coder=coder or None, codebook=cb)
    wide = res.wide().reset_index()
    wide.columns = [str(c) for c in wide.columns]
    _console().print(_table(wide, f"Segments per code and {by}"))
    if output:
        with atomic_path(output) as tmp:
            to_csv(res.table, tmp, formula_safe=not raw_cells, index=False)


@app.command("agreement")
@_user_errors
def agreement_cmd(study: Path = _STUDY, notes: Optional[Path] = _NOTES,
                  codings: Optional[Path] = _CODINGS, codebook: Optional[Path] = _CODEBOOK,
                  level: str = typer.Option("document", help="document | segment"),
                  unit: str = typer.Option("sentence", help="sentence | character (segment level)"),
                  coder: Optional[list[str]] = typer.Option(None, help="Coders to compare (repeatable)."),
                  output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write the tidy table as CSV."),
                  raw_cells: bool = typer.Option(False, "--raw-cells", help=_RAW_CELLS_HELP)) -> None:
    """Intercoder agreement per code: percent agreement, Cohen's kappa, Krippendorff's alpha."""
    from ..qual.agreement import agreement
    from ..qual.codings import load_codings
    from ..qual.notes import read_notes

    n_path, c_path, cb_path = _paths(study, notes, codings, codebook)
    ns = read_notes(n_path)
    cb = _codebook(cb_path, given=codebook is not None)
    if cb is None:
        _console().print(f"note: no codebook at {_escape(str(cb_path))}, so code ids were not "
                         f"checked (pass --codebook FILE).")
    res = agreement(load_codings(c_path, notes=ns, codebook=cb), ns, level=level, unit=unit,
                    coders=coder or None)
    _console().print(_table(res.wide(), f"Agreement ({res.level} level, unit {res.unit}, "
                                        f"{res.n_units} units, coders {', '.join(res.coders)})"))
    _console().print(f"mean alpha {res.alpha_mean:.3f}"
                     + (f", mean kappa {res.kappa_mean:.3f}" if res.kappa_mean is not None else ""))
    if output:
        with atomic_path(output) as tmp:
            to_csv(res.table, tmp, formula_safe=not raw_cells, index=False)


@app.command("export-qdpx")
@_user_errors
def export_qdpx(output: Path = typer.Argument(..., help="The .qdpx file to write."),
                study: Path = typer.Option(Path("."), "--study", help="Study folder."),
                notes: Optional[Path] = _NOTES, codings: Optional[Path] = _CODINGS,
                codebook: Optional[Path] = _CODEBOOK,
                name: str = typer.Option("surveykit project", help="Project name."),
                positions: str = typer.Option("codepoints", help="codepoints | utf16")) -> None:
    """Write notes, codebook and codings as a REFI-QDA project (.qdpx)."""
    from ..qual.codebook import load_codebook
    from ..qual.codings import load_codings
    from ..qual.notes import read_notes
    from ..qual.project import QdaProject
    from ..qual.qdpx import write_qdpx

    n_path, c_path, cb_path = _paths(study, notes, codings, codebook)
    ns = read_notes(n_path)
    cb = load_codebook(cb_path)
    cod = load_codings(c_path, notes=ns, codebook=cb) if c_path.exists() else None
    proj = QdaProject.from_study(ns, cb, cod, name=name)
    write_qdpx(proj, output, positions=positions)
    _console().print(f"Wrote {output}: {proj!r}")


@app.command("import-qdpx")
@_user_errors
def import_qdpx(source: Path = typer.Argument(..., help="The .qdpx file to read."),
                output: Path = typer.Argument(..., help="Empty folder for notes/, codebook.yaml, codings/."),
                positions: str = typer.Option("auto", help="auto | codepoints | utf16 (NVivo: utf16; "
                                              "auto detects it or says to choose)"),
                newlines: str = typer.Option("keep", help="keep | lf (tool counts CRLF as one)"),
                overwrite: bool = typer.Option(False, "--overwrite", help="Write into a non-empty folder.")) -> None:
    """Read a REFI-QDA project (.qdpx) into a study folder."""
    from ..qual.qdpx import read_qdpx

    proj = read_qdpx(source, positions=positions, newlines=newlines)
    proj.to_study(output, overwrite=overwrite)
    _console().print(f"Read {source}: {proj!r}; positions counted as {_escape(proj.positions)}.")
    from ..qual.notes import UNKNOWN

    notes = proj.to_notes()
    todo = [f"{n}: {', '.join(k for k, v in notes[n].meta.items() if v == UNKNOWN)}"
            for n in notes if UNKNOWN in notes[n].meta.values()]
    if todo:
        _console().print(f"Fill in the fields marked '{UNKNOWN}' in {len(todo)} note(s): "
                         + "; ".join(todo[:5]) + (" …" if len(todo) > 5 else ""))
    if proj.skipped:
        _console().print(f"Not imported: {'; '.join(proj.skipped)}")
