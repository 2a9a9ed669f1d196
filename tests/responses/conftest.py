"""Fixtures for the responses tests (helpers live in responses_helpers.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from responses_helpers import (  # noqa: E402
    HEADERS_ZH,
    ITEMS,
    TEXT,
    WJX_META,
    Instrument,
    Item,
    L,
    make_mini,
    wjx_rows,
    write_csv,
)


@pytest.fixture
def mini() -> Instrument:
    return make_mini()


@pytest.fixture
def mini_text() -> Instrument:
    """The mini instrument plus a free-text item."""
    return make_mini(ITEMS + (Item("NOTE", L(zh="其他意见", en="Other comments"), TEXT,
                                   required=False),))


@pytest.fixture
def wjx_code_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "wave1_code.csv", WJX_META + HEADERS_ZH, wjx_rows(), "gb18030")


@pytest.fixture(autouse=True)
def _pseudonym_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed key so tests do not warn; tests of the warning unset it."""
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "test-key")
