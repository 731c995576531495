"""Extraction quality: ingest's HTML reading and cleaning scored on real pages (a report, not a test).

Runs what ingest stores for an HTML file (`ingest.read_article_file` + `ingest.clean_article`) on
the 90 pages of `eval/extraction/` and prints the public benchmark's shingle precision, recall
and F1 per split (dev: the pages options were chosen on; held-out: never tuned on), how many
pages raise, and how many give a different text when read again in the same process.

    uv run python -m benchmarks.extraction                 # the table
    uv run python -m benchmarks.extraction --per-page      # plus each dev page's scores
    uv run python -m benchmarks.extraction --json out.json # raw figures
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from benchmarks.tables import render
from ingest import UnreadableFile, clean_article, read_article_file

DATA = Path(__file__).resolve().parent.parent / "eval" / "extraction"
N_BOOTSTRAP = 1000


def load_scorer() -> ModuleType:
    """The benchmark's own `evaluate.py`, unchanged (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("extraction_evaluate", DATA / "evaluate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def extract(path: Path) -> str:
    """What ingest would store as the article's text for one file."""
    loaded = read_article_file(path)
    return clean_article(loaded.text, loaded.meta).text


def run_pages(ids: list[str], folder: Path) -> tuple[dict[str, str], dict[str, str], float]:
    """(text per page, error per page that raised, seconds) for one pass over the pages."""
    texts: dict[str, str] = {}
    errors: dict[str, str] = {}
    started = time.perf_counter()
    for id_ in ids:
        try:
            texts[id_] = extract(folder / f"{id_}.html")
        except UnreadableFile as exc:
            errors[id_] = f"UnreadableFile: {exc}"
        except Exception as exc:  # noqa: BLE001 - the point is to count them, whatever they are
            errors[id_] = f"{type(exc).__name__}: {exc}"
    return texts, errors, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-page", action="store_true", help="print each dev page's scores")
    parser.add_argument("--json", type=Path, help="write the raw figures to this file")
    args = parser.parse_args(argv)

    scorer = load_scorer()
    truth: dict[str, dict[str, str]] = json.loads((DATA / "ground-truth.json").read_text("utf-8"))
    split = json.loads((DATA / "split.json").read_text("utf-8"))
    ids = sorted(truth)

    with tempfile.TemporaryDirectory(prefix="extraction-") as tmp:
        folder = Path(tmp)
        for id_ in ids:
            (folder / f"{id_}.html").write_bytes(
                gzip.decompress((DATA / "html" / f"{id_}.html.gz").read_bytes())
            )
        first, errors, seconds = run_pages(ids, folder)
        second, errors_again, _ = run_pages(ids, folder)

    changed = sorted(
        id_
        for id_ in ids
        if first.get(id_) != second.get(id_) or (id_ in errors) != (id_ in errors_again)
    )
    rows: list[list[Any]] = []
    figures: dict[str, Any] = {}
    per_page: dict[str, tuple[float, float, float]] = {}
    for name in ("dev", "heldout", "all"):
        part = ids if name == "all" else sorted(split[name])
        gold = {i: truth[i] for i in part}
        predicted = {i: {"articleBody": first.get(i, "")} for i in part}
        metrics = scorer.evaluate(gold, predicted, N_BOOTSTRAP)
        raised = sum(i in errors for i in part)
        moved = sum(i in changed for i in part)
        rows.append(
            [
                name,
                len(part),
                f"{metrics['f1']:.3f} ± {metrics['f1_std']:.3f}",
                f"{metrics['precision']:.3f} ± {metrics['precision_std']:.3f}",
                f"{metrics['recall']:.3f} ± {metrics['recall_std']:.3f}",
                raised,
                moved,
            ]
        )
        figures[name] = {
            "pages": len(part),
            **{k: metrics[k] for k in ("f1", "precision", "recall", "f1_std")},
            "raised": raised,
            "changed_on_second_pass": moved,
        }
        if name == "dev":
            for i, tp_fp_fn in zip(part, metrics["tp_fp_fns"], strict=True):
                per_page[i] = tp_fp_fn

    print(
        render(
            f"Extraction on eval/extraction ({len(ids)} pages, {seconds:.1f} s per pass)",
            ["split", "pages", "F1", "precision", "recall", "raised", "changed 2nd pass"],
            rows,
        )
    )
    for id_, error in sorted(errors.items()):
        part = "dev" if id_ in split["dev"] else "held-out"
        print(f"raised ({part}): {id_[:12]}: {error[:160]}")
    for id_ in changed:
        print(f"changed on the second pass: {id_[:12]}")
    if args.per_page:
        print("\nDev pages, worst F1 first (tp, fp, fn are shares of the page's shingles):")
        scored = []
        for id_, (tp, fp, fn) in per_page.items():
            p = scorer.precision_score(tp, fp, fn)
            r = scorer.recall_score(tp, fp, fn)
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            scored.append((f1, p, r, id_))
        for f1, p, r, id_ in sorted(scored):
            print(f"  {id_[:12]}  F1 {f1:.3f}  P {p:.3f}  R {r:.3f}  {truth[id_].get('url', '')}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
