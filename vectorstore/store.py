"""The Chroma store of article chunks: client (embedded or server), stamped collection, reads and writes."""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from vectorstore.embeddings import NamedEmbeddings
from vectorstore.errors import (
    EmbeddingMismatchError,
    ForeignCollectionError,
    LibraryDamagedError,
    LibraryEmptyError,
    StoreError,
    StoreUnreachableError,
)

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from langchain_chroma import Chroma

    from vectorstore.keyword_index import KeywordIndex, WriteSession

log = logging.getLogger(__name__)

# Chroma caps one write; we stay far below it so a crash loses at most one small batch.
WRITE_BATCH = 256
READ_PAGE = 5000
# Who made a collection: this project stamps it so it never uses or resets another tool's data.
CREATED_BY = "news-assistant"
_DIMENSION = re.compile(r"dimension of (\d+)")

P = ParamSpec("P")
T = TypeVar("T")


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

    def unreachable(self, detail: object) -> StoreUnreachableError:
        return StoreUnreachableError(
            f"Cannot reach the Chroma server at {self.host}:{self.port} ({detail}). Start it "
            f"(`chroma run --path <folder> --host {self.host} --port {self.port}`) or point "
            "CHROMA_HOST/CHROMA_PORT at a running one, then try again."
        )

    def rebuild_hint(self) -> str:
        if self.host:
            return "rebuild it with `assistant ingest --reset`"
        return (
            f"move the folder {self.path} aside (or delete it) and run `assistant ingest` "
            "to rebuild it from the articles"
        )


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
        known = _translate(exc, location, "")
        if known is not None:
            raise known from exc
        raise StoreError(
            f"Cannot open the Chroma store {location.describe()}: {exc}. "
            "Check CHROMA_PATH, or that the Chroma server at CHROMA_HOST/CHROMA_PORT is running."
        ) from exc


def _translate(exc: BaseException, location: StoreLocation, name: str) -> StoreError | None:
    """The store error (with what to do) for a failure of Chroma, or None if it is not one."""
    from chromadb.errors import ChromaError, InvalidArgumentError

    if isinstance(exc, StoreError):
        return None
    if location.host and _is_connection_failure(exc):
        return location.unreachable(exc)
    if isinstance(exc, InvalidArgumentError) and "dimension" in str(exc):
        held = _DIMENSION.search(str(exc))
        return EmbeddingMismatchError(
            f"Collection '{name or location.collection}' holds vectors of dimension "
            f"{held.group(1) if held else 'unknown'}, which the configured embedding model does "
            "not make, although its stamp names that model (another tool wrote to it). "
            "Rebuild it with `assistant ingest --reset`, or set CHROMA_COLLECTION to a new name."
        )
    if isinstance(exc, ChromaError):
        return LibraryDamagedError(
            f"The library ({location.describe()}) cannot be read: {exc}. It may be damaged; "
            f"{location.rebuild_hint()}."
        )
    return None


def _ours(metadata: dict[str, Any]) -> bool:
    """Made by this project: stamped by it (older versions stamped only the model)."""
    return metadata.get("created_by") == CREATED_BY or "embedding_model" in metadata


def _is_connection_failure(exc: BaseException) -> bool:
    import httpx

    if isinstance(exc, (httpx.TransportError, ConnectionError, TimeoutError)):
        return True
    return isinstance(exc, ValueError) and "could not connect" in str(exc).lower()


def _is_gone(exc: BaseException) -> bool:
    """The collection this process holds was dropped (a reset, or a restarted empty server)."""
    from chromadb.errors import NotFoundError

    return isinstance(exc, NotFoundError) or (
        type(exc).__name__ in {"InvalidCollectionException", "NotFoundError"}
    )


def _guarded(method: Callable[P, T]) -> Callable[P, T]:
    """Run a store operation; when the collection was dropped or recreated by another process,
    reopen it by name and run it once more. Chroma's failures become StoreErrors that say what
    to do (server unreachable, dimension mismatch, damaged files)."""

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        store = args[0]
        assert isinstance(store, ArticleStore)
        try:
            return method(*args, **kwargs)
        except Exception as exc:
            if not _is_gone(exc):
                known = store.known_error(exc)
                if known is None:
                    raise
                raise known from exc
        store.forget_collection()
        try:
            return method(*args, **kwargs)
        except Exception as exc:
            known = store.known_error(exc)
            if known is None:
                raise
            raise known from exc

    return run


@dataclass
class ArticleStore:
    """A Chroma collection of article chunks stamped with the embedding model that made its vectors."""

    client: ClientAPI
    name: str
    embeddings: NamedEmbeddings
    location: StoreLocation | None = None
    _collection: Collection | None = field(default=None, init=False, repr=False)
    # The keyword index the writes below keep current (attached by whoever wires the store).
    keywords: KeywordIndex | None = field(default=None, repr=False)
    _writes: _WriteSession | None = field(default=None, init=False, repr=False)
    _write_mutex: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)

    @classmethod
    def open(cls, location: StoreLocation, embeddings: NamedEmbeddings) -> ArticleStore:
        store = cls(open_client(location), location.collection, embeddings, location)
        store.count()  # fail early: a model mismatch, another tool's collection, no server
        return store

    @classmethod
    def open_for_reset(cls, location: StoreLocation, embeddings: NamedEmbeddings) -> ArticleStore:
        """The store, for `reset()`: a collection of another model is fine (it is about to go);
        one that another tool made is refused (its data is not ours to delete)."""
        store = cls(open_client(location), location.collection, embeddings, location)
        store._refuse_foreign()
        return store

    @property
    def where(self) -> StoreLocation:
        return self.location or StoreLocation(collection=self.name)

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
                known = self.known_error(exc)
                if known is None:
                    raise
                raise known from exc
            self._check_stamp(collection.metadata or {}, collection)
            self._collection = collection
        return self._collection

    def forget_collection(self) -> None:
        """Drop the cached handle: the next operation reopens the collection by name."""
        self._collection = None

    def known_error(self, exc: BaseException) -> StoreError | None:
        """The StoreError that says what to do about a failure of Chroma; None for anything
        else (including a StoreError already)."""
        return _translate(exc, self.where, self.name)

    def _stamp(self) -> dict[str, Any]:
        return {
            "embedding_model": self.embeddings.model_name,
            "embedding_dim": self.embeddings.dimension,
            "created_by": CREATED_BY,
            "revision": 0,
        }

    def _refuse_foreign(self) -> None:
        try:
            existing = [c.name for c in self.client.list_collections()]
            if self.name in existing:
                found = self.client.get_collection(self.name, embedding_function=None)
                if not _ours(found.metadata or {}):
                    raise self._foreign(found)
        except Exception as exc:
            known = self.known_error(exc)
            if known is None:
                raise
            raise known from exc

    def _foreign(self, collection: Collection) -> ForeignCollectionError:
        return ForeignCollectionError(
            f"Collection '{self.name}' ({self.where.describe()}) was not made by this assistant "
            f"(it has no embedding-model stamp) and holds {collection.count()} records of "
            "another tool. Set CHROMA_COLLECTION to another name (e.g. news-articles) and run "
            "`assistant ingest`; this assistant will neither use nor reset that collection."
        )

    def _check_stamp(self, metadata: dict[str, Any], collection: Collection) -> None:
        if not _ours(metadata):
            raise self._foreign(collection)
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

    @_guarded
    def count(self) -> int:
        return self.collection.count()

    @_guarded
    def revision(self) -> tuple[str, int, int]:
        """(collection id, write counter, chunk count): changes whenever any process writes (the
        counter moves before a write session's first write), or the collection is recreated.

        Also notices a collection replaced by another process (`ingest --reset`, a Chroma server
        restarted on an empty folder): the next read reopens it by name."""
        from chromadb.errors import NotFoundError

        try:
            fresh = self.client.get_collection(self.name, embedding_function=None)
        except NotFoundError:  # gone and not recreated yet: open it anew (empty, stamped)
            self.forget_collection()
            fresh = self.collection
        if self._collection is not None and self._collection.id != fresh.id:
            self.forget_collection()
        _ = self.collection  # check the stamp of a collection that appeared under our name
        return str(fresh.id), int((fresh.metadata or {}).get("revision", 0)), fresh.count()

    @_guarded
    def count_articles(self) -> int:
        """Articles in the store, counted by their first chunks (one read of ids, no texts)."""
        return len(self.collection.get(where={"chunk_index": 0}, include=[])["ids"])

    def iter_chunks(self, include_text: bool = True) -> Iterator[StoredChunk]:
        """Every chunk in the store, page by page."""
        include: list[Any] = ["metadatas", "documents"] if include_text else ["metadatas"]
        offset = 0
        while True:
            page = self._page(include, offset)
            ids = page["ids"]
            if not ids:
                return
            docs = page.get("documents") or [""] * len(ids)
            metas = page.get("metadatas") or [{}] * len(ids)
            for id_, doc, meta in zip(ids, docs, metas):
                yield StoredChunk(id=id_, text=doc or "", metadata=dict(meta or {}))
            offset += len(ids)

    @_guarded
    def _page(self, include: list[Any], offset: int) -> Any:
        return self.collection.get(include=include, limit=READ_PAGE, offset=offset)

    @_guarded
    def get(self, ids: Sequence[str]) -> list[StoredChunk]:
        if not ids:
            return []
        page = self.collection.get(ids=list(ids), include=["metadatas", "documents"])
        found = {
            id_: StoredChunk(id=id_, text=doc or "", metadata=dict(meta or {}))
            for id_, doc, meta in zip(page["ids"], page["documents"] or [], page["metadatas"] or [])
        }
        return [found[i] for i in ids if i in found]

    @_guarded
    def get_where(self, where: dict[str, Any]) -> list[StoredChunk]:
        page = self.collection.get(where=where, include=["metadatas", "documents"])
        return [
            StoredChunk(id=id_, text=doc or "", metadata=dict(meta or {}))
            for id_, doc, meta in zip(page["ids"], page["documents"] or [], page["metadatas"] or [])
        ]

    @_guarded
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
        return self.article_texts([source]).get(source)

    def article_texts(self, sources: Sequence[str]) -> dict[str, str]:
        """Several stored articles' cleaned texts in one request (an answer cites a few; one
        request for them all costs about what one does for each)."""
        names = list(dict.fromkeys(sources))
        if not names:
            return {}
        where = {"source": names[0]} if len(names) == 1 else {"source": {"$in": names}}
        pieces: dict[str, list[tuple[int, int, str]]] = {}
        for c in self.get_where(where):
            name = str(c.metadata.get("source", ""))
            pieces.setdefault(name, []).append(
                (int(c.metadata["start"]), int(c.metadata["end"]), c.text)
            )
        return {name: join_chunks(parts) for name, parts in pieces.items() if name in names}

    @_guarded
    def query(self, embedding: Sequence[float], k: int) -> list[ScoredChunk]:
        """The k nearest chunks to an embedding, best first, with cosine similarity.

        Raises LibraryEmptyError when the store holds nothing: "no article covers this" would
        be a wrong answer when there are no articles at all."""
        n = min(k, self.count())
        if n <= 0:
            raise LibraryEmptyError(
                f"The library is empty: {self.where.describe()} holds no articles. Add some "
                "with `assistant ingest` (it reads ARTICLES_PATH) or upload them in the browser."
            )
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
        revision = self.revision()
        if revision[0] != writes.keywords.base.revision[0]:
            # Another process dropped and recreated the collection during this session (the
            # writes were retried on the new one): what the session indexed is not all of it.
            # Leave the index behind the store: it is rebuilt from the store.
            log.warning(
                "The collection '%s' was recreated while it was written; its keyword index "
                "will be rebuilt",
                self.name,
            )
            writes.keywords = None
            return
        try:
            writes.keywords.save(revision)
        except OSError as exc:
            _index_unwritable(writes.keywords.index, exc)
            writes.keywords = None  # the rest of the session writes the store alone

    @_guarded
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

    @_guarded
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

    @_guarded
    def delete(self, ids: Sequence[str]) -> None:
        with self.writing():
            for start in range(0, len(ids), WRITE_BATCH):
                batch_ids = list(ids[start : start + WRITE_BATCH])
                writes = self._before_write()
                self.collection.delete(ids=batch_ids)
                if writes.keywords is not None:
                    writes.keywords.remove(batch_ids)
                self._after_write(writes)

    @_guarded
    def reset(self) -> None:
        """Drop the collection (all chunks and its model stamp) and create it anew. Refuses a
        collection that another tool made."""
        self._refuse_foreign()
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
