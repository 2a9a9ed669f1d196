"""Hierarchical (blockwise) OLS: controls first, then the predictors of interest.

``regress(data, y, blocks=[[controls...], [predictors...], ...])`` fits one model per step,
step ``k`` holding the predictors of blocks ``1..k``, all on the same complete rows (rows
missing ``y`` or any predictor of any block are dropped once, with the counted warning of
:func:`~surveykit.analysis.inputs.complete_rows`). Equal to R on those rows
(``cc <- na.omit(d[, c(y, all predictors)])``):

* each step's coefficients, standardised β and (G)VIF — as :func:`~.ols.regress` for
  ``lm(y ~ <blocks 1..k>, cc)``;
* R², adjusted R² — ``summary(lm(...))``; ΔR² = R²_k − R²_{k−1} (R²_0 = 0);
* F change, df1 (columns added), df2 (residual df of step k) and p — ``anova(m_{k−1}, m_k)``
  with ``m_0 = lm(y ~ 1, cc)``, so step 1's change test is its overall F test.

A term that is a linear combination of the terms before it (in block order, as R's ``lm``
pivots it out with an ``NA`` coefficient) is an error naming the term and its block.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ...errors import AnalysisError, ParameterError
from ...result import Result, make_provenance
from .ols_fit import (
    Design,
    Regression,
    build_design,
    check_categorical,
    fit_design,
    load_model_frame,
    regression_result,
    rhs,
)

__all__ = ["HierarchicalRegression", "hierarchical"]

#: R's lm (dqrdc2) tolerance for a column that adds nothing to the ones before it
_ALIAS_TOL = 1e-7


@dataclass(frozen=True, kw_only=True, repr=False)
class HierarchicalRegression(Result):
    """Result of :func:`surveykit.regress` with ``blocks=``.

    ``table``: the coefficients of every step, stacked: ``step`` (1, 2, ...), ``term``
    (``intercept`` first in each step), ``estimate`` (b), ``se``, ``statistic`` (t), ``df``,
    ``p_value``, ``ci_low``, ``ci_high``, ``std_estimate`` (β) and ``vif``.

    ``steps``: one row per step: ``step``, ``added`` (the block's predictors, comma
    separated), ``n_terms`` (coefficients besides the intercept), ``r_squared``,
    ``adj_r_squared``, ``delta_r_squared``, ``f_change``, ``df1``, ``df2``, ``p_value`` (of
    the F change), the step model's own ``f_statistic``, ``f_df1``, ``f_p_value`` (its
    ``df2`` is ``df2``) and ``sigma``.

    ``models``: each step as the :class:`~surveykit.analysis.regression.ols.Regression`
    :func:`~surveykit.regress` returns for it. Headline fields describe the last step.
    """

    y: str
    blocks: tuple[tuple[str, ...], ...]
    n: int
    n_dropped: int
    n_steps: int
    r_squared: float
    adj_r_squared: float
    delta_r_squared: float
    f_change: float
    df1: float
    df2: float
    p_value: float
    steps: pd.DataFrame
    models: tuple[Regression, ...]
    title: str = "Hierarchical regression (OLS)"

    def summary(self) -> str:
        lines = [f"{self.title}: {self.y}", "=" * 40,
                 f"n = {self.n}" + (f" ({self.n_dropped} rows dropped for missing values; "
                                    f"every step uses the same rows)" if self.n_dropped else "")]
        for r in self.steps.itertuples():
            lines.append(f"Step {r.step} (+ {r.added}): R² = {r.r_squared:.3f}, adjusted R² = "
                         f"{r.adj_r_squared:.3f}, ΔR² = {r.delta_r_squared:.3f}, "
                         f"F change({r.df1:.0f}, {r.df2:.0f}) = {r.f_change:.3f}, "
                         f"p = {r.p_value:.4g}")
        with pd.option_context("display.width", 160, "display.max_columns", 50):
            lines += ["", self.table.to_string(index=False)]
        return "\n".join(lines)


def _check_blocks(blocks: Any, y: str, func: str) -> list[list[str]]:
    out = [[b] if isinstance(b, str) else list(b) for b in blocks]
    if not out:
        raise ParameterError(f"The 'blocks' parameter of {func} must hold at least one block "
                             f"of predictors. Got {list(blocks)!r} instead.")
    for k, b in enumerate(out, start=1):
        if not b:
            raise ParameterError(f"The 'blocks' parameter of {func} must not hold an empty "
                                 f"block. Got an empty block {k} in {[list(x) for x in out]!r} "
                                 f"instead; drop it.")
        if y in b:
            raise ParameterError(f"The 'blocks' parameter of {func} must not contain the "
                                 f"outcome {y!r}. Got it in block {k} instead.")
    seen: dict[str, int] = {}
    for k, b in enumerate(out, start=1):
        for v in b:
            if v in seen:
                where = (f"twice in block {k}" if seen[v] == k
                         else f"in blocks {seen[v]} and {k}")
                raise ParameterError(f"The 'blocks' parameter of {func} must name each "
                                     f"predictor once. Got {v!r} {where} instead; a predictor "
                                     f"enters the model in one step.")
            seen[v] = k
    return out


def _check_aliased(design: Design, block_of: dict[str, int], blocks: list[list[str]],
                   func: str) -> None:
    """The first term that is a linear combination of the terms before it, as an error."""
    Xc = design.with_intercept
    names = ["intercept", *design.names]
    for j in range(1, Xc.shape[1]):
        prev, col = Xc[:, :j], Xc[:, j]
        coef, *_ = np.linalg.lstsq(prev, col, rcond=None)
        res = col - prev @ coef
        if np.linalg.norm(res) > _ALIAS_TOL * max(np.linalg.norm(col), 1e-300):
            continue
        term, owner = names[j], design.owner[j - 1]
        k = block_of[owner]
        scale = np.abs(coef) * np.linalg.norm(prev, axis=0)
        deps = [names[i] for i in np.flatnonzero(scale > 1e-6 * max(scale.max(), 1e-300))]
        added = [names[i + 1] for i, o in enumerate(design.owner) if block_of[o] == k]
        first = names.index(added[0])
        nothing = all(_is_combination(Xc[:, :first], Xc[:, names.index(t)]) for t in added)
        what = (f"block {k} ({', '.join(blocks[k - 1])}) adds nothing to the blocks before it: "
                if nothing else f"block {k} ({', '.join(blocks[k - 1])}): ")
        raise AnalysisError(
            f"{func}: {what}its term {term} is perfectly collinear with {', '.join(deps)} "
            f"(a linear combination of them; R's lm would give it an NA coefficient). Drop "
            f"{owner} or the variable it duplicates.")


def _is_combination(prev: np.ndarray, col: np.ndarray) -> bool:
    coef, *_ = np.linalg.lstsq(prev, col, rcond=None)
    return bool(np.linalg.norm(col - prev @ coef) <= _ALIAS_TOL * max(np.linalg.norm(col),
                                                                      1e-300))


def hierarchical(data: Any, y: str, blocks: Any, *, standardize: bool, conf_level: float,
                 categorical: list[str]) -> HierarchicalRegression:
    """The body of ``regress(blocks=...)`` (parameters checked there)."""
    func = "regress"
    bl = _check_blocks(blocks, y, func)
    xs = [v for b in bl for v in b]
    check_categorical(categorical, xs, func)
    D, factors, ins, source, n_drop = load_model_frame(data, y, xs, categorical, func)
    design = build_design(D, xs, factors, func, source)
    block_of = {v: k for k, b in enumerate(bl, start=1) for v in b}
    _check_aliased(design, block_of, bl, func)
    Y = D[y].to_numpy(dtype=float)
    n = len(D)
    refs = tuple(getattr(ins, "refs", ()) or ()) if ins is not None else ()
    rss_prev = float(((Y - Y.mean()) ** 2).sum())      # m_0 = lm(y ~ 1)
    r2_prev, p_prev = 0.0, 0
    tables, rows, models = [], [], []
    for k in range(1, len(bl) + 1):
        step_x = [v for b in bl[:k] for v in b]
        sub = design.subset(step_x)
        fit, table = fit_design(sub, Y, conf_level, standardize)
        prov = make_provenance(func, {"y": y, "x": step_x, "standardize": standardize,
                                      "conf_level": conf_level, "categorical": categorical},
                               {"standardize": True, "conf_level": 0.95, "categorical": []},
                               instruments=refs,
                               r_equivalent=f"summary(lm({y} ~ {rhs(step_x, categorical)}, cc))")
        models.append(regression_result(fit, table, prov, y, n, n_drop,
                                        title=f"Linear regression (OLS), step {k}"))
        rss = float(fit.ssr)
        df1, df2 = sub.p - p_prev, float(fit.df_resid)
        f_change = ((rss_prev - rss) / df1) / (rss / df2)
        r2 = float(fit.rsquared)
        rows.append({"step": k, "added": ", ".join(bl[k - 1]), "n_terms": sub.p,
                     "r_squared": r2, "adj_r_squared": float(fit.rsquared_adj),
                     "delta_r_squared": r2 - r2_prev, "f_change": f_change, "df1": float(df1),
                     "df2": df2, "p_value": float(stats.f.sf(f_change, df1, df2)),
                     "f_statistic": float(fit.fvalue), "f_df1": float(fit.df_model),
                     "f_p_value": float(fit.f_pvalue), "sigma": float(np.sqrt(fit.scale))})
        table.insert(0, "step", k)
        tables.append(table)
        rss_prev, r2_prev, p_prev = rss, r2, sub.p
    steps = pd.DataFrame(rows)
    last = rows[-1]
    calls = "; ".join(f"m{k} <- lm({y} ~ {rhs([v for b in bl[:k] for v in b], categorical)}, cc)"
                      for k in range(1, len(bl) + 1))
    cols = ", ".join(f'"{v}"' for v in [y, *xs])
    prov = make_provenance(func, {"y": y, "blocks": [list(b) for b in bl],
                                  "standardize": standardize, "conf_level": conf_level,
                                  "categorical": categorical},
                           {"standardize": True, "conf_level": 0.95, "categorical": []},
                           instruments=refs,
                           r_equivalent=(f"cc <- na.omit(d[, c({cols})]); m0 <- lm({y} ~ 1, cc); "
                                         f"{calls}; "
                                         + "; ".join(f"anova(m{k - 1}, m{k})"
                                                     for k in range(1, len(bl) + 1))))
    return HierarchicalRegression(
        table=pd.concat(tables, ignore_index=True), provenance=prov, y=y,
        blocks=tuple(tuple(b) for b in bl), n=n, n_dropped=n_drop, n_steps=len(bl),
        r_squared=last["r_squared"], adj_r_squared=last["adj_r_squared"],
        delta_r_squared=last["delta_r_squared"], f_change=last["f_change"], df1=last["df1"],
        df2=last["df2"], p_value=last["p_value"], steps=steps, models=tuple(models))
