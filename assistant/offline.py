"""The offline answer backend: picks the source sentences that answer best and cites each."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from assistant.citations import Passage, passages, with_markers
from assistant.records import Message, Source
from assistant.rewriting import entities, rewrite_offline
from assistant.text import matched, terms

MAX_SENTENCES = 4
MAX_CHARS = 700
# A further sentence must score at least this share of the best one to be worth adding.
RELATIVE_CUTOFF = 0.6
_BULLET = re.compile(r"^(?:[-–—•*▪►➡️➡→]\ufe0f?\s*)+")

Weight = Callable[[str], float]

# A "why" question is answered by sentences that give reasons.
_WHY = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?:why\b|what (?:is|was|are|were) the reasons?\b|for what reason)",
    re.IGNORECASE,
)
_CAUSAL = re.compile(
    r"\b(?:because|due to|driven (?:by|less by|more by)|given|since|so as to|in order to|to avoid|"
    r"to safeguard|to prevent|wary of|concern(?:ed)? (?:about|over)|fear(?:s|ed)?|reason|"
    r"imperative|as a result|argued that|considerations?)\b",
    re.IGNORECASE,
)
CAUSAL_BONUS = 0.12


@dataclass(frozen=True)
class ScoredPassage:
    passage: Passage
    coverage: float  # IDF-weighted share of the question's terms the sentence contains
    score: float


def concepts(question: str) -> list[set[str]]:
    """The question's content terms grouped into concepts: a multi-word name ("Tel Aviv",
    "Naftali Bennett") is one concept, found only when all its words are."""
    groups: list[set[str]] = []
    named: set[str] = set()
    for name in entities(question):
        group = set(terms(name))
        if len(group) > 1:
            groups.append(group)
            named |= group
    groups.extend({t} for t in dict.fromkeys(terms(question)) if t not in named)
    return groups


def score_passages(
    question: str,
    sources: Sequence[Source],
    weight: Weight,
    similarity: Mapping[str, float] | None = None,
) -> list[ScoredPassage]:
    """Every sentence of the sources, scored against the question, best first.

    coverage: IDF-weighted share of the question's concepts found in the sentence (half credit
    when only a neighbouring sentence has it, which resolves "he"/"it"); score mixes coverage
    with how close the sentence's chunk is to the question (dense similarity)."""
    asks_why = bool(_WHY.match(question))
    groups = concepts(question)
    weights = [max(weight(t) for t in g) for g in groups]
    total = sum(weights) or 1.0
    scored: list[ScoredPassage] = []
    for source in sources:
        closeness = (similarity or {}).get(source.chunk_id, 0.0)
        items = passages(source)
        own_terms = [set(terms(p.text)) for p in items]
        for i, passage in enumerate(items):
            own = own_terms[i]
            if len(own) < 4 or _is_heading(passage.text):
                continue
            near = set().union(*(own_terms[j] for j in (i - 1, i + 1) if 0 <= j < len(items)))
            # A reason usually follows the fact it explains ("Israel opted for ... . This is
            # driven by ..."): for a "why" question a reason-giving sentence borrows more of
            # its neighbours' words.
            reason = asks_why and bool(_CAUSAL.search(passage.text))
            near_share = 0.9 if reason else 0.5
            credit = 0.0
            for group, w in zip(groups, weights):
                inside = len(matched(group, own)) / len(group)
                around = len(matched(group, own | near)) / len(group)
                # A multi-word name counts in proportion to its words found.
                credit += w * max(inside, near_share * around)
            coverage = credit / total
            score = 0.65 * coverage + 0.35 * closeness + (CAUSAL_BONUS if reason else 0.0)
            scored.append(ScoredPassage(passage, coverage, score))
    scored.sort(key=lambda s: (-s.score, s.passage.source.n, s.passage.start))
    return scored


def _is_heading(text: str) -> bool:
    return not text.rstrip().endswith((".", "!", "?", '"', "”", "’", "'", ")", ":"))


def select_passages(scored: Sequence[ScoredPassage]) -> list[ScoredPassage]:
    """The best sentences, skipping ones that repeat what is already chosen."""
    if not scored:
        return []
    best = scored[0].score
    chosen: list[ScoredPassage] = []
    length = 0
    for item in scored:
        if len(chosen) == MAX_SENTENCES or item.score < RELATIVE_CUTOFF * best:
            break
        if length + len(item.passage.text) > MAX_CHARS and chosen:
            continue
        own = set(terms(item.passage.text))
        if any(_overlap(own, set(terms(c.passage.text))) > 0.5 for c in chosen):
            continue
        if any(_spans_overlap(item.passage, c.passage) for c in chosen):
            continue
        chosen.append(item)
        length += len(item.passage.text)
    return chosen


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def _spans_overlap(a: Passage, b: Passage) -> bool:
    return a.source.source == b.source.source and a.start < b.end and b.start < a.end


def compose(chosen: Sequence[ScoredPassage]) -> str:
    """The chosen sentences in reading order (by article, as ranked; within one, by position),
    each followed by its source's marker. A sentence that introduces a list (ends with ':')
    brings the list's items along, one per line."""
    first_seen: dict[str, int] = {}
    for item in chosen:
        first_seen.setdefault(item.passage.source.source, len(first_seen))
    ordered = sorted(chosen, key=lambda c: (first_seen[c.passage.source.source], c.passage.start))
    lines: list[tuple[bool, str]] = []  # (is a list item, text)
    for item in ordered:
        passage = item.passage
        lines.append(
            (
                bool(_BULLET.match(passage.text)),
                with_markers(_display(passage.text), [passage.source.n]),
            )
        )
        if passage.text.rstrip().endswith(":"):
            lines.extend(
                (True, with_markers(_display(entry.text), [passage.source.n]))
                for entry in _list_items(passage)
            )
    # A lone bullet reads better as a plain sentence: a list needs an intro or a second item.
    lines = [
        (
            is_item
            and (
                (i > 0 and (lines[i - 1][0] or lines[i - 1][1].endswith(":")))
                or (i + 1 < len(lines) and lines[i + 1][0])
            ),
            line,
        )
        for i, (is_item, line) in enumerate(lines)
    ]
    text = ""
    previous_item = False
    for is_item, line in lines:
        if text:
            if is_item:
                text += "\n"
            elif previous_item:
                text += "\n\n"
            else:
                text += " "
        text += f"- {line}" if is_item else line
        previous_item = is_item
    return text


def _list_items(intro: Passage, limit: int = 6) -> list[Passage]:
    """The bulleted lines right after an introducing sentence, within the same chunk."""
    items: list[Passage] = []
    for passage in passages(intro.source):
        if passage.start <= intro.start:
            continue
        if not _BULLET.match(passage.text):
            if items:
                break
            continue
        items.append(passage)
        if len(items) == limit:
            break
    return items


def _display(sentence: str) -> str:
    text = _BULLET.sub("", sentence.strip())
    return text[0].upper() + text[1:] if text else text


class OfflineAnswerer:
    """Answers by selecting and citing passages of the sources themselves; no model needed."""

    name = "offline"

    def __init__(self, weight: Weight = lambda _t: 1.0) -> None:
        self.weight = weight

    def rewrite(self, question: str, history: Sequence[Message]) -> str:
        return rewrite_offline(question, history)

    def stream_answer(
        self,
        question: str,
        sources: Sequence[Source],
        similarity: Mapping[str, float] | None = None,
    ) -> Iterator[str]:
        yield compose(select_passages(score_passages(question, sources, self.weight, similarity)))
