"""`assistant ingest` end to end: the real console script in a subprocess, a real store on disk."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from ingest.chunking import split_article
from ingest.cleaning import clean_article
from tests.conftest import BUNDLED_ARTICLES
from vectorstore import ArticleStore, LabelledEmbeddings, StoreLocation

ASSISTANT = Path(sys.executable).parent / "assistant"
JSON_KEYS = ["added", "updated", "deleted", "unchanged", "skipped", "chunks"]
SMALLEST = min(BUNDLED_ARTICLES.iterdir(), key=lambda p: p.stat().st_size).name


def expected_chunks(folder: Path) -> int:
    return sum(
        len(split_article(clean_article(p.read_text(encoding="utf-8")).text, p.name))
        for p in folder.iterdir()
    )


@dataclass(frozen=True)
class Workspace:
    """A folder with its own articles copy and store; commands run there with a clean env."""

    root: Path

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def chroma(self) -> Path:
        return self.root / "chroma"

    def env(self, **extra: str) -> dict[str, str]:
        # Built from scratch: no developer setting leaks in, and cwd has no `.env` to read.
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.root),
            "ANONYMIZED_TELEMETRY": "False",
            "CHROMA_PATH": str(self.chroma),
            "ARTICLES_PATH": str(self.articles),
            **extra,
        }

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(ASSISTANT), *args],
            check=False,
            cwd=self.root,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=600,  # a hang guard, not a speed check
        )


def make_workspace(root: Path) -> Workspace:
    shutil.copytree(BUNDLED_ARTICLES, root / "articles")
    return Workspace(root)


def parse(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    report = json.loads(lines[0])
    assert list(report) == JSON_KEYS
    return report


@dataclass(frozen=True)
class FirstRuns:
    workspace: Workspace
    dry: subprocess.CompletedProcess[str]
    real: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def first_runs(tmp_path_factory: pytest.TempPathFactory) -> FirstRuns:
    """A fresh store: `ingest --dry-run --json`, then `ingest --json`. Later tests only read it."""
    workspace = make_workspace(tmp_path_factory.mktemp("cli"))
    dry = workspace.run("ingest", "--dry-run", "--json")
    real = workspace.run("ingest", "--json")
    return FirstRuns(workspace, dry, real)


def test_console_script_is_installed() -> None:
    assert ASSISTANT.is_file() and os.access(ASSISTANT, os.X_OK)


def test_first_ingest_adds_every_article(first_runs: FirstRuns) -> None:
    chunks = expected_chunks(first_runs.workspace.articles)
    assert chunks > 0
    assert parse(first_runs.real) == {
        "added": 5,
        "updated": 0,
        "deleted": 0,
        "unchanged": 0,
        "skipped": [],
        "chunks": chunks,
    }


def test_dry_run_on_a_fresh_store_reports_the_plan_and_writes_nothing(
    first_runs: FirstRuns,
) -> None:
    # The real run after it still added all five, so the dry run stored nothing.
    assert parse(first_runs.dry) == parse(first_runs.real)


def test_second_ingest_finds_everything_unchanged(first_runs: FirstRuns) -> None:
    report = parse(first_runs.workspace.run("ingest", "--json"))
    assert report == {
        "added": 0,
        "updated": 0,
        "deleted": 0,
        "unchanged": 5,
        "skipped": [],
        "chunks": expected_chunks(first_runs.workspace.articles),
    }


def test_plain_output_summarises_the_sync(first_runs: FirstRuns) -> None:
    folder = first_runs.workspace.articles
    result = first_runs.workspace.run("ingest", str(folder))
    assert result.returncode == 0, result.stderr
    chunks = expected_chunks(folder)
    assert re.fullmatch(
        re.escape(
            f"Synced {folder}: 0 added, 0 updated, 0 deleted, 5 unchanged, 0 skipped; "
            f"{chunks} chunks in store (0 embedded, "
        )
        + r"\d+\.\ds\)\n",
        result.stdout,
    ), result.stdout


def test_nonexistent_path_exits_2(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path)
    missing = tmp_path / "nowhere"
    result = workspace.run("ingest", "--json", str(workspace.articles), str(missing))
    assert result.returncode == 2
    assert result.stderr == f"error: no such file or folder: {missing}\n"
    assert result.stdout == ""
    assert not workspace.chroma.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_bad_arguments_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = Workspace(tmp_path).run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: assistant")
    assert message in result.stderr


def test_inconsistent_setting_exits_1_with_advice(tmp_path: Path) -> None:
    result = make_workspace(tmp_path).run("ingest", CHUNK_SIZE="300", CHUNK_OVERLAP="300")
    assert result.returncode == 1
    assert result.stderr == "error: CHUNK_OVERLAP (300) must be smaller than CHUNK_SIZE (300)\n"


def test_store_of_another_model_exits_1_until_reset(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path)
    # A store built with another embedding model, as EMBEDDINGS=openai would have made it.
    other = LabelledEmbeddings(
        DeterministicFakeEmbedding(size=1536), "text-embedding-3-small", 1536
    )
    old = ArticleStore.open(StoreLocation(path=workspace.chroma), other)
    old.upsert(["old-1"], ["An article embedded by another model."], [{"source": "old.txt"}])
    del old

    refused = workspace.run("ingest", "--json")
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.startswith(
        "error: Collection 'articles' holds vectors of embedding model "
    )
    assert "'text-embedding-3-small' (dimension 1536)" in refused.stderr
    assert "re-ingest with `assistant ingest --reset`" in refused.stderr

    one = workspace.articles / SMALLEST
    reset = parse(workspace.run("ingest", "--reset", "--json", str(one)))
    chunks = len(split_article(clean_article(one.read_text(encoding="utf-8")).text, SMALLEST))
    assert reset == {
        "added": 1,
        "updated": 0,
        "deleted": 0,
        "unchanged": 0,
        "skipped": [],
        "chunks": chunks,  # the other model's chunk is gone
    }
    again = parse(workspace.run("ingest", "--json", str(one)))
    assert (again["unchanged"], again["chunks"]) == (1, chunks)
