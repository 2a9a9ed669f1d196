"""Intercoder agreement equals a hand-computed case and the krippendorff package."""
from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.qual.agreement import alpha_from_counts, krippendorff_alpha_nominal
from surveykit.qual.codings import Codings
from surveykit.qual.notes import Note, NoteSet
from surveykit.qual.segment import sentence_spans


def _seg(note, code, coder, start, end, text):
    return {"note": note, "code": code, "coder": coder, "start": start, "end": end,
            "quote": text[start:end]}


@pytest.fixture()
def five_notes():
    notes = NoteSet([Note(id=f"n{i}", text=f"第{i}句话。Second sentence {i}. 第三句。", meta={"case_id": f"c{i}"})
                     for i in range(1, 6)])
    return notes


def test_hand_computed_document_level(five_notes):
    # code X: coder A on n1 n2 n3, coder B on n1 n2 n4 -> A=[1,1,1,0,0], B=[1,1,0,1,0]
    rows = [_seg(f"n{i}", "X", "A", 0, 4, five_notes[f"n{i}"].text) for i in (1, 2, 3)] + \
           [_seg(f"n{i}", "X", "B", 0, 4, five_notes[f"n{i}"].text) for i in (1, 2, 4)]
    res = sk.agreement(Codings.from_frame(pd.DataFrame(rows)), five_notes, level="document")
    w = res.wide().set_index("code")
    # po = 3/5; pe = .6*.6 + .4*.4 = .52; kappa = .08/.48 = 1/6
    # coincidences: n1 = 6, n0 = 4, o01 = o10 = 2 -> alpha = 1 - 9 * 4 / (2 * 6 * 4) = 0.25
    assert w.loc["X", "percent_agreement"] == pytest.approx(0.6, abs=1e-12)
    assert w.loc["X", "cohen_kappa"] == pytest.approx(1 / 6, abs=1e-12)
    assert w.loc["X", "krippendorff_alpha"] == pytest.approx(0.25, abs=1e-12)
    assert res.n_units == 5 and res.n_coders == 2


def _random_codings(notes, coders, codes, rng, n_seg=60):
    rows = []
    ids = list(notes)
    for _ in range(n_seg):
        nid = ids[rng.integers(len(ids))]
        text = notes[nid].text
        s = int(rng.integers(0, len(text) - 3))
        e = int(rng.integers(s + 1, min(len(text), s + 12) + 1))
        rows.append(_seg(nid, codes[rng.integers(len(codes))], coders[rng.integers(len(coders))], s, e, text))
    f = pd.DataFrame(rows).sort_values(["note", "coder", "code", "start"])
    # drop overlaps within coder+code (as load_codings would refuse them)
    keep, last = [], {}
    for r in f.itertuples():
        k = (r.note, r.coder, r.code)
        if r.start >= last.get(k, -1):
            keep.append(r.Index)
            last[k] = r.end
    return Codings.from_frame(f.loc[keep])


def _reference(cod, notes, level, unit, coders, codes):
    """Per-unit 0/1 matrices built with plain Python (the slow, obvious way)."""
    out = {}
    for code in codes:
        mat = []
        for coder in coders:
            segs = cod.frame[(cod.frame.code == code) & (cod.frame.coder == coder)]
            row = []
            for nid in notes:
                s_n = segs[segs.note == nid]
                text = notes[nid].text
                if level == "document":
                    row.append(int(len(s_n) > 0))
                elif unit == "character":
                    row += [int(any(a <= i < b for a, b in zip(s_n.start, s_n.end))) for i in range(len(text))]
                else:
                    us, ue = sentence_spans(text)
                    row += [int(any(a < ve and b > vs for a, b in zip(s_n.start, s_n.end))) for vs, ve in zip(us, ue)]
            mat.append(row)
        out[code] = np.array(mat, dtype=float)
    return out


@pytest.mark.parametrize("level,unit", [("document", "sentence"), ("segment", "sentence"),
                                        ("segment", "character")])
@pytest.mark.parametrize("n_coders", [2, 3])
def test_equals_krippendorff_package(five_notes, level, unit, n_coders):
    rng = np.random.default_rng(7 + n_coders)
    coders = ["A", "B", "C"][:n_coders]
    cod = _random_codings(five_notes, coders, ["X", "Y", "Z"], rng)
    res = sk.agreement(cod, five_notes, level=level, unit=unit)
    w = res.wide().set_index("code")
    ref = _reference(cod, five_notes, level, unit, list(res.coders), list(w.index))
    for code, mat in ref.items():
        if mat.min() == mat.max():
            assert np.isnan(w.loc[code, "krippendorff_alpha"])
            continue
        exp = krippendorff.alpha(reliability_data=mat, level_of_measurement="nominal")
        np.testing.assert_allclose(w.loc[code, "krippendorff_alpha"], exp, rtol=1e-10)
        np.testing.assert_allclose(w.loc[code, "percent_agreement"],
                                   np.mean(mat.min(axis=0) == mat.max(axis=0)), rtol=1e-12)
        if n_coders == 2:
            from sklearn.metrics import cohen_kappa_score

            np.testing.assert_allclose(w.loc[code, "cohen_kappa"], cohen_kappa_score(mat[0], mat[1]),
                                       rtol=1e-10)
    assert ("cohen_kappa" in w.columns) == (n_coders == 2)


def test_alpha_with_missing_values_equals_package():
    rng = np.random.default_rng(3)
    for _ in range(20):
        x = rng.integers(0, 4, (4, 25)).astype(float)
        x[rng.random(x.shape) < 0.25] = np.nan
        np.testing.assert_allclose(krippendorff_alpha_nominal(x),
                                   krippendorff.alpha(reliability_data=x, level_of_measurement="nominal"),
                                   rtol=1e-10)


def test_alpha_vectorised_over_codes():
    counts = np.array([[[2, 0], [0, 2], [1, 1]], [[2, 0], [2, 0], [2, 0]]], dtype=float)
    a = alpha_from_counts(counts)
    assert a.shape == (2,) and np.isnan(a[1])
    np.testing.assert_allclose(a[0], krippendorff.alpha(reliability_data=[[0, 1, 0], [0, 1, 1]],
                                                        level_of_measurement="nominal"))


def test_example_study_agreement_is_high_but_not_perfect(example):
    notes = sk.read_notes(example / "notes")
    cod = sk.load_codings(example / "codings", notes=notes)
    for level, unit in (("document", "sentence"), ("segment", "sentence"), ("segment", "character")):
        res = sk.agreement(cod, notes, level=level, unit=unit)
        assert 0.6 < res.alpha_mean < 0.98
        assert (res.wide()["krippendorff_alpha"] < 1).any()
        assert set(res.table.columns) >= {"code", "method", "estimate", "n_units", "n_coders"}
    assert res.provenance.analysis == "agreement"
    assert "Intercoder agreement" in res.summary()


def test_undefined_statistics_are_explained(five_notes):
    t = five_notes["n1"].text
    rows = [_seg("n1", "X", "A", 0, 4, t), _seg("n1", "X", "B", 0, 4, t)]
    res = sk.agreement(Codings.from_frame(pd.DataFrame(rows)), five_notes, codes=["X", "never"])
    notes = res.table.drop_duplicates("code").set_index("code")["note"]
    assert "no coder applied this code" in notes["never"]
    assert np.isnan(res.wide().set_index("code").loc["never", "krippendorff_alpha"])


def test_subset_of_notes(example):
    notes = sk.read_notes(example / "notes")
    cod = sk.load_codings(example / "codings", notes=notes)
    sub = notes.subset(["cd_drc_interview", "cq_drc_interview"])
    res = sk.agreement(cod, sub, level="document")
    assert res.n_units == 2
    part = cod.only(note=["cd_drc_interview", "cq_drc_interview"])
    assert set(res.table["code"]) == set(part.codes)


def test_krippendorffs_published_example():
    """Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal example:
    4 observers, 12 units, missing values; alpha = 0.743."""
    n = np.nan
    x = [[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
         [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]]
    assert round(krippendorff_alpha_nominal(x), 3) == 0.743
    np.testing.assert_allclose(krippendorff_alpha_nominal(x), 0.743421052631579, rtol=1e-12)
