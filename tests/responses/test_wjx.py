"""Wenjuanxing exports: code download (GB18030), text download, header shapes, tokens."""
import numpy as np
import pandas as pd
import pytest
from responses_helpers import HEADERS_ZH, WJX_META, write_csv

from surveykit import read_responses
from surveykit.datasets import simulate_study
from surveykit.datasets.exports import write_code_csv, write_text_csv, write_text_xlsx
from surveykit.responses.readers.wjx import parse_header


def test_code_download_values_and_reasons(wjx_code_csv, mini):
    r = read_responses(wjx_code_csv, mini)
    src = r.sources[0]
    assert src.encoding == "gb18030" and src.reader.startswith("wjx-code")
    v, m = r.values, r.missing
    assert v["PR06"].tolist() == [1.0, 2.0, 1.0]
    assert v.iloc[0].tolist() == [1.0, 3.0, 4.0, 5.0, pytest.approx(np.nan, nan_ok=True)]
    assert m.iloc[0]["LP03"] == "refused"
    assert m.iloc[1]["PR06a"] == "skipped"          # (跳过)
    assert m.iloc[1]["LP01"] == "invalid"           # 7 on a 1-5 scale
    assert r.raw.iloc[1]["LP01"] == "7"             # kept visible in raw
    assert m.iloc[2]["LP01"] == "empty"             # (空)
    assert m.iloc[2]["LP02"] == "dont_know"         # -98
    iss = r.issues.set_index("reason")
    assert iss.loc["out_of_range", "item"] == "LP01"
    assert iss.loc["out_of_range", "source_row"] == 3


def test_meta_parsed_and_private_columns_dropped(wjx_code_csv, mini):
    r = read_responses(wjx_code_csv, mini)
    assert r.meta["duration_s"].tolist() == [123.0, 85.0, 300.0]
    assert r.meta["submitted_at"].iloc[0] == pd.Timestamp("2024-03-05 10:20:33")
    assert r.meta["source_row"].tolist() == [2, 3, 4]
    assert r.meta["submission"].tolist() == [1, 2, 3]
    assert "ip" not in r.meta and "source_detail" not in r.meta
    status = dict(zip(r.mapping["column"], r.mapping["status"]))
    assert status["来自IP"] == "dropped" and status["来源详情"] == "dropped"
    kept = read_responses(wjx_code_csv, mini, keep=["ip"])
    assert kept.meta["ip"].iloc[0].startswith("192.0.2.1")


def test_skip_logic_violation_logged(tmp_path, mini):
    rows = [["1", "2024/3/5 10:20:33", "60秒", "微信", "N/A", "x", "2", "5", "4", "4", "4"]]
    p = write_csv(tmp_path / "w.csv", WJX_META + HEADERS_ZH, rows)
    r = read_responses(p, mini)
    assert r.missing.iloc[0]["PR06a"] == "skipped" and np.isnan(r.values.iloc[0]["PR06a"])
    assert r.raw.iloc[0]["PR06a"] == 5
    row = r.issues[r.issues["reason"] == "answered_when_not_relevant"]
    assert row["item"].tolist() == ["PR06a"] and row["raw_value"].tolist() == ["5"]


def test_wjx_numeric_tokens_minus2_minus3(tmp_path, mini):
    rows = [["1", "2024/3/5 10:20:33", "60秒", "微信", "N/A", "x", "1", "2", "-2", "-3", "3"]]
    r = read_responses(write_csv(tmp_path / "w.csv", WJX_META + HEADERS_ZH, rows), mini)
    assert r.missing.iloc[0][["LP01", "LP02"]].tolist() == ["empty", "skipped"]


@pytest.mark.parametrize("headers", [
    [f"{i}(1)、{t}" for i, t in [(1, "过去一年中，您是否参与过两地之间的跨区域合作事务？"),
                                (1, "过去一年中，您参加过多少次联席会议？")]],
    ["第3题(本地政府在政府采购中倾向于选择本地企业。)", "第3题(外地企业在本地参与市场竞争时会遇到各种隐性门槛。)"],
    ["3、请评价以下说法—本地政府在政府采购中倾向于选择本地企业。",
     "3、请评价以下说法—外地企业在本地参与市场竞争时会遇到各种隐性门槛。"],
    ["3(本地政府在政府采购中倾向于选择本地企业。)", "3(外地企业在本地参与市场竞争时会遇到各种隐性门槛。)"],
])
def test_matrix_header_shapes_map_by_text(tmp_path, headers):
    from responses_helpers import ITEMS, make_mini

    sub = [it for it in ITEMS if it.text["zh"] in "".join(headers)]
    ins = make_mini(tuple(sub))
    rows = [["1", "2024/3/5 10:20:33", "60秒", "微信", "N/A", "x", "1", "2"]]
    r = read_responses(write_csv(tmp_path / "m.csv", WJX_META + headers, rows), ins)
    mapped = r.mapping[r.mapping["status"] == "mapped"]
    assert mapped["item"].tolist() == [it.id for it in sub]


def test_parse_header_shapes():
    assert parse_header("8、您所在的地区：").number == 8
    h = parse_header("8(2)、本地政府")
    assert (h.number, h.sub_index, h.sub) == (8, 2, "本地政府")
    assert parse_header("第8题(本地)").sub == "本地"
    h = parse_header("8、题干—子题")
    assert (h.stem, h.sub) == ("题干", "子题")
    assert parse_header("LP01").number is None


def test_code_and_text_download_of_same_survey_import_identically(tmp_path):
    study = simulate_study(n=120, seed=7)
    w = study.wave1
    code = write_code_csv(tmp_path / "code.csv", w.instrument, w.meta, w.codes)
    text_x = write_text_xlsx(tmp_path / "text.xlsx", w.instrument, w.meta, w.codes)
    text_c = write_text_csv(tmp_path / "text.csv", w.instrument, w.meta, w.codes)
    a = read_responses(code, w.instrument)
    assert a.sources[0].encoding == "gb18030"
    for path in (text_x, text_c):
        b = read_responses(path, w.instrument)
        assert b.sources[0].reader.startswith("wjx-text")
        pd.testing.assert_frame_equal(a.values, b.values)
        pd.testing.assert_frame_equal(a.missing, b.missing)
        pd.testing.assert_frame_equal(a.meta.drop(columns="source_file"),
                                      b.meta.drop(columns="source_file"), check_dtype=False)
    # the text download really holds labels
    raw = pd.read_excel(text_x, dtype=str)
    assert raw.iloc[:, 6].isin(["成都", "重庆"]).all()


def test_text_download_english_labels_and_fullwidth(tmp_path, mini):
    rows = [["1", "2024/3/5 10:20:33", "60秒", "微信", "N/A", "x", "Yes", "３", " Strongly agree ",
             "非常 同意", "不知道"]]
    r = read_responses(write_csv(tmp_path / "t.csv", WJX_META + HEADERS_ZH, rows), mini)
    assert r.values.iloc[0].tolist()[:4] == [1.0, 3.0, 5.0, 5.0]
    assert r.missing.iloc[0]["LP03"] == "dont_know"


def test_text_items_kept_as_text(tmp_path, mini_text):
    header = WJX_META + HEADERS_ZH + ["6、其他意见"]
    rows = [["1", "2024/3/5 10:20:33", "60秒", "微信", "N/A", "x", "1", "2", "3", "4", "5", "联席会议要常态化"],
            ["2", "2024/3/5 10:21:33", "60秒", "微信", "N/A", "x", "1", "2", "3", "4", "5", "(空)"]]
    r = read_responses(write_csv(tmp_path / "t.csv", header, rows), mini_text)
    assert r.values["NOTE"].iloc[0] == "联席会议要常态化"
    assert pd.isna(r.values["NOTE"].iloc[1]) and r.missing["NOTE"].iloc[1] == "empty"
    assert pd.api.types.is_string_dtype(r.values["NOTE"].dtype)


def test_tokens_recognised_when_read_as_plain_csv(wjx_code_csv, mini):
    r = read_responses(wjx_code_csv, mini, source="csv")
    assert r.sources[0].reader == "csv"
    assert r.missing.iloc[1]["PR06a"] == "skipped" and r.missing.iloc[2]["LP01"] == "empty"


def test_skip_marks_checked_against_the_condition(tmp_path, mini):
    rows = [["1", "2024/3/5 10:20:33", "60秒", "微信", "N/A", "x", "1", "(跳过)", "4", "4", "4"],
            ["2", "2024/3/5 10:21:33", "60秒", "微信", "N/A", "x", "2", "", "4", "4", "4"]]
    r = read_responses(write_csv(tmp_path / "s.csv", WJX_META + HEADERS_ZH, rows), mini)
    # shown (PR06 == 1) but marked skipped: kept as skipped, logged
    assert r.missing["PR06a"].tolist() == ["skipped", "skipped"]
    log = r.issues[r.issues["reason"] == "skipped_although_relevant"]
    assert log["source_row"].tolist() == [2]


def test_option_header_with_nested_brackets_maps_to_its_option():
    # an option labelled 其他（请注明） gives 8(其他（请注明）〖〗) in a code download: the
    # header parses (one level of nested brackets) and maps to the option's column
    from surveykit.responses.multi_columns import match_multi

    h = parse_header("8(其他（请注明）〖〗)")
    assert (h.number, h.sub) == (8, "其他(请注明)〖〗")
    assert parse_header("8(联席会议)").sub == "联席会议"
    import surveykit as sk

    ins = sk.load_instrument("respondent_profile", "1.1.0")
    q = ins.question_ids[ins.display_number("PR06b") - 1]
    assert q == "PR06b"
    assert match_multi("8(其他（请注明）〖〗)", h, ins) == ("option", "PR06b_6")
    assert match_multi("8(联席会议)", parse_header("8(联席会议)"), ins) == ("option", "PR06b_1")
