// The kiosk's only script: keeps the board fresh and returns to it when nobody is using the screen.
(function () {
  "use strict";
  var body = document.body;
  var lastTouch = Date.now();
  ["pointerdown", "keydown", "scroll"].forEach(function (name) {
    window.addEventListener(name, function () { lastTouch = Date.now(); }, { passive: true });
  });

  function every(seconds, fn) { window.setInterval(fn, seconds * 1000); }

  // Board: reload now and then, but never under someone's finger.
  var refresh = Number(body.dataset.refreshSeconds || 0);
  if (refresh > 0) {
    every(5, function () {
      if (Date.now() - lastTouch > refresh * 1000) {
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
