"""Sample profile (样本基本情况): frequency and percent of every option of the profile items.

For each item, one row per option of its response scale (options nobody chose included, with
0), in the instrument's order, then one row per missing reason that occurs (拒绝回答,
跳过 …) — so the counts of an item always add up to the number of respondents. ``percent``
is of all respondents (R: ``prop.table(table(x, useNA = "ifany")) * 100``), ``valid_percent``
of those who answered (``prop.table(table(x)) * 100``), as SPSS's FREQUENCIES shows them.
With ``by=`` the same per group, percents within the group.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..._params import ColumnName, InstanceOf, Names, validate_params
from ...errors import AnalysisError, ParameterError
from ...result import Result, make_provenance
from ..inputs import _not_found, as_frame

__all__ = ["SampleProfile", "describe_sample", "REASON_LABELS"]

#: How a missing reason is named in the table when the instrument does not label it.
REASON_LABELS = {
    "zh": {"missing": "缺失", "empty": "未作答", "skipped": "跳过（不适用）", "refused": "拒绝回答",
           "dont_know": "不知道", "not_applicable": "不适用", "invalid": "无效答案",
           "unknown_text": "无法识别的答案", "other": "其他缺失"},
    "en": {"missing": "missing", "empty": "no answer", "skipped": "skipped (not applicable)",
           "refused": "refused", "dont_know": "don't know", "not_applicable": "not applicable",
           "invalid": "invalid answer", "unknown_text": "unrecognised answer",
           "other": "other missing"},
}


@dataclass(frozen=True, kw_only=True)
class SampleProfile(Result):
    """Result of :func:`describe_sample`.

    ``table``: one row per item × option (and per missing reason that occurs), with
    ``item``, ``item_label``, ``value`` (the code; empty for a missing reason), ``label``
    (the option's or reason's label), ``count``, ``percent`` (of all ``n``),
    ``valid_percent`` (of those who answered the item), and ``group`` with ``by=``.
    """

    n: int
    items: tuple[str, ...]
    by: str | None
    title: str = "Sample profile"


def _profile_items(ins: Any) -> list[str]:
    """Items on a nominal/ordinal scale that belong to no scale (the profile items).

    A multi-select's 0/1 option columns and other-specify texts are left out: the
    question is tabulated by :func:`multiple_response` (responses and cases %)."""
    in_scales = {i for s in ins.scales for i in s.items}
    return [it.id for it in ins.items if it.id not in in_scales
            and it.response.type in ("ordinal", "nominal") and it.attention_check is None
            and not it.is_choice_column and not it.is_specify]


def _reasons(data: Any, frame: pd.DataFrame, item: str, ins: Any) -> pd.Series:
    """Why each respondent's answer to ``item`` is missing ('' when answered)."""
    missing = getattr(data, "missing", None)
    if isinstance(missing, pd.DataFrame) and item in missing.columns:
        return missing[item].astype("string").fillna("").astype(object)
    x = frame[item]
    out = pd.Series(np.where(x.isna(), "missing", ""), index=frame.index, dtype=object)
    if ins is not None and ins.has_item(item):
        rs = ins.item(item).response
        for m in rs.missing:
            out[x == m.value] = m.kind
    return out


def _code_label(v: Any) -> str:
    if isinstance(v, (int, float, np.number)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def _item_rows(item: str, x: pd.Series, reasons: pd.Series, ins: Any, lang: str
               ) -> list[dict[str, Any]]:
    answered = reasons == ""
    n, n_valid = len(x), int(answered.sum())
    vals = x[answered]
    num = pd.to_numeric(vals, errors="coerce")
    if num.notna().all():          # codes; text categories (no instrument) stay text
        vals = num
    counts = vals.value_counts()
    rs = ins.item(item).response if ins is not None and ins.has_item(item) else None
    options = [(o.value, o.label.in_lang(lang)) for o in rs.options] if rs is not None \
        and rs.options else [(v, _code_label(v)) for v in sorted(counts.index)]
    extra = [v for v in counts.index if v not in {o for o, _ in options}]
    if extra:
        raise AnalysisError(
            f"describe_sample: {item} holds value(s) {', '.join(map(_code_label, extra))} "
            f"that are not options of its response scale. Clean the data first "
            f"(sk.clean) or correct the instrument.")
    item_label = (ins.item(item).text.in_lang(lang) if rs is not None else item)
    rows = [{"item": item, "item_label": item_label, "value": v, "label": lab,
             "count": int(counts.get(v, 0)), "percent": 100 * counts.get(v, 0) / n if n else
             np.nan, "valid_percent": 100 * counts.get(v, 0) / n_valid if n_valid else np.nan}
            for v, lab in options]
    found = reasons[~answered].value_counts(sort=False)
    declared = [m.kind for m in rs.missing] if rs is not None else []
    order = [k for k in declared if k in found.index] + sorted(k for k in found.index
                                                               if k not in declared)
    for reason, k in ((r, found[r]) for r in order):
        label = REASON_LABELS.get(lang, REASON_LABELS["en"]).get(reason, reason)
        if rs is not None:
            label = next((m.label.in_lang(lang) for m in rs.missing if m.kind == reason), label)
        rows.append({"item": item, "item_label": item_label, "value": np.nan, "label": label,
                     "count": int(k), "percent": 100 * k / n, "valid_percent": np.nan,
                     "missing_reason": reason})
    return rows


@validate_params({
    "items": [None, Names()],
    "by": [None, ColumnName()],
    "lang": [InstanceOf(str, "a language code such as 'zh'")],
})
def describe_sample(data: Any, items: Sequence[str] | None = None, by: str | None = None, *,
                    instrument: Any = None, lang: str = "zh") -> SampleProfile:
    """Frequencies and percents of the profile items (the thesis's sample table).

    Parameters
    ----------
    data : Responses or DataFrame
        A Responses keeps the missing reasons (refused, skipped …); in a DataFrame empty
        cells count as ``missing`` and the instrument's missing codes as their kind.
    items : list of str, optional
        Default: every nominal/ordinal item of the instrument that is in no scale and is
        not an attention check.
    by : str, optional
        A column to tabulate by (e.g. ``"PR01"``, region): percents within each group.
    instrument : Instrument, optional
        Option labels and order (default: the Responses' instrument).
    lang : str
        Language of the labels in the table.

    Returns
    -------
    SampleProfile

    Notes
    -----
    R equivalent: ``table(x, useNA = "ifany")`` and ``prop.table(...) * 100`` per item
    (SPSS ``FREQUENCIES``).

    Examples
    --------
    >>> import pandas as pd, surveykit as sk
    >>> ins = sk.load_instrument("respondent_profile")
    >>> df = pd.DataFrame({"PR01": [1, 1, 2, -99], "PR07": [1, 2, 2, None]})
    >>> t = sk.describe_sample(df, ["PR01", "PR07"], instrument=ins).table
    >>> t[["item", "label", "count", "percent", "valid_percent"]].round(1)
       item label  count  percent  valid_percent
    0  PR01    成都      2     50.0           66.7
    1  PR01    重庆      1     25.0           33.3
    2  PR01  拒绝回答      1     25.0            NaN
    3  PR07     男      1     25.0           33.3
    4  PR07     女      2     50.0           66.7
    5  PR07    缺失      1     25.0            NaN
    """
    frame, ins_data, source = as_frame(data, "describe_sample")
    ins = instrument if instrument is not None else ins_data
    if items is None:
        if ins is None:
            raise ParameterError("The 'items' parameter of describe_sample is None and there "
                                 "is no instrument. Got neither; pass items= or instrument=.")
        items = _profile_items(ins)
    items = list(items)
    for it in [*items, *([by] if by else [])]:
        if it not in frame.columns:
            raise _not_found(it, list(frame.columns), source)
    groups: list[tuple[Any, pd.Series]] = [(None, pd.Series(True, index=frame.index))]
    if by is not None:
        g = frame[by]
        labels = {}
        if ins is not None and ins.has_item(by):
            labels = {o.value: o.label.in_lang(lang) for o in ins.item(by).response.options}
        groups = [(labels.get(v, v), g == v) for v in sorted(pd.unique(g.dropna()))]
    rows: list[dict[str, Any]] = []
    for gname, mask in groups:
        for it in items:
            reasons = _reasons(data, frame, it, ins)
            part = _item_rows(it, frame.loc[mask, it], reasons[mask], ins, lang)
            for r in part:
                if by is not None:
                    r["group"] = gname
            rows += part
    table = pd.DataFrame(rows)
    cols = (["group"] if by else []) + ["item", "item_label", "value", "label", "count",
                                         "percent", "valid_percent"]
    if "missing_reason" in table:
        cols.append("missing_reason")
    table = table[cols].reset_index(drop=True)
    prov = make_provenance("describe_sample", {"items": items, "by": by, "lang": lang},
                           {"by": None, "lang": "zh"},
                           instruments=(ins.ref,) if ins is not None else (),
                           r_equivalent='table(x, useNA = "ifany"); prop.table(table(x)) * 100')
    return SampleProfile(table=table, provenance=prov, n=len(frame), items=tuple(items), by=by)
