"""Measurement invariance across groups: configural, metric, scalar (and strict) CFAs.

``surveykit.invariance(data, model, group)`` fits the same CFA in every group with
increasingly strict equality constraints (lavaan's ``group.equal``):

==========  ===========================================  =============================
level       equal across groups                          lavaan
==========  ===========================================  =============================
configural  nothing (same pattern)                       ``cfa(model, data, group=g)``
metric      loadings                                     ``group.equal="loadings"``
scalar      loadings, intercepts (latent means free in   ``c("loadings","intercepts")``
            every group but the first)
strict      loadings, intercepts, residual variances     ``+ "residuals"``
==========  ===========================================  =============================

Ordinal items (``estimator="WLSMV"``/``"DWLS"``, ``ordered=``; Wu & Estabrook 2016,
*Psychometrika* 81, 1014–1045): configural, metric (loadings), thresholds (thresholds; the
scaling factors ``~*~`` and latent means free in groups 2+) and scalar (loadings and
thresholds), fitted by :mod:`.wls_groups`; the WLSMV difference is ``lavTestLRT``'s
``satorra.2000`` scaled-shifted test (:func:`~.wls_groups.satorra_2000`).

Each level is compared with the one before it: the χ² difference test (as
``lavaan::lavTestLRT`` for the standard ML test), ΔCFI, ΔRMSEA and ΔSRMR.

Verdict (stated cut-offs, Chen 2007, *Structural Equation Modeling* 14(3), 464–504):
a level is **supported** when, against the previous level, ``ΔCFI ≥ −0.010`` **and**
``ΔRMSEA ≤ 0.015`` (raw differences, not rounded) and the previous level was supported.
The χ² difference test is reported but not used for the verdict (it rejects trivial
differences in large samples).  The configural model's own fit is reported, not judged.
The cut-offs can be changed with ``delta_cfi`` and ``delta_rmsea``.

# R: lavaan::lavTestLRT(configural, metric, scalar); fitMeasures(fit, c("cfi","rmsea"))
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..._params import Boolean, ColumnName, Interval, Options, Subset, validate_params
from ...errors import ParameterError
from ...result import Result, make_provenance
from .cfa import (
    ESTIMATOR,
    MISSING,
    PARTIAL,
    CFAResult,
    _missing,
    check_estimator,
    check_estimator_missing,
    fit_prepared,
    prepare,
)

__all__ = ["invariance", "InvarianceResult", "LEVELS"]

#: level -> lavaan group.equal
LEVELS: dict[str, tuple[str, ...]] = {
    "configural": (),
    "metric": ("loadings",),
    "scalar": ("loadings", "intercepts"),
    "strict": ("loadings", "intercepts", "residuals"),
}

#: level -> lavaan group.equal for ordinal items (WLSMV / DWLS); two nested chains,
#: configural < metric < scalar and configural < thresholds < scalar (Wu & Estabrook 2016)
ORDINAL_LEVELS: dict[str, tuple[str, ...]] = {
    "configural": (),
    "metric": ("loadings",),
    "thresholds": ("thresholds",),
    "scalar": ("loadings", "thresholds"),
}

_DEFAULTS = {"levels": ("configural", "metric", "scalar"), "partial": (), "std_lv": False,
             "delta_cfi": -0.010, "delta_rmsea": 0.015, "missing": "listwise",
             "estimator": "ML", "ordered": None, "instrument": None}


@dataclass(frozen=True, kw_only=True, repr=False)
class InvarianceResult(Result):
    """Result of :func:`invariance`.

    ``table``: one row per level — ``term`` (level), ``equal``, ``statistic`` (χ²),
    ``df``, ``p_value``, ``cfi``, ``tli``, ``rmsea``, ``rmsea_ci_low``, ``rmsea_ci_high``,
    ``srmr``, ``delta_chisq``, ``delta_df``, ``delta_p_value`` (χ² difference test),
    ``delta_cfi``, ``delta_rmsea``, ``delta_srmr``, ``verdict`` (``"not converged"`` for a
    level whose fit did not converge: warned, never supported, and no level above it is).
    With MLR/MLM also ``chisq_scaled``, ``scaling_factor``, ``cfi_robust``,
    ``rmsea_robust`` and their differences ``delta_cfi_robust``, ``delta_rmsea_robust``
    (lavaan's ``cfi.robust``, ``rmsea.robust``); the verdict then reads the robust differences.
    ``highest_level`` is the strictest supported level (``"configural"`` if metric
    fails); ``models`` maps each level to its :class:`~surveykit.analysis.sem.cfa.CFAResult`.
    ``score_tests``: for every constrained level, the univariate score test of releasing
    each equality constraint (``lavTestScore(fit)$uni``), largest first within a level —
    the candidates for ``partial=``; columns ``level``, ``term``, ``group``, ``group_a``,
    ``statistic``, ``df``, ``p_value``.
    """

    highest_level: str
    score_tests: pd.DataFrame
    n: int
    n_groups: int
    delta_cfi_cutoff: float
    delta_rmsea_cutoff: float
    groups: tuple[str, ...] = ()
    models: Mapping[str, CFAResult]
    title: str = "Measurement invariance (ML)"

    def __post_init__(self) -> None:
        object.__setattr__(self, "models", MappingProxyType(dict(self.models)))

    def summary(self) -> str:
        sizes = next(iter(self.models.values())).n_per_group
        groups = ", ".join(f"{g} (n = {n})" for g, n in zip(self.groups, sizes))
        lines = [self.title, "=" * len(self.title), "",
                 f"  groups: {groups}",
                 f"  cut-offs (Chen 2007): delta CFI >= {self.delta_cfi_cutoff:.3f} and "
                 f"delta RMSEA <= {self.delta_rmsea_cutoff:.3f} against the previous level",
                 f"  highest level supported: {self.highest_level}", ""]
        cols = ["term", "statistic", "df", "p_value", "cfi", "rmsea", "srmr", "delta_chisq",
                "delta_df", "delta_p_value", "delta_cfi", "delta_rmsea", "verdict"]
        if "delta_cfi_scaled" in self.table:    # WLSMV: the verdict reads the scaled indices
            cols[cols.index("delta_cfi"):cols.index("verdict")] = ["delta_cfi_scaled",
                                                                   "delta_rmsea_scaled"]
        t = self.table[cols].rename(columns={"term": "level", "statistic": "chisq"})
        with pd.option_context("display.width", 160, "display.max_columns", 20):
            lines.append(t.to_string(index=False, na_rep="", float_format=lambda v: f"{v:.3f}"))
            top = self.score_tests[self.score_tests["p_value"] < 0.05]
            if not top.empty:
                lines += ["", "Constraints whose release improves fit (score test p < .05; "
                          "candidates for partial=):",
                          top.head(10).to_string(index=False,
                                                 float_format=lambda v: f"{v:.3f}")]
        return "\n".join(lines)


@validate_params({
    "model": [str], "group": [ColumnName()],
    "levels": [Subset(tuple(LEVELS) + ("thresholds",))],
    "partial": [PARTIAL], "std_lv": [Boolean()], "delta_cfi": [Interval(float, -1, 0)],
    "delta_rmsea": [Interval(float, 0, 1)], "missing": [Options(MISSING)],
    "estimator": [ESTIMATOR],
})
def invariance(data: Any, model: str, group: str, *,
               levels: Sequence[str] = ("configural", "metric", "scalar"),
               partial: Sequence[str] | str = (), std_lv: bool = False,
               delta_cfi: float = -0.010, delta_rmsea: float = 0.015,
               missing: str = "listwise", estimator: str = "ML", ordered: Any = None,
               instrument: Any = None) -> InvarianceResult:
    """Test configural, metric and scalar invariance of a CFA model across groups.

    Parameters
    ----------
    data : DataFrame or Responses
    model : str
        lavaan model syntax (see :func:`surveykit.cfa`).
    group : str
        Column defining the groups (e.g. the region ``PR01``).
    levels : sequence of str
        Increasing subset of ``("configural", "metric", "scalar", "strict")``.
    partial : sequence of str
        Parameters left free across groups at every level that would constrain them
        (lavaan's ``group.partial``), e.g. ``("x3 ~ 1",)`` for partial scalar invariance.
    std_lv : bool
        Identify factors by unit variances instead of marker loadings.
    delta_cfi, delta_rmsea : float
        Cut-offs: a level is supported when ΔCFI ≥ ``delta_cfi`` and ΔRMSEA ≤
        ``delta_rmsea`` (defaults −0.010 and 0.015, Chen 2007).
    missing : {"listwise", "ml"}
        Listwise deletion (default) or full-information ML (``"ml"``/``"fiml"``), as in
        :func:`surveykit.cfa`.
    estimator : {"ML", "MLR", "MLM", "WLSMV", "DWLS"}
        As in :func:`surveykit.cfa`. With MLR/MLM ``delta_chisq`` is the scaled difference
        of ``lavTestLRT`` (``method = "satorra.bentler.2001"``):
        ``(T₀ − T₁) / ((df₀ c₀ − df₁ c₁)/(df₀ − df₁))`` from the unscaled χ² and the scaling
        factors of the two levels. With WLSMV (needs ``ordered=``) it is ``lavTestLRT``'s
        ``method = "satorra.2000"`` scaled-shifted difference, with DWLS the plain one.
    ordered : sequence of str or True, optional
        Ordinal items, as lavaan's ``ordered=`` (``True``: every model item); needs
        ``estimator="WLSMV"`` or ``"DWLS"``. Levels for ordinal items (Wu & Estabrook
        2016): ``configural``, ``metric`` (loadings), ``thresholds`` (thresholds; scaling
        factors and latent means free in groups 2+), ``scalar`` (loadings and
        thresholds), as two nested chains configural → metric → scalar and configural →
        thresholds → scalar; ``strict`` does not exist for them (the residual variances
        are not parameters in the delta parameterization) and is refused, as is ``metric``
        with ``thresholds`` in one chain. The verdict reads the scaled ΔCFI/ΔRMSEA.
    instrument : Instrument, optional

    Returns
    -------
    InvarianceResult

    Notes
    -----
    R equivalent: ``lavaan::cfa(model, data, group = "g", group.equal = e)`` for e = none,
    "loadings", c("loadings", "intercepts"); ``lavaan::lavTestLRT(...)``.

    Examples
    --------
    >>> import numpy as np, pandas as pd, surveykit as sk
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(300, 2))
    >>> load = np.kron(np.eye(2), np.full((1, 3), 0.7))         # two factors, three items each
    >>> df = pd.DataFrame(f @ load + rng.normal(scale=0.6, size=(300, 6)),
    ...                   columns=[f"x{i}" for i in range(1, 7)])
    >>> df["g"] = np.repeat(["a", "b"], 150)
    >>> res = sk.invariance(df, "f1 =~ x1 + x2 + x3\\nf2 =~ x4 + x5 + x6", "g")
    >>> res.highest_level
    'scalar'
    """
    func = "invariance"
    estimator = check_estimator(func, estimator, ordered)
    missing = _missing(missing)
    check_estimator_missing(func, estimator, missing)
    ordinal = estimator in ("WLSMV", "DWLS")
    lv = _check_levels(levels, ordinal)
    table_of = ORDINAL_LEVELS if ordinal else LEVELS
    if ordinal and missing != "listwise":
        raise ParameterError(f"The 'missing' parameter of invariance must be 'listwise' with "
                             f"estimator={estimator!r}. Got {missing!r} instead; rows with a "
                             f"missing item are dropped (lavaan's default for WLSMV).")
    prep = prepare(data, model, group, func, instrument, missing)
    if len(prep.stats) < 2:
        raise ParameterError(f"The 'group' parameter of invariance must name a column with at "
                             f"least two groups. Got {group!r} with one group "
                             f"({prep.groups[0]!r}) instead.")
    part = (partial,) if isinstance(partial, str) else tuple(partial or ())
    fits: dict[str, CFAResult] = {}
    states: dict[str, Any] = {}
    for lvl in lv:
        if ordinal:
            from .cfa import _DEFAULTS as cfa_defaults
            from .cfa import r_call
            from .cfa_ordinal import grouped_cfa

            kw, out = grouped_cfa(data, model, ordered=ordered, estimator=estimator,
                                  group=group, equal=table_of[lvl], partial=part,
                                  std_lv=std_lv, instrument=instrument,
                                  defaults=cfa_defaults, r_call=r_call, func=func, prep=prep)
            fits[lvl] = CFAResult(**kw)
            states[lvl] = out["state"]
            continue
        fits[lvl] = fit_prepared(prep, model, group=group, equal=LEVELS[lvl], std_lv=std_lv,
                                 partial=part,
                                 params={"model": model, "group": group, "equal": LEVELS[lvl],
                                         "partial": part,
                                         "estimator": estimator, "missing": missing,
                                         "std_lv": std_lv, "instrument": instrument},
                                 estimator=estimator)
    rows = []
    prev: CFAResult | None = None
    prev_lvl = ""
    chain_ok = True
    highest = lv[0]
    for lvl, r in fits.items():
        row = {"term": lvl, "equal": ", ".join(table_of[lvl]) or "none",
               "statistic": r.chisq, "df": r.df, "p_value": r.p_value, "cfi": r.cfi,
               "tli": r.tli, "rmsea": r.rmsea, "rmsea_ci_low": r.rmsea_ci_low,
               "rmsea_ci_high": r.rmsea_ci_high, "srmr": r.srmr}
        robust = r.cfi_robust is not None
        if robust:
            row.update(chisq_scaled=r.chisq_scaled, scaling_factor=r.scaling_factor,
                       cfi_robust=r.cfi_robust, rmsea_robust=r.rmsea_robust)
        if ordinal and robust:
            row.update(shift_parameter=r.shift_parameter, cfi_scaled=r.cfi_scaled,
                       rmsea_scaled=r.rmsea_scaled)
        if prev is None:
            row.update(delta_chisq=np.nan, delta_df=np.nan, delta_p_value=np.nan,
                       delta_cfi=np.nan, delta_rmsea=np.nan, delta_srmr=np.nan,
                       verdict="baseline" if r.converged else "baseline: not converged")
            chain_ok = r.converged
            if robust:
                row.update(delta_cfi_robust=np.nan, delta_rmsea_robust=np.nan)
            if ordinal and robust:
                row.update(delta_cfi_scaled=np.nan, delta_rmsea_scaled=np.nan)
        else:
            dchi = r.chisq - prev.chisq
            ddf = r.df - prev.df
            if ordinal:
                if estimator == "WLSMV" and ddf > 0:    # lavTestLRT: satorra.2000
                    from .wls_groups import satorra_2000

                    dchi, _ = satorra_2000(states[prev_lvl], states[lvl])
            elif r.scaling_factor is not None and ddf > 0:
                # lavTestLRT(method = "satorra.bentler.2001")
                cd = (r.df * r.scaling_factor - prev.df * prev.scaling_factor) / ddf
                dchi = dchi / cd
            dcfi = r.cfi - prev.cfi
            drm = r.rmsea - prev.rmsea
            if ordinal and robust:  # WLSMV: judge by the scaled CFI and RMSEA (lavaan's
                # robust ones are NA once thresholds are equal)
                dcfi_r = r.cfi_robust - prev.cfi_robust
                drm_r = r.rmsea_robust - prev.rmsea_robust
                dcfi_s = r.cfi_scaled - prev.cfi_scaled
                drm_s = r.rmsea_scaled - prev.rmsea_scaled
                row.update(delta_cfi_robust=dcfi_r, delta_rmsea_robust=drm_r,
                           delta_cfi_scaled=dcfi_s, delta_rmsea_scaled=drm_s)
                ok = bool(dcfi_s >= delta_cfi and drm_s <= delta_rmsea) and r.converged
            elif robust:      # MLR/MLM: judge by lavaan's robust CFI and RMSEA
                dcfi_r = r.cfi_robust - prev.cfi_robust
                drm_r = r.rmsea_robust - prev.rmsea_robust
                row.update(delta_cfi_robust=dcfi_r, delta_rmsea_robust=drm_r)
                ok = bool(dcfi_r >= delta_cfi and drm_r <= delta_rmsea) and r.converged
            else:
                ok = bool(dcfi >= delta_cfi and drm <= delta_rmsea) and r.converged
            if not r.converged:     # warned by the fit; its numbers are not a result
                verdict = "not converged"
            elif ok and chain_ok:
                verdict = "supported"
                highest = lvl
            elif ok:
                verdict = "not supported (a lower level failed)"
            else:
                verdict = "not supported"
            chain_ok = chain_ok and ok
            row.update(delta_chisq=dchi, delta_df=float(ddf),
                       delta_p_value=float(stats.chi2.sf(dchi, ddf)) if ddf > 0 else np.nan,
                       delta_cfi=dcfi, delta_rmsea=drm, delta_srmr=r.srmr - prev.srmr,
                       verdict=verdict)
        rows.append(row)
        prev = r
        prev_lvl = lvl
    table = pd.DataFrame(rows)
    params = {"model": model, "group": group, "levels": tuple(lv), "partial": part,
              "std_lv": std_lv,
              "delta_cfi": delta_cfi, "delta_rmsea": delta_rmsea, "missing": missing,
              "estimator": estimator, "ordered": ordered if ordered is not True else True,
              "instrument": instrument}
    gp = (", group.partial=c(" + ", ".join(f'"{e}"' for e in part) + ")") if part else ""
    est = f', estimator="{estimator}"' if estimator != "ML" else ""
    if ordinal:
        items = fits[lv[0]].provenance.parameters.get("ordered", ())
        est += ", ordered=c(" + ", ".join(f'"{o}"' for o in items) + ")"
    r_eq = (f'lavaan::lavTestLRT({", ".join(lv)}) with each level = lavaan::cfa(model, data, '
            f'group="{group}", group.equal=...{gp}{est})')
    prov = make_provenance("invariance", params, _DEFAULTS, instruments=prep.instruments,
                           r_equivalent=r_eq)
    first = next(iter(fits.values()))
    parts = []
    for lvl, r in fits.items():
        if not r.score_tests.empty:
            st = r.score_tests.sort_values("statistic", ascending=False, kind="stable")
            parts.append(st.assign(level=lvl))
    cols = ["level", "term", "group", "group_a", "statistic", "df", "p_value"]
    scores = (pd.concat(parts, ignore_index=True)[cols] if parts
              else pd.DataFrame(columns=cols))
    return InvarianceResult(table=table, provenance=prov, highest_level=highest,
                            score_tests=scores, n=first.n,
                            n_groups=first.n_groups, delta_cfi_cutoff=float(delta_cfi),
                            delta_rmsea_cutoff=float(delta_rmsea), groups=first.groups,
                            models=fits, title=(f"Measurement invariance ({estimator}, "
                                                f"ordinal items)" if ordinal else
                                                f"Measurement invariance ({estimator})"))


def _check_levels(levels: Any, ordinal: bool) -> list[str]:
    """The levels as a nested chain (see :data:`LEVELS` and :data:`ORDINAL_LEVELS`)."""
    lv = [levels] if isinstance(levels, str) else list(levels)
    if ordinal and "strict" in lv:
        raise ParameterError(
            "The 'levels' parameter of invariance must not contain 'strict' with ordinal "
            "items. Got " + repr(tuple(lv)) + " instead; in lavaan's delta parameterization "
            "the residual variances are not parameters, so there is no strict level. Use "
            "levels=('configural', 'metric', 'scalar').")
    if not ordinal and "thresholds" in lv:
        raise ParameterError(
            "The 'levels' parameter of invariance may contain 'thresholds' only with ordinal "
            "items (estimator='WLSMV' or 'DWLS' and ordered=). Got " + repr(tuple(lv)) +
            " instead; continuous items have intercepts: use 'scalar'.")
    chains = ([["configural", "metric", "scalar"], ["configural", "thresholds", "scalar"]]
              if ordinal else [list(LEVELS)])
    ok = len(lv) >= 2 and any(all(v in c for v in lv) and lv == sorted(set(lv), key=c.index)
                              for c in chains)
    if not ok:
        order = " or ".join(str(tuple(c)) for c in chains)
        extra = (" ('metric' and 'thresholds' are not nested in each other: compare each "
                 "with 'configural' and 'scalar')" if ordinal and "metric" in lv
                 and "thresholds" in lv else "")
        raise ParameterError(f"The 'levels' parameter of invariance must be at least two "
                             f"distinct levels in increasing order of {order}. Got "
                             f"{tuple(lv)!r} instead{extra}.")
    return lv
