"""Scale stores: chunk texts from the synthetic corpus with precomputed vectors, written like ingest writes.

Embedding 100k chunks on 2 CPU cores would take the better part of an hour, and query latency
depends on how many vectors of what dimension the index holds, not on what they mean. So:

- chunk texts and metadata are real: synthetic articles (benchmarks/synthetic.py) cleaned and
  chunked by ingest's own `clean_article`/`split_article`, with ingest's metadata (source, root,
  start, end, chunk_index, n_chunks, content_hash, title/date when found) and chunk ids;
- the first `pool` chunks are embedded for real with the bundled MiniLM model;
- every later chunk j gets pool vector (j mod pool) plus seeded Gaussian noise (sigma 0.02 per
  dimension, about 0.39 in norm), renormalised: cosine ~0.93 to its pool vector, so the index
  sees realistic, clustered, unit-length 384-d vectors. Such a vector is not the embedding of
  its chunk's text (BM25 still sees the real text), so scale figures are latency and memory,
  never quality.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.synthetic import DEFAULT_SEED, generate_articles, load_bundled

NOISE_SIGMA = 0.02
SCALE_ROOT = "/benchmarks/scale-synthetic"  # a root folder that never exists: nothing re-syncs it
CHUNKS_FILE = "chunks.jsonl"
VECTORS_FILE = "vectors.npy"
WRITE_SLICE = 5000


def iter_chunk_rows(seed: int = DEFAULT_SEED) -> Iterator[dict[str, Any]]:
    """Chunks of synthetic articles, with ingest's ids and metadata, endlessly, in a fixed order."""
    from ingest.chunking import DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_SIZE, split_article
    from ingest.cleaning import clean_article
    from ingest.sync import PreparedArticle

    sources = load_bundled()
    for name, text in generate_articles(10**9, seed, sources):
        article = clean_article(text, {})
        chunks = split_article(article.text, name, DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_OVERLAP)
        digest = hashlib.sha256(article.text.encode()).hexdigest()
        prepared = PreparedArticle(name, SCALE_ROOT, article, digest, chunks)
        for chunk, meta in zip(chunks, prepared.metadatas()):
            yield {"id": chunk.id, "text": chunk.text, "metadata": meta}


def derive_vectors(pool: np.ndarray, total: int, seed: int = DEFAULT_SEED) -> np.ndarray:
    """`total` unit vectors: the pool itself, then pool[j mod P] plus seeded noise, renormalised."""
    size = len(pool)
    vectors = np.empty((total, pool.shape[1]), dtype=np.float32)
    vectors[: min(size, total)] = pool[:total]
    if total > size:
        rng = np.random.default_rng(seed)
        rows = np.arange(size, total) % size
        noisy = pool[rows] + rng.standard_normal((total - size, pool.shape[1])).astype(
            np.float32
        ) * np.float32(NOISE_SIGMA)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        vectors[size:] = noisy
    return vectors


def prepare(folder: Path, total: int, pool: int, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Write `total` chunk rows and their vectors into `folder`; embeds the first `pool` for real."""
    from vectorstore import MiniLMEmbeddings

    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    for row in iter_chunk_rows(seed):
        rows.append(row)
        if len(rows) >= total:
            break
    chunk_seconds = time.perf_counter() - started
    with (folder / CHUNKS_FILE).open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")

    embedder = MiniLMEmbeddings()
    embedder.embed_array(["warm up the model"])
    started = time.perf_counter()
    pool_vectors = embedder.embed_array([row["text"] for row in rows[:pool]])
    embed_seconds = time.perf_counter() - started
    np.save(folder / VECTORS_FILE, derive_vectors(pool_vectors, total, seed))
    return {
        "chunks": total,
        "articles": len({row["metadata"]["source"] for row in rows}),
        "chunking_seconds": chunk_seconds,
        "pool": pool,
        "pool_embed_seconds": embed_seconds,
        "embed_chunks_per_s": pool / embed_seconds if embed_seconds else None,
        "mean_chunk_chars": sum(len(row["text"]) for row in rows) / total,
    }


def load_rows(folder: Path, count: int) -> tuple[list[dict[str, Any]], np.ndarray]:
    """The first `count` prepared rows and their vectors."""
    rows: list[dict[str, Any]] = []
    with (folder / CHUNKS_FILE).open(encoding="utf-8") as lines:
        for line in lines:
            rows.append(json.loads(line))
            if len(rows) >= count:
                break
    vectors = np.load(folder / VECTORS_FILE, mmap_mode="r")[:count]
    if len(rows) < count:
        raise ValueError(f"{folder} holds {len(rows)} prepared chunks, {count} asked for")
    return rows, np.asarray(vectors)


def write_store(store: Any, rows: list[dict[str, Any]], vectors: np.ndarray) -> float:
    """Upsert rows with their vectors through `ArticleStore.upsert`; returns the seconds it took."""
    started = time.perf_counter()
    for start in range(0, len(rows), WRITE_SLICE):
        part = rows[start : start + WRITE_SLICE]
        store.upsert(
            ids=[row["id"] for row in part],
            texts=[row["text"] for row in part],
            metadatas=[row["metadata"] for row in part],
            embeddings=vectors[start : start + WRITE_SLICE].tolist(),
        )
    return time.perf_counter() - started
