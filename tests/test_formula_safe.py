"""Formula-safe tables (#13 item 9): every CSV a person opens quotes cells a spreadsheet would
run as formulas (OWASP: = + - @ tab CR first → leading '), numbers stay numbers, raw on request."""
import csv
import io
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from surveykit._files import FORMULA_PREFIXES, formula_safe

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1", "@SUM(A1:A9)", "\t=1+1",
           "-2+3", "\r=cmd", "plain", "中文=不是公式"]
SAFE = ["'" + v if v[0] in FORMULA_PREFIXES else v for v in HOSTILE]


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"text": HOSTILE,
                         "number": [-0.5, 1.0, -2.0, 3.0, 0.0, -1e-9, 2.5, np.nan],
                         "code": pd.Categorical(["=a", "b", "b", "b", "b", "b", "b", "b"]),
                         "mixed": [-1, "-1", 2.0, None, "@x", "ok", 3, "=y"]})


def _read(path) -> pd.DataFrame:
    # the cells as text, as a spreadsheet gets them (csv module: CR inside quotes kept)
    with open(path, encoding="utf-8-sig", newline="") as f:
        head, *rows = list(csv.reader(f))
    return pd.DataFrame(rows, columns=head)


def test_helper_quotes_text_and_keeps_numbers():
    df = _frame()
    safe = formula_safe(df)
    assert safe["text"].tolist() == SAFE
    assert safe["number"].equals(df["number"]) and safe["number"].dtype == "float64"
    assert safe["code"].cat.categories.tolist() == ["'=a", "b"]
    assert safe["mixed"].tolist()[:3] == [-1, "'-1", 2.0]       # the number -1 stays a number
    assert safe["mixed"].tolist()[4] == "'@x" and safe["mixed"].tolist()[7] == "'=y"
    assert df["text"].tolist() == HOSTILE                       # the input is not changed
    assert formula_safe(df, enabled=False) is df
    with_na = formula_safe(pd.DataFrame({"t": ["=a", None, "b"]}))["t"]   # default str dtype
    assert with_na.iloc[0] == "'=a" and with_na.isna().iloc[1] and with_na.iloc[2] == "b"


def test_helper_quotes_column_names_and_row_labels_and_keeps_string_dtype():
    df = pd.DataFrame({"=bad": pd.array(["-x", "y"], dtype="string")},
                      index=pd.Index(["+r", "s"], name="term"))
    safe = formula_safe(df)
    assert safe.columns.tolist() == ["'=bad"] and safe.index.tolist() == ["'+r", "s"]
    assert isinstance(safe["'=bad"].dtype, pd.StringDtype)
    assert safe["'=bad"].tolist() == ["'-x", "y"]


def test_report_tables_are_formula_safe_and_raw_on_request(tmp_path):
    from surveykit.report import Report

    report = Report(lang="en")
    report.section("Hostile", "Hostile")
    report.add(_frame(), caption={"zh": "表", "en": "Table"})
    report.write(tmp_path / "safe", lang="en")
    report.write(tmp_path / "raw", lang="en", formula_safe=False)
    safe = _read(next((tmp_path / "safe" / "tables").glob("*.csv")))
    raw = _read(next((tmp_path / "raw" / "tables").glob("*.csv")))
    assert safe["text"].tolist() == SAFE
    assert raw["text"].tolist() == HOSTILE
    num = pd.read_csv(next((tmp_path / "safe" / "tables").glob("*.csv")), encoding="utf-8-sig")
    assert num["number"].dtype == "float64"
    np.testing.assert_array_equal(num["number"].to_numpy(), _frame()["number"].to_numpy())


def test_run_raw_cells_flag(tmp_path):
    from typer.testing import CliRunner

    from surveykit.cli import app

    script = tmp_path / "study.py"
    script.write_text("import pandas as pd\n"
                      "def main(report):\n"
                      "    report.section('T', 'T')\n"
                      "    report.add(pd.DataFrame({'text': ['=1+1', '-2']}), caption='x')\n",
                      encoding="utf-8")
    for flag, expected in (([], ["'=1+1", "'-2"]), (["--raw-cells"], ["=1+1", "-2"])):
        out = tmp_path / ("raw" if flag else "safe")
        res = CliRunner().invoke(app, ["run", str(script), "--out", str(out), "--no-progress",
                                       *flag])
        assert res.exit_code == 0, res.output
        assert _read(next((out / "tables").glob("*.csv")))["text"].tolist() == expected


def test_import_outputs_are_formula_safe(tmp_path):
    from surveykit.cli.responses import write_outputs

    data = _frame()[["text", "number"]]
    fake = SimpleNamespace(
        to_frame=lambda: data.rename_axis("respondent"),
        missing=pd.DataFrame({"text": pd.Categorical(["", "=r"] * 4)}),
        mapping=pd.DataFrame({"column": ["-Q1", "Q2"], "status": ["mapped", "@x"]}),
        issues=pd.DataFrame({"value": ["+99", "-99"], "reason": ["out_of_range"] * 2}),
        # what the FILE.import.json sidecar records
        sources=(), instrument=SimpleNamespace(refs=("x@1.0.0",)), n=8, items=("text",))
    paths = write_outputs(fake, tmp_path / "safe" / "d.csv")
    got = _read(paths["data"])
    assert got["text"].tolist() == SAFE
    assert pd.read_csv(paths["data"])["number"].dtype == "float64"
    assert _read(paths["missing"])["text"].tolist()[:2] == ["", "'=r"]
    assert _read(paths["mapping"]).values.tolist() == [["'-Q1", "mapped"], ["Q2", "'@x"]]
    assert _read(paths["issues"])["value"].tolist() == ["'+99", "'-99"]
    raw = write_outputs(fake, tmp_path / "raw" / "d.csv", formula_safe=False)
    assert _read(raw["data"])["text"].tolist() == HOSTILE
    assert _read(raw["issues"])["value"].tolist() == ["+99", "-99"]
    pq = write_outputs(fake, tmp_path / "pq" / "d.parquet")     # Parquet: values as they are
    assert pd.read_parquet(pq["data"])["text"].tolist() == HOSTILE


@pytest.mark.parametrize("index", [True, False])
def test_clean_and_score_tables_are_formula_safe(tmp_path, index):
    from surveykit.cli.responses_clean import write_table

    df = _frame()
    write_table(df, tmp_path / "log.csv", index=index)
    got = _read(tmp_path / "log.csv")
    assert got["text"].tolist() == SAFE
    assert got["number"].tolist()[:3] == ["-0.5", "1.0", "-2.0"]     # numbers unquoted
    write_table(df, tmp_path / "raw.csv", index=index, formula_safe=False)
    assert _read(tmp_path / "raw.csv")["text"].tolist() == HOSTILE
    write_table(df[["text"]], tmp_path / "k.parquet")
    assert pd.read_parquet(tmp_path / "k.parquet")["text"].tolist() == HOSTILE


def test_xlsform_cells_stay_verbatim_text_never_formulas(tmp_path, monkeypatch):
    from surveykit.instrument.export import xlsform

    rows = {"survey": [["type", "name", "label"],
                       ["select_one yn", "q1", HOSTILE[0]],
                       ["integer", "q2", "-2+3"]],
            "choices": [["list_name", "name", "label"], ["yn", "-99", "@SUM(A1)"],
                        ["yn", 1, "=1+1"]]}
    monkeypatch.setattr(xlsform, "xlsform_sheets", lambda ins, langs=None: rows)
    path = xlsform.to_xlsform(None, tmp_path / "f.xlsx")
    wb = load_workbook(io.BytesIO(path.read_bytes()))
    for sheet, expected in rows.items():
        cells = [[c for c in r] for r in wb[sheet].iter_rows()]
        assert [[c.value for c in r] for r in cells] == expected      # machine input: verbatim
        assert all(c.data_type != "f" for r in cells for c in r)      # …but never a formula
    assert wb["choices"]["B3"].data_type == "n"                        # a number stays a number
