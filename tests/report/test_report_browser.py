"""The report page and the batch table in a real Chromium (browserkit's), served by the real app.

The pages must render with their charts and without a console error; the report page is saved as a
screenshot (test-artifacts/report.png, and its print layout) and printed to PDF.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import ConsoleMessage, Page, Route, async_playwright

from browserkit import HOW_TO_GET_ONE, chromium, is_program
from conftest import FIXTURES, ROOT, SHARED_DATA
from profilelens.cli import main
from profilelens.config import Config
from profilelens.web import create_app
from xlike import X_TOKEN, XLike, fixture_account, serving

pytestmark = pytest.mark.browser

CHROMIUM = chromium()  # asked here: its lookup may not run inside the tests' event loop
ARTIFACTS = ROOT / "test-artifacts"
TOKEN = "report-browser-test-token-0123456789"


def capture_bundle() -> dict[str, Any]:
    """One account's profile and timelines as the extension sends them: the real captures, or without
    ../shared the project's own fixtures of the same shapes."""
    real = SHARED_DATA / "x-graphql"
    names = ["raw_user_by_login.json", "raw_user_tweets.json", "raw_user_tweets_and_replies.json"]
    paths = [real / n for n in names] if (real / names[0]).exists() else []
    if not paths:
        own = FIXTURES / "sources"
        paths = [own / "graphql_user_2026.json", *sorted(own.glob("graphql_user_tweets*.json"))]
    return {"captures": [json.loads(p.read_bytes()) for p in paths], "tz": "Europe/Paris"}


def watch_console(page: Page) -> list[str]:
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            problems.append(f"{message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


async def chart_count(page: Page) -> int:
    return int(await page.locator("svg.chart").count())


@pytest.fixture
async def browser():
    if CHROMIUM is None or not is_program(CHROMIUM):
        pytest.skip(f"no Chromium ({CHROMIUM or 'none found'}): {HOW_TO_GET_ONE}")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        await browser.close()


async def test_the_report_page_in_chromium(aiohttp_server, tmp_path: Path, browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with serving(XLike(accounts={"xdevelopers": fixture_account()})) as x:
        config = Config(
            token=TOKEN,
            config_dir=tmp_path / "config",
            cache_path=tmp_path / "cache.sqlite3",
            x_bearer_token=X_TOKEN,
            x_api_base=x.base,
        )
        server = await aiohttp_server(create_app(config), host="127.0.0.1")
        base = f"http://127.0.0.1:{server.port}"
        page = await browser.new_page(viewport={"width": 1100, "height": 900}, device_scale_factor=1)
        problems = watch_console(page)

        # A capture posted by the browser, as a form posts it: the page navigates, the body is the bundle.
        bundle = json.dumps(capture_bundle())

        async def as_post(route: Route) -> None:
            await route.continue_(
                method="POST",
                post_data=bundle,
                headers={**route.request.headers, "content-type": "application/json"},
            )

        url = f"{base}/report/capture?token={TOKEN}&tz=Europe/Paris"
        await page.route(url, as_post)
        response = await page.goto(url)
        assert response is not None and response.status == 200, await page.content()
        assert await chart_count(page) == 4  # heatmap, posts per day, kinds, traits
        for section in ("when", "daily", "mix", "follow", "verdict", "data"):
            assert await page.locator(f"section#{section}").is_visible()
        heatmap = page.locator("svg.chart-heatmap")
        box = await heatmap.bounding_box()
        assert box is not None and box["width"] > 600 and box["height"] > 150  # scaled to the page
        await page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        pdf = await page.pdf(format="A4", print_background=True)
        (ARTIFACTS / "report.pdf").write_bytes(pdf)
        assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
        await page.emulate_media(media="print")
        await page.screenshot(path=str(ARTIFACTS / "report-print.png"), full_page=True)
        await page.emulate_media(media="screen")

        # A handle fetched through the X API source (the X-like local server), a plain GET.
        response = await page.goto(f"{base}/report/XDevelopers?token={TOKEN}")
        assert response is not None and response.status == 200
        assert "@XDevelopers" in await page.inner_text("header")
        assert await chart_count(page) >= 3
        assert problems == []


async def test_the_batch_table_sorts_in_chromium(tmp_path: Path, browser) -> None:
    html = tmp_path / "vet.html"
    code = main(["vet", str(FIXTURES / "sources"), "--csv", str(tmp_path / "vet.csv"), "--html", str(html)])
    assert code == 0
    page = await browser.new_page(viewport={"width": 1300, "height": 700})
    problems = watch_console(page)
    await page.goto(html.as_uri())
    rows = page.locator("#vet tbody tr")
    assert await rows.count() >= 4

    async def followers() -> list[float]:
        column = await page.locator("#vet thead th").evaluate_all(
            "heads => heads.findIndex(h => h.dataset.key === 'followers') + 1"
        )
        cells = await page.locator(f"#vet tbody tr td:nth-child({column})").evaluate_all(
            "cells => cells.map(c => c.dataset.sort)"
        )
        return [float(c) for c in cells if c != ""]

    await page.click("#vet thead th[data-key=followers] button")
    first = await followers()
    assert first == sorted(first, reverse=True) and len(first) >= 3
    await page.click("#vet thead th[data-key=followers] button")
    assert await followers() == sorted(first)
    ARTIFACTS.mkdir(exist_ok=True)
    # Sorting scrolled the wide table to the clicked column: show it from its first column.
    await page.evaluate("document.querySelectorAll('*').forEach(e => { e.scrollLeft = 0; })")
    await page.screenshot(path=str(ARTIFACTS / "vet-table.png"), full_page=True)
    assert problems == []  # the sorting script ran under the page's CSP (allowed by its hash)
