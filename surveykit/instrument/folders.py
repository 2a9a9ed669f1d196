"""The folder rule of an instrument file: ``<root>/<id>/<version>.yaml`` says that id and version.

Shared by :func:`~surveykit.instrument.validate.validate_instruments` and
:func:`~surveykit.instrument.load.load_instrument` (so a loaded instrument's id is always
its folder's name).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import Problem
from .lock import LOCK_NAME
from .semver import is_semver
from .source import value_pos

__all__ = ["path_rules"]


def path_rules(f: Path, data: Any, shown: str) -> list[Problem]:
    """``<root>/<id>/<version>.yaml`` must agree with the file's id and version."""
    out: list[Problem] = []
    if not isinstance(data, dict):
        return out
    in_tree = (f.resolve().parent.parent / LOCK_NAME).is_file()
    stem = f.stem
    looks_versioned = is_semver(stem) or stem[:1].isdigit()
    if not (in_tree or looks_versioned):
        return out
    version = data.get("version")
    if not is_semver(stem):
        out.append(Problem(shown, 1, 1, f"file name {f.name!r} must be the version, e.g. "
                                        f"'{version if isinstance(version, str) else '1.0.0'}"
                                        f".yaml' (one file per version: <id>/<version>.yaml).",
                           "version"))
    elif isinstance(version, str) and version != stem:
        line, col = value_pos(data, "version")
        out.append(Problem(shown, line, col, f"version: {version!r} does not match the file "
                                             f"name {f.name!r}. Rename the file to "
                                             f"'{version}.yaml' or fix the version.", "version"))
    folder = f.resolve().parent.name
    iid = data.get("id")
    if isinstance(iid, str) and iid != folder:
        line, col = value_pos(data, "id")
        out.append(Problem(shown, line, col, f"id: {iid!r} does not match its folder "
                                             f"{folder!r}. Keep each instrument in a folder named "
                                             f"after its id (instruments/{iid}/{stem}.yaml).",
                           "id"))
    return out
