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
from dataclasses import replace as dc_replace
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
from ..instrument.model import (
    Instrument,
    Item,
    LocalizedText,
    Matrix,
    MissingCode,
    Option,
    ResponseScale,
)
from ..instrument.questions import Select, expand
from .draft_questions import (
    matrix_groups,
    multi_groups,
    multi_item,
    shared_scale,
    strip_fills,
    text_multi_columns,
)
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
                if sub is None and hd.sub:
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


def _matrices(table: RawTable, cols: list[int], exclude: set[int], items: list[Item],
              item_at: dict[int, int], ids: list[tuple[str, str, str | None]],
              stems: dict[str, list[str]], lg: str) -> tuple[list[Matrix], list[str]]:
    """The matrices among the drafted items (rows given one shared scale, in place), and the
    ids of those whose stem the export does not show (``stems``: the stem a ``N、题干—行标题``
    header carries → its row ids)."""
    stem_of = {i: stem for stem, members in stems.items() for i in members}
    out: list[Matrix] = []
    loose: list[str] = []
    taken = {i for i, _, _ in ids} | {it.id for it in items}
    for n, group in matrix_groups(table, cols, exclude).items():
        rows = [items[item_at[c]] for c in group if c in item_at]
        rs = shared_scale(f"Q{n}", [r.response for r in rows])
        if rs is None or len(rows) < 2:
            continue
        stem = stem_of.get(rows[0].id)
        for c in group:
            it = items[item_at[c]]
            sub = parse_header(table.headers[c]).sub
            items[item_at[c]] = dc_replace(it, response=rs, text=LocalizedText(
                {lg: sub if (stem and sub) else it.text[lg]}))
        mid = item_id(f"Q{n}", taken)
        if not stem:
            loose.append(mid)
        out.append(Matrix(id=mid, text=LocalizedText({lg: stem or (
            f"第{n}题（矩阵题）" if lg == "zh" else f"Question {n} (matrix)")}),
            items=tuple(r.id for r in rows), response=rs))
    return out, loose


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
    fills: dict[int, set[float]] = {}
    for c in cols:
        data[c], seen = strip_fills(data[c])
        codes = set(pd.to_numeric(pd.Series(sorted(seen), dtype=object), errors="coerce")
                    .dropna().tolist())
        if codes:
            fills[c] = codes
    multi = multi_groups(table, cols, data)
    in_multi = {c: n for n, cs in multi.items() for c in cs}
    label_of: dict[int, pd.Series] = {}
    wording: dict[int, str] = {}
    pair_note = ""
    if labels is not None:
        label_table = _open(Path(labels), "auto", None)
        tmulti = text_multi_columns(label_table, set(multi))
        code_pos = [k for k in range(len(table.headers)) if k not in in_multi]
        text_pos = [k for k in range(len(label_table.headers)) if k not in tmulti.values()]
        if [table.headers[k].strip() for k in code_pos] != \
                [label_table.headers[k].strip() for k in text_pos]:
            unpaired = _multi_select_columns(table.headers, label_table.headers)
            if unpaired:
                raise ResponsesError(
                    f"{label_table.name} holds multi-select question(s) in one column each "
                    f"({', '.join(repr(h) for h in unpaired[:3])}"
                    f"{' …' if len(unpaired) > 3 else ''}: the chosen labels joined by ┋) "
                    f"whose option columns in {table.name} hold other values than 0/1 and "
                    f"the missing codes, so they cannot be paired. Check that both files are "
                    f"downloads of the same survey (按选项序号 and 按选项文本).",
                    file=label_table.name)
            raise ResponsesError(
                f"{label_table.name} has other columns than {table.name} ({len(label_table.headers)}"
                f" vs {len(table.headers)}; first difference: "
                f"{next((a for a, b in zip(label_table.headers, table.headers) if a != b), '—')!r})"
                f". Download the text version of the same survey (按文本) and try again.",
                file=label_table.name)
        tpos = dict(zip(code_pos, text_pos))
        for n, k in tmulti.items():
            h = label_table.headers[k].strip()
            plain = _PLAIN_Q.match(h)
            wording[n] = h[plain.end():].strip() if plain else h
        paired_cols = [c for c in cols if c in tpos]
        loaded = label_table.load([tpos[c] for c in paired_cols])
        label_data = {c: strip_fills(loaded[tpos[c]])[0] for c in paired_cols}
        key = next((k for k in meta if table.headers[k].strip() in ("序号", "ResponseId")), None)
        if key is not None:
            a = table.load([key])[key].astype(str).to_numpy()
            b = label_table.load([tpos[key]])[tpos[key]].astype(str)
            pos = pd.Series(np.arange(len(b)), index=b.to_numpy())
            idx = pos[~pos.index.duplicated()].reindex(a).to_numpy()
            ok = ~np.isnan(idx)
            take = np.where(ok, idx, 0).astype(int)
            label_of = {c: pd.Series(np.where(ok, label_data[c].to_numpy(dtype=object)[take],
                                              None), dtype=object) for c in paired_cols}
            if not ok.all():
                pair_note = (f"{int((~ok).sum())} row(s) of {table.name} have no "
                             f"{table.headers[key]} in {label_table.name}; their codes were "
                             f"not labelled from it.")
        elif label_table.n_rows != table.n_rows:
            raise ResponsesError(f"{table.name} and {label_table.name} have no 序号 column and "
                                 f"different row counts; pass exports of the same survey.",
                                 file=label_table.name)
        else:
            label_of = {c: label_data[c].reset_index(drop=True) for c in paired_cols}
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
    selects: dict[str, Select] = {}
    specify: list[str] = []
    item_at: dict[int, int] = {}
    for c, (iid, text, stem) in zip(cols, ids):
        if c in in_multi:
            n = in_multi[c]
            if c == multi[n][0]:
                qid = item_id(f"Q{n}", set(i.id for i in items) | {i for i, _, _ in ids})
                items.append(multi_item(n, qid, table, multi[n], data, wording.get(n), lg,
                                        tally["negative"]))
                selects[qid] = Select()
            continue
        rs = _scale_for(iid, data[c], table.value_labels.get(table.headers[c], {}),
                        table.user_missing.get(table.headers[c], []), label_of.get(c), lg,
                        tally)
        if c in fills and rs.options:
            rs = dc_replace(rs, options=tuple(dc_replace(o, specify=True)
                                              if float(o.value) in fills[c] else o
                                              for o in rs.options))
            if any(o.specify for o in rs.options):
                specify.append(iid)
        same = next((s for s in scales.values() if s.type == rs.type and s.options
                     == rs.options and s.missing == rs.missing), None)
        rs = same or scales.setdefault(rs.id, rs)
        item_at[c] = len(items)
        items.append(Item(id=iid, text=LocalizedText({lg: text}), response=rs, required=False))
        if stem:
            stems.setdefault(stem, []).append(iid)
    matrices, loose = _matrices(table, cols, set(in_multi), items, item_at, ids, stems, lg)
    if selects:
        notes.append(f"multi-select question(s) from their 0/1 option columns (options coded "
                     f"1… in column order): {_listed(list(selects))}"
                     + ("" if wording else " — their wording is not in a code download: "
                        "write it, or pass labels= the text download") + "; add "
                     "min_choices/max_choices where the survey limits the ticks.")
    if specify:
        notes.append(f"other-specify options (a code followed by typed text 〖…〗), "
                     f"marked 'specify: true': {_listed(specify)}.")
    items, multis, _ = expand(items, [], selects, (lg,))
    if matrices:
        notes.append("matrix question(s) from their row columns, one shared scale (the options "
                     "seen in any row): " + ", ".join(f"{m.id} ({len(m.items)} rows)"
                                                     for m in matrices)
                     + (f" — write the stem of {_listed(loose)} (not in a code download)"
                        if loose else "") + ".")
    notes += _tally_notes(tally, labels is not None)
    notes.append("required, skip logic, reverse keys and scales are not in an export: add them.")
    ins_id = id or instrument_id(p.stem)
    rscales = {it.response.id: it.response for it in items
               if it.question is None}
    rscales.update({m.response.id: m.response for m in multis})
    ins = Instrument(
        id=ins_id, version="0.1.0", languages=(lg,), title=LocalizedText({lg: ins_id}),
        items=tuple(items), multi_selects=multis, matrices=tuple(matrices),
        response_scales=rscales, sections=(),
        changelog=LocalizedText({lg: "由数据导出文件生成的草稿。" if lg == "zh"
                                 else "Drafted from a data export."}))
    return finish(ins, notes, p, f"{table.reader} export")
