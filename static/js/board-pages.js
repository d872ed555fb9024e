// The board pages itself when its cards do not fit the screen: whole cards only, a calm turn every
// few seconds, a page indicator, and previous/next buttons. A touch pauses the turning for a while.
// Without this script the board is one long page that scrolls. kiosk.js swaps in a fresh task list
// every few seconds and then sends "dropin:board-changed": the pages are measured again, and the
// page on the screen stays when it still exists.
(function () {
  "use strict";
  var list, pager, cards, label, dots;
  var pageMs = 14000;
  var pauseMs = 40000;
  // The board reloads now and then (kiosk.js); it carries on from the page it was showing.
  var KEY = "dropin-board-page:" + window.location.pathname;
  var pages = [[0, 0]];
  var current = 0;
  var lastTurn = Date.now();
  var pausedUntil = 0;
  // A phone or a small window scrolls as any page does; only a screen of kiosk size pages itself.
  var kioskSized = window.matchMedia("(min-width: 800px) and (min-height: 800px)");

  // The list and its pager as they are in the page now (kiosk.js may have replaced them).
  function find() {
    list = document.querySelector("[data-board-pages]");
    pager = document.querySelector("[data-pager]");
    if (!list || !pager) {
      list = null;
      document.body.classList.remove("board-paged");
      return false;
    }
    cards = Array.prototype.slice.call(list.children);
    label = pager.querySelector("[data-pager-label]");
    dots = pager.querySelector("[data-pager-dots]");
    pageMs = Number(list.dataset.pageSeconds || 14) * 1000;
    pauseMs = Number(list.dataset.pauseSeconds || 40) * 1000;
    return true;
  }

  function showRange(start, end) {
    cards.forEach(function (card, index) { card.hidden = index < start || index >= end; });
  }

  function fits(card, bottom) {
    return card.getBoundingClientRect().bottom <= bottom + 1;
  }

  // Split the cards into pages of whole cards, measured on the screen as it is now. The page shown
  // is `keep` when given and there is such a page (else the last), or the one holding the first card
  // shown before.
  function split(keep) {
    if (!list) { return; }
    var first = pages[current] ? pages[current][0] : 0;
    pager.hidden = true;
    showRange(0, cards.length);
    document.body.classList.toggle("board-paged", kioskSized.matches);
    if (!kioskSized.matches) {
      pages = [[0, cards.length]];
      current = 0;
      return;
    }
    var bottom = list.getBoundingClientRect().bottom;
    if (cards.every(function (card) { return fits(card, bottom); })) {
      pages = [[0, cards.length]];
      current = 0;
      return;
    }
    pager.hidden = false;
    bottom = list.getBoundingClientRect().bottom;
    pages = [];
    for (var start = 0; start < cards.length;) {
      showRange(start, cards.length);
      var end = start + 1;  // at least one card a page, however tall
      while (end < cards.length && fits(cards[end], bottom)) { end += 1; }
      pages.push([start, end]);
      start = end;
    }
    current = 0;
    if (typeof keep === "number") {
      current = Math.min(keep, pages.length - 1);
    } else {
      pages.forEach(function (range, index) { if (range[0] <= first && first < range[1]) { current = index; } });
    }
    show(current, false);
  }

  function show(index, fade) {
    current = (index + pages.length) % pages.length;
    showRange(pages[current][0], pages[current][1]);
    label.textContent = pager.dataset.template
      .replace("{page}", String(current + 1))
      .replace("{pages}", String(pages.length));
    dots.textContent = "";
    pages.forEach(function (_range, dot) {
      var span = document.createElement("span");
      span.className = dot === current ? "pager-dot is-current" : "pager-dot";
      dots.appendChild(span);
    });
    if (fade) {
      list.classList.remove("is-turning");
      void list.offsetWidth;  // restarts the fade
      list.classList.add("is-turning");
    }
    try { window.sessionStorage.setItem(KEY, String(pages[current][0])); } catch (e) { /* private mode */ }
  }

  function turn(step) {
    if (list && pages.length > 1) {
      show(current + step, true);
      lastTurn = Date.now();
    }
  }

  function relayout() { split(); }

  if (find()) {
    pages = [[0, cards.length]];
    try {
      var saved = Number(window.sessionStorage.getItem(KEY));
      if (saved > 0 && saved < cards.length) { pages = [[saved, cards.length]]; }
    } catch (e) { /* private mode */ }
    split();
  }
  if (document.fonts && document.fonts.ready) { document.fonts.ready.then(relayout); }
  window.addEventListener("load", relayout);
  window.addEventListener("resize", relayout);
  document.addEventListener("dropin:board-changed", function () {
    var keep = current;
    if (find()) { split(keep); }
  });

  ["pointerdown", "keydown"].forEach(function (name) {
    window.addEventListener(name, function () { pausedUntil = Date.now() + pauseMs; }, { passive: true });
  });
  // Delegated: the pager's buttons are new after each swap.
  document.addEventListener("click", function (event) {
    if (!event.target.closest) { return; }
    if (event.target.closest("[data-pager-previous]")) { turn(-1); }
    if (event.target.closest("[data-pager-next]")) { turn(1); }
  });

  window.setInterval(function () {
    var now = Date.now();
    if (now >= pausedUntil && now - lastTurn >= pageMs) { turn(1); }
  }, 1000);
})();
