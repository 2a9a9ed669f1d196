"""Issue #15: .qdpx files without codes or users, with a duplicated project.qde, odd
selections; import into an output path that is a file or read-only — one clear error or a
usable study, never a traceback."""
from __future__ import annotations

import errno
import warnings
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import surveykit as sk
from surveykit.cli import app
from surveykit.errors import OutputError, QualError

G = "00000000-0000-4000-8000-{:012d}"
P = "<Project xmlns='urn:QDA-XML:project:1.0' name='x'>"
SEL = (f"<PlainTextSelection guid='{G.format(2)}' startPosition='0' endPosition='2'>"
       f"<Coding guid='{G.format(3)}'><CodeRef targetGUID='{G.format(4)}'/></Coding>"
       f"</PlainTextSelection>")
CODES = f"<CodeBook><Codes><Code guid='{G.format(4)}' name='c'/></Codes></CodeBook>"


def src(inner: str = SEL, text: str = "合作很好") -> str:
    return (f"<Sources><TextSource guid='{G.format(1)}' name='iv'><PlainTextContent>{text}"
            f"</PlainTextContent>{inner}</TextSource></Sources>")


def qdpx(tmp_path: Path, xml: str, *extra: tuple[str, str], name: str = "p.qdpx") -> Path:
    p = tmp_path / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # zipfile warns about the duplicate name
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("project.qde", xml)
            for n, d in extra:
                z.writestr(n, d)
    return p


def cli(*args):
    res = CliRunner().invoke(app, ["notes", *map(str, args)])
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res


@pytest.mark.parametrize("xml", [
    P + CODES + src() + "</Project>",                                   # no users
    P + "<Users/>" + CODES + src() + "</Project>",                      # empty users
    P + "<Users><User/></Users>" + CODES + src() + "</Project>",        # user without guid
    P + src("") + "</Project>",                                         # no codes, no codings
    P + "<CodeBook/>" + src("") + "</Project>",                         # codebook without codes
    P + "<CodeBook><Codes/></CodeBook>" + src("") + "</Project>",
    P + f"<CodeBook><Codes><Code guid='{G.format(4)}'/></Codes></CodeBook>" + src() + "</Project>",
    P + "</Project>",                                                   # nothing at all
], ids=["no_users", "empty_users", "user_no_guid", "no_codes", "codebook_no_codes", "codes_empty",
        "code_without_name", "empty_project"])
def test_sparse_projects_import_to_a_usable_study(tmp_path, xml):
    res = cli("import-qdpx", qdpx(tmp_path, xml), tmp_path / "study")
    assert res.exit_code == 0, res.output
    if (tmp_path / "study" / "notes").exists():
        assert cli("check", tmp_path / "study").exit_code == 0


def test_coding_without_user_gets_coder_unknown(tmp_path):
    proj = sk.read_qdpx(qdpx(tmp_path, P + CODES + src() + "</Project>"))
    assert list(proj.to_codings().frame["coder"]) == ["unknown"]


def test_coding_of_missing_code_is_refused(tmp_path):
    with pytest.raises(QualError, match=r"p\.qdpx: source 'iv': a coding refers to code "
                                        r"'00000000-0000-4000-8000-000000000004', which is not in "
                                        r"the codebook"):
        sk.read_qdpx(qdpx(tmp_path, P + src() + "</Project>"))
    whole = f"<Coding guid='{G.format(3)}'><CodeRef targetGUID='{G.format(8)}'/></Coding>"
    with pytest.raises(QualError, match=r"a coding of the whole source refers to code "
                                        r"'00000000-0000-4000-8000-000000000008'"):
        sk.read_qdpx(qdpx(tmp_path, P + CODES + src(whole) + "</Project>", name="w.qdpx"))


def test_duplicated_project_qde_is_refused(tmp_path):
    p = qdpx(tmp_path, P + CODES + src() + "</Project>", ("project.qde", P + "</Project>"))
    with pytest.raises(QualError, match=r"p\.qdpx: the archive holds 'project\.qde' 2 times, so it "
                                        r"is not clear which one is the project"):
        sk.read_qdpx(p)
    assert cli("import-qdpx", p, tmp_path / "s").exit_code == 1


def test_empty_selection_is_skipped_and_said(tmp_path):
    p = qdpx(tmp_path, P + CODES + src(SEL.replace("endPosition='2'", "endPosition='0'")) + "</Project>")
    proj = sk.read_qdpx(p)
    assert proj.n_selections == 0
    assert proj.skipped == (f"empty selection {G.format(2)} at 0 in source 'iv'",)
    res = cli("import-qdpx", p, tmp_path / "s")
    assert res.exit_code == 0 and "Not imported: empty selection" in res.output


def test_huge_or_broken_positions_are_messages(tmp_path):
    huge = SEL.replace("endPosition='2'", "endPosition='" + "9" * 400 + "'")
    with pytest.raises(QualError, match=r"selection .* spans 0–9{20}"):
        sk.read_qdpx(qdpx(tmp_path, P + CODES + src(huge) + "</Project>"), positions="codepoints")
    with pytest.raises(QualError, match=r"position 9{20}… is far beyond any text"):
        sk.read_qdpx(qdpx(tmp_path, P + CODES + src(huge) + "</Project>"), positions="utf16")
    with pytest.raises(QualError, match=r"project\.qde holds a value surveykit cannot read"):
        sk.read_qdpx(qdpx(tmp_path, P + CODES + src(SEL.replace("'2'", "'2.5'")) + "</Project>"))


def test_import_into_a_file_is_an_output_error(tmp_path):
    p = qdpx(tmp_path, P + CODES + src() + "</Project>")
    target = tmp_path / "afile"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match=r"Cannot write .*afile: it is a file, not a folder"):
        sk.read_qdpx(p).to_study(target)
    res = cli("import-qdpx", p, target)
    assert res.exit_code == 1 and "it is a file, not a folder" in res.output
    res = cli("import-qdpx", p, target / "sub")
    assert res.exit_code == 1 and "afile is a file, not a folder" in res.output


def test_import_into_a_read_only_folder_is_an_output_error(tmp_path, monkeypatch):
    import tempfile

    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    p = qdpx(tmp_path, P + CODES + src() + "</Project>")
    monkeypatch.setattr(tempfile, "mkstemp", denied)      # as root, chmod cannot deny
    res = cli("import-qdpx", p, tmp_path / "ro")
    assert res.exit_code == 1 and "permission denied (read-only folder or file?)" in res.output
