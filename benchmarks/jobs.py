"""Benchmark jobs, each run in a child process of its own so its peak RSS is its own.

    python -m benchmarks.jobs JOB ARGS.json RESULT.json

Imports are local to each job: a job pays only for the libraries its pipeline uses.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Job = Callable[..., dict[str, Any]]
JOBS: dict[str, Job] = {}


def job(fn: Job) -> Job:
    JOBS[fn.__name__.replace("_", "-")] = fn
    return fn


# --- our pipeline ------------------------------------------------------------------------------


def _settings(chroma_path: str, collection: str, host: str | None = None, port: int = 8000) -> Any:
    from assistant.config import load_settings

    return load_settings(
        chroma_path=Path(chroma_path),
        chroma_collection=collection,
        chroma_host=host,
        chroma_port=port,
        answer_backend="offline",
        embeddings="local",
    )


def _assistant(settings: Any) -> Any:
    from assistant import Assistant

    return Assistant.from_settings(settings)


def _sources(retrieved: Any) -> list[str]:
    """Ranked source file names from `retrieve()` (a result with .sources) or `Answer.retrieved`."""
    return [item.source for item in getattr(retrieved, "sources", retrieved)]


@job
def ingest_ours(articles: str, chroma_path: str, collection: str) -> dict[str, Any]:
    """`Assistant.ingest` of a folder into a fresh embedded store."""
    started = time.perf_counter()
    assistant = _assistant(_settings(chroma_path, collection))
    cpu = time.process_time()
    report = assistant.ingest([Path(articles)])
    cpu = time.process_time() - cpu  # every thread of this process: the model's, Chroma's
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "sync_seconds": report.seconds,  # the sync itself: read, clean, chunk, embed, write
        "sync_cpu_seconds": cpu,
        "embedded": int(report.embedded),
        "chunks": int(report.chunks),
        "files": len(report.added) + len(report.updated) + len(report.unchanged),
        "skipped": len(report.skipped),
    }


def _rank_of_first_hit(sources: list[str], expected: set[str]) -> int | None:
    for rank, source in enumerate(sources, start=1):
        if source in expected:
            return rank
    return None


def _quality(
    ranked: dict[str, list[str]], questions: list[dict[str, Any]], k: int
) -> dict[str, Any]:
    """hit@k and MRR@k over answerable questions, from each question's ranked source file names."""
    per_question = {}
    hits, reciprocal = 0, 0.0
    for q in questions:
        rank = _rank_of_first_hit(ranked[q["id"]][:k], set(q["sources"]))
        per_question[q["id"]] = {"rank": rank, "top": ranked[q["id"]][:k]}
        hits += rank is not None
        reciprocal += 1.0 / rank if rank else 0.0
    n = len(questions)
    return {"n": n, "hit_at_k": hits / n, "mrr": reciprocal / n, "per_question": per_question}


@job
def serve_ours(
    chroma_path: str, collection: str, questions: list[dict[str, Any]], rounds: int, k: int
) -> dict[str, Any]:
    """Quality (the assistant's own standalone-question path) and warm latency of a loaded Assistant."""
    started = time.perf_counter()
    assistant = _assistant(_settings(chroma_path, collection))
    assistant.ask(questions[0]["question"], history=None, k=k)
    first_ms = (time.perf_counter() - started) * 1000

    ranked, raw_ranked, rewritten = {}, {}, {}
    for q in questions:
        answer = assistant.ask(q["question"], history=q["history"], k=k)
        ranked[q["id"]] = _sources(answer.retrieved)
        rewritten[q["id"]] = answer.rewritten_question
        raw_ranked[q["id"]] = _sources(assistant.retrieve(q["question"], k=k))

    retrieve_ms: list[float] = []
    ask_ms: list[float] = []
    stages: dict[str, list[float]] = {}
    for _ in range(rounds):
        for q in questions:
            t0 = time.perf_counter()
            assistant.retrieve(q["question"], k=k)
            retrieve_ms.append((time.perf_counter() - t0) * 1000)
        for q in questions:
            t0 = time.perf_counter()
            answer = assistant.ask(q["question"], history=q["history"], k=k)
            ask_ms.append((time.perf_counter() - t0) * 1000)
            for stage, ms in (answer.timings_ms or {}).items():
                stages.setdefault(stage, []).append(float(ms))
    return {
        "first_ask_ms": first_ms,
        "quality": _quality(ranked, questions, k),
        "quality_raw_question": _quality(raw_ranked, questions, k),
        "rewritten": rewritten,
        "retrieve_ms": retrieve_ms,
        "ask_ms": ask_ms,
        "stage_ms_mean": {s: sum(v) / len(v) for s, v in stages.items()},
    }


# --- the baseline ------------------------------------------------------------------------------


@job
def ingest_baseline(articles: str, store_dir: str, model_cache: str) -> dict[str, Any]:
    """The tutorial ingest: TextLoader, 1000/200 splitter, Chroma.from_documents."""
    from benchmarks import baseline

    started = time.perf_counter()
    _, chunks = baseline.build_store(Path(articles), Path(store_dir), Path(model_cache))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "chunks": chunks}


@job
def serve_baseline(
    store_dir: str, model_cache: str, questions: list[dict[str, Any]], rounds: int, k: int
) -> dict[str, Any]:
    """Quality (raw question, as the tutorial does) and warm latency of the tutorial retriever."""
    from benchmarks import baseline

    started = time.perf_counter()
    store = baseline.open_store(Path(store_dir), Path(model_cache))
    baseline.retrieve(store, questions[0]["question"])
    first_ms = (time.perf_counter() - started) * 1000
    ranked = {
        q["id"]: [name for name, _ in baseline.retrieve(store, q["question"])] for q in questions
    }
    retrieve_ms: list[float] = []
    for _ in range(rounds):
        for q in questions:
            t0 = time.perf_counter()
            baseline.retrieve(store, q["question"])
            retrieve_ms.append((time.perf_counter() - t0) * 1000)
    return {
        "first_retrieve_ms": first_ms,
        "quality": _quality(ranked, questions, k),
        "retrieve_ms": retrieve_ms,
    }


# --- scale -------------------------------------------------------------------------------------


@job
def scale_prepare(folder: str, total: int, pool: int, seed: int) -> dict[str, Any]:
    from benchmarks import scale

    return scale.prepare(Path(folder), total, pool, seed)


@job
def embed_alone(articles: str) -> dict[str, Any]:
    """The embedding model by itself on the texts ingest would embed for `articles`, in ingest's
    batches: the throughput ingest is compared with."""
    from ingest.sync import EMBED_BATCH, IngestOptions, collect_files, prepare_file
    from vectorstore import MiniLMEmbeddings

    candidates, _, _ = collect_files([Path(articles)])
    texts = [
        chunk.embedding_text()
        for candidate in candidates
        for chunk in prepare_file(candidate, IngestOptions()).chunks
    ]
    embedder = MiniLMEmbeddings()
    embedder.embed_documents(["warm up the model"])
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), EMBED_BATCH):
        embedder.embed_documents(texts[start : start + EMBED_BATCH])
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "chunks": len(texts),
    }


@job
def scale_build(
    data: str, count: int, chroma_path: str, collection: str, host: str | None, port: int
) -> dict[str, Any]:
    """Write the first `count` prepared chunks into a fresh store through ArticleStore.upsert."""
    from assistant.components import keyword_index_folder, open_store
    from benchmarks import scale
    from benchmarks.measure import rss_mb

    settings = _settings(chroma_path, collection, host, port)
    store = open_store(settings)
    written = scale.write_store(store, Path(data), count)
    keywords = store.keywords.latest() if store.keywords else None
    folder = keyword_index_folder(settings)
    return {
        **written,
        "chunks": store.count(),
        "rss_mb_end": rss_mb(),
        "keyword_segments": len(keywords.segments) if keywords else None,
        "keyword_docs": keywords.docs if keywords else None,
        "keyword_disk_mb": sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20,
    }


@job
def scale_first(
    chroma_path: str, collection: str, host: str | None, port: int, questions: list[str], k: int
) -> dict[str, Any]:
    """A restarted app: open the store and answer, in a fresh process (imports timed apart)."""
    started = time.perf_counter()
    from assistant import Assistant
    from benchmarks.measure import rss_mb

    imported = time.perf_counter()
    assistant = Assistant.from_settings(_settings(chroma_path, collection, host, port))
    opened = time.perf_counter()
    result = assistant.retrieve(questions[0], k=k)
    retrieved = time.perf_counter()
    answer = assistant.ask(questions[1], k=k)
    asked = time.perf_counter()
    keywords = assistant.retriever.index.keywords
    return {
        "import_ms": (imported - started) * 1000,
        "open_ms": (opened - imported) * 1000,
        "first_retrieve_ms": (retrieved - opened) * 1000,  # embeds the question, dense + BM25
        "open_and_first_retrieve_ms": (retrieved - imported) * 1000,
        "first_ask_ms": (asked - retrieved) * 1000,
        "keyword_state": keywords.state,
        "keyword_rebuilds": keywords.rebuilds,
        "notice": result.notice,
        "sources": len(result.sources),
        "answered": bool(answer.answer),
        "rss_mb": rss_mb(),
    }


@job
def scale_query(
    chroma_path: str,
    collection: str,
    host: str | None,
    port: int,
    questions: list[str],
    rounds: int,
    k: int,
) -> dict[str, Any]:
    """Dense store query alone (precomputed query vectors), then the assistant's hybrid retrieve."""
    from assistant.components import open_store
    from benchmarks.measure import rss_mb
    from vectorstore import MiniLMEmbeddings

    settings = _settings(chroma_path, collection, host, port)
    vectors = MiniLMEmbeddings().embed_array(questions).tolist()
    rss_model = rss_mb()
    store = open_store(settings)
    t0 = time.perf_counter()
    store.query(vectors[0], k)
    dense_first_ms = (time.perf_counter() - t0) * 1000
    dense_ms, dense_cpu_ms = [], []
    for _ in range(rounds):
        for vector in vectors:
            t0, c0 = time.perf_counter(), time.process_time()
            store.query(vector, k)
            dense_ms.append((time.perf_counter() - t0) * 1000)
            dense_cpu_ms.append((time.process_time() - c0) * 1000)
    rss_dense = rss_mb()

    t0 = time.perf_counter()
    assistant = _assistant(settings)
    assistant.retrieve(questions[0], k=k)
    hybrid_first_ms = (time.perf_counter() - t0) * 1000
    hybrid_ms, hybrid_cpu_ms = [], []
    notices = 0
    for _ in range(rounds):
        for question in questions:
            t0, c0 = time.perf_counter(), time.process_time()
            result = assistant.retrieve(question, k=k)
            hybrid_ms.append((time.perf_counter() - t0) * 1000)
            # CPU of this process's threads (embedded Chroma's too, not a server's): what the
            # query costs, whatever else the machine is running.
            hybrid_cpu_ms.append((time.process_time() - c0) * 1000)
            notices += result.notice is not None
    return {
        "keyword_state": assistant.retriever.index.keywords.state,
        "dense_only_answers": notices,  # retrieves that ran without keyword search
        "dense_first_ms": dense_first_ms,
        "dense_ms": dense_ms,
        "dense_cpu_ms": dense_cpu_ms,
        "hybrid_first_ms": hybrid_first_ms,
        "hybrid_ms": hybrid_ms,
        "hybrid_cpu_ms": hybrid_cpu_ms,
        "rss_mb_model": rss_model,
        "rss_mb_after_dense": rss_dense,
        "rss_mb_after_hybrid": rss_mb(),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[1] not in JOBS:
        print(
            f"usage: python -m benchmarks.jobs {{{','.join(JOBS)}}} ARGS.json RESULT.json",
            file=sys.stderr,
        )
        return 2
    args = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
    result = JOBS[argv[1]](**args)
    Path(argv[3]).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
