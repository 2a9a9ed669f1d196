"""Assumption checks for group comparisons: normality per group and equal variances.

* Shapiro–Wilk per group — ``scipy.stats.shapiro`` (the same Royston 1995 algorithm as
  R's ``shapiro.test``; agrees with R to ~1e-9). R needs 3 ≤ n ≤ 5000 and a non-constant
  group; otherwise the row says why no test was run.
* Levene (mean-centred) and Brown–Forsythe (median-centred) — the one-way ANOVA F on
  absolute deviations from the group mean / median, as ``car::leveneTest(center=mean)``
  and ``car::leveneTest()`` (whose default is the median).

# R: shapiro.test(x[g == lev]); car::leveneTest(x ~ g, center = mean); car::leveneTest(x ~ g)
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["group_sums", "oneway_f", "shapiro_by_group", "variance_tests", "assumption_table"]


def group_sums(y: np.ndarray, codes: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-group n, mean and sum of squared deviations (vectorised)."""
    n = np.bincount(codes, minlength=k).astype(float)
    s = np.bincount(codes, weights=y, minlength=k)
    m = s / n
    dev = y - m[codes]
    ss = np.bincount(codes, weights=dev * dev, minlength=k)
    return n, m, ss


def oneway_f(y: np.ndarray, codes: np.ndarray, k: int) -> dict[str, float]:
    """Classic one-way ANOVA on ``y`` by ``codes`` (R ``aov``)."""
    n, m, ss = group_sums(y, codes, k)
    N = float(n.sum())
    grand = float(y.mean())
    ssb = float(np.sum(n * (m - grand) ** 2))
    ssw = float(ss.sum())
    df1, df2 = k - 1.0, N - k
    msw = ssw / df2
    f = (ssb / df1) / msw if msw > 0 else float("inf")
    p = float(stats.f.sf(f, df1, df2)) if np.isfinite(f) else 0.0
    return {"f": f, "df1": df1, "df2": df2, "p": p, "ss_between": ssb, "ss_within": ssw,
            "ms_within": msw, "ss_total": ssb + ssw}


def shapiro_by_group(y: np.ndarray, codes: np.ndarray, labels: list[str]) -> pd.DataFrame:
    """Shapiro–Wilk W and p for each group (``shapiro.test``)."""
    rows = []
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(labels) + 1))
    for j, lab in enumerate(labels):
        x = y[order[bounds[j]:bounds[j + 1]]]
        nj = int(x.size)
        note = ""
        w = p = float("nan")
        if nj < 3 or nj > 5000:
            note = f"not tested: shapiro.test needs 3 to 5000 values, group has {nj}"
        elif np.ptp(x) == 0:
            note = "not tested: all values are identical"
        else:
            res = stats.shapiro(x)
            w, p = float(res.statistic), float(res.pvalue)
        rows.append({"term": "shapiro_wilk", "group": lab, "statistic": w, "df1": np.nan,
                     "df2": np.nan, "p_value": p, "n": nj, "note": note})
    return pd.DataFrame(rows)


def variance_tests(y: np.ndarray, codes: np.ndarray, k: int) -> pd.DataFrame:
    """Levene (mean) and Brown–Forsythe (median) tests of equal variances."""
    n, m, _ = group_sums(y, codes, k)
    med = pd.Series(y).groupby(codes).median().reindex(range(k)).to_numpy()
    rows = []
    for term, centre in (("levene", m), ("brown_forsythe", med)):
        z = np.abs(y - centre[codes])
        if np.ptp(z) == 0:
            rows.append({"term": term, "group": "all", "statistic": np.nan, "df1": k - 1.0,
                         "df2": float(y.size - k), "p_value": np.nan, "n": int(y.size),
                         "note": "not tested: absolute deviations are all equal"})
            continue
        r = oneway_f(z, codes, k)
        rows.append({"term": term, "group": "all", "statistic": r["f"], "df1": r["df1"],
                     "df2": r["df2"], "p_value": r["p"], "n": int(y.size),
                     "note": "centre = " + ("mean" if term == "levene" else "median")})
    return pd.DataFrame(rows)


def assumption_table(y: np.ndarray, codes: np.ndarray, labels: list[str]) -> pd.DataFrame:
    """Shapiro–Wilk per group followed by the Levene and Brown–Forsythe rows."""
    out = pd.concat([shapiro_by_group(y, codes, labels), variance_tests(y, codes, len(labels))],
                    ignore_index=True)
    out["n"] = out["n"].astype("int64")
    return out
