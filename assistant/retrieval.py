"""Hybrid retrieval: dense (Chroma) plus lexical (BM25) fused by reciprocal rank, with diversity."""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Callable, Iterator, KeysView, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.records import Source
from assistant.text import STOPWORDS, terms, terms_uncached, tokenizer_fingerprint
from vectorstore import ArticleStore, CatalogueEntry, KeywordIndex, Snapshot, StoredChunk

log = logging.getLogger(__name__)

RRF_K = 60
CANDIDATES = 30
# Two chunks of one article that share more than this share of the shorter one are near-duplicates.
MAX_SPAN_OVERLAP = 0.5
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


def chunk_terms(text: str, metadata: Mapping[str, Any]) -> list[str]:
    """What the keyword index indexes of a chunk: the terms of its section heading and text."""
    return terms_uncached(f"{metadata.get('section') or ''}\n{text}")


def analyzer_id() -> str:
    """A fingerprint of `chunk_terms`: an index made by another version of the term analysis
    (other stopwords, irregular forms, stemmer, rules) no longer matches and is rebuilt. It
    hashes the tokenizer's own fingerprint (its version and tables) and what it makes of a
    probe text (which catches a rule changed without the version raised)."""
    probe = f"{ANALYZER_PROBE}\n{' '.join(sorted(STOPWORDS))}\n" + " ".join(
        w.upper() for w in sorted(STOPWORDS)
    )
    made = [tokenizer_fingerprint(), *chunk_terms(probe, {"section": "Section heading"})]
    return hashlib.sha256("\x00".join(made).encode()).hexdigest()[:16]


ANALYZER_PROBE = (
    "Russia's S-400 air-defence systems, Israeli officials said on Monday, aren't \u201cthe\u201d "
    "issue; Netanyahu's spokesman denied 12 reports (2022-03-01) of sanctions' running costs, "
    "naïve coöperation, governments governing governed, studies studying studied."
)


class _Frequencies(Mapping[str, int]):
    """term -> document frequency over live chunks, read from an index generation."""

    def __init__(self, snapshot: Snapshot | None) -> None:
        self._snapshot = snapshot

    def __getitem__(self, term: str) -> int:
        df = self._snapshot.document_frequency(term) if self._snapshot else 0
        if not df:
            raise KeyError(term)
        return df

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and bool(
            self._snapshot and self._snapshot.document_frequency(term)
        )

    def __len__(self) -> int:
        return len(self._snapshot.df_hash) if self._snapshot else 0

    def __iter__(self) -> Iterator[str]:
        if self._snapshot:
            yield from (term for term, _ in self._snapshot.vocabulary())


@dataclass
class LexicalIndex:
    """BM25 over every chunk in the store, read from its persisted keyword index
    (vectorstore/keyword_index.py, kept current by the store's writes): what retrieval and the
    answer layer ask of it."""

    store: ArticleStore
    keywords: KeywordIndex

    def refresh(self, force: bool = False) -> None:
        """Follow the store: load a newer index generation, or start a rebuild (see `notice`).
        Checked at most once a second unless `force`."""
        self.keywords.refresh(force)

    def load_terms(self) -> None:
        """Read the index generation on disk for `knows` and `weight`, without checking it
        against the store or starting a rebuild (a question is read before it is searched)."""
        self.keywords.load()

    @property
    def ready(self) -> bool:
        return self.keywords.current() is not None

    @property
    def notice(self) -> str | None:
        """What the user should know when keyword search is not taking part, else None."""
        if self.ready:
            return None
        progress = self.keywords.progress
        if self.keywords.state == "rebuilding":
            done = (
                f" ({progress[0]:,} of {progress[1]:,} chunks read)"
                if progress and progress[1]
                else ""
            )
            return (
                f"The keyword index is being rebuilt{done}; this answer comes from semantic "
                "search alone."
            )
        return (
            "The keyword index is out of date and could not be rebuilt yet (see the log); this "
            "answer comes from semantic search alone. `assistant ingest` rebuilds it."
        )

    def _snapshot(self) -> Snapshot | None:
        """The generation for term statistics: the current one, else the last one loaded."""
        return self.keywords.current() or self.keywords.latest()

    @property
    def document_frequency(self) -> Mapping[str, int]:
        return _Frequencies(self._snapshot())

    @property
    def vocabulary(self) -> KeysView[str]:
        return self.document_frequency.keys()

    @property
    def chunk_count(self) -> int | None:
        snapshot = self._snapshot()
        return snapshot.docs if snapshot else None

    def catalogue(self) -> list[CatalogueEntry] | None:
        snapshot = self._snapshot()
        return snapshot.catalogue if snapshot else None

    def knows(self, term: str) -> bool:
        """Whether some chunk has the term. While no generation at all can be read (a missing or
        damaged index being rebuilt), nothing says the library lacks a word: True, so the
        answer layer does not take every question word for one the articles never use."""
        snapshot = self._snapshot()
        return snapshot is None or bool(snapshot.document_frequency(term))

    def weight(self, term: str) -> float:
        """How much a term says: its IDF, or a middling weight for a word the corpus lacks
        (it may be a plain English word like "begin", or a sign the question is off-topic)."""
        snapshot = self._snapshot()
        df = snapshot.document_frequency(term) if snapshot else 0
        return snapshot.idf(df) if snapshot and df else OOV_WEIGHT

    def idf(self, term: str) -> float:
        snapshot = self._snapshot()
        if snapshot is None:
            return OOV_WEIGHT
        return snapshot.idf(snapshot.document_frequency(term))

    def search(self, query_terms: list[str], n: int) -> list[tuple[StoredChunk, float]]:
        """The n best chunks by BM25; nothing while the index is not ready (see `notice`)."""
        self.refresh()
        snapshot = self.keywords.current()
        if snapshot is None or not query_terms:
            return []
        ranked = snapshot.search(query_terms, n)
        if not ranked:
            return []
        # The index keeps ids; the texts come from the store (one read of n chunks).
        found = {c.id: c for c in self.store.get([id_ for id_, _ in ranked])}
        return [(found[id_], score) for id_, score in ranked if id_ in found]


@dataclass(frozen=True)
class RetrievalResult:
    """Ranked sources plus what the answerability check needs."""

    sources: list[Source]
    similarity: dict[str, float]  # chunk id -> cosine similarity to the query
    query_terms: list[str]
    query_vector: list[float] = field(default_factory=list)
    # Set when keyword search did not take part (its index is being rebuilt): say so to the user.
    notice: str | None = None


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
        """A retriever over a store with a keyword index attached (assistant/components.py)."""
        if store.keywords is None:
            raise ValueError(
                "the store has no keyword index: open it with assistant.components.open_store, "
                "or attach one with attach_keyword_index"
            )
        index = LexicalIndex(store, store.keywords)
        return cls(store=store, index=index, embed_query=store.embeddings.embed_query, k=k)

    def search(
        self, query: str, k: int | None = None, per_source_cap: int | None = None
    ) -> RetrievalResult:
        """The k best chunks for `query` (dense and BM25 fused), at most `per_source_cap` of
        one article while others are left (default: 60% of k)."""
        k = k or self.k
        vector = self.embed_query(query)
        dense = self.store.query(vector, CANDIDATES)
        query_terms = terms(query)
        lexical = self.index.search(query_terms, CANDIDATES)
        by_id: dict[str, StoredChunk] = {s.chunk.id: s.chunk for s in dense}
        by_id.update({c.id: c for c, _ in lexical})
        fused = reciprocal_rank_fusion([[s.chunk.id for s in dense], [c.id for c, _ in lexical]])
        ranked = sorted(by_id.values(), key=lambda c: (-fused[c.id], c.id))
        chosen = diversify(ranked, k, per_source_cap)
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
        notice = self.index.notice
        return RetrievalResult(sources, similarity, query_terms, list(vector), notice)

    def article_leads(self, limit: int) -> tuple[list[Source], int]:
        """The first chunk of the `limit` most recent articles (numbered 1..), and how many
        articles the library holds: chosen from the keyword index's catalogue, so only those
        `limit` first chunks are read (every article's while the index is being rebuilt)."""
        self.index.refresh()
        catalogue = self.index.catalogue() if self.index.ready else None
        if catalogue is not None:
            recent = sorted(catalogue, key=lambda e: (_date_key(e.date), e.source), reverse=True)[
                :limit
            ]
            if not recent:
                return [], 0
            wanted = [e.source for e in recent]
            found = self.first_chunks(wanted)
            chosen = [found[s] for s in wanted if s in found]
            return [replace(c, n=i) for i, c in enumerate(chosen, start=1)], len(catalogue)
        firsts = self.store.get_where({"chunk_index": 0})
        firsts.sort(key=lambda c: (_date_key(c.metadata.get("date")), c.id), reverse=True)
        chosen = firsts[:limit]
        return [_to_source(i, c, 0.0) for i, c in enumerate(chosen, start=1)], len(firsts)

    def first_chunks(self, sources: Sequence[str]) -> dict[str, Source]:
        """The first chunk of each of these articles (by file name), numbered 0."""
        if not sources:
            return {}
        found = self.store.get_where(
            {"$and": [{"source": {"$in": list(sources)}}, {"chunk_index": 0}]}
        )
        return {str(c.metadata.get("source")): _to_source(0, c, 0.0) for c in found}

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
