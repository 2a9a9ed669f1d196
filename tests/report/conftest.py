"""Fixtures for the report tests: small fake Results and DataFrames (no analysis code)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from surveykit.result import Result, make_provenance


@dataclass(frozen=True, kw_only=True)
class FakeAlpha(Result):
    """Shaped like a reliability result: headline fields + tidy table."""

    alpha: float
    n: int
    title: str = "Reliability"


@pytest.fixture(scope="module")
def fake_result() -> FakeAlpha:
    table = pd.DataFrame({
        "scale": ["market_barriers", "administrative_barriers"],
        "term": ["alpha", "alpha"],
        "estimate": [0.8712, 0.7049],
        "ci_low": [0.8411, 0.6502],
        "ci_high": [0.8963, 0.7523],
        "n": [300, 298],
        "method": ["feldt", "feldt"],
    })
    prov = make_provenance("reliability", {"missing": "pairwise", "ci": 0.95, "seed": 20240501},
                           {"missing": "pairwise", "ci": 0.95, "seed": None},
                           instruments=("local_protectionism@1.0.0",),
                           r_equivalent="psych::alpha(x)")
    return FakeAlpha(table=table, provenance=prov, alpha=0.8712, n=300)


@pytest.fixture(scope="module")
def likert_data() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    df = pd.DataFrame({f"IT0{i}": rng.integers(1, 6, 120).astype(float) for i in range(1, 4)})
    df.iloc[5, 0] = np.nan
    return df


ITEM_TEXT = {"IT01": {"zh": "对方政府有能力履行合作协议", "en": "The other government is competent"},
             "IT02": {"zh": "对方政府会信守承诺", "en": "The other government keeps its word"},
             "IT03": {"zh": "两地的制度安排值得信赖", "en": "The joint institutions are reliable"}}


@pytest.fixture
def item_text() -> dict:
    return ITEM_TEXT


def build_report(out, fake_result, likert_data, *, lang="zh", input_path=None):
    """A small but complete report (sample, methods, a Result, a DataFrame, two figures)."""
    from surveykit.report import Report
    from surveykit.report import figures as F

    report = Report(title={"zh": "区域协同测试报告", "en": "Regional synergy test report"})
    if input_path is not None:
        report.input_file(input_path)
    report.seed("bootstrap", 123)
    report.sample(130, pd.DataFrame({"rule": ["duplicates", "speed"],
                                     "threshold": ["", "< 120 s"], "n_excluded": [4, 6]}),
                  {"成都": 62, "重庆": 58})
    report.methods(zh="缺失值采用成对删除。", en="Missing values were handled pairwise.")
    report.section("信度", "Reliability")
    report.add(fake_result, caption={"zh": "各分量表的信度", "en": "Reliability of the subscales"})
    report.section("描述统计", "Descriptives")
    report.add(pd.DataFrame({"item": ["IT01", "IT02"], "mean": [3.1234, 2.9], "sd": [1.1, 1.234],
                             "p_value": [0.0004, 0.2]}), caption={"zh": "题项", "en": "Items"})
    report.figure(F.likert_bars(likert_data, labels=ITEM_TEXT, lang=lang), name="likert_trust",
                  caption={"zh": "政府间信任题项", "en": "Trust items"})
    report.figure(F.scree_plot([2.5, 1.2, 0.7], [1.3, 1.1, 1.0], lang=lang), name="scree")
    report.write(out, lang=lang, command=["surveykit", "run", "study.py"])
    return report


@pytest.fixture(scope="module")
def make_report(fake_result, likert_data):
    """Call ``make_report(out, lang=..., input_path=...)`` to write the small report."""
    def make(out, **kw):
        return build_report(out, fake_result, likert_data, **kw)
    return make
