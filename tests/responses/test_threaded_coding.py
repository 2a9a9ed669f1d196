"""Item columns coded on two threads give exactly what the serial loop gives."""
import pandas as pd
import pytest

import surveykit as sk
import surveykit._parallel as _parallel
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


def test_background_job_returns_or_reraises():
    assert _parallel.Job(lambda a, b: a + b, 2, 3).result() == 5
    assert _parallel.Job(lambda a, b: a + b, 2, 3, now=True).result() == 5

    def boom():
        raise ValueError("keys failed")

    for now in (False, True):
        job = _parallel.Job(boom, now=now)
        with pytest.raises(ValueError, match="keys failed"):
            job.result()


def test_in_order_yields_in_job_order_and_reraises():
    jobs = [(k,) for k in range(7)]
    assert list(_parallel.in_order(lambda k: k * k, jobs, threads=2)) == [k * k for k in range(7)]

    def boom(k):
        if k == 3:
            raise ValueError("item 3")
        return k

    got = []
    with pytest.raises(ValueError, match="item 3"):
        for v in _parallel.in_order(boom, jobs, threads=2):
            got.append(v)
    assert got == [0, 1, 2]
