"""Wenjuanxing (问卷星) export conventions: metadata columns, question headers, cell tokens.

Both downloads share one layout: ``序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP``
then one column per question (or per sub-question of a matrix). The *code* download
(按序号/按选项序号) stores option numbers; the *text* download (按文本/按选项文本)
stores option labels. Question headers come in these shapes (all handled):

* ``8、您所在的地区：`` — question 8;
* ``8(1)、本地政府…`` or ``8(本地政府…)`` — sub-question 1 of matrix question 8;
* ``第8题(本地政府…)`` — older exports, sub-question of question 8;
* ``8、题干—子题`` — matrix stem and sub-question joined by a dash;
* ``Q8_R1`` — SPSS-style name of sub-question (row) 1 of matrix question 8.

Cells: ``(跳过)`` = not shown because of skip logic, ``(空)`` = shown but left empty;
in code downloads of choice questions these appear as ``-3`` and ``-2``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["WJX_META", "is_wjx", "parse_header", "Header", "SKIPPED_TOKENS", "EMPTY_TOKENS",
           "SKIPPED_CODE", "EMPTY_CODE"]

#: Wenjuanxing metadata headers → surveykit meta names
WJX_META = {
    "序号": "submission", "答卷编号": "submission", "提交答卷时间": "submitted_at",
    "开始答题时间": "started_at", "所用时间": "duration_s", "来源": "channel",
    "来源详情": "source_detail", "来自IP": "ip", "来自ip": "ip", "IP地址": "ip", "总分": "total_score",
    "用户ID": "user_id", "微信昵称": "wechat_nickname", "填写设备": "device",
}
SKIPPED_TOKENS = ("(跳过)",)
EMPTY_TOKENS = ("(空)",)
SKIPPED_CODE = -3
EMPTY_CODE = -2

_NUM = r"(\d{1,4})"
_SEP = r"[、.．:：\s]"
_PATTERNS = (
    ("q_row", re.compile(rf"^[Qq]{_NUM}_[Rr](\d{{1,3}})$")),
    ("sub_index", re.compile(rf"^{_NUM}\((\d{{1,3}})\){_SEP}*(.*)$", re.S)),
    # one level of nested brackets inside: 8(其他（请注明）〖〗) (NFKC makes （） ASCII)
    ("sub_text", re.compile(rf"^{_NUM}\(((?:[^()]|\([^()]*\))+)\)\s*$", re.S)),
    ("old_sub", re.compile(rf"^第{_NUM}题\((.*)\)\s*$", re.S)),
    ("question", re.compile(rf"^{_NUM}{_SEP}+(.*)$", re.S)),
)
_DASHES = ("—", "──", "--", "－")


@dataclass(frozen=True)
class Header:
    """A parsed question header: number, sub-question index or text, texts to match."""

    number: int | None
    sub_index: int | None
    stem: str
    sub: str

    @property
    def texts(self) -> tuple[str, ...]:
        """Candidate texts for matching: the sub-question, the stem, both joined."""
        out = [t for t in (self.sub, self.stem, f"{self.stem}{self.sub}") if t]
        return tuple(dict.fromkeys(out))


def is_wjx(headers: list[str]) -> bool:
    names = {unicodedata.normalize("NFKC", h).strip() for h in headers}
    return "序号" in names and ("提交答卷时间" in names or "所用时间" in names)


def parse_header(header: str) -> Header:
    """Split a Wenjuanxing-style question header into number / sub-question / texts."""
    h = unicodedata.normalize("NFKC", header).strip()
    for kind, pat in _PATTERNS:
        m = pat.match(h)
        if not m:
            continue
        num = int(m.group(1))
        if kind == "q_row":
            return Header(num, int(m.group(2)), "", "")
        if kind == "sub_index":
            return Header(num, int(m.group(2)), "", m.group(3).strip())
        if kind in ("sub_text", "old_sub"):
            return Header(num, None, "", m.group(2).strip())
        text = m.group(2).strip()
        for d in _DASHES:
            if d in text:
                stem, sub = text.rsplit(d, 1)
                return Header(num, None, stem.strip(), sub.strip())
        return Header(num, None, text, "")
    return Header(None, None, h, "")
