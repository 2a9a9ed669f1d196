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
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

import pandas as pd

__all__ = ["Result", "Provenance", "TABLE_VOCABULARY", "make_provenance"]

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
    # qualitative codings, agreement and the joint display (qual, mixed)
    "status", "start", "end", "new_start", "new_end", "n_candidates", "quote", "file", "line",
    "code_a", "code_b", "jaccard", "n_segments", "n_notes", "n_notes_group", "share_notes",
    "n_units", "n_coders", "n_positive", "n_negative", "construct", "construct_name",
    "comparison", "codes", "quotes", "integration", "integration_source", "integration_reason",
    # moderation and mediation (PROCESS models)
    "effect", "path", "boot_se", "moderator_value", "moderator_value_2",
)


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
        """One line: the class name and the headline fields that are set (no tables);
        long text (a model's syntax) is cut to :data:`_REPR_TEXT` characters."""
        inner = ", ".join(f"{k}={_short(v)}" for k, v in self.headline().items() if v is not None)
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
