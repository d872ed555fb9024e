// The receipt belongs to one visitor: its code and QR leave the page when they tap "Valmis" or
// stop touching the screen for a while, so the next person cannot scan someone else's place.
(function () {
  "use strict";
  var body = document.body;
  var seconds = Number(body.dataset.receiptSeconds || 0);
  var doneUrl = body.dataset.receiptDoneUrl;
  if (!(seconds > 0) || !doneUrl) { return; }
  var counter = document.querySelector("[data-receipt-countdown]");
  var more = document.querySelector("[data-more-time]");
  var left = seconds;
  var timer = null;

  function show() {
    if (counter) { counter.textContent = counter.dataset.template.replace("{n}", String(left)); }
  }

  // Out of the page, not just hidden: nothing of the code stays for a screen reader or a back button.
  function forget() {
    window.clearInterval(timer);
    document.querySelectorAll("[data-private]").forEach(function (node) { node.remove(); });
    window.location.replace(doneUrl);
  }

  function restart() { left = seconds; show(); }

  timer = window.setInterval(function () {
    left -= 1;
    if (left <= 0) { forget(); return; }
    show();
  }, 1000);

  if (more) {
    more.hidden = false;
    more.addEventListener("click", restart);
  }
  // Any touch means someone is still here; a tap outside the controls means they are done.
  ["pointerdown", "keydown"].forEach(function (name) {
    window.addEventListener(name, restart, { passive: true });
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-receipt-done]")) { event.preventDefault(); forget(); return; }
    if (!event.target.closest("button, a, form, figure, input, label")) { forget(); }
  });
  // Coming back through the browser's history never shows a kept copy of the code.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { forget(); }
  });
})();
