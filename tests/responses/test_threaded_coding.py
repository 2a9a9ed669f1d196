"""Item columns coded on two threads give exactly what the serial loop gives."""
import pandas as pd

import surveykit as sk
import surveykit.responses.read as read_mod
from surveykit.datasets import example_study_path

STUDY = ("respondent_profile,intergovernmental_trust,local_protectionism,"
         "reward_punishment,regional_synergy")


def _read():
    return sk.read_responses(example_study_path("wave1"), STUDY,
                             version={"local_protectionism": "1.0.0"}, key="k", wave="1")


def test_threaded_coding_equals_serial(monkeypatch):
    serial = _read()
    monkeypatch.setattr(read_mod, "THREADED_ROWS", 1)     # keys on a second thread too
    monkeypatch.setattr(read_mod, "BACKGROUND_BYTES", 1)  # and the file's SHA-256
    threaded = _read()
    for name in ("values", "missing", "raw", "meta", "issues"):
        pd.testing.assert_frame_equal(getattr(threaded, name), getattr(serial, name))
    assert threaded.sources == serial.sources
    assert len(serial.issues) and serial.issues["respondent"].notna().any()
