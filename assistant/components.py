"""Building the store and embedder that settings describe (the one place that wires them)."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from assistant.config import Settings
from assistant.storage import check_store_writable
from vectorstore import (
    ArticleStore,
    KeywordIndex,
    MiniLMEmbeddings,
    NamedEmbeddings,
    StoreLocation,
)


def store_location(settings: Settings) -> StoreLocation:
    return StoreLocation(
        path=settings.chroma_path,
        collection=settings.chroma_collection,
        host=settings.chroma_host,
        port=settings.chroma_port,
    )


def make_embeddings(settings: Settings) -> NamedEmbeddings:
    if settings.embeddings == "openai":
        from assistant.openai_backend import make_openai_embeddings

        return make_openai_embeddings(settings)
    return MiniLMEmbeddings()


def open_store(settings: Settings) -> ArticleStore:
    """The configured store, with its keyword index attached (its writes keep it current)."""
    check_store_writable(settings)
    store = ArticleStore.open(store_location(settings), make_embeddings(settings))
    attach_keyword_index(settings, store)
    return store


def keyword_index_folder(settings: Settings) -> Path:
    """Beside an embedded store; for a server, in the local cache, one folder per server and
    collection (the manifest inside records which collection id and revision it matches)."""
    if settings.chroma_host:
        key = hashlib.sha256(
            f"{settings.chroma_host}:{settings.chroma_port}/{settings.chroma_collection}".encode()
        ).hexdigest()[:16]
        return settings.keyword_cache_path / key
    return settings.chroma_path / "keyword-index" / settings.chroma_collection


def attach_keyword_index(settings: Settings, store: ArticleStore) -> KeywordIndex:
    """Give `store` its keyword index (once): the store's writes update it, retrieval reads it."""
    if store.keywords is None:
        from assistant.retrieval import analyzer_id, chunk_terms

        store.keywords = KeywordIndex(
            keyword_index_folder(settings), store, chunk_terms, analyzer_id()
        )
    return store.keywords


def ingest_lock_path(settings: Settings) -> Path:
    """One lock per store: beside an embedded store, or per server+collection in the temp dir."""
    if settings.chroma_host:
        key = hashlib.sha256(
            f"{settings.chroma_host}:{settings.chroma_port}/{settings.chroma_collection}".encode()
        ).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"news-assistant-ingest-{key}.lock"
    return settings.chroma_path / f".ingest-{settings.chroma_collection}.lock"
