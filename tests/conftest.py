"""Fixtures shared by several test folders: the bundled example study and its instruments."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import surveykit
from surveykit.instrument.model import Instrument

EXAMPLE = Path(surveykit.__file__).parent / "datasets" / "data" / "regional_synergy"


@pytest.fixture(scope="session")
def instruments() -> list[Instrument]:
    """The study's released instruments (latest versions), as a researcher loads them."""
    return list(surveykit.load_study_instruments())


@pytest.fixture(scope="session")
def example() -> Path:
    """The bundled example study folder (read only: copy it before writing)."""
    return EXAMPLE


@pytest.fixture()
def study(tmp_path: Path) -> Path:
    """A writable copy of the example study (notes/, codebook.yaml, codings/)."""
    dst = tmp_path / "study"
    dst.mkdir()
    for part in ("notes", "codings"):
        shutil.copytree(EXAMPLE / part, dst / part)
    shutil.copy(EXAMPLE / "codebook.yaml", dst / "codebook.yaml")
    return dst
