"""Validation: every broken file gives its file:line:column message; folder and lock rules."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from surveykit.errors import ValidationError
from surveykit.instrument.validate import validate_instruments

HERE = Path(__file__).resolve().parent
BROKEN = HERE / "broken"

# file -> (line, column, message regex)
CASES = {
    "unknown_key": (29, 5, r"items\[1\] \(MN02\)\.revrese: unknown key 'revrese' in an item\. "
                           r"Did you mean 'reverse'\?"),
    "duplicate_item_id": (27, 9, r"duplicate item id 'MN01' \(first used at line 24\)"),
    "scale_missing_item": (41, 25, r"scales\[0\] \(mini\)\.items\[2\]: scale names item 'MN05', "
                                   r"which is not defined under 'items'"),
    "label_missing_language": (26, 11, r"items\[0\] \(MN01\)\.text: label missing for declared "
                                       r"language 'en'\. Add 'en: \.\.\.'"),
    "reverse_nominal": (33, 14, r"reverse key on an item whose response scale 'yes_no' is "
                                r"nominal, not ordinal"),
    "min_valid_too_large": (42, 16, r"min_valid 5 is larger than the scale \(3 items\)\. Use a "
                                    r"number from 1 to 3"),
    "bad_semver_number": (3, 10, r"version: bad semantic version 1\.0: YAML read it as a number"),
    "bad_semver_text": (3, 10, r"version: bad semantic version 'v1\.0\.0'\. Write MAJOR\.MINOR\.PATCH"),
    "relevant_unknown_item": (36, 15, r"skip condition names unknown item 'MN09'"),
    "relevant_bad_syntax": (36, 20, r"cannot read the skip condition 'MN03 = 1': unsupported "
                                    r"character '='; use '=='"),
    "relevant_later_item": (26, 15, r"skip condition reads 'MN03', which comes after 'MN01'"),
    "attention_not_option": (33, 22, r"attention_check: expected answer 7 is not among the "
                                     r"options of 'yes_no' \(1, 2\)"),
    "yaml_syntax": (41, 10, r"YAML syntax error: expected ',' or '\}'.*flow mapping that starts "
                            r"at line 40"),
    "wrong_type_bool": (29, 14, r"reverse: must be true or false, got the text 'yes'"),
    "missing_required_key": (31, 5, r"items\[2\] \(MN03\): missing required key 'response'"),
    "unknown_response_scale": (25, 15, r"unknown response scale 'agree7'\. Did you mean 'agree5'\?"),
    "unknown_missing_kind": (17, 19, r"unknown missing kind 'refuse'\. Did you mean 'refused'\?"),
    "undeclared_language": (5, 35, r"title\.fr: language 'fr' is not declared in 'languages'"),
    "duplicate_yaml_key": (30, 5, r"key 'reverse' appears twice in the same mapping"),
    "unknown_parent": (43, 13, r"parent scale 'mini_total' is not defined under 'scales'"),
    "option_code_not_number": (15, 7, r"option code 'five' must be a number"),
    "unknown_score_method": (43, 12, r"unknown scoring method 'median'\. Use 'mean' or 'sum'"),
    "unknown_top_key": (6, 1, r"unknown key 'change_log' in the instrument\. Did you mean "
                              r"'changelog'\?"),
    "wrong_type_items": (41, 12, r"'items' must be a list .* got the text 'MN01'"),
}


def test_every_broken_file_has_a_case():
    assert sorted(p.stem for p in BROKEN.glob("*.yaml")) == sorted(CASES)
    assert len(CASES) >= 15


def test_valid_mini_is_clean():
    assert validate_instruments([HERE / "valid_mini.yaml"]).ok


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_message(name):
    line, col, pattern = CASES[name]
    path = BROKEN / f"{name}.yaml"
    check = validate_instruments([path])
    assert not check.ok
    first = check.problems[0]
    assert (first.line, first.column) == (line, col), str(first)
    assert str(first).endswith(first.message)
    assert re.search(rf"broken/{name}\.yaml:{line}:{col}: .*{pattern}", str(first)), str(first)
    with pytest.raises(ValidationError, match=rf"{name}\.yaml:{line}:{col}: .*{pattern}"):
        check.raise_for_problems()


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_cli(name, cli):
    line, col, pattern = CASES[name]
    res = cli("instrument", "validate", str(BROKEN / f"{name}.yaml"))
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    assert re.search(rf"{name}\.yaml:{line}:{col}: .*{pattern}", res.output.replace("\n", " ")
                     ) or re.search(rf"{name}\.yaml:{line}:{col}:", res.output), res.output


def test_all_problems_reported_in_one_run(tmp_path):
    text = (HERE / "valid_mini.yaml").read_text(encoding="utf-8")
    text = text.replace("    reverse: true\n", "    revrese: true\n").replace(
        "min_valid: 2", "min_valid: 9").replace("relevant: MN03 == 1", "relevant: MN3 == 1")
    p = tmp_path / "many.yaml"
    p.write_text(text, encoding="utf-8")
    check = validate_instruments([p, BROKEN / "bad_semver_text.yaml"])
    msgs = [str(x) for x in check.problems]
    assert len(msgs) == 4, msgs
    assert any("revrese" in m for m in msgs) and any("min_valid 9" in m for m in msgs)
    assert any("'MN3'" in m for m in msgs) and any("v1.0.0" in m for m in msgs)
    assert check.summary() == "4 problems in 2 of 2 files."


def test_repository_instruments_are_valid(repo_instruments, cli):
    check = validate_instruments([repo_instruments])
    assert check.ok, str(check)
    assert len(check.released) == 7 and not check.drafts
    res = cli("instrument", "validate", str(repo_instruments))
    assert res.exit_code == 0 and "7 instrument files valid" in res.output


def test_id_and_version_must_match_path(instruments_copy):
    f = instruments_copy / "regional_synergy" / "1.0.0.yaml"
    g = instruments_copy / "regional_synergy" / "1.2.0.yaml"
    g.write_text(f.read_text(encoding="utf-8").replace("id: regional_synergy", "id: synergy"),
                 encoding="utf-8")
    msgs = [str(p) for p in validate_instruments([instruments_copy]).problems]
    assert any(re.search(r"regional_synergy/1\.2\.0\.yaml:5:10: version: '1\.0\.0' does not match "
                         r"the file name '1\.2\.0\.yaml'", m) for m in msgs), msgs
    assert any(re.search(r"regional_synergy/1\.2\.0\.yaml:4:5: id: 'synergy' does not match its "
                         r"folder 'regional_synergy'", m) for m in msgs), msgs
    h = instruments_copy / "regional_synergy" / "draft.yaml"
    shutil.copy(f, h)
    msgs = [str(p) for p in validate_instruments([h]).problems]
    assert any("file name 'draft.yaml' must be the version" in m for m in msgs), msgs


def test_changed_released_version_fails_with_remedy(instruments_copy, cli):
    f = instruments_copy / "local_protectionism" / "1.0.0.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("本地政府在政府采购中", "本地政府在政府采买中", 1), encoding="utf-8")
    check = validate_instruments([instruments_copy])
    assert len(check.problems) == 1
    msg = str(check.problems[0])
    assert re.search(r"local_protectionism/1\.0\.0\.yaml:1:1: released version local_protectionism "
                     r"1\.0\.0 has changed since it was released", msg)
    assert "surveykit instrument new-version local_protectionism --minor" in msg
    res = cli("instrument", "validate", str(instruments_copy))
    assert res.exit_code == 1 and "has changed since it was released" in res.output
    assert "Traceback" not in res.output


def test_line_endings_do_not_count_as_change(instruments_copy):
    f = instruments_copy / "regional_synergy" / "1.0.0.yaml"
    f.write_bytes(f.read_bytes().replace(b"\n", b"\r\n"))
    assert validate_instruments([instruments_copy]).ok


def test_deleted_released_version_is_reported(instruments_copy):
    (instruments_copy / "local_protectionism" / "1.0.0.yaml").unlink()
    msgs = [str(p) for p in validate_instruments([instruments_copy]).problems]
    assert any(re.search(r"instruments\.lock:\d+:3: local_protectionism 1\.0\.0 is released but "
                         r".*1\.0\.0\.yaml is missing", m) for m in msgs), msgs


def test_item_ids_unique_across_instruments(instruments_copy):
    f = instruments_copy / "regional_synergy" / "1.0.0.yaml"
    g = instruments_copy / "regional_synergy" / "1.1.0.yaml"
    g.write_text(f.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.1.0")
                 .replace("- id: RS01", "- id: LP01").replace("[RS01,", "[LP01,")
                 .replace(", RS01,", ", LP01,"), encoding="utf-8")
    msgs = [str(p) for p in validate_instruments([instruments_copy]).problems]
    assert any("item id 'LP01' is also used by instrument 'local_protectionism'" in m
               for m in msgs), msgs


def test_file_level_problems(tmp_path, cli):
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("id: x\ntitle: café\n".encode("latin-1"))
    listy = tmp_path / "list.yaml"
    listy.write_text("- a\n- b\n", encoding="utf-8")
    check = validate_instruments([empty, latin, listy, tmp_path / "nope.yaml"])
    msgs = "\n".join(str(p) for p in check.problems)
    assert re.search(r"empty\.yaml:1:1: the file is empty", msgs)
    assert re.search(r"latin\.yaml:2:1: the file is not UTF-8 text", msgs)
    assert re.search(r"list\.yaml:1:1: \(top level\): an instrument file must be a mapping", msgs)
    assert re.search(r"nope\.yaml: no such file or folder", msgs)
    res = cli("instrument", "validate", str(empty), str(latin))
    assert res.exit_code == 1 and "Traceback" not in res.output


def test_draft_with_placeholder_changelog_is_noted(instruments_copy, cli):
    from surveykit.instrument.versions import new_version

    new_version("reward_punishment", "patch", root=instruments_copy)
    check = validate_instruments([instruments_copy])
    assert check.ok and check.drafts == ("reward_punishment@1.0.1",)
    assert "placeholder changelog" in check.notes[0]
    assert list(check.table.columns) == ["file", "line", "column", "key", "message"]


def test_missing_languages_reported_once(tmp_path):
    text = (HERE / "valid_mini.yaml").read_text(encoding="utf-8").replace(
        "languages: [zh, en]\n", "")
    p = tmp_path / "nolang.yaml"
    p.write_text(text, encoding="utf-8")
    msgs = [str(x) for x in validate_instruments([p]).problems]
    assert msgs == [f"{p.name}:2:1: (top level): missing required key 'languages' in the "
                    f"instrument. Add 'languages: ...'."] or (
        len(msgs) == 1 and "missing required key 'languages'" in msgs[0]), msgs


def test_plain_string_text_explains_per_language(tmp_path):
    text = (HERE / "valid_mini.yaml").read_text(encoding="utf-8").replace(
        "text: {zh: 第一题, en: First item}", "text: First item")
    p = tmp_path / "plain.yaml"
    p.write_text(text, encoding="utf-8")
    (prob,) = validate_instruments([p]).problems
    assert re.search(r"items\[0\] \(MN01\)\.text: must give the text per language, e\.g\. "
                     r"'text: \{zh: \.\.\.\}' with one entry for each of zh, en", str(prob))


@pytest.mark.parametrize("old, new, pattern", [
    ("    response: yes_no\n", "    response: yes_no\n    construct: mini.minni\n",
     r"items\[2\] \(MN03\)\.construct: construct 'mini\.minni' names scale 'minni', which is "
     r"not defined under 'scales'\. Did you mean 'mini\.mini'\?"),
    ("    response: yes_no\n", "    response: yes_no\n    construct: Mini Scale\n",
     r"'Mini Scale' is not a construct link; write 'instrument_id' or"),
])
def test_construct_links(tmp_path, old, new, pattern):
    p = tmp_path / "c.yaml"
    p.write_text((HERE / "valid_mini.yaml").read_text(encoding="utf-8").replace(old, new, 1),
                 encoding="utf-8")
    (prob,) = validate_instruments([p]).problems
    assert re.search(pattern, str(prob)), str(prob)


def test_construct_link_to_other_instrument_allowed(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text((HERE / "valid_mini.yaml").read_text(encoding="utf-8").replace(
        "    response: yes_no\n", "    response: yes_no\n    construct: regional_synergy\n", 1),
        encoding="utf-8")
    check = validate_instruments([p])
    assert check.ok and check.instruments[0].item("MN03").construct == "regional_synergy"
