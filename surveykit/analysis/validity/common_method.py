"""Common-method bias: Harman's single-factor test, the single-factor CFA and the ULMC model.

On the complete rows of the items (``x <- na.omit(x)``; dropped rows are counted in one
warning), equal to R:

* Harman by principal components (as SPSS users run it): the first unrotated component's share
  of the total variance, λ₁ / p of the correlation matrix —
  ``psych::principal(x, nfactors = 1, rotate = "none")$Vaccounted["Proportion Var", 1]``;
* Harman by factor analysis: ``psych::fa(x, nfactors = 1, rotate = "none")`` (``fm =
  "minres"``), share = SS loadings / p;
* the single-factor CFA (one factor, every item) against the measurement model (one factor per
  scale, from the instrument or ``model=``): χ², df, CFI, RMSEA of both (``lavaan::cfa``,
  ``fitMeasures``), Δχ², Δdf and p (``lavTestLRT``), ΔCFI;
* the unmeasured latent method construct (ULMC; Podsakoff et al. 2003): the measurement model
  plus ``method =~`` every item (all loadings free, ``method ~~ 1*method``), orthogonal to
  every trait (``method ~~ 0*trait``), its fit and
  Δχ² / ΔCFI against the measurement model, and the method factor's share of the item variance
  (mean squared ``std.all`` method loading).

The single-factor model can have several local optima when the traits correlate weakly (the
one factor may align with any trait); the fit starts from lavaan's default values and takes the
solution the optimiser reaches, which lavaan may not (its answer then depends on the marker item).

ΔCFI is always the comparison model's CFI minus the measurement model's (negative when the
single factor fits worse, positive when the method factor improves fit). The conventional
cut-offs (40 % for Harman's first factor; a ΔCFI beyond .01) are reported as cut-offs next to
the numbers, not as a verdict on whether method bias is present.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np
import pandas as pd
from scipy import stats

from ..._params import Names, validate_params
from ...errors import AnalysisError, DataWarning, ParameterError
from ...result import Result, make_provenance
from ..factor.extraction import extract
from ..inputs import complete_rows, resolve_items, warn_data
from ..sem.cfa import CFAResult, cfa
from ..sem.partable import build_partable
from ..sem.syntax import parse_model

__all__ = ["CommonMethodBias", "common_method_bias", "HARMAN_CUTOFF", "DELTA_CFI_CUTOFF"]

#: Harman's conventional cut-off: a first factor above 40 % of the variance (Podsakoff et al. 2003)
HARMAN_CUTOFF = 0.40
#: The conventional ΔCFI cut-off between nested models (Cheung & Rensvold 2002)
DELTA_CFI_CUTOFF = 0.01


@dataclass(frozen=True, kw_only=True, repr=False)
class CommonMethodBias(Result):
    """Result of :func:`common_method_bias`.

    ``table``: one row per test (``term``): ``harman_pca`` and ``harman_fa`` (``estimate`` =
    the first factor's share of the variance, ``cutoff`` .40), ``measurement``,
    ``single_factor`` and ``ulmc`` (the CFA fits: ``statistic`` = χ², ``df``, ``p_value``,
    ``cfi``, ``rmsea``; the two comparisons with ``delta_chisq``, ``delta_df``,
    ``delta_p_value``, ``delta_cfi`` against the measurement model and ``cutoff`` .01 for
    ΔCFI), and ``method_variance`` (``estimate`` = mean squared standardised method loading).
    ``method`` says how each number was computed (the R call), ``note`` what it is, ``n`` the
    complete rows.

    ``model_syntax``: the lavaan syntax of the three models (``"measurement"``,
    ``"single_factor"``, ``"ulmc"``). ``loadings``: per item the first principal component's and the one-factor minres
    loadings (``pca``, ``fa``); ``method_loadings``: per item the ULMC method factor's
    ``estimate`` and ``std_estimate``; ``models``: the three :class:`CFAResult` fits
    (``"measurement"``, ``"single_factor"``, ``"ulmc"``).

    When the ULMC model cannot be fitted (its method factor is often only weakly identified)
    ``ulmc_converged`` is False, a :class:`~surveykit.DataWarning` says why, its ``ulmc_*``
    fields and rows are NaN and ``models`` has no ``"ulmc"``; Harman's test and the
    single-factor comparison are still reported.
    """

    items: tuple[str, ...]
    n: int
    n_dropped: int
    n_items: int
    first_eigenvalue: float
    harman_pca_share: float
    harman_fa_share: float
    harman_cutoff: float
    single_delta_chisq: float
    single_delta_df: int
    single_delta_p_value: float
    single_delta_cfi: float
    ulmc_delta_chisq: float
    ulmc_delta_df: int
    ulmc_delta_p_value: float
    ulmc_delta_cfi: float
    method_variance: float
    ulmc_converged: bool
    delta_cfi_cutoff: float
    model_syntax: Mapping[str, str]
    loadings: pd.DataFrame
    method_loadings: pd.DataFrame
    models: Mapping[str, CFAResult]
    title: str = "Common-method bias"

    def __post_init__(self) -> None:
        object.__setattr__(self, "models", MappingProxyType(dict(self.models)))
        object.__setattr__(self, "model_syntax", MappingProxyType(dict(self.model_syntax)))

    def summary(self) -> str:
        fit = {k: f"χ²({r.df}) = {r.chisq:.2f}, CFI = {r.cfi:.3f}, RMSEA = {r.rmsea:.3f}"
               for k, r in self.models.items()}
        ulmc = (
            f"  ULMC (measurement model + an orthogonal method factor on every item): "
            f"{fit['ulmc']}; Δχ²({self.ulmc_delta_df}) = {self.ulmc_delta_chisq:.2f}, p = "
            f"{self.ulmc_delta_p_value:.4g}, ΔCFI = {self.ulmc_delta_cfi:+.3f} (conventional "
            f"cut-off {self.delta_cfi_cutoff:.2f}); the method factor accounts for "
            f"{self.method_variance:.1%} of the item variance on average."
            + (" The ULMC solution is improper (a negative variance, as lavaan's solution): "
               "read it with caution." if not self.models["ulmc"].admissible else "")
            if self.ulmc_converged else
            "  ULMC (measurement model + an orthogonal method factor on every item): the model "
            "could not be fitted, so no ULMC comparison is reported.")
        lines = [
            f"{self.title}: {self.n_items} items, n = {self.n}"
            + (f" ({self.n_dropped} incomplete rows dropped)" if self.n_dropped else ""), "=" * 50,
            "What was tested:",
            f"  Harman's single-factor test, principal components: the first unrotated component "
            f"holds {self.harman_pca_share:.1%} of the total variance (eigenvalue "
            f"{self.first_eigenvalue:.3f}); conventional cut-off {self.harman_cutoff:.0%}.",
            f"  Harman's single-factor test, one-factor minres (psych::fa): "
            f"{self.harman_fa_share:.1%}; conventional cut-off {self.harman_cutoff:.0%}.",
            f"  Measurement model: {fit['measurement']}.",
            f"  Single-factor CFA: {fit['single_factor']}; against the measurement model "
            f"Δχ²({self.single_delta_df}) = {self.single_delta_chisq:.2f}, p = "
            f"{self.single_delta_p_value:.4g}, ΔCFI = {self.single_delta_cfi:+.3f}.",
            ulmc,
            "The cut-offs are conventions for reading these numbers, not a test of whether "
            "common-method variance is present; Harman's test in particular detects only a "
            "dominant general factor (Podsakoff et al. 2003).", ""]
        with pd.option_context("display.width", 200, "display.max_columns", 50):
            lines.append(self.table.drop(columns=["method", "note"]).to_string(index=False))
        return "\n".join(lines)


def _free_name(base: str, taken: set[str]) -> str:
    name = base
    while name in taken:
        name = f"{name}_factor"
    return name


def _model_from_instrument(ins: Any, items: tuple[str, ...], func: str) -> str:
    """One factor per leaf scale of the instrument holding the items (in the items' order)."""
    if ins is None:
        raise ParameterError(
            f"The 'model' parameter of {func} must be given when no instrument defines the "
            f"scales of the items. Got None instead; pass model='A =~ a1 + a2 + a3\\nB =~ ...' "
            f"(lavaan syntax) or instrument=.")
    scale_of: dict[str, str] = {}
    for sid in ins.scale_ids:
        if list(ins.subscales(sid)):
            continue
        for it in ins.scale(sid).items:
            if it in items:
                scale_of.setdefault(it, sid)
    lost = [it for it in items if it not in scale_of]
    if lost:
        raise ParameterError(
            f"The 'model' parameter of {func} must be given when items belong to no scale of "
            f"the instrument. Got None instead, and {', '.join(lost)} "
            f"{'is' if len(lost) == 1 else 'are'} in no scale; pass model= (lavaan syntax) or "
            f"drop {'it' if len(lost) == 1 else 'them'}.")
    by_scale: dict[str, list[str]] = {}
    for it in items:
        by_scale.setdefault(scale_of[it], []).append(it)
    single = [f"{s} ({v[0]})" for s, v in by_scale.items() if len(v) < 2]
    if single:
        raise AnalysisError(
            f"{func}: scale {single[0]} has only one of the items; a factor of the measurement "
            f"model needs at least two. Add the scale's other items or drop it.")
    return "\n".join(f"{s} =~ " + " + ".join(v) for s, v in by_scale.items())


def _fit(X: pd.DataFrame, model: str, what: str, func: str) -> CFAResult:
    try:
        return cfa(X, model)
    except AnalysisError as e:
        raise AnalysisError(f"{func}: the {what} could not be fitted: {e}") from None


def _fit_ulmc(X: pd.DataFrame, model: str) -> tuple[CFAResult | None, str, list[str]]:
    """The ULMC fit (None when it fails or does not converge, with why) and the DataWarnings
    of an improper solution, to be said in common_method_bias's words."""
    ulmc: CFAResult | None = None
    why = ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            ulmc = cfa(X, model)
        except AnalysisError as e:
            why = str(e)
    notes = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
    for w in caught:
        if not issubclass(w.category, DataWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if ulmc is not None and not ulmc.converged:
        why = next((n for n in notes if "did not converge" in n), "cfa did not converge")
        return None, why, []
    return ulmc, why, notes


def _compare(res: CFAResult, meas: CFAResult) -> tuple[float, int, float, float]:
    d = res.chisq - meas.chisq
    ddf = res.df - meas.df
    if ddf < 0:
        d, ddf = -d, -ddf
    p = float(stats.chi2.sf(d, ddf)) if ddf > 0 else float("nan")
    return float(d), int(ddf), p, float(res.cfi - meas.cfi)


@validate_params({"items": [Names(single=True), None], "model": [str, None]})
def common_method_bias(data: Any, items: list[str] | str | None = None, *,
                       instrument: Any = None, model: str | None = None) -> CommonMethodBias:
    """Common-method bias checks: Harman's single-factor test (two ways), the single-factor
    CFA and the unmeasured latent method construct (ULMC).

    Parameters
    ----------
    data : DataFrame or Responses
    items : list of str, optional
        The items of all the scales measured with the same method (a leading ``-`` reverse
        keys one). Default: the observed variables of ``model``.
    instrument : Instrument, optional
        Defines the measurement model when ``model`` is not given: one factor per scale
        holding the items (the Responses' instrument is used when ``data`` is one).
    model : str, optional
        The measurement model in lavaan syntax (one factor per trait); overrides the
        instrument's scales.

    Returns
    -------
    CommonMethodBias

    Raises
    ------
    ParameterError
        Neither ``model`` nor an instrument with the items' scales; items and model
        disagree.
    AnalysisError
        A measurement model with one factor, a scale with one item, fewer than three items, a
        measurement or single-factor model that cannot be fitted (named). A ULMC model that
        cannot be fitted (does not converge) is a warning (see :class:`CommonMethodBias`); an
        improper ULMC solution (a negative variance) is fitted as lavaan fits it and warned
        about, and its table row's ``note`` says so.

    Examples
    --------
    >>> import numpy as np, pandas as pd, surveykit as sk
    >>> rng = np.random.default_rng(2)
    >>> t = rng.multivariate_normal(np.zeros(3), [[1, .4, .3], [.4, 1, .4], [.3, .4, 1]], 400)
    >>> m = rng.normal(size=400)                       # a method factor, loadings .1 to .6
    >>> lm = np.linspace(0.1, 0.6, 9)[[4, 0, 8, 2, 6, 1, 7, 3, 5]]
    >>> df = pd.DataFrame({f"{s}{j}": 0.7 * t[:, k] + lm[3 * k + j - 1] * m
    ...                    + rng.normal(0, 0.6, 400) for k, s in enumerate("ABC") for j in (1, 2, 3)})
    >>> res = sk.common_method_bias(df, model="A =~ A1 + A2 + A3\\nB =~ B1 + B2 + B3\\nC =~ C1 + C2 + C3")
    >>> round(res.harman_pca_share, 3), round(res.harman_fa_share, 3)
    (0.481, 0.418)
    >>> round(res.single_delta_chisq, 1), res.single_delta_df, round(res.ulmc_delta_cfi, 3)
    (499.7, 3, 0.009)
    >>> round(res.method_variance, 3)
    0.302


    Notes
    -----
    R equivalent: ``psych::principal(x, nfactors = 1, rotate = "none")$Vaccounted``,
    ``psych::fa(x, nfactors = 1, rotate = "none")$Vaccounted``, ``lavaan::cfa`` of the
    measurement, single-factor and ULMC models with ``lavaan::lavTestLRT``::

        m <- lavaan::cfa(meas, x); s <- lavaan::cfa("g =~ A1 + ... + B3", x)
        u <- lavaan::cfa(paste(meas, "method =~ NA*A1 + A2 + ... + B3", "method ~~ 1*method",
                               "method ~~ 0*A", "method ~~ 0*B", sep = "\\n"), x)
        lavaan::lavTestLRT(m, s); lavaan::lavTestLRT(u, m); fitMeasures(u, c("cfi", "rmsea"))
    """
    func = "common_method_bias"
    model_ov: list[str] | None = None
    if model is not None:
        model_ov = build_partable(parse_model(model)).ov
    if items is None and model_ov is None:
        raise ParameterError(f"The 'items' parameter of {func} must be given when 'model' is "
                             f"not. Got None for both; pass items= (with an instrument) or "
                             f"model= (lavaan syntax).")
    its = resolve_items(data, items if items is not None else model_ov, instrument=instrument,
                        func=func, min_items=3)
    names = its.items
    if model_ov is not None and set(model_ov) != set(names):
        extra = sorted(set(names) - set(model_ov))
        absent = sorted(set(model_ov) - set(names))
        raise ParameterError(
            f"The 'items' parameter of {func} must name the observed variables of 'model'. Got "
            + "; ".join(s for s in (f"{', '.join(extra)} not in the model" if extra else "",
                                    f"{', '.join(absent)} of the model not in items"
                                    if absent else "") if s)
            + " instead; pass the same items or drop items= to use the model's.")
    meas_model = model if model is not None else _model_from_instrument(its.instrument, names,
                                                                        func)
    pt = build_partable(parse_model(meas_model))
    traits = list(pt.lv)
    if len(traits) < 2:
        raise AnalysisError(
            f"{func}: the measurement model has one factor ({traits[0] if traits else 'none'}), "
            f"so the single-factor model would be the same model. Common-method checks compare "
            f"two or more traits measured with one method; give the model one factor per scale.")
    X, n_drop = complete_rows(its.data, func, its.source)
    n, p = X.shape
    # Harman: principal components and one-factor minres on the correlation matrix
    R = np.corrcoef(X.to_numpy(dtype=float), rowvar=False)
    w, v = np.linalg.eigh(R)
    lam1 = float(w[-1])
    pc = v[:, -1] * np.sqrt(lam1)
    pc = pc if pc.sum() >= 0 else -pc
    L = extract(R, 1, "minres").loadings[:, 0]
    fa_share = float(np.sum(L * L) / p)
    pca_share = lam1 / p
    # CFAs: measurement, single factor, ULMC
    taken = set(traits) | set(names)
    g, mf = _free_name("harman", taken), _free_name("method", taken)
    single_model = f"{g} =~ " + " + ".join(names)
    # the method factor is identified by its variance (every loading free), the usual ULMC
    # specification; the same fit as lavaan's marker default, and it converges more reliably
    ulmc_model = (meas_model.rstrip() + f"\n{mf} =~ NA*{names[0]} + " + " + ".join(names[1:])
                  + f"\n{mf} ~~ 1*{mf}\n" + "\n".join(f"{mf} ~~ 0*{t}" for t in traits))
    meas = _fit(X, meas_model, "measurement model", func)
    single = _fit(X, single_model, "single-factor model", func)
    s_cmp = _compare(single, meas)
    ulmc, why, notes = _fit_ulmc(X, ulmc_model)
    if ulmc is None:
        warn_data(f"{func}: the ULMC model (measurement model + a method factor on every item) "
                  f"could not be fitted ({why}). Its method factor is often only weakly "
                  f"identified; the ULMC rows are left empty, Harman's test and the "
                  f"single-factor comparison stand. lavaan may still reach a solution (check it "
                  f"for negative variances): lavaan::cfa(result.model_syntax['ulmc'], x).")
    for note in notes:    # an improper solution: said once, in the words of this analysis
        warn_data(f"{func}: the ULMC model (measurement model + a method factor on every item) "
                  f"was fitted as lavaan fits it, but {note.removeprefix('cfa: ')}")
    improper = ulmc is not None and not ulmc.admissible
    if ulmc is not None:
        u_cmp = _compare(ulmc, meas)
        lt = ulmc.table
        ml = lt[(lt["op"] == "=~") & (lt["lhs"] == mf)]
        sign = -1.0 if ml["estimate"].sum() < 0 else 1.0     # a free factor's sign is arbitrary
        method_loadings = pd.DataFrame({"item": ml["rhs"].to_numpy(),
                                        "estimate": sign * ml["estimate"].to_numpy(float),
                                        "std_estimate": sign * ml["std_estimate"].to_numpy(float)})
        method_var = float(np.mean(method_loadings["std_estimate"].to_numpy() ** 2))
    else:
        u_cmp = (float("nan"), 0, float("nan"), float("nan"))
        method_loadings = pd.DataFrame({"item": list(names), "estimate": np.nan,
                                        "std_estimate": np.nan})
        method_var = float("nan")

    base = {"statistic": np.nan, "df": np.nan, "p_value": np.nan, "cfi": np.nan,
            "rmsea": np.nan, "delta_chisq": np.nan, "delta_df": np.nan, "delta_p_value": np.nan,
            "delta_cfi": np.nan, "n": n}

    def fit_row(term: str, res: CFAResult | None, cmp: tuple | None, how: str,
                note: str) -> dict:
        if res is None:
            return {**base, "term": term, "method": how, "estimate": np.nan, "cutoff": np.nan,
                    "note": "the model could not be fitted; " + note}
        row = {"term": term, "method": how, "estimate": np.nan, "cutoff": np.nan,
               "statistic": res.chisq, "df": float(res.df), "p_value": res.p_value,
               "cfi": res.cfi, "rmsea": res.rmsea, "delta_chisq": np.nan, "delta_df": np.nan,
               "delta_p_value": np.nan, "delta_cfi": np.nan, "n": n, "note": note}
        if cmp is not None:
            row.update(delta_chisq=cmp[0], delta_df=float(cmp[1]), delta_p_value=cmp[2],
                       delta_cfi=cmp[3], cutoff=DELTA_CFI_CUTOFF)
        return row

    rows = [
        {**base, "term": "harman_pca", "estimate": pca_share, "cutoff": HARMAN_CUTOFF,
         "method": 'psych::principal(x, nfactors = 1, rotate = "none")',
         "note": "share of the total variance on the first unrotated principal component "
                 "(eigenvalue / number of items); conventional cut-off 40 %"},
        {**base, "term": "harman_fa", "estimate": fa_share, "cutoff": HARMAN_CUTOFF,
         "method": 'psych::fa(x, nfactors = 1, rotate = "none", fm = "minres")',
         "note": "share of the total variance explained by one unrotated factor (SS loadings / "
                 "number of items); conventional cut-off 40 %"},
        fit_row("measurement", meas, None, "lavaan::cfa(measurement model)",
                f"one factor per trait ({', '.join(traits)})"),
        fit_row("single_factor", single, s_cmp, "lavaan::cfa; lavTestLRT(measurement, single)",
                "one factor for every item, against the measurement model; delta_cfi = CFI "
                "(single) - CFI (measurement), conventional cut-off .01"),
        fit_row("ulmc", ulmc, u_cmp, "lavaan::cfa; lavTestLRT(ulmc, measurement)",
                "measurement model + a method factor on every item, orthogonal to the traits; "
                "delta_cfi = CFI (ULMC) - CFI (measurement), conventional cut-off .01"
                + ("; improper solution (a negative variance, as lavaan's): read with caution"
                   if improper else "")),
        {**base, "term": "method_variance", "estimate": method_var, "cutoff": np.nan,
         "method": "mean(standardizedSolution(ulmc)$est.std[method loadings]^2)",
         "note": "mean share of item variance due to the method factor (squared standardised "
                 "method loadings)"},
    ]
    table = pd.DataFrame(rows)
    table = table[["term", "method", "estimate", "cutoff", "statistic", "df", "p_value", "cfi",
                   "rmsea", "delta_chisq", "delta_df", "delta_p_value", "delta_cfi", "n", "note"]]
    loadings = pd.DataFrame({"item": list(names), "pca": pc, "fa": L})
    refs = its.instruments
    prov = make_provenance(func, {"items": list(names), "model": model,
                                  "measurement_model": meas_model},
                           {"model": None}, instruments=refs,
                           r_equivalent=("psych::principal(x, 1, rotate = \"none\"); "
                                         "psych::fa(x, 1, rotate = \"none\"); "
                                         "lavTestLRT(cfa(meas, x), cfa(single, x)); "
                                         "lavTestLRT(cfa(ulmc, x), cfa(meas, x))"))
    return CommonMethodBias(
        table=table, provenance=prov, items=tuple(names), n=n, n_dropped=n_drop, n_items=p,
        first_eigenvalue=lam1, harman_pca_share=pca_share, harman_fa_share=fa_share,
        harman_cutoff=HARMAN_CUTOFF, single_delta_chisq=s_cmp[0], single_delta_df=s_cmp[1],
        single_delta_p_value=s_cmp[2], single_delta_cfi=s_cmp[3], ulmc_delta_chisq=u_cmp[0],
        ulmc_delta_df=u_cmp[1], ulmc_delta_p_value=u_cmp[2], ulmc_delta_cfi=u_cmp[3],
        method_variance=method_var, ulmc_converged=ulmc is not None,
        delta_cfi_cutoff=DELTA_CFI_CUTOFF,
        model_syntax={"measurement": meas_model, "single_factor": single_model,
                      "ulmc": ulmc_model},
        loadings=loadings, method_loadings=method_loadings,
        models={"measurement": meas, "single_factor": single,
                **({"ulmc": ulmc} if ulmc is not None else {})})
