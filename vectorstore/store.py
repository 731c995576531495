"""The Chroma store of article chunks: client (embedded or server), stamped collection, reads and writes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vectorstore.embeddings import NamedEmbeddings
from vectorstore.errors import EmbeddingMismatchError, StoreError

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from langchain_chroma import Chroma

    from vectorstore.keyword_index import KeywordIndex, WriteSession

log = logging.getLogger(__name__)

# Chroma caps one write; we stay far below it so a crash loses at most one small batch.
WRITE_BATCH = 256
READ_PAGE = 5000


@dataclass(frozen=True)
class StoreLocation:
    """Where the store lives: a folder for embedded Chroma, or host/port of a Chroma server."""

    path: Path = Path("data/chroma")
    collection: str = "articles"
    host: str | None = None
    port: int = 8000

    def describe(self) -> str:
        where = f"http://{self.host}:{self.port}" if self.host else str(self.path)
        return f"collection '{self.collection}' at {where}"


@dataclass(frozen=True)
class StoredChunk:
    """One chunk as read back from the store."""

    id: str
    text: str
    metadata: dict[str, Any]


@dataclass(frozen=True)
class ScoredChunk:
    """A chunk with its cosine similarity to a query (1.0 = same direction)."""

    chunk: StoredChunk
    score: float


def join_chunks(chunks: list[tuple[int, int, str]]) -> str:
    """Rebuild a text from (start, end, text) of chunks that tile it, overlapping or not."""
    parts: list[str] = []
    covered = 0
    for start, end, body in sorted(chunks):
        if end <= covered:
            continue
        if start > covered:
            parts.append(" " * (start - covered))  # a gap means missing chunks; keep offsets
            covered = start
        parts.append(body[covered - start :])
        covered = end
    return "".join(parts)


def open_client(location: StoreLocation) -> ClientAPI:
    """An embedded PersistentClient, or an HttpClient when a host is set; telemetry always off."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    try:
        if location.host:
            return chromadb.HttpClient(host=location.host, port=location.port, settings=settings)
        location.path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(location.path), settings=settings)
    except Exception as exc:  # chromadb raises many types (ValueError, ConnectionError, ...)
        raise StoreError(
            f"Cannot open the Chroma store {location.describe()}: {exc}. "
            "Check CHROMA_PATH, or that the Chroma server at CHROMA_HOST/CHROMA_PORT is running."
        ) from exc


@dataclass
class ArticleStore:
    """A Chroma collection of article chunks stamped with the embedding model that made its vectors."""

    client: ClientAPI
    name: str
    embeddings: NamedEmbeddings
    _collection: Collection | None = field(default=None, init=False, repr=False)
    # The keyword index the writes below keep current (attached by whoever wires the store).
    keywords: KeywordIndex | None = field(default=None, repr=False)
    _writes: _WriteSession | None = field(default=None, init=False, repr=False)
    _write_mutex: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)

    @classmethod
    def open(cls, location: StoreLocation, embeddings: NamedEmbeddings) -> ArticleStore:
        store = cls(client=open_client(location), name=location.collection, embeddings=embeddings)
        _ = store.collection  # fail early on a model mismatch
        return store

    @property
    def collection(self) -> Collection:
        if self._collection is None:
            try:
                collection = self.client.get_or_create_collection(
                    self.name,
                    embedding_function=None,
                    metadata=self._stamp(),
                    configuration={"hnsw": {"space": "cosine"}},
                )
            except Exception as exc:
                raise StoreError(f"Cannot open collection '{self.name}': {exc}") from exc
            self._check_stamp(collection.metadata or {})
            self._collection = collection
        return self._collection

    def _stamp(self) -> dict[str, Any]:
        return {
            "embedding_model": self.embeddings.model_name,
            "embedding_dim": self.embeddings.dimension,
            "revision": 0,
        }

    def _check_stamp(self, metadata: dict[str, Any]) -> None:
        model, dim = metadata.get("embedding_model"), metadata.get("embedding_dim")
        if model != self.embeddings.model_name or dim != self.embeddings.dimension:
            raise EmbeddingMismatchError(
                f"Collection '{self.name}' holds vectors of embedding model {model!r} "
                f"(dimension {dim}), but the configured model is "
                f"{self.embeddings.model_name!r} (dimension {self.embeddings.dimension}). "
                "Vectors of two models cannot be mixed: re-ingest with "
                "`assistant ingest --reset`, or switch EMBEDDINGS back."
            )

    # --- reads -------------------------------------------------------------------------------

    def count(self) -> int:
        return self.collection.count()

    def revision(self) -> tuple[str, int, int]:
        """(collection id, write counter, chunk count): changes whenever any process writes (the
        counter moves before a write session's first write), or the collection is recreated."""
        fresh = self.client.get_collection(self.name, embedding_function=None)
        return str(fresh.id), int((fresh.metadata or {}).get("revision", 0)), fresh.count()

    def count_articles(self) -> int:
        """Articles in the store, counted by their first chunks (one read of ids, no texts)."""
        return len(self.collection.get(where={"chunk_index": 0}, include=[])["ids"])

    def iter_chunks(self, include_text: bool = True) -> Iterator[StoredChunk]:
        """Every chunk in the store, page by page."""
        include: list[Any] = ["metadatas", "documents"] if include_text else ["metadatas"]
        offset = 0
        while True:
            page = self.collection.get(include=include, limit=READ_PAGE, offset=offset)
            ids = page["ids"]
            if not ids:
                return
            docs = page.get("documents") or [""] * len(ids)
            metas = page.get("metadatas") or [{}] * len(ids)
            for id_, doc, meta in zip(ids, docs, metas):
                yield StoredChunk(id=id_, text=doc or "", metadata=dict(meta or {}))
            offset += len(ids)

    def get(self, ids: Sequence[str]) -> list[StoredChunk]:
        if not ids:
            return []
        page = self.collection.get(ids=list(ids), include=["metadatas", "documents"])
        found = {
            id_: StoredChunk(id=id_, text=doc or "", metadata=dict(meta or {}))
            for id_, doc, meta in zip(page["ids"], page["documents"] or [], page["metadatas"] or [])
        }
        return [found[i] for i in ids if i in found]

    def get_where(self, where: dict[str, Any]) -> list[StoredChunk]:
        page = self.collection.get(where=where, include=["metadatas", "documents"])
        return [
            StoredChunk(id=id_, text=doc or "", metadata=dict(meta or {}))
            for id_, doc, meta in zip(page["ids"], page["documents"] or [], page["metadatas"] or [])
        ]

    def embeddings_of(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """Stored vectors of the given chunk ids (missing ids are left out)."""
        if not ids:
            return {}
        from chromadb.errors import ChromaError

        try:
            page = self.collection.get(ids=list(ids), include=["embeddings"])
        except ChromaError:  # InternalError: chunks another process wrote since we opened
            return {}
        vectors = page.get("embeddings")
        if vectors is None:
            return {}
        return {id_: [float(x) for x in vec] for id_, vec in zip(page["ids"], vectors)}

    def article_text(self, source: str) -> str | None:
        """A stored article's cleaned text, rebuilt from its chunks (they tile it by offsets)."""
        chunks = self.get_where({"source": source})
        if not chunks:
            return None
        return join_chunks(
            [(int(c.metadata["start"]), int(c.metadata["end"]), c.text) for c in chunks]
        )

    def query(self, embedding: Sequence[float], k: int) -> list[ScoredChunk]:
        """The k nearest chunks to an embedding, best first, with cosine similarity."""
        n = min(k, self.count())
        if n <= 0:
            return []
        result = self.collection.query(
            query_embeddings=[list(embedding)],  # type: ignore[arg-type]
            n_results=n,
            include=["metadatas", "documents", "distances"],
        )
        return [
            ScoredChunk(StoredChunk(id=id_, text=doc or "", metadata=dict(meta or {})), 1.0 - dist)
            for id_, doc, meta, dist in zip(
                result["ids"][0],
                (result["documents"] or [[]])[0],
                (result["metadatas"] or [[]])[0],
                (result["distances"] or [[]])[0],
            )
        ]

    # --- writes ------------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Group writes into one session (re-entrant): the revision counter moves once, before
        the first write, and the keyword index, if attached, is saved once, after the last (and
        every FLUSH_DOCS chunks between, each such step with a revision of its own). A session
        that dies half way leaves the index behind the store's revision, so it is rebuilt.

        The keyword index is a cache of the store: if it cannot be written (a read-only or full
        disk), the store's writes still go ahead, and it is rebuilt once it can be."""
        with self._write_mutex:  # another thread's writes wait; this thread's nest
            if self._writes is not None:
                yield
                return
            with ExitStack() as stack:
                keywords = None
                if self.keywords is not None:
                    try:
                        keywords = stack.enter_context(self.keywords.session())
                    except OSError as exc:
                        _index_unwritable(self.keywords, exc)
                self._writes = _WriteSession(keywords)
                try:
                    yield
                    if self._writes.step_open:
                        self._save_keywords(self._writes)
                finally:
                    self._writes = None

    def _before_write(self) -> _WriteSession:
        writes = self._writes
        assert writes is not None, "store writes run inside writing()"
        if not writes.step_open:
            self._bump_revision()
            writes.step_open = True
        return writes

    def _after_write(self, writes: _WriteSession) -> None:
        from vectorstore.keyword_index import FLUSH_DOCS

        if writes.keywords is not None and writes.keywords.pending >= FLUSH_DOCS:
            self._save_keywords(writes)
            writes.step_open = False

    def _save_keywords(self, writes: _WriteSession) -> None:
        if writes.keywords is None:
            return
        try:
            writes.keywords.save(self.revision())
        except OSError as exc:
            _index_unwritable(writes.keywords.index, exc)
            writes.keywords = None  # the rest of the session writes the store alone

    def upsert(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
        embeddings: Sequence[Sequence[float]] | None = None,
    ) -> None:
        """Embed (unless vectors are given) and write chunks, in small batches."""
        with self.writing():
            for start in range(0, len(ids), WRITE_BATCH):
                end = start + WRITE_BATCH
                batch_ids = list(ids[start:end])
                batch_texts = list(texts[start:end])
                batch_metas = [dict(m) for m in metadatas[start:end]]
                vectors = (
                    [list(v) for v in embeddings[start:end]]
                    if embeddings is not None
                    else self.embeddings.embed_documents(batch_texts)
                )
                writes = self._before_write()
                self.collection.upsert(
                    ids=batch_ids,
                    documents=batch_texts,
                    metadatas=batch_metas,  # type: ignore[arg-type]
                    embeddings=vectors,  # type: ignore[arg-type]
                )
                if writes.keywords is not None:
                    writes.keywords.add(list(zip(batch_ids, batch_texts, batch_metas)))
                self._after_write(writes)

    def update_metadata(self, ids: Sequence[str], metadatas: Sequence[dict[str, Any]]) -> None:
        """Rewrite the metadata of stored chunks (their text and vectors stay)."""
        with self.writing():
            for start in range(0, len(ids), WRITE_BATCH):
                end = start + WRITE_BATCH
                batch_ids = list(ids[start:end])
                writes = self._before_write()
                self.collection.update(
                    ids=batch_ids,
                    metadatas=[dict(m) for m in metadatas[start:end]],  # type: ignore[misc]
                )
                if writes.keywords is not None:
                    # A section heading is indexed with the text: re-index with the new metadata.
                    chunks = self.get(batch_ids)
                    writes.keywords.add([(c.id, c.text, c.metadata) for c in chunks])
                self._after_write(writes)

    def delete(self, ids: Sequence[str]) -> None:
        with self.writing():
            for start in range(0, len(ids), WRITE_BATCH):
                batch_ids = list(ids[start : start + WRITE_BATCH])
                writes = self._before_write()
                self.collection.delete(ids=batch_ids)
                if writes.keywords is not None:
                    writes.keywords.remove(batch_ids)
                self._after_write(writes)

    def reset(self) -> None:
        """Drop the collection (all chunks and its model stamp) and create it anew."""
        try:
            self.client.delete_collection(self.name)
        except Exception:  # chromadb raises NotFoundError/ValueError by version when it is absent
            if self.name in [c.name for c in self.client.list_collections()]:
                raise
        self._collection = None
        _ = self.collection

    def _bump_revision(self) -> None:
        # From the stored metadata, not this object's copy: another process may have moved it.
        fresh = self.client.get_collection(self.name, embedding_function=None)
        meta = dict(fresh.metadata or {})
        meta["revision"] = int(meta.get("revision", 0)) + 1
        meta.pop("hnsw:space", None)
        self.collection.modify(metadata=meta)

    def as_langchain(self) -> Chroma:
        """The same collection as a LangChain vector store (for `.as_retriever()` and friends)."""
        from langchain_chroma import Chroma

        return Chroma(
            client=self.client,
            collection_name=self.name,
            embedding_function=self.embeddings,  # type: ignore[arg-type]
        )


@dataclass
class _WriteSession:
    keywords: WriteSession | None
    step_open: bool = False  # the revision was bumped for writes not yet saved to the index


def _index_unwritable(keywords: KeywordIndex, exc: OSError) -> None:
    log.warning(
        "The keyword index at %s cannot be written (%s); the store is updated without it, and "
        "the index is rebuilt once its folder is writable (answers use semantic search alone "
        "meanwhile)",
        keywords.folder,
        exc,
    )
