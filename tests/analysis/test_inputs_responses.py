"""The resolver with a Responses and an instrument: scale ids, reverse keys and range from the instrument."""
import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import InstrumentError


@pytest.fixture(scope="module")
def responses():
    from surveykit.responses.model import Responses

    ins = sk.load_instrument("intergovernmental_trust")
    rng = np.random.default_rng(4)
    n = 120
    f = rng.normal(size=(n, 1))
    vals = np.clip(np.round(3 + f + rng.normal(size=(n, 9)) * 0.8), 1, 5)
    items = [f"IT0{i}" for i in range(1, 10)]
    for k, it in enumerate(items):
        if ins.item(it).reverse:
            vals[:, k] = 6 - vals[:, k]
    vals[rng.random(vals.shape) < 0.05] = np.nan
    idx = pd.Index([f"r{i:03d}" for i in range(n)], name="respondent")
    values = pd.DataFrame(vals, index=idx, columns=items)
    missing = pd.DataFrame(np.where(np.isnan(vals), "skipped", ""), index=idx, columns=items).astype("str")
    raw = values.astype("string").fillna("")
    meta = pd.DataFrame({"source_row": np.arange(2, n + 2), "source_file": "wave1.csv"}, index=idx)
    return Responses(values=values, missing=missing, raw=raw, meta=meta, instrument=ins)


def test_scale_from_instrument(responses):
    from surveykit.analysis.inputs import resolve_items

    s = resolve_items(responses, scale="competence_trust")
    ins = responses.instrument
    assert s.items == ("IT01", "IT02", "IT03")
    assert s.reversed == ins.reverse_items("competence_trust")
    assert s.scale_range == (1.0, 5.0)
    assert s.instruments == (ins.ref,)


def test_reliability_on_responses(responses):
    res = sk.reliability(responses, scale="intergovernmental_trust")
    assert res.n_items == 9 and res.alpha > 0.7
    assert res.provenance.instruments == (responses.instrument.ref,)
    assert res.provenance.parameters["scale"] == "intergovernmental_trust"
    # same numbers as an explicit item list with the same reverse keys
    rev = list(responses.instrument.reverse_items("intergovernmental_trust"))
    res2 = sk.reliability(responses.values, [f"IT0{i}" for i in range(1, 10)], reverse=rev, scale_range=(1, 5))
    assert res.alpha == pytest.approx(res2.alpha, rel=1e-12)


def test_construct_link_and_efa(responses):
    res = sk.efa(responses, 3, scale="intergovernmental_trust.intergovernmental_trust")
    assert res.loadings.shape == (9, 3)
    assert sk.kmo(responses, scale="intergovernmental_trust").n == 120


def test_unknown_scale(responses):
    with pytest.raises(InstrumentError, match=r"has no scale 'competence'. Did you mean 'competence_trust'"):
        sk.reliability(responses, scale="competence")
