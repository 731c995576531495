"""The records that flow through the chain: messages, sources, citations and the Answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Message:
    """One turn of a conversation."""

    role: Role
    content: str


@dataclass(frozen=True)
class Source:
    """A retrieved chunk as shown to an answer backend, numbered [n] from 1, best first."""

    n: int
    chunk_id: str
    source: str  # file name, e.g. "001_e39134460b26401a.txt"
    text: str  # verbatim chunk text from the cleaned article
    start: int  # offsets of `text` in the cleaned article
    end: int
    score: float  # fused retrieval score (higher is better)
    title: str | None = None
    date: str | None = None
    original_source: str | None = None


@dataclass(frozen=True)
class Citation:
    """What an [n] marker in an answer resolves to: a verbatim passage of a source file."""

    n: int
    source: str
    chunk_id: str
    quote: str  # verbatim from the cleaned article: article_text[start:end] == quote
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Retrieved:
    """One retrieved chunk in rank order, for the Answer and the eval."""

    chunk_id: str
    source: str
    score: float


@dataclass(frozen=True)
class Answer:
    """The result of one question."""

    answer: str
    citations: list[Citation]
    refused: bool
    rewritten_question: str | None  # the standalone question, when a follow-up was rewritten
    retrieved: list[Retrieved]
    timings_ms: dict[str, float] = field(default_factory=dict)
    uncited_sentences: list[str] = field(default_factory=list)
    backend: str = "offline"
    notice: str | None = None  # e.g. "OpenAI failed (...); answered offline"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["citations"] = [c.to_json() for c in self.citations]
        return data
