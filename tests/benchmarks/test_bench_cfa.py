"""Opt-in benchmark (SURVEYKIT_BENCH=1): surveykit.cfa / invariance against lavaan.

Anchor measured in the same run: lavaan 0.6-14 on the same data, timed inside R with
system.time() (library loading and reading the CSV excluded), best of 3 on both sides.
The surveykit call returns everything in the result (estimates, SEs, std.all with delta
SEs, fit measures with RMSEA CI, CR/AVE/HTMT); the R anchor does the same work
(cfa + standardizedSolution + fitMeasures, plus semTools compRelSEM/AVE/htmt for the
single-group case). Figures go to docs/performance.md between the CFA markers.
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

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- begin: cfa -->", "<!-- end: cfa -->"
HOLZ = ROOT / "tests" / "reference" / "cfa" / "holzinger" / "input.csv"
BFI = ROOT / "tests" / "reference" / "cfa" / "bfi_gender" / "input.csv"
BFI_MODEL = ("agree =~ A1 + A2 + A3 + A4 + A5\nconsc =~ C1 + C2 + C3 + C4 + C5\n"
             "neuro =~ N1 + N2 + N3 + N4 + N5\nC4 ~~ C5")
HOLZ_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"

R_CODE = r"""
suppressMessages({{library(lavaan); library(semTools)}})
best <- function(f) min(replicate(3, unname(system.time(f())["elapsed"])))
h <- read.csv("{holz}"); b <- read.csv("{bfi}"); st <- read.csv("{st}"); mst <- "{mst}"; s12 <- read.csv("{s12}"); s40 <- read.csv("{s40}")
mh <- "{mh}"; mb <- "{mb}"; m12 <- "{m12}"; m40 <- "{m40}"
full <- function(f) {{ standardizedSolution(f); fitMeasures(f) }}
cat("holzinger", best(function() {{f <- cfa(mh, h); full(f); compRelSEM(f); AVE(f); htmt(mh, h)}}), "\n")
cat("bfi_fiml", best(function() {{f <- cfa(mb, b, missing = "ml"); full(f)}}), "\n")
cat("items12_groups2", best(function() {{f <- cfa(m12, s12, group = "g"); full(f)}}), "\n")
cat("items40_scalar", best(function() {{f <- cfa(m40, s40, group = "g", group.equal = c("loadings", "intercepts")); full(f)}}), "\n")
cat("study_fiml", min(replicate({study_reps}, unname(system.time({{f <- cfa(mst, st, missing = "ml"); full(f)}})["elapsed"]))), "\n")
cat("items40_invariance", best(function() {{a <- cfa(m40, s40, group = "g"); b <- cfa(m40, s40, group = "g", group.equal = "loadings");
  c <- cfa(m40, s40, group = "g", group.equal = c("loadings", "intercepts"));
  lapply(list(a, b, c), fitMeasures); lavTestLRT(a, b, c)}}), "\n")
"""


#: lavaan needs 2-4 min per FIML fit of the study model on this machine: timed once, not 3x.
STUDY_R_REPS = 1


def _n_patterns(d: pd.DataFrame) -> int:
    return int(np.unique(d.notna().to_numpy(), axis=0).shape[0])


def _simulate(p_per: int, m: int = 4, n: int = 600, seed: int = 7):
    rng = np.random.default_rng(seed)
    L = np.zeros((p_per * m, m))
    for j in range(m):
        L[j * p_per:(j + 1) * p_per, j] = rng.uniform(0.5, 0.9, p_per)
    phi = 0.3 + 0.7 * np.eye(m)
    f = rng.multivariate_normal(np.zeros(m), phi, size=n)
    X = f @ L.T + rng.normal(size=(n, p_per * m)) * 0.6
    cols = [f"i{k:02d}" for k in range(p_per * m)]
    d = pd.DataFrame(np.round(X * 1.2 + 3).clip(1, 5), columns=cols)
    d["g"] = rng.integers(1, 3, n)
    model = "\n".join(f"f{j} =~ " + " + ".join(cols[j * p_per:(j + 1) * p_per]) for j in range(m))
    return d, model


def _study_cfa_data():
    """The example study's measurement-model CFA input, built as analyses/regional_synergy.py
    builds it (41 keyed items, 14 factors, n = 818, scattered missing values)."""
    import importlib.util

    import surveykit as sk
    from surveykit.datasets import example_study_path

    spec = importlib.util.spec_from_file_location("rs", ROOT / "analyses" / "regional_synergy.py")
    rs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rs)
    waves = [sk.read_responses(example_study_path(name), sk.load_questionnaire(versions=v),
                               key=rs.PSEUDONYM_KEY, wave=w) for w, (name, v) in rs.WAVES.items()]
    pooled = sk.pool_waves(waves)
    dec = pooled.issues[pooled.issues["reason"].isin(["not_comparable", "added_item"])]
    not_pooled = set(dec["item"].dropna())
    ins = pooled.instrument
    scored = sk.score(sk.clean(pooled, sk.load_rules(rs.RULES)).kept)
    subs = [s for s in ins.scales if s.parent in rs.CONSTRUCTS]
    items = [i for s in subs for i in s.items if i not in not_pooled]
    model = "\n".join(f"{s.id} =~ " + " + ".join(i for i in s.items if i not in not_pooled)
                      for s in subs)
    return sk.reverse_keyed(scored, items, ins), model


def _best(f, reps: int = 3) -> float:
    out = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        out = min(out, time.perf_counter() - t0)
    return out


def test_bench_cfa(tmp_path):
    import surveykit as sk

    h = pd.read_csv(HOLZ)
    b = pd.read_csv(BFI)
    s12, m12 = _simulate(3)
    s40, m40 = _simulate(10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        st, mst = _study_cfa_data()
    p12, p40, pst = tmp_path / "s12.csv", tmp_path / "s40.csv", tmp_path / "study.csv"
    st.to_csv(pst, index=False)
    s12.to_csv(p12, index=False)
    s40.to_csv(p40, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk.cfa(h, HOLZ_MODEL)  # warm-up (imports)
        py = {
            "holzinger": _best(lambda: sk.cfa(h, HOLZ_MODEL)),
            "bfi_fiml": _best(lambda: sk.cfa(b, BFI_MODEL, missing="ml")),
            "items12_groups2": _best(lambda: sk.cfa(s12, m12, group="g")),
            "items40_scalar": _best(lambda: sk.cfa(s40, m40, group="g",
                                                   equal=("loadings", "intercepts"))),
            "study_fiml": _best(lambda: sk.cfa(st, mst, missing="ml")),
            "items40_invariance": _best(lambda: sk.invariance(s40, m40, "g")),
        }
    code = R_CODE.format(holz=HOLZ, bfi=BFI, mb=BFI_MODEL.replace("\n", "\\n"), s12=p12, s40=p40, mh=HOLZ_MODEL.replace("\n", "\\n"),
                         m12=m12.replace("\n", "\\n"), m40=m40.replace("\n", "\\n"),
                         st=pst, mst=mst.replace("\n", "\\n"), study_reps=STUDY_R_REPS)
    r_out = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True,
                           check=True).stdout
    r = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+)", r_out)}
    what = {
        "holzinger": "Holzinger 1939: 9 items, 3 factors, n = 301; + CR, AVE, HTMT",
        "bfi_fiml": "psych::bfi FIML (missing=\"ml\"): 15 items, 3 factors, n = 2800, 52 patterns",
        "items12_groups2": "simulated: 12 items, 4 factors, n = 600, 2 groups (configural)",
        "items40_scalar": "simulated: 40 items, 4 factors, n = 600, 2 groups, scalar",
        "study_fiml": ("example study measurement model, FIML (missing=\"ml\"): 41 items, "
                       f"14 factors, n = 818, {_n_patterns(st)} patterns (listwise would keep "
                       f"{int(st.notna().all(axis=1).sum())})"),
        "items40_invariance": "invariance(): configural + metric + scalar, 40 items, n = 600",
    }
    lines = [BEGIN, "## CFA and measurement invariance (cfa, invariance)", "",
             "ML CFA with everything the result holds (estimates, SEs, std.all with delta-method "
             "SEs, fit measures incl. RMSEA CI and SRMR; CR/AVE/HTMT). Anchor: lavaan 0.6-14 "
             "doing the same work on the same data in the same run (cfa + standardizedSolution "
             "+ fitMeasures; semTools for CR/AVE/HTMT; lavTestLRT for invariance), timed inside "
             "R. Best of 3 on both sides (lavaan's FIML fit of the study model: one run, it takes minutes). "
             "FIML groups rows by missing-data pattern and uses an analytic observed Hessian; "
             "before that (commit 6be5635) the study model took 27.8 s in surveykit (cProfile run on this machine).", "",
             "| case | surveykit (s) | lavaan anchor (s) |", "|---|---|---|"]
    for k in py:
        lines.append(f"| {what[k]} | {py[k]:.3f} | {r.get(k, float('nan')):.3f} |")
    lines.append(END)
    block = "\n".join(lines)
    text = DOC.read_text() if DOC.exists() else "# Performance\n"
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text)
