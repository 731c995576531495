"""The conversational retrieval chain (LCEL): rewrite the follow-up, retrieve, answer, verify.

It composes the answer layer's decisions and holds no thresholds of its own: what the question
asks (questions), whether the sources answer it and what the offline answer says (answerability,
offline), whether each cited sentence holds up (verification)."""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda

from assistant import offline, spelling
from assistant.answerability import SentenceVectors, on_topic
from assistant.citations import MARKER, canonical_markers
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
from assistant.offline import AnswerContext, ArticleLead
from assistant.prompts import read_status
from assistant.questions import Intent, analyse, parts
from assistant.records import Answer, Message, Outcome, Retrieved, Source
from assistant.retrieval import HybridRetriever, RetrievalResult
from assistant.rewriting import is_follow_up, names_something, search_text
from assistant.verification import Recheck, VerifiedAnswer, is_refusal, verify

log = logging.getLogger(__name__)

ARTICLE_CACHE = 64  # whole articles kept for verification (a conversation stays on a few)
# A marker being streamed: "[", "[1", "[12,", "[Sour" ... held back until it closes.
_PARTIAL_MARKER = re.compile(r"[\[【][^\]】\n]{0,14}$|\([Ss][^)\n]{0,12}$")


class Answerer(Protocol):
    """An answer backend: rewrites follow-ups and streams an answer citing sources as [n],
    opening with a status line (see prompts.read_status)."""

    name: str

    def rewrite(self, question: str, history: Sequence[Message]) -> str: ...

    def stream_answer(
        self, question: str, sources: Sequence[Source], context: AnswerContext
    ) -> Iterator[str]: ...


class _StreamFilter:
    """What of a backend's stream the user may see while it streams: not the status line, and
    no marker of a source that doesn't exist (a marker is held back until it closes)."""

    def __init__(self, valid: set[int]) -> None:
        self.valid = valid
        self.raw = ""
        self.shown = 0  # characters of the visible text already yielded
        self.started = False

    def feed(self, delta: str) -> str:
        self.raw += delta
        if not self.started:
            head = self.raw.lstrip().lstrip("*").lower()
            maybe_status = "status".startswith(head[:6]) or head.startswith("status")
            if maybe_status and "\n" not in self.raw:
                return ""  # perhaps a status line still arriving: wait for its end
            self.started = True
        return self._visible(final=False)

    def finish(self) -> str:
        self.started = True
        return self._visible(final=True)

    def _visible(self, final: bool) -> str:
        _, text = read_status(self.raw)
        if not final:
            partial = _PARTIAL_MARKER.search(text)
            if partial:
                text = text[: partial.start()]
        text = MARKER.sub(self._keep, canonical_markers(text))
        out = text[self.shown :] if len(text) > self.shown else ""
        self.shown = max(self.shown, len(text))
        return out

    def _keep(self, match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.split(r"\s*[,;]\s*", match.group(1))]
        kept = [n for n in numbers if n in self.valid]
        return "".join(f"[{n}]" for n in kept)


class AnswerStep(Runnable[dict, Answer]):
    """The last link: answer (or greet, or give an overview), stream text, verify every
    sentence, return the Answer.

    `invoke` returns the Answer; `stream` yields text deltas, then the final Answer (whose text
    is authoritative: verification may have moved or dropped markers the stream showed)."""

    def __init__(
        self,
        answerer: Answerer,
        retriever: HybridRetriever,
        vectors: SentenceVectors,
        fallback: Answerer | None = None,
        recheck: bool = False,
    ) -> None:
        self.answerer = answerer
        self.retriever = retriever
        self.vectors = vectors
        self.fallback = fallback
        self.recheck = recheck
        self._articles: dict[str, str | None] = {}
        self._articles_lock = threading.Lock()

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
        question = state["asked"]
        intent = analyse(question)
        if intent.asks == "smalltalk":
            text = offline.smalltalk(state["question"])
            timings["answer"] = _ms(started)
            yield text
            yield self._finish(state, _unchecked(text), "smalltalk", self.answerer.name, None, [])
            return
        if intent.asks == "overview":
            yield from self._overview(state, intent, started)
            return

        backend, notice = self.answerer, None
        self._fetch_articles([s.source for s in result.sources])  # one request, not one each
        context = AnswerContext(
            closeness=result.similarity,
            query_vector=result.query_vector or None,
            history=state["history"],
            question=state["search"],
            article=self._article_text,
        )
        valid = {s.n for s in result.sources}
        outcome: Outcome
        if not result.sources:
            text, outcome = offline.NOTHING, "unrelated"
        else:
            visible = _StreamFilter(valid)
            try:
                for delta in backend.stream_answer(question, result.sources, context):
                    shown = visible.feed(delta)
                    if shown and backend.name != "offline":
                        yield shown
                tail = visible.finish()
                if tail and backend.name != "offline":
                    yield tail
            except BackendError as exc:
                if self.fallback is None:
                    raise
                log.warning("Answer backend failed (%s); answering offline", exc)
                notice = f"{str(exc).rstrip('. ')}. Answered offline from the articles instead."
                backend = self.fallback
                visible = _StreamFilter(valid)
                for delta in backend.stream_answer(question, result.sources, context):
                    visible.feed(delta)
            status, text = read_status(visible.raw)
            text = canonical_markers(text.strip())  # "[1-3]", "[Source 2]" as "[1][2][3]", "[2]"
            outcome = status or _outcome_from_wording(text)
            if not text:
                text, outcome = offline.NOTHING, "unrelated"
        timings["answer"] = _ms(started)

        started = time.perf_counter()
        verified = verify(
            text,
            result.sources,
            weight=self.retriever.index.weight,
            similarity=None if backend.name == "offline" else self.vectors.similarity,
            question=question,
            recheck=self._second_opinion(backend),
            article=self._article_text,
        )
        timings["verify"] = _ms(started)
        if outcome == "answered" and not verified.text:
            outcome = "unrelated"
        if backend.name == "offline" or not result.sources:
            yield from _pieces(verified.text)
        yield self._finish(state, verified, outcome, backend.name, notice, result.sources)

    def _article_text(self, source: str) -> str | None:
        """An article's whole text (cached), where verification finds who a quote's "he" is."""
        with self._articles_lock:
            if source in self._articles:
                return self._articles[source]
        self._fetch_articles([source])
        with self._articles_lock:
            return self._articles.get(source)

    def _fetch_articles(self, sources: Sequence[str]) -> None:
        """Cache the whole texts of the articles not cached yet, in one request."""
        with self._articles_lock:
            missing = [s for s in dict.fromkeys(sources) if s not in self._articles]
        if not missing:
            return
        texts = self.retriever.store.article_texts(missing)
        with self._articles_lock:
            for source in missing:
                if len(self._articles) >= ARTICLE_CACHE:
                    self._articles.pop(next(iter(self._articles)))
                self._articles[source] = texts.get(source)

    def _second_opinion(self, backend: Answerer) -> Recheck | None:
        """With VERIFY_WITH_MODEL, the model re-checks what verification could not back; a
        failed re-check leaves the verdicts as they are."""
        ask = getattr(backend, "recheck", None)
        if not self.recheck or backend.name == "offline" or ask is None:
            return None

        def recheck(claims: Sequence[tuple[str, Sequence[str]]]) -> list[bool | None]:
            try:
                return list(ask(claims))
            except BackendError as exc:
                log.warning("Re-check with %s failed (%s); keeping the verdicts", backend.name, exc)
                return [None] * len(claims)

        return recheck

    def _overview(
        self, state: dict[str, Any], intent: Intent, started: float
    ) -> Iterator[str | Answer]:
        """One cited line per article: the whole library, or the articles about a topic."""
        result: RetrievalResult = state["retrieval"]
        if intent.topic:
            # Each article's gist is its opening, which says what happened, not the sentence
            # that matched the topic best ("Many carried signs or wore eyepatches"); whether
            # the article is about the topic is read in both.
            firsts = self.retriever.first_chunks([s.source for s in result.sources])
            about = on_topic(
                intent.topic, [*result.sources, *firsts.values()], self.retriever.index.weight
            )
            about = [firsts.get(s.source, s) for s in about]
            leads, total = _topic_leads(about), len({s.source for s in about})
        else:
            sources, total = self.retriever.article_leads(offline.OVERVIEW_ARTICLES)
            leads = [ArticleLead(s, None) for s in sources]
        text = offline.overview(intent, leads, total)
        sources_used = [lead.source for lead in leads]
        state["timings"]["answer"] = _ms(started)
        verified = verify(text, sources_used, weight=self.retriever.index.weight)
        yield from _pieces(verified.text)
        outcome: Outcome = "answered" if leads else "unrelated"
        yield self._finish(state, verified, outcome, self.answerer.name, None, sources_used)

    def _finish(
        self,
        state: dict[str, Any],
        verified: VerifiedAnswer,
        outcome: Outcome,
        backend: str,
        notice: str | None,
        sources: Sequence[Source],
    ) -> Answer:
        timings = state["timings"]
        timings["total"] = _ms(state["started"])
        result: RetrievalResult = state["retrieval"]
        answer = Answer(
            answer=verified.text,
            citations=verified.citations,
            refused=outcome in ("related", "unrelated"),
            rewritten_question=state["standalone"]
            if state["standalone"] != state["question"]
            else None,
            retrieved=[Retrieved(s.chunk_id, s.source, round(s.score, 6)) for s in result.sources],
            timings_ms={k: round(v, 1) for k, v in timings.items()},
            uncited_sentences=verified.uncited,
            backend=backend,
            notice=join_notes(*state.get("notes", []), notice, result.notice),
            outcome=outcome,
            verdicts=verified.verdicts,
        )
        log.info(
            "q=%r backend=%s outcome=%s citations=%d %s",
            state["question"][:80],
            backend,
            outcome,
            len(answer.citations),
            " ".join(f"{k}={v:.0f}ms" for k, v in answer.timings_ms.items()),
        )
        return answer


def _unchecked(text: str) -> VerifiedAnswer:
    """A reply that cites nothing and claims nothing (a greeting)."""
    from assistant.records import Verdict

    verdict = Verdict(sentence=text, status="framing", start=0, end=len(text))
    return VerifiedAnswer(text, [], [verdict], 0)


def _outcome_from_wording(text: str) -> Outcome:
    """A reply without a status line: a refusal in any wording is recognised by what its
    first sentence says; with citations it points at related material."""
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0] if text.strip() else ""
    if not text.strip():
        return "unrelated"
    if is_refusal(first):
        return "related" if MARKER.search(text) else "unrelated"
    return "answered"


def _topic_leads(sources: Sequence[Source]) -> list[ArticleLead]:
    """One lead per retrieved article: its best-ranked chunk, renumbered by article."""
    seen: dict[str, Source] = {}
    for source in sources:
        seen.setdefault(source.source, source)
    return [
        ArticleLead(dataclasses.replace(s, n=i), None) for i, s in enumerate(seen.values(), start=1)
    ]


def _merge(results: Sequence[RetrievalResult], k: int) -> RetrievalResult:
    """Sources of several searches, taken in turn from each (best first), without repeats,
    renumbered; at most `k` plus two."""
    seen: set[str] = set()
    merged: list[Source] = []
    queues = [list(r.sources) for r in results]
    while any(queues) and len(merged) < k + 2:
        for queue in queues:
            while queue and queue[0].chunk_id in seen:
                queue.pop(0)
            if queue and len(merged) < k + 2:
                source = queue.pop(0)
                seen.add(source.chunk_id)
                merged.append(source)
    similarity: dict[str, float] = {}
    for result in results:
        for chunk_id, value in result.similarity.items():
            similarity[chunk_id] = max(value, similarity.get(chunk_id, value))
    renumbered = [dataclasses.replace(s, n=i) for i, s in enumerate(merged, start=1)]
    first = results[0]
    return RetrievalResult(
        renumbered, similarity, first.query_terms, first.query_vector, first.notice
    )


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
    limits: Limits | None = None,
    vectors: SentenceVectors | None = None,
    recheck: bool = False,
) -> Runnable[dict, Answer]:
    """{"question", "history"[, "k"]} -> Answer, as one LangChain Runnable."""
    from assistant.rewriting import rewrite_offline

    vectors = vectors or SentenceVectors(retriever.store.embeddings)
    limits = limits or Limits(max_question_chars=max_question_chars)
    to_model = answerer.name != "offline"  # a prompt is sent: it must fit MAX_PROMPT_TOKENS

    def prepare(inputs: dict) -> dict[str, Any]:
        if not isinstance(inputs, dict):
            inputs = {"question": inputs}
        question = normalize_question(inputs.get("question"), limits.max_question_chars)
        history = bound_history(normalize_history(inputs.get("history")), limits)
        # Capitals and misspelt words read as meant ("pasengers" as "passengers"), against
        # the library's words as the index on disk has them.
        retriever.index.load_terms()
        reading = spelling.read(question, retriever.index.knows, retriever.index.weight)
        return {
            "started": time.perf_counter(),
            "question": reading.question,
            "history": history.messages,
            "k": check_k(inputs.get("k"), k, limits.max_k),
            "timings": {},
            "notes": [history.note, reading.note],
        }

    def rewrite(state: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        question, history = state["question"], state["history"]
        standalone, search = question, question
        if is_follow_up(question, history):
            try:
                if to_model:
                    fitted = fit_prompt(question, history, [], limits.max_prompt_tokens)
                    state["notes"].append(fitted.note)
                    history = fitted.history
                standalone = answerer.rewrite(question, history).strip() or question
            except BackendError as exc:
                log.warning("Rewrite with %s failed (%s); rewriting offline", answerer.name, exc)
                standalone = rewrite_offline(question, state["history"])
            standalone, note = bound_rewrite(standalone, question, limits)
            state["notes"].append(note)
            search = standalone
            if standalone == question or not names_something(standalone):
                # Nothing to put in place of "why?" or "these operations", or a rewrite that
                # still names nothing ("Who came third?"): search with the question it follows
                # too, without showing a made-up rewrite.
                search = search_text(standalone, state["history"])
        state["timings"]["rewrite"] = _ms(started)
        return {**state, "standalone": standalone, "search": search}

    def retrieve(state: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        asked = parts(state["search"])
        intent = analyse(state["standalone"])
        if intent.asks == "overview" and intent.topic:
            # An overview on a topic lists every article about it: the best chunk of each of
            # the most articles the search finds, not the k best chunks of a few.
            result = retriever.search(intent.topic, offline.OVERVIEW_ARTICLES * 2, per_source_cap=1)
        else:
            result = retriever.search(state["search"], state["k"])
        if len(asked) > 1 and intent.asks != "overview":
            # Two questions in one may be about two articles: each part brings its own best.
            result = _merge([result, *(retriever.search(q, state["k"]) for q in asked)], state["k"])
        if to_model:
            fitted = fit_prompt(state["standalone"], [], result.sources, limits.max_prompt_tokens)
            state["notes"].append(fitted.note)
            result = dataclasses.replace(result, sources=list(fitted.sources))
        state["timings"]["retrieve"] = _ms(started)
        # A question typed in lower case is answered with its names as the articles write them
        # ("wiranto" as "Wiranto"): what it is about is then read as names.
        cased = spelling.cased(state["standalone"], [s.text for s in result.sources])
        return {**state, "retrieval": result, "asked": cased}

    answer_step = AnswerStep(answerer, retriever, vectors, fallback=fallback, recheck=recheck)
    chain = (
        RunnableLambda(prepare, name="prepare")
        | RunnableLambda(rewrite, name="rewrite")
        | RunnableLambda(retrieve, name="retrieve")
        | answer_step
    )
    return chain.with_config(run_name="news_assistant")
