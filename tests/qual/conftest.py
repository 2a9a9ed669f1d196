"""Fixtures of the qualitative tests (the example study and instruments come from tests/conftest.py)."""
from __future__ import annotations

from pathlib import Path

import pytest


def write_note(folder: Path, name: str, body: str, **meta: str) -> Path:
    """A small note file for tests."""
    base = {"case_id": "T-1", "source_type": "interview", "date": "2024-01-01",
            "region": "chengdu", "language": "zh"}
    base.update(meta)
    head = "".join(f"{k}: {v}\n" for k, v in base.items())
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / f"{name}.md"
    p.write_bytes(("---\n" + head + "---\n" + body).encode("utf-8"))
    return p


@pytest.fixture()
def make_note():
    return write_note
