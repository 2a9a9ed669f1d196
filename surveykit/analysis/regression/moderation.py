"""Moderation: the interaction model, simple slopes and the Johnson–Neyman region (PROCESS 1 and 3).

Model 1 is ``y = b0 + b1·x + b2·w + b3·x·w (+ covariates)``; model 3 adds a second moderator
``z`` and every product up to ``x·w·z``. Every coefficient equals ``summary(lm())`` of the same
formula on the same complete rows (with ``x``, ``w`` and ``z`` mean-centred first when
``center=True``, as PROCESS's ``center=1``); a conditional effect ("simple slope") of ``x`` is
a linear combination of coefficients, ``b1 + b3·w``, with SE ``sqrt(c' V c)`` from the
coefficient covariance ``vcov(lm)`` and a t-based interval (df = n − p), as PROCESS reports it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..._params import (
    ALPHA_ALIAS,
    CONF_LEVEL,
    Boolean,
    ColumnName,
    InstanceOf,
    Names,
    Options,
    validate_params,
)
from ...errors import ParameterError
from ...result import Result, make_provenance
from ._process import Fit, load_columns, ols

__all__ = ["Moderation", "moderation", "PERCENTILES", "PROBE", "VALUES"]

#: Percentiles PROCESS probes a continuous moderator at (its default since version 3).
PERCENTILES = (16, 50, 84)


@dataclass(frozen=True, kw_only=True, repr=False)
class Moderation(Result):
    """Result of :func:`moderation` (PROCESS model 1, or 3 with ``z``).

    ``table``: the model's coefficients (``effect == "coefficient"``, one row per ``term``),
    then the conditional effects of ``x`` (``"conditional_effect"``; ``moderator_value`` is
    ``w`` and, in model 3, ``moderator_value_2`` is ``z``, both in the data's own metric),
    in model 3 the conditional ``x·w`` interaction at each ``z``
    (``"conditional_interaction"``), and the Johnson–Neyman boundaries (``"jn_boundary"``).
    Columns: ``effect``, ``term``, ``moderator_value``, ``estimate``, ``se``, ``statistic``
    (t), ``df``, ``p_value``, ``ci_low``, ``ci_high``, ``note``.

    ``coefficients``, ``simple_slopes``: those parts alone; ``jn_table``: the conditional effect
    at 21 moderator values across the observed range plus the boundaries (PROCESS's JN table);
    ``predictions``: predicted ``y`` at ``x`` = mean − SD, mean, mean + SD (or the two codes of a
    0/1 ``x``) for each probed moderator value, covariates at their means (the interaction plot,
    :func:`surveykit.report.figures.interaction_plot`).
    """

    model: int
    y: str
    x: str
    w: str
    z: str | None
    center: bool
    n: int
    n_dropped: int
    r_squared: float
    f_statistic: float
    df1: float
    df2: float
    p_value: float
    interaction: float
    interaction_se: float
    interaction_p_value: float
    delta_r_squared: float
    f_change: float
    jn: tuple[float, ...]
    coefficients: pd.DataFrame
    simple_slopes: pd.DataFrame
    jn_table: pd.DataFrame
    predictions: pd.DataFrame
    title: str = "Moderation (PROCESS model 1)"

    def summary(self) -> str:
        inter = f"{self.x}:{self.w}" + (f":{self.z}" if self.z else "")
        jn = (", ".join(f"{v:.4f}" for v in self.jn) if self.jn else "none in the observed range")
        if self.z:
            jn = "not computed for model 3"
        lines = [f"{self.title}: {self.y} ~ {self.x} × {self.w}" + (f" × {self.z}" if self.z else ""),
                 "=" * 50,
                 f"R² = {self.r_squared:.4f}, F({self.df1:.0f}, {self.df2:.0f}) = "
                 f"{self.f_statistic:.3f}, p = {self.p_value:.4g}, n = {self.n}"
                 + (f" ({self.n_dropped} rows dropped for missing values)" if self.n_dropped else ""),
                 f"{inter}: b = {self.interaction:.4f}, SE = {self.interaction_se:.4f}, "
                 f"p = {self.interaction_p_value:.4g}; ΔR² = {self.delta_r_squared:.4f}, "
                 f"F(1, {self.df2:.0f}) = {self.f_change:.3f}",
                 f"Johnson–Neyman boundaries of {self.w}: {jn}",
                 f"Variables centred before forming products: {'yes' if self.center else 'no'}", ""]
        with pd.option_context("display.width", 160, "display.max_columns", 50):
            lines.append(self.table.to_string(index=False))
        return "\n".join(lines)


def _probe_values(v: np.ndarray, probe: Any, given: Sequence[float] | None, name: str,
                  func: str) -> tuple[np.ndarray, list[str]]:
    """Moderator values to probe at (original metric) and a note per value."""
    if given is not None:
        vals = np.asarray(list(given), dtype=float)
        if vals.ndim != 1 or not len(vals) or not np.isfinite(vals).all():
            raise ParameterError(f"The '{name}_values' parameter of {func} must be a list of "
                                 f"numbers. Got {given!r} instead.")
        return vals, [""] * len(vals)
    uniq = np.unique(v)
    if len(uniq) == 2:  # a dichotomous moderator: its two values (PROCESS does the same)
        return uniq.astype(float), ["", ""]
    if isinstance(probe, str):
        srt = np.sort(v)  # (any other string is refused by the declaration)
        pos = np.maximum(np.floor(len(v) * np.asarray(PERCENTILES) / 100).astype(int), 1)
        return srt[pos - 1], [f"{p}th percentile" for p in PERCENTILES]
    try:
        mult = np.asarray(list(probe), dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"The 'probe' parameter of {func} must be a list of SD multiples "
                             f"(e.g. (-1, 0, 1)) or 'percentiles'. Got {probe!r} instead.") from None
    if mult.ndim != 1 or not len(mult) or not np.isfinite(mult).all():
        raise ParameterError(f"The 'probe' parameter of {func} must be a list of SD multiples "
                             f"(e.g. (-1, 0, 1)) or 'percentiles'. Got {probe!r} instead.")
    vals = v.mean() + mult * v.std(ddof=1)
    notes = []
    lo, hi = v.min(), v.max()
    for i, val in enumerate(vals):  # PROCESS: a value outside the data is replaced by min / max
        if val < lo:
            vals[i], note = lo, "mean − SD below the minimum: minimum used"
        elif val > hi:
            vals[i], note = hi, "mean + SD above the maximum: maximum used"
        else:
            note = ""
        notes.append(note)
    return vals, notes


def _jn(fit: Fit, jx: int, jxw: int, shift: float, lo: float, hi: float, alpha: float
        ) -> list[float]:
    """Moderator values (original metric) where the slope's p equals alpha, within [lo, hi].

    Solves ``(b1 + b3·w)² = t²·(V11 + 2w·V13 + w²·V33)`` for w, as PROCESS's ``jn=1``.
    """
    b1, b3 = fit.coef[jx], fit.coef[jxw]
    V = fit.cov
    t2 = stats.t.ppf(1 - alpha / 2, fit.df_resid) ** 2
    a = b3 ** 2 - t2 * V[jxw, jxw]
    b = 2 * (b1 * b3 - t2 * V[jx, jxw])
    c = b1 ** 2 - t2 * V[jx, jx]
    if abs(a) < 1e-300:
        roots = [-c / b] if b else []
    else:
        disc = b * b - 4 * a * c
        if disc < 0:
            return []
        s = np.sqrt(disc)
        roots = sorted({(-b - s) / (2 * a), (-b + s) / (2 * a)})
    return [float(r + shift) for r in roots if lo <= r + shift <= hi]


#: ``probe=``: SD multiples around the mean, or PROCESS's percentiles (moderation, mediation)
PROBE = [Options("percentiles"), InstanceOf((list, tuple, np.ndarray),
                                            "a list of SD multiples (e.g. (-1, 0, 1))")]
#: ``w_values=`` / ``z_values=``: moderator values to probe at, or None
VALUES = [InstanceOf((list, tuple, np.ndarray, pd.Series), "a list of numbers"), None]


@validate_params({
    "y": [ColumnName()], "x": [ColumnName()], "w": [ColumnName()], "z": [ColumnName(), None],
    "covariates": [Names(single=True)], "center": [Boolean()], "probe": PROBE,
    "w_values": VALUES, "z_values": VALUES, "conf_level": [CONF_LEVEL],
}, renamed={"alpha": ALPHA_ALIAS})
def moderation(data: Any, y: str, x: str, w: str, *, z: str | None = None,
               covariates: Sequence[str] | str = (), center: bool = True,
               probe: Sequence[float] | str = (-1, 0, 1),
               w_values: Sequence[float] | None = None, z_values: Sequence[float] | None = None,
               conf_level: float = 0.95, instrument: Any = None) -> Moderation:
    """Does ``w`` moderate the effect of ``x`` on ``y``? (Hayes' PROCESS model 1; with ``z``, model 3.)

    Parameters
    ----------
    data : DataFrame or Responses
    y, x, w : str
        Outcome, focal predictor and moderator (numeric columns; a 0/1 moderator is probed
        at its two values).
    z : str, optional
        A second moderator: model 3, ``x × w × z`` with every lower-order product.
    covariates : str or list of str
        Numeric covariates entered in the model (not centred, not in products).
    center : bool
        Mean-centre ``x``, ``w`` (and ``z``) before forming the products (default True,
        PROCESS ``center=1``); recorded in the provenance. Conditional effects and the
        Johnson–Neyman boundaries do not depend on it and are always given in the
        moderator's own metric.
    probe : list of float or "percentiles"
        Where to probe the moderator(s): SD multiples around the mean (default mean − 1 SD,
        mean, mean + 1 SD; a value outside the observed range is replaced by the minimum or
        maximum, as PROCESS does, and noted), or ``"percentiles"``: the 16th, 50th and 84th
        percentiles as PROCESS defines them (the ⌊n·p⌋-th smallest value).
    w_values, z_values : list of float, optional
        Probe at these moderator values instead (PROCESS ``wmodval=``/``zmodval=``).
    conf_level : float
        Confidence level of the intervals (default 0.95, R's ``conf.level``); ``1 −
        conf_level`` is also the Johnson–Neyman criterion. The old ``alpha=`` (the
        significance level) still works until surveykit 0.3, read as ``conf_level = 1 − alpha``.
    instrument : Instrument, optional
        Recorded in the provenance.

    Returns
    -------
    Moderation

    Notes
    -----
    R equivalent: ``summary(lm(y ~ xc * wc, d))`` on mean-centred x and w; PROCESS ``process(y,
    x, w, model = 1)``.

    Examples
    --------
    >>> import numpy as np, pandas as pd, surveykit as sk
    >>> rng = np.random.default_rng(3)
    >>> df = pd.DataFrame({"x": rng.normal(size=200), "w": rng.normal(size=200)})
    >>> df["y"] = 0.4 * df.x + 0.2 * df.w + 0.3 * df.x * df.w + rng.normal(size=200)
    >>> res = sk.moderation(df, "y", "x", "w")
    >>> round(res.interaction, 3)
    0.435
    >>> res.simple_slopes["estimate"].round(3).tolist()
    [-0.134, 0.296, 0.726]

    # R: d$xc <- d$x - mean(d$x); d$wc <- d$w - mean(d$w); summary(lm(y ~ xc * wc, d))
    # (PROCESS: process(y = "y", x = "x", w = "w", model = 1, center = 1, jn = 1))
    """
    func = "moderation"
    alpha = 1.0 - conf_level  # the significance level of the intervals and of the JN region
    covs = [covariates] if isinstance(covariates, str) else list(covariates)
    roles = [("outcome y", y), ("predictor x", x), ("moderator w", w)]
    if z is not None:
        roles.append(("moderator z", z))
    roles += [(f"covariate {c}", c) for c in covs]
    D, n_drop, ins, _ = load_columns(data, roles, func)
    n = len(D)
    mods = [w] if z is None else [w, z]
    shift = {v: (float(D[v].mean()) if center else 0.0) for v in [x, *mods]}
    col = {v: D[v].to_numpy(dtype=float) - shift[v] for v in [x, *mods]}
    # design in PROCESS's order: x, w, x:w (, z, x:z, w:z, x:w:z), covariates
    if z is None:
        parts = [(x, col[x]), (w, col[w]), (f"{x}:{w}", col[x] * col[w])]
    else:
        parts = [(x, col[x]), (w, col[w]), (f"{x}:{w}", col[x] * col[w]), (z, col[z]),
                 (f"{x}:{z}", col[x] * col[z]), (f"{w}:{z}", col[w] * col[z]),
                 (f"{x}:{w}:{z}", col[x] * col[w] * col[z])]
    parts += [(c, D[c].to_numpy(dtype=float)) for c in covs]
    terms = ["intercept", *(p[0] for p in parts)]
    X = np.column_stack([np.ones(n), *(p[1] for p in parts)])
    Y = D[y].to_numpy(dtype=float)
    fit = ols(X, Y, terms, y, func)
    top = terms[-1 - len(covs)]                              # the highest-order product
    jt = terms.index(top)
    reduced = ols(np.delete(X, jt, axis=1), Y, [t for t in terms if t != top], y, func)
    delta = fit.r_squared - reduced.r_squared
    f_change = delta / ((1 - fit.r_squared) / fit.df_resid)

    coef = fit.table(alpha).drop(columns="outcome")
    coef.insert(0, "effect", "coefficient")

    # conditional effects of x at the probe values (grid over w, and z in model 3)
    wv, wnotes = _probe_values(D[w].to_numpy(), probe, w_values, "w", func)
    jx, jxw = terms.index(x), terms.index(f"{x}:{w}")
    p = len(terms)
    if z is None:
        grid_w, grid_z, notes = wv, np.full(len(wv), np.nan), wnotes
    else:
        zv, znotes = _probe_values(D[z].to_numpy(), probe, z_values, "z", func)
        grid_z = np.repeat(zv, len(wv))
        grid_w = np.tile(wv, len(zv))
        notes = ["; ".join(s for s in (a, b) if s) for b in znotes for a in wnotes]
    Wm = np.zeros((len(grid_w), p))
    Wm[:, jx] = 1
    Wm[:, jxw] = grid_w - shift[w]
    if z is not None:
        zc = grid_z - shift[z]
        Wm[:, terms.index(f"{x}:{z}")] = zc
        Wm[:, terms.index(f"{x}:{w}:{z}")] = (grid_w - shift[w]) * zc
    slopes = pd.DataFrame({"effect": "conditional_effect", "term": x, "moderator_value": grid_w,
                           **({"moderator_value_2": grid_z} if z is not None else {}),
                           **fit.combination(Wm, alpha), "note": notes})
    rows = [coef, slopes]
    if z is not None:  # the x·w interaction at each z (PROCESS: "conditional X*W interaction")
        zv_u = np.unique(grid_z)
        Wc = np.zeros((len(zv_u), p))
        Wc[:, jxw] = 1
        Wc[:, terms.index(f"{x}:{w}:{z}")] = zv_u - shift[z]
        rows.append(pd.DataFrame({"effect": "conditional_interaction", "term": f"{x}:{w}",
                                  "moderator_value_2": zv_u, **fit.combination(Wc, alpha)}))
    # Johnson–Neyman (model 1): where the slope's p crosses alpha, within the observed w
    wo = D[w].to_numpy(dtype=float)
    jn: list[float] = []
    jn_table = pd.DataFrame()
    if z is None:
        jn = _jn(fit, jx, jxw, shift[w], float(wo.min()), float(wo.max()), alpha)
        pts = np.unique(np.concatenate([np.linspace(wo.min(), wo.max(), 21), jn]))
        Wj = np.zeros((len(pts), p))
        Wj[:, jx] = 1
        Wj[:, jxw] = pts - shift[w]
        jn_table = pd.DataFrame({"moderator_value": pts, **fit.combination(Wj, alpha)})
        jn_table["share_below"] = [(wo < v).mean() for v in pts]
        jn_table["share_above"] = [(wo > v).mean() for v in pts]
        if jn:
            Wb = np.zeros((len(jn), p))
            Wb[:, jx] = 1
            Wb[:, jxw] = np.asarray(jn) - shift[w]
            rows.append(pd.DataFrame({"effect": "jn_boundary", "term": x,
                                      "moderator_value": jn, **fit.combination(Wb, alpha)}))
    table = pd.concat(rows, ignore_index=True)
    table["note"] = table["note"].fillna("")
    first = ["effect", "term", "moderator_value", *(["moderator_value_2"] if z else [])]
    table = table[first + [c for c in table.columns if c not in first]]

    # predicted y for the interaction plot: x low/mean/high × probed moderator values
    xo = D[x].to_numpy(dtype=float)
    xs = (np.unique(xo).astype(float) if len(np.unique(xo)) == 2 else
          xo.mean() + np.array([-1.0, 0.0, 1.0]) * xo.std(ddof=1))
    cov_means = {c: float(D[c].mean()) for c in covs}
    pred_rows = []
    for wval, zval in zip(grid_w, grid_z):
        for xval in xs:
            vals = {x: xval - shift[x], w: wval - shift[w]}
            if z is not None:
                vals[z] = zval - shift[z]
            row = [1.0]
            for t in terms[1:]:
                row.append(np.prod([vals[v] for v in t.split(":")]) if t not in cov_means
                           else cov_means[t])
            pred_rows.append({"moderator_value": wval,
                              **({"moderator_value_2": zval} if z is not None else {}),
                              "x_value": xval, "estimate": float(np.dot(row, fit.coef))})
    predictions = pd.DataFrame(pred_rows)

    refs = tuple(getattr(ins, "refs", ()) or ()) if ins is not None else ()
    if instrument is not None and not refs:
        refs = tuple(getattr(instrument, "refs", ()) or ())
    inter = f"{x}c * {w}c" + (f" * {z}c" if z else "") if center else (
        f"{x} * {w}" + (f" * {z}" if z else ""))
    rhs = inter + "".join(f" + {c}" for c in covs)
    params = {"y": y, "x": x, "w": w, "z": z, "covariates": covs, "center": center,
              "probe": probe if isinstance(probe, str) else list(probe),
              "w_values": None if w_values is None else list(w_values),
              "z_values": None if z_values is None else list(z_values),
              "conf_level": conf_level}
    prov = make_provenance(func, params, {"z": None, "covariates": [], "center": True,
                                          "probe": [-1, 0, 1], "w_values": None,
                                          "z_values": None, "conf_level": 0.95},
                           instruments=refs,
                           r_equivalent=(f"summary(lm({y} ~ {rhs}))"
                                         + ("  # xc, wc: mean-centred" if center else "")))
    model = 1 if z is None else 3
    return Moderation(
        table=table, provenance=prov, model=model, y=y, x=x, w=w, z=z, center=center, n=n,
        n_dropped=n_drop, r_squared=fit.r_squared, f_statistic=fit.f_statistic,
        df1=float(fit.df1), df2=float(fit.df_resid), p_value=fit.f_p_value,
        interaction=float(fit.coef[jt]), interaction_se=float(np.sqrt(fit.cov[jt, jt])),
        interaction_p_value=float(coef["p_value"].iloc[jt]), delta_r_squared=float(delta),
        f_change=float(f_change), jn=tuple(jn), coefficients=coef.drop(columns="effect"),
        simple_slopes=slopes.drop(columns="effect"), jn_table=jn_table, predictions=predictions,
        title=f"Moderation (PROCESS model {model})")
