"""manifest.json: hashes, instruments, seeds, stable JSON with one timestamp field."""
from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from surveykit.instrument.model import Instrument, Item, LocalizedText, Option, ResponseScale, Scale
from surveykit.report import figures as F
from surveykit.report.manifest import (
    TIMESTAMP_FIELD,
    build_manifest,
    display_path,
    run_timestamp,
    sha256_file,
    write_manifest,
)

AGREE5 = ResponseScale("agree5", "ordinal", tuple(
    Option(v, LocalizedText(zh=zh, en=en)) for v, zh, en in
    [(1, "非常不同意", "Strongly disagree"), (2, "不同意", "Disagree"), (3, "一般", "Neutral"),
     (4, "同意", "Agree"), (5, "非常同意", "Strongly agree")]))


@pytest.fixture(scope="module")
def instrument():
    items = tuple(Item(f"IT0{i}", LocalizedText(zh=f"信任题项{i}", en=f"Trust item {i}"), AGREE5)
                  for i in (1, 2, 3))
    return Instrument(id="intergovernmental_trust", version="1.0.0", languages=("zh", "en"),
                      title=LocalizedText(zh="政府间信任", en="Intergovernmental trust"),
                      items=items,
                      scales=(Scale("competence_trust", LocalizedText(zh="能力信任", en="Competence trust"),
                                    ("IT01", "IT02", "IT03")),),
                      path="instruments/intergovernmental_trust/1.0.0.yaml", sha256="ab" * 32)


def test_sha256_and_paths(tmp_path, monkeypatch):
    f = tmp_path / "a.csv"
    f.write_bytes(b"x,y\n1,2\n")
    assert sha256_file(f) == hashlib.sha256(b"x,y\n1,2\n").hexdigest()
    monkeypatch.chdir(tmp_path)
    assert display_path(f) == "a.csv"
    assert display_path("/etc/hostname") == "/etc/hostname"


def test_timestamp_honours_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert run_timestamp() == "1970-01-01T00:00:00Z"


def test_manifest_fields_and_stable_json(tmp_path, monkeypatch, instrument):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w1.csv").write_text("a\n1\n")
    m = build_manifest(inputs=["w1.csv", "w1.csv"], instruments=[instrument, instrument],
                       seeds={"b": 2, "a": 1}, command=["surveykit", "run", "x.py"], lang="zh",
                       outputs={"tables/02_b.csv": "2", "tables/01_a.csv": "1"},
                       created_at="2026-01-01T00:00:00Z")
    assert m["inputs"] == [{"path": "w1.csv", "sha256": sha256_file(tmp_path / "w1.csv"), "bytes": 4}]
    (entry,) = m["instruments"]   # the same instrument twice is listed once
    assert {k: entry[k] for k in ("id", "version", "sha256")} == {
        "id": "intergovernmental_trust", "version": "1.0.0", "sha256": "ab" * 32}
    assert entry["path"].endswith("instruments/intergovernmental_trust/1.0.0.yaml")
    assert list(m["seeds"]) == ["a", "b"] and list(m["outputs"]) == ["tables/01_a.csv",
                                                                     "tables/02_b.csv"]
    write_manifest(m, tmp_path / "m1.json")
    write_manifest(dict(reversed(list(m.items()))), tmp_path / "m2.json")
    assert (tmp_path / "m1.json").read_bytes() == (tmp_path / "m2.json").read_bytes()
    assert json.loads((tmp_path / "m1.json").read_text())[TIMESTAMP_FIELD] == "2026-01-01T00:00:00Z"


def test_likert_from_instrument_uses_item_text_and_option_labels(instrument):
    data = pd.DataFrame({"IT01": [1, 5, 4.0], "IT02": [2, 2, 3.0], "IT03": [5, 5, 5.0]})
    fig = F.likert_bars(data, instrument=instrument, scale="competence_trust", lang="en")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["IT01 Trust item 1", "IT02 Trust item 2",
                                                            "IT03 Trust item 3"]
    assert [t.get_text() for t in fig.legends[0].get_texts()][0] == "Strongly disagree"
    assert fig.texts[0].get_text() == "Competence trust"   # scale name as the title
    zh = F.likert_bars(data, instrument=instrument, scale="competence_trust", lang="zh")
    assert [t.get_text() for t in zh.legends[0].get_texts()][-1] == "非常同意"


def test_report_records_instrument(tmp_path, instrument):
    from surveykit.report import Report

    r = Report(lang="en")
    assert r.instrument(instrument) is instrument
    r.add(pd.DataFrame({"a": [1.0]}), caption="A")
    r.write(tmp_path / "o")
    m = json.loads((tmp_path / "o/manifest.json").read_text(encoding="utf-8"))
    assert m["instruments"][0]["id"] == "intergovernmental_trust"
    html = (tmp_path / "o/report.html").read_text(encoding="utf-8")
    assert "intergovernmental_trust@1.0.0" in html


def test_instrument_without_recorded_hash_gets_its_file_hashed(tmp_path, instrument):
    from dataclasses import replace

    f = tmp_path / "1.0.0.yaml"
    f.write_text("id: x\n", encoding="utf-8")
    m = build_manifest(instruments=[replace(instrument, sha256=None, path=str(f))])
    assert m["instruments"][0]["sha256"] == sha256_file(f)


def test_combined_questionnaire_is_listed_by_component(tmp_path, monkeypatch, instrument):
    from dataclasses import replace

    from surveykit.report.manifest import instrument_entries

    combined = replace(instrument, id="questionnaire", version="a@1+b@2", sha256=None, path=None,
                       components=("local_protectionism@1.0.0", "nonexistent@9.9.9"))
    monkeypatch.chdir(tmp_path)  # no ./instruments: the study instruments shipped with surveykit
    lp, missing = instrument_entries(combined)
    assert lp["id"] == "local_protectionism" and lp["version"] == "1.0.0"
    assert len(lp["sha256"]) == 64 and lp["part_of"] == "questionnaire"
    assert missing == {"id": "nonexistent", "version": "9.9.9", "sha256": None, "path": None,
                       "part_of": "questionnaire"}
