// The Library's article viewer: brought into view with focus on the text when an article is
// opened from the table (on a phone it sits below the table).
const show = () => {
  if (!window.__naFocusViewer) return;
  window.__naFocusViewer = false;
  const text = element.querySelector('.na-article') || element.querySelector('.na-panel');
  if (text) text.focus({ preventScroll: true });
  element.scrollIntoView({ block: 'start' });
};
window.__naShowViewer = show;
watch('value', show);
