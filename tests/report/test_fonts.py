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
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    fonts.ensure_cjk_font.cache_clear()
    try:
        with pytest.warns(fonts.CJKFontWarning, match=r"apt-get install fonts-noto-cjk"):
            assert fonts.ensure_cjk_font() is None
    finally:
        fonts.ensure_cjk_font.cache_clear()
    assert issubclass(fonts.CJKFontWarning, fonts.SurveykitWarning)
