"""Cleaning article text: drop site boilerplate, comment sections and filler; pull out metadata."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A line that opens a comment section: it and everything after it is not the article.
_COMMENTS_START = re.compile(
    r"^\s*(?:\d+\s+comments?|no comments:?|comments? \(\d+\)|leave a (?:reply|comment)"
    r"|submit a comment|post a comment|join the discussion|add a comment"
    r"|\d+\s+thoughts? on\b.*|what do you think\?)\s*$",
    re.IGNORECASE,
)
# Single boilerplate lines anywhere in the text.
_BOILERPLATE_LINE = re.compile(
    r"^\s*(?:loading\s*(?:\.{2,3}|…)?|your email address will not be published.*"
    r"|required fields are marked.*|share this:?|share on (?:facebook|twitter|x)|click to share.*"
    r"|subscribe to (?:our|the) newsletter.*|sign up for (?:our|the) newsletter.*"
    r"|related (?:posts|articles|stories):?|read more:?|advertisement|skip to (?:main )?content"
    r"|all rights reserved\.?.*|©.*|copyright \d{4}.*|follow us on .*|tags?:.*)\s*$",
    re.IGNORECASE,
)
# "by | Mar 22, 2025 | Category | 0 comments": a byline/meta bar, carrying the date.
_META_BAR = re.compile(r"^\s*(?:by\b[^|]*)?\|.*\|.*$", re.IGNORECASE)
_ORIGINAL_SOURCE = re.compile(
    r"^\s*(?:original\s+source|source|originally published (?:at|on|by))\s*:\s*(\S.*?)\s*$",
    re.IGNORECASE,
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b(?:{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b",
    re.IGNORECASE,
)
_PUBLISHED_LINE = re.compile(
    rf"^\s*(?:published|posted|updated|date)\s*(?:on)?\s*:?\s*({_DATE.pattern})\s*\.?\s*$",
    re.IGNORECASE,
)
# Words of the lorem-ipsum filler; a paragraph mostly made of them is placeholder text.
_LOREM_WORDS = frozenset(
    [
        "lorem",
        "ipsum",
        "dolor",
        "sit",
        "amet",
        "consectetur",
        "adipiscing",
        "elit",
        "sed",
        "do",
        "eiusmod",
        "tempor",
        "incididunt",
        "ut",
        "labore",
        "et",
        "dolore",
        "magna",
        "aliqua",
        "enim",
        "ad",
        "minim",
        "veniam",
        "quis",
        "nostrud",
        "exercitation",
        "ullamco",
        "laboris",
        "nisi",
        "aliquip",
        "ex",
        "ea",
        "commodo",
        "consequat",
        "duis",
        "aute",
        "irure",
        "in",
        "reprehenderit",
        "voluptate",
        "velit",
        "esse",
        "cillum",
        "fugiat",
        "nulla",
        "pariatur",
        "excepteur",
        "sint",
        "occaecat",
        "cupidatat",
        "non",
        "proident",
        "sunt",
        "culpa",
        "qui",
        "officia",
        "deserunt",
        "mollit",
        "anim",
        "id",
        "est",
        "laborum",
        "suspendisse",
        "varius",
        "eros",
        "elementum",
        "tristique",
        "cursus",
        "mi",
        "viverra",
        "ornare",
        "interdum",
        "vitae",
        "erat",
        "aenean",
        "faucibus",
        "nibh",
        "justo",
        "rutrum",
        "imperdiet",
        "nunc",
        "sem",
        "risus",
        "posuere",
        "diam",
        "libero",
        "quam",
        "integer",
        "nec",
        "odio",
        "praesent",
        "pellentesque",
        "vestibulum",
        "mauris",
        "eget",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


@dataclass(frozen=True)
class CleanArticle:
    """The article's own text after cleaning, and the metadata found in the raw text."""

    text: str
    title: str | None = None
    date: str | None = None
    original_source: str | None = None


def clean_article(raw: str, known: dict[str, str] | None = None) -> CleanArticle:
    """Strip boilerplate from an article's raw text; `known` is metadata the file format gave."""
    meta = dict(known or {})
    text = unicodedata.normalize("NFC", raw)
    text = _ZERO_WIDTH.sub("", text).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    lines = [line.rstrip() for line in text.split("\n")]

    kept: list[str] = []
    seen: set[str] = set()
    for line in lines:
        stripped = line.strip()
        if not stripped:
            kept.append("")
            continue
        if _COMMENTS_START.match(stripped) and _in_tail(len(kept), len(lines)):
            break
        source = _ORIGINAL_SOURCE.match(stripped)
        if source and len(stripped) < 200:
            meta.setdefault("original_source", source.group(1))
            continue
        published = _PUBLISHED_LINE.match(stripped)
        if published:
            meta.setdefault("date", published.group(1))
            continue
        if _META_BAR.match(stripped) and len(stripped) < 200:
            # A byline bar carries a date or a comment count; a table row carries neither.
            date = _DATE.search(stripped)
            if date or re.search(r"\bcomments?\b", stripped, re.IGNORECASE):
                if date:
                    meta.setdefault("date", date.group(0))
                continue
        if _BOILERPLATE_LINE.match(stripped) or _is_lorem(stripped) or _is_doubled(stripped):
            continue
        key = " ".join(stripped.lower().split())
        if key in seen and _looks_like_heading(stripped):
            # The page repeated a title or heading line: keep the first copy only.
            continue
        seen.add(key)
        if "title" not in meta and _looks_like_heading(stripped) and not _has_body_before(kept):
            meta["title"] = stripped
        kept.append(stripped)

    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return CleanArticle(
        text=cleaned,
        title=meta.get("title"),
        date=meta.get("date"),
        original_source=meta.get("original_source"),
    )


def _in_tail(position: int, total: int) -> bool:
    """Comment sections sit at the end: only trust the marker in the last 40% of the lines."""
    return total > 0 and position >= 0.6 * total


def _is_lorem(line: str) -> bool:
    words = [w.lower() for w in _WORD.findall(line)]
    if len(words) < 3:
        return False
    filler = sum(1 for w in words if w in _LOREM_WORDS)
    return filler / len(words) >= 0.6


def _is_doubled(line: str) -> bool:
    """A line that is one phrase printed twice in a row: a title widget rendered twice."""
    words = line.split()
    half = len(words) // 2
    return len(words) >= 6 and len(words) % 2 == 0 and words[:half] == words[half:]


def _looks_like_heading(line: str) -> bool:
    return len(line) <= 160 and not line.rstrip().endswith((".", "!", "?", ":", ";", ",", '"'))


def _has_body_before(kept: list[str]) -> bool:
    return any(line and not _looks_like_heading(line) for line in kept)
