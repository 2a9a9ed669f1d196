"""surveykit._parallel: ordered results from two threads; a background job that re-raises."""
import pytest

import surveykit._parallel as _parallel


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


def test_background_job_returns_or_reraises():
    assert _parallel.Job(lambda a, b: a + b, 2, 3).result() == 5
    assert _parallel.Job(lambda a, b: a + b, 2, 3, now=True).result() == 5

    def boom():
        raise ValueError("keys failed")

    for now in (False, True):
        job = _parallel.Job(boom, now=now)
        with pytest.raises(ValueError, match="keys failed"):
            job.result()
