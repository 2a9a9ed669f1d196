"""`surveykit instrument ...` commands: validate, new-version, release, diff, export, import, draft,
render, show.

Parsing only: every command calls the public API in :mod:`surveykit.instrument`. A
:class:`~surveykit.errors.SurveykitError` becomes one message on stderr and exit code 1.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from .._files import atomic_path, to_csv
from ..errors import SurveykitError
from ._common import console, friendly

if TYPE_CHECKING:
    from ..instrument.imports import InstrumentImport

app = typer.Typer(help="Instruments: validate, version, compare and export questionnaires.",
                  no_args_is_help=True)


_console = console
_friendly = friendly


@app.command("validate")
@_friendly
def validate(paths: Optional[list[Path]] = typer.Argument(
        None, help="Instrument files or folders (default: instruments/).")) -> None:
    """Check instrument files; print every problem as file:line:column: message."""
    from rich.markup import escape

    from ..instrument.validate import validate_instruments

    check = validate_instruments(paths or [Path("instruments")])
    out = _console()
    for p in check.problems:
        loc = f"{p.file}:{p.line}:{p.column}" if p.line else p.file
        out.print(f"[bold]{escape(loc)}[/]: {escape(p.message)}")
    for note in check.notes:
        out.print(f"[yellow]note:[/] {escape(note)}")
    if check.problems:
        out.print(f"[bold red]{escape(check.summary())}[/]")
        raise typer.Exit(1)
    out.print(f"[green]✓[/] {escape(check.summary())}")


@app.command("new-version")
@_friendly
def new_version_cmd(
        instrument_id: str = typer.Argument(..., metavar="ID", help="Instrument id."),
        major: bool = typer.Option(False, "--major", help="Incompatible change (new construct)."),
        minor: bool = typer.Option(False, "--minor", help="Reworded or added items."),
        patch: bool = typer.Option(False, "--patch", help="Typo fixes that change no meaning."),
        root: Path = typer.Option(Path("instruments"), "--root", help="Instruments folder."),
) -> None:
    """Copy the latest version forward as a new draft (then edit, validate, release)."""
    from ..instrument.versions import new_version

    chosen = [n for n, f in (("major", major), ("minor", minor), ("patch", patch)) if f]
    if len(chosen) != 1:
        raise SurveykitError("Choose exactly one of --major, --minor or --patch.")
    path = new_version(instrument_id, chosen[0], root=root)
    _console().print(f"[green]✓[/] created draft {path}. Edit it, write its changelog, then run "
                     f"`surveykit instrument release {instrument_id} {path.stem}`.")


@app.command("release")
@_friendly
def release_cmd(instrument_id: str = typer.Argument(..., metavar="ID"),
                version: str = typer.Argument(..., metavar="VERSION"),
                root: Path = typer.Option(Path("instruments"), "--root")) -> None:
    """Release a draft: validate it and record its SHA-256 in instruments.lock (frozen)."""
    from ..instrument.versions import release

    lock = release(instrument_id, version, root=root)
    _console().print(f"[green]✓[/] released {instrument_id} {version} (recorded in {lock}).")


@app.command("diff")
@_friendly
def diff_cmd(instrument_id: str = typer.Argument(..., metavar="ID"),
             a: str = typer.Argument(..., metavar="A", help="From version."),
             b: str = typer.Argument(..., metavar="B", help="To version."),
             crosswalk: Optional[Path] = typer.Option(
                 None, "--crosswalk", "-o", help="Write the crosswalk CSV here."),
             root: Optional[Path] = typer.Option(None, "--root"),
             all_items: bool = typer.Option(False, "--all", help="List unchanged items too."),
             raw_cells: bool = typer.Option(False, "--raw-cells", help="Write the crosswalk's "
                                            "text cells raw, without the ' that stops "
                                            "spreadsheets running cells starting with = + - @.")
             ) -> None:
    """Classify every item change between two versions; per scale, are scores comparable?"""
    from rich.markup import escape
    from rich.table import Table

    from ..instrument.diff import diff_instruments
    from ..instrument.load import load_instrument

    d = diff_instruments(load_instrument(instrument_id, a, root=root),
                         load_instrument(instrument_id, b, root=root))
    out = _console()
    out.print(f"[bold]{escape(d.a_ref)} → {escape(d.b_ref)}[/]")
    t = Table("item", "change", "detail", "comparable")
    rows = d.items if all_items else d.items[d.items["change"] != "unchanged"]
    for r in rows.itertuples():
        t.add_row(escape(str(r.item)), escape(r.change), escape(r.detail),
                  "yes" if r.comparable else "[red]no[/]")
    out.print(t)
    n_same = int((d.items["change"] == "unchanged").sum())
    out.print(f"{n_same} item{'s' if n_same != 1 else ''} unchanged.")
    s = Table("scale", "status", "comparable", "reason")
    for r in d.scales.itertuples():
        s.add_row(escape(r.scale), escape(r.status), "yes" if r.comparable else "[red]no[/]",
                  escape(r.reason))
    out.print(s)
    if crosswalk is not None:
        with atomic_path(crosswalk) as tmp:
            to_csv(d.crosswalk, tmp, formula_safe=not raw_cells, index=False)
        out.print(f"[green]✓[/] crosswalk written to {escape(str(crosswalk))}")


@app.command("export")
@_friendly
def export_cmd(instrument_id: str = typer.Argument(..., metavar="ID",
                                                   help="Instrument id, file, or 'study' for "
                                                        "the whole questionnaire."),
               to: str = typer.Option(..., "--to", help="xlsform, codebook, codebook-md, "
                                                         "codebook-html or wjx."),
               version: Optional[str] = typer.Option(None, "--version"),
               out: Optional[Path] = typer.Option(None, "--out", "-o",
                                                  help="Output file (default: in out/)."),
               lang: Optional[list[str]] = typer.Option(
                   None, "--lang", help="Language(s) (default: all; wjx: the first)."),
               root: Optional[Path] = typer.Option(None, "--root"),
               include_missing: bool = typer.Option(
                   False, "--include-missing",
                   help="wjx: offer the missing codes (refused, don't know) as options.")
               ) -> None:
    """Export an instrument as XLSForm (.xlsx), a codebook (Markdown + HTML) or Wenjuanxing text."""
    from rich.markup import escape

    from ..instrument.export import export_instrument

    written = export_instrument(instrument_id, to, version=version, out=out,
                                langs=tuple(lang) if lang else None, root=root,
                                include_missing=include_missing)
    for p in written:
        _console().print(f"[green]✓[/] wrote {escape(str(p))}")


# shared by `import` and `draft`: where the YAML draft goes
_INTO_ROOT = typer.Option(Path("instruments"), "--root", help="Instrument folder to write into.")
_YAML_OUT = typer.Option(None, "--out", "-o", help="Write the YAML here instead.")
_FORCE = typer.Option(False, "--force", help="Overwrite an existing file.")


@app.command("import")
@_friendly
def import_cmd(path: Path = typer.Argument(..., metavar="FILE",
                                           help="XLSForm .xlsx or Wenjuanxing text .txt."),
               fmt: Optional[str] = typer.Option(None, "--format",
                                                 help="xlsform or wjx (default: from the "
                                                      "extension)."),
               instrument_id: Optional[str] = typer.Option(None, "--id",
                                                           help="Instrument id."),
               version: Optional[str] = typer.Option(None, "--version",
                                                     help="Version (default 0.1.0 or the "
                                                          "form's)."),
               lang: Optional[str] = typer.Option(None, "--lang",
                                                  help="Language of unlabelled text."),
               root: Path = _INTO_ROOT, out: Optional[Path] = _YAML_OUT,
               force: bool = _FORCE) -> None:
    """Draft an instrument from an XLSForm or Wenjuanxing text; list what was not carried."""
    from ..instrument.imports import import_instrument

    imp = import_instrument(path, format=fmt, id=instrument_id, version=version, lang=lang)
    _write_import(imp, out, root, force)


@app.command("draft")
@_friendly
def draft_cmd(path: Path = typer.Argument(..., metavar="EXPORT",
                                          help="A raw export: Wenjuanxing, Qualtrics, SPSS, "
                                               "Stata, Excel or CSV."),
              labels: Optional[Path] = typer.Option(
                  None, "--labels", help="Wenjuanxing text download of the same survey "
                                         "(option labels)."),
              source: str = typer.Option("auto", "--source",
                                         help="auto, csv, excel, spss, stata, wjx, qualtrics."),
              instrument_id: Optional[str] = typer.Option(None, "--id", help="Instrument id."),
              lang: Optional[str] = typer.Option(None, "--lang", help="Language of the text."),
              root: Path = _INTO_ROOT, out: Optional[Path] = _YAML_OUT,
              force: bool = _FORCE) -> None:
    """Draft an instrument from a raw export's headers and values; list what to complete."""
    from ..responses.draft import draft_instrument

    imp = draft_instrument(path, labels=labels, source=source, id=instrument_id, lang=lang)
    _write_import(imp, out, root, force)


def _write_import(imp: "InstrumentImport", out: Optional[Path], root: Path,
                  force: bool) -> None:
    """Write an import or draft without overwriting; print what to complete."""
    from rich.markup import escape

    from .._files import write_text

    ins = imp.instrument
    target = out or root / ins.id / f"{ins.version}.yaml"
    if target.exists() and not force:
        raise SurveykitError(f"{target} exists; the draft was not written. Pass --force to "
                             f"overwrite it, or --version/--id for another file.")
    write_text(target, imp.yaml)
    con = _console()
    con.print(f"[green]✓[/] wrote {escape(str(target))}: "
              f"{escape(imp.summary())}")
    for n in imp.notes:
        con.print(f"[yellow]note:[/] {escape(n)}")
    con.print(f"Next: edit the draft, then `surveykit instrument validate {escape(str(target))}`.")


@app.command("render")
@_friendly
def render_cmd(instrument_id: str = typer.Argument(..., metavar="ID",
                                                   help="Instrument id, file, or 'study'."),
               to: str = typer.Option("html", "--to", help="html or docx."),
               lang: str = typer.Option("zh", "--lang", help="zh, en or both."),
               version: Optional[str] = typer.Option(None, "--version"),
               out: Optional[Path] = typer.Option(None, "--out", "-o",
                                                  help="Output file (default: in out/)."),
               root: Optional[Path] = typer.Option(None, "--root"),
               include_missing: bool = typer.Option(
                   False, "--include-missing",
                   help="Offer the missing codes (refused, don't know) as options.")) -> None:
    """Print-ready questionnaire (HTML or Word) as respondents see it, for paper or ethics review."""
    from rich.markup import escape

    from ..instrument.render import render_instrument

    p = render_instrument(instrument_id, to, lang=lang, out=out, version=version, root=root,
                          include_missing=include_missing)
    _console().print(f"[green]✓[/] wrote {escape(str(p))}")


@app.command("show")
@_friendly
def show_cmd(instrument_id: str = typer.Argument(..., metavar="ID"),
             version: Optional[str] = typer.Option(None, "--version"),
             lang: str = typer.Option("zh", "--lang"),
             root: Optional[Path] = typer.Option(None, "--root")) -> None:
    """Print an instrument's items, keys and scales."""
    from rich.markup import escape
    from rich.table import Column, Table

    from ..instrument.load import load_instrument

    ins = load_instrument(instrument_id, version, root=root)
    out = _console()
    out.print(f"[bold]{escape(ins.title.in_lang(lang))}[/] ({escape(ins.ref)})")
    # Chinese wording has no spaces to wrap at: fold it onto the next line instead of cropping
    t = Table("#", "item", Column("text", overflow="fold"), "response", "reverse", "scale(s)")
    for k, it in enumerate(ins.items, 1):
        scales = ", ".join(s.id for s in ins.scales if it.id in s.items)
        t.add_row(str(k), it.id, escape(it.text.in_lang(lang)), it.response.id,
                  "R" if it.reverse else "", escape(scales))
    out.print(t)
    for m in ins.matrices:   # a matrix battery: one question over its rows
        out.print(f"matrix {escape(m.id)} (question {ins.display_number(m.id)}): "
                  f"{escape(m.text.in_lang(lang))} — rows {', '.join(m.items)}")
