"""The chat's event handlers: streaming an answer into the conversation, stopping it, a new chat,
restoring the conversation after a reload, opening a citation's passage, and the /chat API."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import gradio as gr

from assistant import Answer, Assistant
from assistant.errors import AssistantError, StoreError
from assistant.records import Citation
from ui import rendering, source_panel
from ui.conversation import Conversation, from_storage, parse_history, to_storage
from ui.escaping import escape_html
from ui.uploads import parse_article_href

log = logging.getLogger(__name__)

GENERIC_ERROR = (
    "Something went wrong while answering; the details were logged for the administrator. "
    "Try again, or ask another question."
)
# Streamed text is pushed to the browser at most this often (the final answer always is).
STREAM_INTERVAL_S = 0.05

# What every chat event updates, in this order (app.py wires the components to it):
# chat, question box, the box's message, page data, the browser's copy, Ask, Stop.
ChatUpdate = tuple[Any, Any, Any, Any, Any, Any, Any]


def too_long_message(length: int, limit: int) -> str:
    return (
        f"Too long to ask: {length:,} characters, the limit is {limit:,}. "
        "Shorten the question and ask again."
    )


class ChatHandlers:
    """What the page's chat events call; holds the engine, never a conversation (that is per
    session, in gr.State)."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    # -- answering -------------------------------------------------------------------------------

    def respond(self, question: str, conversation: Conversation) -> Iterator[ChatUpdate]:
        """Stream the answer to `question` into the conversation."""
        question = (question or "").strip()
        if not question:
            yield (gr.skip(),) * 7
            return
        limit = self.assistant.settings.max_question_chars
        if len(question) > limit:
            # The question stays in the box; the message under it says what to do.
            message = escape_html(too_long_message(len(question), limit))
            yield (gr.skip(), gr.skip(), message) + (gr.skip(),) * 4
            return
        turn = conversation.ask(question)
        yield (rendering.chat_messages(conversation.turns()), "", "", gr.skip(), gr.skip()) + (
            _buttons(streaming=True)
        )
        try:
            yield from self._stream(question, conversation, turn.id)
        except (AssistantError, StoreError) as exc:
            conversation.update(turn.id, state="failed", text=str(exc))
        except Exception:
            log.exception("Answering %r failed", question[:200])
            conversation.update(turn.id, state="failed", text=GENERIC_ERROR)
        finally:
            # Gradio closes this generator when the event is cancelled (Stop, New chat).
            conversation.stop(turn.id)
        yield self.finished(conversation)

    def _stream(
        self, question: str, conversation: Conversation, turn_id: str
    ) -> Iterator[ChatUpdate]:
        streamed, last_push = "", 0.0
        history = conversation.history_before(turn_id)
        for item in self.assistant.stream(question, history=history):
            if isinstance(item, Answer):
                conversation.update(turn_id, state="done", answer=self.described(item), text="")
                return
            streamed += item
            if not conversation.update(turn_id, text=streamed):
                return  # stopped or cleared: leaving the loop closes the engine's stream
            if time.monotonic() - last_push >= STREAM_INTERVAL_S:
                last_push = time.monotonic()
                messages = rendering.chat_messages(conversation.turns())
                yield (messages,) + (gr.skip(),) * 6
        raise RuntimeError("the assistant's stream ended without a final answer")

    def finished(self, conversation: Conversation) -> ChatUpdate:
        """Everything after a change that ends answers: chat, page data, the browser's copy."""
        turns = conversation.turns()
        return (
            rendering.chat_messages(turns),
            gr.skip(),
            gr.skip(),
            rendering.page_data(turns),
            to_storage(turns),
        ) + _buttons(streaming=conversation.pending())

    def stop(self, conversation: Conversation) -> ChatUpdate:
        """Stop every answer still streaming in this session; what they showed stays."""
        conversation.stop()
        return self.finished(conversation)

    def new_chat(self, conversation: Conversation) -> ChatUpdate:
        conversation.clear()
        update = self.finished(conversation)
        return (update[0], "", "") + update[3:]

    def restore(self, conversation: Conversation, stored: object) -> ChatUpdate:
        """The conversation the browser kept, after a reload (a new session)."""
        if not conversation.turns():
            conversation.replace(from_storage(stored))
        return self.finished(conversation)

    def described(self, answer: Answer) -> Answer:
        """The answer with each citation's title and date filled in for display: an article
        without a title is named by its first sentence."""
        articles: dict[str, Any] = {}

        def describe(citation: Citation) -> Citation:
            if citation.title and citation.date:
                return citation
            if citation.source not in articles:
                articles[citation.source] = self.assistant.article(citation.source)
            article = articles[citation.source]
            if article is None:
                return citation
            title = citation.title or rendering.display_title(
                article.title, article.text, citation.source
            )
            return replace(citation, title=title, date=citation.date or article.date)

        return replace(answer, citations=[describe(c) for c in answer.citations])

    # -- the sources panel -----------------------------------------------------------------------

    def open_source(self, href: str, conversation: Conversation) -> str:
        """The sources panel for a clicked link: a citation [n] of a turn, or a whole article."""
        return source_panel.for_link(href or "", self._panel(href, conversation))

    def _panel(self, href: str, conversation: Conversation) -> str:
        cite = rendering.parse_cite_href(href or "")
        if cite is not None:
            index, n = cite
            turn = conversation.get(index) if isinstance(conversation, Conversation) else None
            answer = turn.answer if turn else None
            citation = next((c for c in answer.citations if c.n == n), None) if answer else None
            if citation is None:
                return source_panel.message_html(
                    f"Citation [{n}] is not part of this conversation any more."
                )
            return source_panel.citation_html(n, citation, self.assistant.article(citation.source))
        source = parse_article_href(href or "")
        article = self.assistant.article(source) if source else None
        if article is None:
            return source_panel.message_html("That article is not in the library.")
        return source_panel.article_html(article)

    # -- the /chat API ---------------------------------------------------------------------------

    def chat_api(self, question: str, history: str = "") -> Iterator[str]:
        """Answer a question about the news articles. `history` (optional) is a JSON list of
        {"role": "user"|"assistant", "content": "..."}. Streams the text; the last value is the
        answer with its [n] markers followed by its sources, "[1] Title (date), file"."""
        try:
            messages = parse_history(history)
            streamed = ""
            for item in self.assistant.stream(question, history=messages):
                if isinstance(item, Answer):
                    yield rendering.answer_text(self.described(item))
                    return
                streamed += item
                yield streamed
        except (ValueError, AssistantError, StoreError) as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception:
            log.exception("Answering %r through the API failed", str(question)[:200])
            raise gr.Error(GENERIC_ERROR, print_exception=False) from None


def _buttons(streaming: bool) -> tuple[Any, Any]:
    """Ask and Stop: Stop replaces Ask while an answer streams."""
    return gr.update(visible=not streaming), gr.update(visible=streaming)
