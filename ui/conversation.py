"""A browser session's conversation: its turns, numbered atomically, as engine history and as the
copy the browser keeps (BrowserState) so a reload finds it again."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from assistant.records import Answer, Citation, Message, Verdict

log = logging.getLogger(__name__)

MAX_HISTORY_MESSAGES = 200
# What the browser keeps: the newest turns only, so the copy stays far below localStorage's
# 5 MB (a turn with five quoted citations is about 5 KB).
MAX_STORED_TURNS = 100
# Bounds on what a stored conversation may hold; the browser's copy is user-editable input.
MAX_STORED_CHARS = 50_000
MAX_STORED_ITEMS = 200
STORAGE_VERSION = 1

TurnState = Literal["pending", "done", "failed", "stopped"]
_OUTCOMES = ("answered", "related", "unrelated", "smalltalk")
_VERDICTS = ("verified", "corrected", "unsupported", "framing")


@dataclass(frozen=True)
class Turn:
    """One question and what became of it.

    `text` is the answer streamed so far while pending (and what was shown when stopped), or
    the message shown when answering failed; `answer` is set once it is done."""

    question: str
    state: TurnState = "done"
    answer: Answer | None = None
    text: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex)


class Conversation:
    """One browser session's turns (the value of its gr.State).

    A question takes its slot when it is asked, under the session's lock: its position is its
    turn number, which its citation links carry, so two answers running at once in one session
    never share a number (and a citation always opens a passage of its own answer)."""

    def __init__(self, turns: list[Turn] | None = None) -> None:
        self._turns: list[Turn] = list(turns or [])
        self._lock = threading.Lock()

    def __deepcopy__(self, memo: dict[int, Any]) -> Conversation:
        # gr.State deep-copies its default for each new session: each gets its own, empty.
        return Conversation()

    def turns(self) -> list[Turn]:
        with self._lock:
            return list(self._turns)

    def get(self, index: int) -> Turn | None:
        with self._lock:
            return self._turns[index] if 0 <= index < len(self._turns) else None

    def ask(self, question: str) -> Turn:
        """Reserve the next turn for `question` (pending until `update` finishes it)."""
        turn = Turn(question, state="pending")
        with self._lock:
            self._turns.append(turn)
        return turn

    def update(self, turn_id: str, **changes: Any) -> bool:
        """Change a pending turn; False when it is no longer pending (stopped, or the
        conversation was cleared), which tells its answer to stop."""
        with self._lock:
            for i, turn in enumerate(self._turns):
                if turn.id == turn_id:
                    if turn.state != "pending":
                        return False
                    self._turns[i] = replace(turn, **changes)
                    return True
        return False

    def stop(self, turn_id: str | None = None) -> int:
        """Mark pending turns (or one) as stopped, keeping what was streamed; how many."""
        stopped = 0
        with self._lock:
            for i, turn in enumerate(self._turns):
                if turn.state == "pending" and turn_id in (None, turn.id):
                    self._turns[i] = replace(turn, state="stopped")
                    stopped += 1
        return stopped

    def pending(self) -> bool:
        with self._lock:
            return any(t.state == "pending" for t in self._turns)

    def clear(self) -> None:
        self.replace([])

    def replace(self, turns: list[Turn]) -> None:
        with self._lock:
            self._turns = list(turns)

    def history_before(self, turn_id: str) -> list[Message]:
        """The finished answers before this turn, as the engine takes history."""
        turns = self.turns()
        ids = [t.id for t in turns]
        return engine_history(turns[: ids.index(turn_id)] if turn_id in ids else turns)


def engine_history(turns: list[Turn]) -> list[Message]:
    """The conversation so far as the engine takes it; failed and stopped turns are left out
    (what they showed was never checked)."""
    history: list[Message] = []
    for turn in turns:
        if turn.state == "done" and turn.answer is not None:
            history.append(Message("user", turn.question))
            history.append(Message("assistant", turn.answer.answer))
    return history


# -- the browser's copy --------------------------------------------------------------------------


def to_storage(turns: list[Turn]) -> dict[str, Any]:
    """The conversation as the browser keeps it (JSON): newest MAX_STORED_TURNS turns. A turn
    still pending is kept as stopped: a reload ends its answer."""
    kept = []
    for turn in turns[-MAX_STORED_TURNS:]:
        item: dict[str, Any] = {
            "question": turn.question,
            "state": "stopped" if turn.state == "pending" else turn.state,
            "text": turn.text,
        }
        if turn.answer is not None:
            item["answer"] = _answer_to_storage(turn.answer)
        kept.append(item)
    return {"version": STORAGE_VERSION, "turns": kept}


def from_storage(value: object) -> list[Turn]:
    """Turns from the browser's copy. Anything malformed is left out (and logged), never
    raised: a damaged copy costs only the turns it damaged."""
    if not isinstance(value, dict) or value.get("version") != STORAGE_VERSION:
        return []
    items = value.get("turns")
    if not isinstance(items, list):
        return []
    turns: list[Turn] = []
    for item in items[-MAX_STORED_TURNS:]:
        try:
            turns.append(_turn_from_storage(item))
        except (TypeError, ValueError, KeyError) as exc:
            log.info("Left out a stored turn that could not be read: %s", exc)
    return turns


def _answer_to_storage(answer: Answer) -> dict[str, Any]:
    data = answer.to_json()
    for key in ("retrieved", "timings_ms"):  # not shown, and the largest parts
        data.pop(key, None)
    return data


def _turn_from_storage(item: object) -> Turn:
    data = _mapping(item)
    state = data.get("state")
    if state not in ("done", "failed", "stopped"):  # a stored turn is never pending
        raise ValueError(f"turn state {state!r}")
    answer = _answer_from_storage(data["answer"]) if data.get("answer") is not None else None
    if state == "done" and answer is None:
        raise ValueError("a finished turn without its answer")
    return Turn(_text(data, "question"), state, answer, _text(data, "text", empty=True))


def _answer_from_storage(item: object) -> Answer:
    data = _mapping(item)
    outcome = data.get("outcome", "answered")
    if outcome not in _OUTCOMES:
        raise ValueError(f"outcome {outcome!r}")
    return Answer(
        answer=_text(data, "answer", empty=True),
        citations=[_citation(c) for c in _items(data, "citations")],
        refused=bool(data.get("refused", False)),
        rewritten_question=_optional_text(data, "rewritten_question"),
        retrieved=[],
        uncited_sentences=[_checked(s) for s in _items(data, "uncited_sentences")],
        backend=_text(data, "backend", empty=True),
        notice=_optional_text(data, "notice"),
        outcome=outcome,
        verdicts=[_verdict(v) for v in _items(data, "verdicts")],
    )


def _citation(item: object) -> Citation:
    data = _mapping(item)
    return Citation(
        n=_int(data, "n"),
        source=_text(data, "source"),
        chunk_id=_text(data, "chunk_id", empty=True),
        quote=_text(data, "quote", empty=True),
        start=_int(data, "start"),
        end=_int(data, "end"),
        title=_optional_text(data, "title"),
        date=_optional_text(data, "date"),
    )


def _verdict(item: object) -> Verdict:
    data = _mapping(item)
    status = data.get("status")
    if status not in _VERDICTS:
        raise ValueError(f"verdict status {status!r}")
    return Verdict(
        sentence=_text(data, "sentence", empty=True),
        status=status,
        citations=tuple(_checked_int(n) for n in _items(data, "citations")),
        reason=_optional_text(data, "reason"),
        start=_int(data, "start"),
        end=_int(data, "end"),
    )


def _mapping(item: object) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise TypeError("not an object")
    return item


def _items(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list) or len(value) > MAX_STORED_ITEMS:
        raise ValueError(f"{key} is not a short list")
    return value


def _checked(value: object, empty: bool = True) -> str:
    if not isinstance(value, str) or len(value) > MAX_STORED_CHARS or (not empty and not value):
        raise ValueError("not a string of a sensible length")
    return value


def _text(data: dict[str, Any], key: str, empty: bool = False) -> str:
    return _checked(data.get(key, "" if empty else None), empty)


def _optional_text(data: dict[str, Any], key: str) -> str | None:
    return None if data.get(key) is None else _checked(data[key])


def _checked_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**7:
        raise ValueError("not a small non-negative integer")
    return value


def _int(data: dict[str, Any], key: str) -> int:
    return _checked_int(data.get(key))


# -- history given to the /chat endpoint ---------------------------------------------------------


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
