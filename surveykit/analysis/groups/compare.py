"""Compare a numeric outcome across groups: t tests, ANOVA and their rank-based versions.

Every number equals base R (``t.test``, ``wilcox.test``, ``aov``, ``oneway.test``,
``kruskal.test``, ``shapiro.test``, ``TukeyHSD``) or the documented formula of the R
package named next to it (effect sizes: :mod:`surveykit.analysis.groups.effect_sizes`; post hoc
tests: :mod:`surveykit.analysis.groups.posthoc`; assumption checks:
:mod:`surveykit.analysis.groups.assumptions`).

Group order is R's factor order: the categories of a pandas ``Categorical`` (unused
categories are dropped with a warning), otherwise the sorted distinct values (text in
code-point order, as R in the C locale; pass a ``Categorical`` for another order). The first
group is the ``x`` of ``t.test(x, y)`` / ``wilcox.test(x, y)``, so a positive t, d or
rank-biserial r means the first group scores higher.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..._params import ALPHA_ALIAS, CONF_LEVEL, ColumnName, Options, validate_params
from ...errors import AnalysisError
from ...result import Result, make_provenance
from ..padjust import P_ADJUST_METHODS
from . import effect_sizes as es
from .assumptions import assumption_table, group_sums, oneway_f
from .data import GroupData, group_data
from .posthoc import dunn, games_howell, tukey_hsd

__all__ = ["GroupComparison", "compare_groups", "TESTS", "POSTHOC"]

TESTS = ("auto", "student", "welch", "mannwhitney", "anova", "welch_anova", "kruskal")
POSTHOC = (None, "tukey", "games_howell", "dunn")
_TWO_GROUP = ("student", "welch", "mannwhitney")
#: groups smaller than this are "small": a failed Shapiro–Wilk there makes "auto" go rank-based
AUTO_SMALL_N = 30

_R_CALL = {
    "student": "t.test({dv} ~ {g}, var.equal = TRUE)",
    "welch": "t.test({dv} ~ {g})",
    "mannwhitney": "wilcox.test({dv} ~ {g})",
    "anova": "summary(aov({dv} ~ factor({g})))",
    "welch_anova": "oneway.test({dv} ~ factor({g}))",
    "kruskal": "kruskal.test({dv} ~ factor({g}))",
}
_METHOD = {
    "student": "Two-sample t-test (equal variances)",
    "welch": "Welch two-sample t-test",
    "mannwhitney": "Wilcoxon rank-sum (Mann–Whitney) test",
    "anova": "One-way ANOVA",
    "welch_anova": "Welch one-way ANOVA",
    "kruskal": "Kruskal–Wallis rank-sum test",
}


@dataclass(frozen=True, kw_only=True, repr=False)
class GroupComparison(Result):
    """Result of :func:`compare_groups`.

    ``table`` holds the test row followed by one row per effect size; ``descriptives``
    one row per group (n, mean, sd, se, CI of the mean, median) with ``group`` the value as in
    the data (whole-number codes as int) and, given an instrument, ``label_<lang>`` per
    instrument language (``label_zh``, ``label_en``); ``assumptions`` the
    Shapiro–Wilk rows per group and the Levene / Brown–Forsythe rows; ``posthoc`` the
    pairwise comparisons (empty when none were asked for). ``y`` is the outcome column
    (``dv`` still reads it, with a FutureWarning, until surveykit 0.3).
    """

    y: str
    group: str
    test: str
    method: str
    statistic: float
    df1: float | None
    df2: float | None
    p_value: float
    n: int
    n_groups: int
    n_dropped: int
    effect_size: float
    effect_size_name: str
    effect_size_ci_low: float | None
    effect_size_ci_high: float | None
    reason: str
    descriptives: pd.DataFrame
    assumptions: pd.DataFrame
    posthoc: pd.DataFrame
    title: str = "Group comparison"
    _renamed = {"dv": "y"}

    def summary(self) -> str:
        df = (f"{_g(self.df1)}" + (f", {_g(self.df2)}" if self.df2 is not None else "")
              if self.df1 is not None else "")
        sym = {"student": "t", "welch": "t", "mannwhitney": "W", "anova": "F",
               "welch_anova": "F", "kruskal": "H"}[self.test]
        es_ci = ("" if self.effect_size_ci_low is None else
                 f" [{self.effect_size_ci_low:.3f}, {self.effect_size_ci_high:.3f}]")
        lines = [f"{self.title}: {self.y} by {self.group}", "=" * 40,
                 f"{self.method}: {sym}{'(' + df + ')' if df else ''} = {self.statistic:.3f}, "
                 f"p {_p(self.p_value)}, n = {self.n}"
                 + (f" ({self.n_dropped} rows dropped for missing values)" if self.n_dropped else ""),
                 f"{self.effect_size_name} = {self.effect_size:.3f}{es_ci}",
                 f"Why this test: {self.reason}", ""]
        with pd.option_context("display.max_rows", 200, "display.max_columns", 50,
                               "display.width", 140):
            lines += ["Groups", self.descriptives.to_string(index=False), "",
                      "Tests and effect sizes", self.table.to_string(index=False), "",
                      "Assumption checks", self.assumptions.to_string(index=False)]
            if len(self.posthoc):
                lines += ["", "Post hoc comparisons", self.posthoc.to_string(index=False)]
        return "\n".join(lines)


def _g(v: float | None) -> str:
    return "" if v is None else (f"{v:.0f}" if float(v).is_integer() else f"{v:.2f}")


def _p(p: float) -> str:
    """APA-style p: '< .001' or '= 0.034' (with its relation sign)."""
    return "< .001" if p < 0.001 else f"= {p:.3f}"


# ------------------------------------------------------------------------------------
@validate_params({
    "y": [ColumnName()], "group": [ColumnName()], "test": [Options(TESTS)],
    "posthoc": [Options(POSTHOC)], "p_adjust": [Options(P_ADJUST_METHODS)],
    "conf_level": [CONF_LEVEL],
}, renamed={"dv": "y", "alpha": ALPHA_ALIAS})
def compare_groups(data: Any, y: str, group: str, *, test: str = "auto",
                   posthoc: str | None = None, p_adjust: str = "holm", conf_level: float = 0.95,
                   instrument: Any = None) -> GroupComparison:
    """Compare the outcome ``y`` across the groups in ``group``.

    Parameters
    ----------
    data : DataFrame or Responses
    y : str
        The outcome: a numeric column (e.g. a scale score from :func:`surveykit.score`).
        Called ``dv`` before 0.2 (the old keyword still works, with a FutureWarning).
    group : str
        Column whose values define the groups (codes or labels).
    test : {"auto", "student", "welch", "mannwhitney", "anova", "welch_anova", "kruskal"}
        ``"auto"``: two groups → Welch t, three or more → Welch ANOVA; a rank-based
        test (Mann–Whitney / Kruskal–Wallis) instead when normality clearly fails, i.e.
        Shapiro–Wilk p < ``1 - conf_level`` (.05) in a group with fewer than 30 members (larger groups
        are protected by the central limit theorem). The reason is in ``.reason``.
    posthoc : {None, "tukey", "games_howell", "dunn"}
        Pairwise comparisons (any number of groups ≥ 2).
    p_adjust : str
        ``p.adjust`` method for Dunn's test: holm, hochberg, hommel, bonferroni, BH, BY,
        fdr or none.
    conf_level : float
        Confidence level of every interval (R's ``conf.level``, default 0.95); ``1 -
        conf_level`` is the significance level of the normality screen of ``"auto"``.
        Replaces ``alpha=`` (still accepted for one release, with a FutureWarning, as
        ``conf_level = 1 - alpha``).
    instrument : Instrument, optional
        Gives value labels for coded groups (``PR01`` 1 → Chengdu) and the provenance;
        defaults to the Responses' instrument.

    Returns
    -------
    GroupComparison
        ``statistic, df1, df2, p_value, n``; effect size (Hedges' g for t tests with
        Cohen's d also in ``.table``; ω² with η² for ANOVAs; rank-biserial r for
        Mann–Whitney; ε² for Kruskal–Wallis) with its interval; ``descriptives``,
        ``assumptions``, ``posthoc``; ``reason``.

    Raises
    ------
    DataError
        Unknown or non-numeric ``dv``, unknown ``group``.
    AnalysisError
        Fewer than two groups, a group with one member, a two-group test with more
        groups, no variance at all.

    Warns
    -----
    DataWarning
        Rows dropped for a missing ``dv`` or ``group`` (with counts); unused categories.

    Notes
    -----
    R equivalent: ``t.test(y ~ g, data)`` (Welch), ``oneway.test()``, ``kruskal.test()``,
    ``rstatix::games_howell_test()``.

    Examples
    --------
    >>> import pandas as pd, surveykit as sk
    >>> df = pd.DataFrame({"trust": [3.2, 4.1, 3.8, 2.9, 4.4, 3.5],
    ...                    "region": [1, 1, 1, 2, 2, 2]})
    >>> res = sk.compare_groups(df, "trust", "region", test="welch")
    >>> round(res.statistic, 4)
    0.1961

    # R: t.test(trust ~ region, data = df)
    """
    func = "compare_groups"
    dv = y  # the outcome's column name; below, y holds its values
    gd = group_data(data, dv, group, func=func, instrument=instrument)
    y, codes, labels, k = gd.y, gd.codes, gd.labels, len(gd.labels)
    n_, m_, ss_ = group_sums(y, codes, k)
    v_ = ss_ / np.where(n_ > 1, n_ - 1, np.nan)
    _check_variance(ss_, dv, group, func)
    assumptions = assumption_table(y, codes, labels)
    chosen, reason = _choose_test(test, assumptions, labels, ss_, 1.0 - conf_level,
                                  dv=dv, group=group, func=func)
    res = _run_test(chosen, y, codes, labels, n_, m_, v_, conf_level)
    table = pd.DataFrame(res.rows)
    table.insert(1, "n", int(y.size))
    posthoc_df = _posthoc(posthoc, y, codes, labels, p_adjust, conf_level, n_)
    desc = _descriptives(gd, n_, m_, v_, conf_level)
    prov = make_provenance(
        func, {"y": dv, "group": group, "test": test, "test_used": chosen, "posthoc": posthoc,
               "p_adjust": p_adjust, "conf_level": conf_level},
        {"test": "auto", "posthoc": None, "p_adjust": "holm", "conf_level": 0.95},
        instruments=gd.instruments,
        r_equivalent=_R_CALL[chosen].format(dv=dv, g=group))
    return GroupComparison(
        table=table, provenance=prov, y=dv, group=group, test=chosen, method=_METHOD[chosen],
        statistic=float(res.statistic), df1=_float_or_none(res.df1),
        df2=_float_or_none(res.df2), p_value=float(res.p_value), n=int(y.size), n_groups=k,
        n_dropped=gd.n_dropped, effect_size=float(res.effect_size),
        effect_size_name=res.effect_size_name,
        effect_size_ci_low=_float_or_none(res.effect_size_ci_low),
        effect_size_ci_high=_float_or_none(res.effect_size_ci_high), reason=reason,
        descriptives=desc, assumptions=assumptions, posthoc=posthoc_df)


# ------------------------------------------------------------------------------------
# the steps of compare_groups
# ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Tested:
    """The rows one test adds to ``.table`` and the headline numbers taken from them."""

    rows: list[dict[str, Any]]
    statistic: float
    df1: float | None
    df2: float | None
    p_value: float
    effect_size_name: str
    effect_size: float
    effect_size_ci_low: float | None
    effect_size_ci_high: float | None


def _float_or_none(v: float | None) -> float | None:
    """``float(v)``, keeping None."""
    return None if v is None else float(v)


def _check_variance(ss: np.ndarray, dv: str, group: str, func: str) -> None:
    """AnalysisError when the outcome is constant within every group (no test is defined)."""
    if np.all(ss == 0):
        raise AnalysisError(
            f"{func}: {dv} has no variance within any group of {group} "
            f"(every group's answers are identical), so no test is defined. Check the column.")


def _choose_test(test: str, assumptions: pd.DataFrame, labels: list[str], ss: np.ndarray,
                 alpha: float, *, dv: str, group: str, func: str) -> tuple[str, str]:
    """The test to run and why (``"auto"`` decides; a requested test is checked against k)."""
    k = len(labels)
    const = [labels[i] for i in np.flatnonzero(ss == 0)]
    if test == "auto":
        chosen, reason = _auto(assumptions, k, alpha)
        if chosen == "welch_anova" and const:
            chosen = "kruskal"
            reason = (f"{k} groups; group {', '.join(repr(c) for c in const)} has no variance "
                      f"(all answers identical), which Welch's ANOVA cannot weight, so the "
                      f"rank-based {_METHOD['kruskal']} was used.")
        return chosen, reason
    if test == "welch_anova" and const:
        raise AnalysisError(
            f"{func}: group {', '.join(repr(c) for c in const)} of {group} has no variance in "
            f"{dv} (all answers identical), so Welch's ANOVA (weights n/variance) is undefined. "
            f"Use test='anova' or 'kruskal'.")
    if test in _TWO_GROUP and k != 2:
        alt = {"student": "anova", "welch": "welch_anova", "mannwhitney": "kruskal"}[test]
        raise AnalysisError(
            f"{func}: test={test!r} compares two groups, but {group} has {k} "
            f"({', '.join(labels)}). Use test={alt!r} (or 'auto'), or subset the data.")
    return test, f"test={test!r} was requested."


def _run_test(chosen: str, y: np.ndarray, codes: np.ndarray, labels: list[str], n_: np.ndarray,
              m_: np.ndarray, v_: np.ndarray, level: float) -> _Tested:
    """Run the chosen test and its effect sizes."""
    if chosen in ("student", "welch"):
        return _t_rows(chosen, labels, n_, m_, v_, level)
    if chosen == "mannwhitney":
        return _mannwhitney_rows(y, codes, n_, level)
    if chosen in ("anova", "welch_anova"):
        return _anova_rows(chosen, y, codes, len(labels), n_, m_, v_, level)
    return _kruskal_rows(y, codes, len(labels))


def _t_rows(chosen: str, labels: list[str], n_: np.ndarray, m_: np.ndarray, v_: np.ndarray,
            level: float) -> _Tested:
    """Student or Welch t with Cohen's d and Hedges' g (the headline effect size)."""
    res = _t_test(m_, v_, n_, chosen == "welch", level)
    d = es.cohens_d(m_[0], m_[1], v_[0], v_[1], int(n_[0]), int(n_[1]), level)
    rows = [{"term": f"{chosen}_t", "estimate": res["diff"], "ci_low": res["lo"],
             "ci_high": res["hi"], "statistic": res["t"], "df1": res["df"],
             "df2": np.nan, "p_value": res["p"], "method": _METHOD[chosen],
             "note": f"estimate = mean({labels[0]}) - mean({labels[1]})"},
            _es_row("cohens_d", d["d"], d["d_low"], d["d_high"], "pooled SD; noncentral t CI"),
            _es_row("hedges_g", d["g"], d["g_low"], d["g_high"], "exact J correction")]
    return _Tested(rows, res["t"], res["df"], None, res["p"], "hedges_g", d["g"], d["g_low"],
                   d["g_high"])


def _mannwhitney_rows(y: np.ndarray, codes: np.ndarray, n_: np.ndarray, level: float) -> _Tested:
    """Wilcoxon rank-sum W with the rank-biserial r."""
    res = _wilcox(y, codes)
    r, lo, hi = es.rank_biserial(res["u"], int(n_[0]), int(n_[1]), level)
    rows = [{"term": "wilcoxon_w", "estimate": np.nan, "ci_low": np.nan,
             "ci_high": np.nan, "statistic": res["u"], "df1": np.nan, "df2": np.nan,
             "p_value": res["p"], "method": _METHOD["mannwhitney"], "note": res["note"]},
            _es_row("rank_biserial", r, lo, hi, "Fisher z CI as effectsize")]
    return _Tested(rows, res["u"], None, None, res["p"], "rank_biserial", r, lo, hi)


def _anova_rows(chosen: str, y: np.ndarray, codes: np.ndarray, k: int, n_: np.ndarray,
                m_: np.ndarray, v_: np.ndarray, level: float) -> _Tested:
    """One-way or Welch ANOVA with η² and ω² (the headline effect size)."""
    aov = oneway_f(y, codes, k)
    if chosen == "anova":
        stat, df1, df2, p = aov["f"], aov["df1"], aov["df2"], aov["p"]
    else:
        stat, df1, df2, p = _welch_anova(m_, v_, n_)
    eta = aov["ss_between"] / aov["ss_total"]
    elo, ehi = es.eta_squared_ci(aov["f"], aov["df1"], aov["df2"], level)
    om, olo, ohi = es.omega_squared(aov["ss_between"], aov["ss_total"], aov["df1"],
                                    aov["df2"], level)
    note = "from the sums of squares; noncentral F CI"
    rows = [{"term": f"{chosen}_f", "estimate": np.nan, "ci_low": np.nan,
             "ci_high": np.nan, "statistic": stat, "df1": df1, "df2": df2,
             "p_value": p, "method": _METHOD[chosen], "note": ""},
            _es_row("eta_squared", eta, elo, ehi, note),
            _es_row("omega_squared", om, olo, ohi, note)]
    return _Tested(rows, stat, df1, df2, p, "omega_squared", om, olo, ohi)


def _kruskal_rows(y: np.ndarray, codes: np.ndarray, k: int) -> _Tested:
    """Kruskal–Wallis H with the rank ε² (no interval)."""
    h = _kruskal(y, codes, k)
    eps = es.rank_epsilon_squared(h, y.size)
    p = float(stats.chi2.sf(h, k - 1))
    rows = [{"term": "kruskal_h", "estimate": np.nan, "ci_low": np.nan,
             "ci_high": np.nan, "statistic": h, "df1": k - 1.0, "df2": np.nan,
             "p_value": p, "method": _METHOD["kruskal"], "note": ""},
            _es_row("rank_epsilon_squared", eps, np.nan, np.nan,
                    "no closed-form CI (effectsize bootstraps one)")]
    return _Tested(rows, h, k - 1.0, None, p, "rank_epsilon_squared", eps, None, None)


# ------------------------------------------------------------------------------------
def _es_row(term: str, est: float, lo: float, hi: float, note: str) -> dict[str, Any]:
    return {"term": term, "estimate": est, "ci_low": lo, "ci_high": hi, "statistic": np.nan,
            "df1": np.nan, "df2": np.nan, "p_value": np.nan, "method": "effect size",
            "note": note}


def _auto(assumptions: pd.DataFrame, k: int, alpha: float) -> tuple[str, str]:
    sw = assumptions[assumptions["term"] == "shapiro_wilk"]
    bad = sw[(sw["p_value"] < alpha) & (sw["n"] < AUTO_SMALL_N)]
    param, rank = ("welch", "mannwhitney") if k == 2 else ("welch_anova", "kruskal")
    what = "two groups" if k == 2 else f"{k} groups"
    if len(bad):
        cases = "; ".join(f"group {g!r}: W = {w:.3f}, p {_p(pv)}, n = {n}"
                          for g, w, pv, n in zip(bad["group"], bad["statistic"],
                                                 bad["p_value"], bad["n"]))
        return rank, (f"{what}; normality clearly fails in a small group (Shapiro–Wilk p < "
                      f"{alpha:g} with n < {AUTO_SMALL_N}: {cases}), so the rank-based "
                      f"{_METHOD[rank]} was used.")
    return param, (f"{what}; {_METHOD[param]} does not assume equal variances, and normality "
                   f"is not clearly violated (no group with n < {AUTO_SMALL_N} has Shapiro–Wilk "
                   f"p < {alpha:g}; larger groups rely on the central limit theorem).")


def _t_test(m, v, n, welch: bool, level: float) -> dict[str, float]:
    diff = float(m[0] - m[1])
    if welch:
        w0, w1 = v[0] / n[0], v[1] / n[1]
        se = math.sqrt(w0 + w1)
        df = (w0 + w1) ** 2 / (w0 ** 2 / (n[0] - 1) + w1 ** 2 / (n[1] - 1))
    else:
        df = float(n[0] + n[1] - 2)
        sp2 = ((n[0] - 1) * v[0] + (n[1] - 1) * v[1]) / df
        se = math.sqrt(sp2 * (1 / n[0] + 1 / n[1]))
    t = diff / se
    p = float(2 * stats.t.sf(abs(t), df))
    q = float(stats.t.ppf(1 - (1 - level) / 2, df))
    return {"diff": diff, "t": t, "df": float(df), "p": p, "lo": diff - q * se, "hi": diff + q * se}


def _wilcox(y: np.ndarray, codes: np.ndarray) -> dict[str, Any]:
    """R's wilcox.test(x, y): exact when both n < 50 and no ties, else normal + correction."""
    x0, x1 = y[codes == 0], y[codes == 1]
    n0, n1 = x0.size, x1.size
    r = stats.rankdata(y)
    u = float(r[codes == 0].sum() - n0 * (n0 + 1) / 2)
    _, t = np.unique(y, return_counts=True)
    ties = bool(np.any(t > 1))
    if n0 < 50 and n1 < 50 and not ties:
        p = float(stats.mannwhitneyu(x0, x1, alternative="two-sided", method="exact").pvalue)
        return {"u": u, "p": min(1.0, p), "note": "exact p (no ties, both n < 50)"}
    z = u - n0 * n1 / 2
    tt = t.astype(float)
    N = float(n0 + n1)
    sigma = math.sqrt(n0 * n1 / 12 * ((N + 1) - float(np.sum(tt ** 3 - tt)) / (N * (N - 1))))
    z = (z - math.copysign(0.5, z) if z != 0 else 0.0) / sigma
    p = float(2 * min(stats.norm.cdf(z), stats.norm.sf(z)))
    why = "ties" if ties else "n ≥ 50"
    return {"u": u, "p": min(1.0, p),
            "note": f"normal approximation with continuity correction ({why})"}


def _welch_anova(m, v, n) -> tuple[float, float, float, float]:
    k = m.size
    w = n / v
    sw = w.sum()
    mw = float(np.sum(w * m) / sw)
    a = float(np.sum(w * (m - mw) ** 2) / (k - 1))
    tmp = float(np.sum((1 - w / sw) ** 2 / (n - 1)) / (k * k - 1))
    f = a / (1 + 2 * (k - 2) * tmp)
    df2 = 1 / (3 * tmp)
    return f, k - 1.0, df2, float(stats.f.sf(f, k - 1, df2))


def _kruskal(y: np.ndarray, codes: np.ndarray, k: int) -> float:
    N = float(y.size)
    r = stats.rankdata(y)
    n = np.bincount(codes, minlength=k).astype(float)
    rs = np.bincount(codes, weights=r, minlength=k)
    _, t = np.unique(y, return_counts=True)
    t = t.astype(float)
    h = (12 / (N * (N + 1)) * float(np.sum(rs ** 2 / n)) - 3 * (N + 1))
    return h / (1 - float(np.sum(t ** 3 - t)) / (N ** 3 - N))


def _posthoc(kind, y, codes, labels, p_adjust, level, n_) -> pd.DataFrame:
    if kind is None:
        return pd.DataFrame(columns=["group_a", "group_b", "estimate", "se", "ci_low", "ci_high",
                                     "statistic", "df", "p_value", "p_adjusted", "method"])
    if kind == "games_howell":
        zero = [labels[i] for i in range(len(labels)) if not np.var(y[codes == i]) > 0]
        if len(zero) >= 2:
            raise AnalysisError(
                f"compare_groups: groups {', '.join(repr(z) for z in zero)} have no variance "
                f"(all answers identical), so their Games–Howell comparison is undefined. "
                f"Use posthoc='tukey' or 'dunn'.")
    if kind == "tukey":
        return tukey_hsd(y, codes, labels, level)
    if kind == "games_howell":
        return games_howell(y, codes, labels, level)
    return dunn(y, codes, labels, p_adjust, level)


def _descriptives(gd: GroupData, n, m, v, level: float) -> pd.DataFrame:
    sd = np.sqrt(v)
    se = sd / np.sqrt(n)
    q = stats.t.ppf(1 - (1 - level) / 2, n - 1)
    med = pd.Series(gd.y).groupby(gd.codes).median().reindex(range(len(gd.labels))).to_numpy()
    vals = gd.values or gd.labels
    if all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
        group = pd.array(vals, dtype="int64")          # codes stay numeric (1, 2; not "1")
    elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
        group = pd.array(vals, dtype="float64")
    else:
        group = pd.array(gd.labels, dtype="str")
    out = pd.DataFrame({"group": group, "n": n.astype("int64"), "mean": m, "sd": sd,
                        "se": se, "ci_low": m - q * se, "ci_high": m + q * se, "median": med})
    for k, (lang, labs) in enumerate((gd.value_labels or {}).items()):
        out.insert(1 + k, f"label_{lang}", labs)
    return out

