"""A large fuzz run of ingest's reading and cleaning (a report, not a test).

Writes thousands of seeded hostile files (tests/fuzz_files.py: mutated real PDFs and HTML pages,
symlink loops) and prepares each as `assistant ingest` does (read, clean, chunk), without
embedding. Prints what became of them by mutation kind, the slowest files, and anything that
escaped as an exception instead of a skip with a reason (it should be nothing).

    uv run python -m benchmarks.fuzz_ingest --cases 3000 --seed 1
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from benchmarks.tables import render
from ingest.loading import UnreadableFile
from ingest.sync import IngestOptions, collect_files, prepare_file
from tests.fuzz_files import write_cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    reasons: Counter[str] = Counter()
    escaped: list[str] = []
    timings: list[tuple[float, str]] = []
    with tempfile.TemporaryDirectory(prefix="fuzz-ingest-") as tmp:
        folder = Path(tmp)
        write_cases(folder, args.cases, args.seed)
        candidates, walk_skips, _ = collect_files([folder])
        for skip in walk_skips:
            outcomes["walk"]["skipped"] += 1
            reasons[skip.reason] += 1
        started = time.perf_counter()
        for candidate in candidates:
            kind = _kind(candidate.path.name)
            began = time.perf_counter()
            try:
                prepare_file(candidate, IngestOptions())
                outcomes[kind]["read"] += 1
            except UnreadableFile as exc:
                outcomes[kind]["skipped"] += 1
                reasons[str(exc)[:60]] += 1
            except Exception as exc:  # noqa: BLE001 - the point is to find them
                outcomes[kind]["ESCAPED"] += 1
                escaped.append(f"{candidate.path.name}: {type(exc).__name__}: {exc}"[:200])
            timings.append((time.perf_counter() - began, candidate.path.name))
        total = time.perf_counter() - started

    rows: list[list[str | int]] = [
        [kind, sum(c.values()), c["read"], c["skipped"], c["ESCAPED"]]
        for kind, c in sorted(outcomes.items())
    ]
    print(
        render(
            f"Fuzzed ingest: {args.cases} cases, seed {args.seed}, {total:.1f} s",
            ["format", "files", "read as article", "skipped", "escaped"],
            rows,
        )
    )
    print()
    top: list[list[str | int]] = [[reason, n] for reason, n in reasons.most_common(20)]
    print(render("Skip reasons", ["reason", "files"], top))
    timings.sort(reverse=True)
    print()
    print(
        render(
            "Slowest files",
            ["seconds", "file"],
            [[round(t, 2), name[:90]] for t, name in timings[:10]],
            left=(1,),
        )
    )
    for line in escaped:
        print("ESCAPED", line)
    return 1 if escaped else 0


def _kind(name: str) -> str:
    return "pdf" if name.endswith(".pdf") else "html" if ".htm" in name else "other"


if __name__ == "__main__":
    sys.exit(main())
