"""Across instrument versions only the crosswalk decides: no text match to a reworded item (#15)."""
import shutil
from pathlib import Path

import pytest
from responses_helpers import write_csv

from surveykit import load_instrument, read_responses
from surveykit.errors import ResponsesError

SRC = Path(__file__).resolve().parents[2] / "instruments" / "local_protectionism" / "1.0.0.yaml"
OLD = "在对方地区取得的资质和证照，在本地难以得到认可。"
NEW = "在对方地区取得的资质和证照，在本地往往难以得到认可。"     # reworded slightly (≈0.95)


@pytest.fixture
def root(tmp_path):
    folder = tmp_path / "instruments" / "local_protectionism"
    folder.mkdir(parents=True)
    shutil.copy(SRC, folder / "1.0.0.yaml")
    text = SRC.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.1.0")
    assert OLD in text
    (folder / "1.1.0.yaml").write_text(text.replace(OLD, NEW), encoding="utf-8")
    return tmp_path / "instruments"


def _export(tmp_path, ins):
    heads = ["respondent"] + [it.text["zh"] for it in ins.items]
    return write_csv(tmp_path / "w1.csv", heads, [["a"] + ["3"] * len(ins.items)])


def test_old_wording_is_not_matched_to_the_reworded_item(tmp_path, root):
    old = load_instrument("local_protectionism", "1.0.0", root=root)
    new = load_instrument("local_protectionism", "1.1.0", root=root)
    p = _export(tmp_path, old)
    with pytest.raises(ResponsesError, match=(
            r"w1\.csv: the columns do not map cleanly .*\n  - column 6 '在对方地区.*': ambiguous — "
            r"the text resembles LP05 \(0\.9\d\) but is the wording of LP05 in "
            r"local_protectionism@1\.0\.0, not comparable with this version \(wording_changed\); "
            r"import the file with version 1\.0\.0 \(--version local_protectionism=1\.0\.0\)")):
        read_responses(p, new, key="k")


def test_the_right_version_imports_and_other_fuzzy_matches_still_work(tmp_path, root):
    old = load_instrument("local_protectionism", "1.0.0", root=root)
    r = read_responses(_export(tmp_path, old), old, key="k")
    assert r.mapping.set_index("column").loc[OLD, "method"] == "text"
    # a typo in an item that did not change between versions is still a fuzzy match
    new = load_instrument("local_protectionism", "1.1.0", root=root)
    heads = ["respondent"] + [it.text["zh"] for it in new.items]
    heads[1] = heads[1].replace("倾向于", "倾向")
    r = read_responses(write_csv(tmp_path / "w2.csv", heads, [["a"] + ["3"] * len(new.items)]),
                       new, key="k")
    assert r.mapping.set_index("item").loc["LP01", "method"] == "fuzzy"
