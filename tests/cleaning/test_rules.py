"""Each built-in rule: what it fires on, flag vs exclude, thresholds and their errors."""
import dataclasses

import numpy as np
import pytest

import surveykit as sk
from surveykit.cleaning import (
    IRV,
    AttentionChecks,
    Duplicates,
    EvenOdd,
    InvalidValues,
    Longstring,
    Mahalanobis,
    PsychSyn,
    Speeders,
    TooMuchMissing,
)
from surveykit.errors import DataError, ParameterError


def fired(res, rule):
    return set(res.log.loc[res.log["rule"] == rule, "source_row"].astype(int) - 2)


def test_duplicates_keep_first_and_name_it(faulty):
    res = sk.clean(faulty, [Duplicates(min_answered=12)])       # the toy form has 14 items
    assert fired(res, "duplicates") == {10, 20}
    log = res.log.set_index("respondent")
    assert log.loc["r0010", "reason"] == "identical answers to row 11 (respondent r0009, kept)"
    assert log.loc["r0020", "reason"] == "same respondent_id as row 21 (respondent r0019, kept)"
    assert log.loc["r0010", "value"] == 11      # source row of the kept submission
    assert res.n_excluded == 2 and "r0009" in res.kept.index and "r0019" in res.kept.index


def test_duplicates_by_answers_only_and_by_id_only(faulty):
    assert fired(sk.clean(faulty, [Duplicates(by="answers")]), "duplicates") == {10}
    assert fired(sk.clean(faulty, [Duplicates(by="respondent_id")]), "duplicates") == {20}


def test_identical_answers_on_few_items_are_flagged_not_excluded(instrument, build):
    """#15: on a 7-item form 4 of 80 honest respondents were excluded as duplicates."""
    rng = np.random.default_rng(9)           # 4 of 80 match by chance, as in #15
    df = build.simulate(80)
    seven = ["A1", "A2", "A3", "A4", "B1", "B2", "B3"]
    df[[c for c in df.columns if c not in seven]] = np.nan
    # skewed 5-point answers, as agreement items are (match probability ≈ 0.35 per item)
    df[seven] = rng.choice([1.0, 2, 3, 4, 5], p=[.02, .05, .18, .5, .25], size=(80, 7))
    r = build.responses(df, instrument, meta={"respondent_id": [None] * 80})
    res = sk.clean(r, [Duplicates()])
    log = res.log[res.log["rule"] == "duplicates"]
    assert len(log) == 4
    assert res.n_excluded == 0 and (log["action"] == "flag").all()
    assert res.summary.loc[0, "flagged"] == len(log) and res.summary.loc[0, "excluded"] == 0
    assert log["reason"].str.fullmatch(
        r"identical answers to row \d+ \(respondent r\d{4}\) on only 7 answered items, fewer "
        r"than min_answered=20: a chance match is likely, so flagged, not excluded").all()
    # at or above the minimum the same matches are duplicates and excluded
    strict = sk.clean(r, [Duplicates(min_answered=7)])
    assert strict.n_excluded == len(log) and (strict.log["action"] == "exclude").all()
    assert set(strict.excluded.index) == set(log["respondent"])


def test_duplicates_minimum_is_the_documented_constant():
    from pathlib import Path

    from surveykit.cleaning.rules import MIN_ANSWERED_DUPLICATES

    assert Duplicates().min_answered == MIN_ANSWERED_DUPLICATES == 20
    doc = (Path(__file__).parents[2] / "docs" / "cleaning.md").read_text(encoding="utf-8")
    assert "`min_answered` (20)" in doc and "chance match" in doc


def test_duplicates_ignore_nearly_empty_records(instrument, build):
    df = build.simulate(30)
    df.iloc[3:6] = np.nan                 # three empty records are not "duplicates"
    r = build.responses(df, instrument, meta={"respondent_id": [None] * 30})
    res = sk.clean(r, [Duplicates(by="answers")])
    assert res.n_excluded == 0
    assert res.summary.loc[0, "not_evaluated"] == 3


def test_speeders_default_two_seconds_per_answered_item(faulty):
    res = sk.clean(faulty, [Speeders()])
    assert fired(res, "speeders") == {30, 40}
    row = res.log.set_index("respondent").loc["r0030"]
    assert row["value"] == pytest.approx(20 / 14) and row["threshold"] == 2
    assert "s per item, below 2" in row["reason"]
    assert res.n_excluded == 0                     # action flag by default


def test_speeders_threshold_and_missing_duration(faulty):
    assert fired(sk.clean(faulty, [Speeders(seconds_per_item=0.8)]), "speeders") == {40}
    meta = faulty.meta.copy()
    meta.loc["r0001", "duration_s"] = np.nan
    res = sk.clean(faulty.replace(meta=meta), [Speeders()])
    assert res.summary.loc[0, "not_evaluated"] == 1


def test_speeders_need_duration(faulty):
    r = faulty.replace(meta=faulty.meta.drop(columns="duration_s"))
    with pytest.raises(DataError, match=r"wave1.csv: the speeders rule needs the metadata column "
                                        r"'duration_s'"):
        sk.clean(r, [Speeders()])


def test_longstring_and_irv_find_the_straight_liner(faulty):
    res = sk.clean(faulty, [Longstring(threshold=12), IRV(below=0.2)])
    assert fired(res, "longstring") == {40}
    assert fired(res, "irv") == {40}
    assert res.indices.loc["r0040", "longstring"] == 12
    assert res.indices.loc["r0040", "irv"] == 0


def test_irv_above_and_named_twice(faulty):
    res = sk.clean(faulty, [IRV(name="irv_low", below=0.2), IRV(name="irv_high", below=None, above=1.8)])
    assert 40 in fired(res, "irv_low")
    assert 90 in fired(res, "irv_high")
    assert list(res.summary["rule"]) == ["irv_low", "irv_high"]


def test_mahalanobis_flags_random_responder(faulty):
    res = sk.clean(faulty, [Mahalanobis(p=0.001, action="exclude")])
    assert 90 in fired(res, "mahalanobis")
    from scipy.stats import chi2
    assert res.log["threshold"].iloc[0] == pytest.approx(chi2.ppf(0.999, 12))


def test_evenodd_and_psychsyn_use_keyed_items(faulty):
    res = sk.clean(faulty, [EvenOdd(threshold=0.5), PsychSyn(critval=0.5, below=0.0)])
    assert 90 in fired(res, "evenodd")
    assert 90 in fired(res, "psychsyn")
    # keyed: a careful respondent's reverse item is recoded, so consistency stays high
    assert np.nanmedian(res.indices["evenodd"]) < -0.5


def test_psychsyn_without_pairs_is_a_clear_error(faulty):
    with pytest.raises(DataError, match=r"no item pairs correlate above 0.99"):
        sk.clean(faulty, [PsychSyn(critval=0.99)])


def test_attention_checks_fail_on_wrong_and_missing(faulty):
    res = sk.clean(faulty, [AttentionChecks()])
    assert fired(res, "attention") == {50, 60}
    log = res.log.set_index("respondent")
    assert log.loc["r0050", "reason"] == "AC01 answered 4 (expected 2)"
    assert log.loc["r0060", "reason"] == "AC01 not answered (expected 2)"
    assert res.n_excluded == 2                      # action exclude by default
    res2 = sk.clean(faulty, [AttentionChecks(missing_fails=False, action="flag")])
    assert fired(res2, "attention") == {50} and res2.n_excluded == 0


def test_attention_without_checks_in_instrument(faulty):
    import dataclasses
    ins = faulty.instrument
    plain = dataclasses.replace(ins, items=tuple(dataclasses.replace(i, attention_check=None)
                                                 for i in ins.items))
    with pytest.raises(DataError, match=r"attention rule needs attention-check items"):
        sk.clean(faulty.replace(instrument=plain), [AttentionChecks()])


def test_too_much_missing_counts_reasons(faulty):
    res = sk.clean(faulty, [TooMuchMissing(max_share=0.5)])
    assert fired(res, "missing") == {70}
    v = res.indices.loc["r0070", "missing"]
    assert v == pytest.approx(10 / 14)            # 14 items: PR05, 12 scale items, AC01
    res = sk.clean(faulty, [TooMuchMissing(max_share=0.3, reasons=["refused"])])
    assert fired(res, "missing") == set()            # 4 of 14 refused
    res = sk.clean(faulty, [TooMuchMissing(max_share=0.2, reasons=["refused"])])
    assert fired(res, "missing") == {70}


def test_skipped_cells_are_not_applicable(faulty):
    miss = faulty.missing.copy()
    miss.loc["r0070", ["C1", "C2", "C3", "C4", "AC01"]] = "skipped"
    res = sk.clean(faulty.replace(missing=miss), [TooMuchMissing()])
    assert res.indices.loc["r0070", "missing"] == pytest.approx(8 / 9)


def test_invalid_values_quote_the_raw_cell(faulty):
    res = sk.clean(faulty, [InvalidValues(action="exclude")])
    assert fired(res, "invalid") == {80}
    assert res.log["reason"].iloc[0] == "invalid value(s): A1='7'"
    assert res.excluded.raw.loc["r0080", "A1"] == "7"


@pytest.mark.parametrize("make, message", [
    (lambda: Speeders(seconds_per_item=0), r"The 'seconds_per_item' parameter of speeders must be a number > 0\. Got 0 instead\."),
    (lambda: Speeders(seconds_per_item="2"), r"The 'seconds_per_item' parameter of speeders must be a number > 0\. Got '2' instead\."),
    (lambda: Longstring(threshold=1), r"The 'threshold' parameter of longstring must be an integer >= 2\. Got 1 instead\."),
    (lambda: Longstring(threshold=5.5), r"'threshold' parameter of longstring must be an integer"),
    (lambda: IRV(below=-1), r"The 'below' parameter of irv must be a number >= 0\. Got -1 instead\."),
    (lambda: IRV(below=None), r"The 'below' parameter of irv must be a number >= 0 when 'above' is not set"),
    (lambda: IRV(below=1, above=0.5), r"The 'above' parameter of irv must be a number > 1\. Got 0.5"),
    (lambda: Mahalanobis(p=0), r"The 'p' parameter of mahalanobis must be a number > 0 and < 1\. Got 0 instead\."),
    (lambda: Mahalanobis(p=1.5), r"The 'p' parameter of mahalanobis must be a number > 0 and < 1\. Got 1.5"),
    (lambda: EvenOdd(threshold=2), r"The 'threshold' parameter of evenodd must be a number >= -1 and <= 1\. Got 2"),
    (lambda: EvenOdd(scales="sub_a"), r"The 'scales' parameter of evenodd must be a list of scale ids"),
    (lambda: PsychSyn(critval=1), r"The 'critval' parameter of psychsyn must be a number > 0 and < 1\. Got 1"),
    (lambda: PsychSyn(below=-3), r"The 'below' parameter of psychsyn must be a number >= -1 and <= 1"),
    (lambda: PsychSyn(anto="yes"), r"The 'anto' parameter of psychsyn must be one of \{False, True\}\. Got 'yes'"),
    (lambda: AttentionChecks(max_failed=-1), r"The 'max_failed' parameter of attention must be an integer >= 0\. Got -1"),
    (lambda: TooMuchMissing(max_share=1), r"The 'max_share' parameter of missing must be a number >= 0 and < 1\. Got 1"),
    (lambda: TooMuchMissing(reasons=["lost"]), r"The 'reasons' parameter of missing must be one of \{'skipped', 'empty'"),
    (lambda: InvalidValues(max_invalid=0.5), r"The 'max_invalid' parameter of invalid must be an integer >= 0\. Got 0.5"),
    (lambda: Duplicates(by="email"), r"The 'by' parameter of duplicates must be one of \{'respondent_id', 'answers', 'both'\}\. Got 'email'"),
    (lambda: Duplicates(min_answered=0), r"The 'min_answered' parameter of duplicates must be an integer >= 1"),
    (lambda: Speeders(action="drop"), r"The 'action' parameter of speeders must be one of \{'flag', 'exclude'\}\. Got 'drop' instead\."),
    (lambda: Speeders(name=""), r"The 'name' parameter of speeders must be a non-empty string"),
    (lambda: Longstring(items="A1"), r"The 'items' parameter of longstring must be a list of item ids"),
])
def test_thresholds_out_of_range_use_the_template(make, message):
    with pytest.raises(ParameterError, match=message):
        make()


def test_unknown_items_and_scales(faulty):
    with pytest.raises(ParameterError, match=r"The 'items' parameter of irv must name items of the "
                                             r"responses\. Got 'Z9' instead"):
        sk.clean(faulty, [IRV(items=["A1", "Z9"])])
    with pytest.raises(ParameterError, match=r"The 'scales' parameter of evenodd must name scales "
                                             r"of toy@1.0.0\. Got 'nope' instead"):
        sk.clean(faulty, [EvenOdd(scales=["sub_a", "nope"])])
    with pytest.raises(DataError, match=r"evenodd rule needs at least 2 scales"):
        sk.clean(faulty, [EvenOdd(scales=["sub_a"])])


def test_rules_are_frozen_and_round_trip(faulty):
    r = Speeders(seconds_per_item=1.5, action="exclude")
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.seconds_per_item = 3
    assert r.as_dict() == {"rule": "speeders", "action": "exclude", "seconds_per_item": 1.5}
    assert IRV(name="irv_low").label == "irv_low"


def test_duplicate_answers_are_confirmed_on_values_not_only_hash(faulty, monkeypatch):
    from surveykit.cleaning.context import Context

    # every row hashes alike: only the true copy (row 10 of row 9) may fire
    monkeypatch.setattr(Context, "row_hash", lambda self: np.zeros(self.n, dtype=np.uint64))
    res = sk.clean(faulty, [Duplicates(by="answers")])
    assert fired(res, "duplicates") <= {10}
    res2 = sk.clean(faulty, [Duplicates(by="answers")])
    assert res2.n_excluded <= 1


def test_duplicates_with_missing_cells_and_text(instrument, build):
    df = build.simulate(20)
    df.loc[3, "A2"] = np.nan
    df.iloc[7] = df.iloc[3]                  # same answers, same missing cell
    df.iloc[8] = df.iloc[3]
    df.loc[8, "A2"] = 3.0                    # differs only where row 3 is missing
    r = build.responses(df, instrument)
    res = sk.clean(r, [Duplicates(by="answers")])
    assert fired(res, "duplicates") == {7}


ALL_RULES = {
    "duplicates": {"min_answered": 12}, "speeders": {}, "longstring": {"threshold": 12}, "irv": {"below": 0.2},
    "mahalanobis": {}, "evenodd": {"threshold": 0.5}, "psychsyn": {"critval": 0.5},
    "attention": {}, "missing": {}, "invalid": {},
}


@pytest.mark.parametrize("kind", sorted(ALL_RULES))
def test_every_rule_flags_or_excludes_the_same_respondents(faulty, kind):
    from surveykit.cleaning import RULE_TYPES

    # personal_data masks text (action mask/flag) and excludes nobody: tests/cleaning/test_personal.py
    assert set(ALL_RULES) | {"personal_data"} == set(RULE_TYPES)
    cls = RULE_TYPES[kind]
    flag = sk.clean(faulty, [cls(action="flag", **ALL_RULES[kind])])
    excl = sk.clean(faulty, [cls(action="exclude", **ALL_RULES[kind])])
    fired_rows = set(flag.log["respondent"])
    assert fired_rows, f"{kind} found none of the planted faults"
    assert flag.n_excluded == 0 and flag.n_kept == faulty.n
    assert (flag.log["action"] == "flag").all() and (excl.log["action"] == "exclude").all()
    assert set(excl.excluded.index) == fired_rows
    assert excl.n_raw == excl.n_kept + excl.n_excluded
    assert excl.summary.loc[0, "excluded"] == excl.summary.loc[0, "flagged"] == len(fired_rows)


def test_mahalanobis_small_or_singular_data_is_a_clear_error(instrument, build):
    r = build.responses(build.simulate(50).iloc[:8], instrument)
    with pytest.raises(DataError, match=r"wave1.csv: the mahalanobis rule needs more respondents "
                                        r"than items; there are 8 respondents with answers for 12"):
        sk.clean(r, [Mahalanobis()])
    df = build.simulate(50)
    df["A2"] = df["A1"]                                 # a copy of another item
    with pytest.raises(DataError, match=r"cannot invert the covariance of the 12 items"):
        sk.clean(build.responses(df, instrument), [Mahalanobis()])


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_inputs_keep_row_accounting(instrument, build, n):
    r = build.responses(build.simulate(50).iloc[:n], instrument)
    res = sk.clean(r, [Duplicates(), Speeders(), Longstring(), IRV(), EvenOdd(), AttentionChecks(),
                       TooMuchMissing(), InvalidValues()])
    assert res.n_raw == n == res.n_kept + res.n_excluded


def test_join_per_row_keeps_order_and_leaves_rows_without_cells_empty():
    import numpy as np

    from surveykit.cleaning.rules import _join, _join_per_row

    rows = np.array([0, 0, 2, 2, 2])
    cells = np.array(["A1='7'", "A3", "B='x'", "C", "D='非'"], dtype=object)
    got = _join_per_row(rows, cells, 4)
    assert got.tolist() == ["A1='7'; A3", "", "B='x'; C; D='非'", ""]
    pieces = [np.array(["A1='7'", "", "B='x'", ""], dtype=object),       # the column-wise way
              np.array(["A3", "", "C", ""], dtype=object), np.array(["", "", "D='非'", ""], dtype=object)]
    assert _join(pieces, 4).tolist() == got.tolist()
    assert _join_per_row(np.array([], dtype=np.int64), np.array([], dtype=object), 2).tolist() == ["", ""]
