"""The report layer: APA tables, figures, HTML/Word documents and the manifest.

A study script builds a :class:`Report` (or takes the running one from :func:`current`)
and ``surveykit run`` writes it (see docs/report.md)::

    from surveykit.report import Report, run

    def main(report: Report) -> None:
        report.section("信度", "Reliability")
        report.add(sk.reliability(data, scale="market_barriers", instrument=ins))

    if __name__ == "__main__":
        run(main)          # same as: surveykit run this_script.py

Sub-modules: :mod:`.tables` (APA formatting), :mod:`.figures` (with :mod:`.figstyle` and
:mod:`.heatmaps`, :mod:`.process_figures` for the interaction plot and :mod:`.path_diagram`),
:mod:`.process_tables` (PROCESS-style mediation and moderation tables),
:mod:`.hierarchical_table`, :mod:`.check_tables` (hierarchical regression; common-method bias
and aggregation) with :mod:`.presentation` choosing among them, :mod:`.fonts`, :mod:`.html`, :mod:`.docx` (+ :mod:`.docx_style`), :mod:`.manifest`,
:mod:`.builder` (+ :mod:`.sample`, :mod:`.writer`, :mod:`.model`, :mod:`.progress`),
:mod:`.runner`, :mod:`.i18n`.
Nothing else in surveykit imports this package.
"""
from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Report": ".builder", "current": ".builder",
    "apa_table": ".tables", "ApaTable": ".tables", "format_number": ".tables",
    "format_p": ".tables",
    "likert_bars": ".figures", "scree_plot": ".figures", "loadings_heatmap": ".figures",
    "group_means_plot": ".figures", "correlation_heatmap": ".figures",
    "save_figure": ".figures",
    "interaction_plot": ".process_figures", "path_diagram": ".path_diagram",
    "ensure_cjk_font": ".fonts", "find_cjk_font": ".fonts", "CJKFontWarning": ".fonts",
    "DocxStyle": ".docx_style",
    "run": ".runner", "run_study": ".runner", "StageFailed": ".runner",
    "scoring_paragraph": ".gr_prose",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    mod = _EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module 'surveykit.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(mod, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
