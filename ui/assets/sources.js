// The sources panel (runs when it mounts). The page's script calls __naOpenSource with a
// citation (#cite-<turn>-<n>) or article (#article-<name>) link target; the server answers with
// the panel, labelled with that link. When a link was opened by the reader, focus moves to the
// quoted passage once the panel for that link is shown (on a slow server, not to the one before).
window.__naOpenSource = (href) => trigger('click', { href: href });
const focusPanel = () => {
  const box = element.querySelector('.na-passage');
  const mark = box && box.querySelector('mark');
  if (mark) box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 4);
  const shown = element.querySelector('.na-for');
  const wanted = window.__naFocusPassage;
  if (!wanted || !shown || shown.dataset.for !== wanted) return;
  window.__naFocusPassage = null;
  const target = box || element.querySelector('.na-article') || element.querySelector('.na-panel');
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  focusWhenShown(target, 20);
};
// On a phone the panel is a drawer that may still be sliding in (hidden) when the panel
// arrives, and focus() on a hidden element does nothing: try again for up to two seconds.
const focusWhenShown = (target, tries) => {
  if (!target.isConnected) return;
  target.focus({ preventScroll: true });
  if (document.activeElement === target) target.scrollIntoView({ block: 'nearest' });
  else if (tries > 0) setTimeout(() => focusWhenShown(target, tries - 1), 100);
};
window.__naFocusPanel = focusPanel;
watch('value', focusPanel);
