"""Wenjuanxing (问卷星) text import format → instrument.

The format ``instrument export --to wjx`` writes and Wenjuanxing's 文本导入 reads: blocks
separated by blank lines; the first block the questionnaire title, a following unnumbered
block the instructions; ``标题[段落说明]`` blocks (with an optional description line)
open a section; a question is ``N. 题目文字*[题型]`` followed by one option per line
(``*`` = required).

What is carried
---------------
One language (the file's; ``lang=`` or guessed), the title, instructions, sections, the
wording, ``[单选题]``/``[下拉框题]`` (nominal), ``[多选题]`` (a multi-select question) and ``[量表题]`` (ordinal) with options coded
1..k in the order given — the codes Wenjuanxing stores — and ``[填空题]`` (text). An
option followed by the fill marker ``〖〗`` (``其他〖〗``, also ``其他〖请注明〗``) is an
other-specify option (``specify: true``), its text column ``Q5_4_text``. Item ids
are ``Q1``, ``Q2`` … from the question numbers. Options written ``A. 成都`` or ``A、成都``
lose the letter. Option lists that are the same become one response scale.

What the text format cannot hold — and so is noted, never guessed — : item ids, numeric
bounds and typed missing codes, reverse keys, scales, skip logic (Wenjuanxing keeps display
logic outside the text), multi-select limits, other languages.

A matrix question (``[矩阵量表题]`` → ordinal, ``[矩阵单选题]``/``[矩阵题]`` → nominal) is
read as Wenjuanxing reads it: the line after the question is the column headers (the
options, split at spaces and tabs; a no-break space stays inside a label), each further
line a row. It becomes a matrix ``Q2`` whose rows are items ``Q2_1``, ``Q2_2`` … on one
response scale; ``[标签]`` lines are noted and left out.
"""
from __future__ import annotations

import re
from pathlib import Path

from ...errors import InstrumentError
from ..model import Instrument, Item, LocalizedText, Matrix, Option, ResponseScale, Section
from ..questions import Select, expand
from ._draft import InstrumentImport, finish, guess_lang, instrument_id, missing_kind, semver

__all__ = ["read_wjx", "parse_wjx_blocks"]

_QUESTION = re.compile(r"^\s*(\d+)\s*[.．、]\s*(.*?)\s*(\*?)\s*\[([^\]]+)\]\s*$")
_SECTION = re.compile(r"^(.*?)\s*\[段落说明\]\s*$")
_LETTER = re.compile(r"^\s*[A-Za-z]\s*[.．、)）]\s*")
_MULTI_TYPES = ("多选题",)
_FILL = re.compile(r"\s*〖[^〗]*〗\s*$")
_CHOICE_TYPES = {"多选题": "nominal", "单选题": "nominal", "下拉框题": "nominal", "下拉框": "nominal",
                 "量表题": "ordinal", "评分题": "ordinal"}
_TEXT_TYPES = ("填空题", "简答题", "问答题")
#: Matrix tags and the response-scale type of their options.
_MATRIX_TYPES = {"矩阵量表题": "ordinal", "矩阵反向量表题": "ordinal", "矩阵单选题": "nominal",
                 "矩阵题": "nominal"}
_HEADER_SPLIT = re.compile(r"[ \t\u3000]+")
_ORDINAL_WORDS = ("同意", "满意", "符合", "重要", "经常", "agree", "satisf", "often")


def parse_wjx_blocks(text: str) -> list[list[str]]:
    """The non-empty blocks of the file, each a list of its non-blank lines."""
    blocks, cur = [], []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            cur.append(line.strip())
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def _options(lines: list[str]) -> list[str]:
    if lines and all(_LETTER.match(x) for x in lines):
        return [_LETTER.sub("", x, count=1) for x in lines]
    return list(lines)


def read_wjx(path: Path, *, id: str | None = None, version: str | None = None,
             lang: str | None = None) -> InstrumentImport:
    """Read a Wenjuanxing text-import file (see the module docstring for what is carried)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise InstrumentError(f"{path.name}: not UTF-8 or GB18030 text. Save the "
                                  f"questionnaire text as UTF-8 and import again.") from None
    blocks = parse_wjx_blocks(text)
    if not blocks:
        raise InstrumentError(f"{path.name}: the file is empty. Paste the questionnaire text "
                              f"(title, then one question per block) and import again.")
    lg = lang or guess_lang(x for b in blocks for x in b)
    notes: list[str] = []
    title, instructions = "", ""
    lead = 0
    while lead < len(blocks) and not _QUESTION.match(blocks[lead][0]) \
            and not _SECTION.match(blocks[lead][0]):
        if lead == 0:
            title = " ".join(blocks[0])
        elif lead == 1:
            instructions = " ".join(blocks[1])
        else:
            notes.append(f"block {lead + 1} ({blocks[lead][0][:20]}…) is not a question and "
                         f"is not carried.")
        lead += 1
    scales: dict[tuple[str, tuple[str, ...]], ResponseScale] = {}
    text_scale = ResponseScale(id="text", type="text")
    items: list[Item] = []
    selects: dict[str, Select] = {}
    sections: list[tuple[str, str, list[str]]] = []
    matrices: list[Matrix] = []
    numbers: set[str] = set()
    for b in blocks[lead:]:
        q0 = _QUESTION.match(b[0])
        if q0 and f"Q{q0.group(1)}" in numbers:
            raise InstrumentError(f"{path.name}: question number {q0.group(1)} appears twice. "
                                  f"Number the questions 1, 2, 3 … and import again.")
        if q0:
            numbers.add(f"Q{q0.group(1)}")
        sec = _SECTION.match(b[0])
        if sec:
            sections.append((f"section_{len(sections) + 1}", sec.group(1).strip() or
                             f"第{len(sections) + 1}部分", []))
            if len(b) > 1:
                notes.append(f"section '{sec.group(1)}': its description is not carried "
                             f"(instrument sections have a title only).")
            continue
        q = _QUESTION.match(b[0])
        if not q:
            notes.append(f"block '{b[0][:30]}' is neither a question (N. text[题型]) nor a "
                         f"section ([段落说明]) and is not carried.")
            continue
        no, wording, star, tag = q.groups()
        iid = f"Q{no}"
        tag = tag.strip()
        if tag in _MATRIX_TYPES:
            got = _matrix_block(path.name, no, wording, star, tag, b[1:], lg, scales, notes)
            if got is not None:
                rows, mat = got
                items.extend(rows)
                if mat is not None:
                    matrices.append(mat)
                if sections:
                    sections[-1][2].extend(r.id for r in rows)
            continue
        if tag in _CHOICE_TYPES:
            opts = _options(b[1:])
            if not opts:
                raise InstrumentError(f"{path.name}: question {no} ({tag}) has no options. "
                                      f"Write one option per line under the question.")
            spec = tuple(bool(_FILL.search(o)) for o in opts)
            opts = [_FILL.sub("", o).strip() for o in opts]
            bad = [o for o in opts if "〖" in o or "〗" in o]
            if bad:
                raise InstrumentError(f"{path.name}: question {no}, option {bad[0]!r}: a fill "
                                      f"marker 〖〗 must end the option (write '其他〖〗'). "
                                      f"Move it to the end and import again.")
            typ = _CHOICE_TYPES[tag]
            if typ == "nominal" and any(w in "".join(opts).lower() for w in _ORDINAL_WORDS):
                typ = "ordinal"
            key = (typ, tuple(opts), spec)
            if key not in scales:
                rid = f"{iid.lower()}_options"
                scales[key] = ResponseScale(
                    id=rid, type=typ,
                    options=tuple(Option(value=k, label=LocalizedText({lg: o}), specify=sp)
                                  for k, (o, sp) in enumerate(zip(opts, spec), 1)),
                    minimum=1, maximum=len(opts))
                notes.append(f"response scale '{rid}' ({len(opts)} options) taken as {typ}; "
                             f"change 'type:' if that is wrong"
                             + ("" if missing_kind(opts[-1:]) == "other" else
                                f"; its last option '{opts[-1]}' may be a missing code "
                                f"(give it a negative code under 'missing:')") + ".")
            rs = scales[key]
        elif tag in _TEXT_TYPES:
            rs = text_scale
            if len(b) > 1:
                notes.append(f"{iid}: lines under a fill-in question are not carried.")
        else:
            notes.append(f"{iid} ({tag}) is not carried: surveykit instruments have no "
                         f"{tag} yet — describe it by hand.")
            continue
        if tag in _MULTI_TYPES:
            selects[iid] = Select()
        items.append(Item(id=iid, text=LocalizedText({lg: wording}), response=rs,
                          required=bool(star)))
        if sections:
            sections[-1][2].append(iid)
    if not items:
        raise InstrumentError(f"{path.name}: no question found (a question line is "
                              f"'1. 题目文字*[单选题]'). Check the file and import again.")
    loose = [it.id for it in items if not any(it.id in s[2] for s in sections)]
    if sections and loose:
        sections.insert(0, ("section_0", title or "问卷", loose))
    rscales = {rs.id: rs for rs in scales.values()}
    if any(it.response is text_scale for it in items):
        rscales["text"] = text_scale
        notes.append("fill-in questions are text items; give numeric ones a numeric "
                     "response scale with min/max.")
    ins_id = id or instrument_id(path.stem)
    if id is None and ins_id != path.stem:
        notes.append(f"id {ins_id!r} from the file name {path.stem!r}; pass --id to choose.")
    if selects:
        notes.append("multi-select questions carry no limits in the text format; add "
                     "min_choices/max_choices where Wenjuanxing sets 至少/最多选几项.")
    expanded, multis, secs = expand(items, [Section(id=s, title=LocalizedText({lg: t}),
                                                    items=tuple(i))
                                            for s, t, i in sections if i], selects, (lg,))
    ins = Instrument(
        id=ins_id, version=version or semver(None, notes), languages=(lg,),
        title=LocalizedText({lg: title or ins_id}), items=tuple(expanded),
        multi_selects=multis, sections=tuple(secs), matrices=tuple(matrices),
        response_scales=rscales, instructions=LocalizedText({lg: instructions})
        if instructions else LocalizedText(),
        changelog=LocalizedText({lg: "从问卷星文本导入。" if lg == "zh"
                                 else "Imported from Wenjuanxing text."}))
    notes.append("no scales, reverse keys or skip logic: the text format has none — add them.")
    return finish(ins, notes, path, "Wenjuanxing text")


def _matrix_block(name: str, no: str, wording: str, star: str, tag: str, lines: list[str],
                  lg: str, scales: dict, notes: list[str]
                  ) -> tuple[list[Item], Matrix | None]:
    """Rows and matrix of one ``[矩阵量表题]`` block (the header line, then one row a line)."""
    iid = f"Q{no}"
    if not lines:
        raise InstrumentError(f"{name}: question {no} ({tag}) has no options. Under a matrix "
                              f"question write one line with the options separated by spaces "
                              f"(非常不同意 不同意 一般 同意 非常同意), then one line per row.")
    opts = [o.replace("\u00a0", " ").strip() for o in _HEADER_SPLIT.split(lines[0].strip())
            if o.strip()]
    rows = []
    for x in lines[1:]:
        if x.startswith("[标签]") or x.startswith("【标签】"):
            notes.append(f"{iid}: the label line {x!r} is not carried (instruments have no "
                         f"labels between matrix rows).")
        else:
            rows.append(x)
    if not rows:
        raise InstrumentError(f"{name}: question {no} ({tag}) has options but no rows. Write "
                              f"one line per row (statement) under the options line.")
    if tag == "矩阵反向量表题":
        notes.append(f"{iid}: [矩阵反向量表题] scores its options in reverse in Wenjuanxing; "
                     f"mark the reverse-keyed rows 'reverse: true' by hand.")
    typ = _MATRIX_TYPES[tag]
    key = (typ, tuple(opts), (False,) * len(opts))
    if key not in scales:
        scales[key] = ResponseScale(
            id=f"{iid.lower()}_options", type=typ,
            options=tuple(Option(value=k, label=LocalizedText({lg: o}))
                          for k, o in enumerate(opts, 1)), minimum=1, maximum=len(opts))
    rs = scales[key]
    items = [Item(id=f"{iid}_{k}", text=LocalizedText({lg: r}), response=rs, required=bool(star))
             for k, r in enumerate(rows, 1)]
    if len(items) == 1:
        notes.append(f"{iid}: a matrix with one row is imported as a single question.")
        one = Item(id=iid, text=LocalizedText({lg: f"{wording} — {rows[0]}"}), response=rs,
                   required=bool(star))
        return [one], None
    return items, Matrix(id=iid, text=LocalizedText({lg: wording}),
                         items=tuple(it.id for it in items), response=rs)


def carried(ins: Instrument, lang: str | None = None, *, id: str | None = None,
            version: str = "0.1.0") -> Instrument:
    """What of ``ins`` survives ``to_wjx`` → :func:`read_wjx` (for the round-trip test and
    for designers who want to know): one language, Q-numbered ids (a matrix ``Q2`` with
    rows ``Q2_1`` …), options coded 1..k, numeric items as text, no scales, reverse keys,
    missing codes or skip logic."""
    from dataclasses import replace

    lg = lang or ins.languages[0]
    scales: dict[tuple[str, tuple[str, ...], tuple[bool, ...]], ResponseScale] = {}
    text_scale = ResponseScale(id="text", type="text")
    items = []
    selects: dict[str, Select] = {}
    matrices: list[Matrix] = []
    new_id: dict[str, str] = {}        # old item / question id -> carried id

    def scale(iid: str, rs: ResponseScale, typ: str) -> ResponseScale:
        opts = tuple(" ".join(o.label.in_lang(lg).split()) for o in rs.options)
        spec = tuple(o.specify for o in rs.options)
        return scales.setdefault((typ, opts, spec), ResponseScale(
            id=f"{iid.lower()}_options", type=typ,
            options=tuple(Option(value=k, label=LocalizedText({lg: o}), specify=sp)
                          for k, (o, sp) in enumerate(zip(opts, spec), 1))))

    def clean(t: LocalizedText) -> LocalizedText:
        return LocalizedText({lg: " ".join(t.in_lang(lg).split())})

    for n, it in enumerate(ins.questions(), 1):
        iid = f"Q{n}"
        new_id[it.id] = iid
        if isinstance(it, Matrix):
            rs = scale(iid, it.response, it.response.type)
            rows = [ins.item(i) for i in it.items]
            req = all(r.required for r in rows)
            for k, r in enumerate(rows, 1):
                new_id[r.id] = f"{iid}_{k}"
                items.append(Item(id=f"{iid}_{k}", text=clean(r.text), response=rs,
                                  required=req))
            matrices.append(Matrix(id=iid, text=clean(it.text),
                                   items=tuple(f"{iid}_{k}" for k in range(1, len(rows) + 1)),
                                   response=rs))
            continue
        if ins.is_multi_select(it.id):
            selects[iid] = Select()          # the text format holds no limits
        if it.response.type in ("ordinal", "nominal"):
            opts = "".join(o.label.in_lang(lg) for o in it.response.options).lower()
            typ = "ordinal" if any(w in opts for w in _ORDINAL_WORDS) \
                else "nominal"   # [单选题] carries no order
            rs = scale(iid, it.response, typ)
        else:
            rs = text_scale
        items.append(Item(id=iid, text=clean(it.text), response=rs, required=it.required))
    rscales = {rs.id: rs for rs in scales.values()}
    if any(i.response is text_scale for i in items):
        rscales["text"] = text_scale
    secs = [Section(id=f"section_{k}", title=clean(s.title), items=tuple(dict.fromkeys(
        new_id.get(i) or new_id[ins.question_of(i)] for i in s.items
        if not ins.item(i).is_specify)))
        for k, s in enumerate(ins.sections, 1)]
    expanded, multis, secs = expand(items, secs, selects, (lg,))
    return replace(ins, id=id or ins.id, version=version, languages=(lg,),
                   title=clean(ins.title),
                   items=tuple(expanded), multi_selects=multis, scales=(),
                   matrices=tuple(matrices),
                   sections=tuple(secs), response_scales=rscales,
                   description=LocalizedText(),
                   instructions=clean(ins.instructions) if ins.instructions else LocalizedText(),
                   changelog=LocalizedText({lg: "从问卷星文本导入。" if lg == "zh"
                                            else "Imported from Wenjuanxing text."}),
                   path=None, sha256=None)
