"""Instruments and results survive pickle and deepcopy (multiprocessing, caching, copies)."""
import copy
import pickle

import pandas as pd

import surveykit as sk


def test_instrument_pickles_and_deepcopies_equal():
    ins = sk.combine(sk.load_study_instruments())
    for clone in (pickle.loads(pickle.dumps(ins)), copy.deepcopy(ins)):
        assert clone == ins
        assert clone.item("LP05").text == ins.item("LP05").text
        assert clone.display_number("RS09") == ins.display_number("RS09")
        assert clone.scale("market_barriers").items == ins.scale("market_barriers").items
        assert dict(clone.response_scales) == dict(ins.response_scales)


def test_result_with_provenance_pickles():
    df = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2.0], "b": [2, 3, 3, 5, 4, 1.0], "c": [1, 3, 2, 5, 5, 2.0]})
    res = sk.reliability(df, ["a", "b", "c"])
    back = pickle.loads(pickle.dumps(res))
    assert back.alpha == res.alpha
    assert dict(back.provenance.parameters) == dict(res.provenance.parameters)
    pd.testing.assert_frame_equal(back.table, res.table)
