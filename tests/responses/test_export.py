"""write_responses: SPSS .sav / Stata .dta with labels and typed missing codes, read back (#15)."""
import warnings

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.datasets import example_study_path
from surveykit.errors import DataWarning, OutputError, ParameterError, ResponsesError

pyreadstat = pytest.importorskip("pyreadstat")

IDS = ["respondent_profile", "intergovernmental_trust", "local_protectionism",
       "reward_punishment", "regional_synergy"]
VERSION = {"local_protectionism": "1.0.0"}


@pytest.fixture(scope="module")
def wave1():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk.read_responses(example_study_path("wave1"), IDS, version=VERSION, key="test")


def _numeric_items(r):
    return [i for i in r.items if r.instrument.item(i).response.type != "text"
            and r.instrument.item(i).response.missing]


def test_sav_round_trip_labels_value_labels_missing_codes(tmp_path, wave1):
    r = wave1
    p = sk.write_responses(r, tmp_path / "w1.sav", lang="zh")
    df, meta = pyreadstat.read_sav(str(p), user_missing=True)
    assert len(df) == r.n and list(df["respondent"]) == list(r.index)
    ins = r.instrument
    labels = meta.column_names_to_labels
    items = _numeric_items(r)
    assert len(items) > 20
    refused = dont_know = 0
    for it in items:
        item = ins.item(it)
        assert labels[it] == item.text.in_lang("zh")
        want = {o.value: o.label.in_lang("zh") for o in item.response.options}
        want.update({m.value: m.label.in_lang("zh") for m in item.response.missing})
        assert meta.variable_value_labels[it] == {float(k): v for k, v in want.items()}
        assert sorted(rg["lo"] for rg in meta.missing_ranges[it]) == \
            sorted(float(m.value) for m in item.response.missing)
        got = df[it].to_numpy(dtype=float)
        reason = r.missing[it].astype(str).to_numpy()
        valid = reason == ""
        np.testing.assert_array_equal(got[valid], r.values[it].to_numpy()[valid])
        codes = {m.kind: float(m.value) for m in item.response.missing}
        for kind, code in codes.items():
            np.testing.assert_array_equal(got == code, reason == kind)
        refused += int((reason == "refused").sum())
        dont_know += int((reason == "dont_know").sum())
        other = ~valid & ~np.isin(reason, list(codes))        # empty, skipped, invalid
        assert np.isnan(got[other]).all()
    assert refused > 50 and dont_know > 50                     # the study has both
    assert labels["duration_s"] == "作答用时（秒）"


def test_dta_round_trip_extended_missing_letters(tmp_path, wave1):
    r = wave1
    p = sk.write_responses(r, tmp_path / "w1.dta", lang="en")
    df, meta = pyreadstat.read_dta(str(p), user_missing=True)
    ins = r.instrument
    n_letters = 0
    for it in _numeric_items(r):
        item = ins.item(it)
        codes = item.response.missing
        letters = [chr(ord("a") + k) for k in range(len(codes))]
        # Stata stores extended missing values as values: the letters in use are listed
        reason = r.missing[it].astype(str).to_numpy()
        used = [letters[k] for k, m in enumerate(codes) if (reason == m.kind).any()]
        assert sorted(meta.missing_user_values.get(it, [])) == used
        vl = meta.variable_value_labels[it]
        for k, m in enumerate(codes):
            assert vl[letters[k]] == m.label.in_lang("en")
        for o in item.response.options:
            assert vl[o.value] == o.label.in_lang("en")
        assert meta.column_names_to_labels[it] == item.text.in_lang("en")[:79] + (
            "…" if len(item.text.in_lang("en")) > 80 else item.text.in_lang("en")[79:])
        col = df[it]
        for k, m in enumerate(codes):
            np.testing.assert_array_equal((col == letters[k]).to_numpy(), reason == m.kind)
        valid = reason == ""
        np.testing.assert_array_equal(col[valid].astype(float).to_numpy(),
                                      r.values[it].to_numpy()[valid])
        n_letters += int(col.isin(letters).sum())
    assert n_letters > 100


@pytest.mark.parametrize("suffix", [".sav", ".dta"])
def test_surveykit_reads_its_export_back_as_the_same_answers(tmp_path, wave1, suffix):
    r = wave1
    p = sk.write_responses(r, tmp_path / f"w1{suffix}", lang="zh")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        back = sk.read_responses(p, IDS, version=VERSION, key="test",
                                 mapping={"columns": {c: "ignore" for c in
                                                      ("respondent", "source_row", "source_file",
                                                       "wave", "instrument_version",
                                                       "submission", "channel")}})
    items = _numeric_items(r)
    pd.testing.assert_frame_equal(back.values[items].reset_index(drop=True),
                                  r.values[items].reset_index(drop=True))
    for kind in ("refused", "dont_know"):
        np.testing.assert_array_equal((back.missing[items] == kind).to_numpy(),
                                      (r.missing[items] == kind).to_numpy())


def test_a_scored_table_with_codes_as_values(tmp_path, wave1):
    scored = sk.score(wave1)
    df = scored[["LP01", "LP02", "market_barriers"]].copy()
    df.loc[df.index[0], "LP01"] = -99                          # a typed code written as value
    p = sk.write_responses(df, tmp_path / "s.sav", instrument=wave1.instrument, lang="en")
    back, meta = pyreadstat.read_sav(str(p), user_missing=True)
    assert back["LP01"].iloc[0] == -99 and meta.missing_ranges["LP01"]
    assert meta.column_names_to_labels["market_barriers"] == \
        wave1.instrument.scale("market_barriers").name.in_lang("en")


def test_long_labels_are_cut_for_stata_with_a_warning(tmp_path, wave1):
    with pytest.warns(DataWarning, match=r"variable label\(s\) are longer than Stata's 80 "
                                         r"characters and were cut"):
        sk.write_responses(wave1, tmp_path / "w.dta", lang="en")


@pytest.mark.parametrize("call, err, message", [
    (lambda r, d: sk.write_responses(r, d / "w.xlsx"), ParameterError,
     r"The 'path' parameter of write_responses must end in \.sav, \.zsav or \.dta\. Got 'w\.xlsx'"),
    (lambda r, d: sk.write_responses(r.values, d / "w.sav"), ParameterError,
     r"The 'instrument' parameter of write_responses must be given for a DataFrame"),
    (lambda r, d: sk.write_responses([1], d / "w.sav"), ParameterError,
     r"The 'data' parameter of write_responses must be a Responses or a DataFrame\. Got list"),
    (lambda r, d: sk.write_responses(r, d / "w.sav", lang="fr"), ParameterError,
     r"The 'lang' parameter of write_responses must be one of"),
    (lambda r, d: sk.write_responses(r.values.rename(columns={"LP01": "LP 01"}), d / "w.dta",
                                     instrument=r.instrument), ResponsesError,
     r"w\.dta: 1 column name\(s\) cannot be Stata variable names \('LP 01'\): a Stata name "
     r"must start with a letter or '_'"),
    (lambda r, d: sk.write_responses(r.values.rename(columns={"LP01": "BY"}), d / "w.sav",
                                     instrument=r.instrument), ResponsesError,
     r"cannot be SPSS variable names \('BY'\).*not be a reserved word"),
])
def test_errors(tmp_path, wave1, call, err, message):
    with pytest.raises(err, match=message):
        call(wave1, tmp_path)
    assert not any(tmp_path.iterdir())


def test_unwritable_path_is_an_output_error(tmp_path, wave1):
    (tmp_path / "f").write_text("")
    with pytest.raises(OutputError, match=r"f is a file, not a folder"):
        sk.write_responses(wave1, tmp_path / "f" / "w.sav")
