"""The page in a real headless Chromium, at 1280x800 and at phone size (390x844, touch): what the
user sees after asking, on a citation, when copying, exporting, reloading, in the Library, with a
too-long question; escaping of hostile articles. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gradio_client import Client
from playwright.sync_api import Locator, Page, expect, sync_playwright

from tests.ui_helpers import VIEWPORTS, RunningApp, launch_chromium, running_app
from ui.rendering import display_title

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    # Gradio's queue still uses pandas options that pandas 3 deprecates; not ours to fix.
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

EXAMPLE = "Why did Israel avoid sanctioning Russia?"
SECOND = "Who was the first Kremlin leader to visit Israel?"
HOSTILE_ARTICLE = """Zanzibar Falcon Report: the falcon festival in Zanzibar drew record crowds.
<script>window.__pwned=1</script>
<img src=x onerror="window.__pwned=2">
Organisers said the falcon festival in Zanzibar will return next year with more falcons ${window.__pwned=3} {{constructor.constructor('window.__pwned=4')()}}.
"""
BOT = "#na-chat [data-testid='bot']"
USER = "#na-chat [data-testid='user']"
TIMEOUT_MS = 60_000
PLAIN_STATUS = re.compile(
    r"^\d+ articles? · answering from the articles themselves, no AI model configured$"
)
HASH_NAME = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")


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


@pytest.fixture(params=sorted(VIEWPORTS))
def width(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def open_page(browser: Any, url: str, width: str, **context: Any) -> tuple[Any, Page, list[str]]:
    """A new browser context (its own session and storage) at `width`, on the page, loaded."""
    ctx = browser.new_context(**VIEWPORTS[width], **context)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    expect(page.locator("#na-status")).to_contain_text("articles", timeout=TIMEOUT_MS)
    return ctx, page, errors


@pytest.fixture
def page(browser: Any, served: RunningApp, width: str) -> Iterator[Page]:
    ctx, page, errors = open_page(browser, served.url, width)
    yield page
    ctx.close()
    assert errors == [], errors


@pytest.fixture
def desktop(browser: Any, served: RunningApp) -> Iterator[Page]:
    ctx, page, errors = open_page(browser, served.url, "desktop")
    yield page
    ctx.close()
    assert errors == [], errors


def wait_for_answer(page: Page, count: int = 1) -> Locator:
    """The count-th assistant message once it is final (the streaming cursor has gone)."""
    page.wait_for_function(
        """([selector, count]) => {
            const bots = document.querySelectorAll(selector);
            if (bots.length < count) return false;
            const text = bots[count - 1].innerText;
            return text.length > 0 && !text.includes('▍');
        }""",
        arg=[BOT, count],
        timeout=TIMEOUT_MS,
    )
    # The page's data (copy texts, previews) arrives with the final answer's update.
    page.wait_for_function(
        "(count) => ((window.__naData || {}).turns || []).length >= count",
        arg=count,
        timeout=TIMEOUT_MS,
    )
    return page.locator(BOT).nth(count - 1)


def ask(page: Page, question: str, count: int = 1) -> Locator:
    page.locator("#na-question textarea").fill(question)
    page.locator("#na-ask").click()
    return wait_for_answer(page, count)


def ask_example(page: Page) -> Locator:
    page.get_by_role("button", name=EXAMPLE).click()
    return wait_for_answer(page)


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, locator
    return found


def in_viewport(page: Page, locator: Locator) -> bool:
    rect = box(locator)
    size = page.viewport_size or {"width": 0, "height": 0}
    return (
        rect["y"] >= 0
        and rect["y"] + min(rect["height"], 40) <= size["height"]
        and rect["x"] >= 0
        and rect["x"] + rect["width"] <= size["width"] + 1
    )


def chat_box(page: Page) -> dict[str, float]:
    """The visible rectangle of the chat's scrolling message list."""
    rect: dict[str, float] = page.evaluate(
        """() => {
            const wrap = document.querySelector('#na-chat .bubble-wrap');
            const r = wrap.getBoundingClientRect();
            return {y: r.top, height: r.height};
        }"""
    )
    return rect


# -- the status line and the first screen ------------------------------------------------------


def test_status_is_filled_when_the_page_loads_and_reads_in_plain_words(
    browser: Any, served: RunningApp, width: str, artifacts_dir: Path
) -> None:
    ctx = browser.new_context(**VIEWPORTS[width])
    page = ctx.new_page()
    page.goto(served.url)
    page.wait_for_selector("#na-chat")
    # Read at once, without waiting: the status comes with the page, not after it.
    status = page.locator("#na-status").inner_text().strip()
    assert PLAIN_STATUS.match(status), status
    for internal in ("Backend", "chunks", "embeddings", "MiniLM", "onnx"):
        assert internal not in status
    examples = page.locator("#na-chat button.example")
    expect(examples).to_have_count(4)
    for i in range(4):
        assert in_viewport(page, examples.nth(i)), f"example {i + 1} is below the fold"
    assert in_viewport(page, page.locator("#na-question textarea"))
    page.screenshot(path=str(artifacts_dir / f"ui-first-screen-{width}.png"))
    ctx.close()


# -- a new question in view --------------------------------------------------------------------


def test_a_new_question_and_the_start_of_its_answer_are_in_view(
    page: Page, width: str, artifacts_dir: Path
) -> None:
    ask_example(page)
    # The reader scrolls back up to the start of the long first answer...
    page.evaluate("() => { document.querySelector('#na-chat .bubble-wrap').scrollTop = 0; }")
    # ...then asks again: the new question and the start of its answer come into view.
    answer = ask(page, SECOND, count=2)
    question = page.locator(USER).nth(1)
    visible = chat_box(page)
    q, a = box(question), box(answer)
    assert visible["y"] - 1 <= q["y"] and q["y"] + q["height"] <= visible["y"] + visible["height"]
    assert a["y"] + 40 <= visible["y"] + visible["height"], "the answer's first line is hidden"
    assert in_viewport(page, question) and in_viewport(page, answer)
    page.screenshot(path=str(artifacts_dir / f"ui-new-question-{width}.png"))


# -- citations ---------------------------------------------------------------------------------


def test_hovering_a_citation_previews_its_passage_with_title_and_date(
    desktop: Page, served: RunningApp, artifacts_dir: Path
) -> None:
    page = desktop
    answer = ask_example(page)
    expected = {c.n: c for c in served.assistant.ask(EXAMPLE).citations}
    shown_with_date = 0
    for n, citation in sorted(expected.items()):
        article = served.assistant.article(citation.source)
        assert article is not None
        answer.locator(f"a[href='#cite-0-{n}']").first.hover()
        preview = page.locator("#na-preview")
        expect(preview).to_be_visible()
        expect(preview).to_be_in_viewport(ratio=0.99)
        title = display_title(article.title, article.text, citation.source)
        expect(preview.locator(".na-preview-title")).to_have_text(title)
        if article.date:
            expect(preview.locator(".na-preview-date")).to_have_text(f" ({article.date})")
            shown_with_date += 1
            page.screenshot(path=str(artifacts_dir / "ui-citation-preview-desktop.png"))
        assert " ".join(citation.quote.split())[:60] in " ".join(preview.inner_text().split())
        page.mouse.move(5, 5)
        expect(preview).to_be_hidden()
    assert shown_with_date >= 1  # the example cites the dated article (001)


def test_a_citation_opens_its_passage_in_view_with_focus(
    page: Page, served: RunningApp, width: str, artifacts_dir: Path
) -> None:
    answer = ask_example(page)
    link = answer.locator("a[href^='#cite-0-']").first
    n = int((link.get_attribute("href") or "").rsplit("-", 1)[1])
    expected = next(c for c in served.assistant.ask(EXAMPLE).citations if c.n == n)
    if width == "phone":
        link.tap()
    else:
        link.click()

    mark = page.locator("#na-sources .na-passage mark")
    expect(mark).to_have_count(1, timeout=TIMEOUT_MS)
    # On a phone the drawer may still be sliding in (visibility: hidden, so innerText is empty).
    expect(mark).to_be_visible(timeout=TIMEOUT_MS)
    assert " ".join(mark.inner_text().split()) == " ".join(expected.quote.split())
    expect(mark).to_be_in_viewport()
    assert in_viewport(page, mark)
    expect(page.locator("#na-sources .na-label")).to_have_text(f"Source [{n}]", ignore_case=True)
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.classList.contains('na-passage')"
    )
    page.screenshot(path=str(artifacts_dir / f"ui-citation-{width}.png"))
    panel = page.locator("#na-sources-col").bounding_box()
    chat = page.locator("#na-chat-col").bounding_box()
    assert panel and chat
    if width == "phone":
        # A drawer over the chat, with nothing of the chat drawn on top of it.
        position = page.evaluate(
            "() => getComputedStyle(document.querySelector('#na-sources-col')).position"
        )
        assert position == "fixed"
        expect(page.locator("#na-chat .scroll-down-button-container button")).not_to_be_visible()
    else:
        assert panel["x"] >= chat["x"] + chat["width"] - 1  # beside the chat, not over it
    if width == "phone":
        close = page.get_by_role("button", name="Close the source")
        expect(close).to_be_in_viewport()
        close.tap()
        expect(mark).not_to_be_in_viewport()
        page.wait_for_function(
            "(n) => document.activeElement && "
            "(document.activeElement.getAttribute('href') || '').endsWith('-' + n)",
            arg=n,
        )


def test_a_slow_panel_still_gets_the_focus_when_it_arrives(
    page: Page, served: RunningApp, width: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a busy server the panel can take longer than the page's fallback (700 ms) to arrive;
    # the focus must go to the passage once it does, not to the panel shown before.
    answer = ask_example(page)
    article = served.assistant.article

    def slow_article(source: str) -> Any:
        time.sleep(2.0)
        return article(source)

    monkeypatch.setattr(served.assistant, "article", slow_article)
    link = answer.locator("a[href^='#cite-0-']").first
    if width == "phone":
        link.tap()
    else:
        link.click()
    expect(page.locator("#na-sources .na-passage mark")).to_have_count(1, timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.classList.contains('na-passage')",
        timeout=5_000,
    )


# -- copy and export ---------------------------------------------------------------------------


def test_copying_an_answer_gives_plain_text_with_its_sources(
    browser: Any, served: RunningApp, width: str, artifacts_dir: Path
) -> None:
    ctx, page, errors = open_page(
        browser, served.url, width, permissions=["clipboard-read", "clipboard-write"]
    )
    question = "Why did Israel avoid *sanctioning* Russia_now?"
    answer = ask(page, question)
    copy = page.locator(
        "#na-chat .message-row.bot-row + .message-buttons button[title='Copy message']"
    )
    (copy.first.tap if width == "phone" else copy.first.click)()
    page.wait_for_function("() => window.__naLastCopy !== undefined")
    copied = page.evaluate("() => navigator.clipboard.readText()")

    expected = Client(served.url, verbose=False).predict(question, api_name="/chat")
    assert copied == expected  # the same plain text programs get from /chat
    body, _, sources = copied.partition("\n\nSources:\n")
    assert re.search(r"\[\d+\]", body) and sources
    for line in sources.split("\n\n")[0].splitlines():
        assert re.fullmatch(r"\[\d+\] .+, \S+\.txt", line), line
    for markup in ("\\", "#cite", "<", "**", "&amp;"):
        assert markup not in copied
    assert " ".join(body.split())[:80] in " ".join(answer.inner_text().split())

    user_copy = page.locator(
        "#na-chat .message-row.user-row + .message-buttons button[title='Copy message']"
    )
    (user_copy.first.tap if width == "phone" else user_copy.first.click)()
    page.wait_for_function("(q) => window.__naLastCopy === q", arg=question)
    assert page.evaluate("() => navigator.clipboard.readText()") == question
    page.screenshot(path=str(artifacts_dir / f"ui-copy-{width}.png"))
    ctx.close()
    assert errors == [], errors


def test_export_downloads_the_conversation_as_markdown(page: Page, width: str) -> None:
    ask_example(page)
    ask(page, SECOND, count=2)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export conversation").click()
    download = download_info.value
    assert re.fullmatch(r"conversation-\d{4}-\d{2}-\d{2}\.md", download.suggested_filename)
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("# News assistant conversation\n")
    assert f"## 1. {EXAMPLE}\n" in text and f"## 2. {SECOND}\n" in text
    assert text.count("**Sources**") == 2
    assert re.search(r"^- \\\[1\\\] .+: “.+”$", text, re.MULTILINE), text


# -- reload, new chat, stop ----------------------------------------------------------------------


def test_the_conversation_survives_a_reload_and_new_chat_clears_it(
    page: Page, width: str, artifacts_dir: Path
) -> None:
    before = " ".join(ask_example(page).inner_text().split())
    page.reload()
    restored = wait_for_answer(page)
    assert " ".join(restored.inner_text().split()) == before
    expect(page.locator(USER)).to_have_text(EXAMPLE)
    link = restored.locator("a[href^='#cite-0-']").first
    (link.tap if width == "phone" else link.click)()
    expect(page.locator("#na-sources .na-passage mark")).to_have_count(1, timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts_dir / f"ui-restored-{width}.png"))
    if width == "phone":
        page.get_by_role("button", name="Close the source").tap()

    page.get_by_role("button", name="New chat").click()
    expect(page.locator(BOT)).to_have_count(0)
    expect(page.locator("#na-chat button.example")).to_have_count(4)
    expect(page.locator("#na-sources")).to_contain_text("Click a citation")
    page.reload()
    expect(page.locator("#na-chat button.example")).to_have_count(4, timeout=TIMEOUT_MS)
    page.wait_for_timeout(1000)  # the restore on load has run (it would bring messages back)
    expect(page.locator(BOT)).to_have_count(0)


# -- the question box --------------------------------------------------------------------------


def test_a_too_long_question_stays_in_the_box_with_a_counter_and_a_message(
    page: Page, served: RunningApp, width: str, artifacts_dir: Path
) -> None:
    limit = served.assistant.settings.max_question_chars
    question = ("Why did Israel avoid sanctioning Russia " * 80)[: limit + 50].strip()
    box_ = page.locator("#na-question textarea")
    box_.fill(question)
    counter = page.locator("#na-limit .na-count")
    expect(counter).to_have_text(f"{len(question):,} / {limit:,}")
    message = page.locator("#na-limit .na-limit-msg")
    expect(message).to_contain_text("Too long to ask")
    page.locator("#na-ask").click()
    page.wait_for_timeout(1500)  # the server's refusal has come back
    expect(box_).to_have_value(question)
    expect(message).to_have_text(
        f"Too long to ask: {len(question):,} characters, the limit is {limit:,}. "
        "Shorten the question and ask again."
    )
    expect(message).to_be_in_viewport()
    expect(counter).to_be_in_viewport()
    assert "MAX_QUESTION_CHARS" not in page.locator("body").inner_text()
    expect(page.locator(USER)).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / f"ui-too-long-{width}.png"))
    box_.fill(question[:100])
    expect(message).to_have_text("")
    expect(counter).to_have_text("")
    expect(page.locator("#na-limit")).to_be_hidden()  # it takes no room when it has nothing to say


# -- accessibility ------------------------------------------------------------------------------


def test_messages_have_accessible_names_that_read_as_text(page: Page, width: str) -> None:
    question = "What did Bennett say about *Syria* [and] <Russia>?"
    ask(page, question)
    expect(page.get_by_role("textbox", name="Your question")).to_have_count(1)
    user = page.locator(USER).first
    expect(user).to_have_attribute("aria-label", f"You: {question}")
    label = page.locator(BOT).first.get_attribute("aria-label") or ""
    assert label.startswith("Assistant: ")
    for markup in ("\\[", "](#cite", "&lt;", "&amp;", "**", "<span", "<small", "▍"):
        assert markup not in label, label
    assert re.search(r"\[\d+\]", label) and "Sources" in label


# -- the Library -------------------------------------------------------------------------------


def add_article(served: RunningApp, name: str, text: str) -> Path:
    path = served.assistant.settings.articles_path / name
    path.write_text(text, encoding="utf-8")
    served.assistant.ingest([path])
    return path


def library_rows(page: Page) -> Locator:
    return page.locator("#na-library tbody tr:not(.na-lib-confirm-row)")


def test_the_library_lists_sorts_searches_opens_and_removes_articles(
    page: Page, served: RunningApp, width: str, artifacts_dir: Path
) -> None:
    name = f"harbour-{width}.txt"
    path = add_article(
        served,
        name,
        f"The harbour of Haifa opened a new terminal for container ships ({width}). "
        "Officials said traffic through the port would double by next year.\n",
    )
    page.get_by_role("tab", name="Library").click()
    rows = library_rows(page)
    listed = served.assistant.articles()
    expect(rows).to_have_count(len(listed), timeout=TIMEOUT_MS)
    titles = page.locator("#na-library .na-lib-open").all_inner_texts()
    assert not [t for t in titles if HASH_NAME.match(t)], titles  # titles, never hash file names
    dated = next(a for a in listed if a.date)
    expect(page.locator(f"#na-library tr[data-source='{dated.source}'] .na-lib-date")).to_have_text(
        dated.date or ""
    )
    page.screenshot(path=str(artifacts_dir / f"ui-library-{width}.png"), full_page=True)

    page.locator("#na-library .na-lib-sort").select_option("size")
    sizes = [int(s) for s in rows.evaluate_all("rows => rows.map(r => r.dataset.size)")]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == max(a.chars for a in listed)
    page.locator("#na-library .na-lib-sort").select_option("date")
    assert rows.first.get_attribute("data-source") == dated.source
    if width == "desktop":
        page.locator("#na-library th[data-sort='title'] button").click()
        expect(page.locator("#na-library th[data-sort='title']")).to_have_attribute(
            "aria-sort", "ascending"
        )
        shown = [t.lower() for t in page.locator("#na-library .na-lib-open").all_inner_texts()]
        assert shown == sorted(shown)

    page.locator("#na-library .na-lib-search").fill(f"harbour-{width}")
    expect(page.locator("#na-library tbody tr:visible")).to_have_count(1)
    page.locator("#na-library .na-lib-search").fill("no such article anywhere")
    expect(page.locator("#na-library tbody tr:visible")).to_have_count(0)
    expect(page.locator("#na-library .na-lib-none")).to_be_visible()
    page.locator("#na-library .na-lib-search").fill(f"harbour-{width}")

    row = page.locator(f"#na-library tr[data-source='{name}']")
    row.locator(".na-lib-open").click()
    viewer = page.locator("#na-library-viewer")
    article = served.assistant.article(name)
    assert article is not None
    expect(viewer.locator(".na-article")).to_have_text(article.text.strip(), timeout=TIMEOUT_MS)
    expect(viewer.locator(".na-article")).to_be_in_viewport()
    page.screenshot(path=str(artifacts_dir / f"ui-library-open-{width}.png"))

    row.locator(".na-lib-remove").click()
    confirm = page.locator("#na-library .na-lib-confirm-row")
    expect(confirm).to_contain_text(f"({name})")
    expect(page.get_by_role("button", name="Cancel")).to_be_focused()
    page.screenshot(path=str(artifacts_dir / f"ui-library-confirm-{width}.png"))
    page.get_by_role("button", name="Cancel").click()
    expect(confirm).to_have_count(0)
    assert path.exists()

    row.locator(".na-lib-remove").click()
    page.locator("#na-library .na-lib-confirm").click()
    notice = page.locator("#na-library .na-lib-notice")
    expect(notice).to_contain_text(f"Removed {name}", timeout=TIMEOUT_MS)
    expect(notice).to_be_in_viewport()
    expect(page.locator(f"#na-library tr[data-source='{name}']")).to_have_count(0)
    assert not path.exists() and served.assistant.article(name) is None
    expect(page.locator("#na-status")).to_contain_text(f"{len(listed) - 1} article")
    page.screenshot(path=str(artifacts_dir / f"ui-library-removed-{width}.png"))


def test_uploads_in_the_library_list_what_was_added_and_skipped(
    desktop: Page, served: RunningApp, tmp_path: Path, artifacts_dir: Path
) -> None:
    page = desktop
    good = tmp_path / "tram news.txt"
    good.write_text("The tram line to the university opened on Sunday after four years of work.\n")
    wrong = tmp_path / "slides.pptx"
    wrong.write_text("not an article")
    page.get_by_role("tab", name="Library").click()
    before = len(served.assistant.articles())
    expect(library_rows(page)).to_have_count(before, timeout=TIMEOUT_MS)

    page.locator("#na-upload input[type=file]").set_input_files([str(good), str(wrong)])

    summary = page.locator("#na-upload-summary")
    expect(summary.locator("li")).to_have_count(2, timeout=TIMEOUT_MS)
    expect(summary.locator("li.na-added")).to_contain_text("tram_news.txt")
    expect(summary.locator("li.na-skipped")).to_contain_text("slides.pptx")
    expect(summary.locator("li.na-skipped")).to_contain_text("unsupported file type '.pptx'")
    expect(library_rows(page)).to_have_count(before + 1)
    expect(page.locator("#na-library tr[data-source='tram_news.txt']")).to_have_count(1)
    expect(page.locator("#na-status")).to_contain_text(f"{before + 1} articles")
    summary.locator("a[href='#article-tram_news.txt']").click()
    expect(page.locator("#na-library-viewer .na-article")).to_contain_text("tram line")
    page.screenshot(path=str(artifacts_dir / "ui-upload-desktop.png"), full_page=True)


# -- escaping ----------------------------------------------------------------------------------


def test_a_typed_question_is_answered_and_shown_as_text(desktop: Page) -> None:
    page = desktop
    question = 'What is the deconfliction mechanism for? <img src=x onerror="window.__pwned=5">'
    ask(page, question)
    expect(page.locator(USER).last).to_contain_text("<img src=x")
    assert page.locator("#na-chat img[src='x']").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_hostile_article_is_shown_as_text_and_never_run(
    desktop: Page, tmp_path: Path, artifacts_dir: Path
) -> None:
    page = desktop
    hostile = tmp_path / "falcons.txt"
    hostile.write_text(HOSTILE_ARTICLE)
    page.get_by_role("tab", name="Library").click()
    page.locator("#na-upload input[type=file]").set_input_files([str(hostile)])
    link = page.locator("#na-upload-summary a[href='#article-falcons.txt']")
    expect(link).to_have_count(1, timeout=TIMEOUT_MS)

    link.click()
    viewer = page.locator("#na-library-viewer")
    expect(viewer.locator(".na-article")).to_contain_text("<script>window.__pwned=1</script>")
    expect(viewer).to_contain_text('<img src=x onerror="window.__pwned=2">')
    expect(viewer).to_contain_text("${window.__pwned=3}")
    expect(viewer).to_contain_text("{{constructor.constructor('window.__pwned=4')()}}")
    expect(page.locator("#na-library tr[data-source='falcons.txt']")).to_contain_text(
        "Zanzibar Falcon Report"
    )

    page.get_by_role("tab", name="Chat").click()
    answer = ask(page, "What did organisers say about the falcon festival in Zanzibar?")
    expect(answer).to_contain_text("${window.__pwned=3}")
    answer.locator("a[href^='#cite-']").last.click()
    panel = page.locator("#na-sources")
    expect(panel.locator(".na-passage mark")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(panel.locator(".na-passage")).to_contain_text("falcon festival")
    page.screenshot(path=str(artifacts_dir / "ui-hostile-article.png"), full_page=True)

    assert (
        page.locator("#na-sources script, #na-sources img, #na-library-viewer script").count() == 0
    )
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("window.__pwned") is None
