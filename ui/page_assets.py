"""The page's own CSS and JavaScript, attached to its components so any launch carries them."""

from __future__ import annotations

# Runs once when the sources panel mounts. One capture-phase listener on the document turns a
# click on a citation link (#cite-<turn>-<n>, in the chat) or an article link (#article-<name>,
# in the upload summary) into the panel's `click` event, with the link target as event data.
# The links stay plain Markdown links, so Gradio's sanitiser keeps them and nothing else is
# needed from the (escaped) answer text.
SOURCE_LINKS_JS = """
window.__naOpenSource = (href) => trigger('click', {href: href});
// Bring the marked passage into view inside its scroll box whenever the panel changes.
watch('value', () => {
  const box = element.querySelector('.na-passage');
  const mark = box && box.querySelector('mark');
  if (mark) box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 4);
});
if (!window.__naSourceClicks) {
  window.__naSourceClicks = true;
  document.addEventListener('click', (event) => {
    const start = event.target instanceof Element ? event.target : event.target.parentElement;
    const link = start && start.closest('a[href^="#cite-"], a[href^="#article-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    window.__naOpenSource(link.getAttribute('href'));
  }, true);
}
"""

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
