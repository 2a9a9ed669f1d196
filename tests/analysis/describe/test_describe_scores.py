"""describe_scores against psych::describe (tests/reference/describe/scores), from score
columns and from item answers scored with the instrument; its report table and prose."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import DataError, ParameterError

REF = Path(__file__).resolve().parents[2] / "reference" / "describe" / "scores"
EXP = json.loads((REF / "expected.json").read_text(encoding="utf-8"))
DATA = pd.read_csv(REF / "input.csv")
RTOL = EXP["tolerance"]["rtol"]


def test_score_columns_equal_psych_describe_with_missing_values():
    t = sk.describe_scores(DATA, ["a", "b", "c"]).table
    assert t["scale"].tolist() == EXP["scale"]
    for k in ("n", "mean", "sd", "se", "median", "min", "max", "skew", "kurtosis"):
        np.testing.assert_allclose(t[k].to_numpy(float), EXP[k], rtol=RTOL, err_msg=k)
    assert t["n"].tolist() == [154, 155, 153]                   # NA rows left out per score
    assert t["n_items"].isna().all() and t["label"].tolist() == ["a", "b", "c"]


def test_scores_from_item_answers_use_the_instrument():
    ins = sk.load_instrument("local_protectionism", "1.0.0")
    rng = np.random.default_rng(8)
    items = [i for s in ins.scales for i in s.items]
    items = list(dict.fromkeys(items))
    df = pd.DataFrame(rng.integers(1, 6, size=(120, len(items))).astype(float), columns=items)
    df.iloc[:5, 0] = np.nan
    res = sk.describe_scores(df, instrument=ins, lang="en")
    scored = sk.score(df, ins)
    assert res.scales == tuple(s.id for s in ins.scales)
    for row in res.table.itertuples():
        x = scored[row.scale].dropna()
        assert row.n == len(x) and row.mean == pytest.approx(x.mean(), rel=1e-12)
        assert row.sd == pytest.approx(x.std(ddof=1), rel=1e-12)
        assert row.n_items == len(ins.scale(row.scale).items)
        assert row.label == ins.scale(row.scale).name["en"]
    assert "psych::describe(scores, type = 3)" in res.provenance.r_equivalent


def test_report_table_nests_subscales_and_the_sentence_uses_the_fields(tmp_path):
    from surveykit.report import Report

    ins = sk.load_instrument("local_protectionism", "1.0.0")
    items = list(dict.fromkeys(i for s in ins.scales for i in s.items))
    rng = np.random.default_rng(9)
    df = pd.DataFrame(rng.integers(1, 6, size=(90, len(items))).astype(float), columns=items)
    res = sk.describe_scores(df, instrument=ins)
    rep = Report(lang="zh")
    rep.add(res, instrument=ins, name="scores")
    rep.write(tmp_path, lang="zh")
    csv = pd.read_csv(next(tmp_path.glob("tables/*scores*.csv")), encoding="utf-8-sig")
    assert csv.columns.tolist() == ["label", "n_items", "n", "mean", "sd", "min", "max", "skew",
                                    "kurtosis"]
    total = next(s for s in ins.scales if s.parent is None)
    first = csv["label"].tolist().index(total.name["zh"])
    children = [s for s in ins.scales if s.parent == total.id]
    assert [x.strip("\u3000") for x in csv["label"][first + 1:first + 1 + len(children)]] == \
        [c.name["zh"] for c in children]                          # each scale, then its parts
    assert all(x.startswith("\u3000") for x in csv["label"][first + 1:first + 1 + len(children)])
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    t = res.table
    assert (f"均值在 {t['mean'].min():.2f} 至 {t['mean'].max():.2f} 之间；偏度绝对值不超过 "
            f"{t['skew'].abs().max():.2f}") in html
    assert "各量表与分量表得分的描述统计" in html and "psych::describe(scores, type = 3)" in html


def test_describe_scores_errors():
    with pytest.raises(ParameterError, match="no instrument with scales"):
        sk.describe_scores(DATA)
    with pytest.raises(ParameterError, match="is empty"):
        sk.describe_scores(DATA, [])
    with pytest.raises(DataError, match="scale 'e' has fewer than 2 scores"):
        sk.describe_scores(DATA.assign(e=np.nan), ["a", "e"])
