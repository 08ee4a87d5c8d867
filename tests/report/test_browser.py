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


@pytest.mark.slow
def test_claim_check_of_homs_runs_end_to_end_and_its_report_renders(browser, tmp_path):
    """`iadsim claim homs-2021 --claim homs-2021-07-22` as a user types it (defaults: 320 replications on all
    cores), then its report in Chromium: three figures, the face-value and meaning tables, nothing external."""
    import subprocess
    import sys
    import time

    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "iadsim", "claim", "homs-2021", "--claim", "homs-2021-07-22",
                          "--out", str(tmp_path)], capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - start
    assert run.returncode == 0, run.stderr
    assert "4 of 4 intercepted" in run.stdout and "39.8–100.0" in run.stdout
    print(f"iadsim claim homs-2021 --claim homs-2021-07-22: {elapsed:.0f} s")  # shown with -s; never asserted
    external = []
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto((tmp_path / "claim.html").as_uri(), wait_until="load")
    images = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.alt, i.complete, i.naturalWidth])")
    assert [alt for alt, _, _ in images] == ["Predictive distribution", "Uncertain parameters", "Feasibility"]
    assert all(complete and width > 0 for _, complete, width in images), images
    assert page.locator("h1").inner_text() == "Claim check: homs-2021-07-22"
    assert "39.8–100.0" in page.locator("table").first.inner_text()
    assert external == []
    page.close()
