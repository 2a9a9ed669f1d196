"""Every reader on a file of its kind: CSV encodings, Excel, SPSS, Stata, Qualtrics."""
import json

import numpy as np
import pandas as pd
import pytest
from responses_helpers import HEADERS_ZH, ITEMS, make_mini, write_csv

from surveykit import read_responses
from surveykit.errors import ResponsesError

IDS = [it.id for it in ITEMS]
ROWS = [["r1", "1", "3", "4", "5", "-99"], ["r2", "2", "", "2", "2", "1"],
        ["r3", "1", "4", "3", "-98", "3"]]
EXPECTED = pd.DataFrame({"PR06": [1.0, 2.0, 1.0], "PR06a": [3.0, np.nan, 4.0],
                         "LP01": [4.0, 2.0, 3.0], "LP02": [5.0, 2.0, np.nan],
                         "LP03": [np.nan, 1.0, 3.0]})


def _check(r):
    got = r.values.reset_index(drop=True)
    pd.testing.assert_frame_equal(got, EXPECTED, check_names=False)
    assert r.missing["LP03"].iloc[0] == "refused" and r.missing["LP02"].iloc[2] == "dont_know"
    assert r.missing["PR06a"].iloc[1] == "skipped"


@pytest.mark.parametrize("encoding,expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                               ("gb18030", "gb18030"), ("gbk", "gb18030")])
def test_csv_encodings_detected(tmp_path, mini, encoding, expected):
    p = write_csv(tmp_path / "d.csv", ["respondent"] + HEADERS_ZH, ROWS, encoding)
    r = read_responses(p, mini)
    assert r.sources[0].encoding == expected and r.sources[0].reader == "csv"
    _check(r)


def test_csv_item_id_headers_and_tabs(tmp_path, mini):
    p = write_csv(tmp_path / "d.tsv", ["respondent"] + IDS, ROWS)
    p.write_text(p.read_text().replace(",", "\t"))
    r = read_responses(p, mini, source="csv")
    _check(r)
    assert set(r.mapping.loc[r.mapping["status"] == "mapped", "method"]) == {"id"}


def test_csv_explicit_encoding(tmp_path, mini):
    p = write_csv(tmp_path / "d.csv", ["respondent"] + HEADERS_ZH, ROWS, "gb18030")
    r = read_responses(p, mini, encoding="gb18030")
    assert r.sources[0].encoding == "gb18030"
    _check(r)


def test_excel_xlsx(tmp_path, mini):
    df = pd.DataFrame([[c if c == "" or not c.lstrip("-").isdigit() else int(c) for c in row]
                       for row in ROWS], columns=["respondent"] + HEADERS_ZH).replace("", None)
    p = tmp_path / "d.xlsx"
    df.to_excel(p, index=False)
    r = read_responses(p, mini)
    assert r.sources[0].reader == "excel" and r.sources[0].encoding is None
    _check(r)


def _sav_frame():
    x = pd.DataFrame([[float(c) if c else np.nan for c in row[1:]] for row in ROWS], columns=IDS)
    x.insert(0, "respondent", [row[0] for row in ROWS])
    return x


def test_spss_sav_labels_and_user_missing(tmp_path, mini):
    pyreadstat = pytest.importorskip("pyreadstat")
    df = _sav_frame()
    labels = {"LP01": {1: "Strongly disagree", 5: "Strongly agree", -99: "Refused"},
              "LP03": {-99: "Refused", -98: "Don't know"}}
    p = tmp_path / "d.sav"
    pyreadstat.write_sav(df, str(p), column_labels=["id"] + [it.text["en"] for it in ITEMS],
                         variable_value_labels=labels,
                         missing_ranges={"LP02": [-98, -99], "LP03": [{"lo": -99, "hi": -98}]})
    r = read_responses(p, mini)
    assert r.sources[0].reader == "spss"
    _check(r)


def test_spss_labels_by_question_text(tmp_path, mini):
    pyreadstat = pytest.importorskip("pyreadstat")
    df = _sav_frame()
    df.columns = ["respondent"] + [f"Q{i}" for i in range(1, 6)]
    p = tmp_path / "d.sav"
    pyreadstat.write_sav(df, str(p), column_labels=["id"] + [it.text["en"] for it in ITEMS])
    r = read_responses(p, mini)
    _check(r)
    assert set(r.mapping.loc[r.mapping["status"] == "mapped", "method"]) == {"text"}


def test_spss_reversed_value_labels_rejected(tmp_path, mini):
    pyreadstat = pytest.importorskip("pyreadstat")
    df = _sav_frame()
    p = tmp_path / "rev.sav"
    pyreadstat.write_sav(df, str(p), variable_value_labels={
        "LP01": {1: "Strongly agree", 5: "Strongly disagree"}})
    with pytest.raises(ResponsesError, match=r"LP01: the file codes 'Strongly agree' as 1, the "
                                             r"instrument as 5"):
        read_responses(p, mini)


def test_stata_dta(tmp_path, mini):
    pyreadstat = pytest.importorskip("pyreadstat")
    df = _sav_frame()
    p = tmp_path / "d.dta"
    pyreadstat.write_dta(df, str(p), variable_value_labels={"LP02": {5: "Strongly agree"}})
    r = read_responses(p, mini)
    assert r.sources[0].reader == "stata"
    _check(r)


def test_qualtrics_three_header_rows(tmp_path, mini):
    tags = ["StartDate", "EndDate", "IPAddress", "Duration (in seconds)", "RecordedDate",
            "ResponseId", "Q1", "Q2", "Q3_1", "Q3_2", "Q3_3"]
    texts = ["Start Date", "End Date", "IP Address", "Duration (in seconds)", "Recorded Date",
             "Response ID"] + [it.text["en"] for it in ITEMS[:2]] + [
        f"Please rate - {it.text['en']}" for it in ITEMS[2:]]
    imports = [json.dumps({"ImportId": t}) for t in
               ["startDate", "endDate", "ipAddress", "duration", "recordedDate", "_recordId",
                "QID1", "QID2", "QID3_1", "QID3_2", "QID3_3"]]
    body = [["2024-03-05 10:00:00", "2024-03-05 10:05:00", "192.0.2.9", "300",
             "2024-03-05 10:05:01", f"R_{row[0]}"] + row[1:] for row in ROWS]
    p = tmp_path / "q.csv"
    write_csv(p, tags, [texts, imports] + body)
    r = read_responses(p, mini)
    assert r.sources[0].reader == "qualtrics"
    _check(r)
    assert r.meta["source_row"].tolist() == [4, 5, 6]
    assert r.meta["duration_s"].tolist() == [300.0] * 3
    assert "ip" not in r.meta.columns
    assert r.meta["respondent_id"].str.match(r"^p[0-9a-f]{16}$").all()
    # "Please rate - <item>": the statement after " - " matches the item text exactly
    mapped = r.mapping[r.mapping["status"] == "mapped"]
    assert set(mapped["item"]) == set(IDS) and set(mapped["method"]) == {"text"}


def test_short_gbk_file_not_mistaken_for_big5(tmp_path):
    """Short GB files are often guessed as Big5/CP949 by detectors; GB18030 is preferred."""
    from responses_helpers import YES_NO, Item, L

    ins = make_mini((Item("PR06", L(zh="是否参与", en="Involved"), YES_NO),))
    p = tmp_path / "short.csv"
    p.write_bytes("id,是否参与\n1,是\n2,否\n".encode("gbk"))
    r = read_responses(p, ins)
    assert r.sources[0].encoding == "gb18030"
    assert r.values["PR06"].tolist() == [1.0, 2.0]


def test_excel_xls(tmp_path, mini):
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Sheet1")
    for j, h in enumerate(["respondent"] + HEADERS_ZH):
        ws.write(0, j, h)
    for i, row in enumerate(ROWS, start=1):
        for j, c in enumerate(row):
            if c != "":
                ws.write(i, j, int(c) if c.lstrip("-").isdigit() else c)
    p = tmp_path / "d.xls"
    wb.save(str(p))
    r = read_responses(p, mini)
    assert r.sources[0].reader == "excel"
    _check(r)


def test_spss_portable_por(tmp_path, mini):
    pyreadstat = pytest.importorskip("pyreadstat")
    df = _sav_frame().drop(columns="respondent")
    df.columns = ["PR06", "PR06A", "LP01", "LP02", "LP03"]     # .por upper-cases names
    p = tmp_path / "d.por"
    pyreadstat.write_por(df, str(p))
    r = read_responses(p, mini)
    assert r.sources[0].reader == "spss"
    _check(r)


def test_spss_user_missing_not_in_instrument_logged(tmp_path, mini):
    pyreadstat = pytest.importorskip("pyreadstat")
    df = _sav_frame()
    df.loc[0, "LP01"] = 9.0                     # "no answer" in the file, unknown to the instrument
    p = tmp_path / "um.sav"
    pyreadstat.write_sav(df, str(p), missing_ranges={"LP01": [9]})
    r = read_responses(p, mini)
    assert r.missing["LP01"].iloc[0] == "not_applicable"
    log = r.issues[r.issues["reason"] == "user_missing_not_in_instrument"]
    assert log[["item", "raw_value", "source_row"]].values.tolist() == [["LP01", "9.0", 1]]
