"""The chat's event handlers: streaming an answer into the conversation, opening its sources."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import gradio as gr

from assistant import Answer, Assistant
from assistant.errors import AssistantError, StoreError
from ui import rendering, source_panel
from ui.conversation import Turn, chat_messages, engine_history, parse_history
from ui.uploads import parse_article_href

log = logging.getLogger(__name__)

GENERIC_ERROR = (
    "Something went wrong while answering; the details were logged for the administrator. "
    "Try again, or ask another question."
)
# Streamed text is pushed to the browser at most this often (the final answer always is).
STREAM_INTERVAL_S = 0.05

ChatUpdate = tuple[list[dict[str, str]], list[Turn], str]


class ChatHandlers:
    """What the page's chat events call; holds the engine, never a conversation (that is per
    session, in gr.State)."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def titles(self, answer: Answer) -> dict[str, str | None]:
        titles: dict[str, str | None] = {}
        for citation in answer.citations:
            if citation.source not in titles:
                article = self.assistant.article(citation.source)
                titles[citation.source] = article.title if article else None
        return titles

    def respond(self, question: str, turns: list[Turn] | None) -> Iterator[ChatUpdate]:
        """Stream the answer to `question` into the chat; yields (chat, turns, textbox)."""
        # The session's own list, changed in place: two answers running at once in one session
        # (a typed question and an example) both land in it.
        turns = turns if turns is not None else []
        question = (question or "").strip()
        if not question:
            yield chat_messages(turns), turns, ""
            return
        yield chat_messages(turns, (question, rendering.CURSOR)), turns, ""
        streamed, last_push = "", 0.0
        try:
            for item in self.assistant.stream(question, history=engine_history(turns)):
                if isinstance(item, Answer):
                    reply = rendering.answer_markdown(item, len(turns), self.titles(item))
                    turns.append(Turn(question, reply, item))
                    break
                streamed += item
                if time.monotonic() - last_push >= STREAM_INTERVAL_S:
                    last_push = time.monotonic()
                    partial = rendering.partial_markdown(streamed)
                    yield chat_messages(turns, (question, partial)), turns, ""
            else:
                raise RuntimeError("the assistant's stream ended without a final answer")
        except (AssistantError, StoreError) as exc:
            turns.append(Turn(question, rendering.error_markdown(str(exc))))
        except Exception:
            log.exception("Answering %r failed", question[:200])
            turns.append(Turn(question, rendering.error_markdown(GENERIC_ERROR)))
        yield chat_messages(turns), turns, ""

    def open_source(self, href: str, turns: list[Turn] | None) -> str:
        """The sources panel for a clicked link: a citation [n] of a turn, or a whole article."""
        turns = turns or []
        cite = rendering.parse_cite_href(href or "")
        if cite is not None:
            turn, n = cite
            answer = turns[turn].answer if turn < len(turns) else None
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

    def chat_api(self, question: str, history: str = "") -> Iterator[str]:
        """Answer a question about the news articles. `history` (optional) is a JSON list of
        {"role": "user"|"assistant", "content": "..."}. Streams the text; the last value is the
        answer with its [n] markers followed by the numbered sources."""
        try:
            messages = parse_history(history)
            streamed = ""
            for item in self.assistant.stream(question, history=messages):
                if isinstance(item, Answer):
                    yield rendering.answer_text(item, self.titles(item))
                    return
                streamed += item
                yield streamed
        except (ValueError, AssistantError, StoreError) as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception:
            log.exception("Answering %r through the API failed", str(question)[:200])
            raise gr.Error(GENERIC_ERROR, print_exception=False) from None
