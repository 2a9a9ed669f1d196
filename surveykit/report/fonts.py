"""Find and register an installed CJK font so Chinese labels render in figures.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: labels would come out
as empty boxes ("tofu"). :func:`ensure_cjk_font` looks for an installed CJK font, in
order of preference :data:`PREFERRED` (Noto Sans CJK SC first, then Source Han Sans,
WenQuanYi, SimHei, Microsoft YaHei, PingFang …), registers it with matplotlib and
puts it first in the sans-serif list, after DejaVu Sans for Latin text. It looks in
matplotlib's font list, then asks fontconfig (``fc-list :lang=zh``) for fonts installed
after matplotlib built its cache. When the system has none it uses the font that comes
from PyPI with the package (:func:`bundled_cjk_font`: Noto Sans CJK SC Regular, SIL Open
Font License 1.1, shipped by the ``mplfonts`` dependency; found on disk, no network at run
time), so a fresh machine draws real Chinese glyphs. Only when that is missing too (the
package installed without its dependencies) does it warn once (:class:`CJKFontWarning`,
naming the fix) and figures render with boxes for Chinese characters.

>>> font = ensure_cjk_font()          # doctest: +SKIP
>>> font.name                         # doctest: +SKIP
'Noto Sans CJK SC'
"""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import SurveykitWarning

__all__ = ["CJKFont", "CJKFontWarning", "find_cjk_font", "ensure_cjk_font", "bundled_cjk_font",
           "PREFERRED", "INSTALL_HINT", "BUNDLED_PACKAGE", "BUNDLED_FILE"]

#: CJK font families in order of preference (first installed wins).
PREFERRED = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "Source Han Sans", "Noto Sans CJK TC", "Noto Sans CJK JP", "Noto Serif CJK SC",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC",
    "Hiragino Sans GB", "Heiti SC", "STHeiti", "SimSun", "Droid Sans Fallback",
    "AR PL UMing CN", "AR PL UKai CN",
)
#: the PyPI package that brings the fallback font, and the font file inside it
BUNDLED_PACKAGE = "mplfonts"
BUNDLED_FILE = ("fonts", "NotoSansCJKsc-Regular.otf")
BUNDLED_FAMILY = "Noto Sans CJK SC"
INSTALL_HINT = ("Reinstall surveykit with its dependencies (`pip install mplfonts` brings "
                "Noto Sans CJK SC) or install a system font, e.g. `apt-get install fonts-noto-cjk` (Debian/Ubuntu), "
                "`dnf install google-noto-sans-cjk-fonts` (Fedora) or `brew install "
                "--cask font-noto-sans-cjk` (macOS), then run again.")


class CJKFontWarning(SurveykitWarning):
    """No CJK font is installed: Chinese text in figures will show as boxes."""


@dataclass(frozen=True)
class CJKFont:
    """An installed CJK font: its family ``name`` and the ``path`` of its file."""

    name: str
    path: str
    #: True for the font that came with the package (:func:`bundled_cjk_font`)
    bundled: bool = False


def bundled_cjk_font() -> CJKFont | None:
    """Noto Sans CJK SC from the ``mplfonts`` package, if installed (located without
    importing it: its file on disk, nothing downloaded)."""
    try:
        spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder).joinpath(*BUNDLED_FILE)
        if path.is_file():
            return CJKFont(BUNDLED_FAMILY, str(path), bundled=True)
    return None


def _fc_list() -> list[tuple[str, str]]:
    """(family, file) of every font fontconfig says covers Chinese."""
    exe = shutil.which("fc-list")
    if exe is None:
        return []
    try:
        out = subprocess.run([exe, ":lang=zh", "family", "file"], capture_output=True,
                             text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in out.splitlines():
        path, _, fams = line.partition(":")
        for fam in fams.split(","):
            fam = fam.strip()
            if fam:
                found.append((fam, path.strip()))
    return sorted(set(found))


def _weight_rank(path: str) -> int:
    """0 for a regular-weight file, 1 for bold/light/... (so Regular wins)."""
    name = path.rsplit("/", 1)[-1].lower()
    return int(any(w in name for w in ("bold", "black", "heavy", "light", "thin", "medium",
                                       "demilight", "extralight", "semibold")))


def find_cjk_font() -> CJKFont | None:
    """The most preferred installed CJK font (see :data:`PREFERRED`), else the bundled one
    (:func:`bundled_cjk_font`), else None."""
    from matplotlib import font_manager

    # matplotlib's list first (what it can already load), then fontconfig (fonts installed
    # after matplotlib built its cache); the most preferred family wins across both.
    by_name = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    fc: dict[str, str] = {}
    for fam, path in sorted(_fc_list(), key=lambda fp: (_weight_rank(fp[1]), fp)):
        fc.setdefault(fam, path)
    for name in PREFERRED:
        if name in by_name:
            return CJKFont(name, by_name[name])
        if name in fc:
            return CJKFont(name, fc[name])
    by_name = fc
    if by_name:  # some other CJK font: better than boxes
        name = sorted(by_name)[0]
        return CJKFont(name, by_name[name])
    return bundled_cjk_font()


@lru_cache(maxsize=1)
def ensure_cjk_font() -> CJKFont | None:
    """Find a CJK font, register it with matplotlib and return it (warn once if none).

    The font goes into ``rcParams["font.sans-serif"]`` right after DejaVu Sans. Figures
    name both families explicitly (``font.family = ["DejaVu Sans", <CJK font>]``, see
    :func:`font_family`): matplotlib falls back glyph by glyph only along an explicit list
    (the generic ``"sans-serif"`` resolves to one font), so Latin text keeps matplotlib's
    default look and Chinese characters come from the CJK font.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    font = find_cjk_font()
    if font is None:
        warnings.warn(
            "No CJK (Chinese) font is installed, so Chinese labels in figures will show as "
            "empty boxes. " + INSTALL_HINT, CJKFontWarning, stacklevel=2)
        return None
    if font.bundled or font.name not in {f.name for f in font_manager.fontManager.ttflist}:
        if font.path not in {f.fname for f in font_manager.fontManager.ttflist}:
            font_manager.fontManager.addfont(font.path)
    sans = [f for f in mpl.rcParams["font.sans-serif"] if f != font.name]
    mpl.rcParams["font.sans-serif"] = ["DejaVu Sans", font.name,
                                       *[f for f in sans if f != "DejaVu Sans"]]
    return font


def font_family() -> list[str]:
    """The sans-serif family list figures use (DejaVu Sans, then the CJK font if any)."""
    font = ensure_cjk_font()
    return ["DejaVu Sans", font.name] if font else ["DejaVu Sans"]
