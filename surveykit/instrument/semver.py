"""Semantic version numbers of instruments: ``is_semver``, ``semver_key``, ``bump``.

Plain string helpers with no file access, imported by the lock file (:mod:`.lock`), the
loader (:mod:`.load`), validation and the release workflow (:mod:`.versions`, which
re-exports them).
"""
from __future__ import annotations

import re

from ..errors import InstrumentError, check_choice

__all__ = ["is_semver", "semver_key", "bump"]

_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def is_semver(text: str) -> bool:
    """True for ``MAJOR.MINOR.PATCH`` (whole numbers, no leading zeros)."""
    return bool(_SEMVER.match(str(text)))


def semver_key(text: str) -> tuple[int, int, int]:
    """Sort key of a semantic version (``"1.10.0"`` after ``"1.9.0"``)."""
    m = _SEMVER.match(str(text))
    if not m:
        raise InstrumentError(f"{text!r} is not a semantic version such as '1.0.0'.")
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)))


def bump(version: str, part: str) -> str:
    """The next version: ``bump("1.1.0", "minor") == "1.2.0"``."""
    check_choice("bump", "part", part, ("major", "minor", "patch"))
    a, b, c = semver_key(version)
    if part == "major":
        return f"{a + 1}.0.0"
    if part == "minor":
        return f"{a}.{b + 1}.0"
    return f"{a}.{b}.{c + 1}"
