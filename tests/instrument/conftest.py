"""Shared fixtures for instrument tests: paths to the repository's instruments."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INSTRUMENTS = REPO / "instruments"


@pytest.fixture
def repo_instruments() -> Path:
    return INSTRUMENTS


@pytest.fixture
def instruments_copy(tmp_path: Path) -> Path:
    """A private copy of instruments/ (with its lock) that a test may change."""
    dst = tmp_path / "instruments"
    shutil.copytree(INSTRUMENTS, dst)
    return dst


@pytest.fixture
def cli():
    """Run the surveykit CLI in-process: ``cli("instrument", "validate", path)``."""
    from typer.testing import CliRunner

    from surveykit.cli import app

    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run
