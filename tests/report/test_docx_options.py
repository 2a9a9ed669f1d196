"""The Word style chosen by a study script (``Report(docx_style=...)``) or on the command line
(``surveykit run --docx FIELD=VALUE``), issue #13 item 5 ("fonts ... configurable")."""
from __future__ import annotations

import docx
import pytest
from typer.testing import CliRunner

from surveykit.cli import app
from surveykit.errors import ParameterError
from surveykit.report import DocxStyle, Report
from surveykit.report.docx_style import parse_docx_options, resolve_style

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

SCRIPT = ("import pandas as pd\n"
          "from surveykit.report import Report\n"
          "def main(report):\n"
          "    {setup}\n"
          "    report.section('结果', 'Results')\n"
          "    report.add(pd.DataFrame({{'n': [1, 2]}}), caption={{'zh': '表', 'en': 'Table'}})\n")


def _normal(path):
    style = docx.Document(str(path)).styles["Normal"]
    rf = style.element.rPr.find(f"{W}rFonts")
    return rf.get(f"{W}eastAsia"), rf.get(f"{W}ascii"), style.font.size.pt


def _script(tmp_path, setup="pass"):
    path = tmp_path / "study.py"
    path.write_text(SCRIPT.format(setup=setup), encoding="utf-8")
    return path


def test_parse_converts_each_field_to_its_type():
    got = parse_docx_options(["east_asia = FangSong", "body_size=10.5", "caption_layout=apa",
                              "heading_sizes=16,15,14,12"])
    assert got == {"east_asia": "FangSong", "body_size": 10.5, "caption_layout": "apa",
                   "heading_sizes": (16.0, 15.0, 14.0, 12.0)}


@pytest.mark.parametrize("pair, match", [
    ("east_asia", r"--docx 'east_asia': give FIELD=VALUE, e\.g\. --docx east_asia=FangSong"),
    ("eastasia=KaiTi", r"'eastasia' is not a field of the Word style\. Did you mean 'east_asia'\?"),
    ("body_size=big", r"body_size takes a number, e\.g\. body_size=12"),
    ("heading_sizes=16,14", r"heading_sizes takes 4 numbers separated by commas, e\.g\. "
                            r"heading_sizes=18,16,14,12"),
])
def test_parse_errors_name_the_option_and_the_fix(pair, match):
    with pytest.raises(ParameterError, match=match):
        parse_docx_options([pair])


def test_resolve_applies_changes_over_the_language_defaults_or_a_given_style():
    assert resolve_style(None, "en", None) == DocxStyle.for_lang("en")
    zh = resolve_style({"east_asia": "KaiTi"}, "zh", {"body_size": 10.5})
    assert (zh.east_asia, zh.body_size, zh.latin) == ("KaiTi", 10.5, "Times New Roman")
    own = DocxStyle(latin="Arial")
    assert resolve_style(own, "en") is own
    with pytest.raises(ParameterError, match="must be one of"):
        resolve_style(None, "zh", {"caption_layout": "left"})


def test_report_rejects_a_bad_style_when_it_is_made():
    with pytest.raises(ParameterError, match=r"no field 'font'; the fields are: latin, east_asia"):
        Report(docx_style={"font": "KaiTi"})
    with pytest.raises(ParameterError, match="must be a DocxStyle, a mapping of its fields or None"):
        Report(docx_style="KaiTi")
    with pytest.raises(ParameterError, match="'body_size' parameter of DocxStyle"):
        Report(docx_style={"body_size": 200})


def test_run_docx_option_sets_the_word_fonts(tmp_path):
    script = _script(tmp_path)
    out = tmp_path / "opt"
    res = CliRunner().invoke(app, ["run", str(script), "--out", str(out), "--no-progress",
                                   "--docx", "east_asia=FangSong", "--docx", "body_size=10.5"])
    assert res.exit_code == 0, res.output
    assert _normal(out / "report.docx") == ("FangSong", "Times New Roman", 10.5)
    plain = tmp_path / "plain"
    assert CliRunner().invoke(app, ["run", str(script), "--out", str(plain),
                                    "--no-progress"]).exit_code == 0
    assert _normal(plain / "report.docx") == ("SimSun", "Times New Roman", 12.0)


def test_run_docx_option_goes_over_the_scripts_own_style(tmp_path):
    script = _script(tmp_path, setup="report.docx_style = {'east_asia': 'KaiTi', 'latin': 'Arial'}")
    out = tmp_path / "both"
    res = CliRunner().invoke(app, ["run", str(script), "--out", str(out), "--no-progress",
                                   "--docx", "latin=Cambria"])
    assert res.exit_code == 0, res.output
    assert _normal(out / "report.docx") == ("KaiTi", "Cambria", 12.0)


def test_run_docx_option_bad_value_is_one_line_before_anything_runs(tmp_path):
    script = _script(tmp_path)
    out = tmp_path / "bad"
    res = CliRunner().invoke(app, ["run", str(script), "--out", str(out), "--no-progress",
                                   "--docx", "bodysize=10"])
    assert res.exit_code != 0
    assert "'bodysize' is not a field of the Word style. Did you mean 'body_size'?" in res.output
    assert "Traceback" not in res.output
    assert not out.exists()


def test_script_run_directly_takes_docx_too(tmp_path):
    from surveykit.report.runner import run

    def main(report):
        report.section("结果", "Results")

    out = tmp_path / "direct"
    with pytest.raises(SystemExit) as exit_:
        run(main, ["--out", str(out), "--docx", "east_asia=KaiTi"])
    assert exit_.value.code == 0
    assert _normal(out / "report.docx")[0] == "KaiTi"
    with pytest.raises(SystemExit) as exit_:
        run(main, ["--out", str(tmp_path / "x"), "--docx", "nofield=1"])
    assert exit_.value.code == 2
