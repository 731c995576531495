"""In a real Chromium: nothing from an article becomes a link or loads anything; only [n] links."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.ui_helpers import RunningApp, launch_chromium, running_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

BOT = "#na-chat [data-testid='bot']"
TIMEOUT_MS = 60_000
# Asks for the sentence with the web address and the e-mail address (the article's three
# sentences about the timetable all carry addresses; the answer need not quote all three).
QUESTION = "What did the Tromsø harbour office say about the ferry timetable changes on Monday?"
# Our own links: citations in the chat, articles in the upload summary.
OWN_LINK = ("#cite-", "#article-")


class Tracker:
    """A local web server that records every request: anything the page loads from an article
    would show up here."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        tracker = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                tracker.hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture(scope="module")
def tracker() -> Iterator[Tracker]:
    tracker = Tracker()
    yield tracker
    tracker.server.shutdown()


def article(origin: str) -> str:
    host = origin.removeprefix("http://")
    return (
        "Tromsø harbour office notice\n\n"
        f"The Tromsø harbour office said the ferry timetable changes on Monday, see {origin}/timetable "
        f"or www.{host}/ferries for details, and questions go to ferries@tromso-harbour.example. "
        f"The harbour office said the ferry timetable ![map]({origin}/map.png) adds two evening "
        f'departures <img src="{origin}/pixel.gif"> during the summer season. '
        f"Write to mailto:office@tromso-harbour.example or ftp://{host}/files for the ferry timetable.\n"
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, tracker: Tracker) -> Iterator[RunningApp]:
    folder = tmp_path_factory.mktemp("ui-links")
    articles = folder / "articles"
    import shutil

    from tests.ui_helpers import BUNDLED_ARTICLES

    shutil.copytree(BUNDLED_ARTICLES, articles)
    (articles / "tromso.txt").write_text(article(tracker.origin), encoding="utf-8")
    with running_app(folder) as app:
        yield app


@pytest.fixture
def page(served: RunningApp) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(served.url)
        expect(page.locator("#na-status")).to_contain_text("articles", timeout=TIMEOUT_MS)
        yield page
        browser.close()


def foreign_links(page: Page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        f"{selector} a", "links => links.map(a => a.getAttribute('href') || '')"
    )
    return [h for h in hrefs if not h.startswith(OWN_LINK)]


def test_urls_and_addresses_in_an_answer_stay_text(
    page: Page, served: RunningApp, tracker: Tracker, artifacts_dir: Path
) -> None:
    answer = served.assistant.ask(QUESTION)
    assert any(c.source == "tromso.txt" for c in answer.citations), answer.answer
    page.locator("#na-question textarea").fill(QUESTION)
    page.locator("#na-ask").click()
    page.wait_for_function(
        """(selector) => {
            const bots = document.querySelectorAll(selector);
            const text = bots.length ? bots[bots.length - 1].innerText : '';
            return text.length > 0 && !text.includes('▍');
        }""",
        arg=BOT,
        timeout=TIMEOUT_MS,
    )
    bot = page.locator(BOT).last
    shown = " ".join(bot.inner_text().split())
    assert f"{tracker.origin}/timetable" in shown  # shown as text, exactly
    assert "ferries@tromso-harbour.example" in shown
    assert page.locator(f"{BOT} a[href^='#cite-']").count() >= 2  # our links still work
    assert foreign_links(page, "#na-chat") == []

    page.locator(f"{BOT} a[href^='#cite-']").first.click()
    panel = page.locator("#na-sources")
    expect(panel.locator(".na-article")).to_contain_text("ferries@tromso-harbour.example")
    assert foreign_links(page, "#na-sources") == []
    assert panel.locator("img").count() == 0
    page.screenshot(path=str(artifacts_dir / "ui-links.png"), full_page=True)
    page.wait_for_timeout(500)
    assert tracker.hits == []
