"""The one kind of object every analysis returns.

Every public analysis (reliability, factor analysis, CFA, group comparisons,
agreement, ...) returns a frozen dataclass that subclasses :class:`Result`:

* typed headline fields a script reads directly (``res.alpha``, ``res.p_value``);
* ``.table`` — a tidy :class:`pandas.DataFrame`, one row per estimate, one value per
  cell, snake_case columns from one vocabulary (see :data:`TABLE_VOCABULARY`);
* ``.summary()`` — plain text; ``_repr_html_`` for notebooks;
* ``.provenance`` — what produced it (analysis, instrument id@version,
  parameters, defaults used, surveykit version).

Subclasses are declared as ``@dataclass(frozen=True, kw_only=True)`` and add their
own fields; they may override :meth:`Result.summary` or :attr:`Result.title`.
``repr()`` stays one short line of headline fields in every subclass (no
``repr=False`` needed: :meth:`Result.__init_subclass__` sees to it).
"""
from __future__ import annotations

import html
import warnings
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar, Mapping

import pandas as pd

from ._params import REMOVAL_RELEASE

__all__ = ["Result", "Provenance", "TABLE_VOCABULARY", "FIELD_VOCABULARY", "RETIRED_NAMES",
           "make_provenance"]

#: Column names shared across every ``.table`` (use these spellings; add, never rename).
TABLE_VOCABULARY = (
    "term", "item", "scale", "factor", "group", "group_a", "group_b", "code", "coder",
    "estimate", "se", "ci_low", "ci_high", "statistic", "df", "df1", "df2", "p_value",
    "p_adjusted", "effect_size", "effect_size_name", "n", "mean", "sd", "method", "note",
    # group comparisons, cross-tabs, correlations, regression
    "label", "median", "variable_a", "variable_b", "row", "column", "count", "expected",
    "residual", "std_residual", "std_estimate", "vif", "row_label", "column_label",
    # CFA parameter tables (lavaan's parameterEstimates / standardizedSolution names)
    "lhs", "op", "rhs", "free", "std_se", "std_statistic", "std_p_value",
    # measurement invariance: fit per level, differences to the previous level, verdict
    "equal", "cfi", "tli", "rmsea", "rmsea_ci_low", "rmsea_ci_high", "srmr",
    "delta_chisq", "delta_df", "delta_p_value", "delta_cfi", "delta_rmsea", "delta_srmr",
    "verdict",
    # ... with robust ML and with WLSMV (lavaan's scaled / robust fit indices)
    "chisq_scaled", "scaling_factor", "shift_parameter", "cfi_scaled", "rmsea_scaled",
    "cfi_robust", "rmsea_robust", "delta_cfi_scaled", "delta_rmsea_scaled",
    "delta_cfi_robust", "delta_rmsea_robust",
    # qualitative codings, agreement and the joint display (qual, mixed)
    "status", "start", "end", "new_start", "new_end", "n_candidates", "quote", "file", "line",
    "code_a", "code_b", "jaccard", "n_segments", "n_notes", "n_notes_group", "share_notes",
    "n_units", "n_coders", "n_positive", "n_negative", "construct", "construct_name",
    "comparison", "codes", "quotes", "integration", "integration_source", "integration_reason",
    "midpoint", "survey_direction", "case_direction",
    # moderation and mediation (PROCESS models)
    "effect", "path", "boot_se", "moderator_value", "moderator_value_2",
    # hierarchical regression (one coefficient table per step, stacked)
    "step",
    # conventional values a statistic is read against (aggregation, common-method bias)
    "cutoff",
    # descriptive tables (sample profile, Table 1)
    "item_label", "value", "percent", "valid_percent", "missing_reason", "alpha",
    # multiple response (multi-select questions)
    "percent_responses", "percent_cases",
    # score descriptives (describe_scores: psych::describe per scale)
    "n_items", "min_valid", "min", "max", "skew", "kurtosis",
)

#: Names of the typed fields of Results, beyond the column names above (a field may also be
#: any TABLE_VOCABULARY word). One name for one thing: ``p_value`` (never ``pvalue``),
#: ``n_dropped`` for rows an analysis leaves out (``n_excluded`` is what cleaning excludes),
#: ``n_boot`` for bootstrap resamples, ``n_sim`` for simulated data sets, ``y`` for the
#: outcome. Add new names here (and to docs/api.md "Names"); never respell an existing one.
FIELD_VOCABULARY = (
    # descriptive tables (describe_scales: the pairwise correlations of the scale scores)
    "correlations",
    # qualitative results: each code's name from the codebook, per language
    "code_names",
    # counts and sizes
    "n_items", "n_factors", "n_components", "n_groups", "n_dropped", "n_empty_rows", "n_min",
    "n_pairs", "n_per_group", "n_boot", "n_sim", "n_changed", "n_ok", "n_moved",
    "n_ambiguous", "n_not_found", "n_codes", "n_constructs", "n_confirm", "n_expand",
    "n_discord", "iterations", "n_obs",
    # what was analysed and how
    "y", "x", "test", "estimator", "rotation", "missing", "p_adjust", "correction", "ci_method",
    "level", "unit", "lang", "by", "coders", "items", "groups", "model", "reason", "fixed",
    "files_written", "a_ref", "b_ref", "scales", "crosswalk", "highest_level",
    # reliability
    "alpha", "std_alpha", "g6", "average_r", "median_r", "signal_noise", "ase",
    "omega_total", "omega_hierarchical", "omega_total_sl", "omega_limit", "ecv",
    "ordinal_alpha", "ordinal_omega", "split_half_max", "split_half_min", "split_half_mean",
    "lambda2", "schmid_leiman", "bootstrap",
    # factor analysis and SEM fit (lavaan's fitMeasures names, #11's SemResult fields)
    "overall", "loadings", "structure", "communalities", "uniquenesses", "factor_correlations",
    "variance", "eigenvalues", "chisq", "aic", "bic", "rms", "fit", "complexity", "fit_table",
    "chisq_scaled", "scaling_factor", "cfi_robust", "tli_robust", "rmsea_robust",
    "cfi_scaled", "tli_scaled", "rmsea_scaled", "estimates",
    "converged", "admissible",   # CFAResult/SemResult: optimiser converged; proper solution
    "fitted",   # CFAResult/SemResult: the fitted engine state (for modindices), not shown
    "htmt", "fornell_larcker", "score_tests", "models", "delta_cfi_cutoff",
    "delta_rmsea_cutoff",
    # group comparisons, cross-tabs, correlations, regression
    "effect_size_ci_low", "effect_size_ci_high", "descriptives", "assumptions", "posthoc",
    "cramers_v", "cramers_v_ci_low", "cramers_v_ci_high", "min_expected", "fisher_p_value",
    "odds_ratio", "counts", "matrix", "n_matrix", "r_squared", "adj_r_squared", "f_statistic",
    "sigma", "aliased", "before", "after", "n_zero", "exact", "conf_level",
    "blocks", "n_steps", "steps", "delta_r_squared", "f_change",
    # aggregation (ICC, rwg) and common-method bias
    "icc1", "icc2", "ms_between", "ms_within", "mean_group_size", "n_options", "null_variance",
    "rwg", "rwg_method", "rwg_mean", "rwg_median", "rwg_share", "cutoff",
    "first_eigenvalue", "harman_pca_share", "harman_fa_share", "harman_cutoff",
    "single_delta_chisq", "single_delta_df", "single_delta_p_value", "single_delta_cfi",
    "ulmc_delta_chisq", "ulmc_delta_df", "ulmc_delta_p_value", "ulmc_delta_cfi",
    "method_variance", "ulmc_converged", "model_syntax", "method_loadings",
    # qualitative and mixed
    "alpha_mean", "kappa_mean", "percent_agreement_mean", "n_segments", "n_units", "n_coders",
    # robust SEM fit (lavaan's .scaled measures with the package's p_value)
    "p_value_scaled", "shift_parameter",
    # moderation and mediation (PROCESS: Hayes 2022's words, snake_case)
    "w", "z", "center", "seed", "mediators", "moderator", "interaction", "interaction_se",
    "interaction_p_value", "delta_r_squared", "f_change", "jn", "jn_table", "coefficients",
    "simple_slopes", "predictions", "indirect", "std_indirect", "direct", "direct_p_value",
    "total", "total_p_value", "index_mm", "index_mm_ci_low", "index_mm_ci_high", "paths",
    "boot_estimates",
    # multiple response (multi-select questions)
    "n_valid", "n_missing", "n_none", "n_not_shown", "n_responses",
)

#: Retired spellings -> the vocabulary word that replaced them. No parameter, typed field or
#: ``.table`` column may use a retired spelling (the old names still read, with a
#: FutureWarning, until surveykit 0.3 — see ``Result._renamed``).
RETIRED_NAMES: Mapping[str, str] = MappingProxyType({
    "pvalue": "p_value", "pval": "p_value", "n_excluded": "n_dropped", "n_iter": "n_sim",
    "dv": "y", "col": "column", "columns": "items", "conf_int": "ci_low/ci_high",
    "pvalue_scaled": "p_value_scaled",
})


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("surveykit")
    except Exception:  # pragma: no cover - running from a source tree without install
        return "0+unknown"


@dataclass(frozen=True, kw_only=True)
class Provenance:
    """Where a result came from.

    Attributes
    ----------
    analysis : str
        Public function name, e.g. ``"reliability"``.
    instruments : tuple of str
        ``"id@version"`` of every instrument the input was scored with (may be empty).
    parameters : Mapping
        Every parameter value used, including defaults.
    defaults_used : tuple of str
        Names of the parameters the caller left at their default.
    surveykit_version : str
    r_equivalent : str
        The R call that gives the same numbers, e.g. ``"psych::alpha(x)"``.
    """

    analysis: str
    instruments: tuple[str, ...] = ()
    parameters: Mapping[str, Any] = field(default_factory=dict)
    defaults_used: tuple[str, ...] = ()
    surveykit_version: str = field(default_factory=_version)
    r_equivalent: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    def __reduce__(self) -> tuple:  # pickle / deepcopy (a mappingproxy cannot be pickled)
        from dataclasses import fields

        kw = {f.name: getattr(self, f.name) for f in fields(self)}
        kw["parameters"] = dict(self.parameters)
        return (_rebuild_provenance, (kw,))

    def as_dict(self) -> dict[str, Any]:
        return {
            "analysis": self.analysis,
            "instruments": list(self.instruments),
            "parameters": {k: _jsonable(v) for k, v in self.parameters.items()},
            "defaults_used": list(self.defaults_used),
            "surveykit_version": self.surveykit_version,
            "r_equivalent": self.r_equivalent,
        }


def _rebuild_provenance(kw: dict) -> Provenance:
    return Provenance(**kw)


def _jsonable(v: Any) -> Any:
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if isinstance(v, (list, tuple, set, frozenset)):
        return [_jsonable(x) for x in v]
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    return repr(v)


def make_provenance(analysis: str, params: Mapping[str, Any], defaults: Mapping[str, Any],
                    *, instruments: tuple[str, ...] = (), r_equivalent: str = "") -> Provenance:
    """Build a :class:`Provenance`, recording which parameters were left at their defaults.

    ``defaults`` maps parameter name to default value; a parameter counts as
    defaulted when its value equals (``==``/``is``) the default.
    """
    used = []
    for k, d in defaults.items():
        v = params.get(k, d)
        try:
            same = v is d or bool(v == d)
        except Exception:
            same = False
        if same:
            used.append(k)
    return Provenance(analysis=analysis, instruments=instruments, parameters=dict(params),
                      defaults_used=tuple(used), r_equivalent=r_equivalent)


@dataclass(frozen=True, kw_only=True)
class Result:
    """Base of every analysis result. See the module docstring for the contract."""

    table: pd.DataFrame
    provenance: Provenance

    #: Human title used by summary(), HTML and the report; subclasses override.
    title: str = "Result"

    #: Old field name -> new one, still readable (with a FutureWarning) for one release.
    _renamed: ClassVar[Mapping[str, str]] = MappingProxyType({})

    def __getattr__(self, name: str) -> Any:
        """Read a renamed field under its old name, with a FutureWarning naming the new one
        (only called when normal lookup fails, so fields cost nothing)."""
        new = type(self)._renamed.get(name)
        if new is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        warnings.warn(f"{type(self).__name__}.{name} is now called {new!r}; {name!r} will be "
                      f"removed in surveykit {REMOVAL_RELEASE}.", FutureWarning, stacklevel=2)
        return getattr(self, new)

    def summary(self) -> str:
        """Plain-text summary: title, headline fields and the table."""
        lines = [self.title, "=" * len(self.title)]
        for name, value in self.headline().items():
            lines.append(f"{name}: {_fmt(value)}")
        lines.append("")
        with pd.option_context("display.max_rows", 200, "display.max_columns", 50,
                               "display.width", 120):
            lines.append(self.table.to_string(index=False))
        return "\n".join(lines)

    def headline(self) -> dict[str, Any]:
        """The typed scalar fields (numbers, strings) of this result, in declaration order."""
        from dataclasses import fields

        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in ("table", "provenance", "title"):
                continue
            v = getattr(self, f.name)
            if isinstance(v, (int, float, str, bool)) or v is None:
                out[f.name] = v
        return out

    def _repr_html_(self) -> str:
        head = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(_fmt(v))}</td></tr>"
            for k, v in self.headline().items()
        )
        return (f"<div class='surveykit-result'><h4>{html.escape(self.title)}</h4>"
                f"<table>{head}</table>{self.table.to_html(index=False, na_rep='')}</div>")

    def __repr__(self) -> str:
        """One line: the class name and the headline fields that are set (no tables; None
        and NaN — a value that does not exist, e.g. AIC for WLSMV — are left out);
        long text (a model's syntax) is cut to :data:`_REPR_TEXT` characters."""
        inner = ", ".join(f"{k}={_short(v)}" for k, v in self.headline().items()
                          if v is not None and not (isinstance(v, float) and v != v))
        return f"{type(self).__name__}({inner})"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Keep the short headline ``repr`` in every subclass.

        ``@dataclass`` (repr=True by default) would generate a ``__repr__`` that prints
        every field — whole tables and matrices.  The decorator runs *after* this hook
        and never replaces a ``__repr__`` already in the class's own ``__dict__``
        (``dataclasses._set_new_attribute``), so placing :meth:`Result.__repr__` there
        now keeps it, whether or not the subclass says ``repr=False``.  A subclass that
        writes its own ``__repr__`` keeps that one.
        """
        super().__init_subclass__(**kwargs)
        if "__repr__" not in cls.__dict__:
            cls.__repr__ = Result.__repr__  # type: ignore[method-assign]


_REPR_TEXT = 40


def _short(v: Any) -> str:
    if isinstance(v, str):
        text = " ".join(v.split())
        return repr(text if len(text) <= _REPR_TEXT else text[:_REPR_TEXT - 1] + "…")
    return _fmt(v)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}" if abs(v) < 1e-3 and v != 0 else f"{v:.3f}"
    return str(v)
