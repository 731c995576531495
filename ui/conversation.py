"""A browser session's conversation: its turns, as chat messages and as history for the engine."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from assistant.records import Answer, Message
from ui.escaping import escape_markdown

MAX_HISTORY_MESSAGES = 200


@dataclass(frozen=True)
class Turn:
    """One question and what was shown for it; `answer` is None when answering failed."""

    question: str
    reply: str  # chat Markdown, already escaped
    answer: Answer | None = None


def engine_history(turns: list[Turn]) -> list[Message]:
    """The conversation so far as the engine takes it; failed turns are left out."""
    history: list[Message] = []
    for turn in turns:
        if turn.answer is not None:
            history.append(Message("user", turn.question))
            history.append(Message("assistant", turn.answer.answer))
    return history


def chat_messages(turns: list[Turn], pending: tuple[str, str] | None = None) -> list[dict[str, str]]:
    """The Chatbot value: every turn, plus (question, reply so far) of one still being answered."""
    messages: list[dict[str, str]] = []
    shown = [(t.question, t.reply) for t in turns] + ([pending] if pending else [])
    for question, reply in shown:
        messages.append({"role": "user", "content": escape_markdown(question)})
        messages.append({"role": "assistant", "content": reply})
    return messages


def parse_history(raw: str | list[Any] | None) -> list[Message]:
    """History given to the /chat endpoint: a JSON list of {"role", "content"} (or the list)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return []
    if isinstance(raw, str):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(f"history is not valid JSON ({exc.msg} at character {exc.pos})") from exc
    else:
        data = raw
    if not isinstance(data, list):
        raise ValueError('history must be a JSON list of {"role": ..., "content": ...} objects')
    if len(data) > MAX_HISTORY_MESSAGES:
        raise ValueError(f"history has {len(data)} messages; at most {MAX_HISTORY_MESSAGES}")
    history: list[Message] = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            raise ValueError(f"history item {i} is not an object with role and content")
        role, content = item.get("role"), item.get("content")
        if role not in ("user", "assistant"):
            raise ValueError(f"history item {i}: role must be user or assistant")
        if not isinstance(content, str):
            raise ValueError(f"history item {i}: content must be a string")
        history.append(Message(role, content))
    return history
