"""Mediation and conditional process models, numbered as Hayes' PROCESS (models 1, 3, 4, 6, 7, 8, 14).

Each model is a set of OLS equations; every coefficient equals ``summary(lm())`` of that
equation on the same complete rows. Indirect effects are products of coefficients; their
intervals come from the nonparametric bootstrap, computed without fitting a model per
resample: the ``n_boot × n`` resampled rows are drawn once (seeded), the cross-products of
every resample are one matrix product, and all equations of all resamples are solved as one
stack of small systems (:mod:`surveykit.analysis.regression._process`). Percentile and
bias-corrected limits are the order statistics PROCESS uses (:func:`._process.boot_ci`).

========  ===========================================================================
model     equations (covariates enter every equation)
========  ===========================================================================
4         ``m_j ~ x``; ``y ~ x + m_1 + … + m_k`` (parallel mediators; total ``y ~ x``)
6         ``m_1 ~ x``; ``m_2 ~ x + m_1``; …; ``y ~ x + m_1 + … + m_k`` (serial, 2–4)
7         ``m_j ~ x + w + x:w``; ``y ~ x + m_1 + … + m_k``
8         ``m_j ~ x + w + x:w``; ``y ~ x + w + x:w + m_1 + … + m_k``
14        ``m_j ~ x``; ``y ~ x + m_1 + … + m_k + w + m_1:w + … + m_k:w``
1, 3      moderation, see :func:`surveykit.moderation`
========  ===========================================================================
"""
from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ..._params import ALPHA_ALIAS, CONF_LEVEL, Boolean, ColumnName, Interval, Names, Options, validate_params
from ...errors import DataWarning, ParameterError
from ...result import Result, make_provenance
from ._process import (
    MIN_BOOT,
    BootCrossProducts,
    Fit,
    boot_ci,
    load_columns,
    ols,
    resample_counts,
    resample_indices,
)
from .moderation import PROBE, VALUES, Moderation, _probe_values, moderation

__all__ = ["Mediation", "mediation", "MODELS"]

#: PROCESS model numbers :func:`mediation` fits.
MODELS = (1, 3, 4, 6, 7, 8, 14)
_ARROW = " → "


@dataclass(frozen=True, kw_only=True, repr=False)
class Mediation(Result):
    """Result of :func:`mediation` (PROCESS models 4, 6, 7, 8, 14).

    ``table``: one row per effect — ``effect`` (``total``, ``direct``, ``conditional_direct``,
    ``indirect``, ``total_indirect``, ``std_indirect``, ``std_total_indirect``,
    ``conditional_indirect``, ``index_mm``), ``path`` (``x → m → y``), ``moderator_value``,
    ``estimate``; OLS rows (total, direct) with ``se``, ``statistic`` (t), ``df``,
    ``p_value`` and a t-based ``ci_low``/``ci_high``; bootstrap rows with ``boot_se`` (SD of
    the resampled estimates) and the bootstrap ``ci_low``/``ci_high`` (``ci`` method).

    ``paths``: every equation's coefficients (``outcome``, ``term``, ``estimate``, ``se``,
    ``statistic``, ``df``, ``p_value``, ``ci_low``, ``ci_high``) — the a, b, c′ (and c)
    paths; ``models``: each equation's R², F, df1, df2, p and n; ``boot_estimates``: the
    resampled value of every bootstrap row (one column per row of ``table``, in order).
    """

    model: int
    x: str
    y: str
    mediators: tuple[str, ...]
    moderator: str | None
    n: int
    n_dropped: int
    n_boot: int
    seed: int
    ci_method: str
    indirect: float | None
    ci_low: float | None
    ci_high: float | None
    std_indirect: float | None
    direct: float | None
    direct_p_value: float | None
    total: float | None
    total_p_value: float | None
    index_mm: float | None
    index_mm_ci_low: float | None
    index_mm_ci_high: float | None
    paths: pd.DataFrame
    models: pd.DataFrame
    boot_estimates: pd.DataFrame
    title: str = "Mediation (PROCESS model 4)"
    #: ``Mediation.ci`` (the interval method) is now ``ci_method``, as ``ReliabilityResult``'s
    _renamed = MappingProxyType({"ci": "ci_method"})

    #: PROCESS's headings for the report (``Report.add``): Effect, SE, BootSE, BootLLCI, BootULCI.
    report_labels = {
        "effect": {"zh": "效应类型", "en": "Effect type"},
        "path": {"zh": "路径", "en": "Path"},
        "moderator_value": {"zh": "调节变量取值", "en": "Moderator value"},
        "estimate": {"zh": "效应值", "en": "Effect"},
        "boot_se": {"zh": "Boot SE", "en": "BootSE"},
        "ci_low": {"zh": "Boot CI 下限", "en": "BootLLCI"},
        "ci_high": {"zh": "Boot CI 上限", "en": "BootULCI"},
    }

    @property
    def report_note(self) -> dict[str, str]:
        """What the interval columns mean, in the report's languages."""
        level = f"{100 * float(self.provenance.parameters.get('conf_level', 0.95)):g}"
        kind = {"percentile": ("百分位", "percentile"), "bc": ("偏差校正", "bias-corrected")}[self.ci_method]
        return {"zh": f"间接效应的 Boot SE 与 {level}% 置信区间来自 {self.n_boot} 次{kind[0]}"
                      f"自助法重抽样（种子 {self.seed}）；总效应与直接效应为 OLS 估计，"
                      f"列 SE、t、p 与基于 t 分布的置信区间。",
                "en": f"Indirect effects: BootSE and {level}% {kind[1]} bootstrap interval from "
                      f"{self.n_boot} resamples (seed {self.seed}); total and direct effects: OLS "
                      f"with SE, t, p and a t-based interval (LLCI, ULCI)."}

    def summary(self) -> str:
        med = ", ".join(self.mediators)
        lines = [f"{self.title}: {self.x} → [{med}] → {self.y}"
                 + (f", moderator {self.moderator}" if self.moderator else ""), "=" * 50,
                 f"n = {self.n}" + (f" ({self.n_dropped} rows dropped for missing values)"
                                    if self.n_dropped else "")
                 + f"; {self.n_boot} bootstrap resamples (seed {self.seed}), {self.ci_method} intervals"]
        if self.indirect is not None:
            lines.append(f"Indirect effect = {self.indirect:.4f} [{self.ci_low:.4f}, "
                         f"{self.ci_high:.4f}]")
        if self.index_mm is not None:
            lines.append(f"Index of moderated mediation = {self.index_mm:.4f} "
                         f"[{self.index_mm_ci_low:.4f}, {self.index_mm_ci_high:.4f}]")
        with pd.option_context("display.width", 180, "display.max_columns", 50):
            lines += ["", "Effects", self.table.to_string(index=False), "",
                      "Path coefficients", self.paths.to_string(index=False), "",
                      "Models", self.models.to_string(index=False)]
        return "\n".join(lines)


# ---------------------------------------------------------------------------- specification
@dataclass
class _Spec:
    """The equations of one model over the working columns, and its effects."""

    equations: list[tuple[str, list[str]]]               # (outcome, predictors) in order
    effects: list[tuple[str, str, float, Callable[[dict], Any]]]  # (effect, path, w, fn)
    std: list[int]                                       # effects also given standardised
    direct: list[tuple[str, str, float, np.ndarray]]     # OLS rows: (effect, path, w, weights)


def _spec(model: int, x: str, y: str, ms: list[str], w: str | None, covs: list[str],
          wvals: np.ndarray, wshift: float) -> _Spec:
    k = len(ms)
    eqs: list[tuple[str, list[str]]] = []
    effects: list[tuple[str, str, float, Callable[[dict], Any]]] = []
    std: list[int] = []
    if model in (4, 6):
        for j, m in enumerate(ms):
            eqs.append((m, [x, *(ms[:j] if model == 6 else []), *covs]))
        eqs.append((y, [x, *ms, *covs]))
        chains = ([(j,) for j in range(k)] if model == 4 else
                  [c for r in range(1, k + 1) for c in itertools.combinations(range(k), r)])
        for ch in chains:
            def fn(c: dict, ch: tuple[int, ...] = ch) -> Any:
                v = c[(ms[ch[0]], x)]
                for a, b in zip(ch, ch[1:]):
                    v = v * c[(ms[b], ms[a])]
                return v * c[(y, ms[ch[-1]])]
            effects.append(("indirect", _ARROW.join([x, *(ms[j] for j in ch), y]), np.nan, fn))
        if len(chains) > 1:
            fns = [e[3] for e in effects]
            effects.append(("total_indirect", _ARROW.join([x, "…", y]), np.nan,
                            lambda c, fns=fns: sum(f(c) for f in fns)))
        std = list(range(len(effects)))
        return _Spec(eqs, effects, std, [])
    # moderated mediation: w in the a paths (7, 8) or the b paths (14)
    xw, mw = f"{x}:{w}", {m: f"{m}:{w}" for m in ms}
    a_mod = model in (7, 8)
    for m in ms:
        eqs.append((m, [x, w, xw, *covs] if a_mod else [x, *covs]))
    ypred = [x, *([w, xw] if model == 8 else []), *ms,
             *([w, *mw.values()] if model == 14 else []), *covs]
    eqs.append((y, ypred))
    for m in ms:
        path = _ARROW.join([x, m, y])
        for wv in wvals:
            wc = wv - wshift
            if a_mod:
                def fn(c: dict, m: str = m, wc: float = wc) -> Any:
                    return (c[(m, x)] + c[(m, xw)] * wc) * c[(y, m)]
            else:
                def fn(c: dict, m: str = m, wc: float = wc) -> Any:
                    return c[(m, x)] * (c[(y, m)] + c[(y, mw[m])] * wc)
            effects.append(("conditional_indirect", path, float(wv), fn))
        if a_mod:
            effects.append(("index_mm", path, np.nan, lambda c, m=m: c[(m, xw)] * c[(y, m)]))
        else:
            effects.append(("index_mm", path, np.nan, lambda c, m=m: c[(m, x)] * c[(y, mw[m])]))
    direct = []
    if model == 8:
        p = len(ypred) + 1
        for wv in wvals:
            wt = np.zeros(p)
            wt[1 + ypred.index(x)] = 1
            wt[1 + ypred.index(xw)] = wv - wshift
            direct.append(("conditional_direct", _ARROW.join([x, y]), float(wv), wt))
    return _Spec(eqs, effects, [], direct)


# ---------------------------------------------------------------------------- public
@validate_params({
    "x": [ColumnName()], "y": [ColumnName()], "mediators": [Names(single=True)],
    "model": [Options(MODELS)], "moderator": [Names(single=True), None],
    "covariates": [Names(single=True)],
    "n_boot": [Interval(int, MIN_BOOT, None,
                        words=f"at least {MIN_BOOT} (an integer) for a bootstrap confidence "
                              f"interval; 5000 is usual")],
    "seed": [Interval(int, 0, None), None], "ci": [Options("percentile", "bc")],
    "conf_level": [CONF_LEVEL], "center": [Boolean()], "probe": PROBE, "w_values": VALUES,
}, renamed={"alpha": ALPHA_ALIAS})
def mediation(data: Any, x: str, y: str, mediators: Sequence[str] | str = (), *, model: int = 4,
              moderator: str | Sequence[str] | None = None, covariates: Sequence[str] | str = (),
              n_boot: int = 5000, seed: int | None = None, ci: str = "percentile",
              conf_level: float = 0.95, center: bool = False,
              probe: Sequence[float] | str = (-1, 0, 1),
              w_values: Sequence[float] | None = None,
              instrument: Any = None) -> Mediation | Moderation:
    """Mediation, moderated mediation and moderation as Hayes' PROCESS numbers them.

    Parameters
    ----------
    data : DataFrame or Responses
    x, y : str
        Predictor and outcome (numeric; a two-group ``x`` coded 0/1).
    mediators : str or list of str
        Model 4 and 7/8/14: one or more parallel mediators; model 6: 2–4 mediators in causal
        order (serial); models 1 and 3: none.
    model : {1, 3, 4, 6, 7, 8, 14}
        PROCESS model number (see the module docstring for each model's equations).
    moderator : str, or two names for model 3
        ``w`` of models 1, 7, 8, 14 (``(w, z)`` for model 3).
    covariates : str or list of str
        Numeric covariates, entered in every equation (PROCESS's default).
    n_boot : int
        Bootstrap resamples (at least 1,000; PROCESS's default and Hayes' advice is 5,000).
    seed : int, optional
        Seed of :func:`numpy.random.default_rng`, which draws the ``n_boot × n`` resampled row
        positions once; without one a seed is drawn and recorded (``result.seed``), so every
        result can be reproduced.
    ci : {"percentile", "bc"}
        Percentile (PROCESS's default) or bias-corrected bootstrap interval; both are the
        order statistics PROCESS takes (L-th and U-th smallest of the sorted resamples,
        ``L = round(B·α/2)``, ``U = ⌊B·(1 − α/2)⌋ + 1``; bias-corrected with
        ``z0 = Φ⁻¹(share of resamples below the estimate)``). In R: ``sort(b)[c(L, U)]``.
    conf_level : float
        Confidence level of the intervals (default 0.95, R's ``conf.level``); the old
        ``alpha=`` still works until surveykit 0.3, read as ``conf_level = 1 − alpha``.
    center : bool
        Mean-centre the variables that form products (x and w in models 7, 8; the mediators
        and w in 14) first (PROCESS ``center=1``; default False as in PROCESS). Conditional
        effects and the index do not change; they are given at moderator values in the
        moderator's own metric.
    probe, w_values
        Moderator values for conditional effects, as in :func:`surveykit.moderation`
        (default mean − 1 SD, mean, mean + 1 SD).
    instrument : Instrument, optional
        Recorded in the provenance.

    Returns
    -------
    Mediation (models 4–14) or Moderation (models 1 and 3)

    Notes
    -----
    R equivalent: ``lm()`` per equation refitted on the same resampled rows; PROCESS
    ``process(y, x, m, model = 4, boot = 5000)``.

    Examples
    --------
    >>> import numpy as np, pandas as pd, surveykit as sk
    >>> rng = np.random.default_rng(7)
    >>> d = pd.DataFrame({"x": rng.normal(size=300)})
    >>> d["m"] = 0.5 * d.x + rng.normal(size=300)
    >>> d["y"] = 0.4 * d.m + 0.1 * d.x + rng.normal(size=300)
    >>> res = sk.mediation(d, "x", "y", "m", n_boot=1000, seed=1)
    >>> round(res.indirect, 3), res.ci_low > 0
    (0.196, True)

    # R: a <- coef(lm(m ~ x, d))["x"]; b <- coef(lm(y ~ x + m, d))["m"]; a * b, and for each
    # resample i: d[idx[i, ], ] refitted with lm; sort(ab_boot)[c(L, U)]
    # PROCESS: process(data = d, y = "y", x = "x", m = "m", model = 4, boot = 1000, seed = 1)
    """
    func = "mediation"
    alpha = 1.0 - conf_level  # the significance level of the intervals
    meds = [mediators] if isinstance(mediators, str) else list(mediators or ())
    covs = [covariates] if isinstance(covariates, str) else list(covariates)
    mods = ([moderator] if isinstance(moderator, str) else
            list(moderator) if moderator is not None else [])
    need = {1: 1, 3: 2, 4: 0, 6: 0, 7: 1, 8: 1, 14: 1}[model]
    if len(mods) != need:
        what = {0: "no moderator", 1: "one moderator (w)", 2: "two moderators (w, z)"}[need]
        got = "none" if not mods else repr(moderator)
        raise ParameterError(f"The 'moderator' parameter of {func} must name {what} for model "
                             f"{model}. Got {got} instead.")
    if model in (1, 3):
        if meds:
            raise ParameterError(f"The 'mediators' parameter of {func} must be empty for model "
                                 f"{model} (moderation). Got {meds!r} instead.")
        return moderation(data, y, x, mods[0], z=mods[1] if model == 3 else None,
                          covariates=covs, center=center, probe=probe, w_values=w_values,
                          conf_level=conf_level, instrument=instrument)
    lo_k, hi_k = (2, 4) if model == 6 else (1, 10)
    if not lo_k <= len(meds) <= hi_k:
        raise ParameterError(f"The 'mediators' parameter of {func} must name {lo_k} to {hi_k} "
                             f"mediators for model {model}. Got {len(meds)} ({meds!r}) instead.")
    w = mods[0] if mods else None
    roles = [("predictor x", x), ("outcome y", y),
             *((f"mediator {i + 1}" if len(meds) > 1 else "mediator", m) for i, m in enumerate(meds)),
             *([("moderator w", w)] if w else []), *((f"covariate {c}", c) for c in covs)]
    D, n_drop, ins, _ = load_columns(data, roles, func)
    n = len(D)
    # working columns: products of (optionally centred) components, named x:w, m:w
    cent = set()
    if center and model in (7, 8):
        cent = {x, w}
    elif center and model == 14:
        cent = {*meds, w}
    Z = pd.DataFrame({c: D[c] - (D[c].mean() if c in cent else 0.0) for c in D.columns})
    wshift = float(D[w].mean()) if w and w in cent else 0.0
    wvals = np.array([])
    if w:
        wvals, _ = _probe_values(D[w].to_numpy(dtype=float), probe, w_values, "w", func)
        if model in (7, 8):
            Z[f"{x}:{w}"] = Z[x] * Z[w]
        else:
            for m in meds:
                Z[f"{m}:{w}"] = Z[m] * Z[w]
    spec = _spec(model, x, y, meds, w, covs, wvals, wshift)

    # point estimates: one OLS fit per equation (+ the total effect for models 4 and 6)
    fits: list[Fit] = []
    for out, preds in spec.equations:
        X = np.column_stack([np.ones(n), Z[preds].to_numpy(dtype=float)])
        fits.append(ols(X, Z[out].to_numpy(dtype=float), ["intercept", *preds], out, func))
    total_fit = None
    if model in (4, 6):
        X = np.column_stack([np.ones(n), Z[[x, *covs]].to_numpy(dtype=float)])
        total_fit = ols(X, Z[y].to_numpy(dtype=float), ["intercept", x, *covs], y, func)
    point: dict = {(f.outcome, t): f.coef[i] for f in fits for i, t in enumerate(f.terms)}

    # bootstrap: every resample's slopes of every equation at once
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2 ** 63))
    idx = resample_indices(n, n_boot, seed)
    bcp = BootCrossProducts(Z, resample_counts(idx, n))
    boot: dict = {}
    for out, preds in spec.equations:
        sl = bcp.slopes(out, preds)
        for j, t in enumerate(preds):
            boot[(out, t)] = sl[:, j]
    ok = ~bcp.degenerate
    if not ok.all():
        warnings.warn(f"{func}: {int((~ok).sum())} of {n_boot} bootstrap resamples had a "
                      f"variable without variation and were left out of the intervals.",
                      DataWarning, stacklevel=2)
    sd_x = Z[x].std(ddof=1)
    sd_y = Z[y].std(ddof=1)
    bsd = bcp.sd(x) / bcp.sd(y)
    est, bmat, rows = [], [], []
    for e, path, wv, fn in spec.effects:
        est.append(float(fn(point)))
        bmat.append(fn(boot))
        rows.append((e, path, wv))
    for i in spec.std:
        e, path, wv, fn = spec.effects[i]
        est.append(float(fn(point)) * sd_x / sd_y)
        bmat.append(fn(boot) * bsd)
        rows.append(("std_" + e, path, wv))
    E = np.asarray(est)
    Bm = np.column_stack(bmat)[ok]
    lo, hi = boot_ci(Bm, E, alpha, ci)
    boot_rows = pd.DataFrame({"effect": [r[0] for r in rows], "path": [r[1] for r in rows],
                              "moderator_value": [r[2] for r in rows], "estimate": E,
                              "boot_se": Bm.std(axis=0, ddof=1), "ci_low": lo, "ci_high": hi})
    ols_rows = []
    yfit = fits[-1]
    if total_fit is not None:
        c = total_fit.combination(np.eye(len(total_fit.terms))[1], alpha)
        ols_rows.append({"effect": "total", "path": _ARROW.join([x, y]), "moderator_value": np.nan,
                         **{k: float(v[0]) for k, v in c.items()}})
    if model != 8:
        c = yfit.combination(np.eye(len(yfit.terms))[yfit.index(x)], alpha)
        ols_rows.append({"effect": "direct", "path": _ARROW.join([x, y]), "moderator_value": np.nan,
                         **{k: float(v[0]) for k, v in c.items()}})
    for e, path, wv, wt in spec.direct:
        c = yfit.combination(wt, alpha)
        ols_rows.append({"effect": e, "path": path, "moderator_value": wv,
                         **{k: float(v[0]) for k, v in c.items()}})
    table = pd.concat([pd.DataFrame(ols_rows), boot_rows], ignore_index=True)
    table = table[["effect", "path", "moderator_value", "estimate", "se", "boot_se", "statistic",
                   "df", "p_value", "ci_low", "ci_high"]]
    paths = pd.concat([f.table(alpha) for f in [*([total_fit] if total_fit else []), *fits]],
                      ignore_index=True)
    paths.insert(0, "model", ["total" if (total_fit is not None and i < len(total_fit.terms))
                              else "process" for i in range(len(paths))])
    models = pd.DataFrame([f.summary_row() for f in [*([total_fit] if total_fit else []), *fits]])
    labels = [f"{e}: {p}" + ("" if np.isnan(v) else f" @ {v:g}") for e, p, v in rows]
    boot_estimates = pd.DataFrame(np.column_stack(bmat), columns=labels)

    def row(effect: str) -> pd.Series | None:
        sel = table[table["effect"] == effect]
        return sel.iloc[0] if len(sel) == 1 else None

    ind = row("total_indirect") if row("indirect") is None else row("indirect")
    if model in (4, 6) and len(meds) > 1:
        ind = row("total_indirect")
    std = row("std_total_indirect") if model in (4, 6) and len(meds) > 1 else row("std_indirect")
    dr, tot, imm = row("direct"), row("total"), row("index_mm")
    refs = tuple(getattr(ins, "refs", ()) or ()) if ins is not None else ()
    if instrument is not None and not refs:
        refs = tuple(getattr(instrument, "refs", ()) or ())
    eq_text = "; ".join(f"lm({o} ~ {' + '.join(p)})" for o, p in spec.equations)
    m_r = "c(" + ", ".join(f'"{m}"' for m in meds) + ")" if len(meds) > 1 else f'"{meds[0]}"'
    r_eq = (f"{eq_text}, refitted on the same resampled rows; PROCESS: process(y = \"{y}\", "
            f"x = \"{x}\", m = {m_r}" + (f", w = \"{w}\"" if w else "")
            + f", model = {model}, boot = {n_boot})")
    params = {"x": x, "y": y, "mediators": meds, "model": model, "moderator": w,
              "covariates": covs, "n_boot": n_boot, "seed": seed, "ci": ci, "conf_level": conf_level,
              "center": center, "probe": probe if isinstance(probe, str) else list(probe),
              "w_values": None if w_values is None else list(w_values)}
    prov = make_provenance(func, params, {"model": 4, "moderator": None, "covariates": [],
                                          "n_boot": 5000, "ci": "percentile", "conf_level": 0.95,
                                          "center": False, "probe": [-1, 0, 1],
                                          "w_values": None}, instruments=refs, r_equivalent=r_eq)

    def val(r: pd.Series | None, col: str) -> float | None:
        return None if r is None else float(r[col])

    kind = {4: "parallel mediation" if len(meds) > 1 else "simple mediation",
            6: "serial mediation", 7: "moderated mediation", 8: "moderated mediation",
            14: "moderated mediation"}[model]
    return Mediation(
        table=table, provenance=prov, model=model, x=x, y=y, mediators=tuple(meds),
        moderator=w, n=n, n_dropped=n_drop, n_boot=n_boot, seed=seed, ci_method=ci,
        indirect=val(ind, "estimate"), ci_low=val(ind, "ci_low"), ci_high=val(ind, "ci_high"),
        std_indirect=val(std, "estimate"), direct=val(dr, "estimate"),
        direct_p_value=val(dr, "p_value"), total=val(tot, "estimate"),
        total_p_value=val(tot, "p_value"), index_mm=val(imm, "estimate"),
        index_mm_ci_low=val(imm, "ci_low"), index_mm_ci_high=val(imm, "ci_high"),
        paths=paths, models=models, boot_estimates=boot_estimates,
        title=f"PROCESS model {model} ({kind})")
