"""Citation markers: parse [n] in an answer, check each against its source, renumber what holds."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.records import Citation, Source
from assistant.text import matched, terms
from ingest.chunking import split_sentences

MARKER = re.compile(r"\s*\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
# A cited passage must share at least this share of the sentence's content terms (IDF-weighted).
MIN_SUPPORT = 0.4
# Overlap at or above this needs no second opinion; below it, meaning must agree too.
STRONG_SUPPORT = 0.7
MIN_MEANING = 0.6
PAIR_MARGIN = 0.15
_LEADING_MARKERS = re.compile(r"^(?:\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\])+")
_TRAILING_PUNCT = re.compile(r"[.!?…:;]+[\"'”’)]*$")

Weight = Callable[[str], float]
Similarity = Callable[[str, str], float]


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


@dataclass(frozen=True)
class VerifiedAnswer:
    text: str
    citations: list[Citation]
    uncited: list[str]
    dropped: int  # markers removed because the number did not exist or the source did not support


def parse_answer(text: str) -> list[AnswerSentence]:
    """Split an answer into sentences with the [n] markers each carries. Markers that open a
    sentence ("... Syria. [1] Next") belong to the sentence before."""
    texts: list[str] = []
    cited: list[list[int]] = []
    separators: list[str] = []
    previous_end = 0
    for span in split_sentences(text):
        piece = text[span.start : span.end]
        gap = text[previous_end : span.start]
        separator = "\n\n" if gap.count("\n") > 1 else "\n" if "\n" in gap else " "
        previous_end = span.end
        lead = _LEADING_MARKERS.match(piece)
        if lead and texts:
            cited[-1].extend(_numbers(lead.group(0)))
            piece = piece[lead.end() :].strip()
        clean = " ".join(MARKER.sub("", piece).split())
        clean = re.sub(r"\s+([.,;:!?])", r"\1", clean)
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
    return [
        Passage(source, source.start + s.start, source.start + s.end, source.text[s.start : s.end])
        for s in split_sentences(source.text)
    ]


def support(sentence: str, passage_text: str, weight: Weight) -> float:
    """IDF-weighted share of the sentence's content terms that the passage contains."""
    wanted = set(terms(sentence))
    if not wanted:
        return 0.0
    found = matched(wanted, set(terms(passage_text)))
    total = sum(weight(t) for t in wanted)
    return sum(weight(t) for t in found) / total if total else 0.0


def best_passage(sentence: str, source: Source, weight: Weight) -> tuple[Passage | None, float]:
    """The passage of `source` that best supports `sentence` (a sentence, or two adjacent ones)."""
    items = passages(source)
    single: tuple[Passage | None, float] = (None, 0.0)
    pair: tuple[Passage | None, float] = (None, 0.0)
    for i, passage in enumerate(items):
        score = support(sentence, passage.text, weight)
        if score > single[1]:
            single = (passage, score)
        if i + 1 < len(items):
            nxt = items[i + 1]
            joined = Passage(
                source,
                passage.start,
                nxt.end,
                source.text[passage.start - source.start : nxt.end - source.start],
            )
            score = support(sentence, joined.text, weight)
            if score > pair[1]:
                pair = (joined, score)
    # Quote one sentence unless two adjacent ones support the claim clearly better.
    return pair if pair[1] > single[1] + PAIR_MARGIN else single


def verify(
    answer: str,
    sources: Sequence[Source],
    weight: Weight = lambda _t: 1.0,
    min_support: float = MIN_SUPPORT,
    similarity: Similarity | None = None,
) -> VerifiedAnswer:
    """Keep only citations whose number exists and whose source supports the citing sentence;
    re-point a marker to another source that does support it; renumber 1..m by first use.
    Each citation quotes the supporting passage verbatim with its article offsets.

    Support is word overlap (IDF-weighted). A sentence that shares only part of a passage's
    words ("The Portsmouth bakery was fined" vs "Harbour Bakery in Portsmouth won an award")
    must also mean much the same: with `similarity` (cosine of two texts' embeddings), overlap
    below STRONG_SUPPORT needs similarity >= MIN_MEANING. A sentence of fewer than two content
    words ("PWNED.") says nothing a passage could back, and is never cited."""

    def holds(sentence: str, passage: Passage | None, score: float) -> bool:
        if passage is None or score < min_support:
            return False
        if score >= STRONG_SUPPORT or similarity is None:
            return True
        return similarity(sentence, passage.text) >= MIN_MEANING

    by_n = {s.n: s for s in sources}
    citations: list[Citation] = []
    key_to_n: dict[tuple[str, int, int], int] = {}
    out_sentences: list[str] = []
    uncited: list[str] = []
    dropped = 0
    for sentence in parse_answer(answer):
        new_numbers: list[int] = []
        citable = len(set(terms(sentence.text))) >= 2
        for n in sentence.cited:
            source = by_n.get(n) if citable else None
            passage, score = best_passage(sentence.text, source, weight) if source else (None, 0.0)
            if not holds(sentence.text, passage, score):
                dropped += 1
                if not citable:
                    continue
                passage, score = _best_elsewhere(sentence.text, sources, weight, exclude=n)
                if not holds(sentence.text, passage, score):
                    continue
            assert passage is not None  # holds() said so
            key = (passage.source.chunk_id, passage.start, passage.end)
            if key not in key_to_n:
                key_to_n[key] = len(citations) + 1
                citations.append(
                    Citation(
                        n=key_to_n[key],
                        source=passage.source.source,
                        chunk_id=passage.source.chunk_id,
                        quote=passage.text,
                        start=passage.start,
                        end=passage.end,
                    )
                )
            if key_to_n[key] not in new_numbers:
                new_numbers.append(key_to_n[key])
        if not new_numbers and (_is_claim(sentence.text) or sentence.cited):
            # A claim with no backing, or any sentence whose cited source did not hold.
            uncited.append(sentence.text)
        out_sentences.append(sentence.separator + with_markers(sentence.text, new_numbers))
    return VerifiedAnswer("".join(out_sentences).strip(), citations, uncited, dropped)


def _best_elsewhere(
    sentence: str, sources: Sequence[Source], weight: Weight, exclude: int
) -> tuple[Passage | None, float]:
    best: tuple[Passage | None, float] = (None, 0.0)
    for source in sources:
        if source.n == exclude:
            continue
        passage, score = best_passage(sentence, source, weight)
        if score > best[1]:
            best = (passage, score)
    return best


def with_markers(sentence: str, numbers: Sequence[int]) -> str:
    """Put markers before the sentence's closing punctuation: 'claim [1][2].'"""
    if not numbers:
        return sentence
    marks = "".join(f"[{n}]" for n in numbers)
    end = _TRAILING_PUNCT.search(sentence)
    if end:
        return f"{sentence[: end.start()].rstrip()} {marks}{sentence[end.start() :]}"
    return f"{sentence} {marks}"


def _is_claim(sentence: str) -> bool:
    """Sentences that need a citation: not a bare connective ("In short.") or a question back
    to the user."""
    return len(terms(sentence)) >= 2 and not sentence.rstrip().endswith("?")
