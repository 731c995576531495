"""Reading article files (.txt, .md, .html, .pdf) into plain text, refusing what is not an article."""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf"})
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Extracted text beyond this is not an article but a dump (or a decompression bomb).
MAX_TEXT_CHARS = 2_000_000
MAX_PDF_PAGES = 500
MAX_PAGE_CONTENT_BYTES = 4 * 1024 * 1024


class UnreadableFile(Exception):
    """A file that cannot be taken in; `str(exc)` is the reason shown to the user."""


@dataclass(frozen=True)
class LoadedText:
    """The text of one file plus the metadata its format carried (HTML title/date)."""

    text: str
    meta: dict[str, str] = field(default_factory=dict)


def read_article_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedText:
    """Read one file as text. Raises UnreadableFile with a user-facing reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(f"unsupported file type '{suffix or path.name}'")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            # A named pipe or a device never ends (or blocks): reading it would hang the ingest.
            raise UnreadableFile("not a regular file")
        size = info.st_size
        if size > max_bytes:
            raise UnreadableFile(f"file too large ({_size(size)} > {_size(max_bytes)} limit)")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableFile("file disappeared while reading") from exc
    except IsADirectoryError as exc:
        raise UnreadableFile("is a directory") from exc
    except OSError as exc:
        raise UnreadableFile(f"cannot read file ({exc.strerror or exc})") from exc
    if not data.strip():
        raise UnreadableFile("empty file")
    if suffix == ".pdf":
        return LoadedText(_pdf_text(data))
    text = _decode(data)
    if suffix in {".html", ".htm"}:
        return _html_text(text)
    return LoadedText(text)


def _size(n: int) -> str:
    """Sizes as the settings count them (MAX_FILE_MB=20 means 20 x 1024 x 1024 bytes)."""
    return f"{n / 1024**2:.1f} MB" if n >= 100 * 1024 else f"{n / 1024:.1f} KB"


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise UnreadableFile("binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"not valid UTF-8 text (byte {exc.start}); re-save the file as UTF-8"
        ) from exc
    if len(text) > MAX_TEXT_CHARS:
        raise UnreadableFile(f"text too long ({len(text):,} characters)")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 8192):
        raise UnreadableFile("binary file, not text")
    return text


def _html_text(html: str) -> LoadedText:
    """Main text of a web page, without navigation, comments or scripts (trafilatura)."""
    import trafilatura

    text = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=False,
        include_links=False,
        include_images=False,
        favor_recall=True,
        deduplicate=True,
    )
    if not text or not text.strip():
        raise UnreadableFile("no article text found in the HTML")
    meta: dict[str, str] = {}
    document = trafilatura.extract_metadata(html)
    if document is not None:
        if document.title:
            meta["title"] = document.title
        if document.date:
            meta["date"] = document.date
        if document.sitename:
            meta["original_source"] = document.sitename
    return LoadedText(text, meta)


def _pdf_text(data: bytes) -> str:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableFile("encrypted PDF")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UnreadableFile(f"PDF has {len(reader.pages)} pages (limit {MAX_PDF_PAGES})")
        parts: list[str] = []
        total = 0
        for page in reader.pages:
            # Text extraction walks every operator of the page's content; a small file can
            # inflate to millions of them, so measure the decompressed content first.
            contents = page.get_contents()
            if contents is not None and len(contents.get_data()) > MAX_PAGE_CONTENT_BYTES:
                raise UnreadableFile("PDF page content too large (possible decompression bomb)")
            page_text = page.extract_text() or ""
            total += len(page_text)
            if total > MAX_TEXT_CHARS:
                raise UnreadableFile("PDF text too long (possible decompression bomb)")
            parts.append(page_text)
    except UnreadableFile:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise UnreadableFile(f"corrupt or unreadable PDF ({type(exc).__name__})") from exc
    except MemoryError as exc:
        raise UnreadableFile("PDF too large to decompress") from exc
    text = "\n\n".join(p.strip() for p in parts if p.strip())
    if not text:
        raise UnreadableFile("PDF has no extractable text (scanned image?)")
    return text
