"""The page in a real headless Chromium: examples, streaming answers, citations, uploads, no XSS."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.ui_helpers import RunningApp, launch_chromium, running_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    # Gradio's queue still uses pandas options that pandas 3 deprecates; not ours to fix.
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

EXAMPLE = "Why did Israel avoid sanctioning Russia?"
HOSTILE_ARTICLE = """Zanzibar Falcon Report: the falcon festival in Zanzibar drew record crowds.
<script>window.__pwned=1</script>
<img src=x onerror="window.__pwned=2">
Organisers said the falcon festival in Zanzibar will return next year with more falcons ${window.__pwned=3} {{constructor.constructor('window.__pwned=4')()}}.
"""
BOT = "#na-chat [data-testid='bot']"
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    with running_app(tmp_path_factory.mktemp("ui-browser")) as app:
        yield app


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, served: RunningApp) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(served.url)
    expect(page.locator("#na-status")).to_contain_text("articles", timeout=TIMEOUT_MS)
    yield page
    context.close()
    assert errors == [], errors


def wait_for_answer(page: Page, count: int = 1) -> str:
    """The last assistant message once it is final (the streaming cursor has gone)."""
    page.wait_for_function(
        """([selector, count]) => {
            const bots = document.querySelectorAll(selector);
            if (bots.length < count) return false;
            const text = bots[bots.length - 1].innerText;
            return text.length > 0 && !text.includes('▍');
        }""",
        arg=[BOT, count],
        timeout=TIMEOUT_MS,
    )
    return page.locator(BOT).last.inner_text()


def test_example_answer_with_clickable_citations(
    page: Page, served: RunningApp, artifacts_dir: Path
) -> None:
    expect(page.locator("#na-status")).to_contain_text("5 articles")
    page.get_by_role("button", name=EXAMPLE).click()

    text = wait_for_answer(page)
    assert re.search(r"\[\d+\]", text), text
    assert "Sources" in text
    page.screenshot(path=str(artifacts_dir / "ui-answer.png"), full_page=True)

    links = page.locator(f"{BOT} a[href^='#cite-0-']")
    assert links.count() >= 2  # in the answer and in the source list
    href = links.first.get_attribute("href") or ""
    n = int(href.rsplit("-", 1)[1])
    expected = next(c for c in served.assistant.ask(EXAMPLE).citations if c.n == n)

    links.first.click()
    mark = page.locator("#na-sources .na-passage mark")
    expect(mark).to_have_count(1, timeout=TIMEOUT_MS)
    assert " ".join(mark.inner_text().split()) == " ".join(expected.quote.split())
    expect(page.locator("#na-sources")).to_contain_text(expected.source)
    expect(page.locator("#na-sources .na-label")).to_have_text(f"Source [{n}]", ignore_case=True)
    page.screenshot(path=str(artifacts_dir / "ui-citation.png"), full_page=True)

    page.get_by_role("button", name="Clear conversation").click()
    expect(page.locator(BOT)).to_have_count(0)
    expect(page.locator("#na-sources")).to_contain_text("Click a citation")


def test_a_typed_question_is_answered_and_shown_as_text(page: Page) -> None:
    question = 'What is the deconfliction mechanism for? <img src=x onerror="window.__pwned=5">'
    page.locator("#na-question textarea").fill(question)
    page.locator("#na-ask").click()
    wait_for_answer(page)
    expect(page.locator("#na-chat [data-testid='user']").last).to_contain_text("<img src=x")
    assert page.locator("#na-chat img[src='x']").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_upload_lists_added_and_skipped_files(
    page: Page, tmp_path: Path, artifacts_dir: Path
) -> None:
    good = tmp_path / "harbour news.txt"
    good.write_text("The harbour of Haifa opened a new terminal for container ships this week.\n")
    wrong = tmp_path / "slides.pptx"
    wrong.write_text("not an article")
    status = page.locator("#na-status")
    articles = int(re.search(r"(\d+) articles", status.inner_text()).group(1))  # type: ignore[union-attr]

    page.locator("#na-upload input[type=file]").set_input_files([str(good), str(wrong)])

    summary = page.locator("#na-upload-summary")
    expect(summary.locator("li")).to_have_count(2, timeout=TIMEOUT_MS)
    expect(summary.locator("li.na-added")).to_contain_text("harbour_news.txt")
    expect(summary.locator("li.na-skipped")).to_contain_text("slides.pptx")
    expect(summary.locator("li.na-skipped")).to_contain_text("unsupported file type '.pptx'")
    expect(status).to_contain_text(f"{articles + 1} articles")
    page.screenshot(path=str(artifacts_dir / "ui-upload.png"), full_page=True)


def test_hostile_article_is_shown_as_text_and_never_run(
    page: Page, tmp_path: Path, artifacts_dir: Path
) -> None:
    hostile = tmp_path / "falcons.txt"
    hostile.write_text(HOSTILE_ARTICLE)
    page.locator("#na-upload input[type=file]").set_input_files([str(hostile)])
    link = page.locator("#na-upload-summary a[href='#article-falcons.txt']")
    expect(link).to_have_count(1, timeout=TIMEOUT_MS)

    link.click()
    panel = page.locator("#na-sources")
    expect(panel.locator(".na-article")).to_contain_text("<script>window.__pwned=1</script>")
    expect(panel).to_contain_text('<img src=x onerror="window.__pwned=2">')
    expect(panel).to_contain_text("${window.__pwned=3}")
    expect(panel).to_contain_text("{{constructor.constructor('window.__pwned=4')()}}")

    page.locator("#na-question textarea").fill(
        "What did organisers say about the falcon festival in Zanzibar?"
    )
    page.locator("#na-question textarea").press("Enter")
    wait_for_answer(page)
    expect(page.locator(BOT).last).to_contain_text("${window.__pwned=3}")
    page.locator(f"{BOT} a[href^='#cite-']").last.click()
    expect(panel.locator(".na-passage mark")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(panel.locator(".na-passage")).to_contain_text("falcon festival")
    page.screenshot(path=str(artifacts_dir / "ui-hostile-article.png"), full_page=True)

    assert panel.locator("script, img").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("window.__pwned") is None
