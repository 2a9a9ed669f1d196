"""XLSForm (ODK, KoboToolbox, SurveyCTO) workbook → instrument.

What is carried
---------------
* ``survey`` rows: ``select_one <list>`` → an ordinal or nominal item on the response scale
  ``<list>``; ``integer`` / ``decimal`` → numeric (bounds from a ``constraint`` of the form
  ``. >= a and . <= b``, missing codes from ``or . = -99``); ``text`` → text. ``hint`` →
  the item's note, ``required`` (``yes``/``true()``) → required, ``relevant`` translated to
  the instrument's skip syntax (``${x} = 1`` → ``x == 1``, ``selected(${x}, 'a')``,
  ``and``/``or``/``not()``), a group's ``relevant`` joined to each of its questions.
* Groups (``begin_group``/``begin group``) → sections; a leading ``note`` → instructions.
* ``choices``: numeric names are the codes; text names (``yes``, ``no``) become codes 1..k
  in sheet order, the mapping noted (and used for ``relevant``). Negative codes are typed
  missing codes, their kind read from the label (拒绝回答 → refused, 不知道 → dont_know).
* Language columns ``label::Chinese (zh)``, ``label::English``, ``label::中文`` and a plain
  ``label`` (the ``default_language`` of ``settings``, else guessed from the text).
* ``settings``: ``form_id`` → id, ``form_title`` → title, ``version`` when semantic.
* A ``surveykit`` sheet (written by ``instrument export --to xlsform``) restores what
  XLSForm has no column for: response-scale types, missing kinds, reverse keys, attention
  checks, scales, title/description/changelog in every language.

* ``select_multiple <list>`` → a multi-select question (``select: multiple``), its
  ``count-selected(.) >= n`` / ``<= m`` constraint → ``min_choices`` / ``max_choices``; in
  ``relevant`` ``selected(${q}, '2')`` of a multi-select reads its 0/1 column ``q_2 == 1``.
* A ``text`` question named ``{item}_{code}_text`` after a select question with that option
  marks the option other-specify (``specify: true``; the text column is generated again);
  ``or_other`` (``select_one list or_other``) adds an option "Other" with ``specify: true``
  after the list's last code.

* A matrix battery in the grid ODK documents — a group with appearance ``field-list``
  holding an optional first ``select_one`` with appearance ``label`` (the column headings)
  and then ``select_one`` rows of the same list with appearance ``list-nolabel``, or a group
  with appearance ``table-list`` of ``select_one`` rows of one list — becomes a matrix
  (``matrices:``): its id the group's name, its stem the group's label, its note the
  heading row's hint, its rows ordinary items; the group's ``relevant`` is every row's.

Everything else (repeats, calculations,
metadata such as ``start``/``deviceid``, other constraints, ``choice_filter``, media) is left
out with a note naming the row and what to do.
"""
from __future__ import annotations

import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..._files import check_unpacked_size
from ...errors import InstrumentError
from ..export.xlsform import LANGUAGE_NAMES, METADATA_SHEET
from ..expressions import ExpressionError, parse
from ..model import (
    SCALE_TYPES,
    Instrument,
    Item,
    LocalizedText,
    Matrix,
    MissingCode,
    Option,
    ResponseScale,
    Scale,
    Section,
)
from ..questions import Select, expand
from ._draft import (
    InstrumentImport,
    complete_text,
    finish,
    guess_lang,
    instrument_id,
    item_id,
    missing_kind,
    semver,
)

__all__ = ["read_xlsform", "xlsform_relevant", "MAX_XLSFORM_UNPACKED"]

#: As pyxform: after this many blank rows a sheet has ended (Excel files often claim a
#: million formatted rows).
BLANK_ROWS_END = 20
#: An XLSForm is a few hundred kB; refuse workbooks that unpack to more.
MAX_XLSFORM_UNPACKED = 200 * 2**20

_NAME_TO_CODE = {v.lower(): k for k, v in LANGUAGE_NAMES.items()} | {
    "中文": "zh", "简体中文": "zh", "汉语": "zh", "chinese (simplified)": "zh", "英文": "en",
    "英语": "en"}
_ORDINAL_WORDS = ("同意", "满意", "符合", "重要", "频率", "经常", "agree", "satisf", "likely",
                  "important", "often", "frequen", "likert", "scale")
_SKIPPED_TYPES = ("start", "end", "today", "deviceid", "subscriberid", "simserial",
                  "phonenumber", "username", "email", "audit", "calculate", "hidden",
                  "geopoint", "geotrace", "geoshape", "date", "time", "datetime", "image",
                  "audio", "video", "file", "barcode", "acknowledge", "range", "rank",
                  "background-audio", "start-geopoint", "trigger", "xml-external", "csv-external")


# -- reading the workbook -------------------------------------------------------------------
def _sheets(path: Path) -> dict[str, list[dict[str, Any]]]:
    try:
        with zipfile.ZipFile(path) as z:
            check_unpacked_size(z, path.name, MAX_XLSFORM_UNPACKED, InstrumentError, "workbook",
                                "An XLSForm is small: check that this is the right file.")
    except zipfile.BadZipFile:
        raise InstrumentError(f"{path.name}: not an .xlsx workbook (an XLSForm is saved from "
                              f"Excel as .xlsx). Save it as .xlsx and import again.") from None
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    out: dict[str, list[dict[str, Any]]] = {}
    for ws in wb.worksheets:
        header = next(ws.iter_rows(max_row=1, values_only=True), None)
        if header is None:
            continue
        names = [str(h).strip() if h is not None else "" for h in header]
        while names and not names[-1]:
            names.pop()   # sheets often claim 1,024 formatted columns
        table, blank = [], 0
        for n, r in enumerate(ws.iter_rows(min_row=2, max_col=len(names) or 1,
                                           values_only=True), 2):
            rec = {k: (str(v).strip() if v is not None else "") for k, v in zip(names, r) if k}
            if any(rec.values()):
                rec["_row"] = n
                table.append(rec)
                blank = 0
            else:
                blank += 1
                if blank >= BLANK_ROWS_END:
                    break
        out[ws.title.strip().lower()] = table
    wb.close()
    return out


def _lang_of(column: str, default: str) -> tuple[str, str] | None:
    """``label::Chinese (zh)`` → (``label``, ``zh``); plain ``label`` → (``label``, default)."""
    kind, sep, tail = column.partition("::")
    kind = kind.strip().lower()
    if not sep:
        return kind, default
    m = re.search(r"\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\)\s*$", tail)
    if m:
        return kind, m.group(1).lower()
    code = _NAME_TO_CODE.get(tail.strip().lower())
    if code:
        return kind, code
    if re.fullmatch(r"[a-z]{2,3}", tail.strip()):
        return kind, tail.strip()
    return None


def _texts(row: dict[str, Any], kind: str, default: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for col, v in row.items():
        if col == "_row" or not v:
            continue
        got = _lang_of(col, default)
        if got and got[0] == kind:
            out.setdefault(got[1], v)
    return out


def _default_lang(settings: list[dict[str, Any]], survey: list[dict[str, Any]],
                  lang: str | None) -> str:
    if lang:
        return lang
    dl = (settings[0].get("default_language", "") if settings else "").strip()
    if dl:
        got = _lang_of(f"label::{dl}", "")
        if got and got[1]:
            return got[1]
    return guess_lang(v for r in survey for k, v in r.items() if k.lower() == "label")


# -- relevant -------------------------------------------------------------------------------
#: Curly quotes typed by word processors, read as the straight quotes XPath needs.
_CURLY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
_TOKEN = re.compile(r"\s*(?:(\$\{[^}]*\})|('[^']*'|\"[^\"]*\")|(-?\d+(?:\.\d+)?)|"
                    r"(!=|<=|>=|=|<|>)|([(),])|([A-Za-z_][A-Za-z0-9_:.-]*))")


def xlsform_relevant(expr: str, ids: dict[str, str], codes: dict[str, dict[str, int]],
                     multi: frozenset[str] | set[str] = frozenset()) -> str:
    """An XLSForm ``relevant`` expression in the instrument's skip syntax.

    ``ids`` maps XLSForm names to item ids, ``codes`` maps each select question's text
    choice names to codes, ``multi`` holds the multi-select questions (``selected()`` of
    one reads its 0/1 column). Raises ValueError for what has no equivalent (functions other
    than ``selected``/``not``, the current value ``.``, arithmetic).

    >>> xlsform_relevant("${q6} = 'yes' and not(${age} < 18)", {"q6": "q6", "age": "age"},
    ...                  {"q6": {"yes": 1, "no": 2}})
    'q6 == 1 and not (age < 18)'
    >>> xlsform_relevant("selected(${q2}, '3')", {"q2": "q2"}, {})
    'q2 == 3'
    >>> xlsform_relevant("selected(${q2}, '3')", {"q2": "q2"}, {}, {"q2"})
    'q2_3 == 1'
    """
    toks: list[tuple[str, str]] = []
    pos = 0
    text = expr.strip().translate(_CURLY)
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot read {text[pos:]!r}")
        pos = m.end()
        kind = ("var", "str", "num", "op", "punct", "word")[m.lastindex - 1]
        toks.append((kind, m.group(m.lastindex)))
    out: list[str] = []
    last_var: str | None = None
    i = 0

    def var(tok: str) -> str:
        name = tok[2:-1].strip()
        if name not in ids:
            raise ValueError(f"it reads ${{{name}}}, which is not an earlier question the "
                             f"import carried")
        return name

    def literal(tok: str, name: str | None) -> str:
        raw = tok[1:-1]
        mapped = codes.get(name or "", {})
        if raw in mapped:
            return str(mapped[raw])
        if re.fullmatch(r"-?\d+(?:\.\d+)?", raw):
            return raw
        return json.dumps(raw, ensure_ascii=False)

    while i < len(toks):
        kind, tok = toks[i]
        if kind == "word" and tok == "selected":
            if (i + 5 < len(toks) and toks[i + 1][1] == "(" and toks[i + 2][0] == "var"
                    and toks[i + 3][1] == "," and toks[i + 4][0] in ("str", "num")
                    and toks[i + 5][1] == ")"):
                name = var(toks[i + 2][1])
                val = toks[i + 4][1]
                val = literal(val, name) if toks[i + 4][0] == "str" else val
                if name in multi:
                    out.append(f"{ids[name]}_{val} == 1")
                else:
                    out.append(f"{ids[name]} == {val}")
                i += 6
                continue
            raise ValueError("selected() takes one question and one choice")
        if kind == "word" and tok in ("and", "or"):
            out.append(tok)
        elif kind == "word" and tok == "not":
            out.append("not")
        elif kind == "var":
            last_var = var(tok)
            out.append(ids[last_var])
        elif kind == "str":
            out.append(literal(tok, last_var))
        elif kind == "num":
            out.append(tok)
        elif kind == "op":
            out.append("==" if tok == "=" else tok)
        elif kind == "punct" and tok in "()":
            out.append(tok)
        else:
            raise ValueError(f"{tok!r} has no equivalent in the instrument's skip conditions")
        i += 1
    joined = " ".join(out).replace("( ", "(").replace(" )", ")")
    joined = re.sub(r"\bnot \(", "not (", joined.replace("not(", "not ("))
    parse(joined)  # raises ExpressionError if the translation is not a condition
    return joined


# -- building the instrument ------------------------------------------------------------------
def _meta(sheets: dict[str, list[dict[str, Any]]]) -> dict[tuple[str, str, str], Any]:
    out: dict[tuple[str, str, str], Any] = {}
    for r in sheets.get(METADATA_SHEET, []):
        try:
            out[(r.get("kind", ""), r.get("id", ""), r.get("key", ""))] = json.loads(
                r.get("value", "null"))
        except ValueError:
            continue
    return out


def _code(name: str) -> int | float | None:
    try:
        v = float(name)
    except ValueError:
        return None
    return int(v) if v.is_integer() else v


def _choice_lists(choices: list[dict[str, Any]], langs: tuple[str, ...], default: str,
                  meta: dict, notes: list[str], sheetname: str
                  ) -> tuple[dict[str, ResponseScale], dict[str, dict[str, int]]]:
    by_list: dict[str, list[dict[str, Any]]] = {}
    for r in choices:
        ln = r.get("list_name") or r.get("list name") or ""
        if ln and r.get("name", "") != "":
            by_list.setdefault(ln, []).append(r)
    scales: dict[str, ResponseScale] = {}
    text_codes: dict[str, dict[str, int]] = {}
    for ln, rows in by_list.items():
        rid = instrument_id(ln)
        codes = [_code(r["name"]) for r in rows]
        mapping: dict[str, int] = {}
        if any(c is None for c in codes):
            mapping = {r["name"]: k for k, r in enumerate(rows, 1)}
            codes = list(mapping.values())
            notes.append(f"{sheetname} '{ln}': choice names are text; coded "
                         + ", ".join(f"{n}={c}" for n, c in mapping.items())
                         + " (the responses mapping must recode them).")
        mk = meta.get(("response_scale", rid, "missing")) or {}
        options, missing = [], []
        for r, c in zip(rows, codes):
            label = complete_text(_texts(r, "label", default), langs,
                                  f"choices row {r['_row']} ({ln} {r['name']})", notes)
            if not label:
                label = LocalizedText({lang: str(r["name"]) for lang in langs})
            key = _num_key(c)
            if key in mk or (not mk and c < 0 and not mapping):
                kind = mk.get(key, {}).get("kind") or missing_kind(label.values())
                missing.append(MissingCode(value=c, kind=kind, label=label))
            else:
                options.append(Option(value=c, label=label))
        typ = meta.get(("response_scale", rid, "type"))
        if typ not in SCALE_TYPES:
            words = " ".join([ln, *(t for o in options for t in o.label.values())]).lower()
            typ = "ordinal" if (not mapping and any(w in words for w in _ORDINAL_WORDS)) \
                else "nominal"
            notes.append(f"response scale '{rid}' taken as {typ}; write 'type: "
                         f"{'nominal' if typ == 'ordinal' else 'ordinal'}' if its options "
                         f"are {'not ' if typ == 'ordinal' else ''}ordered.")
        vals = [o.value for o in options]
        scales[rid] = ResponseScale(id=rid, type=typ, options=tuple(options),
                                    missing=tuple(missing),
                                    minimum=min(vals) if vals else None,
                                    maximum=max(vals) if vals else None)
        if mapping:
            text_codes[ln] = mapping
    return scales, text_codes


def _num_key(v: float | int) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


_BOUND = re.compile(r"^\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$")
_EQ = re.compile(r"^\.\s*=\s*(-?\d+(?:\.\d+)?)$")


def _numeric_scale(rid: str, constraint: str, meta: dict, langs: tuple[str, ...], row: int,
                   notes: list[str], known: dict[str, MissingCode]) -> ResponseScale:
    lo = meta.get(("response_scale", rid, "min"))
    hi = meta.get(("response_scale", rid, "max"))
    mk = meta.get(("response_scale", rid, "missing")) or {}
    codes: list[float] = []
    if constraint and lo is None and hi is None:
        parts = re.split(r"\s+or\s+|\s+and\s+", constraint.replace("(", " ").replace(")", " "))
        for part in (p.strip() for p in parts if p.strip()):
            b, e = _BOUND.match(part), _EQ.match(part)
            if b and b.group(1) in (">=", "<="):
                v = _code(b.group(2))
                lo, hi = (v, hi) if b.group(1) == ">=" else (lo, v)
            elif e:
                codes.append(_code(e.group(1)))  # type: ignore[arg-type]
            else:
                notes.append(f"survey row {row}: constraint {constraint!r} is not a range; "
                             f"only '. >= a and . <= b' is carried — check the bounds.")
                break
    missing = [MissingCode(value=_code(k), kind=v.get("kind", "other"),  # type: ignore[arg-type]
                           label=LocalizedText({lang: v.get(lang, str(k)) for lang in langs}))
               for k, v in mk.items()]
    for c in codes:
        if _num_key(c) in mk:
            continue
        if _num_key(c) in known:   # the same code with its label in a choice list
            missing.append(known[_num_key(c)])
        else:
            missing.append(MissingCode(value=c, kind="other", label=LocalizedText(
                {lang: f"{_num_key(c)}" for lang in langs})))
            notes.append(f"survey row {row}: code {_num_key(c)} allowed beside the range is "
                         f"taken as a missing code of kind 'other' — name its kind.")
    return ResponseScale(id=rid, type="numeric", missing=tuple(missing), minimum=lo, maximum=hi)


def _appearance(r: dict[str, Any]) -> list[str]:
    return r.get("appearance", "").split()


def _matrix_groups(survey: list[dict[str, Any]]) -> dict[int, str | None]:
    """Survey rows (by ``_row``) of the matrix grids: each ``begin_group`` of one → None,
    each heading row (appearance ``label``) → its group's name, to be skipped."""
    out: dict[int, str | None] = {}
    for k, r in enumerate(survey):
        if _type_of(r.get("type", ""))[0] != "begin_group":
            continue
        app = _appearance(r)
        if "field-list" not in app and "table-list" not in app:
            continue
        inner: list[dict[str, Any]] = []
        for x in survey[k + 1:]:
            t = _type_of(x.get("type", ""))[0]
            if t == "end_group":
                break
            if t in ("begin_group", "begin_repeat"):
                inner = []
                break
            if t:
                inner.append(x)
        kinds = {_type_of(x.get("type", ""))[0] for x in inner}
        lists = {_type_of(x.get("type", ""))[1].split(" ")[0] for x in inner}
        if kinds != {"select_one"} or len(lists) != 1:
            continue
        head = inner[0] if "label" in _appearance(inner[0]) else None
        rows = inner[1:] if head is not None else inner
        if len(rows) < 2 or any(" " in _type_of(x.get("type", ""))[1] for x in rows):
            continue                       # or_other / from-file rows are no grid
        if "table-list" in app or all("list-nolabel" in _appearance(x) for x in rows):
            out[r["_row"]] = None
            if head is not None:
                out[head["_row"]] = r.get("name", "")
    return out


def _type_of(raw: str) -> tuple[str, str]:
    t = " ".join(raw.split())
    head, _, rest = t.partition(" ")
    if head in ("begin", "end") and rest.split(" ")[0] in ("group", "repeat"):
        return f"{head}_{rest.split(' ')[0]}", ""
    return head, rest


def _sections(runs: list[tuple[str | None, dict[str, str], list[str]]],
              langs: tuple[str, ...], notes: list[str]) -> list[Section]:
    """Top-level groups become sections in form order; questions outside any group (when
    the form has groups) become sections ``part_1``, ``part_2`` … where they stand."""
    if not any(sid is not None for sid, _, _ in runs):
        return []
    out, k = [], 0
    for sid, title, ids in runs:
        if not ids:
            continue
        if sid is None:
            k += 1
            sid = f"part_{k}"
            title = {lg: f"其他（{k}）" if lg == "zh" else f"Other ({k})" for lg in langs}
            notes.append(f"{len(ids)} question(s) outside any group ({', '.join(ids[:3])}"
                         f"{' …' if len(ids) > 3 else ''}) form section '{sid}'; rename it "
                         f"or move them.")
        out.append(Section(id=sid, title=complete_text(title, langs, f"group {sid}", notes)
                           or LocalizedText({lg: sid for lg in langs}), items=tuple(ids)))
    return out


_SPECIFY = re.compile(r"^(.+)_(\d+)_text$")
_COUNT = re.compile(r"^count-selected\(\s*\.\s*\)\s*(>=|<=|=)\s*(\d+)$")


def _choice_limits(constraint: str, row: int, name: str, notes: list[str]) -> Select:
    """``count-selected(.) >= n and count-selected(.) <= m`` → min/max choices."""
    lo = hi = None
    for part in (p.strip() for p in re.split(r"\s+and\s+", constraint.strip()) if p.strip()):
        m = _COUNT.match(part.strip("() "))
        if m is None:
            notes.append(f"survey row {row}: constraint {constraint!r} of '{name}' is not "
                         f"carried; only 'count-selected(.) >= n and count-selected(.) <= m' "
                         f"is — write min_choices/max_choices by hand.")
            return Select()
        n = int(m.group(2))
        if m.group(1) in (">=", "="):
            lo = n
        if m.group(1) in ("<=", "="):
            hi = n
    return Select(min_choices=lo or None, max_choices=hi or None)


def _or_other(rs: ResponseScale, langs: tuple[str, ...]) -> ResponseScale:
    """``rs`` with the option "Other" pyxform adds for ``or_other``, after the last code."""
    code = int(max(rs.values, default=0)) + 1
    label = LocalizedText({lg: "其他" if lg == "zh" else "Other" for lg in langs})
    return ResponseScale(id=f"{rs.id}_or_other", type=rs.type,
                         options=(*rs.options, Option(code, label, specify=True)),
                         missing=rs.missing, minimum=rs.minimum, maximum=code)


def _with_specify(items: list[Item], rscales: dict[str, ResponseScale],
                  specify: dict[str, set[int | float]]) -> list[Item]:
    """Mark the other-specify options found (in place in ``rscales``) and re-point items."""
    for rid, codes in specify.items():
        rs = rscales[rid]
        rscales[rid] = ResponseScale(
            id=rs.id, type=rs.type, missing=rs.missing, minimum=rs.minimum,
            maximum=rs.maximum, options=tuple(Option(o.value, o.label, o.specify or o.value
                                                     in codes) for o in rs.options))
    return [replace(it, response=rscales[it.response.id]) if it.response.id in specify
            else it for it in items]


def _end_grid(grid: dict[str, Any], items: list[Item], matrices: list[Matrix],
              langs: tuple[str, ...], taken: set[str], notes: list[str]) -> None:
    """Close a matrix group: a matrix of its rows (they are items already)."""
    rows = [it for it in items if it.id in grid["rows"]]
    if len(rows) < 2:
        return
    where = f"survey row {grid['row']} ({grid['name']})"
    text = complete_text(grid["text"], langs, where, notes)
    if not text:
        notes.append(f"{where}: the matrix group has no label; its first row's text is its "
                     f"stem — write the stem under the matrix's 'text'.")
        text = rows[0].text
    note = complete_text(grid["note"], langs, f"{where} heading hint", notes) or None
    matrices.append(Matrix(id=item_id(grid["name"] or f"M{grid['row']}", taken), text=text,
                           items=tuple(it.id for it in rows), response=rows[0].response,
                           note=note, relevant=rows[0].relevant))


def _repoint(m: Matrix, items: tuple[Item, ...] | list[Item]) -> Matrix:
    """``m`` with its rows' final response scale (other-specify flags are set late)."""
    first = next(it for it in items if it.id == m.items[0])
    return replace(m, response=first.response, relevant=first.relevant)


def read_xlsform(path: Path, *, id: str | None = None, version: str | None = None,
                 lang: str | None = None) -> InstrumentImport:
    """Read an XLSForm workbook (see the module docstring for what is carried)."""
    sheets = _sheets(path)
    if "survey" not in sheets:
        raise InstrumentError(f"{path.name}: no 'survey' sheet, so this is not an XLSForm "
                              f"(sheets: {', '.join(sheets) or 'none'}). Import the workbook "
                              f"that has the survey, choices and settings sheets.")
    survey, choices = sheets["survey"], sheets.get("choices", [])
    settings = sheets.get("settings", [])
    meta = _meta(sheets)
    notes: list[str] = []
    default = _default_lang(settings, survey, lang)
    langs = tuple(dict.fromkeys(
        got[1] for r in survey for col in r if col != "_row"
        for got in [_lang_of(col, default)] if got and got[0] == "label" and r[col]))
    if not langs:
        raise InstrumentError(f"{path.name}: the survey sheet has no label column. Add a "
                              f"'label' (or 'label::Chinese (zh)') column with the wording.")
    declared = meta.get(("instrument", next((k[1] for k in meta if k[0] == "instrument"), ""),
                         "languages"))
    if declared:
        langs = tuple(x for x in declared if x in langs) + tuple(x for x in langs
                                                                 if x not in declared)
    rscales, text_codes = _choice_lists(choices, langs, default, meta, notes, "choices")
    known = {_num_key(m.value): m for rs in rscales.values() for m in rs.missing}
    ins_id = id or (settings[0].get("form_id") if settings else "") or path.stem
    if instrument_id(ins_id) != ins_id:
        notes.append(f"id {ins_id!r} became {instrument_id(ins_id)!r} (instrument ids are "
                     f"lower case letters, digits and '_').")
        ins_id = instrument_id(ins_id)
    ver = version or semver(settings[0].get("version") if settings else None, notes)

    names: dict[str, str] = {}
    taken: set[str] = set()
    for r in survey:
        if r.get("name") and _type_of(r.get("type", ""))[0] not in (
                "begin_group", "end_group", "begin_repeat", "end_repeat"):
            names[r["name"]] = item_id(r["name"], taken)
    items: list[Item] = []
    # (section id, title, relevant, is a matrix grid)
    group_stack: list[tuple[str, dict[str, str], str, bool]] = []
    runs: list[tuple[str | None, dict[str, str], list[str]]] = []  # groups and loose runs
    instructions: dict[str, str] = {}
    carried: dict[str, str] = {}          # XLSForm name -> item id, for relevant
    qcodes: dict[str, dict[str, int]] = {}  # question name -> text choice codes
    curly_seen: set[str] = set()
    choice_of: dict[str, ResponseScale] = {}   # item id -> its choice scale
    selects: dict[str, Select] = {}             # multi-select item id -> its limits
    multi_names: set[str] = set()
    specify: dict[str, set[int | float]] = {}   # scale id -> other-specify codes
    grids = _matrix_groups(survey)
    matrices: list[Matrix] = []
    grid: dict[str, Any] | None = None          # the matrix group being read

    for r in survey:
        row = r["_row"]
        typ, arg = _type_of(r.get("type", ""))
        name = r.get("name", "")
        if not typ:
            continue
        if typ == "begin_repeat":
            notes.append(f"survey row {row}: repeat '{name}' is read as a group: its "
                         f"questions are imported once (instruments have no repeats).")
            typ = "begin_group"
        elif typ == "end_repeat":
            typ = "end_group"
        if typ == "begin_group" and row in grids:
            grid = {"name": name, "row": row, "text": _texts(r, "label", default),
                    "note": {}, "rows": []}
            group_stack.append(("", {}, r.get("relevant", ""), True))
            continue
        if row in grids:                   # the heading row of a matrix grid
            if grid is not None:
                grid["note"] = _texts(r, "hint", default)
            continue
        if typ == "begin_group":
            if not group_stack:
                raw = name[len("section_"):] if name.startswith("section_") else name
                sid = instrument_id(raw or f"section_{len(runs) + 1}")
                runs.append((sid, _texts(r, "label", default), []))
                group_stack.append((sid, {}, r.get("relevant", ""), False))
            else:
                notes.append(f"survey row {row}: group '{name}' inside another group is "
                             f"merged into the outer section.")
                group_stack.append(("", {}, r.get("relevant", ""), False))
            continue
        if typ == "end_group":
            if group_stack and group_stack.pop()[3] and grid is not None:
                _end_grid(grid, items, matrices, langs, taken, notes)
                grid = None
            continue
        if typ == "note":
            text = _texts(r, "label", default)
            if not items and not group_stack and not instructions:
                instructions = text
            elif name.endswith("_intro") and group_stack:
                pass  # a section's introduction written by the exporter
            else:
                notes.append(f"survey row {row}: note '{name}' is not carried (instrument "
                             f"files hold no text between questions); put it in an item's "
                             f"note or the instructions.")
            continue
        if typ in _SKIPPED_TYPES:
            notes.append(f"survey row {row}: '{name}' of type {typ} is not a question and "
                         f"is not carried.")
            continue
        if typ == "select_multiple_from_file":
            notes.append(f"survey row {row}: '{name}' reads its choices from a file "
                         f"({arg}); it is not carried — copy the choices into the choices "
                         f"sheet and write 'select_multiple <list>'.")
            continue
        spec = _SPECIFY.match(name) if typ == "text" else None
        if spec and spec.group(1) in carried and carried[spec.group(1)] in choice_of:
            q_rs = choice_of[carried[spec.group(1)]]
            code = _code(spec.group(2))
            if code in q_rs.values:
                specify.setdefault(q_rs.id, set()).add(code)
                continue
        iid = names.get(name) or item_id(name or f"q{row}", taken)
        rid_meta = meta.get(("item", iid, "response"))
        if typ in ("select_one", "select_multiple"):
            list_name = arg.split(" ")[0]
            rid = instrument_id(list_name)
            if rid not in rscales:
                raise InstrumentError(f"{path.name}: survey row {row}: '{name}' uses choice "
                                      f"list '{list_name}', which the choices sheet does not "
                                      f"have. Add its choices and import again.")
            rs = rscales[rid]
            if "or_other" in arg.split(" ")[1:]:
                rs = _or_other(rs, langs)
                rscales.setdefault(rs.id, rs)
                specify.setdefault(rs.id, set()).add(rs.options[-1].value)
                notes.append(f"survey row {row}: '{name}' has or_other: its 'other' answer "
                             f"is option {_num_key(rs.options[-1].value)} of scale '{rs.id}' "
                             f"with text column {iid}_{_num_key(rs.options[-1].value)}_text "
                             f"(ODK stores it as {name}_other: rename that column when you "
                             f"read the data).")
            choice_of[iid] = rs
            if typ == "select_multiple":
                selects[iid] = _choice_limits(r.get("constraint", ""), row, name, notes)
                multi_names.add(name)
        elif typ in ("integer", "decimal"):
            rid = rid_meta or f"{iid.lower()}_number"
            rs = _numeric_scale(rid, r.get("constraint", ""), meta, langs, row, notes, known)
            prev = rscales.get(rid)
            if prev is not None and prev != rs:
                rid = f"{iid.lower()}_number"
                rs = _numeric_scale(rid, r.get("constraint", ""), {}, langs, row, notes,
                                    known)
            rscales[rid] = rs
        elif typ == "text":
            rid = rid_meta or "text"
            rs = rscales.setdefault(rid, ResponseScale(id=rid, type="text"))
        else:
            notes.append(f"survey row {row}: type {typ!r} of '{name}' is not carried.")
            continue
        if typ == "select_one" and r.get("constraint"):
            notes.append(f"survey row {row}: constraint of '{name}' is not carried.")
        conds = [g[2] for g in group_stack if g[2]] + ([r["relevant"]] if r.get("relevant")
                                                        else [])
        relevant = None
        if conds:
            for c in conds:
                if any(q in c for q in "‘’“”") and c not in curly_seen:
                    curly_seen.add(c)
                    notes.append(f"survey row {row}: curly quotes in relevant {c!r} read as "
                                 f"straight quotes (ODK needs straight ones: fix the form "
                                 f"too).")
            try:
                parts = [xlsform_relevant(c, carried, qcodes, multi_names) for c in conds]
                relevant = " and ".join(f"({p})" if len(parts) > 1 else p for p in parts)
            except (ValueError, ExpressionError) as e:
                notes.append(f"survey row {row}: relevant {' and '.join(conds)!r} of '{name}' "
                             f"is not carried ({getattr(e, 'reason', e)}); write it as a "
                             f"'relevant:' condition by hand.")
        text = complete_text(_texts(r, "label", default), langs, f"survey row {row} ({name})",
                             notes) or LocalizedText({lg: name for lg in langs})
        hint = complete_text(_texts(r, "hint", default), langs, f"survey row {row} hint",
                             notes)
        req = r.get("required", "").strip().lower() in ("yes", "true", "true()", "1", "y")
        items.append(Item(
            id=iid, text=text, response=rs, relevant=relevant, required=req,
            note=hint or None, reverse=bool(meta.get(("item", iid, "reverse"), False)),
            attention_check=meta.get(("item", iid, "attention_check")),
            construct=meta.get(("item", iid, "construct"))))
        carried[name] = iid
        if typ in ("select_one", "select_multiple") and arg.split(" ")[0] in text_codes:
            qcodes[name] = text_codes[arg.split(" ")[0]]
        if grid is not None:
            grid["rows"].append(iid)
        if not any(not g[3] for g in group_stack) and (not runs or runs[-1][0] is not None):
            runs.append((None, {}, []))
        runs[-1][2].append(iid)
    items = _with_specify(items, rscales, specify)
    sections = _sections(runs, langs, notes)
    if not items:
        raise InstrumentError(f"{path.name}: the survey sheet has no question surveykit can "
                              f"carry (select_one, integer, decimal, text). Check the sheet.")
    used = {it.response.id for it in items}
    rscales = {k: v for k, v in rscales.items() if k in used}
    title = meta.get(("instrument", ins_id, "title")) or {
        default: (settings[0].get("form_title") if settings else "") or ins_id}
    scales = tuple(
        Scale(id=sid, name=LocalizedText({k: v for k, v in d["name"].items() if k in langs}),
              items=tuple(d["items"]), score=d.get("score", "mean"),
              min_valid=int(d.get("min_valid", 1)), parent=d.get("parent"))
        for (kind, sid, key), d in meta.items() if kind == "scale" and key == "definition")
    if not meta:
        notes.append("no scales are defined: add 'scales:' for the item sets you score.")
    secs = tuple(Section(id=s.id, title=LocalizedText(
        {k: v for k, v in (meta.get(("section", s.id, "title")) or dict(s.title)).items()
         if k in langs}) or s.title, items=s.items) for s in sections)

    def loc(key: str, fallback: dict[str, str]) -> LocalizedText:
        val = meta.get(("instrument", ins_id, key)) or fallback
        return complete_text({k: v for k, v in val.items() if k in langs} or val, langs, key,
                             notes)

    expanded, multis, secs_x = expand(items, list(secs), selects, langs)
    ins = Instrument(
        id=ins_id, version=ver, languages=langs, title=loc("title", title),
        items=tuple(expanded), multi_selects=multis, scales=scales, sections=tuple(secs_x),
        matrices=tuple(_repoint(m, expanded) for m in matrices),
        response_scales=rscales,
        description=loc("description", {}), instructions=loc("instructions", instructions),
        changelog=loc("changelog", {lg: ("从 XLSForm 导入。" if lg == "zh" else
                                         "Imported from an XLSForm.") for lg in langs}))
    return finish(ins, notes, path, "XLSForm")
