"""The Library tab: the table of articles (sorted and searched by the page's script), opening an
article, and removing one."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from assistant.errors import AssistantError
from ui import source_panel
from ui.escaping import escape_html
from ui.rendering import display_title

if TYPE_CHECKING:
    from assistant import ArticleInfo, Assistant

log = logging.getLogger(__name__)

EMPTY_VIEWER = source_panel.message_html("Open an article to read its text as it was ingested.")
# Date formats seen in article metadata (ISO first; then the forms news sites print).
_DATE_FORMATS = ("%Y-%m-%d", "%b %d, %Y", "%B %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d")
_ISO_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}")


def sortable_date(date: str | None) -> str:
    """The date as YYYY-MM-DD for sorting, or '' when it cannot be read."""
    if not date:
        return ""
    text = date.strip()[:40]
    if _ISO_PREFIX.match(text):
        text = text[:10]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).strftime("%Y-%m-%d")
        except ValueError:
            continue
    return ""


def table_html(
    articles: Sequence[ArticleInfo], read_only: bool, notice: str = "", error: bool = False
) -> str:
    """The Library's table. Each row carries the keys the page's script sorts and searches by;
    every text from an article is escaped."""
    chunks = sum(a.chunks for a in articles)
    count = f"{len(articles):,} article{'' if len(articles) == 1 else 's'}"
    head = f'<p class="na-lib-count">{count} · {chunks:,} passages</p>'
    if notice:
        kind = "na-lib-error" if error else "na-lib-notice"
        head += f'<p class="{kind}" role="status">{escape_html(notice)}</p>'
    if not articles:
        hint = "No articles yet." + ("" if read_only else " Add some with the upload below.")
        return f'<div class="na-lib">{head}<p class="na-hint">{escape_html(hint)}</p></div>'
    rows = "".join(_row(a, read_only) for a in articles)
    actions = "" if read_only else '<th scope="col"><span class="na-sr">Remove</span></th>'
    return (
        f'<div class="na-lib">{head}'
        '<div class="na-lib-tools">'
        '<label>Search <input type="search" class="na-lib-search" '
        'placeholder="Title, file, source or date"></label>'
        '<label>Sort by <select class="na-lib-sort">'
        '<option value="title">Title</option><option value="date">Date (newest first)</option>'
        '<option value="source">File</option><option value="size">Size (largest first)</option>'
        "</select></label></div>"
        '<p class="na-lib-none na-hint" hidden>No article matches the search.</p>'
        '<table class="na-lib-table"><thead><tr>'
        + "".join(
            f'<th scope="col" data-sort="{key}"><button type="button">{label}</button></th>'
            for key, label in (
                ("title", "Title"),
                ("date", "Date"),
                ("source", "File"),
                ("size", "Size"),
            )
        )
        + f"{actions}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _row(article: ArticleInfo, read_only: bool) -> str:
    title = display_title(article.title, article.opening, article.source)
    source = escape_html(article.source)
    searchable = " ".join(
        x for x in (title, article.source, article.original_source or "", article.date or "") if x
    ).lower()
    origin = (
        f'<span class="na-lib-origin">{escape_html(article.original_source)}</span>'
        if article.original_source
        else ""
    )
    remove = (
        ""
        if read_only
        else '<td class="na-lib-actions">'
        + (
            f'<button type="button" class="na-lib-remove" data-source="{source}" '
            f'title="Remove {escape_html(title)}">Remove</button>'
            if article.removable
            else '<span class="na-hint" title="Ingested from another folder">—</span>'
        )
        + "</td>"
    )
    return (
        f'<tr data-source="{source}" data-title="{escape_html(title.lower())}" '
        f'data-date="{sortable_date(article.date)}" data-size="{article.chars}" '
        f'data-search="{escape_html(searchable)}">'
        f'<td class="na-lib-title"><button type="button" class="na-lib-open" '
        f'data-source="{source}">{escape_html(title)}</button>{origin}</td>'
        f'<td class="na-lib-date">{escape_html(article.date or "")}</td>'
        f'<td class="na-lib-file">{source}</td>'
        f'<td class="na-lib-size">{article.chars:,} characters '
        f"<span>{article.chunks} passage{'' if article.chunks == 1 else 's'}</span></td>"
        f"{remove}</tr>"
    )


def library_table(assistant: Assistant, notice: str = "", error: bool = False) -> str:
    """The table as it is now (an unreadable store is a message, never a traceback)."""
    read_only = assistant.settings.ui_read_only
    try:
        articles = assistant.articles()
    except Exception:
        log.exception("Listing the library failed")
        message = "The library could not be read; the details were logged."
        return f'<div class="na-lib"><p class="na-lib-error" role="status">{message}</p></div>'
    return table_html(articles, read_only, notice, error)


def library_action(assistant: Assistant, action: Any) -> tuple[str | None, str | None]:
    """What a click in the table asks for: {"action": "open"|"remove", "source": name}.

    Returns (new table or None to keep it, new viewer or None to keep it). Removal is refused
    when the deployment is read-only, whatever the page sent."""
    if not isinstance(action, dict):
        return None, None
    kind, source = action.get("action"), action.get("source")
    if not isinstance(source, str) or not source or len(source) > 1000:
        return None, source_panel.message_html("That article is not in the library.")
    if kind == "open":
        article = assistant.article(source)
        if article is None:
            return None, source_panel.message_html("That article is not in the library.")
        return None, source_panel.article_html(article)
    if kind != "remove":
        return None, None
    if assistant.settings.ui_read_only:
        notice = "This library is read-only here; articles are managed on the server."
        return library_table(assistant, notice, error=True), None
    try:
        removed = assistant.remove_article(source)
    except AssistantError as exc:
        return library_table(assistant, str(exc), error=True), None
    except Exception as exc:
        log.exception("Removing %s failed", source)
        readable = type(exc).__name__ in {"StoreError", "IngestLockedError"}
        message = str(exc) if readable else "Could not remove it; the details were logged."
        return library_table(assistant, message, error=True), None
    name = f"“{removed.title}” ({removed.source})" if removed.title else removed.source
    notice = (
        f"Removed {name}: the file and its {removed.chunks} "
        f"passage{'' if removed.chunks == 1 else 's'}. "
        "Upload the file again to bring it back."
    )
    return library_table(assistant, notice), EMPTY_VIEWER
