// The kiosk's only script: keeps the board fresh and returns to it when nobody is using the screen.
(function () {
  "use strict";
  var body = document.body;
  var lastTouch = Date.now();
  var pressing = false;
  ["pointerdown", "keydown", "scroll"].forEach(function (name) {
    window.addEventListener(name, function () { lastTouch = Date.now(); }, { passive: true });
  });
  window.addEventListener("pointerdown", function () { pressing = true; }, { passive: true });
  ["pointerup", "pointercancel"].forEach(function (name) {
    window.addEventListener(name, function () { pressing = false; lastTouch = Date.now(); }, { passive: true });
  });

  function every(seconds, fn) { window.setInterval(fn, seconds * 1000); }

  // Board: the task list is asked for every few seconds (an unchanged one costs a 304) and swapped in
  // place. While the server cannot be reached, the last tasks stay, greyed, with a calm note.
  var live = document.querySelector("[data-board-live]");
  var note = document.querySelector("[data-board-paused]");
  var pollUrl = body.dataset.pollUrl;
  var pollMs = Number(body.dataset.pollSeconds || 0) * 1000;
  var reachable = true;  // the last look at the server got an answer
  var paused = false;
  if (live && note && pollUrl && pollMs > 0) {
    var shown = live.querySelector("[data-board-etag]");
    var etag = shown ? '"' + shown.dataset.boardEtag + '"' : null;  // the list in the page: no first download
    var pending = null;
    var asking = false;
    var day = dayOf(live);

    var look = function () {
      if (asking) { return; }
      asking = true;
      // A server that hangs counts as away: the board must not wait on it. (The browser's own timer,
      // which a page's clock cannot speed up.)
      var signal = window.AbortSignal && window.AbortSignal.timeout ? window.AbortSignal.timeout(Math.max(2 * pollMs, 8000)) : undefined;
      var headers = { Accept: "text/html" };
      if (etag) { headers["If-None-Match"] = etag; }
      window.fetch(pollUrl, { headers: headers, cache: "no-store", credentials: "same-origin", signal: signal })
        .then(function (response) {
          if (response.status >= 500) { throw new Error("server away"); }
          if (response.status !== 200) { return null; }  // 304: nothing new
          var tag = response.headers.get("ETag");
          return response.text().then(function (html) { etag = tag; pending = html; });
        })
        .then(function () { answered(true); }, function () { answered(false); });
      function answered(ok) {
        asking = false;
        reachable = ok;
        setPaused(!ok);
        if (pending !== null) { swap(); }
      }
    };
    window.setInterval(look, pollMs);

    // Never under a finger: a card must not move away while someone is tapping it.
    var swap = function () {
      if (pending === null) { return; }
      if (pressing || Date.now() - lastTouch < 1000) { window.setTimeout(swap, 500); return; }
      var focused = document.activeElement;
      var key = focused && live.contains(focused) ? focusKey(focused) : null;
      var scrolled = window.scrollY;
      live.innerHTML = pending;
      pending = null;
      markCards();
      if (key) {
        var again = live.querySelector(key);
        if (again) { again.focus({ preventScroll: true }); }
      }
      window.scrollTo(window.scrollX, scrolled);
      document.dispatchEvent(new window.CustomEvent("dropin:board-changed"));
      if (dayOf(live) !== day) { window.location.reload(); }  // past midnight: the header's date too
    };

    // While paused a tap on a task (or any link) shows the calm note instead of a browser error page.
    document.addEventListener("click", function (event) {
      if (!paused || !event.target.closest) { return; }
      if (event.target.closest("a[href], button[type=submit], input[type=submit]")) {
        event.preventDefault();
        note.classList.remove("is-nudged");
        void note.offsetWidth;  // restarts the nudge
        note.classList.add("is-nudged");
      }
    }, true);
  }

  function dayOf(element) {
    var marked = element.querySelector("[data-board-day]");
    return marked ? marked.dataset.boardDay : null;
  }

  function focusKey(element) {
    var link = element.closest("a[href]");
    if (link) { return 'a[href="' + link.getAttribute("href") + '"]'; }
    if (element.closest("[data-pager-previous]")) { return "[data-pager-previous]"; }
    if (element.closest("[data-pager-next]")) { return "[data-pager-next]"; }
    return null;
  }

  // The tasks, the feedback entry and the languages: greyed and marked, though a tap still lands on them.
  function markCards() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-board-live] a[href], .languages a[href]"), function (link) {
      if (paused) { link.setAttribute("aria-disabled", "true"); } else { link.removeAttribute("aria-disabled"); }
    });
  }

  function setPaused(on) {
    if (paused === on) { return; }
    paused = on;
    note.hidden = !on;
    body.classList.toggle("board-is-paused", on);
    markCards();
    document.dispatchEvent(new window.CustomEvent("dropin:board-changed"));
  }

  // Board: reload whole now and then (new scripts and styles), never under someone's finger, and
  // only while the server answers: a reload into an outage would leave a browser error page.
  var refresh = Number(body.dataset.refreshSeconds || 0);
  if (refresh > 0) {
    every(5, function () {
      if (reachable && !paused && Date.now() - lastTouch > refresh * 1000) {
        window.location.replace(body.dataset.refreshUrl);
      }
    });
  }

  // Details: after a while without a touch, back to the board for the next visitor.
  var idle = Number(body.dataset.idleSeconds || 0);
  if (idle > 0) {
    every(5, function () {
      if (Date.now() - lastTouch > idle * 1000) { window.location.replace(body.dataset.idleUrl); }
    });
  }

  // Receipt: a countdown, and a tap anywhere outside a control returns to the board.
  var back = Number(body.dataset.returnSeconds || 0);
  if (back > 0) {
    var url = body.dataset.returnUrl;
    var left = back;
    var counter = document.querySelector("[data-countdown]");
    var template = counter ? counter.dataset.template : null;
    every(1, function () {
      left -= 1;
      if (left <= 0) { window.location.replace(url); return; }
      if (counter && template) { counter.textContent = template.replace("{n}", String(left)); }
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest("button, a, form, figure")) { window.location.replace(url); }
    });
  }
})();
