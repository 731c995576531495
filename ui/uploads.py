"""Uploaded article files: checking them, saving them safely into the articles folder, the summary."""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import quote, unquote

from ui.escaping import escape_html

ALLOWED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
MAX_NAME_CHARS = 100
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")
# Names in Cyrillic or Greek keep a readable stem ("новости.txt" -> "novosti.txt"); other
# scripts fall back to "article" (numbered when taken).
_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґ"
_CYRILLIC_LATIN = (
    "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya ye i yi g"
)
_GREEK = "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώ"
_GREEK_LATIN = "a v g d e z i th i k l m n x o p r s s t y f ch ps o a e i i o y o"
_TRANSLITERATION = str.maketrans(
    {
        letter: latin.strip("-")
        for letters, latins in ((_CYRILLIC, _CYRILLIC_LATIN), (_GREEK, _GREEK_LATIN))
        for letter, latin in zip(letters, latins.split(), strict=True)
    }
)

Status = Literal["added", "updated", "unchanged", "skipped"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one uploaded file."""

    name: str  # as uploaded (basename only)
    status: Status
    source: str | None = None  # the article's name in the library, when it is there
    reason: str | None = None  # why it was skipped
    copies: int = 1  # how many entries of the upload were this same file


def safe_file_name(name: str) -> str:
    """A plain file name for `name`: basename only, ASCII letters, digits, '.', '_', '-'.

    The extension is split off first, so a name in another script keeps it: Cyrillic and Greek
    are transliterated, anything else becomes "article" (save_upload numbers it if taken)."""
    base = re.split(r"[\\/]", name)[-1].strip()
    stem, suffix = os.path.splitext(base)
    if not _SUFFIX.fullmatch(suffix):
        stem, suffix = base, ""
    stem = _transliterate(unicodedata.normalize("NFC", stem))
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = _UNSAFE.sub("_", stem).strip("._-")
    stem = stem[: MAX_NAME_CHARS - len(suffix)].strip("._-") or "article"
    return f"{stem}{suffix.lower()}"


def _transliterate(text: str) -> str:
    out = []
    for ch in text:
        latin = ch.lower().translate(_TRANSLITERATION)
        if latin == ch.lower():
            out.append(ch)  # not Cyrillic or Greek: left for the ASCII step
        else:
            out.append(latin.capitalize() if ch.isupper() else latin)
    return "".join(out)


def shown_name(path: str | Path) -> str:
    """The uploaded file's own name, for messages (the server keeps it as the temp file's name)."""
    return re.split(r"[\\/]", str(path))[-1] or "file"


def size_text(n: float) -> str:
    """Sizes as the settings count them (UI_MAX_UPLOAD_MB=20 means 20 x 1024 x 1024 bytes)."""
    return f"{n / 1024**2:.1f} MB" if n >= 100 * 1024 else f"{n / 1024:.1f} KB"


def rejection(path: Path, max_bytes: int) -> str | None:
    """Why an uploaded file is refused before ingest (type, size in bytes, empty), or None."""
    suffix = Path(shown_name(path)).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        kinds = ", ".join(s for s in ALLOWED_SUFFIXES)
        return f"unsupported file type '{suffix or 'none'}'; upload one of {kinds}"
    try:
        size = path.stat().st_size
    except OSError:
        return "the upload did not arrive; try again"
    if size > max_bytes:
        return f"too large ({size_text(size)}; the limit is {size_text(max_bytes)})"
    if size == 0:
        return "empty file"
    return None


def save_upload(upload: Path, folder: Path) -> tuple[Path, bool]:
    """Copy an upload into `folder` under a safe name that no other file has.

    Returns (where it is, whether it was written). A file with the same name and the same bytes
    is reused; a different one with that name is kept, and the upload gets a numbered name.
    """
    folder.mkdir(parents=True, exist_ok=True)
    data = upload.read_bytes()
    name = safe_file_name(shown_name(upload))
    stem, suffix = os.path.splitext(name)
    temp = folder / f".upload-{uuid.uuid4().hex}{suffix}"  # dot files are not ingested
    temp.write_bytes(data)
    try:
        for i in range(1, 1000):
            target = folder / (name if i == 1 else f"{stem}-{i}{suffix}")
            if target.exists():
                if target.is_file() and target.read_bytes() == data:
                    return target, False
                continue
            try:
                os.link(temp, target)  # atomic and exclusive: never replaces a file
            except FileExistsError:
                continue
            return target, True
        raise OSError(f"too many files named like {name}")
    finally:
        temp.unlink(missing_ok=True)


def article_href(source: str) -> str:
    return "#article-" + quote(source, safe="")


def parse_article_href(target: str) -> str | None:
    target = target.strip().lstrip("#")
    return unquote(target[len("article-") :]) if target.startswith("article-") else None


_STATUS_TEXT = {
    "added": "added",
    "updated": "updated",
    "unchanged": "already in the library",
    "skipped": "skipped",
}


def summary_html(outcomes: list[Outcome], chunks: int | None) -> str:
    """The upload summary: one line per file, names of library articles linked to their text."""
    if not outcomes:
        return '<div class="na-upload"><p class="na-hint">No files were uploaded.</p></div>'
    counts = {s: sum(o.status == s for o in outcomes) for s in _STATUS_TEXT}
    head = ", ".join(f"{n} {_STATUS_TEXT[s]}" for s, n in counts.items() if n)
    if chunks is not None:
        head += f" · {chunks} chunks in the library"
    items = []
    for o in outcomes:
        name = escape_html(o.name)
        if o.source is not None and o.status != "skipped":
            shown = f'<a href="{escape_html(article_href(o.source))}">{escape_html(o.source)}</a>'
            if o.source != o.name:
                shown += f" (uploaded as {name})"
        else:
            shown = name
        line = f'<li class="na-{o.status}"><b>{escape_html(_STATUS_TEXT[o.status])}</b>: {shown}'
        if o.copies > 1:
            line += f" (given {o.copies} times, taken once)"
        if o.reason:
            line += f" — {escape_html(o.reason)}"
        items.append(line + "</li>")
    return f'<div class="na-upload"><p>{escape_html(head)}</p><ul>{"".join(items)}</ul></div>'
