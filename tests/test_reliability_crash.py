"""Crash safety of `assistant ingest`: SIGKILL it at random points, re-run it, and the store is
exactly what a clean ingest of the folder into a fresh store holds.

CRASH_LOOPS (default 6, to keep the suite within minutes on two cores) sets how many runs the
random loop kills, CRASH_SEED its seed. The loop prints where its kills landed and writes them to
test-artifacts/crash_loop.json.
"""

from __future__ import annotations

import fcntl
import gc
import json
import os
import pty
import random
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ingest import sync_paths
from tests.conftest import BUNDLED_ARTICLES, MemoEmbeddings
from vectorstore import ArticleStore, MiniLMEmbeddings, StoreLocation

ASSISTANT = Path(sys.executable).parent / "assistant"
CRASH_LOOPS = int(os.environ.get("CRASH_LOOPS", "6"))
CRASH_SEED = int(os.environ.get("CRASH_SEED", "20240611"))
VARIANTS = 15
HANG_GUARD = 600  # seconds; a guard against a hung ingest, not a speed check
MIN_VECTOR_COSINE = 0.99  # same text, same model; batches differ, so the int8 maths may too

# What must match a clean ingest: (source, start, end, chunk_index, text) per chunk id, and the
# vector. Not content_hash or n_chunks: sync leaves those stale on chunks an edit did not touch
# (they are informational; see test_an_edit_leaves_the_store_as_a_clean_ingest_would).
ChunkRow = tuple[str, int, int, int, str]


# -- the corpus ---------------------------------------------------------------------------------


def variant_text(base: str, number: int) -> str:
    """A distinct article made from a bundled one: paragraphs rotated, a line of its own first."""
    paragraphs = [p for p in base.split("\n") if p.strip()]
    shift = number % len(paragraphs) or 1
    body = paragraphs[shift:] + paragraphs[:shift]
    return f"Dispatch number {number} from the regional desk, filed for the evening edition.\n" + (
        "\n".join(body)
    )


def make_corpus(folder: Path, variants: int = VARIANTS) -> None:
    shutil.copytree(BUNDLED_ARTICLES, folder)
    bases = sorted(BUNDLED_ARTICLES.iterdir())
    for number in range(1, variants + 1):
        base = bases[number % len(bases)].read_text(encoding="utf-8")
        (folder / f"variant_{number:03d}.txt").write_text(
            variant_text(base, number), encoding="utf-8"
        )


# -- reading a store ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    rows: dict[str, ChunkRow]  # chunk id -> its metadata and text
    collection: str = ""  # the collection's id: a reset makes a new one
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    indexed: frozenset[str] = frozenset()  # ids a nearest-neighbour query over everything returns

    def by_source(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for id_, row in self.rows.items():
            out.setdefault(row[0], set()).add(id_)
        return {k: frozenset(v) for k, v in out.items()}


def snapshot(collection: Any, deep: bool = True) -> Snapshot:
    """Every chunk of a Chroma collection; `deep` adds the vectors and a query over all of them
    (is every chunk in the vector index?)."""
    include: list[Any] = ["metadatas", "documents"] + (["embeddings"] if deep else [])
    got = collection.get(include=include)
    rows = {
        id_: (meta["source"], meta["start"], meta["end"], meta["chunk_index"], doc)
        for id_, meta, doc in zip(got["ids"], got["metadatas"], got["documents"])
    }
    if not deep or not rows:
        return Snapshot(rows, str(collection.id))
    vectors = {
        id_: np.asarray(v, dtype=np.float32) for id_, v in zip(got["ids"], got["embeddings"])
    }
    found = collection.query(
        query_embeddings=[next(iter(vectors.values())).tolist()], n_results=len(rows)
    )
    return Snapshot(rows, str(collection.id), vectors, frozenset(found["ids"][0]))


def read_store(path: Path, deep: bool = True) -> Snapshot:
    """What a fresh reader finds in the embedded store at `path` (nothing if it has no collection)."""
    import chromadb
    from chromadb.api.client import SharedSystemClient
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(
        path=str(path), settings=ChromaSettings(anonymized_telemetry=False)
    )
    try:
        if "articles" not in [c.name for c in client.list_collections()]:
            return Snapshot({})
        return snapshot(client.get_collection("articles"), deep)
    finally:
        del client
        # A fresh reader each time: no cached segment may hide what another process wrote.
        SharedSystemClient.clear_system_cache()
        gc.collect()


def read_crashed(store: Path, scratch: Path) -> Snapshot | str:
    """The store as a kill left it, read from a copy so the re-run sees it untouched; or why it
    could not be read."""
    shutil.rmtree(scratch, ignore_errors=True)
    if not store.exists():
        return Snapshot({})
    shutil.copytree(store, scratch)
    try:
        return read_store(scratch, deep=False)
    except Exception as exc:  # noqa: BLE001 - any failure to open is a finding, reported as such
        return f"{type(exc).__name__}: {exc}"


# -- running the CLI ----------------------------------------------------------------------------


@dataclass
class Workspace:
    root: Path
    reference: ArticleStore  # the clean ingest of the current folder state

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def chroma(self) -> Path:
        return self.root / "chroma"

    def env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.root),
            "ANONYMIZED_TELEMETRY": "False",
            "CHROMA_PATH": str(self.chroma),
            "ARTICLES_PATH": str(self.articles),
        }

    def start(self, *args: str, stderr: Any = subprocess.PIPE) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [str(ASSISTANT), "ingest", *args],
            cwd=self.root,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=stderr,
        )

    def ingest_json(self) -> dict[str, Any]:
        """`assistant ingest --json` to completion."""
        result = subprocess.run(
            [str(ASSISTANT), "ingest", "--json"],
            check=False,
            cwd=self.root,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=HANG_GUARD,
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        report: dict[str, Any] = json.loads(result.stdout)
        return report

    def expected(self) -> Snapshot:
        """A clean ingest of the folder as it is now, into a fresh collection (same code path)."""
        sync_paths(self.reference, [self.articles], reset=True)
        return snapshot(self.reference.collection)


def assert_converged(store: Snapshot, expected: Snapshot, context: str) -> float:
    """The store holds exactly the expected chunks, all in its vector index, with the vectors a
    clean ingest computes; returns the lowest cosine between a stored and a clean vector."""
    assert store.rows.keys() - expected.rows.keys() == set(), f"orphaned or stale chunks {context}"
    assert expected.rows.keys() - store.rows.keys() == set(), f"missing chunks {context}"
    assert store.rows == expected.rows, f"chunk metadata or text differs {context}"
    assert store.indexed == frozenset(store.rows), f"vector index incomplete {context}"
    lowest = 1.0
    for id_, vector in store.vectors.items():
        cosine = float(np.dot(vector, expected.vectors[id_]))
        assert cosine >= MIN_VECTOR_COSINE, f"vector of {id_} differs ({cosine:.4f}) {context}"
        lowest = min(lowest, cosine)
    return lowest


def landed(before: Snapshot, after: Snapshot | str, expected: Snapshot, reset: bool = False) -> str:
    """Where a kill landed, judged by the store it left (a reset rewrites even an unchanged
    folder: it drops the collection, so the collection id tells whether it began)."""
    if isinstance(after, str):
        return "store unreadable"
    if reset and after.collection == before.collection and after.rows == before.rows:
        return "before any write"
    if before.rows == expected.rows and not reset:
        return "nothing to write"
    if after.rows == before.rows and not reset:
        return "before any write"
    if after.rows == expected.rows:
        return "after the last write"
    return "mid-write"


def replaced_not_lost(before: Snapshot, after: Snapshot, expected: Snapshot) -> list[str]:
    """Articles that a kill left without a complete set of either their old or their new chunks
    (add-then-delete promises there are none)."""
    old, new, now = before.by_source(), expected.by_source(), after.by_source()
    return sorted(
        source
        for source in old.keys() & new.keys()
        if not (
            old[source] <= now.get(source, frozenset())
            or new[source] <= now.get(source, frozenset())
        )
    )


# -- changing the folder between kills ------------------------------------------------------------


def edit(path: Path, rng: random.Random, step: int) -> None:
    """An edit that keeps every unchanged chunk at its offsets: fix a typo (same length) or add a
    paragraph at the end. (Edits that move text are left out until sync rewrites moved chunks;
    see test_an_edit_leaves_the_store_as_a_clean_ingest_would.)"""
    text = path.read_text(encoding="utf-8")
    if rng.random() < 0.5:
        words = [m for m in re.finditer(r"\b[a-z]{5,}\b", text)]
        word = rng.choice(words)
        text = text[: word.start()] + word.group(0).upper() + text[word.end() :]
    else:
        text = text.rstrip("\n") + f"\nUpdate {step}: officials confirmed the revised figures.\n"
    path.write_text(text, encoding="utf-8")


def mutate(workspace: Workspace, rng: random.Random, step: int) -> str:
    """Change the folder (or the store) before the next kill; returns what was done."""
    folder = workspace.articles
    files = sorted(folder.iterdir())
    action = rng.choices(
        ["modify", "add", "delete", "wipe", "reset", "none"], weights=[30, 15, 15, 20, 10, 10]
    )[0]
    if action == "modify":
        for path in rng.sample(files, k=3):
            edit(path, rng, step)
    elif action == "add":
        base = rng.choice(sorted(BUNDLED_ARTICLES.iterdir())).read_text(encoding="utf-8")
        (folder / f"extra_{step:03d}.txt").write_text(
            variant_text(base, 100 + step), encoding="utf-8"
        )
    elif action == "delete":
        extras = [p for p in files if not (BUNDLED_ARTICLES / p.name).exists()]
        if len(extras) > 10:
            rng.choice(extras).unlink()
        else:
            action = "none"
    elif action == "wipe":
        shutil.rmtree(workspace.chroma)
    return action


# -- fixtures and tests -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def memo(embeddings: MiniLMEmbeddings) -> MemoEmbeddings:
    return MemoEmbeddings(embeddings)


@pytest.fixture
def workspace(tmp_path: Path, memo: MemoEmbeddings) -> Iterator[Workspace]:
    make_corpus(tmp_path / "articles")
    reference = ArticleStore.open(StoreLocation(path=tmp_path / "reference"), memo)
    yield Workspace(tmp_path, reference)


def test_random_kills_always_converge_to_a_clean_ingest(
    workspace: Workspace, artifacts_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(CRASH_SEED)
    started = time.monotonic()
    first = workspace.ingest_json()
    full_seconds = time.monotonic() - started  # sets the range of kill delays; not asserted
    expected = workspace.expected()
    assert first["added"] == 5 + VARIANTS and first["chunks"] == len(expected.rows)
    assert_converged(read_store(workspace.chroma), expected, "after the first ingest")

    outcomes: list[dict[str, Any]] = []
    lowest = 1.0
    for step in range(1, CRASH_LOOPS + 1):
        action = mutate(workspace, rng, step)
        before = read_crashed(workspace.chroma, workspace.root / "scratch")
        assert isinstance(before, Snapshot), before
        expected = workspace.expected()
        delay = rng.uniform(0.2, max(0.2, full_seconds))
        process = workspace.start("--json", *(["--reset"] if action == "reset" else []))
        try:
            _, stderr = process.communicate(timeout=delay)
            exited = True
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate(timeout=HANG_GUARD)
            exited = False
        assert "Traceback" not in stderr.decode(), stderr.decode()
        after = read_crashed(workspace.chroma, workspace.root / "scratch")
        where = (
            "exited before the kill"
            if exited
            else landed(before, after, expected, reset=action == "reset")
        )
        if isinstance(after, Snapshot) and action not in ("reset", "wipe"):
            assert replaced_not_lost(before, after, expected) == [], f"step {step} ({action})"

        report = workspace.ingest_json()
        store = read_store(workspace.chroma)
        assert report["chunks"] == len(expected.rows)
        lowest = min(
            lowest,
            assert_converged(
                store, expected, f"at step {step} ({action}, kill after {delay:.2f}s: {where})"
            ),
        )
        outcomes.append({"step": step, "action": action, "delay": round(delay, 2), "landed": where})

    counts = Counter(o["landed"] for o in outcomes)
    summary = {
        "seed": CRASH_SEED,
        "loops": CRASH_LOOPS,
        "full_ingest_seconds": round(full_seconds, 1),
        "kills": CRASH_LOOPS - counts["exited before the kill"],
        "mid_write_kills": counts["mid-write"],
        "landed": dict(counts),
        "all_converged": True,
        "lowest_vector_cosine": round(lowest, 6),
        "steps": outcomes,
    }
    (artifacts_dir / "crash_loop.json").write_text(json.dumps(summary, indent=2))
    with capsys.disabled():  # shown in every run, not only with -s
        print(
            f"\ncrash loop: {summary['kills']} kills of {CRASH_LOOPS} runs, "
            f"{summary['mid_write_kills']} mid-write; landed {dict(counts)}; all converged "
            f"(lowest vector cosine to a clean ingest {lowest:.6f})"
        )


def kill_after_first_batch(workspace: Workspace, *args: str) -> tuple[int, int]:
    """Run ingest with its progress bar on a terminal and SIGKILL it as soon as the bar shows a
    first batch written but not the last: a kill that lands mid-write by construction."""
    leader, follower = pty.openpty()
    # A terminal of zero columns (a new pty's size) would get an empty progress bar.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    process = workspace.start(*args, stderr=follower)
    os.close(follower)
    seen = b""
    try:
        deadline = time.monotonic() + HANG_GUARD
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1.0)
            if not ready:
                assert process.poll() is None, "ingest ended before writing a batch"
                continue
            try:
                seen += os.read(leader, 4096)
            except OSError:  # the terminal closed: the process is gone
                break
            progress = re.findall(rb"(\d+)/(\d+) \[", seen)
            done = [(int(a), int(b)) for a, b in progress if 0 < int(a) < int(b)]
            if done:
                process.kill()
                return done[0]
        raise AssertionError(f"no partial progress seen: {seen[-500:]!r}")
    finally:
        process.kill()
        process.wait(timeout=HANG_GUARD)
        os.close(leader)
        if process.stdout is not None:
            process.stdout.close()


def test_kills_mid_write_keep_articles_whole_and_converge(
    tmp_path: Path, memo: MemoEmbeddings
) -> None:
    """Kills that land mid-write by construction: during a first ingest, then during an update
    that rewrites every chunk."""
    make_corpus(tmp_path / "articles", variants=3)  # ~80 chunks: two write batches
    reference = ArticleStore.open(StoreLocation(path=tmp_path / "reference"), memo)
    workspace = Workspace(tmp_path, reference)
    scratch = tmp_path / "scratch"

    written, total = kill_after_first_batch(workspace)
    expected = workspace.expected()
    after = read_crashed(workspace.chroma, scratch)
    assert isinstance(after, Snapshot), after
    assert total == len(expected.rows)
    assert written <= len(after.rows) < total  # a partial store
    assert after.rows.items() <= expected.rows.items()
    assert workspace.ingest_json()["chunks"] == total
    assert_converged(read_store(workspace.chroma), expected, "after a kill mid first ingest")

    before = read_store(workspace.chroma, deep=False)
    # Rewrite every article in place (same length, so no chunk moves): every chunk changes.
    for path in sorted(workspace.articles.iterdir()):
        path.write_text(path.read_text(encoding="utf-8").swapcase(), encoding="utf-8")
    expected = workspace.expected()
    assert not before.rows.keys() & expected.rows.keys()
    kill_after_first_batch(workspace)
    after = read_crashed(workspace.chroma, scratch)
    assert isinstance(after, Snapshot), after
    assert landed(before, after, expected) == "mid-write"
    # Add-then-delete: every article still has all of its old chunks, and some new ones are in.
    assert replaced_not_lost(before, after, expected) == []
    assert before.rows.items() <= after.rows.items()
    assert workspace.ingest_json()["chunks"] == len(expected.rows)
    assert_converged(read_store(workspace.chroma), expected, "after a kill mid update")


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_an_edit_leaves_the_store_as_a_clean_ingest_would(
    tmp_path: Path, memo: MemoEmbeddings, where: str
) -> None:
    """No kill: the baseline the crash loop relies on. An incremental sync after an edit must
    leave what a clean ingest leaves, or citations point at the wrong characters."""
    folder = tmp_path / "articles"
    shutil.copytree(BUNDLED_ARTICLES, folder)
    store = ArticleStore.open(StoreLocation(path=tmp_path / "chroma"), memo)
    sync_paths(store, [folder])
    path = folder / "003_145885402372f4fe.txt"
    paragraphs = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    at = {"start": 0, "middle": len(paragraphs) // 2, "end": len(paragraphs)}[where]
    paragraphs.insert(at, "Correction: the desk confirmed the figures on Friday.")
    path.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")

    report = sync_paths(store, [folder])
    reference = ArticleStore.open(StoreLocation(path=tmp_path / "reference"), memo)
    sync_paths(reference, [folder])

    assert report.updated == [path.name]
    assert snapshot(store.collection).rows == snapshot(reference.collection).rows
    assert store.article_text(path.name) == reference.article_text(path.name)
