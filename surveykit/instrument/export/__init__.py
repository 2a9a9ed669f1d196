"""Exports of an instrument: XLSForm workbook, codebook (Markdown, HTML), Wenjuanxing text.

``export_instrument("local_protectionism", "xlsform")`` writes the file(s) and returns
their paths; the per-format functions return objects for programs:
:func:`to_xlsform` (writes .xlsx), :func:`codebook_markdown`, :func:`codebook_html`,
:func:`to_wjx` and :func:`wjx_logic_notes`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..._files import write_text
from ..._params import PATH, Boolean, InstanceOf, Names, Options, validate_params
from ..model import Instrument
from .codebook import codebook_html, codebook_markdown
from .wjx import to_wjx, wjx_logic_notes
from .xlsform import to_xlsform

__all__ = ["export_instrument", "to_xlsform", "codebook_markdown", "codebook_html", "to_wjx",
           "wjx_logic_notes", "EXPORT_FORMATS"]

EXPORT_FORMATS = ("xlsform", "codebook", "codebook-md", "codebook-html", "wjx")


def _resolve(instrument: Instrument | str | Path, version: str | None,
             root: str | Path | None) -> Instrument:
    if isinstance(instrument, Instrument):
        return instrument
    from ..load import load_instrument, load_questionnaire

    if str(instrument) in ("study", "questionnaire"):
        return load_questionnaire(root=root)
    return load_instrument(instrument, version, root=root)


def _with_ext(path: Path, ext: str, accepted: Sequence[str] = ()) -> Path:
    """``path`` with ``ext`` appended unless it already ends in ``ext`` or an ``accepted``
    one (case-insensitive); appended, not substituted, so ``lp-1.1.0`` → ``lp-1.1.0.md``.

    >>> _with_ext(Path("codebook"), ".md"), _with_ext(Path("cb.MD"), ".md")
    (PosixPath('codebook.md'), PosixPath('cb.MD'))
    """
    if path.suffix.lower() in (ext, *accepted):
        return path
    return path.parent / f"{path.name}{ext}"


def _stem(ins: Instrument) -> str:
    return ins.id if ins.components else f"{ins.id}-{ins.version}"


@validate_params({
    "instrument": [InstanceOf(Instrument, "an Instrument"), PATH], "to": [Options(EXPORT_FORMATS)],
    "version": [InstanceOf(str, "a version such as '1.0.0'"), None], "out": [PATH, None],
    "langs": [Names(single=True), None], "root": [PATH, None], "include_missing": [Boolean()],
})
def export_instrument(instrument: Instrument | str | Path, to: str, *,
                      version: str | None = None, out: str | Path | None = None,
                      langs: Sequence[str] | None = None, root: str | Path | None = None,
                      include_missing: bool = False) -> list[Path]:
    """Export an instrument and return the written file paths.

    Parameters
    ----------
    instrument : Instrument, id, path, or ``"study"``
        ``"study"`` exports the five study instruments joined as one questionnaire.
    to : {'xlsform', 'codebook', 'codebook-md', 'codebook-html', 'wjx'}
        ``codebook`` writes both Markdown and HTML.
    out : path, optional
        Output file (for ``codebook``: the Markdown file; the HTML goes next to it). The
        format's extension is added when the name lacks it (``--out codebook`` →
        ``codebook.md`` and ``codebook.html``; ``form`` → ``form.xlsx``; wjx: ``.txt``).
        Default ``out/instruments/<id>-<version>.<ext>``.
    langs : sequence of str, optional
        Languages (default all; ``wjx`` uses the first given, default the first declared).
    include_missing : bool
        ``wjx`` only: offer the missing codes as options (see :mod:`.wjx`).

    Notes
    -----
    R equivalent: none (writes XLSForm, codebook and Wenjuanxing files from the instrument).

    Examples
    --------
    >>> import tempfile, pathlib, surveykit as sk
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "lp.xlsx"
    >>> [p.name for p in sk.export_instrument("local_protectionism", "xlsform", out=out)]
    ['lp.xlsx']
    """
    ins = _resolve(instrument, version, root)
    base = Path("out") / "instruments" / _stem(ins)

    def ext(e: str) -> Path:  # not with_suffix: "1.1.0" has dots
        return base.parent / f"{base.name}{e}"

    written: list[Path] = []
    if to == "xlsform":
        return [to_xlsform(ins, _with_ext(Path(out), ".xlsx") if out else ext(".xlsx"), langs)]
    if to in ("codebook", "codebook-md", "codebook-html"):
        # the user's name, with .md / .html added when it has neither: "codebook" ->
        # codebook.md + codebook.html; "cb.html" with to="codebook" -> cb.md + cb.html
        target = Path(out) if out else ext(".md")
        stem = target.parent / (target.name[:-len(target.suffix)]
                                if target.suffix.lower() in (".md", ".html") else target.name)
        if to in ("codebook", "codebook-md"):
            md = stem.parent / f"{stem.name}.md"
            write_text(md, codebook_markdown(ins, langs))
            written.append(md)
        if to in ("codebook", "codebook-html"):
            html_path = stem.parent / f"{stem.name}.html"
            write_text(html_path, codebook_html(ins, langs))
            written.append(html_path)
        return written
    lang = langs[0] if langs else None
    target = _with_ext(Path(out), ".txt") if out else ext("-wjx.txt")
    write_text(target, to_wjx(ins, lang, include_missing=include_missing))
    written.append(target)
    notes = wjx_logic_notes(ins, lang)
    if notes:
        note_path = target.with_name(target.stem + "-logic.txt")
        write_text(note_path, "\n".join(notes) + "\n")
        written.append(note_path)
    return written
