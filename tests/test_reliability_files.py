"""Hostile files in the articles folder: each is skipped with its reason, the good ones still go in,
and the store ends up exactly as a clean ingest of the good files alone."""

from __future__ import annotations

import os
import shutil
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import ingest.sync
from assistant.api import Assistant
from assistant.config import Settings
from ingest import SyncReport
from ingest.loading import LoadedText, read_article_file
from tests.conftest import BUNDLED_ARTICLES, MemoEmbeddings
from vectorstore import ArticleStore, MiniLMEmbeddings, StoreLocation

BUNDLED = sorted(p.name for p in BUNDLED_ARTICLES.iterdir())
DUPLICATED = BUNDLED[0]
GOOD_PDF_TEXT = (
    "The harbour authority reopened the northern pier on Monday after a two-year repair. "
    "Fishing boats returned to the quay within hours, and the ferry service resumes in May."
)
GOOD_HTML = """<!doctype html><html><head><title>Library vote</title></head><body>
<nav>Home | World | Sport</nav>
<article><h1>Library vote</h1>
<p>The town council voted on Thursday to keep the public library open on Sundays.</p>
<p>Seven councillors backed the plan, which costs forty thousand euros a year, and two opposed it.</p>
<p>The librarians' union welcomed the decision and said volunteers would help at weekends.</p>
</article><footer>Contact us</footer></body></html>"""
GOOD = [*BUNDLED, "harbour.pdf", "library.html"]

# What each hostile file is skipped for, exactly as the user reads it.
EXPECTED_SKIPS = {
    "empty.txt": "empty file",
    "blank.md": "empty file",
    "binary.txt": "binary file, not text",
    "latin1.txt": "not valid UTF-8 text (byte 18); re-save the file as UTF-8",
    "huge.txt": "file too large (50.0 MB > 20.0 MB limit)",
    "bomb-zeros.pdf": "corrupt or unreadable PDF (LimitReachedError)",
    "bomb-text.pdf": "PDF text too long (possible decompression bomb)",
    "corrupt.pdf": "corrupt or unreadable PDF (PdfStreamError)",
    "truncated.pdf": "corrupt or unreadable PDF (PdfStreamError)",
    "outside-link.txt": "symlink pointing outside the folder",
    "vanishing.txt": "file disappeared while reading",
    "zz-copy.txt": f"duplicate of {DUPLICATED}",
    "notes.docx": "unsupported file type '.docx'",
}


def make_pdf(content: bytes, *, flate: bool = True) -> bytes:
    """A one-page PDF (Helvetica) whose page content stream is `content`, with a correct xref."""
    stream = zlib.compress(content, 9) if flate else content
    filters = b"/Filter /FlateDecode " if flate else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
        ),
        b"<< "
        + filters
        + b"/Length "
        + str(len(stream)).encode()
        + b" >>\nstream\n"
        + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def text_ops(text: str, repeat: int = 1) -> bytes:
    line = f"({text}) Tj T* ".encode("latin-1")
    return b"BT /F1 10 Tf 12 TL 72 720 Td " + line * repeat + b"ET"


def write_hostile_files(folder: Path, outside: Path) -> None:
    (folder / "harbour.pdf").write_bytes(make_pdf(text_ops(GOOD_PDF_TEXT)))
    (folder / "library.html").write_text(GOOD_HTML, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text(" \n\t\n  \n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "latin1.txt").write_bytes(
        "The minister's caf\u00e9 speech".encode("latin-1") + b" ok"
    )
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    # 100 MB of zeros in ~100 KB: pypdf stops inflating at its output limit.
    (folder / "bomb-zeros.pdf").write_bytes(make_pdf(b"\0" * 100_000_000))
    # 2.1 MB of text in ~3 KB: more text than any article (MAX_TEXT_CHARS).
    (folder / "bomb-text.pdf").write_bytes(make_pdf(text_ops("A" * 21_000, repeat=100)))
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    (folder / "truncated.pdf").write_bytes(make_pdf(text_ops(GOOD_PDF_TEXT))[:300])
    secret = outside / "secret.txt"
    secret.write_text("The launch codes are 0000. " * 20, encoding="utf-8")
    (folder / "outside-link.txt").symlink_to(secret)
    (folder / "vanishing.txt").write_text("A file that is gone by the time it is read. " * 10)
    shutil.copyfile(folder / DUPLICATED, folder / "zz-copy.txt")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not really a document")
    (folder / ".hidden.txt").write_text("Dot files are not articles. " * 10, encoding="utf-8")


def assistant_over(root: Path, folder: Path, embeddings: Any) -> Assistant:
    """An offline Assistant with default settings (MAX_FILE_MB=20) over `folder` and a store in `root`."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, chroma_path=root / "chroma", articles_path=folder, answer_backend="offline"
    )
    assert settings.max_file_mb == 20
    store = ArticleStore.open(StoreLocation(path=settings.chroma_path), embeddings)
    return Assistant(settings, store)


def snapshot(store: ArticleStore) -> dict[str, tuple[Any, ...]]:
    """Every chunk: id -> (source, start, end, index, n_chunks, content hash, text); not the root
    folder, which differs between two stores of one corpus."""
    return {
        c.id: (
            c.metadata["source"],
            c.metadata["start"],
            c.metadata["end"],
            c.metadata["chunk_index"],
            c.metadata["n_chunks"],
            c.metadata["content_hash"],
            c.text,
        )
        for c in store.iter_chunks()
    }


def ids_by_source(chunks: dict[str, tuple[Any, ...]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for id_, row in chunks.items():
        out.setdefault(row[0], set()).add(id_)
    return out


def skips(report: SyncReport) -> dict[str, str]:
    return {Path(s.path).name: s.reason for s in report.skipped}


def vanishing_reader(name: str) -> Callable[..., LoadedText]:
    """read_article_file, except that `name` is deleted just before it is read (after the walk)."""

    def read(path: Path, *args: Any, **kwargs: Any) -> LoadedText:
        if path.name == name:
            path.unlink()
        return read_article_file(path, *args, **kwargs)

    return read


@dataclass(frozen=True)
class Messy:
    folder: Path
    assistant: Assistant
    first: SyncReport
    read_during_first: list[str]  # names of the files whose bytes the first ingest read
    second: SyncReport
    clean: dict[str, tuple[Any, ...]]  # a clean ingest of only the good files


@pytest.fixture(scope="module")
def memo(embeddings: MiniLMEmbeddings) -> MemoEmbeddings:
    return MemoEmbeddings(embeddings)


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory, memo: MemoEmbeddings) -> Messy:
    root = tmp_path_factory.mktemp("messy")
    folder, outside = root / "articles", root / "outside"
    outside.mkdir()
    shutil.copytree(BUNDLED_ARTICLES, folder)
    write_hostile_files(folder, outside)

    assistant = assistant_over(root, folder, memo)
    read: list[str] = []
    read_bytes = Path.read_bytes

    def spy(self: Path) -> bytes:
        read.append(self.name)
        return read_bytes(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ingest.sync, "read_article_file", vanishing_reader("vanishing.txt"))
        patch.setattr(Path, "read_bytes", spy)
        first = assistant.ingest()
    second = assistant.ingest()

    good_root = tmp_path_factory.mktemp("good")
    good = good_root / "articles"
    good.mkdir()
    for name in GOOD:
        shutil.copyfile(folder / name, good / name)
    clean = assistant_over(good_root, good, memo)
    clean.ingest()
    return Messy(folder, assistant, first, read, second, snapshot(clean.store))


def test_every_hostile_file_is_skipped_with_its_reason(messy: Messy) -> None:
    assert skips(messy.first) == EXPECTED_SKIPS


def test_every_good_file_is_ingested(messy: Messy) -> None:
    assert sorted(messy.first.added) == sorted(GOOD)
    assert (messy.first.updated, messy.first.deleted, messy.first.unchanged) == ([], [], [])


def test_store_equals_a_clean_ingest_of_the_good_files(messy: Messy) -> None:
    stored = snapshot(messy.assistant.store)
    assert ids_by_source(stored) == ids_by_source(messy.clean)
    assert stored == messy.clean
    assert sorted(ids_by_source(stored)) == sorted(GOOD)  # no orphan or hostile source
    assert messy.first.chunks == len(messy.clean)


def test_second_ingest_changes_nothing_and_skips_the_same_files(messy: Messy) -> None:
    assert sorted(messy.second.unchanged) == sorted(GOOD)
    assert (messy.second.added, messy.second.updated, messy.second.deleted) == ([], [], [])
    assert messy.second.embedded == 0
    expected = {k: v for k, v in EXPECTED_SKIPS.items() if k != "vanishing.txt"}
    assert skips(messy.second) == expected
    assert snapshot(messy.assistant.store) == messy.clean


def test_good_pdf_and_html_are_readable_as_articles(messy: Messy) -> None:
    pdf = messy.assistant.article("harbour.pdf")
    html = messy.assistant.article("library.html")
    assert pdf is not None and html is not None
    assert " ".join(pdf.text.split()) == GOOD_PDF_TEXT
    assert "Seven councillors backed the plan" in html.text
    assert "Home | World | Sport" not in html.text  # navigation is not article text
    assert html.title == "Library vote"


def test_nothing_of_the_hostile_files_is_readable(messy: Messy) -> None:
    for name in EXPECTED_SKIPS:
        assert messy.assistant.article(name) is None
    assert messy.assistant.article(".hidden.txt") is None
    stored_text = " ".join(row[-1] for row in snapshot(messy.assistant.store).values())
    assert "launch codes" not in stored_text
    assert "AAAAAAAAAA" not in stored_text


def test_sparse_50mb_file_is_skipped_without_being_read(messy: Messy) -> None:
    # The size check comes before reading: the 50 MB are never pulled into memory.
    assert "huge.txt" not in messy.read_during_first
    assert "harbour.pdf" in messy.read_during_first and "bomb-text.pdf" in messy.read_during_first


def test_file_stored_before_it_vanishes_mid_ingest_is_gone_after_the_next_run(
    tmp_path: Path, memo: MemoEmbeddings
) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(BUNDLED_ARTICLES, folder)
    victim = BUNDLED[2]
    assistant = assistant_over(tmp_path, folder, memo)
    assistant.ingest()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ingest.sync, "read_article_file", vanishing_reader(victim))
        during = assistant.ingest()
    assert skips(during) == {victim: "file disappeared while reading"}
    after = assistant.ingest()
    assert after.deleted == [victim]
    assert sorted(ids_by_source(snapshot(assistant.store))) == [n for n in BUNDLED if n != victim]


def test_fifo_named_like_an_article_does_not_hang_ingest(
    tmp_path: Path, memo: MemoEmbeddings
) -> None:
    """A named pipe never reaches end-of-file: reading it would block ingest for ever."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copyfile(BUNDLED_ARTICLES / BUNDLED[0], folder / BUNDLED[0])
    pipe = folder / "pipe.txt"
    os.mkfifo(pipe)
    assistant = assistant_over(tmp_path, folder, memo)
    result: dict[str, SyncReport] = {}
    worker = threading.Thread(target=lambda: result.update(report=assistant.ingest()), daemon=True)
    worker.start()
    worker.join(timeout=120)  # a hang guard, not a speed check
    hung = worker.is_alive()
    if hung:  # free the blocked reader so the test can end: a writer that closes at once
        os.close(os.open(pipe, os.O_WRONLY))
        worker.join(timeout=60)
    assert not hung, "ingest blocked reading a named pipe"
    assert skips(result["report"]) == {"pipe.txt": "not a regular file"}
    assert result["report"].added == [BUNDLED[0]]
