"""Issue #15: a rules file (and a mapping file) is read by the package's safe YAML loader —
deep nesting and alias bombs are one located problem, never RecursionError or a hang;
`seconds_per_item: .inf` is refused like any value out of range."""
from __future__ import annotations

import time

import pytest

import surveykit as sk
from surveykit.errors import ResponsesError, ValidationError
from tests.test_yaml import billion_laughs


def write(tmp_path, text: str, name: str = "rules.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_deep_rules_file(tmp_path):
    p = write(tmp_path, "rules:\n  - rule: speeders\n    x: " + "[" * 3000 + "]" * 3000 + "\n")
    with pytest.raises(ValidationError, match=r"rules\.yaml:3:\d+: not valid YAML: YAML nested more "
                                              r"than 50 levels deep"):
        sk.load_rules(p)


def test_alias_bomb_in_rules_file(tmp_path):
    p = write(tmp_path, billion_laughs() + "rules:\n  - rule: speeders\n")
    t0 = time.perf_counter()
    with pytest.raises(ValidationError, match=r"rules\.yaml:\d+:\d+: not valid YAML: YAML refused: "
                                              r"its aliases \(\*name\) expand it"):
        sk.load_rules(p)
    assert time.perf_counter() - t0 < 5


def test_infinite_seconds_per_item(tmp_path):
    p = write(tmp_path, "rules:\n  - rule: speeders\n    seconds_per_item: .inf\n    action: exclude\n")
    # located, naming the setting (the wording is the rules file's own, docs/cleaning.md)
    with pytest.raises(ValidationError, match=r"rules\.yaml:\d+:5: .*seconds_per_item.*inf"):
        sk.load_rules(p)


def test_alias_bomb_in_mapping_file(tmp_path):
    from surveykit.responses.mapping import load_mapping

    p = write(tmp_path, billion_laughs() + "columns: {}\n", "map.yaml")
    with pytest.raises(ResponsesError, match=r"map\.yaml is not valid YAML \(map\.yaml:\d+:\d+: YAML "
                                             r"refused: its aliases"):
        load_mapping(p, sk.load_instrument("local_protectionism"))
