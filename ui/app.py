"""The Gradio app: the page's layout and events, and `serve` (what `assistant serve` runs)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import Assistant
from ui import library
from ui.chat import ChatHandlers
from ui.conversation import Turn
from ui.login_throttle import login_middleware
from ui.page_assets import PANEL_CSS, SOURCE_LINKS_JS, UPLOAD_CSS
from ui.source_panel import EMPTY_PANEL
from ui.uploads import ALLOWED_SUFFIXES, summary_html

log = logging.getLogger(__name__)

EXAMPLES = (
    "Why did Israel avoid sanctioning Russia?",
    "What is the deconfliction mechanism between Israel and Russia for?",
    "Who was the first Kremlin leader to visit Israel?",
    "How did the Trump administration pressure Israel at the United Nations?",
)
# Concurrent answers (browser and API together); more would only queue on two cores anyway.
ANSWER_CONCURRENCY = 2
# Gradio refuses uploads beyond this multiple of UI_MAX_UPLOAD_MB outright; up to it, the page
# names each too-large file and goes on with the others.
UPLOAD_HARD_LIMIT_FACTOR = 4


def build_app(assistant: Assistant) -> gr.Blocks:
    """The chat page over `assistant`. Each browser session has its own conversation (gr.State)."""
    chat = ChatHandlers(assistant)
    max_mb = assistant.settings.ui_max_upload_mb

    with gr.Blocks(
        title="News assistant", analytics_enabled=False, delete_cache=(3600, 3600)
    ) as app:
        turns = gr.State([])
        with gr.Row(equal_height=False):
            gr.Markdown("## News assistant", elem_id="na-heading")
            status = gr.Markdown(elem_id="na-status")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                chatbot = gr.Chatbot(
                    label="Conversation",
                    elem_id="na-chat",
                    height=560,
                    sanitize_html=True,
                    latex_delimiters=[],
                    allow_tags=False,
                    feedback_options=None,
                    buttons=["copy"],
                    placeholder="Ask a question about the news articles. "
                    "Answers cite their sources as [n]; click one to read the passage.",
                )
                with gr.Row():
                    question = gr.Textbox(
                        show_label=False,
                        placeholder="Ask about the articles…",
                        elem_id="na-question",
                        scale=5,
                        max_lines=4,
                        autofocus=True,
                    )
                    ask = gr.Button("Ask", variant="primary", scale=1, elem_id="na-ask")
                gr.Markdown("**Examples**")
                with gr.Row(elem_id="na-examples"):
                    examples = [gr.Button(text, size="sm") for text in EXAMPLES]
                clear = gr.Button("Clear conversation", size="sm", elem_id="na-clear")
            with gr.Column(scale=2, min_width=320):
                sources = gr.HTML(
                    EMPTY_PANEL,
                    label="Sources",
                    show_label=True,
                    container=True,
                    padding=True,
                    elem_id="na-sources",
                    css_template=PANEL_CSS,
                    js_on_load=SOURCE_LINKS_JS,
                    max_height=720,
                )
                upload = gr.File(
                    label=f"Add articles ({', '.join(ALLOWED_SUFFIXES)}; up to {max_mb:g} MB each)",
                    file_count="multiple",
                    type="filepath",
                    elem_id="na-upload",
                )
                upload_summary = gr.HTML(
                    "", elem_id="na-upload-summary", css_template=UPLOAD_CSS, js_on_load=None
                )

        answer_events: dict[str, Any] = {
            "fn": chat.respond,
            "outputs": [chatbot, turns, question],
            "concurrency_limit": ANSWER_CONCURRENCY,
            "concurrency_id": "answer",
            "show_progress": "minimal",
        }
        gr.on(
            [question.submit, ask.click],
            inputs=[question, turns],
            api_name="ui_chat",
            api_visibility="undocumented",
            **answer_events,
        )
        for button in examples:
            button.click(inputs=[button, turns], api_visibility="private", **answer_events)

        def clear_conversation() -> tuple[list[dict[str, str]], list[Turn], str]:
            return [], [], EMPTY_PANEL

        gr.on(
            [clear.click, chatbot.clear],
            clear_conversation,
            outputs=[chatbot, turns, sources],
            api_visibility="private",
            show_progress="hidden",
        )

        def open_source(turns_now: list[Turn], event: gr.EventData) -> str:
            href = event._data.get("href", "") if isinstance(event._data, dict) else ""
            return chat.open_source(str(href), turns_now)

        sources.click(
            open_source,
            inputs=[turns],
            outputs=sources,
            api_visibility="private",
            show_progress="hidden",
        )

        def add_uploads(
            files: list[str] | None,
            progress: gr.Progress = gr.Progress(),  # noqa: B008 (how Gradio injects progress)
        ) -> tuple[str, None, str]:
            paths = [Path(f) for f in files or []]
            if not paths:
                return summary_html([], None), None, library.status_line(assistant)
            outcomes, chunks = library.add_articles(assistant, paths, progress)
            return summary_html(outcomes, chunks), None, library.status_line(assistant)

        upload.upload(
            add_uploads,
            inputs=upload,
            outputs=[upload_summary, upload, status],
            api_visibility="private",
            concurrency_limit=1,
            concurrency_id="ingest",
        )
        app.load(lambda: library.status_line(assistant), outputs=status, api_visibility="private")
        gr.api(
            chat.chat_api,
            api_name="chat",
            concurrency_limit=ANSWER_CONCURRENCY,
            concurrency_id="answer",
        )
    return app


def start(
    assistant: Assistant,
    host: str = "127.0.0.1",
    port: int = 7860,
    share: bool = False,
    auth: tuple[str, str] | None = None,
) -> gr.Blocks:
    """Build the app and start serving it in the background; `app.close()` stops it.

    Loopback only unless `host` says otherwise. A login is required when `auth` is given or
    UI_USERNAME/UI_PASSWORD are set (Gradio's own login page)."""
    settings = assistant.settings
    if auth is None and settings.ui_username and settings.ui_password is not None:
        auth = (settings.ui_username, settings.ui_password.get_secret_value())
    if host not in ("127.0.0.1", "localhost", "::1") and auth is None:
        log.warning("Serving on %s without a login; set UI_USERNAME and UI_PASSWORD", host)
    app = build_app(assistant)
    app.queue(default_concurrency_limit=1)
    app.launch(
        server_name=host,
        server_port=port,
        share=share,
        auth=auth,
        auth_message="Log in to the news assistant." if auth else None,
        app_kwargs={
            "middleware": login_middleware(
                settings.ui_login_free_attempts, settings.ui_login_max_wait_s
            )
        }
        if auth
        else None,
        max_file_size=f"{int(settings.ui_max_upload_mb * UPLOAD_HARD_LIMIT_FACTOR * 1024)}kb",
        show_error=False,
        footer_links=["api"],
        run_history=False,  # questions stay out of the browser's storage
        ssr_mode=False,
        quiet=True,
        prevent_thread_lock=True,
    )
    return app


def serve(
    assistant: Assistant,
    host: str = "127.0.0.1",
    port: int = 7860,
    share: bool = False,
    auth: tuple[str, str] | None = None,
) -> None:
    """Serve the chat page until interrupted (what `assistant serve` runs); see `start`."""
    app = start(assistant, host=host, port=port, share=share, auth=auth)
    print(f"News assistant on {app.local_url}", flush=True)
    if app.share_url:
        print(f"Public link (anyone with it can use the assistant): {app.share_url}", flush=True)
    app.block_thread()
