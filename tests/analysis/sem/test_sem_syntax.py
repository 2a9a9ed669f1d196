"""lavaan model syntax parser and parameter table defaults."""
from __future__ import annotations

import pytest

from surveykit.analysis.sem.partable import build_partable
from surveykit.analysis.sem.syntax import ModelSyntaxError, parse_model


def test_modifiers_comments_continuation():
    terms = parse_model("""# comment line
    agree =~ A1 + A2 +
       A3 + c(a, b)*A4 + NA*A5 ; x1 ~~ 0.3*x2   ! other comment
    f2 =~ y1
      + start(0.5)*y2 + lab*y3
    y1 ~ 0*1
    """)
    got = [(t.lhs, t.op, t.rhs, t.fixed, t.free, t.label) for t in terms]
    assert got == [
        ("agree", "=~", "A1", (None,), (False,), ("",)),
        ("agree", "=~", "A2", (None,), (False,), ("",)),
        ("agree", "=~", "A3", (None,), (False,), ("",)),
        ("agree", "=~", "A4", (None,), (False,), ("a", "b")),
        ("agree", "=~", "A5", (None,), (True,), ("",)),
        ("x1", "~~", "x2", (0.3,), (False,), ("",)),
        ("f2", "=~", "y1", (None,), (False,), ("",)),
        ("f2", "=~", "y2", (None,), (False,), ("",)),
        ("f2", "=~", "y3", (None,), (False,), ("lab",)),
        ("y1", "~1", "", (0.0,), (False,), ("",)),
    ]


@pytest.mark.parametrize("model,match", [
    ("f =~ x1 + x2 + x3\nf ~ x4", r"model line 2: 'f ~ x4' is a regression"),
    ("f =~ x1 + x2 + x3\nx1 x2", r"model line 2: 'x1 x2' has no operator"),
    ("f =~ x1 + x2 + 2x3", r"model line 1: '2x3' is not a valid variable name"),
    ("f =~ x1 + x2 + x3 +", r"has an empty term"),
    ("f =~ x1 + x2 + x3\nd := a*b", r"model line 2: the operator ':=' .* is not supported"),
    ("f =~ x1 + x2 + equal('a')*x3", r"the modifier \"equal\('a'\)\" is not supported"),
    ("f =~ x1 + x2 + 1e*x3", r"cannot read the modifier '1e'"),
    ("", r"The model text has no formulas"),
    ("x1 ~~ x2", r"The model defines no latent variable"),
])
def test_syntax_errors(model, match):
    with pytest.raises(ModelSyntaxError, match=match):
        build_partable(parse_model(model))


@pytest.mark.parametrize("model,match", [
    ("f =~ x1 + x2 + x3\nf =~ x3", r"model line 2: 'f =~ x3' is given twice \(also on line 1\)"),
    ("f =~ x1 + x2 + x3\nx4 ~~ x1", r"model line 2: x4 in 'x4 ~~ x1' is not an indicator"),
    ("f =~ x1 + x2 + x3\ng =~ f + x4 + x5", r"second-order model"),
    ("f =~ x1 + x2 + x3\nf ~~ x1", r"joins a factor and an item"),
    ("f =~ x1 + x2 + c(a, b, c)*x3", r"has 3 labels but the data have 1 group\."),
])
def test_model_errors(model, match):
    with pytest.raises(ModelSyntaxError, match=match):
        build_partable(parse_model(model))


def test_intercepts_without_a_mean_structure_name_the_line_and_the_fix():
    # sk.sem/cfa fit a mean structure when the model has '~ 1' (as lavaan); the ordinal
    # (WLSMV) engine has none, so there the line is refused with what to do.
    with pytest.raises(ModelSyntaxError, match=r"model line 2: intercepts \('~ 1'\) need a mean "
                                               r"structure.*Drop the line.*estimator='MLR'"):
        build_partable(parse_model("f =~ x1 + x2 + x3\nx1 ~ 1"), meanstructure=False)


def test_lavaan_defaults_single_group():
    pt = build_partable(parse_model("f =~ x1 + x2 + x3\ng =~ x4 + x5 + x6\nx1 ~~ x4"))
    rows = [(r.lhs, r.op, r.rhs, r.free >= 0, r.value) for r in pt.rows]
    assert rows[0] == ("f", "=~", "x1", False, 1.0)          # marker
    assert rows[1][3] and rows[3] == ("g", "=~", "x4", False, 1.0)
    assert ("x1", "~~", "x4", True, 0.0) in rows              # user residual covariance
    assert ("f", "~~", "g", True, 0.0) in rows                # factor covariance by default
    assert not pt.meanstructure and pt.n_free == 6 - 2 + 6 + 1 + 3


def test_std_lv_and_equal_and_labels():
    pt = build_partable(parse_model("f =~ x1 + a*x2 + a*x3"), std_lv=True)
    r = {(x.lhs, x.op, x.rhs): x for x in pt.rows}
    assert r[("f", "=~", "x1")].free >= 0 and r[("f", "~~", "f")].free < 0
    assert r[("f", "=~", "x2")].free == r[("f", "=~", "x3")].free
    pt2 = build_partable(parse_model("f =~ x1 + x2 + x3"), n_groups=2,
                         equal=("loadings", "intercepts"))
    lat = [x for x in pt2.rows if x.lhs == "f" and x.op == "~1"]
    assert [x.free >= 0 for x in lat] == [False, True]      # latent mean free in group 2
    ints = [x.free for x in pt2.rows if x.lhs == "x2" and x.op == "~1"]
    assert ints[0] == ints[1] >= 0
