"""The named steps of pool_waves on their own (the whole pooling: test_waves.py)."""
import pandas as pd
import pytest

from surveykit.errors import ResponsesError
from surveykit.responses.model import MISSING_DTYPE
from surveykit.responses.waves import _stack, _target_versions


def test_target_versions_newest_by_semver_in_order_of_appearance():
    comps = [{"b": "1.9.0", "a": "1.0.0"}, {"a": "1.2.0", "b": "1.10.0"}, {"c": "2.0.0"}]
    assert _target_versions(comps) == {"b": "1.10.0", "a": "1.2.0", "c": "2.0.0"}
    assert list(_target_versions(comps)) == ["b", "a", "c"]


def _wave(keys, wave):
    idx = pd.Index(keys, name="respondent")
    vals = pd.DataFrame({"X1": range(len(keys))}, index=idx, dtype=float)
    miss = pd.DataFrame({"X1": pd.Categorical([None] * len(keys), dtype=MISSING_DTYPE)}, index=idx)
    raw = pd.DataFrame({"X1": [str(i) for i in range(len(keys))]}, index=idx)
    meta = pd.DataFrame({"wave": [wave] * len(keys)}, index=idx)
    return vals, miss, raw, meta


def test_stack_keeps_distinct_keys_and_relabels_repeated_ones():
    values, _, _, meta = _stack([_wave(["r1", "r2"], "1"), _wave(["r3"], "2")])
    assert values.index.tolist() == ["r1", "r2", "r3"]
    values, missing, raw, meta = _stack([_wave(["r1", "r2"], "1"), _wave(["r1"], "2")])
    assert values.index.tolist() == ["1:r1", "1:r2", "2:r1"]
    assert missing.index.equals(values.index) and raw.index.equals(values.index)
    assert meta.index.equals(values.index) and values.index.name == "respondent"


def test_stack_refuses_keys_that_repeat_even_with_wave_labels():
    with pytest.raises(ResponsesError, match=r"respondent keys repeat across waves even with wave "
                                             r"labels \(1:r1\)\. Give each wave a distinct label"):
        _stack([_wave(["r1"], "1"), _wave(["r1"], "1")])
