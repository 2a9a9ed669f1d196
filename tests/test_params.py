"""The declared-constraint framework (surveykit/_params.py) and the renamed-field aliases."""
from __future__ import annotations

import dataclasses
import inspect
import warnings

import numpy as np
import pandas as pd
import pytest

from surveykit._params import (
    Boolean,
    Callables,
    ColumnName,
    InstanceOf,
    Interval,
    Names,
    Options,
    Renamed,
    constraints_of,
    describe,
    invalid_value,
    validate_params,
)
from surveykit.errors import ParameterError, check_choice, check_range
from surveykit.result import Provenance, Result


@validate_params({
    "missing": [Options("pairwise", "listwise")],
    "n_boot": [Interval(int, 2, None)],
    "level": [Interval(float, 0, 1, closed="neither")],
    "seed": [Interval(int, 0, None), None],
    "posthoc": [None, Options("tukey", "games_howell")],
    "flag": [bool],
    "progress": [callable, None],
    "group": [ColumnName(), None],
    "items": [Names(single=True), None],
    "estimator": [Options("ML", ignore_case=True)],
}, renamed={"n_resamples": "n_boot",
            "alpha": Renamed("level", convert=lambda a: 1 - a,
                             constraints=[Interval(float, 0, 1, closed="neither")])})
def fn(data, missing="pairwise", n_boot=1000, *, level=0.95, seed=None, posthoc=None,
       flag=False, progress=None, group=None, items=None, estimator="ML"):
    """Doc of fn.

    >>> 1
    1
    """
    return dict(missing=missing, n_boot=n_boot, level=level, seed=seed)


def test_keeps_name_doc_and_signature():
    assert fn.__name__ == "fn" and fn.__doc__.startswith("Doc of fn.")
    assert str(inspect.signature(fn)).startswith("(data, missing='pairwise', n_boot=1000, *")
    assert set(constraints_of(fn)) == {"missing", "n_boot", "level", "seed", "posthoc", "flag",
                                       "progress", "group", "items", "estimator"}


def test_valid_values_pass_positional_and_keyword():
    assert fn(None, "listwise", 5)["n_boot"] == 5
    assert fn(None, missing="listwise", n_boot=np.int64(3), seed=None)["missing"] == "listwise"
    fn(None, n_boot=4.0, seed=0, posthoc="tukey", flag=np.bool_(True), progress=print,
       group="school", items=("a", "b"), estimator="ml")
    fn(None, items="a")


@pytest.mark.parametrize("kw, message", [
    (dict(missing="omit"), r"^The 'missing' parameter of fn must be one of "
                           r"\{'pairwise', 'listwise'\}\. Got 'omit' instead\.$"),
    (dict(n_boot=1), r"^The 'n_boot' parameter of fn must be an integer >= 2\. Got 1 instead\.$"),
    (dict(n_boot=2.5), r"must be an integer >= 2\. Got 2.5 instead\.$"),
    (dict(n_boot=True), r"must be an integer >= 2\. Got True instead\.$"),
    (dict(n_boot="10"), r"must be an integer >= 2\. Got '10' instead\.$"),
    (dict(level=1), r"^The 'level' parameter of fn must be a number > 0 and < 1\. Got 1 instead\.$"),
    (dict(level=float("nan")), r"must be a number > 0 and < 1\. Got nan instead\.$"),
    (dict(seed=-1), r"^The 'seed' parameter of fn must be an integer >= 0 or None\. Got -1"),
    (dict(posthoc="scheffe"), r"must be one of \{None, 'tukey', 'games_howell'\}\. Got 'scheffe'"),
    (dict(flag=1), r"^The 'flag' parameter of fn must be True or False\. Got 1 instead\.$"),
    (dict(progress=3), r"must be a callable or None\. Got 3 instead\.$"),
    (dict(group=3), r"must be a column name or None\. Got 3 instead\.$"),
    (dict(items=[1]), r"must be a list of column names or None\. Got \[1\] instead\.$"),
    (dict(estimator="MLR"), r"must be one of \{'ML'\}\. Got 'MLR' instead\.$"),
])
def test_wrong_values_give_the_template(kw, message):
    with pytest.raises(ParameterError, match=message):
        fn(None, **kw)


def test_positional_wrong_value():
    with pytest.raises(ParameterError, match=r"'n_boot' parameter of fn .* Got 0 instead"):
        fn(None, "pairwise", 0)


def test_same_words_as_check_choice_and_check_range():
    msgs = []
    for call in (lambda: check_choice("fn", "missing", "omit", ("pairwise", "listwise")),
                 lambda: check_range("fn", "n_boot", 1, 2, integer=True),
                 lambda: check_range("fn", "level", 1, 0, 1, low_inclusive=False,
                                     high_inclusive=False),
                 lambda: fn(None, missing="omit"), lambda: fn(None, n_boot=1),
                 lambda: fn(None, level=1)):
        with pytest.raises(ParameterError) as e:
            call()
        msgs.append(str(e.value))
    assert msgs[:3] == msgs[3:]


def test_renamed_keyword_warns_and_is_used():
    with pytest.warns(FutureWarning, match=r"The 'n_resamples' parameter of fn is now called "
                                           r"'n_boot'; 'n_resamples' will be removed"):
        assert fn(None, n_resamples=7)["n_boot"] == 7
    with pytest.warns(FutureWarning, match=r"'alpha' parameter of fn is now called 'level' "
                                           r"\(its value converted\)"):
        assert fn(None, alpha=0.1)["level"] == pytest.approx(0.9)
    with pytest.raises(ParameterError, match=r"^The 'alpha' parameter of fn must be a number > 0 "
                                             r"and < 1\. Got 2 instead\.$"):
        fn(None, alpha=2)
    with pytest.raises(ParameterError, match=r"fn was given both 'n_resamples' and 'n_boot'"):
        fn(None, "pairwise", 5, n_resamples=7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fn(None, n_boot=7)  # the new name does not warn


def test_declaration_mistakes_fail_at_decoration():
    with pytest.raises(TypeError, match="does not have"):
        validate_params({"nope": [bool]})(lambda a=1: a)
    with pytest.raises(TypeError, match="breaks its declaration"):
        validate_params({"a": [Interval(int, 2, None)]})(lambda a=1: a)
    with pytest.raises(TypeError, match="does not fit"):
        validate_params({}, renamed={"b": "c"})(lambda a=1: a)


def test_options_do_not_mix_booleans_and_numbers():
    o = Options(False, True)
    assert o.accepts(np.bool_(False)) and not o.accepts(0) and not o.accepts(1.0)
    assert not Options(1, 2).accepts(True) and Options(1, 2).accepts(np.int64(2))
    assert Options("ML", ignore_case=True).canonical("ml") == "ML"


def test_describe_merges_options_and_none():
    assert describe([Options("a", "b"), Interval(int, 0, None)]) == \
        "one of {'a', 'b'} or an integer >= 0"
    assert describe([InstanceOf(pd.DataFrame, "a pandas DataFrame")]) == "a pandas DataFrame"


@pytest.mark.parametrize("constraints", [
    [Options("a", "b")], [Options(1, 2)], [Options(False, True)], [Interval(int, 1, None)],
    [Interval(float, 0, 1, closed="neither")], [Interval(float, None, 0)],
    [Interval(int, None, None)], [Boolean()], [Callables()], [ColumnName(), None],
    [Names(single=True)], [InstanceOf(pd.DataFrame, "a DataFrame")],
])
def test_every_constraint_derives_a_value_it_rejects(constraints):
    from surveykit._params import _make
    cs = [_make(c) for c in constraints]
    bad = invalid_value(cs)
    assert not any(c.accepts(bad) for c in cs)


# --- renamed Result fields -------------------------------------------------------------
@dataclasses.dataclass(frozen=True, kw_only=True)
class _Res(Result):
    p_value: float
    _renamed = {"pvalue": "p_value"}


def test_renamed_field_reads_with_a_warning():
    r = _Res(table=pd.DataFrame({"p_value": [0.5]}), provenance=Provenance(analysis="x"),
             p_value=0.5)
    with pytest.warns(FutureWarning, match=r"_Res.pvalue is now called 'p_value'; 'pvalue' will "
                                           r"be removed in surveykit 0\.3"):
        assert r.pvalue == 0.5
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        r.nope  # noqa: B018
    assert "_renamed" not in [f.name for f in dataclasses.fields(r)]
    import pickle
    assert pickle.loads(pickle.dumps(r)).p_value == 0.5


def test_declarations_do_not_import_numpy():
    """The instrument commands run without numpy/pandas; declaring their parameters keeps that."""
    import subprocess
    import sys

    code = ("import sys, surveykit._params, surveykit.instrument.load, surveykit.instrument.validate; "
            "print('numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
