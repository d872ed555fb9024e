// The board pages itself when its cards do not fit the screen: whole cards only, a calm turn every
// few seconds, a page indicator, and previous/next buttons. A touch pauses the turning for a while.
// Without this script the board is one long page that scrolls.
(function () {
  "use strict";
  var list = document.querySelector("[data-board-pages]");
  var pager = document.querySelector("[data-pager]");
  if (!list || !pager) { return; }

  var cards = Array.prototype.slice.call(list.children);
  var label = pager.querySelector("[data-pager-label]");
  var dots = pager.querySelector("[data-pager-dots]");
  var pageMs = Number(list.dataset.pageSeconds || 14) * 1000;
  var pauseMs = Number(list.dataset.pauseSeconds || 40) * 1000;
  // The board reloads now and then (kiosk.js); it carries on from the page it was showing.
  var KEY = "dropin-board-page:" + window.location.pathname;
  var pages = [[0, cards.length]];
  var current = 0;
  var lastTurn = Date.now();
  var pausedUntil = 0;
  // A phone or a small window scrolls as any page does; only a screen of kiosk size pages itself.
  var kioskSized = window.matchMedia("(min-width: 800px) and (min-height: 800px)");

  function showRange(start, end) {
    cards.forEach(function (card, index) { card.hidden = index < start || index >= end; });
  }

  function fits(card, bottom) {
    return card.getBoundingClientRect().bottom <= bottom + 1;
  }

  // Split the cards into pages of whole cards, measured on the screen as it is now.
  function split() {
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
    pages.forEach(function (range, index) { if (range[0] <= first && first < range[1]) { current = index; } });
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
    if (pages.length > 1) {
      show(current + step, true);
      lastTurn = Date.now();
    }
  }

  try {
    var saved = Number(window.sessionStorage.getItem(KEY));
    if (saved > 0 && saved < cards.length) { pages = [[saved, cards.length]]; }
  } catch (e) { /* private mode */ }
  split();
  if (document.fonts && document.fonts.ready) { document.fonts.ready.then(split); }
  window.addEventListener("load", split);
  window.addEventListener("resize", split);

  ["pointerdown", "keydown"].forEach(function (name) {
    window.addEventListener(name, function () { pausedUntil = Date.now() + pauseMs; }, { passive: true });
  });
  pager.querySelector("[data-pager-previous]").addEventListener("click", function () { turn(-1); });
  pager.querySelector("[data-pager-next]").addEventListener("click", function () { turn(1); });

  window.setInterval(function () {
    var now = Date.now();
    if (now >= pausedUntil && now - lastTurn >= pageMs) { turn(1); }
  }, 1000);
})();
