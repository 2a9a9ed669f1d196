"""Opt-in benchmark (SURVEYKIT_BENCH=1): building and writing a study-sized report.

A report the size of the example study (sample section, 20 tables of which one has 200
rows, 5 Likert figures, scree, loadings, group and correlation figures) is built and
written (HTML, Word, CSV, PNG + SVG, manifest). Anchors measured in the same run on the
same tables and figures: the bare minimum any report needs — ``DataFrame.to_csv`` +
``DataFrame.to_html`` of every table and one plain ``Figure.savefig`` PNG per figure
(matplotlib defaults, no SVG, no Word). Best of 3. Figures go to docs/performance.md
between the report markers.
"""
from __future__ import annotations

import io
import os
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.skipif(os.environ.get("SURVEYKIT_BENCH") != "1",
                                reason="benchmark: set SURVEYKIT_BENCH=1")

DOC = Path(__file__).resolve().parents[2] / "docs" / "performance.md"
BEGIN, END = "<!-- begin: report -->", "<!-- end: report -->"


def _material():
    rng = np.random.default_rng(11)
    n = 800
    likert = pd.DataFrame({f"IT{i:02d}": rng.integers(1, 6, n).astype(float) for i in range(1, 16)})
    labels = {c: f"题项文本{c}：两地政府之间的合作与信任" for c in likert}
    tables = [pd.DataFrame({"item": list(likert.columns[:12]), "estimate": rng.uniform(0.3, 0.9, 12),
                            "ci_low": rng.uniform(0.2, 0.3, 12), "ci_high": rng.uniform(0.9, 0.95, 12),
                            "p_value": rng.uniform(0, 0.1, 12), "n": n}) for _ in range(19)]
    tables.append(pd.DataFrame({"term": ["loading"] * 200, "item": [f"X{i}" for i in range(200)],
                                "estimate": rng.uniform(-1, 1, 200), "n": n}))
    return likert, labels, tables


def _figures(likert, labels):
    from surveykit.report import figures as F

    figs = {f"likert_{k}": F.likert_bars(likert.iloc[:, 3 * k:3 * k + 3], labels=labels, lang="zh")
            for k in range(5)}
    figs["scree"] = F.scree_plot(np.linspace(4, 0.2, 15), np.linspace(1.4, 0.8, 15), lang="zh")
    load = pd.DataFrame(np.random.default_rng(1).uniform(-1, 1, (15, 4)), index=likert.columns,
                        columns=["F1", "F2", "F3", "F4"])
    figs["loadings"] = F.loadings_heatmap(load, lang="zh")
    groups = pd.DataFrame({"scale": ["a", "a", "b", "b"], "group": ["成都", "重庆"] * 2,
                           "mean": [3.1, 3.3, 2.9, 3.0], "ci_low": [3.0, 3.2, 2.8, 2.9],
                           "ci_high": [3.2, 3.4, 3.0, 3.1]})
    figs["groups"] = F.group_means_plot(groups, lang="zh")
    figs["corr"] = F.correlation_heatmap(likert.iloc[:, :6].corr(), lang="zh")
    return figs


def _best(f, k=3):
    best = float("inf")
    for _ in range(k):
        t0 = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t0)
    return best


def test_bench_report(tmp_path):
    from surveykit.report import Report

    likert, labels, tables = _material()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        figs = _figures(likert, labels)  # warm-up: imports, font discovery

        def build_and_write(out=tmp_path / "r"):
            report = Report(title="benchmark")
            report.sample(820, {"speed": 12, "duplicates": 8}, {"成都": 400, "重庆": 400})
            report.section("结果", "Results")
            for i, t in enumerate(tables):
                report.add(t, caption=f"表格 {i}")
            for name, fig in _figures(likert, labels).items():
                report.figure(fig, name=name)
            report.write(out)

        def draw_only():
            _figures(likert, labels)

        def anchor():
            for t in tables:
                t.to_csv(io.StringIO())
                t.to_html(io.StringIO())
            for fig in figs.values():
                fig.savefig(io.BytesIO(), format="png")

        t_full = _best(build_and_write)
        t_draw = _best(draw_only)
        t_anchor = _best(anchor)

    lines = [BEGIN, "## Report (surveykit.report)", "",
             "A study-sized report: sample section, 20 APA tables (one of 200 rows), 9 figures "
             "(5 Likert, scree, loadings, group means, correlations) with Chinese labels, "
             "written as report.html + report.docx + CSV + PNG/SVG + manifest.json. Anchor in "
             "the same run: `to_csv` + `to_html` of the same tables and one plain "
             "`savefig` PNG per figure (no SVG, no Word). Best of 3.", "",
             "| task | surveykit (s) | anchor (s) |", "|---|---|---|",
             f"| draw the 9 figures (seaborn/matplotlib, no saving) | {t_draw:.2f} | |",
             f"| build + write the whole report (drawing included) | {t_full:.2f} | {t_anchor:.2f} |",
             END]
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    block = "\n".join(lines)
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")
    print(block)
