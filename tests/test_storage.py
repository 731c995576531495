"""assistant/storage.py: a full or read-only store disk is a message saying what to do, never a traceback."""

from __future__ import annotations

import errno
import logging
import os
import shlex
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.cli import main
from assistant.config import load_settings
from assistant.errors import StorageError
from assistant.storage import LOW_SPACE_BYTES, explain_store_fault
from tests.conftest import _SETTINGS_ENV, BUNDLED_ARTICLES
from vectorstore import ArticleStore

ASSISTANT = Path(sys.executable).parent / "assistant"
QUESTION = "Why did Israel avoid sanctioning Russia?"
NEW_ARTICLE = (
    "Harbour council budget\n\n"
    "The harbour council approved a new budget on Monday after a long debate about dredging. "
    "The mayor said the dredging work would start in spring and finish before the summer.\n"
)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the bundled corpus, made once; tests copy it."""
    root = tmp_path_factory.mktemp("storage")
    shutil.copytree(BUNDLED_ARTICLES, root / "articles")
    with pytest.MonkeyPatch.context() as env:
        for name in _SETTINGS_ENV:
            env.delenv(name, raising=False)
        settings = load_settings(
            chroma_path=root / "chroma", articles_path=root / "articles", _env_file=None
        )
        assert len(Assistant.from_settings(settings).ingest().added) == 5
    return root


@pytest.fixture
def workspace(ingested: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    shutil.copytree(ingested / "chroma", tmp_path / "chroma")
    shutil.copytree(ingested / "articles", tmp_path / "articles")
    (tmp_path / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.setenv("ARTICLES_PATH", str(tmp_path / "articles"))
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield tmp_path
    root.handlers[:] = handlers  # main() configures logging for the process
    root.setLevel(level)


def full_disk(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_disk_full_during_ingest_is_a_message_and_a_rerun_finishes(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(ArticleStore, "upsert", full_disk)
        assert main(["ingest", str(workspace / "new.txt")]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"error: The disk holding the store at {workspace / 'chroma'} is full (")
    assert err.endswith(
        " free). Free some space (or set CHROMA_PATH to a folder on a bigger disk) and run the "
        "command again: `assistant ingest` picks up where it stopped, and what was already in "
        "the store is kept. (Store error: [Errno 28] No space left on device)\n"
    )
    assert "Traceback" not in err
    # Once there is room, the same command finishes the job.
    assert main(["ingest", str(workspace / "new.txt")]) == 0
    assert "1 added" in capsys.readouterr().out


def test_disk_full_through_the_api_is_a_storage_error(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assistant = Assistant.from_settings(load_settings(_env_file=None))
    monkeypatch.setattr(ArticleStore, "upsert", full_disk)
    with pytest.raises(StorageError, match=r"^The disk holding the store at .* is full"):
        assistant.ingest([workspace / "new.txt"])


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (OSError(errno.EROFS, "Read-only file system"), "cannot be written (it is on a read-only"),
        (OSError(errno.EACCES, "Permission denied"), "cannot be written (this user may not"),
        (RuntimeError("attempt to write a readonly database"), "cannot be written"),
        (RuntimeError("database or disk is full"), "is full"),
        (KeyError("a bug of ours"), None),
    ],
)
def test_store_faults_are_explained(tmp_path: Path, fault: Exception, expected: str | None) -> None:
    settings = load_settings(chroma_path=tmp_path / "chroma", _env_file=None)
    error = explain_store_fault(fault, settings)
    if expected is None:
        assert error is None  # only the disk's faults are reworded
    else:
        assert error is not None and expected in str(error)


def test_a_server_store_is_left_to_the_server(tmp_path: Path) -> None:
    settings = load_settings(chroma_host="127.0.0.1", chroma_path=tmp_path, _env_file=None)
    assert explain_store_fault(OSError(errno.ENOSPC, "full"), settings) is None
    assert LOW_SPACE_BYTES > 0


# --- real file systems: a full tmpfs and a read-only mount, in a private mount namespace ---------


def namespace(script: str) -> subprocess.CompletedProcess[str]:
    """`script` run by sh as root of a user + mount namespace (mounts vanish with it)."""
    probe = (
        subprocess.run(["unshare", "-rm", "true"], check=False, capture_output=True, text=True)
        if shutil.which("unshare")
        else None
    )
    if probe is None or probe.returncode != 0:
        pytest.skip("needs unshare -rm (user and mount namespaces) for a real tmpfs/ro mount")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": "/tmp",
        "ANONYMIZED_TELEMETRY": "False",
    }
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_a_real_full_disk_during_ingest(ingested: Path, tmp_path: Path) -> None:
    # A tmpfs a little larger than the store; a 150 KB article cannot fit (issue 13, item 8).
    big = tmp_path / "big.txt"
    lines = [
        f"The harbour council debated item {i} of the dredging budget for pier {i % 17}."
        for i in range(2000)
    ]
    big.write_text("Harbour council minutes\n\n" + "\n".join(lines), encoding="utf-8")
    store_kb = (
        sum(p.stat().st_size for p in (ingested / "chroma").rglob("*") if p.is_file()) // 1024
    )
    mount = tmp_path / "disk"
    mount.mkdir()
    script = (
        f"mount -t tmpfs -o size={store_kb + 500}k tmpfs {mount} && "
        f"cp -r {ingested / 'chroma'} {mount}/chroma && "
        f"CHROMA_PATH={mount}/chroma ARTICLES_PATH={ingested / 'articles'} "
        f"{ASSISTANT} ingest {big}"
    )
    done = namespace(script)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"error: The disk holding the store at {mount}/chroma is full (")
    assert "Traceback" not in done.stderr


def read_only_run(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI with the store folder read-only: a read-only bind mount when we are root (root
    ignores file modes), else the folder's write bits removed."""
    chroma = workspace / "chroma"
    command = " ".join(shlex.quote(a) for a in [str(ASSISTANT), *args])
    variables = f"CHROMA_PATH={chroma} ARTICLES_PATH={workspace / 'articles'}"
    if os.geteuid() == 0:
        return namespace(
            f"mount --bind {chroma} {chroma} && mount -o remount,ro,bind {chroma} && "
            f"{variables} {command}"
        )
    modes = {p: p.stat().st_mode for p in [chroma, *chroma.rglob("*")]}
    try:
        for path in modes:
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        return subprocess.run(
            ["sh", "-c", f"{variables} {command}"], check=False, capture_output=True, text=True
        )
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


@pytest.mark.parametrize(
    "args", [("ask", QUESTION), ("ingest",), ("ingest", "--reset")], ids=" ".join
)
def test_a_read_only_store_is_a_message(workspace: Path, args: tuple[str, ...]) -> None:
    done = read_only_run(workspace, *args)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"error: The store at {workspace / 'chroma'} cannot be written (")
    assert done.stderr.endswith(
        "; Chroma writes to it even to answer questions. Make the folder writable, or copy it "
        "to a writable place and set CHROMA_PATH to the copy.\n"
    )
    assert "Traceback" not in done.stderr
