"""Bad input: each case gives one clear message (tested with match=) or a logged flag."""
import numpy as np
import pandas as pd
import pytest
from responses_helpers import HEADERS_ZH, WJX_META, make_mini, write_csv

from surveykit import pool_waves, read_responses
from surveykit.errors import DataWarning, ParameterError, ResponsesError

ROW = ["1", "2024/3/5 10:20:33", "60秒", "微信", "N/A", "x", "1", "2", "3", "4", "5"]


def _csv(tmp_path, headers=None, rows=None, encoding="utf-8", name="bad.csv"):
    return write_csv(tmp_path / name, headers or WJX_META + HEADERS_ZH,
                     [ROW] if rows is None else rows, encoding)


def test_missing_path(tmp_path, mini):
    with pytest.raises(ResponsesError, match=r"nope\.csv' does not exist. Check the path"):
        read_responses(tmp_path / "nope.csv", mini)


def test_folder_instead_of_file(tmp_path, mini):
    with pytest.raises(ResponsesError, match="is a folder; give the export file"):
        read_responses(tmp_path, mini)


@pytest.mark.parametrize("content", [b"", b"  \r\n\r\n"])
def test_empty_file(tmp_path, mini, content):
    p = tmp_path / "empty.csv"
    p.write_bytes(content)
    with pytest.raises(ResponsesError, match=r"empty\.csv is empty: there is no header row"):
        read_responses(p, mini)


def test_header_only_file(tmp_path, mini):
    with pytest.raises(ResponsesError, match=r"bad\.csv has a header row but no data rows"):
        read_responses(_csv(tmp_path, rows=[]), mini)


def test_unknown_item_like_header(tmp_path, mini):
    heads = WJX_META + HEADERS_ZH + ["6、您对两地合作还有什么建议和看法吗？"]
    with pytest.raises(ResponsesError, match=r"column 12 '6、您对两地合作.*': (unmapped|ambiguous)"):
        read_responses(_csv(tmp_path, heads, [ROW + ["无"]]), mini)


def test_unknown_header_declared_ignored_is_fine(tmp_path, mini):
    heads = WJX_META + HEADERS_ZH + ["6、您对两地合作还有什么建议和看法吗？"]
    r = read_responses(_csv(tmp_path, heads, [ROW + ["无"]]), mini,
                       mapping={"columns": {"6、您对两地合作还有什么建议和看法吗？": "ignore"}})
    assert r.n == 1


def test_duplicate_headers(tmp_path, mini):
    heads = WJX_META + HEADERS_ZH + [HEADERS_ZH[2]]
    with pytest.raises(ResponsesError, match=r"header '3、本地政府.*' appears in columns 9, 12"):
        read_responses(_csv(tmp_path, heads, [ROW + ["3"]]), mini)


def test_two_columns_one_item(tmp_path, mini):
    heads = WJX_META + HEADERS_ZH + ["LP01"]
    with pytest.raises(ResponsesError, match=r"2 columns map to LP01"):
        read_responses(_csv(tmp_path, heads, [ROW + ["3"]]), mini)


def test_wrong_encoding_given(tmp_path, mini):
    p = _csv(tmp_path, encoding="gb18030")
    with pytest.raises(ResponsesError, match=r"bad\.csv is not valid utf-8 text \(line 1, byte \d+\)\. It looks like gb18030; pass encoding='gb18030'"):
        read_responses(p, mini, encoding="utf-8")


def test_unknown_encoding_name(tmp_path, mini):
    with pytest.raises(ResponsesError, match="unknown text encoding 'klingon'"):
        read_responses(_csv(tmp_path), mini, encoding="klingon")


def test_broken_bom_file(tmp_path, mini):
    p = tmp_path / "bom.csv"
    p.write_bytes(b"\xef\xbb\xbf" + "序号,".encode() + b"\xff\xfe\n1,2\n")
    with pytest.raises(ResponsesError, match="byte-order mark but is not valid UTF-8"):
        read_responses(p, mini)


def test_date_column_where_likert_item_belongs(tmp_path, mini):
    rows = [ROW[:8] + [f"2024-03-0{i}"] + ROW[9:] for i in range(1, 8)]
    with pytest.raises(ResponsesError, match=r"LP01 \(column 9 .*\): 7 of 7 answers are not valid "
                                             r"for the agree5 scale \(rows 2, 3, 4, …: 2024-03-01"):
        read_responses(_csv(tmp_path, rows=rows), mini)


def test_text_answers_not_among_options(tmp_path, mini):
    rows = [ROW[:8] + ["比较赞同"] + ROW[9:], ROW[:8] + ["比较赞同"] + ROW[9:]]
    with pytest.raises(ResponsesError, match=r"answer texts that are not options.*\n  - LP01 "
                                             r"\(column 9\): '比较赞同' ×2 \(rows 2, 3\)"):
        read_responses(_csv(tmp_path, rows=rows), mini)


def test_text_answers_not_among_options_as_invalid_flag(tmp_path, mini):
    rows = [ROW[:8] + ["比较赞同"] + ROW[9:]] + [ROW] * 9
    r = read_responses(_csv(tmp_path, rows=rows), mini, mapping={"unknown_text": "invalid"})
    assert r.missing["LP01"].iloc[0] == "invalid" and r.raw["LP01"].iloc[0] == "比较赞同"
    assert r.issues[["item", "reason"]].values.tolist() == [["LP01", "unknown_text"]]


def test_out_of_range_is_flagged_not_dropped(tmp_path, mini):
    rows = [ROW[:8] + ["0"] + ROW[9:]] + [ROW] * 9
    with pytest.warns(DataWarning, match=r"bad\.csv: 1 value\(s\) are not valid answers and were "
                                         r"set to missing .*: LP01 1 \(row 2: 0\)"):
        r = read_responses(_csv(tmp_path, rows=rows), mini)
    assert r.n == 10                                        # no row dropped
    assert r.missing["LP01"].iloc[0] == "invalid" and np.isnan(r.values["LP01"].iloc[0])
    assert r.issues["reason"].tolist() == ["out_of_range"]


def test_not_an_option_inside_range(tmp_path, mini):
    rows = [ROW[:8] + ["2.5"] + ROW[9:]] + [ROW] * 9
    r = read_responses(_csv(tmp_path, rows=rows), mini)
    assert r.issues["reason"].tolist() == ["not_an_option"]


def test_bad_source_parameter(tmp_path, mini):
    with pytest.raises(ParameterError, match=r"The 'source' parameter of read_responses must be "
                                             r"one of \{'auto', 'csv'.*Got 'sas' instead"):
        read_responses(_csv(tmp_path), mini, source="sas")


def test_mapping_points_to_unknown_item(tmp_path, mini):
    with pytest.raises(ResponsesError, match=r"1 column\(s\) point to items the instrument does "
                                             r"not have \('备注' → 'LP99'\)"):
        read_responses(_csv(tmp_path), mini, mapping={"columns": {"备注": "LP99"}})


def test_mapping_unknown_key(tmp_path, mini):
    with pytest.raises(ResponsesError, match="unknown key\\(s\\) colums"):
        read_responses(_csv(tmp_path), mini, mapping={"colums": {}})


def test_mapping_file_missing(tmp_path, mini):
    with pytest.raises(ResponsesError, match="Mapping file .*nomap.yaml' does not exist"):
        read_responses(_csv(tmp_path), mini, mapping=tmp_path / "nomap.yaml")


def test_mapping_csv_without_columns(tmp_path, mini):
    mp = tmp_path / "m.csv"
    mp.write_text("a,b\n1,2\n")
    with pytest.raises(ResponsesError, match="needs the columns 'column' and 'item'"):
        read_responses(_csv(tmp_path), mini, mapping=mp)


def test_mapping_recode_bad_target(tmp_path, mini):
    with pytest.raises(ResponsesError, match="a recode target must be a number or one of"):
        read_responses(_csv(tmp_path), mini, mapping={"recode": {"同意": "agree"}})


def test_item_without_column(tmp_path, mini):
    heads = WJX_META + HEADERS_ZH[:4]
    with pytest.raises(ResponsesError, match=r"item\(s\) with no column: LP03\nFix: write a "
                                             r"mapping file"):
        read_responses(_csv(tmp_path, heads, [ROW[:-1]]), mini)


def test_wrong_instrument(tmp_path):
    from responses_helpers import AGREE, Item, L

    other = make_mini((Item("RS01", L(zh="我愿意推动合作。", en="I am willing."), AGREE),), id="o")
    with pytest.raises(ResponsesError, match="no column matches any item of o@1.0.0|unmapped"):
        read_responses(_csv(tmp_path), other, mapping=None)


def test_ragged_row(tmp_path, mini):
    with pytest.raises(ResponsesError, match=r"bad\.csv: row 2 has 12 cells but the header has 11 columns"):
        read_responses(_csv(tmp_path, rows=[ROW + ["extra"]]), mini)


def test_corrupt_xlsx(tmp_path, mini):
    p = tmp_path / "bad.xlsx"
    p.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ResponsesError, match=r"bad\.xlsx is not an Excel workbook \(not a zip archive; cut off"):
        read_responses(p, mini)


def test_corrupt_sav(tmp_path, mini):
    p = tmp_path / "bad.sav"
    p.write_bytes(b"$FL2 garbage")
    with pytest.raises(ResponsesError, match=r"bad\.sav cannot be read as a SPSS \.sav file"):
        read_responses(p, mini)


def test_unknown_extension(tmp_path, mini):
    p = tmp_path / "data.json"
    p.write_text("{}")
    with pytest.raises(ResponsesError, match=r"cannot tell the file kind from the extension '\.json'"):
        read_responses(p, mini)


def test_forced_wjx_on_other_file(tmp_path, mini):
    p = write_csv(tmp_path / "plain.csv", ["respondent", "PR06", "PR06a", "LP01", "LP02", "LP03"],
                  [["a", "1", "2", "3", "4", "5"]])
    with pytest.raises(ResponsesError, match="does not look like a Wenjuanxing export"):
        read_responses(p, mini, source="wjx")


def test_id_column_not_in_file(tmp_path, mini):
    with pytest.raises(ResponsesError, match=r"the id column '工号' \(id_column= / --id-column\) is not a column of the file"):
        read_responses(_csv(tmp_path), mini, id_column="工号")


def test_bad_instrument_argument(tmp_path):
    with pytest.raises(ResponsesError, match="instrument must be an Instrument, an id or a list"):
        read_responses(_csv(tmp_path), 42)


def test_duplicate_ids_flagged(tmp_path, mini):
    p = write_csv(tmp_path / "d.csv", ["respondent"] + HEADERS_ZH,
                  [["a", "1", "2", "3", "4", "5"], ["a", "1", "2", "3", "4", "5"]])
    r = read_responses(p, mini)
    assert r.n == 2 and r.index.is_unique
    assert r.meta["respondent_id"].nunique() == 1
    assert (r.issues["reason"] == "duplicate_respondent_id").sum() == 2


def test_unparsed_duration_flagged(tmp_path, mini):
    rows = [ROW[:2] + ["很久"] + ROW[3:]]
    r = read_responses(_csv(tmp_path, rows=rows), mini)
    assert np.isnan(r.meta["duration_s"].iloc[0])
    assert r.issues["reason"].tolist() == ["unparsed_duration_s"]


def test_pool_waves_needs_responses():
    with pytest.raises(ResponsesError, match="pool_waves needs a list of Responses"):
        pool_waves([pd.DataFrame()])
