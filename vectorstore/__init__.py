"""Chroma clients (embedded and server), embedding functions and collection metadata."""

from vectorstore.embeddings import (
    LOCAL_MODEL_DIM,
    LOCAL_MODEL_NAME,
    LabelledEmbeddings,
    MiniLMEmbeddings,
    NamedEmbeddings,
)
from vectorstore.errors import (
    EmbeddingMismatchError,
    ForeignCollectionError,
    LibraryDamagedError,
    LibraryEmptyError,
    StoreError,
    StoreUnreachableError,
)
from vectorstore.keyword_generations import CatalogueEntry, Snapshot
from vectorstore.keyword_index import KeywordIndex
from vectorstore.store import ArticleStore, ScoredChunk, StoredChunk, StoreLocation, open_client

__all__ = [
    "LOCAL_MODEL_DIM",
    "LOCAL_MODEL_NAME",
    "ArticleStore",
    "CatalogueEntry",
    "EmbeddingMismatchError",
    "ForeignCollectionError",
    "KeywordIndex",
    "LabelledEmbeddings",
    "LibraryDamagedError",
    "LibraryEmptyError",
    "MiniLMEmbeddings",
    "NamedEmbeddings",
    "ScoredChunk",
    "Snapshot",
    "StoreError",
    "StoreLocation",
    "StoreUnreachableError",
    "StoredChunk",
    "open_client",
]
