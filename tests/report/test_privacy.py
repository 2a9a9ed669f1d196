"""The report never prints contact details found in free text (#15): masked by default."""
import json

import pandas as pd
import pytest

from surveykit.errors import ParameterError
from surveykit.report import Report

SECRETS = ("13812345678", "li.wei@example.cn", "010-62345678", "11010519491231002X")


def _report(scrub=True):
    r = Report("测试", lang="zh", scrub=scrub)
    r.section("开放题", "Open answers")
    r.add(pd.DataFrame({"respondent": ["p1", "p2", "p3"],
                        "NOTE": ["请打 13812345678", "写信 li.wei@example.cn", "无"],
                        "n": [1, 2, 3]}), caption="意见（座机 010-62345678）")
    r.text(zh="一位受访者留下身份证号 11010519491231002X 和手机。", en="x")
    return r


def _all_text(out):
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in out.rglob("*")
                     if p.suffix in (".html", ".csv", ".json", ".txt"))


def test_report_masks_contact_details_everywhere_by_default(tmp_path):
    r = _report()
    out = r.write(tmp_path / "out")
    text = _all_text(out)
    for secret in SECRETS:
        assert secret not in text
    import zipfile

    with zipfile.ZipFile(out / "report.docx") as z:
        doc = z.read("word/document.xml").decode("utf-8")
    for secret in SECRETS:
        assert secret not in doc
    assert "[mobile]" in doc and "[email]" in doc and "[id-card]" in doc
    csv = pd.read_csv(next((out / "tables").glob("*.csv")), encoding="utf-8-sig")
    assert csv["NOTE"].tolist() == ["请打 [mobile]", "写信 [email]", "无"]
    warnings = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["warnings"]
    msg = [w for w in warnings if "personal detail" in w]
    assert len(msg) == 1
    assert ("4 personal detail(s) in text were masked before writing (table 1: 1 e-mail "
            "address(es), 1 mobile number(s), 1 landline number(s); text in '开放题': 1 ID-card "
            "number(s))") in msg[0]


def test_scrub_false_keeps_them(tmp_path):
    out = _report(scrub=False).write(tmp_path / "out")
    assert "13812345678" in _all_text(out)


def test_scrub_parameter_checked():
    with pytest.raises(ParameterError, match=r"The 'scrub' parameter of Report must be True or "
                                             r"False\. Got 'yes' instead\."):
        Report(scrub="yes")
