"""Hostile input (#15): every coercion logged or refused, no wrong value without a word."""
import numpy as np
import pytest
from responses_helpers import HEADERS_ZH, WJX_META, make_mini, write_csv

from surveykit import read_responses
from surveykit.errors import ResponsesError

META = ["1", "2024/3/5 10:20:33", "60秒", "微信", "N/A", "x"]


def _rows(*answers):
    return [[str(i + 1)] + META[1:] + list(a) for i, a in enumerate(answers)]


# -- an unknown text beside a valid label (the failed lookup gave NaN = "empty") -------------
def test_unknown_text_beside_valid_label_is_refused(tmp_path):
    rows = _rows(["是", "3", "比较同意", "其他【请注明】", "5"],
                 ["是", "3", "比较同意", "比较同意", "5"])
    p = write_csv(tmp_path / "mixed.csv", WJX_META + HEADERS_ZH, rows)
    with pytest.raises(ResponsesError, match=r"mixed\.csv: answer texts that are not options "
                                             r"of their item:\n  - LP02 \(column 10\): "
                                             r"'其他【请注明】' ×1 \(row 2\)"):
        read_responses(p, make_mini())


def test_unknown_text_beside_valid_label_is_invalid_and_logged(tmp_path):
    rows = _rows(["是", "3", "比较同意", "其他【请注明】", "5"],
                 ["是", "3", "比较同意", "比较同意", "5"])
    p = write_csv(tmp_path / "mixed.csv", WJX_META + HEADERS_ZH, rows)
    with pytest.warns(UserWarning, match="LP02 1 \\(row 2: 其他【请注明】\\)"):
        r = read_responses(p, make_mini(), mapping={"unknown_text": "invalid"})
    assert r.missing["LP02"].tolist() == ["invalid", ""]
    assert r.values["LP02"].tolist()[1] == 4.0 and np.isnan(r.values["LP02"].iloc[0])
    iss = r.issues[r.issues["item"] == "LP02"]
    assert iss[["source_row", "raw_value", "reason"]].values.tolist() == [
        [2, "其他【请注明】", "unknown_text"]]
    assert r.raw_text()["LP02"].tolist() == ["其他【请注明】", "比较同意"]


# -- texts Arrow would read as numbers: nan, -nan, NaN, inf, 0x3 -------------------------------
@pytest.mark.parametrize("cells,reason", [
    (["nan", "-nan", "NaN"], "not_a_number"),
    (["0x3", "3", "4"], "not_a_number"),
    (["inf", "3", "4"], "out_of_range"),
])
def test_number_like_texts_are_invalid_with_raw_kept(tmp_path, cells, reason):
    rows = _rows(*[["1", c, "3", "4", "5"] for c in cells])
    p = write_csv(tmp_path / "nums.csv", WJX_META + HEADERS_ZH, rows)
    with pytest.warns(UserWarning, match=r"nums\.csv: \d value\(s\) are not valid answers"):
        r = read_responses(p, make_mini())
    assert r.missing["PR06a"].iloc[0] == "invalid"
    assert r.raw_text()["PR06a"].tolist() == cells
    iss = r.issues[r.issues["item"] == "PR06a"]
    assert iss["raw_value"].iloc[0] == cells[0] and iss["reason"].iloc[0] == reason


def test_nan_text_in_a_choice_item_stops_the_import(tmp_path):
    rows = _rows(["1", "3", "nan", "4", "5"], ["1", "3", "2", "4", "5"])
    p = write_csv(tmp_path / "nanchoice.csv", WJX_META + HEADERS_ZH, rows)
    with pytest.raises(ResponsesError, match=r"not options of their item:\n  - LP01 \(column 9\): "
                                             r"'nan' ×1 \(row 2\)"):
        read_responses(p, make_mini())


def test_plain_numbers_still_parse_as_numbers(tmp_path):
    rows = _rows(["1", "3", "2", "4", "5"], ["2", "", "7", "4", "5"])
    p = write_csv(tmp_path / "plain.csv", WJX_META[:4] + HEADERS_ZH, [r[:4] + r[6:] for r in rows])
    with pytest.warns(UserWarning):
        r = read_responses(p, make_mini())
    assert r.values["PR06a"].iloc[0] == 3.0 and r.missing["LP01"].tolist() == ["", "invalid"]


# -- Excel: formulas without saved values, bombs, encrypted and mislabelled workbooks -------
def _xlsx(path, rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_xlsx_formula_without_cached_value_is_refused(tmp_path):
    rows = [WJX_META + HEADERS_ZH] + _rows(["1", "3", "=1+1", "4", "5"], ["1", "3", "2", "4", "5"])
    p = _xlsx(tmp_path / "formula.xlsx", rows)       # openpyxl saves no cached results
    with pytest.raises(ResponsesError, match=r"formula\.xlsx: 1 formula cell\(s\) have no saved "
                                             r"result \(I2\).*Open it in Excel or LibreOffice"):
        read_responses(p, make_mini())


def test_xlsx_formula_in_an_unread_column_does_not_stop(tmp_path):
    rows = [WJX_META + HEADERS_ZH + ["备注"]] + [r + ["=A2"] for r in
                                                _rows(["1", "3", "2", "4", "5"])]
    r = read_responses(_xlsx(tmp_path / "note.xlsx", rows), make_mini())
    assert r.n == 1


def test_xlsx_decompression_bomb_is_refused(tmp_path):
    import zipfile

    p = _xlsx(tmp_path / "bomb.xlsx", [WJX_META + HEADERS_ZH] + _rows(["1", "3", "2", "4", "5"]))
    with zipfile.ZipFile(p, "a", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", b"\0" * (80 << 20))
    assert p.stat().st_size < 1 << 20
    with pytest.raises(ResponsesError, match=r"bomb\.xlsx: the workbook unpacks to 80\.\d MB "
                                             r"\([\d,]+× .*decompression bomb and was not read"):
        read_responses(p, make_mini())


def test_encrypted_xlsx_says_password(tmp_path):
    p = tmp_path / "secret.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500
                  + "EncryptedPackage".encode("utf-16-le") + b"\0" * 500)
    with pytest.raises(ResponsesError, match=r"secret\.xlsx is password-protected \(encrypted\)"):
        read_responses(p, make_mini())



def _damage(path, member, how):
    """Alter one member of a zip in place: flip a byte of its data, or set flag bit 5."""
    import struct
    import zipfile

    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(member)
    off = info.header_offset
    name_len, extra_len = struct.unpack("<HH", data[off + 26:off + 30])
    start = off + 30 + name_len + extra_len
    if how == "byte":
        data[start + info.compress_size // 2] ^= 0xFF
    else:         # "compressed patched data" (flag bit 5) in the central directory entry
        cd = data.find(b"PK\x01\x02")
        while cd >= 0 and data[cd + 46:cd + 46 + len(member)] != member.encode():
            cd = data.find(b"PK\x01\x02", cd + 4)
        assert cd >= 0, member
        flags = struct.unpack("<H", data[cd + 8:cd + 10])[0] | 0x20
        data[cd + 8:cd + 10] = struct.pack("<H", flags)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("how", ["byte", "flag"])
def test_damaged_xlsx_part_is_one_message(tmp_path, how):
    """Found by the fuzz test: a corrupted part raised zlib.error / BadZipFile (bad CRC) /
    NotImplementedError from zipfile instead of a message."""
    p = _xlsx(tmp_path / "damaged.xlsx", [WJX_META + HEADERS_ZH] + _rows(["1", "3", "2", "4", "5"]))
    _damage(p, "xl/workbook.xml", how)
    with pytest.raises(ResponsesError, match=r"damaged\.xlsx is damaged: a part of the workbook "
                                             r"cannot be unpacked \((BadZipFile|error|"
                                             r"NotImplementedError): .*export the survey again"):
        read_responses(p, make_mini())


# -- Qualtrics: 2016-era ImportId rows, Text iQ columns, side-by-side columns ----------------
def _qualtrics(tmp_path, extra_tags=(), extra_texts=(), quote="json"):
    import json

    from responses_helpers import ITEMS

    tags = ["StartDate", "ResponseId", "Q1", "Q2", "Q3_1", "Q3_2", "Q3_3", *extra_tags]
    texts = ["Start Date", "Response ID"] + [it.text["en"] for it in ITEMS[:2]] + [
        f"Please rate - {it.text['en']}" for it in ITEMS[2:]] + list(extra_texts)
    qids = ["startDate", "_recordId", "QID1", "QID2", "QID3_1", "QID3_2", "QID3_3",
            *[f"QID9_{k}" for k in range(len(extra_tags))]]
    imports = [json.dumps({"ImportId": q}) if quote == "json" else repr({"ImportId": q})
               for q in qids]
    body = [["2024-03-05 10:00:00", f"R_{k}", "1", "3", "4", "5", "2"] + ["x"] * len(extra_tags)
            for k in range(2)]
    return write_csv(tmp_path / "q.csv", tags, [texts, imports] + body)


def test_qualtrics_2016_single_quoted_import_ids(tmp_path):
    r = read_responses(_qualtrics(tmp_path, quote="python"), make_mini())
    assert r.sources[0].reader == "qualtrics" and r.n == 2
    assert r.meta["source_row"].tolist() == [4, 5]


def test_qualtrics_text_iq_columns_are_ignored(tmp_path):
    p = _qualtrics(tmp_path, ["Q2 - Topics", "Q2 - Sentiment Score"],
                   ["Q2 - Topics", "Q2 - Sentiment Score"])
    from dataclasses import replace

    from responses_helpers import ITEMS

    q2 = make_mini((ITEMS[0], replace(ITEMS[1], id="Q2"), *ITEMS[2:]))   # an item id "Q2"
    r = read_responses(p, q2)
    m = r.mapping.set_index("column")
    assert m.loc["Q2 - Topics", "status"] == "ignored"
    assert m.loc["Q2", "status"] == "mapped" and m.loc["Q2", "item"] == "Q2"


def test_qualtrics_side_by_side_column_stops_like_other_questions(tmp_path):
    p = _qualtrics(tmp_path, ["Q4#1_1"], ["Rate both - Speed"])
    with pytest.raises(ResponsesError, match=r"column 8 'Q4#1_1': unmapped — a Qualtrics "
                                             r"side-by-side column matching no item"):
        read_responses(p, make_mini())


# -- SPSS / Stata: extended missing values, multiple-response sets --------------------------
def _study_frame():
    import pandas as pd

    return pd.DataFrame({"PR06": [1.0, 1, 2, 1], "PR06a": [3.0, 4, None, 5],
                         "LP01": [1.0, "a", 3.0, "z"], "LP02": [1.0, 2, 4, 5],
                         "LP03": [1.0, 2, 3, 4]})


def test_stata_extended_missing_values_are_typed_missing(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    p = tmp_path / "ext.dta"
    pyreadstat.write_dta(_study_frame(), str(p), missing_user_values={"LP01": ["a", "z"]},
                         variable_value_labels={"LP01": {"a": "Refused", 1: "Strongly disagree"}})
    r = read_responses(p, make_mini())
    assert r.missing["LP01"].tolist() == ["", "refused", "", "not_applicable"]
    assert r.values["LP01"].iloc[2] == 3.0
    assert r.raw_text()["LP01"].tolist() == ["1", ".a", "3", ".z"]
    iss = r.issues[r.issues["reason"] == "stata_extended_missing"]
    assert iss[["source_row", "raw_value"]].values.tolist() == [[2, ".a"], [4, ".z"]]
    assert iss["action"].str.endswith("Stata extended missing value .a").tolist() == [True, False]


def test_spss_multiple_response_sets_are_warned(tmp_path, monkeypatch):
    pyreadstat = pytest.importorskip("pyreadstat")
    df = _study_frame()
    df["LP01"] = [1.0, 2, 3, 4]
    p = tmp_path / "mr.sav"
    pyreadstat.write_sav(df, str(p))
    real = pyreadstat.read_sav

    def with_sets(*a, **k):       # pyreadstat cannot write MR sets; add one as SPSS would
        d, meta = real(*a, **k)
        meta.mr_sets = {"$MB": {"type": "D", "variable_list": ["LP01", "LP02"]}}
        return d, meta

    monkeypatch.setattr(pyreadstat, "read_sav", with_sets)
    with pytest.warns(UserWarning, match=r"mr\.sav defines 1 multiple-response set\(s\); 1 "
                                         r"not used as a multi-select: \$MB \(LP01, LP02\): "
                                         r"matches no multi-select question of mini@1\.0\.0"):
        read_responses(p, make_mini())


# -- unclear messages: ragged rows (no ids echoed), CR-only, UTF-16 without BOM, not text ----
def test_ragged_row_names_rows_never_cells(tmp_path):
    rows = _rows(["1", "3", "2", "4", "5"], ["1", "3", "2", "4", "5", "extra"],
                 ["1", "3", "2", "4", "5"])
    rows[1][0] = "secret-id-4711"
    p = write_csv(tmp_path / "ragged.csv", WJX_META + HEADERS_ZH, rows)
    with pytest.raises(ResponsesError, match=r"ragged\.csv: row 3 has 12 cells but the header "
                                             r"has 11 columns\. Check for an unquoted comma") as e:
        read_responses(p, make_mini())
    assert "secret-id-4711" not in str(e.value) and e.value.rows == (3,)


def test_cr_only_line_ends(tmp_path):
    p = write_csv(tmp_path / "mac.csv", WJX_META + HEADERS_ZH,
                  _rows(["1", "3", "2", "4", "5"], ["2", "", "4", "4", "5"]), newline="\r")
    r = read_responses(p, make_mini())
    assert r.n == 2 and r.values["LP01"].tolist() == [2.0, 4.0]


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path, enc):
    p = write_csv(tmp_path / "u16.csv", WJX_META + HEADERS_ZH,
                  _rows(["1", "3", "2", "4", "5"]), encoding=enc)
    r = read_responses(p, make_mini())
    assert r.sources[0].encoding == enc and r.values["LP02"].iloc[0] == 4.0
    assert r.mapping["status"].eq("mapped").sum() == 5


def test_docx_renamed_csv(tmp_path):
    import zipfile

    p = tmp_path / "answers.csv"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<x/>")
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ResponsesError, match=r"answers\.csv is a Word document \(\.docx\), not a "
                                             r"CSV text file"):
        read_responses(p, make_mini())


def test_unknown_extension_names_the_cli_flag(tmp_path):
    p = tmp_path / "x.dat"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(ResponsesError, match=r"source= in Python, --source on the command line"):
        read_responses(p, make_mini())


def test_unclosed_quote_over_a_block_says_so(tmp_path):
    p = tmp_path / "quote.csv"
    head = ",".join(WJX_META + HEADERS_ZH)
    p.write_text(head + "\n" + ",".join(META) + ',1,3,"2,4,5\n' + ("x" * 80 + "\n") * 40000,
                 encoding="utf-8")
    with pytest.raises(ResponsesError, match=r"quote\.csv: a data row is longer than 1 MB.*"
                                             r"a quote \(\"\) that is never closed"):
        read_responses(p, make_mini())


@pytest.mark.parametrize("body, expected", [
    (b"1,0x3\n", True), (b'1,"0x3"\n', True), (b"1, 0X1F \r\n", True), (b"0x3,1", True),
    (b"1,xiaomi\n", False), (b"1,see 0x3 here\n", False), (b"1,0x\n", False),
    (b"1,10x3\n", False), (b"1,0xZZ\n", False), (b"1,http://x.cn/0x1f/a\n", False),
])
def test_hex_cell_detection_looks_at_cells_not_at_any_x(body, expected):
    from surveykit.responses.readers.csv import has_hex_cell

    assert has_hex_cell(b"h1,h2\n" + body, 6) is expected


def test_an_x_in_a_text_cell_does_not_reparse_integer_columns(tmp_path, monkeypatch):
    """An 'x' anywhere (a name, 'xiaomi') used to re-read every integer column as text."""
    from surveykit.responses.readers import csv as csvreader

    calls = []
    real = csvreader._keep_number_texts

    def spy(table, utf8, offset, parse):
        def counted(cols, types):
            calls.append(list(cols))
            return parse(cols, types)
        return real(table, utf8, offset, counted)

    monkeypatch.setattr(csvreader, "_keep_number_texts", spy)
    rows = _rows(["1", "3", "2", "4", "5"], ["2", "", "1", "4", "5"])
    rows[0][3] = "xiaomi"                      # 来源: a text cell with an x
    p = write_csv(tmp_path / "x.csv", WJX_META + HEADERS_ZH, rows)
    r = read_responses(p, make_mini())
    assert r.values["LP02"].tolist() == [4.0, 4.0] and calls == []
