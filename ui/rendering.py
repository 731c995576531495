"""Turning an Answer into what people and programs read: chat Markdown and plain text."""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.records import Answer, Citation
from ui.escaping import escape_markdown

# Same shape as the engine's markers: [2], [1, 3] or [1; 3].
MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
QUOTE_CHARS = 160
CURSOR = " ▍"
REFUSED_NOTICE = "None of the loaded articles answers this, so there is no sourced answer."


def cite_href(turn: int, n: int) -> str:
    """The link target of citation [n] in conversation turn `turn` (read back by the page's JS)."""
    return f"#cite-{turn}-{n}"


def parse_cite_href(target: str) -> tuple[int, int] | None:
    """(turn, n) from a citation link target, or None if it is not one."""
    match = re.fullmatch(r"#?cite-(\d{1,6})-(\d{1,3})", target.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def short_quote(quote: str, limit: int = QUOTE_CHARS) -> str:
    """The quote on one line, cut at a word boundary with an ellipsis when longer than `limit`."""
    flat = " ".join(quote.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(" ,;:.") + "…"


def unique_citations(answer: Answer) -> list[Citation]:
    """One citation per number, in number order."""
    by_n: dict[int, Citation] = {}
    for citation in answer.citations:
        by_n.setdefault(citation.n, citation)
    return [by_n[n] for n in sorted(by_n)]


def linked_answer_markdown(text: str, turn: int, cited: set[int]) -> str:
    """The answer text escaped, with each [n] that has a citation turned into a link."""
    parts: list[str] = []
    position = 0
    for match in MARKER.finditer(text):
        parts.append(escape_markdown(text[position : match.start()]))
        numbers = [int(x) for x in re.split(r"\s*[,;]\s*", match.group(1))]
        if all(n in cited for n in numbers):
            parts.append("".join(f"[\\[{n}\\]]({cite_href(turn, n)})" for n in numbers))
        else:
            parts.append(escape_markdown(match.group(0)))
        position = match.end()
    parts.append(escape_markdown(text[position:]))
    return "".join(parts)


def answer_markdown(answer: Answer, turn: int, titles: Mapping[str, str | None]) -> str:
    """The chat message for a finished answer: notices, linked answer text, numbered sources."""
    blocks: list[str] = []
    if answer.rewritten_question:
        blocks.append(
            f"> **Follow-up understood as:** {escape_markdown(answer.rewritten_question)}"
        )
    if answer.refused:
        blocks.append(f"> **Not in the articles.** {REFUSED_NOTICE}")
    if answer.notice:
        blocks.append(f"> **Note:** {escape_markdown(answer.notice)}")
    if answer.uncited_sentences:
        blocks.append(f"> **Unverified:** {escape_markdown(uncited_notice(answer))}")
    citations = unique_citations(answer)
    blocks.append(linked_answer_markdown(answer.answer, turn, {c.n for c in citations}))
    if citations:
        lines = ["**Sources**"]
        for c in citations:
            title = titles.get(c.source)
            label = f"{escape_markdown(c.source)}"
            if title:
                label += f" — *{escape_markdown(title)}*"
            lines.append(
                f"[\\[{c.n}\\]]({cite_href(turn, c.n)}) {label}: "
                f"“{escape_markdown(short_quote(c.quote))}”"
            )
        blocks.append("  \n".join(lines))
    return "\n\n".join(blocks)


def uncited_notice(answer: Answer) -> str:
    """Which sentences no source supports (the model wrote them, verification found no backing)."""
    quoted = "; ".join(f"“{short_quote(s)}”" for s in answer.uncited_sentences)
    count = len(answer.uncited_sentences)
    return f"{count} sentence{'s' if count > 1 else ''} not backed by any source: {quoted}"


def partial_markdown(text: str) -> str:
    """The chat message while the answer streams in: the text so far, escaped, and a cursor."""
    return escape_markdown(text) + CURSOR


def error_markdown(message: str) -> str:
    return f"> **Could not answer.** {escape_markdown(message)}"


def answer_text(answer: Answer, titles: Mapping[str, str | None]) -> str:
    """The answer for programs: text with [n] markers, then the numbered sources, plain text."""
    blocks = [answer.answer.strip()]
    citations = unique_citations(answer)
    if citations:
        lines = ["Sources:"]
        for c in citations:
            title = titles.get(c.source)
            label = f"{c.source} — {title}" if title else c.source
            lines.append(f'[{c.n}] {label}: "{short_quote(c.quote)}"')
        blocks.append("\n".join(lines))
    notes = []
    if answer.rewritten_question:
        notes.append(f"Follow-up understood as: {answer.rewritten_question}")
    if answer.refused:
        notes.append(f"Not in the articles: {REFUSED_NOTICE}")
    if answer.notice:
        notes.append(f"Note: {answer.notice}")
    if answer.uncited_sentences:
        notes.append(f"Unverified: {uncited_notice(answer)}")
    if notes:
        blocks.append("\n".join(notes))
    return "\n\n".join(blocks)


def status_markdown(backend: str, articles: int, chunks: int, embedding_model: str) -> str:
    return escape_markdown(
        f"Backend: {backend} · {articles} articles, {chunks} chunks loaded · "
        f"embeddings: {embedding_model}"
    )
