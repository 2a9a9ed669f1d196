"""Every public function's docstring has a runnable example and names its R equivalent.

(a) The doctests of every module that defines a public function (``surveykit._EXPORTS``) run
    and give what they show (``ELLIPSIS`` and ``NORMALIZE_WHITESPACE`` on, as written in the
    examples' own directives).
(b) Every public function has an ``Examples`` section with at least one example that runs
    (not all ``# doctest: +SKIP``) and one line ``R equivalent: ``...```` — or, for a function
    R has nothing for (file import, surveykit's own file formats), ``R equivalent: none
    (reason)``.
"""
from __future__ import annotations

import doctest
import importlib
import inspect
import re

import pytest

import surveykit as sk

PUBLIC = {n: getattr(sk, n) for n in sorted(sk._EXPORTS) if inspect.isfunction(getattr(sk, n))}
MODULES = sorted({inspect.unwrap(f).__module__ for f in PUBLIC.values()})

#: one form for every public function (numpydoc "Notes" section)
R_LINE = re.compile(r"^\s*R equivalent: (``[^`]+``|none \(.+)", re.M)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _examples(func) -> list[doctest.Example]:
    tests = doctest.DocTestFinder(recurse=False).find(inspect.unwrap(func), globs={})
    return [e for t in tests for e in t.examples]


def test_the_public_functions_and_their_modules_are_found():
    assert len(PUBLIC) >= 38 and len(MODULES) >= 20


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an example that writes files writes here
    mod = importlib.import_module(module)
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    tests = [t for t in finder.find(mod, module) if t.examples]
    assert tests, f"{module} has no docstring examples"
    out: list[str] = []
    for t in tests:
        runner.run(t, out=out.append)
    res = runner.summarize(verbose=False)
    assert res.failed == 0, "".join(out)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_public_function_has_a_running_example_and_its_r_equivalent(name):
    func = PUBLIC[name]
    doc = inspect.getdoc(inspect.unwrap(func)) or ""
    problems = []
    if not re.search(r"^Examples\n--------$", doc, re.M):
        problems.append("no 'Examples' section")
    live = [e for e in _examples(func) if not e.options.get(doctest.SKIP)]
    if not live:
        problems.append("no example that runs (all missing or +SKIP)")
    if not R_LINE.search(doc):
        problems.append("no 'R equivalent: ``...``' line (or 'R equivalent: none (reason)')")
    assert not problems, f"sk.{name}: " + "; ".join(problems)
