"""The example in docs/instruments.md is a valid instrument."""
from __future__ import annotations

import re
from pathlib import Path

from surveykit.instrument.validate import validate_instruments

DOC = Path(__file__).resolve().parents[2] / "docs" / "instruments.md"


def test_documented_example_validates(tmp_path):
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    check = validate_instruments([path])
    assert check.ok, str(check)
    ins = check.instruments[0]
    assert ins.item("MN04").relevant == "MN03 == 1"
    assert ins.item("MN01").construct == "mini.mini_a"
