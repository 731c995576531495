"""The store survives what other processes do to it, and says what to do when it cannot be used:
a reset or recreated collection is reopened by name, another tool's collection is never used or
reset, a wrong dimension, an empty or a damaged library are errors that give the fix."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from assistant.api import Assistant
from assistant.config import Settings
from ingest.cleaning import clean_article
from tests.conftest import BUNDLED_ARTICLES, MemoEmbeddings
from vectorstore import (
    LOCAL_MODEL_DIM,
    LOCAL_MODEL_NAME,
    ArticleStore,
    EmbeddingMismatchError,
    ForeignCollectionError,
    LibraryDamagedError,
    LibraryEmptyError,
    MiniLMEmbeddings,
    StoreLocation,
)

ASSISTANT = Path(sys.executable).parent / "assistant"
SOURCES = sorted(p.name for p in BUNDLED_ARTICLES.iterdir())
QUESTION = "Who is Zvi Magen?"


@pytest.fixture(scope="module")
def memo(embeddings: MiniLMEmbeddings) -> MemoEmbeddings:
    return MemoEmbeddings(embeddings)


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real `assistant` command in another process, on the store in `root`."""
    return subprocess.run(
        [str(ASSISTANT), *args],
        check=False,
        cwd=root,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(root),
            "ANONYMIZED_TELEMETRY": "False",
            "CHROMA_PATH": str(root / "chroma"),
            "ARTICLES_PATH": str(root / "articles"),
            "ANSWER_BACKEND": "offline",
        },
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard, not a speed check
    )


def running_assistant(root: Path, embeddings: MemoEmbeddings) -> Assistant:
    """What `assistant serve` holds: one Assistant over the store, kept open."""
    shutil.copytree(BUNDLED_ARTICLES, root / "articles")
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        chroma_path=root / "chroma",
        articles_path=root / "articles",
        answer_backend="offline",
    )
    assistant = Assistant(
        settings, ArticleStore.open(StoreLocation(path=root / "chroma"), embeddings)
    )
    assistant.ingest()
    assert assistant.status().articles == 5
    assert assistant.ask(QUESTION).citations
    return assistant


def raw_client(path: Path) -> chromadb.ClientAPI:
    return chromadb.PersistentClient(
        path=str(path), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    )


# --- another process replaces the collection under a running assistant ---------------------------


def test_running_assistant_survives_a_reset_by_another_process(
    tmp_path: Path, memo: MemoEmbeddings
) -> None:
    assistant = running_assistant(tmp_path, memo)
    kept = ["000_c8c3204a0dfea43f.txt", "004_c2d5eab1c8a75578.txt"]
    done = cli(tmp_path, "ingest", "--reset", *(str(tmp_path / "articles" / k) for k in kept))
    assert done.returncode == 0, done.stderr

    status = assistant.status()  # the new counts, not the old ones
    assert (status.articles, status.chunks) == (2, assistant.store.count())
    answer = assistant.ask(QUESTION)
    assert answer.citations and {c.source for c in answer.citations} <= set(kept)
    upload = tmp_path / "articles" / SOURCES[2]
    assert assistant.ingest([upload]).added == [SOURCES[2]]  # uploads work too
    assert assistant.status().articles == 3


def test_running_assistant_survives_a_collection_recreated_by_another_process(
    tmp_path: Path, memo: MemoEmbeddings
) -> None:
    assistant = running_assistant(tmp_path, memo)
    client = raw_client(tmp_path / "chroma")
    client.delete_collection("articles")  # another tool drops it; an ingest makes it again
    done = cli(tmp_path, "ingest", str(tmp_path / "articles" / SOURCES[4]))
    assert done.returncode == 0, done.stderr

    assert assistant.status().articles == 1
    assert {c.source for c in assistant.ask(QUESTION).citations} == {SOURCES[4]}


# --- collections this project did not make --------------------------------------------------------


def foreign_collection(path: Path) -> None:
    """A collection named like ours, made by another tool (no stamp), holding its own data."""
    collection = raw_client(path).create_collection("articles", embedding_function=None)
    collection.add(ids=["theirs-1", "theirs-2"], embeddings=[[0.1, 0.2], [0.3, 0.4]])


def test_another_tools_collection_is_refused_without_suggesting_reset(
    tmp_path: Path, memo: MemoEmbeddings
) -> None:
    foreign_collection(tmp_path / "chroma")
    with pytest.raises(ForeignCollectionError) as caught:
        ArticleStore.open(StoreLocation(path=tmp_path / "chroma"), memo)
    message = str(caught.value)
    assert message.startswith("Collection 'articles' (collection 'articles' at ")
    assert "was not made by this assistant" in message and "holds 2 records" in message
    assert "Set CHROMA_COLLECTION to another name" in message
    assert "--reset" not in message


def test_reset_refuses_another_tools_collection_and_keeps_its_data(tmp_path: Path) -> None:
    foreign_collection(tmp_path / "chroma")
    (tmp_path / "articles").mkdir()
    result = cli(tmp_path, "ingest", "--reset")
    assert result.returncode == 1
    assert result.stderr.startswith("error: Collection 'articles' (collection 'articles' at ")
    assert "Traceback" not in result.stderr and "--reset" not in result.stderr
    kept = raw_client(tmp_path / "chroma").get_collection("articles", embedding_function=None)
    assert kept.count() == 2


def test_stamped_collection_holding_vectors_of_another_dimension_gives_the_fix(
    tmp_path: Path,
) -> None:
    collection = raw_client(tmp_path / "chroma").create_collection(
        "articles",
        embedding_function=None,
        metadata={"embedding_model": LOCAL_MODEL_NAME, "embedding_dim": LOCAL_MODEL_DIM},
    )
    collection.add(ids=["x"], embeddings=[[0.5] * 8], documents=["eight numbers"])
    result = cli(tmp_path, "ask", QUESTION)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: Collection 'articles' holds vectors of dimension 8, which the configured "
        "embedding model does not make, although its stamp names that model (another tool "
        "wrote to it). Rebuild it with `assistant ingest --reset`, or set CHROMA_COLLECTION "
        "to a new name."
    )


def test_dimension_mismatch_is_a_domain_error_in_python(
    tmp_path: Path, memo: MemoEmbeddings
) -> None:
    store = ArticleStore.open(StoreLocation(path=tmp_path / "chroma"), memo)
    store.collection.add(ids=["x"], embeddings=[[0.5] * 8], documents=["eight numbers"])
    with pytest.raises(EmbeddingMismatchError, match="assistant ingest --reset"):
        store.query(memo.embed_query(QUESTION), 3)


# --- an empty or damaged library says so ----------------------------------------------------------


def test_empty_library_says_so_and_how_to_fill_it(tmp_path: Path, memo: MemoEmbeddings) -> None:
    (tmp_path / "articles").mkdir()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        chroma_path=tmp_path / "chroma",
        articles_path=tmp_path / "articles",
        answer_backend="offline",
    )
    assistant = Assistant(
        settings, ArticleStore.open(StoreLocation(path=tmp_path / "chroma"), memo)
    )
    with pytest.raises(LibraryEmptyError) as caught:
        assistant.ask(QUESTION)
    assert str(caught.value) == (
        f"The library is empty: collection 'articles' at {tmp_path / 'chroma'} holds no "
        "articles. Add some with `assistant ingest` (it reads ARTICLES_PATH) or upload them "
        "in the browser."
    )


def test_emptied_library_says_so_on_the_command_line(tmp_path: Path) -> None:
    shutil.copytree(BUNDLED_ARTICLES, tmp_path / "articles")
    assert cli(tmp_path, "ingest").returncode == 0
    for path in (tmp_path / "articles").iterdir():
        path.unlink()
    assert cli(tmp_path, "ingest").returncode == 0  # every article deleted from the store
    result = cli(tmp_path, "ask", QUESTION)
    assert result.returncode == 1
    assert result.stderr.startswith("error: The library is empty: collection 'articles' at ")
    assert "The articles don't cover this question" not in result.stdout


def test_damaged_store_says_so_and_how_to_rebuild_it(tmp_path: Path) -> None:
    shutil.copytree(BUNDLED_ARTICLES, tmp_path / "articles")
    assert cli(tmp_path, "ingest").returncode == 0
    (tmp_path / "chroma" / "chroma.sqlite3").write_bytes(b"not a database " * 1000)
    result = cli(tmp_path, "ask", QUESTION)
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"error: The library (collection 'articles' at {tmp_path / 'chroma'}) cannot be read: "
    )
    assert result.stderr.rstrip().endswith(
        f"It may be damaged; move the folder {tmp_path / 'chroma'} aside (or delete it) and run "
        "`assistant ingest` to rebuild it from the articles."
    )
    assert "Traceback" not in result.stderr


def test_a_broken_store_is_never_an_answer(tmp_path: Path, memo: MemoEmbeddings) -> None:
    """Python callers get the error too, not "The articles don't cover this question"."""
    shutil.copytree(BUNDLED_ARTICLES, tmp_path / "articles")
    assert cli(tmp_path, "ingest").returncode == 0
    (tmp_path / "chroma" / "chroma.sqlite3").write_bytes(b"not a database " * 1000)
    with pytest.raises(LibraryDamagedError, match="run `assistant ingest` to rebuild it"):
        ArticleStore.open(StoreLocation(path=tmp_path / "chroma"), memo)


# --- whole articles, several in one request -----------------------------------------------------


def test_several_articles_are_read_whole_in_one_request(
    tmp_path: Path, memo: MemoEmbeddings
) -> None:
    assistant = running_assistant(tmp_path, memo)
    store = assistant.store
    wanted = [*SOURCES[:3], "not-in-the-library.txt", SOURCES[0]]
    texts = store.article_texts(wanted)
    assert sorted(texts) == sorted(SOURCES[:3])
    for name in SOURCES[:3]:
        cleaned = clean_article((BUNDLED_ARTICLES / name).read_text(encoding="utf-8")).text
        assert texts[name] == cleaned
        assert store.article_text(name) == cleaned
    assert store.article_texts([]) == {}
    assert store.article_text("not-in-the-library.txt") is None
