"""Concurrency: two `assistant ingest` processes on one store, and twenty chat sessions on the real
Gradio server while an ingest writes new articles into the store it reads."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from gradio_client import Client
from langchain_core.embeddings import DeterministicFakeEmbedding

from ingest import sync_paths
from tests.conftest import BUNDLED_ARTICLES
from tests.ui_helpers import RunningApp, running_app
from vectorstore import ArticleStore, LabelledEmbeddings, MiniLMEmbeddings, StoreLocation

pytestmark = [
    pytest.mark.slow,
    # Gradio's queue still uses pandas options that pandas 3 deprecates; not ours to fix.
    pytest.mark.filterwarnings("ignore:'future.no_silent_downcasting' is deprecated"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

ASSISTANT = Path(sys.executable).parent / "assistant"
WAIT = 600  # seconds; every wait is bounded by this hang guard (not a speed check)
WAITING_MESSAGE = "Another ingest is running on this store; waiting for it"

# (first question, follow-up leaning on it, what the rewritten follow-up must name)
SESSIONS = [
    ("Who is Naftali Bennett?", "What did he say about freedom of action?", "Naftali Bennett"),
    ("Who is Vladimir Putin?", "When did he first visit Israel?", "Vladimir Putin"),
    ("Who is Benjamin Netanyahu?", "What does he want from Trump?", "Benjamin Netanyahu"),
    ("Who is Zvi Magen?", "What did he say about Russia?", "Zvi Magen"),
    ("What is the S-400?", "Who controls it?", "S-400"),
    ("What is Iran?", "Who arms it?", "Iran"),
    ("What is Hezbollah?", "Who supports it?", "Hezbollah"),
    ("What is the Kremlin?", "What did it restrict?", "Kremlin"),
    ("What is Chechnya?", "Why is it mentioned?", "Chechnya"),
    ("What is Crimea?", "Who annexed it?", "Crimea"),
    ("What is the General Assembly?", "How did Israel vote there?", "General Assembly"),
    ("What is Tehran?", "Who visited it?", "Tehran"),
    ("What is Washington worried about?", "Why does it worry?", "Washington"),
    ("What is Ukraine?", "Who invaded it?", "Ukraine"),
    ("What is Syria?", "Who bombs it?", "Syria"),
    ("What is China?", "Why does it matter to Trump?", "China"),
    ("What is Turkmenistan?", "Who visited it?", "Turkmenistan"),
    ("What is Tajikistan?", "Who toured it?", "Tajikistan"),
    ("What is the INSS?", "Who works there?", "INSS"),
    ("What is Europe?", "What did it back?", "Europe"),
]
NEW_ARTICLES = {
    f"falconry_{i}.txt": (
        f"The falconry club of {town} held its spring show on Saturday. "
        f"Organisers in {town} said {birds} falcons flew and that the show will return next May.\n"
        f"Local schools in {town} sent pupils to watch the birds and meet the falconers.\n"
    )
    for i, (town, birds) in enumerate(
        [("Zanzibar", "forty"), ("Tromso", "twelve"), ("Cusco", "nine"), ("Hobart", "thirty")]
    )
}


def workspace_env(root: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(root),
        "ANONYMIZED_TELEMETRY": "False",
        "CHROMA_PATH": str(root / "chroma"),
        "ARTICLES_PATH": str(root / "articles"),
    }


def start_ingest(root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(ASSISTANT), "ingest", "--json"],
        cwd=root,
        env=workspace_env(root),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def chunk_set(store: ArticleStore) -> dict[str, tuple[Any, ...]]:
    return {
        c.id: (c.metadata["source"], c.metadata["start"], c.metadata["end"], c.text)
        for c in store.iter_chunks()
    }


def read_chunks(path: Path, embeddings: MiniLMEmbeddings) -> dict[str, tuple[Any, ...]]:
    return chunk_set(ArticleStore.open(StoreLocation(path=path), embeddings))


def clean_ingest(folder: Path, path: Path) -> dict[str, Any]:
    """The chunks a clean ingest of `folder` into a fresh store holds. Only ids, offsets and text
    are compared, none of which depend on the vectors, so a fake embedder saves the time."""
    fake = LabelledEmbeddings(DeterministicFakeEmbedding(size=384), "fake", 384)
    store = ArticleStore.open(StoreLocation(path=path), fake)
    sync_paths(store, [folder])
    return chunk_set(store)


# -- two ingests at once ----------------------------------------------------------------------------


def test_two_ingests_at_once_both_succeed_one_waits_and_nothing_is_duplicated(
    tmp_path: Path, embeddings: MiniLMEmbeddings
) -> None:
    shutil.copytree(BUNDLED_ARTICLES, tmp_path / "articles")
    first = start_ingest(tmp_path)
    assert first.communicate(timeout=WAIT)[0]  # the store exists; now both have work to do
    for name, text in NEW_ARTICLES.items():
        (tmp_path / "articles" / name).write_text(text, encoding="utf-8")
    # Enough new text (~60 chunks) that the first to take the lock is still embedding when the
    # other asks for it.
    for path in sorted(BUNDLED_ARTICLES.iterdir()):
        paragraphs = path.read_text(encoding="utf-8").splitlines()
        (tmp_path / "articles" / f"variant_{path.name}").write_text(
            "Dispatch from the regional desk.\n" + "\n".join(paragraphs[1:] + paragraphs[:1]),
            encoding="utf-8",
        )
    added = len(NEW_ARTICLES) + 5
    edited = tmp_path / "articles" / "004_c2d5eab1c8a75578.txt"
    # A same-length edit: no chunk moves (see test_reliability_crash for edits that move text).
    before = edited.read_text(encoding="utf-8")
    edited.write_text(before.replace("Tehran", "TEHRAN", 1), encoding="utf-8")
    assert edited.read_text(encoding="utf-8") != before

    processes = [start_ingest(tmp_path), start_ingest(tmp_path)]
    results = [p.communicate(timeout=WAIT) for p in processes]

    assert [p.returncode for p in processes] == [0, 0], results
    reports = [json.loads(out) for out, _ in results]
    waited = [WAITING_MESSAGE in err for _, err in results]
    assert sorted(waited) == [False, True], [err for _, err in results]
    assert all("Traceback" not in err for _, err in results)
    # The one that waited found the other's work done.
    worker, waiter = (reports[1], reports[0]) if waited[0] else (reports[0], reports[1])
    assert (worker["added"], worker["updated"]) == (added, 1)
    assert (waiter["added"], waiter["updated"], waiter["unchanged"]) == (0, 0, 5 + added)

    stored = read_chunks(tmp_path / "chroma", embeddings)
    assert stored == clean_ingest(tmp_path / "articles", tmp_path / "clean")
    assert worker["chunks"] == waiter["chunks"] == len(stored)


# -- twenty chat sessions during an ingest ----------------------------------------------------------


@dataclass(frozen=True)
class Conversation:
    first: str
    follow_up: str


def split_answer(text: str) -> tuple[str, str | None]:
    """The answer's body and the rewritten question the /chat text reports, if any."""
    body = text.split("\n\nSources:\n", 1)[0].split("\n\nUnderstood as:", 1)[0]
    rewritten = re.search(r"^Understood as: (.+)$", text, re.MULTILINE)
    return body, rewritten.group(1) if rewritten else None


def converse(url: str, first: str, follow_up: str, start: threading.Barrier) -> Conversation:
    """One browser-less session: a first question, then a follow-up with its own history."""
    client = Client(url, verbose=False, download_files=False)
    start.wait(timeout=WAIT)
    answer = client.submit(first, "", api_name="/chat").result(timeout=WAIT)
    body, _ = split_answer(answer)
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": body}]
    second = client.submit(follow_up, json.dumps(history), api_name="/chat").result(timeout=WAIT)
    return Conversation(answer, second)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningApp, Path]]:
    root = tmp_path_factory.mktemp("concurrent-ui")
    with running_app(root) as app:
        yield app, root


def ask(url: str, question: str) -> str:
    client = Client(url, verbose=False, download_files=False)
    text: str = client.submit(question, "", api_name="/chat").result(timeout=WAIT)
    return text


def test_twenty_sessions_during_an_ingest_each_keep_their_own_conversation(
    served: tuple[RunningApp, Path],
) -> None:
    app, root = served
    for name, text in NEW_ARTICLES.items():
        (root / "articles" / name).write_text(text, encoding="utf-8")
    start = threading.Barrier(len(SESSIONS) + 1)
    with ThreadPoolExecutor(max_workers=len(SESSIONS) + 1) as pool:
        futures = [pool.submit(converse, app.url, q, f, start) for q, f, _ in SESSIONS]
        start.wait(timeout=WAIT)
        # The server's own ingest (what an upload runs) writes while the sessions read.
        ingest = pool.submit(app.assistant.ingest)
        conversations = [f.result(timeout=WAIT) for f in futures]
        report = ingest.result(timeout=WAIT)

    assert sorted(report.added) == sorted(NEW_ARTICLES)
    markers = [marker for _, _, marker in SESSIONS]
    for (first, follow_up, marker), conversation in zip(SESSIONS, conversations):
        assert conversation.first.strip(), first
        assert "Understood as" not in conversation.first
        _, rewritten = split_answer(conversation.follow_up)
        assert rewritten is not None, (follow_up, conversation.follow_up)
        assert marker in rewritten, (follow_up, rewritten)
        # Whatever else the rewrite names comes from this session's own turns, no other's.
        own = follow_up + conversation.first
        foreign = [m for m in markers if m != marker and m in rewritten and m not in own]
        assert foreign == [], (follow_up, rewritten)

    text = ask(app.url, "How many falcons flew at the falconry club show in Tromso?")
    assert "twelve" in text.split("\n\nSources:\n")[0], text
    assert re.search(r"^\[1\] .*falconry_1\.txt$", text, re.MULTILINE), text


BEEKEEPING = (
    "The beekeepers of Valletta counted eighty hives after the mild winter, the guild said. "
    "Valletta honey will be sold at the harbour market from June.\n"
)


def test_articles_ingested_by_another_process_are_answered_by_the_running_server(
    served: tuple[RunningApp, Path],
) -> None:
    app, root = served
    (root / "articles" / "beekeeping.txt").write_text(BEEKEEPING, encoding="utf-8")
    ingest = start_ingest(root)
    out, err = ingest.communicate(timeout=WAIT)
    assert ingest.returncode == 0, err
    assert json.loads(out)["added"] == 1

    text = ask(app.url, "How many hives did the beekeepers of Valletta count?")
    assert "eighty" in text.split("\n\nSources:\n")[0], text
    assert re.search(r"^\[1\] .*beekeeping\.txt$", text, re.MULTILINE), text
