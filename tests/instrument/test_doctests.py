"""The examples in the instrument modules' docstrings run as written."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["surveykit.instrument.checker", "surveykit.instrument.expressions", "surveykit.instrument.load",
           "surveykit.instrument.diff", "surveykit.instrument.versions",
           "surveykit.instrument.export.codebook", "surveykit.instrument.export.wjx",
           "surveykit.instrument.validate", "surveykit.instrument.writer",
           "surveykit.instrument.imports", "surveykit.instrument.imports.xlsform",
           "surveykit.instrument.render"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples load the shipped study instruments
    res = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert res.failed == 0
