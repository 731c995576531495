// The Library table (runs when the Library tab first opens): sorting and searching happen here,
// on the rows the server rendered; opening and removing ask the server (trigger 'click' with
// {action, source}). Removal asks for confirmation in the row first.
const state = element.__naLib || (element.__naLib = { sort: 'title', query: '' });
const DESCENDING = { date: true, size: true };
window.__naOpenArticle = (source) => {
  window.__naFocusViewer = true;
  trigger('click', { action: 'open', source: source });
  setTimeout(() => window.__naFocusViewer && window.__naShowViewer && window.__naShowViewer(), 700);
};
const apply = () => {
  const body = element.querySelector('.na-lib-table tbody');
  if (!body) return;
  body.querySelectorAll('.na-lib-confirm-row').forEach((row) => row.remove());
  body.querySelectorAll('.na-lib-asking').forEach((row) => row.classList.remove('na-lib-asking'));
  const rows = Array.from(body.rows);
  const key = state.sort;
  const text = (row) => row.dataset[key] || '';
  rows.sort((a, b) => {
    if (key === 'size') return Number(b.dataset.size) - Number(a.dataset.size);
    const x = text(a);
    const y = text(b);
    if (key === 'date' && x !== y) {
      if (!x) return 1; // undated articles last
      if (!y) return -1;
      return x < y ? 1 : -1;
    }
    return x.localeCompare(y) || a.dataset.source.localeCompare(b.dataset.source);
  });
  rows.forEach((row) => body.appendChild(row));
  const query = state.query.trim().toLowerCase();
  let shown = 0;
  rows.forEach((row) => {
    const hit = !query || row.dataset.search.includes(query);
    row.hidden = !hit;
    if (hit) shown += 1;
  });
  const none = element.querySelector('.na-lib-none');
  if (none) none.hidden = shown > 0;
  element.querySelectorAll('th[data-sort]').forEach((th) => {
    const order = DESCENDING[key] ? 'descending' : 'ascending';
    th.setAttribute('aria-sort', th.dataset.sort === key ? order : 'none');
  });
  const select = element.querySelector('.na-lib-sort');
  if (select) select.value = key;
  const search = element.querySelector('.na-lib-search');
  if (search && search.value !== state.query) search.value = state.query;
};
const button = (label, className) => {
  const node = document.createElement('button');
  node.type = 'button';
  node.className = className;
  node.textContent = label;
  return node;
};
// The confirmation is a row of its own under the article's row: what will happen, and two
// buttons, Cancel focused (the safe choice).
const askToRemove = (remove) => {
  const row = remove.closest('tr');
  const next = row.nextElementSibling;
  if (next && next.classList.contains('na-lib-confirm-row')) {
    next.querySelector('.na-lib-cancel').focus();
    return;
  }
  const title = row.querySelector('.na-lib-open').textContent;
  const confirmRow = document.createElement('tr');
  confirmRow.className = 'na-lib-confirm-row';
  const cell = document.createElement('td');
  cell.colSpan = row.cells.length;
  const question = document.createElement('span');
  question.className = 'na-lib-ask';
  question.setAttribute('role', 'alert');
  question.textContent =
    'Remove “' + title + '” (' + remove.dataset.source + ')? The file is deleted from the ' +
    'library folder and its passages from the store.';
  const yes = button('Remove', 'na-lib-confirm');
  yes.dataset.source = remove.dataset.source;
  const no = button('Cancel', 'na-lib-cancel');
  cell.append(question, yes, no);
  confirmRow.append(cell);
  row.after(confirmRow);
  row.classList.add('na-lib-asking');
  no.focus();
};
const cancelRemoval = (cancel) => {
  const confirmRow = cancel.closest('tr');
  const row = confirmRow.previousElementSibling;
  confirmRow.remove();
  if (!row) return;
  row.classList.remove('na-lib-asking');
  const remove = row.querySelector('.na-lib-remove');
  if (remove) remove.focus();
};
element.addEventListener('input', (event) => {
  if (event.target.matches && event.target.matches('.na-lib-search')) {
    state.query = event.target.value;
    apply();
  }
});
element.addEventListener('change', (event) => {
  if (event.target.matches && event.target.matches('.na-lib-sort')) {
    state.sort = event.target.value;
    apply();
  }
});
element.addEventListener('click', (event) => {
  const start = event.target instanceof Element ? event.target : event.target.parentElement;
  if (!start) return;
  const header = start.closest('th[data-sort]');
  const open = start.closest('.na-lib-open');
  const remove = start.closest('.na-lib-remove');
  const confirm = start.closest('.na-lib-confirm');
  const cancel = start.closest('.na-lib-cancel');
  if (header) {
    state.sort = header.dataset.sort;
    apply();
  } else if (open) {
    window.__naOpenArticle(open.dataset.source);
  } else if (remove) {
    askToRemove(remove);
  } else if (confirm) {
    confirm.disabled = true;
    confirm.textContent = 'Removing…';
    trigger('click', { action: 'remove', source: confirm.dataset.source });
  } else if (cancel) {
    cancelRemoval(cancel);
  }
});
element.addEventListener('keydown', (event) => {
  const start = event.target instanceof Element ? event.target : null;
  const confirmRow = start && start.closest('.na-lib-confirm-row');
  if (event.key === 'Escape' && confirmRow) cancelRemoval(confirmRow.querySelector('.na-lib-cancel'));
});
watch('value', () => {
  apply();
  const notice = element.querySelector('.na-lib-notice, .na-lib-error');
  if (notice) {
    notice.setAttribute('tabindex', '-1');
    notice.focus();
  }
});
apply();
