"""Write responses back to SPSS (.sav, .zsav) or Stata (.dta) for colleagues on those tools.

:func:`write_responses` writes the metadata and item values of a :class:`Responses` (or a
table of item columns with its instrument, e.g. the output of :func:`surveykit.score`) with

* **variable labels**: the item text in the chosen language (scales: the scale name;
  metadata: a short description);
* **value labels**: the options of each item's response scale and its typed missing codes;
* **typed missing codes**: a cell missing for a reason the instrument has a code for
  (``refused`` → −99, ``dont_know`` → −98 …) is written as that code and declared missing —
  SPSS user-missing values (``MISSING VALUES LP01 (-99, -98)``), Stata extended missing
  values ``.a``, ``.b`` … in the order of the scale's missing codes, labelled with the code's
  label (so :func:`surveykit.read_responses` reads them back as the same reasons). Cells
  missing for a reason without a code (``empty``, ``skipped``, ``invalid``,
  ``not_applicable``) are system missing (``.`` / sysmis).

The file is written to a temporary name and renamed when complete (``surveykit/_files.py``).
"""
from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._files import atomic_path
from .._params import PATH, InstanceOf, validate_params
from ..errors import DataWarning, OutputError, ParameterError, ResponsesError

__all__ = ["write_responses", "FORMATS", "STATA_LABEL_MAX"]

#: file suffix → format
FORMATS = {".sav": "sav", ".zsav": "sav", ".dta": "dta"}
#: Stata's limit for a variable label (characters); longer labels are cut with a warning
STATA_LABEL_MAX = 80
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_NAME = {"sav": re.compile(r"^[A-Za-z@#$][A-Za-z0-9_.@#$]{0,63}$"),
         "dta": re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")}
_SPSS_RESERVED = {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO",
                  "WITH"}
_META_LABELS = {
    "respondent": {"en": "Respondent (pseudonym)", "zh": "受访者（假名）"},
    "source_row": {"en": "Row in the source file", "zh": "源文件中的行号"},
    "source_file": {"en": "Source file", "zh": "源文件"},
    "wave": {"en": "Wave", "zh": "调查轮次"},
    "instrument_version": {"en": "Instrument version", "zh": "问卷版本"},
    "submitted_at": {"en": "Submitted at", "zh": "提交时间"},
    "duration_s": {"en": "Completion time (seconds)", "zh": "作答用时（秒）"},
    "respondent_id": {"en": "Respondent id (pseudonymised)", "zh": "受访者编号（假名）"},
}


@validate_params({
    "data": [InstanceOf(("surveykit.responses.model:Responses", pd.DataFrame),
                        "a Responses or a DataFrame", show_type=True)],
    "path": [PATH],
    "instrument": [InstanceOf(("surveykit.instrument.model:Instrument", str),
                              "an Instrument or an instrument id", show_type=True), None],
    "lang": [InstanceOf(str, "a language code such as 'zh'"), None],
    "file_label": [InstanceOf(str, "a text")],
})
def write_responses(data: Any, path: str | os.PathLike[str], *, instrument: Any = None,
                    lang: str | None = None, file_label: str = "") -> Path:
    """Write responses as an SPSS ``.sav``/``.zsav`` or Stata ``.dta`` file, labelled.

    Parameters
    ----------
    data : Responses or DataFrame
        A :class:`Responses` (e.g. ``clean(...).kept``: missing reasons become the typed
        missing codes), or a DataFrame of item (and score) columns with ``instrument``;
        there, cells holding a missing code of their item (−99) are written as that code.
    path : str or PathLike
        Ends in ``.sav``, ``.zsav`` (compressed SPSS) or ``.dta`` (Stata 15).
    instrument : Instrument or id, optional
        Needed for a DataFrame; a Responses carries its own.
    lang : str, optional
        Language of the labels (default: the instrument's first language).
    file_label : str
        Label of the file (Stata) / file label (SPSS).

    Returns
    -------
    Path
        The file written.

    Notes
    -----
    R equivalent: ``haven::write_sav(x, path)`` / ``haven::write_dta(x, path)`` with
    ``labelled`` columns and ``user_na`` (``labelled_spss``) missing values.

    Examples
    --------
    >>> import pyreadstat
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_example_wave
    >>> r = load_example_wave(1, key="example")
    >>> path = sk.write_responses(r, "wave1.sav", lang="en")
    >>> df, meta = pyreadstat.read_sav(str(path), user_missing=True)
    >>> meta.column_names_to_labels["LP01"]
    'Our local government tends to favour local firms in public procurement.'
    >>> meta.variable_value_labels["LP01"][-99.0], meta.missing_ranges["LP01"][0]
    ('Refused', {'lo': -99.0, 'hi': -99.0})
    >>> int((df["LP01"] == -99).sum()) == int((r.missing["LP01"] == "refused").sum())
    True
    """
    from .model import Responses

    p = Path(os.fspath(path))
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise ParameterError(f"The 'path' parameter of write_responses must end in .sav, .zsav "
                             f"or .dta. Got {p.name!r} instead.")
    if isinstance(data, Responses):
        ins = data.instrument if instrument is None else _instrument(instrument)
        frame = data.to_frame()
        reasons = data.missing
    elif isinstance(data, pd.DataFrame):
        if instrument is None:
            raise ParameterError("The 'instrument' parameter of write_responses must be given "
                                 "for a DataFrame (an Instrument or an instrument id). Got None "
                                 "instead.")
        ins = _instrument(instrument)
        frame, reasons = data, None
    else:
        raise ParameterError(f"The 'data' parameter of write_responses must be a Responses or "
                             f"a DataFrame. Got {type(data).__name__} instead.")
    lang = lang or ins.languages[0]
    if lang not in ins.languages:
        raise ParameterError(f"The 'lang' parameter of write_responses must be one of "
                             f"{set(ins.languages)}. Got {lang!r} instead.")
    if frame.index.name is not None and frame.index.name not in frame.columns:
        frame = frame.reset_index()
    else:
        frame = frame.reset_index(drop=True)
    _check_names(frame.columns, fmt, p.name)

    out: dict[str, Any] = {}
    var_labels: dict[str, str] = {}
    value_labels: dict[str, dict[Any, str]] = {}
    sav_missing: dict[str, list[Any]] = {}
    dta_missing: dict[str, list[str]] = {}
    scales = {s.id: s for s in ins.scales}
    for col in frame.columns:
        s = frame[col]
        if ins.has_item(col):
            item = ins.item(col)
            var_labels[col] = item.text.in_lang(lang)
            rs = item.response
            if rs.type == "text":
                out[col] = _text(s)
                continue
            x = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            labels = {_num(o.value): o.label.in_lang(lang) for o in rs.options}
            codes = list(rs.missing)
            which = _which_code(x, codes, reasons[col] if reasons is not None
                                and col in reasons.columns else None)
            if fmt == "sav":
                for k, m in enumerate(codes):
                    x = np.where(which == k, float(m.value), x)
                    labels[_num(m.value)] = m.label.in_lang(lang)
                if codes:
                    sav_missing[col] = _sav_ranges([float(m.value) for m in codes])
                out[col] = x
            else:
                if len(codes) > len(_LETTERS):      # pragma: no cover - 26 codes
                    raise ResponsesError(f"item {col} has {len(codes)} missing codes; Stata "
                                         f"has 26 extended missing values (.a–.z).", item=col)
                if codes and (which >= 0).any():
                    obj = pd.Series(x, dtype=object)
                    obj[np.isnan(x)] = np.nan
                    for k in range(len(codes)):
                        obj[which == k] = _LETTERS[k]
                    out[col] = obj
                else:
                    out[col] = x
                for k, m in enumerate(codes):
                    labels[_LETTERS[k]] = m.label.in_lang(lang)
                if codes:
                    dta_missing[col] = list(_LETTERS[:len(codes)])
            if labels:
                value_labels[col] = labels
        else:
            if col in scales:
                var_labels[col] = scales[col].name.in_lang(lang)
            elif col in _META_LABELS:
                var_labels[col] = _META_LABELS[col].get(lang, _META_LABELS[col]["en"])
            out[col] = _plain(s)
    table = pd.DataFrame(out)
    if fmt == "dta":
        long = [c for c, t in var_labels.items() if len(t) > STATA_LABEL_MAX]
        if long:
            warnings.warn(f"{p.name}: {len(long)} variable label(s) are longer than Stata's "
                          f"{STATA_LABEL_MAX} characters and were cut ({', '.join(long[:5])}"
                          f"{', …' if len(long) > 5 else ''}); the full texts are in the "
                          f"instrument's codebook.", DataWarning, stacklevel=2)
            for c in long:
                var_labels[c] = var_labels[c][:STATA_LABEL_MAX - 1] + "…"
    _write(table, p, fmt, var_labels, value_labels, sav_missing, dta_missing, file_label)
    return p


def _instrument(instrument: Any) -> Any:
    from .read import resolve_instrument

    return resolve_instrument(instrument)


def _num(v: Any) -> Any:
    f = float(v)
    return int(f) if f.is_integer() else f


def _which_code(x: np.ndarray, codes: list[Any], reasons: pd.Series | None) -> np.ndarray:
    """Per cell, the position of its typed missing code in ``codes`` (−1: none)."""
    from .coding import MISSING_DTYPE, reason_of_kind

    which = np.full(len(x), -1, dtype=np.int64)
    if not codes:
        return which
    if reasons is not None:
        rc = reasons.cat.codes.to_numpy() if isinstance(reasons.dtype, pd.CategoricalDtype) \
            else pd.Categorical(reasons, dtype=MISSING_DTYPE).codes
        for k, m in enumerate(codes):           # reason codes index MISSING_DTYPE categories
            which[(rc == reason_of_kind(m.kind)) & (which < 0)] = k
    for k, m in enumerate(codes):                  # codes written as values (a DataFrame)
        which[(x == float(m.value)) & (which < 0)] = k
    return which


def _sav_ranges(values: list[float]) -> list[Any]:
    """SPSS allows three discrete missing values, or one range plus one value."""
    if len(values) <= 3:
        return [_num(v) for v in values]
    return [{"lo": min(values), "hi": max(values)}]


def _text(s: pd.Series) -> pd.Series:
    return s.astype("string").fillna("").astype(object)


def _plain(s: pd.Series) -> pd.Series:
    """Metadata columns as pyreadstat takes them: numbers, text, naive datetimes."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype("string")
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype("float64")
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s.dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s
    if pd.api.types.is_numeric_dtype(s.dtype):
        return s.astype("float64")
    return _text(s)


def _check_names(columns: Any, fmt: str, name: str) -> None:
    bad = [str(c) for c in columns if not isinstance(c, str) or not _NAME[fmt].match(c)
           or (fmt == "sav" and c.upper() in _SPSS_RESERVED)]
    if bad:
        tool = "SPSS" if fmt == "sav" else "Stata"
        rule = ("start with a letter and hold letters, digits, '_' or '.' (at most 64), and "
                "not be a reserved word such as BY or TO" if fmt == "sav" else
                "start with a letter or '_' and hold letters, digits or '_' (at most 32)")
        raise ResponsesError(f"{name}: {len(bad)} column name(s) cannot be {tool} variable "
                             f"names ({', '.join(map(repr, bad[:5]))}"
                             f"{', …' if len(bad) > 5 else ''}): a {tool} name must {rule}. "
                             f"Rename them first (e.g. df.rename(columns=...)).")


def _write(table: pd.DataFrame, p: Path, fmt: str, var_labels: dict[str, str],
           value_labels: dict[str, dict[Any, str]], sav_missing: dict[str, list[Any]],
           dta_missing: dict[str, list[str]], file_label: str) -> None:
    import pyreadstat

    with atomic_path(p) as tmp:
        try:
            if fmt == "sav":
                pyreadstat.write_sav(table, str(tmp), file_label=file_label,
                                     column_labels=var_labels,
                                     compress=p.suffix.lower() == ".zsav",
                                     variable_value_labels=value_labels,
                                     missing_ranges=sav_missing or None)
            else:
                pyreadstat.write_dta(table, str(tmp), file_label=file_label,
                                     column_labels=var_labels,
                                     variable_value_labels=value_labels,
                                     missing_user_values=dta_missing or None)
        except OSError:
            raise                                   # atomic_path makes it an OutputError
        except Exception as e:                      # readstat refuses the data
            raise OutputError(f"Cannot write {p}: {'SPSS' if fmt == 'sav' else 'Stata'} "
                              f"refused the data ({type(e).__name__}: {str(e)[:200]}).",
                              path=str(p)) from None
