// The page's behaviour, run once when the hidden #na-page component mounts. Its value is JSON
// from the server (ui/rendering.py page_data): per turn the text copying gives and the citation
// previews, and the conversation as Markdown for Export. Every text shown from it goes through
// textContent, never innerHTML.
const readData = () => {
  try {
    window.__naData = JSON.parse(props.value || '{}');
  } catch (error) {
    window.__naData = {};
  }
};
readData();
watch('value', readData);

if (!window.__naPage) {
  window.__naPage = true;
  const NARROW = window.matchMedia('(max-width: 820px)');
  const turns = () => (window.__naData && window.__naData.turns) || [];
  const elementOf = (target) => (target instanceof Element ? target : target && target.parentElement);
  const parseCite = (href) => {
    const match = /^#cite-(\d+)-(\d+)$/.exec(href || '');
    return match ? [Number(match[1]), Number(match[2])] : null;
  };
  const make = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  // A message as a screen reader should hear it: its text, with each verification mark read as
  // its reason and the streaming cursor left out.
  const readable = (node) => {
    const copy = node.cloneNode(true);
    copy.querySelectorAll('.na-flag').forEach((flag) => {
      flag.replaceWith(' (' + (flag.getAttribute('aria-label') || flag.title || '') + ')');
    });
    return copy.textContent.replace(/▍/g, '').replace(/\s+/g, ' ').trim();
  };

  // -- citations: open the passage (side panel, or a drawer on narrow screens) --------------
  const openSource = (href, link) => {
    window.__naReturnFocus = link;
    window.__naFocusPassage = href;
    if (NARROW.matches) document.body.classList.add('na-drawer-open');
    if (window.__naOpenSource) window.__naOpenSource(href);
    // The same citation twice gives the same panel, which fires no change: focus it anyway
    // (the panel's script does so only if the panel shown is the one for `href`).
    setTimeout(() => {
      if (window.__naFocusPassage && window.__naFocusPanel) window.__naFocusPanel();
    }, 700);
  };
  const closeDrawer = () => {
    if (!document.body.classList.contains('na-drawer-open')) return;
    document.body.classList.remove('na-drawer-open');
    const back = window.__naReturnFocus;
    if (back && back.isConnected && NARROW.matches) back.focus();
  };

  // -- the hover card of an [n] (and of a verification mark) --------------------------------
  const tip = make('div');
  tip.id = 'na-preview';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  document.body.appendChild(tip);
  let tipFor = null;
  let showTimer = null;
  let hideTimer = null;
  const fillTip = (target) => {
    tip.replaceChildren();
    if (target.matches('.na-flag')) {
      if (target.title) {
        target.setAttribute('aria-label', target.title);
        target.removeAttribute('title'); // our card replaces the browser's tooltip
      }
      tip.append(make('div', 'na-preview-reason', target.getAttribute('aria-label') || ''));
      return true;
    }
    const cite = parseCite(target.getAttribute('href'));
    const turn = cite && turns()[cite[0]];
    const preview = turn && turn.previews && turn.previews[String(cite[1])];
    if (!preview) return false;
    const head = make('div', 'na-preview-head');
    head.append(make('strong', 'na-preview-title', preview.title));
    if (preview.date) head.append(make('span', 'na-preview-date', ' (' + preview.date + ')'));
    tip.append(
      head,
      make('div', 'na-preview-file', preview.source),
      make('blockquote', 'na-preview-quote', '“' + preview.quote + '”'),
      make('div', 'na-preview-hint', 'Click to read it in its article.'),
    );
    return true;
  };
  const showTip = (target) => {
    clearTimeout(hideTimer);
    if (!fillTip(target)) return;
    tipFor = target;
    tip.hidden = false;
    target.setAttribute('aria-describedby', 'na-preview');
    const box = target.getBoundingClientRect();
    const viewWidth = document.documentElement.clientWidth || window.innerWidth;
    const viewHeight = document.documentElement.clientHeight || window.innerHeight;
    const width = tip.offsetWidth;
    const height = tip.offsetHeight;
    const left = Math.max(8, Math.min(box.left, viewWidth - width - 8));
    let top = box.bottom + 6;
    if (top + height > viewHeight - 8) top = Math.max(8, box.top - height - 6);
    tip.style.left = left + 'px';
    tip.style.top = top + 'px';
  };
  const hideTip = () => {
    clearTimeout(showTimer);
    tip.hidden = true;
    if (tipFor) tipFor.removeAttribute('aria-describedby');
    tipFor = null;
  };
  const tipTarget = (target) => {
    const start = elementOf(target);
    return start && start.closest('#na-chat a[href^="#cite-"], #na-chat .na-flag');
  };
  document.addEventListener('pointerover', (event) => {
    if (event.pointerType !== 'mouse') return;
    const target = tipTarget(event.target);
    if (target) {
      clearTimeout(hideTimer);
      clearTimeout(showTimer);
      showTimer = setTimeout(() => showTip(target), 120);
    } else if (tipFor && !tip.contains(elementOf(event.target))) {
      clearTimeout(showTimer);
      hideTimer = setTimeout(hideTip, 200);
    }
  });
  document.addEventListener('focusin', (event) => {
    const target = tipTarget(event.target);
    if (target) showTip(target);
    else if (tipFor) hideTip();
  });
  window.addEventListener('scroll', () => tipFor && hideTip(), true);

  // -- copying a message: plain text, not the Markdown behind it ----------------------------
  const writeClipboard = async (text) => {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (error) {
      const area = make('textarea');
      area.value = text;
      area.style.position = 'fixed';
      area.style.left = '-9999px';
      document.body.appendChild(area);
      area.select();
      let done = false;
      try {
        done = document.execCommand('copy');
      } catch (ignored) {
        done = false;
      }
      area.remove();
      return done;
    }
  };
  const copyTextOf = (button) => {
    const buttons = button.closest('.message-buttons');
    const row = buttons && buttons.previousElementSibling;
    if (!row || !row.classList.contains('message-row')) return null;
    const user = row.classList.contains('user-row');
    const rows = Array.from(
      document.querySelectorAll('#na-chat .message-row.' + (user ? 'user-row' : 'bot-row')),
    );
    const turn = turns()[rows.indexOf(row)];
    if (turn) return user ? turn.question : turn.copy;
    const content = row.querySelector('.message-content');
    return content ? readable(content) : null;
  };
  const announce = make('div', 'na-sr');
  announce.setAttribute('role', 'status');
  document.body.appendChild(announce);
  const copied = async (button, text) => {
    window.__naLastCopy = text;
    const done = await writeClipboard(text);
    announce.textContent = done ? 'Copied' : 'Could not copy';
    button.classList.add('na-copied');
    setTimeout(() => {
      button.classList.remove('na-copied');
      announce.textContent = '';
    }, 1500);
  };

  // -- one capture-phase click listener for the page's links and buttons --------------------
  document.addEventListener(
    'click',
    (event) => {
      const start = elementOf(event.target);
      if (!start) return;
      const link = start.closest('a[href^="#cite-"], a[href^="#article-"]');
      if (link) {
        event.preventDefault();
        event.stopPropagation();
        hideTip();
        const href = link.getAttribute('href');
        if (href.startsWith('#article-') && link.closest('#na-library-tab')) {
          if (window.__naOpenArticle) window.__naOpenArticle(decodeURIComponent(href.slice(9)));
        } else {
          openSource(href, link);
        }
        return;
      }
      if (start.closest('#na-sources .na-close')) {
        event.preventDefault();
        closeDrawer();
        return;
      }
      const flag = start.closest('#na-chat .na-flag');
      if (flag) {
        showTip(flag); // a tap shows the reason; a tap elsewhere (or Escape) hides it
        return;
      }
      if (tipFor && !tip.contains(start)) hideTip();
      const button = start.closest('#na-chat .message-buttons button');
      const name = button ? button.getAttribute('aria-label') || button.title || '' : '';
      if (button && /^copy message$/i.test(name)) {
        const text = copyTextOf(button);
        if (text !== null) {
          event.preventDefault();
          event.stopPropagation();
          copied(button, text);
        }
        return;
      }
      if (start.closest('#na-new-chat')) {
        closeDrawer();
        setTimeout(() => {
          const box = document.querySelector('#na-question textarea');
          if (box) box.focus();
        }, 50);
      }
    },
    true,
  );
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    if (tipFor) hideTip();
    else if (NARROW.matches) closeDrawer();
  });

  // -- Export conversation ------------------------------------------------------------------
  window.__naExport = () => {
    const text = (window.__naData && window.__naData.export) || '# News assistant conversation\n';
    const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' }));
    const link = make('a');
    link.href = url;
    link.download = 'conversation-' + new Date().toISOString().slice(0, 10) + '.md';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
  };

  // -- the chat: each new question scrolled into view, labels that read as text -------------
  const scrollBox = (node) => {
    for (let parent = node.parentElement; parent; parent = parent.parentElement) {
      const overflow = getComputedStyle(parent).overflowY;
      if ((overflow === 'auto' || overflow === 'scroll') && parent.scrollHeight > parent.clientHeight) {
        return parent;
      }
    }
    return null;
  };
  // The newest question is held at the top of the chat while its answer comes in below it,
  // until the answer is final or the reader scrolls the chat themselves.
  let placedAt = null;
  const placeQuestion = (row) => {
    const box = scrollBox(row);
    if (!box) return;
    box.scrollTop += row.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    placedAt = box.scrollTop;
  };
  const showPage = (row) => {
    // The page as well: on a phone the chat can sit partly above or below the screen.
    const top = row.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.6) window.scrollBy(0, top - 60);
  };
  // Gradio labels each message with its raw Markdown ("bot's message: [\\[1\\]](#cite-0-1)…")
  // and sets it again whenever the message changes; each such label is replaced by the text.
  const fixLabels = (chat) => {
    chat.querySelectorAll('[data-testid="user"], [data-testid="bot"]').forEach((message) => {
      const content = message.querySelector('.message-content');
      const who = message.dataset.testid === 'user' ? 'You: ' : 'Assistant: ';
      if (!content || (message.getAttribute('aria-label') || '').startsWith(who)) return;
      message.setAttribute('aria-label', who + readable(content));
    });
  };
  const watchChat = () => {
    const chat = document.querySelector('#na-chat');
    if (!chat) {
      setTimeout(watchChat, 200);
      return;
    }
    let questions = 0;
    let pinned = -1;
    let scheduled = false;
    chat.addEventListener(
      'scroll',
      (event) => {
        // A scroll we did not make is the reader's: leave the chat where they put it.
        if (pinned >= 0 && placedAt !== null && Math.abs(event.target.scrollTop - placedAt) > 4) {
          pinned = -1;
        }
      },
      true,
    );
    const update = () => {
      scheduled = false;
      const asked = chat.querySelectorAll('[data-testid="user"]');
      const row = (i) => asked[i].closest('.message-row') || asked[i];
      if (asked.length > questions) {
        pinned = asked.length - 1;
        placeQuestion(row(pinned));
        showPage(row(pinned));
      } else if (pinned >= 0 && pinned < asked.length) {
        placeQuestion(row(pinned));
      }
      // Its answer is final once the page's data has its turn: nothing more will move it.
      if (asked.length < questions || turns().length > pinned) pinned = -1;
      questions = asked.length;
      fixLabels(chat);
    };
    new MutationObserver(() => {
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(update);
      }
    }).observe(chat, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['aria-label'],
    });
    update();
  };
  watchChat();
}
