"""Hybrid retrieval: dense (Chroma) plus lexical (BM25) fused by reciprocal rank, with diversity."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.records import Source
from assistant.text import terms
from vectorstore import ArticleStore, StoredChunk

log = logging.getLogger(__name__)

RRF_K = 60
CANDIDATES = 30
# Two chunks of one article that share more than this share of the shorter one are near-duplicates.
MAX_SPAN_OVERLAP = 0.5
REVISION_CHECK_SECONDS = 1.0
OOV_WEIGHT = 2.0


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> dict[str, float]:
    """Fused score per id: sum over rankings of 1 / (k + rank), rank counted from 1."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, id_ in enumerate(ranking, start=1):
            fused[id_] = fused.get(id_, 0.0) + 1.0 / (k + rank)
    return fused


def diversify(
    ranked: Sequence[StoredChunk], k: int, per_source_cap: int | None = None
) -> list[StoredChunk]:
    """The top k, skipping near-duplicates (overlapping spans of one article) and capping how
    many slots one article can fill, unless there is nothing else to fill them with."""
    cap = per_source_cap if per_source_cap is not None else max(2, math.ceil(k * 0.6))
    chosen: list[StoredChunk] = []
    held_back: list[StoredChunk] = []
    for chunk in ranked:
        if len(chosen) == k:
            break
        same_source = [
            c for c in chosen if c.metadata.get("source") == chunk.metadata.get("source")
        ]
        if any(_span_overlap(c, chunk) > MAX_SPAN_OVERLAP for c in same_source):
            continue
        if len(same_source) >= cap:
            held_back.append(chunk)
            continue
        chosen.append(chunk)
    for chunk in held_back:
        if len(chosen) == k:
            break
        if any(
            _span_overlap(c, chunk) > MAX_SPAN_OVERLAP
            for c in chosen
            if c.metadata.get("source") == chunk.metadata.get("source")
        ):
            continue
        chosen.append(chunk)
    return chosen


def _span_overlap(a: StoredChunk, b: StoredChunk) -> float:
    a0, a1 = int(a.metadata.get("start", 0)), int(a.metadata.get("end", 0))
    b0, b1 = int(b.metadata.get("start", 0)), int(b.metadata.get("end", 0))
    shared = max(0, min(a1, b1) - max(a0, b0))
    shorter = max(1, min(a1 - a0, b1 - b0))
    return shared / shorter


@dataclass
class LexicalIndex:
    """A BM25 index over every chunk in the store, rebuilt only when the store changes."""

    store: ArticleStore
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _revision: tuple[int, int] | None = None
    _checked_at: float = 0.0
    vocabulary: set[str] = field(default_factory=set)
    document_frequency: dict[str, int] = field(default_factory=dict)
    _built: tuple[Any, list[StoredChunk]] = (None, [])  # (BM25 model, the chunks it indexes)

    def refresh(self, force: bool = False, recheck: bool = False) -> None:
        """Rebuild if the store's revision moved (checked at most once a second unless
        `recheck`); `force` rebuilds whatever the revision."""
        now = time.monotonic()
        if (
            not (force or recheck)
            and self._revision is not None
            and now - self._checked_at < REVISION_CHECK_SECONDS
        ):
            return
        with self._lock:
            revision = self.store.revision()
            self._checked_at = now
            if revision == self._revision and not force:
                return
            started = time.perf_counter()
            chunks = list(self.store.iter_chunks())
            tokenized = [terms(f"{c.metadata.get('section') or ''}\n{c.text}") for c in chunks]
            bm25 = None
            if chunks:
                import bm25s

                logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each build at DEBUG
                bm25 = bm25s.BM25()
                bm25.index(tokenized, show_progress=False)
            df: dict[str, int] = {}
            for tokens in tokenized:
                for term in set(tokens):
                    df[term] = df.get(term, 0) + 1
            self._built = (bm25, chunks)
            self.document_frequency, self.vocabulary = df, set(df)
            self._revision = revision
            log.info(
                "BM25 index: %d chunks in %.0f ms",
                len(chunks),
                (time.perf_counter() - started) * 1000,
            )

    @property
    def chunks(self) -> list[StoredChunk]:
        """The chunks the current index was built from."""
        return self._built[1]

    def weight(self, term: str) -> float:
        """How much a term says: its IDF, or a middling weight for a word the corpus lacks
        (it may be a plain English word like "begin", or a sign the question is off-topic)."""
        return self.idf(term) if term in self.vocabulary else OOV_WEIGHT

    def idf(self, term: str) -> float:
        n = max(1, len(self.chunks))
        return math.log(
            1
            + (n - self.document_frequency.get(term, 0) + 0.5)
            / (self.document_frequency.get(term, 0) + 0.5)
        )

    def search(self, query_terms: list[str], n: int) -> list[tuple[StoredChunk, float]]:
        self.refresh()
        # One read: a concurrent rebuild replaces the pair, never mutates it.
        bm25, chunks = self._built
        if bm25 is None or not query_terms:
            return []
        known = [t for t in query_terms if t in self.vocabulary]
        if not known:
            return []
        scores = bm25.get_scores(known)
        top = np.argsort(-scores)[:n]
        return [(chunks[i], float(scores[i])) for i in top if scores[i] > 0]


@dataclass(frozen=True)
class RetrievalResult:
    """Ranked sources plus what the answerability check needs."""

    sources: list[Source]
    similarity: dict[str, float]  # chunk id -> cosine similarity to the query
    query_terms: list[str]
    query_vector: list[float] = field(default_factory=list)
    notice: str | None = None  # e.g. the keyword index is being rebuilt


class HybridRetriever(BaseRetriever):
    """Dense + BM25 retrieval fused by reciprocal rank; also a LangChain retriever."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    # Typed Any for pydantic (BaseRetriever is a model); really ArticleStore and LexicalIndex.
    store: Any
    index: Any
    embed_query: Callable[[str], list[float]]
    k: int = 5

    @classmethod
    def over(cls, store: ArticleStore, k: int = 5) -> HybridRetriever:
        return cls(
            store=store, index=LexicalIndex(store), embed_query=store.embeddings.embed_query, k=k
        )

    def search(self, query: str, k: int | None = None) -> RetrievalResult:
        k = k or self.k
        vector = self.embed_query(query)
        dense = self.store.query(vector, CANDIDATES)
        query_terms = terms(query)
        lexical = self.index.search(query_terms, CANDIDATES)
        by_id: dict[str, StoredChunk] = {s.chunk.id: s.chunk for s in dense}
        by_id.update({c.id: c for c, _ in lexical})
        fused = reciprocal_rank_fusion([[s.chunk.id for s in dense], [c.id for c, _ in lexical]])
        ranked = sorted(by_id.values(), key=lambda c: (-fused[c.id], c.id))
        chosen = diversify(ranked, k)
        similarity = {s.chunk.id: s.score for s in dense}
        missing = [c.id for c in chosen if c.id not in similarity]
        if missing:
            query_vec = np.asarray(vector, dtype=np.float32)
            vectors = self.store.embeddings_of(missing)
            unseen = [c for c in chosen if c.id in missing and c.id not in vectors]
            if unseen:
                # Written by another process after this one opened the store: Chroma's vector
                # index here does not have them yet (BM25 does), so embed their text.
                log.info("Embedding %d chunk(s) this process's vector index lacks", len(unseen))
                fresh = self.store.embeddings.embed_documents([c.text for c in unseen])
                vectors.update({c.id: v for c, v in zip(unseen, fresh, strict=True)})
            for id_, vec in vectors.items():
                similarity[id_] = float(np.dot(query_vec, np.asarray(vec, dtype=np.float32)))
        sources = [_to_source(i, c, fused[c.id]) for i, c in enumerate(chosen, start=1)]
        return RetrievalResult(sources, similarity, query_terms, list(vector))

    def article_leads(self, limit: int) -> tuple[list[Source], int]:
        """The first chunk of the `limit` most recent articles (numbered 1..), and how many
        articles the library holds."""
        firsts = self.store.get_where({"chunk_index": 0})
        firsts.sort(key=lambda c: (_date_key(c.metadata.get("date")), c.id), reverse=True)
        chosen = firsts[:limit]
        return [_to_source(i, c, 0.0) for i, c in enumerate(chosen, start=1)], len(firsts)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [
            Document(
                page_content=s.text,
                id=s.chunk_id,
                metadata={
                    "source": s.source,
                    "chunk_id": s.chunk_id,
                    "start": s.start,
                    "end": s.end,
                    "score": s.score,
                    "n": s.n,
                },
            )
            for s in self.search(query).sources
        ]


def _date_key(date: object) -> str:
    """A sortable key for the dates articles carry ("2022-07-19", "July 19, 2022")."""
    if not date:
        return ""
    from assistant.facts import facts

    found = facts(str(date)).dates
    if found and found[0].year:
        d = found[0]
        return f"{d.year:04d}-{d.month or 0:02d}-{d.day or 0:02d}"
    return ""


def _to_source(n: int, chunk: StoredChunk, score: float) -> Source:
    meta = chunk.metadata
    return Source(
        n=n,
        chunk_id=chunk.id,
        source=str(meta.get("source", "")),
        text=chunk.text,
        start=int(meta.get("start", 0)),
        end=int(meta.get("end", 0)),
        score=score,
        title=meta.get("title"),
        date=meta.get("date"),
        original_source=meta.get("original_source"),
    )
