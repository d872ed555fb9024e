// The partner's page keeps its upcoming tasks fresh: every few seconds it asks for the list (an
// unchanged one costs a 304) and swaps it in place, so "3 tulossa" follows the kiosk's claims
// without a reload. While the server cannot be reached the last list simply stays.
(function () {
  "use strict";
  var live = document.querySelector("[data-partner-live]");
  if (!live || !window.fetch) { return; }
  var url = live.dataset.pollUrl;
  var ms = Number(live.dataset.pollSeconds || 10) * 1000;
  var etag = null;
  var asking = false;

  function look() {
    if (asking || document.hidden) { return; }
    asking = true;
    var headers = { Accept: "text/html" };
    if (etag) { headers["If-None-Match"] = etag; }
    window.fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status !== 200) { return null; }  // 304: nothing new; 404: the link was revoked
        etag = response.headers.get("ETag");
        return response.text().then(function (html) {
          if (live.innerHTML.trim() !== html.trim()) { live.innerHTML = html; }
        });
      })
      .catch(function () { /* away for a moment: keep what is shown */ })
      .then(function () { asking = false; });
  }

  look();
  window.setInterval(look, ms);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { look(); } });
}());
