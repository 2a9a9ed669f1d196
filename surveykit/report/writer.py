"""Write a :class:`~surveykit.report.builder.Report` into its output folder.

Order matters: tables, figures, Word, manifest, and ``report.html`` LAST, so a folder
with a ``report.html`` is a finished report. A failed run writes the same pieces under
INCOMPLETE names, a ``FAILED.txt`` marker and ``"status": "failed"`` in the manifest.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._files import make_dir, write_bytes, write_text
from .i18n import t
from .manifest import build_manifest, display_path, run_timestamp, sha256_file, write_manifest
from .outputs import clean_outputs
from .tables import write_csv

if TYPE_CHECKING:
    from .builder import Report
    from .docx_style import DocxStyle

__all__ = ["write_report"]


def write_report(report: "Report", out: Path, *, lang: str,
                 command: Sequence[str] | None = None,
                 failed: Mapping[str, Any] | None = None, detail: str = "",
                 formula_safe: bool = True, docx_style: "DocxStyle | None" = None) -> Path:
    """Write ``report`` into ``out``; see :mod:`surveykit.report.builder` for the layout.

    ``formula_safe=False`` writes the tables' text cells raw (see
    :func:`surveykit._files.formula_safe`); ``docx_style`` sets the Word file's fonts,
    sizes and page (default :meth:`DocxStyle.for_lang(lang) <surveykit.report.DocxStyle.for_lang>`)."""
    from .docx import write_docx
    from .fork_map import in_background
    from .html import render_html

    make_dir(out)
    clean_outputs(out)
    created = run_timestamp()
    cmd = list(command) if command is not None else None
    banner = ""
    if failed:
        banner = t("incomplete_banner", lang, stage=failed["stage"],
                   input=failed.get("input") or t("no_input", lang))
        write_text(
            out / "FAILED.txt",
            f"INCOMPLETE REPORT — stage '{failed['stage']}' failed "
            f"(input: {failed.get('input') or 'none'}).\n{failed.get('message', '')}\n"
            "The files in this folder stop before the failure; do not use them as a report.\n"
            + (f"\n{detail}" if detail else ""))
    entries = [{**e, "input": display_path(e["input"]) if e["input"] and Path(e["input"]).is_absolute()
                else e["input"]} for e in report.warning_entries()]
    extra: dict[str, Any] = {"warnings": entries}
    if failed:
        extra["stage_failed"] = t("stage_failed", lang, stage=failed["stage"])
    rendered = report.render(lang, created_at=created, command=cmd or [], incomplete=banner,
                             extra=extra)

    docx_name = "report-INCOMPLETE.docx" if failed else "report.docx"

    def docx_job() -> None:
        try:
            write_docx(rendered, out / docx_name, style=docx_style)
        except Exception:
            if not failed:
                raise
            # a failed run still gets its marker, manifest and INCOMPLETE html

    # Word is written by a forked child while the tables and figures are written here
    finish_docx = in_background(docx_job)
    outputs: dict[str, str] = {}
    tdir, fdir = out / "tables", out / "figures"
    for tb in rendered.tables:
        make_dir(tdir)
        path = out / tb.csv
        write_csv(tb.table.data, path, formula_safe=formula_safe)
        outputs[tb.csv] = sha256_file(path)
        for rel, frame in tb.files:
            write_csv(frame, out / rel)
            outputs[rel] = sha256_file(out / rel)
    for fb in rendered.figures:
        make_dir(fdir)
        for ext, data in (("png", fb.png), ("svg", fb.svg)):
            rel = f"figures/{fb.name}.{ext}"
            write_bytes(out / rel, data)
            outputs[rel] = sha256_file(out / rel)

    manifest = build_manifest(
        inputs=report._inputs, instruments=report._instruments, seeds=report._seeds,
        command=cmd, lang=lang, outputs=outputs, analyses=report._provenance,
        warnings=report.all_warnings(), stage_warnings=entries,
        status="failed" if failed else "complete",
        failed_stage=dict(failed) if failed else None, created_at=created)
    write_manifest(manifest, out / "manifest.json")

    html_name = "report-INCOMPLETE.html" if failed else "report.html"
    write_text(out / html_name, render_html(rendered), newline="\n")
    finish_docx()
    return out
