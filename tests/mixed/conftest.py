"""Fixtures of the joint-display tests: the bundled example study, a writable copy, and the
study instruments built with the model classes (until instruments/*.yaml are loaded)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import surveykit
from surveykit.instrument.model import (Instrument, Item, LocalizedText, Option, ResponseScale,
                                        Scale)

EXAMPLE = Path(surveykit.__file__).parent / "datasets" / "data" / "regional_synergy"

SCALES = {
    "intergovernmental_trust": {"competence_trust": "IT01 IT02 IT03", "goodwill_trust": "IT04 IT05 IT06",
                                "institutional_trust": "IT07 IT08 IT09"},
    "local_protectionism": {"market_barriers": "LP01 LP02 LP03", "administrative_barriers": "LP04 LP05 LP06",
                            "factor_mobility_barriers": "LP07 LP08 LP09",
                            "perceived_prevalence": "LP10 LP11 LP12"},
    "reward_punishment": {"collaboration_incentives": "RP01 RP02 RP03", "accountability": "RP04 RP05 RP06",
                          "appraisal_weight": "RP07 RP08 RP09", "benefit_sharing": "RP10 RP11 RP12"},
    "regional_synergy": {"willingness_to_deepen": "RS01 RS02 RS03",
                         "standardisation_effect": "RS04 RS05 RS06",
                         "joint_meeting_effectiveness": "RS07 RS08 RS09"},
}


def make_instrument(iid: str, scales: dict[str, str]) -> Instrument:
    agree5 = ResponseScale("agree5", "ordinal", tuple(
        Option(v, LocalizedText(zh=str(v), en=str(v))) for v in range(1, 6)))
    items, scale_objs = [], []
    for sid, ids in scales.items():
        for it in ids.split():
            items.append(Item(it, LocalizedText(zh=it, en=it), agree5, construct=sid))
        scale_objs.append(Scale(sid, LocalizedText(zh=sid, en=sid), tuple(ids.split()), parent=iid))
    all_items = tuple(i for ids in scales.values() for i in ids.split())
    scale_objs.append(Scale(iid, LocalizedText(zh=iid, en=iid), all_items))
    return Instrument(id=iid, version="1.0.0", languages=("zh", "en"),
                      title=LocalizedText(zh=iid, en=iid), items=tuple(items),
                      scales=tuple(scale_objs), response_scales={"agree5": agree5})


@pytest.fixture(scope="session")
def instruments() -> list[Instrument]:
    return [make_instrument(i, s) for i, s in SCALES.items()]


@pytest.fixture(scope="session")
def example() -> Path:
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
