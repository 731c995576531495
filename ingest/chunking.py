"""Sentence splitting with character offsets, and sentence-aware overlapping chunks with stable ids."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

DEFAULT_CHUNK_SIZE = 700
DEFAULT_CHUNK_OVERLAP = 150

# Abbreviations after which a period does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "gov",
        "sen",
        "rep",
        "pres",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "fig",
        "e.g",
        "i.e",
        "approx",
        "dept",
    ]
)
# A run of closing punctuation; it ends a sentence when whitespace follows (checked in code: a
# lookahead here would rescan a long run of dots from each of its positions, quadratic time).
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*")
_NEWLINE = re.compile(r"\n+")
_LOWER_NEXT = re.compile(r"[^\S\n]*[a-z]")
_ATTRIBUTION_NEXT = re.compile(
    r"[^\S\n]*(?:[A-Z][\w’'\-]*[^\S\n]+){1,3}(?:said|says|told|asked|wrote|tweeted|added"
    r"|replied|explained|stated|noted|declared|announced)\b"
)
# '"... demands a trial." Pelosi said.': a speaker tag that is the whole next "sentence" belongs
# to the quotation before it (a quote closed by a full stop rather than a comma).
_TAG_ONLY_NEXT = re.compile(
    r"[^\S\n]*(?:(?:[A-Z][\w’'\-]*[^\S\n]+){1,3}(?:said|says|told reporters|added|explained"
    r"|stated|noted|wrote|tweeted)|(?:said|says|added|wrote)(?:[^\S\n]+[A-Z][\w’'\-]*){1,3})"
    r"[^\S\n]*\."
)
_BRACKET_NEXT = re.compile(r"[^\S\n]*\(")
_SHORT_NAME = re.compile(r"\b[A-Z][A-Za-z]{0,3}\.$")  # "Kft.", "GmbH.", "Ltd." (not "left.")


@dataclass(frozen=True)
class Span:
    """A [start, end) range of characters in a text."""

    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of one cleaned article, with its offsets into that article."""

    id: str
    source: str
    index: int
    start: int
    end: int
    text: str
    section: str | None = None  # the nearest heading above the chunk, if the article has one

    def embedding_text(self) -> str:
        """What gets embedded: the chunk with its section heading in front, so a chunk of list
        items still knows what the list is about. (The article title is left out: on the gold
        set it pulled every chunk of a long-titled article up and cost hit@5.)"""
        if self.section and self.section not in self.text[:200]:
            return f"{self.section}\n{self.text}"
        return self.text


_ELISION = re.compile(r"[\[(](?:\.\s?){3}[\])]$|[\[(]…[\])]$")


def split_sentences(text: str, read_on: bool = True) -> list[Span]:
    """Sentence spans of `text` (stripped of surrounding whitespace); lines are boundaries too.
    `read_on`: a "?" or "!" before words in lower case or inside brackets ends no sentence
    ('"... steal a toilet?" wrote Cattelan', "checking [?] the trains") or before its speaker
    ('"... in two days!" Macron told the world'), nor a full stop closing a quotation before a
    speaker tag alone ('"... a trial." Pelosi said.'), nor does the full stop of a short capitalised
    word before a bracket ("Ipari Kft. (HDT Limited) acquired"; not "he left. (It rained.)").
    Chunking splits without it, so that the chunks stored (and what was embedded) stay as they
    were."""
    spans: list[Span] = []
    for block_start, block_end in _blocks(text):
        start = block_start
        for match in _SENTENCE_END.finditer(text, block_start, block_end):
            end = match.end()
            if end >= block_end or not text[end].isspace():
                continue
            if _is_abbreviation(text, match.start()):
                continue
            if (
                read_on
                and _BRACKET_NEXT.match(text, end, block_end)
                and _SHORT_NAME.search(text, max(block_start, match.start() - 6), match.start() + 1)
            ):
                continue  # "HDT Védelmi Ipari Kft. (HDT Limited) acquired ...": no new sentence
            if read_on and _ELISION.search(text, max(block_start, end - 7), end):
                continue  # '"... for years [...] I am committed ...": words left out, no end
            if read_on and text[end - 1] in '"”' and _TAG_ONLY_NEXT.match(text, end, block_end):
                continue  # '"... demands a trial." Pelosi said.': the quote's speaker
            asks = read_on and text[match.start()] in "?!"
            if asks and match.start() > 0 and text[match.start() - 1] in "[(":
                continue  # an editor's "[?]" or "(!)" inside the sentence ("[.]" ends one)
            if asks and text[end - 1] in '"”' and _ATTRIBUTION_NEXT.match(text, end, block_end):
                continue  # '"... in two days!" Macron told the world': the quote's speaker
            if asks and _LOWER_NEXT.match(text, end, block_end):
                # '"... steal a toilet?" wrote Cattelan': the question goes on (after a full
                # stop, a word in lower case may start a sentence: "youtube-dl is ...").
                continue
            spans.extend(_trimmed(text, start, end))
            start = end
        spans.extend(_trimmed(text, start, block_end))
    return spans


def _blocks(text: str) -> list[tuple[int, int]]:
    blocks, start = [], 0
    for match in _NEWLINE.finditer(text):
        blocks.append((start, match.start()))
        start = match.end()
    blocks.append((start, len(text)))
    return blocks


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower()
    if word in _ABBREVIATIONS:
        return True
    if word == "no":  # "No. 2" abbreviates number; "the vote was no." ends a sentence
        return text[dot + 1 : dot + 3].strip()[:1].isdigit()
    # Initials and dotted acronyms: "U.S.", "U.N.", "J. Smith". A following capitalised word
    # after a dotted acronym usually starts a new sentence only if the acronym closes it, which
    # we cannot tell; keeping the sentence whole is the safer error for citations.
    return len(word) == 1 or ("." in word and len(word) <= 6)


def _trimmed(text: str, start: int, end: int) -> list[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [Span(start, end)] if end > start else []


# Bump when what gets embedded for a chunk changes, so the next ingest re-embeds everything.
CHUNK_RECIPE = "sentences+sections/2"


def chunk_id(source: str, index: int, text: str) -> str:
    """Stable id from the source file, the chunk's index, its content and the chunk recipe."""
    digest = hashlib.sha256(f"{CHUNK_RECIPE}\x00{source}\x00{index}\x00{text}".encode()).hexdigest()
    return digest[:24]


def split_article(
    text: str,
    source: str,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    overlap: int = DEFAULT_CHUNK_OVERLAP,
) -> list[Chunk]:
    """Chunks of whole sentences up to `chunk_size` characters, consecutive chunks sharing up to
    `overlap` characters of trailing sentences. Each chunk's text is exactly text[start:end]."""
    if chunk_size <= 0 or overlap < 0 or overlap >= chunk_size:
        raise ValueError("need chunk_size > 0 and 0 <= overlap < chunk_size")
    sentences = split_sentences(text, read_on=False)
    groups: list[tuple[int, int]] = []
    first = 0
    while first < len(sentences):
        last = first
        # Grow while the next sentence still fits; a single long sentence forms its own chunk.
        while (
            last + 1 < len(sentences)
            and sentences[last + 1].end - sentences[first].start <= chunk_size
        ):
            last += 1
        groups.append((first, last))
        if last + 1 >= len(sentences):
            break
        # Step back over trailing sentences that fit in the overlap, but always move forward.
        next_first = last + 1
        while (
            next_first - 1 > first
            and sentences[last].end - sentences[next_first - 1].start <= overlap
        ):
            next_first -= 1
        first = next_first
    headings = _headings(text, sentences)
    chunks: list[Chunk] = []
    for i, (first, last) in enumerate(groups):
        start, end = sentences[first].start, sentences[last].end
        if i + 1 < len(groups) and groups[i + 1][0] > last:
            # No shared sentence with the next chunk: keep the whitespace between them here, so
            # the chunks tile the article and it can be rebuilt from the store alone.
            end = sentences[groups[i + 1][0]].start
        body = text[start:end]
        section = next((h for offset, h in reversed(headings) if offset <= start), None)
        chunks.append(Chunk(chunk_id(source, i, body), source, i, start, end, body, section))
    return chunks


def _headings(text: str, sentences: list[Span]) -> list[tuple[int, str]]:
    """(offset, heading) of the article's heading lines: a whole line, short, no closing
    punctuation, not a list item."""
    found: list[tuple[int, str]] = []
    for span in sentences:
        line = text[span.start : span.end]
        at_line_start = span.start == 0 or text[span.start - 1] == "\n"
        at_line_end = span.end == len(text) or text[span.end] == "\n"
        if (
            at_line_start
            and at_line_end
            and len(line.split()) <= 14
            and not line.rstrip().endswith((".", "!", "?", ":", ";", ",", '"', "”"))
            and not line.lstrip().startswith(("-", "•", "*", "➡", "–"))
        ):
            found.append((span.start, line.strip()))
    return found
