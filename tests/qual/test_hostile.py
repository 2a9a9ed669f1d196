"""Issue #15, qualitative side: codes missing from the codebook, hostile YAML in notes,
codebooks and codings — one QualError naming file and line, never a traceback or a hang."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import surveykit as sk
from surveykit.cli import app
from surveykit.errors import QualError
from tests.test_yaml import billion_laughs

EXAMPLE = Path(sk.__file__).parent / "datasets" / "data" / "regional_synergy"


@pytest.fixture()
def study(tmp_path: Path) -> Path:
    dst = tmp_path / "study"
    dst.mkdir()
    shutil.copytree(EXAMPLE / "notes", dst / "notes")
    shutil.copytree(EXAMPLE / "codings", dst / "codings")
    shutil.copy(EXAMPLE / "codebook.yaml", dst / "codebook.yaml")
    return dst


def _typo(study: Path) -> tuple[Path, int, str, str]:
    """Misspell the first code of coder_b's file; (file, line, typo, right id)."""
    f = sorted((study / "codings").glob("*.yaml"))[-1]
    lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, ln in enumerate(lines) if ln.strip().startswith(("code:", "- code:")))
    right = lines[n].split("code:", 1)[1].strip()
    typo = right[:-1]
    lines[n] = lines[n].replace(right, typo)
    f.write_text("".join(lines), encoding="utf-8")
    seg_line = next(i for i in range(n, -1, -1) if lines[i].lstrip().startswith("- ")) + 1
    return f, seg_line, typo, right


def run(*args: str):
    res = CliRunner().invoke(app, ["notes", *map(str, args)])
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res


@pytest.mark.parametrize("command", ["check", "agreement"])
def test_cli_refuses_code_missing_from_codebook(study, command):
    f, line, typo, right = _typo(study)
    res = run(command, study)
    assert res.exit_code == 1
    text = " ".join(res.output.split())
    assert f"{f.name}:{line}:1: segment in note" in text, text
    assert f"names code '{typo}', which is not in the codebook. Did you mean '{right}'?" in text


def test_api_refuses_code_missing_from_codebook(study):
    f, line, typo, right = _typo(study)
    notes = sk.read_notes(study / "notes")
    cb = sk.load_codebook(study / "codebook.yaml")
    pat = (rf"{f.name}:{line}:1: segment in note '\w+' names code '{typo}', which is not in the "
           rf"codebook\. Did you mean '{right}'\? Fix the id or add the code to .*codebook\.yaml")
    with pytest.raises(QualError, match=pat):
        sk.check_codings(study / "codings", notes, codebook=cb)
    with pytest.raises(QualError, match=pat):
        sk.agreement(study / "codings", notes, codebook=cb)
    cod = sk.load_codings(study / "codings")            # without a codebook: loads
    with pytest.raises(QualError, match=pat):
        sk.agreement(cod, notes, codebook=cb)


def test_closest_id_named_even_when_not_close(tmp_path, make_note):
    make_note(tmp_path / "notes", "n1", "对方说到做到。")
    (tmp_path / "codebook.yaml").write_text("codes:\n  - {id: trust, name: {zh: 互信}}\n",
                                            encoding="utf-8")
    p = tmp_path / "c.yaml"
    p.write_text("coder: a\nsegments:\n  - {note: n1, code: zzz, start: 0, end: 6, quote: 对方说到做到}\n",
                 encoding="utf-8")
    with pytest.raises(QualError, match=r"c\.yaml:3:1: .*names code 'zzz', which is not in the "
                                        r"codebook\. The closest codebook id is 'trust'\."):
        sk.load_codings(p, codebook=sk.load_codebook(tmp_path / "codebook.yaml"))


def test_cli_without_codebook_says_codes_unchecked(study):
    (study / "codebook.yaml").unlink()
    res = run("check", study)
    assert res.exit_code == 0 and "no codebook at" in res.output and "not checked" in res.output
    res = run("check", study, "--codebook", study / "nope.yaml")
    assert res.exit_code == 1 and "codebook not found" in res.output


# -- hostile YAML ----------------------------------------------------------------------------
def test_alias_bomb_in_front_matter_refused_fast(tmp_path):
    head = ("case_id: A\nsource_type: interview\ndate: 2024-01-01\nregion: chengdu\n"
            "language: zh\n" + billion_laughs())
    (tmp_path / "n1.md").write_text("---\n" + head + "---\n正文。\n", encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(QualError, match=r"n1\.md:\d+:\d+: YAML refused: its aliases \(\*name\) "
                                        r"expand it to more than 1,000,000 values"):
        sk.read_notes(tmp_path)
    assert time.perf_counter() - t0 < 5


def test_deep_front_matter_refused(tmp_path):
    head = "case_id: A\nx: " + "[" * 2000 + "]" * 2000 + "\n"
    (tmp_path / "n1.md").write_text("---\n" + head + "---\n正文。\n", encoding="utf-8")
    with pytest.raises(QualError, match=r"n1\.md:3:\d+: YAML nested more than 50 levels deep"):
        sk.read_notes(tmp_path)


def test_deep_codebook_refused(tmp_path):
    p = tmp_path / "codebook.yaml"
    p.write_text("codes:\n  - id: a\n    name: " + "{x: " * 3000 + "1" + "}" * 3000 + "\n",
                 encoding="utf-8")
    with pytest.raises(QualError, match=r"codebook\.yaml:3:\d+: YAML nested more than 50 levels"):
        sk.load_codebook(p)


def test_deep_and_bombed_codings_refused(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("segments:\n" + "  - " * 1 + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    with pytest.raises(QualError, match=r"c\.yaml:2:\d+: YAML nested more than 50 levels"):
        sk.load_codings(p)
    p.write_text(billion_laughs() + "segments: *j\n", encoding="utf-8")
    with pytest.raises(QualError, match=r"c\.yaml:\d+:\d+: YAML refused: its aliases"):
        sk.load_codings(p)
