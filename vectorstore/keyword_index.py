"""The persisted keyword (BM25) index of a collection: kept current by the store's writes, shared
between processes, reloaded when another process changed it, rebuilt when it is stale.

On disk, in one folder per collection (beside an embedded store, in a local cache for a server):

    manifest.json        the current generation: the store revision it matches, the analyzer
                         that made its terms, its segments, their dead masks and the stats file
    seg-*/               immutable segments (vectorstore/keyword_segments.py)
    dead-*.npy           per segment, which documents were deleted or replaced since it was written
    stats-*-hash.npy     global document frequency per term hash (live documents only)
    stats-*-df.npy
    .write.lock          held by the one process writing (an ingest, or a rebuild)
    writer.json          while a write session runs: the revision it started from

Crash safety: files are written under new names and the manifest is replaced last, atomically
(vectorstore/keyword_generations.py), so a reader sees the old generation or the new one. Every write
session bumps the store's revision before its first write and stamps the manifest with the
revision after its last, so a session that dies half way leaves a manifest whose revision is
not the store's: readers then treat the index as stale (answer from the dense index alone) and
rebuild it from the store in the background; the next ingest rebuilds it first too.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np

from vectorstore.keyword_generations import (
    MANIFEST,
    CorruptIndex,
    Revision,
    Snapshot,
    compact,
    empty_snapshot,
    load_or_none,
    load_snapshot,
    new_token,
    write_generation,
    write_json,
)
from vectorstore.keyword_segments import IndexedChunk, Segment, build_segment, combine_counts

if TYPE_CHECKING:
    from vectorstore.store import StoredChunk

log = logging.getLogger(__name__)

WRITE_LOCK = ".write.lock"
WRITER_NOTE = "writer.json"
# Readers look for a newer index (and a newer store) at most this often.
CHECK_SECONDS = 1.0
# A write session saves a generation at least every this many added chunks, so a long ingest
# is visible to readers as it goes and holds a bounded batch of terms in memory.
FLUSH_DOCS = 20_000
# A rebuild reads the store in batches of this many chunks, one segment each.
REBUILD_BATCH = 20_000
# A store this small is re-indexed in the foreground, before the question is answered, instead
# of answering from the dense index alone meanwhile: a rebuild costs about 0.3 ms of CPU per
# chunk (100k chunks: 30 s CPU, half of it reading them from Chroma), so ~0.6 s here.
FOREGROUND_REBUILD_CHUNKS = 2_000
# How long a write session waits for another process's write (or rebuild) to finish.
LOCK_TIMEOUT = 3600.0
# After a failed rebuild (say, a read-only folder), how long before the next attempt.
RETRY_SECONDS = 60.0

Analyzer = Callable[[str, Mapping[str, Any]], Sequence[str]]  # (chunk text, metadata) -> terms
State = Literal["ready", "updating", "rebuilding", "stale"]


class ChunkSource(Protocol):
    """What the index needs of the store: its revision and every chunk, for a rebuild."""

    def revision(self) -> Revision: ...

    def iter_chunks(self, include_text: bool = True) -> Iterator[StoredChunk]: ...


class WriteSession:
    """Changes to the index while one process writes to the store, saved as new generations.

    The store calls `remove` and `add` after each write it made, and `save` with its revision
    when the session's writes are done (or every FLUSH_DOCS added chunks)."""

    def __init__(self, index: KeywordIndex, base: Snapshot) -> None:
        self.index = index
        self.base = base
        self._pending: dict[str, IndexedChunk] = {}
        self._removed = 0
        self._reset_masks()

    def _reset_masks(self) -> None:
        self._dead: list[np.ndarray | None] = list(self.base.dead)
        self._new_dead: list[np.ndarray | None] = [None] * len(self.base.segments)

    @property
    def pending(self) -> int:
        """Chunks added since the last save."""
        return len(self._pending)

    @property
    def changed(self) -> bool:
        return bool(self._pending) or self._removed > 0

    def remove(self, ids: Sequence[str]) -> None:
        """Chunks deleted from the store (or about to be replaced)."""
        if not ids:
            return
        for id_ in ids:
            if self._pending.pop(id_, None) is not None:
                self._removed += 1
        for i, seg in enumerate(self.base.segments):
            docs = seg.find(ids)
            docs = docs[docs >= 0]
            if not len(docs):
                continue
            current = self._dead[i]
            if current is not None:
                docs = docs[~current[docs]]
                if not len(docs):
                    continue
            if current is None or current is self.base.dead[i]:
                current = np.zeros(seg.docs, dtype=bool) if current is None else np.array(current)
                self._dead[i] = current
            fresh = self._new_dead[i]
            if fresh is None:
                fresh = self._new_dead[i] = np.zeros(seg.docs, dtype=bool)
            current[docs] = True
            fresh[docs] = True
            self._removed += len(docs)

    def add(self, chunks: Sequence[tuple[str, str, Mapping[str, Any]]]) -> None:
        """Chunks written to the store: (id, text, metadata); an id already indexed is replaced."""
        if not chunks:
            return
        self.remove([id_ for id_, _, _ in chunks])
        analyze = self.index.analyze
        for id_, text, meta in chunks:
            self._pending[id_] = _indexed(id_, text, meta, analyze)

    def save(self, revision: Revision) -> Snapshot:
        """Write this session's changes as a new generation matching the store's `revision`."""
        index, base = self.index, self.base
        folder = index.folder
        segments = list(base.segments)
        dead = list(self._dead)
        docs, total_len = base.docs, base.total_len
        keys: list[np.ndarray] = [base.df_hash]
        counts: list[np.ndarray] = [base.df]
        for i, fresh in enumerate(self._new_dead):
            if fresh is None:
                continue
            seg = base.segments[i]
            keys.append(seg.term_hash)
            counts.append(-seg.dead_term_counts(fresh))
            docs -= int(np.count_nonzero(fresh))
            total_len -= int(np.asarray(seg.doc_len)[fresh].sum())
        if self._pending:
            seg = build_segment(folder, f"seg-{new_token()}", list(self._pending.values()))
            segments.append(seg)
            dead.append(None)
            keys.append(seg.term_hash)
            counts.append(seg.document_frequencies())
            docs += seg.docs
            total_len += seg.total_len
        df_hash, df = combine_counts(keys, counts)
        snapshot = index.publish(
            base,
            revision,
            segments,
            dead,
            df_hash,
            df,
            docs,
            total_len,
            changed_masks={i for i, fresh in enumerate(self._new_dead) if fresh is not None},
        )
        self.base = snapshot
        self._pending = {}
        self._removed = 0
        self._reset_masks()
        return snapshot


def _indexed(id_: str, text: str, meta: Mapping[str, Any], analyze: Analyzer) -> IndexedChunk:
    def text_or_none(key: str) -> str | None:
        value = meta.get(key)
        return str(value) if value not in (None, "") else None

    try:
        end = int(meta.get("end", 0) or 0)
    except (TypeError, ValueError):
        end = 0
    return IndexedChunk(
        id=id_,
        terms=list(analyze(text, meta)),
        source=str(meta.get("source", "")),
        end=end,
        title=text_or_none("title"),
        date=text_or_none("date"),
        original_source=text_or_none("original_source"),
    )


class KeywordIndex:
    """The keyword index of one collection, as this process reads and writes it."""

    def __init__(
        self, folder: Path, source: ChunkSource, analyze: Analyzer, analyzer_id: str
    ) -> None:
        self.folder = folder
        self.source = source
        self.analyze = analyze
        self.analyzer_id = analyzer_id
        self._lock = threading.RLock()
        self._snapshot: Snapshot | None = None  # the last generation loaded, fresh or not
        self._signature: tuple[int, int, int] | None = None
        self._state: State = "stale"
        self._problem: str | None = None
        self._checked_at = -math.inf
        self._rebuilder: threading.Thread | None = None
        self._progress: tuple[int, int] | None = None  # (chunks read, chunks in store)
        self._rebuild_failed_at = -math.inf
        self._session: WriteSession | None = None
        self.rebuilds = 0  # rebuilds this process ran (tests and benchmarks read it)

    # --- reading -------------------------------------------------------------------------------

    @property
    def state(self) -> State:
        return self._state

    @property
    def problem(self) -> str | None:
        """Why the index is not ready (missing, corrupt, behind the store), if it is not."""
        return self._problem

    @property
    def progress(self) -> tuple[int, int] | None:
        """(chunks read, chunks to read) of a rebuild running in this process."""
        return self._progress

    def current(self) -> Snapshot | None:
        """The generation to answer from: one that matches the store, or the one an ingest in
        progress started from (consistent, a little behind); None while there is no such one."""
        snapshot = self._snapshot
        return snapshot if self._state in ("ready", "updating") else None

    def latest(self) -> Snapshot | None:
        """The last generation loaded, whether or not it matches the store (for counts and
        term weights while a rebuild runs)."""
        return self._snapshot

    def load(self) -> None:
        """Read the generation on disk if it is newer than the one loaded, for its term
        statistics only: no check against the store, no rebuild (that is `refresh`)."""
        with self._lock:
            self._reload()

    def refresh(self, force: bool = False) -> None:
        """Load a newer generation if another process wrote one, and check it against the
        store; start a background rebuild when it is missing, corrupt or stale."""
        now = time.monotonic()
        if not force and now - self._checked_at < CHECK_SECONDS:
            return
        with self._lock:
            self._checked_at = now
            revision = self.source.revision()
            self._reload()
            snapshot = self._snapshot
            if snapshot is not None and snapshot.matches(revision, self.analyzer_id):
                self._state, self._problem = "ready", None
                return
            if self._session is not None or (self._rebuilder and self._rebuilder.is_alive()):
                self._state = "rebuilding" if self._session is None else self._updating(snapshot)
                return
            note = self._writer_note()
            if note is not None:
                base = note.get("base")
                in_step = (
                    snapshot is not None
                    and base is not None
                    and list(snapshot.revision) == list(base)
                )
                self._state = "updating" if in_step else "rebuilding"
                if not in_step:
                    self._problem = self._problem or "another process is rebuilding it"
                return
            if snapshot is not None and self._problem is None:
                self._problem = (
                    "it was made by another version of the term analyzer"
                    if snapshot.analyzer != self.analyzer_id
                    else f"it matches store revision {list(snapshot.revision)}, "
                    f"the store is at {list(revision)}"
                )
            self._state = "stale"
            if time.monotonic() - self._rebuild_failed_at < RETRY_SECONDS:
                return  # a rebuild just failed: do not retry on every question
            if revision[2] <= FOREGROUND_REBUILD_CHUNKS:
                self._rebuild_quietly()
                self._reload()
                fresh = self._snapshot
                if fresh is not None and fresh.matches(revision, self.analyzer_id):
                    self._state, self._problem = "ready", None
            else:
                self._start_rebuild()

    def _updating(self, snapshot: Snapshot | None) -> State:
        session = self._session
        if (
            session is not None
            and snapshot is not None
            and session.base.generation >= snapshot.generation
        ):
            return "updating"
        return "rebuilding"

    def _reload(self) -> None:
        path = self.folder / MANIFEST
        try:
            st = path.stat()
        except OSError as exc:  # none yet, or the folder is not usable (a file in its place)
            self._snapshot, self._signature = None, None
            self._problem = (
                "there is no keyword index yet"
                if isinstance(exc, FileNotFoundError)
                else f"its folder cannot be read ({exc})"
            )
            return
        signature = (st.st_ino, st.st_mtime_ns, st.st_size)
        if signature == self._signature:
            return
        try:
            snapshot = load_snapshot(self.folder)
        except CorruptIndex as exc:
            log.warning(
                "The keyword index at %s is unreadable (%s); it will be rebuilt", self.folder, exc
            )
            self._snapshot, self._signature = None, signature
            self._problem = f"its files are damaged ({exc})"
            return
        self._snapshot, self._signature = snapshot, signature
        self._problem = None if snapshot is not None else "there is no keyword index yet"

    def _writer_note(self) -> dict[str, Any] | None:
        """What the process holding the write lock is doing, or None when nobody holds it."""
        from filelock import FileLock, Timeout

        if not self.folder.exists():
            return None
        probe = FileLock(str(self.folder / WRITE_LOCK), thread_local=False)
        try:
            probe.acquire(timeout=0)
        except Timeout:
            try:
                return dict(json.loads((self.folder / WRITER_NOTE).read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                return {"base": None}
        probe.release()
        return None

    def _start_rebuild(self) -> None:
        if self._rebuilder is not None and self._rebuilder.is_alive():
            return
        self._state = "rebuilding"
        thread = threading.Thread(
            target=self._rebuild_quietly, name="keyword-index-rebuild", daemon=True
        )
        self._rebuilder = thread
        thread.start()

    def _rebuild_quietly(self) -> None:
        try:
            with self._write_lock():
                revision = self.source.revision()
                current = load_or_none(self.folder)
                if current is None or not current.matches(revision, self.analyzer_id):
                    self._note_writer(None)
                    try:
                        self._rebuild(revision, current)
                    finally:
                        self._clear_writer_note()
        except Exception as exc:  # a background thread has nobody to raise to: log, retry later
            log.exception("Rebuilding the keyword index at %s failed", self.folder)
            self._problem = f"rebuilding it failed ({exc})"
            self._rebuild_failed_at = time.monotonic()
        finally:
            self._progress = None
            self._checked_at = -math.inf  # look again at the next question

    # --- writing -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def session(self) -> Iterator[WriteSession]:
        """Hold the write lock and start from a generation that matches the store (rebuilding
        it first if it does not): the store's writes then update it incrementally."""
        with self._write_lock():
            revision = self.source.revision()
            current = load_or_none(self.folder)
            if current is not None and current.matches(revision, self.analyzer_id):
                base = current
            elif revision[2] == 0:
                generation = current.generation if current else 0
                base = empty_snapshot(self.folder, revision, self.analyzer_id, generation)
                base = self._publish_empty(base, current)
            else:
                base = self._rebuild(revision, current)
            self._note_writer(list(base.revision))
            session = WriteSession(self, base)
            self._session = session
            try:
                yield session
            finally:
                self._session = None
                self._clear_writer_note()
                self._checked_at = -math.inf

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        self.folder.mkdir(parents=True, exist_ok=True)
        # A new FileLock each time: one object shared by threads would let a second thread in.
        lock = FileLock(str(self.folder / WRITE_LOCK), thread_local=False)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            log.warning(
                "Waiting for another process to finish writing the keyword index at %s", self.folder
            )
            try:
                lock.acquire(timeout=LOCK_TIMEOUT)
            except Timeout as exc:
                raise TimeoutError(
                    f"Another process has held {self.folder / WRITE_LOCK} for {LOCK_TIMEOUT:.0f}s; "
                    "if no ingest is running, delete that file and try again"
                ) from exc
        try:
            yield
        finally:
            lock.release()

    def _note_writer(self, base: list[Any] | None) -> None:
        write_json(self.folder / WRITER_NOTE, {"base": base, "pid": os.getpid()})

    def _clear_writer_note(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.folder / WRITER_NOTE).unlink()

    def _rebuild(self, revision: Revision, previous: Snapshot | None) -> Snapshot:
        """A new generation from every chunk in the store (the caller holds the write lock)."""
        started = time.perf_counter()
        log.warning(
            "Rebuilding the keyword index of %d chunks at %s (%s)",
            revision[2],
            self.folder,
            self._problem or "it is missing or out of date",
        )
        self._progress = (0, revision[2])
        segments: list[Segment] = []
        dead: list[np.ndarray | None] = []
        batch: list[IndexedChunk] = []

        def flush() -> None:
            segments.append(build_segment(self.folder, f"seg-{new_token()}", batch))
            dead.append(None)
            batch.clear()
            segments[:], dead[:] = compact(self.folder, segments, dead)

        for read, chunk in enumerate(self.source.iter_chunks(), start=1):
            batch.append(_indexed(chunk.id, chunk.text, chunk.metadata, self.analyze))
            if len(batch) >= REBUILD_BATCH:
                flush()
                self._progress = (read, revision[2])
        if batch:
            flush()
        after = self.source.revision()
        if tuple(after) != tuple(revision):
            log.warning(
                "The store changed while its keyword index was rebuilt (a writer that does not "
                "share this index); it will be rebuilt again"
            )
        keys = [s.term_hash for s in segments]
        counts = [s.document_frequencies() for s in segments]
        df_hash, df = combine_counts(keys, counts)
        base = previous or empty_snapshot(self.folder, revision, self.analyzer_id, 0)
        snapshot = self.publish(
            base,
            revision,
            segments,
            dead,
            df_hash,
            df,
            sum(s.docs for s in segments),
            sum(s.total_len for s in segments),
            changed_masks=set(),
            fresh=True,
        )
        self.rebuilds += 1
        log.warning(
            "Keyword index rebuilt: %d chunks in %.1fs",
            snapshot.docs,
            time.perf_counter() - started,
        )
        return snapshot

    def _publish_empty(self, base: Snapshot, previous: Snapshot | None) -> Snapshot:
        return self.publish(
            previous or base,
            base.revision,
            [],
            [],
            base.df_hash,
            base.df,
            0,
            0,
            changed_masks=set(),
            fresh=True,
        )

    def publish(
        self,
        base: Snapshot,
        revision: Revision,
        segments: list[Segment],
        dead: list[np.ndarray | None],
        df_hash: np.ndarray,
        df: np.ndarray,
        docs: int,
        total_len: int,
        changed_masks: set[int],
        fresh: bool = False,
    ) -> Snapshot:
        """Write the next generation and make it this process's current one."""
        snapshot = write_generation(
            self.folder, self.analyzer_id, base, revision, segments, dead, df_hash, df, docs,
            total_len, changed_masks, fresh,
        )  # fmt: skip
        with self._lock:
            self._snapshot = snapshot
            st = (self.folder / MANIFEST).stat()
            self._signature = (st.st_ino, st.st_mtime_ns, st.st_size)
            self._problem = None
        return snapshot
