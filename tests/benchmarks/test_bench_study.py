"""Opt-in benchmark (SURVEYKIT_BENCH=1): the example study end to end (issue #13, item 8).

``run_study("analyses/regional_synergy.py")`` — what ``surveykit run`` does: every stage,
the report with all figures, report.html + report.docx — timed once in the pytest process,
wall and CPU time, with the seconds of each stage (``Report.stages``) and
the time spent turning the figures into PNG + SVG (``Report.figure``). Anchor in the same
run: a bare matplotlib ``savefig`` of the same figure objects, PNG then SVG, matplotlib
defaults (no tight box, no fixed style). The machine is shared, so the load average is
written beside the figures. Target: the whole run ≤ 8 s. The figures go to
docs/performance.md between the study markers.
"""
from __future__ import annotations

import io
import os
import time
import warnings
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.environ.get("SURVEYKIT_BENCH") != "1",
                                reason="benchmark: set SURVEYKIT_BENCH=1")

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "performance.md"
SCRIPT = ROOT / "analyses" / "regional_synergy.py"
BEGIN, END = "<!-- begin: study -->", "<!-- end: study -->"


def test_bench_study(tmp_path, monkeypatch):
    from surveykit.report import builder
    from surveykit.report.runner import run_study

    figures: list = []
    reports: list = []
    spent = [0.0]
    original = builder.Report.figure

    def timed_figure(self, fig, name=None, caption=None):
        t0 = time.perf_counter()
        original(self, fig, name, caption)
        spent[0] += time.perf_counter() - t0
        figures.append(fig)
        if not reports or reports[-1] is not self:
            reports.append(self)

    monkeypatch.setattr(builder.Report, "figure", timed_figure)
    load = os.getloadavg()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w0, c0, k0 = time.perf_counter(), time.process_time(), os.times()
        code = run_study(SCRIPT, out=tmp_path / "study", progress=False,
                         command=["surveykit", "run", "analyses/regional_synergy.py"])
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        k1 = os.times()
        child_cpu = (k1.children_user - k0.children_user) + (k1.children_system
                                                             - k0.children_system)
    assert code == 0 and (tmp_path / "study" / "report.html").is_file()
    assert figures and reports
    stages = [(s.name, s.seconds) for s in reports[-1].stages]

    w0, c0 = time.perf_counter(), time.process_time()
    for fig in figures:
        fig.savefig(io.BytesIO(), format="png")
        fig.savefig(io.BytesIO(), format="svg")
    bare_wall, bare_cpu = time.perf_counter() - w0, time.process_time() - c0
    load_after = os.getloadavg()

    lines = [BEGIN, "## The example study end to end (surveykit run)", "",
             "`run_study(\"analyses/regional_synergy.py\")` (what `surveykit run` does, in "
             "the pytest process), one run. The figures' PNG (150 dpi, tight box) + SVG (text "
             "as paths) are drawn by forked children while the script goes on "
             "(surveykit/report/figure_jobs.py); `Report.figure` only starts them. CPU: this "
             "process, and its children (figures, the second halves of the parallel "
             "`Report.each` stages, report.docx). Anchor in the same run: a bare "
             f"matplotlib `savefig` PNG + SVG of the same {len(figures)} figure objects "
             f"(matplotlib defaults, in this process). Load average on the 2 shared cores: "
             f"{load[0]:.1f} before, {load_after[0]:.1f} after (1-minute). Target (#13): ≤ 8 s.",
             "",
             "| task | wall (s) | CPU (s) |", "|---|---|---|",
             f"| whole run (every stage, report.html + report.docx) | {wall:.2f} | {cpu:.2f} |",
             f"| … CPU of its child processes | | {child_cpu:.2f} |",
             f"| of which: `Report.figure` calls (starting the {len(figures)} renderings) | "
             f"{spent[0]:.2f} | |",
             f"| anchor: bare `savefig` PNG + SVG of the same figures | {bare_wall:.2f} | "
             f"{bare_cpu:.2f} |", "",
             "| stage | wall (s) |", "|---|---|",
             *[f"| {name} | {sec:.2f} |" for name, sec in stages],
             END]
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    block = "\n".join(lines)
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")
    print(block)
