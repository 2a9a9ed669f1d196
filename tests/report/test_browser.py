"""Open a generated report.html in headless Chromium (Debian's ``chromium``).

A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (fd 3 in,
fd 4 out, NUL-separated JSON) — no websocket library, no browser download. The test
asserts no console errors or page exceptions, every image loaded (``naturalWidth > 0``),
every section present and reachable from the table of contents, and saves a full-page
screenshot (``$SURVEYKIT_SCREENSHOT_DIR`` if set, else the test's tmp folder).
Skipped, saying why, only when no chromium binary is installed (``.ci/run`` installs it).
"""
from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             shutil.which("google-chrome")) if p), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1200,900"]


class Cdp:
    """Just enough CDP: send a command, wait for its answer, keep every event."""

    def __init__(self, user_data_dir: Path) -> None:
        cmd_r, self._cmd_w = os.pipe()
        self._res_r, res_w = os.pipe()

        def wire() -> None:  # child: our pipes become fds 3 (commands) and 4 (answers)
            a, b = os.dup(cmd_r), os.dup(res_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={user_data_dir}", "--remote-debugging-pipe",
             "about:blank"], preexec_fn=wire, close_fds=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(cmd_r)
        os.close(res_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30.0) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._next(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m["result"]
            self.events.append(m)

    def wait_event(self, method: str, timeout: float = 30.0) -> dict:
        for m in self.events:
            if m.get("method") == method:
                return m
        deadline = time.monotonic() + timeout
        while True:
            m = self._next(deadline)
            self.events.append(m)
            if m.get("method") == method:
                return m

    def _next(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self._res_r], [], [], left)
            if ready:
                chunk = os.read(self._res_r, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self._buf += chunk
        raw, _, self._buf = self._buf.partition(b"\0")
        return json.loads(raw)

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        os.close(self._cmd_w)
        os.close(self._res_r)


def _errors(events: list[dict]) -> list[dict]:
    return [e for e in events
            if e.get("method") == "Runtime.exceptionThrown"
            or (e.get("method") == "Runtime.consoleAPICalled"
                and e["params"].get("type") in ("error", "assert"))
            or (e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error")]


def _open(cdp: Cdp, url: str) -> str:
    target = cdp.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = cdp.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log"):
        cdp.send(f"{domain}.enable", session=session)
    cdp.send("Page.navigate", {"url": url}, session=session)
    cdp.wait_event("Page.loadEventFired")
    return session


CHECK_JS = """JSON.stringify({
  title: document.title,
  images: [...document.images].map(i => ({alt: i.alt, complete: i.complete, w: i.naturalWidth})),
  sections: [...document.querySelectorAll('section.report-section')].map(s => s.id),
  toc: [...document.querySelectorAll('nav.toc a')].map(a => a.getAttribute('href')),
  tables: document.querySelectorAll('table.apa').length,
  banner: !!document.querySelector('.banner')
})"""


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                             "(apt-get install chromium; .ci/run installs it)")
def test_report_opens_cleanly_in_chromium(tmp_path, make_report):
    out = tmp_path / "report"
    make_report(out, lang="zh")
    cdp = Cdp(tmp_path / "chromium-profile")
    try:
        session = _open(cdp, (out / "report.html").resolve().as_uri())
        res = cdp.send("Runtime.evaluate", {"expression": CHECK_JS, "returnByValue": True},
                       session=session)
        page = json.loads(res["result"]["value"])
        metrics = cdp.send("Page.getLayoutMetrics", session=session)
        size = metrics["cssContentSize"]
        shot = cdp.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}},
            session=session)
    finally:
        cdp.close()

    errors = _errors(cdp.events)
    assert errors == [], errors
    assert page["title"] == "区域协同测试报告"
    assert len(page["images"]) == 2
    assert all(i["complete"] and i["w"] > 0 for i in page["images"]), page["images"]
    assert page["sections"] == ["sample", "methods", "s01", "s02", "software"]
    assert page["toc"] == [f"#{s}" for s in page["sections"]]
    assert page["tables"] == 4 + 1  # four report tables + the software-versions table
    assert not page["banner"]

    png = base64.b64decode(shot["data"])
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    where = Path(os.environ.get("SURVEYKIT_SCREENSHOT_DIR") or tmp_path)
    where.mkdir(parents=True, exist_ok=True)
    (where / "report-browser.png").write_bytes(png)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                             "(apt-get install chromium; .ci/run installs it)")
def test_incomplete_report_shows_its_banner(tmp_path, fake_result):
    from surveykit.report import Report

    report = Report(title="区域协同研究", lang="en")
    report.section("信度", "Reliability")
    report.add(fake_result)
    out = tmp_path / "failed"
    report.write_failed(out, stage="clean", input="data/wave2.csv", message="bad values")
    cdp = Cdp(tmp_path / "chromium-profile")
    try:
        session = _open(cdp, (out / "report-INCOMPLETE.html").resolve().as_uri())
        res = cdp.send("Runtime.evaluate", {"expression": CHECK_JS, "returnByValue": True},
                       session=session)
        page = json.loads(res["result"]["value"])
    finally:
        cdp.close()
    assert _errors(cdp.events) == []
    assert page["title"] == "INCOMPLETE — stage 'clean' failed — 区域协同研究"
    assert page["banner"] and page["sections"] == ["methods", "s01", "software"]
