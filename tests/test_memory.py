"""surveykit._memory: huge pages off while a heavy step runs, the setting restored after."""
import threading

import pytest

from surveykit import _memory


@pytest.mark.skipif(_memory.thp_disabled() is None, reason="no prctl THP switch (not Linux)")
def test_plain_pages_nests_and_restores():
    before = _memory.thp_disabled()
    with _memory.plain_pages():
        assert _memory.thp_disabled() is True
        with _memory.plain_pages():
            assert _memory.thp_disabled() is True
        assert _memory.thp_disabled() is True          # inner exit keeps it off
    assert _memory.thp_disabled() is before


@pytest.mark.skipif(_memory.thp_disabled() is None, reason="no prctl THP switch (not Linux)")
def test_plain_pages_restored_after_an_error_and_across_threads():
    before = _memory.thp_disabled()
    with pytest.raises(ValueError):
        with _memory.plain_pages():
            raise ValueError("boom")
    assert _memory.thp_disabled() is before
    inside = []

    def work():
        with _memory.plain_pages():
            inside.append(_memory.thp_disabled())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert inside == [True] * 4 and _memory.thp_disabled() is before


def test_plain_pages_is_a_decorator_and_harmless_elsewhere(monkeypatch):
    @_memory.plain_pages()
    def f(x):
        return x + 1

    assert f(1) == 2 and f(2) == 3                      # usable more than once
    monkeypatch.setattr(_memory, "_prctl", lambda: None)   # e.g. macOS / Windows
    with _memory.plain_pages():
        pass
    assert _memory.thp_disabled() is None
