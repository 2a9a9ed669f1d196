"""Versions: new drafts and releases (the semantic-version helpers live in :mod:`.semver`).

Release workflow (see docs/instruments.md)::

    surveykit instrument new-version local_protectionism --minor   # draft 1.2.0.yaml
    # edit the draft, write its changelog, validate
    surveykit instrument release local_protectionism 1.2.0           # lock it (frozen)

A draft is a version file not yet in ``instruments.lock``; ``release`` validates it,
refuses a placeholder changelog, and records its SHA-256 in the lock. From then on any
change to the file makes ``surveykit instrument validate`` fail.
"""
from __future__ import annotations

import re
from pathlib import Path

from .._files import write_text
from ..errors import InstrumentError, check_choice
from .load import bundled_root, list_versions, read_instrument
from .lock import file_sha256, read_lock, write_lock
from .semver import bump, is_semver, semver_key

__all__ = ["is_semver", "semver_key", "bump", "new_version", "release", "sync_bundled",
           "CHANGELOG_PLACEHOLDER"]

#: The changelog text a new draft starts with; ``release`` refuses it.
CHANGELOG_PLACEHOLDER = "TODO: describe what changed in this version"


def new_version(instrument_id: str, part: str = "minor", *, root: str | Path = "instruments"
                ) -> Path:
    """Copy the latest version of an instrument forward as a new draft.

    The copy keeps comments and layout; only ``version`` and ``changelog`` change (the
    changelog becomes a placeholder to fill in). The draft is not released: release it with
    :func:`release` once edited and valid.

    Returns
    -------
    Path of the new draft file.

    Raises
    ------
    InstrumentError
        Unknown instrument, or the target version file exists already.
    """
    check_choice("new_version", "part", part, ("major", "minor", "patch"))
    root = Path(root)
    versions = list_versions(instrument_id, root)
    if not versions:
        raise InstrumentError(f"No instrument {instrument_id!r} in {root}; nothing to copy.")
    latest = versions[-1]
    target_version = bump(latest, part)
    target = root / instrument_id / f"{target_version}.yaml"
    if target.exists():  # pragma: no cover - bump of the highest never exists
        raise InstrumentError(f"{target} exists already.")
    src = root / instrument_id / f"{latest}.yaml"
    text = src.read_text(encoding="utf-8-sig")
    text, n = re.subn(r"(?m)^version:\s*['\"]?[0-9.]+['\"]?\s*$", f"version: {target_version}",
                      text, count=1)
    if n != 1:
        raise InstrumentError(f"{src}: no top-level 'version:' line to update. Fix the file first.")
    text = _replace_changelog(text, src)
    write_text(target, text)
    sync_bundled(root)
    return target


def _replace_changelog(text: str, src: Path) -> str:
    lines = text.split("\n")
    start = next((i for i, ln in enumerate(lines) if re.match(r"^changelog:\s*", ln)), None)
    if start is None:
        raise InstrumentError(f"{src}: no top-level 'changelog:' to replace. Fix the file first.")
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    from .._yaml import YamlError, load_yaml

    try:
        doc = load_yaml(text, str(src), typ="safe")
    except YamlError as e:
        raise InstrumentError(f"{e} Fix the file first.") from None
    langs = (doc.get("languages") if isinstance(doc, dict) else None) or ["en"]
    block = ["changelog:"] + [f"  {lang}: \"{CHANGELOG_PLACEHOLDER}\"" for lang in langs]
    return "\n".join(lines[:start] + block + lines[end:])


def release(instrument_id: str, version: str, *, root: str | Path = "instruments") -> Path:
    """Release a draft: validate it and record its SHA-256 in ``instruments.lock``.

    Raises
    ------
    ValidationError
        The draft has problems (all listed).
    InstrumentError
        Unknown version, already released, or the changelog is still the placeholder.
    """
    root = Path(root)
    path = root / instrument_id / f"{version}.yaml"
    if not path.is_file():
        raise InstrumentError(f"No file {path}. Make a draft with `surveykit instrument "
                              f"new-version {instrument_id} --minor`.")
    lock = read_lock(root) or {}
    if version in lock.get(instrument_id, {}):
        raise InstrumentError(f"{instrument_id} {version} is released already; released "
                              f"versions are frozen. Make a new version instead.")
    ins = read_instrument(path)  # raises ValidationError with every problem
    if ins.id != instrument_id or ins.version != version:
        raise InstrumentError(f"{path} says id {ins.id!r}, version {ins.version!r}; it must match "
                              f"its folder and file name ({instrument_id}, {version}).")
    if any(CHANGELOG_PLACEHOLDER in t for t in ins.changelog.values()) or not ins.changelog:
        raise InstrumentError(f"{path}: the changelog is still the placeholder. Describe what "
                              f"changed (in every language) before releasing.")
    lock.setdefault(instrument_id, {})[version] = file_sha256(path)
    out = write_lock(root, lock)
    sync_bundled(root)
    return out


def sync_bundled(root: str | Path) -> bool:
    """Mirror ``root`` into the package's shipped copy when ``root`` is this repository's
    ``instruments/`` (an editable install); return whether it did.

    Keeps ``surveykit/instrument/data/instruments`` identical to ``instruments/`` after
    ``new-version`` and ``release`` (a test checks the two agree). For any other folder it
    does nothing.
    """
    import shutil

    bundle = bundled_root()
    root = Path(root).resolve()
    if len(bundle.parents) < 4 or bundle.parents[3] != root.parent or root.name != "instruments":
        return False
    tmp = bundle.with_name(bundle.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(root, tmp)
    shutil.rmtree(bundle, ignore_errors=True)
    tmp.rename(bundle)
    return True



