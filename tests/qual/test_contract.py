"""Every qualitative/mixed Result keeps the Result contract (frozen, tidy table,
summary, HTML, provenance)."""
from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.result import Result

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def results(example):
    notes = sk.read_notes(example / "notes")
    cb = sk.load_codebook(example / "codebook.yaml")
    cod = sk.load_codings(example / "codings", notes=notes, codebook=cb)
    rng = np.random.default_rng(1)
    scores = pd.DataFrame({"PR01": rng.integers(1, 3, 80),
                           "administrative_barriers": rng.normal(3.3, 0.7, 80)})
    return {
        "check_codings": sk.check_codings(cod, notes),
        "code_frequencies": sk.code_frequencies(cod, notes, by="region"),
        "code_cooccurrence": sk.code_cooccurrence(cod, notes),
        "agreement": sk.agreement(cod, notes, level="segment"),
        "joint_display": sk.joint_display(scores, "PR01", cb, cod, notes,
                                          group_map={1: "chengdu", 2: "chongqing"}),
    }


@pytest.mark.parametrize("name", ["check_codings", "code_frequencies", "code_cooccurrence",
                                  "agreement", "joint_display"])
def test_result_contract(results, name):
    res = results[name]
    assert isinstance(res, Result) and dataclasses.is_dataclass(res)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.title = "x"
    t = res.table
    assert isinstance(t, pd.DataFrame) and len(t)
    assert all(SNAKE.match(c) for c in t.columns), list(t.columns)
    for col in t.columns:
        assert not t[col].map(lambda v: isinstance(v, (list, tuple, set, dict, np.ndarray))).any(), col
    assert res.summary() and "<table" in res._repr_html_()
    assert res.provenance.analysis == name
    assert res.provenance.surveykit_version
