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


def chat_messages(
    turns: list[Turn], pending: tuple[str, str] | None = None
) -> list[dict[str, str]]:
    """The Chatbot value: every turn, plus (question, reply so far) of one still being answered."""
    messages: list[dict[str, str]] = []
    shown = [(t.question, t.reply) for t in turns] + ([pending] if pending else [])
    for question, reply in shown:
        messages.append({"role": "user", "content": escape_markdown(question)})
        messages.append({"role": "assistant", "content": reply})
    return messages


def parse_history(raw: str | list[Any] | None) -> list[Message]:
    """History given to the /chat endpoint: a JSON list of {"role", "content"} (or the list).
    Raises ValueError saying what is wrong with it."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return []
    data: Any = raw
    if isinstance(raw, str):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"history is not valid JSON ({exc.msg} at character {exc.pos})"
            ) from exc
    problem = _history_problem(data)
    if problem:
        raise ValueError(problem)
    return [Message(item["role"], item["content"]) for item in data]


def _history_problem(data: Any) -> str | None:
    if not isinstance(data, list):
        return 'history must be a JSON list of {"role": ..., "content": ...} objects'
    if len(data) > MAX_HISTORY_MESSAGES:
        return f"history has {len(data)} messages; at most {MAX_HISTORY_MESSAGES}"
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            return f"history item {i} is not an object with role and content"
        if item.get("role") not in ("user", "assistant"):
            return f"history item {i}: role must be user or assistant"
        if not isinstance(item.get("content"), str):
            return f"history item {i}: content must be a string"
    return None
