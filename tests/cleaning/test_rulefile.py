"""Rules declared in YAML: parsing, every problem reported at once with file:line."""
import pytest

import surveykit as sk
from surveykit.cleaning import IRV, AttentionChecks, Duplicates, Speeders, TooMuchMissing
from surveykit.errors import ParameterError, ValidationError

GOOD = """\
# cleaning rules of the toy study
study: toy
rules:
  - rule: duplicates
    by: answers
  - rule: speeders
    seconds_per_item: 1.5
    action: exclude
  - rule: irv
    name: irv_low
    below: 0.4
  - rule: missing
    max_share: 0.3
    reasons: [empty, refused]
  - rule: attention
"""


def write(tmp_path, text, name="rules.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_load_rules(tmp_path):
    rules = sk.load_rules(write(tmp_path, GOOD))
    assert rules == (Duplicates(by="answers"), Speeders(seconds_per_item=1.5, action="exclude"),
                     IRV(name="irv_low", below=0.4),
                     TooMuchMissing(max_share=0.3, reasons=("empty", "refused")), AttentionChecks())
    assert type(rules[1].seconds_per_item) is float


def test_bare_list_is_accepted(tmp_path):
    assert sk.load_rules(write(tmp_path, "- rule: speeders\n")) == (Speeders(),)


def test_all_problems_at_once_with_lines(tmp_path):
    text = ("rules:\n"
            "  - rule: speeder\n"
            "  - rule: irv\n"
            "    bellow: 0.3\n"
            "  - rule: mahalanobis\n"
            "    p: 2\n"
            "  - just text\n")
    with pytest.raises(ValidationError) as e:
        sk.load_rules(write(tmp_path, text))
    msg = str(e.value)
    assert "rules.yaml: 4 problem(s) in the cleaning rules:" in msg
    assert "rules.yaml:2:5: unknown rule 'speeder'. Did you mean 'speeders'?" in msg
    assert "rules.yaml:4:5: rule 'irv' has no setting 'bellow'. Did you mean 'below'?" in msg
    assert ("rules.yaml:5:5: The 'p' parameter of mahalanobis must be a number > 0 and < 1. "
            "Got 2 instead.") in msg
    assert "rules.yaml:7:5: each rule must be a mapping with a 'rule:' key" in msg


def test_threshold_out_of_range_in_yaml_names_line(tmp_path):
    with pytest.raises(ValidationError, match=r"rules.yaml:2:5: The 'seconds_per_item' parameter of "
                                              r"speeders must be a number > 0\. Got -2 instead\."):
        sk.load_rules(write(tmp_path, "rules:\n  - rule: speeders\n    seconds_per_item: -2\n"))


@pytest.mark.parametrize("text, message", [
    ("rules: [\n", r"rules.yaml:2:1: not valid YAML"),
    ("", r"rules.yaml:1:1: the file declares no rules"),
    ("study: x\n", r"no 'rules:' list found"),
    ("rule: speeders\n", r"rules.yaml:1:1: unknown top-level key 'rule'"),
    ("rules: speeders\n", r"expected a list of rules under 'rules:'"),
    ("rules:\n  - rule: irv\n  - rule: irv\n", r"rule name 'irv' is used twice; give one of them a 'name:'"),
])
def test_bad_files(tmp_path, text, message):
    with pytest.raises(ValidationError, match=message):
        sk.load_rules(write(tmp_path, text))


def test_missing_file_and_encoding(tmp_path):
    with pytest.raises(ParameterError, match=r"The 'path' parameter of load_rules must be an existing "
                                             r"YAML file\. Got '.*nope.yaml' instead\."):
        sk.load_rules(tmp_path / "nope.yaml")
    p = tmp_path / "gbk.yaml"
    p.write_bytes("# 清洗规则\nrules:\n  - rule: speeders\n".encode("gbk"))
    with pytest.raises(ValidationError, match=r"gbk.yaml: not UTF-8 text; save the rules file as UTF-8"):
        sk.load_rules(p)


# -- hostile rule files (#15): shape checked with file, line, rule and fix; never a traceback
BIG = "9" * 400


@pytest.mark.parametrize("text,message", [
    (f"rules:\n  - rule: speeders\n    seconds_per_item: {BIG}\n",
     r"rules.yaml:3:5: rule 'speeders', setting 'seconds_per_item': a number of 400 digits is "
     r"not a usable value\. Write a plain number, e.g\. 'seconds_per_item: 2\.0'"),
    (f"rules:\n  - rule: longstring\n    threshold: {BIG}\n",
     r"rules.yaml:3:5: rule 'longstring', setting 'threshold': a number of 400 digits"),
    ("rules:\n  - rule: speeders\n    seconds_per_item: .inf\n",
     r"rules.yaml:3:5: rule 'speeders', setting 'seconds_per_item': .inf is not a finite number\. "
     r"Write a plain number, e.g\. 'seconds_per_item: 2\.0'"),
    ("rules:\n  - rule: irv\n    name: [a, b]\n",
     r"rules.yaml:3:5: rule 'irv', setting 'name': a list where one value belongs\. Write one "
     r"name, e.g\. 'name: irv_strict'"),
    ("rules:\n  - rule: duplicates\n    by: {answers: 1}\n",
     r"rules.yaml:3:5: rule 'duplicates', setting 'by': a mapping where one value belongs\. "
     r"Write one value, e.g\. 'by: both'"),
    ("rules:\n  - rule: [speeders]\n",
     r"rules.yaml:2:5: 'rule:' must name one rule kind \(e\.g\. 'rule: speeders'\); got a list"),
    ("rules:\n  - rule: irv\n    items: [A1, [B2]]\n",
     r"rules.yaml:3:5: rule 'irv', setting 'items': a list inside the list\. Write item ids, "
     r"e\.g\. 'items: \[A1, A2\]'"),
    ("rules:\n  - rule: irv\n    ? [a]\n    : 1\n",
     r"rules.yaml:3:7: rule 'irv': a setting name must be a word, got a list\. Settings: action"),
    ("instrument: [[toy]]\nrules:\n  - rule: irv\n",
     r"rules.yaml:1:1: 'instrument:' must name instrument ids \(e\.g\. 'instrument: toy' or "
     r"'instrument: \[part_a, part_b\]'\)"),
])
def test_hostile_rule_values_are_located_problems(tmp_path, text, message):
    with pytest.raises(ValidationError, match=message):
        sk.load_rules(write(tmp_path, text))

