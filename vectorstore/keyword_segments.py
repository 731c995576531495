"""Immutable BM25 segments on disk: the postings of a batch of chunks, memory-mapped, built, merged, scored.

A segment is a folder of .npy arrays written once (into a temp folder, then renamed) and only
ever read after that, through memory maps, so opening one costs a few file opens however large
it is, and a query touches only the pages of its own terms:

    meta.json        format, counts, and the articles (source, title, date, original source)
    ids.npy          chunk ids (UTF-8, fixed width), sorted: document number = position
    doc_len.npy      terms per document (BM25's document length)
    doc_src.npy      each document's article (index into meta.json's sources)
    doc_end.npy      each document's end offset in its article (the catalogue's article size)
    term_hash.npy    64-bit hashes of the segment's terms, sorted
    term_off.npy     where each term's postings start in post_doc/post_tf (one more entry)
    post_doc.npy     postings: document numbers, ascending within a term
    post_tf.npy      postings: term frequency in that document
    term_text.bin    the terms themselves (UTF-8), for listing the vocabulary
    term_text_off.npy

Terms are keyed by hash so that looking one up is a binary search in a memory-mapped array,
never a dictionary built at load time. Deleted documents are not removed from a segment: the
index keeps a "dead" mask beside it, and merging segments drops them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 1
# BM25 as Lucene scores it, with the usual k1 and b (the defaults of bm25s's "lucene" method,
# which this index replaced: same scores for the same terms, see tests/test_keyword_index.py).
K1 = 1.5
B = 0.75
TF_MAX = int(np.iinfo(np.uint16).max)  # a chunk is at most 8,000 characters: never reached
_ARRAYS = (
    "ids", "doc_len", "doc_src", "doc_end", "term_hash", "term_off", "post_doc", "post_tf",
    "term_text_off",
)  # fmt: skip


class CorruptSegment(ValueError):
    """A segment's files are missing, truncated or inconsistent with each other."""


def term_hash(term: str) -> int:
    """A term's 64-bit key (BLAKE2b): a collision would need ~4 billion distinct terms."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little")


@dataclass(frozen=True)
class IndexedChunk:
    """What the keyword index keeps of one chunk: its terms, and the catalogue fields of its article."""

    id: str
    terms: Sequence[str]
    source: str
    end: int = 0
    title: str | None = None
    date: str | None = None
    original_source: str | None = None


@dataclass
class Segment:
    """One segment folder, memory-mapped."""

    path: Path
    meta: dict[str, Any]
    ids: np.ndarray
    doc_len: np.ndarray
    doc_src: np.ndarray
    doc_end: np.ndarray
    term_hash: np.ndarray
    term_off: np.ndarray
    post_doc: np.ndarray
    post_tf: np.ndarray
    term_text_off: np.ndarray

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def docs(self) -> int:
        return int(self.meta["docs"])

    @property
    def total_len(self) -> int:
        return int(self.meta["total_len"])

    @property
    def sources(self) -> list[list[Any]]:
        return list(self.meta["sources"])

    @classmethod
    def load(cls, path: Path) -> Segment:
        """Map a segment's files; CorruptSegment if any is missing or they disagree."""
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            arrays = {name: _map(path / f"{name}.npy") for name in _ARRAYS}
        except (OSError, ValueError) as exc:  # JSONDecodeError and numpy's format errors too
            raise CorruptSegment(f"segment {path.name}: {exc}") from exc
        segment = cls(path=path, meta=meta, **arrays)
        segment._check()
        _ = segment._term_text  # map it now, while the file is surely there
        return segment

    def _check(self) -> None:
        m = self.meta
        try:
            docs, terms, postings = int(m["docs"]), int(m["terms"]), int(m["postings"])
            expected = {
                "ids": docs, "doc_len": docs, "doc_src": docs, "doc_end": docs,
                "term_hash": terms, "term_off": terms + 1, "term_text_off": terms + 1,
                "post_doc": postings, "post_tf": postings,
            }  # fmt: skip
            ok = m.get("format") == FORMAT and all(
                getattr(self, name).shape == (size,) for name, size in expected.items()
            )
            ok = ok and (terms == 0 or int(self.term_off[-1]) == postings)
            text_size = (self.path / "term_text.bin").stat().st_size
            ok = ok and (terms == 0 or int(self.term_text_off[-1]) == text_size)
        except (KeyError, TypeError, ValueError, OSError) as exc:
            raise CorruptSegment(f"segment {self.path.name}: {exc}") from exc
        if not ok:
            raise CorruptSegment(f"segment {self.path.name}: files disagree with meta.json")

    def find(self, ids: Sequence[str]) -> np.ndarray:
        """Document numbers of chunk ids (-1 for ids this segment does not hold)."""
        if not len(ids) or not self.docs:
            return np.full(len(ids), -1, dtype=np.int64)
        keys = np.array([i.encode() for i in ids], dtype=self.ids.dtype)
        pos = np.searchsorted(self.ids, keys)
        pos = np.minimum(pos, self.docs - 1)
        # A longer id than the column holds cannot be here (and was truncated by the cast).
        fits = np.array([len(i.encode()) <= self.ids.dtype.itemsize for i in ids], dtype=bool)
        hit = (self.ids[pos] == keys) & fits
        return np.where(hit, pos, -1)

    def postings(self, key: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(document numbers, term frequencies) of a term hash, or None."""
        i = int(np.searchsorted(self.term_hash, np.uint64(key)))
        if i >= len(self.term_hash) or int(self.term_hash[i]) != key:
            return None
        start, end = int(self.term_off[i]), int(self.term_off[i + 1])
        return self.post_doc[start:end], self.post_tf[start:end]

    def document_frequencies(self) -> np.ndarray:
        """Documents per term (dead ones included), aligned with term_hash."""
        return np.diff(self.term_off).astype(np.int64)

    def dead_term_counts(self, dead: np.ndarray) -> np.ndarray:
        """Per term, how many of its documents are in the boolean mask `dead`."""
        if not len(self.term_hash):
            return np.zeros(0, dtype=np.int64)
        hits = dead[self.post_doc].astype(np.int64)
        counts = np.add.reduceat(hits, self.term_off[:-1]) if len(hits) else hits
        # reduceat gives the element itself for an empty range; no term has zero postings.
        return counts

    @cached_property
    def _term_text(self) -> np.ndarray:
        # Mapped like the rest: a writer may remove the files of an old generation while a
        # reader still holds it, and a mapping outlives the file's name.
        path = self.path / "term_text.bin"
        if not path.stat().st_size:
            return np.zeros(0, dtype=np.uint8)
        return np.memmap(path, dtype=np.uint8, mode="r")

    def term(self, i: int) -> str:
        start, end = int(self.term_text_off[i]), int(self.term_text_off[i + 1])
        return bytes(self._term_text[start:end]).decode()

    def chunk_id(self, doc: int) -> str:
        return bytes(self.ids[doc]).decode()


def _map(path: Path) -> np.ndarray:
    array = np.load(path, mmap_mode="r", allow_pickle=False)
    return np.asarray(array)


@dataclass
class _Columns:
    """A segment's arrays in memory, before they are written."""

    ids: np.ndarray  # fixed-width UTF-8, sorted
    doc_len: np.ndarray
    doc_src: np.ndarray
    doc_end: np.ndarray
    sources: list[list[Any]]
    hashes: np.ndarray  # per posting, any order
    docs: np.ndarray
    tfs: np.ndarray
    strings: dict[int, str]


def build_segment(folder: Path, name: str, chunks: Sequence[IndexedChunk]) -> Segment:
    """Write a segment of `chunks` (a repeated id keeps its last version) and map it."""
    if not chunks:
        raise ValueError("a segment holds at least one chunk")
    latest = list({c.id: c for c in chunks}.values())
    raw_ids = np.array([c.id.encode() for c in latest])
    order = np.argsort(raw_ids, kind="stable")  # numpy's byte order: the order `find` searches
    ordered = [latest[i] for i in order.tolist()]
    source_index: dict[str, int] = {}
    sources: list[list[Any]] = []
    for chunk in ordered:
        info = [chunk.source, chunk.title, chunk.date, chunk.original_source]
        if chunk.source in source_index:
            sources[source_index[chunk.source]] = info
        else:
            source_index[chunk.source] = len(sources)
            sources.append(info)
    cache: dict[str, int] = {}
    hashes: list[int] = []
    docs: list[int] = []
    tfs: list[int] = []
    for number, chunk in enumerate(ordered):
        for term, tf in Counter(chunk.terms).items():
            key = cache.get(term)
            if key is None:
                key = cache[term] = term_hash(term)
            hashes.append(key)
            docs.append(number)
            tfs.append(tf)
    columns = _Columns(
        ids=raw_ids[order],
        doc_len=np.array([len(c.terms) for c in ordered], dtype=np.int32),
        doc_src=np.array([source_index[c.source] for c in ordered], dtype=np.int32),
        doc_end=np.array([c.end for c in ordered], dtype=np.int32),
        sources=sources,
        hashes=np.array(hashes, dtype=np.uint64),
        docs=np.array(docs, dtype=np.int32),
        tfs=np.minimum(np.array(tfs, dtype=np.int64), TF_MAX).astype(np.uint16),
        strings={key: term for term, key in cache.items()},
    )
    return _write(folder, name, columns)


def merge_segments(
    folder: Path, name: str, parts: Sequence[tuple[Segment, np.ndarray | None]]
) -> Segment:
    """One segment holding the live documents of `parts` (segment, dead mask), oldest first.

    An id live in two parts keeps its newest version."""
    lives = [
        np.ones(seg.docs, dtype=bool) if dead is None else ~np.asarray(dead, dtype=bool)
        for seg, dead in parts
    ]
    width = max((seg.ids.dtype.itemsize for seg, _ in parts), default=1)
    all_ids = _cat(
        [seg.ids[live].astype(f"S{width}") for (seg, _), live in zip(parts, lives)], f"S{width}"
    )
    # np.unique keeps the first of equal ids: look from the newest end so the newest wins.
    unique_ids, first = np.unique(all_ids[::-1], return_index=True)
    chosen = len(all_ids) - 1 - first  # positions in all_ids, in id order
    new_number = np.full(len(all_ids), -1, dtype=np.int64)
    new_number[chosen] = np.arange(len(chosen))

    source_index: dict[str, int] = {}
    sources: list[list[Any]] = []
    lens, srcs, ends = [], [], []
    hashes, docs, tfs = [], [], []
    offset = 0
    for (seg, _), live in zip(parts, lives):
        keep = np.flatnonzero(live)
        remap_src = np.empty(len(seg.sources), dtype=np.int32)
        for i, info in enumerate(seg.sources):
            if info[0] in source_index:
                sources[source_index[info[0]]] = list(info)  # the newer part's fields win
            else:
                source_index[info[0]] = len(sources)
                sources.append(list(info))
            remap_src[i] = source_index[info[0]]
        lens.append(seg.doc_len[keep])
        srcs.append(remap_src[seg.doc_src[keep]])
        ends.append(seg.doc_end[keep])
        doc_map = np.full(seg.docs, -1, dtype=np.int64)
        doc_map[keep] = new_number[offset : offset + len(keep)]
        offset += len(keep)
        post_doc = np.asarray(seg.post_doc)
        mapped = doc_map[post_doc]
        alive = mapped >= 0
        hashes.append(np.repeat(seg.term_hash, np.diff(seg.term_off))[alive])
        docs.append(mapped[alive])
        tfs.append(np.asarray(seg.post_tf)[alive])
    merged_hashes = _cat(hashes, np.uint64)
    strings: dict[int, str] = {}
    wanted = np.unique(merged_hashes)
    for seg, _ in reversed(parts):
        if len(strings) == len(wanted):
            break
        where = np.minimum(np.searchsorted(seg.term_hash, wanted), max(len(seg.term_hash) - 1, 0))
        if not len(seg.term_hash):
            continue
        present = seg.term_hash[where] == wanted
        for key, i in zip(wanted[present].tolist(), where[present].tolist()):
            if key not in strings:
                strings[key] = seg.term(i)
    columns = _Columns(
        ids=unique_ids,
        doc_len=_cat(lens, np.int32)[chosen],
        doc_src=_cat(srcs, np.int32)[chosen],
        doc_end=_cat(ends, np.int32)[chosen],
        sources=sources,
        hashes=merged_hashes,
        docs=_cat(docs, np.int32),
        tfs=_cat(tfs, np.uint16),
        strings=strings,
    )
    return _write(folder, name, columns)


def _cat(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)


def _write(folder: Path, name: str, columns: _Columns) -> Segment:
    order = np.lexsort((columns.docs, columns.hashes))
    hashes, docs, tfs = columns.hashes[order], columns.docs[order], columns.tfs[order]
    unique, starts = np.unique(hashes, return_index=True)
    term_off = np.append(starts, len(hashes)).astype(np.int64)
    encoded = [columns.strings[int(key)].encode() for key in unique.tolist()]
    text_off = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=text_off[1:])
    arrays = {
        "ids": columns.ids,
        "doc_len": columns.doc_len.astype(np.int32),
        "doc_src": columns.doc_src.astype(np.int32),
        "doc_end": columns.doc_end.astype(np.int32),
        "term_hash": unique.astype(np.uint64),
        "term_off": term_off,
        "post_doc": docs.astype(np.int32),
        "post_tf": tfs.astype(np.uint16),
        "term_text_off": text_off,
    }
    meta = {
        "format": FORMAT,
        "docs": len(columns.ids),
        "terms": len(unique),
        "postings": len(hashes),
        "total_len": int(columns.doc_len.sum()),
        "sources": columns.sources,
    }
    final = folder / name
    temp = folder / f"{name}.tmp"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    for key, array in arrays.items():
        _save(temp / f"{key}.npy", array)
    _write_bytes(temp / "term_text.bin", b"".join(encoded))
    _write_bytes(temp / "meta.json", json.dumps(meta).encode())
    os.replace(temp, final)
    fsync_dir(folder)
    return Segment.load(final)


def _save(path: Path, array: np.ndarray) -> None:
    with path.open("wb") as out:
        np.save(out, array, allow_pickle=False)
        out.flush()
        os.fsync(out.fileno())


def _write_bytes(path: Path, data: bytes) -> None:
    with path.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def save_array(path: Path, array: np.ndarray) -> None:
    """Write an array durably under a temp name, then move it into place."""
    temp = path.with_name(path.name + ".tmp")
    _save(temp, array)
    os.replace(temp, path)


def load_array(path: Path) -> np.ndarray:
    try:
        return _map(path)
    except (OSError, ValueError) as exc:
        raise CorruptSegment(f"{path.name}: {exc}") from exc


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def length_norms(segment: Segment, avgdl: float) -> np.ndarray:
    """Per document, BM25's length normalisation K1 * (1 - B + B * dl / avgdl)."""
    dl = np.asarray(segment.doc_len, dtype=np.float64)
    return K1 * (1 - B + B * dl / avgdl)


def bm25_top(
    parts: Sequence[tuple[Segment, np.ndarray | None, np.ndarray]],
    weighted: Sequence[tuple[int, float]],
    n: int,
) -> list[tuple[str, float]]:
    """The n best (chunk id, score) over the live documents of (segment, dead document numbers,
    length norms): Lucene's BM25, for each (term hash, weight) weight * tf / (tf + norm), summed
    over the terms (a repeated term counts again); ties broken by chunk id.

    Exact, with MaxScore pruning: a term adds less than its weight to any document (tf / (tf +
    norm) < 1), so once the n-th best partial score beats the summed weights of the terms not
    yet read, a document none of the read terms reached cannot enter the top n, and the rest
    are looked up for the remaining candidates only, not read in full. Terms are read by weight,
    rarest first, the same order for any layout of the same documents, so incremental updates
    and a rebuild give the same scores to the bit."""
    combined: dict[int, float] = {}
    for key, weight in weighted:
        combined[key] = combined.get(key, 0.0) + weight
    terms = sorted(combined.items(), key=lambda item: (-item[1], item[0]))
    found: list[tuple[float, str]] = []
    for seg, dead, norm in parts:
        found.extend(_segment_top(seg, dead, norm, terms, n))
    found.sort(key=lambda item: (-item[0], item[1]))
    return [(id_, score) for score, id_ in found[:n]]


# Slack on the pruning bounds, so float rounding can only keep a candidate, never drop one.
_SLACK = 1e-9


def _segment_top(
    seg: Segment,
    dead: np.ndarray | None,
    norm: np.ndarray,
    terms: Sequence[tuple[int, float]],
    n: int,
) -> list[tuple[float, str]]:
    scores: np.ndarray | None = None
    remaining = float(sum(w for _, w in terms))
    theta = 0.0
    read = 0
    for key, weight in terms:
        read += 1
        remaining -= weight
        hit = seg.postings(key)
        if hit is None:
            continue
        docs, tf_raw = hit
        tf = tf_raw.astype(np.float64)
        if scores is None:
            scores = np.zeros(seg.docs, dtype=np.float64)
        scores[docs] += weight * tf / (tf + norm[docs])  # a term's documents are distinct
        if dead is not None and len(dead):
            scores[dead] = 0.0
        if read == len(terms):
            break
        touched = np.flatnonzero(scores > 0)
        if len(touched) >= n:
            theta = float(np.partition(scores[touched], len(touched) - n)[len(touched) - n])
            if remaining < theta * (1 - _SLACK) - _SLACK:
                break
    if scores is None:
        return []
    if read < len(terms):
        # Only documents that could still reach theta get the remaining terms, looked up.
        candidates = np.flatnonzero(scores > 0)
        candidates = candidates[scores[candidates] + remaining >= theta * (1 - _SLACK) - _SLACK]
        for key, weight in terms[read:]:
            hit = seg.postings(key)
            if hit is None or not len(candidates):
                continue
            docs, tf_raw = hit
            where = np.minimum(np.searchsorted(docs, candidates), len(docs) - 1)
            present = docs[where] == candidates
            if not present.any():
                continue
            tf = tf_raw[where[present]].astype(np.float64)
            rows = candidates[present]
            scores[rows] += weight * tf / (tf + norm[rows])
        hits = candidates
    else:
        hits = np.flatnonzero(scores > 0)
    if len(hits) > n:
        kth = np.partition(scores[hits], len(hits) - n)[len(hits) - n]
        above = hits[scores[hits] > kth]
        tied = hits[scores[hits] == kth]  # ascending document number = ascending id
        hits = np.concatenate([above, tied[: n - len(above)]])
    return [(float(scores[i]), seg.chunk_id(i)) for i in hits.tolist()]


def combine_counts(
    keys: Sequence[np.ndarray], counts: Sequence[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Sum counts per key over several (keys, counts) pairs; keys sorted, zero sums dropped."""
    all_keys = _cat(list(keys), np.uint64)
    all_counts = _cat(list(counts), np.int64)
    if not len(all_keys):
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    unique, inverse = np.unique(all_keys, return_inverse=True)
    sums = np.zeros(len(unique), dtype=np.int64)
    np.add.at(sums, inverse, all_counts)
    keep = sums != 0
    return unique[keep], sums[keep]
