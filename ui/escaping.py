"""Escaping text for the two places it is shown: Markdown chat messages and HTML panels."""

from __future__ import annotations

import html
import re

# Markdown punctuation that could start emphasis, code, links, tables, strikethrough or maths.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()~|${}])")
# At a line start these make headings, lists, rules or setext headings. The indent is spaces and
# tabs only: `\s*` would run on over every following blank line from each line start (quadratic).
_MARKDOWN_LINE_START = re.compile(r"^([ \t]*+)([#+=-]|\d++(?=[.)]))", re.MULTILINE)
# Braces, dollars and backticks become entities too: gr.HTML fills a JS/Handlebars template,
# so nothing from an article may look like `${...}` or `{{...}}` to it.
_TEMPLATE_SPECIAL = str.maketrans({"{": "&#123;", "}": "&#125;", "$": "&#36;", "`": "&#96;"})
# What the chat's Markdown (GFM autolinks) would turn into a link without any brackets: a URL's
# "scheme:" or "www.", and the "@" of an e-mail address. Written as character references they
# look the same but are no longer link syntax. Each alternative is a fixed few characters.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|file|data|javascript)(:)|(www)(\.)|(@)")
_AUTOLINK_REFERENCE = {":": "&#58;", ".": "&#46;", "@": "&#64;"}


def escape_html(text: str) -> str:
    """Text as inert HTML: tags, attributes and template syntax all shown literally."""
    return html.escape(text, quote=True).translate(_TEMPLATE_SPECIAL)


def escape_markdown(text: str) -> str:
    """Text as inert Markdown: no HTML, links (bare URLs and e-mail addresses included),
    emphasis, code or maths, only the characters."""
    # Quotes need no escaping in Markdown text (none of it lands in an attribute) and
    # stay readable when a message is copied.
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
    escaped = _AUTOLINK.sub(_defuse_autolink, escaped)
    return _MARKDOWN_LINE_START.sub(_escape_line_start, escaped)


def _defuse_autolink(match: re.Match[str]) -> str:
    if match.group(5):
        return _AUTOLINK_REFERENCE["@"]
    word, mark = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
    return word + _AUTOLINK_REFERENCE[mark]


def _escape_line_start(match: re.Match[str]) -> str:
    indent, token = match.group(1), match.group(2)
    if token.isdigit():  # "1." -> "1\." is done by escaping the character after the number
        return indent + token + "\\"
    return indent + "\\" + token
