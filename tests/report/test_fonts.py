"""CJK font discovery: preference order, registration, and a clear warning when missing."""
from __future__ import annotations

import pytest

from surveykit.report import fonts


def test_finds_preferred_installed_font():
    font = fonts.find_cjk_font()
    if font is None:
        pytest.skip("no CJK font installed here (CI installs fonts-noto-cjk)")
    assert font.name in fonts.PREFERRED or font.path


def test_preference_across_matplotlib_and_fontconfig(monkeypatch):
    monkeypatch.setattr(fonts, "_fc_list", lambda: [("WenQuanYi Zen Hei", "/x/wqy.ttc"),
                                                     ("Noto Sans CJK SC", "/x/NotoSansCJK-Bold.ttc"),
                                                     ("Noto Sans CJK SC", "/x/NotoSansCJK-Regular.ttc")])
    from matplotlib import font_manager
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    assert fonts.find_cjk_font() == fonts.CJKFont("Noto Sans CJK SC", "/x/NotoSansCJK-Regular.ttc")


def test_warns_with_the_fix_when_no_font(monkeypatch):
    from matplotlib import font_manager
    monkeypatch.setattr(fonts, "_fc_list", lambda: [])
    monkeypatch.setattr(fonts, "bundled_cjk_font", lambda: None)   # installed without deps
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    fonts.ensure_cjk_font.cache_clear()
    try:
        with pytest.warns(fonts.CJKFontWarning, match=r"apt-get install fonts-noto-cjk"):
            assert fonts.ensure_cjk_font() is None
    finally:
        fonts.ensure_cjk_font.cache_clear()
    assert issubclass(fonts.CJKFontWarning, fonts.SurveykitWarning)


# ----------------------------------------------------------- a fresh machine (no system CJK font)
def _no_system_cjk_fonts(monkeypatch):
    """Hide every CJK font the system has: fontconfig finds none, matplotlib's list keeps only
    fonts without Chinese glyphs; matplotlib's lookup caches start empty."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    def has_zh(path):
        try:
            return FT2Font(path).get_char_index(ord("中")) != 0
        except (OSError, RuntimeError):
            return False

    kept = [f for f in font_manager.fontManager.ttflist if not has_zh(f.fname)]
    monkeypatch.setattr(fonts, "_fc_list", lambda: [])
    monkeypatch.setattr(font_manager.fontManager, "ttflist", kept)
    font_manager.fontManager._findfont_cached.cache_clear()
    font_manager._get_font.cache_clear()
    fonts.ensure_cjk_font.cache_clear()


def _draw(text, family):
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1), dpi=100)
    fig.text(0.5, 0.5, text, family=family, size=40, ha="center", va="center")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., 0] < 128   # dark pixels


def _missing_glyph_box():
    """中 drawn in DejaVu Sans alone, which has no Chinese glyph: the missing-glyph box."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    dejavu = font_manager.findfont("DejaVu Sans")
    assert FT2Font(dejavu).get_char_index(ord("中")) == 0
    return _draw("中", ["DejaVu Sans"])


def test_bundled_font_is_noto_sans_cjk_from_the_package():
    font = fonts.bundled_cjk_font()
    assert font is not None, "mplfonts (a dependency) is not installed"
    assert font.bundled and font.name == "Noto Sans CJK SC"
    assert font.path.endswith("NotoSansCJKsc-Regular.otf")
    from matplotlib.ft2font import FT2Font
    assert FT2Font(font.path).get_char_index(ord("协")) != 0


def test_fresh_machine_draws_real_chinese_glyphs(monkeypatch):
    import warnings

    import matplotlib as mpl
    import numpy as np
    from matplotlib import font_manager

    _no_system_cjk_fonts(monkeypatch)
    try:
        with mpl.rc_context(), warnings.catch_warnings():
            warnings.simplefilter("error", fonts.CJKFontWarning)     # no warning at all
            warnings.filterwarnings("error", message=r"Glyph \d+ .*missing from font")
            font = fonts.ensure_cjk_font()
            assert font is not None and font.path == fonts.bundled_cjk_font().path
            family = fonts.font_family()
            found = font_manager.findfont(font_manager.FontProperties(family=family[1]),
                                          fallback_to_default=False)
            assert found == font.path                      # the package's file, not a system one
            zhong, guo = _draw("中", family), _draw("国", family)
            warnings.resetwarnings()
            warnings.simplefilter("ignore")               # the reference box warns, as it should
            box = _missing_glyph_box()
        assert box.sum() > 0                               # the missing-glyph box is drawn …
        for glyph in (zhong, guo):
            assert glyph.sum() > 0 and not np.array_equal(glyph, box)   # … real glyphs are not it
        assert not np.array_equal(zhong, guo)              # two characters, two glyphs
    finally:
        font_manager.fontManager._findfont_cached.cache_clear()
        font_manager._get_font.cache_clear()
        fonts.ensure_cjk_font.cache_clear()


def test_without_the_bundled_font_chinese_is_the_box(monkeypatch):
    """The check above can fail: with no CJK font at all, 中 draws as the missing-glyph box."""
    import warnings

    import matplotlib as mpl
    import numpy as np
    from matplotlib import font_manager

    _no_system_cjk_fonts(monkeypatch)
    monkeypatch.setattr(fonts, "bundled_cjk_font", lambda: None)
    try:
        with mpl.rc_context(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert fonts.ensure_cjk_font() is None
            family = fonts.font_family()
            zhong, guo = _draw("中", family), _draw("国", family)
            assert np.array_equal(zhong, _missing_glyph_box()) and np.array_equal(zhong, guo)
    finally:
        font_manager.fontManager._findfont_cached.cache_clear()
        font_manager._get_font.cache_clear()
        fonts.ensure_cjk_font.cache_clear()
