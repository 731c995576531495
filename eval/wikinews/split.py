"""The rule that splits the Wikinews gold set into dev.jsonl and heldout.jsonl.

A third of each kind goes to the held-out file: within a kind the questions are shuffled with a
fixed seed, ordered by what they ask for (the shuffle breaks ties), and every third one from the
second on is held out, so the held-out third spreads over the `asks` types too.

    python eval/wikinews/split.py           # rewrite both files from their union
    python eval/wikinews/split.py --check   # exit 1 if the files are not what the rule gives

The later sets (`../wikinews-2/` to `../wikinews-7/`) are split by this rule too:

    python eval/wikinews/split.py --set eval/wikinews-4 --from all.jsonl   # write both files
    python eval/wikinews/split.py --set eval/wikinews-4 --check
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

SEED = 20240610
KINDS = ("single", "followup", "multi", "unanswerable")
HERE = Path(__file__).resolve().parent
DEV = HERE / "dev.jsonl"
HELDOUT = HERE / "heldout.jsonl"

Row = dict[str, Any]


def split(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """(dev, held_out) for the questions in `rows`, both in id order."""
    ordered = sorted(rows, key=lambda r: str(r["id"]))
    rng = random.Random(SEED)
    held: set[str] = set()
    for kind in KINDS:
        group = [r for r in ordered if r["kind"] == kind]
        rng.shuffle(group)
        group.sort(key=lambda r: str(r["asks"]))
        held.update(str(r["id"]) for i, r in enumerate(group) if i % 3 == 1)
    dev = [r for r in ordered if r["id"] not in held]
    held_out = [r for r in ordered if r["id"] in held]
    return dev, held_out


def read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def to_jsonl(rows: list[Row]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="folder", type=Path, default=HERE, help="a set's folder")
    parser.add_argument("--from", dest="source", type=Path, help="a JSONL file of all questions")
    parser.add_argument("--check", action="store_true", help="only check the current files")
    args = parser.parse_args(argv)
    dev, held = args.folder / "dev.jsonl", args.folder / "heldout.jsonl"
    rows = read_rows(args.source) if args.source else read_rows(dev) + read_rows(held)
    return write_split(rows, dev, held, check=args.check)


def write_split(rows: list[Row], dev_path: Path, held_path: Path, check: bool = False) -> int:
    """Write `rows` split by the rule to the two files, or with `check` only say whether they
    already are (1 if not)."""
    dev, held_out = split(rows)
    wanted = {dev_path: to_jsonl(dev), held_path: to_jsonl(held_out)}
    if check:
        stale = [p.name for p, text in wanted.items() if p.read_text(encoding="utf-8") != text]
        if stale:
            print(f"not split by the rule: {', '.join(stale)}; run the split without --check")
            return 1
        print(f"ok: {len(dev)} dev, {len(held_out)} held out")
        return 0
    for path, text in wanted.items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(dev)} dev and {len(held_out)} held-out questions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
