"""Multiple-response analysis of a multi-select question (SPSS ``MULT RESPONSE``).

A multi-select question is stored as one 0/1 column per option (``{item}_{code}``: 1 =
ticked, 0 = shown and not ticked, empty = not shown or no answer). Per option the table gives
the count of ticks, the percent of all *responses* (ticks; these add up to 100) and the
percent of *cases* (respondents who ticked at least one option; these add up to more than 100
when people tick several). Cases with no tick at all — shown and left empty, or not shown
(skipped, missing) — are the *missing cases*: counted in :attr:`MultipleResponse.n_missing`
(split into ``n_none`` — shown, nothing ticked: all 0, or a Responses' missing reason
``empty`` — and ``n_not_shown``: skipped, refused or no answer), never silently dropped. With ``by=`` the same
per group (percent of the group's valid cases), as SPSS's ``MULT RESPONSE … /TABLES``.
No chi-square test is given: the options of one case are not independent, so Pearson's test
of option × group does not apply to a multiple-response set.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..._params import ColumnName, InstanceOf, Names, validate_params
from ...errors import AnalysisError, ParameterError
from ...result import Result, make_provenance
from ..inputs import _not_found, as_frame

__all__ = ["MultipleResponse", "multiple_response"]


@dataclass(frozen=True, kw_only=True)
class MultipleResponse(Result):
    """Result of :func:`multiple_response`.

    ``table``: one row per option (per group × option with ``by=``): ``item`` (the 0/1
    column), ``value`` (the option code), ``label``, ``count`` (ticks), ``percent_responses``
    (of all ticks; add up to 100), ``percent_cases`` (of the valid cases; add up to more than
    100), and ``group`` with ``by=``. ``groups`` (with ``by=``): per group its ``value`` (code), ``n``,
    ``n_valid``,
    ``n_missing``, ``n_responses``. ``counts``: options × groups (with ``by=``).
    """

    item: str
    items: tuple[str, ...]
    n: int
    n_valid: int
    n_missing: int
    n_none: int
    n_not_shown: int
    n_responses: int
    by: str | None = None
    n_dropped: int = 0
    groups: pd.DataFrame | None = None
    counts: pd.DataFrame | None = None
    lang: str = "zh"
    title: str = "Multiple response"


def _columns(item: str | Sequence[str], frame: pd.DataFrame, ins: Any, lang: str
             ) -> tuple[str, list[str], list[Any], list[str], tuple[Any, ...]]:
    """(question id, columns, option codes, labels, missing codes)."""
    if not isinstance(item, str):
        cols = list(item)
        codes = []
        for c in cols:
            m = re.fullmatch(r".*_(\d+)", c)
            codes.append(int(m.group(1)) if m else c)
        labels = [ins.item(c).text.in_lang(lang).rsplit(" — ", 1)[-1]
                  if ins is not None and ins.has_item(c) else c for c in cols]
        q = cols[0].rsplit("_", 1)[0] if cols else ""
        return q, cols, codes, labels, ()
    if ins is not None and ins.is_multi_select(item):
        ms = ins.multi_select(item)
        return (item, list(ms.columns), list(ms.codes),
                [o.label.in_lang(lang) for o in ms.response.options], ms.response.missing_values)
    cols = [c for c in frame.columns if re.fullmatch(re.escape(item) + r"_\d+", str(c))]
    if not cols:
        where = f" of instrument {ins.ref}" if ins is not None else ""
        raise ParameterError(
            f"multiple_response: {item!r} is not a multi-select question{where} and the data "
            f"have no 0/1 columns named '{item}_<code>'. Pass the question id of a "
            f"'select: multiple' item, or the list of its 0/1 columns.")
    codes = [int(str(c).rsplit("_", 1)[1]) for c in cols]
    order = np.argsort(codes, kind="stable")
    cols, codes = [cols[i] for i in order], [codes[i] for i in order]
    return item, cols, codes, [str(c) for c in codes], ()


def _check01(x: pd.DataFrame, source: str | None) -> None:
    bad = x.notna() & ~x.isin([0, 1])
    if bad.to_numpy().any():
        col = x.columns[np.flatnonzero(bad.any().to_numpy())[0]]
        rows = np.flatnonzero(bad[col].to_numpy())
        shown = ", ".join(f"{r + 2}: {float(x[col].iloc[r]):g}" for r in rows[:3])
        where = f"{source}: " if source else ""
        raise AnalysisError(
            f"{where}multiple_response: column {col} has {len(rows)} value(s) that are not "
            f"0/1 (rows {shown}; row numbers as in a file with one header line). A multi-select "
            f"column holds 1 = ticked, 0 = not ticked, empty = not shown; recode them or mark "
            f"them as missing codes in the instrument.")


def _freq(x: np.ndarray, empty: np.ndarray) -> tuple[np.ndarray, int, int, int, int]:
    """Counts per option, responses, valid cases, cases with none ticked, not shown.

    ``empty``: rows a reader marked as shown with nothing ticked (reason ``empty``)."""
    ticked = np.nansum(x, axis=0)
    any1 = np.nansum(x, axis=1) > 0
    shown = ~np.isnan(x).all(axis=1) | empty
    return (ticked.astype(int), int(ticked.sum()), int(any1.sum()),
            int((shown & ~any1).sum()), int((~shown).sum()))


def _rows(counts: np.ndarray, n_resp: int, n_valid: int, cols: list[str], codes: list[Any],
          labels: list[str]) -> pd.DataFrame:
    with np.errstate(invalid="ignore", divide="ignore"):
        pr = 100 * counts / n_resp if n_resp else np.full(len(counts), np.nan)
        pc = 100 * counts / n_valid if n_valid else np.full(len(counts), np.nan)
    return pd.DataFrame({"item": cols, "value": codes, "label": labels, "count": counts,
                         "percent_responses": pr, "percent_cases": pc})


@validate_params({
    "item": [Names("a multi-select question id or a list of its 0/1 columns", single=True)],
    "by": [None, ColumnName()],
    "lang": [InstanceOf(str, "a language code such as 'zh'")],
})
def multiple_response(data: Any, item: str | Sequence[str], *, by: str | None = None,
                      instrument: Any = None, lang: str = "zh") -> MultipleResponse:
    """Frequencies of a multi-select question (responses and cases %), optionally by group.

    Parameters
    ----------
    data : Responses or DataFrame
        The 0/1 columns of the question (1 = ticked, 0 = not ticked, empty = not shown).
    item : str or list of str
        A ``select: multiple`` question id (its columns and option labels come from the
        instrument; without one, the columns ``{item}_<code>`` of the data), or an explicit
        list of 0/1 columns (one multiple-response set).
    by : str, optional
        A grouping column: counts per option × group, percents of the group's valid cases.
        Cases without a group value are counted in ``n_dropped``.
    instrument : Instrument, optional
        Option labels and missing codes (default: the Responses' instrument).
    lang : str
        Language of the option labels.

    Returns
    -------
    MultipleResponse

    Notes
    -----
    A *valid case* ticked at least one option; the others are *missing cases* (as SPSS
    ``MULT RESPONSE`` counts them). ``percent_responses`` = count / all ticks × 100,
    ``percent_cases`` = count / valid cases × 100.

    R equivalent: ``colSums(x == 1, na.rm = TRUE)`` on the 0/1 columns ``x``, in full::

        # R: k <- colSums(x == 1, na.rm = TRUE); valid <- rowSums(x == 1, na.rm = TRUE) > 0
        # R: 100 * k / sum(k); 100 * k / sum(valid)
        # R: by group: rowsum(x[valid, ], g[valid], na.rm = TRUE)

    No chi-square test of option × group is offered: one case's ticks are not independent.

    Examples
    --------
    >>> import pandas as pd, surveykit as sk
    >>> df = pd.DataFrame({"Q5_1": [1, 1, 0, None], "Q5_2": [1, 0, 0, None],
    ...                    "Q5_3": [0, 1, 0, None]})
    >>> mr = sk.multiple_response(df, "Q5")
    >>> mr.n_valid, mr.n_missing, mr.n_responses
    (2, 2, 4)
    >>> mr.table[["item", "count", "percent_responses", "percent_cases"]]
       item  count  percent_responses  percent_cases
    0  Q5_1      2               50.0          100.0
    1  Q5_2      1               25.0           50.0
    2  Q5_3      1               25.0           50.0
    """
    frame, ins_data, source = as_frame(data, "multiple_response")
    ins = instrument if instrument is not None else ins_data
    q, cols, codes, labels, missing_codes = _columns(item, frame, ins, lang)
    if not cols:
        raise ParameterError("The 'item' parameter of multiple_response must be a multi-select "
                             "question id or a list of its 0/1 columns. Got an empty list "
                             "instead.")
    for c in [*cols, *([by] if by else [])]:
        if c not in frame.columns:
            raise _not_found(c, list(frame.columns), source)
    x = frame[cols].apply(pd.to_numeric, errors="coerce").where(frame[cols].notna())
    if missing_codes:
        x = x.mask(x.isin(list(missing_codes)))
    _check01(x, source)
    arr = x.to_numpy(dtype=float)
    reasons = getattr(data, "missing", None)
    empty = np.zeros(len(frame), dtype=bool)
    if isinstance(reasons, pd.DataFrame) and set(cols) <= set(reasons.columns):
        empty = (reasons[cols].astype("string").fillna("") == "empty").all(axis=1).to_numpy(
            dtype=bool)
    counts, n_resp, n_valid, n_none, n_not = _freq(arr, empty)
    fields: dict[str, Any] = {}
    if by is None:
        table = _rows(counts, n_resp, n_valid, cols, codes, labels)
    else:
        g = frame[by]
        glabels = {}
        if ins is not None and ins.has_item(by):
            glabels = {o.value: o.label.in_lang(lang) for o in ins.item(by).response.options}
        parts, gstats, wide = [], [], {}
        for v in sorted(pd.unique(g.dropna())):
            mask = (g == v).to_numpy()
            k, r, nv, nn, ns = _freq(arr[mask], empty[mask])
            if isinstance(v, (float, np.floating)) and float(v).is_integer():
                v = int(v)                  # a code column read with empty cells is float
            name = glabels.get(v, v)
            part = _rows(k, r, nv, cols, codes, labels)
            part.insert(0, "group", name)
            parts.append(part)
            gstats.append({"group": name, "value": v, "n": int(mask.sum()), "n_valid": nv,
                           "n_missing": nn + ns, "n_responses": r})
            wide[name] = k
        table = pd.concat(parts, ignore_index=True)
        fields = {"groups": pd.DataFrame(gstats),
                  "counts": pd.DataFrame(wide, index=pd.Index(cols, name="item")),
                  "n_dropped": int(g.isna().sum())}
    prov = make_provenance(
        "multiple_response", {"item": item if isinstance(item, str) else list(item), "by": by,
                              "lang": lang},
        {"by": None, "lang": "zh"}, instruments=(ins.ref,) if ins is not None else (),
        r_equivalent="colSums(x == 1, na.rm = TRUE); 100 * k / sum(k); 100 * k / n_valid")
    return MultipleResponse(table=table, provenance=prov, item=q, items=tuple(cols),
                            n=len(frame), n_valid=n_valid, n_missing=n_none + n_not,
                            n_none=n_none, n_not_shown=n_not, n_responses=n_resp, by=by,
                            lang=lang, **fields)
