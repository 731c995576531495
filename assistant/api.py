"""The public Python API: `Assistant` (ask, stream, chain, article, status, ingest)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.chain import build_chain
from assistant.components import attach_keyword_index, ingest_lock_path, open_store
from assistant.config import Settings, load_settings, revalidate
from assistant.offline import OfflineAnswerer
from assistant.records import Answer, Message
from assistant.retrieval import HybridRetriever, RetrievalResult
from vectorstore import ArticleStore, CatalogueEntry

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

    from ingest import SyncReport


@dataclass(frozen=True)
class ArticleView:
    """An ingested article for display: citation offsets index into `text`."""

    source: str
    title: str | None
    date: str | None
    original_source: str | None
    text: str


@dataclass(frozen=True)
class Status:
    backend: str
    articles: int
    chunks: int
    embedding_model: str
    notice: str | None = None  # e.g. the keyword index is being rebuilt


class Assistant:
    """Question answering over the ingested articles, with verified citations."""

    def __init__(self, settings: Settings, store: ArticleStore) -> None:
        self.settings = settings
        self.store = store
        attach_keyword_index(settings, store)
        self.retriever = HybridRetriever.over(store, k=settings.retrieval_k)
        self.backend_name = settings.resolved_backend()
        offline = OfflineAnswerer(weight=self.retriever.index.weight)
        if self.backend_name == "openai":
            from assistant.openai_backend import OpenAIAnswerer

            answerer: Any = OpenAIAnswerer.from_settings(settings)
            fallback = offline if settings.fallback_to_offline else None
        else:
            answerer, fallback = offline, None
        self.chain: Runnable[dict, Answer] = build_chain(
            self.retriever,
            answerer,
            fallback=fallback,
            k=settings.retrieval_k,
            max_question_chars=settings.max_question_chars,
        )

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **overrides: Any) -> Assistant:
        """An assistant over the configured store; `overrides` are Settings fields."""
        if settings is None:
            settings = load_settings(**overrides)
        elif overrides:
            settings = revalidate(settings, **overrides)
        return cls(settings, open_store(settings))

    def ask(
        self,
        question: str,
        history: Sequence[Message | dict[str, str]] | None = None,
        k: int | None = None,
    ) -> Answer:
        """Answer one question (with optional chat history)."""
        return self.chain.invoke({"question": question, "history": list(history or []), "k": k})

    def stream(
        self,
        question: str,
        history: Sequence[Message | dict[str, str]] | None = None,
        k: int | None = None,
    ) -> Iterator[str | Answer]:
        """Text deltas as the answer is produced, then the final Answer (authoritative text)."""
        yield from self.chain.stream({"question": question, "history": list(history or []), "k": k})

    def retrieve(self, question: str, k: int | None = None) -> RetrievalResult:
        """Retrieval only, for a standalone question."""
        return self.retriever.search(question, k or self.settings.retrieval_k)

    def article(self, source: str) -> ArticleView | None:
        """An ingested article by its source name; None for anything else (never a file path)."""
        if not isinstance(source, str) or not source or len(source) > 1000:
            return None
        chunks = self.store.get_where({"source": source})
        if not chunks:
            return None
        meta = chunks[0].metadata
        text = self.store.article_text(source) or ""
        return ArticleView(
            source=source,
            title=meta.get("title"),
            date=meta.get("date"),
            original_source=meta.get("original_source"),
            text=text,
        )

    def status(self) -> Status:
        """Backend, model and counts, from the keyword index's catalogue (no chunk is read)."""
        index = self.retriever.index
        index.refresh()
        catalogue = index.catalogue() if index.ready else None
        if catalogue is None:  # the index is being rebuilt: count in the store instead
            articles, chunks = self.store.count_articles(), self.store.count()
        else:
            articles, chunks = len(catalogue), index.chunk_count or 0
        return Status(
            backend=self.backend_name,
            articles=articles,
            chunks=chunks,
            embedding_model=self.store.embeddings.model_name,
            notice=index.notice,
        )

    def catalogue(self) -> list[CatalogueEntry]:
        """Every ingested article (source, title, date, original source, chunk count, length
        in characters), by source name; read from the keyword index, not from the chunks."""
        index = self.retriever.index
        index.refresh()
        catalogue = index.catalogue() if index.ready else None
        if catalogue is not None:
            return catalogue
        return _catalogue_from_store(self.store)

    def ingest(
        self, paths: Sequence[Path] | None = None, progress: bool | None = False
    ) -> SyncReport:
        """The same ingest as `assistant ingest` (default: ARTICLES_PATH); the retriever follows."""
        from ingest import IngestOptions, sync_paths

        report = sync_paths(
            self.store,
            list(paths) if paths else [self.settings.articles_path],
            options=IngestOptions(
                chunk_size=self.settings.chunk_size,
                chunk_overlap=self.settings.chunk_overlap,
                max_file_bytes=int(self.settings.max_file_mb * 1024 * 1024),
            ),
            lock_path=ingest_lock_path(self.settings),
            progress=progress,
        )
        self.retriever.index.refresh(force=True)
        return report


def _catalogue_from_store(store: ArticleStore) -> list[CatalogueEntry]:
    """The catalogue read from every chunk's metadata: only while the index is being rebuilt."""
    found: dict[str, list[Any]] = {}
    for chunk in store.iter_chunks(include_text=False):
        meta = chunk.metadata
        source = str(meta.get("source", ""))
        entry = found.setdefault(
            source, [meta.get("title"), meta.get("date"), meta.get("original_source"), 0, 0]
        )
        entry[3] += 1
        entry[4] = max(entry[4], int(meta.get("end", 0) or 0))
    return [
        CatalogueEntry(source, e[0], e[1], e[2], e[3], e[4]) for source, e in sorted(found.items())
    ]
