"""The store's disk: checking it can be written, and its faults (full, read-only) as errors saying what to do."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from assistant.config import Settings
from assistant.errors import StorageError

# Below this much free space, a failed store write is reported as a full disk. On a 4 MB tmpfs
# Chroma's write failed ("Error in compaction: Failed to apply logs to the metadata segment",
# no errno) with 760 KB still free: it needs room for its log and a segment copy.
LOW_SPACE_BYTES = 64 * 1024 * 1024
_FULL = (errno.ENOSPC, errno.EDQUOT)
_DENIED = (errno.EACCES, errno.EPERM)
_SQLITE_FILE = "chroma.sqlite3"
_STORE_MODULES = frozenset({"chromadb", "sqlite3", "vectorstore"})


def check_store_writable(settings: Settings) -> None:
    """StorageError if the embedded store's folder (or the folder it would be created in) cannot
    be written: Chroma writes to its database even to open it for questions."""
    if settings.chroma_host:
        return
    folder = Path(settings.chroma_path)
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    targets = [existing] + ([folder / _SQLITE_FILE] if (folder / _SQLITE_FILE).exists() else [])
    for target in targets:
        if _read_only_fs(target):
            raise _read_only(folder, "it is on a read-only file system")
        if not os.access(target, os.W_OK):
            what = "its database file" if target.name == _SQLITE_FILE else "the folder"
            raise _read_only(folder, f"{what} is not writable by this user")


def explain_store_fault(exc: BaseException, settings: Settings | None) -> StorageError | None:
    """The StorageError for a store write or read that failed because of its disk, or None."""
    if isinstance(exc, StorageError):
        return exc
    if settings is None or settings.chroma_host:
        return None  # a server's disk is the server's to report
    folder = Path(settings.chroma_path)
    code = _errno(exc)
    text = " ".join(str(e) for e in _chain(exc)).lower()
    if code == errno.EROFS or "readonly database" in text or "read-only file system" in text:
        return _read_only(folder, "it is on a read-only file system or not writable")
    if code in _DENIED:
        return _read_only(folder, "this user may not write to it")
    free = _free_bytes(folder)
    if code in _FULL or "disk is full" in text or "no space left" in text:
        return _disk_full(folder, free, exc)
    if free is not None and free < LOW_SPACE_BYTES and _from_store(exc):
        return _disk_full(folder, free, exc)
    return None


def _from_store(exc: BaseException) -> bool:
    """Raised by Chroma, SQLite, our store layer or the OS (not a bug of ours elsewhere)."""
    return any(
        isinstance(e, OSError) or type(e).__module__.split(".")[0] in _STORE_MODULES
        for e in _chain(exc)
    )


def _read_only(folder: Path, why: str) -> StorageError:
    return StorageError(
        f"The store at {folder} cannot be written ({why}); Chroma writes to it even to answer "
        "questions. Make the folder writable, or copy it to a writable place and set "
        "CHROMA_PATH to the copy."
    )


def _disk_full(folder: Path, free: int | None, exc: BaseException) -> StorageError:
    room = f" ({_size(free)} free)" if free is not None else ""
    detail = " ".join(str(exc).split())[:200]
    return StorageError(
        f"The disk holding the store at {folder} is full{room}. Free some space (or set "
        "CHROMA_PATH to a folder on a bigger disk) and run the command again: `assistant "
        "ingest` picks up where it stopped, and what was already in the store is kept. "
        f"(Store error: {detail or type(exc).__name__})"
    )


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.0f} {unit}"
        n //= 1024
    return f"{n} GB"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _errno(exc: BaseException) -> int | None:
    for item in _chain(exc):
        if isinstance(item, OSError) and item.errno is not None:
            return item.errno
    return None


def _read_only_fs(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _free_bytes(folder: Path) -> int | None:
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        return shutil.disk_usage(existing).free
    except OSError:
        return None
