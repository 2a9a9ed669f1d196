"""ICC(1), ICC(2) and rwg(j), equal to the R package multilevel (2.7).

For the items of a scale answered by respondents nested in groups, on the rows that answered
every item and have a group (listwise, as ``rwg.j``'s ``na.exclude``; dropped rows are counted
in one warning):

* the score is the mean of the items (the item itself for one item); the one-way ANOVA
  ``aov(score ~ group)`` gives MSB, MSW, F, df and p;
* ICC(1) = (MSB − MSW) / (MSB + (k̄ − 1)·MSW), k̄ = N / number of groups
  (``multilevel::ICC1``); ICC(2) = (MSB − MSW) / MSB (``multilevel::ICC2``);
* rwg(j) per group (James, Demaree & Wolf 1984; ``multilevel::rwg.j``):
  ``J(1 − s̄²/σ²) / (J(1 − s̄²/σ²) + s̄²/σ²)`` with s̄² the mean of the J item variances in the
  group (n − 1 denominator) and σ² = (A² − 1)/12 the variance of the uniform null for A answer
  options; s̄² above σ² is set to σ² (rwg(j) = 0), as multilevel does. With one item this is
  ``multilevel::rwg``: 1 − s²/σ².
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..._params import ColumnName, Interval, Names, validate_params
from ...errors import AnalysisError, DataError, ParameterError
from ...result import Result, make_provenance
from ..inputs import _not_found, _prefix, as_frame, complete_rows, resolve_items
from ..labels import group_labels

__all__ = ["Aggregation", "aggregation"]


@dataclass(frozen=True, kw_only=True, repr=False)
class Aggregation(Result):
    """Result of :func:`aggregation`.

    ``table``: one row per statistic — ``term`` ``icc1``, ``icc2`` (with the ANOVA's F as
    ``statistic``, ``df1``, ``df2``, ``p_value``), then ``rwg_mean``, ``rwg_median`` and
    ``rwg_share`` (share of groups with rwg(j) ≥ ``cutoff``); ``method`` names the statistic
    as R does (``ICC1``, ``ICC2``, ``rwg.j`` or ``rwg``), ``cutoff`` the conventional value it
    is read against (rwg(j) ≥ .70, James et al. 1984; ICC(2) ≥ .70, Klein & Kozlowski 2000;
    none for ICC(1)), ``n`` respondents and ``note`` what the number is.

    ``rwg``: one row per group — ``group``, ``n``, ``mean`` (the group's mean score) and
    ``estimate`` (its rwg(j), or rwg for one item).
    """

    group: str
    items: tuple[str, ...]
    scale: str | None
    n: int
    n_dropped: int
    n_groups: int
    n_options: int
    null_variance: float
    icc1: float
    icc2: float
    f_statistic: float
    df1: float
    df2: float
    p_value: float
    ms_between: float
    ms_within: float
    mean_group_size: float
    rwg_method: str
    rwg_mean: float
    rwg_median: float
    rwg_share: float
    cutoff: float
    rwg: pd.DataFrame
    title: str = "Aggregation: ICC(1), ICC(2) and rwg(j)"

    def summary(self) -> str:
        what = self.scale or ", ".join(self.items)
        lines = [f"{self.title}: {what} by {self.group}", "=" * 50,
                 f"{self.n} respondents in {self.n_groups} groups (mean size "
                 f"{self.mean_group_size:.2f})"
                 + (f"; {self.n_dropped} rows dropped for missing values" if self.n_dropped
                    else ""),
                 f"ICC(1) = {self.icc1:.3f}, ICC(2) = {self.icc2:.3f}; F({self.df1:.0f}, "
                 f"{self.df2:.0f}) = {self.f_statistic:.3f}, p = {self.p_value:.4g}",
                 f"{self.rwg_method} (uniform null, A = {self.n_options}, σ² = "
                 f"{self.null_variance:.4g}): mean {self.rwg_mean:.3f}, median "
                 f"{self.rwg_median:.3f}, {self.rwg_share:.0%} of groups ≥ {self.cutoff:.2f}",
                 "Cut-offs are conventions to read the numbers against (rwg(j) ≥ .70, "
                 "ICC(2) ≥ .70), not a test of whether aggregation is justified.", ""]
        with pd.option_context("display.width", 160, "display.max_columns", 50):
            lines.append(self.table.to_string(index=False))
        return "\n".join(lines)


def _n_options(ins: Any, items: tuple[str, ...], func: str) -> int:
    """A (number of answer options) from the instrument, the same for every item."""
    counts = {}
    if ins is not None:
        for it in items:
            if ins.has_item(it):
                opts = ins.item(it).response.options
                if opts:
                    counts[it] = len(opts)
    if len(counts) < len(items):
        missing = [it for it in items if it not in counts]
        raise ParameterError(
            f"The 'n_options' parameter of {func} must be given when no instrument defines the "
            f"answer options of {', '.join(missing)}. Got None instead; pass n_options=A, e.g. "
            f"n_options=5 for 5-point items (the uniform null variance is (A² − 1) / 12).")
    if len(set(counts.values())) > 1:
        shown = ", ".join(f"{it}: {a}" for it, a in counts.items())
        raise ParameterError(
            f"The 'n_options' parameter of {func} must be given when the items have different "
            f"numbers of answer options ({shown}). Got None instead; rwg(j) needs one "
            f"uniform null, so analyse items with the same response scale together.")
    return next(iter(counts.values()))


@validate_params({
    "group": [ColumnName()], "scale": [str, None], "items": [Names(single=True), None],
    "n_options": [Interval(int, 2, None), None], "cutoff": [Interval(float, 0, 1)],
})
def aggregation(data: Any, group: str, *, scale: str | None = None,
                items: list[str] | str | None = None, n_options: int | None = None,
                instrument: Any = None, cutoff: float = 0.70) -> Aggregation:
    """ICC(1), ICC(2) and rwg(j): do respondents of the same unit agree enough to aggregate?

    Parameters
    ----------
    data : DataFrame or Responses
    group : str
        Column naming each respondent's unit (department, city); at least three units, each
        with at least two respondents.
    scale : str, optional
        Scale id resolved through ``instrument`` (or the Responses' instrument).
    items : str or list of str, optional
        The items instead (a leading ``-`` reverse-keys one). One item gives ``rwg`` instead
        of ``rwg(j)``; the ICCs are then those of the item.
    n_options : int, optional
        A, the number of answer options, for the uniform null variance σ² = (A² − 1) / 12
        (R's ``ranvar``). Taken from the instrument's options when not given; required
        without an instrument.
    instrument : Instrument, optional
    cutoff : float
        The conventional rwg(j) value to count groups against (default .70).

    Returns
    -------
    Aggregation

    Raises
    ------
    AnalysisError
        Fewer than three groups, a group with one respondent (named), a score that does not
        vary.
    ParameterError
        No ``n_options`` and no instrument options; both or neither of ``scale`` and
        ``items``.

    Examples
    --------
    >>> import numpy as np, pandas as pd, surveykit as sk
    >>> df = pd.DataFrame({"unit": np.repeat(["a", "b", "c", "d"], 4),
    ...     "q1": [2, 2, 3, 2, 3, 4, 3, 3, 4, 3, 4, 4, 5, 4, 5, 5],
    ...     "q2": [1, 2, 2, 2, 3, 3, 4, 3, 4, 4, 4, 5, 2, 5, 5, 5]})
    >>> res = sk.aggregation(df, "unit", items=["q1", "q2"], n_options=5)
    >>> round(res.icc1, 3), round(res.icc2, 3), res.rwg["estimate"].round(3).tolist()
    (0.831, 0.952, [0.933, 0.933, 0.933, 0.545])


    Notes
    -----
    R equivalent: ``multilevel::ICC1(aov(s ~ as.factor(unit)))``, ``multilevel::ICC2(...)``,
    ``multilevel::rwg.j(x, unit, ranvar = (A^2 - 1) / 12)`` (``rwg`` for one item), with
    ``s <- rowMeans(x)``.
    """
    func = "aggregation"
    if scale is None and items is None:
        raise ParameterError(f"The 'scale' and 'items' parameters of {func} cannot both be "
                             f"None. Got neither; pass scale= (with an instrument) or items=.")
    frame, ins_data, source = as_frame(data, func)
    if group not in frame.columns:
        raise _not_found(group, list(frame.columns), source, what="group column")
    its = resolve_items(data, items, scale=scale, instrument=instrument, func=func,
                        min_items=1, allow_constant=True, check_n=False)
    if group in its.items:
        raise ParameterError(f"The 'group' parameter of {func} must not be one of the items. "
                             f"Got {group!r} instead.")
    ins = instrument if instrument is not None else ins_data
    A = n_options if n_options is not None else _n_options(ins, its.items, func)
    ranvar = (A * A - 1) / 12.0
    D = its.data.copy()
    D[group] = frame[group]
    D, n_drop = complete_rows(D, func, source)
    cat, labels = group_labels(D[group], func, group)
    codes = np.asarray(cat.codes)
    k = len(labels)
    if k < 3:
        raise AnalysisError(
            f"{_prefix(source)}{func}: {group} has {k} group{'s' if k != 1 else ''} with "
            f"complete answers ({', '.join(labels) or 'none'}); ICC and rwg(j) need at least 3 "
            f"groups. Use a grouping with more units.")
    sizes = np.bincount(codes, minlength=k)
    ones = [labels[g] for g in np.flatnonzero(sizes < 2)]
    if ones:
        raise AnalysisError(
            f"{_prefix(source)}{func}: group {ones[0]!r} of {group} has one respondent with "
            f"complete answers" + (f" (so do {', '.join(repr(o) for o in ones[1:])})"
                                   if len(ones) > 1 else "")
            + "; within-group agreement needs at least two. Merge it with another unit or "
            "drop it.")
    X = D[list(its.items)].to_numpy(dtype=float)
    N, J = X.shape
    score = X.mean(axis=1)
    if score.min() == score.max():
        raise DataError(
            f"{_prefix(source)}{func}: the score of {', '.join(its.items)} is constant (all "
            f"{N} complete respondents have {score[0]:g}); there is no variance to partition "
            f"between and within groups.", file=source)
    # one-way ANOVA of the score on the group (sufficient statistics per group)
    gmean = np.bincount(codes, weights=score, minlength=k) / sizes
    ssb = float((sizes * (gmean - score.mean()) ** 2).sum())
    ssw = float(((score - gmean[codes]) ** 2).sum())
    df1, df2 = float(k - 1), float(N - k)
    msb, msw = ssb / df1, ssw / df2
    f = msb / msw if msw > 0 else float("inf")
    p = float(stats.f.sf(f, df1, df2)) if np.isfinite(f) else 0.0
    kbar = N / k
    icc1 = (msb - msw) / (msb + (kbar - 1) * msw)
    icc2 = (msb - msw) / msb
    # rwg(j): mean within-group item variance against the uniform null
    imean = np.stack([np.bincount(codes, weights=X[:, j], minlength=k) for j in range(J)],
                     axis=1) / sizes[:, None]
    dev2 = (X - imean[codes]) ** 2
    ivar = np.stack([np.bincount(codes, weights=dev2[:, j], minlength=k) for j in range(J)],
                    axis=1) / (sizes[:, None] - 1)
    s = np.minimum(ivar.mean(axis=1) / ranvar, 1.0)
    rwg = J * (1 - s) / (J * (1 - s) + s)
    method = "rwg.j" if J > 1 else "rwg"
    per_group = pd.DataFrame({"group": labels, "n": sizes, "mean": gmean, "estimate": rwg})
    share = float((rwg >= cutoff).mean())
    name = "rwg(j)" if J > 1 else "rwg"
    table = pd.DataFrame([
        {"term": "icc1", "method": "ICC1", "estimate": icc1, "statistic": f, "df1": df1,
         "df2": df2, "p_value": p, "n": N, "cutoff": np.nan,
         "note": "share of score variance between groups (ANOVA F test of the group means)"},
        {"term": "icc2", "method": "ICC2", "estimate": icc2, "statistic": f, "df1": df1,
         "df2": df2, "p_value": p, "n": N, "cutoff": 0.70,
         "note": "reliability of the group means"},
        {"term": "rwg_mean", "method": method, "estimate": float(rwg.mean()), "n": N,
         "cutoff": cutoff, "note": f"mean {name} over {k} groups"},
        {"term": "rwg_median", "method": method, "estimate": float(np.median(rwg)), "n": N,
         "cutoff": cutoff, "note": f"median {name} over {k} groups"},
        {"term": "rwg_share", "method": method, "estimate": share, "n": N, "cutoff": cutoff,
         "note": f"share of groups with {name} >= {cutoff:g}"},
    ])
    cols = ", ".join(f'"{i}"' for i in its.items)
    x_r = f"d[, c({cols})]" if J > 1 else f"d${its.items[0]}"
    r_eq = (f"library(multilevel); m <- aov({'rowMeans(' + x_r + ')' if J > 1 else x_r} ~ "
            f"as.factor(d${group})); ICC1(m); ICC2(m); {method}({x_r}, d${group}, "
            f"ranvar = ({A}^2 - 1) / 12)")
    prov = make_provenance(func, {"group": group, "scale": its.scale, "items": list(its.items),
                                  "n_options": A, "cutoff": cutoff},
                           {"scale": None, "cutoff": 0.70}, instruments=its.instruments,
                           r_equivalent=r_eq)
    return Aggregation(
        table=table, provenance=prov, group=group, items=its.items, scale=its.scale, n=N,
        n_dropped=n_drop, n_groups=k, n_options=int(A), null_variance=ranvar, icc1=float(icc1),
        icc2=float(icc2), f_statistic=float(f), df1=df1, df2=df2, p_value=p, ms_between=msb,
        ms_within=msw, mean_group_size=kbar, rwg_method=method, rwg_mean=float(rwg.mean()),
        rwg_median=float(np.median(rwg)), rwg_share=share, cutoff=float(cutoff), rwg=per_group,
        title=f"Aggregation: ICC(1), ICC(2) and {name}")
