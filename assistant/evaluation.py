"""The eval command: run a gold set of questions and score retrieval, answers, citations, refusals."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.records import Answer

# The bundled gold set (see eval/README.md), what `assistant eval` scores with no file given.
BUNDLED_GOLD_SET = Path(__file__).resolve().parent.parent / "eval" / "questions.jsonl"


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    question: str
    history: list[dict[str, str]]
    sources: list[str]
    must: list[list[str]]
    kind: str

    @property
    def answerable(self) -> bool:
        return bool(self.sources)


def load_gold(path: Path) -> list[GoldQuestion]:
    """Questions in the gold-set JSONL format (id, question, history, sources, must, kind)."""
    items: list[GoldQuestion] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise AssistantError(f"Cannot read the eval file {path}: {exc.strerror or exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            items.append(
                GoldQuestion(
                    id=str(row["id"]),
                    question=str(row["question"]),
                    history=list(row.get("history") or []),
                    sources=list(row.get("sources") or []),
                    must=[list(group) for group in row.get("must") or []],
                    kind=str(row.get("kind", "")),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise AssistantError(f"{path}:{number}: not a gold question ({exc})") from exc
    return items


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def run_eval(
    gold: list[GoldQuestion],
    ask: Callable[[str, list[dict[str, str]]], Answer],
    article_text: Callable[[str], str | None],
) -> dict[str, Any]:
    """Ask every question and score: hit@k and MRR (answerable), key-fact coverage, citation
    validity (quote verbatim in the cleaned text of the cited file), refusal accuracy, latency."""
    results: list[dict[str, Any]] = []
    hits, reciprocal, facts_found, facts_total = 0, 0.0, 0, 0
    valid_citations, total_citations, refusals_right = 0, 0, 0
    latencies: list[float] = []
    texts: dict[str, str | None] = {}
    for item in gold:
        started = time.perf_counter()
        answer = ask(item.question, item.history)
        latency = (time.perf_counter() - started) * 1000
        latencies.append(latency)
        ranked = [r.source for r in answer.retrieved]
        if item.answerable:
            rank = next((i for i, s in enumerate(ranked, start=1) if s in item.sources), None)
            hits += rank is not None
            reciprocal += 1.0 / rank if rank else 0.0
            lowered = answer.answer.lower()
            found = sum(1 for group in item.must if any(alt.lower() in lowered for alt in group))
            facts_found += found
            facts_total += len(item.must)
        refusals_right += answer.refused == (not item.answerable)
        for citation in answer.citations:
            if citation.source not in texts:
                texts[citation.source] = article_text(citation.source)
            text = texts[citation.source] or ""
            total_citations += 1
            valid_citations += (
                bool(citation.quote) and text[citation.start : citation.end] == citation.quote
            )
        results.append(
            {
                "id": item.id,
                "question": item.question,
                "answer": answer.answer,
                "refused": answer.refused,
                "rewritten_question": answer.rewritten_question,
                "retrieved": [
                    {"source": r.source, "chunk_id": r.chunk_id, "score": r.score}
                    for r in answer.retrieved
                ],
                "citations": [c.to_json() for c in answer.citations],
                "latency_ms": round(latency, 1),
            }
        )
    answerable = sum(1 for g in gold if g.answerable) or 1
    summary = {
        "questions": len(gold),
        "hit_at_k": round(hits / answerable, 4),
        "mrr": round(reciprocal / answerable, 4),
        "key_fact_coverage": round(facts_found / facts_total, 4) if facts_total else None,
        "citation_validity": round(valid_citations / total_citations, 4)
        if total_citations
        else None,
        "citations": total_citations,
        "refusal_accuracy": round(refusals_right / len(gold), 4) if gold else None,
        "latency_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "latency_p95_ms": round(percentile(latencies, 95), 1),
    }
    return {"summary": summary, "results": results}


def format_report(report: dict[str, Any], k: int) -> str:
    s = report["summary"]
    lines = [
        f"{'id':<6} {'refused':<8} {'ms':>7}  answer",
    ]
    for r in report["results"]:
        lines.append(
            f"{r['id']:<6} {r['refused']!s:<8} {r['latency_ms']:>7.1f}  {r['answer'][:90]!s}"
        )
    lines += [
        "",
        f"questions           {s['questions']}",
        f"hit@{k:<15} {s['hit_at_k']}",
        f"MRR                 {s['mrr']}",
        f"key-fact coverage   {s['key_fact_coverage']}",
        f"citation validity   {s['citation_validity']} ({s['citations']} citations)",
        f"refusal accuracy    {s['refusal_accuracy']}",
        f"latency p50 / p95   {s['latency_p50_ms']} / {s['latency_p95_ms']} ms",
    ]
    return "\n".join(lines)
