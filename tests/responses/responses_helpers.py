"""Helpers for the responses tests (imported by name; conftest puts this folder on sys.path)."""
from __future__ import annotations

from pathlib import Path

from surveykit.instrument.model import Instrument, Item, MissingCode, Option, ResponseScale, Scale
from surveykit.instrument.model import LocalizedText as L

AGREE = ResponseScale(
    "agree5", "ordinal",
    options=tuple(Option(i, L(zh=z, en=e)) for i, z, e in [
        (1, "非常不同意", "Strongly disagree"), (2, "比较不同意", "Disagree"),
        (3, "一般", "Neither agree nor disagree"), (4, "比较同意", "Agree"),
        (5, "非常同意", "Strongly agree")]),
    missing=(MissingCode(-99, "refused", L(zh="拒绝回答", en="Refused")),
             MissingCode(-98, "dont_know", L(zh="不知道", en="Don't know"))))
YES_NO = ResponseScale("yes_no", "nominal", options=(Option(1, L(zh="是", en="Yes")),
                                                     Option(2, L(zh="否", en="No"))))
COUNT = ResponseScale("count", "numeric", minimum=0, maximum=100,
                      missing=(MissingCode(-98, "dont_know", L(zh="记不清", en="Don't remember")),))
TEXT = ResponseScale("free", "text")

ITEMS = (
    Item("PR06", L(zh="过去一年中，您是否参与过两地之间的跨区域合作事务？",
                   en="In the past year, have you taken part in cross-regional cooperation?"), YES_NO),
    Item("PR06a", L(zh="过去一年中，您参加过多少次联席会议？",
                    en="How many joint meetings did you attend?"), COUNT, relevant="PR06 == 1"),
    Item("LP01", L(zh="本地政府在政府采购中倾向于选择本地企业。",
                   en="Our local government tends to favour local firms in public procurement."), AGREE),
    Item("LP02", L(zh="外地企业在本地参与市场竞争时会遇到各种隐性门槛。",
                   en="Firms from elsewhere meet hidden hurdles in our local market."), AGREE),
    Item("LP03", L(zh="两地企业在对方市场的准入上享有同等待遇。",
                   en="Firms from either region are treated equally in the other market."), AGREE,
         reverse=True),
)
HEADERS_ZH = [f"{k}、{it.text['zh']}" for k, it in enumerate(ITEMS, start=1)]
WJX_META = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]


def make_mini(items=ITEMS, version: str = "1.0.0", id: str = "mini") -> Instrument:
    rs = {}
    for it in items:
        rs[it.response.id] = it.response
    return Instrument(id=id, version=version, languages=("zh", "en"), title=L(zh="小", en="mini"),
                      items=tuple(items), response_scales=rs,
                      scales=(Scale("mb", L(en="mb"), ("LP01", "LP02", "LP03")),))



def wjx_rows() -> list[list[str]]:
    """Three respondents: a full answer, a skip + out-of-range + refusal, an empty + don't know."""
    return [
        ["1", "2024/3/5 10:20:33", "123秒", "微信", "N/A", "192.0.2.1(四川-成都)", "1", "3", "4", "5", "-99"],
        ["2", "2024/3/5 10:22:33", "85秒", "链接", "N/A", "192.0.2.2(重庆)", "2", "(跳过)", "7", "2", "1"],
        ["3", "2024/3/5 10:25:01", "300秒", "微信", "N/A", "192.0.2.3(重庆)", "1", "4", "(空)", "-98", "3"],
    ]


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8",
              newline: str = "\r\n") -> Path:
    import csv
    import io

    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator=newline)
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


