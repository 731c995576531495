"""ui/conversation.py: a session's turns as chat messages and as history for the engine."""

from __future__ import annotations

import json

import pytest

from assistant.records import Answer, Message
from ui.conversation import Turn, chat_messages, engine_history, parse_history


def answered(text: str) -> Answer:
    return Answer(text, [], refused=False, rewritten_question=None, retrieved=[])


def test_engine_history_leaves_out_failed_turns() -> None:
    turns = [
        Turn("Q1", "shown 1", answered("A1")),
        Turn("Q2", "> **Could not answer.**", None),
        Turn("Q3", "shown 3", answered("A3 [1]")),
    ]
    assert engine_history(turns) == [
        Message("user", "Q1"),
        Message("assistant", "A1"),
        Message("user", "Q3"),
        Message("assistant", "A3 [1]"),
    ]


def test_chat_messages_escape_questions_and_add_the_pending_turn() -> None:
    turns = [Turn("<img src=x>", "reply", answered("A"))]
    assert chat_messages(turns, ("Q2", "so far")) == [
        {"role": "user", "content": "&lt;img src=x&gt;"},
        {"role": "assistant", "content": "reply"},
        {"role": "user", "content": "Q2"},
        {"role": "assistant", "content": "so far"},
    ]


def test_parse_history_from_json() -> None:
    raw = json.dumps([{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A"}])
    assert parse_history(raw) == [Message("user", "Q"), Message("assistant", "A")]
    assert parse_history("") == [] and parse_history(None) == [] and parse_history("  ") == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            "{not json",
            "history is not valid JSON (Expecting property name enclosed in double quotes at "
            + "character 1)",
        ),
        (
            '{"role": "user"}',
            'history must be a JSON list of {"role": ..., "content": ...} objects',
        ),
        ('["hi"]', "history item 0 is not an object with role and content"),
        ('[{"role": "system", "content": "x"}]', "history item 0: role must be user or assistant"),
        ('[{"role": "user", "content": 3}]', "history item 0: content must be a string"),
    ],
)
def test_parse_history_says_what_is_wrong(raw: str, message: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        parse_history(raw)
    assert str(excinfo.value) == message
