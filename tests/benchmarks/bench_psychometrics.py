"""Opt-in benchmark of the psychometrics (reliability, bootstrap CI, parallel analysis).

Run::

    SURVEYKIT_BENCH=1 python -m pytest tests/benchmarks/bench_psychometrics.py -q -s
    # or: SURVEYKIT_BENCH=1 python tests/benchmarks/bench_psychometrics.py

Anchors measured in the same run: R 4.2 / psych 2.2.9 through an ``Rscript``
subprocess (timed inside R with ``system.time``; reading the data excluded) and
pingouin in-process. Figures are written to docs/performance.md between the
psychometrics markers. Nothing here asserts a time.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.skipif(os.environ.get("SURVEYKIT_BENCH") != "1",
                                reason="benchmark: set SURVEYKIT_BENCH=1")

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "performance.md"
BFI = ROOT / "tests" / "reference" / "factor" / "bfi" / "input.csv"
BEGIN, END = "<!-- begin: psychometrics -->", "<!-- end: psychometrics -->"

R_CODE = r"""
suppressMessages(library(psych))
rd <- function(f, n, p) matrix(readBin(f, "double", n * p), ncol = p)
tm <- function(e) unname(system.time(e)["elapsed"])
big <- rd("{big}", {n_big}, {p})
cat("alpha_1e6", tm(psych::alpha(big, warnings = FALSE)), "\n")
small <- rd("{small}", {n_small}, {p})
set.seed(1)
cat("alpha_boot", tm(psych::alpha(small, n.iter = 1000, warnings = FALSE)), "\n")
bfi <- read.csv("{bfi}")[, -1]
set.seed(1)
cat("fa_parallel", tm(psych::fa.parallel(bfi, n.iter = 100, plot = FALSE)), "\n")
"""


def _likert(n: int, p: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n, 1))
    return np.clip(np.round(3 + 0.8 * f + rng.normal(size=(n, p))), 1, 5)


def _best(f, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t0)
    return best


def _r_times(big: np.ndarray, small: np.ndarray, tmp: Path) -> dict[str, float]:
    if shutil.which("Rscript") is None:
        return {}
    fb, fs = tmp / "big.bin", tmp / "small.bin"
    np.asfortranarray(big).T.tofile(fb)      # column-major, as R reads it
    np.asfortranarray(small).T.tofile(fs)
    code = R_CODE.format(big=fb, small=fs, bfi=BFI, n_big=big.shape[0], n_small=small.shape[0],
                         p=big.shape[1])
    script = tmp / "bench.R"
    script.write_text(code)
    out = subprocess.run(["Rscript", str(script)], capture_output=True, text=True, timeout=3600).stdout
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\w+) ([\d.]+)", out, re.M)}


def run() -> str:
    import pingouin as pg

    import surveykit as sk

    warnings.simplefilter("ignore")
    p = 10
    big = _likert(1_000_000, p, 1)
    small = _likert(5_000, p, 2)
    cols = [f"IT{i:02d}" for i in range(1, p + 1)]
    # column by column, the memory layout read_csv gives (one contiguous array per column)
    dbig = pd.DataFrame({c: np.ascontiguousarray(big[:, j]) for j, c in enumerate(cols)})
    dsmall = pd.DataFrame({c: np.ascontiguousarray(small[:, j]) for j, c in enumerate(cols)})
    bfi = pd.read_csv(BFI, dtype={"respondent": str}).set_index("respondent")
    sk.reliability(dsmall)                 # warm-up (imports)
    sk.parallel_analysis(bfi, n_sim=3, seed=0)

    py = {
        "alpha_1e6": _best(lambda: sk.reliability(dbig, ci="feldt", omega="total")),
        "pingouin_alpha_1e6": _best(lambda: pg.cronbach_alpha(dbig)),
        "alpha_boot": _best(lambda: sk.reliability(dsmall, ci="bootstrap", n_boot=1000, seed=1)),
        "fa_parallel": _best(lambda: sk.parallel_analysis(bfi, n_sim=100, seed=1)),
    }
    with tempfile.TemporaryDirectory() as d:
        r = _r_times(big, small, Path(d))

    def ratio(a: float | None, b: float) -> str:
        return f"{a / b:.1f}×" if a else "n/a"

    rows = [
        ("full reliability (α + Feldt CI + item statistics + ω), 1,000,000 × 10", py["alpha_1e6"],
         r.get("alpha_1e6"), "psych::alpha(x)", "≥ 30×"),
        ("… same data, anchor pingouin.cronbach_alpha (α + CI only, in-process)", py["alpha_1e6"],
         py["pingouin_alpha_1e6"], "pingouin 0.7 cronbach_alpha", "≥ 1×"),
        ("bootstrap CI of α, 1,000 resamples, n = 5,000, p = 10", py["alpha_boot"], r.get("alpha_boot"),
         "psych::alpha(x, n.iter=1000)", "≥ 20×"),
        ("parallel analysis, bfi n = 2,800, p = 25 (with missing), 100 iterations", py["fa_parallel"],
         r.get("fa_parallel"), "psych::fa.parallel(x, n.iter=100)", "≥ 10×"),
    ]
    lines = [BEGIN, "## Psychometrics (reliability, bootstrap, parallel analysis)", "",
             "Measured by `tests/benchmarks/bench_psychometrics.py` in one run on the shared "
             f"development machine ({os.cpu_count()} cores, other work running); surveykit best of 3, "
             "R timed once inside `Rscript` with `system.time` (data loading excluded; psych uses "
             "`mclapply` on 2 cores for its bootstrap and parallel analysis), pingouin best of 3 "
             f"in-process. Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.", "",
             "| task | surveykit (s) | anchor (s) | anchor | speed-up | target |",
             "|---|---|---|---|---|---|"]
    for name, ours, anchor, what, target in rows:
        a = f"{anchor:.3f}" if anchor else "n/a"
        lines.append(f"| {name} | {ours:.3f} | {a} | {what} | {ratio(anchor, ours)} | {target} |")
    lines += ["", "Ratios move with the machine's load (R's bootstrap and parallel analysis use two "
              "cores; surveykit one). Under heavy load (load average ≈ 7, before BLAS was pinned to "
              "one thread) the same benchmark gave 30× / 0.5× / 22× / 3.6×; with single-threaded BLAS "
              "and load ≈ 3–4: 105× / 1.4× / 35× / 8.5× (parallel analysis before the direct LAPACK "
              "top-eigenpair call).", END]
    return "\n".join(lines)


def _write(block: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def test_bench_psychometrics():
    block = run()
    print(block)
    _write(block)


if __name__ == "__main__":
    if os.environ.get("SURVEYKIT_BENCH") != "1":
        raise SystemExit("benchmark: set SURVEYKIT_BENCH=1")
    test_bench_psychometrics()
