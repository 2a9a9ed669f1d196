"""Fuzz (issue #15): a rules file never raises anything but a SurveykitError with a message
(values of any type where a number, a name or a list belongs; broken YAML text)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import surveykit as sk
from surveykit.cleaning.kinds import RULE_TYPES
from tests.fuzzing import EDGE_TEXT, budget, clean, dump, values, yaml_text

KEYS = ["rule", "action", "name", "by", "min_answered", "seconds_per_item", "threshold", "items",
        "below", "above", "p", "scales", "critval", "anto", "max_failed", "missing_fails",
        "max_share", "reasons", "max_invalid", "x"]
rule_values = st.one_of(values, st.sampled_from([*RULE_TYPES, "flag", "exclude", "both", "LP01",
                                                 ["LP01", "LP02"], *EDGE_TEXT]))
rule = st.dictionaries(st.sampled_from(KEYS), rule_values, max_size=5).map(
    lambda d: d if "rule" in d else {"rule": "speeders", **d})


@budget(60)
@given(rules=st.lists(rule, max_size=4), top=st.sampled_from([None, "rules", "list"]), raw=yaml_text)
def test_rules_file(rules, top, raw):
    d = Path(tempfile.mkdtemp(prefix="sk-fuzz-"))
    try:
        doc = rules if top == "list" else ({"rules": rules, "study": "x"} if top else {"rules": rules})
        (d / "r.yaml").write_text(dump(doc), encoding="utf-8")
        clean(sk.load_rules, d / "r.yaml")
        (d / "raw.yaml").write_text(raw, encoding="utf-8")
        clean(sk.load_rules, d / "raw.yaml")
    finally:
        shutil.rmtree(d)
