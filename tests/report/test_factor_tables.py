"""Report tables, sentences and methods prose of reliability, KMO, Bartlett, parallel analysis
and EFA, in Chinese and English.

Every number in a cell or a sentence is recomputed here from the Result's own fields
(``alpha``, ``ci_low``, ``items``, ``overall``, ``statistic``, ``loadings``, ``variance`` ...)
with the report's number rules; the numbers themselves are checked against R in tests/analysis.
"""
from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import surveykit as sk
from surveykit.datasets import example_study_path
from surveykit.report import Report
from surveykit.report.factor_tables import LOADING_DISPLAY_THRESHOLD
from surveykit.report.model import TableBlock, TextBlock
from surveykit.report.presentation import many_presentation, presentation, sentence_of
from surveykit.report.tables import apa_table, format_number, format_p

LANGS = ("zh", "en")
#: Latin words a Chinese thesis prints as they are: symbols and the methods' eponyms.
ALLOWED = set("""M SD CI n p df KMO MSA Cronbach's McDonald's Feldt Kaiser Meyer Olkin Bartlett
              minres""".split())


def b(v: float) -> str:
    return format_number(v, 2, bounded=True)


def english_words(text: str) -> list[str]:
    text = re.sub(r"R[：:][^）)]*[)）]*[^）)]*[）)]", " ", text)      # R calls
    text = re.sub(r"\b[A-Z]{2}\d{2}\b|surveykit \w+|\w+::\w+", " ", text)  # item ids, calls
    return sorted({w for w in re.findall(r"[A-Za-z][A-Za-z']*", text) if w not in ALLOWED})


def chinese(text: str) -> list[str]:
    return re.findall(r"[\u3400-\u9fff]+", text)


@pytest.fixture(scope="module")
def study():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ins = sk.load_questionnaire()
        resp = sk.read_responses(example_study_path("wave2"), ins, key="k", wave="2")
        scales = ["competence_trust", "goodwill_trust", "institutional_trust",
                  "intergovernmental_trust", "regional_synergy"]
        rel = {s: sk.reliability(resp, scale=s) for s in scales}
        items = [i for s in ("competence_trust", "goodwill_trust", "market_barriers",
                             "administrative_barriers") for i in ins.scale(s).items]
        rev = [i for i in items if ins.item(i).reverse]
        pa = sk.parallel_analysis(resp, items=items, n_sim=20, seed=3)
        res = {"ins": ins, "rel": rel, "kmo": sk.kmo(resp, items=items),
               "bartlett": sk.bartlett(resp, items=items), "pa": pa,
               "efa": sk.efa(resp, pa, items=items, reverse=rev),
               "efa_varimax": sk.efa(resp, 2, items=items, rotation="varimax")}
    return res


def _table(part, lang):
    return apa_table(part.frame(lang), caption=part.caption, note=part.note[lang], lang=lang,
                     labels=part.labels, **part.options)


# ---------------------------------------------------------------------------- reliability
@pytest.mark.parametrize("lang", LANGS)
def test_item_total_table_cells_are_the_item_statistics(study, lang):
    res, ins = study["rel"]["regional_synergy"], study["ins"]
    [part] = presentation(res, instrument=ins)
    tab = _table(part, lang)
    assert tab.header[:2] == (("题项", "题目内容") if lang == "zh" else ("Item", "Wording"))
    rev = set(res.provenance.parameters["reverse"])
    assert rev, "the scale has reverse-keyed items"
    for row, (item, st) in zip(tab.rows, res.items.iterrows()):
        assert row[0] == (f"{item}†" if item in rev else item)
        assert row[1] == ins.item(item).text.in_lang(lang).rstrip("：:？? ")
        assert row[2:] == (format_number(st["mean"]), format_number(st["sd"]), b(st["r_drop"]),
                           b(st["alpha_if_deleted"]))
    assert f"α = {b(res.alpha)}" in tab.note and f"[{b(res.ci_low)}, {b(res.ci_high)}]" in tab.note
    assert "†" in tab.note
    assert ins.scale("regional_synergy").name.in_lang(lang) in tab.caption


@pytest.mark.parametrize("lang", LANGS)
def test_reliability_sentence_numbers_are_the_fields(study, lang):
    res = study["rel"]["goodwill_trust"]
    s = sentence_of(res, lang, instrument=study["ins"])
    assert f"α = {b(res.alpha)}" in s
    assert f"95% CI [{b(res.ci_low)}, {b(res.ci_high)}]" in s
    assert f"ω = {b(res.omega_total)}" in s and f"n = {res.n}" in s
    nums = re.findall(r"\d*\.\d+|\d+", s.replace("95%", ""))
    assert nums == [b(res.alpha), b(res.ci_low), b(res.ci_high), b(res.omega_total),
                    str(res.n), str(res.n_items)]
    assert ("Feldt 法" if lang == "zh" else "(Feldt)") in s


@pytest.mark.parametrize("lang", LANGS)
def test_several_reliabilities_are_one_summary_table(study, lang):
    rels, ins = list(study["rel"].values()), study["ins"]
    [part], text = many_presentation(study["rel"], instrument=ins)
    tab = _table(part, lang)
    level = {"zh": ("分量表", "量表"), "en": ("subscale", "scale")}[lang]
    for row, r in zip(tab.rows, rels):
        sid = r.provenance.parameters["scale"]
        sc = ins.scale(sid)
        assert row == (sc.name.in_lang(lang), level[0] if sc.parent else level[1], str(r.n_items),
                       str(r.n), b(r.alpha), f"[{b(r.ci_low)}, {b(r.ci_high)}]",
                       b(r.omega_total))
    alphas = [r.alpha for r in rels]
    s = text[lang]
    assert f"{b(min(alphas))}" in s and f"{b(max(alphas))}" in s and str(len(rels)) in s
    low = [ins.scale(r.provenance.parameters["scale"]).name.in_lang(lang) for r in rels
           if r.alpha < .70]
    assert low, "the fixture has a scale below .70"
    for name in low:
        assert name in s
    high = [r for r in rels if r.alpha >= .70]
    _, text2 = many_presentation(dict(enumerate(high)), instrument=ins)
    assert ("均不低于常用标准 .70" if lang == "zh" else "none was below the conventional .70") \
        in text2[lang]


def test_add_many_of_reliabilities_writes_one_table_and_the_sentence(study, tmp_path):
    rels, ins = list(study["rel"].values()), study["ins"]
    rep = Report()
    shown = rep.add_many(rels, instrument=ins, name="reliability")
    assert list(shown["scale"]) == [r.provenance.parameters["scale"] for r in rels]
    np.testing.assert_array_equal(shown["alpha"], [r.alpha for r in rels])
    for lang in LANGS:
        [sec] = [s for s in rep.render(lang).sections if s.id.startswith("s")]
        tables = [bl for bl in sec.blocks if isinstance(bl, TableBlock)]
        texts = [bl.text for bl in sec.blocks if isinstance(bl, TextBlock)]
        assert len(tables) == 1 and tables[0].csv.endswith("_reliability_summary.csv")
        assert len(texts) == 1 and "α" in texts[0]


# ---------------------------------------------------------------------------- KMO, Bartlett, PA
@pytest.mark.parametrize("lang", LANGS)
def test_kmo_and_bartlett(study, lang):
    k, bt = study["kmo"], study["bartlett"]
    [part] = presentation(k)
    tab = _table(part, lang)
    lo, hi = k.items.idxmin(), k.items.idxmax()
    assert [r[1] for r in tab.rows] == [b(k.overall), b(k.items[lo]), b(k.items[hi])]
    assert lo in tab.rows[1][0] and hi in tab.rows[2][0]
    assert set(part.files) == {"items"}
    np.testing.assert_array_equal(part.files["items"](lang)["msa"], k.items.to_numpy())
    assert sentence_of(k, lang).startswith(f"KMO = {b(k.overall)}")
    [part] = presentation(bt)
    assert _table(part, lang).rows == ((part.frame(lang).table["test"][0],
                                        format_number(bt.statistic), str(bt.df),
                                        format_p(bt.p_value), str(bt.n)),)
    s = sentence_of(bt, lang)
    p = format_p(bt.p_value)
    assert f"χ²({bt.df}) = {format_number(bt.statistic)}" in s
    assert f"p {p if p.startswith('<') else '= ' + p}" in s and f"n = {bt.n}" in s


@pytest.mark.parametrize("lang", LANGS)
def test_parallel_analysis_is_a_sentence(study, lang):
    pa = study["pa"]
    assert presentation(pa) == []
    s = sentence_of(pa, lang)
    nums = re.findall(r"\d+", s)
    assert nums == [str(pa.n_sim), "95", str(pa.n), str(pa.n_factors), str(pa.n_components)]


# ---------------------------------------------------------------------------- EFA
@pytest.mark.parametrize("lang", LANGS)
def test_efa_loadings_wide_with_variance_rows(study, lang):
    e, ins = study["efa"], study["ins"]
    parts = presentation(e, instrument=ins)
    assert [p.suffix for p in parts] == ["loadings", "factor_correlations"]
    tab = _table(parts[0], lang)
    k = e.n_factors
    assert tab.header[2:2 + k] == tuple((f"因子 {j}" if lang == "zh" else f"Factor {j}")
                                        for j in range(1, k + 1))
    items = [r[0].rstrip("†") for r in tab.rows[:-3]]
    assert sorted(items) == sorted(e.loadings.index)
    prim = e.loadings.abs().idxmax(axis=1)
    cols = list(e.loadings.columns)
    assert [cols.index(prim[i]) for i in items] == sorted(cols.index(prim[i]) for i in items)
    for row in tab.rows[:-3]:
        it = row[0].rstrip("†")
        for j, f in enumerate(cols):
            v = e.loadings.at[it, f]
            assert row[2 + j] == ("" if abs(v) < LOADING_DISPLAY_THRESHOLD else b(v))
        assert row[-1] == b(e.communalities[it])
    ss, prop, cum = tab.rows[-3:]
    assert list(ss[2:2 + k]) == [format_number(v) for v in e.variance["ss_loadings"]]
    assert list(prop[2:2 + k]) == [b(v) for v in e.variance["proportion_var"]]
    assert list(cum[2:2 + k]) == [b(v) for v in e.variance["cumulative_var"]]
    csv = parts[0].frame(lang).table                     # the CSV keeps every loading
    np.testing.assert_array_equal(csv[[f"loading_{f}" for f in cols]].to_numpy()[:len(items)],
                                  e.loadings.loc[items].to_numpy())
    phi = _table(parts[1], lang)
    assert phi.rows[1][1] == b(e.factor_correlations.iat[1, 0]) and phi.rows[0][1] == ""
    assert [p.suffix for p in presentation(study["efa_varimax"])] == ["loadings"]


@pytest.mark.parametrize("lang", LANGS)
def test_efa_sentence_numbers_are_the_fields(study, lang):
    e = study["efa"]
    s = sentence_of(e, lang)
    main = [e.loadings.abs().loc[i].max() for i in e.loadings.index]
    cum = format_number(100 * e.variance["cumulative_var"].iloc[-1])
    assert f"{cum}%" in s and f"n = {e.n}" in s and str(e.n_factors) in s
    assert f"{b(min(main))}" in s and f"{b(max(main))}" in s


# ---------------------------------------------------------------------------- methods, language
def test_methods_prose_is_natural_and_complete(study):
    rep = Report()
    rep.add_many(list(study["rel"].values()), instrument=study["ins"])
    for key in ("kmo", "bartlett", "pa", "efa"):
        rep.add(study[key], instrument=study["ins"])
    for lang in LANGS:
        [meth] = [s for s in rep.render(lang).sections if s.id == "methods"]
        paras = [bl.text for bl in meth.blocks if isinstance(bl, TextBlock) and bl.kind == "list"]
        assert len(paras) == 5
        text = "\n".join(paras)
        assert not re.search(r"\w+ = '|\[\'|\bNone\b|True|False", text), text
        rel, kmo, bart, pa, efa = paras
        assert "Feldt" in rel and ("成对删除（默认）" in rel if lang == "zh"
                                   else "pairwise deletion (default)" in rel)
        assert "McDonald's ω" in rel
        n_items = str(len(study["kmo"].items))
        assert n_items in kmo and n_items in bart
        assert "20 " in pa and "3" in pa and "95" in pa            # resamples, seed, percentile
        assert ("平行分析的建议" if lang == "zh" else "as the parallel analysis suggested") in efa
        assert ("最小残差法（默认）" if lang == "zh" else "minimum residual extraction (default)") in efa
        assert ("直接斜交" if lang == "zh" else "oblimin") in efa
        assert str(study["efa"].n_factors) in efa


def _all_text(study, lang):
    ins = study["ins"]
    out = []
    results = [*study["rel"].values(), study["kmo"], study["bartlett"], study["pa"],
               study["efa"], study["efa_varimax"]]
    for r in results:
        for part in presentation(r, instrument=ins):
            tab = _table(part, lang)
            out += [tab.caption, tab.note, *tab.header]
            out += [c for row in tab.rows for c in row[:1]]
        out.append(sentence_of(r, lang, instrument=ins))
    parts, text = many_presentation(study["rel"], instrument=ins)
    out.append(text[lang])
    return out


def test_zh_output_has_no_english_words(study):
    assert english_words("oblimin 旋转（R：psych::fa(x)），IT01，Feldt 法") == ["oblimin"]
    for text in _all_text(study, "zh"):
        assert english_words(text) == [], text


def test_en_output_has_no_chinese(study):
    for text in _all_text(study, "en"):
        assert chinese(text) == [], text
