"""The examples in the report modules' docstrings run and give what they show."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["tables", "i18n", "manifest", "figures", "builder", "fonts", "sample", "runner",
           "writer", "html", "docx", "heatmaps", "figstyle", "progress", "model", "methods",
           "process_tables", "process_figures", "path_diagram", "hierarchical_table",
           "check_tables", "presentation", "docx_style", "sem_tables", "invariance_tables",
           "sem_prose", "factor_tables", "factor_prose"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)   # examples that write files write here
    mod = importlib.import_module(f"surveykit.report.{name}")
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert res.failed == 0
