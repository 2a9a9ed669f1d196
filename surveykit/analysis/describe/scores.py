"""Descriptive statistics of the scale scores: n, M, SD, range, skewness and kurtosis.

The table a thesis prints before its models ("描述性统计与正态性"): for every scale and
subscale the number of items, the fewest answered items a score needs, n, mean, SD (n − 1),
standard error, median, minimum, maximum, and the skewness and (excess) kurtosis that
``psych::describe`` reports (its default ``type = 3``: ``g1·((n−1)/n)^{3/2}`` and
``(g2 + 3)·((n−1)/n)² − 3``, ``g`` the moment ratios). Scores are the instrument's
(:func:`surveykit.score`) unless the data already hold a column per scale; each statistic is
over the respondents with a score. Computed column-wise from the moments (no per-row loop).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..._params import InstanceOf, Names, validate_params
from ...errors import DataError, ParameterError
from ...result import Result, make_provenance
from ..inputs import as_frame
from .scales import _scores

__all__ = ["ScoreDescriptives", "describe_scores"]


@dataclass(frozen=True, kw_only=True)
class ScoreDescriptives(Result):
    """Result of :func:`describe_scores`.

    ``table``: one row per scale — ``scale``, ``label``, ``n_items``, ``min_valid``, ``n``,
    ``mean``, ``sd``, ``se``, ``median``, ``min``, ``max``, ``skew``, ``kurtosis``.
    """

    scales: tuple[str, ...]
    title: str = "Descriptive statistics of the scale scores"


def _moments(x: pd.DataFrame) -> pd.DataFrame:
    """psych::describe's columns for every column of ``x`` (NaN-aware, vectorised)."""
    v = x.to_numpy(dtype=float)
    ok = ~np.isnan(v)
    n = ok.sum(axis=0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(v, axis=0) / n
        dev = np.where(ok, v - mean, 0.0)
        m2 = (dev ** 2).sum(axis=0) / n
        m3 = (dev ** 3).sum(axis=0) / n
        m4 = (dev ** 4).sum(axis=0) / n
        sd = np.sqrt(m2 * n / (n - 1))
        g1 = m3 / m2 ** 1.5
        b2 = m4 / m2 ** 2
        skew = g1 * ((n - 1) / n) ** 1.5
        kurt = b2 * ((n - 1) / n) ** 2 - 3
    return pd.DataFrame({"n": n.astype(int), "mean": mean, "sd": sd, "se": sd / np.sqrt(n),
                         "median": np.nanmedian(v, axis=0), "min": np.nanmin(v, axis=0),
                         "max": np.nanmax(v, axis=0), "skew": skew, "kurtosis": kurt},
                        index=x.columns)


@validate_params({
    "scales": [None, Names()],
    "lang": [InstanceOf(str, "a language code such as 'zh'")],
})
def describe_scores(data: Any, scales: Sequence[str] | None = None, *, instrument: Any = None,
                    lang: str = "zh") -> ScoreDescriptives:
    """n, M, SD, SE, median, range, skewness and kurtosis of the scale scores.

    Parameters
    ----------
    data : Responses or DataFrame
        Item answers (scores are computed with the instrument) or a frame that already
        holds a score column per scale.
    scales : list of str, optional
        Scale ids (default: every scale of the instrument, subscales included, in order).
    instrument : Instrument, optional
        Scales, their items, ``min_valid`` and names (default: the Responses' instrument).
    lang : str
        Language of the scale names.

    Returns
    -------
    ScoreDescriptives

    Notes
    -----
    R equivalent: ``psych::describe(scores)`` (``type = 3`` skew and kurtosis, the default).

    Examples
    --------
    >>> import pandas as pd, surveykit as sk
    >>> d = pd.DataFrame({"a": [1, 2, 2, 3, 5.0], "b": [2, 2, 3, 4, None]})
    >>> t = sk.describe_scores(d, ["a", "b"]).table
    >>> t[["scale", "n", "mean", "sd", "skew"]].round(3)
      scale  n  mean     sd   skew
    0     a  5  2.60  1.517  0.537
    1     b  4  2.75  0.957  0.320
    """
    frame, ins_data, _ = as_frame(data, "describe_scores")
    ins = instrument if instrument is not None else ins_data
    if scales is None:
        if ins is None or not ins.scales:
            raise ParameterError("The 'scales' parameter of describe_scores is None and there "
                                 "is no instrument with scales. Pass scales= (score columns) "
                                 "or instrument=.")
        scales = [s.id for s in ins.scales]
    scales = list(scales)
    if not scales:
        raise ParameterError("The 'scales' parameter of describe_scores is empty. Name at "
                             "least one scale.")
    scored = _scores(data, frame, scales, ins)
    x = scored[scales].apply(pd.to_numeric, errors="coerce")
    empty = [s for s in scales if x[s].notna().sum() < 2]
    if empty:
        raise DataError(f"describe_scores: scale {empty[0]!r} has fewer than 2 scores (a score "
                        f"needs its scale's minimum of answered items); there is no SD to "
                        f"report. Check the items' answers or leave the scale out.")
    stats = _moments(x)
    known = set(ins.scale_ids) if ins is not None else set()
    rows = pd.DataFrame({
        "scale": scales,
        "label": [ins.scale(s).name.in_lang(lang) if s in known else s for s in scales],
        "n_items": [len(ins.scale(s).items) if s in known else np.nan for s in scales],
        "min_valid": [ins.scale(s).min_valid if s in known else np.nan for s in scales]})
    table = pd.concat([rows, stats.reset_index(drop=True)], axis=1)
    prov = make_provenance("describe_scores", {"scales": scales, "lang": lang}, {"lang": "zh"},
                           instruments=(ins.ref,) if ins is not None else (),
                           r_equivalent="psych::describe(scores, type = 3)")
    return ScoreDescriptives(table=table, provenance=prov, scales=tuple(scales))
