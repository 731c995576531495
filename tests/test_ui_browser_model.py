"""The page over a model backend (the real openai client speaking HTTP to the scripted fake server)
in a shared, read-only deployment, in real Chromium at both sizes: the Stop button, pending
citations while the model streams, verification marks, the status naming the model, and a
Library without upload or removal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.fake_openai import FakeOpenAI, Reply
from tests.ui_helpers import (
    VIEWPORTS,
    RunningApp,
    launch_chromium,
    make_assistant,
    running_app,
    with_model,
)
from ui import library_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

QUESTION = "Why did Israel avoid sanctioning Russia?"
BOT = "#na-chat [data-testid='bot']"
TIMEOUT_MS = 60_000
# A long answer streamed a word every 0.15 s: about 30 s in all, so Stop lands mid-stream.
SLOW_ANSWER = "Israel refrained from imposing strict sanctions on Russia [1]. " * 25


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, fake: FakeOpenAI) -> Iterator[RunningApp]:
    folder = tmp_path_factory.mktemp("ui-model")
    offline = make_assistant(folder)  # ingests the corpus once
    model = with_model(offline, fake.base_url, ui_read_only=True)
    with running_app(folder, assistant=model) as app:
        yield app


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(params=sorted(VIEWPORTS))
def page(
    request: pytest.FixtureRequest, browser: Any, served: RunningApp, fake: FakeOpenAI
) -> Iterator[Page]:
    fake.responder = None
    ctx = browser.new_context(**VIEWPORTS[request.param])
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(served.url)
    expect(page.locator("#na-status")).to_contain_text("articles", timeout=TIMEOUT_MS)
    page.width = request.param  # type: ignore[attr-defined]
    yield page
    ctx.close()
    assert errors == [], errors


def width_of(page: Page) -> str:
    return str(page.width)  # type: ignore[attr-defined]


def test_the_status_names_the_model_in_plain_words(page: Page) -> None:
    expect(page.locator("#na-status p")).to_have_text(
        re.compile(
            r"^\d+ articles · answers written by gpt-4o-mini and checked against the articles$"
        )
    )


def test_stop_ends_a_streaming_answer(page: Page, fake: FakeOpenAI, artifacts_dir: Path) -> None:
    fake.script(Reply(SLOW_ANSWER, pause=0.15))
    page.locator("#na-question textarea").fill(QUESTION)
    page.locator("#na-ask").click()
    stop = page.get_by_role("button", name="Stop")
    expect(stop).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#na-ask")).to_be_hidden()
    bot = page.locator(BOT).last
    # While the model streams, its [n] are pending (being checked), not links yet.
    expect(bot.locator(".na-pending").first).to_be_visible(timeout=TIMEOUT_MS)
    assert bot.locator("a[href^='#cite-']").count() == 0
    page.screenshot(path=str(artifacts_dir / f"ui-streaming-{width_of(page)}.png"))

    stop.click()
    expect(bot).to_contain_text("Stopped.", timeout=TIMEOUT_MS)
    expect(page.locator("#na-ask")).to_be_visible()
    expect(stop).to_be_hidden()
    shown = bot.inner_text()
    page.wait_for_timeout(1500)  # ten more words would have arrived by now
    assert bot.inner_text() == shown
    kept = shown.split("Stopped.")[0]
    assert 0 < kept.count("sanctions") < SLOW_ANSWER.count("sanctions")
    assert bot.locator(".na-pending, a[href^='#cite-']").count() == 0  # nothing left "checking"
    page.screenshot(path=str(artifacts_dir / f"ui-stopped-{width_of(page)}.png"))


def test_a_sentence_no_source_supports_is_marked_with_its_reason(
    page: Page, fake: FakeOpenAI, artifacts_dir: Path
) -> None:
    fake.script(
        "Israel refrained from imposing strict sanctions on Russia [1]. "
        "Israel also sold ten fighter jets to Moscow in 2019 [9]."
    )
    page.locator("#na-question textarea").fill(QUESTION)
    page.locator("#na-ask").click()
    bot = page.locator(BOT).last
    flag = bot.locator(".na-flag")
    expect(flag).to_have_count(1, timeout=TIMEOUT_MS)
    expect(
        page.get_by_role("img", name=re.compile("^Not supported by the cited passages"))
    ).to_have_count(1)
    label = bot.get_attribute("aria-label") or ""
    assert "(Not supported by the cited passages" in label and "<span" not in label
    # The mark sits right after the sentence it is about.
    assert bot.evaluate(
        "el => { const f = el.querySelector('.na-flag'); "
        "return f.previousSibling.textContent.trim().endsWith('2019.'); }"
    )
    if width_of(page) == "desktop":
        flag.hover()
    else:
        flag.tap()
    preview = page.locator("#na-preview")
    expect(preview).to_be_visible()
    expect(preview).to_be_in_viewport(ratio=0.99)  # wholly on screen, even on a phone
    expect(preview).to_contain_text("Not supported by the cited passages")
    page.screenshot(path=str(artifacts_dir / f"ui-verification-mark-{width_of(page)}.png"))


def test_a_read_only_library_lists_and_opens_but_offers_no_upload_or_removal(
    page: Page, served: RunningApp, artifacts_dir: Path
) -> None:
    page.get_by_role("tab", name="Library").click()
    rows = page.locator("#na-library tbody tr")
    expect(rows).to_have_count(len(served.assistant.articles()), timeout=TIMEOUT_MS)
    assert page.locator("#na-upload, #na-upload-summary").count() == 0
    assert page.locator("#na-library .na-lib-remove").count() == 0
    assert page.get_by_role("button", name="Remove").count() == 0
    rows.first.locator(".na-lib-open").click()
    expect(page.locator("#na-library-viewer .na-article")).not_to_be_empty(timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts_dir / f"ui-library-read-only-{width_of(page)}.png"))


def test_a_read_only_library_refuses_a_forged_removal(served: RunningApp) -> None:
    source = served.assistant.articles()[0].source
    table, viewer = library_page.library_action(
        served.assistant, {"action": "remove", "source": source}
    )
    assert table is not None and "read-only" in table and viewer is None
    assert served.assistant.article(source) is not None
    assert (served.assistant.settings.articles_path / source).exists()
