"""The real Gradio server under hostile requests: the source viewer shows only ingested articles,
uploads are limited by type and size with clear messages, and article text comes back escaped.

The viewer and the upload handler are private events (no API name): a browser calls them by
their index over Gradio's queue protocol, and so does anyone else. These tests speak that
protocol directly (POST queue/join, read the queue/data event stream), as an attacker would.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.conftest import BUNDLED_ARTICLES
from tests.ui_helpers import RunningApp, running_app
from ui.escaping import escape_html

pytestmark = [
    pytest.mark.slow,
    # Gradio's queue still uses pandas options that pandas 3 deprecates; not ours to fix.
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

ARTICLE = "000_c8c3204a0dfea43f.txt"
NOT_IN_LIBRARY = (
    '<div class="na-panel"><p class="na-hint">That article is not in the library.</p></div>'
)
MAX_UPLOAD_MB = 0.5  # 524,288 bytes; Gradio itself refuses more than four times that
XSS_TEXT = (
    "Researchers showed how <script>alert('stolen')</script> could run in old browsers.\n"
    'A second payload, <img src=x onerror="alert(1)">, hid in an image tag.\n'
    "Template tricks such as {{constructor}} and ${7*7} and `backticks` were tried as well.\n"
    "The researchers said the browser makers fixed the script injection flaw in March.\n"
)
XSS_QUESTION = "When did the browser makers fix the script injection flaw?"
SECRET = "The vault combination is 4-8-15-16-23-42."
PANEL_DEADLINE = 120  # seconds for one event; a hang guard, not a speed check


def cite_message(n: int) -> str:
    return (
        '<div class="na-panel"><p class="na-hint">'
        f"Citation [{n}] is not part of this conversation any more.</p></div>"
    )


@dataclass
class Page:
    """One browser session's worth of the page's events, over Gradio's queue protocol."""

    url: str
    events: dict[str, tuple[int, int]]  # event name -> (fn_index, trigger component id)
    session: str

    def call(self, event: str, data: list[Any], event_data: Any = None) -> dict[str, Any]:
        """Run one event to completion; the `process_completed` message."""
        fn_index, trigger = self.events[event]
        with httpx.Client(base_url=self.url + "gradio_api/", timeout=60) as http:
            joined = http.post(
                "queue/join",
                json={
                    "data": data,
                    "event_data": event_data,
                    "fn_index": fn_index,
                    "trigger_id": trigger,
                    "session_hash": self.session,
                },
            )
            joined.raise_for_status()
            deadline = time.monotonic() + PANEL_DEADLINE
            with http.stream("GET", "queue/data", params={"session_hash": self.session}) as stream:
                for line in stream.iter_lines():
                    assert time.monotonic() < deadline, f"{event} did not complete"
                    if not line.startswith("data:"):
                        continue
                    message: dict[str, Any] = json.loads(line[5:])
                    if message.get("msg") == "process_completed":
                        return message
        raise AssertionError(f"the event stream of {event} ended without a result")

    def panel(self, href: str) -> str:
        """What the sources panel shows when a link with this target is clicked."""
        message = self.call("open_source", [None], {"href": href})
        assert message["success"], message
        html: str = message["output"]["data"][0]
        # Labelled with the link it answers (the page focuses only the panel it asked for).
        label = f'<div class="na-for" data-for="{escape_html(href)}">'
        assert html.startswith(label) and html.endswith("</div>"), html[:200]
        return html[len(label) : -len("</div>")]

    def ask(self, question: str) -> str:
        """Ask in the chat box; the last reply's Markdown."""
        message = self.call("ui_chat", [question, None])
        assert message["success"], message
        chat = message["output"]["data"][0]
        content = chat[-1]["content"]
        return str(content if isinstance(content, str) else content[0]["text"])

    def upload(self, name: str, payload: bytes) -> httpx.Response:
        with httpx.Client(base_url=self.url + "gradio_api/", timeout=60) as http:
            return http.post("upload", files=[("files", (name, payload))])

    def add_files(self, files: list[dict[str, Any]]) -> dict[str, Any]:
        return self.call("add_uploads", [files])

    def add_uploaded(self, name: str, payload: bytes) -> str:
        """Upload a file as the browser does and hand it to the page; the summary HTML."""
        uploaded = self.upload(name, payload)
        assert uploaded.status_code == 200, uploaded.text
        [path] = uploaded.json()
        message = self.add_files(
            [{"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}]
        )
        assert message["success"], message
        summary: str = message["output"]["data"][0]
        return summary


def page_events(url: str) -> dict[str, tuple[int, int]]:
    """fn_index and trigger of each of the page's events, read from the page's own config."""
    config = httpx.get(url + "config", timeout=60).json()
    events: dict[str, tuple[int, int]] = {}
    for dependency in config["dependencies"]:
        if dependency["targets"]:
            events.setdefault(
                dependency["api_name"], (dependency["id"], dependency["targets"][0][0])
            )
    return events


@dataclass(frozen=True)
class Served:
    app: RunningApp
    root: Path
    events: dict[str, tuple[int, int]]

    def page(self) -> Page:
        return Page(self.app.url, self.events, uuid.uuid4().hex)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("ui-hostile")
    shutil.copytree(BUNDLED_ARTICLES, root / "articles")
    (root / "articles" / "xss.txt").write_text(XSS_TEXT, encoding="utf-8")
    (root / "outside").mkdir()
    (root / "outside" / "secret.txt").write_text((SECRET + " ") * 5, encoding="utf-8")
    with running_app(root, ui_max_upload_mb=MAX_UPLOAD_MB) as app:
        yield Served(app, root, page_events(app.url))


def test_page_exposes_the_events_these_tests_drive(served: Served) -> None:
    assert {"open_source", "add_uploads", "ui_chat"} <= served.events.keys()


# -- the source viewer ------------------------------------------------------------------------


def test_viewer_shows_an_ingested_article(served: Served) -> None:
    html = served.page().panel(f"#article-{ARTICLE}")
    assert html.startswith('<div class="na-panel"><div class="na-label">Article</div>')
    assert "The Trump administration is reportedly working to strengthen relations" in html


@pytest.mark.parametrize(
    "href",
    [
        "#article-../../etc/passwd",
        "#article-/etc/passwd",
        "#article-..%2F..%2F..%2Fetc%2Fpasswd",
        "#article-%2Fetc%2Fpasswd",
        "#article-..",
        f"#article-../articles/{ARTICLE}",
        f"#article-articles/{ARTICLE}",
        f"#article-{ARTICLE}%00.png",
        "#article-../outside/secret.txt",
        "#article-secret.txt",
        "#article-.ingest-articles.lock",
        "#article-chroma.sqlite3",
        "#article-",
        "#article-" + "A" * 5000,
        "/etc/passwd",
        "file:///etc/passwd",
        "../../etc/passwd",
        "..%2F..",
        "",
        "#cite--1-1",
        "#cite-0-1-../../etc/passwd",
    ],
)
def test_viewer_never_serves_anything_but_ingested_articles(served: Served, href: str) -> None:
    assert served.page().panel(href) == NOT_IN_LIBRARY


def test_viewer_of_an_absolute_path_to_an_ingested_file_shows_nothing(served: Served) -> None:
    path = served.root / "articles" / ARTICLE
    assert served.page().panel("#article-" + quote(str(path), safe="")) == NOT_IN_LIBRARY


@pytest.mark.parametrize("href", ["#cite-0-1", "#cite-0-99", "#cite-999999-1", "#cite-3-2"])
def test_citation_ids_that_do_not_exist_give_a_clean_message(served: Served, href: str) -> None:
    n = int(href.rsplit("-", 1)[1])
    assert served.page().panel(href) == cite_message(n)


def test_citation_of_this_conversation_opens_and_others_do_not(served: Served) -> None:
    page = served.page()
    reply = page.ask("Who was the first Kremlin leader to visit Israel?")
    assert "(#cite-0-1)" in reply, reply
    assert page.panel("#cite-0-1").startswith('<div class="na-panel" data-citation="1">')
    assert page.panel("#cite-0-42") == cite_message(42)
    # Another session cannot open this conversation's citations.
    assert served.page().panel("#cite-0-1") == cite_message(1)


def test_gradio_file_route_does_not_serve_articles_store_or_system_files(served: Served) -> None:
    targets = [
        served.root / "articles" / ARTICLE,
        served.root / "outside" / "secret.txt",
        served.root / "chroma" / "chroma.sqlite3",
        Path("/etc/passwd"),
    ]
    with httpx.Client(timeout=60) as http:
        for target in targets:
            assert target.exists() or target == Path("/etc/passwd")
            response = http.get(f"{served.app.url}gradio_api/file={target}")
            assert response.status_code == 403, (target, response.status_code)
            assert "root:" not in response.text and "Trump" not in response.text
            assert SECRET not in response.text


# -- uploads --------------------------------------------------------------------------------------


def test_a_good_upload_is_added_and_readable(served: Served) -> None:
    page = served.page()
    summary = page.add_uploaded(
        "harbour.txt",
        b"The harbour authority reopened the northern pier on Monday after two years of repairs. "
        b"Fishing boats returned to the quay within hours.\n",
    )
    assert '<li class="na-added"><b>added</b>: <a href="#article-harbour.txt">harbour.txt</a>' in (
        summary
    )
    assert "reopened the northern pier" in page.panel("#article-harbour.txt")


@pytest.mark.parametrize(
    ("name", "payload", "reason"),
    [
        (
            "notes.docx",
            b"PK\x03\x04 a word document",
            (
                "unsupported file type &#x27;.docx&#x27;; upload one of .txt, .md, .markdown, "
                ".html, .htm, .pdf"
            ),
        ),
        ("program.exe", b"MZ\x90\x00", "unsupported file type &#x27;.exe&#x27;; upload one of"),
        ("README", b"no suffix at all", "unsupported file type &#x27;none&#x27;; upload one of"),
        ("empty.txt", b"", "empty file"),
        ("photo.txt", bytes(range(256)) * 4, "binary file, not text"),
        ("latin1.txt", "caf\u00e9 society".encode("latin-1"), "not valid UTF-8 text (byte 3)"),
        (
            "long.txt",
            b"Long news. " * 64_000,  # 704,000 bytes
            "too large (0.7 MB; the limit is 0.5 MB)",
        ),
    ],
)
def test_refused_uploads_are_named_with_a_clear_reason(
    served: Served, name: str, payload: bytes, reason: str
) -> None:
    before = sorted(p.name for p in (served.root / "articles").iterdir())
    summary = served.page().add_uploaded(name, payload)
    assert summary.startswith('<div class="na-upload"><p>1 skipped')
    assert f'<li class="na-skipped"><b>skipped</b>: {name} — {reason}' in summary, summary
    assert sorted(p.name for p in (served.root / "articles").iterdir()) == before


def test_an_upload_far_over_the_limit_is_refused_by_the_server(served: Served) -> None:
    response = served.page().upload("huge.txt", b"x" * 3_000_000)
    assert response.status_code == 413
    assert response.text == "File size exceeded maximum allowed size of 2097152 bytes."


def test_an_upload_named_with_a_path_lands_inside_the_library(served: Served) -> None:
    summary = served.page().add_uploaded(
        "../../../outside/escaped name.txt",
        b"The falcon festival in Zanzibar drew record crowds this spring.\n",
    )
    assert '<a href="#article-escaped_name.txt">escaped_name.txt</a>' in summary
    assert (served.root / "articles" / "escaped_name.txt").is_file()
    assert sorted(p.name for p in (served.root / "outside").iterdir()) == ["secret.txt"]


def test_a_server_file_that_was_never_uploaded_cannot_be_added(served: Served) -> None:
    secret = served.root / "outside" / "secret.txt"
    message = served.page().add_files(
        [{"path": str(secret), "orig_name": "secret.txt", "meta": {"_type": "gradio.FileData"}}]
    )
    assert message["success"] is False
    assert SECRET not in json.dumps(message)
    assert not (served.root / "articles" / "secret.txt").exists()
    assert served.page().panel("#article-secret.txt") == NOT_IN_LIBRARY


def test_an_upload_name_with_markup_is_harmless_in_the_summary(served: Served) -> None:
    # Gradio drops the angle brackets from upload names; what is left is escaped by the page.
    summary = served.page().add_uploaded("<img src=x onerror=alert(1)>.txt", b"")
    assert "<img" not in summary
    assert "<b>skipped</b>: img src=x onerror=alert(1).txt — empty file</li>" in summary
    summary = served.page().add_uploaded("Tom & Jerry's <b>.txt", b"")
    assert "<b>skipped</b>: Tom &amp; Jerry&#x27;s b.txt — empty file</li>" in summary


# -- escaping of article text ---------------------------------------------------------------------


def test_article_markup_comes_back_escaped_in_the_viewer(served: Served) -> None:
    html = served.page().panel("#article-xss.txt")
    assert "&lt;script&gt;alert(&#x27;stolen&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "&#123;&#123;constructor&#125;&#125;" in html and "&#36;&#123;7*7&#125;" in html
    assert "&#96;backticks&#96;" in html
    for raw in ("<script", "<img", "{{", "${", "`"):
        assert raw not in html


def test_article_markup_comes_back_escaped_in_answers_and_citations(served: Served) -> None:
    page = served.page()
    reply = page.ask(XSS_QUESTION)
    assert "(#cite-0-1)" in reply, reply
    panel = page.panel("#cite-0-1")
    assert 'data-citation="1"' in panel and "fixed the script injection flaw" in panel
    for shown in (reply, panel):
        assert "<script" not in shown and "<img" not in shown
    assert "&lt;script&gt;" in panel
