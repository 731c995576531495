"""The public Python API: `Assistant` (ask, stream, chain, article, articles, catalogue, status,
ingest, remove_article)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.answerability import SentenceVectors
from assistant.chain import build_chain
from assistant.components import attach_keyword_index, ingest_lock_path, open_store
from assistant.config import MAX_RETRIEVAL_K, Settings, load_settings, revalidate
from assistant.errors import LibraryError
from assistant.inputs import Limits, check_k, normalize_history, normalize_question
from assistant.offline import OfflineAnswerer
from assistant.records import Answer, Message
from assistant.retrieval import HybridRetriever, RetrievalResult
from assistant.storage import explain_store_fault
from vectorstore import ArticleStore, CatalogueEntry, StoredChunk

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

    from ingest import SyncReport


# Enough of an article's start to show its first sentence when it has no title.
OPENING_CHARS = 300


@dataclass(frozen=True)
class ArticleView:
    """An ingested article for display: citation offsets index into `text`."""

    source: str
    title: str | None
    date: str | None
    original_source: str | None
    text: str


@dataclass(frozen=True)
class ArticleInfo:
    """One ingested article as the library lists it."""

    source: str
    title: str | None
    date: str | None
    original_source: str | None
    chars: int  # length of the cleaned text
    chunks: int
    removable: bool  # its file is in ARTICLES_PATH, so `remove_article` can delete it
    opening: str  # the start of the cleaned text (what an untitled article is shown by)


@dataclass(frozen=True)
class RemovedArticle:
    source: str
    title: str | None
    chunks: int  # chunks deleted from the store
    file_deleted: bool  # False when the file was already gone from ARTICLES_PATH


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
        index = self.retriever.index
        vectors = SentenceVectors(store.embeddings)
        offline = OfflineAnswerer(weight=index.weight, known=index.knows, embed=vectors)
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
            limits=Limits.from_settings(settings),
            vectors=vectors,
            recheck=settings.verify_with_model,
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
        """Answer one question (with optional chat history). QuestionError (an AssistantError)
        says what is wrong with an argument."""
        return self.chain.invoke(self._inputs(question, history, k))

    def stream(
        self,
        question: str,
        history: Sequence[Message | dict[str, str]] | None = None,
        k: int | None = None,
    ) -> Iterator[str | Answer]:
        """Text deltas as the answer is produced, then the final Answer (authoritative text)."""
        yield from self.chain.stream(self._inputs(question, history, k))

    def _inputs(self, question: object, history: object, k: object) -> dict[str, Any]:
        """The chain's input, with history and k checked here so a wrong type is a QuestionError
        naming the argument (the question is checked by the chain)."""
        return {
            "question": question,
            "history": normalize_history(history),
            "k": check_k(k, self.settings.retrieval_k, MAX_RETRIEVAL_K),
        }

    def retrieve(self, question: str, k: int | None = None) -> RetrievalResult:
        """Retrieval only, for a standalone question."""
        return self.retriever.search(
            normalize_question(question, self.settings.max_question_chars),
            check_k(k, self.settings.retrieval_k, MAX_RETRIEVAL_K),
        )

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

    def articles(self) -> list[ArticleInfo]:
        """Every ingested article, by source name: counts, title, date and length from the
        keyword index's catalogue, the opening and folder from each article's first chunk (one
        read of first chunks, never of every chunk)."""
        catalogue = self.catalogue()
        library = str(self.settings.articles_path.resolve())
        firsts: dict[str, StoredChunk] = {}
        for chunk in self.store.get_where({"chunk_index": 0}):
            firsts[str(chunk.metadata.get("source"))] = chunk
        listed = []
        for entry in catalogue:
            first = firsts.get(entry.source)
            listed.append(
                ArticleInfo(
                    source=entry.source,
                    title=entry.title,
                    date=entry.date,
                    original_source=entry.original_source,
                    chars=entry.chars or 0,
                    chunks=entry.chunks,
                    # An article's chunks are written together, from one file: its first
                    # chunk's folder is every chunk's (remove_article checks them all).
                    removable=first is not None and first.metadata.get("root") == library,
                    opening=first.text[:OPENING_CHARS] if first is not None else "",
                )
            )
        return listed

    def remove_article(self, source: str) -> RemovedArticle:
        """Delete an ingested article's file from ARTICLES_PATH and its chunks from the store.

        Refuses (LibraryError) anything that is not an ingested article whose file lives in
        ARTICLES_PATH. Holds the ingest lock, so it never interleaves with a sync."""
        from ingest.sync import ingest_lock

        if not isinstance(source, str) or not source or len(source) > 1000:
            raise LibraryError("Name an article of the library to remove.")
        folder = self.settings.articles_path.resolve()
        with ingest_lock(ingest_lock_path(self.settings)):
            chunks = self.store.get_where({"source": source})
            if not chunks:
                raise LibraryError(f"{source} is not in the library; nothing was removed.")
            roots = {c.metadata.get("root") for c in chunks}
            path = (folder / source).resolve()
            if roots != {str(folder)} or not path.is_relative_to(folder) or path == folder:
                raise LibraryError(
                    f"{source} was ingested from another folder, not the library folder "
                    f"({self.settings.articles_path}); delete it there and run `assistant ingest`."
                )
            deleted = False
            if path.is_file():
                try:
                    path.unlink()
                except OSError as exc:
                    raise LibraryError(
                        f"Could not delete {source} from {self.settings.articles_path} "
                        f"({exc.strerror or exc}); nothing was removed."
                    ) from None
                deleted = True
            self.store.delete([c.id for c in chunks])
        self.retriever.index.refresh(force=True)
        return RemovedArticle(
            source=source,
            title=chunks[0].metadata.get("title"),
            chunks=len(chunks),
            file_deleted=deleted,
        )

    def status(self) -> Status:
        """Backend, model and counts, from the keyword index's catalogue (no chunk is read)."""
        index = self.retriever.index
        index.refresh(force=True)  # a status is asked for rarely: never stale
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

        try:
            report = sync_paths(
                self.store,
                list(paths) if paths else [self.settings.articles_path],
                options=IngestOptions(
                    chunk_size=self.settings.chunk_size,
                    chunk_overlap=self.settings.chunk_overlap,
                    max_file_bytes=int(self.settings.max_file_mb * 1024 * 1024),
                    max_text_chars=self.settings.max_text_chars,
                ),
                lock_path=ingest_lock_path(self.settings),
                progress=progress,
            )
        except Exception as exc:  # a full or read-only disk becomes a StorageError
            fault = explain_store_fault(exc, self.settings)
            if fault is None:
                raise
            raise fault from exc
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
