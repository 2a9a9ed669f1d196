"""Opt-in benchmark (SURVEYKIT_BENCH=1): compare_groups on 1,000,000 rows, 5 groups.

Anchor measured in the same run: R 4.2 base calls giving the same numbers
(aov + TukeyHSD, oneway.test, kruskal.test, t.test, wilcox.test) on the same data,
timed inside R with system.time() (reading the CSV excluded). Figures go to
docs/performance.md between the group-comparison markers.
"""
from __future__ import annotations

import os
import re
import subprocess
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.skipif(os.environ.get("SURVEYKIT_BENCH") != "1",
                                reason="benchmark: set SURVEYKIT_BENCH=1")

DOC = Path(__file__).resolve().parents[2] / "docs" / "performance.md"
BEGIN, END = "<!-- begin: group comparisons -->", "<!-- end: group comparisons -->"
N = 1_000_000

R_CODE = r"""
d <- read.csv("{csv}"); d$g <- factor(d$g); two <- droplevels(d[d$g %in% c("1", "2"), ])
tm <- function(e) unname(system.time(e)["elapsed"])
cat("anova_tukey", tm({{fit <- aov(y ~ g, d); summary(fit); TukeyHSD(fit)}}), "\n")
cat("welch_anova", tm(oneway.test(y ~ g, d)), "\n")
cat("kruskal", tm(kruskal.test(y ~ g, d)), "\n")
cat("welch_t", tm(t.test(y ~ g, two)), "\n")
cat("mannwhitney", tm(wilcox.test(y ~ g, two)), "\n")
"""


def _py_times(d: pd.DataFrame) -> dict[str, float]:
    import surveykit as sk

    two = d[d["g"] <= 2]
    calls = {
        "anova_tukey": lambda: sk.compare_groups(d, "y", "g", test="anova", posthoc="tukey"),
        "welch_anova": lambda: sk.compare_groups(d, "y", "g", test="welch_anova"),
        "kruskal": lambda: sk.compare_groups(d, "y", "g", test="kruskal"),
        "welch_t": lambda: sk.compare_groups(two, "y", "g", test="welch"),
        "mannwhitney": lambda: sk.compare_groups(two, "y", "g", test="mannwhitney"),
    }
    calls["welch_t"]()  # warm-up (imports)
    out = {}
    for k, f in calls.items():
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            f()
            best = min(best, time.perf_counter() - t0)
        out[k] = best
    return out


def test_bench_compare_groups(tmp_path):
    rng = np.random.default_rng(2024)
    d = pd.DataFrame({"y": np.round(rng.normal(3, 1, N), 1), "g": rng.integers(1, 6, N)})
    csv = tmp_path / "groups.csv"
    d.to_csv(csv, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        py = _py_times(d)
    r_out = subprocess.run(["Rscript", "-e", R_CODE.format(csv=csv)], capture_output=True,
                           text=True, check=True).stdout
    r = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+)", r_out)}
    lines = [BEGIN, "## Group comparisons (compare_groups)", "",
             f"n = {N:,} rows, 5 groups (2 groups for the t / Mann–Whitney rows); "
             "surveykit time includes the assumption checks (Levene, Brown–Forsythe), "
             "descriptives and effect sizes with CIs; R anchor = the base-R call alone, "
             "measured in the same run (best of 3 for surveykit, one run for R).", "",
             "| analysis | surveykit (s) | R anchor (s) | R call |", "|---|---|---|---|"]
    rcall = {"anova_tukey": "aov + summary + TukeyHSD", "welch_anova": "oneway.test",
             "kruskal": "kruskal.test", "welch_t": "t.test", "mannwhitney": "wilcox.test"}
    for k in py:
        lines.append(f"| {k} | {py[k]:.3f} | {r.get(k, float('nan')):.3f} | {rcall[k]} |")
    lines.append(END)
    block = "\n".join(lines)
    text = DOC.read_text() if DOC.exists() else "# Performance\n"
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text)
