"""Fuzz (issue #15): instrument YAML and skip conditions never raise anything but a
SurveykitError with a message; the instrument parser returns problems, never raises."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from surveykit._yaml import YamlError, load_yaml
from surveykit.instrument.expressions import evaluate, parse
from surveykit.instrument.parse import build_instrument
from surveykit.instrument.source import parse_text
from tests.fuzzing import budget, clean, dump, replace_at, values, yaml_text

MINI_TEXT = (Path(__file__).resolve().parent / "valid_mini.yaml").read_text(encoding="utf-8")
MINI = load_yaml(MINI_TEXT, "valid_mini.yaml", typ="safe")


def build(text: str):
    src = parse_text(text, Path("f.yaml"), "f.yaml")
    ins, problems = build_instrument(src)
    assert all(str(p.message).strip() for p in problems)
    assert (ins is None) == bool(problems) or ins is not None
    return ins, problems


@budget(40)
@given(path=st.lists(st.text(max_size=3), min_size=1, max_size=5), value=values)
def test_instrument_with_a_value_replaced(path, value):
    build(dump(replace_at(MINI, path, value)))


@budget(40)
@given(text=yaml_text)
def test_instrument_yaml_text(text):
    build(text)
    build(MINI_TEXT + text)
    for comments in (True, False):
        try:
            load_yaml(text, "f.yaml", comments=comments)
        except YamlError as e:
            assert e.problem.message


TOKENS = ["A", "B", "C", "==", "!=", "<", "<=", ">", ">=", "and", "or", "not", "in", "(", ")",
          "[", "]", ",", "1", "-2.5", "'x'", '"y"', "=", "&&", "${A}", "AND", "f(", "1e999",
          "nan", " ", "\t", "😀", "'"]


@budget(150)
@given(tokens=st.lists(st.sampled_from(TOKENS), max_size=25))
def test_skip_conditions(tokens):
    frame = pd.DataFrame({"A": [1.0, 2.0, None], "B": [3.0, None, -99.0]})
    text = " ".join(tokens)
    e = clean(parse, text)
    if not isinstance(e, Exception):
        clean(evaluate, e, frame)
        clean(evaluate, e, frame, unknown=None)
