""""Table 1": means, SDs and correlations of the scale scores, with α on the diagonal.

Scores are the instrument's (``sk.score``: mean or sum of the answered items when at least
``min_valid`` are answered) unless the data already hold a column per scale. Mean and SD
(n − 1) are over the respondents with a score; correlations are Pearson (or Spearman) over
the pairs with both scores, with ``cor.test``'s p (:func:`surveykit.correlations`); α is
Cronbach's raw α of the scale's items (``psych::alpha``, pairwise), empty when the items
are not in the data. :meth:`ScaleDescriptives.wide` lays them out as a thesis prints
Table 1: M, SD, then the lower triangle of r with significance marks and α in parentheses
on the diagonal.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..._params import InstanceOf, Names, Options, validate_params
from ...errors import ParameterError
from ...result import Result, make_provenance
from ..inputs import _not_found, as_frame
from ..regression.correlations import correlations
from ..reliability.scale import reliability

__all__ = ["ScaleDescriptives", "describe_scales", "stars"]


def stars(p: float) -> str:
    """``***`` p < .001, ``**`` p < .01, ``*`` p < .05 (the marks a thesis table uses)."""
    if p is None or not np.isfinite(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


@dataclass(frozen=True, kw_only=True)
class ScaleDescriptives(Result):
    """Result of :func:`describe_scales`.

    ``table``: one row per scale — ``scale``, ``label``, ``n``, ``mean``, ``sd``, ``alpha``.
    ``correlations``: one row per pair — ``variable_a``, ``variable_b``, ``estimate`` (r),
    ``p_value``, ``n``.
    """

    scales: tuple[str, ...]
    method: str
    correlations: pd.DataFrame
    title: str = "Descriptive statistics and correlations of the scales"

    def wide(self, digits: int = 2) -> pd.DataFrame:
        """Table 1 as printed: rows are scales; M, SD, then columns 1..k with r and its
        marks below the diagonal (no leading zero, − for negative r) and (α) on it.

        >>> # see describe_scales' example
        """
        k = len(self.scales)
        r = self.correlations.set_index(["variable_a", "variable_b"])
        body: dict[str, list[str]] = {"M": [], "SD": []}
        for j in range(k):
            body[str(j + 1)] = []
        fmt = f"{{:.{digits}f}}"
        for i, s in enumerate(self.scales):
            row = self.table.iloc[i]
            body["M"].append(fmt.format(row["mean"]))
            body["SD"].append(fmt.format(row["sd"]))
            for j, t in enumerate(self.scales):
                if j > i:
                    body[str(j + 1)].append("")
                elif j == i:
                    a = row["alpha"]
                    body[str(j + 1)].append(f"({fmt.format(a)})" if np.isfinite(a) else "—")
                else:
                    key = (t, s) if (t, s) in r.index else (s, t)
                    est, p = r.loc[key, "estimate"], r.loc[key, "p_value"]
                    txt = fmt.format(est)
                    if txt.startswith("0"):
                        txt = txt[1:]
                    elif txt.startswith("-0"):
                        txt = "\u2212" + txt[2:]   # a typographic minus, as APA tables print
                    body[str(j + 1)].append(txt + stars(p))
        labels = [f"{i + 1}. {lab}" for i, lab in enumerate(self.table["label"])]
        return pd.DataFrame(body, index=pd.Index(labels, name="scale"))


def _scores(data: Any, frame: pd.DataFrame, scales: list[str], ins: Any) -> pd.DataFrame:
    missing = [s for s in scales if s not in frame.columns]
    if not missing:
        return frame
    if ins is None:
        raise _not_found(missing[0], list(frame.columns), None, what="scale score column")
    from ...scoring import score

    return score(data, ins, scales=missing)


@validate_params({
    "scales": [None, Names()],
    "method": [Options("pearson", "spearman")],
    "lang": [InstanceOf(str, "a language code such as 'zh'")],
})
def describe_scales(data: Any, scales: Sequence[str] | None = None, *, instrument: Any = None,
                    method: str = "pearson", lang: str = "zh") -> ScaleDescriptives:
    """Means, SDs, correlations and α of the scale scores (a thesis's Table 1).

    Parameters
    ----------
    data : Responses or DataFrame
        Item answers (scores are computed with the instrument) or a frame that already
        holds a score column per scale (α is then computed when the items are there too).
    scales : list of str, optional
        Scale ids (default: every scale of the instrument without a ``parent``, in order).
    instrument : Instrument, optional
        Scales, their items and names (default: the Responses' instrument).
    method : {'pearson', 'spearman'}
    lang : str
        Language of the scale names.

    Returns
    -------
    ScaleDescriptives

    Notes
    -----
    R equivalent: ``psych::describe(scores)`` (mean, sd), ``cor.test(x, y)`` per pair,
    ``psych::alpha(items)$total$raw_alpha`` per scale.

    Examples
    --------
    >>> import numpy as np, pandas as pd, surveykit as sk
    >>> ins = sk.load_instrument("local_protectionism", "1.0.0")
    >>> rng = np.random.default_rng(4)
    >>> f = rng.normal(size=(200, 1))
    >>> cols = [i for s in ("market_barriers", "administrative_barriers")
    ...         for i in ins.scale(s).items]
    >>> x = np.clip(np.rint(3 + f + rng.normal(scale=0.9, size=(200, 6))), 1, 5)
    >>> df = pd.DataFrame(x, columns=cols)
    >>> rev = [i for i in cols if ins.item(i).reverse]          # LP03, LP06: worded the
    >>> df[rev] = 6 - df[rev]                                    # other way round
    >>> res = sk.describe_scales(df, ["market_barriers", "administrative_barriers"],
    ...                          instrument=ins)
    >>> res.wide()                                        # doctest: +NORMALIZE_WHITESPACE
                M    SD       1       2
    scale
    1. 市场壁垒  3.02  1.03  (0.80)
    2. 行政壁垒  3.07  0.97  .78***  (0.72)
    """
    frame, ins_data, source = as_frame(data, "describe_scales")
    ins = instrument if instrument is not None else ins_data
    if scales is None:
        if ins is None:
            raise ParameterError("The 'scales' parameter of describe_scales is None and there "
                                 "is no instrument. Got neither; pass scales= or instrument=.")
        scales = [s.id for s in ins.scales if s.parent is None]
    scales = list(scales)
    if len(scales) < 2:
        raise ParameterError(f"The 'scales' parameter of describe_scales must name at least "
                             f"2 scales. Got {len(scales)}; a table of one scale is "
                             f"reliability()'s.")
    scored = _scores(data, frame, scales, ins)
    rows = []
    for s in scales:
        x = pd.to_numeric(scored[s], errors="coerce")
        alpha = np.nan
        items = list(ins.scale(s).items) if ins is not None and s in ins.scale_ids else []
        if items and all(i in frame.columns for i in items):
            alpha = reliability(frame, scale=s, instrument=ins, ci=None, omega=None).alpha
        label = ins.scale(s).name.in_lang(lang) if ins is not None and s in ins.scale_ids \
            else s
        rows.append({"scale": s, "label": label, "n": int(x.notna().sum()),
                     "mean": float(x.mean()), "sd": float(x.std(ddof=1)), "alpha": alpha})
    cor = correlations(scored[scales].apply(pd.to_numeric, errors="coerce"), scales,
                       method=method)
    ct = cor.table[["variable_a", "variable_b", "estimate", "p_value", "n"]].reset_index(drop=True)
    prov = make_provenance("describe_scales", {"scales": scales, "method": method, "lang": lang},
                           {"method": "pearson", "lang": "zh"},
                           instruments=(ins.ref,) if ins is not None else (),
                           r_equivalent="psych::describe(scores); cor.test(x, y); "
                                        "psych::alpha(items)$total$raw_alpha")
    return ScaleDescriptives(table=pd.DataFrame(rows), provenance=prov, scales=tuple(scales),
                             method=method, correlations=ct)
