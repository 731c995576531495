"""Syncing folders of articles into the store: add, update and delete only what changed, crash-safe."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.chunking import DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_SIZE, Chunk, split_article
from ingest.cleaning import CleanArticle, clean_article
from ingest.loading import (
    DEFAULT_MAX_BYTES,
    MAX_TEXT_CHARS,
    SUPPORTED_SUFFIXES,
    UnreadableFile,
    read_article_file,
)
from vectorstore import ArticleStore

log = logging.getLogger(__name__)

# Chunks embedded (and then written) together. Upserts of 256 would cost Chroma 1.75 instead of
# 2.1 ms of CPU per chunk (6,000 chunks, measured on the 2-core VM), about 1% of what embedding
# a chunk costs: not worth a coarser progress bar and more lost to a crash.
EMBED_BATCH = 64
# Batches embedded ahead of the one being written: 2 keep the model busy while a write runs.
PIPELINE_DEPTH = 2


class IngestLockedError(Exception):
    """Another ingest holds the store's lock for longer than we were willing to wait."""


@dataclass(frozen=True)
class IngestOptions:
    chunk_size: int = DEFAULT_CHUNK_SIZE
    chunk_overlap: int = DEFAULT_CHUNK_OVERLAP
    max_file_bytes: int = DEFAULT_MAX_BYTES
    max_text_chars: int = MAX_TEXT_CHARS


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass
class SyncReport:
    """What one sync did (or, with dry_run, would do), by file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    chunks: int = 0
    embedded: int = 0
    dry_run: bool = False
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "deleted": len(self.deleted),
            "unchanged": len(self.unchanged),
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "chunks": self.chunks,
        }


@dataclass(frozen=True)
class PreparedArticle:
    """A readable file, cleaned and chunked, ready to compare with what the store holds."""

    source: str
    root: str
    article: CleanArticle
    content_hash: str
    chunks: list[Chunk]
    path: str = ""  # the file it was read from, for messages

    def metadatas(self) -> list[dict[str, Any]]:
        base: dict[str, Any] = {
            "source": self.source,
            "root": self.root,
            "content_hash": self.content_hash,
        }
        for key in ("title", "date", "original_source"):
            value = getattr(self.article, key)
            if value:
                base[key] = value
        return [
            {
                **base,
                "chunk_index": c.index,
                "start": c.start,
                "end": c.end,
                "n_chunks": len(self.chunks),
                **({"section": c.section} if c.section else {}),
            }
            for c in self.chunks
        ]


@dataclass(frozen=True)
class _Candidate:
    path: Path
    root: Path
    source: str
    prunable: bool  # found by walking a folder, so its folder's missing files may be deleted


def collect_files(paths: Iterable[Path]) -> tuple[list[_Candidate], list[Skipped], list[Path]]:
    """Files to ingest under `paths`, what was skipped while walking, and the folders walked."""
    candidates: list[_Candidate] = []
    skipped: list[Skipped] = []
    roots: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            root = path.resolve()
            roots.append(root)
            for file in sorted(_walk(path)):
                reason = _walk_reason(file, root)
                if reason:
                    skipped.append(Skipped(str(file), reason))
                    continue
                source = file.relative_to(path).as_posix()
                candidates.append(_Candidate(file, root, source, True))
        elif path.exists() or path.is_symlink():
            candidates.append(_Candidate(path, path.parent.resolve(), path.name, False))
        else:
            skipped.append(Skipped(str(path), "no such file or folder"))
    return candidates, skipped, roots


def _walk(folder: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith("."):
                yield Path(dirpath) / name


def _walk_reason(file: Path, root: Path) -> str | None:
    if file.suffix.lower() not in SUPPORTED_SUFFIXES:
        return f"unsupported file type '{file.suffix or file.name}'"
    if file.is_symlink():
        try:
            target = file.resolve(strict=True)
        except RuntimeError:  # Python < 3.13 reports a symlink loop this way
            return "symlink loop"
        except OSError as exc:
            return "symlink loop" if exc.errno == 40 else "broken symlink"  # 40: ELOOP
        if not target.is_relative_to(root):
            return "symlink pointing outside the folder"
    return None


def prepare_file(candidate: _Candidate, options: IngestOptions) -> PreparedArticle:
    """Read, clean and chunk one file. Raises UnreadableFile with the reason to show."""
    loaded = read_article_file(candidate.path, options.max_file_bytes, options.max_text_chars)
    article = clean_article(loaded.text, loaded.meta)
    if not article.text.strip():
        raise UnreadableFile("no article text left after cleaning")
    chunks = split_article(
        article.text, candidate.source, options.chunk_size, options.chunk_overlap
    )
    digest = hashlib.sha256(article.text.encode()).hexdigest()
    return PreparedArticle(
        candidate.source, str(candidate.root), article, digest, chunks, str(candidate.path)
    )


def sync_paths(
    store: ArticleStore,
    paths: Iterable[Path],
    *,
    options: IngestOptions = IngestOptions(),
    dry_run: bool = False,
    reset: bool = False,
    lock_path: Path | None = None,
    lock_timeout: float = 300.0,
    progress: bool | None = None,
) -> SyncReport:
    """Make the store hold exactly the chunks of the readable files under `paths`.

    Crash-safe by construction: the wanted state is derived from the files and the store alone
    (chunk ids are content-derived), new chunks are written before stale ones are deleted, and
    a re-run after any crash finishes the job. An ingest lock serialises concurrent runs.
    """
    if lock_path is None or dry_run:
        return _sync(store, list(paths), options, dry_run, reset, progress)
    with ingest_lock(lock_path, lock_timeout):
        return _sync(store, list(paths), options, dry_run, reset, progress)


@contextmanager
def ingest_lock(lock_path: Path, timeout: float = 300.0) -> Iterator[None]:
    """Hold the store's ingest lock: a second ingest waits (saying so), then proceeds."""
    from filelock import FileLock, Timeout

    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning("Another ingest is running on this store; waiting for it (lock %s)", lock_path)
        try:
            lock.acquire(timeout=timeout)
        except Timeout as exc:
            raise IngestLockedError(
                f"Another ingest still holds {lock_path} after {timeout:.0f}s; "
                "try again when it has finished."
            ) from exc
    try:
        yield
    finally:
        lock.release()


def _sync(
    store: ArticleStore,
    paths: list[Path],
    options: IngestOptions,
    dry_run: bool,
    reset: bool,
    progress: bool | None,
) -> SyncReport:
    started = time.perf_counter()
    report = SyncReport(dry_run=dry_run)
    if reset and not dry_run:
        store.reset()
    candidates, report.skipped, roots = collect_files(paths)

    stored: dict[str, set[str]] = {}
    stored_root: dict[str, str] = {}
    stored_meta: dict[str, dict[str, Any]] = {}
    if not (reset and dry_run):
        for chunk in store.iter_chunks(include_text=False):
            source = str(chunk.metadata.get("source", ""))
            stored.setdefault(source, set()).add(chunk.id)
            stored_root[source] = str(chunk.metadata.get("root", ""))
            stored_meta[chunk.id] = chunk.metadata

    walked = {str(r) for r in roots}
    prepared_all, present = _prepare_all(candidates, options, report)
    # By path: only what left a walked folder leaves the store. A file never displaces another
    # article: content an article in the store already has (and keeps) makes it a duplicate.
    leaving = {s for s in stored if s not in present and stored_root.get(s) in walked}
    holders = _content_holders(stored_meta, leaving, {p.source: p for p in prepared_all})
    kept, duplicates = _drop_duplicates(prepared_all, holders, report)

    pending: list[tuple[PreparedArticle, Chunk, dict[str, Any]]] = []
    # Kept chunks whose text did not change but whose offsets (or article metadata) did, e.g.
    # after a paragraph was inserted above them: their vectors stay, their metadata is rewritten.
    relabel: list[tuple[str, dict[str, Any]]] = []
    stale: list[str] = []
    for prepared in kept:
        wanted = {c.id for c in prepared.chunks}
        have = stored.get(prepared.source, set())
        moved = [
            (chunk.id, meta)
            for chunk, meta in zip(prepared.chunks, prepared.metadatas(), strict=True)
            if chunk.id in have and stored_meta.get(chunk.id) != meta
        ]
        if wanted == have and not moved:
            report.unchanged.append(prepared.source)
            continue
        (report.updated if have else report.added).append(prepared.source)
        relabel.extend(moved)
        stale.extend(sorted(have - wanted))
        pending.extend(
            (prepared, chunk, meta)
            for chunk, meta in zip(prepared.chunks, prepared.metadatas())
            if chunk.id not in have
        )

    for source, ids in sorted(stored.items()):
        # A file that now repeats another article loses its own old text (by its path).
        if source in leaving or source in duplicates:
            report.deleted.append(source)
            stale.extend(sorted(ids))

    if not dry_run:
        if pending or relabel or stale:
            with store.writing():  # one write session: one revision step, one index save
                _write(store, pending, progress)
                store.update_metadata([id_ for id_, _ in relabel], [meta for _, meta in relabel])
                store.delete(stale)
        report.embedded = len(pending)
        report.chunks = store.count()
    else:
        report.chunks = sum(len(v) for v in stored.values()) + len(pending) - len(stale)
    report.seconds = time.perf_counter() - started
    return report


def _prepare_all(
    candidates: list[_Candidate], options: IngestOptions, report: SyncReport
) -> tuple[list[PreparedArticle], set[str]]:
    """Every readable candidate prepared, and the sources still on disk (kept in the store even
    when their file cannot be read this time). Whatever fails for one file skips that file."""
    prepared: list[PreparedArticle] = []
    present: set[str] = set()
    claimed: dict[str, Path] = {}
    for candidate in candidates:
        # Two files with one source name (same relative path in two folders) would overwrite
        # each other's chunks on every run; the first one given keeps the name.
        if candidate.source in claimed:
            reason = f"same name '{candidate.source}' as {claimed[candidate.source]}; rename one"
            report.skipped.append(Skipped(str(candidate.path), reason))
            continue
        claimed[candidate.source] = candidate.path
        present.add(candidate.source)
        try:
            prepared.append(prepare_file(candidate, options))
        except UnreadableFile as exc:
            report.skipped.append(Skipped(str(candidate.path), str(exc)))
            log.warning("Skipped %s: %s", candidate.path, exc)
        except Exception as exc:  # one file's failure must not stop the others
            log.warning("Skipped %s", candidate.path, exc_info=True)
            reason = f"could not be read ({type(exc).__name__}); the details were logged"
            report.skipped.append(Skipped(str(candidate.path), reason))
    return prepared, present


def _content_holders(
    stored_meta: dict[str, dict[str, Any]],
    leaving: set[str],
    prepared: dict[str, PreparedArticle],
) -> dict[str, set[str]]:
    """Content hash -> the stored sources that hold it after this sync: not leaving, and not
    changing to other content in this run."""
    holders: dict[str, set[str]] = {}
    for meta in stored_meta.values():
        source, digest = str(meta.get("source", "")), meta.get("content_hash")
        if not digest or source in leaving:
            continue
        if source in prepared and prepared[source].content_hash != digest:
            continue
        holders.setdefault(str(digest), set()).add(source)
    return holders


def _drop_duplicates(
    prepared: list[PreparedArticle], holders: dict[str, set[str]], report: SyncReport
) -> tuple[list[PreparedArticle], set[str]]:
    """(articles to sync, sources skipped as duplicates). The article already in the store keeps
    its content; between new files, the first given does."""
    kept: list[PreparedArticle] = []
    duplicates: set[str] = set()
    first: dict[str, str] = {}
    for article in prepared:
        digest = article.content_hash
        stored_as = sorted(holders.get(digest, set()) - {article.source})
        if digest in first:
            original = first[digest]
        elif stored_as and article.source not in holders.get(digest, set()):
            original = stored_as[0]
        else:
            first[digest] = article.source
            kept.append(article)
            continue
        report.skipped.append(Skipped(article.path, f"duplicate of {original}"))
        duplicates.add(article.source)
    return kept, duplicates


def _write(
    store: ArticleStore,
    pending: list[tuple[PreparedArticle, Chunk, dict[str, Any]]],
    progress: bool | None,
) -> None:
    """Embed and write in a pipeline: a worker thread embeds the next batches while this one
    writes the last (the model releases the GIL while it runs), so the model never waits on
    the store, only the other way round."""
    if not pending:
        return
    from concurrent.futures import Future, ThreadPoolExecutor

    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    batches = [pending[i : i + EMBED_BATCH] for i in range(0, len(pending), EMBED_BATCH)]

    def embed(batch: list[tuple[PreparedArticle, Chunk, dict[str, Any]]]) -> list[list[float]]:
        return store.embeddings.embed_documents([chunk.embedding_text() for _, chunk, _ in batch])

    with (
        tqdm(
            total=len(pending), unit="chunk", desc="Embedding", disable=not show, file=sys.stderr
        ) as bar,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed") as embedder,
    ):
        ahead: list[Future[list[list[float]]]] = [
            embedder.submit(embed, batch) for batch in batches[:PIPELINE_DEPTH]
        ]
        try:
            for i, batch in enumerate(batches):
                vectors = ahead.pop(0).result()
                if i + PIPELINE_DEPTH < len(batches):
                    ahead.append(embedder.submit(embed, batches[i + PIPELINE_DEPTH]))
                store.upsert(
                    ids=[chunk.id for _, chunk, _ in batch],
                    texts=[chunk.text for _, chunk, _ in batch],
                    metadatas=[meta for _, _, meta in batch],
                    embeddings=vectors,
                )
                bar.update(len(batch))
        finally:
            for future in ahead:  # after an error: embed nothing more
                future.cancel()
