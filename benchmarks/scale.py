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
VECTOR_SLICE = 50_000


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


def prepare(folder: Path, total: int, pool: int, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Write `total` chunk rows and their vectors into `folder`; embeds the first `pool` for real.

    Streams: a million rows never sit in memory at once (rows to a JSONL file as they are made,
    vectors into a memory-mapped .npy in slices)."""
    from vectorstore import MiniLMEmbeddings

    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    pool_texts: list[str] = []
    sources: set[str] = set()
    chars = 0
    written = 0
    with (folder / CHUNKS_FILE).open("w", encoding="utf-8") as out:
        for row in iter_chunk_rows(seed):
            out.write(json.dumps(row) + "\n")
            if written < pool:
                pool_texts.append(row["text"])
            sources.add(row["metadata"]["source"])
            chars += len(row["text"])
            written += 1
            if written >= total:
                break
    chunk_seconds = time.perf_counter() - started

    embedder = MiniLMEmbeddings()
    embedder.embed_array(["warm up the model"])
    started = time.perf_counter()
    pool_vectors = embedder.embed_array(pool_texts)
    embed_seconds = time.perf_counter() - started
    write_vectors(folder / VECTORS_FILE, pool_vectors, total, seed)
    return {
        "chunks": total,
        "articles": len(sources),
        "chunking_seconds": chunk_seconds,
        "pool": len(pool_texts),
        "pool_embed_seconds": embed_seconds,
        "embed_chunks_per_s": len(pool_texts) / embed_seconds if embed_seconds else None,
        "mean_chunk_chars": chars / total,
    }


def write_vectors(path: Path, pool: np.ndarray, total: int, seed: int = DEFAULT_SEED) -> None:
    """`total` unit vectors into a .npy file, slice by slice: the pool itself, then pool[j mod P]
    plus seeded Gaussian noise (sigma NOISE_SIGMA per dimension), renormalised."""
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(total, pool.shape[1]))
    size = len(pool)
    out[: min(size, total)] = pool[:total]
    rng = np.random.default_rng(seed)
    for start in range(size, total, VECTOR_SLICE):
        end = min(total, start + VECTOR_SLICE)
        rows = np.arange(start, end) % size
        noisy = pool[rows] + rng.standard_normal((end - start, pool.shape[1])).astype(
            np.float32
        ) * np.float32(NOISE_SIGMA)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        out[start:end] = noisy
    out.flush()
    del out


def iter_slices(
    folder: Path, count: int, size: int = WRITE_SLICE
) -> Iterator[tuple[list[dict[str, Any]], np.ndarray]]:
    """The first `count` prepared rows with their vectors, `size` at a time."""
    vectors = np.load(folder / VECTORS_FILE, mmap_mode="r")
    if len(vectors) < count:
        raise ValueError(f"{folder} holds {len(vectors)} prepared chunks, {count} asked for")
    rows: list[dict[str, Any]] = []
    start = 0
    with (folder / CHUNKS_FILE).open(encoding="utf-8") as lines:
        for line in lines:
            rows.append(json.loads(line))
            if len(rows) == size or start + len(rows) == count:
                yield rows, np.asarray(vectors[start : start + len(rows)])
                start += len(rows)
                rows = []
            if start >= count:
                return
    if start < count:
        raise ValueError(f"{folder} holds {start} prepared chunks, {count} asked for")


def write_store(store: Any, folder: Path, count: int) -> dict[str, Any]:
    """Upsert the first `count` rows with their vectors through `ArticleStore.upsert`, in one
    write session (as one large ingest would); wall and CPU seconds per slice."""
    started = time.perf_counter()
    slices: list[dict[str, float]] = []
    with store.writing():
        for rows, vectors in iter_slices(folder, count):
            wall, cpu = time.perf_counter(), time.process_time()
            store.upsert(
                ids=[row["id"] for row in rows],
                texts=[row["text"] for row in rows],
                metadatas=[row["metadata"] for row in rows],
                embeddings=vectors.tolist(),
            )
            slices.append(
                {
                    "chunks": len(rows),
                    "wall_s": time.perf_counter() - wall,
                    "cpu_s": time.process_time() - cpu,
                }
            )
    return {"seconds": time.perf_counter() - started, "slices": slices}
