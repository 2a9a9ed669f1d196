"""Draft an instrument from a raw export, for a study fielded without surveykit.

``draft_instrument("wave1_code.csv", labels="wave1_text.xlsx")`` reads the export's headers
and values and writes an instrument draft (the same :class:`InstrumentImport` as the
questionnaire importers): one item per answer column, ids from the question numbers
(Wenjuanxing ``1、…`` → ``Q1``, matrix rows ``5(1)`` → ``Q5_1``) or the variable names
(Qualtrics ``Q5_1``, SPSS), wording from the headers (Qualtrics' question-text row, SPSS
variable labels), options from

* SPSS/Stata value labels and user-missing values (typed missing codes, kind from the label);
* a Wenjuanxing **text** download of the same survey (``labels=``): cells are paired by
  序号 (or by row when either file has none), so each code gets the label respondents saw;
* otherwise the codes seen, labelled by the code, with a note to add the labels.

Columns whose values are mostly distinct text become text items, numbers outside a short
code list numeric items (observed range noted, not taken as bounds). Metadata columns
(序号, 提交答卷时间, IP, ResponseId …) are not items and are listed. Options nobody chose
are not in the data — the note says so. The draft is a start, never a finished instrument.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._params import InstanceOf, Options, validate_params
from ..errors import ResponsesError
from ..instrument.imports._draft import (
    InstrumentImport,
    finish,
    guess_lang,
    instrument_id,
    item_id,
    missing_kind,
)
from ..instrument.model import Instrument, Item, LocalizedText, MissingCode, Option, ResponseScale
from .readers import SOURCES, RawTable, open_source
from .readers.qualtrics import QUALTRICS_META
from .readers.wjx import EMPTY_TOKENS, SKIPPED_TOKENS, WJX_META, parse_header

__all__ = ["draft_instrument", "MAX_CODES"]

#: At most this many distinct whole numbers read as option codes (more: a numeric item).
MAX_CODES = 12
_TOKENS = set(SKIPPED_TOKENS) | set(EMPTY_TOKENS)
_PLAIN_Q = re.compile(r"^\d{1,4}\s*[、.．:：\s]+")
_META = set(WJX_META) | set(QUALTRICS_META) | {"id", "respondent", "respondent_id"}


def _open(path: Path, source: str, encoding: str | None) -> RawTable:
    if not path.is_file():
        raise ResponsesError(f"{path}: no such file. Check the path.", file=path.name)
    return open_source(path, path.read_bytes(), source, encoding)


def _multi_select_columns(code_headers: list[str], text_headers: list[str]) -> list[str]:
    """Text-download headers ``N、题干`` whose number the code download gives only as
    option columns ``N(选项)`` (a Wenjuanxing multi-select in its two shapes)."""
    parsed = [parse_header(h) for h in code_headers]
    options = {p.number for p in parsed if p.number is not None and p.sub and not p.stem}
    whole = {p.number for p in parsed if p.number is not None and not p.sub}
    out = []
    for h in text_headers:
        p = parse_header(h)
        if p.number in options - whole and not p.sub:
            out.append(h)
    return out


def _ids(table: RawTable, cols: list[int]) -> list[tuple[str, str, str | None]]:
    """(item id, wording, matrix stem) per answer column."""
    taken: set[str] = set()
    out = []
    for p in cols:
        h, lab = table.headers[p], table.labels[p] if p < len(table.labels) else ""
        if table.kind == "wjx":
            hd = parse_header(h)
            plain = _PLAIN_Q.match(h.strip())
            if hd.number is not None and hd.sub_index is None and not hd.sub and plain:
                out.append((item_id(f"Q{hd.number}", taken), h.strip()[plain.end():].strip(),
                            None))   # the header as written (NFKC would change ，to ,)
                continue
            if hd.number is not None:
                sub = hd.sub_index
                base = f"Q{hd.number}" + (f"_{sub}" if sub else "")
                if sub is None and hd.sub and not hd.stem:
                    base = f"Q{hd.number}_{len([o for o in out if o[0].startswith(f'Q{hd.number}_')]) + 1}"
                stem = hd.stem if (hd.sub and hd.stem) else None
                text = f"{hd.stem}—{hd.sub}" if hd.stem and hd.sub else (hd.sub or hd.stem)
                out.append((item_id(base, taken), text or h, stem))
                continue
        out.append((item_id(h, taken), (lab or h).strip(), None))
    return out


def _pairs(codes: pd.Series, texts: pd.Series) -> dict[Any, str]:
    both = pd.DataFrame({"c": codes, "t": texts}).dropna()
    both = both[~both["t"].astype(str).isin(_TOKENS) & ~both["c"].astype(str).isin(_TOKENS)]
    if both.empty:
        return {}
    first = both.drop_duplicates("c")
    # a text download shows a value without a label as the number itself: not a label
    return {c: str(t) for c, t in zip(first["c"], first["t"])
            if str(t).strip() not in (f"{c:g}" if isinstance(c, float) else str(c), str(c))}


def _as_numbers(s: pd.Series) -> pd.Series:
    s = s.mask(s.astype(str).isin(_TOKENS))
    return pd.to_numeric(s, errors="coerce")


def _scale_for(iid: str, col: pd.Series, value_labels: dict, user_missing: list,
               label_col: pd.Series | None, lang: str, tally: dict[str, list[str]]
               ) -> ResponseScale:
    """The response scale a column's values suggest; what was assumed goes to ``tally``."""
    nums = _as_numbers(col)
    given = col.mask(col.astype(str).isin(_TOKENS)).dropna()
    share_num = nums.notna().sum() / max(len(given), 1)
    whole = nums.dropna()
    valid = whole[whole >= 0]
    paired = label_col is not None and bool(_pairs(nums, label_col))
    in_codes = valid.between(1, MAX_CODES) & (valid % 1 == 0)
    is_codes = bool(value_labels) or paired or (
        len(given) > 0 and share_num > 0.99 and len(valid) and in_codes.mean() >= 0.98)
    if is_codes and not value_labels and not in_codes.all():
        odd = sorted(valid[~in_codes].unique())
        tally["outside"].append(f"{iid} ({', '.join(f'{v:g}' for v in odd[:3])})")
        whole = whole[~whole.isin(odd)]
    if not is_codes:
        if share_num > 0.99 and len(valid):
            tally["numeric"].append(f"{iid} ({valid.min():g}–{valid.max():g})")
            miss = tuple(MissingCode(value=int(v) if float(v).is_integer() else float(v),
                                     kind="other", label=LocalizedText({lang: f"{v:g}"}))
                         for v in sorted(whole[whole < 0].unique()))
            if miss:
                tally["negative"].append(iid)
            return ResponseScale(id=f"{iid.lower()}_number", type="numeric", missing=miss)
        return ResponseScale(id="text", type="text")
    seen = sorted(whole.unique().tolist())
    labels: dict[float, str] = {float(k): str(v) for k, v in value_labels.items()
                                if not isinstance(k, str)}
    if label_col is not None and not labels:
        labels = {float(k): v for k, v in _pairs(nums, label_col).items()}
        odd = sorted(v for v in whole.unique() if float(v) not in labels and v >= 0)
        if odd and labels:
            tally["outside"].append(f"{iid} ({', '.join(f'{v:g}' for v in odd[:3])})")
            whole = whole[~whole.isin(odd)]
    miss_values = {float(v) for lo, hi in user_missing for v in seen + list(labels)
                   if lo <= float(v) <= hi}
    seen = sorted(whole.unique().tolist())
    codes = sorted(set(seen) | set(labels))
    if any(float(c) not in labels for c in codes):
        tally["unlabelled"].append(iid)
    opts, miss = [], []
    for c in codes:
        v: int | float = int(c) if float(c).is_integer() else float(c)
        lab = LocalizedText({lang: labels.get(float(c), f"{v}")})
        if float(c) in miss_values or c < 0:
            kind = missing_kind(lab.values())
            miss.append(MissingCode(value=v, kind=kind, label=lab))
            if kind == "other" and iid not in tally["negative"]:
                tally["negative"].append(iid)
        else:
            opts.append(Option(value=v, label=lab))
    if not opts:
        return ResponseScale(id="text", type="text")
    if not value_labels:
        tally["seen"].append(iid)
    words = " ".join(o.label[lang] for o in opts).lower()
    typ = "ordinal" if any(w in words for w in ("同意", "满意", "符合", "agree", "satisf")) \
        else "nominal"
    return ResponseScale(id=f"{iid.lower()}_options", type=typ, options=tuple(opts),
                         missing=tuple(miss))


def _listed(ids: list[str]) -> str:
    return ", ".join(ids[:6]) + (f" … ({len(ids)} items)" if len(ids) > 6 else "")


def _tally_notes(tally: dict[str, list[str]], paired: bool) -> list[str]:
    out = []
    if tally["unlabelled"]:
        how = "" if paired else " (pass labels= a text download of the same survey)"
        out.append(f"codes without a label, labelled by the code{how}: "
                   f"{_listed(tally['unlabelled'])}.")
    if tally["seen"]:
        out.append(f"options are the codes seen in the data, so an option nobody chose is "
                   f"missing — complete the lists: {_listed(tally['seen'])}.")
    if tally["numeric"]:
        out.append(f"numeric items, observed range in brackets (set min/max to the allowed "
                   f"range): {_listed(tally['numeric'])}.")
    if tally["outside"]:
        out.append(f"values outside the option codes, left out of the options (typing "
                   f"errors? the import will flag them): {_listed(tally['outside'])}.")
    if tally["negative"]:
        out.append(f"negative codes taken as typed missing codes (name their kind): "
                   f"{_listed(tally['negative'])}.")
    return out


@validate_params({
    "path": [InstanceOf((str, Path), "a file path")],
    "labels": [None, InstanceOf((str, Path), "a file path")],
    "source": [Options(*SOURCES)],
    "id": [None, InstanceOf(str, "an instrument id")],
    "lang": [None, InstanceOf(str, "a language code such as 'zh'")],
    "encoding": [None, InstanceOf(str, "an encoding name such as 'gb18030'")],
})
def draft_instrument(path: str | Path, *, labels: str | Path | None = None,
                     source: str = "auto", id: str | None = None, lang: str | None = None,
                     encoding: str | None = None) -> InstrumentImport:
    """Draft an instrument from a raw export's headers and values.

    Parameters
    ----------
    path : path
        The export (Wenjuanxing code or text download, Qualtrics CSV, SPSS/Stata, Excel, CSV).
    labels : path, optional
        A Wenjuanxing text download of the same survey: its cells give each code its label.
    source : {'auto', 'csv', 'excel', 'spss', 'stata', 'wjx', 'qualtrics'}
    id : str, optional
        Instrument id (default from the file name).
    lang : str, optional
        Language of the wording (default: ``zh`` when it holds Chinese, else ``en``).
    encoding : str, optional
        Text encoding of a CSV (default detected).

    Returns
    -------
    InstrumentImport
        ``.yaml`` is the draft, ``.notes`` what to complete by hand.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import example_study_path
    >>> d = sk.draft_instrument(example_study_path("wave1"), id="cadre_survey")
    >>> d.instrument.items[0].id, d.instrument.items[0].response.values
    ('Q1', (1, 2))

    R equivalent: none (instrument files are a surveykit format).
    """
    p = Path(path)
    table = _open(p, source, encoding)
    meta = [k for k, h in enumerate(table.headers)
            if h.strip() in _META or re.sub(r"\s+", "", h) in _META]
    cols = [k for k in range(len(table.headers)) if k not in meta]
    if not cols:
        raise ResponsesError(f"{table.name}: every column is a metadata column "
                             f"({', '.join(table.headers[:5])}); there are no answers to draft "
                             f"from.", file=table.name)
    data = table.load(cols)
    label_of: dict[int, pd.Series] = {}
    pair_note = ""
    if labels is not None:
        label_table = _open(Path(labels), "auto", None)
        if [h.strip() for h in label_table.headers] != [h.strip() for h in table.headers]:
            multi = _multi_select_columns(table.headers, label_table.headers)
            if multi:
                raise ResponsesError(
                    f"{label_table.name} holds multi-select question(s) in one column each "
                    f"({', '.join(repr(h) for h in multi[:3])}{' …' if len(multi) > 3 else ''}: "
                    f"the chosen labels joined by ┋), where {table.name} has one 0/1 column per "
                    f"option; draft_instrument pairs the two downloads column by column and "
                    f"cannot pair these yet. Draft from {table.name} alone (the option columns "
                    f"become Q{{n}}_1 … items: make them one `select: multiple` question) and "
                    f"copy the option labels from its headers.", file=label_table.name)
            raise ResponsesError(
                f"{label_table.name} has other columns than {table.name} ({len(label_table.headers)}"
                f" vs {len(table.headers)}; first difference: "
                f"{next((a for a, b in zip(label_table.headers, table.headers) if a != b), '—')!r})"
                f". Download the text version of the same survey (按文本) and try again.",
                file=label_table.name)
        label_data = label_table.load(cols)
        key = next((k for k in meta if table.headers[k].strip() in ("序号", "ResponseId")), None)
        if key is not None:
            a = table.load([key])[key].astype(str).to_numpy()
            b = label_table.load([key])[key].astype(str)
            pos = pd.Series(np.arange(len(b)), index=b.to_numpy())
            idx = pos[~pos.index.duplicated()].reindex(a).to_numpy()
            ok = ~np.isnan(idx)
            take = np.where(ok, idx, 0).astype(int)
            label_of = {c: pd.Series(np.where(ok, label_data[c].to_numpy(dtype=object)[take],
                                              None), dtype=object) for c in cols}
            if not ok.all():
                pair_note = (f"{int((~ok).sum())} row(s) of {table.name} have no "
                             f"{table.headers[key]} in {label_table.name}; their codes were "
                             f"not labelled from it.")
        elif label_table.n_rows != table.n_rows:
            raise ResponsesError(f"{table.name} and {label_table.name} have no 序号 column and "
                                 f"different row counts; pass exports of the same survey.",
                                 file=label_table.name)
        else:
            label_of = {c: label_data[c].reset_index(drop=True) for c in cols}
            pair_note = f"{label_table.name} paired with {table.name} row by row (no 序号)."
    notes: list[str] = [pair_note] if pair_note else []
    if meta:
        notes.append(f"{len(meta)} metadata column(s) are not items: "
                     + ", ".join(table.headers[k] for k in meta[:8])
                     + (" …" if len(meta) > 8 else "") + ".")
    ids = _ids(table, cols)
    lg = lang or guess_lang(t for _, t, _ in ids)
    items: list[Item] = []
    scales: dict[str, ResponseScale] = {}
    stems: dict[str, list[str]] = {}
    tally: dict[str, list[str]] = {k: [] for k in ("unlabelled", "seen", "numeric",
                                                   "negative", "outside")}
    for c, (iid, text, stem) in zip(cols, ids):
        rs = _scale_for(iid, data[c], table.value_labels.get(table.headers[c], {}),
                        table.user_missing.get(table.headers[c], []), label_of.get(c), lg,
                        tally)
        same = next((s for s in scales.values() if s.type == rs.type and s.options
                     == rs.options and s.missing == rs.missing), None)
        rs = same or scales.setdefault(rs.id, rs)
        items.append(Item(id=iid, text=LocalizedText({lg: text}), response=rs, required=False))
        if stem:
            stems.setdefault(stem, []).append(iid)
    for stem, members in stems.items():
        notes.append(f"{', '.join(members[:3])}{' …' if len(members) > 3 else ''}: rows of the "
                     f"matrix question '{stem[:30]}' — one item each.")
    notes += _tally_notes(tally, labels is not None)
    notes.append("required, skip logic, reverse keys and scales are not in an export: add them.")
    ins_id = id or instrument_id(p.stem)
    rscales = {it.response.id: it.response for it in items}
    ins = Instrument(
        id=ins_id, version="0.1.0", languages=(lg,), title=LocalizedText({lg: ins_id}),
        items=tuple(items), response_scales=rscales, sections=(),
        changelog=LocalizedText({lg: "由数据导出文件生成的草稿。" if lg == "zh"
                                 else "Drafted from a data export."}))
    return finish(ins, notes, p, f"{table.reader} export")
