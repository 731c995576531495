"""ui/conversation.py: a session's turns, numbered atomically, as engine history and as the copy
the browser keeps."""

from __future__ import annotations

import copy
import json
import threading

import pytest

from assistant.records import Answer, Citation, Message, Verdict
from ui.conversation import (
    MAX_STORED_TURNS,
    Conversation,
    Turn,
    engine_history,
    from_storage,
    parse_history,
    to_storage,
)


def answered(text: str, **fields: object) -> Answer:
    values: dict[str, object] = {
        "citations": [],
        "refused": False,
        "rewritten_question": None,
        "retrieved": [],
    }
    return Answer(text, **{**values, **fields})  # type: ignore[arg-type]


def test_engine_history_leaves_out_failed_stopped_and_pending_turns() -> None:
    turns = [
        Turn("Q1", answer=answered("A1")),
        Turn("Q2", state="failed", text="The store is unreachable."),
        Turn("Q3", answer=answered("A3 [1]")),
        Turn("Q4", state="stopped", text="Half"),
        Turn("Q5", state="pending", text="Stream"),
    ]
    assert engine_history(turns) == [
        Message("user", "Q1"),
        Message("assistant", "A1"),
        Message("user", "Q3"),
        Message("assistant", "A3 [1]"),
    ]


def test_each_question_takes_the_next_turn_number_when_asked() -> None:
    conversation = Conversation()
    first = conversation.ask("Q1")
    second = conversation.ask("Q2")
    assert conversation.update(second.id, state="done", answer=answered("A2"))
    assert conversation.update(first.id, state="done", answer=answered("A1"))
    assert [(t.question, t.answer.answer if t.answer else None) for t in conversation.turns()] == [
        ("Q1", "A1"),
        ("Q2", "A2"),
    ]
    # The second question's history holds only what was answered before it was asked.
    assert conversation.history_before(first.id) == []


def test_answers_running_at_once_never_share_a_turn_number() -> None:
    conversation = Conversation()
    barrier = threading.Barrier(8)
    ids: list[str] = []

    def ask(i: int) -> None:
        barrier.wait()
        turn = conversation.ask(f"Q{i}")
        ids.append(turn.id)
        conversation.update(turn.id, state="done", answer=answered(f"A{i}"))

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    turns = conversation.turns()
    assert len(turns) == 8 and sorted(ids) == sorted(t.id for t in turns)
    # Each turn kept its own answer: the number its links carry finds its own citations.
    assert all(t.answer and t.answer.answer == "A" + t.question[1:] for t in turns)


def test_a_stopped_or_cleared_turn_takes_no_more_updates() -> None:
    conversation = Conversation()
    turn = conversation.ask("Q")
    assert conversation.update(turn.id, text="so far")
    assert conversation.stop() == 1
    assert not conversation.update(turn.id, text="more")
    assert conversation.turns()[0] == Turn("Q", state="stopped", text="so far", id=turn.id)
    other = conversation.ask("Q2")
    conversation.clear()
    assert not conversation.update(other.id, text="x") and conversation.turns() == []


def test_each_session_gets_its_own_empty_conversation() -> None:
    default = Conversation([Turn("Q", answer=answered("A"))])
    session = copy.deepcopy(default)  # what gr.State does for each new session
    assert session.turns() == [] and session is not default


# -- the browser's copy --------------------------------------------------------------------------


def full_answer() -> Answer:
    return answered(
        "Freedom of action [1]. Jets in 2017 [1].",
        citations=[Citation(1, "001_a.txt", "c1", "freedom of action", 10, 27, "T", "2025-03-02")],
        rewritten_question="What did Bennett say?",
        notice="Answered offline",
        outcome="answered",
        verdicts=[
            Verdict("Freedom of action.", "verified", (1,), None, 0, 22),
            Verdict("Jets in 2017.", "unsupported", (1,), "2017 is not in it", 23, 40),
        ],
        uncited_sentences=["Jets in 2017."],
        backend="openai",
    )


def test_storage_round_trips_what_the_page_shows() -> None:
    turns = [
        Turn("Q1", answer=full_answer()),
        Turn("Q2", state="failed", text="The store is unreachable."),
        Turn("Q3", state="stopped", text="Half [1]"),
    ]
    stored = json.loads(json.dumps(to_storage(turns)))  # as it comes back from the browser
    restored = from_storage(stored)
    assert [(t.question, t.state, t.text, t.answer) for t in restored] == [
        (t.question, t.state, t.text, t.answer) for t in turns
    ]


def test_a_turn_still_streaming_is_kept_as_stopped() -> None:
    stored = to_storage([Turn("Q", state="pending", text="so far")])
    assert [(t.state, t.text) for t in from_storage(stored)] == [("stopped", "so far")]


def test_storage_keeps_the_newest_turns_only() -> None:
    turns = [Turn(f"Q{i}", answer=answered(f"A{i}")) for i in range(MAX_STORED_TURNS + 5)]
    restored = from_storage(to_storage(turns))
    assert len(restored) == MAX_STORED_TURNS and restored[0].question == "Q5"


@pytest.mark.parametrize(
    "stored",
    [None, 42, "text", [], {"version": 99, "turns": []}, {"version": 1, "turns": "x"}],
)
def test_a_stored_value_of_the_wrong_shape_restores_nothing(stored: object) -> None:
    assert from_storage(stored) == []


@pytest.mark.parametrize(
    "bad",
    [
        "not an object",
        {"question": "Q", "state": "pending", "text": ""},
        {"question": "Q", "state": "done", "text": ""},  # done without its answer
        {"question": 42, "state": "failed", "text": ""},
        {"question": "Q" * 60_000, "state": "failed", "text": ""},
        {"question": "Q", "state": "done", "text": "", "answer": {"answer": "A", "outcome": "odd"}},
        {
            "question": "Q",
            "state": "done",
            "text": "",
            "answer": {
                "answer": "A",
                "citations": [{"n": -1, "source": "a", "start": 0, "end": 1}],
            },
        },
        {
            "question": "Q",
            "state": "done",
            "text": "",
            "answer": {"answer": "A", "citations": [{"n": 1}] * 500},
        },
        {
            "question": "Q",
            "state": "done",
            "text": "",
            "answer": {"answer": "A", "verdicts": [{"status": "trusted", "start": 0, "end": 1}]},
        },
    ],
)
def test_a_damaged_stored_turn_is_left_out_and_the_others_kept(bad: object) -> None:
    good = to_storage([Turn("Q1", answer=answered("A1"))])["turns"][0]
    restored = from_storage({"version": 1, "turns": [good, bad, good]})
    assert [t.question for t in restored] == ["Q1", "Q1"]


# -- history given to the /chat endpoint ---------------------------------------------------------


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
