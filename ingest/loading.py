"""Reading article files (.txt, .md, .html, .pdf) into plain text, refusing what is not an article."""

from __future__ import annotations

import codecs
import logging
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf"})
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Extracted text beyond this is not an article but a dump (or a decompression bomb). It limits
# the article's text, never the file's markup: a 2.5 MB page of inline scripts is fine.
MAX_TEXT_CHARS = 2_000_000
MAX_PDF_PAGES = 500
MAX_PAGE_CONTENT_BYTES = 4 * 1024 * 1024
# An HTML page needs this many sentences of prose to be an article. The fewest on the 60 dev
# pages of eval/extraction is 5; a nav bar plus a reader comment has 0-2.
MIN_SENTENCES = 3
# Share of the text in lines made only of the page's link texts above which it is a menu, not an
# article: at most 0.03 on the dev pages.
MAX_NAVIGATION_SHARE = 0.5
MAX_MENU_LINE = 300
# See _html_text: precision mode's text must keep this share of the balanced text.
MIN_PRECISE_SHARE = 0.4
_MENU_SEPARATOR = re.compile(r"\s[|·•/»>]\s|\t|\s{3}")
_SENTENCE_MARKS = (".", "!", "?", "…", "。", "！", "？")
_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)


class UnreadableFile(Exception):
    """A file that cannot be taken in; `str(exc)` is the reason shown to the user."""


@dataclass(frozen=True)
class LoadedText:
    """The text of one file plus the metadata its format carried (HTML title/date)."""

    text: str
    meta: dict[str, str] = field(default_factory=dict)


def read_article_file(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES, max_text_chars: int = MAX_TEXT_CHARS
) -> LoadedText:
    """Read one file as text. Raises UnreadableFile with a user-facing reason, whatever fails.

    `max_bytes` limits the file's size on disk, `max_text_chars` the text taken from it."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(f"unsupported file type '{suffix or path.name}'")
    data = _read_bytes(path, max_bytes)
    if not data.strip():
        raise UnreadableFile("empty file")
    try:
        if suffix == ".pdf":
            return LoadedText(_pdf_text(data, max_text_chars))
        if suffix in {".html", ".htm"}:
            return _html_text(_decode_html(data), max_text_chars)
        text = _decode(data)
        if len(text) > max_text_chars:
            raise UnreadableFile(f"text too long ({len(text):,} characters)")
        return LoadedText(text)
    except UnreadableFile:
        raise
    except RecursionError as exc:
        raise UnreadableFile("nested too deeply to read") from exc
    except MemoryError as exc:
        raise UnreadableFile("too large to read in memory") from exc
    except Exception as exc:  # a parser's bug on hostile input costs this file, nothing more
        log.warning("Reading %s failed", path, exc_info=True)
        raise UnreadableFile(f"could not be read ({type(exc).__name__} in the parser)") from exc


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            # A named pipe or a device never ends (or blocks): reading it would hang the ingest.
            raise UnreadableFile("not a regular file")
        size = info.st_size
        if size > max_bytes:
            raise UnreadableFile(f"file too large ({_size(size)} > {_size(max_bytes)} limit)")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableFile("file disappeared while reading") from exc
    except IsADirectoryError as exc:
        raise UnreadableFile("is a directory") from exc
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            raise UnreadableFile("symlink loop") from exc
        raise UnreadableFile(f"cannot read file ({exc.strerror or exc})") from exc


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
    _refuse_binary(text)
    return text


def _refuse_binary(text: str) -> None:
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 8192):
        raise UnreadableFile("binary file, not text")


def _decode_html(data: bytes) -> str:
    """A page's text: UTF-8, else the charset its <meta> declares, else Windows-1252 (what
    browsers assume for an undeclared legacy page)."""
    if b"\x00" in data[:8192]:
        raise UnreadableFile("binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        declared = _CHARSET.search(data[:4096])
        encoding = "windows-1252"
        if declared:
            try:
                encoding = codecs.lookup(declared.group(1).decode("ascii")).name
            except LookupError:
                pass
        text = data.decode(encoding, errors="replace")
    _refuse_binary(text)
    return text


def _html_text(html: str, max_text_chars: int) -> LoadedText:
    """Main text of a web page, without navigation, comments, scripts or galleries (trafilatura).

    No process-wide state: no deduplication cache (it made a page read twice in one process come
    back shorter or empty). Tables are kept as text rows; precision is favoured (it drops the
    gallery captions, "Image 1 of 8" and teaser lists that recall mode pulls in)."""
    import trafilatura

    # A bare fragment ("<p>...</p>" saved as .html) is wrapped into a page first.
    tree = trafilatura.load_html(html)
    if tree is None:
        tree = trafilatura.load_html(f"<html><body>{html}</body></html>")
    if tree is None:
        raise UnreadableFile("not an HTML page (no document found)")
    options: dict[str, Any] = {
        "include_comments": False,
        "include_tables": True,
        "include_links": False,
        "include_images": False,
        "deduplicate": False,
    }
    # `extract` copies a tree it is given, so one parse serves both passes.
    precise = trafilatura.extract(tree, favor_precision=True, **options) or ""
    balanced = trafilatura.extract(tree, **options) or ""
    # Precision mode may trim a page, not replace its article with a fragment: on the dev pages
    # (eval/extraction) it kept 0.61-1.0 of the balanced text wherever it was right, and 0.08
    # where it had kept only a paywall notice.
    text = precise if len(precise) >= MIN_PRECISE_SHARE * len(balanced) else balanced
    if not text.strip():
        raise UnreadableFile("no article text found in the HTML")
    if len(text) > max_text_chars:
        raise UnreadableFile(f"article text too long ({len(text):,} characters)")
    if _is_navigation(text, tree) or _real_sentences(text) < MIN_SENTENCES:
        raise UnreadableFile("no article text found (only navigation or boilerplate)")
    return LoadedText(text, _html_meta(tree))


def _html_meta(tree: Any) -> dict[str, str]:
    """Title, date and site name of a page; a page whose metadata cannot be read still counts."""
    import copy

    import trafilatura

    meta: dict[str, str] = {}
    try:
        document = trafilatura.extract_metadata(copy.deepcopy(tree))
    except Exception as exc:  # noqa: BLE001 - date parsing asserts on broken markup; text is good
        log.warning(
            "Page metadata unreadable (%s); keeping the text without it", type(exc).__name__
        )
        return meta
    if document is not None:
        if document.title:
            meta["title"] = document.title
        if document.date:
            meta["date"] = document.date
        if document.sitename:
            meta["original_source"] = document.sitename
    return meta


def _real_sentences(text: str) -> int:
    """Sentences of prose: at least 5 words (or 15 CJK characters) ending in sentence punctuation."""
    from ingest.chunking import split_sentences

    count = 0
    for span in split_sentences(text):
        sentence = text[span.start : span.end].rstrip("\"'”’)]")
        if not sentence.endswith(_SENTENCE_MARKS):
            continue
        if len(_WORD.findall(sentence)) >= 5 or len(_CJK.findall(sentence)) >= 15:
            count += 1
            if count >= MIN_SENTENCES:
                break
    return count


def _is_navigation(text: str, tree: Any) -> bool:
    """Whether most of the text is lines made only of the page's link texts (a menu, a footer)."""
    links = {" ".join(a.text_content().split()).lower() for a in tree.iter("a")}
    links.discard("")
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    total = sum(len(line) for line in lines)
    nav = 0
    for line in lines:
        parts = [p.strip().lower() for p in _MENU_SEPARATOR.split(line[:MAX_MENU_LINE])]
        if len(line) <= MAX_MENU_LINE and all(p in links for p in parts if p):
            nav += len(line)
    return total > 0 and nav / total > MAX_NAVIGATION_SHARE


def _pdf_text(data: bytes, max_text_chars: int) -> str:
    import io

    from pypdf import PdfReader

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
            if total > max_text_chars:
                raise UnreadableFile("PDF text too long (possible decompression bomb)")
            parts.append(page_text)
    except UnreadableFile:
        raise
    except MemoryError as exc:
        raise UnreadableFile("PDF too large to decompress") from exc
    except RecursionError as exc:
        raise UnreadableFile("corrupt or unreadable PDF (nested too deeply)") from exc
    except NotImplementedError as exc:  # an unknown stream filter, an unsupported encoding
        raise UnreadableFile(f"PDF uses a feature this reader lacks ({str(exc)[:80]})") from exc
    except Exception as exc:  # pypdf raises many types on hostile files
        if type(exc).__name__ == "DependencyError":  # e.g. JBIG2 images need jbig2dec
            raise UnreadableFile(f"PDF needs a decoder that is not installed ({exc})") from exc
        raise UnreadableFile(f"corrupt or unreadable PDF ({type(exc).__name__})") from exc
    text = "\n\n".join(p.strip() for p in parts if p.strip())
    if not text:
        raise UnreadableFile("PDF has no extractable text (scanned image?)")
    return text
