"""The conversational retrieval chain (LCEL): rewrite the follow-up, retrieve, answer, verify."""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import numpy as np
from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda

from assistant.citations import verify
from assistant.errors import BackendError
from assistant.inputs import (
    Limits,
    bound_history,
    bound_rewrite,
    check_k,
    fit_prompt,
    join_notes,
    normalize_history,
    normalize_question,
)
from assistant.offline import (
    OfflineAnswerer,
    ScoredPassage,
    compose,
    concepts,
    score_passages,
    select_passages,
)
from assistant.prompts import REFUSAL_TEXT
from assistant.records import Answer, Message, Retrieved, Source
from assistant.retrieval import HybridRetriever, RetrievalResult
from assistant.rewriting import entities, is_follow_up
from assistant.text import terms

log = logging.getLogger(__name__)

# Answerability, in two steps. (1) Words: the best source sentence (half credit for its
# neighbours) must hold at least MIN_COVERAGE of the question's concepts (IDF-weighted).
# (2) Meaning: among the CHECKED_SENTENCES best sentences, the closest one's cosine similarity to
# the question plus COVERAGE_BONUS x coverage must reach MIN_EVIDENCE; this is what refuses
# "What is the population of Russia?" when the articles only mention a Russian-speaking
# population in Israel. A question made only of names ("Who is Zvi Magen?") is answerable once
# every name is found. Tuned on the bundled corpus with held-out off-topic questions (see
# tests/test_chain.py).
MIN_COVERAGE = 0.3
MIN_EVIDENCE = 0.75
COVERAGE_BONUS = 0.25
CHECKED_SENTENCES = 4
# Clearly on topic (a close chunk and most of the question's words in one sentence): no need
# to embed sentences. No off-topic question in our checks came near these.
CLEAR_CLOSENESS, CLEAR_COVERAGE = 0.6, 0.6
SENTENCE_CACHE = 4096


class Answerer(Protocol):
    """An answer backend: rewrites follow-ups and streams an answer citing sources as [n]."""

    name: str

    def rewrite(self, question: str, history: Sequence[Message]) -> str: ...

    def stream_answer(self, question: str, sources: Sequence[Source]) -> Iterator[str]: ...


class AnswerStep(Runnable[dict, Answer]):
    """The last link: refuse or answer, stream text, verify citations, return the Answer.

    `invoke` returns the Answer; `stream` yields text deltas, then the final Answer (whose text
    is authoritative: verification may have dropped markers the stream showed)."""

    def __init__(
        self,
        answerer: Answerer,
        retriever: HybridRetriever,
        fallback: Answerer | None = None,
        min_coverage: float = MIN_COVERAGE,
    ) -> None:
        self.answerer = answerer
        self.retriever = retriever
        self.fallback = fallback
        self.min_coverage = min_coverage
        self._vectors: dict[str, np.ndarray] = {}
        self._vectors_lock = threading.Lock()

    def invoke(self, input: dict, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        final: Answer | None = None
        for item in self.stream(input, config):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def stream(  # type: ignore[override]
        self, input: dict, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[str | Answer]:
        state: dict[str, Any] = input
        result: RetrievalResult = state["retrieval"]
        timings: dict[str, float] = state["timings"]
        started = time.perf_counter()
        standalone = state["standalone"]
        # Scored once: the answerability check and the offline answer read the same scores.
        scored = score_passages(
            standalone, result.sources, self.retriever.index.weight, result.similarity
        )
        if not self.answerable(standalone, result, scored):
            timings["answer"] = _ms(started)
            yield REFUSAL_TEXT
            yield self._finish(state, REFUSAL_TEXT, [], True, [], self.answerer.name, None)
            return

        backend, notice = self.answerer, None
        pieces: list[str] = []
        try:
            for delta in self._deltas(backend, standalone, result.sources, scored):
                pieces.append(delta)
                if backend.name != "offline":
                    yield delta
        except BackendError as exc:
            if self.fallback is None:
                raise
            log.warning("Answer backend failed (%s); answering offline", exc)
            notice = f"{str(exc).rstrip('. ')}. Answered offline from the articles instead."
            backend = self.fallback
            pieces = list(self._deltas(backend, standalone, result.sources, scored))
        timings["answer"] = _ms(started)

        text = "".join(pieces).strip()
        started = time.perf_counter()
        if _is_refusal(text):
            timings["verify"] = _ms(started)
            if backend.name == "offline":
                yield REFUSAL_TEXT
            yield self._finish(state, REFUSAL_TEXT, [], True, [], backend.name, notice)
            return
        verified = verify(
            text,
            result.sources,
            weight=self.retriever.index.weight,
            similarity=None if backend.name == "offline" else self._similarity,
        )
        timings["verify"] = _ms(started)
        if verified.dropped:
            log.info("Dropped %d citation(s) that did not hold", verified.dropped)
        if backend.name == "offline":
            yield from _pieces(verified.text)
        yield self._finish(
            state, verified.text, verified.citations, False, verified.uncited, backend.name, notice
        )

    def _deltas(
        self,
        backend: Answerer,
        question: str,
        sources: Sequence[Source],
        scored: Sequence[ScoredPassage],
    ) -> Iterator[str]:
        if backend.name == "offline":
            return iter([compose(select_passages(scored))])
        return backend.stream_answer(question, sources)

    def answerable(
        self,
        question: str,
        result: RetrievalResult,
        scored: Sequence[ScoredPassage] | None = None,
    ) -> bool:
        """Whether some retrieved sentence covers enough of what the question asks."""
        if not result.sources or not terms(question):
            return False
        if scored is None:
            scored = score_passages(
                question, result.sources, self.retriever.index.weight, result.similarity
            )
        coverage = max((s.coverage for s in scored), default=0.0)
        if coverage < self.min_coverage:
            return False
        groups = concepts(question)
        if coverage >= 0.99 and all(len(g) > 1 or _is_name(g, question) for g in groups):
            return True
        closeness = max(result.similarity.values(), default=0.0)
        if closeness >= CLEAR_CLOSENESS and coverage >= CLEAR_COVERAGE:
            return True
        vectors = self._sentence_vectors([s.passage.text for s in scored[:CHECKED_SENTENCES]])
        query = np.asarray(
            result.query_vector or self.retriever.embed_query(question), dtype=np.float32
        )
        closest = float(np.max(vectors @ query))
        return closest + COVERAGE_BONUS * coverage >= MIN_EVIDENCE

    def _similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two texts' embeddings (both cached)."""
        first, second = self._sentence_vectors([a, b])
        return float(first @ second)

    def _sentence_vectors(self, texts: list[str]) -> np.ndarray:
        """Embeddings of source sentences, cached: a conversation keeps meeting the same ones."""
        with self._vectors_lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            embedded = self.retriever.store.embeddings.embed_documents(missing)
            with self._vectors_lock:
                for text, vector in zip(missing, embedded, strict=True):
                    if len(self._vectors) >= SENTENCE_CACHE:
                        self._vectors.pop(next(iter(self._vectors)))
                    known[text] = self._vectors[text] = np.asarray(vector, dtype=np.float32)
        return np.stack([known[t] for t in texts])

    def _finish(
        self,
        state: dict[str, Any],
        text: str,
        citations: list[Any],
        refused: bool,
        uncited: list[str],
        backend: str,
        notice: str | None,
    ) -> Answer:
        timings = state["timings"]
        timings["total"] = _ms(state["started"])
        result: RetrievalResult = state["retrieval"]
        answer = Answer(
            answer=text,
            citations=citations,
            refused=refused,
            rewritten_question=state["standalone"]
            if state["standalone"] != state["question"]
            else None,
            retrieved=[Retrieved(s.chunk_id, s.source, round(s.score, 6)) for s in result.sources],
            timings_ms={k: round(v, 1) for k, v in timings.items()},
            uncited_sentences=uncited,
            backend=backend,
            notice=join_notes(*state.get("notes", []), notice),
        )
        log.info(
            "q=%r backend=%s refused=%s citations=%d %s",
            state["question"][:80],
            backend,
            refused,
            len(citations),
            " ".join(f"{k}={v:.0f}ms" for k, v in answer.timings_ms.items()),
        )
        return answer


def _is_name(group: set[str], question: str) -> bool:
    """A one-word concept that is a name in the question (capitalised, not its first word)."""
    (term,) = group
    names = {t for name in entities(question) for t in terms(name)}
    return term in names


def _is_refusal(text: str) -> bool:
    return not text or text.strip().rstrip(".").lower() == REFUSAL_TEXT.rstrip(".").lower()


def _pieces(text: str) -> Iterator[str]:
    """Offline answers stream sentence by sentence (they are ready at once); the pieces join
    back to exactly `text`."""
    yield from (piece for piece in re.split(r"(?<=[.!?:])(?=\s)", text) if piece)


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000


def build_chain(
    retriever: HybridRetriever,
    answerer: Answerer,
    *,
    fallback: Answerer | None = None,
    k: int = 5,
    max_question_chars: int = 2000,
    min_coverage: float = MIN_COVERAGE,
    limits: Limits | None = None,
) -> Runnable[dict, Answer]:
    """{"question", "history"[, "k"]} -> Answer, as one LangChain Runnable."""
    offline_rewriter = OfflineAnswerer()
    limits = limits or Limits(max_question_chars=max_question_chars)
    to_model = answerer.name != "offline"  # a prompt is sent: it must fit MAX_PROMPT_TOKENS

    def prepare(inputs: dict) -> dict[str, Any]:
        if not isinstance(inputs, dict):
            inputs = {"question": inputs}
        question = normalize_question(inputs.get("question"), limits.max_question_chars)
        history = bound_history(normalize_history(inputs.get("history")), limits)
        return {
            "started": time.perf_counter(),
            "question": question,
            "history": history.messages,
            "k": check_k(inputs.get("k"), k, limits.max_k),
            "timings": {},
            "notes": [history.note],
        }

    def rewrite(state: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        question, history = state["question"], state["history"]
        standalone = question
        if is_follow_up(question, history):
            try:
                if to_model:
                    fitted = fit_prompt(question, history, [], limits.max_prompt_tokens)
                    state["notes"].append(fitted.note)
                    history = fitted.history
                standalone = answerer.rewrite(question, history).strip() or question
            except BackendError as exc:
                log.warning("Rewrite with %s failed (%s); rewriting offline", answerer.name, exc)
                standalone = offline_rewriter.rewrite(question, state["history"])
            standalone, note = bound_rewrite(standalone, question, limits)
            state["notes"].append(note)
        state["timings"]["rewrite"] = _ms(started)
        return {**state, "standalone": standalone}

    def retrieve(state: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        result = retriever.search(state["standalone"], state["k"])
        if to_model:
            fitted = fit_prompt(state["standalone"], [], result.sources, limits.max_prompt_tokens)
            state["notes"].append(fitted.note)
            result = dataclasses.replace(result, sources=fitted.sources)
        state["timings"]["retrieve"] = _ms(started)
        return {**state, "retrieval": result}

    answer_step = AnswerStep(answerer, retriever, fallback=fallback, min_coverage=min_coverage)
    chain = (
        RunnableLambda(prepare, name="prepare")
        | RunnableLambda(rewrite, name="rewrite")
        | RunnableLambda(retrieve, name="retrieve")
        | answer_step
    )
    return chain.with_config(run_name="news_assistant")
