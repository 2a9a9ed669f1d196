"""The personal_data rule: contact details in text items masked, one log row per cell (#15)."""
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.cleaning import Duplicates, PersonalData
from surveykit.errors import ParameterError
from surveykit.instrument.model import Item, LocalizedText, ResponseScale

TEXT = ResponseScale(id="text", type="text")


@pytest.fixture
def with_text(instrument, build):
    ins = replace(instrument, items=instrument.items + (
        Item("NOTE", LocalizedText(en="comments", zh="意见"), TEXT, required=False),
        Item("OTHER", LocalizedText(en="other", zh="其他"), TEXT, required=False)),
        response_scales={**instrument.response_scales, "text": TEXT})
    df = build.simulate(12)
    note = ["无"] * 12
    note[2] = "请打 13812345678 或写信 wang@example.cn"
    note[5] = "座机 010-62345678"
    other = [None] * 12
    other[5] = "联系 13912345678"
    df["NOTE"] = pd.Series(note, dtype="str")
    df["OTHER"] = pd.Series(other, dtype="str")
    r = build.responses(df.drop(columns=["NOTE", "OTHER"]), ins)
    values = r.values.copy()
    values["NOTE"] = pd.Series(note, index=r.index, dtype="str")
    values["OTHER"] = pd.Series(other, index=r.index, dtype="str")
    missing = r.missing.copy()
    missing["NOTE"] = pd.Series("", index=r.index).astype(missing["A1"].dtype)
    missing["OTHER"] = pd.Series(np.where(pd.isna(other), "empty", ""), index=r.index).astype(
        missing["A1"].dtype)
    raw = r.raw.copy()
    raw["NOTE"], raw["OTHER"] = values["NOTE"], values["OTHER"]
    return r.replace(values=values, missing=missing, raw=raw)


def test_details_masked_in_kept_values_and_raw_logged_per_cell_never_the_value(with_text):
    res = sk.clean(with_text, [PersonalData()])
    kept = res.kept
    assert kept.values.loc["r0002", "NOTE"] == "请打 [mobile] 或写信 [email]"
    assert kept.values.loc["r0005", "NOTE"] == "座机 [phone]"
    assert kept.values.loc["r0005", "OTHER"] == "联系 [mobile]"
    assert kept.raw.loc["r0002", "NOTE"] == "请打 [mobile] 或写信 [email]"
    assert res.n_excluded == 0 and res.n_flagged == 0
    log = res.log
    assert log[["respondent", "action"]].values.tolist() == [
        ["r0002", "mask"], ["r0005", "mask"], ["r0005", "mask"]]
    assert log["reason"].tolist() == ["NOTE: 1 e-mail address, 1 mobile number masked",
                                      "NOTE: 1 landline number masked",
                                      "OTHER: 1 mobile number masked"]
    assert log["value"].tolist() == [2, 1, 1]
    text = log.to_csv()
    for secret in ("13812345678", "wang@example.cn", "62345678", "13912345678"):
        assert secret not in text
    assert res.summary.loc[0, ["flagged", "excluded"]].tolist() == [2, 0]
    assert with_text.values.loc["r0002", "NOTE"].startswith("请打 138")   # input unchanged


def test_flag_only_logs_and_keeps_the_text(with_text):
    res = sk.clean(with_text, [PersonalData(action="flag")])
    assert res.kept.values.loc["r0002", "NOTE"].startswith("请打 138")
    assert res.log["reason"].str.endswith("found (not masked)").all()
    assert res.n_flagged == 2


def test_with_other_rules_and_from_a_rules_file(with_text, tmp_path):
    f = tmp_path / "rules.yaml"
    f.write_text("rules:\n  - rule: duplicates\n  - rule: personal_data\n    items: [NOTE]\n",
                 encoding="utf-8")
    res = sk.clean(with_text, f)
    assert list(res.summary["rule"]) == ["duplicates", "personal_data"]
    assert res.kept.values.loc["r0005", "OTHER"] == "联系 13912345678"   # not in items
    assert (res.log["rule"] == "personal_data").sum() == 2
    assert sk.clean(with_text, [Duplicates(), PersonalData()]).n_raw == 12


def test_errors(with_text):
    with pytest.raises(ParameterError, match=r"The 'action' parameter of personal_data must be "
                                             r"one of \{'mask', 'flag'\}\. Got 'exclude'"):
        PersonalData(action="exclude")
    with pytest.raises(sk.errors.DataError, match=r"personal_data rule reads text items; A1 "
                                                  r"holds numbers"):
        sk.clean(with_text, [PersonalData(items=["A1"])])
