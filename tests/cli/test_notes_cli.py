"""`surveykit notes ...`: check (--fix), stats, agreement, export-qdpx, import-qdpx.
User mistakes end with one message and exit code 1, never a traceback."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import surveykit
from surveykit.cli import app

EXAMPLE = Path(surveykit.__file__).parent / "datasets" / "data" / "regional_synergy"
runner = CliRunner()


def run(*args: str):
    res = runner.invoke(app, ["notes", *map(str, args)])
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res


@pytest.fixture()
def study(tmp_path: Path) -> Path:
    dst = tmp_path / "study"
    dst.mkdir()
    shutil.copytree(EXAMPLE / "notes", dst / "notes")
    shutil.copytree(EXAMPLE / "codings", dst / "codings")
    shutil.copy(EXAMPLE / "codebook.yaml", dst / "codebook.yaml")
    return dst


def test_check_clean_study():
    res = run("check", EXAMPLE)
    assert res.exit_code == 0 and "134 segments: 134 in place" in res.output


def test_check_after_edit_then_fix(study):
    p = study / "notes" / "cq_gao_interview.md"
    p.write_text(p.read_text(encoding="utf-8").replace("受访者（处长", "（新增一段说明。）\n\n受访者（处长", 1),
                 encoding="utf-8")
    res = run("check", study)
    assert res.exit_code == 1 and "moved" in res.output and "--fix" in res.output
    res = run("check", study, "--fix")
    assert res.exit_code == 0 and "Rewrote 2 file(s)" in res.output
    assert run("check", study).exit_code == 0


def test_check_lists_unplaceable_segments(study):
    p = study / "notes" / "cd_gao_interview.md"
    p.write_text(p.read_text(encoding="utf-8").replace("这个需要上面给政策", "这个要看情况"), encoding="utf-8")
    res = run("check", study, "--fix")
    assert res.exit_code == 1
    assert "not_found" in res.output and "cannot be placed" in res.output


def test_stats_and_agreement(tmp_path):
    res = run("stats", EXAMPLE, "--by", "region", "--coder", "coder_a", "-o", tmp_path / "f.csv")
    assert res.exit_code == 0 and "chongqing" in res.output and (tmp_path / "f.csv").exists()
    res = run("agreement", EXAMPLE, "--level", "segment", "--unit", "character")
    assert res.exit_code == 0 and "krippendorff_alpha" in res.output and "mean alpha" in res.output


def test_export_import_round_trip(tmp_path):
    out = tmp_path / "rs.qdpx"
    res = run("export-qdpx", out, "--study", EXAMPLE, "--name", "regional synergy")
    assert res.exit_code == 0 and out.exists()
    res = run("import-qdpx", out, tmp_path / "imported")
    assert res.exit_code == 0 and "134 codings" in res.output
    assert run("check", tmp_path / "imported").exit_code == 0
    res = run("import-qdpx", out, tmp_path / "imported")
    assert res.exit_code == 1 and "folder is not empty" in res.output


@pytest.mark.parametrize("args,message", [
    (("check", "/no/such/study"), "notes folder not found"),
    (("stats", EXAMPLE, "--by", "regoin"), "Did you mean 'region'"),
    (("agreement", EXAMPLE, "--level", "paragraph"), "The 'level' parameter of agreement must be one of"),
    (("agreement", EXAMPLE, "--coder", "coder_a"), "Agreement needs at least two coders"),
    (("export-qdpx", "x.qdpx", "--study", EXAMPLE, "--positions", "bytes"), "The 'positions' parameter"),
])
def test_user_mistakes_exit_1_with_message(args, message):
    res = run(*args)
    assert res.exit_code == 1 and message in res.output


def test_import_unsafe_archive(tmp_path):
    p = tmp_path / "evil.qdpx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("project.qde", "<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>")
        z.writestr("../evil.txt", "x")
    res = run("import-qdpx", p, tmp_path / "out")
    assert res.exit_code == 1 and "outside the project folder" in res.output
    assert not (tmp_path / "evil.txt").exists()


def test_import_foreign_project_asks_for_missing_fields(tmp_path):
    g = "00000000-0000-4000-8000-{:012d}"
    xml = (f"<Project xmlns='urn:QDA-XML:project:1.0' name='x'><Sources>"
           f"<TextSource guid='{g.format(1)}' name='interview'><PlainTextContent>合作</PlainTextContent>"
           f"</TextSource></Sources></Project>")
    p = tmp_path / "f.qdpx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("project.qde", xml)
    res = run("import-qdpx", p, tmp_path / "out")
    assert res.exit_code == 0 and "Fill in the fields marked 'unknown'" in res.output


def test_per_note_sidecars_next_to_the_notes(tmp_path):
    notes = tmp_path / "s" / "notes"
    notes.mkdir(parents=True)
    (notes / "n1.md").write_text("---\ncase_id: A\nsource_type: interview\ndate: 2024-01-01\n"
                                 "region: chengdu\nlanguage: zh\n---\n对方说到做到。\n", encoding="utf-8")
    (notes / "n1.codings.yaml").write_text(
        "note: n1\nsegments:\n  - {coder: a, code: trust, quote: 对方说到做到}\n"
        "  - {coder: b, code: trust, quote: 说到做到}\n", encoding="utf-8")
    assert run("check", tmp_path / "s").exit_code == 1          # quotes without offsets yet
    res = run("check", tmp_path / "s", "--fix")
    assert res.exit_code == 0 and "2 moved" in res.output
    res = run("agreement", tmp_path / "s", "--level", "segment", "--unit", "character")
    assert res.exit_code == 0 and "trust" in res.output
