"""The report as a reader sees it: rendered by headless Chromium through Playwright.

Needs the `browser` extra (playwright) and a system Chromium at /usr/bin/chromium (Debian: apt-get install
chromium); Playwright's own browser download is never used. Skipped, with the reason shown, when either is
missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iadsim.report.html import write_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright not installed: pip install 'iadsim[browser]'")
    if not CHROMIUM.exists():
        pytest.skip("chromium not installed: apt-get install chromium")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_report_renders_with_every_image_and_one_row_per_threat(browser, world, outcome, tmp_path):
    report = write_report(world, outcome, tmp_path / "report.html", summary="Synthetic outcome for the browser test.")
    external = []
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    # a self-contained page asks for nothing beyond its own file and its data URIs
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto(report.as_uri(), wait_until="load")
    images = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.alt, i.complete, i.naturalWidth])")
    assert len(images) == 3
    assert all(complete and width > 0 for _, complete, width in images), images
    threats = outcome.replication(0).fates.num_rows
    assert page.locator("table#fates tbody tr").count() == threats
    assert page.locator("table#shots tbody tr").count() == outcome.replication(0).shots.num_rows
    assert external == []
    screenshot = tmp_path / "report.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
    page.close()
