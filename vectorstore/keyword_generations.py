"""Generations of the keyword index on disk: the manifest that names one, reading it as a
memory-mapped Snapshot, and writing the next one (compaction, then garbage collection).

A generation is a manifest.json naming immutable segments (vectorstore/keyword_segments.py),
a dead mask per segment that lost documents since it was written, and a stats file (document
frequency per term hash, live documents only). Every file is written under a new name and the
manifest is replaced last, atomically, so a reader sees the old generation or the new one, never
a mix; files of the last two generations are kept, so a reader that just read the old manifest
still finds its files (and a mapping outlives a removed file anyway).
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from vectorstore.keyword_segments import (
    CorruptSegment,
    Segment,
    bm25_top,
    fsync_dir,
    length_norms,
    load_array,
    merge_segments,
    save_array,
    term_hash,
)

log = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"
# Segments are merged while the older of the two newest holds at most this many times the
# newest's live documents: sizes grow geometrically, so there are O(log n) segments and each
# document is rewritten O(log n) times over the index's life.
MERGE_RATIO = 2.0
# A segment whose share of deleted documents passes this is rewritten without them.
MAX_DEAD_SHARE = 0.5

Revision = tuple[str, int, int]  # (collection id, write counter, chunk count), from the store


class CorruptIndex(ValueError):
    """The index's files cannot be read as a consistent generation."""


@dataclass(frozen=True)
class CatalogueEntry:
    """One article as the index knows it: its metadata, how many chunks, how long its text."""

    source: str
    title: str | None
    date: str | None
    original_source: str | None
    chunks: int
    chars: int | None  # the cleaned article's length (its last chunk's end offset)


@dataclass(frozen=True)
class Snapshot:
    """One generation of the index, memory-mapped; never changes once loaded."""

    folder: Path
    generation: int
    revision: Revision
    analyzer: str
    segments: tuple[Segment, ...]
    dead: tuple[np.ndarray | None, ...]
    dead_files: tuple[str | None, ...]
    df_hash: np.ndarray
    df: np.ndarray
    stats_name: str
    docs: int
    total_len: int
    _df_cache: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def files(self) -> frozenset[str]:
        """The names in the folder this generation uses."""
        names = {MANIFEST, f"{self.stats_name}-hash.npy", f"{self.stats_name}-df.npy"}
        names.update(s.name for s in self.segments)
        names.update(d for d in self.dead_files if d)
        return frozenset(names)

    def matches(self, revision: Revision, analyzer: str) -> bool:
        return tuple(self.revision) == tuple(revision) and self.analyzer == analyzer

    def document_frequency(self, term: str) -> int:
        """Live chunks that contain `term` (0 when none does)."""
        cached = self._df_cache.get(term)
        if cached is not None:
            return cached
        df = self._df_of(term_hash(term))
        if len(self._df_cache) < 100_000:
            self._df_cache[term] = df
        return df

    def _df_of(self, key: int) -> int:
        i = int(np.searchsorted(self.df_hash, np.uint64(key)))
        if i < len(self.df_hash) and int(self.df_hash[i]) == key:
            return int(self.df[i])
        return 0

    def idf(self, df: int) -> float:
        """BM25's (Lucene) inverse document frequency for a term in `df` of the live chunks."""
        n = max(1, self.docs)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(self, query_terms: Sequence[str], n: int) -> list[tuple[str, float]]:
        """The n best chunk ids for the terms (a repeated term counts again), BM25-scored."""
        if not self.docs or not query_terms or n <= 0:
            return []
        weighted: list[tuple[int, float]] = []
        for term in query_terms:
            df = self.document_frequency(term)
            if df:
                weighted.append((term_hash(term), self.idf(df)))
        if not weighted:
            return []
        return bm25_top(list(zip(self.segments, self._dead_docs, self._norms)), weighted, n)

    @cached_property
    def _norms(self) -> list[np.ndarray]:
        avgdl = self.total_len / self.docs if self.docs else 1.0
        return [length_norms(seg, avgdl) for seg in self.segments]

    @cached_property
    def _dead_docs(self) -> list[np.ndarray | None]:
        return [None if mask is None else np.flatnonzero(mask) for mask in self.dead]

    @cached_property
    def catalogue(self) -> list[CatalogueEntry]:
        """Every article with live chunks, by source name."""
        found: dict[str, list[Any]] = {}
        for seg, dead in zip(self.segments, self.dead):
            if not seg.docs or not seg.sources:
                continue
            src = np.asarray(seg.doc_src)
            end = np.asarray(seg.doc_end)
            if dead is not None:
                live = ~np.asarray(dead)
                src, end = src[live], end[live]
            counts = np.bincount(src, minlength=len(seg.sources))
            longest = np.zeros(len(seg.sources), dtype=np.int64)
            np.maximum.at(longest, src, end)
            for i in np.flatnonzero(counts).tolist():
                source, title, date, original = seg.sources[i]
                entry = found.get(source)
                if entry is None:
                    found[source] = [title, date, original, int(counts[i]), int(longest[i])]
                else:  # a newer segment's fields win; counts add up
                    entry[:3] = [title, date, original]
                    entry[3] += int(counts[i])
                    entry[4] = max(entry[4], int(longest[i]))
        return [
            CatalogueEntry(source, e[0], e[1], e[2], e[3], e[4])
            for source, e in sorted(found.items())
        ]

    def vocabulary(self) -> Iterator[tuple[str, int]]:
        """(term, document frequency) of every term some live chunk has."""
        seen: set[int] = set()
        for seg in reversed(self.segments):
            for i, key in enumerate(seg.term_hash.tolist()):
                if key in seen:
                    continue
                df = self._df_of(key)
                if df:
                    seen.add(key)
                    yield seg.term(i), df


def empty_snapshot(folder: Path, revision: Revision, analyzer: str, generation: int) -> Snapshot:
    return Snapshot(
        folder=folder,
        generation=generation,
        revision=tuple(revision),  # type: ignore[arg-type]
        analyzer=analyzer,
        segments=(),
        dead=(),
        dead_files=(),
        df_hash=np.zeros(0, dtype=np.uint64),
        df=np.zeros(0, dtype=np.int64),
        stats_name="",
        docs=0,
        total_len=0,
    )


def load_snapshot(folder: Path) -> Snapshot | None:
    """The folder's current generation; None when there is no index; CorruptIndex when the
    files do not hold together."""
    for attempt in range(3):
        try:
            text = (folder / MANIFEST).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise CorruptIndex(f"cannot read {folder / MANIFEST}: {exc}") from exc
        try:
            return _snapshot_from(folder, text)
        except FileNotFoundError:
            # A writer replaced the manifest and removed the files of an older generation
            # between our reads: read the (new) manifest again.
            if attempt == 2:
                raise CorruptIndex(f"{folder}: the manifest names files that are gone") from None
    return None


def _snapshot_from(folder: Path, text: str) -> Snapshot:
    try:
        manifest = json.loads(text)
        if manifest.get("format") != FORMAT:
            raise CorruptIndex(f"{folder / MANIFEST}: unknown format {manifest.get('format')!r}")
        segments: list[Segment] = []
        dead: list[np.ndarray | None] = []
        dead_files: list[str | None] = []
        live_total = 0
        for entry in manifest["segments"]:
            if not (folder / entry["name"]).is_dir():
                raise FileNotFoundError(entry["name"])
            seg = Segment.load(folder / entry["name"])
            mask = None
            if entry.get("dead"):
                mask = load_array(folder / entry["dead"])
                if mask.shape != (seg.docs,) or mask.dtype != np.bool_:
                    raise CorruptIndex(f"{entry['dead']}: not a mask of {seg.docs} documents")
            live = seg.docs - (int(np.count_nonzero(mask)) if mask is not None else 0)
            if live != int(entry["live"]):
                raise CorruptIndex(
                    f"segment {seg.name}: {live} live documents, manifest says {entry['live']}"
                )
            live_total += live
            segments.append(seg)
            dead.append(mask)
            dead_files.append(entry.get("dead"))
        stats = str(manifest["stats"])
        if stats:
            df_hash = load_array(folder / f"{stats}-hash.npy")
            df = load_array(folder / f"{stats}-df.npy")
        else:
            df_hash, df = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        if df_hash.shape != df.shape or df_hash.dtype != np.uint64:
            raise CorruptIndex(f"{stats}: hash and frequency tables disagree")
        if live_total != int(manifest["docs"]):
            raise CorruptIndex(f"{folder / MANIFEST}: segments hold {live_total} live documents")
        revision = manifest["revision"]
        return Snapshot(
            folder=folder,
            generation=int(manifest["generation"]),
            revision=(str(revision[0]), int(revision[1]), int(revision[2])),
            analyzer=str(manifest["analyzer"]),
            segments=tuple(segments),
            dead=tuple(dead),
            dead_files=tuple(dead_files),
            df_hash=df_hash,
            df=df,
            stats_name=stats,
            docs=int(manifest["docs"]),
            total_len=int(manifest["total_len"]),
        )
    except FileNotFoundError:
        raise
    except CorruptSegment as exc:
        if isinstance(exc.__cause__, FileNotFoundError):
            raise exc.__cause__ from None
        raise CorruptIndex(str(exc)) from exc
    except (KeyError, TypeError, ValueError, IndexError, OSError) as exc:
        if isinstance(exc, CorruptIndex):
            raise
        raise CorruptIndex(f"{folder / MANIFEST}: {exc}") from exc


def new_token() -> str:
    """A unique part for a new file name (files are never rewritten under the same name)."""
    return uuid.uuid4().hex[:12]


def compact(
    folder: Path, segments: list[Segment], dead: list[np.ndarray | None]
) -> tuple[list[Segment], list[np.ndarray | None]]:
    """Drop empty segments, rewrite mostly-dead ones, merge the newest while sizes are close."""

    def live(i: int) -> int:
        mask = dead[i]
        return segments[i].docs - (int(np.count_nonzero(mask)) if mask is not None else 0)

    kept = [i for i in range(len(segments)) if live(i) > 0]
    segments, dead = [segments[i] for i in kept], [dead[i] for i in kept]
    for i in range(len(segments)):
        mask = dead[i]
        if mask is not None and np.count_nonzero(mask) > MAX_DEAD_SHARE * segments[i].docs:
            segments[i] = merge_segments(folder, f"seg-{new_token()}", [(segments[i], mask)])
            dead[i] = None
    while len(segments) >= 2 and live(len(segments) - 2) <= MERGE_RATIO * live(len(segments) - 1):
        merged = merge_segments(folder, f"seg-{new_token()}", list(zip(segments[-2:], dead[-2:])))
        segments[-2:] = [merged]
        dead[-2:] = [None]
    return segments, dead


def write_generation(
    folder: Path,
    analyzer: str,
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
    """Compact, write the files of the generation after `base`, replace the manifest with it
    (atomically: readers see the old one or the new one), and remove what neither uses."""
    before = {id(s): i for i, s in enumerate(base.segments)}
    segments, dead = compact(folder, segments, dead)
    dead_files: list[str | None] = []
    for seg, mask in zip(segments, dead):
        i = before.get(id(seg))
        if mask is None:
            dead_files.append(None)
        elif not fresh and i is not None and i not in changed_masks and base.dead_files[i]:
            dead_files.append(base.dead_files[i])
        else:
            name = f"dead-{new_token()}.npy"
            save_array(folder / name, np.asarray(mask, dtype=bool))
            dead_files.append(name)
    stats = f"stats-{new_token()}"
    save_array(folder / f"{stats}-hash.npy", df_hash.astype(np.uint64))
    save_array(folder / f"{stats}-df.npy", df.astype(np.int64))
    generation = base.generation + 1
    manifest = {
        "format": FORMAT,
        "generation": generation,
        "revision": list(revision),
        "analyzer": analyzer,
        "docs": docs,
        "total_len": total_len,
        "stats": stats,
        "segments": [
            {
                "name": seg.name,
                "dead": name,
                "live": seg.docs - (int(np.count_nonzero(m)) if m is not None else 0),
            }
            for seg, m, name in zip(segments, dead, dead_files)
        ],
    }
    write_json(folder / MANIFEST, manifest)
    snapshot = Snapshot(
        folder=folder,
        generation=generation,
        revision=(str(revision[0]), int(revision[1]), int(revision[2])),
        analyzer=analyzer,
        segments=tuple(segments),
        dead=tuple(None if m is None else np.asarray(m) for m in dead),
        dead_files=tuple(dead_files),
        df_hash=load_array(folder / f"{stats}-hash.npy"),
        df=load_array(folder / f"{stats}-df.npy"),
        stats_name=stats,
        docs=docs,
        total_len=total_len,
    )
    _collect_garbage(folder, keep=snapshot.files | base.files)
    return snapshot


def _collect_garbage(folder: Path, keep: frozenset[str]) -> None:
    """Remove files no generation from the last two uses (readers of an older one reload)."""
    for path in folder.iterdir():
        name = path.name
        if name in keep or not name.startswith(("seg-", "dead-", "stats-", MANIFEST + ".")):
            continue
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError as exc:  # e.g. a file a reader on another OS still has open
            log.info("Could not remove %s: %s", path, exc)


def load_or_none(folder: Path) -> Snapshot | None:
    try:
        return load_snapshot(folder)
    except CorruptIndex as exc:
        log.warning("The keyword index at %s is unreadable (%s)", folder, exc)
        return None


def write_json(path: Path, data: dict[str, Any]) -> None:
    temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with temp.open("w", encoding="utf-8") as out:
        json.dump(data, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)
    fsync_dir(path.parent)
