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
    asks: str = ""  # what it asks for (person, place, date, ...), when the gold set says

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
                    asks=str(row.get("asks", "")),
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


def _found(text: str, group: list[str]) -> bool:
    lowered = text.lower()
    return any(alt.lower() in lowered for alt in group)


def first_sentence(text: str) -> str:
    """The answer's first sentence (markers removed)."""
    from assistant.citations import parse_answer

    parsed = parse_answer(text)
    return parsed[0].text if parsed else ""


def run_eval(
    gold: list[GoldQuestion],
    ask: Callable[[str, list[dict[str, str]]], Answer],
    article_text: Callable[[str], str | None],
) -> dict[str, Any]:
    """Ask every question and score: hit@k and MRR (answerable), key-fact coverage (facts of
    answers that were given), the first sentence holding a key fact, citation validity (quote
    verbatim in the cleaned text of the cited file), refusals (the "related" and "unrelated"
    outcomes both count as refusing) with false refusals and false answers apart, latency;
    and the same by kind and by what the question asks for."""
    results: list[dict[str, Any]] = []
    latencies: list[float] = []
    texts: dict[str, str | None] = {}
    valid_citations = total_citations = 0
    for item in gold:
        started = time.perf_counter()
        answer = ask(item.question, item.history)
        latency = (time.perf_counter() - started) * 1000
        latencies.append(latency)
        ranked = [r.source for r in answer.retrieved]
        rank = next((i for i, s in enumerate(ranked, start=1) if s in item.sources), None)
        given = not answer.refused
        facts = [given and _found(answer.answer, group) for group in item.must]
        lead = first_sentence(answer.answer) if given else ""
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
                "kind": item.kind,
                "asks": item.asks,
                "answerable": item.answerable,
                "question": item.question,
                "answer": answer.answer,
                "outcome": answer.outcome,
                "refused": answer.refused,
                "rank": rank,
                "facts_found": sum(facts),
                "facts_total": len(item.must),
                "first_sentence_fact": bool(item.must) and any(_found(lead, g) for g in item.must),
                "rewritten_question": answer.rewritten_question,
                "retrieved": [
                    {"source": r.source, "chunk_id": r.chunk_id, "score": r.score}
                    for r in answer.retrieved
                ],
                "citations": [c.to_json() for c in answer.citations],
                "verdicts": [v.to_json() for v in answer.verdicts],
                "latency_ms": round(latency, 1),
            }
        )
    summary = _summarise(results)
    summary["citation_validity"] = (
        round(valid_citations / total_citations, 4) if total_citations else None
    )
    summary["citations"] = total_citations
    summary["latency_p50_ms"] = round(statistics.median(latencies), 1) if latencies else None
    summary["latency_p95_ms"] = round(percentile(latencies, 95), 1)
    by_kind = {
        kind: _summarise([r for r in results if r["kind"] == kind])
        for kind in sorted({r["kind"] for r in results})
    }
    by_asks = {
        asks: _summarise([r for r in results if r["asks"] == asks])
        for asks in sorted({r["asks"] for r in results if r["asks"]})
    }
    return {"summary": summary, "by_kind": by_kind, "by_asks": by_asks, "results": results}


def _summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in results if r["answerable"]]
    unanswerable = [r for r in results if not r["answerable"]]
    facts_total = sum(r["facts_total"] for r in answerable)

    def share(count: int, total: int) -> float | None:
        return round(count / total, 4) if total else None

    outcomes: dict[str, int] = {}
    for r in results:
        outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
    false_refusals = sum(r["refused"] for r in answerable)
    false_answers = sum(not r["refused"] for r in unanswerable)
    return {
        "questions": len(results),
        "answerable": len(answerable),
        "hit_at_k": share(sum(r["rank"] is not None for r in answerable), len(answerable)),
        "mrr": round(sum(1.0 / r["rank"] for r in answerable if r["rank"]) / len(answerable), 4)
        if answerable
        else None,
        "key_fact_coverage": share(sum(r["facts_found"] for r in answerable), facts_total),
        "first_sentence_fact": share(
            sum(r["first_sentence_fact"] for r in answerable), len(answerable)
        ),
        "refusal_accuracy": share(len(results) - false_refusals - false_answers, len(results)),
        "false_refusals": false_refusals,
        "false_answers": false_answers,
        "outcomes": outcomes,
    }


def format_report(report: dict[str, Any], k: int) -> str:
    s = report["summary"]
    lines = [f"{'id':<6} {'outcome':<10} {'ms':>7}  answer"]
    for r in report["results"]:
        flat = " ".join(r["answer"].split())
        lines.append(f"{r['id']:<6} {r['outcome']:<10} {r['latency_ms']:>7.1f}  {flat[:90]}")
    lines += [
        "",
        f"questions           {s['questions']} ({s['answerable']} answerable)",
        f"hit@{k:<15} {s['hit_at_k']}",
        f"MRR                 {s['mrr']}",
        f"key-fact coverage   {s['key_fact_coverage']}",
        f"first sentence fact {s['first_sentence_fact']}",
        f"citation validity   {s['citation_validity']} ({s['citations']} citations)",
        f"refusal accuracy    {s['refusal_accuracy']} "
        f"(false refusals {s['false_refusals']}, false answers {s['false_answers']})",
        f"outcomes            "
        + ", ".join(f"{name} {count}" for name, count in sorted(s["outcomes"].items())),
        f"latency p50 / p95   {s['latency_p50_ms']} / {s['latency_p95_ms']} ms",
    ]
    for title, table in (("kind", report["by_kind"]), ("asks", report["by_asks"])):
        if len(table) < 2:
            continue
        lines += [
            "",
            f"{'by ' + title:<14} {'n':>4} {'facts':>6} {'first':>6} {'refusal':>8} "
            f"{'false-ref':>9} {'false-ans':>9}",
        ]
        for name, row in table.items():
            lines.append(
                f"{name:<14} {row['questions']:>4} {_cell(row['key_fact_coverage']):>6} "
                f"{_cell(row['first_sentence_fact']):>6} {_cell(row['refusal_accuracy']):>8} "
                f"{row['false_refusals']:>9} {row['false_answers']:>9}"
            )
    return "\n".join(lines)


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
