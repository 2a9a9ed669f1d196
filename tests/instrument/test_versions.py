"""new-version and release: drafts, the lock file, the CLI."""
from __future__ import annotations

import pytest

import surveykit as sk
from surveykit.errors import InstrumentError, ParameterError
from surveykit.instrument.lock import read_lock
from surveykit.instrument.validate import validate_instruments
from surveykit.instrument.versions import CHANGELOG_PLACEHOLDER, bump, new_version, release, semver_key


def test_bump_and_sort():
    assert bump("1.1.0", "minor") == "1.2.0" and bump("1.1.3", "patch") == "1.1.4"
    assert bump("1.9.2", "major") == "2.0.0"
    assert sorted(["1.10.0", "1.9.0", "1.2.0"], key=semver_key) == ["1.2.0", "1.9.0", "1.10.0"]
    with pytest.raises(ParameterError, match=r"The 'part' parameter of bump must be one of"):
        bump("1.0.0", "micro")


def test_new_version_then_release(instruments_copy, cli):
    root = instruments_copy
    res = cli("instrument", "new-version", "local_protectionism", "--minor", "--root", str(root))
    assert res.exit_code == 0, res.output
    draft = root / "local_protectionism" / "1.2.0.yaml"
    text = draft.read_text(encoding="utf-8")
    assert "version: 1.2.0" in text and CHANGELOG_PLACEHOLDER in text
    assert text.startswith("# Local protectionism")  # comments kept
    check = validate_instruments([root])
    assert check.ok and check.drafts == ("local_protectionism@1.2.0",)
    assert sk.load_instrument("local_protectionism", root=root).version == "1.1.0"
    # release refuses the placeholder changelog
    res = cli("instrument", "release", "local_protectionism", "1.2.0", "--root", str(root))
    assert res.exit_code == 1 and "changelog is still the placeholder" in res.output
    draft.write_text(text.replace(CHANGELOG_PLACEHOLDER, "LP02 更通俗的措辞", 1).replace(
        CHANGELOG_PLACEHOLDER, "LP02 plainer wording", 1), encoding="utf-8")
    res = cli("instrument", "release", "local_protectionism", "1.2.0", "--root", str(root))
    assert res.exit_code == 0, res.output
    assert "1.2.0" in read_lock(root)["local_protectionism"]
    assert sk.load_instrument("local_protectionism", root=root).version == "1.2.0"
    assert validate_instruments([root]).ok
    # now frozen
    with pytest.raises(InstrumentError, match=r"released already; released versions are frozen"):
        release("local_protectionism", "1.2.0", root=root)


def test_new_version_needs_one_part(cli, instruments_copy):
    res = cli("instrument", "new-version", "local_protectionism", "--root", str(instruments_copy))
    assert res.exit_code == 1 and "Choose exactly one of --major, --minor or --patch" in res.output
    res = cli("instrument", "new-version", "nope", "--major", "--root", str(instruments_copy))
    assert res.exit_code == 1 and "No instrument 'nope'" in res.output
    assert "Traceback" not in res.output


def test_release_invalid_draft_lists_problems(instruments_copy):
    p = new_version("regional_synergy", "patch", root=instruments_copy)
    p.write_text(p.read_text(encoding="utf-8").replace("min_valid: 7", "min_valid: 70"),
                 encoding="utf-8")
    with pytest.raises(sk.ValidationError, match=r"1\.0\.1\.yaml:\d+:\d+: .*min_valid 70 is "
                                                 r"larger than the scale \(9 items\)"):
        release("regional_synergy", "1.0.1", root=instruments_copy)
    with pytest.raises(InstrumentError, match=r"No file .*9\.9\.9\.yaml"):
        release("regional_synergy", "9.9.9", root=instruments_copy)


def test_sync_bundled_only_for_the_repository_folder(instruments_copy):
    from surveykit.instrument.versions import sync_bundled

    assert sync_bundled(instruments_copy) is False
