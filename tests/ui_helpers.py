"""Shared by the UI tests: a real Assistant over a temp store, the real app serving it, Chromium at a
desktop and a phone size."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from assistant.components import store_location
from assistant.config import Settings, load_settings, revalidate
from tests.conftest import MemoEmbeddings
from vectorstore import ArticleStore, MiniLMEmbeddings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_ARTICLES = PROJECT_ROOT / "data" / "articles"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Settings the developer's environment or .env must not change under the UI tests.
_OFFLINE: dict[str, Any] = {
    "answer_backend": "offline",
    "embeddings": "local",
    "chroma_host": None,
    "openai_api_key": None,
    "openai_base_url": None,
    "ui_username": None,
    "ui_password": None,
    "ui_read_only": False,
}
# The two sizes the page is checked at: a laptop, and a phone (touch, mobile viewport).
VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_EMBEDDINGS: list[MemoEmbeddings] = []


def shared_embeddings() -> MemoEmbeddings:
    """The real MiniLM, shared by every UI test's store in this process: the bundled corpus is
    embedded once, not once per module (each module still ingests into its own Chroma)."""
    if not _EMBEDDINGS:
        _EMBEDDINGS.append(MemoEmbeddings(MiniLMEmbeddings()))
    return _EMBEDDINGS[0]


def assistant_for(settings: Settings) -> Assistant:
    return Assistant(settings, ArticleStore.open(store_location(settings), shared_embeddings()))


def make_assistant(folder: Path, **overrides: Any) -> Assistant:
    """An offline Assistant over a new store in `folder`, with a copy of the bundled corpus
    ingested (when `folder` already holds one, it is reused)."""
    articles = folder / "articles"
    if not articles.exists():
        shutil.copytree(BUNDLED_ARTICLES, articles)
    settings = load_settings(
        **{**_OFFLINE, "chroma_path": folder / "chroma", "articles_path": articles, **overrides}
    )
    assistant = assistant_for(settings)
    if assistant.status().chunks == 0:
        assistant.ingest([articles])
    return assistant


def with_model(assistant: Assistant, base_url: str, **overrides: Any) -> Assistant:
    """An assistant over the same store and articles that answers with the (fake) model server at
    `base_url`: no second ingest."""
    values: dict[str, Any] = {
        "answer_backend": "openai",
        "openai_api_key": "sk-test-not-a-real-key",
        "openai_base_url": base_url,
        "openai_model": "gpt-4o-mini",
        "openai_max_retries": 0,
        "openai_timeout": 10,
        **overrides,
    }
    return assistant_for(revalidate(assistant.settings, **values))


@dataclass
class RunningApp:
    url: str
    assistant: Assistant


@contextmanager
def running_app(
    folder: Path, assistant: Assistant | None = None, **overrides: Any
) -> Iterator[RunningApp]:
    """The real app (ui.app.start, as `serve` runs it) on a free loopback port, over `assistant`
    or a new one over `folder`."""
    from ui.app import start

    with pytest.MonkeyPatch.context() as env:
        env.setenv("ANONYMIZED_TELEMETRY", "False")
        env.setenv("GRADIO_ANALYTICS_ENABLED", "False")
        assistant = assistant or make_assistant(folder, **overrides)
        app = start(assistant, host="127.0.0.1", port=free_port())
        try:
            yield RunningApp(app.local_url or "", assistant)
        finally:
            app.close()


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless; fails (never skips) when it is not installed."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests need it. Install it with "
            "`apt-get update && apt-get install -y chromium chromium-driver`.",
            pytrace=False,
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
