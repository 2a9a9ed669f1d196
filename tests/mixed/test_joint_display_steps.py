"""The named steps of joint_display on their own (the whole display: test_joint_display.py)."""
from __future__ import annotations

import pandas as pd
import pytest

from surveykit.errors import QualError
from surveykit.mixed import DEFAULT_RULES, _match_groups, _rule_settings, default_rule


def test_match_groups_by_value_case_insensitive_and_by_group_map():
    survey = pd.Series([2, 1, None, 2, 3])
    notes = pd.Series(["Chengdu", "1", None, "chongqing", "2"], dtype=object)
    g = _match_groups(survey, notes, None, "PR01", "en", {3: "chongqing"})
    assert g.values == [1.0, 2.0, 3.0]
    # 1 and 2 match a note value by their text; 3 through group_map
    assert g.note_value == {1.0: None, 2.0: None, 3.0: "chongqing"}
    assert g.label == {1.0: "1.0", 2.0: "2.0", 3.0: "chongqing"}
    assert g.n_notes == 5 and list(g.note_values) == ["Chengdu", "1", "chongqing", "2"]


def test_match_groups_text_values_match_ignoring_case():
    g = _match_groups(pd.Series(["CHENGDU", "chongqing"]), pd.Series(["Chengdu", "Chongqing"]),
                      None, "region", "en", None)
    assert g.note_value == {"CHENGDU": "Chengdu", "chongqing": "Chongqing"}
    # without an instrument label a row shows the notes' spelling
    assert g.label == {"CHENGDU": "Chengdu", "chongqing": "Chongqing"}


def test_rule_settings_defaults_update_and_callable():
    rl, fn = _rule_settings({"min_segments": 5})
    assert rl == {**DEFAULT_RULES, "min_segments": 5} and fn is default_rule

    def mine(row, rules):
        return "expand", "mine"

    assert _rule_settings(mine) == (dict(DEFAULT_RULES), mine)
    with pytest.raises(QualError, match=r"Unknown rule setting 'min_segment'\..*Known: midpoint"):
        _rule_settings({"min_segment": 5})
