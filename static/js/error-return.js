// Error pages on a kiosk: back to the board after a while, the wait starting over at each touch.
(function () {
  "use strict";
  var body = document.body;
  var url = body.dataset.errorReturnUrl;
  var seconds = Number(body.dataset.errorReturnSeconds || 0);
  if (!url || !(seconds > 0)) { return; }
  var timer;
  function arm() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { window.location.replace(url); }, seconds * 1000);
  }
  ["pointerdown", "keydown"].forEach(function (name) {
    window.addEventListener(name, arm, { passive: true });
  });
  arm();
})();
