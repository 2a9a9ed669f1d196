"""simulate_study: deterministic files, the bundled copy, the population model, planted faults."""
import hashlib

import numpy as np
import pandas as pd
import pytest

from surveykit.datasets import (
    BUNDLED_N,
    BUNDLED_SEED,
    FILES,
    example_study_path,
    load_example_wave,
    simulate_study,
    study_instrument,
)
from surveykit.errors import ParameterError, SurveykitError


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "test-key")


def _digests(paths):
    return {k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in paths.items()}


def test_same_seed_byte_identical_files(tmp_path):
    a = simulate_study(n=60, seed=5, out=tmp_path / "a")
    b = simulate_study(n=60, seed=5, out=tmp_path / "b")
    c = simulate_study(n=60, seed=6, out=tmp_path / "c")
    assert _digests(a.paths) == _digests(b.paths)
    assert _digests(a.paths)["wave1"] != _digests(c.paths)["wave1"]


def test_bundled_copy_is_the_generated_one(tmp_path):
    s = simulate_study(n=BUNDLED_N, seed=BUNDLED_SEED, out=tmp_path)
    for name, p in s.paths.items():
        bundled = example_study_path(name)
        stale = f"bundled {bundled.name} is stale: rebuild with python -m surveykit.datasets.build"
        if p.suffix == ".xlsx":   # zip bytes depend on the zlib build: compare the cells
            a = pd.read_excel(bundled, dtype=str, header=None)
            b = pd.read_excel(p, dtype=str, header=None)
            pd.testing.assert_frame_equal(a, b, obj=stale)
        else:
            assert bundled.read_bytes() == p.read_bytes(), stale
    for name in ("wave1", "wave2", "truth"):
        assert "SIMULATED" in FILES[name]
        assert example_study_path(name).stat().st_size < 400_000
    assert "SIMULATED" in example_study_path("readme").read_text(encoding="utf-8")


def test_bundled_waves_import_cleanly():
    truth = pd.read_csv(example_study_path("truth"))
    for wave, reader, enc in ((1, "wjx-code", "gb18030"), (2, "wjx-text", None)):
        r = load_example_wave(wave)
        assert r.sources[0].reader.startswith(reader) and r.sources[0].encoding == enc
        t = truth[truth["wave"] == wave]
        assert r.n == len(t)                                       # every row imported
        assert r.meta["source_row"].tolist() == t["source_row"].tolist()
        assert set(r.issues["reason"]) <= {"out_of_range"}
        assert (r.missing == "refused").to_numpy().sum() > 0
        assert (r.missing == "dont_know").to_numpy().sum() > 0
        assert (r.missing["PR06a"] == "skipped").sum() == (r.values["PR06"] == 2).sum()
    assert "LP13" in load_example_wave(2).items and "LP13" not in load_example_wave(1).items


def test_population_structure_and_reverse_keys():
    s = simulate_study(n=3000, seed=11, faults=False)
    x = s.wave1.codes
    ins = s.wave1.instrument
    corr = x.corr()
    # within-subscale correlations (after reverse keying) exceed between-construct ones
    keyed = x.copy()
    for iid in ins.reverse_items():
        keyed[iid] = 6 - keyed[iid]
    kc = keyed.corr()
    within = np.mean([kc.loc[a, b] for s_ in ins.scales if s_.parent is not None
                      for a in s_.items for b in s_.items if a < b])
    assert within > 0.35
    sub_it = ins.scale("competence_trust").items
    sub_rs = ins.scale("willingness_to_deepen").items
    between = np.mean([kc.loc[a, b] for a in sub_it for b in sub_rs])
    assert 0.05 < between < within
    # reverse-keyed items really reversed in the raw answers
    assert corr.loc["IT01", "IT03"] < 0 and corr.loc["LP01", "LP03"] < 0
    # local protectionism correlates negatively with synergy (PHI = -0.40)
    lp = keyed[list(ins.scale("local_protectionism").items)].mean(axis=1)
    rs = keyed[list(ins.scale("regional_synergy").items)].mean(axis=1)
    assert np.corrcoef(lp, rs)[0, 1] < -0.15
    # Chongqing (2) reports more synergy than Chengdu (1), provincial more than township
    assert rs[x["PR01"] == 2].mean() > rs[x["PR01"] == 1].mean()
    assert rs[x["PR02"] == 1].mean() > rs[x["PR02"] == 4].mean()
    assert set(np.unique(x[list(sub_it)])) <= {1.0, 2.0, 3.0, 4.0, 5.0}


def test_planted_faults_match_truth():
    s = simulate_study(n=400, seed=2)
    w = s.wave1
    t = w.truth
    dur = w.meta["所用时间"].str.rstrip("秒").astype(float)
    n_items = len(w.instrument.items)
    speed = (t["kind"] == "speeder").to_numpy()
    assert speed.sum() > 5 and (dur[speed] / n_items < 2).all()
    assert (dur[t["kind"] == ""] / n_items > 2).mean() > 0.95
    likert = [i for i in w.instrument.item_ids if not i.startswith("PR") and i != "AC01"]
    sl = (t["kind"] == "straightliner").to_numpy()
    block = w.codes.loc[sl, likert]
    modal_share = block.eq(block.mode(axis=1)[0], axis=0).mean(axis=1)
    assert (modal_share > 0.85).all()            # one answer throughout (bar item-level faults)
    dup = t.index[t["kind"] == "duplicate"]
    assert len(dup) == 8
    for i in dup:
        src = int(t.loc[i, "duplicate_of_row"]) - 2
        pd.testing.assert_series_equal(w.codes.iloc[i], w.codes.iloc[src], check_names=False)
    vals = w.codes[likert].to_numpy()
    assert (vals == -99).any() and (vals == -98).any() and np.isin(vals, [0, 6, 7, 44]).any()
    assert s.truth["wave"].tolist().count(2) == len(s.wave2.codes)


def test_parameters_checked():
    with pytest.raises(ParameterError, match=r"The 'n' parameter of simulate_study must be an "
                                             r"integer >= 1. Got 0 instead"):
        simulate_study(n=0)
    with pytest.raises(ParameterError, match=r"The 'faults' parameter of simulate_study must be one of"):
        simulate_study(n=10, faults="yes")
    with pytest.raises(SurveykitError, match="The example study has no 'wave3'"):
        example_study_path("wave3")
    with pytest.raises(ParameterError, match=r"The 'wave' parameter of study_instrument"):
        study_instrument(3)
