"""Shared fixtures: real Chroma in temp folders, the real bundled embedding model, a network guard."""

from __future__ import annotations

import ipaddress
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from vectorstore import ArticleStore, MiniLMEmbeddings, StoreLocation

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_ARTICLES = PROJECT_ROOT / "data" / "articles"
GOLD_SET = PROJECT_ROOT / "eval" / "questions.jsonl"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"

_SETTINGS_ENV = [
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_MODEL",
    "ANSWER_BACKEND",
    "EMBEDDINGS",
    "CHROMA_PATH",
    "CHROMA_HOST",
    "CHROMA_PORT",
    "CHROMA_COLLECTION",
    "KEYWORD_CACHE_PATH",
    "ARTICLES_PATH",
    "UI_USERNAME",
    "UI_PASSWORD",
    "RETRIEVAL_K",
    "CHUNK_SIZE",
    "CHUNK_OVERLAP",
    "FALLBACK_TO_OFFLINE",
    "MAX_QUESTION_CHARS",
]


@pytest.fixture(autouse=True)
def _isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never see the developer's keys or settings, nor write to their cache."""
    for name in _SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    monkeypatch.setenv("KEYWORD_CACHE_PATH", str(tmp_path_factory.getbasetemp() / "keyword-cache"))


@pytest.fixture(autouse=True)
def _network_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only loopback connections: a test that reaches for the internet fails loudly."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        if self.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
            host = str(address[0])
            try:
                allowed = ipaddress.ip_address(host).is_loopback
            except ValueError:
                allowed = host == "localhost"
            if not allowed:
                raise ConnectionRefusedError(f"network guard: tests may not connect to {host}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


class MemoEmbeddings:
    """The real MiniLM, remembering each text's vector: same text, same vector, so tests that
    ingest one corpus into several stores embed it once (stored vectors are exactly the model's)."""

    def __init__(self, inner: MiniLMEmbeddings) -> None:
        self.inner = inner
        self.model_name = inner.model_name
        self.dimension = inner.dimension
        self.vectors: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        self.vectors.update(zip(missing, self.inner.embed_documents(missing), strict=True))
        return [self.vectors[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


@pytest.fixture(scope="session")
def embeddings() -> MiniLMEmbeddings:
    return MiniLMEmbeddings()


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A writable copy of the bundled articles."""
    target = tmp_path / "articles"
    shutil.copytree(BUNDLED_ARTICLES, target)
    return target


@pytest.fixture
def store(tmp_path: Path, embeddings: MiniLMEmbeddings) -> Iterator[ArticleStore]:
    """A real embedded Chroma store in a temp folder."""
    yield ArticleStore.open(StoreLocation(path=tmp_path / "chroma"), embeddings)


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
