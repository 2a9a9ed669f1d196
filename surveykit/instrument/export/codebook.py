"""Codebook of an instrument as Markdown and as a self-contained HTML page.

Both list, for every declared language: the instrument (id@version, title, description,
instructions, changelog), every item in display order (number, id, text, response scale,
reverse key, scales, construct, skip condition, attention-check answer, required; a
matrix row's number is its matrix's and row, ``2(3)``, as Wenjuanxing heads its column),
every matrix battery (number, id, stem, rows, response scale), every response scale with its codes, labels and typed missing codes, and every scale (items,
reverse-keyed items, scoring, minimum valid items, parent).
"""
from __future__ import annotations

import html
from typing import Sequence

from ...errors import InstrumentError
from ..model import Instrument, ResponseScale

__all__ = ["codebook_markdown", "codebook_html", "codebook_tables"]

_HEAD = {
    "zh": {"items": "题目", "no": "序号", "id": "编号", "text": "题目文字", "response": "选项量表",
           "reverse": "反向计分", "scales": "所属量表", "construct": "构念", "relevant": "显示条件",
           "attention": "注意力检测答案", "required": "必答", "rscales": "选项量表",
           "code": "代码", "label": "标签", "kind": "缺失类型", "scales_t": "量表与分量表",
           "scale": "量表", "name": "名称", "score": "计分", "min_valid": "最少有效题数",
           "parent": "上级量表", "reverse_items": "反向题", "description": "说明",
           "instructions": "指导语", "changelog": "版本说明", "type": "类型", "bounds": "取值范围",
           "yes": "是", "no_": "否", "missing": "缺失值代码", "matrices": "矩阵题",
           "matrix": "矩阵", "stem": "题干", "rows": "行（题目）", "note": "提示"},
    "en": {"items": "Items", "no": "No.", "id": "Item", "text": "Text", "response": "Response scale",
           "reverse": "Reverse", "scales": "Scales", "construct": "Construct",
           "relevant": "Shown if", "attention": "Attention-check answer", "required": "Required",
           "rscales": "Response scales", "code": "Code", "label": "Label", "kind": "Missing kind",
           "scales_t": "Scales and subscales", "scale": "Scale", "name": "Name",
           "score": "Score", "min_valid": "Min. valid items", "parent": "Parent",
           "reverse_items": "Reverse-keyed", "description": "Description",
           "instructions": "Instructions", "changelog": "Changelog", "type": "Type",
           "bounds": "Range", "yes": "yes", "no_": "no", "missing": "Missing codes",
           "matrices": "Matrices", "matrix": "Matrix", "stem": "Stem", "rows": "Rows",
           "note": "Note"},
}


def _h(lang: str, key: str) -> str:
    return _HEAD.get(lang, _HEAD["en"])[key]


def _num(v: float | int) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _check_langs(ins: Instrument, langs: Sequence[str] | None) -> tuple[str, ...]:
    langs = tuple(langs or ins.languages)
    bad = [lang for lang in langs if lang not in ins.languages]
    if bad:
        raise InstrumentError(f"{ins.ref} has no language {', '.join(bad)} (languages: "
                              f"{', '.join(ins.languages)}).")
    return langs


def codebook_tables(ins: Instrument, langs: Sequence[str] | None = None
                    ) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The codebook's tables as (header, rows) — items, matrices, response scales, scales.

    Headers use the first language's wording; each text column repeats per language.
    """
    langs = _check_langs(ins, langs)
    h = langs[0]
    yes, no = _h(h, "yes"), _h(h, "no_")

    def hh(key: str) -> str:  # bilingual header: 编号 / Item
        return " / ".join(dict.fromkeys(_h(lang, key) for lang in langs))

    def ht(key: str, lang: str) -> str:
        return f"{_h(lang, key)} ({lang})"

    item_head = [hh("no"), hh("id"), *[ht("text", lang) for lang in langs],
                 hh("response"), hh("reverse"), hh("scales"), hh("construct"),
                 hh("relevant"), hh("attention"), hh("required")]
    item_rows = []
    for it in ins.items:  # the question's number as printed and fielded (a multi-select's
        # columns and an other-specify text share it)
        scales = ", ".join(s.id for s in ins.scales if it.id in s.items)
        m = ins.matrix_of(it.id)
        no = f"{ins.display_number(it.id)}({m.row(it.id)})" if m else str(ins.display_number(it.id))
        item_rows.append([no, it.id, *[it.text.in_lang(lang) for lang in langs],
                          it.response.id, yes if it.reverse else "", scales,
                          it.construct or "", it.relevant or "",
                          _num(it.attention_check) if it.attention_check is not None else "",
                          yes if it.required else no])
    mx_head = [hh("no"), hh("matrix"), *[ht("stem", lang) for lang in langs], hh("rows"),
               hh("response"), *[ht("note", lang) for lang in langs]]
    mx_rows = [[str(ins.display_number(m.id)), m.id, *[m.text.in_lang(lang) for lang in langs],
                ", ".join(m.items), m.response.id,
                *[m.note.in_lang(lang) if m.note else "" for lang in langs]]
               for m in ins.matrices]
    rs_head = [hh("response"), hh("type"), hh("code"), *[ht("label", lang) for lang in langs],
               hh("kind")]
    rs_rows = []
    for rs in ins.response_scales.values():
        rs_rows.extend(_rs_rows(rs, langs))
    sc_head = [hh("scale"), *[ht("name", lang) for lang in langs], hh("items"),
               hh("reverse_items"), hh("score"), hh("min_valid"), hh("parent")]
    sc_rows = []
    for s in ins.scales:
        rev = [i for i in s.items if ins.has_item(i) and ins.item(i).reverse]
        sc_rows.append([s.id, *[s.name.in_lang(lang) for lang in langs], ", ".join(s.items),
                        ", ".join(rev), s.score, str(s.min_valid), s.parent or ""])
    return {"items": (item_head, item_rows), "matrices": (mx_head, mx_rows),
            "response_scales": (rs_head, rs_rows),
            "scales": (sc_head, sc_rows)}


def _rs_rows(rs: ResponseScale, langs: Sequence[str]) -> list[list[str]]:
    rows = []
    if rs.type == "numeric":
        lo = _num(rs.minimum) if rs.minimum is not None else "…"
        hi = _num(rs.maximum) if rs.maximum is not None else "…"
        rows.append([rs.id, rs.type, f"{lo}–{hi}", *[_h(lang, "bounds") for lang in langs], ""])
    elif rs.type == "text":
        rows.append([rs.id, rs.type, "", *["" for _ in langs], ""])
    for o in rs.options:
        rows.append([rs.id, rs.type, _num(o.value), *[o.label.in_lang(lang) for lang in langs],
                     ""])
    for m in rs.missing:
        rows.append([rs.id, rs.type, _num(m.value), *[m.label.in_lang(lang) for lang in langs],
                     m.kind])
    return rows


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _md_table(head: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(_md_cell(c) for c in head) + " |",
           "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def codebook_markdown(ins: Instrument, langs: Sequence[str] | None = None) -> str:
    """The codebook as Markdown (GitHub tables), every text in each of ``langs``.

    >>> from surveykit import load_instrument
    >>> md = codebook_markdown(load_instrument("local_protectionism"))
    >>> "LP13" in md and "非常同意" in md and "Strongly agree" in md
    True
    """
    langs = _check_langs(ins, langs)
    h = langs[0]
    t = codebook_tables(ins, langs)
    parts = [f"# {' / '.join(ins.title.in_lang(lang) for lang in langs)}", "",
             f"`{ins.ref}`" + (f" · sha256 `{ins.sha256[:12]}`" if ins.sha256 else ""), ""]
    for key in ("description", "instructions", "changelog"):
        text = getattr(ins, key)
        if text:
            parts.append(f"**{' / '.join(_h(lang, key) for lang in langs)}**")
            parts.append("")
            parts.extend(f"- {lang}: {text.in_lang(lang)}" for lang in langs)
            parts.append("")
    for key, title in (("items", "items"), ("matrices", "matrices"),
                       ("response_scales", "rscales"), ("scales", "scales_t")):
        head, rows = t[key]
        if not rows:
            continue
        parts += [f"## {' / '.join(_h(lang, title) for lang in langs)}", "",
                  _md_table(head, rows), ""]
    miss = sorted({(m.value, m.kind) for rs in ins.response_scales.values() for m in rs.missing})
    if miss:
        parts.append(f"{_h(h, 'missing')}: " + ", ".join(f"{_num(v)} = {k}" for v, k in miss)
                     + ".")
        parts.append("")
    return "\n".join(parts)


_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
system-ui,sans-serif;margin:2rem;line-height:1.45;color:#222}
table{border-collapse:collapse;margin:0.5rem 0 1.5rem;font-size:0.9rem}
th,td{border:1px solid #ccc;padding:0.25rem 0.5rem;vertical-align:top;text-align:left}
th{background:#f3f3f3}code{background:#f6f6f6;padding:0 0.2rem}
"""


def _html_table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{html.escape(c)}</th>" for c in head)
    trs = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                  for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"


def codebook_html(ins: Instrument, langs: Sequence[str] | None = None) -> str:
    """The codebook as one self-contained HTML page (UTF-8, no external files)."""
    langs = _check_langs(ins, langs)
    t = codebook_tables(ins, langs)
    title = " / ".join(ins.title.in_lang(lang) for lang in langs)
    body = [f"<h1>{html.escape(title)}</h1>", f"<p><code>{html.escape(ins.ref)}</code></p>"]
    for key in ("description", "instructions", "changelog"):
        text = getattr(ins, key)
        if text:
            body.append(f"<h3>{html.escape(' / '.join(_h(lang, key) for lang in langs))}</h3>")
            body.append("<ul>" + "".join(
                f'<li lang="{lang}"><b>{lang}</b>: {html.escape(text.in_lang(lang))}</li>'
                for lang in langs) + "</ul>")
    for key, name in (("items", "items"), ("matrices", "matrices"),
                      ("response_scales", "rscales"), ("scales", "scales_t")):
        head, rows = t[key]
        if rows:
            body.append(f"<h2>{html.escape(' / '.join(_h(lang, name) for lang in langs))}</h2>")
            body.append(_html_table(head, rows))
    return (f'<!DOCTYPE html>\n<html lang="{langs[0]}">\n<head><meta charset="utf-8">'
            f"<title>{html.escape(title)} — {html.escape(ins.ref)}</title>"
            f"<style>{_CSS}</style></head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")
