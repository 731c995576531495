// The sources panel (runs when it mounts). The page's script calls __naOpenSource with a
// citation (#cite-<turn>-<n>) or article (#article-<name>) link target; the server answers with
// the panel. When a citation was opened by the reader, focus moves to the quoted passage.
window.__naOpenSource = (href) => trigger('click', { href: href });
const focusPanel = () => {
  const box = element.querySelector('.na-passage');
  const mark = box && box.querySelector('mark');
  if (mark) box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 4);
  if (!window.__naFocusPassage) return;
  window.__naFocusPassage = false;
  const target = box || element.querySelector('.na-article') || element.querySelector('.na-panel');
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: 'nearest' });
};
window.__naFocusPanel = focusPanel;
watch('value', focusPanel);
