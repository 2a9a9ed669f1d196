"""One generated test over every public function: a wrong value gives the one template message.

For every function exported by ``surveykit`` (``surveykit._EXPORTS``) the declared parameter
constraints are read with :func:`surveykit._params.constraints_of`; each declared parameter
is fed a value derived from its own constraints that none of them accepts (a wrong option
string, a number outside the interval, a wrong type, ...), and the call must raise
:class:`~surveykit.errors.ParameterError` with the package's one template::

    The 'missing' parameter of reliability must be one of {'pairwise', 'listwise'}. Got 'omit' instead.

The check runs before the function body, so no data are needed. A public function without
declarations fails :func:`test_every_public_function_declares_its_parameters`; the only
exemptions are functions without a parameter to check, each listed with its reason.
"""
from __future__ import annotations

import inspect
import re

import pytest

import surveykit as sk
from surveykit._params import _NO_INVALID, constraints_of, describe, invalid_value
from surveykit.errors import ParameterError

#: public functions without a parameter that a declaration could check, and why
EXEMPT: dict[str, str] = {}

PUBLIC = sorted(n for n in sk._EXPORTS if inspect.isfunction(getattr(sk, n)))

CASES = [(name, param) for name in PUBLIC for param in constraints_of(getattr(sk, name))]

ALIASES = [(name, old) for name in PUBLIC
           for old, spec in getattr(getattr(sk, name), "__param_renamed__", {}).items()
           if spec.constraints]


def _template(func: str, param: str, expected: str) -> str:
    return (rf"^The '{re.escape(param)}' parameter of {re.escape(func)} must be "
            rf"{re.escape(expected)}\. Got .+ instead\.$")


def test_the_public_functions_are_found():
    assert len(PUBLIC) >= 38
    assert {"reliability", "read_responses", "clean", "score", "agreement", "joint_display",
            "mediation", "simulate_study"} <= set(PUBLIC)


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_function_declares_its_parameters(name):
    func = getattr(sk, name)
    if name in EXEMPT:
        assert not constraints_of(func), f"{name} declares parameters now; drop its exemption"
        return
    assert constraints_of(func), (
        f"sk.{name} declares no parameter constraints: decorate it with "
        f"surveykit._params.validate_params (or list it in EXEMPT with the reason)")
    assert getattr(func, "__param_name__", None) == name, \
        f"sk.{name} reports its errors under another name"


@pytest.mark.parametrize("name, param", CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_a_wrong_value_gives_the_template(name, param):
    func = getattr(sk, name)
    cs = constraints_of(func)[param]
    bad = invalid_value(cs)
    assert bad is not _NO_INVALID, f"{name}({param}=...): no value violates {cs}"
    assert not any(c.accepts(bad) for c in cs)
    with pytest.raises(ParameterError, match=_template(name, param, describe(cs))):
        func(**{param: bad})


@pytest.mark.parametrize("name, old", ALIASES, ids=[f"{n}-{o}" for n, o in ALIASES])
def test_a_wrong_value_under_an_old_name_gives_the_template(name, old):
    spec = getattr(sk, name).__param_renamed__[old]
    bad = invalid_value(spec.constraints)
    with pytest.raises(ParameterError, match=_template(name, old, describe(spec.constraints))):
        getattr(sk, name)(**{old: bad})


def test_a_data_object_is_named_by_its_type_not_printed():
    """A frame or Responses passed where another object belongs is shown by its type name
    (its repr would fill the screen)."""
    import pandas as pd

    frame = pd.DataFrame({"a": range(1000)})
    with pytest.raises(ParameterError, match=r"^The 'responses' parameter of clean must be a "
                                             r"Responses \(from surveykit\.read_responses\)\. "
                                             r"Got DataFrame instead\.$"):
        sk.clean(frame, [])
