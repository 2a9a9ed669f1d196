"""Column → item mapping: id, display number, exact and fuzzy text, mapping files."""
import pandas as pd
import pytest
from responses_helpers import HEADERS_ZH, ITEMS, WJX_META, write_csv

from surveykit import read_responses

ROW = ["1", "2024/3/5 10:20:33", "60秒", "微信", "N/A", "x", "1", "2", "3", "4", "5"]


def _read(tmp_path, headers, ins, **kw):
    return read_responses(write_csv(tmp_path / "m.csv", WJX_META + headers, [ROW]), ins, **kw)


def _methods(r):
    m = r.mapping[r.mapping["status"] == "mapped"]
    return dict(zip(m["item"], m["method"]))


def test_by_display_number_without_text(tmp_path, mini):
    r = _read(tmp_path, ["Q1", "Q2", "Q3", "Q4", "Q5"], mini, mapping={"columns": {
        "Q1": "PR06", "Q2": "PR06a", "Q3": "LP01", "Q4": "LP02", "Q5": "LP03"}})
    assert set(_methods(r).values()) == {"mapping_file"}
    r = _read(tmp_path, ["1、", "2、", "3、", "4、", "5、"], mini)
    assert set(_methods(r).values()) == {"number"}
    assert r.values.iloc[0].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]


def test_number_with_similar_text(tmp_path, mini):
    heads = [h.replace("。", "").replace("？", "") + "（单选）" for h in HEADERS_ZH]
    r = _read(tmp_path, heads, mini)
    assert set(_methods(r).values()) == {"number"}


def test_text_beats_shifted_numbers(tmp_path, mini):
    heads = [f"{k + 1}、{it.text['zh']}" for k, it in enumerate(ITEMS, start=1)]
    r = _read(tmp_path, heads, mini)
    assert _methods(r) == {i.id: "text" for i in ITEMS}
    assert r.mapping["note"].str.contains("display number 2 is PR06a; the text matches PR06").any()


def test_english_text_and_fuzzy(tmp_path, mini):
    heads = [it.text["en"] for it in ITEMS]
    heads[2] = heads[2].replace("tends to favour", "tends to favor")   # US spelling: fuzzy
    r = _read(tmp_path, heads, mini)
    meth = _methods(r)
    assert meth["LP01"] == "fuzzy" and meth["PR06"] == "text"
    score = r.mapping.set_index("item").loc["LP01", "score"]
    assert 0.85 <= score < 1


def test_mapping_file_yaml_ignore_meta_absent_recode(tmp_path, mini):
    mp = tmp_path / "map.yaml"
    mp.write_text(
        "columns:\n  '备注': ignore\n  '部门编码': 'meta:dept_code'\n"
        "absent: [LP03]\nrecode:\n  '同意': 4\n  LP02: {'说不清': dont_know}\n", encoding="utf-8")
    heads = HEADERS_ZH[:4] + ["备注", "部门编码"]
    row = ROW[:6] + ["1", "2", "同意", "说不清", "随便写写", "D01"]
    r = read_responses(write_csv(tmp_path / "m.csv", WJX_META + heads, [row]), mini, mapping=mp)
    assert r.values.iloc[0]["LP01"] == 4.0
    assert r.missing.iloc[0]["LP02"] == "dont_know"
    assert r.missing.iloc[0]["LP03"] == "not_applicable"
    assert r.meta["dept_code"].iloc[0] == "D01"
    st = dict(zip(r.mapping["column"], r.mapping["status"]))
    assert st["备注"] == "ignored" and st["部门编码"] == "meta"


def test_mapping_file_csv(tmp_path, mini):
    mp = tmp_path / "map.csv"
    pd.DataFrame({"column": ["A", "B", "C", "D", "E", "X"],
                  "item": ["PR06", "PR06a", "LP01", "LP02", "LP03", "ignore"]}).to_csv(mp, index=False)
    r = read_responses(write_csv(tmp_path / "m.csv", WJX_META + list("ABCDEX"), [ROW + ["?"]]),
                       mini, mapping=mp)
    assert r.values.iloc[0].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]


def test_report_covers_every_column(tmp_path, mini):
    r = _read(tmp_path, HEADERS_ZH, mini)
    assert len(r.mapping) == len(WJX_META) + len(HEADERS_ZH)
    assert set(r.mapping["status"]) <= {"mapped", "meta", "dropped", "ignored", "unmapped", "ambiguous"}
    assert list(r.mapping.columns) == ["source_file", "column", "status", "item", "method",
                                       "score", "note"]


def test_non_item_column_is_reported_not_imported(tmp_path, mini):
    r = read_responses(write_csv(tmp_path / "m.csv", WJX_META + HEADERS_ZH + ["备注"],
                                 [ROW + ["hello"]]), mini)
    row = r.mapping.set_index("column").loc["备注"]
    assert row["status"] == "unmapped" and "not an item" in row["note"]
    assert "备注" not in r.meta.columns


def test_unmapped_ignore_for_a_partial_instrument_lists_and_warns():
    import surveykit as sk
    from surveykit.datasets import example_study_path
    from surveykit.errors import DataWarning, ResponsesError

    path = example_study_path("wave1")
    with pytest.raises(ResponsesError, match=r"do not map cleanly to local_protectionism@1\.0\.0"):
        sk.read_responses(path, "local_protectionism", version="1.0.0", key="k")
    with pytest.warns(DataWarning, match=r"47 column\(s\) the instrument does not describe were "
                                         r"ignored \(unmapped: ignore in <mapping>\).*and 42 more"):
        r = sk.read_responses(path, "local_protectionism", version="1.0.0", key="k",
                              mapping={"unmapped": "ignore"})
    m = r.mapping
    ignored = m[m["method"] == "unmapped_ignore"]
    assert len(ignored) == 47 and (ignored["status"] == "ignored").all()
    assert ignored["note"].str.startswith("not in the instrument (unmapped: ignore").all()
    assert len(m) == 47 + 13 + 4 + 2            # every column of the file has its row
    assert list(r.values.columns) == list(sk.load_instrument("local_protectionism",
                                                             "1.0.0").item_ids)


def test_unmapped_policy_is_checked(tmp_path):
    import surveykit as sk
    from surveykit.errors import ResponsesError
    from surveykit.responses.mapping import load_mapping

    with pytest.raises(ResponsesError, match=r"'unmapped' must be 'error' or 'ignore'\. Got "
                                             r"'drop' instead"):
        load_mapping({"unmapped": "drop"}, sk.load_instrument("local_protectionism"))
