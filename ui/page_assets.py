"""The page's own CSS and JavaScript, attached to its components so any launch carries them.

The scripts live in ui/assets/ (one per component that runs it, as `js_on_load`): page.js (the
chat's behaviour: citations, previews, copying, scrolling, labels, export), sources.js (the
sources panel), library.js and viewer.js (the Library tab), limit.js (the question counter);
page.css is the page's layout, injected into <head>."""

from __future__ import annotations

from pathlib import Path

_ASSETS = Path(__file__).resolve().parent / "assets"


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


PAGE_JS = _asset("page.js")
SOURCES_JS = _asset("sources.js")
LIBRARY_JS = _asset("library.js")
VIEWER_JS = _asset("viewer.js")
LIMIT_JS = _asset("limit.js")
PAGE_HEAD = f"<style>{_asset('page.css')}</style>"
LIMIT_TEMPLATE = (
    '<div class="na-limit"><span class="na-limit-msg" role="status">${value}</span>'
    '<span class="na-count" aria-hidden="true"></span></div>'
)

PANEL_CSS = """
.na-panel { font-size: 0.95rem; line-height: 1.5; }
.na-label { font-size: 0.8rem; text-transform: uppercase; letter-spacing: .04em; opacity: .7; }
.na-title { margin: .2rem 0 .4rem; font-size: 1.1rem; overflow-wrap: anywhere; }
.na-meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: 0 0 .6rem; }
.na-meta dt { font-weight: 600; }
.na-meta dd { margin: 0; overflow-wrap: anywhere; }
.na-passage, .na-article { white-space: pre-wrap; overflow-wrap: anywhere; }
.na-passage { position: relative; max-height: 26rem; overflow-y: auto; padding: .5rem .7rem;
  border-left: 3px solid var(--color-accent, #f97316); background: var(--block-background-fill); }
.na-article { max-height: 30rem; overflow-y: auto; }
.na-mark { background: #fde68a; color: #111827; padding: 0 .1rem; border-radius: 2px; }
.na-hint { opacity: .8; }
.na-quote { margin: .5rem 0; padding-left: .7rem; border-left: 3px solid #d1d5db; white-space: pre-wrap; }
details { margin-top: .6rem; }
summary { cursor: pointer; }
"""

UPLOAD_CSS = """
.na-upload ul { margin: .3rem 0 0; padding-left: 1.2rem; }
.na-upload li { overflow-wrap: anywhere; }
.na-upload .na-skipped b { color: #b91c1c; }
.na-upload .na-added b, .na-upload .na-updated b { color: #15803d; }
"""
