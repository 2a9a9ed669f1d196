"""diff_instruments / crosswalk: item classification and per-scale comparability."""
from __future__ import annotations

import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import InstrumentError
from surveykit.instrument.diff import CROSSWALK_COLUMNS, crosswalk, diff_instruments


@pytest.fixture
def lp(repo_instruments):
    return (sk.load_instrument("local_protectionism", "1.0.0", root=repo_instruments),
            sk.load_instrument("local_protectionism", "1.1.0", root=repo_instruments))


def test_study_diff_lists_exactly_the_reworded_and_added_item(lp):
    d = diff_instruments(*lp)
    ch = d.changed()
    assert ch[["item", "change", "detail"]].values.tolist() == [
        ["LP05", "wording_changed", "zh, en"], ["LP13", "added", ""]]
    assert d.n_changed == 2
    assert set(d.table.loc[d.table["change"] == "unchanged", "item"]) == {
        "LP01", "LP02", "LP03", "LP04", "LP06", "AC01", "LP07", "LP08", "LP09", "LP10", "LP11",
        "LP12"}
    sc = d.scales.set_index("scale")
    assert sc["comparable"].to_dict() == {
        "market_barriers": True, "administrative_barriers": False,
        "factor_mobility_barriers": False, "perceived_prevalence": True,
        "local_protectionism": False}
    assert sc.loc["administrative_barriers", "reason"] == "LP05 wording changed"
    assert sc.loc["factor_mobility_barriers", "reason"] == "LP13 added"
    assert d.comparable_scales() == ("market_barriers", "perceived_prevalence")
    assert "LP05: wording_changed (zh, en)" in d.summary()
    assert d.provenance.instruments == ("local_protectionism@1.0.0", "local_protectionism@1.1.0")


def test_crosswalk_columns_and_rows(lp):
    cw = crosswalk(*lp)
    assert tuple(cw.columns) == CROSSWALK_COLUMNS
    assert len(cw) == 14
    added = cw[cw["change"] == "added"].iloc[0]
    assert pd.isna(added["from_item"]) and pd.isna(added["from_version"])
    assert (added["to_item"], added["to_version"], bool(added["comparable"])) == ("LP13", "1.1.0",
                                                                                 False)
    lp05 = cw[cw["to_item"] == "LP05"].iloc[0]
    assert (lp05["from_item"], lp05["from_version"], lp05["change"], bool(lp05["comparable"])) == (
        "LP05", "1.0.0", "wording_changed", False)
    assert cw["comparable"].dtype == bool and int(cw["comparable"].sum()) == 12


def test_refs_accepted():
    cw = crosswalk("local_protectionism@1.0.0", "local_protectionism@1.1.0")
    assert cw["to_item"].tolist()[-1] == "LP12"




def test_every_change_kind(instruments_copy):
    base = instruments_copy / "local_protectionism" / "1.1.0.yaml"
    text = base.read_text(encoding="utf-8")
    new = (text.replace("version: 1.1.0", "version: 2.0.0")
           # LP01 reverse key changed
           .replace("  - id: LP01\n    response: agree5\n", "  - id: LP01\n    response: agree5\n"
                    "    reverse: true\n")
           # LP02 English wording only
           .replace("Firms from elsewhere meet hidden hurdles", "Outside firms meet hidden hurdles")
           # LP04 moved from administrative to market barriers
           .replace("items: [LP01, LP02, LP03]", "items: [LP01, LP02, LP03, LP04]")
           .replace("items: [LP04, LP05, LP06]", "items: [LP05, LP06]")
           # LP12 removed
           .replace("LP11, LP12]", "LP11]")
           # LP10 renamed to LP10b (same text)
           .replace("- id: LP10\n", "- id: LP10b\n").replace("[LP10, LP11", "[LP10b, LP11")
           .replace("LP13, LP10,", "LP13, LP10b,"))
    i12 = new.index("  - id: LP12\n")
    end = new.index("\nscales:")
    new = new[:i12] + new[end:]
    path = instruments_copy / "local_protectionism" / "2.0.0.yaml"
    path.write_text(new, encoding="utf-8")
    b = sk.load_instrument(path)
    a = sk.load_instrument("local_protectionism", "1.1.0", root=instruments_copy)
    d = diff_instruments(a, b)
    t = d.table.set_index("item")
    assert t.loc["LP01", "change"] == "reverse_changed" and not t.loc["LP01", "comparable"]
    assert t.loc["LP02", "change"] == "wording_changed" and t.loc["LP02", "detail"] == "en"
    assert t.loc["LP04", "change"] == "moved" and t.loc["LP04", "comparable"]
    assert t.loc["LP04", "detail"] == "administrative_barriers → market_barriers"
    assert t.loc["LP12", "change"] == "removed" and pd.isna(t.loc["LP12", "to_item"])
    assert t.loc["LP10b", "change"] == "renamed" and t.loc["LP10b", "from_item"] == "LP10"
    assert t.loc["LP10b", "comparable"]
    sc = d.scales.set_index("scale")
    assert not sc.loc["perceived_prevalence", "comparable"]  # LP12 removed
    assert "LP12 removed" in sc.loc["perceived_prevalence", "reason"]
    assert sc.index[sc["comparable"]].tolist() == ["factor_mobility_barriers"]


def test_options_changed(instruments_copy):
    base = instruments_copy / "regional_synergy" / "1.0.0.yaml"
    text = base.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.1.0")
    text = text.replace("3: {zh: 一般, en: Neither agree nor disagree}",
                        "3: {zh: 说不清, en: Neither agree nor disagree}")
    p = instruments_copy / "regional_synergy" / "1.1.0.yaml"
    p.write_text(text, encoding="utf-8")
    d = diff_instruments(sk.load_instrument(base), sk.load_instrument(p))
    assert set(d.table["change"]) == {"options_changed"}
    assert d.table["detail"].iloc[0] == "option labels (zh)"
    assert not d.scales["comparable"].any()


def test_diff_of_different_instruments_refused(repo_instruments):
    with pytest.raises(InstrumentError, match=r"Cannot diff different instruments "
                                              r"regional_synergy@1\.0\.0 and "):
        diff_instruments(sk.load_instrument("regional_synergy", root=repo_instruments),
                         sk.load_instrument("reward_punishment", root=repo_instruments))


def test_diff_cli(cli, tmp_path, repo_instruments):
    out = tmp_path / "cw.csv"
    res = cli("instrument", "diff", "local_protectionism", "1.0.0", "1.1.0", "--root",
              str(repo_instruments), "--crosswalk", str(out))
    assert res.exit_code == 0, res.output
    assert "LP05" in res.output and "LP13" in res.output and "LP01" not in res.output
    cw = pd.read_csv(out)
    assert list(cw.columns) == list(CROSSWALK_COLUMNS) and len(cw) == 14
    res = cli("instrument", "diff", "local_protectionism", "1.0.0", "9.0.0", "--root",
              str(repo_instruments))
    assert res.exit_code == 1 and "has no version '9.0.0'" in res.output
    assert "Traceback" not in res.output
