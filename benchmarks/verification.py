"""Citation verification on the labelled probe set: confusion table by class, catch and false-flag
rates, and what verifying costs.

    uv run python -m benchmarks.verification                 # dev and held-out splits
    uv run python -m benchmarks.verification --split dev     # one split
    uv run python -m benchmarks.verification --failures 60   # list more of what went wrong

The probes (`eval/probes/`) are scripted model replies sent through the real chain, the real
`openai` client and the scripted OpenAI-compatible server of `tests/fake_openai.py`, over a real
embedded Chroma holding the bundled articles and the Wikinews articles the probes use (see
`tests/probes.py`). Every figure comes from `Answer.verdicts`; when no answer carries verdicts (a
verifier older than issue 11), the tables are also printed from the answer text, labelled as
such. The held-out split is reported, never tuned on. Figures go to
`benchmarks/results/verification.json` (git-ignored). Nothing here asserts: the targets are
asserted by `tests/test_verification_probes.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests import probes as harness

RESULTS = harness.PROJECT_ROOT / "benchmarks" / "results" / "verification.json"


def figures(report: harness.Report) -> dict[str, Any]:
    """The report as JSON-ready numbers."""
    by_class = {}
    for cls in harness.SENTENCE_CLASSES:
        results = report.results_of([cls])
        if results:
            by_class[cls] = {
                "n": len(results),
                "passed": sum(r.passed for r in results),
                "got": dict(Counter(r.got for r in results)),
            }
    flags, faithful = report.false_flags()
    framing_flags, framing = report.framing_flags()
    refused, refusals = report.refusal_rate()
    six = report.verify_ms_six
    return {
        "by_class": by_class,
        "false_flags": {"flagged": flags, "faithful": faithful},
        "framing_flags": {"flagged": framing_flags, "framing": framing},
        "refusals": {"recognised": refused, "probes": refusals},
        "missing_verdicts": len(report.missing()),
        "answerable_refused": report.answered_refused,
        "not_runnable": report.not_runnable,
        "citation_problems": report.citation_problems,
        "recheck_calls": report.recheck_calls,
        "verify_ms": {
            "n": len(report.verify_ms),
            "median": statistics.median(report.verify_ms) if report.verify_ms else None,
            "p95": harness.percentile(report.verify_ms, 0.95) if report.verify_ms else None,
            "six_sentences_n": len(six),
            "six_sentences_median": statistics.median(six) if six else None,
            "six_sentences_p95": harness.percentile(six, 0.95) if six else None,
        },
    }


def print_report(report: harness.Report, failures: int, label: str = "") -> None:
    for table in (
        harness.confusion_table(report),
        harness.summary_table(report),
        harness.cost_table(report),
        harness.failures_listing(report, failures),
    ):
        print(label + table if label else table)
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", action="append", choices=harness.SPLITS)
    parser.add_argument("--failures", type=int, default=25, help="failing sentences to list")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the figures")
    parser.add_argument(
        "--recheck",
        action="store_true",
        help="with VERIFY_WITH_MODEL on: the scripted model re-checks flagged sentences (from "
        "the probes' labels, as a model that judges well would)",
    )
    args = parser.parse_args(argv)
    splits = args.split or list(harness.SPLITS)

    probes = [p for split in splits for p in harness.load_probes(split)]
    for probe in probes:
        problems = harness.validate_probe(probe)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
    output: dict[str, Any] = {
        "meta": {
            "python": platform.python_version(),
            "load": os.getloadavg(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
    }
    with tempfile.TemporaryDirectory(prefix="verification-bench-") as tmp:
        started = time.perf_counter()
        overrides = {"verify_with_model": True} if args.recheck else {}
        with harness.open_harness(Path(tmp), probes, **overrides) as bench:
            print(f"ingested in {time.perf_counter() - started:.0f} s\n")
            for split in splits:
                started = time.perf_counter()
                report = bench.run(split)
                print(
                    f"split {split}: {len(report.runs)} runs in "
                    f"{time.perf_counter() - started:.0f} s\n"
                )
                print_report(report, args.failures)
                output[split] = figures(report)
                answered = [r for r in report.runs if not r.probe.is_refusal]
                if answered and not any(r.answer.verdicts for r in answered):
                    legacy = harness.score(split, report.runs, report.recheck_calls, legacy=True)
                    print(
                        f"No answer in split {split} carries Answer.verdicts. The same runs, "
                        "with verdicts read off the answer text (uncited_sentences: "
                        "unsupported; kept [n]: verified; 'corrected' cannot be seen):\n"
                    )
                    print_report(legacy, args.failures, label="[from answer text] ")
                    output[f"{split}_from_answer_text"] = figures(legacy)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(output, indent=2), encoding="utf-8")
    print(f"figures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
