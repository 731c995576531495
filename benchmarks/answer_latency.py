"""Warm offline answer latency: the bundled corpus alone, and the bundled corpus inside a 10k-chunk
store (issue 10's targets: p50 <= 50 ms and <= 150 ms). A report, never an assertion.

    uv run python -m benchmarks.answer_latency [--rounds 3] [--size 10000]

Each store is built in a temporary folder: the bundled articles are ingested for real; the 10k
store adds synthetic chunks (`benchmarks/scale.py`: real chunk text and metadata, pool vectors)
so that retrieval, BM25 and answerability work over 10k chunks while the gold questions keep
their real answers. Every gold question of `eval/questions.jsonl` (follow-ups with their
history) is asked `--rounds` times after one untimed pass; the table gives p50/p95 of the whole
`ask` (wall clock) and of each stage of `Answer.timings_ms`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import median, percentile
from benchmarks.tables import render

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "articles"
GOLD = ROOT / "eval" / "questions.jsonl"
POOL = 500  # chunks embedded for real; the rest get pool vectors plus noise (scale.py)


def _assistant(folder: Path) -> Any:
    from assistant.api import Assistant
    from assistant.config import load_settings

    articles = folder / "articles"
    shutil.copytree(BUNDLED, articles)
    settings = load_settings(
        chroma_path=folder / "chroma",
        articles_path=articles,
        answer_backend="offline",
        _env_file=None,
    )
    return Assistant.from_settings(settings)


def _measure(assistant: Any, rounds: int) -> dict[str, list[float]]:
    from assistant.evaluation import load_gold

    gold = load_gold(GOLD)
    for item in gold:  # untimed: loads the model, builds BM25, fills caches as a server would
        assistant.ask(item.question, history=item.history)
    times: dict[str, list[float]] = {"ask (wall)": []}
    for _ in range(rounds):
        for item in gold:
            started = time.perf_counter()
            answer = assistant.ask(item.question, history=item.history)
            times["ask (wall)"].append((time.perf_counter() - started) * 1000)
            for stage, ms in answer.timings_ms.items():
                times.setdefault(stage, []).append(ms)
    return times


def run(rounds: int, size: int) -> list[tuple[str, dict[str, list[float]], int]]:
    from benchmarks import scale

    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    results = []
    with tempfile.TemporaryDirectory(prefix="answer-latency-") as tmp:
        bundled = _assistant(Path(tmp) / "bundled")
        bundled.ingest()
        results.append(("bundled", _measure(bundled, rounds), bundled.status().chunks))

        big = _assistant(Path(tmp) / "big")
        big.ingest()
        extra = size - big.status().chunks
        prepared = Path(tmp) / "prepared"
        scale.prepare(prepared, extra, min(POOL, extra))
        scale.write_store(big.store, prepared, extra)
        results.append((f"{size // 1000}k chunks", _measure(big, rounds), big.status().chunks))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    results = run(args.rounds, args.size)
    rows = []
    for name, times, chunks in results:
        for stage, values in times.items():
            rows.append(
                [
                    name,
                    str(chunks),
                    stage,
                    str(len(values)),
                    f"{median(values):.1f}",
                    f"{percentile(values, 95):.1f}",
                ]
            )
    print(
        render(
            f"Warm offline answers (load average {load:.1f} at the start)",
            ["store", "chunks", "stage", "n", "p50 ms", "p95 ms"],
            rows,
            left=(0, 2),
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
