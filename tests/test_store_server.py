"""Client/server mode: a real `chroma run` server started here, used in-process and by the CLI."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from assistant.api import Assistant
from assistant.config import Settings
from ingest import SyncReport, sync_paths
from ingest.chunking import split_article
from ingest.cleaning import clean_article
from tests.conftest import BUNDLED_ARTICLES
from vectorstore import (
    ArticleStore,
    EmbeddingMismatchError,
    LabelledEmbeddings,
    LibraryEmptyError,
    MiniLMEmbeddings,
    StoreLocation,
    StoreUnreachableError,
)

BIN = Path(sys.executable).parent
SOURCES = sorted(p.name for p in BUNDLED_ARTICLES.iterdir())
STARTUP_LIMIT = 120.0  # seconds to wait for the server to answer before giving up


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def heartbeat(port: int) -> bool:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2
        ) as reply:
            return "nanosecond heartbeat" in json.load(reply)
    except (OSError, ValueError):
        return False


@dataclass(frozen=True)
class Server:
    port: int
    data: Path

    def location(self, collection: str = "articles") -> StoreLocation:
        return StoreLocation(host="127.0.0.1", port=self.port, collection=collection)


def start_chroma(data: Path, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    """`chroma run` on `data` at 127.0.0.1:`port`, once it answers its heartbeat."""
    log = log_path.open("a")
    process = subprocess.Popen(
        [
            str(BIN / "chroma"),
            "run",
            "--path",
            str(data),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    log.close()
    deadline = time.monotonic() + STARTUP_LIMIT
    while not heartbeat(port):
        if process.poll() is not None:
            pytest.fail(f"chroma run exited with {process.returncode}:\n{log_path.read_text()}")
        if time.monotonic() > deadline:
            stop_chroma(process)
            pytest.fail(f"chroma run did not answer in {STARTUP_LIMIT:.0f}s")
        time.sleep(0.2)
    return process


def stop_chroma(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    process = start_chroma(root / "data", port, root / "server.log")
    try:
        yield Server(port, root / "data")
    finally:
        stop_chroma(process)


@dataclass(frozen=True)
class Served:
    store: ArticleStore
    folder: Path
    report: SyncReport


@pytest.fixture(scope="module")
def served(
    server: Server, tmp_path_factory: pytest.TempPathFactory, embeddings: MiniLMEmbeddings
) -> Served:
    """The bundled corpus synced into the server's `articles` collection; tests only read it."""
    folder = tmp_path_factory.mktemp("served") / "articles"
    shutil.copytree(BUNDLED_ARTICLES, folder)
    store = ArticleStore.open(server.location(), embeddings)
    return Served(store, folder, sync_paths(store, [folder]))


def cleaned(folder: Path, source: str) -> str:
    return clean_article((folder / source).read_text(encoding="utf-8")).text


def test_server_store_ingests_the_corpus(served: Served) -> None:
    expected = sum(len(split_article(cleaned(served.folder, s), s)) for s in SOURCES)
    assert sorted(served.report.added) == SOURCES
    assert served.report.chunks == served.store.count() == expected
    for source in SOURCES:
        assert served.store.article_text(source) == cleaned(served.folder, source)


def test_server_store_answers_queries(served: Served, embeddings: MiniLMEmbeddings) -> None:
    hits = served.store.query(
        embeddings.embed_query("Which president traveled to Iran to meet Ebrahim Raisi?"), k=3
    )
    assert len(hits) == 3
    assert hits[0].chunk.metadata["source"] == "004_c2d5eab1c8a75578.txt"
    assert "Ebrahim Raisi" in hits[0].chunk.text
    assert 1.0 >= hits[0].score >= hits[1].score >= hits[2].score


def test_server_store_resync_embeds_nothing(served: Served) -> None:
    report = sync_paths(served.store, [served.folder])
    assert sorted(report.unchanged) == SOURCES
    assert (report.added, report.updated, report.deleted, report.embedded) == ([], [], [], 0)


def test_server_collection_stamp_is_checked(served: Served, server: Server) -> None:
    other = LabelledEmbeddings(DeterministicFakeEmbedding(size=768), "another-model", 768)
    with pytest.raises(EmbeddingMismatchError, match="assistant ingest --reset"):
        ArticleStore.open(server.location(), other)


def unreachable_message(port: int, detail: str) -> str:
    return (
        f"Cannot reach the Chroma server at 127.0.0.1:{port} ({detail}). Start it (`chroma run "
        f"--path <folder> --host 127.0.0.1 --port {port}`) or point CHROMA_HOST/CHROMA_PORT at a "
        "running one, then try again."
    )


def test_unreachable_server_raises_store_error_with_advice(embeddings: MiniLMEmbeddings) -> None:
    port = free_port()
    with pytest.raises(StoreUnreachableError) as caught:
        ArticleStore.open(StoreLocation(host="127.0.0.1", port=port), embeddings)
    assert str(caught.value) == unreachable_message(
        port, "Could not connect to a Chroma server. Are you sure it is running?"
    )


def run_cli(server: Server, tmp_path: Path, *args: str, **extra: str) -> dict[str, object]:
    result = subprocess.run(
        [str(BIN / "assistant"), "ingest", "--json", *args],
        check=False,
        cwd=tmp_path,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "ANONYMIZED_TELEMETRY": "False",
            "CHROMA_HOST": "127.0.0.1",
            "CHROMA_PORT": str(server.port),
            "CHROMA_PATH": str(tmp_path / "unused-chroma"),
            **extra,
        },
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard, not a speed check
    )
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "unused-chroma").exists()
    return json.loads(result.stdout)


def test_cli_sees_what_was_ingested_through_the_server(
    served: Served, server: Server, tmp_path: Path
) -> None:
    report = run_cli(server, tmp_path, ARTICLES_PATH=str(served.folder))
    assert report == {
        "added": 0,
        "updated": 0,
        "deleted": 0,
        "unchanged": 5,
        "skipped": [],
        "chunks": served.store.count(),
    }


def test_cli_writes_to_the_server(
    server: Server, tmp_path: Path, embeddings: MiniLMEmbeddings
) -> None:
    article = tmp_path / "harbour.md"
    article.write_text(
        "Harbour Reopens After Storm\n\nThe harbour at Port Ellis reopened on Tuesday after a week "
        "of repairs to the sea wall. Fishing crews returned before dawn.\n",
        encoding="utf-8",
    )
    report = run_cli(server, tmp_path, str(article), CHROMA_COLLECTION="cli")
    assert (report["added"], report["chunks"]) == (1, 1)
    store = ArticleStore.open(server.location("cli"), embeddings)
    assert store.article_text("harbour.md") == cleaned(tmp_path, "harbour.md")
    assert (
        store.get_where({"source": "harbour.md"})[0].metadata["title"]
        == "Harbour Reopens After Storm"
    )


# --- a server that stops, or restarts empty, under a running assistant ---------------------------


@dataclass
class Restartable:
    root: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def location(self) -> StoreLocation:
        return StoreLocation(host="127.0.0.1", port=self.port)

    def restart(self, data: str) -> None:
        stop_chroma(self.process)
        self.process = start_chroma(self.root / data, self.port, self.root / "server.log")


@pytest.fixture
def restartable(tmp_path: Path) -> Iterator[Restartable]:
    port = free_port()
    server = Restartable(tmp_path, port, start_chroma(tmp_path / "first", port, tmp_path / "log"))
    try:
        yield server
    finally:
        stop_chroma(server.process)


def served_assistant(server: Restartable, folder: Path, embeddings: MiniLMEmbeddings) -> Assistant:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        chroma_host="127.0.0.1",
        chroma_port=server.port,
        chroma_path=folder.parent / "unused",
        articles_path=folder,
        answer_backend="offline",
    )
    assistant = Assistant(settings, ArticleStore.open(server.location, embeddings))
    assistant.ingest()
    return assistant


def test_running_assistant_follows_a_server_restarted_empty_and_reingested(
    restartable: Restartable, tmp_path: Path, embeddings: MiniLMEmbeddings
) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(BUNDLED_ARTICLES, folder)
    assistant = served_assistant(restartable, folder, embeddings)
    assert assistant.status().articles == 5

    restartable.restart("second")  # a new, empty folder: the collection is gone
    status = assistant.status()
    assert (status.articles, status.chunks) == (0, 0)
    with pytest.raises(LibraryEmptyError):
        assistant.ask("Who is Zvi Magen?")

    other = ArticleStore.open(restartable.location, embeddings)  # another process re-ingests
    sync_paths(other, [folder / SOURCES[4]])
    assert assistant.status().articles == 1
    answer = assistant.ask("Who is Zvi Magen?")
    assert {c.source for c in answer.citations} == {SOURCES[4]}


def test_stopped_server_is_named_with_what_to_do(
    restartable: Restartable, tmp_path: Path, embeddings: MiniLMEmbeddings
) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(BUNDLED_ARTICLES, folder)
    assistant = served_assistant(restartable, folder, embeddings)
    stop_chroma(restartable.process)
    with pytest.raises(StoreUnreachableError) as caught:
        assistant.ask("Who is Zvi Magen?")
    assert str(caught.value) == unreachable_message(
        restartable.port, "[Errno 111] Connection refused"
    )
    with pytest.raises(StoreUnreachableError):
        assistant.ingest()

    result = subprocess.run(
        [str(BIN / "assistant"), "ask", "Who is Zvi Magen?"],
        check=False,
        cwd=tmp_path,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "ANONYMIZED_TELEMETRY": "False",
            "CHROMA_HOST": "127.0.0.1",
            "CHROMA_PORT": str(restartable.port),
            "ANSWER_BACKEND": "offline",
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "error: " + unreachable_message(
        restartable.port, "Could not connect to a Chroma server. Are you sure it is running?"
    )


def test_browser_ui_names_the_stopped_server_instead_of_something_went_wrong(
    restartable: Restartable, tmp_path: Path, embeddings: MiniLMEmbeddings
) -> None:
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    from tests.ui_helpers import free_port as free_ui_port
    from ui.app import start

    folder = tmp_path / "articles"
    shutil.copytree(BUNDLED_ARTICLES, folder)
    assistant = served_assistant(restartable, folder, embeddings)
    app = start(assistant, host="127.0.0.1", port=free_ui_port())
    try:
        client = Client(app.local_url or "", verbose=False)
        assert "[1]" in client.predict("Who is Zvi Magen?", api_name="/chat")
        stop_chroma(restartable.process)
        with pytest.raises(AppError) as caught:
            client.predict("Who is Zvi Magen?", api_name="/chat")
        assert str(caught.value) == unreachable_message(
            restartable.port, "[Errno 111] Connection refused"
        )
    finally:
        app.close()
