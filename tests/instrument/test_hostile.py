"""Issue #15, instrument side: hostile or broken instrument and lock files give located
problems (file:line:column) — never a traceback, a hang or a silently accepted value."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import surveykit as sk
from surveykit.errors import InstrumentError, ValidationError
from surveykit.instrument.expressions import MAX_NESTING, ExpressionError, parse
from surveykit.instrument.validate import validate_instruments

HERE = Path(__file__).resolve().parent
MINI = (HERE / "valid_mini.yaml").read_text(encoding="utf-8")


def tree(tmp_path: Path, text: str = MINI, iid: str = "mini", version: str = "1.0.0") -> Path:
    f = tmp_path / "instruments" / iid / f"{version}.yaml"
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_text(text, encoding="utf-8")
    return f


def messages(check) -> str:
    return "\n".join(str(p) for p in check.problems)


# -- option codes and bounds -----------------------------------------------------------------
@pytest.mark.parametrize("code, pattern", [
    (".nan", r"options\.nan: option code nan is not a number \(\.nan\); write the code stored"),
    (".inf", r"options\.inf: option code inf is infinite \(\.inf\); write a finite number"),
    ("-.inf", r"options\.-inf: option code -inf is infinite"),
    ("1" * 400, r"options\.1{23}…: option code 1{23}… is too large \(400 digits\); codes and bounds have at most "
                r"15 digits"),
    ("1.0e+300", r"options\.1e\+300: option code 1e\+300 is too large \(1e\+300\)"),
])
def test_non_finite_or_absurd_option_codes_are_problems(tmp_path, code, pattern):
    f = tree(tmp_path, MINI.replace("      5: {zh: 非常同意", f"      {code}: {{zh: 非常同意"))
    check = validate_instruments([f])
    assert not check.ok
    assert re.search(rf"1\.0\.0\.yaml:15:7: response_scales\.agree5\.{pattern}", messages(check)), \
        messages(check)


def test_non_finite_missing_code_bound_and_attention_check(tmp_path):
    text = (MINI.replace("-99: {kind: refused", ".nan: {kind: refused")
            .replace("    reverse: true\n", "    reverse: true\n    attention_check: .inf\n")
            .replace("  yes_no:\n", "  amount:\n    type: numeric\n    min: 0\n    max: .inf\n"
                                    "  yes_no:\n"))
    msg = messages(validate_instruments([tree(tmp_path, text)]))
    assert re.search(r":17:7: response_scales\.agree5\.missing\.nan: missing code nan is not a "
                     r"number \(\.nan\)", msg), msg
    assert re.search(r"response_scales\.amount\.max: inf is infinite \(\.inf\); write a finite "
                     r"number; leave 'max' out for no bound", msg), msg
    assert re.search(r"attention_check: must be the expected answer code \(a finite number\), "
                     r"is infinite", msg), msg


def test_finite_large_codes_still_valid(tmp_path):
    f = tree(tmp_path, MINI.replace("-99: {kind: refused", "-999999999999999: {kind: refused"))
    assert validate_instruments([f]).ok


# -- id and version must match the folder, also when loading --------------------------------
def test_load_instrument_refuses_id_that_differs_from_its_folder(tmp_path):
    f = tree(tmp_path, iid="other")
    pat = (r"other/1\.0\.0\.yaml:2:5: id: 'mini' does not match its folder 'other'\. Keep each "
           r"instrument in a folder named after its id")
    with pytest.raises(ValidationError, match=pat):
        sk.load_instrument(f.parent)
    with pytest.raises(ValidationError, match=pat):
        sk.load_instrument("other", root=tmp_path / "instruments")
    with pytest.raises(ValidationError, match=r"version: '1\.0\.0' does not match the file name "
                                              r"'1\.2\.0\.yaml'"):
        sk.load_instrument(tree(tmp_path, version="1.2.0", iid="mini"))


# -- the lock file ---------------------------------------------------------------------------
@pytest.mark.parametrize("lock, pattern", [
    ("mini: 5\n", r"instruments\.lock:1:7: mini: expected 'version: sha256' lines"),
    ("mini:\n  1.0.0: [1, 2]\n", r"instruments\.lock:2:10: mini 1\.0\.0: the recorded SHA-256 must "
                                 r"be 64 hex digits, got \[1, 2\]"),
    ("mini:\n  1.0.0: 12345\n", r"the recorded SHA-256 must be 64 hex digits, got 12345"),
    ("mini:\n  ? [1, 2]\n  : x\n", r"instruments\.lock:2:5: mini: \(1, 2\) is not a version such "
                                   r"as 1\.0\.0"),
    ("? [a]\n: {1.0.0: x}\n", r"\('a',\) is not an instrument id"),
    ("mini: {'../../etc': x}\n", r"mini: '\.\./\.\./etc' is not a version such as 1\.0\.0"),
    ("mini: {1.0.0: 2020-01-01}\n", r"got datetime\.date\(2020, 1, 1\)"),
    ("[a, b]\n", r"instruments\.lock:1:1: the lock file must map instrument ids to"),
    ("mini:\n  1.0.0: x\n  1.0.0: y\n", r"instruments\.lock:3:3: the lock file cannot be read: YAML "
                                        r"error: key '1\.0\.0' appears twice"),
])
def test_lock_with_wrong_types_is_a_located_problem(tmp_path, cli, lock, pattern):
    f = tree(tmp_path)
    (f.parent.parent / "instruments.lock").write_text(lock, encoding="utf-8")
    check = validate_instruments([f.parent.parent])
    assert not check.ok
    assert re.search(pattern + r".*Restore it from git", messages(check)), messages(check)
    res = cli("instrument", "validate", str(f.parent.parent))
    assert res.exit_code == 1 and "Traceback" not in res.output
    with pytest.raises(InstrumentError, match=pattern):
        sk.load_instrument("mini", root=f.parent.parent)


def test_deleted_lock_file_is_noticed(instruments_copy, cli):
    assert validate_instruments([instruments_copy]).ok
    (instruments_copy / "instruments.lock").unlink()
    check = validate_instruments([instruments_copy])
    pat = (r"instruments\.lock: no lock file, yet local_protectionism has version\(s\) 1\.0\.0, "
           r"1\.1\.0 that only come from a release .* Restore it from git")
    assert re.search(pat, messages(check)), messages(check)
    res = cli("instrument", "validate", str(instruments_copy))
    assert res.exit_code == 1 and "no lock file" in res.output


def test_new_project_without_lock_is_fine(tmp_path):
    f = tree(tmp_path)
    assert validate_instruments([f.parent.parent]).ok


# -- deep YAML, alias bombs, deep skip conditions --------------------------------------------
def test_deeply_nested_instrument_yaml_is_a_problem(tmp_path):
    text = MINI + "description: " + "[" * 3000 + "]" * 3000 + "\n"
    check = validate_instruments([tree(tmp_path, text)])
    assert re.search(r"1\.0\.0\.yaml:\d+:\d+: YAML nested more than 50 levels deep", messages(check))


def test_alias_bomb_in_instrument_is_a_problem(tmp_path):
    from tests.test_yaml import billion_laughs

    text = MINI + "x_bomb:\n" + "".join("  " + line + "\n" for line in billion_laughs().splitlines())
    check = validate_instruments([tree(tmp_path, text)])
    assert re.search(r":\d+:\d+: YAML refused: its aliases \(\*name\) expand it to more than "
                     r"1,000,000 values", messages(check)), messages(check)


@pytest.mark.parametrize("text", ["not " * 5000 + "MN01 == 1", "(" * 5000 + "MN01 == 1" + ")" * 5000,
                                  "not (" * 3000 + "MN01 == 1" + ")" * 3000])
def test_deep_skip_condition_is_an_expression_error(text):
    with pytest.raises(ExpressionError, match=rf"the condition nests 'not' and parentheses more "
                                              rf"than {MAX_NESTING} deep; simplify it"):
        parse(text)


def test_deep_skip_condition_in_instrument_is_located(tmp_path):
    cond = "(" * 60 + "MN03 == 1" + ")" * 60
    check = validate_instruments([tree(tmp_path, MINI.replace("relevant: MN03 == 1",
                                                              f"relevant: '{cond}'"))])
    assert re.search(r":36:\d+: items\[3\] \(MN04\)\.relevant: cannot read the skip condition .* "
                     r"nests 'not' and parentheses more than 50 deep", messages(check))
    assert parse("(" * MAX_NESTING + "A == 1" + ")" * MAX_NESTING).items == ("A",)


# -- size limit --------------------------------------------------------------------------------
def test_instrument_size_limit(tmp_path, monkeypatch):
    from surveykit.instrument import spec

    monkeypatch.setattr(spec, "MAX_ITEMS", 3)
    check = validate_instruments([tree(tmp_path)])
    assert re.search(r"1\.0\.0\.yaml:24:3: items: the instrument has 4 items, more than surveykit "
                     r"reads in one instrument \(3\)\. Split it into several instruments",
                     messages(check)), messages(check)
    assert len(check.problems) == 1      # the items themselves are not checked one by one


def test_many_items_validate(tmp_path):
    head, _, _ = MINI.partition("items:\n")
    items = "".join(f"  - id: X{i:05d}\n    response: agree5\n    text: {{zh: 题{i}, en: Item {i}}}\n"
                    for i in range(3000))
    scales = "scales:\n" + "".join(f"  - id: s{k}\n    name: {{zh: 量{k}, en: S{k}}}\n    items: ["
                                   + ", ".join(f"X{k * 10 + j:05d}" for j in range(10)) + "]\n"
                                   for k in range(300))
    ins = sk.load_instrument(tree(tmp_path, head + "items:\n" + items + scales))
    assert len(ins.items) == 3000 and ins.item("X02999").construct == "mini.s299"
