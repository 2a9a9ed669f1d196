"""cfa on the bundled (simulated) example study: a Responses in, instrument provenance out."""
from __future__ import annotations

import warnings

import pytest

import surveykit as sk
from surveykit.analysis.sem.syntax import cfa_model


@pytest.fixture(scope="module")
def wave1():
    datasets = pytest.importorskip("surveykit.datasets")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return datasets.load_example_wave(1, key="example")


def test_cfa_model_from_instrument_and_responses(wave1):
    model = cfa_model(wave1.instrument, ["competence_trust", "goodwill_trust",
                                            "local_protectionism.market_barriers"])
    assert model.splitlines()[0] == "competence_trust =~ IT01 + IT02 + IT03"
    assert model.splitlines()[2] == "market_barriers =~ LP01 + LP02 + LP03"
    res = sk.cfa(wave1, model)
    assert any(ref.startswith("intergovernmental_trust@") for ref in res.provenance.instruments)
    assert res.n + res.n_dropped == wave1.n and 0.0 < res.cfi <= 1.0
    orth = cfa_model(wave1.instrument, ["competence_trust", "goodwill_trust"],
                        correlated=False)
    assert orth.endswith("competence_trust ~~ 0*goodwill_trust")


def test_cfa_model_by_subscale_second_order_and_exclude(wave1):
    ins = wave1.instrument
    total = sk.cfa_model(ins, "intergovernmental_trust")
    assert total == "intergovernmental_trust =~ " + " + ".join(f"IT0{k}" for k in range(1, 10))
    first = sk.cfa_model(ins, ["intergovernmental_trust", "regional_synergy"], by_subscale=True,
                         exclude=["IT09"])
    subs = [s.id for s in ins.subscales("intergovernmental_trust")] + \
        [s.id for s in ins.subscales("regional_synergy")]
    assert [ln.split(" =~ ")[0] for ln in first.splitlines()] == subs
    assert "IT09" not in first and "IT08" in first
    second = sk.cfa_model(ins, ["intergovernmental_trust", "regional_synergy"],
                          second_order=True, exclude=["IT09"], correlated=False)
    lines = second.splitlines()
    assert lines[:len(subs)] == first.splitlines()                 # first-order lines first
    assert lines[len(subs)] == "intergovernmental_trust =~ " + " + ".join(subs[:3])
    assert lines[-1] == "intergovernmental_trust ~~ 0*regional_synergy"   # second-order pair
    with pytest.raises(sk.ParameterError, match=r"Got 'institutional_trust' with 1 \(after "
                                                r"exclude\) instead"):
        sk.cfa_model(ins, "intergovernmental_trust", by_subscale=True, exclude=["IT08", "IT09"])


def test_cfa_model_errors(wave1):
    with pytest.raises(sk.InstrumentError, match=r"has no scale 'competence_trsut'\. Did you "
                                                 r"mean 'competence_trust'\?"):
        cfa_model(wave1.instrument, ["competence_trsut"])


def test_invariance_by_region(wave1):
    model = cfa_model(wave1.instrument, ["competence_trust", "goodwill_trust"])
    res = sk.invariance(wave1, model, "PR01")
    assert list(res.table["term"]) == ["configural", "metric", "scalar"]
    assert res.highest_level in {"configural", "metric", "scalar"}
