"""Loading instruments: ids, paths, versions, the shipped copy, the study questionnaire."""
from __future__ import annotations

import filecmp
import os
from pathlib import Path

import pytest

import surveykit as sk
from surveykit.errors import InstrumentError, ValidationError
from surveykit.instrument.load import (
    STUDY_INSTRUMENTS,
    bundled_root,
    load_questionnaire,
    load_study_instruments,
)

REPO = Path(__file__).resolve().parents[2]


def test_latest_released_by_default(repo_instruments):
    ins = sk.load_instrument("local_protectionism", root=repo_instruments)
    assert ins.ref == "local_protectionism@1.1.0"
    assert ins.sha256 and len(ins.sha256) == 64
    old = sk.load_instrument("local_protectionism", "1.0.0", root=repo_instruments)
    assert "LP13" not in old.item_ids and "LP13" in ins.item_ids


def test_load_by_path_and_folder(repo_instruments):
    a = sk.load_instrument(repo_instruments / "local_protectionism" / "1.0.0.yaml")
    b = sk.load_instrument(str(repo_instruments / "local_protectionism"), "1.0.0")
    assert a == b or a.items == b.items


def test_works_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./instruments here: the shipped copy is used
    ins = sk.load_instrument("local_protectionism")
    assert ins.version == "1.1.0"
    assert Path(ins.path).is_relative_to(bundled_root())


def test_local_instruments_folder_wins(tmp_path, monkeypatch, instruments_copy):
    monkeypatch.chdir(instruments_copy.parent)
    ins = sk.load_instrument("regional_synergy")
    assert Path(ins.path).resolve().is_relative_to(instruments_copy.resolve())


def test_bundled_copy_identical_to_repository():
    """surveykit/instrument/data/instruments must equal instruments/ (copy it over)."""
    b = bundled_root()
    ours = sorted(p.relative_to(REPO / "instruments") for p in (REPO / "instruments").rglob("*")
                  if p.is_file())
    theirs = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert ours == theirs, ("run: rm -rf surveykit/instrument/data/instruments && "
                            "cp -r instruments surveykit/instrument/data/instruments")
    for rel in ours:
        assert filecmp.cmp(REPO / "instruments" / rel, b / rel, shallow=False), rel


def test_study_model_contents():
    lp = sk.load_instrument("local_protectionism", "1.0.0")
    assert lp.scale("administrative_barriers").items == ("LP04", "LP05", "LP06")
    assert lp.item("LP01").construct == "local_protectionism.market_barriers"
    assert lp.item("AC01").attention_check == 4 and lp.item("AC01").construct is None
    assert lp.item("LP03").reverse and lp.item_range("LP03") == (1, 5)
    assert lp.item("LP03").response.missing_kind(-99) == "refused"
    assert lp.item("LP03").response.missing_kind(-98) == "dont_know"
    assert lp.display_number("AC01") == 7
    for ins in load_study_instruments():
        for s in ins.scales:
            assert len(s.items) >= 3
            assert ins.reverse_items(s.id), f"{ins.id}.{s.id} has no reverse-keyed item"
        assert set(ins.languages) == {"zh", "en"}
    pr = sk.load_instrument("respondent_profile")
    assert pr.item("PR06a").relevant == "PR06 == 1"
    assert pr.item("PR05").response.type == "numeric"
    assert pr.item("PR01").response.label(2, "zh") == "重庆"


def test_questionnaire_order():
    q = load_questionnaire(versions={"local_protectionism": "1.0.0"})
    assert [r.split("@")[0] for r in q.components] == list(STUDY_INSTRUMENTS)
    assert q.item_ids[0] == "PR01" and len(q.items) == 62      # PR06b: 6 + text, PR10 + text


def test_unknown_instrument_and_version_messages(repo_instruments):
    with pytest.raises(InstrumentError, match=r"No instrument 'local_protectionsm'.*Did you mean "
                                              r"'local_protectionism'"):
        sk.load_instrument("local_protectionsm", root=repo_instruments)
    with pytest.raises(InstrumentError, match=r"has no version '2\.0\.0'.*versions: 1\.0\.0, 1\.1\.0"):
        sk.load_instrument("local_protectionism", "2.0.0", root=repo_instruments)
    with pytest.raises(InstrumentError, match=r"'version' parameter of load_instrument must be"):
        sk.load_instrument("local_protectionism", "1.0", root=repo_instruments)
    with pytest.raises(InstrumentError, match=r"No instrument file .*nope\.yaml"):
        sk.load_instrument("nope.yaml")


def test_drafts_are_not_loaded_by_default(instruments_copy):
    from surveykit.instrument.versions import new_version

    path = new_version("regional_synergy", "minor", root=instruments_copy)
    assert path.name == "1.1.0.yaml"
    ins = sk.load_instrument("regional_synergy", root=instruments_copy)
    assert ins.version == "1.0.0"
    assert sk.load_instrument("regional_synergy", "1.1.0", root=instruments_copy).version == "1.1.0"


def test_invalid_file_raises_validation_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: 1.0\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"bad\.yaml:2:10: version: bad semantic version"):
        sk.load_instrument(bad)
    assert os.path.exists(bad)


def test_loading_a_changed_release_warns(instruments_copy):
    f = instruments_copy / "regional_synergy" / "1.0.0.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("联席会议流于形式", "联席会议流于表面"),
                 encoding="utf-8")
    with pytest.warns(sk.SurveykitWarning, match=r"1\.0\.0\.yaml has changed since "
                                                 r"regional_synergy@1\.0\.0 was released"):
        ins = sk.load_instrument("regional_synergy", root=instruments_copy)
    assert "联席会议流于表面" in ins.item("RS09").text["zh"]


def test_combined_questionnaire_keeps_instructions_and_title():
    q = load_questionnaire()
    assert q.title["zh"] == "成渝地区政府间协同合作调查问卷"
    trust = [s for s in q.sections if s.id == "intergovernmental_trust"][0]
    assert trust.description["en"].startswith('In this part, "the partner region" means')
    assert "，选择最符合" in trust.description["zh"]  # no space left by YAML folding
