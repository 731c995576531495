"""Citation markers and the passages they quote: parsing [n] in an answer, splitting a source into
sentences with article offsets, placing markers in a sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.records import Source
from ingest.chunking import split_sentences

_BULLET = re.compile(r"^[\s\-–—•*▪►‣◦→⇒✓✔☑➡⬥◆●○■□\u2600-\u27bf\U0001f000-\U0001faff\ufe0f]+")
# "Avoiding Provoking Russia: Israeli officials ..." / "- Strategic Diplomacy – High-level ...":
# a short title-case label before the sentence proper.
_LABEL = re.compile(
    r"^(?P<label>[A-Z][\w’'&\-]*(?:\s+(?:[A-Z][\w’'&\-]*|of|and|the|for|in|on|to|with|&|a|an"
    r"|vs\.?|over|against)){0,8})\s*(?::|\s[–—-])\s+(?=[A-Z\"“‘])"
)
# A turn of an interview transcript: "((Zara Kay))  I have two other jobs ...", Wikinews's way
# of opening each answer (and each question, "((WN))") with who speaks.
_TURN = re.compile(r"^\(\((?P<name>[^()\n]{1,60})\)\)[ \t]*")
MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
# Markers a model writes in other ways: "[1-3]", "[ 2 ]", "[^2]", "[Source 2]", "【2】",
# "(Source 2)". Each is read as the plain "[n]" markers it means (see `canonical_markers`).
_VARIANT_MARKER = re.compile(
    r"[\[【]\s{0,3}(?:\^|(?:sources?|src)\s{0,3}:?\s{0,3})?(?P<list>\d{1,3}(?:\s{0,3}(?:[,;]|and|[-–—])"
    r"\s{0,3}(?:(?:sources?)\s{0,3})?\d{1,3}){0,20})\s{0,3}[\]】]"
    r"|\((?:sources?)\s{0,3}:?\s{0,3}(?P<plist>\d{1,3}(?:\s{0,3}(?:[,;]|and|[-–—])\s{0,3}\d{1,3}){0,20})\)",
    re.IGNORECASE,
)
_RANGE = re.compile(r"(\d{1,3})\s*[-–—]\s*(\d{1,3})")
MAX_RANGE = 10  # "[1-3]" is three sources; a wider range ("[1-200]") is read as its ends
_LEADING_MARKERS = re.compile(r"^(?:\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\])+")
_TRAILING_PUNCT = re.compile(r"[.!?…:;]+[\"'”’)]*$")


@dataclass(frozen=True)
class AnswerSentence:
    """A sentence of an answer without its markers, and the source numbers it cited."""

    text: str
    cited: tuple[int, ...]
    separator: str = " "  # what stood before it in the answer: " " or a line break


@dataclass(frozen=True)
class Passage:
    """A sentence of a source: the unit a citation quotes."""

    source: Source
    start: int  # offsets into the cleaned article
    end: int
    text: str


def plain_text(text: str) -> str:
    """A source sentence without its bullet, emoji or "Label –" prefix: the sentence proper.
    (A transcript turn's "((Name))" stays: the verifier reads who speaks from it.)"""
    text = _BULLET.sub("", text.strip())
    label = _LABEL.match(text)
    if label:
        text = text[label.end() :]
    return text


def without_turn(text: str) -> str:
    """A sentence without the "((Name))" opening its transcript turn."""
    return _TURN.sub("", text)


# Wikinews marks a quotation it translated with the language's code, and may give the words as
# said after it: '"... to their relatives." ((fr))French language: Paris pleure les siens ...'.
# The stored article keeps them (its chunks, and what was embedded, stay as they were); an
# answer reads without the mark, and without the original words up to the end of the sentence
# or a double space (after which the article's English goes on). (A run of spaces is read from
# its start only: the patterns stay linear on a line of spaces.)
_ORIGINAL_WORDS = re.compile(
    r"(?<![ \t])[ \t]*\(\([a-z]{2,3}\)\)[A-Z][a-z]{1,20}(?: language)?:[^\n]*?(?=  |$)"
)
_LANGUAGE_MARK = re.compile(r"(?<![ \t])[ \t]*\(\([a-z]{2,3}\)\)")  # '"dangerous" ((it)) and'


def without_language_marks(text: str) -> str:
    """A sentence without a translated quotation's "((it))" and the original words after it."""
    if "((" not in text:  # (nearly every sentence: read for every unit of every source)
        return text
    return _LANGUAGE_MARK.sub("", _ORIGINAL_WORDS.sub("", text))


def turn_speaker(text: str) -> str | None:
    """Who speaks at the end of `text` in an interview transcript: the name opening the
    paragraph it ends in ("((Zara Kay))"), when that is a person's name of two words or more,
    not the interviewer's label ("((WN))")."""
    found = _TURN.match(text[text.rfind("\n") + 1 :])
    if not found:
        return None
    name = " ".join(found.group("name").split())
    words = name.split()
    return name if len(words) >= 2 and all(w[:1].isupper() for w in words) else None


_OPENING = re.compile(r"(?:^|(?<=[\s(\[—–-]))[\"“]")
_CLOSING = re.compile(r"[\"”](?=[\s.,;:!?)\]—–-]|$)")
MAX_QUOTED_SENTENCES = 4


def quote_balance(text: str) -> int:
    """+1 when the text opens a double quotation it doesn't close, -1 when it closes one it
    didn't open, 0 otherwise (straight quotes told apart by the spaces around them)."""
    openings = {m.start() for m in _OPENING.finditer(text)}
    # (A mark in an opening place is no closing one too: 'did "...not recognize'.)
    closed = sum(1 for m in _CLOSING.finditer(text) if m.start() not in openings)
    opened = len(openings)
    return (opened > closed) - (closed > opened)


def _spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of an answer; a quotation of several sentences stays one sentence."""
    spans = [(s.start, s.end) for s in split_sentences(text)]
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        start, end = spans[i]
        balance = quote_balance(text[start:end])
        j = i
        while balance > 0 and j + 1 < len(spans) and j - i < MAX_QUOTED_SENTENCES:
            j += 1
            balance += quote_balance(text[spans[j][0] : spans[j][1]])
        if balance == 0 and j > i and "\n" not in text[start : spans[j][1]]:
            out.append((start, spans[j][1]))
            i = j + 1
        else:
            out.append((start, end))
            i += 1
    return out


def canonical_markers(text: str) -> str:
    """`text` with every citation marker written as "[n]": "[1-3]" as "[1][2][3]", "[Source
    2]" and "[^2]" as "[2]"; "[1, 2]" is left as it is (`MARKER` reads it)."""
    return _VARIANT_MARKER.sub(_canonical, text)


def _canonical(match: re.Match[str]) -> str:
    listed = match.group("list") or match.group("plist")
    numbers: list[int] = []
    for part in re.split(r"\s*(?:[,;]|and)\s*", listed):
        span = _RANGE.fullmatch(part.strip())
        if span:
            low, high = int(span.group(1)), int(span.group(2))
            if 0 <= high - low < MAX_RANGE:
                numbers.extend(range(low, high + 1))
            else:
                numbers.extend((low, high))
        else:
            numbers.extend(int(n) for n in re.findall(r"\d{1,3}", part))
    return "".join(f"[{n}]" for n in numbers)


def parse_answer(text: str) -> list[AnswerSentence]:
    """Split an answer into sentences with the [n] markers each carries. Markers that open a
    sentence ("... Syria. [1] Next") belong to the sentence before; a quotation running over
    several sentences is one."""
    texts: list[str] = []
    cited: list[list[int]] = []
    separators: list[str] = []
    previous_end = 0
    for start, end in _spans(text):
        piece = text[start:end]
        gap = text[previous_end:start]
        separator = "\n\n" if gap.count("\n") > 1 else "\n" if "\n" in gap else " "
        previous_end = end
        lead = _LEADING_MARKERS.match(piece)
        if lead and texts:
            cited[-1].extend(_numbers(lead.group(0)))
            piece = piece[lead.end() :].strip()
        # Whitespace first, so no pattern meets a long run of spaces.
        clean = MARKER.sub("", " ".join(piece.split()))
        clean = re.sub(r" ?( [.,;:!?])", lambda m: m.group(1).strip(), " ".join(clean.split()))
        if not clean:
            continue
        texts.append(clean)
        cited.append(_numbers(piece))
        separators.append(separator if texts[:-1] else "")
    return [
        AnswerSentence(t, tuple(dict.fromkeys(n)), sep)
        for t, n, sep in zip(texts, cited, separators, strict=True)
    ]


def _numbers(text: str) -> list[int]:
    return [int(n) for group in MARKER.findall(text) for n in re.split(r"[,;]", group) if n.strip()]


def passages(source: Source) -> list[Passage]:
    """The sentences of a source chunk, with offsets into its article."""
    return list(_passages(source))


@lru_cache(maxsize=2048)  # verification reads each cited chunk's sentences many times
def _passages(source: Source) -> tuple[Passage, ...]:
    return tuple(
        Passage(source, source.start + s.start, source.start + s.end, source.text[s.start : s.end])
        for s in split_sentences(source.text)
    )


def with_markers(sentence: str, numbers: Sequence[int]) -> str:
    """Put markers before the sentence's closing punctuation: 'claim [1][2].'; after a closing
    quotation mark, never inside someone's words: '“... freedom of action.” [1]'."""
    if not numbers:
        return sentence
    marks = "".join(f"[{n}]" for n in numbers)
    end = _TRAILING_PUNCT.search(sentence)
    if end and re.search(r"[\"”]", end.group()):
        return f"{sentence} {marks}"
    if end:
        return f"{sentence[: end.start()].rstrip()} {marks}{sentence[end.start() :]}"
    return f"{sentence} {marks}"
