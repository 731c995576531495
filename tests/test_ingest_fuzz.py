"""A seeded fuzzer through the real `assistant ingest`: mutated real PDFs and HTML pages and symlink
loops beside the five good articles. Every good file lands, each bad one is skipped with a
readable reason, the exit code is 0, and a second run changes nothing.

A few hundred cases here; `uv run python -m benchmarks.fuzz_ingest --cases 3000` runs more."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.chunking import split_article
from ingest.cleaning import clean_article
from tests.conftest import BUNDLED_ARTICLES
from tests.fuzz_files import NAMED_SKIPS, write_cases
from vectorstore import ArticleStore, MiniLMEmbeddings, StoreLocation

ASSISTANT = Path(sys.executable).parent / "assistant"
GOOD = sorted(p.name for p in BUNDLED_ARTICLES.iterdir())
CASES = 160
SEED = 20240612


def ingest(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ASSISTANT), "ingest", "--json"],
        check=False,
        cwd=root,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(root),
            "ANONYMIZED_TELEMETRY": "False",
            "CHROMA_PATH": str(root / "chroma"),
            "ARTICLES_PATH": str(root / "articles"),
        },
        capture_output=True,
        text=True,
        timeout=1800,  # a hang guard, not a speed check
    )


def is_readable(reason: str) -> bool:
    """A reason a user can read: one short line, no traceback, no raw exception dump."""
    return (
        0 < len(reason) <= 200
        and "\n" not in reason
        and "Traceback" not in reason
        and not reason.startswith(("<", "'", "("))
    )


@pytest.mark.slow
def test_fuzzed_files_never_stop_ingest(tmp_path: Path, embeddings: MiniLMEmbeddings) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(BUNDLED_ARTICLES, folder)
    written = write_cases(folder, CASES, SEED)

    first = ingest(tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Traceback" not in first.stderr
    report = json.loads(first.stdout)
    skipped = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}

    store = ArticleStore.open(StoreLocation(path=tmp_path / "chroma"), embeddings)
    stored = {str(c.metadata["source"]) for c in store.iter_chunks(include_text=False)}
    for name in GOOD:  # every good article landed, whole
        text = clean_article((folder / name).read_text(encoding="utf-8")).text
        assert store.article_text(name) == text, name
        assert len(store.get_where({"source": name})) == len(split_article(text, name))
    for name in written.files + written.links:  # each other file: stored, or skipped with a reason
        assert (name in stored) != (name in skipped), name
        if name in skipped:
            assert is_readable(skipped[name]), (name, skipped[name])
    assert stored | skipped.keys() == set(GOOD) | set(written.files) | set(written.links)
    for name, reason in NAMED_SKIPS.items():
        assert skipped[name] == reason, name
    # Hostile input was really exercised: most mutants are refused, some still read as articles.
    assert len(skipped) > CASES // 3 and len(stored) > len(GOOD)

    second = ingest(tmp_path)  # same text every time: nothing to rewrite
    assert second.returncode == 0, second.stderr[-3000:]
    again = json.loads(second.stdout)
    assert (again["added"], again["updated"], again["deleted"]) == (0, 0, 0)
    assert again["unchanged"] == len(stored)
    assert {Path(s["path"]).name: s["reason"] for s in again["skipped"]} == skipped
