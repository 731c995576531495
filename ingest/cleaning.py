"""Cleaning article text: drop site boilerplate, comment sections and filler; pull out metadata."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Lines longer than this are prose: the line patterns below (comment markers, boilerplate,
# metadata lines) run only on shorter lines, so no pattern ever sees a long run of user text.
MAX_PATTERN_LINE = 300
# Newsletter pitches sit at an article's edges; in the middle the word is more likely the story's.
PROMO_EDGE_LINES = 3

# Every pattern runs on a line capped at MAX_PATTERN_LINE whose whitespace runs were collapsed to
# single spaces (`_compact`), and none nests quantifiers: matching is linear in the line.
# A line that opens a comment section: it and everything after it is not the article.
_COMMENTS_START = re.compile(
    r"^(?:\d+ comments?|no comments:?|comments?|comments? \(\d+\)|leave a (?:reply|comment)"
    r"|submit a comment|post a comment|join the discussion|add a comment|show comments"
    r"|view comments|reader comments|\d+ thoughts? on\b.*|what do you think\?"
    r"|tell us what you think\b.*)$",
    re.IGNORECASE,
)
# Single boilerplate lines anywhere in the text.
_BOILERPLATE_LINE = re.compile(
    r"^(?:loading ?(?:\.{2,3}|…)?|your email address will not be published.*"
    r"|required fields are marked.*|share this:?|share on (?:facebook|twitter|x)|click to share.*"
    r"|subscribe to (?:our|the) newsletter.*|sign up for (?:our|the) newsletter.*"
    r"|related (?:posts|articles|stories):?|read more:?|advertisement|skip to (?:main )?content"
    r"|all rights reserved\.?.*|©.*|copyright \d{4}.*|follow us on .*|tags?:.*|filed under:.*"
    # a wiki's review banner: "-Article last amended: Mar 5 at 12:05:19 UTC (history)Please ..."
    r"|-?article last (?:amended|edited|modified|updated):.*"
    r"|this article requires (?:pre-publication )?review\b.*)$",
    re.IGNORECASE,
)
# "by | Mar 22, 2025 | Category | 0 comments": a byline/meta bar, carrying the date.
_META_BAR = re.compile(r"^(?:by\b[^|]*)?\|[^|]*\|.*$", re.IGNORECASE)
_ORIGINAL_SOURCE = re.compile(
    r"^(?:original source|source|originally published (?:at|on|by)) ?: ?(\S.*)$",
    re.IGNORECASE,
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b(?:{_MONTHS} \d{{1,2}},? \d{{4}}|\d{{1,2}} {_MONTHS} \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b",
    re.IGNORECASE,
)
_PUBLISHED_LINE = re.compile(
    rf"^(?:published|posted|updated|date)(?: on)?(?: ?:)? ?({_DATE.pattern}) ?\.?$",
    re.IGNORECASE,
)
# A dateline at the top: "November 20, 2019 - 11:28 AMT", "Tue, 5 March 2024 at 10:30".
_DATE_LINE = re.compile(
    rf"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? )?({_DATE.pattern})"
    r"(?:,? ?(?:-|–|\||at)? ?\d{1,2}[:.]\d{2}(?: ?[ap]\.?m\.?)?(?: [a-z]{2,5})?)?$",
    re.IGNORECASE,
)
_COMMENT_WORD = re.compile(r"\bcomments?\b", re.IGNORECASE)
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "«": '"', "»": '"'})
_TITLE_MARKUP = re.compile(r"^#{1,6} ")
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
    """Strip boilerplate from an article's raw text; `known` is metadata the file format gave.

    The headline goes to the metadata, not the body: a heading line before any prose becomes the
    title (or, when the format gave a title, the line repeating it is dropped)."""
    meta = dict(known or {})
    text = unicodedata.normalize("NFC", raw)
    text = _ZERO_WIDTH.sub("", text).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    lines = [line.rstrip() for line in text.split("\n")]

    kept: list[str] = []
    previous: str | None = None  # the last kept line (whitespace runs collapsed)
    kept_body = False  # whether any text line was kept yet (the headline comes before it)
    title_key = _key(meta["title"]) if meta.get("title") else None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            kept.append("")
            continue
        short = len(stripped) <= MAX_PATTERN_LINE
        compact = _compact(stripped) if short else ""
        if short and _COMMENTS_START.match(compact) and _in_tail(len(kept), len(lines)):
            break
        if short and _is_metadata_line(compact, meta):
            continue
        dateline = _DATE_LINE.match(compact) if short and not kept_body else None
        if dateline:
            meta.setdefault("date", dateline.group(1))
            continue
        if (short and _BOILERPLATE_LINE.match(compact)) or _is_lorem(stripped):
            continue
        if _is_doubled(stripped):
            continue
        compact = compact or _compact(stripped)
        if compact == previous or (title_key is not None and _same_headline(compact, title_key)):
            # The page printed the line just above, or the headline, a second time.
            continue
        if (
            title_key is None
            and _looks_like_heading(stripped)
            and not kept_body
            and not _continues(lines, i)
        ):
            title = _TITLE_MARKUP.sub("", stripped).strip()
            meta["title"], title_key = title, _key(title)
            continue
        previous = compact
        kept.append(stripped)
        kept_body = True

    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(_drop_edge_promos(kept))).strip()
    return CleanArticle(
        text=cleaned,
        title=meta.get("title"),
        date=meta.get("date"),
        original_source=meta.get("original_source"),
    )


def _drop_edge_promos(kept: list[str]) -> list[str]:
    """Newsletter sign-up pitches among the first and last few lines ("Start your day with our
    briefing. Sign up for the free daily newsletter.")."""
    filled = [i for i, line in enumerate(kept) if line]
    edges = set(filled[:PROMO_EDGE_LINES] + filled[-PROMO_EDGE_LINES:])
    return [line for i, line in enumerate(kept) if i not in edges or not _is_promo(line)]


def _is_promo(line: str) -> bool:
    lowered = line.lower()
    return (
        len(line) <= MAX_PATTERN_LINE
        and "newsletter" in lowered
        and ("sign up" in lowered or "subscribe" in lowered)
    )


def _compact(line: str) -> str:
    return " ".join(line.split())


def _key(line: str) -> str:
    return _compact(_TITLE_MARKUP.sub("", line.strip())).lower().translate(_QUOTES)


def _continues(lines: list[str], i: int) -> bool:
    """Whether line i is hard-wrapped prose: the next line goes on in lower case (and is not a
    "by ... | date" byline bar)."""
    following = lines[i + 1].strip()[:MAX_PATTERN_LINE] if i + 1 < len(lines) else ""
    return following[:1].islower() and not _META_BAR.match(_compact(following))


def _same_headline(line: str, title_key: str) -> bool:
    """The line is the headline: the title itself, or the title with or without a site suffix
    ("Harbour Reopens | Coastal Times" and "Harbour Reopens"), in any case."""
    key = _key(line)
    if key == title_key:
        return True
    shorter, longer = sorted((key, title_key), key=len)
    return len(shorter) >= 20 and longer.startswith(shorter) and longer[len(shorter)] in " |-–—:"


def _is_metadata_line(compact: str, meta: dict[str, str]) -> bool:
    """A source, published-date or byline-bar line: its value goes to `meta`, the line goes."""
    source = _ORIGINAL_SOURCE.match(compact)
    if source and len(compact) < 200:
        meta.setdefault("original_source", source.group(1).strip())
        return True
    published = _PUBLISHED_LINE.match(compact)
    if published:
        meta.setdefault("date", published.group(1))
        return True
    if _META_BAR.match(compact) and len(compact) < 200:
        # A byline bar carries a date or a comment count; a table row carries neither.
        date = _DATE.search(compact)
        if date or _COMMENT_WORD.search(compact):
            if date:
                meta.setdefault("date", date.group(0))
            return True
    return False


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
