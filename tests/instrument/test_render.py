"""The printable questionnaire: HTML (checked in Chromium) and Word, zh / en / both."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import surveykit as sk
from surveykit.errors import InstrumentError, ParameterError
from surveykit.instrument.load import load_questionnaire
from surveykit.instrument.render import (
    question_blocks,
    questionnaire_docx,
    questionnaire_html,
    render_instrument,
    skip_note,
)

STUDY = load_questionnaire(versions={"local_protectionism": "1.1.0"})
VALID_MULTI = Path(__file__).resolve().parent / "valid_multi.yaml"
CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             shutil.which("google-chrome")) if p), None)


def test_blocks_keep_display_order_and_join_rating_batteries():
    blocks = question_blocks(STUDY)
    items = [it.id for b in blocks for it in b.items]
    assert items == [q.id for q in STUDY.questions()]   # every question once, in display order
    kinds = [(b.kind, len(b.items)) for b in blocks if b.kind != "section"]
    assert kinds[:12] == [("question", 1)] * 12        # profile: short or conditional
    assert [n for k, n in kinds if k == "matrix"] == [9, 14, 12, 9]
    assert sum(b.kind == "section" for b in blocks) == len(STUDY.sections)


def test_skip_notes_in_words():
    prof = sk.load_instrument("respondent_profile")
    assert skip_note(prof, prof.item("PR06a"), "zh") == "（仅当第 6 题选择“是”时回答）"
    assert skip_note(prof, prof.item("PR01"), "zh") is None
    from dataclasses import replace
    it = replace(prof.item("PR06a"), relevant="PR02 in [3, 4] and not (PR01 == 2)")
    assert skip_note(prof, it, "zh") == \
        "（仅当第 2 题选择“区（县）级”或“乡镇（街道）级”且并非（第 1 题选择“重庆”）时回答）"
    assert skip_note(prof, it, "en") == \
        "(Answer only if Q2 is “District or county” or “Township or subdistrict” and not " \
        "(Q1 is “Chongqing”).)"


def test_html_holds_every_question_option_and_note():
    page = questionnaire_html(STUDY, "zh")
    for it in STUDY.questions():
        assert f'id="{it.id}"' in page
        assert it.text["zh"].replace('"', "&quot;") in page or it.text["zh"] in page
    assert "☐ 成都" in page and "☐ 拒绝回答" not in page
    assert page.count('<table class="matrix">') == 4
    assert "第 13–21 题（每行选一项）" in page
    assert "（仅当第 6 题选择“是”时回答）" in page
    assert "（0–45）" in page                                       # numeric range
    assert "<script" not in page
    both = questionnaire_html(STUDY, "both", include_missing=True)
    assert "Which region do you work in?" in both and "☐ 拒绝回答 <span" in both
    en = questionnaire_html(STUDY, "en")
    assert re.search(r"[\u4e00-\u9fff]", en.split("<footer>")[0]) is None   # no Chinese


def test_docx_has_questions_grids_and_fonts(tmp_path):
    import docx

    p = questionnaire_docx(STUDY, tmp_path / "q.docx", "zh")
    d = docx.Document(str(p))
    text = "\n".join(par.text for par in d.paragraphs)
    assert text.startswith("成渝地区政府间协同合作调查问卷")
    assert "1. 您所在的地区是：" in text and "☐ 成都" in text
    assert "（仅当第 6 题选择“是”时回答）" in text
    assert len(d.tables) == 4
    grid = d.tables[0]
    assert grid.cell(0, 1).text == "非常不同意" and grid.cell(1, 1).text == "☐"
    assert grid.cell(1, 0).text.startswith("13. ")
    assert "8. 过去一年中，您参与的两地合作主要通过哪些渠道开展？（可多选）" in text
    assert "☐ 联合执法或联合检查    ☐ 其他 ________" in text
    rfonts = d.styles["Normal"].element.rPr.rFonts
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
                      "eastAsia") == "SimSun"


def test_render_instrument_paths_and_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = render_instrument("respondent_profile", "docx", lang="both")
    assert p == Path("out/instruments/respondent_profile-1.1.0-questionnaire-both.docx")
    assert p.is_file()
    assert render_instrument("study", "html", out="q").name == "q.html"
    with pytest.raises(ParameterError, match="The 'to' parameter of render_instrument"):
        render_instrument("study", "pdf")
    with pytest.raises(ParameterError, match="The 'lang' parameter of render_instrument"):
        render_instrument("study", "html", lang="fr")
    from dataclasses import replace
    with pytest.raises(InstrumentError, match="has no language 'en'.*Pass --lang zh"):
        questionnaire_html(replace(STUDY, languages=("zh",)), "en")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                             "(apt-get install chromium; .ci/run installs it)")
def test_questionnaire_renders_in_chromium(tmp_path):
    page = tmp_path / "q.html"
    page.write_text(questionnaire_html(STUDY, "zh"), encoding="utf-8")
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=900,1400"]
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True,
                         text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count('class="q"') == 12 and dom.stdout.count('class="matrix"') == 4
    shot = tmp_path / "questionnaire-zh.png"
    res = subprocess.run([*flags, f"--screenshot={shot}", page.as_uri()], capture_output=True,
                         timeout=120)
    assert res.returncode == 0 and shot.read_bytes().startswith(b"\x89PNG")
    assert shot.stat().st_size > 50_000            # glyphs drawn, not an empty page
    where = os.environ.get("SURVEYKIT_SCREENSHOT_DIR")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(where) / shot.name)


def test_cli_render(tmp_path):
    import sys
    res = subprocess.run([sys.executable, "-m", "surveykit", "instrument", "render", "study",
                          "--to", "html", "--lang", "both", "--out", str(tmp_path / "q")],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert (tmp_path / "q.html").is_file() and "wrote" in res.stdout


def test_multi_select_renders_as_one_question_with_check_boxes(tmp_path):
    page = questionnaire_html(STUDY, "zh")
    assert 'id="PR06b"' in page and 'id="PR06b_1"' not in page and "PR06b_6_text" not in page
    assert "☐ 联席会议" in page and "☐ 未选" not in page
    assert "☐ 其他 ________" in page                              # other-specify: write-in line
    assert 'id="PR10"' in page and 'id="PR10_5_text"' not in page
    # limits (and the hint a question text does not already give) under the question
    ins = sk.load_instrument(VALID_MULTI)
    both = questionnaire_html(ins, "both")
    assert "（可多选，至少选 1 项，最多选 3 项）" in both
    assert "(Select all that apply: at least 1, at most 3.)" in both
    import docx

    d = docx.Document(str(questionnaire_docx(ins, tmp_path / "m.docx", "zh")))
    text = "\n".join(par.text for par in d.paragraphs)
    assert "（可多选，至少选 1 项，最多选 3 项）" in text and "☐ 其他 ________" in text
