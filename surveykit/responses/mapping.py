"""Which file column holds which item: the column → item mapping and its report.

Every column of a source file gets exactly one status in the mapping report:

``mapped``    holds an item (``method``: ``mapping_file``, ``id``, ``number``, ``text``,
              ``fuzzy``, ``matrix_row`` for a row of a declared matrix; ``score`` is the text similarity 0–1 where text was compared);
``meta``      a metadata column (submission time, duration, respondent id, channel …);
``dropped``   personal data dropped for privacy (IP, source detail, names, e-mail …) —
              keep it with ``keep=[...]``;
``ignored``   declared ``ignore`` in the mapping file (or a known tool column such as
              Wenjuanxing's 总分);
``unmapped``  matched nothing (an *item-like* one — numbered like a question, shaped
              like an item id, or with text resembling an item — is an error);
``ambiguous`` could be more than one item, or two columns claim one item (an error).

Order of matching: mapping file, metadata names, item id, display number (checked
against the text when the header has text), exact question text (zh or en, ignoring
whitespace, punctuation and full-width forms), then fuzzy text (:mod:`difflib`).

Mapping file (YAML or CSV) — see docs/responses.md::

    columns:                 # header text → item id, or "ignore", or "meta:<name>"
      "8(1)、本地政府在政府采购中倾向于选择本地企业。": LP01
      "备注": ignore
    absent: [LP13]           # items this file does not have (all cells: not_applicable)
    recode:                  # extra text → code (all items, or per item id)
      "同意": 4
      LP03: {"说不清": dont_know}
    unknown_text: error      # or "invalid": import unknown answer texts as invalid
    unmapped: error          # or "ignore": columns the instrument does not describe are
                             # ignored (status ignored, method unmapped_ignore, warned)

``unmapped: ignore`` is for a partial instrument against a full export (one scale of a
long questionnaire): instead of one ``ignore`` line per foreign column, every column that
maps to nothing is kept out — each one still listed in the mapping report with its reason,
and counted in one :class:`~surveykit.errors.DataWarning`. Ambiguous columns, duplicated
headers and items without a column stay errors.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..errors import ResponsesError
from ..instrument.model import Instrument
from .matrix_columns import match_matrix
from .model import MAPPING_COLUMNS, MISSING_REASONS
from .multi_columns import covered_columns, match_multi, mr_set_columns
from .readers import RawTable
from .readers.qualtrics import QUALTRICS_META, SIDE_BY_SIDE, TEXT_IQ
from .readers.wjx import WJX_META, parse_header
from .wordings import OtherWordings

__all__ = ["MappingSpec", "load_mapping", "map_columns", "ColumnPlan", "norm_text",
           "PRIVATE_META"]

#: meta names holding personal data: dropped unless kept with ``keep=``
PRIVATE_META = frozenset({
    "ip", "source_detail", "recipient_last_name", "recipient_first_name", "recipient_email",
    "external_reference", "location_latitude", "location_longitude", "user_id",
    "wechat_nickname", "name", "email", "phone",
})
#: meta names ignored by default (tool-computed, not data)
_IGNORED_META = frozenset({"total_score"})

_GENERIC_META = {
    "respondent": "respondent_id", "respondent_id": "respondent_id", "id": "respondent_id",
    "resp_id": "respondent_id", "responseid": "respondent_id", "response_id": "respondent_id",
    "submitted_at": "submitted_at", "submitdate": "submitted_at", "submit_date": "submitted_at",
    "timestamp": "submitted_at", "started_at": "started_at", "startdate": "started_at",
    "duration_s": "duration_s", "duration": "duration_s", "wave": "wave_label",
    "ip": "ip", "ip_address": "ip", "ipaddress": "ip", "email": "email", "e-mail": "email",
    "name": "name", "phone": "phone", "姓名": "name", "手机": "phone", "手机号": "phone",
    "电话": "phone", "邮箱": "email", "channel": "channel", "language": "language",
}

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_ITEM_ID_LIKE = re.compile(r"^[A-Za-z]{1,5}\d{1,3}[A-Za-z]?(?:[_\-\s].*)?$")


def norm_text(s: Any) -> str:
    """Normalise text for matching: NFKC, case-folded, without whitespace/punctuation."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(s)).casefold())


@dataclass
class MappingSpec:
    """A parsed mapping file: column overrides, absent items, recodes, unknown-text policy."""

    columns: dict[str, str] = field(default_factory=dict)
    absent: tuple[str, ...] = ()
    recode: dict[str, Any] = field(default_factory=dict)         # text → code (all items)
    item_recode: dict[str, dict[str, Any]] = field(default_factory=dict)
    unknown_text: str = "error"
    unmapped: str = "error"
    path: str = "<mapping>"


def load_mapping(mapping: "str | Path | Mapping[str, Any] | MappingSpec | None",
                 instrument: Instrument) -> MappingSpec:
    """Read a mapping file (YAML or CSV ``column,item``) or dict into a :class:`MappingSpec`."""
    if mapping is None:
        return MappingSpec()
    if isinstance(mapping, MappingSpec):
        return mapping
    where = "<mapping>"
    if isinstance(mapping, (str, Path)):
        p = Path(mapping)
        where = p.name
        if not p.exists():
            raise ResponsesError(f"Mapping file {str(p)!r} does not exist.", file=str(p))
        if p.suffix.lower() == ".csv":
            df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            if not {"column", "item"} <= set(df.columns):
                raise ResponsesError(f"{where}: a CSV mapping file needs the columns 'column' "
                                     f"and 'item' (got {', '.join(df.columns)}).", file=where)
            data: dict[str, Any] = {"columns": dict(zip(df["column"], df["item"]))}
        else:
            from .._yaml import YamlError, load_yaml

            try:
                data = load_yaml(p.read_text(encoding="utf-8-sig"), where, typ="safe") or {}
            except YamlError as e:
                raise ResponsesError(f"{where} is not valid YAML ({e.problem}).",
                                     file=where) from None
            except UnicodeDecodeError:
                raise ResponsesError(f"{where} is not UTF-8 text; save it as UTF-8.",
                                     file=where) from None
    else:
        data = dict(mapping)
    if not isinstance(data, Mapping):
        raise ResponsesError(f"{where}: a mapping file must be a YAML mapping with 'columns', "
                             f"'absent', 'recode' or 'unknown_text'.", file=where)
    unknown_keys = set(data) - {"columns", "absent", "recode", "unknown_text", "unmapped"}
    if unknown_keys:
        raise ResponsesError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown_keys)))}"
                             f"; use 'columns', 'absent', 'recode', 'unknown_text', "
                             f"'unmapped'.", file=where)
    cols = {str(k).strip(): ("ignore" if v in (None, "") else str(v).strip())
            for k, v in (data.get("columns") or {}).items()}
    bad = [f"{k!r} → {v!r}" for k, v in cols.items()
           if v != "ignore" and not v.startswith("meta:") and not instrument.has_item(v)]
    if bad:
        raise ResponsesError(
            f"{where}: {len(bad)} column(s) point to items the instrument does not have "
            f"({'; '.join(bad[:5])}). Use an item id of {instrument.ref}, 'ignore' or "
            f"'meta:<name>'.", file=where)
    absent = tuple(str(a) for a in (data.get("absent") or ()))
    bad_abs = [a for a in absent if not instrument.has_item(a)]
    if bad_abs:
        raise ResponsesError(f"{where}: 'absent' lists unknown item(s) {', '.join(bad_abs)}.",
                             file=where)
    recode: dict[str, Any] = {}
    item_recode: dict[str, dict[str, Any]] = {}
    for k, v in (data.get("recode") or {}).items():
        if isinstance(v, Mapping):
            if not instrument.has_item(str(k)):
                raise ResponsesError(f"{where}: 'recode' names unknown item {k!r}.", file=where)
            item_recode[str(k)] = {norm_text(t): _recode_value(c, where) for t, c in v.items()}
        else:
            recode[norm_text(k)] = _recode_value(v, where)
    policy = str(data.get("unknown_text", "error"))
    if policy not in ("error", "invalid"):
        raise ResponsesError(f"{where}: 'unknown_text' must be 'error' or 'invalid'. Got "
                             f"{policy!r} instead.", file=where)
    unmapped = str(data.get("unmapped", "error"))
    if unmapped not in ("error", "ignore"):
        raise ResponsesError(f"{where}: 'unmapped' must be 'error' or 'ignore'. Got "
                             f"{unmapped!r} instead.", file=where)
    return MappingSpec(columns=cols, absent=absent, recode=recode, item_recode=item_recode,
                       unknown_text=policy, unmapped=unmapped, path=where)


def _recode_value(v: Any, where: str) -> Any:
    if isinstance(v, str) and v in MISSING_REASONS:
        return v
    try:
        return float(v)
    except (TypeError, ValueError):
        raise ResponsesError(f"{where}: a recode target must be a number or one of "
                             f"{', '.join(MISSING_REASONS)}. Got {v!r} instead.",
                             file=where) from None


@dataclass
class ColumnPlan:
    """Result of mapping: the report and where each item / meta field is."""

    report: pd.DataFrame
    items: dict[str, int]            # item id → column position
    meta: dict[str, int]             # meta name → column position
    id_position: int | None
    #: multi-select id → position of the column holding its whole answer set (split later)
    splits: dict[str, int] = field(default_factory=dict)


class _ItemTexts:
    """Normalised item texts (zh and en) for exact and fuzzy matching."""

    def __init__(self, instrument: Instrument) -> None:
        self.ids = instrument.item_ids
        self.by_text: dict[str, set[str]] = {}
        self.texts: list[tuple[str, str]] = []
        for it in instrument.items:
            for lang in it.text:
                t = norm_text(it.text[lang])
                if t:
                    self.by_text.setdefault(t, set()).add(it.id)
                    self.texts.append((t, it.id))

    def exact(self, candidates: tuple[str, ...]) -> set[str]:
        out: set[str] = set()
        for c in candidates:
            out |= self.by_text.get(norm_text(c), set())
        return out

    def fuzzy(self, candidates: tuple[str, ...]) -> list[tuple[float, str]]:
        """Best score per item, sorted high to low."""
        best: dict[str, float] = {}
        for c in candidates:
            n = norm_text(c)
            if len(n) < 4:
                continue
            sm = difflib.SequenceMatcher(autojunk=False)
            sm.set_seq2(n)
            for t, iid in self.texts:
                sm.set_seq1(t)
                if sm.real_quick_ratio() < best.get(iid, 0.0):
                    continue
                r = sm.ratio()
                if r > best.get(iid, 0.0):
                    best[iid] = r
        return sorted(((s, i) for i, s in best.items()), reverse=True)

    def score(self, candidates: tuple[str, ...], item_id: str) -> float:
        best = 0.0
        for c in candidates:
            n = norm_text(c)
            for t, iid in self.texts:
                if iid == item_id:
                    best = max(best, difflib.SequenceMatcher(None, t, n, autojunk=False).ratio())
        return best


FUZZY_ACCEPT = 0.85
FUZZY_AMBIGUOUS = 0.6
NUMBER_TEXT_MIN = 0.8


def _meta_name(header: str, kind: str) -> str | None:
    h = unicodedata.normalize("NFKC", header).strip()
    if h in WJX_META:
        return WJX_META[h]
    if kind == "qualtrics" and header in QUALTRICS_META:
        return QUALTRICS_META[header]
    key = h.casefold().replace(" ", "_")
    if key in _GENERIC_META:
        return _GENERIC_META[key]
    if header in QUALTRICS_META and QUALTRICS_META[header] in ("ip", "respondent_id"):
        return QUALTRICS_META[header]
    return None


def map_columns(table: RawTable, instrument: Instrument, spec: MappingSpec, *,
                keep: tuple[str, ...] = (), id_column: str | None = None) -> ColumnPlan:
    """Map every column of ``table`` to an item, a meta field, or nothing (see module doc)."""
    texts = _ItemTexts(instrument)
    others = OtherWordings(instrument, norm_text)
    ids_fold = {i.casefold(): i for i in instrument.item_ids}
    keep_set = {k.strip() for k in keep}
    rows: list[dict[str, Any]] = []
    import_ids = table.value_labels.get("__import_ids__", {}) if table.kind == "qualtrics" else {}
    if id_column is not None and id_column not in table.headers:
        raise ResponsesError(
            f"{table.name}: the id column {id_column!r} (id_column= / --id-column) is not a "
            f"column of the file. Columns: "
            f"{', '.join(table.headers[:10])}{' …' if len(table.headers) > 10 else ''}.",
            file=table.name)
    mr_columns = _mr_sets(table, instrument)
    for pos, header in enumerate(table.headers):
        label = table.labels[pos] if pos < len(table.labels) else ""
        row = {"source_file": table.name, "column": header, "status": "unmapped", "item": None,
               "method": None, "score": float("nan"), "note": None, "pos_": pos,
               "meta_": None, "itemlike_": False}
        rows.append(row)
        override = spec.columns.get(header.strip())
        if override is not None:
            if override == "ignore":
                row.update(status="ignored", method="mapping_file", note="declared ignore")
            elif override.startswith("meta:"):
                row.update(status="meta", method="mapping_file", meta_=override[5:])
            else:
                row.update(status="mapped", item=override, method="mapping_file")
            continue
        if header in mr_columns:
            row.update(status="mapped", item=mr_columns[header], method="multi_select_mrset")
            continue
        if id_column is not None and header == id_column:
            row.update(status="meta", method="id_column", meta_="respondent_id")
            continue
        meta = _meta_name(header, table.kind)
        if meta is not None:
            if meta == "respondent_id" and id_column is not None:
                meta = "source_id"
            if meta in PRIVATE_META and not ({header, meta} & keep_set):
                row.update(status="dropped", method="privacy", meta_=meta,
                           note="personal data: dropped (keep it with keep= / --keep)")
            elif meta in _IGNORED_META and not ({header, meta} & keep_set):
                row.update(status="ignored", method="known_tool_column", meta_=meta)
            else:
                row.update(status="meta", method="name", meta_=meta)
            continue
        if table.kind == "qualtrics" and TEXT_IQ.match(header.strip()):
            row.update(status="ignored", method="known_tool_column",
                       note="Qualtrics Text iQ column (topics/sentiment computed by Qualtrics)")
            continue
        _map_item(row, header, label, import_ids.get(pos, ""), table, instrument, texts,
                  ids_fold, others)
        if row["status"] == "unmapped" and SIDE_BY_SIDE.match(header.strip()):
            row.update(itemlike_=True, note="a Qualtrics side-by-side column matching no item "
                                            "(map it in a mapping file, or ignore it)")
        if row["status"] == "unmapped" and ({header} & keep_set):
            row.update(status="meta", method="keep", meta_=header)
    report = pd.DataFrame(rows)
    # two columns claiming one item
    mapped = report[report["status"] == "mapped"]
    dup_items = mapped["item"][mapped["item"].duplicated(keep=False)]
    for i in dup_items.index:
        others = mapped.loc[mapped["item"] == report.at[i, "item"], "column"]
        report.loc[i, "status"] = "ambiguous"
        report.loc[i, "note"] = (f"{len(others)} columns map to {report.at[i, 'item']}: "
                                 + "; ".join(repr(c) for c in others))
        report.loc[i, "itemlike_"] = True
    if spec.unmapped == "ignore":
        _ignore_unmapped(report, table, spec)
    splits = {r.item: r.pos_ for r in report.itertuples()
              if r.status == "mapped" and r.method == "multi_select_split"}
    _check(report, table, instrument, spec, splits)
    items = {r.item: r.pos_ for r in report.itertuples()
             if r.status == "mapped" and r.item not in splits}
    metas: dict[str, int] = {}
    for r in report.itertuples():
        if r.status == "meta" and r.meta_ not in metas:
            metas[r.meta_] = r.pos_
    id_pos = metas.pop("respondent_id", None)
    out = report[list(MAPPING_COLUMNS)].copy()
    out["item"] = out["item"].astype("str")
    out["method"] = out["method"].astype("str")
    out["note"] = out["note"].astype("str")
    out["score"] = out["score"].astype("float64")
    return ColumnPlan(report=out, items=items, meta=metas, id_position=id_pos, splits=splits)


def _other_version(row: dict, cands: tuple[str, ...], iid: str, score: float,
                   others: OtherWordings) -> bool:
    """Refuse a non-exact text match when the header is as close to a non-comparable wording
    of another version: across versions only the crosswalk decides (see :mod:`.wordings`)."""
    old = others.closer(cands, score)
    if old is None:
        return False
    row.update(status="ambiguous", itemlike_=True, score=round(score, 4),
               note=f"the text resembles {iid} ({score:.2f}) but is the wording of {old.item} in "
                    f"{old.instrument}@{old.version}, not comparable with this version "
                    f"({old.change}); import the file with version {old.version} "
                    f"(--version {old.instrument}={old.version}), then pool the waves")
    return True


def _map_item(row: dict, header: str, label: str, tag: str, table: RawTable,
              instrument: Instrument, texts: _ItemTexts, ids_fold: dict[str, str],
              others: OtherWordings) -> None:
    h = unicodedata.normalize("NFKC", header).strip()
    # 1. item id (header, or a header starting with the id, or a Qualtrics tag)
    for cand in (h, tag):
        key = cand.casefold()
        if key in ids_fold:
            row.update(status="mapped", item=ids_fold[key], method="id")
            return
    m = re.match(r"^([A-Za-z]{1,5}\d{1,3}[A-Za-z]?)(?:[_\-\s:：、.]|$)", h)
    if m and m.group(1).casefold() in ids_fold:
        row.update(status="mapped", item=ids_fold[m.group(1).casefold()], method="id")
        return
    parsed = parse_header(h)
    row_of = match_matrix(parsed, instrument)      # a row of a declared matrix
    if row_of is not None:
        row.update(status="mapped", item=row_of[0], method="matrix_row",
                   note=f"row {instrument.matrix_of(row_of[0]).row(row_of[0])} of matrix "
                        f"{instrument.question_of(row_of[0])} (by its {row_of[1]})")
        return
    multi = match_multi(h, parsed, instrument)     # a multi-select's answer set or option
    if multi is not None:
        kind, target = multi
        row.update(status="mapped", item=target, method=f"multi_select_{kind}",
                   note=(f"answer set split into {', '.join(instrument.columns_of(target))}"
                         if kind == "split" else None))
        return
    # Qualtrics matrix labels read "stem - statement": the statement is the item text
    sub_label = label.rsplit(" - ", 1)[-1] if " - " in label else ""
    cands = tuple(dict.fromkeys(t for t in (*parsed.texts, label, sub_label) if t))
    itemlike = parsed.number is not None or bool(_ITEM_ID_LIKE.match(h))
    row["itemlike_"] = itemlike
    exact = texts.exact(cands)
    # 2. display number (plain question headers only, not matrix sub-questions)
    by_number = None
    if parsed.number is not None and parsed.sub_index is None and not parsed.sub:
        n = parsed.number
        q = instrument.question_at(n)
        if q is not None and not instrument.is_multi_select(q) and not instrument.is_matrix(q):
            by_number = q
    if len(exact) == 1:
        iid = next(iter(exact))
        note = None
        if by_number is not None and by_number != iid:
            note = f"display number {parsed.number} is {by_number}; the text matches {iid}"
        row.update(status="mapped", item=iid, method="text", score=1.0, note=note)
        return
    if len(exact) > 1:
        if by_number in exact:
            row.update(status="mapped", item=by_number, method="number", score=1.0,
                       note=f"text shared by {', '.join(sorted(exact))}; number decides")
            return
        row.update(status="ambiguous", note=f"text matches {', '.join(sorted(exact))}",
                   itemlike_=True)
        return
    if by_number is not None:
        if not parsed.stem and not label:
            row.update(status="mapped", item=by_number, method="number")
            return
        sc = texts.score(cands, by_number)
        if sc >= NUMBER_TEXT_MIN:
            if sc < 1.0 and _other_version(row, cands, by_number, sc, others):
                return
            row.update(status="mapped", item=by_number, method="number", score=round(sc, 4))
            return
    # 3. fuzzy text
    ranked = texts.fuzzy(cands) if cands else []
    if ranked:
        best, iid = ranked[0]
        second = ranked[1][0] if len(ranked) > 1 else 0.0
        if best >= FUZZY_ACCEPT and best - second >= 0.05:
            if _other_version(row, cands, iid, best, others):
                return
            note = None
            if by_number is not None and by_number != iid:
                note = f"display number {parsed.number} is {by_number}; the text matches {iid}"
            row.update(status="mapped", item=iid, method="fuzzy", score=round(best, 4), note=note)
            return
        if best >= FUZZY_AMBIGUOUS:
            close = [f"{i} ({s:.2f})" for s, i in ranked[:3] if s >= FUZZY_AMBIGUOUS]
            extra = (f"; display number {parsed.number} is {by_number} but its text differs"
                     if by_number else "")
            row.update(status="ambiguous", score=round(best, 4), itemlike_=True,
                       note=f"text resembles {', '.join(close)}{extra}")
            return
        if best >= 0.45:
            row["itemlike_"] = True
    if by_number is not None:
        row.update(status="ambiguous", itemlike_=True, number_only_=True,
                   note=f"display number {parsed.number} is {by_number}, but the header text "
                        f"does not resemble its question")
        return
    row["note"] = ("looks like a question but matches no item" if row["itemlike_"]
                   else "not an item (not imported)")


def _mr_sets(table: RawTable, instrument: Instrument) -> dict[str, str]:
    """Variables of the file's SPSS multiple-response sets that are a multi-select's
    columns; a set that cannot be used is warned about (never dropped silently)."""
    if not table.multi_sets:
        return {}
    import warnings

    from ..errors import DataWarning

    cols, unused = mr_set_columns(table, instrument)
    if unused:
        warnings.warn(DataWarning(
            f"{table.name} defines {len(table.multi_sets)} multiple-response set(s); "
            f"{len(unused)} not used as a multi-select: " + "; ".join(unused[:3])
            + (f"; … {len(unused) - 3} more" if len(unused) > 3 else "")
            + ". Their variables are mapped one by one where they match items (see "
              "responses.mapping)."), stacklevel=4)
    return cols


def _ignore_unmapped(report: pd.DataFrame, table: RawTable, spec: MappingSpec) -> None:
    """``unmapped: ignore``: columns matching no item become ``ignored`` (listed, warned)."""
    import warnings

    from ..errors import DataWarning

    # a column whose only tie to an item is its display number while its text resembles
    # no question: in a partial instrument that is another instrument's question
    number_only = report["number_only_"].fillna(False).astype(bool) \
        if "number_only_" in report else False
    free = (report["status"] == "unmapped") | ((report["status"] == "ambiguous") & number_only)
    if not free.any():
        return
    report.loc[free, "status"] = "ignored"
    report.loc[free, "method"] = "unmapped_ignore"
    report.loc[free, "note"] = [f"not in the instrument (unmapped: ignore in {spec.path})"
                                + (f"; {n}" if n else "") for n in report.loc[free, "note"]]
    report.loc[free, "itemlike_"] = False
    names = report.loc[free, "column"].tolist()
    warnings.warn(DataWarning(
        f"{table.name}: {len(names)} column(s) the instrument does not describe were ignored "
        f"(unmapped: ignore in {spec.path}): "
        + ", ".join(repr(n) for n in names[:5])
        + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        + ". Each is listed in the mapping report."), stacklevel=3)


def _check(report: pd.DataFrame, table: RawTable, instrument: Instrument,
           spec: MappingSpec, splits: dict[str, int] | None = None) -> None:
    """Raise one error listing every unmapped/ambiguous item-like column and missing item."""
    problems: list[str] = []
    heads = report["column"]
    dup = report[heads.duplicated(keep=False) & (heads.str.strip() != "")]
    for col, grp in dup.groupby("column", sort=False):
        if grp["status"].isin(["mapped", "ambiguous"]).any() or grp["itemlike_"].any():
            cols = ", ".join(str(p + 1) for p in grp["pos_"])
            problems.append(f"  - header {col!r} appears in columns {cols}: rename or ignore "
                            f"one of them in a mapping file")
    bad = report[report["status"].isin(["unmapped", "ambiguous"]) & report["itemlike_"]]
    for r in bad.itertuples():
        if r.column in set(dup["column"]):
            continue
        problems.append(f"  - column {r.pos_ + 1} {r.column!r}: {r.status}"
                        f"{' — ' + r.note if r.note else ''}")
    mapped = set(report.loc[report["status"] == "mapped", "item"])
    mapped |= covered_columns(mapped, set(splits or ()), instrument)
    missing_items = [i for i in instrument.item_ids
                     if i not in mapped and i not in spec.absent]
    if missing_items and not problems and len(missing_items) == len(instrument.item_ids):
        problems.append(f"  - no column matches any item of {instrument.ref}. Is this the "
                        f"right instrument for this file?")
    elif missing_items:
        problems.append(f"  - item(s) with no column: {', '.join(missing_items)}")
    if problems:
        raise ResponsesError(
            f"{table.name}: the columns do not map cleanly to {instrument.ref} "
            f"({len(problems)} problem{'s' if len(problems) > 1 else ''}):\n"
            + "\n".join(problems)
            + "\nFix: write a mapping file (columns: {\"<header>\": <item id> or ignore}; "
              "absent: [<item ids not in this file>]) and pass it with mapping= (--mapping), or "
              "choose the instrument version the file was fielded with (version= / --version).",
            file=table.name)
