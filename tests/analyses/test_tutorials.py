"""The two tutorials run as written, in English and in Chinese.

Every ```bash block of a tutorial runs, in document order, in one ``bash -euo pipefail``
session (so ``cd`` carries over as it would for a reader); a code block preceded by
``<!-- file: NAME -->`` is written to NAME at that point. ```text blocks are shown output
and are not run. The designer tutorial starts at the root of a clone (it copies
``instruments/``), so it runs in a folder holding a copy of the repository's instruments.
The Chinese versions (``*.zh.md``) run the same script as the English ones except for
``--lang`` (a Chinese reader asks for ``--lang zh`` where the English asks for ``en``);
``test_translations_run_the_same_commands`` keeps them from drifting apart.
"""
from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FENCE = re.compile(r"(<!-- file: (?P<file>[^ ]+) -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)\n```",
                   re.S)
#: the tutorials per language (the Chinese ones are translations of the English ones)
DESIGNERS = {"en": DOCS / "tutorial-designers.md", "zh": DOCS / "tutorial-designers.zh.md"}
RESEARCHERS = {"en": DOCS / "tutorial-researchers.md", "zh": DOCS / "tutorial-researchers.zh.md"}
#: the reliability table's caption in the researchers' report, per report language
#: Section 8: Harman's test, the hierarchical regression, the aggregation summary.
CHECK_HEADINGS = {"en": ("Harman&#39;s single-factor test", "Hierarchical regression",
                         "Model 2 β", "ICC(1)"),
                  "zh": ("Harman 单因素检验", "分层回归分析结果", "模型 2 β", "ICC(1)")}
RELIABILITY_CAPTION = {"en": "Reliability of regional synergy", "zh": "区域协同量表的信度"}
#: the simple-slopes table's title and the start of the mediation sentence, per report language
PROCESS_HEADINGS = {"en": ("Simple slopes: conditional effects", "Indirect effect ("),
                    "zh": ("简单斜率：调节变量不同水平下的条件效应", "间接效应（")}
#: Section 9: the structural model's indirect-effect table, per report language
SEM_HEADINGS = {"en": "Indirect effects and defined parameters", "zh": "间接效应与定义参数"}
LANG_OPTION = re.compile(r" --lang \w+")


def tutorial_script(path: Path) -> str:
    """The bash script a reader runs when following ``path`` (files written inline)."""
    parts = []
    for m in FENCE.finditer(path.read_text(encoding="utf-8")):
        if m["file"]:
            parts.append(f"cat > {m['file']} <<'TUTORIAL_EOF'\n{m['body']}\nTUTORIAL_EOF")
        elif m["lang"] == "bash":
            parts.append(m["body"])
    return "\n".join(parts) + "\n"


def run_tutorial(path: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("SURVEYKIT_PSEUDONYM_KEY", None)
    return subprocess.run(["bash", "-euo", "pipefail", "-c", tutorial_script(path)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=600)


def test_script_extraction_keeps_order_and_files():
    script = tutorial_script(DOCS / "tutorial-researchers.md")
    assert script.index("cat > cleaning.yaml") < script.index("surveykit responses clean")
    assert script.index("cat > my_study.py") < script.index("surveykit run my_study.py")
    assert "report written" not in script          # shown output is not run


@pytest.mark.parametrize("tutorials", [DESIGNERS, RESEARCHERS], ids=["designers", "researchers"])
def test_translations_run_the_same_commands(tutorials):
    en, zh = (tutorial_script(tutorials[lang]) for lang in ("en", "zh"))
    def commands(script):
        return [LANG_OPTION.sub("", line) for line in script.splitlines()
                if line.lstrip().startswith("surveykit ")]
    assert commands(zh) == commands(en)
    assert commands(en), "no surveykit command found"
    # and everything else the reader runs or writes (shell lines, cleaning.yaml, my_study.py)
    assert LANG_OPTION.sub("", zh) == LANG_OPTION.sub("", en), "\n".join(difflib.unified_diff(
        LANG_OPTION.sub("", en).splitlines(), LANG_OPTION.sub("", zh).splitlines(), "en", "zh",
        lineterm=""))
    assert "--lang en" not in zh          # a Chinese reader gets Chinese output


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_designer_tutorial_runs(tmp_path, lang):
    shutil.copytree(ROOT / "instruments", tmp_path / "instruments")
    res = run_tutorial(DESIGNERS[lang], tmp_path)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]
    work = tmp_path / "tutorial"
    assert "RS02 now asks about new fields." in (work / "instruments/regional_synergy/1.1.0.yaml").read_text(encoding="utf-8")
    assert "1.1.0:" in (work / "instruments/instruments.lock").read_text(encoding="utf-8")
    assert "RS02,1.1.0,RS02,wording_changed,False" in (work / "crosswalk.csv").read_text(encoding="utf-8")
    assert "本单位愿意在新的领域与对方地区开展合作" in (work / "questionnaire_wjx.txt").read_text(encoding="utf-8")
    assert (work / "regional_synergy.xlsx").stat().st_size > 0 and (work / "codebook.md").is_file()
    # the repository's own instruments are untouched
    assert not (ROOT / "instruments/regional_synergy/1.1.0.yaml").exists()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_researcher_tutorial_runs(tmp_path, lang):
    res = run_tutorial(RESEARCHERS[lang], tmp_path)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]
    out = tmp_path / "my-project" / "report"
    assert (out / "report.html").is_file() and (out / "report.docx").is_file()
    shown = re.search(r"report/tables:\n(.*?)\n", RESEARCHERS[lang].read_text(encoding="utf-8"))
    assert sorted(shown[1].split()) == sorted(p.name for p in (out / "tables").iterdir())
    assert {p.name for p in (out / "figures").iterdir()} == {
        "likert_regional_synergy.png", "likert_regional_synergy.svg",
        "means_by_region.png", "means_by_region.svg"}
    assert "275 kept" in res.stdout + res.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    assert RELIABILITY_CAPTION[lang] in html and "Welch" in html
    process = tmp_path / "my-project" / "report-process"        # section 7: PROCESS models
    assert sorted(p.name for p in (process / "tables").iterdir()) == [
        "01_moderation_model.csv", "02_moderation_slopes.csv", "03_mediation_paths.csv",
        "04_mediation_effects.csv"]
    html = (process / "report.html").read_text(encoding="utf-8")
    slopes, indirect = PROCESS_HEADINGS[lang]
    assert slopes in html and indirect in html
    assert (process / "figures" / "interaction.png").is_file()
    checks = tmp_path / "my-project" / "report-checks"          # section 8: CMB, ΔR², ICC
    shown = re.search(r"report-checks/report.html\n(.*?)\n```",
                      RESEARCHERS[lang].read_text(encoding="utf-8"), re.S)
    assert sorted(shown[1].split()) == sorted(p.name for p in (checks / "tables").iterdir())
    html = (checks / "report.html").read_text(encoding="utf-8")
    for heading in CHECK_HEADINGS[lang]:
        assert heading in html, heading
    sem = tmp_path / "my-project" / "report-sem"                 # section 9: SEM, ind := a*b
    assert sorted(p.name for p in (sem / "tables").iterdir()) == [
        "01_sem_fit.csv", "02_sem_loadings.csv", "03_sem_paths.csv", "04_sem_defined.csv"]
    html = (sem / "report.html").read_text(encoding="utf-8")
    assert SEM_HEADINGS[lang] in html and (sem / "figures" / "path_diagram.png").is_file()


def test_tutorial_images_exist():
    for doc in [*DESIGNERS.values(), *RESEARCHERS.values()]:
        for img in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", doc.read_text(encoding="utf-8")):
            assert (DOCS / img).is_file(), img
    assert sum(p.stat().st_size for p in (DOCS / "img").glob("*.png")) < 600_000


def test_tutorial_links_resolve_and_translations_are_linked():
    for doc in [*DESIGNERS.values(), *RESEARCHERS.values()]:
        for link in re.findall(r"\]\(([^)#:]+\.md)\)", doc.read_text(encoding="utf-8")):
            assert (DOCS / link).is_file(), (doc.name, link)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for tutorials in (DESIGNERS, RESEARCHERS):
        en, zh = tutorials["en"], tutorials["zh"]
        assert f"中文版：[{zh.name}]({zh.name})" in en.read_text(encoding="utf-8")
        assert f"]({en.name})" in zh.read_text(encoding="utf-8")
        assert f"(docs/{zh.name})" in readme
