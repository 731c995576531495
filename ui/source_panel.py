"""The sources panel: an article's details with the cited passage highlighted in its context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.records import Citation
from ui.escaping import escape_html
from ui.rendering import display_title

if TYPE_CHECKING:
    from assistant import ArticleView

CONTEXT_CHARS = 700


@dataclass(frozen=True)
class Highlight:
    """A window of an article split around the passage to mark."""

    before: str
    marked: str
    after: str
    cut_before: bool  # text was left out before the window
    cut_after: bool


def locate(text: str, citation: Citation) -> tuple[int, int] | None:
    """Where the cited quote is in `text`: at its offsets, else (article changed) wherever it is."""
    start, end = citation.start, citation.end
    if 0 <= start < end <= len(text) and text[start:end] == citation.quote:
        return start, end
    found = text.find(citation.quote) if citation.quote else -1
    return (found, found + len(citation.quote)) if found >= 0 else None


def highlight(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> Highlight:
    """`text[start:end]` with up to `context` characters either side, cut at whitespace."""
    lo = max(0, start - context)
    hi = min(len(text), end + context)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    return Highlight(text[lo:start], text[start:end], text[end:hi], lo > 0, hi < len(text))


def _details(article: ArticleView) -> str:
    rows = [("File", article.source)]
    if article.date:
        rows.append(("Date", article.date))
    if article.original_source:
        rows.append(("Original source", article.original_source))
    cells = "".join(f"<dt>{escape_html(k)}</dt><dd>{escape_html(v)}</dd>" for k, v in rows)
    title = display_title(article.title, article.text, article.source)
    return f'<h3 class="na-title">{escape_html(title)}</h3><dl class="na-meta">{cells}</dl>'


# Shown on narrow screens, where the panel is a drawer over the chat (the page's CSS hides it on
# wide ones); the page's script closes the drawer and returns focus to the citation.
CLOSE_BUTTON = '<button type="button" class="na-close" aria-label="Close the source">×</button>'


def citation_html(n: int, citation: Citation, article: ArticleView | None) -> str:
    """The panel for citation [n]: the article's details and the passage marked in context."""
    if article is None:
        return message_html(
            f"[{n}] {citation.source} is no longer in the library.", quote=citation.quote
        )
    span = locate(article.text, citation)
    if span is None:
        return message_html(
            f"[{n}] The article {article.source} changed since this answer; the cited passage "
            "is no longer in it.",
            quote=citation.quote,
        )
    part = highlight(article.text, *span)
    passage = (
        ("… " if part.cut_before else "")
        + escape_html(part.before)
        + f'<mark class="na-mark">{escape_html(part.marked)}</mark>'
        + escape_html(part.after)
        + (" …" if part.cut_after else "")
    )
    return (
        f'<div class="na-panel" data-citation="{n}">{CLOSE_BUTTON}'
        f'<div class="na-label">Source [{n}]</div>'
        f"{_details(article)}"
        f'<div class="na-passage" tabindex="-1" role="region" '
        f'aria-label="Passage quoted by [{n}]">{passage}</div>'
        f"<details><summary>Whole article</summary>"
        f'<div class="na-article">{escape_html(article.text)}</div></details></div>'
    )


def article_html(article: ArticleView) -> str:
    """The panel for a whole article, nothing marked."""
    return (
        f'<div class="na-panel"><div class="na-label">Article</div>{_details(article)}'
        f'<div class="na-article" tabindex="-1" role="region" aria-label="Article text">'
        f"{escape_html(article.text)}</div></div>"
    )


def message_html(message: str, quote: str | None = None) -> str:
    body = f'<p class="na-hint">{escape_html(message)}</p>'
    if quote:
        body += f'<blockquote class="na-quote">{escape_html(quote)}</blockquote>'
    return f'<div class="na-panel">{body}</div>'


def for_link(href: str, panel: str) -> str:
    """`panel` labelled with the link it answers, so the page's script focuses the passage only
    once the panel it asked for has arrived (not an earlier one, on a slow server)."""
    return f'<div class="na-for" data-for="{escape_html(href)}">{panel}</div>'


EMPTY_PANEL = message_html(
    "Click a citation such as [1] in an answer to read the passage it quotes, in its article."
)
