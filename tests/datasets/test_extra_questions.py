"""The example study's multi-select PR06b and other-specify PR10 (respondent_profile 1.1.0):
drawn on their own random stream (every older column unchanged), written in both
Wenjuanxing download shapes, read back, cleaned as one question each, in the codebook and
in a multiple-response table."""
from __future__ import annotations

import hashlib
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.cleaning import TooMuchMissing
from surveykit.cleaning.context import Context
from surveykit.datasets import (
    BUNDLED_N,
    BUNDLED_SEED,
    example_study_path,
    load_example_wave,
    simulate_study,
)
from surveykit.datasets import simulate as sim
from surveykit.datasets.exports import write_code_csv, write_text_csv
from surveykit.instrument.export.codebook import codebook_markdown
from surveykit.responses.multi import multi_answer_sets

#: SHA-256 of the bundled wave-1 code download as it was before respondent_profile 1.1.0
#: (surveykit main at 0132609): simulating with 1.0.0 must still give exactly this file.
WAVE1_BEFORE = "16178f1620ef11cd8a6f9fdaac382d7317c94642c89a841666a44ec7a7fb9e44"


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "test-key")


@pytest.fixture(scope="module")
def waves():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # the planted out-of-range typos
        return load_example_wave(1), load_example_wave(2)


def _strip_number(header: str) -> str:
    return re.sub(r"^\d+、", "", header)


def _old_profile(monkeypatch):
    for w in (1, 2):
        monkeypatch.setitem(sim.WAVE_VERSIONS[w], "respondent_profile", "1.0.0")


def test_older_columns_unchanged_by_the_new_questions(tmp_path, monkeypatch):
    new = simulate_study(n=BUNDLED_N, seed=BUNDLED_SEED, out=tmp_path / "new")
    _old_profile(monkeypatch)
    old = simulate_study(n=BUNDLED_N, seed=BUNDLED_SEED, out=tmp_path / "old")
    assert old.wave1.instrument.ref != new.wave1.instrument.ref
    for a, b in ((old.wave1, new.wave1), (old.wave2, new.wave2)):
        pd.testing.assert_frame_equal(a.codes, b.codes[a.codes.columns])
        pd.testing.assert_frame_equal(a.meta, b.meta)
        pd.testing.assert_frame_equal(a.truth, b.truth)
        added = [c for c in b.codes.columns if c not in a.codes.columns]
        assert added == ["PR06b_1", "PR06b_2", "PR06b_3", "PR06b_4", "PR06b_5", "PR06b_6",
                         "PR10"]
        assert list(b.texts.columns) == ["PR06b_6_text", "PR10_5_text"]
    assert new.paths["truth"].read_bytes() == old.paths["truth"].read_bytes()
    # the written exports: every older column's cells are the same (headers renumbered)
    read = {"wave1": lambda p: pd.read_csv(p, encoding="gb18030", dtype=str,
                                           keep_default_na=False),
            "wave2": lambda p: pd.read_excel(p, dtype=str)}
    for name, rd in read.items():
        a, b = rd(old.paths[name]), rd(new.paths[name])
        b.columns = [_strip_number(c) for c in b.columns]
        a.columns = [_strip_number(c) for c in a.columns]
        pd.testing.assert_frame_equal(a, b[a.columns])
        assert len(b.columns) - len(a.columns) == {"wave1": 7, "wave2": 2}[name]


def test_profile_1_0_0_still_gives_the_earlier_bundled_file(tmp_path, monkeypatch):
    """Byte for byte: the file bundled before 1.1.0 (digest recorded here)."""
    _old_profile(monkeypatch)
    s = simulate_study(n=BUNDLED_N, seed=BUNDLED_SEED, out=tmp_path)
    got = hashlib.sha256(s.paths["wave1"].read_bytes()).hexdigest()
    assert got == WAVE1_BEFORE


def test_code_download_shape_and_mapping(waves):
    raw = pd.read_csv(example_study_path("wave1"), encoding="gb18030", dtype=str,
                      keep_default_na=False)
    heads = [c for c in raw.columns if c.startswith("8(")]
    assert heads == ["8(联席会议)", "8(签订合作协议)", "8(干部交流挂职)", "8(信息共享平台)",
                     "8(联合执法或联合检查)", "8(其他〖〗)"]
    assert set(raw[heads[0]]) == {"0", "1", "-3"}
    other = raw["8(其他〖〗)"]
    assert other.str.match(r"^1〖.+〗$").sum() > 5 and (other == "1").any()   # text, or none
    pr10 = raw["12、您了解对方地区相关政策的主要渠道是："]
    assert pr10.str.match(r"^5〖.+〗$").any() and (pr10 == "-99").any() and (pr10 == "(空)").any()
    r = waves[0]
    m = r.mapping.set_index("column")
    for k, h in enumerate(heads, start=1):
        assert m.loc[h, "item"] == f"PR06b_{k}" and m.loc[h, "method"] == "multi_select_option"
    assert m.loc["12、您了解对方地区相关政策的主要渠道是：", "item"] == "PR10"
    assert set(m["status"]) == {"meta", "mapped", "dropped"}   # dropped: IP (privacy)


def test_text_download_shape_and_mapping(waves):
    raw = pd.read_excel(example_study_path("wave2"), dtype=str)
    col = raw["8、过去一年中，您参与的两地合作主要通过哪些渠道开展？（可多选）"]
    assert col.str.contains("┋").any() and col.str.contains(r"其他〖.+〗").any()
    assert {"(跳过)", "(空)"} <= set(col)
    assert raw["12、您了解对方地区相关政策的主要渠道是："].str.match(r"^其他〖.+〗$").any()
    m = waves[1].mapping.set_index("column")
    row = m.loc["8、过去一年中，您参与的两地合作主要通过哪些渠道开展？（可多选）"]
    assert row["method"] == "multi_select_split" and row["item"] == "PR06b"
    assert set(m["status"]) == {"meta", "mapped", "dropped"}   # dropped: IP (privacy)


@pytest.mark.parametrize("wave", [0, 1])
def test_values_reasons_and_texts(waves, wave):
    r = waves[wave]
    cols = list(r.instrument.multi_select("PR06b").columns)
    not_shown = (r.values["PR06"] == 2).to_numpy()
    assert (r.missing.loc[not_shown, cols] == "skipped").all().all()
    shown = r.values.loc[~not_shown, cols]
    empty = (r.missing.loc[~not_shown, cols[0]] == "empty").to_numpy()
    assert 0 < empty.sum() < 0.1 * len(shown)                      # a few ticked nothing
    assert set(np.unique(shown[~empty])) == {0.0, 1.0}
    texts = r.values["PR06b_6_text"].dropna()
    assert len(texts) > 5 and texts.str.contains(r"[\u4e00-\u9fff]").all()
    assert (r.values.loc[texts.index, "PR06b_6"] == 1).all()
    pr10 = r.values["PR10_5_text"].dropna()
    assert len(pr10) > 5 and (r.values.loc[pr10.index, "PR10"] == 5).all()
    assert {"refused", "empty"} <= set(r.missing["PR10"].astype(str))


def test_both_shapes_read_the_same(tmp_path):
    s = simulate_study(n=150, seed=4)
    w = s.wave1
    code = write_code_csv(tmp_path / "c.csv", w.instrument, w.meta, w.codes, texts=w.texts)
    text = write_text_csv(tmp_path / "t.csv", w.instrument, w.meta, w.codes, texts=w.texts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, b = (sk.read_responses(p, w.instrument) for p in (code, text))
    cols = [*w.instrument.columns_of("PR06b"), *w.instrument.columns_of("PR10")]
    pd.testing.assert_frame_equal(a.values[cols], b.values[cols])
    pd.testing.assert_frame_equal(a.missing[cols], b.missing[cols])
    sets = multi_answer_sets(w.instrument, a.values, "PR06b")
    not_shown = (w.codes["PR06"] == 2).to_numpy()
    assert sets[not_shown].isna().all() and (sets.dropna().map(len) > 0).any()


def test_cleaning_counts_a_multi_select_as_one_question(waves):
    r = waves[0]
    ctx = Context(r)
    q = ctx.question_items
    assert "PR06b_1" in q and "PR10" in q
    assert not {"PR06b_2", "PR06b_6", "PR06b_6_text", "PR10_5_text"} & set(q)
    assert len(q) == len(r.items) - 7
    # one respondent shown PR06b who ticked nothing: one missing question, not six
    row = int(np.flatnonzero((r.missing["PR06b_1"] == "empty").to_numpy())[0])
    res = sk.clean(r, [TooMuchMissing(max_share=0.0)])
    log = res.log.set_index("source_row") if "source_row" in res.log.columns else res.log
    want = int(r.meta["source_row"].iloc[row])
    reason = log.loc[want, "reason"]
    reason = reason.iloc[0] if isinstance(reason, pd.Series) else reason
    applicable = len(q) - int((r.missing.iloc[row][list(q)] == "skipped").sum())
    counted = int(r.missing.iloc[row][list(q)].isin(["empty", "refused", "dont_know",
                                                      "invalid"]).sum())
    assert reason.startswith(f"{counted} of {applicable} applicable items missing")
    # straight-lining indices use scale items only: no 0/1 column enters
    from surveykit.cleaning import Longstring

    assert not any(i.startswith(("PR06b", "PR10")) for i in ctx.careless_items(None, "longstring"))
    assert Longstring(threshold=12)        # the default rule still builds


def test_codebook_shows_the_new_questions():
    md = codebook_markdown(sk.load_instrument("respondent_profile"))
    assert "| PR06b_1 |" in md and "| PR06b_6_text |" in md and "| PR10_5_text |" in md
    assert "联合执法或联合检查" in md and "Other (please specify)" in md
    assert "PR06 == 1" in md


def test_multiple_response_on_the_bundled_data(waves):
    res = sk.multiple_response(waves[0], "PR06b")
    t = res.table
    assert t["value"].tolist() == [1, 2, 3, 4, 5, 6]
    assert t.loc[0, "label"] == "联席会议" and t["count"].iloc[0] == t["count"].max()
    assert np.isclose(t["percent_responses"].sum(), 100)
    assert (t["percent_cases"] > t["percent_responses"]).all()
    shown = int((waves[0].values["PR06"] == 1).sum())
    assert t["count"].sum() > shown                                # several ticks per case
    by = sk.multiple_response(sk.pool_waves(list(waves)), "PR06b", by="PR01").table
    share = by.set_index(["group", "value"])["percent_cases"]
    assert share[("重庆", 4)] > share[("成都", 4)]           # shared platforms: Chongqing
    assert share[("成都", 2)] > share[("重庆", 2)]           # agreements: Chengdu
