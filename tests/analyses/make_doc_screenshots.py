"""Regenerate the report screenshots in docs/img/ used by the tutorials.

    python tests/analyses/make_doc_screenshots.py

Runs the example study in Chinese and in English (into a temporary folder), opens each
report.html in headless Chromium (the DevTools-pipe client of tests/report/test_browser.py),
captures a few parts of the page and saves them as small palette PNGs (900 px wide).
Not a test (pytest does not collect this file).
"""
from __future__ import annotations

import base64
import importlib.util
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "img"
#: (language, file name, CSS selector, maximum height in CSS pixels)
SHOTS = [
    ("zh", "report-zh-top", "body", 900),
    ("zh", "report-zh-sample", "#sample", 900),
    ("zh", "report-zh-likert", "#s02 figure", 1100),
    ("en", "report-en-reliability", "#s03", 800),
    ("en", "report-en-means", "#s08 figure", 900),
    ("en", "report-en-joint", "#s13", 900),
]


def _browser():
    spec = importlib.util.spec_from_file_location("_browser", ROOT / "tests/report/test_browser.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def shoot(html: Path, shots: list[tuple[str, str, int]], profile: Path) -> None:
    from PIL import Image

    B = _browser()
    cdp = B.Cdp(profile)
    try:
        session = B._open(cdp, html.resolve().as_uri())
        for name, selector, height in shots:
            js = (f"(() => {{const r = document.querySelector({json.dumps(selector)})"
                  ".getBoundingClientRect(); return JSON.stringify({x: r.left + window.scrollX, "
                  "y: r.top + window.scrollY, w: r.width, h: r.height});})()")
            r = json.loads(cdp.send("Runtime.evaluate", {"expression": js, "returnByValue": True},
                                    session=session)["result"]["value"])
            clip = {"x": max(r["x"] - 16, 0), "y": max(r["y"] - 12, 0),
                    "width": min(r["w"] + 32, 1200), "height": min(height, r["h"] + 24), "scale": 1}
            shot = cdp.send("Page.captureScreenshot", {"format": "png", "clip": clip,
                                                       "captureBeyondViewport": True}, session=session)
            im = Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("RGB")
            if im.width > 900:
                im = im.resize((900, round(im.height * 900 / im.width)), Image.LANCZOS)
            im.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(OUT / f"{name}.png",
                                                                          optimize=True)
    finally:
        cdp.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("zh", "en"):
            out = Path(tmp) / lang
            subprocess.run([sys.executable, "-m", "surveykit", "run", "analyses/regional_synergy.py",
                            "--out", str(out), "--lang", lang, "--no-progress"], cwd=ROOT, check=True)
            shoot(out / "report.html", [(n, s, h) for l, n, s, h in SHOTS if l == lang],
                  Path(tmp) / f"profile-{lang}")
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
