"""The web app in real headless Chromium (Playwright driving Debian's ``/usr/bin/chromium``).

Creates a story from the seeds by uploading the files through the form, opens its briefing, clicks summary
lines and checks the cited sentence is highlighted, filters quotes by speaker, and saves screenshots of the
briefing page to ``artifacts/`` (desktop and phone widths). ``bash scripts/test.sh`` installs chromium;
without it (or without playwright) these tests skip with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not installed (bash scripts/test.sh installs it)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright not installed: pip install -e '.[dev]'"
)
pytest.importorskip("fastapi")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
ARTIFACTS = ROOT / "artifacts"
FIXTURE = Path(__file__).parent / "fixtures" / "web_briefing.json"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A real server on 127.0.0.1 (no token: loopback), and its database file."""
    from test_web_api import start_server, stop_server

    folder = tmp_path_factory.mktemp("browser")
    process, base = start_server(folder / "web.db", folder / "server.log")
    yield base, folder / "web.db"
    stop_server(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


class _Page:
    """A page that records console errors (CSP violations show up there) and requests."""

    def __init__(self, browser: Any, width: int = 1280, height: int = 900) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))


@pytest.fixture(scope="module")
def fixture_story(served: tuple[str, Path]) -> str:
    """A story whose stored briefing is the hand-written fixture (two speakers, cited summary)."""
    from newsbrief.store import Store

    store = Store(served[1])
    store.create_story("bridge", "Harbor Bridge")
    store.save_briefing("bridge", "fixture", json.loads(FIXTURE.read_text(encoding="utf-8")), 0.0)
    return "bridge"


def _highlighted(page: Any) -> str:
    return str(page.eval_on_selector_all(".nb-seg.nb-hl", "els => els.map(e => e.textContent).join('')"))


@pytest.fixture(scope="module")
def seeds_upload(browser: Any, served: tuple[str, Path]) -> str:
    """The seeds uploaded through the new-story form; returns the story page URL once it is briefed."""
    base, _ = served
    view = _Page(browser)
    page = view.page
    page.goto(f"{base}/new")
    page.fill("#f-name", "seeds-upload")
    page.set_input_files("#f-files", [str(p) for p in SEEDS])
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/stories/seeds-upload")
    # The page reloads itself while the briefing job runs.
    page.wait_for_selector("#briefing", timeout=90_000)
    assert view.errors == []
    page.close()
    return f"{base}/stories/seeds-upload"


def _seeds_briefing(url: str) -> dict[str, Any]:
    base, _, name = url.rpartition("/stories/")
    data: dict[str, Any] = httpx.get(f"{base}/api/stories/{name}/briefing").json()
    return data


def test_web_browser_upload_seeds_and_read_briefing(browser: Any, seeds_upload: str) -> None:
    view = _Page(browser)
    page = view.page
    page.goto(seeds_upload)
    assert page.locator(".nb-article").count() == len(SEEDS)
    assert page.locator("#timeline").count() == 1 and page.locator("#diagnostics").count() == 1
    for facts in page.locator(".nb-article dl.nb-facts").all_inner_texts():
        assert "Published" in facts and "Source" in facts
    briefing = _seeds_briefing(seeds_upload)
    for article in briefing["articles"]:
        evidence = (article.get("published") or {}).get("evidence")
        if evidence:
            assert evidence in page.locator(f"#{article['id']} dl.nb-facts").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "briefing-seeds.png"), full_page=True)
    phone = _Page(browser, width=390, height=844)
    phone.page.goto(seeds_upload)
    phone.page.screenshot(path=str(ARTIFACTS / "briefing-seeds-phone.png"), full_page=False)
    no_sideways_scroll = phone.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert no_sideways_scroll, "the briefing page scrolls sideways on a phone"
    assert (ARTIFACTS / "briefing-seeds.png").stat().st_size > 10_000
    assert view.errors == [] and phone.errors == []


def test_web_browser_seeds_summary_click_highlights_source(browser: Any, seeds_upload: str) -> None:
    briefing = _seeds_briefing(seeds_upload)
    assert briefing["summary"], "the seeds briefing has no summary"
    view = _Page(browser)
    page = view.page
    page.goto(seeds_upload)
    texts = {a["id"]: a["text"] for a in briefing["articles"]}
    lines = page.locator(".nb-summary a.nb-line")
    assert lines.count() == len(briefing["summary"])
    for number, line in enumerate(briefing["summary"]):
        lines.nth(number).click()
        span = line["sources"][0]
        marked = _highlighted(page)
        assert marked.strip() and marked.strip() in texts[span["article"]][span["start"] : span["end"]]
        assert page.locator(".nb-hl").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "briefing-seeds-highlight.png"))
    assert view.errors == []


def test_web_browser_seeds_filter_quotes_by_speaker(browser: Any, seeds_upload: str) -> None:
    briefing = _seeds_briefing(seeds_upload)
    assert briefing["quotes"], "the seeds briefing has no quotes"
    view = _Page(browser)
    page = view.page
    page.goto(seeds_upload)
    options = page.locator("#nb-speaker option")
    assert options.count() >= 2
    value = options.nth(1).get_attribute("value")
    page.select_option("#nb-speaker", value=value)
    visible = page.locator(".nb-speaker:visible")
    assert visible.count() == 1 and visible.first.get_attribute("data-speaker") == value
    expected = sum(1 for q in briefing["quotes"] if (q.get("speaker") or {}).get("entity") == value) or None
    if expected is not None:
        assert page.locator(".nb-quote:visible").count() == expected
    page.locator("#quotes").screenshot(path=str(ARTIFACTS / "quotes-seeds.png"))
    assert view.errors == []


def test_web_browser_summary_click_highlights_source_sentence(
    browser: Any, served: tuple[str, Path], fixture_story: str
) -> None:
    base, _ = served
    view = _Page(browser, width=1000, height=700)
    page = view.page
    page.goto(f"{base}/stories/{fixture_story}")
    briefing = json.loads(FIXTURE.read_text(encoding="utf-8"))
    texts = {a["id"]: a["text"] for a in briefing["articles"]}
    assert page.locator(".nb-article details[open]").count() == 0
    for number, line in enumerate(briefing["summary"]):
        page.locator(".nb-summary a.nb-line").nth(number).click()
        span = line["sources"][0]
        assert _highlighted(page) == texts[span["article"]][span["start"] : span["end"]]
        marked = page.locator(".nb-hl").first
        assert marked.is_visible() and marked.evaluate("e => e.closest('details').open")
        top = marked.evaluate("e => e.getBoundingClientRect().top")
        assert 0 <= top <= 700  # scrolled into view
        assert page.evaluate("location.hash") == f"#{span['article']}-{span['start']}"
    # Quotes link to their span too.
    page.locator("#q3 a.nb-line").click()
    assert _highlighted(page) == "We kept our promise,"
    page.screenshot(path=str(ARTIFACTS / "briefing-fixture-highlight.png"))
    # The article view highlights server-side, without any script.
    span = briefing["summary"][1]["sources"][0]
    page.goto(f"{base}/stories/{fixture_story}/articles/{span['article']}?hl={span['start']}-{span['end']}")
    assert _highlighted(page) == texts[span["article"]][span["start"] : span["end"]]
    assert view.errors == []


def test_web_browser_filter_quotes_by_speaker(
    browser: Any, served: tuple[str, Path], fixture_story: str
) -> None:
    base, _ = served
    view = _Page(browser)
    page = view.page
    page.goto(f"{base}/stories/{fixture_story}#quotes")
    assert page.locator(".nb-quote:visible").count() == 4
    page.select_option("#nb-speaker", label="Omar Reyes (1)")
    assert page.locator(".nb-speaker:visible").count() == 1
    assert page.locator(".nb-quote:visible").all_inner_texts()[0].startswith("residents had waited")
    page.select_option("#nb-speaker", label="Lena Ortiz (2)")
    shown = page.locator(".nb-quote:visible p").all_inner_texts()
    assert shown == ["“finished ahead of schedule and under budget.”", "“We kept our promise,”"]
    page.select_option("#nb-speaker", value="-")
    assert page.locator(".nb-quote:visible").count() == 1
    page.select_option("#nb-speaker", value="")
    assert page.locator(".nb-quote:visible").count() == 4
    page.locator("#quotes").screenshot(path=str(ARTIFACTS / "quotes-filter.png"))
    assert view.errors == []


def test_web_browser_report_file_is_self_contained(browser: Any, tmp_path: Path) -> None:
    from newsbrief.report import to_html

    briefing = json.loads(FIXTURE.read_text(encoding="utf-8"))
    path = tmp_path / "report.html"
    path.write_text(to_html(briefing), encoding="utf-8")
    view = _Page(browser, width=390, height=844)
    page = view.page
    page.goto(path.as_uri())
    assert view.requests == [path.as_uri()]  # nothing else is loaded
    page.locator(".nb-summary a.nb-line").first.click()  # the inline script works in the saved file
    span = briefing["summary"][0]["sources"][0]
    assert _highlighted(page) == briefing["articles"][0]["text"][span["start"] : span["end"]]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(ARTIFACTS / "report-phone.png"))
    # Printing opens every article and hides the controls.
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details:not([open])").count() == 0
    assert not page.locator("#nb-speaker").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(view.errors) == 0
