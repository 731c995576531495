"""The Gradio app: the page's layout and events, and `serve` (what `assistant serve` runs)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import Assistant
from ui import library, library_page
from ui.chat import ChatHandlers
from ui.conversation import Conversation
from ui.login_throttle import login_middleware
from ui.page_assets import (
    LIBRARY_JS,
    LIMIT_JS,
    LIMIT_TEMPLATE,
    PAGE_HEAD,
    PAGE_JS,
    PANEL_CSS,
    SOURCES_JS,
    UPLOAD_CSS,
    VIEWER_JS,
)
from ui.rendering import page_data
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
# The chat fills the window below the header, tabs, toolbar and question box (their height
# at 1280x800 and 390x844, measured on the screenshots), never shorter than a few messages.
CHAT_HEIGHT = "clamp(320px, calc(100dvh - 300px), 1100px)"
# The browser keeps the conversation in localStorage (gr.BrowserState), encrypted with this
# key. The page must hold the key to decrypt, so it hides nothing from the browser's user (whose
# conversation it is); a fixed key keeps conversations across server restarts.
STORAGE_SECRET = "news-assistant-conversation"


def storage_key(assistant: Assistant) -> str:
    """One stored conversation per library: another store's citations would not resolve."""
    settings = assistant.settings
    where = settings.chroma_host or str(settings.chroma_path.resolve())
    digest = hashlib.sha256(
        f"{where}:{settings.chroma_port}/{settings.chroma_collection}".encode()
    ).hexdigest()[:12]
    return f"news-assistant-{digest}"


def build_app(assistant: Assistant) -> gr.Blocks:
    """The page over `assistant`: a Chat tab and a Library tab. Each browser session has its
    own conversation (gr.State), and the browser keeps a copy that a reload restores."""
    chat = ChatHandlers(assistant)
    settings = assistant.settings
    read_only = settings.ui_read_only

    with gr.Blocks(
        title="News assistant", analytics_enabled=False, delete_cache=(3600, 3600)
    ) as app:
        conversation = gr.State(Conversation())
        stored = gr.BrowserState(None, storage_key=storage_key(assistant), secret=STORAGE_SECRET)
        with gr.Row(equal_height=False, elem_id="na-header"):
            gr.Markdown("## News assistant", elem_id="na-heading")
            status = gr.Markdown(library.status_line(assistant), elem_id="na-status")
        with gr.Tabs(elem_id="na-tabs"):
            with gr.Tab("Chat", id="chat", elem_id="na-chat-tab"), gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=300, elem_id="na-chat-col"):
                    with gr.Row(elem_id="na-toolbar"):
                        new_chat = gr.Button("New chat", size="sm", elem_id="na-new-chat")
                        export = gr.Button("Export conversation", size="sm", elem_id="na-export")
                    chatbot = gr.Chatbot(
                        label="Conversation",
                        show_label=False,
                        elem_id="na-chat",
                        height=CHAT_HEIGHT,
                        autoscroll=False,  # the page's script shows each new question
                        sanitize_html=True,
                        latex_delimiters=[],
                        allow_tags=False,
                        feedback_options=None,
                        buttons=["copy"],
                        examples=[{"text": text} for text in EXAMPLES],
                        placeholder="**Ask about the news articles.** Every answer cites "
                        "its sources as [1], [2]…: point at one for a preview, click it to "
                        "read the passage in its article.",
                    )
                    # Above the box: still in view when a long question grows it to four lines.
                    limit = gr.HTML(
                        "",
                        elem_id="na-limit",
                        html_template=LIMIT_TEMPLATE,
                        js_on_load=LIMIT_JS,
                        limit=settings.max_question_chars,
                    )
                    with gr.Row(elem_id="na-ask-row"):
                        question = gr.Textbox(
                            label="Your question",
                            show_label=False,
                            placeholder="Ask about the articles…",
                            elem_id="na-question",
                            max_lines=4,
                            autofocus=True,
                            html_attributes=gr.InputHTMLAttributes(enterkeyhint="send"),
                        )
                        ask = gr.Button("Ask", variant="primary", elem_id="na-ask")
                        stop = gr.Button("Stop", variant="stop", elem_id="na-stop", visible=False)
                with gr.Column(scale=2, min_width=300, elem_id="na-sources-col"):
                    sources = gr.HTML(
                        EMPTY_PANEL,
                        label="Source",
                        show_label=True,
                        container=True,
                        padding=True,
                        elem_id="na-sources",
                        css_template=PANEL_CSS,
                        js_on_load=SOURCES_JS,
                    )
            with gr.Tab("Library", id="library", elem_id="na-library-tab") as library_tab:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=300):
                        table = gr.HTML(
                            library_page.library_table(assistant),
                            elem_id="na-library",
                            js_on_load=LIBRARY_JS,
                            apply_default_css=False,  # its own styles, in page.css
                        )
                    with gr.Column(scale=2, min_width=300, elem_id="na-viewer-col"):
                        viewer = gr.HTML(
                            library_page.EMPTY_VIEWER,
                            label="Article",
                            show_label=True,
                            container=True,
                            padding=True,
                            elem_id="na-library-viewer",
                            css_template=PANEL_CSS,
                            js_on_load=VIEWER_JS,
                        )
                if not read_only:
                    upload = gr.File(
                        label=f"Add articles ({', '.join(ALLOWED_SUFFIXES)}; up to "
                        f"{settings.ui_max_upload_mb:g} MB each)",
                        file_count="multiple",
                        type="filepath",
                        elem_id="na-upload",
                        height=140,
                    )
                    upload_summary = gr.HTML(
                        "",
                        elem_id="na-upload-summary",
                        css_template=UPLOAD_CSS,
                        js_on_load=None,
                    )
        page = gr.HTML(
            page_data([]),
            elem_id="na-page",
            visible="hidden",
            html_template="",
            js_on_load=PAGE_JS,
            head=PAGE_HEAD,
        )

        # -- answering ---------------------------------------------------------------------------
        chat_outputs = [chatbot, question, limit, page, stored, ask, stop]
        answer_events: dict[str, Any] = {
            "outputs": chat_outputs,
            "concurrency_limit": ANSWER_CONCURRENCY,
            "concurrency_id": "answer",
            "show_progress": "hidden",
        }
        asked = gr.on(
            [question.submit, ask.click],
            chat.respond,
            inputs=[question, conversation],
            api_name="ui_chat",
            api_visibility="undocumented",
            **answer_events,
        )

        def ask_example(
            conversation_now: Conversation, event: gr.SelectData
        ) -> Iterator[tuple[Any, ...]]:
            value = event.value if isinstance(event.value, dict) else {}
            yield from chat.respond(str(value.get("text", "")), conversation_now)

        example = chatbot.example_select(
            ask_example, inputs=[conversation], api_visibility="private", **answer_events
        )
        answering = [asked, example]
        stop.click(
            chat.stop,
            inputs=[conversation],
            outputs=chat_outputs,
            cancels=answering,
            api_visibility="private",
            show_progress="hidden",
        )

        def start_new_chat(conversation_now: Conversation) -> tuple[Any, ...]:
            return chat.new_chat(conversation_now) + (EMPTY_PANEL,)

        gr.on(
            [new_chat.click, chatbot.clear],
            start_new_chat,
            inputs=[conversation],
            outputs=[*chat_outputs, sources],
            cancels=answering,
            api_visibility="private",
            show_progress="hidden",
        )
        export.click(None, js="() => { window.__naExport && window.__naExport(); }")
        app.load(
            chat.restore,
            inputs=[conversation, stored],
            outputs=chat_outputs,
            api_visibility="private",
            show_progress="hidden",
        )

        def open_source(conversation_now: Conversation, event: gr.EventData) -> str:
            href = event._data.get("href", "") if isinstance(event._data, dict) else ""
            return chat.open_source(str(href), conversation_now)

        sources.click(
            open_source,
            inputs=[conversation],
            outputs=sources,
            api_visibility="private",
            show_progress="hidden",
        )

        # -- the library and the status line -----------------------------------------------------
        def refresh() -> tuple[str, str]:
            return library.status_line(assistant), library_page.library_table(assistant)

        quiet: dict[str, Any] = {
            "api_visibility": "private",
            "queue": False,
            "show_progress": "hidden",
        }
        app.load(refresh, outputs=[status, table], **quiet)
        library_tab.select(refresh, outputs=[status, table], **quiet)

        def library_click(event: gr.EventData) -> tuple[Any, Any, str]:
            new_table, new_viewer = library_page.library_action(assistant, event._data)
            return (
                gr.skip() if new_table is None else new_table,
                gr.skip() if new_viewer is None else new_viewer,
                library.status_line(assistant),
            )

        table.click(
            library_click,
            outputs=[table, viewer, status],
            api_visibility="private",
            show_progress="hidden",
            # Opening never waits for an upload; a removal takes the store's ingest lock itself.
            concurrency_limit=ANSWER_CONCURRENCY,
            concurrency_id="library",
        )

        if not read_only:

            def add_uploads(
                files: list[str] | None,
                progress: gr.Progress = gr.Progress(),  # noqa: B008 (how Gradio injects progress)
            ) -> tuple[str, None, str, str]:
                paths = [Path(f) for f in files or []]
                if not paths:
                    return (summary_html([], None), None, *refresh())
                outcomes, chunks = library.add_articles(assistant, paths, progress)
                return (summary_html(outcomes, chunks), None, *refresh())

            upload.upload(
                add_uploads,
                inputs=upload,
                outputs=[upload_summary, upload, status, table],
                api_visibility="private",
                concurrency_limit=1,
                concurrency_id="ingest",
            )

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
