"""APA-7 tables from any :class:`~surveykit.result.Result` or DataFrame.

:func:`apa_table` turns a tidy table into an :class:`ApaTable`: formatted cell strings,
column headings in the report language, caption and note, with the tidy data kept
beside it (that is what goes to ``tables/*.csv``, unrounded). The HTML and Word
renderers both draw from the same :class:`ApaTable`, so the two never disagree.

Number rules (APA 7, sections 6.36 and 6.40–6.46)
-------------------------------------------------
* **p values** (``p_value``, ``p_adjusted``, any ``p_*`` or ``*_p_value`` column): exact to three
  decimals without a leading zero (``.032``); below .001 as ``< .001``; above .999 as
  ``> .999``.
* **Statistics that cannot exceed 1 in absolute value** print without a leading zero
  (``.87``, ``−.12``): correlations, Cronbach's alpha and omega, factor loadings,
  communalities, KMO/MSA, CFI, TLI, RMSEA, SRMR, CR, AVE, R², eta²/omega²/epsilon²,
  Cramér's V, kappa, ICC, proportions, standardized (std.all) estimates — see
  :data:`BOUNDED_COLUMNS`. In long tables where
  one ``estimate`` column holds several statistics, a row is bounded when its
  ``term``/``method``/``effect_size_name`` names one of them (``term == "alpha"``).
  ``effect_size`` cells follow their row's ``effect_size_name`` (``r`` bounded, Cohen's
  ``d`` not). Pass ``bounded=`` to add columns (``bounded=True``: every numeric column,
  e.g. a correlation matrix).
* **Decimals**: two by default; three for p values, RMSEA, SRMR and the ΔRMSEA/ΔSRMR/ΔCFI
  of invariance tests (:data:`THREE_DECIMALS`); override per column with
  ``decimals={"estimate": 3}``. In a long table (``term`` + ``estimate``, e.g. fit
  measures) each row follows its term: ``pvalue`` as a p value, ``df`` as an integer,
  ``rmsea`` with three decimals.
  Integer columns, and integer-valued counts, ``n`` and ``df``, print without decimals.
* **Negative numbers** use the typographic minus sign (U+2212); a value that rounds to
  zero prints without a sign.
* **Confidence intervals**: every ``<prefix>ci_low``/``<prefix>ci_high`` pair merges into
  one column printed ``[.12, .45]``: ``ci_low``/``ci_high`` → ``95% CI`` (level from the
  result's ``ci``/``ci_level``/``conf_level`` parameter, else 95), ``effect_size_ci_*`` →
  ``95% CI (Effect size)``, ``rmsea_ci_*`` → ``RMSEA 90% CI``; each is formatted like the
  estimate it belongs to (``estimate``/``mean``, ``effect_size``, ``rmsea``) and can be
  asked for in ``columns=`` by its merged name (``"ci"``, ``"effect_size_ci"``).
* **Generic names**: ``delta_<x>`` is labelled ``Δ<label of x>`` and gets ``x``'s decimals
  and integer rule; ``<x>_p_value`` is a p value labelled ``p (<label of x>)``.
* **Missing cells** stay empty. Columns that are empty throughout are dropped; a constant
  ``method`` or ``effect_size_name`` column moves into the table note.
* Statistical symbols in headings (*M*, *SD*, *n*, *p*, *df* …) are italic.
* **Significance stars** (``stars={"beta": "p_beta"}``): a column's cells get ``*``
  (p < .05), ``**`` (p < .01) or ``***`` (p < .001) from another column's p values, and the
  note states the legend; **row rules** (``by_term=["beta"]``): a column whose rows hold
  different statistics is formatted row by row as the ``term`` column names them (as the
  ``estimate`` of a long table), e.g. β rows, then R², ΔR² and F at the bottom.

>>> import pandas as pd
>>> tab = apa_table(pd.DataFrame({"scale": ["A"], "estimate": [0.8712], "p_value": [0.0004]}),
...                 bounded=["estimate"])
>>> tab.rows
(('A', '.87', '< .001'),)
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._files import atomic_path, to_csv
from .._format import BOUNDED_EFFECT_SIZES, format_number, format_p, is_missing
from ..errors import ParameterError, check_choice
from ..result import Result
from .i18n import ITALIC_LABELS, LANGS, Text, column_label, pick, t

__all__ = ["ApaTable", "apa_table", "is_result_like", "format_number", "format_p", "write_csv",
           "BOUNDED_COLUMNS", "BOUNDED_TERMS", "THREE_DECIMALS"]

#: Columns whose values can never exceed 1 in absolute value (no leading zero).
BOUNDED_COLUMNS = frozenset({
    "r", "rho", "tau", "correlation", "alpha", "raw_alpha", "std_alpha", "omega",
    "omega_total", "omega_hierarchical", "loading", "h2", "u2", "communality", "uniqueness",
    "kmo", "msa", "cfi", "tli", "nfi", "gfi", "agfi", "rmsea", "rmsea_ci_low",
    "rmsea_ci_high", "srmr", "cr", "ave", "r_squared", "adj_r_squared", "r2", "eta_squared",
    "partial_eta_squared", "omega_squared", "epsilon_squared", "cramers_v", "phi", "kappa",
    "icc", "proportion", "share", "kendall_w", "item_total", "r_drop", "r_cor",
    "alpha_if_deleted", "p_value", "p_adjusted", "std_estimate", "std_all", "std_lv_all",
    "composite_reliability", "sqrt_ave", "max_abs_correlation", "delta_cfi", "delta_tli",
    "delta_rmsea", "delta_srmr", "delta_r_squared", "average_r", "median_r", "mean_r", "percent_agreement", "cohen_kappa", "fleiss_kappa",
    "krippendorff_alpha",
})
#: Values of ``term``/``method``/``effect_size_name`` that make a row's estimate bounded.
BOUNDED_TERMS = BOUNDED_COLUMNS | frozenset({
    "pearson", "spearman", "kendall", "cronbach_alpha", "mcdonald_omega", "rank_biserial",
    "cliffs_delta", "eta2", "omega2", "epsilon2", "krippendorff_alpha", "cohen_kappa",
    "fleiss_kappa", "std_all", "standardized", "g6", "lambda6", "guttman_lambda6",
    "average_r", "median_r", "mean_r", "omega_h", "omega_t", "ecv", "split_half", "min_split",
    "max_split", "glb", "communality", "uniqueness", "factor_correlation", "proportion_var",
    "cumulative_var", "proportion_explained", "cumulative_proportion", "std_loading",
    "percent_agreement",
}) | BOUNDED_EFFECT_SIZES
#: Columns printed with three decimals (everything else numeric: two).
THREE_DECIMALS = frozenset({"p_value", "p_adjusted", "rmsea", "rmsea_ci_low", "rmsea_ci_high",
                            "srmr", "delta_cfi", "delta_tli", "delta_rmsea", "delta_srmr"})
_INTEGER_COLUMNS = frozenset({"n", "df", "df1", "df2", "n_items", "count", "n_excluded",
                              "n_in", "n_out", "k", "npar", "ntotal", "nobs", "delta_df"})


def _integer_name(name: str) -> bool:
    """Counts and degrees of freedom: printed without decimals when integer-valued
    (``delta_<x>`` like ``<x>``: ``delta_df``)."""
    name = name.removeprefix("delta_")
    return name in _INTEGER_COLUMNS or name.startswith("n_") or name.endswith("_df")


def _three_decimals(name: str) -> bool:
    """p values, RMSEA, SRMR and their ``delta_``/CI variants: three decimals."""
    return name in THREE_DECIMALS or name.removeprefix("delta_") in THREE_DECIMALS or _is_p_column(name)


def _ci_pairs(columns: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Every ``<prefix>ci_low``/``<prefix>ci_high`` pair: merged column name -> (low, high).

    ``ci_low``/``ci_high`` → ``ci``; ``effect_size_ci_low``/``_high`` → ``effect_size_ci``.
    ``rmsea_ci_low``/``_high`` (a fit-measure row of its own) are merged too.

    >>> _ci_pairs(["estimate", "ci_low", "ci_high", "effect_size_ci_low", "effect_size_ci_high"])
    {'ci': ('ci_low', 'ci_high'), 'effect_size_ci': ('effect_size_ci_low', 'effect_size_ci_high')}
    """
    cols = set(columns)
    out = {}
    for c in columns:
        if c.endswith("ci_low") and c[:-3] + "high" in cols:
            out[c[:-4]] = (c, c[:-3] + "high")
    return out


def _ci_anchor(merged: str, columns: Sequence[str]) -> str:
    """The estimate a merged interval belongs to (its formatting follows that column)."""
    if merged == "ci":
        for a in ("estimate", "mean"):
            if a in columns:
                return a
        return "ci_low"
    prefix = merged[:-3].rstrip("_")  # "effect_size_ci" -> "effect_size"
    return prefix if prefix in columns else merged + "_low"
_MOVE_TO_NOTE = ("method", "effect_size_name")
_CI_PARAMS = ("ci", "ci_level", "conf_level", "confidence", "level")


@dataclass(frozen=True)
class ApaTable:
    """A table ready to render: headings, formatted rows, caption and note.

    Attributes
    ----------
    caption : str
        Title (printed in italics under "Table N").
    columns : tuple of str
        Source column of each printed column (``"ci"`` for a merged interval).
    header : tuple of str
        Column headings in the report language.
    italic : tuple of bool
        Whether each heading is a statistical symbol (printed in italics).
    numeric : tuple of bool
        Whether each column holds numbers (right-aligned).
    rows : tuple of tuple of str
        Formatted cells.
    note : str
        Table note (without the leading "Note."); may be empty.
    data : pandas.DataFrame
        The tidy, unrounded table behind it (what ``tables/*.csv`` holds).
    """

    caption: str
    columns: tuple[str, ...]
    header: tuple[str, ...]
    italic: tuple[bool, ...]
    numeric: tuple[bool, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str
    data: pd.DataFrame


# ---------------------------------------------------------------------------- numbers
# format_number, format_p and the minus sign live in surveykit._format (shared with mixed).
_is_missing = is_missing


# ---------------------------------------------------------------------------- tables
def is_result_like(obj: Any) -> bool:
    """A :class:`~surveykit.result.Result`, or an object shaped like one (a DataFrame
    ``.table`` and a ``.provenance`` with ``as_dict()``, e.g. ``surveykit.clean``'s result)."""
    if isinstance(obj, Result):
        return True
    return (isinstance(getattr(obj, "table", None), pd.DataFrame)
            and hasattr(getattr(obj, "provenance", None), "as_dict"))


def _ci_level(result: Result | None) -> float:
    if result is not None:
        params = result.provenance.parameters
        for key in _CI_PARAMS:
            v = params.get(key)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < 100:
                return float(v) * 100 if v < 1 else float(v)
    return 95.0


def _level_text(level: float) -> str:
    return f"{level:g}"


def _row_bounded(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose generic ``estimate`` is a statistic bounded by 1 (see module docstring)."""
    mask = np.zeros(len(frame), dtype=bool)
    for col in ("term", "method", "effect_size_name"):
        if col in frame.columns:
            names = frame[col].astype("string").str.lower().fillna("")
            mask |= names.isin(BOUNDED_TERMS).to_numpy(dtype=bool)
    return mask


def _empty(series: pd.Series) -> bool:
    if _numeric(series):
        return bool(series.isna().all())
    return bool(series.isna().all() or series.astype("string").fillna("").eq("").all())


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _is_p_column(column: str) -> bool:
    """``p``, ``p_value``, ``p_adjusted``, ``p_*``, ``*_p_value`` (``std_p_value``), ``pvalue``."""
    return (column in ("p", "pvalue") or column.startswith("p_") or column.endswith("_p_value")
            or column.endswith("_pvalue"))


#: The note's legend of significance stars (:func:`apa_table` ``stars=``).
STARS_LEGEND = {"zh": "* p < .05，** p < .01，*** p < .001。",
                "en": "* p < .05. ** p < .01. *** p < .001."}


def _stars(p: Any) -> str:
    """``***`` p < .001, ``**`` p < .01, ``*`` p < .05, else nothing (missing: nothing)."""
    if _is_missing(p):
        return ""
    v = float(p)
    return "***" if v < 0.001 else "**" if v < 0.01 else "*" if v < 0.05 else ""


def _format_by_term(values: pd.Series, terms: pd.Series, bounded: np.ndarray,
                    decimals: int = 2) -> list[str]:
    """A long table's ``estimate`` column, each row formatted as its ``term`` says
    (``pvalue`` → p rule, ``df`` → integer, ``rmsea`` → three decimals, bounded terms
    without leading zero), e.g. a fit-measure table."""
    out = []
    for v, term, b in zip(values, terms.astype("string").str.lower().fillna(""), bounded):
        if _is_p_column(term):
            out.append(format_p(v))
        else:
            out.append(format_number(v, 3 if _three_decimals(term) else decimals,
                                     bounded=bool(b), integer=_integer_name(term)))
    return out


def _format_column(values: pd.Series, column: str, decimals: int, bounded: np.ndarray,
                   integer: bool) -> list[str]:
    if _is_p_column(column):
        return [format_p(v, decimals) for v in values]
    return [format_number(v, decimals, bounded=bool(b), integer=integer)
            for v, b in zip(values, bounded)]


def apa_table(obj: Result | pd.DataFrame, *, caption: Text | None = None,
              note: Text | None = None, lang: str = "en",
              columns: Sequence[str] | None = None,
              labels: Mapping[str, Text] | None = None,
              decimals: Mapping[str, int] | None = None,
              bounded: Iterable[str] | bool = (),
              headline: bool | Sequence[str] = False,
              stars: Mapping[str, str] | None = None,
              by_term: Iterable[str] = ()) -> ApaTable:
    """Format a Result's ``.table`` (or any DataFrame) as an APA-7 table.

    Parameters
    ----------
    obj : Result or pandas.DataFrame
        Row labels (any index but the default 0..n-1) become the first column.
    caption, note : str or {"zh": ..., "en": ...}, optional
        Default caption: the result's ``title``. Default note: "Computed with surveykit
        <analysis> (R: <r_equivalent>)" for a Result.
    lang : {"zh", "en"}
    columns : sequence of str, optional
        Columns to print, in order (default: all, minus empty ones).
    labels : mapping, optional
        Column headings overriding :data:`~surveykit.report.i18n.COLUMN_LABELS` (and the
        result's own ``report_labels``, where it has them).
    decimals : mapping, optional
        Decimals per column (default 2, three for p/RMSEA/SRMR).
    bounded : iterable of str or True
        Extra columns bounded by 1 (no leading zero); ``True`` for every numeric column.
    headline : bool or sequence of str
        Put the Result's headline numbers (all, or those named) into the note, formatted
        by the same rules: ``R² = .41, Adj. R² = .40, F = 45.20, p < .001``.
    stars : mapping column -> p-value column, optional
        Significance stars on a column's cells (``*`` p < .05, ``**`` p < .01, ``***``
        p < .001) from the p values in another column; the legend goes into the note.
    by_term : iterable of str
        Columns formatted row by row as the ``term`` column says (``r_squared`` bounded,
        ``f_change`` not, ...), at the column's ``decimals``.

    Returns
    -------
    ApaTable

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"group": ["成都", "重庆"], "mean": [3.456, 3.1],
    ...                    "ci_low": [3.3, 2.9], "ci_high": [3.6, 3.3]})
    >>> apa_table(df, lang="zh").header
    ('组别', 'M', '95% CI')
    >>> apa_table(df).rows[0]
    ('成都', '3.46', '[3.30, 3.60]')
    """
    check_choice("apa_table", "lang", lang, LANGS)
    result = obj if is_result_like(obj) else None
    if result is not None:
        frame = result.table
    elif isinstance(obj, pd.DataFrame):
        frame = obj
    else:
        raise ParameterError(
            f"The 'obj' parameter of apa_table must be a Result or a pandas DataFrame. "
            f"Got {type(obj).__name__} instead.")
    frame = _with_index(frame)
    data = frame.copy()
    frame = frame.copy()
    frame.columns = [str(c) for c in frame.columns]

    if columns is not None:
        merged_names = set(_ci_pairs(list(frame.columns))) | {"ci"}
        unknown = [c for c in columns if c not in frame.columns and c not in merged_names]
        if unknown:
            raise ParameterError(
                f"The 'columns' parameter of apa_table names columns the table does not have: "
                f"{', '.join(map(repr, unknown))}. Columns present: {', '.join(frame.columns)}.")

    note_parts: list[str] = []
    # constant method / effect size name -> note
    for col in _MOVE_TO_NOTE:
        if col in frame.columns and columns is None and len(frame):
            vals = frame[col].dropna().unique()
            if len(vals) == 1 and frame[col].notna().all():
                note_parts.append(f"{column_label(col, lang)}: {vals[0]}.")
                bounded_row = _row_bounded(frame)
                frame = frame.drop(columns=col)
                frame["__row_bounded"] = bounded_row
    row_bounded = (frame.pop("__row_bounded").to_numpy(dtype=bool)
                   if "__row_bounded" in frame.columns else _row_bounded(frame))

    if columns is None:
        keep = [c for c in frame.columns if not _empty(frame[c])]
    else:
        keep = list(columns)
    pairs = _ci_pairs(list(frame.columns))
    asked = [c for c in keep if c in pairs and c not in frame.columns]
    if columns is not None and "ci" in keep and "ci" not in pairs:
        raise ParameterError("apa_table was asked for a 'ci' column but the table has no "
                             "'ci_low' and 'ci_high' columns.")
    for merged, (lo_col, hi_col) in pairs.items():  # each pair -> one interval column
        if merged in frame.columns:
            continue
        if not (merged in asked or (lo_col in keep and hi_col in keep)):
            continue
        pos = keep.index(merged) if merged in keep else keep.index(lo_col)
        keep = [c for c in keep if c not in (lo_col, hi_col, merged)]
        keep.insert(min(pos, len(keep)), merged)

    all_bounded = bounded is True
    extra_bounded = set() if bounded is True or bounded is False else set(bounded)
    dec = dict(decimals or {})
    by_term_set = set(by_term)
    stars = dict(stars or {})
    bad = [c for c in [*stars, *stars.values()] if c not in frame.columns]
    if bad:
        raise ParameterError(f"The 'stars' parameter of apa_table names columns the table does "
                             f"not have: {', '.join(map(repr, bad))}. Columns present: "
                             f"{', '.join(frame.columns)}.")
    level = _ci_level(result)
    # a result's own headings (``report_labels``, e.g. PROCESS's BootSE) unless overridden
    labels = {**dict(getattr(result, "report_labels", None) or {}), **dict(labels or {})}

    cells: list[list[str]] = []
    header: list[str] = []
    italic: list[bool] = []
    numeric: list[bool] = []
    for col in keep:
        if col in pairs and col not in frame.columns:
            lo_col, hi_col = pairs[col]
            anchor = _ci_anchor(col, list(frame.columns))
            b = _bounded_mask(frame, anchor, all_bounded, extra_bounded, row_bounded)
            d = dec.get(col, dec.get(anchor, 3 if _three_decimals(anchor) else 2))
            lo = _format_column(frame[lo_col], lo_col, d, b, False)
            hi = _format_column(frame[hi_col], hi_col, d, b, False)
            cells.append([f"[{a}, {z}]" if a or z else "" for a, z in zip(lo, hi)])
            header.append(pick(labels.get(col), lang) or _ci_label(col, lang, level))
            italic.append(False)
            numeric.append(True)
            continue
        s = frame[col]
        label = pick(labels.get(col), lang) or column_label(col, lang)
        header.append(label)
        italic.append(label in ITALIC_LABELS)
        if _numeric(s):
            integer = _integer_name(col) or pd.api.types.is_integer_dtype(s)
            b = _bounded_mask(frame, col, all_bounded, extra_bounded, row_bounded)
            d = dec.get(col, 3 if _three_decimals(col) else 2)
            if col in by_term_set and "term" in frame.columns:
                cells.append(_format_by_term(s, frame["term"], row_bounded | b, dec.get(col, 2)))
            elif col == "estimate" and "term" in frame.columns and col not in dec:
                cells.append(_format_by_term(s, frame["term"], b))
            else:
                cells.append(_format_column(s, col, d, b, integer))
            numeric.append(True)
        else:
            cells.append(["" if _is_missing(v) else str(v) for v in s])
            numeric.append(False)
        if col in stars:
            cells[-1] = [c + _stars(p) if c else c for c, p in zip(cells[-1], frame[stars[col]])]
    rows = tuple(zip(*cells)) if cells else tuple(() for _ in range(len(frame)))

    if caption is None and result is not None:
        caption_text = getattr(result, "title", "") or ""
    else:
        caption_text = pick(caption, lang)
    if headline and result is not None and hasattr(result, "headline"):
        note_parts.append(_headline_text(result.headline(), headline, lang))
    if note is not None:
        note_parts.append(pick(note, lang))
    elif result is not None:
        prov = result.provenance
        auto = t("computed_with", lang, analysis=prov.analysis)
        if prov.r_equivalent:
            auto += f" (R: {prov.r_equivalent})"
        note_parts.append(auto + ".")
    if stars and any(c in keep for c in stars):
        note_parts.append(STARS_LEGEND[lang])
    return ApaTable(caption=caption_text, columns=tuple(keep), header=tuple(header),
                    italic=tuple(italic), numeric=tuple(numeric),
                    rows=tuple(tuple(r) for r in rows), note=" ".join(p for p in note_parts if p),
                    data=data)


#: Intervals whose level is fixed by convention, not by the result's ``ci`` parameter.
_FIXED_CI_LEVEL = {"rmsea_ci": 90.0}  # lavaan's RMSEA interval


def _ci_label(merged: str, lang: str, level: float) -> str:
    """"95% CI", or for another interval "95% CI (<its estimate>)", e.g. of the effect size."""
    level = _FIXED_CI_LEVEL.get(merged, level)
    base = t("ci_label", lang, level=_level_text(level))
    if merged == "rmsea_ci":
        return f"RMSEA {base}"
    if merged == "ci":
        return base
    what = column_label(merged[:-3].rstrip("_"), lang)
    return f"{base}（{what}）" if lang == "zh" else f"{base} ({what})"


def _headline_text(values: Mapping[str, Any], which: bool | Sequence[str], lang: str) -> str:
    names = list(values) if which is True else [n for n in which if n in values]
    parts = []
    for name in names:
        v = values[name]
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            continue
        if _is_p_column(name):
            text = format_p(v)
            text = text if text.startswith(("<", ">")) else f"= {text}"
        else:
            text = "= " + format_number(v, 3 if name in THREE_DECIMALS else 2,
                                        bounded=name in BOUNDED_COLUMNS,
                                        integer=_integer_name(name) or name in ("df1", "df2"))
        parts.append(f"{column_label(name, lang)} {text}")
    return ", ".join(parts) + "." if parts else ""


def _bounded_mask(frame: pd.DataFrame, col: str, all_bounded: bool, extra: set[str],
                  row_bounded: np.ndarray) -> np.ndarray:
    n = len(frame)
    if all_bounded or col in extra or col in BOUNDED_COLUMNS:
        return np.ones(n, dtype=bool)
    if col in ("estimate", "effect_size", "ci_low", "ci_high"):
        if col == "effect_size" and "effect_size_name" in frame.columns:
            names = frame["effect_size_name"].astype("string").str.lower().fillna("")
            return names.isin(BOUNDED_TERMS).to_numpy(dtype=bool)
        return row_bounded
    return np.zeros(n, dtype=bool)


def _with_index(frame: pd.DataFrame) -> pd.DataFrame:
    """Row labels become the first column (named ``term`` when unnamed, e.g. ``df.corr()``);
    a default 0..n-1 index is dropped."""
    idx = frame.index
    if isinstance(idx, pd.RangeIndex) and idx.name is None:
        return frame
    if idx.nlevels == 1 and idx.name is None:
        return frame.rename_axis("term" if "term" not in frame.columns else "row").reset_index()
    return frame.reset_index()


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str], *,
              formula_safe: bool = True) -> None:
    """Write a tidy table as CSV, byte-for-byte reproducible.

    UTF-8 with a byte-order mark (so Excel on Chinese Windows shows the characters),
    ``\\n`` line ends, row labels as the first column (see :func:`apa_table`), floats at full
    precision (shortest round-trip form), so numbers can be recomputed from the file.
    Text cells starting with ``=``, ``+``, ``-``, ``@``, tab or CR get a leading ``'`` so a
    spreadsheet cannot run them as formulas (``formula_safe=False``: raw text; see
    :func:`surveykit._files.formula_safe`).
    """
    frame = _with_index(frame)
    with atomic_path(path) as tmp:
        to_csv(frame, tmp, formula_safe=formula_safe, index=False, encoding="utf-8-sig",
               lineterminator="\n")
