"""clean(): row accounting, overlapping rules, the log and summary, nothing written."""
import hashlib

import pandas as pd
import pytest

import surveykit as sk
from surveykit.cleaning import (
    IRV,
    LOG_COLUMNS,
    SUMMARY_COLUMNS,
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
from surveykit.errors import ParameterError


def every_rule(action="exclude"):
    return [Duplicates(action=action), Speeders(action=action), Longstring(threshold=12, action=action),
            IRV(below=0.2, action=action), Mahalanobis(action=action), EvenOdd(threshold=0.9, action=action),
            PsychSyn(critval=0.5, below=-0.9, action=action), AttentionChecks(action=action),
            TooMuchMissing(action=action), InvalidValues(action=action)]


def test_row_accounting_with_overlapping_rules(faulty):
    res = sk.clean(faulty, every_rule())
    assert res.n_raw == faulty.n == res.n_kept + res.n_excluded
    assert res.kept.n == res.n_kept and res.excluded.n == res.n_excluded
    assert res.kept.index.intersection(res.excluded.index).empty
    assert res.kept.index.union(res.excluded.index).sort_values().equals(faulty.index.sort_values())
    # row 40 is a speeder, a long string and has no variability: three log rows, one exclusion
    r40 = res.log[res.log["respondent"] == "r0040"]
    assert set(r40["rule"]) >= {"speeders", "longstring", "irv"}
    assert res.summary["excluded"].sum() == res.n_excluded
    assert (res.summary["flagged"] >= res.summary["excluded"]).all()
    # first exclusion attributed once, in declared order: r0040 counts for speeders only
    assert res.summary.set_index("rule").loc["speeders", "excluded"] == 2
    assert res.summary.set_index("rule").loc["longstring", "excluded"] == 0
    assert set(res.log["respondent"]) == set(res.excluded.index)


def test_every_planted_fault_is_caught(faulty):
    res = sk.clean(faulty, every_rule())
    assert {f"r{i:04d}" for i in (10, 20, 30, 40, 50, 60, 70, 80, 90)} <= set(res.excluded.index)


def test_flags_keep_rows_and_exclusions_are_logged(faulty):
    res = sk.clean(faulty, every_rule("flag"))
    assert res.n_excluded == 0 and res.n_kept == faulty.n
    assert res.n_flagged == res.log["respondent"].nunique() > 0
    assert (res.log["action"] == "flag").all()


def test_n_flagged_counts_kept_respondents_in_the_log(faulty):
    rules = every_rule()[:4] + every_rule("flag")[4:]    # excluding and flagging rules mixed
    res = sk.clean(faulty, rules)
    assert 0 < res.n_flagged and res.n_excluded > 0
    in_log = set(res.log["respondent"])
    assert res.n_flagged == len(in_log & set(res.kept.index))
    assert res.n_flagged <= res.n_kept
    assert res.one_line().endswith(f"; {res.n_flagged} kept rows flagged")


def test_kept_and_excluded_keep_everything_aligned(faulty):
    res = sk.clean(faulty, every_rule())
    for part in (res.kept, res.excluded):
        for name in ("missing", "raw", "meta"):
            assert getattr(part, name).index.equals(part.values.index)
    pd.testing.assert_frame_equal(res.excluded.values, faulty.values.loc[res.excluded.index])
    assert res.excluded.raw.loc["r0080", "A1"] == "7"
    pd.testing.assert_frame_equal(res.kept.values, faulty.values.loc[res.kept.index])


def test_log_and_summary_columns(faulty):
    res = sk.clean(faulty, every_rule())
    assert tuple(res.log.columns) == LOG_COLUMNS
    assert tuple(res.summary.columns) == SUMMARY_COLUMNS
    assert res.log["source_file"].eq("wave1.csv").all()
    assert (res.log["source_row"] == res.log["respondent"].str[1:].astype(int) + 2).all()
    assert res.log["reason"].str.len().min() > 5
    assert res.log["value"].dtype == "float64" and res.log["threshold"].dtype == "float64"
    assert list(res.summary["rule"]) == [r.label for r in every_rule()]
    assert res.summary.loc[1, "thresholds"] == "seconds_per_item=2.0"
    assert tuple(res.indices.columns) == tuple(res.summary["rule"])
    assert res.table is res.summary


def test_one_line_summary_and_text(faulty):
    res = sk.clean(faulty, [Duplicates(), AttentionChecks(), Speeders()])
    # the copy of row 9 has 14 answered items, fewer than min_answered (20): flagged only
    assert res.one_line() == ("240 rows in, 237 kept, 3 excluded (duplicates 1, attention 2); "
                              "3 kept rows flagged")
    assert "duplicates" in res.describe() and "<table" in res._repr_html_()
    assert res.provenance.analysis == "clean"
    assert res.provenance.parameters["rules"][0] == {"rule": "duplicates", "action": "exclude",
                                                     "by": "both", "min_answered": 20}
    assert res.provenance.instruments == ("toy@1.0.0",)


def test_no_rule_fires_gives_empty_typed_log(clean_data):
    res = sk.clean(clean_data, [AttentionChecks(), InvalidValues()])
    assert len(res.log) == 0 and tuple(res.log.columns) == LOG_COLUMNS
    assert res.n_kept == clean_data.n and res.excluded.n == 0
    assert res.one_line() == "240 rows in, 240 kept, 0 excluded"


def test_empty_rule_list_keeps_everyone(clean_data):
    res = sk.clean(clean_data, [])
    assert res.n_kept == 240 and len(res.summary) == 0 and len(res.log) == 0


def test_input_is_not_changed(faulty):
    before = faulty.values.copy(), faulty.meta.copy(), faulty.missing.copy()
    sk.clean(faulty, every_rule())
    pd.testing.assert_frame_equal(faulty.values, before[0])
    pd.testing.assert_frame_equal(faulty.meta, before[1])
    pd.testing.assert_frame_equal(faulty.missing, before[2])


def test_raw_file_sha256_unchanged_by_a_full_clean(tmp_path, faulty, build):
    # the raw export on disk → responses → clean with every rule; the file's bytes stay the same
    path = tmp_path / "wave1.csv"
    faulty.raw.assign(duration_s=faulty.meta["duration_s"]).to_csv(path, index=False)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    table = pd.read_csv(path)
    values = table.drop(columns="duration_s").apply(pd.to_numeric, errors="coerce")
    r = build.responses(values, faulty.instrument, missing=faulty.missing.reset_index(drop=True),
                        meta={"duration_s": table["duration_s"].to_numpy(),
                              "respondent_id": faulty.meta["respondent_id"].to_numpy()},
                        source=str(path))
    res = sk.clean(r, every_rule())
    assert res.n_raw == res.n_kept + res.n_excluded
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wave1.csv"]


def test_clean_from_rules_file(tmp_path, faulty):
    f = tmp_path / "rules.yaml"
    f.write_text("rules:\n  - rule: duplicates\n  - rule: attention\n    action: flag\n", encoding="utf-8")
    res = sk.clean(faulty, str(f))
    assert list(res.summary["rule"]) == ["duplicates", "attention"]
    assert res.n_excluded == 1          # the id duplicate; identical answers on 14 items flagged


def test_progress_callback_sees_every_rule(faulty):
    seen = []
    sk.clean(faulty, [Duplicates(), Speeders()], progress=lambda label, i, n: seen.append((label, i, n)))
    assert seen == [("duplicates", 0, 2), ("speeders", 1, 2), ("split", 2, 2)]


def test_bad_arguments(faulty):
    with pytest.raises(ParameterError, match=r"The 'responses' parameter of clean must be a "
                                             r"Responses \(from surveykit.read_responses\)\. Got DataFrame"):
        sk.clean(faulty.values, [Speeders()])
    with pytest.raises(ParameterError, match=r"The 'rules' parameter of clean must be a rules file "
                                             r"path or a list of rules"):
        sk.clean(faulty, [{"rule": "speeders"}])
    with pytest.raises(ParameterError, match=r"must not use one rule name twice\. Got 'irv' twice"):
        sk.clean(faulty, [IRV(), IRV(above=2)])


def test_responses_without_source_file_column(faulty):
    r = faulty.replace(meta=faulty.meta.drop(columns=["source_file", "source_row"]))
    res = sk.clean(r, [AttentionChecks()])
    assert res.log["source_row"].tolist() == [52, 62]       # falls back to data row + header
    assert res.log["source_file"].eq("").all()


def test_full_clean_of_a_real_import_keeps_the_file_and_accounts_for_every_row(tmp_path):
    import shutil

    datasets = pytest.importorskip("surveykit.datasets")
    src = tmp_path / "wave1.csv"
    shutil.copy(datasets.example_study_path("wave1"), src)
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    mtime = src.stat().st_mtime_ns
    ids = ["respondent_profile", "intergovernmental_trust", "local_protectionism",
           "reward_punishment", "regional_synergy"]
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = sk.read_responses(src, ids, version={"local_protectionism": "1.0.0"}, key="test")
    rules = [Duplicates(), Speeders(action="exclude"), Longstring(action="exclude"),
             IRV(action="exclude"), Mahalanobis(action="exclude"), EvenOdd(), PsychSyn(critval=0.4),
             AttentionChecks(), TooMuchMissing(action="exclude"), InvalidValues(action="exclude")]
    res = sk.clean(r, rules)
    assert res.n_raw == r.n == res.n_kept + res.n_excluded
    assert res.summary["excluded"].sum() == res.n_excluded
    assert set(res.excluded.index) <= set(res.log.loc[res.log["action"] == "exclude", "respondent"])
    assert hashlib.sha256(src.read_bytes()).hexdigest() == sha and src.stat().st_mtime_ns == mtime
    # the planted duplicates of the simulated study are found and the first copy is kept
    truth = pd.read_csv(datasets.example_study_path("truth"))
    dups = truth[(truth["kind"] == "duplicate") & (truth["wave"] == 1)]
    found = res.log[res.log["rule"] == "duplicates"].set_index("source_row")["value"]
    assert set(dups["source_row"]) == set(found.index.astype(int))
    assert (found.loc[dups["source_row"]].to_numpy() == dups["duplicate_of_row"].to_numpy()).all()


def test_planted_speeders_and_straight_liners_of_the_example_study_are_found():
    import warnings

    datasets = pytest.importorskip("surveykit.datasets")
    ids = ["respondent_profile", "intergovernmental_trust", "local_protectionism",
           "reward_punishment", "regional_synergy"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = sk.read_responses(datasets.example_study_path("wave1"), ids,
                              version={"local_protectionism": "1.0.0"}, key="test")
    res = sk.clean(r, [Speeders(), Longstring(), IRV()])
    truth = pd.read_csv(datasets.example_study_path("truth"))
    truth = truth[truth["wave"] == 1]
    for kind, rule in (("speeder", "speeders"), ("straightliner", "longstring"),
                       ("straightliner", "irv")):
        planted = set(truth.loc[truth["kind"] == kind, "source_row"])
        found = set(res.log.loc[res.log["rule"] == rule, "source_row"].astype(int))
        assert planted and planted <= found, (kind, rule, planted - found)


def test_duplicate_ids_found_alike_from_pseudonyms_and_plain_ids():
    from surveykit.cleaning.rules import _id_codes

    ids = pd.Series(["pa000000000000001", "pb000000000000002", None, "pa000000000000001",
                     "pb000000000000002", "pa000000000000001"], dtype="str")
    fast = _id_codes(ids)
    slow = pd.factorize(ids, use_na_sentinel=True)[0]
    assert fast.tolist() == slow.tolist() == [0, 1, -1, 0, 1, 0]
