"""The records that flow through the chain: messages, sources, citations and the Answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Role = Literal["user", "assistant"]
# What became of a question: answered from the articles; "related": the articles touch the
# subject but don't say what was asked (the closest passages are cited); "unrelated": nothing in
# the library is about it; "smalltalk": a greeting or thanks, answered with what the assistant
# can do.
Outcome = Literal["answered", "related", "unrelated", "smalltalk"]
# How one sentence of an answer held up: "verified" against the passages it cites; "corrected":
# its [n] was moved to the source that does support it; "unsupported": nothing cited backs it
# (see the reason); "framing": nothing checkable in it ("Here is what the articles say."), so it
# needs no citation.
VerdictStatus = Literal["verified", "corrected", "unsupported", "framing"]


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
    title: str | None = None
    date: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Verdict:
    """How one sentence of the answer held up against the passages it cites."""

    sentence: str  # the sentence as shown, without its [n] markers
    status: VerdictStatus
    citations: tuple[int, ...] = ()  # its [n] after verification
    # Why it is unsupported ("2017 is not in the cited passage", "the passage attributes this
    # to Bennett"), or what was corrected ("cited [3], but the supporting passage is [1]").
    reason: str | None = None
    start: int = 0  # where the sentence (with its markers) is in Answer.answer
    end: int = 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["citations"] = list(self.citations)
        return data


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
    outcome: Outcome = "answered"
    verdicts: list[Verdict] = field(default_factory=list)  # one per sentence of `answer`

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["citations"] = [c.to_json() for c in self.citations]
        data["verdicts"] = [v.to_json() for v in self.verdicts]
        return data
