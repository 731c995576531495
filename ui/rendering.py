"""Turning answers into what people and programs read: the chat's Markdown, plain text to copy
or return from /chat, citation previews, the exported conversation, the status line."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from assistant.citations import MARKER
from assistant.records import Answer, Citation
from ui.escaping import escape_html, escape_markdown

if TYPE_CHECKING:
    from ui.conversation import Turn

# Same shape as the engine's markers: [2], [1, 3] or [1; 3].
_MARKER_NUMBERS = re.compile(r"\d{1,3}")
CURSOR = " ▍"
# A title stands for its article in one line of the source list; a passage preview is a few
# lines of a hover card. Cut at a word either way.
TITLE_CHARS = 90
PREVIEW_CHARS = 280
# Only the start of an article is searched for its first sentence (the pattern runs over this).
OPENING_SCAN_CHARS = 1000
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_LEADING_MARKUP = "-•*#>–— \t"
# Outcomes whose text is the whole message: no sources to list.
_NO_SOURCES = ("unrelated", "smalltalk")
_FLAGS = {
    "unsupported": ("⚠", "Not supported by the cited passages"),
    "corrected": ("ⓘ", "Citation corrected"),
}
WORKING = "Reading the articles…"
STOPPED_NOTE = "Stopped. This partial answer was not checked against the sources."


# -- titles and short text -----------------------------------------------------------------------


def short_text(text: str, limit: int) -> str:
    """The text on one line, cut at a word boundary with an ellipsis when longer than `limit`."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(" ,;:.") + "…"


def first_sentence(text: str, limit: int = TITLE_CHARS) -> str:
    """An untitled article's name: its first sentence (bullets and markup dropped), shortened."""
    flat = " ".join(text[:OPENING_SCAN_CHARS].split()).lstrip(_LEADING_MARKUP)
    end = _SENTENCE_END.search(flat)
    sentence = flat[: end.end()] if end else flat
    # As a name it takes no full stop ("…, file" follows it in the source list).
    return short_text(sentence.removesuffix("."), limit)


def display_title(title: str | None, text: str | None, source: str) -> str:
    """What names an article on screen: its title, else its first sentence, else its file."""
    if title and title.strip():
        return short_text(title, TITLE_CHARS * 2)
    return first_sentence(text or "") or source


def citation_heading(citation: Citation) -> str:
    """'Title (date)' of a citation whose title and date the UI has filled in ('' if neither)."""
    head = citation.title or ""
    if citation.date:
        head = f"{head} ({citation.date})" if head else f"({citation.date})"
    return head


def source_line(citation: Citation) -> str:
    """'Title (date), file': one source in the compact list."""
    head = citation_heading(citation)
    return f"{head}, {citation.source}" if head else citation.source


def unique_citations(answer: Answer) -> list[Citation]:
    """One citation per number, in number order."""
    by_n: dict[int, Citation] = {}
    for citation in answer.citations:
        by_n.setdefault(citation.n, citation)
    return [by_n[n] for n in sorted(by_n)]


def listed_citations(answer: Answer) -> list[Citation]:
    return [] if answer.outcome in _NO_SOURCES else unique_citations(answer)


# -- citation links ------------------------------------------------------------------------------


def cite_href(turn: int, n: int) -> str:
    """The link target of citation [n] in conversation turn `turn` (read back by the page's JS)."""
    return f"#cite-{turn}-{n}"


def parse_cite_href(target: str) -> tuple[int, int] | None:
    """(turn, n) from a citation link target, or None if it is not one."""
    match = re.fullmatch(r"#?cite-(\d{1,6})-(\d{1,3})", target.strip()[:40])
    return (int(match.group(1)), int(match.group(2))) if match else None


def linked_answer_markdown(text: str, turn: int, cited: set[int]) -> str:
    """The answer text escaped, with each [n] that has a citation turned into a link."""
    parts: list[str] = []
    position = 0
    for match in MARKER.finditer(text):
        parts.append(escape_markdown(text[position : match.start()]))
        numbers = [int(x) for x in _MARKER_NUMBERS.findall(match.group(1))]
        if all(n in cited for n in numbers):
            parts.append("".join(f"[\\[{n}\\]]({cite_href(turn, n)})" for n in numbers))
        else:
            parts.append(escape_markdown(match.group(0)))
        position = match.end()
    parts.append(escape_markdown(text[position:]))
    return "".join(parts)


# -- verification marks --------------------------------------------------------------------------


def flagged_sentences(answer: Answer) -> list[tuple[int, int, str, str]]:
    """(start, end, status, label) of each sentence to mark: corrected or unsupported, from the
    verdicts; for answers without verdicts, the sentences no source backs. Verified and framing
    sentences need no mark. `end` is past the sentence's own [n] markers."""
    text = answer.answer
    flags: dict[int, tuple[int, int, str, str]] = {}
    if answer.verdicts:
        for verdict in answer.verdicts:
            if verdict.status in _FLAGS and 0 <= verdict.start < verdict.end <= len(text):
                end = _after_markers(text, verdict.end)
                label = _flag_label(verdict.status, verdict.reason)
                flags.setdefault(end, (verdict.start, end, verdict.status, label))
    else:
        for sentence in answer.uncited_sentences:
            found = text.find(sentence) if sentence else -1
            if found >= 0:
                end = _after_markers(text, found + len(sentence))
                label = _flag_label("unsupported", "no source backs this sentence")
                flags.setdefault(end, (found, end, "unsupported", label))
    return [flags[end] for end in sorted(flags)]


def _flag_label(status: str, reason: str | None) -> str:
    head = _FLAGS[status][1]
    return f"{head}: {reason}" if reason else head


def _after_markers(text: str, end: int) -> int:
    """`end` moved past a marker it falls inside or that follows it (marks go after the [n])."""
    for match in MARKER.finditer(text, max(0, end - 12), min(len(text), end + 40)):
        if match.start() < end < match.end() or text[end : match.start()].strip() == "":
            end = max(end, match.end())
    return end


def _flag_html(status: str, label: str) -> str:
    symbol = _FLAGS[status][0]
    # role=img with a title: the title is both the tooltip and the accessible name.
    return (
        f' <span class="na-flag na-flag-{status}" role="img" tabindex="0" '
        f'title="{escape_html(label)}">{symbol}</span>'
    )


# -- the chat's Markdown -------------------------------------------------------------------------


def answer_body_markdown(answer: Answer, turn: int) -> str:
    """The answer text with linked [n] and a mark after each corrected or unsupported sentence."""
    text, cited = answer.answer, {c.n for c in answer.citations}
    parts: list[str] = []
    position = 0
    for _, end, status, label in flagged_sentences(answer):
        parts.append(linked_answer_markdown(text[position:end], turn, cited))
        parts.append(_flag_html(status, label))
        position = end
    parts.append(linked_answer_markdown(text[position:], turn, cited))
    return "".join(parts).strip()


def answer_markdown(answer: Answer, turn: int) -> str:
    """A finished answer: the answer first, then its sources, then small notes (how a follow-up
    was understood, a fallback). The text itself says when the articles don't answer."""
    blocks = [answer_body_markdown(answer, turn)]
    citations = listed_citations(answer)
    if citations:
        lines = ["**Sources**"]
        for c in citations:
            head = citation_heading(c)
            shown = f"{escape_markdown(head)}, " if head else ""
            lines.append(
                f"[\\[{c.n}\\]]({cite_href(turn, c.n)}) {shown}"
                f'<small class="na-file">{escape_markdown(c.source)}</small>'
            )
        blocks.append("  \n".join(lines))
    notes = [f"{label}: {escape_markdown(value)}" for label, value in _notes(answer)]
    if notes:
        blocks.append('<small class="na-note">' + "<br>".join(notes) + "</small>")
    return "\n\n".join(blocks)


def _notes(answer: Answer) -> list[tuple[str, str]]:
    notes = []
    if answer.rewritten_question and answer.outcome != "smalltalk":
        notes.append(("Understood as", answer.rewritten_question))
    if answer.notice:
        notes.append(("Note", answer.notice))
    return notes


def partial_markdown(text: str) -> str:
    """The answer while it streams: [n] markers shown as pending (not links yet: each is being
    checked against its source), and a cursor."""
    if not text.strip():
        return f'<span class="na-working">{WORKING}</span>{CURSOR}'
    parts: list[str] = []
    position = 0
    for match in MARKER.finditer(text):
        parts.append(escape_markdown(text[position : match.start()]))
        parts.append(
            '<span class="na-pending" title="Being checked against its source">'
            f"{escape_markdown(match.group(0))}</span>"
        )
        position = match.end()
    parts.append(escape_markdown(text[position:]))
    return "".join(parts) + CURSOR


def stopped_markdown(text: str) -> str:
    shown = escape_markdown(text.strip())
    note = f'<small class="na-note">{STOPPED_NOTE}</small>'
    return f"{shown}\n\n{note}" if shown else note


def error_markdown(message: str) -> str:
    return f"> **Could not answer.** {escape_markdown(message)}"


def turn_markdown(turn: Turn, index: int) -> str:
    """The assistant's message for a turn in any state."""
    if turn.state == "done" and turn.answer is not None:
        return answer_markdown(turn.answer, index)
    if turn.state == "failed":
        return error_markdown(turn.text)
    if turn.state == "stopped":
        return stopped_markdown(turn.text)
    return partial_markdown(turn.text)


def chat_messages(turns: list[Turn]) -> list[dict[str, str]]:
    """The Chatbot value: each question and what became of it, in order."""
    messages: list[dict[str, str]] = []
    for index, turn in enumerate(turns):
        messages.append({"role": "user", "content": escape_markdown(turn.question)})
        messages.append({"role": "assistant", "content": turn_markdown(turn, index)})
    return messages


# -- plain text: copying, /chat, export ----------------------------------------------------------


def answer_text(answer: Answer) -> str:
    """The answer as plain text: its text with [n], then 'Sources: [1] Title (date), file', then
    what a reader must know (sentences no source supports, how a follow-up was understood)."""
    blocks = [answer.answer.strip()]
    citations = listed_citations(answer)
    if citations:
        blocks.append("Sources:\n" + "\n".join(f"[{c.n}] {source_line(c)}" for c in citations))
    notes = [
        f"{label}: “{_sentence(answer, start, end)}”"
        for start, end, _, label in flagged_sentences(answer)
    ]
    notes += [f"{label}: {value}" for label, value in _notes(answer)]
    if notes:
        blocks.append("\n".join(notes))
    return "\n\n".join(blocks)


def _sentence(answer: Answer, start: int, end: int) -> str:
    """A flagged sentence as plain text, without its markers, shortened."""
    return short_text(MARKER.sub("", answer.answer[start:end]), 200)


def turn_text(turn: Turn) -> str:
    """What copying a turn's message gives."""
    if turn.state == "done" and turn.answer is not None:
        return answer_text(turn.answer)
    if turn.state == "failed":
        return f"Could not answer. {turn.text}"
    if turn.state == "stopped":
        return f"{turn.text.strip()}\n\n{STOPPED_NOTE}".strip()
    return turn.text


def conversation_markdown(turns: Iterable[Turn]) -> str:
    """The conversation as a Markdown document (Export conversation)."""
    lines = ["# News assistant conversation", ""]
    count = 0
    for count, turn in enumerate(turns, start=1):
        lines += [f"## {count}. {escape_markdown(short_text(turn.question, 120))}", ""]
        if len(turn.question) > 120:
            lines += [f"**Question:** {escape_markdown(turn.question)}", ""]
        if turn.state == "done" and turn.answer is not None:
            answer = turn.answer
            lines += [escape_markdown(answer.answer.strip()), ""]
            citations = listed_citations(answer)
            if citations:
                lines += ["**Sources**", ""]
                lines += [
                    f"- \\[{c.n}\\] {escape_markdown(source_line(c))}: "
                    f"“{escape_markdown(short_text(c.quote, PREVIEW_CHARS))}”"
                    for c in citations
                ]
                lines.append("")
            for start, end, _, label in flagged_sentences(answer):
                sentence = _sentence(answer, start, end)
                lines += [f"*{escape_markdown(label)}: “{escape_markdown(sentence)}”*", ""]
            lines += [f"*{label}: {escape_markdown(value)}*" for label, value in _notes(answer)]
        else:
            lines.append(escape_markdown(turn_text(turn)))
        if lines[-1]:
            lines.append("")
    if count == 0:
        lines += ["No questions yet.", ""]
    return "\n".join(lines).rstrip() + "\n"


# -- what the page's script needs ----------------------------------------------------------------


def citation_preview(citation: Citation) -> dict[str, str]:
    """The hover card of an [n]: title, date, file and the start of the quoted passage."""
    return {
        "title": citation.title or citation.source,
        "date": citation.date or "",
        "source": citation.source,
        "quote": short_text(citation.quote, PREVIEW_CHARS),
    }


def page_data(turns: list[Turn]) -> str:
    """JSON the page's script reads: per turn the text copying gives and the citation
    previews, and the conversation as Markdown for Export."""
    data: dict[str, Any] = {
        "turns": [
            {
                "question": turn.question,
                "copy": turn_text(turn),
                "previews": {
                    str(c.n): citation_preview(c)
                    for c in (unique_citations(turn.answer) if turn.answer else [])
                },
            }
            for turn in turns
        ],
        "export": conversation_markdown(turns),
    }
    # No markup characters at all in it (JSON.parse reads the escapes back): it never looks like
    # HTML to anything that handles the component's value.
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


# -- the status line -----------------------------------------------------------------------------


def status_text(articles: int, backend: str, model: str | None = None) -> str:
    """The status line in plain words: how many articles, and who writes the answers."""
    count = (
        "No articles yet"
        if articles == 0
        else "1 article"
        if articles == 1
        else f"{articles:,} articles"
    )
    if backend == "offline":
        how = "answering from the articles themselves, no AI model configured"
    else:
        how = f"answers written by {model or 'the AI model'} and checked against the articles"
    return f"{count} · {how}"


def status_markdown(articles: int, backend: str, model: str | None = None) -> str:
    return escape_markdown(status_text(articles, backend, model))
