// The question box's counter and message (runs when it mounts): the count shows from 80% of the
// limit, so it is there before it matters and is no noise before; over the limit it turns red
// and says what to do. The server refuses a too-long question with the same words and leaves it
// in the box.
const limit = Number(props.limit) || 0;
const format = (n) => n.toLocaleString('en');
const count = () => {
  const area = document.querySelector('#na-question textarea');
  const box = element.querySelector('.na-limit');
  if (!area || !box || !limit) return;
  const n = area.value.trim().length;
  const over = n > limit;
  box.querySelector('.na-count').textContent =
    n >= Math.floor(limit * 0.8) ? format(n) + ' / ' + format(limit) : '';
  box.classList.toggle('na-over', over);
  box.querySelector('.na-limit-msg').textContent = over
    ? 'Too long to ask: ' + format(n) + ' characters, the limit is ' + format(limit) +
      '. Shorten the question and ask again.'
    : '';
};
if (!window.__naCounter) {
  window.__naCounter = true;
  document.addEventListener('input', (event) => {
    if (event.target.matches && event.target.matches('#na-question textarea')) {
      window.__naCount && window.__naCount();
    }
  });
}
window.__naCount = count;
watch('value', () => setTimeout(count, 30));
count();
